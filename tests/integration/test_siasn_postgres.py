"""A SIASN download imported into the central office's PostgreSQL database: units, chain,
a second import that changes nothing, and next month's download as updates."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kinerja_desktop.services.progress import run
from kinerja_desktop.services.roster.importer import import_roster
from kinerja_desktop.services.roster.siasn_sample import generate, later_download, write_download
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.models import Employee, Unit

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_db(pg_url):
    db = open_database(pg_url)
    yield db
    db.close()


def test_a_siasn_download_on_postgresql(pg_db, tmp_path):
    db = pg_db
    assert db.engine.dialect.name == "postgresql"
    rows = generate(400, seed=33)
    report = run(import_roster(db, write_download(tmp_path / "a.txt", rows)))
    assert (report.created, report.rejected) == (400, []) and report.chain.assigned >= 398
    with db.session() as s:
        assert (
            s.scalar(select(func.count()).select_from(Unit).where(Unit.siasn_id.is_not(None))) == report.units_created
        )
        assert s.scalar(select(func.count()).select_from(Employee).where(Employee.supervisor_id.is_not(None))) >= 398
    again = run(import_roster(db, tmp_path / "a.txt"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 400)
    later = later_download(rows, share=0.1, seed=5)
    report = run(import_roster(db, write_download(tmp_path / "b.txt", later)))
    assert report.rejected == [] and report.changes.counts["nonaktif"] > 0
    assert report.created == len(later) - 400
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Employee)) == len(later)
