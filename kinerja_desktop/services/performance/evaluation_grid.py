"""The Penilaian Kinerja page: employees × periods of a year with their evaluation status.

A supervisor sees their direct subordinates (or the whole chain below them); HR sees
every active employee, filtered by unit and name/NIP. Each cell is ``belum`` (belum
dibuat), ``draf`` or ``final`` for the newest version, with its predikat, and is marked
overdue when the period's batas pengisian has passed and it is not final.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from kinerja_desktop.i18n import N_
from kinerja_desktop.services.access.permissions import employee_scope
from kinerja_desktop.services.access.principal import PEJABAT_PENILAI, Principal
from kinerja_desktop.services.performance.periods import is_overdue, list_periods
from kinerja_desktop.services.roster.org_tree import units_below
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.store.periods import Period
from kinerja_desktop.store.skp import Skp

CELL_LABELS = {"belum": N_("belum dibuat"), "draf": N_("draf"), "final": N_("final")}
SKP_LABELS = {"belum": N_("belum dibuat"), "draft": N_("draf"), "agreed": N_("disepakati")}


@dataclass(frozen=True)
class Cell:
    status: str  # "belum" | "draf" | "final"
    evaluation_id: str | None = None
    predikat: str | None = None
    revision_no: int = 0
    overdue: bool = False


@dataclass
class GridRow:
    employee_id: str
    nip: str
    name: str
    unit: str
    position: str
    skp_status: str  # "belum" | "draft" | "agreed"
    skp_id: str | None
    cells: dict[str, Cell] = field(default_factory=dict)  # period id -> cell


@dataclass
class Grid:
    year: int
    periods: list[Period]
    rows: list[GridRow]
    total: int  # rows matching the filters (rows holds one page of them)


def scope_query(actor: Principal, *, direct_only: bool = True) -> Select:
    """SELECT Employee.id of the active employees ``actor`` works on.

    Pejabat penilai: direct subordinates (``direct_only``) or everyone below them;
    HR, administrator and the system: every active employee.
    """
    q = select(Employee.id).where(Employee.deleted.is_(False), Employee.active.is_(True))
    if actor.role == PEJABAT_PENILAI and direct_only:
        return q.where(Employee.supervisor_id == (actor.employee_id or ""))
    return q.where(employee_scope(actor))


def current_versions(session: Session, employee_ids: Select, period_ids: list[str]) -> dict[tuple[str, str], tuple]:
    """(employee id, period id) -> (evaluation id, status, predikat, revision_no) of the newest version.

    Closing evaluations of an earlier assignment (kind ``penugasan``) are not the period's cell.
    """
    if not period_ids:
        return {}
    rows = session.execute(
        select(
            Evaluation.employee_id,
            Evaluation.period_id,
            Evaluation.id,
            Evaluation.status,
            Evaluation.predikat,
            Evaluation.revision_no,
        ).where(
            Evaluation.period_id.in_(period_ids),
            Evaluation.deleted.is_(False),
            Evaluation.kind != "penugasan",
            Evaluation.employee_id.in_(employee_ids.scalar_subquery()),
        )
    )
    out: dict[tuple[str, str], tuple] = {}
    for emp_id, period_id, ev_id, status, pred, rev in rows:
        key = (emp_id, period_id)
        have = out.get(key)
        if have is None or rev > have[3]:
            out[key] = (ev_id, status, pred, rev)
    return out


def current_counts_query(employee_ids: Select, period_ids: list[str]) -> Select:
    """SELECT period_id, status, predikat, count(*) over the newest versions (no row leaves SQL)."""
    newer = aliased(Evaluation)
    return (
        select(Evaluation.period_id, Evaluation.status, Evaluation.predikat, func.count())
        .where(
            Evaluation.period_id.in_(period_ids),
            Evaluation.deleted.is_(False),
            Evaluation.kind != "penugasan",
            Evaluation.employee_id.in_(employee_ids.scalar_subquery()),
            ~exists().where(newer.revision_of_id == Evaluation.id, newer.deleted.is_(False)),
        )
        .group_by(Evaluation.period_id, Evaluation.status, Evaluation.predikat)
    )


def cell_for(version: tuple | None, period: Period, today: date) -> Cell:
    if version is None:
        return Cell("belum", overdue=is_overdue(period, today))
    ev_id, status, pred, rev = version
    final = status == "final"
    return Cell("final" if final else "draf", ev_id, pred, rev, overdue=(not final and is_overdue(period, today)))


def filtered_ids(actor: Principal, *, unit_id: str | None = None, search: str = "", direct_only: bool = True) -> Select:
    """SELECT Employee.id of the grid's rows (scope, unit, name or NIP)."""
    ids = scope_query(actor, direct_only=direct_only)
    if unit_id:  # the unit and its sub-units
        tree = units_below(unit_id, "grid_units")
        ids = ids.where(Employee.unit_id.in_(select(tree.c.id)))
    text = search.strip()
    if text:
        like = f"%{text.lower()}%"
        ids = ids.where(or_(func.lower(Employee.name).like(like), Employee.nip.like(f"{text.replace(' ', '')}%")))
    return ids


