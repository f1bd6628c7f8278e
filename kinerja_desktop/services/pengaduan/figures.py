"""Complaints as service performance: figures per ASN and per unit for a span of time.

- *ditangani* (handled): complaints that reached a final state (selesai, ditolak, dialihkan)
  in the span; *tepat waktu*: reached it by the settle-by date;
- *median tanggapan pertama*: from receipt to the first answer (ditindaklanjuti or a final
  state), over the first answers given in the span;
- *terlambat*: still open at the span's end (or today) with the settle-by date passed.

A complaint counts for the ASN it is assigned to, and for its unit.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Date, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session

from kinerja_desktop.domain import pengaduan as rules
from kinerja_desktop.errors import NotFound
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.permissions import employee_scope
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.pengaduan.access import complaint_scope
from kinerja_desktop.services.pengaduan.clock import today_wib
from kinerja_desktop.services.pengaduan.query import not_deleted, overdue_summary, units_for_filter
from kinerja_desktop.services.performance.periods import get_period
from kinerja_desktop.services.roster.org_tree import unit_ids_under
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Unit
from kinerja_desktop.store.pengaduan import Complaint, ComplaintService

_OUTCOME_COLS = (
    Complaint.received_at,
    Complaint.first_response_at,
    Complaint.finished_at,
    Complaint.close_by,
    Complaint.status,
)


def _touches_span(start: date, end: date):
    """Complaints that can count in the span: received by its end and not finished before it."""
    s, e = datetime.combine(start, datetime.min.time()), datetime.combine(end + timedelta(days=1), datetime.min.time())
    return and_(
        Complaint.received_at < e,
        or_(Complaint.finished_at.is_(None), Complaint.finished_at >= s, Complaint.first_response_at >= s),
    )


def figures(
    session: Session,
    actor: Principal,
    start: date,
    end: date,
    *,
    employee_id: str | None = None,
    unit_ids: set[str] | None = None,
    today: date | None = None,
) -> rules.Figures:
    q = select(*_OUTCOME_COLS).where(Complaint.deleted.is_(False), complaint_scope(actor), _touches_span(start, end))
    if employee_id:
        q = q.where(Complaint.assignee_id == employee_id)
    if unit_ids is not None:
        q = q.where(Complaint.unit_id.in_(unit_ids))
    outcomes = [rules.Outcome(*r) for r in session.execute(q)]
    return rules.compute_figures(outcomes, start, end, today or today_wib())


@dataclass(frozen=True)
class AsnFigures:
    employee_id: str
    nip: str
    name: str
    figures: rules.Figures


@dataclass(frozen=True)
class UnitRecap:
    unit_code: str
    unit_name: str
    start: date
    end: date
    label: str
    unit: rules.Figures
    rows: list[AsnFigures]


def unit_by_code(session: Session, code: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.code == str(code).strip(), Unit.deleted.is_(False)))
    if unit is None:
        raise NotFound(_("Unit kerja dengan kode {code} tidak ada.").format(code=code))
    return unit


def unit_recap(
    session: Session, actor: Principal, unit_code: str, span: str, *, today: date | None = None
) -> UnitRecap:
    """Figures of a unit (and the units below it) and of each of its ASN the actor may see."""
    start, end, label = rules.parse_span(span)
    today = today or today_wib()
    unit = unit_by_code(session, unit_code)
    units = unit_ids_under(session, unit.id)
    people = list(
        session.execute(
            select(Employee.id, Employee.nip, Employee.name)
            .where(
                Employee.unit_id.in_(units),
                Employee.deleted.is_(False),
                Employee.active.is_(True),
                employee_scope(actor),
            )
            .order_by(Employee.name)
        )
    )
    base = (not_deleted(session, True), complaint_scope(actor), _touches_span(start, end))
    tally = _Tally(session, start, end, today)
    # Two index-friendly reads instead of one OR: the unit's complaints, then those of its
    # ASN recorded under other units. The database decides each rule per row; only flags and
    # response times come back (no dates to convert).
    in_units = Complaint.unit_id.in_(units)
    if (session.scalar(select(func.count()).select_from(Complaint).where(in_units)) or 0) > SCAN_ABOVE:
        # Many rows: one pass over the table beats a lookup per row through the unit index.
        in_units = func.coalesce(Complaint.unit_id, "").in_(units)
    tally.read(session, base + (in_units,), unit=True)
    staff = [eid for eid, _nip, _name in people]
    for i in range(0, len(staff), 500):
        tally.read(session, base + (Complaint.assignee_id.in_(staff[i : i + 500]), Complaint.unit_id.notin_(units)))
    rows = [AsnFigures(eid, nip, name, tally.figures(eid)) for eid, nip, name in people]
    return UnitRecap(unit.code, unit.name, start, end, label, tally.figures(_UNIT), rows)


_UNIT = object()
#: Above this many complaints a unit's recap reads the table in one pass (see unit_recap).
SCAN_ABOVE = 5000


class _Tally:
    """The rules of :func:`domain.pengaduan.compute_figures` written as SQL per row (a recap
    of hundreds of ASN reads flags, not dates; tests check both agree on SQLite and PostgreSQL)."""

    def __init__(self, session: Session, start: date, end: date, today: date) -> None:
        sqlite = session.get_bind().dialect.name == "sqlite"
        s_dt, e_dt = _day_start(start), _day_start(end + timedelta(days=1))
        finished_day = func.date(Complaint.finished_at) if sqlite else cast(Complaint.finished_at, Date)
        fin = and_(Complaint.finished_at >= s_dt, Complaint.finished_at < e_dt)
        on_time = and_(fin, or_(Complaint.close_by.is_(None), finished_day <= Complaint.close_by))
        late = and_(
            Complaint.status.notin_(tuple(rules.FINAL_STATES)),
            Complaint.close_by < min(end, today),
            Complaint.received_at < e_dt,
        )
        responded = and_(Complaint.first_response_at >= s_dt, Complaint.first_response_at < e_dt)
        if sqlite:
            wait = (func.julianday(Complaint.first_response_at) - func.julianday(Complaint.received_at)) * 24.0
        else:
            wait = func.extract("epoch", Complaint.first_response_at - Complaint.received_at) / 3600.0
        self.columns = (
            Complaint.assignee_id,
            case((fin, 1), else_=0),
            case((on_time, 1), else_=0),
            case((late, 1), else_=0),
            case((responded, wait), else_=None),
        )
        self._counts: dict[object, list[int]] = defaultdict(lambda: [0, 0, 0])
        self._hours: dict[object, list[float]] = defaultdict(list)

    def read(self, session: Session, where: tuple, *, unit: bool = False) -> None:
        for assignee, fin, on_time, late, wait in session.execute(select(*self.columns).where(*where)):
            keys = (assignee, _UNIT) if unit else (assignee,)
            for key in keys:
                c = self._counts[key]
                c[0] += fin
                c[1] += on_time
                c[2] += late
                if wait is not None:
                    self._hours[key].append(round(float(wait), 4))

    def figures(self, key) -> rules.Figures:
        handled, on_time, late = self._counts.get(key, (0, 0, 0))
        hours = self._hours.get(key, [])
        return rules.Figures(handled, on_time, late, len(hours), statistics.median(hours) if hours else None)


def _day_start(d: date) -> datetime:
    return datetime.combine(d, datetime.min.time())


def monthly_by_service(
    session: Session, actor: Principal, year: int, *, unit_id: str | None = None, top: int = 8
) -> tuple[list[str], list[list[int]]]:
    """Complaints received per service per month of ``year``: (service names, 12 counts each);
    services past the ``top`` busiest are summed as "Lainnya"."""
    month = func.extract("month", Complaint.received_at)
    q = (
        select(func.coalesce(ComplaintService.name, ""), month, func.count())
        .outerjoin(ComplaintService, ComplaintService.id == Complaint.service_id)
        .where(
            Complaint.deleted.is_(False),
            complaint_scope(actor),
            Complaint.received_at >= datetime(year, 1, 1),
            Complaint.received_at < datetime(year + 1, 1, 1),
        )
        .group_by(ComplaintService.name, month)
    )
    if unit_id:
        q = q.where(Complaint.unit_id.in_(unit_ids_under(session, unit_id)))
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    for name, m, n in session.execute(q):
        counts[name or _("(tanpa layanan)")][int(m) - 1] += n
    ranked = sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    names = [k for k, _v in ranked[:top]]
    series = [v for _k, v in ranked[:top]]
    if len(ranked) > top:
        names.append(_("Lainnya"))
        series.append([sum(v[i] for _k, v in ranked[top:]) for i in range(12)])
    return names, series


def handled_list(session: Session, actor: Principal, employee_id: str, start: date, end: date) -> list[Complaint]:
    """The complaints behind an ASN's figures for the span (the evidence list)."""
    s, e = datetime.combine(start, datetime.min.time()), datetime.combine(end + timedelta(days=1), datetime.min.time())
    q = (
        select(Complaint)
        .where(
            Complaint.deleted.is_(False),
            complaint_scope(actor),
            Complaint.assignee_id == employee_id,
            Complaint.finished_at >= s,
            Complaint.finished_at < e,
        )
        .order_by(Complaint.finished_at)
    )
    return list(session.scalars(q))


