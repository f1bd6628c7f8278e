"""Beranda numbers: what is due and overdue, SKP progress, counts per predikat.

For a pejabat penilai: their direct subordinates (the people they evaluate). For HR
and administrators: every active employee of the site (optionally one unit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.predikat import Predikat
from kinerja_desktop.services.access.principal import SUPERVISOR_ROLES, Principal
from kinerja_desktop.services.performance.evaluation_grid import current_counts_query, scope_query
from kinerja_desktop.services.performance.periods import is_overdue, list_periods, period_label
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.skp import Skp

#: A period's evaluations are "due" from this many days before the period ends (the last
#: month of a triwulan, the whole of a month) until its batas pengisian.
DUE_WINDOW = timedelta(days=35)


@dataclass(frozen=True)
class PeriodDue:
    period_id: str
    label: str
    deadline: date
    not_final: int  # employees whose evaluation is not final (belum dibuat or draf)
    drafts: int
    final: int
    overdue: bool


@dataclass
class Dashboard:
    year: int
    scope: str  # "supervisor" | "hr"
    employees: int
    skp_counts: dict[str, int]  # "belum" / "draft" / "agreed"
    due: list[PeriodDue]
    overdue: list[PeriodDue]
    #: predikat of the annual period (newest versions, final and draft) and of the newest periodic
    #: period that has ended (the current one while none has)
    predikat_annual: dict[Predikat, int] = field(default_factory=dict)
    predikat_latest: dict[Predikat, int] = field(default_factory=dict)
    latest_label: str = ""

    @property
    def overdue_count(self) -> int:
        return sum(d.not_final for d in self.overdue)

    @property
    def due_count(self) -> int:
        return sum(d.not_final for d in self.due)


def dashboard(
    session: Session, actor: Principal, year: int, *, today: date | None = None, unit_id: str | None = None
) -> Dashboard:
    today = today or date.today()
    ids = scope_query(actor, direct_only=True)
    if unit_id:
        ids = ids.where(Employee.unit_id == unit_id)
    headcount = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    skp_counts = {"belum": 0, "draft": 0, "agreed": 0}
    for status, n in session.execute(
        select(Skp.status, func.count())
        .where(Skp.year == year, Skp.deleted.is_(False), Skp.employee_id.in_(ids.scalar_subquery()))
        .group_by(Skp.status)
    ):
        skp_counts[status] = n
    skp_counts["belum"] = max(0, headcount - skp_counts["draft"] - skp_counts["agreed"])

    periods = list_periods(session, year)
    per_period: dict[str, dict[str, int]] = {p.id: {"draf": 0, "final": 0} for p in periods}
    predikat_by_period: dict[str, dict[Predikat, int]] = {p.id: {x: 0 for x in Predikat} for p in periods}
    for period_id, status, pred, n in session.execute(current_counts_query(ids, [p.id for p in periods])):
        per_period[period_id]["final" if status == "final" else "draf"] += n
        if pred:
            predikat_by_period[period_id][Predikat(pred)] += n
    due, overdue = [], []
    for p in periods:
        counts = per_period[p.id]
        not_final = headcount - counts["final"]
        item = PeriodDue(
            p.id, period_label(p), p.deadline, not_final, counts["draf"], counts["final"], is_overdue(p, today)
        )
        if not_final <= 0:
            continue
        if item.overdue:
            overdue.append(item)
        elif p.end - DUE_WINDOW <= today:
            due.append(item)
    annual = next((p for p in periods if p.is_annual), None)
    periodic = [p for p in periods if not p.is_annual]
    ended = [p for p in periodic if p.end < today]
    started = [p for p in periodic if p.start <= today]
    latest = max(ended or started, key=lambda p: p.start) if (ended or started) else None
    return Dashboard(
        year=year,
        scope="supervisor" if actor.role in SUPERVISOR_ROLES else "hr",
        employees=headcount,
        skp_counts=skp_counts,
        due=due,
        overdue=overdue,
        predikat_annual=predikat_by_period[annual.id] if annual else {x: 0 for x in Predikat},
        predikat_latest=predikat_by_period[latest.id] if latest else {x: 0 for x in Predikat},
        latest_label=period_label(latest) if latest else "",
    )
