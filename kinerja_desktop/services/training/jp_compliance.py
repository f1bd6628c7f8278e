"""The 20 JP rule per employee per year, per unit, and for the Beranda card.

A record counts for the year its activity ends in. The people in scope are read first
(one query, the supervisor chain walked once); then each employee's JP is summed by
category (klasikal, nonklasikal, pendidikan) with ONE aggregate query (GROUP BY the
employee, :func:`totals_for`), and the two are merged in Python. Never one query per
person. (Joining the aggregate to the roster in SQL makes SQLite build a temporary index
on the aggregate each time, which costs more than the merge.) The rule (at least 20 JP
a year, PP 11/2017 jo. PP 17/2020 Pasal 203(4)) applies to PNS; PPPK rows show their JP
with the rule marked "tidak wajib".

The 10:20:70 mix (BKN): each activity type is placed in one of the three ways of
learning, see :data:`MIX_OF`: 10 = formal learning (classroom, e-learning, distance
learning, self-study, formal education), 20 = learning from others (coaching, mentoring,
benchmarking, learning communities), 70 = learning on the job (detasering, exchange,
guidance at the workplace, internship). The placement of the "lainnya" types and of
outbound is this program's reading, not the regulation's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Float, case, func, literal, select, type_coerce
from sqlalchemy.orm import Session

from kinerja_desktop.domain.training import MIN_JP_PER_YEAR
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.permissions import employee_scope, is_roster_wide, require_employee_access
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.roster.org_tree import units_below
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.lookup import referenced
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.store.training import TrainingActivity, TrainingRecord

CENT = Decimal("0.01")
ZERO = Decimal(0)
#: Activity code -> the share of the 10:20:70 model it belongs to.
MIX_OF: dict[str, str] = {
    **{f"KL{n:02d}": "10" for n in range(1, 13)},
    "NKL01": "20",
    "NKL02": "20",
    "NKL03": "10",
    "NKL04": "10",
    "NKL05": "70",
    "NKL06": "10",
    "NKL07": "20",
    "NKL08": "70",
    "NKL09": "10",
    "NKL10": "20",
    "NKL11": "70",
    "NKL12": "70",
    "NKL13": "20",
    "PENDIDIKAN": "10",
}
#: Local types (not in the standard list) by category.
MIX_OF_CATEGORY = {"klasikal": "10", "nonklasikal": "20", "pendidikan": "10"}
MIX_TARGET = {"10": 10, "20": 20, "70": 70}
MIX_LABELS = {
    "10": "Pembelajaran formal (10)",
    "20": "Belajar dari orang lain (20)",
    "70": "Belajar di tempat kerja (70)",
}


_DECIMALS: dict[float, Decimal] = {}


def _jp(value) -> Decimal:
    """A JP sum (a float from SQLite, a multiple of 0.01) as a Decimal with two places."""
    if value is None:
        return ZERO
    found = _DECIMALS.get(value)
    if found is None:
        found = Decimal(str(value)).quantize(CENT)
        if len(_DECIMALS) < 100_000:
            _DECIMALS[value] = found
    return found


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def jp_text(value: Decimal) -> str:
    """JP as people write it: "20", "2,5"."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize()}".replace(".", ",")


@dataclass(frozen=True)
class ComplianceRow:
    employee_id: str
    nip: str
    name: str
    status: str  # PNS / PPPK
    unit_id: str | None
    unit_name: str
    position_name: str
    total: Decimal
    klasikal: Decimal
    nonklasikal: Decimal
    pendidikan: Decimal
    activities: int
    minimum: int = MIN_JP_PER_YEAR

    @property
    def applies(self) -> bool:
        """Whether the 20 JP rule binds this person (PNS)."""
        return self.status == "PNS"

    @property
    def meets(self) -> bool:
        return self.total >= self.minimum

    @property
    def shortfall(self) -> Decimal:
        return max(ZERO, Decimal(self.minimum) - self.total)

    @property
    def status_text(self) -> str:
        """ "memenuhi", "kurang 12 JP", or for PPPK "tidak wajib"."""
        if not self.applies:
            return _("tidak wajib (PPPK)")
        if self.meets:
            return _("memenuhi")
        return _("kurang {jp} JP").format(jp=jp_text(self.shortfall))


