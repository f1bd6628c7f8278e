"""Who may see and handle which complaints, and the office's own units.

- Administrator, admin kepegawaian and the system: every complaint of the office's units;
  they register, assign and move complaints along.
- Pejabat penilai: the complaints assigned to them or to anyone below them in the chain,
  and, for a head of unit, every complaint of the units they head; they move those along
  and assign them within their chain.

The *office's units* are the unit of this installation's site (``sites.unit_code``) and
every unit below it; the central office (or a site without a unit) covers the district.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from kinerja_desktop.errors import NotFound, PermissionDenied
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.permissions import is_roster_wide, subordinates_cte
from kinerja_desktop.services.access.principal import SUPERVISOR_ROLES, Principal
from kinerja_desktop.services.roster.org_tree import subtree_cte, unit_ids_under
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.store.pengaduan import Complaint
from kinerja_desktop.store.site import Site


def office_root_unit(session: Session) -> str | None:
    """The id of this office's top unit, or ``None`` for the whole district."""
    site = session.scalar(select(Site).where(Site.is_local.is_(True)))
    if site is None or site.is_central or not site.unit_code:
        return None
    return session.scalar(select(Unit.id).where(Unit.code == site.unit_code, Unit.deleted.is_(False)))


def office_unit_ids(session: Session) -> set[str] | None:
    """The ids of the office's units, or ``None`` when the office covers the district."""
    root = office_root_unit(session)
    return None if root is None else unit_ids_under(session, root)


def manages_complaints(principal: Principal) -> bool:
    """Registers, assigns and moves any complaint of the office."""
    return is_roster_wide(principal)


def handles_complaints(principal: Principal) -> bool:
    """May open the register at all."""
    return manages_complaints(principal) or (principal.role in SUPERVISOR_ROLES and bool(principal.employee_id))


def complaint_scope(principal: Principal) -> ColumnElement[bool]:
    """A WHERE clause on ``Complaint`` for what ``principal`` may list."""
    if manages_complaints(principal):
        return true()
    if principal.role not in SUPERVISOR_ROLES or not principal.employee_id:
        return false()
    below = subordinates_cte(principal.employee_id)
    return or_(
        Complaint.assignee_id == principal.employee_id,
        Complaint.assignee_id.in_(select(below.c.id)),
        Complaint.unit_id.in_(select(_headed_units_cte(principal.employee_id).c.id)),
    )


def _headed_units_cte(employee_id: str):
    """The unit an employee heads (their position is the head of unit) and every unit below it."""
    return subtree_cte(
        select(Employee.unit_id.label("id"))
        .join(Position, Position.id == Employee.position_id)
        .where(Employee.id == employee_id, Position.is_unit_head.is_(True), Employee.deleted.is_(False)),
        "headed_units",
    )


def team_of(session: Session, principal: Principal) -> set[str] | None:
    """Employee ids a pejabat penilai may assign to (themselves and everyone below); ``None``: anyone
    in the office."""
    if manages_complaints(principal):
        return None
    if principal.role not in SUPERVISOR_ROLES or not principal.employee_id:
        return set()
    below = subordinates_cte(principal.employee_id)
    return set(session.scalars(select(below.c.id))) | {principal.employee_id}


def get_visible(session: Session, principal: Principal, complaint_id: str) -> Complaint:
    row = session.get(Complaint, complaint_id)
    if row is None or row.deleted:
        raise NotFound(_("Pengaduan yang diminta tidak ada (mungkin sudah dihapus)."))
    allowed = session.scalar(select(true()).where(Complaint.id == complaint_id, complaint_scope(principal)))
    if not allowed:
        raise PermissionDenied(
            _(
                "Pengaduan {number} tidak ditugaskan kepada Anda atau pegawai di bawah Anda; "
                "Anda tidak dapat membukanya."
            ).format(number=row.number)
        )
    return row


def check_unit_in_office(session: Session, unit_id: str) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted:
        raise NotFound(_("Unit kerja yang dipilih tidak ada."))
    scope = office_unit_ids(session)
    if scope is not None and unit_id not in scope:
        raise PermissionDenied(
            _(
                "Unit {unit} bukan bagian dari kantor ini; pengaduan untuk unit itu dicatat oleh "
                "kantor yang membawahinya."
            ).format(unit=unit.name)
        )
    return unit


def check_assignee(session: Session, principal: Principal, employee_id: str) -> Employee:
    """The employee, if ``principal`` may assign a complaint of this office to them."""
    emp = session.get(Employee, employee_id)
    if emp is None or emp.deleted:
        raise NotFound(_("Pegawai yang dipilih tidak ada (mungkin sudah dihapus)."))
    if not emp.active:
        raise PermissionDenied(
            _("{name} tidak aktif lagi; tugaskan pengaduan kepada pegawai yang aktif.").format(name=emp.full_name)
        )
    scope = office_unit_ids(session)
    if scope is not None and emp.unit_id not in scope:
        raise PermissionDenied(
            _(
                "{name} bukan pegawai kantor ini (unit kerjanya di luar cakupan kantor); "
                "pengaduan hanya dapat ditugaskan kepada pegawai kantor ini."
            ).format(name=emp.full_name)
        )
    team = team_of(session, principal)
    if team is not None and employee_id not in team:
        raise PermissionDenied(
            _(
                "Anda hanya dapat menugaskan pengaduan kepada diri sendiri atau pegawai di "
                "bawah Anda; {name} tidak termasuk."
            ).format(name=emp.full_name)
        )
    return emp


def unit_people(session: Session, principal: Principal, unit_id: str) -> list[tuple[str, str]]:
    """(id, "Name — NIP") of the active ASN of ``unit_id`` and the units below it that ``principal``
    may assign a complaint to."""
    team = team_of(session, principal)
    q = (
        select(Employee.id, Employee.name, Employee.nip)
        .where(
            Employee.unit_id.in_(unit_ids_under(session, unit_id)),
            Employee.deleted.is_(False),
            Employee.active.is_(True),
        )
        .order_by(Employee.name)
    )
    return [(eid, f"{name} — {nip}") for eid, name, nip in session.execute(q) if team is None or eid in team]
