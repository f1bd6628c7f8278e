"""SKP: the employee's performance plan for a year (PermenPANRB 6/2022).

The pejabat penilai drafts it with the employee; the editor saves the whole document
at once (:func:`save_skp`, with ``expected_hlc`` for optimistic concurrency), then
marks it agreed (:func:`agree_skp`). Non-JPT RHK cascade from the supervisor's RHK of
the same year; JPT RHK carry a perspektif instead.

**SKP per assignment.** An SKP belongs to an assignment: the employee's jabatan and unit
kerja when it was made. When either changes within the year (mutasi, promosi), the new
pejabat penilai makes a new SKP from the TMT of the change (:func:`start_new_assignment`);
the earlier SKP ends the day before and is evaluated by its own pejabat penilai for
the months it covered. The annual evaluation is made on the SKP in force at the end of
the year (docs/regulation.md, "SKP per penugasan").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.berakhlak import BERAKHLAK, BERAKHLAK_CODES
from kinerja_desktop.domain.positions import PositionKind
from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.formatting import date_words
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.performance_access import require_view, require_write
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.audit.chain import record
from kinerja_desktop.services.optimistic import check_version, skp_changed_message
from kinerja_desktop.services.performance.periods import (
    annual_period,
    closing_period,
    ensure_open,
    get_period,
    period_label,
)
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.store.periods import Period
from kinerja_desktop.store.skp import (
    IKI_ASPEK,
    LAMPIRAN_KEYS,
    PERSPEKTIF,
    RHK_GROUPS,
    SKP_APPROACHES,
    Iki,
    Rhk,
    Skp,
    SkpExpectation,
)

__all__ = [
    "IkiInput",
    "RhkInput",
    "SkpContent",
    "SkpView",
    "agree_skp",
    "create_skp",
    "get_skp",
    "load_skp",
    "reopen_skp",
    "save_skp",
    "skp_for",
    "skp_in_force",
    "skp_model_for",
    "skps_for_year",
    "start_new_assignment",
    "supervisor_rhk_choices",
]


@dataclass
class IkiInput:
    indicator: str
    target: str = ""
    aspek: str = "Kuantitas"
    id: str | None = None


@dataclass
class RhkInput:
    text: str
    group: str = "utama"
    ikis: list[IkiInput] = field(default_factory=list)
    parent_rhk_id: str | None = None
    perspektif: str | None = None
    id: str | None = None


@dataclass
class SkpContent:
    """Everything the SKP editor edits, saved at once."""

    approach: str = "kuantitatif"
    rhks: list[RhkInput] = field(default_factory=list)
    #: BerAKHLAK code -> ekspektasi khusus pimpinan
    expectations: dict[str, str] = field(default_factory=dict)
    #: LAMPIRAN_KEYS -> list of lines
    lampiran: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class SkpView:
    """An SKP as the editor and the forms show it."""

    skp: Skp
    employee: Employee
    rhks: list[tuple[Rhk, list[Iki]]]
    expectations: dict[str, str]
    #: parent RHK id -> its text (the supervisor's RHK this SKP's RHK support)
    parent_texts: dict[str, str]

    def content(self) -> SkpContent:
        return SkpContent(
            approach=self.skp.approach,
            rhks=[
                RhkInput(
                    text=r.text,
                    group=r.group,
                    parent_rhk_id=r.parent_rhk_id,
                    perspektif=r.perspektif,
                    id=r.id,
                    ikis=[IkiInput(i.indicator, i.target, i.aspek, i.id) for i in ikis],
                )
                for r, ikis in self.rhks
            ],
            expectations=dict(self.expectations),
            lampiran={k: list((self.skp.lampiran or {}).get(k, [])) for k in LAMPIRAN_KEYS},
        )


def skp_model_for(kind: str | PositionKind | None) -> str:
    """ "jpt" for a Jabatan Pimpinan Tinggi, "non_jpt" for every other kind."""
    value = kind.value if isinstance(kind, PositionKind) else kind
    return "jpt" if value == PositionKind.JPT.value else "non_jpt"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def skps_for_year(session: Session, employee_id: str, year: int) -> list[Skp]:
    """Every SKP of the employee in ``year`` (one per assignment), earliest first. No permission check."""
    return list(
        session.scalars(
            select(Skp)
            .where(Skp.employee_id == employee_id, Skp.year == year, Skp.deleted.is_(False))
            .order_by(Skp.start, Skp.id)
        )
    )


def skp_in_force(session: Session, employee_id: str, day: date) -> Skp | None:
    """The employee's SKP whose span covers ``day`` (None when none does)."""
    for skp in skps_for_year(session, employee_id, day.year):
        if skp.start <= day <= skp.end:
            return skp
    return None


