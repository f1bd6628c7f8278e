"""Angka Kredit of jabatan fungsional from the final predikat (konversi), per employee.

The rules and their sources are in :mod:`kinerja_desktop.domain.angka_kredit`. Which
predikat converts which months:

- Every month of a year belongs to the SKP in force on the month's last day.
- A final **annual** predikat converts the months of the SKP it was made on (the whole
  year, or from a mutasi/appointment to December).
- The other months (an earlier assignment of the year, or a year whose annual predikat
  is not final yet) convert with the final **periodic** predikat of the period that
  covers them, or the closing evaluation of that assignment: in proportion to their
  months, as Peraturan BKN 3/2023 does for a periodic conversion.
- Only months after the AK awal (the last PAK) count. A month in a position that is not
  a jabatan fungsional converts nothing.

The total (AK awal + conversions) is measured against the AK the next kenaikan pangkat
and jenjang need.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from kinerja_desktop.domain.angka_kredit import (
    KOEFISIEN,
    PERSENTASE,
    SOURCE_KEBUTUHAN,
    SOURCE_KONVERSI,
    UNVERIFIED,
    Jenjang,
    NextStep,
    jenjang_of_position,
    konversi,
    next_step,
    parse_jenjang,
)
from kinerja_desktop.domain.dates import format_date_id, month_name_id
from kinerja_desktop.domain.golongan import GolonganError, normalize_golongan
from kinerja_desktop.domain.predikat import Predikat
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.views import PakRow, PakView, PersonIdentity
from kinerja_desktop.services.access.performance_access import employee_or_404, require_view
from kinerja_desktop.services.access.permissions import require_role
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, Principal
from kinerja_desktop.services.audit.chain import record, snapshot
from kinerja_desktop.services.documents import views as collect
from kinerja_desktop.services.performance.evaluation_grid import filtered_ids
from kinerja_desktop.services.performance.evaluations import identities_now
from kinerja_desktop.services.performance.periods import period_label
from kinerja_desktop.store.angka_kredit import AngkaKreditAwal
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.store.org import Position
from kinerja_desktop.store.periods import Period
from kinerja_desktop.store.skp import Skp

_FIELDS = ("employee_id", "as_of", "value", "jenjang", "golongan", "reference", "note")
MAX_AK = Decimal("10000")


@dataclass(frozen=True)
class AkLine:
    """One conversion: an evaluation's predikat for its months."""

    evaluation_id: str
    label: str  # "Akhir 2025", "Triwulan II 2026 (akhir penugasan)"
    year: int
    first_month: int
    last_month: int
    months: int
    predikat: Predikat
    jenjang: Jenjang
    ak: Decimal

    @property
    def persentase(self) -> Decimal:
        return PERSENTASE[self.predikat]

    @property
    def koefisien(self) -> Decimal:
        return KOEFISIEN[self.jenjang].value


