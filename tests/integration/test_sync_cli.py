"""Two offices and a central site, each its own data folder, exchanging bundles through the CLI;
and an import killed with SIGKILL inside its transaction leaves the database intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from kinerja_desktop.store import encryption
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.encryption import open_raw
from kinerja_desktop.sync.sandbox import content_digest, seed_org

# Each test starts real program processes for two offices and the central site (30 s and more).
pytestmark = pytest.mark.slow


def kinerja(home: Path, *args: str, env: dict | None = None, check: int | None = 0) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "kinerja_desktop", "--data-dir", str(home), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    if check is not None:
        assert proc.returncode == check, (proc.returncode, proc.stdout, proc.stderr)
    return proc


def edit_names(home: Path, suffix: str, limit: int | None = None) -> None:
    db = open_database(home / "kinerja.sqlite3")
    try:
        with db.transaction() as s:
            for e in s.scalars(select(Employee).order_by(Employee.nip).limit(limit)):
                e.name = f"{e.name.split(' ~')[0]} ~{suffix}"
    finally:
        db.close()


def digest(home: Path) -> str:
    db = open_database(home / "kinerja.sqlite3")
    try:
        return content_digest(db)
    finally:
        db.close()


def a_position(db) -> str:
    """A position the office has from the central office (offices do not make positions)."""
    from kinerja_desktop.store.org import Position

    with db.session() as s:
        return s.scalar(select(Position.id).order_by(Position.name).limit(1))


def central_fingerprint(central: Path) -> str:
    """What BKPSDM reads out: the fingerprint ``sync status`` shows at the central office."""
    out = kinerja(central, "sync", "status").stdout
    return next(line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("Sidik jari kunci:"))


def make_district(tmp_path, offices=("1504-KEC-A", "1504-KEC-B")):
    central = tmp_path / "pusat"
    homes = [tmp_path / code.lower() for code in offices]
    kinerja(central, "site", "init", "--code", "1504-BKPSDM", "--name", "BKPSDM Batanghari", "--central")
    db = open_database(central / "kinerja.sqlite3")
    seed_org(db, units=2, employees_per_unit=4, prefix="DINKES")
    db.close()
    for home, code in zip(homes, offices, strict=False):
        kinerja(home, "site", "init", "--code", code, "--name", f"Kantor {code}")
        kinerja(home, "site", "request", "-o", str(tmp_path / f"{code}.json"))
        out = kinerja(
            central,
            "central",
            "enroll",
            str(tmp_path / f"{code}.json"),
            "-o",
            str(tmp_path / f"{code}.kinerja"),
            "--semua",
            "--server",
            "https://pusat.example",
        )
        assert "terdaftar" in out.stdout
        fp = central_fingerprint(central)
        out = kinerja(home, "sync", "import", str(tmp_path / f"{code}.kinerja"), "--fingerprint", fp)
        assert "diterapkan" in out.stdout
        kinerja(central, "sync", "import", str(tmp_path / f"{code}.ack.kinerja"))
    return tmp_path, central, *homes


@pytest.fixture
def district(tmp_path):
    return make_district(tmp_path)


def test_two_offices_and_the_central_site_exchange_bundles(district):
    tmp, central, a, b = district
    edit_names(a, "dari-a", limit=2)
    kinerja(a, "sync", "export", "-o", str(tmp / "a1.kinerja"))
    out = kinerja(central, "sync", "import", str(tmp / "a1.kinerja"))
    assert "diterapkan" in out.stdout and (tmp / "a1.ack.kinerja").exists()
    again = kinerja(central, "sync", "import", str(tmp / "a1.kinerja"))
    assert "sudah diterima" in again.stdout
    kinerja(a, "sync", "import", str(tmp / "a1.ack.kinerja"))
    # Central forwards office A's work to office B.
    kinerja(central, "sync", "export", "-o", str(tmp / "c-b.kinerja"), "--to", _site_id(b))
    kinerja(b, "sync", "import", str(tmp / "c-b.kinerja"))
    db = open_database(b / "kinerja.sqlite3")
    with db.session() as s:
        assert sum(1 for e in s.scalars(select(Employee)) if e.name.endswith("~dari-a")) == 2
    db.close()
    status = kinerja(a, "sync", "status").stdout
    assert "Terdaftar di kantor pusat: ya" in status and "https://pusat.example" in status
    assert "Tidak ada konflik." in kinerja(central, "sync", "conflicts").stdout


def _site_id(home: Path) -> str:
    with open_raw(home / "kinerja.sqlite3") as conn:
        return conn.execute("SELECT id FROM sites WHERE is_local = 1").fetchone()[0]


def test_refusals_exit_1_with_one_sentence_and_keep_the_file(district):
    tmp, central, a, b = district
    edit_names(a, "x", limit=1)
    kinerja(a, "sync", "export", "-o", str(tmp / "a.kinerja"))
    data = (tmp / "a.kinerja").read_bytes()
    # For another site.
    out = kinerja(b, "sync", "import", str(tmp / "a.kinerja"), check=1)
    assert "tidak ditujukan untuk situs ini" in out.stderr and len(out.stderr.strip().splitlines()) == 1
    # Damaged.
    (tmp / "rusak.kinerja").write_bytes(data[:-40])
    out = kinerja(central, "sync", "import", str(tmp / "rusak.kinerja"), check=1)
    assert "rusak" in out.stderr
    assert (tmp / "rusak.kinerja").read_bytes() == data[:-40]
    # From a revoked site.
    kinerja(central, "central", "revoke", _site_id(a))
    before = digest(central)
    out = kinerja(central, "sync", "import", str(tmp / "a.kinerja"), check=1)
    assert "dicabut" in out.stderr
    assert digest(central) == before
    assert (tmp / "a.kinerja").read_bytes() == data


def test_an_import_killed_inside_its_transaction_changes_nothing(tmp_path):
    tmp, central, a = make_district(tmp_path, offices=("1504-KEC-A",))
    db = open_database(a / "kinerja.sqlite3")
    seed_org(db, units=4, employees_per_unit=100, prefix="BESAR", position_id=a_position(db))
    db.close()
    edit_names(a, "besar")
    kinerja(a, "sync", "export", "-o", str(tmp / "besar.kinerja"))
    before = digest(central)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kinerja_desktop",
            "--data-dir",
            str(central),
            "sync",
            "import",
            str(tmp / "besar.kinerja"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "KINERJA_TEST_PAUSE_APPLY": "60"},
    )
    try:
        deadline = time.monotonic() + 60
        line = ""
        while "KINERJA_TEST_PAUSE_APPLY" not in line:
            line = proc.stderr.readline()
            assert line or proc.poll() is None, "the import ended before reaching the transaction"
            assert time.monotonic() < deadline
        # The import holds the write lock: it is inside its write transaction.
        probe = open_raw(central / "kinerja.sqlite3", timeout=0)
        with pytest.raises(encryption.sqlcipher().OperationalError, match="locked"):
            probe.execute("BEGIN IMMEDIATE")
        probe.close()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    with open_raw(central / "kinerja.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert digest(central) == before
    out = kinerja(central, "sync", "import", str(tmp / "besar.kinerja"))
    assert "diterapkan" in out.stdout
    assert digest(central) != before