def skp_for(session: Session, employee_id: str, year: int, on: date | None = None) -> Skp | None:
    """The employee's SKP for ``year``: the one in force ``on`` a day, else the latest. No permission check."""
    skps = skps_for_year(session, employee_id, year)
    if on is not None:
        for skp in skps:
            if skp.start <= on <= skp.end:
                return skp
    return skps[-1] if skps else None


def get_skp(session: Session, actor: Principal, skp_id: str) -> Skp:
    skp = session.get(Skp, skp_id)
    if skp is None or skp.deleted:
        raise NotFound(_("SKP yang diminta tidak ada (mungkin sudah dihapus)."))
    if actor.employee_id and actor.employee_id == skp.evaluator_id:
        return skp  # the pejabat penilai of this assignment, even after the employee moved on
    require_view(session, actor, skp.employee_id)
    return skp


def _rhks(session: Session, skp_id: str) -> list[tuple[Rhk, list[Iki]]]:
    rhks = session.scalars(select(Rhk).where(Rhk.skp_id == skp_id, Rhk.deleted.is_(False))).all()
    rhks = sorted(rhks, key=lambda r: (RHK_GROUPS.index(r.group) if r.group in RHK_GROUPS else 9, r.position))
    ikis: dict[str, list[Iki]] = {r.id: [] for r in rhks}
    if rhks:
        for iki in session.scalars(select(Iki).where(Iki.rhk_id.in_(list(ikis)), Iki.deleted.is_(False))):
            ikis[iki.rhk_id].append(iki)
    return [(r, sorted(ikis[r.id], key=lambda i: i.position)) for r in rhks]


def _expectations(session: Session, skp_id: str) -> dict[str, SkpExpectation]:
    rows = session.scalars(
        select(SkpExpectation).where(SkpExpectation.skp_id == skp_id, SkpExpectation.deleted.is_(False))
    )
    return {row.value_code: row for row in rows}


def load_skp(session: Session, actor: Principal, skp_id: str) -> SkpView:
    skp = get_skp(session, actor, skp_id)
    rhks = _rhks(session, skp.id)
    parent_ids = [r.parent_rhk_id for r, _ikis in rhks if r.parent_rhk_id]
    parents = {}
    if parent_ids:
        parents = {r.id: r.text for r in session.scalars(select(Rhk).where(Rhk.id.in_(parent_ids)))}
    return SkpView(
        skp=skp,
        employee=session.get(Employee, skp.employee_id),  # type: ignore[arg-type]  # an SKP's employee row is never deleted (tombstones)
        rhks=rhks,
        expectations={code: row.text for code, row in _expectations(session, skp.id).items()},
        parent_texts=parents,
    )


def supervisor_rhk_choices(session: Session, employee_id: str, year: int) -> list[Rhk]:
    """The RHK of the direct supervisor's SKP for ``year`` (what a non-JPT RHK may support)."""
    emp = session.get(Employee, employee_id)
    if emp is None or not emp.supervisor_id:
        return []
    sup_skp = skp_for(session, emp.supervisor_id, year)
    if sup_skp is None:
        return []
    return [r for r, _ikis in _rhks(session, sup_skp.id)]


