"""``kinerja db status|encrypt|rekey|recovery|unlock`` on real files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from kinerja_desktop.cli import main
from kinerja_desktop.store import keystore
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.encryption import SQLITE_MAGIC, is_plain, sidecar_path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "schemas"
CODE = re.compile(r"[0-9A-Z]{5}(?:-[0-9A-Z]{5}){4}")


def code_in(text: str) -> str:
    found = CODE.findall(text)
    assert found, text
    return found[-1]


def test_status_encrypt_recovery_rekey_and_unlock(tmp_path, capsys, monkeypatch):
    home = tmp_path / "data"
    home.mkdir()
    db = home / "kinerja.sqlite3"
    shutil.copy(FIXTURES / "0004.sqlite3", db)
    base = ["--data-dir", str(home)]

    assert main([*base, "db", "status"]) == 0
    out = capsys.readouterr().out
    assert "TIDAK" in out and "kinerja db encrypt" in out

    assert main([*base, "db", "encrypt"]) == 0
    first = code_in(capsys.readouterr().out)
    assert not is_plain(db)
    assert main([*base, "db", "encrypt"]) == 0
    assert "sudah terenkripsi" in capsys.readouterr().out

    assert main([*base, "db", "status"]) == 0
    out = capsys.readouterr().out
    assert "Enkripsi: ya" in out and "KINERJA_DB_KEY" in out and "0 polos" in out

    assert main([*base, "db", "recovery"]) == 0
    second = code_in(capsys.readouterr().out)
    assert second != first
    assert main([*base, "db", "unlock", "--recovery-code", first]) == 2
    assert "sudah diganti" in capsys.readouterr().out

    assert main([*base, "db", "rekey"]) == 0
    third = code_in(capsys.readouterr().out)
    assert main([*base, "db", "unlock", "--recovery-code", second]) == 2

    # On a new PC (another key store), the copied pair opens with the newest code only.
    new_pc = tmp_path / "pc-baru"
    new_pc.mkdir()
    shutil.copy(db, new_pc / "kinerja.sqlite3")
    shutil.copy(sidecar_path(db), sidecar_path(new_pc / "kinerja.sqlite3"))
    monkeypatch.setenv(keystore.ENV_KEY, "77" * 32)
    keystore.reset()
    assert main(["--data-dir", str(new_pc), "audit", "verify"]) == 1
    assert "kinerja db unlock --recovery-code" in capsys.readouterr().err
    monkeypatch.delenv(keystore.ENV_KEY)
    monkeypatch.setenv(keystore.ENV_PASSPHRASE, "frasa sandi pc baru")
    keystore.reset()
    assert main(["--data-dir", str(new_pc), "db", "unlock", "--recovery-code", third]) == 0
    assert "berkas kunci berfrasa sandi" in capsys.readouterr().out
    assert main(["--data-dir", str(new_pc), "audit", "verify"]) == 0


def test_a_new_database_made_by_a_command_prints_its_recovery_code(tmp_path, capsys):
    home = tmp_path / "data"
    assert main(["--data-dir", str(home), "demo", "--employees", "5", "--roster-only"]) == 0
    err = capsys.readouterr().err
    assert "KODE PEMULIHAN" in err and code_in(err)
    with open(home / "kinerja.sqlite3", "rb") as fh:
        assert fh.read(16) != SQLITE_MAGIC


def test_the_central_on_postgresql_is_out_of_scope(tmp_path, capsys):
    assert main(["--db", "postgresql://nobody@127.0.0.1:1/none", "db", "status"]) == 2
    assert "docs/central-server.md" in capsys.readouterr().err


def test_status_of_a_database_opened_elsewhere_says_the_key_is_missing(tmp_path, capsys, monkeypatch):
    home = tmp_path / "data"
    open_database(home / "kinerja.sqlite3").close()
    monkeypatch.setenv(keystore.ENV_KEY, "99" * 32)
    keystore.reset()
    assert main(["--data-dir", str(home), "db", "status"]) == 0
    assert "TIDAK ADA di komputer ini" in capsys.readouterr().out
