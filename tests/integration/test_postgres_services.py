"""The roster, permission, user, first-run and audit services on PostgreSQL (the central office).

The recursive chain walks, the windowed roster queries and the audit text search are
written once for SQLite and PostgreSQL; this runs them on the real server.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import pytest

from kinerja_desktop.services import audit_query as aq
from kinerja_desktop.services import employees, first_run, permissions, roster_query as rq, users
from kinerja_desktop.services.audit import verify_chain
from kinerja_desktop.services.principal import ADMINISTRATOR, SYSTEM, Principal
from kinerja_desktop.services.settings import DEMO, set_setting
from kinerja_desktop.store.database import open_database

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from roster_factory import build_roster, valid_input  # noqa: E402

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_db(pg_url):
    db = open_database(pg_url)
    yield db
    db.close()


def test_chain_roster_and_audit_on_postgresql(pg_db):
    db = pg_db
    assert db.engine.dialect.name == "postgresql"
    r = build_roster(db)
    with db.transaction() as s:
        assert len(permissions.subordinate_ids(s, r.kadis)) == 8
        assert permissions.chain_of(s, r.staf1) == [r.kasi, r.kabid, r.kadis]
        assert not permissions.can_view_employee(s, r.penilai("kasi"), r.outsider)
        for sort in rq.SORT_KEYS:
            for descending in (False, True):
                rows = rq.fetch_employees(s, SYSTEM, rq.RosterFilter(active=None), sort=sort, descending=descending)
                window = rq.fetch_employees(s, SYSTEM, rq.RosterFilter(active=None), offset=3, limit=4, sort=sort,
                                            descending=descending)
                assert [x.id for x in window] == [x.id for x in rows][3:7]
        assert [x.full_name for x in rq.fetch_employees(s, SYSTEM, rq.RosterFilter(text="SITI amin"))] == [
            "Siti Aminah, S.E."]
        assert rq.count_employees(s, SYSTEM, rq.RosterFilter(text="19850314 201004")) == 9
        assert rq.count_employees(s, r.penilai("kabid"), rq.RosterFilter(active=None)) == 4
        assert rq.count_employees(s, SYSTEM, rq.RosterFilter(unit_id=r.units["DUKCAPIL"])) == 8
        assert rq.golongan_values(s)[-1] == "V"
        employees.create_employee(s, r.hr, valid_input(supervisor_id=r.kasi))
    with db.transaction() as s:
        admin = Principal("admin", ADMINISTRATOR)
        assert aq.count_audit(s, admin, aq.AuditFilter(text="fitri")) == 1
        assert aq.count_audit(s, admin, aq.AuditFilter(date_from=datetime.now().date())) == 2
        assert verify_chain(s).ok


def test_users_first_run_and_practice_accounts_on_postgresql(pg_db):
    db = pg_db
    with db.transaction() as s:
        admin = first_run.complete_first_run(s, first_run.FirstRunInput(
            office_name="BKPSDM Kabupaten Batanghari", unit_code="BKPSDM", site_code="1504-BKPSDM",
            admin_username="kepala", admin_display_name="Kepala", admin_password="Kopi-Susu-2026"))
    assert db.site_id.startswith("1504-BKPSDM-")
    with pytest.raises(users.AuthError):
        with db.transaction() as s:
            users.authenticate(s, "kepala", "salah-sandi-1")
    with db.transaction() as s:
        assert users.authenticate(s, "kepala", "Kopi-Susu-2026").user_id == admin.user_id
    build_roster(db)
    with db.transaction() as s:
        set_setting(s, SYSTEM, DEMO, True)
        accounts = users.create_practice_accounts(s)
    assert [a.username for a in accounts] == ["admin", "kepegawaian", "penilai"]
    with db.transaction() as s:
        assert users.authenticate(s, "penilai", users.PRACTICE_PASSWORD).role == "pejabat_penilai"
