"""The same models, migrations and change log on PostgreSQL (the central office)."""

from __future__ import annotations

from sqlalchemy import func, select

from kinerja_desktop.store import migrate
from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.models import Employee, Position, Unit


def test_migrations_and_change_log_on_postgresql(pg_url):
    db = open_database(pg_url)
    try:
        assert db.engine.dialect.name == "postgresql"
        with db.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
        with db.transaction() as s:
            unit = Unit(code="BKPSDM", name="BKPSDM", kind="opd")
            pos = Position(name="Kepala Badan", kind="jpt", is_unit_head=True)
            s.add_all([unit, pos])
            s.flush()
            s.add(
                Employee(
                    nip="197503122000031002",
                    name="Ahmad Fauzi",
                    gender="L",
                    status="PNS",
                    golongan="IV/a",
                    unit_id=unit.id,
                    position_id=pos.id,
                )
            )
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(ChangeLog)) == 3
            emp = s.scalar(select(Employee))
            assert emp.origin_site == db.site_id and emp.updated_hlc
    finally:
        db.close()


def test_downgrade_and_upgrade_roundtrip_on_postgresql(pg_url):
    db = open_database(pg_url)
    db.close()
    from kinerja_desktop.store.database import make_engine

    engine = make_engine(pg_url)
    try:
        migrate.downgrade(engine, "base")
        migrate.upgrade(engine)
        with engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
    finally:
        engine.dispose()


def test_migrations_walk_every_revision_on_postgresql(pg_url):
    from kinerja_desktop.store.database import make_engine

    engine = make_engine(pg_url)
    try:
        for rev in migrate.known_revisions():
            migrate.upgrade(engine, rev)
            with engine.connect() as conn:
                assert rev in migrate.current_revisions(conn)
    finally:
        engine.dispose()


def test_the_regulation_migration_matches_the_models_and_keeps_data_on_postgresql(pg_url):
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from tests.fixtures.regulation_migration import check_regulation_migration

    engine = create_engine(make_url(pg_url).set(drivername="postgresql+psycopg"))
    try:
        check_regulation_migration(engine)
    finally:
        engine.dispose()
