"""The merge: (hlc, site) rule, order, loss, conflicts, protected rows, FK order, scope, blobs."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.store.hlc import HybridClock, Timestamp
from kinerja_desktop.store.org import Unit
from kinerja_desktop.store.periods import Period
from kinerja_desktop.sync import blobs
from kinerja_desktop.sync.conflicts import list_conflicts, resolve_conflict
from kinerja_desktop.sync.errors import SyncError
from kinerja_desktop.sync.hlc_guard import clock_warning
from kinerja_desktop.sync.sandbox import content_digest, enroll_office, make_site, seed_org, synced_rows


@pytest.fixture
def sites(tmp_path):
    central = make_site(tmp_path / "central", "1504-BKPSDM", "BKPSDM", central=True)
    office = make_site(tmp_path / "office", "1504-KEC-A", "Kecamatan A")
    org = seed_org(central.db, units=2, employees_per_unit=3)
    enroll_office(central, office)
    yield central, office, org
    central.close()
    office.close()


def send(src, dst):
    """Export from src to dst, import at dst, deliver dst's ack to src."""
    result = dst.import_bundle(src.export(dst.site_id).data)
    if result.ack is not None:
        src.import_bundle(result.ack)
    return result


def set_name(site, emp_id, name):
    with site.db.transaction() as s:
        s.get(Employee, emp_id).name = name


def name_at(site, emp_id):
    with site.db.session() as s:
        return s.get(Employee, emp_id).name


def conflicts(site):
    with site.db.session() as s:
        return list_conflicts(s)


def test_enrollment_copies_the_data_and_sites_agree(sites):
    central, office, _org = sites
    assert synced_rows(central.db, "employees") == synced_rows(office.db, "employees")
    assert synced_rows(central.db, "units") == synced_rows(office.db, "units")


def test_changes_flow_both_ways_and_tombstones_travel(sites):
    central, office, org = sites
    set_name(office, org["employees"][0], "Diubah di kantor")
    send(office, central)
    assert name_at(central, org["employees"][0]) == "Diubah di kantor"
    with central.db.transaction() as s:
        s.get(Employee, org["employees"][1]).deleted = True
    send(central, office)
    with office.db.session() as s:
        assert s.get(Employee, org["employees"][1]).deleted is True
    assert synced_rows(central.db, "employees") == synced_rows(office.db, "employees")


def test_bundles_out_of_order_and_a_lost_bundle(sites):
    central, office, org = sites
    e = org["employees"][0]
    set_name(office, e, "Versi 1")
    first = office.export()
    set_name(office, e, "Versi 2")
    set_name(office, org["employees"][1], "Lainnya")
    second = office.export()  # cumulative: covers the first
    assert second.counts["employees"] == 2
    central.import_bundle(second.data)
    assert name_at(central, e) == "Versi 2"
    late = central.import_bundle(first.data)  # arrives late: older, a no-op
    assert late.status == "applied" and late.stats.total_applied == 0
    assert name_at(central, e) == "Versi 2"
    assert conflicts(central) == []
    # A third bundle after a lost one still covers everything not acknowledged.
    set_name(office, e, "Versi 3")
    office.export()  # lost
    set_name(office, org["employees"][2], "Juga")
    central.import_bundle(office.export().data)
    assert name_at(central, e) == "Versi 3"
    assert synced_rows(central.db, "employees") == synced_rows(office.db, "employees")


def test_acknowledged_changes_are_not_sent_again(sites):
    central, office, org = sites
    set_name(office, org["employees"][0], "Sekali")
    send(office, central)
    again = office.export()
    assert again.counts == {}


def test_same_employee_edited_at_office_and_central_is_a_conflict_not_a_loss(sites):
    central, office, org = sites
    e = org["employees"][0]
    set_name(office, e, "Nama dari kantor")
    set_name(central, e, "Nama dari pusat")
    result = send(office, central)
    assert result.stats.conflicts == 1
    [c] = conflicts(central)
    assert c.reason == "concurrent" and c.row_id == e
    names = {c.local["row"]["name"], c.incoming["row"]["name"]}
    assert names == {"Nama dari kantor", "Nama dari pusat"}
    send(central, office)
    assert name_at(central, e) == name_at(office, e)
    # HR keeps the losing version; the choice travels to the office.
    loser = "local" if c.winner == "incoming" else "incoming"
    kept = (c.local if loser == "local" else c.incoming)["row"]["name"]
    resolve_conflict(central.db, c.id, loser)
    assert name_at(central, e) == kept
    send(central, office)
    assert name_at(office, e) == kept
    assert conflicts(central) == []


