"""Evaluation periods of a year: Akhir plus monthly, quarterly or semester periods.

Periods are master data (the central office owns them): HR creates, edits, closes and
reopens them. A closed period is read-only: writing anything that belongs to it raises
:class:`PeriodClosed`.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.dates import month_name_id
from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.formatting import date_words
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.permissions import require_role
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, ADMINISTRATOR, Principal
from kinerja_desktop.services.audit.chain import record, snapshot
from kinerja_desktop.services.optimistic import check_version, row_changed_message
from kinerja_desktop.store.periods import Period
from kinerja_desktop.store.skp import Skp

#: Periodic schemes a site can choose for a year, with the number of periods.
SCHEMES: dict[str, int] = {"bulanan": 12, "triwulan": 4, "semester": 2}
SCHEME_LABELS = {"bulanan": N_("Bulanan"), "triwulan": N_("Triwulan"), "semester": N_("Semester")}
#: Monthly evaluations are due the 10th of the next month (BKN practice).
DEADLINE_DAY = 10
ROMAN = ("I", "II", "III", "IV")
_FIELDS = ("year", "kind", "number", "start", "end", "deadline", "closed")
HR_ROLES = (ADMIN_KEPEGAWAIAN, ADMINISTRATOR)


class PeriodClosed(UserError):
    """Something was written in a closed period."""


class PeriodFields(Protocol):
    """What a period's label and code read (an ORM Period or a plain copy of one)."""

    @property
    def kind(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def number(self) -> int: ...


def period_label(period: PeriodFields) -> str:
    """``"Akhir 2026"``, ``"Triwulan II 2026"``, ``"Semester I 2026"``, ``"Maret 2026"``."""
    if period.kind == "akhir":
        return _("Akhir {year}").format(year=period.year)
    if period.kind == "bulanan":
        return f"{month_name_id(period.number)} {period.year}"
    if period.kind == "triwulan":
        return _("Triwulan {n} {year}").format(n=ROMAN[period.number - 1], year=period.year)
    return _("Semester {n} {year}").format(n=ROMAN[period.number - 1], year=period.year)


def period_code(period: PeriodFields) -> str:
    """Short code used on the command line: ``AKHIR``, ``TW1``..``TW4``, ``S1``, ``S2``, ``B01``..``B12``."""
    if period.kind == "akhir":
        return "AKHIR"
    if period.kind == "bulanan":
        return f"B{period.number:02d}"
    if period.kind == "triwulan":
        return f"TW{period.number}"
    return f"S{period.number}"


def _next_month_day(d: date, day: int) -> date:
    year, month = (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _spans(year: int, scheme: str) -> list[tuple[int, date, date]]:
    months = 12 // SCHEMES[scheme]
    out = []
    for n in range(1, SCHEMES[scheme] + 1):
        first_month = (n - 1) * months + 1
        last_month = first_month + months - 1
        out.append((n, date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])))
    return out


def planned_periods(year: int, scheme: str | None) -> list[dict]:
    """The periods a year gets: Akhir plus ``scheme`` (None: Akhir only), with default dates."""
    if scheme is not None and scheme not in SCHEMES:
        raise UserError(
            _("Jenis periode '{value}' tidak dikenal; pilih bulanan, triwulan, atau semester.").format(value=scheme)
        )
    rows = [
        {
            "year": year,
            "kind": "akhir",
            "number": 0,
            "start": date(year, 1, 1),
            "end": date(year, 12, 31),
            "deadline": date(year + 1, 1, 31),
        }
    ]
    for n, start, end in _spans(year, scheme) if scheme else []:
        rows.append(
            {
                "year": year,
                "kind": scheme,
                "number": n,
                "start": start,
                "end": end,
                "deadline": _next_month_day(end, DEADLINE_DAY),
            }
        )
    return rows


def list_periods(session: Session, year: int) -> list[Period]:
    """Periods of ``year``: periodic ones in order, Akhir last."""
    rows = session.scalars(select(Period).where(Period.year == year, Period.deleted.is_(False))).all()
    return sorted(rows, key=lambda p: (p.kind == "akhir", p.start, p.number))


def closing_period(session: Session, skp: Skp) -> Period | None:
    """The period in which an SKP that ended before its year's end gets its closing evaluation.

    The periodic period containing the SKP's last day when the year has periodic periods
    (None when the SKP ends exactly on that period's last day: its ordinary evaluation of
    that period closes it), else the Akhir period.
    """

    periods = list_periods(session, skp.year)
    periodic = [p for p in periods if not p.is_annual]
    if periodic:
        for p in periodic:
            if p.start <= skp.end <= p.end:
                return p if skp.end < p.end else None
        return None
    annual = [p for p in periods if p.is_annual]
    return annual[0] if annual and skp.end < annual[0].end else None