def count_grid(
    session: Session, actor: Principal, *, unit_id: str | None = None, search: str = "", direct_only: bool = True
) -> int:
    ids = filtered_ids(actor, unit_id=unit_id, search=search, direct_only=direct_only)
    return session.scalar(select(func.count()).select_from(ids.subquery())) or 0


def evaluation_grid(
    session: Session,
    actor: Principal,
    year: int,
    *,
    unit_id: str | None = None,
    search: str = "",
    direct_only: bool = True,
    today: date | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> Grid:
    """One page of the Penilaian grid for ``year``."""
    today = today or date.today()
    periods = list_periods(session, year)
    ids = filtered_ids(actor, unit_id=unit_id, search=search, direct_only=direct_only)
    total = session.scalar(select(func.count()).select_from(ids.subquery()))
    q = (
        select(
            Employee.id,
            Employee.nip,
            Employee.front_title,
            Employee.name,
            Employee.back_title,
            Unit.name,
            Position.name,
        )
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(Employee.id.in_(ids.scalar_subquery()))
        .order_by(Unit.name, Employee.name, Employee.nip)
    )
    if offset:
        q = q.offset(offset)
    if limit is not None:
        q = q.limit(limit)
    people = session.execute(q).all()
    page_ids = select(Employee.id).where(Employee.id.in_([p[0] for p in people])) if limit is not None else ids
    versions = current_versions(session, page_ids, [p.id for p in periods])
    skps = {
        emp_id: (skp_id, status)
        for emp_id, skp_id, status in session.execute(
            select(Skp.employee_id, Skp.id, Skp.status).where(
                Skp.year == year, Skp.deleted.is_(False), Skp.employee_id.in_(page_ids.scalar_subquery())
            )
        )
    }
    rows = []
    overdue = {p.id: is_overdue(p, today) for p in periods}
    empty = {p.id: Cell("belum", overdue=overdue[p.id]) for p in periods}  # shared: cells are immutable
    for emp_id, nip, front, name, back, unit, position in people:
        full = f"{front} {name}".strip() if front else name
        full = f"{full}, {back}" if back else full
        skp_id, skp_status = skps.get(emp_id, (None, "belum"))
        cells = {}
        for pid in overdue:
            version = versions.get((emp_id, pid))
            if version is None:
                cells[pid] = empty[pid]
            else:
                ev_id, status, pred, rev = version
                final = status == "final"
                cells[pid] = Cell("final" if final else "draf", ev_id, pred, rev, not final and overdue[pid])
        rows.append(GridRow(emp_id, nip, full, unit or "", position or "", skp_status, skp_id, cells))
    return Grid(year, periods, rows, total or 0)