def _document(session: Session, skp: Skp) -> dict:
    """A plain image of the SKP for the audit trail."""
    return {
        "status": skp.status,
        "approach": skp.approach,
        "model": skp.model,
        "agreed_on": skp.agreed_on.isoformat() if skp.agreed_on else None,
        "rhk": [
            {
                "id": r.id,
                "group": r.group,
                "text": r.text,
                "parent_rhk_id": r.parent_rhk_id,
                "perspektif": r.perspektif,
                "iki": [{"id": i.id, "aspek": i.aspek, "indicator": i.indicator, "target": i.target} for i in ikis],
            }
            for r, ikis in _rhks(session, skp.id)
        ],
        "ekspektasi": {c: e.text for c, e in _expectations(session, skp.id).items()},
        "lampiran": skp.lampiran,
    }


def create_skp(
    session: Session,
    actor: Principal,
    employee_id: str,
    year: int,
    *,
    period_id: str | None = None,
    start: date | None = None,
    end: date | None = None,
    approach: str = "kuantitatif",
    copy_previous: bool = False,
) -> Skp:
    """Start the employee's SKP for ``year`` (a draft), optionally from last year's SKP."""
    emp = require_write(session, actor, employee_id)
    period = get_period(session, period_id) if period_id else annual_period(session, year)
    if period.year != year or not period.is_annual:
        raise UserError(
            _(
                "SKP tahun {year} tidak dapat dibuat pada periode {period}: SKP harus berada pada "
                "periode Akhir tahun yang sama."
            ).format(year=year, period=period_label(period))
        )
    start = start or period.start
    end = end or period.end
    if start.year != year or end.year != year or start > end:
        raise UserError(
            _("Masa SKP ({start} s.d. {end}) harus berada di dalam tahun {year}.").format(
                start=date_words(start), end=date_words(end), year=year
            )
        )
    ensure_open(period)
    if approach not in SKP_APPROACHES:
        raise UserError(_("Pendekatan SKP harus kuantitatif atau kualitatif."))
    if skp_for(session, employee_id, year) is not None:
        raise UserError(
            _(
                "{name} sudah memiliki SKP tahun {year}; buka SKP itu untuk mengubahnya. SKP kedua dibuat "
                "hanya bila jabatan atau unit kerja berubah (Penugasan baru)."
            ).format(name=emp.full_name, year=year)
        )
    skp = Skp(
        employee_id=employee_id,
        year=year,
        period_id=period.id,
        evaluator_id=emp.supervisor_id,
        position_id=emp.position_id,
        unit_id=emp.unit_id,
        start=start,
        end=end,
        model=skp_model_for(emp.position.kind if emp.position else None),
        approach=approach,
        status="draft",
        lampiran={k: [] for k in LAMPIRAN_KEYS},
        saved_at=_now(),
        saved_by=actor.username,
    )
    session.add(skp)
    session.flush()
    if copy_previous:
        _copy_previous(session, skp)
    record(session, actor, "create", Skp.__tablename__, skp.id, None, _document(session, skp))
    return skp


