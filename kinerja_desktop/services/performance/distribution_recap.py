"""Distribution recap: the predikat of an organisation's employees against the curve for its capaian.

PermenPANRB 6/2022 (pola distribusi): the capaian kinerja organisasi shapes the predikat
of the employees *below the head of that organisation*. So the recap is computed over:

- the **organisation whose capaian is used**: a unit's own capaian for the period, else
  its nearest parent's (a Bidang without one of its own is counted with its Dinas, never
  on its own); without any capaian, the nearest unit that is an organisation (not a
  Bidang);
- **the head's subordinates**: every active employee whose organisation that is, the
  head not counted (a head belongs to the organisation above, whose capaian rates him);
- **final evaluations only** for the check and for documents; drafts are counted
  separately for the screen (``draft_counts``, and ``projected``: the check if every
  draft became final as it stands).

Guidance only: it warns, it never blocks. Who may see a recap: HR; the head of the
organisation or of one above it; the Sekda for the perangkat daerah.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.distribution import DistributionReport, check_distribution
from kinerja_desktop.domain.predikat import CapaianOrganisasi, Predikat
from kinerja_desktop.errors import NotFound, PermissionDenied
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, ADMINISTRATOR, Principal
from kinerja_desktop.services.performance.capaian import capaian_by_unit
from kinerja_desktop.services.performance.evaluation_grid import current_versions
from kinerja_desktop.services.performance.kepala_daerah import sekda_holders
from kinerja_desktop.services.performance.periods import annual_period, get_period, period_label
from kinerja_desktop.services.roster.org_tree import read_tree, subtree_ids
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.store.periods import Period


@dataclass
class UnitRecap:
    unit_id: str  # the organisation (the unit whose capaian is used, or the natural one)
    unit_name: str
    year: int
    period_id: str
    period_label: str
    capaian: CapaianOrganisasi | None
    capaian_unit_id: str | None  # == unit_id when a capaian is set
    headcount: int  # the head's subordinates in the organisation (active)
    counts: dict[Predikat, int]  # final evaluations only
    draft_counts: dict[Predikat, int] = field(default_factory=dict)  # drafts with a predikat
    report: DistributionReport | None = None  # on the final evaluations; None while no capaian
    projected: DistributionReport | None = None  # if every draft became final as it stands
    requested_unit_id: str = ""  # the unit asked for (a Bidang's recap is its Dinas's)
    head_names: tuple[str, ...] = ()  # the head(s), not counted
    member_ids: tuple[str, ...] = ()  # the employees counted (the head's subordinates in the organisation)
    head_ids: tuple[str, ...] = ()

    @property
    def final(self) -> int:
        return sum(self.counts.values())

    @property
    def drafts(self) -> int:
        return sum(self.draft_counts.values())

    @property
    def rated(self) -> int:
        """Employees with a predikat, final or draft."""
        return self.final + self.drafts

    @property
    def not_rated(self) -> int:
        return max(0, self.headcount - self.rated)

    def percentages(self) -> dict[Predikat, float]:
        """Shares of the final predikat."""
        total = self.final
        return {p: (n * 100 / total if total else 0.0) for p, n in self.counts.items()}

    def summary_text(self) -> str:
        if self.report is None:
            return _(
                "Capaian kinerja organisasi {unit} periode {period} belum ditetapkan; pola distribusi belum dapat "
                "diperiksa."
            ).format(unit=self.unit_name, period=self.period_label)
        return self.report.summary_text()


@dataclass
class _Org:
    """Everything the recaps of one period need, read once."""

    units: dict[str, Unit]
    children: dict[str, list[str]]
    own: dict[str, CapaianOrganisasi]
    heads: dict[str, set[str]]  # unit id -> head employee ids
    head_names: dict[str, list[str]]

    def parent(self, unit_id: str) -> str | None:
        unit = self.units.get(unit_id)
        return unit.parent_id if unit is not None and unit.parent_id in self.units else None

    def org_of_unit(self, unit_id: str) -> str:
        """The nearest unit at or above with a capaian; without one, the nearest non-Bidang unit."""
        seen: set[str] = set()
        current: str | None = unit_id
        while current and current not in seen:
            seen.add(current)
            if current in self.own:
                return current
            current = self.parent(current)
        natural = unit_id
        while self.units[natural].kind == "bidang" and (above := self.parent(natural)):
            natural = above
        return natural

    def org_of_employee(self, employee_id: str, unit_id: str) -> str | None:
        """The organisation an employee is counted in; a head counts in the one above (None at the top)."""
        org = self.org_of_unit(unit_id)
        if employee_id in self.heads.get(org, ()):
            above = self.parent(org)
            return self.org_of_unit(above) if above else None
        return org


def _read_org(session: Session, period: Period) -> _Org:
    tree = read_tree(session)
    units, children = tree.units, tree.children
    heads: dict[str, set[str]] = {}
    names: dict[str, list[str]] = {}
    rows = session.execute(
        select(Employee.id, Employee.unit_id, Employee.front_title, Employee.name, Employee.back_title)
        .join(Position, Position.id == Employee.position_id)
        .where(Position.is_unit_head.is_(True), Employee.deleted.is_(False), Employee.active.is_(True))
    )
    for emp_id, unit_id, front, name, back in rows:
        if unit_id is None:
            continue
        heads.setdefault(unit_id, set()).add(emp_id)
        full = f"{front} {name}".strip() if front else name
        names.setdefault(unit_id, []).append(f"{full}, {back}" if back else full)
    return _Org(units, children, capaian_by_unit(session, period), heads, names)


def _visible_orgs(session: Session, actor: Principal, org: _Org) -> set[str] | None:
    """Organisations ``actor`` may see a recap of (None: all)."""
    if actor.is_system or actor.role in (ADMIN_KEPEGAWAIAN, ADMINISTRATOR):
        return None
    if not actor.employee_id:
        return set()
    led = [uid for uid, ids in org.heads.items() if actor.employee_id in ids]
    if any(e.id == actor.employee_id for e in sekda_holders(session)):
        led += [uid for uid, u in org.units.items() if u.parent_id not in org.units]
    out: set[str] = set()
    for uid in led:
        out.update(subtree_ids(org.children, uid))
    return out


def _not_visible() -> PermissionDenied:
    return PermissionDenied(
        _(
            "Distribusi predikat sebuah organisasi hanya dapat dilihat oleh kepala organisasi itu, "
            "pimpinan di atasnya, dan admin kepegawaian."
        )
    )


def recap_units(
    session: Session,
    actor: Principal,
    year: int,
    unit_ids: list[str] | None = None,
    *,
    period_id: str | None = None,
    final_only: bool = True,
) -> list[UnitRecap]:
    """Recaps of the organisations of ``unit_ids`` (default: every one ``actor`` may see).

    ``final_only`` is kept for callers of the older interface: the check always uses final
    evaluations; drafts are reported separately in ``draft_counts``.
    """
    period = get_period(session, period_id) if period_id else annual_period(session, year)
    org = _read_org(session, period)
    visible = _visible_orgs(session, actor, org)
    if unit_ids is None:
        unit_ids = sorted(org.units, key=lambda u: org.units[u].name)
    people = session.execute(
        select(Employee.id, Employee.unit_id).where(
            Employee.deleted.is_(False), Employee.active.is_(True), Employee.unit_id.is_not(None)
        )
    ).all()
    org_of = {emp_id: org.org_of_employee(emp_id, uid) for emp_id, uid in people if uid in org.units}
    versions = current_versions(
        session, select(Employee.id).where(Employee.deleted.is_(False), Employee.active.is_(True)), [period.id]
    )
    final: dict[str, dict[Predikat, int]] = {}
    drafts: dict[str, dict[Predikat, int]] = {}
    headcount: dict[str, int] = {}
    for o in org_of.values():
        if o is not None:
            headcount[o] = headcount.get(o, 0) + 1
    for (emp_id, _pid), (_ev, status, pred, _rev) in versions.items():
        o = org_of.get(emp_id)
        if not pred or o is None:
            continue
        bucket = final if status == "final" else drafts
        counts = bucket.setdefault(o, {p: 0 for p in Predikat})
        counts[Predikat(pred)] += 1
    label = period_label(period)
    members: dict[str, list[str]] = {}
    for emp_id, o in org_of.items():
        if o is not None:
            members.setdefault(o, []).append(emp_id)
    out = []
    for uid in unit_ids:
        if uid not in org.units:
            raise NotFound(_("Unit kerja yang diminta tidak ada."))
        o = org.org_of_unit(uid)
        if visible is not None and o not in visible:
            raise _not_visible()
        recap = _recap(org, o, uid, year, period, label, headcount, final, drafts)
        recap.member_ids = tuple(members.get(o, ()))
        recap.head_ids = tuple(org.heads.get(o, ()))
        out.append(recap)
    return out


def _recap(
    org: _Org, o: str, requested: str, year: int, period: Period, label: str, headcount: dict, final: dict, drafts: dict
) -> UnitRecap:
    zero = {p: 0 for p in Predikat}
    counts = dict(final.get(o, zero))
    draft_counts = dict(drafts.get(o, zero))
    capaian = org.own.get(o)
    report = projected = None
    if capaian is not None:
        report = check_distribution(capaian, counts)
        projected = check_distribution(capaian, {p: counts[p] + draft_counts[p] for p in Predikat})
    return UnitRecap(
        unit_id=o,
        unit_name=org.units[o].name,
        year=year,
        period_id=period.id,
        period_label=label,
        capaian=capaian,
        capaian_unit_id=o if capaian is not None else None,
        headcount=headcount.get(o, 0),
        counts=counts,
        draft_counts=draft_counts,
        report=report,
        projected=projected,
        requested_unit_id=requested,
        head_names=tuple(org.head_names.get(o, ())),
    )


def unit_recap(
    session: Session,
    actor: Principal,
    unit_id: str,
    year: int,
    *,
    period_id: str | None = None,
    final_only: bool = True,
) -> UnitRecap:
    """The recap of the organisation of one unit (a Bidang's is its Dinas's when the Dinas holds the capaian)."""
    return recap_units(session, actor, year, [unit_id], period_id=period_id)[0]


def all_recaps(session: Session, actor: Principal, year: int, **kw) -> list[UnitRecap]:
    """Recaps of every organisation ``actor`` may see that has employees, one per organisation."""
    period_id = kw.get("period_id")
    period = get_period(session, period_id) if period_id else annual_period(session, year)
    org = _read_org(session, period)
    visible = _visible_orgs(session, actor, org)
    orgs = sorted({org.org_of_unit(u) for u in org.units}, key=lambda u: org.units[u].name)
    ids = [o for o in orgs if visible is None or o in visible]
    if not ids:
        return []
    return [r for r in recap_units(session, actor, year, ids, period_id=period.id) if r.headcount]
