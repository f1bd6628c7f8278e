"""Who may see whom: the supervisor chain, roles, and refusals that name the employee."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import update

from kinerja_desktop.errors import NotFound, PermissionDenied
from kinerja_desktop.services.access import permissions as perm
from kinerja_desktop.services.access.principal import (
    ADMIN_KEPEGAWAIAN,
    ADMINISTRATOR,
    PEJABAT_PENILAI,
    SYSTEM,
    Principal,
)
from kinerja_desktop.services.roster.employees import get_employee
from kinerja_desktop.store.employee import Employee

sys.path.insert(0, str(Path(__file__).resolve().parent))
from roster_factory import build_roster


@pytest.fixture
def roster(db):
    return build_roster(db)


def _keys(roster, ids) -> set[str]:
    return {k for k, v in roster.people.items() if v in ids}


def test_subordinates_are_every_level_below(db, roster):
    with db.session() as s:
        assert _keys(roster, perm.subordinate_ids(s, roster.kadis)) == {
            "sekretaris",
            "kasubbag",
            "staf_umum",
            "kabid",
            "kasi",
            "staf1",
            "staf2",
            "staf3",
        }
        assert _keys(roster, perm.subordinate_ids(s, roster.kabid)) == {"kasi", "staf1", "staf2", "staf3"}
        assert perm.subordinate_ids(s, roster.staf1) == set()
        assert _keys(roster, perm.subordinate_ids(s, roster.camat)) == {"outsider"}


def test_deleted_employees_are_not_subordinates_nor_supervisors(db, roster):
    with db.transaction() as s:
        s.get(Employee, roster.kasi).deleted = True  # a tombstone written by sync
    with db.session() as s:
        # The chain below a deleted supervisor is cut there.
        assert _keys(roster, perm.subordinate_ids(s, roster.kabid)) == set()
        assert perm.chain_of(s, roster.staf1) == []


def test_chain_goes_upward_nearest_first(db, roster):
    with db.session() as s:
        assert perm.chain_of(s, roster.staf1) == [roster.kasi, roster.kabid, roster.kadis]
        assert perm.chain_of(s, roster.kadis) == []
        assert perm.chain_of(s, "no-such-id") == []


def test_a_loop_in_bad_data_ends_the_walk(db, roster):
    with db.transaction() as s:  # as a bad import or a sync conflict could leave it
        s.execute(update(Employee).where(Employee.id == roster.kadis).values(supervisor_id=roster.staf1))
    with db.session() as s:
        assert perm.chain_of(s, roster.staf1) == [roster.kasi, roster.kabid, roster.kadis]
        below = perm.subordinate_ids(s, roster.kabid)
        assert {roster.kasi, roster.staf1, roster.kadis, roster.sekretaris} <= below


@pytest.mark.parametrize("principal", [SYSTEM, Principal("hr", ADMIN_KEPEGAWAIAN), Principal("adm", ADMINISTRATOR)])
def test_roster_wide_roles_see_everyone(db, roster, principal):
    with db.session() as s:
        for emp_id in roster.people.values():
            assert perm.can_view_employee(s, principal, emp_id)
            perm.require_employee_access(s, principal, emp_id)


def test_a_pejabat_penilai_sees_only_below_them_and_their_own_record(db, roster):
    kabid = roster.penilai("kabid")
    with db.session() as s:
        visible = {k for k, v in roster.people.items() if perm.can_view_employee(s, kabid, v)}
    assert visible == {"kabid", "kasi", "staf1", "staf2", "staf3"}


def test_a_supervisor_asking_for_someone_outside_their_chain_is_refused_by_name(db, roster):
    kasi = roster.penilai("kasi")
    with db.session() as s:
        for key in ("kadis", "outsider", "staf_umum", "kabid"):
            with pytest.raises(PermissionDenied) as exc:
                perm.require_employee_access(s, kasi, roster.people[key])
            assert roster.names[key] in exc.value.message
            assert roster.nips[key] in exc.value.message
            assert "tidak berwenang" in exc.value.message
            with pytest.raises(PermissionDenied):
                get_employee(s, kasi, roster.people[key])
        assert get_employee(s, kasi, roster.staf2).id == roster.staf2


def test_a_pejabat_penilai_without_an_employee_record_sees_nobody(db, roster):
    nobody = Principal("x", PEJABAT_PENILAI, None)
    unknown_role = Principal("y", "tamu", roster.kadis)
    with db.session() as s:
        assert not perm.can_view_employee(s, nobody, roster.staf1)
        assert not perm.can_view_employee(s, unknown_role, roster.staf1)


def test_asking_for_a_missing_employee_is_not_found(db, roster):
    with db.session() as s, pytest.raises(NotFound):
        perm.require_employee_access(s, SYSTEM, "no-such-id")


def test_require_role(db):
    perm.require_role(SYSTEM, ADMINISTRATOR)
    perm.require_role(Principal("a", ADMINISTRATOR), ADMINISTRATOR, ADMIN_KEPEGAWAIAN)
    with pytest.raises(PermissionDenied) as exc:
        perm.require_role(Principal("p", PEJABAT_PENILAI, "x"), ADMIN_KEPEGAWAIAN)
    assert exc.value.message == (
        "Tindakan ini hanya boleh dilakukan oleh Admin Kepegawaian. Masuk dengan akun yang berwenang."
    )
