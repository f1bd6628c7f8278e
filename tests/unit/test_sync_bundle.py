"""Bundle faults: every damaged, forged, misdirected or newer bundle is refused and changes nothing."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyrage import decrypt
from sqlalchemy import select

from kinerja_desktop.errors import UserError
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.sync import manifest as mf
from kinerja_desktop.sync.bundle_reader import parse
from kinerja_desktop.sync.bundle_writer import BundleContent, pack, seal
from kinerja_desktop.sync.conflicts import list_conflicts
from kinerja_desktop.sync.enrollment import revoke_site
from kinerja_desktop.sync.errors import BundleRefused
from kinerja_desktop.sync.keys import ensure_keys, load_keys
from kinerja_desktop.sync.sandbox import content_digest, enroll_office, make_site, seed_org, synced_rows


@pytest.fixture
def sites(tmp_path):
    central = make_site(tmp_path / "central", "1504-BKPSDM", "BKPSDM", central=True)
    office = make_site(tmp_path / "office", "1504-KEC-A", "Kecamatan A")
    seed_org(central.db, units=2, employees_per_unit=3)
    enroll_office(central, office)
    yield central, office
    central.close()
    office.close()


def _edit_at(site, name_suffix: str) -> None:
    with site.db.transaction() as s:
        for e in s.scalars(select(Employee).limit(3)):
            e.name = f"{e.name} {name_suffix}"


@pytest.fixture
def bundle(sites):
    central, office = sites
    _edit_at(office, "diedit")
    return office.export()


def _refused(site, data: bytes) -> BundleRefused:
    before = content_digest(site.db)
    with pytest.raises(BundleRefused) as info:
        site.import_bundle(data)
    assert content_digest(site.db) == before
    assert info.value.message and "\n" not in info.value.message
    return info.value


def test_applied_then_the_same_bundle_twice_is_already_received(sites, bundle):
    central, _office = sites
    first = central.import_bundle(bundle.data)
    assert first.status == "applied" and first.stats.applied == {"employees": 3}
    data_after = content_digest(central.db, data_only=True)
    again = central.import_bundle(bundle.data)
    assert again.status == "duplicate"
    assert "sudah diterima" in again.message
    assert again.ack is not None  # a lost ack can be made again
    assert content_digest(central.db, data_only=True) == data_after


def test_a_byte_changed_anywhere_is_refused(sites, bundle):
    central, _office = sites
    data = bundle.data
    positions = sorted(
        {0, 1, 21, 22, 40, 80, len(data) - 1, len(data) - 17} | set(range(0, len(data), max(1, len(data) // 60)))
    )
    for pos in positions:
        damaged = bytearray(data)
        damaged[pos] ^= 0x01
        _refused(central, bytes(damaged))
    assert central.import_bundle(data).status == "applied"


def test_a_truncated_bundle_is_refused(sites, bundle):
    central, _office = sites
    for cut in (0, 10, 100, len(bundle.data) // 2, len(bundle.data) - 1):
        _refused(central, bundle.data[:cut])
    assert central.import_bundle(bundle.data).status == "applied"


def _plain(site, data: bytes) -> bytes:
    return decrypt(data, [load_keys(site.site_id, site.keys_dir).identity])


def _rezip(plain: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return out.getvalue()


def test_tampered_content_re_encrypted_to_the_target_is_refused(sites, bundle):
    """age authenticates nothing about the sender: the signature and hashes must catch this."""
    central, office = sites
    plain = _plain(central, bundle.data)
    recipient = load_keys(central.site_id, central.keys_dir).age_recipient
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        changes = zf.read(mf.CHANGES_FILE)
        manifest = json.loads(zf.read(mf.MANIFEST_FILE))
    forged_changes = changes.replace(b"diedit", b"DIEDIT")
    err = _refused(central, seal(_rezip(plain, {mf.CHANGES_FILE: forged_changes}), recipient))
    assert "rusak" in err.message
    manifest["counts"]["employees"] = 1
    forged_manifest = mf.dumps(manifest)
    err = _refused(central, seal(_rezip(plain, {mf.MANIFEST_FILE: forged_manifest}), recipient))
    assert "Tanda tangan" in err.message
    # Signed by someone else's key (the attacker re-signs the manifest).
    other = ensure_keys("1504-PALSU-XXXX", office.folder / "attacker")
    resigned = {mf.MANIFEST_FILE: forged_manifest, mf.SIGNATURE_FILE: other.sign(forged_manifest)}
    err = _refused(central, seal(_rezip(plain, resigned), recipient))
    assert "Tanda tangan" in err.message
    # An extra file not in the manifest.
    out = io.BytesIO()
    out.write(plain)
    with zipfile.ZipFile(out, "a") as zf:
        zf.writestr("blobs/" + "0" * 64, b"extra")
    _refused(central, seal(out.getvalue(), recipient))


def test_a_bundle_for_another_site_is_refused(sites, tmp_path):
    central, office = sites
    office_b = make_site(tmp_path / "office-b", "1504-KEC-B", "Kecamatan B")
    try:
        enroll_office(central, office_b)
        to_a = central.export(office.site_id)
        err = _refused(office_b, to_a.data)
        assert "tidak ditujukan untuk situs ini" in err.message
        # Encrypted to B but addressed to A inside (signed by the real central key).
        keys = load_keys(central.site_id, central.keys_dir)
        content = BundleContent(
            kind="changes", source_site=central.site_id, target_site=office.site_id, created_hlc=central.db.clock.now()
        )
        _m, plain = pack(content, keys)
        err = _refused(office_b, seal(plain, load_keys(office_b.site_id, office_b.keys_dir).age_recipient))
        assert office.site_id in err.message
    finally:
        office_b.close()


def test_a_bundle_from_an_unknown_site_is_refused(sites, tmp_path):
    central, office = sites
    stranger = make_site(tmp_path / "stranger", "1504-ASING", "Asing")
    try:
        keys = load_keys(stranger.site_id, stranger.keys_dir)
        content = BundleContent(
            kind="changes",
            source_site=stranger.site_id,
            target_site=central.site_id,
            created_hlc=stranger.db.clock.now(),
        )
        _m, plain = pack(content, keys)
        err = _refused(central, seal(plain, load_keys(central.site_id, central.keys_dir).age_recipient))
        assert "tidak terdaftar" in err.message
    finally:
        stranger.close()


def test_a_bundle_from_a_revoked_site_is_refused(sites, bundle):
    central, _office = sites
    revoke_site(central.db, bundle.manifest["source_site"])
    err = _refused(central, bundle.data)
    assert "dicabut" in err.message


def _forge(central, office, **changes) -> bytes:
    """A bundle from the office to the central site with manifest fields changed, properly signed."""
    keys = load_keys(office.site_id, office.keys_dir)
    content = BundleContent(
        kind="changes", source_site=office.site_id, target_site=central.site_id, created_hlc=office.db.clock.now()
    )
    manifest, plain = pack(content, keys)
    manifest.update(changes)
    raw = mf.dumps(manifest)
    return seal(
        _rezip(plain, {mf.MANIFEST_FILE: raw, mf.SIGNATURE_FILE: keys.sign(raw)}),
        load_keys(central.site_id, central.keys_dir).age_recipient,
    )


def test_a_newer_format_or_schema_is_refused_with_upgrade_advice(sites):
    central, office = sites
    err = _refused(central, _forge(central, office, format_version=mf.FORMAT_VERSION + 1))
    assert "perbarui Kinerja Desktop" in err.message
    err = _refused(central, _forge(central, office, schema_version="9999"))
    assert "perbarui Kinerja Desktop" in err.message
    # The control: the same forgery with nothing changed is accepted.
    assert central.import_bundle(_forge(central, office)).status == "applied"


def test_a_bad_value_is_refused_with_its_reason_and_the_rest_of_the_bundle_applies(sites):
    central, office = sites
    keys = load_keys(office.site_id, office.keys_dir)
    with central.db.session() as s:
        emp = s.scalars(select(Employee)).first()
        unit_id = emp.unit_id
    before = synced_rows(central.db, "employees")[emp.id]
    good = {
        "table": "employees",
        "id": "new-row-1",
        "hlc": office.db.clock.now(),
        "origin_site": office.site_id,
        "deleted": False,
        "row": {
            "nip": "199901012020011001",
            "name": "Baru",
            "gender": "L",
            "birth_date": "1999-01-01",
            "unit_id": unit_id,
        },
    }
    bad = {
        "table": "employees",
        "id": emp.id,
        "hlc": office.db.clock.now(),
        "origin_site": emp.origin_site,
        "deleted": False,
        "row": {"nip": emp.nip, "name": "X", "gender": "L", "birth_date": "bukan tanggal"},
    }
    lines = (json.dumps(good) + "\n" + json.dumps(bad) + "\n").encode()
    content = BundleContent(
        kind="changes",
        source_site=office.site_id,
        target_site=central.site_id,
        created_hlc=office.db.clock.now(),
        counts={"employees": 2},
        changes=lines,
    )
    _m, plain = pack(content, keys)
    result = central.import_bundle(seal(plain, load_keys(central.site_id, central.keys_dir).age_recipient))
    assert result.stats.applied == {"employees": 1} and result.stats.refused == 1
    assert "ditolak" in result.message
    rows = synced_rows(central.db, "employees")
    assert rows[emp.id] == before and "new-row-1" in rows
    with central.db.session() as s:
        [c] = list_conflicts(s)
    assert c.reason == "invalid" and c.row_id == emp.id and "employees" in c.incoming["refused"]


# -- fuzzing --------------------------------------------------------------------------------------------


def _never_called(_manifest):  # pragma: no cover - only reached by a manifest that parsed
    raise BundleRefused("unknown")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096))
def test_fuzz_any_plaintext_is_a_clear_refusal(data):
    with pytest.raises(UserError):
        parse(data, local_site="X", key_for=_never_called)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_fuzz_mutated_plaintext_zip_is_refused_or_identical(sites, data):
    central, office = sites
    keys = load_keys(office.site_id, office.keys_dir)
    if not hasattr(test_fuzz_mutated_plaintext_zip_is_refused_or_identical, "plain"):
        _edit_at(office, "fuzz")
        test_fuzz_mutated_plaintext_zip_is_refused_or_identical.plain = _plain(central, office.export().data)
    plain = test_fuzz_mutated_plaintext_zip_is_refused_or_identical.plain
    key_for = lambda m: keys.sign_key  # noqa: E731
    original = parse(plain, local_site=central.site_id, key_for=key_for)
    mutated = bytearray(plain)
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(mutated) - 1))
        mutated[pos] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        mutated = mutated[: data.draw(st.integers(0, len(mutated)))]
    try:
        got = parse(bytes(mutated), local_site=central.site_id, key_for=key_for)
    except UserError:
        return
    # A change in ZIP bookkeeping (timestamps, attributes) may leave the content intact: then it must be identical.
    assert got.manifest == original.manifest and got.changes == original.changes and got.blobs == original.blobs


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2048))
def test_fuzz_import_of_any_bytes_refuses_and_writes_nothing(sites, data):
    central, _office = sites
    before = content_digest(central.db)
    with pytest.raises(UserError):
        central.import_bundle(b"age-encryption.org/v1\n" + data if data[:1] == b"\x00" else data)
    assert content_digest(central.db) == before