@dataclass
class AkSummary:
    employee: Employee
    jenjang: Jenjang | None  # of the present position
    golongan: str | None  # PNS golongan, None for PPPK
    baseline: AngkaKreditAwal | None
    lines: list[AkLine]
    notes: list[str] = field(default_factory=list)

    @property
    def converted(self) -> Decimal:
        return sum((line.ak for line in self.lines), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        base = Decimal(self.baseline.value) if self.baseline is not None else Decimal(0)
        return (base + self.converted).quantize(Decimal("0.01"))

    @property
    def step(self) -> NextStep | None:
        return next_step(self.jenjang, self.golongan) if self.jenjang is not None else None


@lru_cache(maxsize=1024)
def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class _Period:
    """The fields of a period the conversion reads (plain values: no ORM attribute cost per month)."""

    id: str
    year: int
    kind: str
    number: int
    start: date
    end: date

    @property
    def is_annual(self) -> bool:
        return self.kind == "akhir"


def _months(period) -> range:
    return range(period.start.month, period.end.month + 1) if period.start.year == period.end.year else range(1, 13)


@dataclass(frozen=True)
class _Ev:
    id: str
    period: _Period
    kind: str
    predikat: Predikat
    skp: Any | None  # anything with ``start`` and ``end`` (the SKP's span)
    jabatan: str


def convert(evaluations: list[_Ev], after: date | None) -> tuple[list[AkLine], list[str]]:
    """The conversion lines of one employee's final evaluations (pure; see the module docstring)."""
    by_year: dict[int, list[_Ev]] = defaultdict(list)
    for ev in evaluations:
        by_year[ev.period.year].append(ev)
    lines: list[AkLine] = []
    notes: list[str] = []
    for year in sorted(by_year):
        owner: dict[int, _Ev] = {}
        evs = by_year[year]
        annual = [e for e in evs if e.period.is_annual and e.kind == "tahunan"]
        for e in annual + [e for e in evs if e not in annual]:
            for m in _months(e.period):
                end = _month_end(year, m)
                if m in owner or (after is not None and end <= after):
                    continue
                if e.skp is not None and not (e.skp.start <= end <= e.skp.end):
                    continue
                owner[m] = e
        if not annual and owner:
            notes.append(
                _("{year}: predikat tahunan belum final; dipakai predikat periodik yang sudah final.").format(year=year)
            )
        lines += _lines(year, owner, notes)
    return lines, notes


def _lines(year: int, owner: dict[int, _Ev], notes: list[str]) -> list[AkLine]:
    out = []
    months = sorted(owner)
    i = 0
    while i < len(months):
        ev = owner[months[i]]
        j = i
        while j + 1 < len(months) and owner[months[j + 1]] is ev and months[j + 1] == months[j] + 1:
            j += 1
        first, last = months[i], months[j]
        count = last - first + 1
        jenjang = jenjang_of_position(ev.jabatan)
        if jenjang is None:
            notes.append(
                _("{label}: jabatan {jabatan} bukan jabatan fungsional; tidak dikonversi.").format(
                    label=period_label(ev.period), jabatan=ev.jabatan or "-"
                )
            )
        else:
            label = period_label(ev.period)
            if ev.kind == "penugasan":
                label += " " + _("(akhir penugasan)")
            out.append(
                AkLine(
                    ev.id, label, year, first, last, count, ev.predikat, jenjang, konversi(ev.predikat, jenjang, count)
                )
            )
        i = j + 1
    return out


@dataclass(frozen=True)
class _SkpSpan:
    start: date
    end: date


def _final_evaluations(session: Session, employee_ids: list[str]) -> dict[str, list[_Ev]]:
    """employee id -> their newest final evaluations (one per period, kind and SKP).

    Only the columns the conversion needs (no realisasi or frozen JSON); the jabatan of an
    evaluation is its SKP's (the assignment), else the employee's present one.
    """
    periods = {
        row.id: _Period(*row)
        for row in session.execute(
            select(Period.id, Period.year, Period.kind, Period.number, Period.start, Period.end).where(
                Period.deleted.is_(False)
            )
        )
    }
    positions = {pid: name for pid, name in session.execute(select(Position.id, Position.name))}
    newest: dict[tuple, tuple] = {}
    for chunk in range(0, len(employee_ids), 500):
        ids = employee_ids[chunk : chunk + 500]
        rows = session.execute(
            select(
                Evaluation.id,
                Evaluation.employee_id,
                Evaluation.period_id,
                Evaluation.kind,
                Evaluation.skp_id,
                Evaluation.revision_no,
                Evaluation.status,
                Evaluation.predikat,
                Skp.start,
                Skp.end,
                Skp.position_id,
                Employee.position_id,
            )
            .join(Employee, Employee.id == Evaluation.employee_id)
            .outerjoin(Skp, Skp.id == Evaluation.skp_id)
            .where(Evaluation.employee_id.in_(ids), Evaluation.deleted.is_(False))
        )
        for row in rows:
            key = (row[1], row[2], row[3], row[4])
            if key not in newest or row[5] > newest[key][5]:
                newest[key] = row
    out: dict[str, list[_Ev]] = defaultdict(list)
    for ev_id, emp_id, period_id, kind, _skp_id, _rev, status, pred, start, end, skp_pos, emp_pos in newest.values():
        period = periods.get(period_id)
        if status != "final" or not pred or period is None:
            continue
        span = _SkpSpan(start, end) if start is not None else None
        out[emp_id].append(_Ev(ev_id, period, kind, Predikat(pred), span, positions.get(skp_pos or emp_pos, "")))
    return out


def _baselines(session: Session, employee_ids: list[str]) -> dict[str, AngkaKreditAwal]:
    rows = session.scalars(
        select(AngkaKreditAwal)
        .where(AngkaKreditAwal.employee_id.in_(employee_ids), AngkaKreditAwal.deleted.is_(False))
        .order_by(AngkaKreditAwal.as_of, AngkaKreditAwal.updated_hlc)
    )
    return {row.employee_id: row for row in rows}  # the latest as_of wins


def _golongan(emp: Employee) -> str | None:
    if emp.status != "PNS" or not emp.golongan:
        return None
    try:
        return normalize_golongan(emp.golongan, "PNS")
    except GolonganError:
        return None


def summaries(session: Session, employees: list[Employee]) -> list[AkSummary]:
    """AK of many employees with a few queries (no permission check: callers check)."""
    ids = [e.id for e in employees]
    evs = _final_evaluations(session, ids) if ids else {}
    base = _baselines(session, ids) if ids else {}
    positions = {pid: name for pid, name in session.execute(select(Position.id, Position.name))}
    out = []
    for emp in employees:
        baseline = base.get(emp.id)
        lines, notes = convert(evs.get(emp.id, []), baseline.as_of if baseline else None)
        out.append(
            AkSummary(
                emp,
                jenjang_of_position(positions.get(emp.position_id or "", "")),
                _golongan(emp),
                baseline,
                lines,
                notes,
            )
        )
    return out


def angka_kredit(session: Session, actor: Principal, employee_id: str) -> AkSummary:
    """The AK of one employee: AK awal, each conversion, the total and the next step."""
    require_view(session, actor, employee_id)
    return summaries(session, [employee_or_404(session, employee_id)])[0]


def functional_employees(
    session: Session, actor: Principal, *, unit_id: str | None = None, search: str = "", limit: int = 500
) -> list[AkSummary]:
    """The jabatan fungsional among the employees ``actor`` may see, with their AK (by name, at most ``limit``)."""
    ids = filtered_ids(actor, unit_id=unit_id, search=search, direct_only=False)
    words = or_(*(Position.name.ilike(f"%{w}%") for w in ("Ahli", "Terampil", "Mahir", "Penyelia", "Pemula")))
    candidates = session.execute(
        select(Employee.id, Position.name)
        .join(Position, Position.id == Employee.position_id)
        .where(Employee.id.in_(ids.scalar_subquery()), words)
        .order_by(Employee.name, Employee.nip)
    )
    chosen = [emp_id for emp_id, name in candidates if jenjang_of_position(name) is not None][:limit]
    by_id = (
        {
            e.id: e
            for e in session.scalars(
                select(Employee).where(Employee.id.in_(chosen)).options(selectinload(Employee.position))
            )
        }
        if chosen
        else {}
    )
    return summaries(session, [by_id[i] for i in chosen])


def set_angka_kredit_awal(
    session: Session,
    actor: Principal,
    employee_id: str,
    *,
    as_of: date,
    value,
    jenjang: str | Jenjang,
    golongan: str = "",
    reference: str = "",
    note: str = "",
) -> AngkaKreditAwal:
    """Record the AK of the employee's last PAK (admin kepegawaian); audited. Later conversions add to it."""
    require_role(actor, ADMIN_KEPEGAWAIAN)
    emp = employee_or_404(session, employee_id)
    try:
        amount = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.001"))
        level = parse_jenjang(jenjang)
    except (ArithmeticError, ValueError) as exc:
        raise UserError(
            str(exc)
            if isinstance(exc, ValueError) and str(exc)
            else _("Angka kredit '{value}' bukan angka.").format(value=value)
        ) from None
    if not Decimal(0) <= amount <= MAX_AK:
        raise UserError(_("Angka kredit harus antara 0 dan {max}.").format(max=MAX_AK))
    if as_of > date.today() + timedelta(days=1):
        raise UserError(_("Tanggal PAK tidak boleh di masa depan."))
    gol = ""
    if golongan:
        try:
            gol = normalize_golongan(golongan, emp.status)
        except GolonganError as exc:
            raise UserError(str(exc)) from None
    row = AngkaKreditAwal(
        employee_id=emp.id,
        as_of=as_of,
        value=amount,
        jenjang=level.value,
        golongan=gol,
        reference=" ".join(reference.split())[:120],
        note=note.strip()[:2000],
        set_by=actor.username,
    )
    session.add(row)
    session.flush()
    image = snapshot(row, _FIELDS)
    image["value"] = str(row.value)  # the audit trail stores JSON: the exact decimal as text
    record(session, actor, "create", AngkaKreditAwal.__tablename__, row.id, None, image)
    return row


def _ak_text(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01')):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _months_text(line: AkLine) -> str:
    first, last = month_name_id(line.first_month), month_name_id(line.last_month)
    span = f"{first} {line.year}" if line.first_month == line.last_month else f"{first} – {last} {line.year}"
    return _("{span} ({n} bulan)").format(span=span, n=line.months)


def _need_text(need, total: Decimal, target: str) -> str:
    if need is None:
        return _("tidak ada (jenjang atau pangkat tertinggi, atau tidak berlaku)")
    if total >= need.value:
        verdict = _("terpenuhi")
    else:
        verdict = _("belum terpenuhi (kurang {gap})").format(gap=_ak_text(need.value - total))
    checked = "" if need.verified else " " + _("[nilai kebutuhan masih perlu dicocokkan dengan lampiran]")
    return (
        _("{target}: kebutuhan {need}; {verdict}").format(target=target, need=_ak_text(need.value), verdict=verdict)
        + checked
    )


def pak_view(session: Session, actor: Principal, employee_id: str) -> PakView:
    """The PAK konversi of an employee in a jabatan fungsional (signed by their pejabat penilai kinerja)."""
    ak = angka_kredit(session, actor, employee_id)
    emp = ak.employee
    if ak.jenjang is None:
        raise UserError(
            _(
                "{name} tidak menduduki jabatan fungsional (jenjangnya tidak tercantum pada nama jabatan); "
                "PAK konversi hanya untuk jabatan fungsional."
            ).format(name=emp.full_name)
        )
    ids = identities_now(session, emp.id)
    rows = tuple(
        PakRow(
            i,
            line.label,
            _months_text(line),
            line.predikat.label,
            f"{int(line.persentase * 100)}%",
            line.jenjang.label,
            _ak_text(line.koefisien),
            _ak_text(line.ak),
        )
        for i, line in enumerate(ak.lines, start=1)
    )
    base = ak.baseline
    source = ""
    if base is not None:
        source = _("{ref} per {day}").format(ref=base.reference or _("PAK terakhir"), day=format_date_id(base.as_of))
    step = ak.step
    assert step is not None  # a jabatan fungsional (checked above) always has a next step
    golongan_target = _("Golongan {g}").format(g=step.next_golongan) if step.next_golongan else "-"
    if step.pangkat_changes_jenjang and step.next_jenjang is not None:
        golongan_target += " " + _("(dengan kenaikan jenjang ke {j})").format(j=step.next_jenjang.label)
    unverified = [f"{name} {j.label}" for name, j in UNVERIFIED if j in (ak.jenjang, step.next_jenjang)]
    sources = [SOURCE_KONVERSI, SOURCE_KEBUTUHAN]
    if unverified:
        sources.append(
            _("Nilai berikut masih perlu dicocokkan dengan teks lampiran: {items}.").format(items=", ".join(unverified))
        )
    return PakView(
        pegawai=collect.person_from_identity(ids["pegawai"]) or PersonIdentity(name=""),
        jenjang=ak.jenjang.label,
        ak_awal=_ak_text(base.value if base is not None else Decimal(0)),
        ak_awal_source=source,
        rows=rows,
        total_konversi=_ak_text(ak.converted),
        total=_ak_text(ak.total),
        next_pangkat=_need_text(step.pangkat_needs, ak.total, golongan_target)
        if ak.golongan
        else _("tidak berlaku (bukan PNS, atau golongan belum tercatat)"),
        next_jenjang=_need_text(step.jenjang_needs, ak.total, step.next_jenjang.label if step.next_jenjang else "-"),
        notes=tuple(ak.notes),
        sources=tuple(sources),
        pejabat=collect.person_from_identity(ids["pejabat_penilai"]),
        place=collect.document_place(session),
        date=collect.today_wib(),
        document_id=f"PAK-{collect.today_wib().year}-{emp.nip}",
        letterhead=collect.letterhead(session, unit_id=emp.unit_id),
        year=collect.today_wib().year,
    )