def years_with_periods(session: Session) -> list[int]:
    return list(session.scalars(select(Period.year).where(Period.deleted.is_(False)).distinct().order_by(Period.year)))


def create_year(session: Session, actor: Principal, year: int, scheme: str | None = "triwulan") -> list[Period]:
    """Create the periods of ``year`` (HR). Refuses a year that already has periods."""
    require_role(actor, *HR_ROLES)
    if not 2000 <= int(year) <= 2100:
        raise UserError(_("Tahun {year} tidak masuk akal untuk periode penilaian.").format(year=year))
    if list_periods(session, year):
        raise UserError(_("Periode tahun {year} sudah ada; ubah periode yang ada bila perlu.").format(year=year))
    made = []
    for row in planned_periods(int(year), scheme):
        p = Period(**row)
        session.add(p)
        made.append(p)
    session.flush()
    for p in made:
        record(session, actor, "create", Period.__tablename__, p.id, None, snapshot(p, _FIELDS))
    return list_periods(session, year)


def get_period(session: Session, period_id: str) -> Period:
    p = session.get(Period, period_id)
    if p is None or p.deleted:
        raise NotFound(_("Periode penilaian yang diminta tidak ada."))
    return p


def annual_period(session: Session, year: int) -> Period:
    p = session.scalar(select(Period).where(Period.year == year, Period.kind == "akhir", Period.deleted.is_(False)))
    if p is None:
        raise UserError(
            _("Periode penilaian tahun {year} belum dibuat. Minta admin kepegawaian membuatnya.").format(year=year)
        )
    return p


def find_period(session: Session, year: int, text: str) -> Period:
    """A period of ``year`` by code (``AKHIR``, ``TW2``, ``S1``, ``B03``) or by label."""
    key = "".join(str(text).split()).upper()
    for p in list_periods(session, year):
        names = {
            period_code(p),
            "".join(period_label(p).split()).upper(),
            "".join(period_label(p).split()).upper().removesuffix(str(year)),
        }
        if p.kind == "bulanan":
            names.add(f"B{p.number}")
            names.add(f"{year}-{p.number:02d}")
        if key in names:
            return p
    raise UserError(
        _("Periode '{value}' tidak ada pada tahun {year}. Pilih salah satu: {choices}.").format(
            value=text, year=year, choices=", ".join(period_code(p) for p in list_periods(session, year)) or "-"
        )
    )


def ensure_open(period: Period) -> None:
    """Raise :class:`PeriodClosed` when ``period`` is closed."""
    if period.closed:
        raise PeriodClosed(
            _(
                "Periode {period} sudah ditutup; datanya hanya dapat dibaca. Minta admin kepegawaian membuka "
                "kembali periode itu bila perlu mengubahnya."
            ).format(period=period_label(period))
        )


def is_overdue(period: Period, today: date) -> bool:
    """True when the batas pengisian of ``period`` has passed."""
    return today > period.deadline


def update_period(
    session: Session,
    actor: Principal,
    period_id: str,
    *,
    start: date,
    end: date,
    deadline: date,
    expected_hlc: str | None,
) -> Period:
    """Change a period's dates (HR)."""
    require_role(actor, *HR_ROLES)
    p = get_period(session, period_id)
    check_version(p, expected_hlc, row_changed_message())
    if not (start <= end):
        raise UserError(_("Tanggal mulai periode harus sebelum tanggal akhirnya."))
    if start.year != p.year or end.year != p.year:
        raise UserError(
            _("Periode {period} harus berada di dalam tahun {year}.").format(period=period_label(p), year=p.year)
        )
    if deadline < end:
        raise UserError(
            _("Batas pengisian ({deadline}) tidak boleh sebelum akhir periode ({end}).").format(
                deadline=date_words(deadline), end=date_words(end)
            )
        )
    before = snapshot(p, _FIELDS)
    p.start, p.end, p.deadline = start, end, deadline
    session.flush()
    record(session, actor, "update", Period.__tablename__, p.id, before, snapshot(p, _FIELDS))
    return p


def set_closed(
    session: Session, actor: Principal, period_id: str, closed: bool, expected_hlc: str | None = None
) -> Period:
    """Close (read-only) or reopen a period (HR)."""
    require_role(actor, *HR_ROLES)
    p = get_period(session, period_id)
    check_version(p, expected_hlc, row_changed_message())
    if p.closed == closed:
        return p
    before = snapshot(p, _FIELDS)
    p.closed = closed
    session.flush()
    record(session, actor, "close" if closed else "reopen", Period.__tablename__, p.id, before, snapshot(p, _FIELDS))
    return p


def period_for_day(periods: list[Period], day: date) -> Period | None:
    """The periodic period (not Akhir) containing ``day``."""
    for p in periods:
        if p.kind != "akhir" and p.start <= day <= p.end:
            return p
    return None


def days_left(period: Period, today: date) -> int:
    return (period.deadline - today) // timedelta(days=1)