def start_new_assignment(
    session: Session,
    actor: Principal,
    employee_id: str,
    year: int,
    start: date,
    *,
    note: str = "",
    approach: str = "kuantitatif",
) -> Skp:
    """A second (third ...) SKP in ``year`` after a change of jabatan or unit kerja, from ``start`` (the TMT).

    Refused when the employee's jabatan and unit are those of the SKP in force (nothing
    changed), when ``start`` is not after that SKP's start, or when that SKP already has
    evaluations of periods beginning on or after ``start``. The earlier SKP ends the day
    before ``start``; both remain. The employee's present supervisor becomes the new
    pejabat penilai. Audited.
    """
    emp = require_write(session, actor, employee_id)
    skps = skps_for_year(session, employee_id, year)
    if not skps:
        raise UserError(
            _("{name} belum memiliki SKP tahun {year}; buat SKP biasa lebih dulu.").format(
                name=emp.full_name, year=year
            )
        )
    current = skps[-1]
    if start.year != year or start <= current.start or start > current.end:
        raise UserError(
            _(
                "TMT penugasan baru ({day}) harus sesudah awal SKP yang berlaku ({start}) dan masih di dalam "
                "masa SKP itu (s.d. {end})."
            ).format(day=date_words(start), start=date_words(current.start), end=date_words(current.end))
        )
    if (current.position_id, current.unit_id) == (emp.position_id, emp.unit_id):
        raise UserError(
            _(
                "Jabatan dan unit kerja {name} masih sama dengan SKP yang berlaku. SKP baru dalam tahun yang "
                "sama hanya dibuat bila jabatan atau unit kerja berubah; perbarui data pegawai lebih dulu "
                "bila ada mutasi."
            ).format(name=emp.full_name)
        )
    _refuse_evaluations_after(session, current, start)
    period = get_period(session, current.period_id)
    ensure_open(period)
    if approach not in SKP_APPROACHES:
        raise UserError(_("Pendekatan SKP harus kuantitatif atau kualitatif."))
    before = {"end": current.end.isoformat()}
    current.end = start - timedelta(days=1)
    current.saved_at, current.saved_by = _now(), actor.username
    _evaluations_become_closing(session, actor, current, start)
    new = Skp(
        employee_id=employee_id,
        year=year,
        period_id=period.id,
        evaluator_id=emp.supervisor_id,
        position_id=emp.position_id,
        unit_id=emp.unit_id,
        previous_skp_id=current.id,
        assignment_note=" ".join(str(note or "").split())[:500],
        start=start,
        end=date(year, 12, 31) if period.end.year == year else period.end,
        model=skp_model_for(emp.position.kind if emp.position else None),
        approach=approach,
        status="draft",
        lampiran={k: [] for k in LAMPIRAN_KEYS},
        saved_at=_now(),
        saved_by=actor.username,
    )
    new.end = max(new.end, start)
    session.add(new)
    session.flush()
    record(session, actor, "end_assignment", Skp.__tablename__, current.id, before, {"end": current.end.isoformat()})
    record(session, actor, "create", Skp.__tablename__, new.id, None, _document(session, new))
    return new


def _evaluations_become_closing(session: Session, actor: Principal, skp: Skp, start: date) -> None:
    """The earlier SKP's evaluations of periods still running at the TMT (``skp.end`` is set already).

    The one of its closing period (where the earlier assignment ends) becomes its closing
    evaluation (kind ``penugasan``): it covers that assignment's part of the period. A
    draft of another running period (Akhir, when the year has periodic periods) is
    withdrawn: that period is evaluated on the new SKP. Audited.
    """

    closing = closing_period(session, skp)
    rows = session.execute(
        select(Evaluation, Period)
        .join(Period, Period.id == Evaluation.period_id)
        .where(
            Evaluation.skp_id == skp.id,
            Evaluation.deleted.is_(False),
            Evaluation.kind != "penugasan",
            Period.start < start,
            Period.end >= start,
        )
    ).all()
    for ev, period in rows:
        if closing is not None and period.id == closing.id:
            before = {"kind": ev.kind}
            ev.kind = "penugasan"
            record(session, actor, "end_assignment", "evaluations", ev.id, before, {"kind": ev.kind})
        elif ev.status == "final":
            raise UserError(
                _(
                    "Evaluasi {period} pada SKP yang berlaku sudah final; periode itu kini dinilai pada SKP "
                    "baru. Revisi evaluasi itu lebih dulu bila perlu."
                ).format(period=period_label(period))
            )
        else:
            ev.deleted = True
            record(
                session,
                actor,
                "withdraw",
                "evaluations",
                ev.id,
                {"deleted": False},
                {"deleted": True, "reason": "penugasan baru"},
            )