def aggregate_query(year: int):
    """employee id, JP klasikal, nonklasikal, pendidikan, total, number of records: one GROUP BY."""
    start, end = year_bounds(year)
    r, a = TrainingRecord, TrainingActivity

    def by(category: str):
        return type_coerce(func.sum(case((a.category == category, r.jp), else_=literal(0))), Float)

    return (
        select(
            r.employee_id.label("employee_id"),
            by("klasikal").label("klasikal"),
            by("nonklasikal").label("nonklasikal"),
            by("pendidikan").label("pendidikan"),
            type_coerce(func.sum(r.jp), Float).label("total"),
            func.count().label("n"),
        )
        .join(a, a.id == r.activity_id)
        .where(a.end_date >= start, a.end_date <= end, a.deleted.is_(False), r.deleted.is_(False))
        .group_by(r.employee_id)
    )


def _scoped_employees(actor: Principal, unit_id: str | None, include_subunits: bool, status: str | None):
    conds = [Employee.deleted.is_(False), Employee.active.is_(True), employee_scope(actor)]
    if unit_id:
        if include_subunits:
            tree = units_below(unit_id)
            conds.append(Employee.unit_id.in_(select(tree.c.id)))
        else:
            conds.append(Employee.unit_id == unit_id)
    if status:
        conds.append(Employee.status == status)
    return conds


#: Up to this many people, the aggregate reads only their records (``IN`` a list of ids);
#: beyond it, reading the whole year once and dropping the others in Python is cheaper.
SMALL_SCOPE = 400


def totals_for(session: Session, year: int, employee_ids: list[str] | None) -> dict[str, tuple]:
    """employee id -> (klasikal, nonklasikal, pendidikan, total, records) of ``year``: one GROUP BY.

    ``employee_ids`` None: everybody. The caller lists the people in scope first (it
    needs them anyway), so the supervisor chain is walked once, not again inside the
    aggregate.
    """
    q = aggregate_query(year)
    if employee_ids is not None and len(employee_ids) <= SMALL_SCOPE:
        if not employee_ids:
            return {}
        q = q.where(TrainingRecord.employee_id.in_(employee_ids))
    return {row[0]: row[1:] for row in session.connection().execute(q)}


def jp_totals(
    session: Session, actor: Principal, year: int, *, unit_id: str | None = None, include_subunits: bool = True
) -> dict[str, tuple]:
    """:func:`totals_for` the active employees ``actor`` may see (of a unit and below)."""
    if not unit_id and is_roster_wide(actor):
        return totals_for(session, year, None)
    ids = list(
        session.connection()
        .execute(select(Employee.id).where(*_scoped_employees(actor, unit_id, include_subunits, None)))
        .scalars()
    )
    keep = set(ids)
    return {k: v for k, v in totals_for(session, year, ids).items() if k in keep}


def _row(emp, totals: dict[str, tuple], minimum: int) -> ComplianceRow:
    eid, nip, name, front, back, st, uid, uname, pname = emp
    kl, nk, pd, tot, n = totals.get(eid, (None, None, None, None, 0))
    full = f"{front} {name}" if front else name
    full = f"{full}, {back}" if back else full
    return ComplianceRow(
        eid, nip, full, st, uid, uname or "", pname or "", _jp(tot), _jp(kl), _jp(nk), _jp(pd), int(n or 0), minimum
    )


def compliance_rows(
    session: Session,
    actor: Principal,
    year: int,
    *,
    unit_id: str | None = None,
    include_subunits: bool = True,
    only_below: bool = False,
    status: str | None = None,
    minimum: int = MIN_JP_PER_YEAR,
) -> list[ComplianceRow]:
    """One row per active employee in scope (by unit name, then name), with their JP of ``year``.

    ``only_below``: only the PNS still below the minimum.
    """
    q = (
        select(
            Employee.id,
            Employee.nip,
            Employee.name,
            Employee.front_title,
            Employee.back_title,
            Employee.status,
            Employee.unit_id,
            Unit.name,
            Position.name,
        )
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(*_scoped_employees(actor, unit_id, include_subunits, "PNS" if only_below else status))
        .order_by(Unit.name, Employee.name, Employee.id)
    )
    people = session.connection().execute(q).all()
    totals = totals_for(session, year, [p[0] for p in people])
    rows = [_row(emp, totals, minimum) for emp in people]
    if only_below:
        rows = [r for r in rows if not r.meets]
    return rows


