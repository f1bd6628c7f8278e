"""Sync that trusts no one beyond their authority: three sites on real databases, bundles
written by a modified office program (signed with its real keys). For each attack: the
database is unchanged where it must be, the refusal is visible to a person (Konflik, sync
status, the import summary), and the honest changes of the same bundle still arrive."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tracemalloc
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.store.hlc import Timestamp
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.store.periods import Period
from kinerja_desktop.sync.authority import AUTHORITY
from kinerja_desktop.sync.bundle_writer import BundleContent, pack, seal
from kinerja_desktop.sync.conflicts import list_conflicts
from kinerja_desktop.sync.enrollment import enroll, make_request, parse_request
from kinerja_desktop.sync.errors import BundleRefused, FingerprintNeeded
from kinerja_desktop.sync.keys import load_keys
from kinerja_desktop.sync.sandbox import content_digest, make_site, synced_rows
from kinerja_desktop.sync.status import sync_status
from kinerja_desktop.sync.tables import sync_schema

sys.path.insert(0, str(Path(__file__).parent))
from sync_attack import change, district, employee_name, forged_bundle, row_image, send, stamp

YEAR_MS = 365 * 24 * 3600 * 1000


@pytest.fixture
def sites(tmp_path):
    central, a, b, org_a, org_b = district(tmp_path)
    yield central, a, b, org_a, org_b
    for s in (central, a, b):
        s.close()


def refusals(site, reason: str | None = None):
    with site.db.session() as s:
        return [c for c in list_conflicts(s) if reason is None or c.reason == reason]


def test_every_synced_table_has_an_authority_rule(tmp_path):
    site = make_site(tmp_path / "s", "1504-X", "X")
    try:
        with site.db.engine.connect() as conn:
            names = {i.name for i in sync_schema(conn)}
    finally:
        site.close()
    assert names - set(AUTHORITY) == set(), "add a line to sync.authority.AUTHORITY for each new synced table"


def test_an_out_of_scope_edit_is_refused_and_the_honest_edit_arrives(sites):
    central, a, b, org_a, org_b = sites
    theirs, mine = org_b["employees"][0], org_a["employees"][0]
    before = synced_rows(central.db, "employees")[theirs]
    name_before = employee_name(central, theirs)
    bundle = forged_bundle(
        a,
        central,
        [
            change(central, a, "employees", theirs, name="Diubah oleh kantor A"),
            change(central, a, "employees", mine, name="Pegawai A yang jujur"),
        ],
    )
    result = central.import_bundle(bundle)
    assert synced_rows(central.db, "employees")[theirs] == before
    assert employee_name(central, mine) == "Pegawai A yang jujur"
    [c] = refusals(central)
    assert (c.reason, c.row_id, c.winner, c.incoming_site) == ("unauthorized", theirs, "local", a.site_id)
    assert "ditolak" in result.message and result.stats.refused == 1
    assert sync_status(central.db).refused_by_site == {a.site_id: 1}
    send(central, b)  # nothing of the refused change travels on to office B
    assert employee_name(b, theirs) == name_before


def test_rows_cannot_be_moved_into_or_out_of_an_offices_scope(sites):
    central, a, b, org_a, org_b = sites
    mine, theirs = org_a["employees"][1], org_b["employees"][1]
    b_unit, a_unit = org_b["units"][0], org_a["units"][0]
    new_in_b = {
        "table": "employees",
        "id": str(uuid.uuid4()),
        "hlc": stamp(a),
        "origin_site": a.site_id,
        "deleted": False,
        "row": {
            **row_image(central, "employees", mine)["row"],
            "nip": "199001012015011001",
            "unit_id": b_unit,
            "name": "Baru di B",
        },
    }
    new_in_a = {
        **new_in_b,
        "id": str(uuid.uuid4()),
        "hlc": stamp(a),
        "row": {**new_in_b["row"], "nip": "199001012015012002", "gender": "P", "unit_id": a_unit, "name": "Baru di A"},
    }
    before = content_digest(central.db, data_only=True)
    rows_before = synced_rows(central.db, "employees")
    result = central.import_bundle(
        forged_bundle(
            a,
            central,
            [
                change(central, a, "employees", mine, unit_id=b_unit),  # out of its scope
                change(central, a, "employees", theirs, unit_id=a_unit),  # into its scope
                new_in_b,
                new_in_a,
            ],
        )
    )
    rows = synced_rows(central.db, "employees")
    assert rows[mine] == rows_before[mine] and rows[theirs] == rows_before[theirs]
    assert new_in_b["id"] not in rows and employee_name(central, new_in_a["id"]) == "Baru di A"
    assert {c.row_id for c in refusals(central, "unauthorized")} == {mine, theirs, new_in_b["id"]}
    assert result.stats.applied == {"employees": 1} and before != content_digest(central.db, data_only=True)


def test_district_wide_master_data_changes_only_at_central(sites):
    central, a, b, org_a, _org_b = sites
    with central.db.transaction() as s:
        period = Period(
            year=2026,
            kind="akhir",
            number=0,
            start=date(2026, 1, 1),
            end=date(2026, 12, 31),
            deadline=date(2027, 1, 31),
        )
        s.add(period)
        s.flush()
        period_id = period.id
        position_id = s.scalar(select(Position.id))
    send(central, a)
    # The office's own program: it has the rows (they came with its scope) and edits them.
    with a.db.transaction() as s:
        s.get(Period, period_id).closed = True
        s.get(Position, position_id).name = "Jabatan dinamai ulang oleh kantor"
        s.get(Employee, org_a["employees"][2]).name = "Perubahan jujur"
    result = send(a, central)
    with central.db.session() as s:
        assert s.get(Period, period_id).closed is False
        assert s.get(Position, position_id).name != "Jabatan dinamai ulang oleh kantor"
    assert employee_name(central, org_a["employees"][2]) == "Perubahan jujur"
    assert {(c.table_name, c.reason) for c in refusals(central)} == {
        ("periods", "unauthorized"),
        ("positions", "unauthorized"),
    }
    assert result.stats.refused == 2
    send(central, b)
    with b.db.session() as s:
        assert s.get(Position, position_id).name != "Jabatan dinamai ulang oleh kantor"


def test_forged_origin_and_stamp_are_refused(sites):
    central, a, b, org_a, org_b = sites
    mine = org_a["employees"][0]
    as_b = change(central, a, "employees", mine, hlc=stamp(a, as_site=b.site_id), name="Atas nama kantor B")
    new_as_b = {
        **row_image(central, "employees", org_a["employees"][1]),
        "id": str(uuid.uuid4()),
        "hlc": stamp(a),
        "origin_site": b.site_id,
    }
    new_as_b["row"] = {**new_as_b["row"], "nip": "199001012015011003", "name": "Asal dipalsukan"}
    honest = change(central, a, "employees", org_a["employees"][2], name="Jujur")
    before = synced_rows(central.db, "employees")[mine]
    central.import_bundle(forged_bundle(a, central, [as_b, new_as_b, honest]))
    assert synced_rows(central.db, "employees")[mine] == before
    assert new_as_b["id"] not in synced_rows(central.db, "employees")
    assert employee_name(central, org_a["employees"][2]) == "Jujur"
    assert {c.row_id for c in refusals(central, "forged")} == {mine, new_as_b["id"]}


def _final_evaluation(central, a, employee_id) -> str:
    with central.db.transaction() as s:
        period = Period(
            year=2026,
            kind="akhir",
            number=0,
            start=date(2026, 1, 1),
            end=date(2026, 12, 31),
            deadline=date(2027, 1, 31),
        )
        s.add(period)
        s.flush()
        period_id = period.id
    send(central, a)
    with a.db.transaction() as s:
        ev = Evaluation(employee_id=employee_id, period_id=period_id, status="final", predikat="Baik")
        s.add(ev)
        s.flush()
        ev_id = ev.id
    send(a, central)
    return ev_id


def test_a_final_evaluation_is_immutable_whoever_sends_the_change(sites):
    central, a, _b, org_a, _org_b = sites
    ev_id = _final_evaluation(central, a, org_a["employees"][0])
    before = synced_rows(central.db, "evaluations")[ev_id]
    revision = {
        **row_image(central, "evaluations", ev_id),
        "id": str(uuid.uuid4()),
        "hlc": stamp(a),
        "origin_site": a.site_id,
    }
    revision["row"] = {**revision["row"], "status": "draft", "revision_of_id": ev_id, "revision_no": 1}
    # Its own site sends the overwrite (under its own, honest stamp): still refused.
    central.import_bundle(
        forged_bundle(a, central, [change(central, a, "evaluations", ev_id, predikat="Sangat Baik"), revision])
    )
    assert synced_rows(central.db, "evaluations")[ev_id] == before
    assert revision["id"] in synced_rows(central.db, "evaluations")
    [c] = refusals(central)
    assert c.reason == "protected" and c.row_id == ev_id


def test_a_clock_thirty_years_ahead_is_refused_whole_and_never_absorbed(sites):
    central, a, _b, org_a, _org_b = sites
    ahead = stamp(a, ahead_ms=30 * YEAR_MS)
    year = str(date.today().year + 30)
    before = content_digest(central.db)
    data = forged_bundle(
        a,
        central,
        [change(central, a, "employees", org_a["employees"][0], hlc=ahead, name="Dari masa depan")],
        created_hlc=ahead,
    )
    with pytest.raises(BundleRefused) as info:
        central.import_bundle(data)
    assert a.site_id in info.value.message and year in info.value.message
    assert content_digest(central.db) == before
    assert Timestamp.parse(central.db.clock.now()).wall_ms < time.time() * 1000 + 3600_000
    # Once the office's clock is right, its next bundle goes through.
    with a.db.transaction() as s:
        s.get(Employee, org_a["employees"][1]).name = "Jam sudah benar"
    send(a, central)
    assert employee_name(central, org_a["employees"][1]) == "Jam sudah benar"


def test_a_clock_behind_what_the_office_has_seen_warns_before_export(sites):
    central, a, _b, _org_a, _org_b = sites
    assert sync_status(a.db).clock_warning is None
    a.db.clock.observe(stamp(central, ahead_ms=3 * 3600_000))  # central's clock ran 3 hours ahead (< 24 h)
    warning = sync_status(a.db).clock_warning
    assert warning and "terlambat" in warning


def test_malformed_stamps_are_refused_and_the_central_clock_keeps_its_format(sites):
    central, a, _b, org_a, _org_b = sites
    before = content_digest(central.db)
    emp = org_a["employees"][0]
    for bad in (f"9999999999999-99999-{a.site_id}", "12-3-X", f"0000000000001-00000-{a.site_id} x"):
        data = forged_bundle(a, central, [change(central, a, "employees", emp, hlc=bad, name="Stempel rusak")])
        with pytest.raises(BundleRefused):
            central.import_bundle(data)
        assert content_digest(central.db) == before
    Timestamp.parse(central.db.clock.now())  # still well formed


def test_oversized_values_are_refused_and_the_rest_arrives(sites):
    central, a, _b, org_a, _org_b = sites
    huge, honest = org_a["employees"][0], org_a["employees"][1]
    before = synced_rows(central.db, "employees")[huge]
    result = central.import_bundle(
        forged_bundle(
            a,
            central,
            [
                change(central, a, "employees", huge, name="N" * 1_000_000),
                change(central, a, "employees", honest, name="Nama biasa"),
            ],
        )
    )
    assert synced_rows(central.db, "employees")[huge] == before
    assert employee_name(central, honest) == "Nama biasa"
    [c] = refusals(central, "invalid")
    assert "terlalu panjang" in c.incoming["refused"] and result.stats.refused == 1


def test_a_decompression_bomb_is_refused_before_it_costs_memory(sites):
    central, a, _b, _org_a, _org_b = sites
    bomb = b" " * (48 * 1024 * 1024)  # 48 MB of nothing, about 220 kB compressed
    content = BundleContent(
        kind="changes",
        source_site=a.site_id,
        target_site=central.site_id,
        created_hlc=a.db.clock.now(),
        counts={},
        changes=bomb,
    )
    _m, plain = pack(content, load_keys(a.site_id, a.keys_dir))
    del bomb, content
    data = seal(plain, load_keys(central.site_id, central.keys_dir).age_recipient)
    assert len(data) < 256 * 1024
    before = content_digest(central.db)
    tracemalloc.start()
    try:
        with pytest.raises(BundleRefused) as info:
            central.import_bundle(data)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "bom dekompresi" in info.value.message
    assert peak < 8 * 1024 * 1024
    assert content_digest(central.db) == before


def test_rogue_enrollment_is_refused_and_the_real_one_needs_the_read_out_fingerprint(sites, tmp_path):
    central, a, _b, _org_a, _org_b = sites
    rogue = make_site(tmp_path / "palsu", "1504-PALSU", "Pusat palsu", central=True)
    office = make_site(tmp_path / "kec-d", "1504-KEC-D", "Kecamatan D")
    try:
        request = parse_request(json.dumps(make_request(office.db, office.keys_dir)).encode())
        rogue_bundle = enroll(rogue.db, request, whole_district=True, keys_dir=rogue.keys_dir)
        real_bundle = enroll(central.db, request, whole_district=True, keys_dir=central.keys_dir)
        real_fp = load_keys(central.site_id, central.keys_dir).fingerprint
        before = content_digest(office.db)
        with pytest.raises(FingerprintNeeded) as asked:  # no fingerprint given: it is shown, nothing changes
            office.import_bundle(rogue_bundle.data)
        assert asked.value.fingerprint != real_fp and asked.value.fingerprint in asked.value.message
        with pytest.raises(BundleRefused) as info:  # the one BKPSDM read out does not match
            office.import_bundle(rogue_bundle.data, fingerprint=real_fp)
        assert "tidak sama" in info.value.message
        assert content_digest(office.db) == before
        result = office.import_bundle(real_bundle.data, fingerprint=real_fp.lower().replace(" ", ""))
        assert result.status == "applied" and sync_status(office.db).enrolled
        # Enrolled: another enrollment bundle, rogue or real, needs a deliberate re-enrollment.
        before = content_digest(office.db)
        with pytest.raises(BundleRefused):
            office.import_bundle(
                enroll(rogue.db, request, whole_district=True, keys_dir=rogue.keys_dir).data,
                fingerprint=load_keys(rogue.site_id, rogue.keys_dir).fingerprint,
            )
        again = enroll(central.db, request, whole_district=True, keys_dir=central.keys_dir)
        with pytest.raises(BundleRefused) as info:
            office.import_bundle(again.data)
        assert "daftar-ulang" in info.value.message
        assert content_digest(office.db) == before
        assert office.import_bundle(again.data, reenroll=True).status == "applied"
    finally:
        rogue.close()
        office.close()


def test_an_office_does_not_relay_rows_it_received_from_elsewhere(sites):
    central, a, _b, org_a, _org_b = sites
    with central.db.transaction() as s:
        s.get(Unit, org_a["units"][0]).name = "Diubah di pusat"
    send(central, a)
    with a.db.transaction() as s:
        s.get(Employee, org_a["employees"][0]).name = "Milik kantor A"
    bundle = a.export(central.site_id)
    assert bundle.counts == {"employees": 1}
    central.import_bundle(bundle.data)
    assert refusals(central) == []


def _audit(site, n: int, tag: str) -> None:
    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.services.audit.chain import record

    with site.db.transaction() as s:
        for i in range(n):
            record(s, SYSTEM, "update", "employees", f"{tag}-{i}", {"name": "a"}, {"name": "b"})


def _audit_verify(site) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "kinerja_desktop",
            "--data-dir",
            str(site.folder),
            "--db",
            str(site.folder / "kinerja.sqlite3"),
            "audit",
            "verify",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_truncated_or_rewritten_audit_chain_is_reported_against_the_anchor_central_holds(sites):
    from kinerja_desktop.services.audit.chain import verify_chain
    from kinerja_desktop.store.audit import AuditEntry
    from kinerja_desktop.sync.audit_anchor import findings

    central, a, _b, org_a, _org_b = sites
    _audit(a, 5, "awal")
    with a.db.transaction() as s:
        s.get(Employee, org_a["employees"][0]).name = "Sebelum dipotong"
    send(a, central)  # central holds A's anchor; A keeps central's confirmation from the ack
    with a.db.session() as s:
        assert findings(s) == []
    with a.db.transaction() as s:  # someone deletes the newest audit entries: the chain still links up
        newest = s.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
        s.query(AuditEntry).filter(AuditEntry.seq > newest - 2).delete()
    with a.db.session() as s:
        assert verify_chain(s).ok  # the chain alone cannot tell
        [sentence] = findings(s)
    assert "dipotong" in sentence
    out = _audit_verify(a)
    assert out.returncode == 1 and "dipotong" in out.stdout
    # Rewritten from scratch (as many entries as before, all linking up): central sees it on the next bundle.
    with a.db.transaction() as s:
        s.query(AuditEntry).delete()
    _audit(a, 8, "palsu")
    with a.db.transaction() as s:
        s.get(Employee, org_a["employees"][1]).name = "Sesudah ditulis ulang"
    result = central.import_bundle(a.export(central.site_id).data)
    assert employee_name(central, org_a["employees"][1]) == "Sesudah ditulis ulang"  # the data still arrives
    with central.db.session() as s:
        [sentence] = findings(s)
    assert a.site_id in sentence and "ditulis ulang" in sentence
    assert result.status == "applied"


def test_site_init_in_another_program_is_seen_by_an_open_window_before_its_next_sync(tmp_path):
    from kinerja_desktop.store.database import open_database

    folder = tmp_path / "kantor"
    folder.mkdir()
    db = open_database(folder / "kinerja.sqlite3")  # the window's open database, not yet a site
    try:
        temporary = db.site_id
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "kinerja_desktop",
                "--data-dir",
                str(folder),
                "--db",
                str(folder / "kinerja.sqlite3"),
                "site",
                "init",
                "--code",
                "1504-KEC-Z",
                "--name",
                "Kecamatan Z",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
        status = sync_status(db)
        assert status.site_id.startswith("1504-KEC-Z-") and status.site_id != temporary
        assert db.site_id == status.site_id and status.initialized
        with db.transaction() as s:  # the window's next edit is stamped with the new identity
            unit = Unit(code="Z-1", name="Unit Z", kind="bidang")
            s.add(unit)
        assert unit.updated_hlc.endswith("-" + status.site_id) and unit.origin_site == status.site_id
    finally:
        db.close()
