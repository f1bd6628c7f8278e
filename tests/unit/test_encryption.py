"""The database encrypted at rest: keys, recovery codes, upgrades of plain files, bad input.

Real SQLCipher files throughout; keys live in the environment's master secret (as in CI),
in a real keyring backend (keyrings.alt's file keyring, chosen explicitly as a user can),
or in the real passphrase key file.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kinerja_desktop.store import encryption, keystore, rekey
from kinerja_desktop.store.backup import backup_database, list_backups
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.encryption import (
    SQLITE_MAGIC,
    KeyMissing,
    NewerKeyFile,
    WrongRecoveryCode,
    open_raw,
    sidecar_path,
)
from kinerja_desktop.store.models import Employee, Unit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "schemas"


def head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(len(SQLITE_MAGIC))


def make_db(path: Path, units: int = 1) -> str:
    """A new encrypted database with ``units`` rows; returns its recovery code."""
    db = open_database(path)
    code = db.encryption.recovery_code
    with db.transaction() as s:
        for i in range(units):
            s.add(Unit(code=f"U{i}", name=f"Unit {i}"))
    db.close()
    return code


def unit_count(path: Path) -> int:
    db = open_database(path, create=False)
    try:
        with db.session() as s:
            return s.scalar(select(func.count()).select_from(Unit))
    finally:
        db.close()


def use_master(monkeypatch, hex_key: str | None) -> None:
    if hex_key is None:
        monkeypatch.delenv(keystore.ENV_KEY, raising=False)
    else:
        monkeypatch.setenv(keystore.ENV_KEY, hex_key)
    keystore.reset()


def use_file_keyring(monkeypatch, folder: Path) -> None:
    """keyrings.alt's file keyring under ``folder`` (another folder: another user's store)."""
    use_master(monkeypatch, None)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    keystore.reset()


# --- a new database --------------------------------------------------------------------------


def test_a_new_database_is_encrypted_owner_only_and_reopens(data_home):
    path = data_home / "kinerja.sqlite3"
    code = make_db(path, units=3)
    assert head(path) != SQLITE_MAGIC and path.stat().st_size > 0
    assert len(encryption.normalize_code(code)) == 25
    for item in (path, sidecar_path(path)):
        assert stat.S_IMODE(item.stat().st_mode) == 0o600, item
    assert stat.S_IMODE(data_home.stat().st_mode) == 0o700
    assert unit_count(path) == 3
    side = sidecar_path(path).read_text()
    assert code not in side and encryption.database_key(path).hex() not in side


def test_the_plain_sqlite_module_cannot_read_it(data_home):
    import sqlite3

    path = data_home / "kinerja.sqlite3"
    make_db(path)
    con = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        con.execute("SELECT * FROM units").fetchall()
    con.close()


# --- wrong and missing keys --------------------------------------------------------------------


def test_a_wrong_key_is_a_sentence_and_changes_nothing(data_home, monkeypatch):
    path = data_home / "kinerja.sqlite3"
    make_db(path)
    before = path.read_bytes()
    use_master(monkeypatch, "ab" * 32)
    with pytest.raises(KeyMissing, match="kunci salah"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_wiped_keyring_then_the_recovery_code(data_home, monkeypatch, tmp_path):
    use_file_keyring(monkeypatch, tmp_path / "store-a")
    path = data_home / "kinerja.sqlite3"
    code = make_db(path, units=2)
    keyring_file = tmp_path / "store-a" / "python_keyring" / "keyring_pass.cfg"
    assert keyring_file.exists() and encryption.read_keyinfo(path).key_id in keyring_file.read_text()
    keyring_file.unlink()  # the store was wiped (a new Windows profile, a reinstalled OS)
    keystore.reset()
    with pytest.raises(KeyMissing, match="tidak ada di komputer ini") as err:
        open_database(path)
    assert "kinerja db unlock --recovery-code" in err.value.message
    rekey.unlock(path, code)
    assert unit_count(path) == 2


def test_another_users_store_has_no_key(data_home, monkeypatch, tmp_path):
    use_file_keyring(monkeypatch, tmp_path / "user-a")
    path = data_home / "kinerja.sqlite3"
    make_db(path)
    use_file_keyring(monkeypatch, tmp_path / "user-b")
    with pytest.raises(KeyMissing, match="pengguna Windows lain"):
        open_database(path)


def test_the_passphrase_key_file_where_no_store_exists(data_home, monkeypatch):
    use_master(monkeypatch, None)  # and the OS keyring is off (conftest): the key file it is
    monkeypatch.setenv(keystore.ENV_PASSPHRASE, "frasa sandi kantor")
    path = data_home / "kinerja.sqlite3"
    make_db(path, units=1)
    vault = keystore.vault_path()
    assert vault.parent == data_home / "keys"
    assert stat.S_IMODE(vault.stat().st_mode) == 0o600
    assert encryption.database_key(path).hex() not in vault.read_text()
    monkeypatch.setenv(keystore.ENV_PASSPHRASE, "frasa yang salah")
    keystore.reset()
    with pytest.raises(keystore.WrongPassphrase, match="salah"):
        open_database(path)
    monkeypatch.delenv(keystore.ENV_PASSPHRASE)
    keystore.reset()
    with pytest.raises(keystore.PassphraseNeeded, match="KINERJA_DB_PASSPHRASE"):
        open_database(path)
    keystore.set_session_passphrase("frasa sandi kantor")  # as the window does after asking
    assert unit_count(path) == 1


# --- recovery codes -----------------------------------------------------------------------------


def test_moving_to_a_new_pc_with_the_recovery_code(data_home, monkeypatch, tmp_path):
    path = data_home / "kinerja.sqlite3"
    code = make_db(path, units=4)
    new_pc = tmp_path / "pc-baru"
    new_pc.mkdir()
    shutil.copy(path, new_pc / "kinerja.sqlite3")
    shutil.copy(sidecar_path(path), sidecar_path(new_pc / "kinerja.sqlite3"))
    monkeypatch.setenv("KINERJA_HOME", str(new_pc))
    use_file_keyring(monkeypatch, tmp_path / "pc-baru-store")
    moved = new_pc / "kinerja.sqlite3"
    with pytest.raises(KeyMissing):
        open_database(moved)
    with pytest.raises(WrongRecoveryCode, match="salah"):
        rekey.unlock(moved, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE")
    with pytest.raises(WrongRecoveryCode, match="lima kelompok"):
        rekey.unlock(moved, "123")
    rekey.unlock(moved, code.lower().replace("-", " "))  # typed loosely: still the code
    assert unit_count(moved) == 4


def test_a_new_recovery_code_retires_the_old_one(data_home):
    path = data_home / "kinerja.sqlite3"
    old = make_db(path)
    new = rekey.new_recovery(path)
    assert new != old
    with pytest.raises(WrongRecoveryCode, match="sudah diganti"):
        rekey.unlock(path, old)
    rekey.unlock(path, new)


def test_rekey_changes_the_key_keeps_the_data_and_rekeys_backups(data_home):
    path = data_home / "kinerja.sqlite3"
    old_code = make_db(path, units=5)
    backup = backup_database(path, data_home / "backups", label="uji")
    old_key = encryption.database_key(path)
    report = rekey.rekey(path)
    new_key = encryption.database_key(path)
    assert new_key != old_key and not encryption.key_opens(path, old_key)
    assert report.backups_encrypted == [backup] and encryption.key_opens(backup, new_key)
    assert unit_count(path) == 5
    with pytest.raises(WrongRecoveryCode, match="sudah diganti"):
        rekey.unlock(path, old_code)
    rekey.unlock(path, report.recovery_code)


# --- older and newer files ---------------------------------------------------------------------


def test_a_plain_database_from_an_older_version_is_encrypted_after_a_backup(data_home):
    data_home.mkdir(parents=True, exist_ok=True)
    path = data_home / "kinerja.sqlite3"
    shutil.copy(FIXTURES / "0003.sqlite3", path)
    backups = data_home / "backups"
    backups.mkdir()
    old_backup = backups / "kinerja-20250101-000000-000000-lama.sqlite3"
    shutil.copy(FIXTURES / "0003.sqlite3", old_backup)  # a plain backup an older version made
    seen = []
    db = open_database(path, on_progress=seen.append)
    try:
        report = db.encryption
        with db.session() as s:
            assert s.scalar(select(Employee.name).where(Employee.nip == "197503122000031002"))
    finally:
        db.close()
    assert report.recovery_code and report.backups_encrypted == [old_backup]
    assert seen and seen[-1].done == seen[-1].total
    plain_left = [p for p in data_home.rglob("*") if p.is_file() and head(p) == SQLITE_MAGIC]
    assert plain_left == []
    assert not any(p.name.endswith(rekey.OLD_PLAIN_SUFFIX) for p in data_home.rglob("*"))
    con = open_raw(old_backup)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0003"
    con.close()


def test_a_key_file_from_a_newer_version_is_refused_unchanged(data_home):
    path = data_home / "kinerja.sqlite3"
    make_db(path)
    side = sidecar_path(path)
    doc = json.loads(side.read_text())
    doc["format"], doc["cipher"] = 2, "sqlcipher5"
    side.write_text(json.dumps(doc))
    before = path.read_bytes()
    with pytest.raises(NewerKeyFile, match="versi Kinerja Desktop yang lebih baru"):
        open_database(path)
    assert path.read_bytes() == before


def test_an_encrypted_database_with_a_newer_schema_is_refused_unchanged(data_home):
    path = data_home / "kinerja.sqlite3"
    make_db(path)
    con = open_raw(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(Exception, match="versi Kinerja Desktop yang lebih baru"):
        open_database(path)
    assert path.read_bytes() == before


def test_an_encrypted_file_without_its_key_file_is_a_sentence(data_home):
    path = data_home / "kinerja.sqlite3"
    make_db(path)
    sidecar_path(path).unlink()
    with pytest.raises(Exception, match="berkas kuncinya"):
        open_database(path)


def test_backups_are_encrypted_and_carry_the_key_file(data_home):
    path = data_home / "kinerja.sqlite3"
    make_db(path, units=2)
    backup = backup_database(path, data_home / "backups", label="uji")
    assert head(backup) != SQLITE_MAGIC
    assert sidecar_path(backup).exists()
    assert list_backups(data_home / "backups", "kinerja") == [backup]
    con = open_raw(backup)
    assert con.execute("SELECT count(*) FROM units").fetchone()[0] == 2
    con.close()


def test_plain_databases_stay_plain_when_asked(data_home):
    path = data_home / "polos.sqlite3"
    db = open_database(path, encrypt=False)
    db.close()
    assert head(path) == SQLITE_MAGIC and not sidecar_path(path).exists()


def test_site_keys_and_the_ca_key_are_sealed(data_home):
    from kinerja_desktop.reports import certs
    from kinerja_desktop.store import sealed
    from kinerja_desktop.sync import keys

    make_db(data_home / "kinerja.sqlite3")
    site = keys.ensure_keys("1504-UJI-AAAA")
    folder = keys.site_keys_dir("1504-UJI-AAAA")
    for name in (keys.SIGNING_FILE, keys.IDENTITY_FILE):
        raw = (folder / name).read_bytes()
        assert sealed.is_sealed(raw) and b"PRIVATE KEY" not in raw and b"AGE-SECRET-KEY" not in raw
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert keys.load_keys("1504-UJI-AAAA").sign_key == site.sign_key
    cert, key = certs.create_ca()
    certs.save_ca(cert, key, "sandi-ca-uji")
    assert sealed.is_sealed(certs.ca_key_path().read_bytes())
    assert certs.load_ca("sandi-ca-uji")[0] == cert


def test_plain_site_keys_of_an_older_version_are_sealed_on_first_use(data_home):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from pyrage import x25519

    from kinerja_desktop.store import sealed
    from kinerja_desktop.sync import keys

    folder = keys.site_keys_dir("1504-LAMA-AAAA")
    folder.mkdir(parents=True)
    (folder / keys.SIGNING_FILE).write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (folder / keys.IDENTITY_FILE).write_text(str(x25519.Identity.generate()) + "\n")
    first = keys.load_keys("1504-LAMA-AAAA")
    assert sealed.is_sealed((folder / keys.SIGNING_FILE).read_bytes())
    assert keys.load_keys("1504-LAMA-AAAA").sign_key == first.sign_key


def test_a_sealed_key_file_without_its_key_is_a_sentence(data_home, monkeypatch):
    from kinerja_desktop.sync import keys
    from kinerja_desktop.sync.errors import SyncError

    keys.ensure_keys("1504-UJI-BBBB")
    use_master(monkeypatch, "cd" * 32)  # another PC's store
    with pytest.raises(SyncError, match="kode pemulihan"):
        keys.load_keys("1504-UJI-BBBB")


def test_the_recovery_code_also_brings_the_key_files(data_home, monkeypatch, tmp_path):
    from kinerja_desktop.sync import keys

    path = data_home / "kinerja.sqlite3"
    code = make_db(path)
    keys.ensure_keys("1504-UJI-CCCC")
    use_file_keyring(monkeypatch, tmp_path / "pc-baru-store")  # the same folder, on a new PC
    rekey.unlock(path, code)
    assert keys.load_keys("1504-UJI-CCCC").site_id == "1504-UJI-CCCC"


def test_environment_key_must_be_64_hex_digits(data_home, monkeypatch):
    use_master(monkeypatch, "1234")
    with pytest.raises(keystore.KeyStoreError, match="64 digit"):
        open_database(data_home / "kinerja.sqlite3")
    assert not (data_home / "kinerja.sqlite3").exists() or os.path.getsize(data_home / "kinerja.sqlite3") == 0


def test_a_damaged_or_huge_key_file_is_a_sentence_and_changes_nothing(data_home):
    path = data_home / "kinerja.sqlite3"
    make_db(path)
    before = path.read_bytes()
    for junk in (b"{not json", b"[1, 2, 3]", b" " * (encryption.MAX_KEY_FILE + 1)):
        sidecar_path(path).write_bytes(junk)
        with pytest.raises(Exception, match="rusak"):
            open_database(path)
        assert path.read_bytes() == before