def employee_compliance(session: Session, actor: Principal, employee_id: str, year: int) -> ComplianceRow:

    require_employee_access(session, actor, employee_id)
    row = session.execute(aggregate_query(year).where(TrainingRecord.employee_id == employee_id)).first()
    emp = referenced(session, Employee, employee_id)
    unit = session.get(Unit, emp.unit_id) if emp.unit_id else None
    pos = session.get(Position, emp.position_id) if emp.position_id else None
    kl, nk, pd, tot, n = row[1:] if row else (0, 0, 0, 0, 0)
    return ComplianceRow(
        emp.id,
        emp.nip,
        emp.full_name,
        emp.status,
        emp.unit_id,
        unit.name if unit else "",
        pos.name if pos else "",
        _jp(tot),
        _jp(kl),
        _jp(nk),
        _jp(pd),
        int(n or 0),
    )


# --- per unit ----------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitCompliance:
    unit_id: str
    code: str
    name: str
    employees: int
    pns: int
    pns_meeting: int
    total_jp: Decimal

    @property
    def pns_below(self) -> int:
        return self.pns - self.pns_meeting

    @property
    def share_meeting(self) -> float:
        """Fraction of the PNS that meet the rule (1.0 when the unit has no PNS)."""
        return self.pns_meeting / self.pns if self.pns else 1.0

    @property
    def mean_jp(self) -> Decimal:
        return (self.total_jp / self.employees).quantize(CENT) if self.employees else ZERO


def unit_summary(
    session: Session, actor: Principal, year: int, *, parent_unit_id: str | None = None, minimum: int = MIN_JP_PER_YEAR
) -> list[UnitCompliance]:
    """The units directly under ``parent_unit_id``, each counted with everything below it:
    employees, PNS, PNS meeting the rule, JP.

    With ``parent_unit_id`` None: the first level of the tree where the people in scope
    divide over more than one unit (a district whose only root is "Pemerintah Kabupaten"
    shows its OPDs; a pejabat penilai whose people all work in one OPD, its parts).
    """
    people = (
        session.connection()
        .execute(
            select(Employee.id, Employee.unit_id, Employee.status).where(*_scoped_employees(actor, None, True, None))
        )
        .all()
    )
    totals = totals_for(session, year, [p[0] for p in people])
    per_unit: dict[str | None, list] = {}
    for eid, uid, status in people:
        got = totals.get(eid)
        jp = round(got[3] or 0.0, 2) if got else 0.0  # float sums of 0.01 steps: round first
        u = per_unit.setdefault(uid, [0, 0, 0, 0.0])
        u[0] += 1
        if status == "PNS":
            u[1] += 1
            u[2] += jp >= minimum
        u[3] += jp
    units = session.execute(select(Unit.id, Unit.code, Unit.name, Unit.parent_id).where(Unit.deleted.is_(False))).all()
    info = {u.id: u for u in units}
    rows = _roll_up(per_unit, info, parent_unit_id)
    seen: set[str] = set()
    while parent_unit_id is None and len(rows) == 1 and rows[0].unit_id not in seen:
        seen.add(rows[0].unit_id)
        deeper = _roll_up(per_unit, info, rows[0].unit_id)
        if not deeper or (len(deeper) == 1 and deeper[0].unit_id == rows[0].unit_id):
            break  # everyone sits in that unit itself
        rows = deeper
    return rows