def _refuse_evaluations_after(session: Session, skp: Skp, start: date) -> None:

    late = session.execute(
        select(Period)
        .join(Evaluation, Evaluation.period_id == Period.id)
        .where(Evaluation.skp_id == skp.id, Evaluation.deleted.is_(False), Period.start >= start)
        .limit(1)
    ).scalar()
    if late is not None:
        raise UserError(
            _(
                "SKP yang berlaku sudah dievaluasi untuk periode {period}, yang dimulai sesudah TMT penugasan "
                "baru. Periksa TMT-nya, atau hapus dulu evaluasi periode itu."
            ).format(period=period_label(late))
        )


def _copy_previous(session: Session, skp: Skp) -> None:
    prev = session.scalar(
        select(Skp)
        .where(Skp.employee_id == skp.employee_id, Skp.year < skp.year, Skp.deleted.is_(False))
        .order_by(Skp.year.desc(), Skp.start.desc())
        .limit(1)
    )
    if prev is None:
        raise UserError(_("Tidak ada SKP tahun sebelumnya untuk disalin."))
    choices = {r.text.strip().lower(): r.id for r in supervisor_rhk_choices(session, skp.employee_id, skp.year)}
    old_parents = {}
    old = _rhks(session, prev.id)
    parent_ids = [r.parent_rhk_id for r, _ikis in old if r.parent_rhk_id]
    if parent_ids:
        old_parents = {r.id: r.text for r in session.scalars(select(Rhk).where(Rhk.id.in_(parent_ids)))}
    for r, ikis in old:
        parent = None
        if skp.model == "non_jpt" and r.parent_rhk_id in old_parents:
            parent = choices.get(old_parents[r.parent_rhk_id].strip().lower())
        new = Rhk(
            skp_id=skp.id,
            group=r.group,
            position=r.position,
            text=r.text,
            parent_rhk_id=parent,
            perspektif=r.perspektif if skp.model == "jpt" else None,
        )
        session.add(new)
        session.flush()
        for i in ikis:
            session.add(Iki(rhk_id=new.id, position=i.position, aspek=i.aspek, indicator=i.indicator, target=i.target))
    for code, e in _expectations(session, prev.id).items():
        session.add(SkpExpectation(skp_id=skp.id, value_code=code, text=e.text))
    skp.approach = prev.approach
    skp.lampiran = {k: list((prev.lampiran or {}).get(k, [])) for k in LAMPIRAN_KEYS}
    skp.copied_from_id = prev.id
    session.flush()


def _editable(session: Session, actor: Principal, skp_id: str, expected_hlc: str | None) -> tuple[Skp, Employee]:
    skp = session.get(Skp, skp_id)
    if skp is None or skp.deleted:
        raise NotFound(_("SKP yang diminta tidak ada (mungkin sudah dihapus)."))
    emp = require_write(session, actor, skp.employee_id)
    ensure_open(get_period(session, skp.period_id))
    check_version(skp, expected_hlc, skp_changed_message())
    return skp, emp


