"""Files and the database under faults, with real processes: kill -9 while encrypting in
place, a full disk during rekey, a second program holding the database, ``demo --force``
during an import, the one file writer against symlinks and a concurrent writer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kinerja_desktop import files
from kinerja_desktop.store import database as database_module
from kinerja_desktop.store import encryption
from kinerja_desktop.store.database import DatabaseBusy, open_database
from kinerja_desktop.store.encryption import SQLITE_MAGIC, is_plain, open_raw, read_keyinfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures"))
from roster_files import small_roster, write_csv

FILLER_ROWS = 12_000
FILLER = 4000  # bytes a row: about 48 MB, so encrypting takes long enough to be caught midway


def kinerja(home: Path, *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kinerja_desktop", "--data-dir", str(home), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def plain_db_with_filler(path: Path, rows: int = FILLER_ROWS) -> None:
    open_database(path, encrypt=False).close()
    con = open_raw(path)
    con.execute("CREATE TABLE uji_isi (n INTEGER PRIMARY KEY, isi BLOB)")
    con.executemany("INSERT INTO uji_isi (isi) VALUES (?)", ((os.urandom(FILLER),) for _ in range(rows)))
    con.commit()
    con.close()


def filler_count(path: Path) -> int:
    con = open_raw(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return con.execute("SELECT count(*) FROM uji_isi").fetchone()[0]
    finally:
        con.close()


def kill_when(proc: subprocess.Popen, ready, deadline_s: float = 120) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()``; False if it ended first."""
    limit = time.monotonic() + deadline_s
    while proc.poll() is None:
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            return True
        assert time.monotonic() < limit, "the command neither finished nor reached the point"
        time.sleep(0.002)
    return False


def temp_copy_growing(folder: Path) -> bool:
    return any(p.name.endswith(".baru") and p.stat().st_size > 1_000_000 for p in folder.glob(".kinerja.sqlite3.*"))


@pytest.mark.slow
def test_kill_9_while_encrypting_leaves_the_plain_file_intact(data_home):
    path = data_home / "kinerja.sqlite3"
    plain_db_with_filler(path)
    proc = kinerja(data_home, "db", "encrypt")
    assert kill_when(proc, lambda: temp_copy_growing(data_home)), proc.communicate()
    assert is_plain(path) and filler_count(path) == FILLER_ROWS
    db = open_database(path)  # the next start encrypts it after all
    db.close()
    assert not is_plain(path) and filler_count(path) == FILLER_ROWS
    assert not list(data_home.glob(".kinerja.sqlite3.*"))  # nothing of the killed run is left behind... but
    assert not list(data_home.glob(f"*{encryption.SIDECAR_SUFFIX}.lama"))


@pytest.mark.slow
def test_kill_9_right_after_the_switch_leaves_the_encrypted_file_intact(data_home):
    path = data_home / "kinerja.sqlite3"
    plain_db_with_filler(path)

    def switched() -> bool:
        try:
            with path.open("rb") as fh:
                return fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC
        except OSError:
            return False

    proc = kinerja(data_home, "db", "encrypt")
    killed = kill_when(proc, switched)
    assert killed or proc.returncode == 0
    assert not is_plain(path) and filler_count(path) == FILLER_ROWS
    open_database(path).close()  # a plain copy left for overwriting is overwritten now
    leftovers = [
        p
        for p in data_home.rglob("*")
        if p.is_file() and p.stat().st_size and p.open("rb").read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    ]
    assert leftovers == []


def _mount_small_disk(folder: Path, size_mb: int) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0700", "tmpfs", str(folder)], capture_output=True
    )
    return done.returncode == 0


@pytest.mark.slow
def test_a_full_disk_during_rekey_changes_nothing(tmp_path):
    home = tmp_path / "disk-kecil"
    mounted = _mount_small_disk(home, 26)  # the database (14 MB) fits, a second copy does not
    limit = None
    try:
        path = home / "kinerja.sqlite3"
        db = open_database(path)
        db.close()
        con = open_raw(path)
        con.execute("CREATE TABLE uji_isi (n INTEGER PRIMARY KEY, isi BLOB)")
        for _batch in range(35):  # small transactions: the WAL stays small on the small disk
            con.executemany("INSERT INTO uji_isi (isi) VALUES (?)", ((os.urandom(FILLER),) for _ in range(100)))
            con.commit()
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        con.close()
        key_id = read_keyinfo(path).key_id
        before = filler_count(path)
        if not mounted:  # no permission to mount: the same failure through a file-size limit
            limit = path.stat().st_size // 2
        proc = kinerja(home, "db", "rekey", preexec_fn=_file_size_limit(limit) if limit else None)
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 1, (out, err)
        assert "Disk penuh" in err and "tidak diubah" in err, err
        assert read_keyinfo(path).key_id == key_id
        assert filler_count(path) == before
        assert not [p for p in home.iterdir() if p.name.startswith(".kinerja.sqlite3.")]
        assert not Path(f"{encryption.sidecar_path(path)}.lama").exists()
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(home)], check=False)


def _file_size_limit(limit: int):
    def apply() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


# --- a second program -------------------------------------------------------------------------

HOLDER = """
import sys
from pathlib import Path
from kinerja_desktop.store.encryption import open_raw
con = open_raw(Path(sys.argv[1]), timeout=0)
con.execute("BEGIN IMMEDIATE")
con.execute("INSERT INTO settings (key, value) VALUES ('uji-kunci', 'x')")
print("HOLDING", flush=True)
sys.stdin.readline()
con.rollback()
"""


