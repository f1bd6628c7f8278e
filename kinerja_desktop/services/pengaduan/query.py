"""Reading the register: pages for the window (search as you type), counts, what is overdue.

A complaint is *overdue* while it is open and the deadline of its current step has passed:
verification for a received one, the first answer for a verified one, and the settle-by
date for any open one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy import text as text_clause
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Select

from kinerja_desktop.domain import pengaduan as rules
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.pengaduan.access import complaint_scope, office_unit_ids
from kinerja_desktop.services.pengaduan.clock import today_wib
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Unit
from kinerja_desktop.store.pengaduan import Complaint, ComplaintService

PAGE = 200
#: Newest complaints a search looks at first (see :func:`register_page`).
PROBE = 4000
MAX_PROBE = 30_000
OPEN = "terbuka"
OVERDUE = "terlambat"
MAX_SEARCH = 100


@dataclass(frozen=True)
class RegisterFilter:
    search: str = ""
    #: "" (all), OPEN, OVERDUE, or a state of ``domain.pengaduan.STATES``
    status: str = ""
    unit_id: str | None = None
    assignee_id: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class RegisterRow:
    id: str
    number: str
    received_at: datetime
    channel: str
    service: str
    unit: str
    status: str
    assignee: str
    close_by: date | None
    overdue: bool
    description: str


def overdue_clause(today: date):
    open_ = Complaint.status.notin_(tuple(rules.FINAL_STATES))
    return and_(
        open_,
        or_(
            and_(Complaint.status == rules.DITERIMA, Complaint.verify_by < today),
            and_(Complaint.status == rules.DIVERIFIKASI, Complaint.respond_by < today),
            Complaint.close_by < today,
        ),
    )


def _search_text(f: RegisterFilter) -> str:
    return " ".join(f.search.split())[:MAX_SEARCH]


def not_deleted(session: Session, scan: bool):
    """``deleted = 0``; with ``scan`` on SQLite written so that no index serves it (``+deleted``):
    a text search then reads the table in one pass instead of row by row through the date
    index, and the figures use the unit or assignee index instead of the date index."""
    if scan and session.get_bind().dialect.name == "sqlite":
        return text_clause("+complaints.deleted = 0")
    return Complaint.deleted.is_(False)


def _where(q: Select, actor: Principal, f: RegisterFilter, today: date, live=None) -> Select:
    q = q.where(Complaint.deleted.is_(False) if live is None else live, complaint_scope(actor))
    text = _search_text(f)
    if text:
        like = f"%{text.replace('%', '').replace('_', '')}%"
        q = q.where(
            or_(
                Complaint.number.like(f"{text.upper()}%"),
                Complaint.description.like(like),
                Complaint.location.like(like),
                Complaint.channel_ref.like(like),
            )
        )
    if f.status == OPEN:
        q = q.where(Complaint.status.notin_(tuple(rules.FINAL_STATES)))
    elif f.status == OVERDUE:
        q = q.where(overdue_clause(today))
    elif f.status:
        q = q.where(Complaint.status == f.status)
    if f.unit_id:
        q = q.where(Complaint.unit_id == f.unit_id)
    if f.assignee_id:
        q = q.where(Complaint.assignee_id == f.assignee_id)
    if f.year:
        q = q.where(Complaint.received_at >= datetime(f.year, 1, 1), Complaint.received_at < datetime(f.year + 1, 1, 1))
    return q


def count_complaints(
    session: Session, actor: Principal, f: RegisterFilter = RegisterFilter(), *, today: date | None = None
) -> int:
    q = _where(
        select(func.count()).select_from(Complaint),
        actor,
        f,
        today or today_wib(),
        not_deleted(session, bool(_search_text(f))),
    )
    return session.scalar(q) or 0


def register_page(
    session: Session,
    actor: Principal,
    f: RegisterFilter = RegisterFilter(),
    *,
    offset: int = 0,
    limit: int = PAGE,
    today: date | None = None,
) -> list[RegisterRow]:
    """Newest first; ``limit`` rows from ``offset``.

    The page's ids are chosen first (the complaint table alone), then those rows are read with
    their service, unit and officer. A search looks at the newest :data:`PROBE` complaints
    first (an index range): a full page from them is the answer; otherwise the table is read
    once (see :func:`not_deleted`).
    """
    today = today or today_wib()
    limit, offset = max(1, min(limit, 1000)), max(0, offset)
    searching = bool(_search_text(f))
    order = (Complaint.received_at.desc(), Complaint.id.desc())
    ids_q = select(Complaint.id)
    ids = _probe(session, ids_q, actor, f, today, limit, order) if searching and offset == 0 else None
    if ids is None:
        ids = list(
            session.scalars(
                _where(ids_q, actor, f, today, not_deleted(session, searching))
                .order_by(*order)
                .offset(offset)
                .limit(limit)
            )
        )
    if not ids:
        return []
    emp = aliased(Employee)
    q = (
        select(
            Complaint.id,
            Complaint.number,
            Complaint.received_at,
            Complaint.channel,
            ComplaintService.name,
            Unit.name,
            Complaint.status,
            emp.name,
            Complaint.close_by,
            Complaint.verify_by,
            Complaint.respond_by,
            func.substr(Complaint.description, 1, 160),
        )
        .outerjoin(ComplaintService, ComplaintService.id == Complaint.service_id)
        .outerjoin(Unit, Unit.id == Complaint.unit_id)
        .outerjoin(emp, emp.id == Complaint.assignee_id)
        .where(Complaint.id.in_(ids))
        .order_by(*order)
    )
    return [
        RegisterRow(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4] or "",
            r[5] or "",
            r[6],
            r[7] or "",
            r[8],
            is_overdue(r[6], r[9], r[10], r[8], today),
            r[11] or "",
        )
        for r in session.execute(q)
    ]


def _probe(
    session: Session, ids_q: Select, actor: Principal, f: RegisterFilter, today: date, limit: int, order: tuple
) -> list[str] | None:
    """The first page of a search from the newest complaints only (an index range), or ``None``
    when the whole table must be read. The window grows once, by the density of the matches
    found, while it stays below :data:`MAX_PROBE` rows."""
    window = PROBE
    while True:
        cutoff = session.scalar(
            select(Complaint.received_at)
            .where(Complaint.deleted.is_(False))
            .order_by(*order)
            .offset(window - 1)
            .limit(1)
        )
        if cutoff is None:
            return None  # fewer complaints than the window: one plain read is as quick
        ids = list(
            session.scalars(
                _where(ids_q, actor, f, today).where(Complaint.received_at >= cutoff).order_by(*order).limit(limit)
            )
        )
        if len(ids) >= limit:
            return ids
        if not ids:
            return None
        window = int(window * limit / len(ids) * 1.5)
        if window > MAX_PROBE:
            return None


def is_overdue(
    status: str, verify_by: date | None, respond_by: date | None, close_by: date | None, today: date
) -> bool:
    if status in rules.FINAL_STATES:
        return False
    if close_by is not None and close_by < today:
        return True
    if status == rules.DITERIMA:
        return verify_by is not None and verify_by < today
    if status == rules.DIVERIFIKASI:
        return respond_by is not None and respond_by < today
    return False


@dataclass(frozen=True)
class OverdueSummary:
    open: int
    overdue: int
    #: The person's own overdue complaints (assignee), when the principal is an employee.
    mine: int


def overdue_summary(session: Session, actor: Principal, *, today: date | None = None) -> OverdueSummary:
    """What Beranda shows: open and overdue complaints the person sees, and their own overdue ones."""
    today = today or today_wib()
    base = select(func.count()).select_from(Complaint).where(Complaint.deleted.is_(False), complaint_scope(actor))
    open_n = session.scalar(base.where(Complaint.status.notin_(tuple(rules.FINAL_STATES)))) or 0
    over = session.scalar(base.where(overdue_clause(today))) or 0
    mine = 0
    if actor.employee_id:
        mine = session.scalar(base.where(overdue_clause(today), Complaint.assignee_id == actor.employee_id)) or 0
    return OverdueSummary(open_n, over, mine)


def units_for_filter(session: Session) -> list[tuple[str, str]]:
    """(id, name) of the office's units that have complaints or services."""
    scope = office_unit_ids(session)
    q = select(Unit.id, Unit.name).where(
        Unit.deleted.is_(False),
        or_(Unit.id.in_(select(ComplaintService.unit_id)), Unit.id.in_(select(Complaint.unit_id).distinct())),
    )
    if scope is not None:
        q = q.where(Unit.id.in_(scope))
    return [(i, n) for i, n in session.execute(q.order_by(Unit.name))]


def office_units(session: Session) -> list[tuple[str, str]]:
    """(id, name) of every unit of the office (for the service catalogue)."""
    scope = office_unit_ids(session)
    q = select(Unit.id, Unit.name).where(Unit.deleted.is_(False))
    if scope is not None:
        q = q.where(Unit.id.in_(scope))
    return [(i, n) for i, n in session.execute(q.order_by(Unit.name))]