def _period(site):
    """A period made where periods are made (central), sent on to the offices by the caller."""
    with site.db.transaction() as s:
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
        return period.id


def _final_evaluation(site, employee_id, status="final", *, central=None):
    period_id = _period(central or site)
    if central is not None:
        send(central, site)
    with site.db.transaction() as s:
        ev = Evaluation(employee_id=employee_id, period_id=period_id, status=status, predikat="Baik")
        s.add(ev)
        s.flush()
        return ev.id


@pytest.mark.parametrize("status, protected", [("final", True), ("draft", False)])
def test_a_final_evaluation_changed_by_a_site_that_does_not_own_it_goes_to_conflicts(sites, status, protected):
    central, office, org = sites
    ev_id = _final_evaluation(office, org["employees"][0], status, central=central)
    send(office, central)
    with central.db.transaction() as s:
        s.get(Evaluation, ev_id).predikat = "Sangat Kurang"
    result = send(central, office)
    with office.db.session() as s:
        predikat = s.get(Evaluation, ev_id).predikat
    if protected:
        assert predikat == "Baik"
        [c] = conflicts(office)
        assert c.reason == "protected" and c.winner == "local"
        assert c.incoming["row"]["predikat"] == "Sangat Kurang"
        assert result.stats.conflicts == 1
        with pytest.raises(SyncError):
            resolve_conflict(office.db, c.id, "incoming")
        resolve_conflict(office.db, c.id, "local")
        assert conflicts(office) == []
    else:
        assert predikat == "Sangat Kurang"
        assert conflicts(office) == []


def test_a_duplicate_nip_is_a_conflict_and_the_rest_applies(sites):
    central, office, org = sites
    with office.db.transaction() as s:
        unit_id = s.get(Employee, org["employees"][0]).unit_id
        s.add(Employee(nip="199505052020121001", name="Dari kantor", gender="L", unit_id=unit_id))
        s.get(Employee, org["employees"][1]).name = "Juga berubah"
    with central.db.transaction() as s:
        s.add(Employee(nip="199505052020121001", name="Dari pusat", gender="L"))
    result = central.import_bundle(office.export().data)
    assert result.stats.conflicts == 1
    [c] = conflicts(central)
    assert c.reason == "unique" and c.incoming["row"]["name"] == "Dari kantor"
    assert name_at(central, org["employees"][1]) == "Juga berubah"


@pytest.mark.parametrize("two_phase", [False, True])
def test_self_references_in_any_order_apply_on_both_fk_strategies(sites, two_phase):
    """A child row written before its parent in the bundle: SQLite pragma and PostgreSQL-style two passes."""
    central, office, _org = sites
    with office.db.transaction() as s:
        child_unit = Unit(code="ANAK", name="Anak", kind="bidang")
        s.add(child_unit)
        s.flush()
        child = Employee(nip="199001012015011999", name="Bawahan", gender="P", unit_id=child_unit.id)
        s.add(child)
        s.flush()
        parent_unit = Unit(code="INDUK", name="Induk", kind="opd")
        boss = Employee(nip="197001012000011999", name="Atasan", gender="L")
        s.add_all([parent_unit, boss])
        s.flush()
        child_unit.parent_id = parent_unit.id
        child.supervisor_id = boss.id
        boss.unit_id = parent_unit.id
    result = central.import_bundle(office.export().data, two_phase=two_phase)
    assert result.stats.applied == {"units": 2, "employees": 2}
    assert synced_rows(central.db, "employees") == synced_rows(office.db, "employees")
    assert synced_rows(central.db, "units") == synced_rows(office.db, "units")
    with central.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []


