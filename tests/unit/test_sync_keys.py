"""Site identity, keys, enrollment requests, and the self-test step."""

from __future__ import annotations

import json
import stat

import pytest
from sqlalchemy import select

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.sync.enrollment import enroll, init_site, make_request, parse_request
from kinerja_desktop.sync.errors import SyncError
from kinerja_desktop.sync.keys import ensure_keys, load_keys, verify
from kinerja_desktop.sync.sandbox import make_site, seed_org
from kinerja_desktop.sync.selftest_step import run_sync_selftest
from kinerja_desktop.sync.tables import site_of


def test_keys_are_private_and_stable(tmp_path):
    keys = ensure_keys("1504-X-AAAA", tmp_path)
    folder = tmp_path / "1504-X-AAAA"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for f in folder.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
    again = load_keys("1504-X-AAAA", tmp_path)
    assert again.sign_key == keys.sign_key and again.age_recipient == keys.age_recipient
    sig = keys.sign(b"data")
    assert verify(keys.sign_key, b"data", sig)
    assert not verify(keys.sign_key, b"datA", sig)
    assert not verify(ensure_keys("1504-Y-BBBB", tmp_path).sign_key, b"data", sig)


def test_missing_keys_are_a_clear_error(tmp_path):
    with pytest.raises(SyncError, match="tidak ditemukan"):
        load_keys("1504-NONE-ZZZZ", tmp_path)


def test_site_init_gives_the_id_and_restamps_earlier_rows(tmp_path):
    db = open_database(tmp_path / "k.sqlite3")
    try:
        seed_org(db, units=1, employees_per_unit=2)
        old = db.site_id
        site = init_site(db, "1504-dukcapil", "Dukcapil", keys_dir=tmp_path / "keys")
        assert site.id.startswith("1504-DUKCAPIL-") and db.site_id == site.id
        with db.session() as s:
            for e in s.scalars(select(Employee)):
                assert e.origin_site == site.id and site_of(e.updated_hlc) == site.id
            assert all(not h.endswith(old) for h in s.scalars(select(ChangeLog.hlc)))
        again = init_site(db, "1504-DUKCAPIL", "Dinas Dukcapil", keys_dir=tmp_path / "keys")
        assert again.id == site.id and again.name == "Dinas Dukcapil"
        with pytest.raises(SyncError, match="sudah diinisialisasi"):
            init_site(db, "1504-LAIN", "Lain", keys_dir=tmp_path / "keys")
        with pytest.raises(UnusableInput):
            init_site(db, "kode salah!", "X", keys_dir=tmp_path / "keys")
    finally:
        db.close()


def test_a_request_is_self_signed_and_tampering_is_refused(tmp_path):
    office = make_site(tmp_path / "o", "1504-KEC-A", "Kecamatan A")
    central = make_site(tmp_path / "c", "1504-BKPSDM", "BKPSDM", central=True)
    try:
        req = make_request(office.db, office.keys_dir)
        parsed = parse_request(json.dumps(req).encode())
        assert parsed.site_id == office.site_id
        forged = dict(req, name="Kantor Palsu")
        with pytest.raises(UnusableInput):
            parse_request(json.dumps(forged).encode())
        with pytest.raises(UnusableInput):
            parse_request(b"\x00\x01 not json")
        with pytest.raises(SyncError, match="hanya untuk kantor pusat"):
            enroll(office.db, parsed, keys_dir=office.keys_dir)
        with pytest.raises(SyncError, match="--unit"):
            enroll(central.db, parsed, keys_dir=central.keys_dir)  # unit 1504-KEC-A does not exist
        bundle = enroll(central.db, parsed, whole_district=True, keys_dir=central.keys_dir)
        assert bundle.kind == "enrollment"
        # The same office with other keys cannot be enrolled over the pinned ones.
        other = dict(req)
        other_keys = ensure_keys("other", tmp_path / "other")
        other.update(sign_key=other_keys.sign_key, age_recipient=other_keys.age_recipient)
        other.pop("signature")
        import base64

        from kinerja_desktop.sync.enrollment import _canonical

        other["signature"] = base64.b64encode(other_keys.sign(_canonical(other))).decode()
        with pytest.raises(SyncError, match="kunci lain"):
            enroll(
                central.db, parse_request(json.dumps(other).encode()), whole_district=True, keys_dir=central.keys_dir
            )
    finally:
        office.close()
        central.close()


def test_the_selftest_step(tmp_path):
    run_sync_selftest(tmp_path)
