"""The roster, permission, user, first-run and audit services on PostgreSQL (the central office).

The recursive chain walks, the windowed roster queries and the audit text search are
written once for SQLite and PostgreSQL; this runs them on the real server.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import pytest

from kinerja_desktop.services import first_run
from kinerja_desktop.services.access import permissions, users
from kinerja_desktop.services.access.principal import ADMINISTRATOR, SYSTEM, Principal
from kinerja_desktop.services.audit import query as aq
from kinerja_desktop.services.audit.chain import verify_chain
from kinerja_desktop.services.roster import employees
from kinerja_desktop.services.roster import query as rq
from kinerja_desktop.services.settings import DEMO, set_setting
from kinerja_desktop.store.database import open_database

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from roster_factory import build_roster, valid_input

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
                window = rq.fetch_employees(
                    s, SYSTEM, rq.RosterFilter(active=None), offset=3, limit=4, sort=sort, descending=descending
                )
                assert [x.id for x in window] == [x.id for x in rows][3:7]
        assert [x.full_name for x in rq.fetch_employees(s, SYSTEM, rq.RosterFilter(text="SITI amin"))] == [
            "Siti Aminah, S.E."
        ]
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
        admin = first_run.complete_first_run(
            s,
            first_run.FirstRunInput(
                office_name="BKPSDM Kabupaten Batanghari",
                unit_code="BKPSDM",
                site_code="1504-BKPSDM",
                admin_username="kepala",
                admin_display_name="Kepala",
                admin_password="Kopi-Susu-2026",
            ),
        )
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


def test_documents_scope_record_and_verification_on_postgresql(pg_db, data_home):
    """Unit scope (recursive chains), a signed recap recorded (JSON), a CRL kept (bytea), matched back."""
    from kinerja_desktop.reports import ca, certs, trust
    from kinerja_desktop.services.documents import certificates
    from kinerja_desktop.services.documents import registry as documents
    from kinerja_desktop.store.models import Employee, Position

    r = build_roster(pg_db)
    with pg_db.transaction() as s:  # the kepala bidang heads his unit: he signs its recaps
        s.get(Position, s.get(Employee, r.kabid).position_id).is_unit_head = True
    with pg_db.transaction() as s:
        assert documents.unit_ids_for(s, r.penilai("kabid")) == {r.units["DUKCAPIL"], r.units["DUKCAPIL-PEL"]}
        prepared = documents.prepare(
            s, r.penilai("kasi"), documents.DocumentRequest("rekap-jp", r.units["DUKCAPIL-PEL"], 2026)
        )
        assert {row.name for row in prepared.view.rows} == {"Ahmad Fauzi", "Nur Aisyah, A.Md"}
        certificates.create_ca(s, SYSTEM, "sandi-ca-kabupaten")
        head = prepared.fields["pejabat"]
        request = certificates.request_certificate(r.nips["kabid"], r.names["kabid"], "sandi-kabid")
        _req, _cert, bundle = certificates.issue_certificate(s, SYSTEM, request, "sandi-ca-kabupaten")
        p12_path, _c = certificates.accept_certificate(bundle, "sandi-kabid")
    assert head.person is not None and head.employee_id == r.kabid
    with pg_db.transaction() as s:
        prepared = documents.prepare(s, SYSTEM, documents.DocumentRequest("rekap-jp", r.units["DUKCAPIL-PEL"], 2026))
        key = documents.signing_key(s, p12_path.read_bytes(), "sandi-kabid")
        signed = documents.sign(s, SYSTEM, prepared, key)
        ca_cert, ca_key = certs.load_ca("sandi-ca-kabupaten")
        certificates.keep_crl(s, ca.publish_crl(ca_cert, ca_key), ca_cert)
    for path in list(trust.crl_dir().glob("*.crl")):
        path.unlink()  # only the database's copy is left
    with pg_db.session() as s:
        assert len(certificates.database_crls(s)) == 1
        report = documents.verify(s, signed.pdf)
    assert report.ok and report.record_match, report.reason