def _roll_up(per_unit: dict, info: dict, parent_unit_id: str | None) -> list[UnitCompliance]:
    def parent_of(uid: str) -> str | None:
        p = info[uid].parent_id
        return p if p in info else None

    def under(uid: str | None) -> str | None:
        """The unit directly under ``parent_unit_id`` that ``uid`` lies in (itself included)."""
        node, seen = uid, set()
        while node is not None and node in info and node not in seen:
            if node == parent_unit_id:
                return node  # people placed in the parent unit itself get a row of their own
            seen.add(node)
            if parent_of(node) == parent_unit_id:
                return node
            node = parent_of(node)
        return None

    sums: dict[str, list] = {}
    for uid, (n, pns, ok, jp) in per_unit.items():
        node = under(uid)
        if node is None:
            continue
        s = sums.setdefault(node, [0, 0, 0, 0.0])
        s[0] += n
        s[1] += pns
        s[2] += ok
        s[3] += jp
    out = [
        UnitCompliance(uid, info[uid].code, info[uid].name, s[0], s[1], s[2], _jp(round(s[3], 2)))
        for uid, s in sums.items()
    ]
    return sorted(out, key=lambda u: u.name.casefold())


# --- the 10:20:70 mix --------------------------------------------------------------------


@dataclass(frozen=True)
class Mix:
    jp: dict[str, Decimal]  # "10" / "20" / "70" -> JP

    @property
    def total(self) -> Decimal:
        return sum(self.jp.values(), ZERO)

    def percent(self, share: str) -> float:
        return float(self.jp.get(share, ZERO) / self.total * 100) if self.total else 0.0


def mix(
    session: Session, actor: Principal, year: int, *, unit_id: str | None = None, employee_id: str | None = None
) -> Mix:
    """JP of the year by share of the 10:20:70 model (one GROUP BY activity code)."""
    start, end = year_bounds(year)
    jp_sum = type_coerce(func.sum(TrainingRecord.jp), Float)
    q = (
        select(TrainingActivity.activity_code, TrainingActivity.category, jp_sum)
        .join(TrainingActivity, TrainingActivity.id == TrainingRecord.activity_id)
        .join(Employee, Employee.id == TrainingRecord.employee_id)
        .where(
            TrainingActivity.end_date >= start,
            TrainingActivity.end_date <= end,
            TrainingActivity.deleted.is_(False),
            TrainingRecord.deleted.is_(False),
            *_scoped_employees(actor, unit_id, True, None),
        )
        .group_by(TrainingActivity.activity_code, TrainingActivity.category)
    )
    if employee_id:
        q = q.where(TrainingRecord.employee_id == employee_id)
    out = {"10": ZERO, "20": ZERO, "70": ZERO}
    for code, category, jp in session.execute(q):
        share = MIX_OF.get(code) or MIX_OF_CATEGORY.get(category, "10")
        out[share] += _jp(jp)
    return Mix(out)


# --- Beranda -----------------------------------------------------------------------------


@dataclass(frozen=True)
class JpAlert:
    year: int
    pns: int
    below: int
    months_left: int  # whole calendar months after the current one, to December
    days_left: int  # days to 31 December, today included

    @property
    def text(self) -> str:
        if self.days_left <= 0:
            return _("Tahun {year} sudah berakhir.").format(year=self.year)
        if self.months_left == 0:
            return _("Sisa waktu {days} hari sampai 31 Desember {year}.").format(days=self.days_left, year=self.year)
        return _("Sisa waktu {months} bulan lagi ({days} hari) sampai 31 Desember {year}.").format(
            months=self.months_left, days=self.days_left, year=self.year
        )


def time_left(year: int, today: date) -> tuple[int, int]:
    """(months after the current one, days including today) to the end of ``year``."""
    end = date(year, 12, 31)
    if today > end:
        return 0, 0
    if today.year < year:
        return 12, (end - date(year, 1, 1)).days + 1
    return 12 - today.month, (end - today).days + 1


def jp_alert(
    session: Session,
    actor: Principal,
    year: int | None = None,
    *,
    today: date | None = None,
    minimum: int = MIN_JP_PER_YEAR,
) -> JpAlert:
    """How many PNS in scope are still below the minimum this year, and how long is left."""
    today = today or date.today()
    year = year or today.year
    ids = list(
        session.connection().execute(select(Employee.id).where(*_scoped_employees(actor, None, True, "PNS"))).scalars()
    )
    totals = totals_for(session, year, ids)
    pns = below = 0
    for eid in ids:
        pns += 1
        got = totals.get(eid)
        below += (round(got[3] or 0.0, 2) if got else 0.0) < minimum
    months, days = time_left(year, today)
    return JpAlert(year, int(pns or 0), int(below or 0), months, days)
