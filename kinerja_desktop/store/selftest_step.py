"""The encryption step of ``kinerja selftest``: SQLCipher is in this build and works.

Opens, writes and re-opens an encrypted database, checks that the file on disk is not
plain SQLite and that a wrong key is refused; then does the same with the key kept in a
passphrase key file (the fallback where the OS has no key store).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import func, select

from kinerja_desktop import paths
from kinerja_desktop.store import encryption, keystore
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.encryption import SQLITE_MAGIC, key_opens
from kinerja_desktop.store.org import Unit


def _round_trip(path: Path) -> None:

    db = open_database(path)
    try:
        if not db.encrypted:
            raise AssertionError("a new database was not encrypted")
        with db.transaction() as s:
            s.add(Unit(code="UJI-ENKRIPSI", name="Uji enkripsi"))
    finally:
        db.close()
    with path.open("rb") as fh:
        if fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC:
            raise AssertionError(f"{path.name} starts with 'SQLite format 3': not encrypted")
    if key_opens(path, os.urandom(32)):
        raise AssertionError("a wrong key opened the database")
    db = open_database(path, create=False)
    try:
        with db.session() as s:
            if s.scalar(select(func.count()).select_from(Unit).where(Unit.code == "UJI-ENKRIPSI")) != 1:
                raise AssertionError("the row written before re-opening is missing")
    finally:
        db.close()


def run_encryption_selftest(workdir: str | Path) -> str:

    root = Path(workdir)
    _round_trip(root / "terenkripsi.sqlite3")
    saved = {k: os.environ.get(k) for k in (keystore.ENV_KEY, keystore.ENV_PASSPHRASE, "PYTHON_KEYRING_BACKEND")}
    try:  # the key-file fallback, as on a PC without an OS key store
        os.environ.pop(keystore.ENV_KEY, None)
        os.environ[keystore.ENV_PASSPHRASE] = "uji-mandiri-" + os.urandom(6).hex()
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        keystore.reset()
        paths.set_data_dir(root / "berkas-kunci")
        _round_trip(root / "berkas-kunci" / "kinerja.sqlite3")
        if not keystore.vault_path().exists():
            raise AssertionError("the key file was not written")
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        keystore.reset()
    return f"SQLCipher {encryption.sqlcipher().sqlite_version}"