def _validate(session: Session, skp: Skp, content: SkpContent) -> None:
    if content.approach not in SKP_APPROACHES:
        raise UserError(_("Pendekatan SKP harus kuantitatif atau kualitatif."))
    allowed_parents = {r.id for r in supervisor_rhk_choices(session, skp.employee_id, skp.year)}
    for n, rhk in enumerate(content.rhks, start=1):
        if not rhk.text.strip():
            raise UserError(_("RHK nomor {n} belum diisi.").format(n=n))
        if rhk.group not in RHK_GROUPS:
            raise UserError(_("Kelompok RHK nomor {n} harus Utama atau Tambahan.").format(n=n))
        if skp.model == "jpt":
            if rhk.parent_rhk_id:
                raise UserError(
                    _("SKP JPT tidak merujuk RHK pimpinan; isi perspektif untuk RHK nomor {n}.").format(n=n)
                )
            if rhk.perspektif and rhk.perspektif not in PERSPEKTIF:
                raise UserError(
                    _("Perspektif RHK nomor {n} harus salah satu dari: {choices}.").format(
                        n=n, choices=", ".join(PERSPEKTIF)
                    )
                )
        else:
            if rhk.perspektif:
                raise UserError(_("Perspektif hanya untuk SKP JPT; RHK nomor {n} merujuk RHK pimpinan.").format(n=n))
            if rhk.parent_rhk_id and rhk.parent_rhk_id not in allowed_parents:
                raise UserError(
                    _(
                        "RHK pimpinan yang dipilih untuk RHK nomor {n} tidak ada dalam SKP tahun {year} "
                        "atasan langsung pegawai ini. Pilih RHK dari SKP atasan langsung."
                    ).format(n=n, year=skp.year)
                )
        for m, iki in enumerate(rhk.ikis, start=1):
            if not iki.indicator.strip():
                raise UserError(_("IKI nomor {m} pada RHK nomor {n} belum diisi.").format(m=m, n=n))
            if iki.aspek not in IKI_ASPEK:
                raise UserError(
                    _("Aspek IKI nomor {m} pada RHK nomor {n} harus salah satu dari: {choices}.").format(
                        m=m, n=n, choices=", ".join(IKI_ASPEK)
                    )
                )
    unknown = [c for c in content.expectations if c not in BERAKHLAK_CODES]
    if unknown:
        raise UserError(_("Nilai BerAKHLAK tidak dikenal: {codes}.").format(codes=", ".join(unknown)))
    unknown = [k for k in content.lampiran if k not in LAMPIRAN_KEYS]
    if unknown:
        raise UserError(_("Lampiran SKP tidak dikenal: {keys}.").format(keys=", ".join(unknown)))


def _referenced_elsewhere(session: Session, rhk_ids: list[str]) -> list[Rhk]:
    if not rhk_ids:
        return []
    return list(session.scalars(select(Rhk).where(Rhk.parent_rhk_id.in_(rhk_ids), Rhk.deleted.is_(False))))


# long: checks, then writes each part of the plan and records it, in one transaction
def save_skp(session: Session, actor: Principal, skp_id: str, content: SkpContent, *, expected_hlc: str | None) -> Skp:
    """Save the whole SKP document (a draft). A later save over someone else's is refused."""
    skp, _emp = _editable(session, actor, skp_id, expected_hlc)
    if skp.status != "draft":
        raise UserError(
            _("SKP ini sudah disepakati pada {day}; buka kembali (ubah ke draf) untuk mengubahnya.").format(
                day=date_words(skp.agreed_on) if skp.agreed_on else "-"
            )
        )
    _validate(session, skp, content)
    before = _document(session, skp)
    existing = {r.id: (r, ikis) for r, ikis in _rhks(session, skp.id)}
    keep = {r.id for r in content.rhks if r.id}
    removed = [rid for rid in existing if rid not in keep]
    refs = _referenced_elsewhere(session, removed)
    if refs:
        raise UserError(
            _(
                'RHK "{text}" tidak dapat dihapus karena menjadi RHK pimpinan yang diintervensi dalam '
                "SKP bawahan; ubah SKP bawahan itu lebih dulu."
            ).format(text=getattr(session.get(Rhk, refs[0].parent_rhk_id), "text", ""))
        )
    for rid in removed:
        rhk, ikis = existing[rid]
        rhk.deleted = True
        for i in ikis:
            i.deleted = True
    counters = {g: 0 for g in RHK_GROUPS}
    for data in content.rhks:
        counters[data.group] += 1
        if data.id and data.id in existing:
            rhk, old_ikis = existing[data.id]
        else:
            rhk, old_ikis = Rhk(skp_id=skp.id), []
            session.add(rhk)
        rhk.group, rhk.position, rhk.text = data.group, counters[data.group], data.text.strip()
        rhk.parent_rhk_id = data.parent_rhk_id or None
        rhk.perspektif = data.perspektif or None
        session.flush()
        old_by_id = {i.id: i for i in old_ikis}
        keep_ikis = {i.id for i in data.ikis if i.id}
        for iid, iki in old_by_id.items():
            if iid not in keep_ikis:
                iki.deleted = True
        for pos, idata in enumerate(data.ikis, start=1):
            kept = old_by_id.get(idata.id) if idata.id else None
            if kept is None:
                kept = Iki(rhk_id=rhk.id)
                session.add(kept)
            iki = kept
            iki.position, iki.aspek = pos, idata.aspek
            iki.indicator, iki.target = idata.indicator.strip(), idata.target.strip()
    rows = _expectations(session, skp.id)
    for code, text in content.expectations.items():
        row = rows.get(code)
        if row is None:
            session.add(SkpExpectation(skp_id=skp.id, value_code=code, text=text.strip()))
        elif row.text != text.strip():
            row.text = text.strip()
    skp.approach = content.approach
    skp.lampiran = {k: [line.strip() for line in content.lampiran.get(k, []) if line.strip()] for k in LAMPIRAN_KEYS}
    skp.saved_at, skp.saved_by = _now(), actor.username  # always bumps the SKP's version
    session.flush()
    record(session, actor, "update", Skp.__tablename__, skp.id, before, _document(session, skp))
    return skp


