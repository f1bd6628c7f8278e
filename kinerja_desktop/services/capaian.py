"""Capaian kinerja organisasi: the unit's achievement for a year (Istimewa ... Sangat Kurang).

Set by HR (admin kepegawaian) or by the head of the unit. It shapes the distribution
curve of the unit's predikat and is the rating hasil kerja of the unit's head.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.predikat import CapaianOrganisasi, parse_capaian
from kinerja_desktop.errors import NotFound, PermissionDenied, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.audit import record, snapshot
from kinerja_desktop.services.optimistic import check_version, row_changed_message
from kinerja_desktop.services.principal import ADMIN_KEPEGAWAIAN, ADMINISTRATOR, Principal
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import UnitCapaian
from kinerja_desktop.store.org import Position, Unit

_FIELDS = ("unit_id", "year", "capaian", "set_by", "set_on")


def is_unit_head(session: Session, employee: Employee) -> bool:
    """True when ``employee`` holds the head position of their own unit."""
    if not employee.position_id or not employee.unit_id:
        return False
    pos = session.get(Position, employee.position_id)
    return bool(pos is not None and pos.is_unit_head)


def _may_set(session: Session, actor: Principal, unit_id: str) -> bool:
    if actor.is_system or actor.role in (ADMIN_KEPEGAWAIAN, ADMINISTRATOR):
        return True
    if not actor.employee_id:
        return False
    emp = session.get(Employee, actor.employee_id)
    return bool(emp is not None and emp.unit_id == unit_id and is_unit_head(session, emp))


def own_capaian(session: Session, unit_id: str, year: int) -> UnitCapaian | None:
    """The capaian set for exactly this unit and year."""
    return session.scalar(select(UnitCapaian).where(
        UnitCapaian.unit_id == unit_id, UnitCapaian.year == year, UnitCapaian.deleted.is_(False)
    ).order_by(UnitCapaian.updated_hlc.desc()).limit(1))


def effective_capaian(session: Session, unit_id: str, year: int) -> tuple[CapaianOrganisasi | None, str | None]:
    """(capaian, unit id it was set on): the unit's own, else the nearest parent unit's."""
    seen = set()
    current: str | None = unit_id
    while current and current not in seen:
        seen.add(current)
        row = own_capaian(session, current, year)
        if row is not None:
            return parse_capaian(row.capaian), current
        unit = session.get(Unit, current)
        current = unit.parent_id if unit is not None else None
    return None, None


def capaian_by_unit(session: Session, year: int) -> dict[str, CapaianOrganisasi]:
    """unit id -> own capaian for ``year`` (one query)."""
    rows = session.execute(select(UnitCapaian.unit_id, UnitCapaian.capaian).where(
        UnitCapaian.year == year, UnitCapaian.deleted.is_(False)).order_by(UnitCapaian.updated_hlc))
    return {unit_id: parse_capaian(value) for unit_id, value in rows}


def set_capaian(session: Session, actor: Principal, unit_id: str, year: int, capaian: str | CapaianOrganisasi, *,
                expected_hlc: str | None = None, today: date | None = None) -> UnitCapaian:
    """Set (or change) the unit's capaian for ``year``; HR or the unit's head; audited."""
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted:
        raise NotFound(_("Unit kerja yang diminta tidak ada."))
    if not _may_set(session, actor, unit_id):
        raise PermissionDenied(_("Capaian kinerja organisasi {unit} hanya dapat ditetapkan oleh admin kepegawaian "
                                 "atau kepala unit itu.").format(unit=unit.name))
    try:
        value = parse_capaian(capaian)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    row = own_capaian(session, unit_id, year)
    today = today or date.today()
    if row is None:
        row = UnitCapaian(unit_id=unit_id, year=year, capaian=value.value, set_by=actor.username, set_on=today)
        session.add(row)
        session.flush()
        record(session, actor, "create", UnitCapaian.__tablename__, row.id, None, snapshot(row, _FIELDS))
        return row
    check_version(row, expected_hlc, row_changed_message())
    if row.capaian == value.value:
        return row
    before = snapshot(row, _FIELDS)
    row.capaian, row.set_by, row.set_on = value.value, actor.username, today
    session.flush()
    record(session, actor, "update", UnitCapaian.__tablename__, row.id, before, snapshot(row, _FIELDS))
    return row
