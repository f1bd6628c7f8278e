"""Every earlier schema version opens in this program: backed up, migrated, data kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from kinerja_desktop.store import migrate
from kinerja_desktop.store.backup import list_backups
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.encryption import open_raw
from kinerja_desktop.store.models import Employee, Unit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "schemas"


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.sqlite3"))


def test_there_is_a_fixture_for_every_revision_but_the_newest():
    have = {p.stem for p in fixture_files()}
    revisions = migrate.known_revisions()
    missing = [r for r in revisions[:-1] if r not in have]
    assert not missing, f"make fixtures with tools/make_schema_fixture.py {' '.join(missing)}"


@pytest.mark.parametrize("fixture", fixture_files(), ids=lambda p: p.stem)
def test_old_database_upgrades_with_a_backup(fixture, data_home):
    data_home.mkdir(parents=True, exist_ok=True)
    target = data_home / "kinerja.sqlite3"
    shutil.copy(fixture, target)
    db = open_database(target)
    try:
        with db.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
        with db.session() as s:
            emp = s.scalar(select(Employee).where(Employee.nip == "197503122000031002"))
            assert emp is not None and emp.full_name == "Ahmad Fauzi, S.Sos., M.Si."
            assert s.get(Unit, emp.unit_id).code == "KEC-BAJUBANG"
        assert db.site_id == "1504-FIXTURE-AAAA"
        assert db.clock.now() > "1764300000000-00002-1504-FIXTURE-AAAA"
    finally:
        db.close()
    backups = list_backups(data_home / "backups", "kinerja")
    if fixture.stem != migrate.head_revision():
        assert len(backups) == 1

        con = open_raw(backups[0])
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == fixture.stem
        con.close()
    else:
        assert backups == []


def test_every_revision_upgrades_and_downgrades_on_sqlite(tmp_path):
    from kinerja_desktop.store.database import make_engine

    engine = make_engine(tmp_path / "walk.sqlite3")
    try:
        for rev in migrate.known_revisions():
            migrate.upgrade(engine, rev)
            with engine.connect() as conn:
                assert rev in migrate.current_revisions(conn)
        migrate.downgrade(engine, "base")
        with engine.connect() as conn:
            assert migrate.current_revision(conn) is None
        migrate.upgrade(engine)
        with engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
    finally:
        engine.dispose()


def test_migrations_create_exactly_the_models(tmp_path):
    """A model change without its migration (or the reverse) fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from kinerja_desktop.store.database import make_engine
    from kinerja_desktop.store.models import Base

    engine = make_engine(tmp_path / "cmp.sqlite3")
    try:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_revision_graph_read_from_files_agrees_with_alembic():
    script = migrate.script_directory()
    assert migrate.known_revisions() == [r.revision for r in reversed(list(script.walk_revisions()))]
    assert migrate.head_revisions() == tuple(sorted(script.get_heads()))


def test_the_regulation_migration_keeps_and_places_the_data_on_sqlite(tmp_path):
    from kinerja_desktop.store.database import make_engine
    from tests.fixtures.regulation_migration import check_regulation_migration

    engine = make_engine(tmp_path / "reg.sqlite3")
    try:
        check_regulation_migration(engine)
    finally:
        engine.dispose()