def missing_for_agreement(session: Session, skp: Skp) -> list[str]:
    """What must be filled before an SKP can be agreed (empty when complete)."""
    missing = []
    rhks = _rhks(session, skp.id)
    if not any(r.group == "utama" for r, _ikis in rhks):
        missing.append(_("paling sedikit satu RHK Utama"))
    has_parent_choices = bool(supervisor_rhk_choices(session, skp.employee_id, skp.year))
    for n, (r, ikis) in enumerate(rhks, start=1):
        if not ikis:
            missing.append(_("IKI untuk RHK nomor {n}").format(n=n))
        for m, i in enumerate(ikis, start=1):
            if not i.target.strip():
                missing.append(_("target IKI nomor {m} pada RHK nomor {n}").format(m=m, n=n))
        if skp.model == "jpt" and not r.perspektif:
            missing.append(_("perspektif RHK nomor {n}").format(n=n))
        if skp.model == "non_jpt" and has_parent_choices and not r.parent_rhk_id:
            missing.append(_("RHK pimpinan yang diintervensi untuk RHK nomor {n}").format(n=n))
    return missing


def agree_skp(session: Session, actor: Principal, skp_id: str, agreed_on: date, *, expected_hlc: str | None) -> Skp:
    """Draft -> agreed (dated). Refused, listing what is missing, when the plan is incomplete."""
    skp, _emp = _editable(session, actor, skp_id, expected_hlc)
    if skp.status == "agreed":
        return skp
    missing = missing_for_agreement(session, skp)
    if missing:
        raise UserError(_("SKP belum dapat disepakati; yang belum diisi: {items}.").format(items="; ".join(missing)))
    before = {"status": skp.status, "agreed_on": None}
    skp.status, skp.agreed_on = "agreed", agreed_on
    skp.saved_at, skp.saved_by = _now(), actor.username
    session.flush()
    record(
        session,
        actor,
        "agree",
        Skp.__tablename__,
        skp.id,
        before,
        {"status": skp.status, "agreed_on": agreed_on.isoformat()},
    )
    return skp


def reopen_skp(session: Session, actor: Principal, skp_id: str, *, expected_hlc: str | None) -> Skp:
    """Agreed -> draft again, to change the plan (audited)."""
    skp, _emp = _editable(session, actor, skp_id, expected_hlc)
    if skp.status == "draft":
        return skp
    before = {"status": skp.status, "agreed_on": skp.agreed_on.isoformat() if skp.agreed_on else None}
    skp.status, skp.agreed_on = "draft", None
    skp.saved_at, skp.saved_by = _now(), actor.username
    session.flush()
    record(session, actor, "reopen", Skp.__tablename__, skp.id, before, {"status": "draft", "agreed_on": None})
    return skp


def value_names() -> list[tuple[str, str]]:
    """(code, translated name) of the seven BerAKHLAK values, in order."""
    return [(v.code, _(v.name)) for v in BERAKHLAK]