def test_an_office_receives_only_its_unit_subtree_and_what_it_refers_to(tmp_path):
    central = make_site(tmp_path / "central", "1504-BKPSDM", "BKPSDM", central=True)
    office = make_site(tmp_path / "office", "1504-PKM", "Puskesmas")
    try:
        mine = seed_org(central.db, units=2, employees_per_unit=2, prefix="DINKES")
        other = seed_org(central.db, units=2, employees_per_unit=2, prefix="DISDIK")
        with central.db.transaction() as s:
            target_unit = s.get(Unit, mine["units"][1])
            code = target_unit.code
        enroll_office(central, office, unit_code=code, whole_district=False)
        got = synced_rows(office.db, "employees")
        assert set(mine["employees"][2:]) <= set(got)  # the unit's own employees
        assert mine["employees"][0] in got  # their supervisor, from another unit (FK closure)
        assert not set(other["employees"]) & set(got)
        assert mine["root"] in synced_rows(office.db, "units")
        assert not set(other["units"]) & set(synced_rows(office.db, "units"))
        # Later changes follow the same scope.
        set_name(central, other["employees"][0], "Tidak untuk puskesmas")
        set_name(central, mine["employees"][3], "Untuk puskesmas")
        b = central.export(office.site_id)
        assert b.counts.get("employees") >= 1
        office.import_bundle(b.data)
        assert name_at(office, mine["employees"][3]) == "Untuk puskesmas"
        assert other["employees"][0] not in synced_rows(office.db, "employees")
    finally:
        central.close()
        office.close()


def test_attachments_travel_as_blobs(sites):
    central, office, org = sites
    data = b"%PDF-1.7 evaluasi bertanda tangan"
    sha = hashlib.sha256(data).hexdigest()
    blobs.store_blob(sha, data, office.blobs_dir)
    ev_id = _final_evaluation(office, org["employees"][0], "draft")
    with office.db.transaction() as s:
        s.get(Evaluation, ev_id).signed_file_sha256 = sha
    assert blobs.read_blob(sha, central.blobs_dir) is None
    send(office, central)
    assert blobs.read_blob(sha, central.blobs_dir) == data


def test_the_clock_absorbs_received_timestamps(sites):
    central, office, org = sites
    set_name(office, org["employees"][0], "x")
    b = office.export()
    central.import_bundle(b.data)
    assert Timestamp.parse(central.db.clock.now()) > Timestamp.parse(b.manifest["created_hlc"])


def test_clock_warning():
    assert clock_warning(None, today=date(2020, 1, 1)) is not None
    clock = HybridClock("S", wall=lambda: 1_000_000)
    clock.observe("0000002000000-00000-OTHER")
    assert "terlambat" in clock_warning(clock, today=date(2030, 1, 1))
    assert clock_warning(HybridClock("S"), today=date(2030, 1, 1)) is None


def _resign(bundle_data, src, dst, edit):
    """Open a bundle as dst, let ``edit`` change its lines, sign it again as src (a valid but bad bundle)."""
    import io
    import json
    import zipfile

    from pyrage import decrypt

    from kinerja_desktop.sync.bundle_writer import BundleContent, build_bundle
    from kinerja_desktop.sync.keys import load_keys

    plain = decrypt(bundle_data, [load_keys(dst.site_id, dst.keys_dir).identity])
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        lines = [json.loads(x) for x in zf.read("changes.jsonl").splitlines() if x]
    lines = edit(lines)
    counts = {}
    for c in lines:
        counts[c["table"]] = counts.get(c["table"], 0) + 1
    content = BundleContent(
        kind="changes",
        source_site=src.site_id,
        target_site=dst.site_id,
        created_hlc=manifest["created_hlc"],
        seq_from=manifest["seq_from"],
        seq_to=manifest["seq_to"],
        acks=manifest["acks"],
        counts=counts,
        changes="".join(json.dumps(c) + "\n" for c in lines).encode(),
    )
    recipient = load_keys(dst.site_id, dst.keys_dir).age_recipient
    return build_bundle(content, load_keys(src.site_id, src.keys_dir), recipient)[1]


def test_a_bundle_the_database_refuses_leaves_nothing(sites):
    central, office, org = sites
    set_name(office, org["employees"][0], "Ikut dibatalkan")
    with office.db.transaction() as s:
        ghost = Unit(code="HANTU", name="Hantu", kind="bidang")
        s.add(ghost)
        s.flush()
        s.add(Employee(nip="199901012020011777", name="Rujukan", gender="L", unit_id=ghost.id))
    bad = _resign(office.export().data, office, central, lambda lines: [c for c in lines if c["table"] != "units"])
    before = content_digest(central.db)
    with pytest.raises(SyncError) as info:
        central.import_bundle(bad)
    assert "merujuk data yang tidak ada" in info.value.message
    assert content_digest(central.db) == before
    assert name_at(central, org["employees"][0]) != "Ikut dibatalkan"
    # The good bundle still applies afterwards.
    assert central.import_bundle(office.export().data).status == "applied"
    assert name_at(central, org["employees"][0]) == "Ikut dibatalkan"
