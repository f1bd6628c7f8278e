"""Distribution recap: the predikat of a unit's employees against the curve for its capaian.

Per unit and year (the annual period unless another period is asked for): counts and
percentages per predikat of the newest evaluation versions of everyone in the unit and
its sub-units, checked with :func:`domain.distribution.check_distribution` against the
unit's capaian kinerja organisasi (its own, else its nearest parent's). Guidance only:
it warns, it never blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.distribution import DistributionReport, check_distribution
from kinerja_desktop.domain.predikat import CapaianOrganisasi, Predikat
from kinerja_desktop.errors import NotFound, PermissionDenied
from kinerja_desktop.i18n import _
from kinerja_desktop.services.capaian import capaian_by_unit
from kinerja_desktop.services.evaluation_grid import current_versions
from kinerja_desktop.services.periods import annual_period, get_period, period_label
from kinerja_desktop.services.principal import ADMIN_KEPEGAWAIAN, ADMINISTRATOR, Principal
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Unit


@dataclass
class UnitRecap:
    unit_id: str
    unit_name: str
    year: int
    period_label: str
    capaian: CapaianOrganisasi | None
    capaian_unit_id: str | None  # the unit the capaian was set on (this one or a parent)
    headcount: int  # active employees in the unit and its sub-units
    counts: dict[Predikat, int]
    final: int  # of the counted predikat, how many are final (the rest are drafts)
    report: DistributionReport | None  # None while the capaian is not set

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def not_rated(self) -> int:
        return self.headcount - self.rated

    def percentages(self) -> dict[Predikat, float]:
        total = self.rated
        return {p: (n * 100 / total if total else 0.0) for p, n in self.counts.items()}

    def summary_text(self) -> str:
        if self.report is None:
            return _("Capaian kinerja organisasi {unit} tahun {year} belum ditetapkan; pola distribusi belum dapat "
                     "diperiksa.").format(unit=self.unit_name, year=self.year)
        return self.report.summary_text()


def _tree(session: Session) -> tuple[dict[str, Unit], dict[str, list[str]]]:
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.deleted.is_(False)))}
    children: dict[str, list[str]] = {}
    for u in units.values():
        if u.parent_id in units:
            children.setdefault(u.parent_id, []).append(u.id)
    return units, children


def _subtree(children: dict[str, list[str]], root: str) -> list[str]:
    out, stack, seen = [], [root], set()
    while stack:
        uid = stack.pop()
        if uid in seen:
            continue
        seen.add(uid)
        out.append(uid)
        stack.extend(children.get(uid, []))
    return out


def _visible_units(session: Session, actor: Principal, children: dict[str, list[str]]) -> set[str] | None:
    """Units ``actor`` may see a recap of (None: all)."""
    if actor.is_system or actor.role in (ADMIN_KEPEGAWAIAN, ADMINISTRATOR):
        return None
    me = session.get(Employee, actor.employee_id) if actor.employee_id else None
    if me is None or not me.unit_id:
        return set()
    return set(_subtree(children, me.unit_id))


def _effective(units: dict[str, Unit], own: dict[str, CapaianOrganisasi], unit_id: str):
    seen, current = set(), unit_id
    while current and current not in seen:
        seen.add(current)
        if current in own:
            return own[current], current
        current = units[current].parent_id if current in units else None
    return None, None


def recap_units(session: Session, actor: Principal, year: int, unit_ids: list[str] | None = None, *,
                period_id: str | None = None, final_only: bool = False) -> list[UnitRecap]:
    """Recaps of ``unit_ids`` (default: every unit ``actor`` may see that has employees)."""
    period = get_period(session, period_id) if period_id else annual_period(session, year)
    units, children = _tree(session)
    visible = _visible_units(session, actor, children)
    if unit_ids is None:
        unit_ids = sorted(units, key=lambda u: units[u].name)
    for uid in unit_ids:
        if uid not in units:
            raise NotFound(_("Unit kerja yang diminta tidak ada."))
        if visible is not None and uid not in visible:
            raise PermissionDenied(_("Anda hanya dapat melihat rekap unit kerja Anda sendiri dan unit di bawahnya."))
    people = session.execute(select(Employee.id, Employee.unit_id).where(
        Employee.deleted.is_(False), Employee.active.is_(True))).all()
    unit_of = {emp_id: uid for emp_id, uid in people}
    versions = current_versions(session, select(Employee.id).where(Employee.deleted.is_(False),
                                                                    Employee.active.is_(True)), [period.id])
    by_unit_counts: dict[str, dict[Predikat, int]] = {}
    by_unit_final: dict[str, int] = {}
    headcount: dict[str, int] = {}
    for uid in unit_of.values():
        headcount[uid] = headcount.get(uid, 0) + 1
    for (emp_id, _pid), (_ev, status, pred, _rev) in versions.items():
        if not pred or (final_only and status != "final"):
            continue
        uid = unit_of.get(emp_id)
        counts = by_unit_counts.setdefault(uid, {p: 0 for p in Predikat})
        counts[Predikat(pred)] += 1
        if status == "final":
            by_unit_final[uid] = by_unit_final.get(uid, 0) + 1
    own = capaian_by_unit(session, year)
    out = []
    label = period_label(period)
    for uid in unit_ids:
        sub = _subtree(children, uid)
        heads = sum(headcount.get(s, 0) for s in sub)
        counts = {p: sum(by_unit_counts.get(s, {}).get(p, 0) for s in sub) for p in Predikat}
        capaian, source = _effective(units, own, uid)
        report = check_distribution(capaian, counts) if capaian else None
        out.append(UnitRecap(uid, units[uid].name, year, label, capaian, source, heads, counts,
                             sum(by_unit_final.get(s, 0) for s in sub), report))
    return out


def unit_recap(session: Session, actor: Principal, unit_id: str, year: int, *, period_id: str | None = None,
               final_only: bool = False) -> UnitRecap:
    """The recap of one unit (with its sub-units)."""
    return recap_units(session, actor, year, [unit_id], period_id=period_id, final_only=final_only)[0]


def all_recaps(session: Session, actor: Principal, year: int, **kw) -> list[UnitRecap]:
    """Recaps of every visible unit that has employees."""
    units, children = _tree(session)
    visible = _visible_units(session, actor, children)
    ids = sorted((u for u in units if visible is None or u in visible), key=lambda u: units[u].name)
    return [r for r in recap_units(session, actor, year, ids, **kw) if r.headcount]