@pytest.fixture
def holder(data_home):
    """Another process inside a write transaction on the test's database."""
    path = data_home / "kinerja.sqlite3"
    open_database(path).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "HOLDING"
    yield path
    proc.stdin.write("\n")
    proc.stdin.flush()
    proc.wait(timeout=30)


def test_a_locked_database_waits_then_says_so_without_row_data(holder, monkeypatch):
    from kinerja_desktop.store.models import Unit

    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 300)
    db = open_database(holder)
    try:
        with pytest.raises(DatabaseBusy) as err:
            with db.transaction() as s:
                s.add(Unit(code="RAHASIA-7", name="Unit Rahasia Tujuh"))
    finally:
        db.close()
    message = err.value.message
    assert "sedang dipakai program lain" in message
    assert "RAHASIA" not in message and "INSERT" not in message and "\n" not in message


@pytest.mark.slow
def test_a_command_on_a_locked_database_says_one_sentence(holder, tmp_path):
    headers, rows = small_roster()
    roster = write_csv(tmp_path / "pegawai.csv", headers, rows)
    proc = kinerja(holder.parent, "roster", "import", str(roster))
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, (out, err)
    assert "sedang dipakai program lain" in err
    assert not any(row[0] in err or row[1] in err for row in rows)
    assert "Traceback" not in err and "INSERT" not in err


IMPORTER = """
import sys
from pathlib import Path
from kinerja_desktop.services.roster.importer import import_roster
from kinerja_desktop.store.database import open_database
db = open_database(Path(sys.argv[1]))
job = import_roster(db, sys.argv[2])
next(job)
print("IMPORTING", flush=True)
sys.stdin.readline()
try:
    while True:
        next(job)
except StopIteration as done:
    print("IMPORTED", done.value.created, flush=True)
db.close()
"""


def test_demo_force_refuses_while_an_import_runs(data_home, tmp_path):
    from sqlalchemy import func, select

    from kinerja_desktop.store.models import Employee

    path = data_home / "kinerja.sqlite3"
    open_database(path).close()
    headers, rows = small_roster()
    roster = write_csv(tmp_path / "pegawai.csv", headers, rows)
    importer = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(path), str(roster)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert importer.stdout.readline().strip() == "IMPORTING"
        demo = kinerja(data_home, "demo", "--employees", "20", "--force")
        out, err = demo.communicate(timeout=120)
        assert demo.returncode == 1, (out, err)
        assert "sedang dipakai program lain" in err
        importer.stdin.write("\n")
        importer.stdin.flush()
        assert importer.stdout.readline().split() == ["IMPORTED", str(len(rows))]
    finally:
        importer.wait(timeout=60)
    db = open_database(path)
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Employee)) == len(rows)
    finally:
        db.close()


# --- the one file writer ----------------------------------------------------------------------


def test_a_symlink_at_the_destination_is_replaced_not_followed(tmp_path):
    victim = tmp_path / "milik-orang-lain.txt"
    victim.write_text("jangan ditimpa")
    link = tmp_path / "ekspor.csv"
    link.symlink_to(victim)
    files.write_atomic(link, "isi baru")
    assert victim.read_text() == "jangan ditimpa"
    assert not link.is_symlink() and link.read_text() == "isi baru"


def test_a_symlink_planted_as_the_temporary_name_cannot_redirect_a_write(tmp_path, monkeypatch):
    """The temporary file's name is random (mkstemp) and opened with O_EXCL: a symlink
    planted under any predictable name in the destination folder is never written through."""
    victim = tmp_path / "milik-orang-lain.txt"
    victim.write_text("jangan ditimpa")
    for guess in (".ekspor.csv.tmp", "ekspor.csv.tmp", ".ekspor.csv.baru"):
        (tmp_path / guess).symlink_to(victim)
    files.write_atomic(tmp_path / "ekspor.csv", "isi baru")
    assert victim.read_text() == "jangan ditimpa"
    assert (tmp_path / "ekspor.csv").read_text() == "isi baru"


def test_two_writers_never_mix_and_leave_no_temp_files(tmp_path):
    target = tmp_path / "bersama.bin"
    blocks = {name: bytes([name]) * 3_000_000 for name in (1, 2)}
    errors: list[BaseException] = []

    def writer(name: int) -> None:
        try:
            for _ in range(15):
                files.write_atomic(target, blocks[name])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in blocks]
    seen: set[bytes] = set()
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        if target.exists():
            data = target.read_bytes()
            assert data in blocks.values(), "a reader saw a mixed or half-written file"
            seen.add(data[:1])
    for t in threads:
        t.join()
    assert not errors
    assert target.read_bytes() in blocks.values()
    assert [p.name for p in tmp_path.iterdir()] == ["bersama.bin"]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "ekspor.csv"
    target.write_text("lama")
    with pytest.raises(RuntimeError):
        with files.atomic_writer(target, "w") as fh:
            fh.write("setengah")
            raise RuntimeError("disk dicabut")
    assert target.read_text() == "lama"
    assert [p.name for p in tmp_path.iterdir()] == ["ekspor.csv"]


def test_private_files_are_owner_only_and_exports_follow_the_umask(tmp_path):
    files.write_atomic(tmp_path / "rahasia.key", b"x", private=True)
    files.write_atomic(tmp_path / "ekspor.csv", b"x")
    assert (tmp_path / "rahasia.key").stat().st_mode & 0o777 == 0o600
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "ekspor.csv").stat().st_mode & 0o777 == 0o666 & ~umask
