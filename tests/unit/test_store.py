"""The store: opening, refusing, migrating, backing up, and the change log."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.store import migrate
from kinerja_desktop.store.backup import KEEP, backup_database, list_backups
from kinerja_desktop.store.changes import ChangeLog, UntrackedWrite
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.encryption import open_raw
from kinerja_desktop.store.models import Employee, Position, Unit


def test_new_database_is_migrated_with_pragmas(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert migrate.current_revision(conn) == migrate.head_revision()


def test_foreign_keys_are_enforced(db):
    with pytest.raises(Exception):  # noqa: B017 (SQLite and SQLCipher raise different IntegrityError classes)
        with db.transaction() as s:
            s.add(Unit(code="X", name="X", parent_id="does-not-exist"))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Unit)) == 0


def test_every_write_to_a_synced_table_is_logged_in_its_transaction(db):
    with db.transaction() as s:
        unit = Unit(code="BKPSDM", name="BKPSDM")
        pos = Position(name="Analis SDM Aparatur Ahli Muda", kind="fungsional")
        s.add_all([unit, pos])
    with db.transaction() as s:
        s.get(Unit, unit.id).name = "Badan Kepegawaian dan Pengembangan SDM"
    with db.session() as s:
        log = s.execute(select(ChangeLog.table_name, ChangeLog.row_id, ChangeLog.hlc).order_by(ChangeLog.seq)).all()
        stored = s.get(Unit, unit.id)
    assert sorted((t, r) for t, r, _ in log[:2]) == sorted([("units", unit.id), ("positions", pos.id)])
    assert (log[2][0], log[2][1]) == ("units", unit.id)
    assert log[-1][2] == stored.updated_hlc
    assert stored.origin_site == db.site_id
    hlcs = [h for _, _, h in log]
    assert hlcs == sorted(hlcs) and len(set(hlcs)) == len(hlcs)


def test_a_failed_transaction_leaves_no_change_log(db):
    with pytest.raises(RuntimeError):
        with db.transaction() as s:
            s.add(Unit(code="A", name="A"))
            s.flush()
            raise RuntimeError("boom")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ChangeLog)) == 0


def test_synced_rows_are_never_hard_deleted(db):
    with db.transaction() as s:
        unit = Unit(code="A", name="A")
        s.add(unit)
    with pytest.raises(UntrackedWrite):
        with db.transaction() as s:
            s.delete(s.get(Unit, unit.id))


def test_clock_survives_reopen_and_never_goes_back(data_home):
    path = data_home / "k.sqlite3"
    db = open_database(path)
    with db.transaction() as s:
        s.add(Unit(code="A", name="A"))
    first = db.clock.last
    site = db.site_id
    db.close()
    db = open_database(path)
    try:
        assert db.site_id == site
        assert db.clock.now() > first
    finally:
        db.close()


def test_not_a_sqlite_file_is_refused_and_untouched(data_home):
    bogus = data_home / "kinerja.sqlite3"
    data_home.mkdir(parents=True, exist_ok=True)
    content = b"PK\x03\x04 this is a zip, not a database" * 10
    bogus.write_bytes(content)
    with pytest.raises(UnusableInput, match="bukan berkas SQLite"):
        open_database(bogus)
    assert bogus.read_bytes() == content


def test_a_foreign_sqlite_database_is_refused(data_home):
    other = data_home / "other.sqlite3"
    data_home.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(other)  # a plain, foreign SQLite file
    con.execute("CREATE TABLE something (x)")
    con.commit()
    con.close()
    with pytest.raises(UnusableInput, match="bukan basis data Kinerja"):
        open_database(other)


def test_database_from_a_newer_version_is_refused_unchanged(data_home):
    path = data_home / "k.sqlite3"
    open_database(path).close()
    con = open_raw(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(UnusableInput, match="versi Kinerja Desktop yang lebih baru"):
        open_database(path)
    assert path.read_bytes() == before


def test_backup_keeps_the_last_ten(data_home):
    path = data_home / "k.sqlite3"
    db = open_database(path)
    with db.transaction() as s:
        s.add(Unit(code="A", name="A"))
    db.close()
    target = data_home / "backups"
    for i in range(KEEP + 3):
        backup_database(path, target, label=f"t{i}")
    files = list_backups(target, path.stem)
    assert len(files) == KEEP
    assert files[-1].name.endswith(f"t{KEEP + 2}.sqlite3")
    con = open_raw(files[-1])
    assert con.execute("SELECT code FROM units").fetchall() == [("A",)]
    con.close()


def test_opening_a_missing_file_without_create_is_a_clear_error(data_home):
    with pytest.raises(UnusableInput, match="tidak ditemukan"):
        open_database(data_home / "nope.sqlite3", create=False)


def test_employee_full_name_with_titles(db):
    e = Employee(nip="1" * 18, name="Siti Aminah", front_title="dr.", back_title="M.Kes", gender="P")
    assert e.full_name == "dr. Siti Aminah, M.Kes"
    e2 = Employee(nip="2" * 18, name="Budi", gender="L")
    assert e2.full_name == "Budi"