def recap_units(session: Session, actor: Principal) -> list[tuple[str, str]]:
    """(code, name) of the units whose figures ``actor`` may look at: those with services or complaints
    in the office, and for a pejabat penilai their own unit."""
    ids = [uid for uid, _n in units_for_filter(session)]
    # ... and the units above them (an OPD's figures cover its puskesmas, schools, bidang)
    ids += [
        p  # type: ignore[misc]  # parent_id IS NOT NULL in the query
        for p in session.scalars(select(Unit.parent_id).where(Unit.id.in_(ids), Unit.parent_id.is_not(None)))
        if p not in ids
    ]
    if actor.employee_id:
        own = session.scalar(select(Employee.unit_id).where(Employee.id == actor.employee_id))
        if own and own not in ids:
            ids.append(own)
    rows = session.execute(select(Unit.code, Unit.name).where(Unit.id.in_(ids)).order_by(Unit.name))
    return [(c, n) for c, n in rows]


def beranda_figures(session: Session, actor: Principal, *, today: date | None = None):
    """(overdue summary, figures of the actor's unit or of the office this year, label) for Beranda."""
    today = today or today_wib()
    summary = overdue_summary(session, actor, today=today)
    unit_ids = None
    label = _("Kantor ini {year}").format(year=today.year)
    if actor.employee_id:
        own = session.get(Employee, actor.employee_id)
        if own is not None and own.unit_id:
            unit_ids = unit_ids_under(session, own.unit_id)
            label = _("Unit Anda {year}").format(year=today.year)
    f = figures(session, actor, date(today.year, 1, 1), date(today.year, 12, 31), unit_ids=unit_ids, today=today)
    return summary, f, label


def unit_period_figures(
    session: Session, actor: Principal, unit_id: str, period_id: str | None, year: int, *, today: date | None = None
) -> rules.Figures:
    """The complaint figures of a unit (and the units below it) for an evaluation period (the
    distribution recap shows them beside the predikat)."""
    if period_id:
        period = get_period(session, period_id)
        start, end = period.start, period.end
    else:
        start, end = date(year, 1, 1), date(year, 12, 31)
    return figures(session, actor, start, end, unit_ids=unit_ids_under(session, unit_id), today=today)
