"""Periodic and annual evaluations: realisasi, ratings, predikat, finalize, revisions.

- The predikat is computed from the matrix on every save (:func:`live_predikat` is the
  same pure computation for the editor to show while the person rates).
- The evaluation of the unit's head takes rating hasil kerja from the unit's capaian
  kinerja organisasi of that period, in every period (periodic and Akhir); it is not
  editable.
- With more than one SKP in a year (a mutasi), each period is evaluated on the SKP in
  force at its end; an SKP that ended within a period gets a closing evaluation of kind
  ``penugasan`` from the pejabat penilai of that assignment.
- Finalizing (only the pejabat penilai, the direct supervisor) checks completeness and
  lists what is missing, and freezes the identities of the three people and the SKP
  as of that day. A final evaluation is immutable; a correction is a revision: a new
  draft version linked to the old one with a reason. Everything is audited.
- Every save takes ``expected_hlc``; a save over someone else's newer save is refused
  (:class:`~kinerja_desktop.services.optimistic.ConcurrentEdit`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.berakhlak import BERAKHLAK_CODES
from kinerja_desktop.domain.frozen_skp import FrozenSkpRow, freeze
from kinerja_desktop.domain.golongan import GolonganError, pangkat_golongan_label
from kinerja_desktop.domain.predikat import (
    CapaianOrganisasi,
    Predikat,
    Rating,
    parse_rating,
    predikat,
    rating_hasil_kerja_for_head,
)
from kinerja_desktop.errors import NotFound, PermissionDenied, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.performance_access import (
    require_assignment_evaluator,
    require_evaluator,
    require_view,
    require_write,
)
from kinerja_desktop.services.access.principal import PEGAWAI, Principal
from kinerja_desktop.services.audit.chain import record, snapshot
from kinerja_desktop.services.optimistic import check_version, evaluation_changed_message
from kinerja_desktop.services.pegawai.facts import is_shared, require_draft_visible
from kinerja_desktop.services.performance.capaian import effective_capaian, own_capaian
from kinerja_desktop.services.performance.kepala_daerah import Superior, identity_of_kepala_daerah, pejabat_penilai_of
from kinerja_desktop.services.performance.periods import (
    closing_period,
    ensure_open,
    get_period,
    list_periods,
    period_label,
)
from kinerja_desktop.services.performance.skp import SkpView, load_skp, skps_for_year
from kinerja_desktop.services.settings import get_letterhead
from kinerja_desktop.services.training.development_plan import plan_for_evaluation
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.store.feedback import FeedbackNote
from kinerja_desktop.store.lookup import referenced
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.store.periods import Period
from kinerja_desktop.store.skp import Iki, Rhk, Skp

#: The closing evaluation of an SKP that ended within a period (a mutasi).
KIND_PENUGASAN = "penugasan"

_AUDIT_FIELDS = (
    "employee_id",
    "period_id",
    "skp_id",
    "kind",
    "evaluator_id",
    "rating_hasil_kerja",
    "rating_perilaku_kerja",
    "predikat",
    "hasil_from_capaian",
    "capaian",
    "realisasi",
    "perilaku_feedback",
    "catatan_rekomendasi",
    "status",
    "finalized_at",
    "finalized_by",
    "revision_of_id",
    "revision_no",
    "revision_reason",
)
STATUS_LABELS = {"draft": "draf", "final": "final"}


def live_predikat(hasil: Rating | str | None, perilaku: Rating | str | None) -> Predikat | None:
    """The predikat for two ratings, or None while either is missing (pure; for the editor)."""
    if not hasil or not perilaku:
        return None
    return predikat(parse_rating(hasil), parse_rating(perilaku))


@dataclass
class EvaluationForm:
    """What the evaluation editor saves."""

    rating_hasil_kerja: Rating | str | None = None
    rating_perilaku_kerja: Rating | str | None = None
    #: IKI id -> {"realisasi": text, "umpan_balik": text}
    realisasi: dict[str, dict[str, str]] = field(default_factory=dict)
    #: BerAKHLAK code -> umpan balik text
    perilaku_feedback: dict[str, str] = field(default_factory=dict)
    catatan_rekomendasi: str = ""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def current_evaluation(session: Session, employee_id: str, period_id: str) -> Evaluation | None:
    """The newest version of the employee's evaluation for the period (no permission check).

    The evaluation on the SKP in force at the end of the period; closing evaluations of
    an earlier assignment are :func:`assignment_evaluation`.
    """
    return session.scalar(
        select(Evaluation)
        .where(
            Evaluation.employee_id == employee_id,
            Evaluation.period_id == period_id,
            Evaluation.deleted.is_(False),
            Evaluation.kind != KIND_PENUGASAN,
        )
        .order_by(Evaluation.revision_no.desc())
        .limit(1)
    )


def assignment_evaluation(session: Session, skp_id: str, period_id: str) -> Evaluation | None:
    """The newest version of the closing evaluation of an earlier SKP in a period."""
    return session.scalar(
        select(Evaluation)
        .where(
            Evaluation.skp_id == skp_id,
            Evaluation.period_id == period_id,
            Evaluation.deleted.is_(False),
            Evaluation.kind == KIND_PENUGASAN,
        )
        .order_by(Evaluation.revision_no.desc())
        .limit(1)
    )


def _require_view_evaluation(session: Session, actor: Principal, ev: Evaluation) -> None:

    require_draft_visible(session, actor, ev)
    if ev.skp_id and actor.employee_id:  # the pejabat penilai of the SKP's assignment, also after a mutasi
        skp = session.get(Skp, ev.skp_id)
        if skp is not None and actor.employee_id and actor.employee_id == skp.evaluator_id:
            return
    require_view(session, actor, ev.employee_id)


def get_evaluation(session: Session, actor: Principal, evaluation_id: str) -> Evaluation:
    ev = session.get(Evaluation, evaluation_id)
    if ev is None or ev.deleted:
        raise NotFound(_("Evaluasi yang diminta tidak ada (mungkin sudah dihapus)."))
    _require_view_evaluation(session, actor, ev)
    return ev


def history(
    session: Session, actor: Principal, employee_id: str, period_id: str, evaluation: Evaluation | None = None
) -> list[Evaluation]:
    """Every version of the employee's evaluation for the period, oldest first (of the same chain)."""
    if evaluation is not None:
        _require_view_evaluation(session, actor, evaluation)
    else:
        require_view(session, actor, employee_id)
    q = select(Evaluation).where(
        Evaluation.employee_id == employee_id, Evaluation.period_id == period_id, Evaluation.deleted.is_(False)
    )
    if evaluation is not None and evaluation.kind == KIND_PENUGASAN:
        q = q.where(Evaluation.kind == KIND_PENUGASAN, Evaluation.skp_id == evaluation.skp_id)
    else:
        q = q.where(Evaluation.kind != KIND_PENUGASAN)
    rows = list(session.scalars(q.order_by(Evaluation.revision_no)))
    if actor.role == PEGAWAI:  # drafts the pejabat penilai has not shared stay theirs
        rows = [ev for ev in rows if is_shared(session, ev)]
    return rows


def head_rating(
    session: Session, employee: Employee, period: Period, skp: Skp | None = None
) -> tuple[bool, CapaianOrganisasi | None]:
    """(head-of-unit rule applies, the unit's capaian for ``period``) for an employee's evaluation.

    Applies in every period, periodic and Akhir: the head's rating hasil kerja is the
    capaian kinerja organisasi of that period. With ``skp`` (an earlier assignment) the
    position and unit are that assignment's.
    """
    position_id = skp.position_id if skp is not None and skp.position_id else employee.position_id
    unit_id = skp.unit_id if skp is not None and skp.unit_id else employee.unit_id
    pos = session.get(Position, position_id) if position_id else None
    if pos is None or not pos.is_unit_head or not unit_id:
        return False, None
    row = own_capaian(session, unit_id, period)
    return True, (CapaianOrganisasi(row.capaian) if row else None)


def _earlier_skp(session: Session, skp_id: str | None) -> Skp | None:
    """The SKP when it belongs to an earlier assignment of its year (a later SKP follows it)."""
    if not skp_id:
        return None
    later = session.scalar(select(Skp.id).where(Skp.previous_skp_id == skp_id, Skp.deleted.is_(False)).limit(1))
    return session.get(Skp, skp_id) if later else None


def _writer(session: Session, actor: Principal, employee_id: str, skp_id: str | None) -> Employee:
    earlier = _earlier_skp(session, skp_id)
    if earlier is not None:
        return require_assignment_evaluator(session, actor, earlier)
    return require_write(session, actor, employee_id)


def _finalizer(session: Session, actor: Principal, employee_id: str, skp_id: str | None) -> Employee:
    earlier = _earlier_skp(session, skp_id)
    if earlier is not None:
        return require_assignment_evaluator(session, actor, earlier)
    return require_evaluator(session, actor, employee_id)


def _evaluator_of(session: Session, emp: Employee, skp_id: str | None) -> str | None:
    earlier = _earlier_skp(session, skp_id)
    return earlier.evaluator_id if earlier is not None else emp.supervisor_id


def _apply_head_rule(session: Session, ev: Evaluation, emp: Employee, period: Period) -> None:
    applies, capaian = head_rating(session, emp, period, _earlier_skp(session, ev.skp_id))
    ev.hasil_from_capaian = applies
    ev.capaian = capaian.value if capaian else None
    if applies:
        ev.rating_hasil_kerja = rating_hasil_kerja_for_head(capaian).value if capaian else None


def _recompute(ev: Evaluation) -> None:
    p = live_predikat(ev.rating_hasil_kerja, ev.rating_perilaku_kerja)
    ev.predikat = p.value if p else None


def skp_for_period(session: Session, employee_id: str, period: Period) -> tuple[Skp | None, list[Skp]]:
    """(the SKP a period is evaluated on, earlier SKPs that ended within the period).

    The SKP in force at the end of the period; when none is (the employee's only SKPs
    ended earlier), the latest one that overlaps the period.
    """
    overlapping = [
        s for s in skps_for_year(session, employee_id, period.year) if s.start <= period.end and s.end >= period.start
    ]
    main = next((s for s in overlapping if s.start <= period.end <= s.end), None)
    if main is None and overlapping:
        main = overlapping[-1]
    ended = [s for s in overlapping if s is not main and s.end < period.end]
    return main, ended


def start_evaluation(
    session: Session, actor: Principal, employee_id: str, period_id: str, *, skp_id: str | None = None
) -> Evaluation:
    """Open a draft evaluation of the employee for the period (the SKP must be agreed).

    ``skp_id`` names an earlier SKP that ended within the period (a mutasi): its closing
    evaluation, opened by the pejabat penilai of that assignment.
    """
    period = get_period(session, period_id)
    main, ended = skp_for_period(session, employee_id, period)
    if skp_id is not None and (main is None or skp_id != main.id):
        return _start_assignment_evaluation(session, actor, employee_id, period, skp_id, ended)
    emp = _writer(session, actor, employee_id, main.id if main else None)
    ensure_open(period)
    existing = current_evaluation(session, employee_id, period_id)
    if existing is not None:
        raise UserError(
            _("Evaluasi {name} untuk periode {period} sudah ada; buka evaluasi itu.").format(
                name=emp.full_name, period=period_label(period)
            )
        )
    skp = main
    if skp is None:
        raise UserError(
            _("{name} belum memiliki SKP untuk periode {period}; buat dan sepakati SKP lebih dulu.").format(
                name=emp.full_name, period=period_label(period)
            )
        )
    _require_agreed(emp, skp)
    ev = Evaluation(
        employee_id=employee_id,
        period_id=period.id,
        skp_id=skp.id,
        kind="tahunan" if period.is_annual else "periodik",
        evaluator_id=_evaluator_of(session, emp, skp.id),
        realisasi={},
        perilaku_feedback={},
        status="draft",
        revision_no=0,
        saved_at=_now(),
        saved_by=actor.username,
    )
    _apply_head_rule(session, ev, emp, period)
    _recompute(ev)
    session.add(ev)
    session.flush()
    record(session, actor, "create", Evaluation.__tablename__, ev.id, None, snapshot(ev, _AUDIT_FIELDS))
    return ev


def _require_agreed(emp: Employee, skp: Skp) -> None:
    if skp.status != "agreed":
        raise UserError(
            _("SKP {name} tahun {year} belum disepakati; sepakati SKP sebelum menilai.").format(
                name=emp.full_name, year=skp.year
            )
        )


def _start_assignment_evaluation(
    session: Session, actor: Principal, employee_id: str, period: Period, skp_id: str, ended: list[Skp]
) -> Evaluation:
    skp = next((s for s in ended if s.id == skp_id), None)
    closing = closing_period(session, skp) if skp is not None else None
    if skp is None or closing is None or closing.id != period.id:
        raise UserError(
            _(
                "SKP itu tidak berakhir di dalam periode {period}; evaluasi penugasan dibuat pada periode "
                "tempat SKP itu berakhir."
            ).format(period=period_label(period))
        )
    emp = require_assignment_evaluator(session, actor, skp)
    ensure_open(period)
    if assignment_evaluation(session, skp.id, period.id) is not None:
        raise UserError(
            _("Evaluasi penugasan {name} periode {period} sudah ada; buka evaluasi itu.").format(
                name=emp.full_name, period=period_label(period)
            )
        )
    _require_agreed(emp, skp)
    ev = Evaluation(
        employee_id=employee_id,
        period_id=period.id,
        skp_id=skp.id,
        kind=KIND_PENUGASAN,
        evaluator_id=skp.evaluator_id,
        realisasi={},
        perilaku_feedback={},
        status="draft",
        revision_no=0,
        saved_at=_now(),
        saved_by=actor.username,
    )
    session.add(ev)
    session.flush()
    record(session, actor, "create", Evaluation.__tablename__, ev.id, None, snapshot(ev, _AUDIT_FIELDS))
    return ev


@dataclass
class AssignmentItem:
    """One evaluation an earlier assignment still owes (or has) in a period."""

    skp: Skp
    employee: Employee
    period: Period
    closing: bool  # the closing evaluation (kind penugasan) rather than an ordinary one
    evaluation: Evaluation | None


def assignments_to_close(session: Session, actor: Principal, year: int) -> list[AssignmentItem]:
    """The evaluations of earlier SKPs (before a mutasi) that ``actor`` was pejabat penilai of in ``year``.

    Each period where such an SKP was in force at the period's end, plus its closing
    period, with the evaluation made so far (None: not started).
    """

    if not actor.employee_id and not actor.is_system:
        return []
    succeeded = select(Skp.previous_skp_id).where(Skp.previous_skp_id.is_not(None), Skp.deleted.is_(False))
    q = select(Skp).where(Skp.year == year, Skp.deleted.is_(False), Skp.id.in_(succeeded))
    if not actor.is_system:
        q = q.where(Skp.evaluator_id == actor.employee_id)
    periods = list_periods(session, year)
    out = []
    for skp in session.scalars(q.order_by(Skp.start)):
        emp = referenced(session, Employee, skp.employee_id)
        closing = closing_period(session, skp)
        for period in periods:
            if closing is not None and period.id == closing.id:
                out.append(AssignmentItem(skp, emp, period, True, assignment_evaluation(session, skp.id, period.id)))
            elif not period.is_annual and skp.start <= period.end <= skp.end:
                ev = current_evaluation(session, skp.employee_id, period.id)
                out.append(AssignmentItem(skp, emp, period, False, ev if ev is None or ev.skp_id == skp.id else None))
    return out


def skp_ikis(session: Session, skp_id: str | None) -> list[tuple[int, Rhk, Iki]]:
    """(RHK number, RHK, IKI) of the SKP, in form order."""
    if not skp_id:
        return []
    rhks = session.scalars(select(Rhk).where(Rhk.skp_id == skp_id, Rhk.deleted.is_(False))).all()
    rhks = sorted(rhks, key=lambda r: (r.group != "utama", r.position))
    by_rhk: dict[str, list[Iki]] = {r.id: [] for r in rhks}
    if rhks:
        for iki in session.scalars(select(Iki).where(Iki.rhk_id.in_(list(by_rhk)), Iki.deleted.is_(False))):
            by_rhk[iki.rhk_id].append(iki)
    out = []
    for n, r in enumerate(rhks, start=1):
        for iki in sorted(by_rhk[r.id], key=lambda i: i.position):
            out.append((n, r, iki))
    return out


def _draft_for_edit(
    session: Session, actor: Principal, evaluation_id: str, expected_hlc: str | None
) -> tuple[Evaluation, Employee, Period]:
    ev = session.get(Evaluation, evaluation_id)
    if ev is None or ev.deleted:
        raise NotFound(_("Evaluasi yang diminta tidak ada (mungkin sudah dihapus)."))
    emp = _writer(session, actor, ev.employee_id, ev.skp_id)
    period = get_period(session, ev.period_id)
    if ev.status == "final":
        raise UserError(
            _(
                "Evaluasi {name} periode {period} sudah final dan tidak dapat diubah. Untuk membetulkannya, "
                "buat revisi dengan alasannya."
            ).format(name=emp.full_name, period=period_label(period))
        )
    ensure_open(period)
    check_version(ev, expected_hlc, evaluation_changed_message())
    return ev, emp, period


def _rating(value, what: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return parse_rating(value).value
    except ValueError as exc:
        raise UserError(f"{what}: {exc}") from None


def save_evaluation(
    session: Session, actor: Principal, evaluation_id: str, form: EvaluationForm, *, expected_hlc: str | None
) -> Evaluation:
    """Save a draft; the predikat is recomputed from the matrix."""
    ev, emp, period = _draft_for_edit(session, actor, evaluation_id, expected_hlc)
    hasil = _rating(form.rating_hasil_kerja, _("Rating hasil kerja"))
    perilaku = _rating(form.rating_perilaku_kerja, _("Rating perilaku kerja"))
    applies, capaian = head_rating(session, emp, period, _earlier_skp(session, ev.skp_id))
    if applies:
        fixed = rating_hasil_kerja_for_head(capaian).value if capaian else None
        if hasil is not None and hasil != fixed:
            raise UserError(
                _(
                    "{name} adalah kepala unit: rating hasil kerjanya mengikuti capaian kinerja organisasi "
                    "({capaian}) dan tidak dapat diubah di sini."
                ).format(name=emp.full_name, capaian=capaian.label if capaian else _("belum ditetapkan"))
            )
    iki_ids = {iki.id for _n, _r, iki in skp_ikis(session, ev.skp_id)}
    unknown = [k for k in form.realisasi if k not in iki_ids]
    if unknown:
        raise UserError(_("Realisasi diisi untuk IKI yang tidak ada dalam SKP ini; muat ulang SKP-nya."))
    bad = [k for k in form.perilaku_feedback if k not in BERAKHLAK_CODES]
    if bad:
        raise UserError(_("Nilai BerAKHLAK tidak dikenal: {codes}.").format(codes=", ".join(bad)))
    before = snapshot(ev, _AUDIT_FIELDS)
    ev.rating_hasil_kerja = hasil
    ev.rating_perilaku_kerja = perilaku
    _apply_head_rule(session, ev, emp, period)
    ev.realisasi = {
        k: {"realisasi": str(v.get("realisasi", "")).strip(), "umpan_balik": str(v.get("umpan_balik", "")).strip()}
        for k, v in form.realisasi.items()
    }
    ev.perilaku_feedback = {k: v.strip() for k, v in form.perilaku_feedback.items() if v and v.strip()}
    ev.catatan_rekomendasi = (form.catatan_rekomendasi or "").strip()
    _recompute(ev)
    ev.saved_at, ev.saved_by = _now(), actor.username  # always a new version, even with no change
    session.flush()
    record(session, actor, "update", Evaluation.__tablename__, ev.id, before, snapshot(ev, _AUDIT_FIELDS))
    return ev


def missing_for_final(session: Session, ev: Evaluation) -> list[str]:
    """What must be filled before the evaluation can be final, in words (empty when complete)."""
    missing = []
    emp = referenced(session, Employee, ev.employee_id)
    period = referenced(session, Period, ev.period_id)
    earlier = _earlier_skp(session, ev.skp_id)
    applies, capaian = head_rating(session, emp, period, earlier)
    if applies:
        if capaian is None:
            unit = session.get(Unit, earlier.unit_id if earlier is not None and earlier.unit_id else emp.unit_id)
            missing.append(
                _("capaian kinerja organisasi {unit} periode {period} (rating hasil kerja kepala unit)").format(
                    unit=unit.name if unit else "-", period=period_label(period)
                )
            )
    elif not ev.rating_hasil_kerja:
        missing.append(_("rating hasil kerja"))
    if not ev.rating_perilaku_kerja:
        missing.append(_("rating perilaku kerja"))
    items = skp_ikis(session, ev.skp_id)
    if not items:
        missing.append(_("RHK dan IKI dalam SKP"))
    for n, _rhk, iki in items:
        if not str((ev.realisasi or {}).get(iki.id, {}).get("realisasi", "")).strip():
            missing.append(_('realisasi IKI "{iki}" (RHK nomor {n})').format(iki=iki.indicator, n=n))
    return missing


def identity_of(session: Session, employee_id: str | None) -> dict | None:
    """Nama, NIP, pangkat/golongan, jabatan, unit kerja of an employee as of now."""
    emp = session.get(Employee, employee_id) if employee_id else None
    if emp is None:
        return None
    try:
        pangkat = pangkat_golongan_label(emp.golongan, emp.status)
    except GolonganError:
        pangkat = emp.golongan or ""
    pos = session.get(Position, emp.position_id) if emp.position_id else None
    unit = session.get(Unit, emp.unit_id) if emp.unit_id else None
    return {
        "id": emp.id,
        "nama": emp.full_name,
        "nip": emp.nip,
        "status": emp.status,
        "pangkat_golongan": pangkat,
        "jabatan": pos.name if pos else "",
        "unit_kerja": unit.name if unit else "",
    }


def _superior_identity(session: Session, superior) -> dict | None:
    if superior is None:
        return None
    if superior.kepala_daerah is not None:
        return identity_of_kepala_daerah(superior.kepala_daerah, get_letterhead(session).government.title())
    return identity_of(session, superior.employee.id if superior.employee else None)


def identities_now(session: Session, employee_id: str, skp_id: str | None = None, day: date | None = None) -> dict:
    """The three people of an evaluation: pegawai, pejabat penilai, atasan pejabat penilai.

    The pejabat penilai is the supervisor, or the kepala daerah for the Sekda (who is then
    also the atasan of the JPT the Sekda evaluates). For an SKP of an earlier assignment,
    that assignment's jabatan, unit kerja and pejabat penilai.
    """
    emp = referenced(session, Employee, employee_id)
    day = day or date.today()
    earlier = _earlier_skp(session, skp_id)
    pegawai = identity_of(session, emp.id)
    assert pegawai is not None  # the employee exists
    if earlier is None:
        first = pejabat_penilai_of(session, emp, day)
    else:
        pos = session.get(Position, earlier.position_id) if earlier.position_id else None
        unit = session.get(Unit, earlier.unit_id) if earlier.unit_id else None
        pegawai.update(jabatan=pos.name if pos else pegawai["jabatan"], unit_kerja=unit.name if unit else "")
        sup = session.get(Employee, earlier.evaluator_id) if earlier.evaluator_id else None
        first = Superior(employee=sup) if sup is not None else None
    second = pejabat_penilai_of(session, first.employee, day) if first is not None and first.employee else None
    return {
        "pegawai": pegawai,
        "pejabat_penilai": _superior_identity(session, first),
        "atasan_pejabat_penilai": _superior_identity(session, second),
    }


def frozen_skp(session: Session, skp_id: str | None) -> dict | None:
    """The ``frozen_skp`` value finalizing an evaluation of this SKP stores (None without an SKP)."""
    if not skp_id:
        return None
    rows = []
    parents: dict[str, str] = {}
    for _n, rhk, iki in skp_ikis(session, skp_id):
        if rhk.parent_rhk_id and rhk.parent_rhk_id not in parents:
            parent = session.get(Rhk, rhk.parent_rhk_id)
            parents[rhk.parent_rhk_id] = parent.text if parent else ""
        rows.append(
            FrozenSkpRow(
                group=rhk.group,
                rhk_id=rhk.id,
                rhk=rhk.text,
                perspektif=rhk.perspektif,
                rhk_pimpinan=parents.get(rhk.parent_rhk_id or "", ""),
                iki_id=iki.id,
                aspek=iki.aspek,
                iki=iki.indicator,
                target=iki.target,
            )
        )
    return freeze(rows)


def finalize_evaluation(
    session: Session, actor: Principal, evaluation_id: str, *, expected_hlc: str | None, today: date | None = None
) -> Evaluation:
    """Draft -> final, by the pejabat penilai. Lists what is missing when incomplete."""
    ev = session.get(Evaluation, evaluation_id)
    if ev is None or ev.deleted:
        raise NotFound(_("Evaluasi yang diminta tidak ada (mungkin sudah dihapus)."))
    _finalizer(session, actor, ev.employee_id, ev.skp_id)
    ev, emp, period = _draft_for_edit(session, actor, evaluation_id, expected_hlc)
    missing = missing_for_final(session, ev)
    if missing:
        raise UserError(
            _("Evaluasi {name} belum dapat difinalkan; yang belum diisi: {items}.").format(
                name=emp.full_name, items="; ".join(missing)
            )
        )
    today = today or date.today()
    before = snapshot(ev, _AUDIT_FIELDS)
    _apply_head_rule(session, ev, emp, period)
    _recompute(ev)
    ev.evaluator_id = _evaluator_of(session, emp, ev.skp_id)
    ev.identities = identities_now(session, emp.id, ev.skp_id, today)
    ev.identities["tanggal"] = today.isoformat()
    ev.frozen_skp = frozen_skp(session, ev.skp_id)
    ev.status = "final"
    ev.finalized_at = _now()
    ev.finalized_on = today
    ev.finalized_by = actor.username
    ev.saved_at, ev.saved_by = ev.finalized_at, actor.username
    session.flush()
    record(session, actor, "finalize", Evaluation.__tablename__, ev.id, before, snapshot(ev, _AUDIT_FIELDS))
    plan_for_evaluation(session, actor, ev, period_label(period), today)
    return ev


def revise_evaluation(session: Session, actor: Principal, evaluation_id: str, reason: str) -> Evaluation:
    """Start a correction of a final evaluation: a new draft version linked to it (both remain)."""
    old = session.get(Evaluation, evaluation_id)
    if old is None or old.deleted:
        raise NotFound(_("Evaluasi yang diminta tidak ada (mungkin sudah dihapus)."))
    emp = _finalizer(session, actor, old.employee_id, old.skp_id)
    period = get_period(session, old.period_id)
    if old.status != "final":
        raise UserError(_("Evaluasi ini masih draf; ubah saja drafnya, revisi hanya untuk evaluasi yang sudah final."))
    newest = (
        assignment_evaluation(session, old.skp_id or "", old.period_id)
        if old.kind == KIND_PENUGASAN
        else current_evaluation(session, old.employee_id, old.period_id)
    )
    if newest is not None and newest.id != old.id:
        raise UserError(
            _("Evaluasi ini sudah direvisi (revisi ke-{n}); buka versi terbaru.").format(n=newest.revision_no)
        )
    if not reason or not reason.strip():
        raise UserError(_("Tuliskan alasan revisi evaluasi."))
    ensure_open(period)
    new = Evaluation(
        employee_id=old.employee_id,
        period_id=old.period_id,
        skp_id=old.skp_id,
        kind=old.kind,
        evaluator_id=_evaluator_of(session, emp, old.skp_id),
        rating_hasil_kerja=old.rating_hasil_kerja,
        rating_perilaku_kerja=old.rating_perilaku_kerja,
        predikat=old.predikat,
        hasil_from_capaian=old.hasil_from_capaian,
        capaian=old.capaian,
        realisasi=dict(old.realisasi or {}),
        perilaku_feedback=dict(old.perilaku_feedback or {}),
        catatan_rekomendasi=old.catatan_rekomendasi,
        status="draft",
        revision_of_id=old.id,
        revision_no=old.revision_no + 1,
        revision_reason=reason.strip(),
        saved_at=_now(),
        saved_by=actor.username,
    )
    session.add(new)
    session.flush()
    record(
        session,
        actor,
        "revise",
        Evaluation.__tablename__,
        new.id,
        {"revision_of": old.id},
        snapshot(new, _AUDIT_FIELDS),
    )
    return new


@dataclass(frozen=True)
class EarlierAssignment:
    """An earlier SKP of the year (before a mutasi) and its final evaluations, for the annual evaluation."""

    skp_id: str
    start: date
    end: date
    jabatan: str
    unit: str
    penilai: str
    #: (period label, predikat or "", status) of its evaluations, in period order
    results: tuple[tuple[str, str, str], ...]


def earlier_assignments(session: Session, ev: Evaluation) -> list[EarlierAssignment]:
    """The earlier assignments of the year an annual evaluation weighs (PermenPANRB 6/2022, see docs/regulation.md).

    Only for the annual evaluation on the SKP in force at the year's end: the pejabat
    penilai sets the annual predikat considering these results; it is not an average.
    """
    period = referenced(session, Period, ev.period_id)
    if period is None or not period.is_annual or ev.kind == KIND_PENUGASAN:
        return []
    out = []
    for skp in skps_for_year(session, ev.employee_id, period.year):
        if skp.id == ev.skp_id or skp.start > period.end:
            continue
        evs = list(
            session.scalars(
                select(Evaluation)
                .where(Evaluation.skp_id == skp.id, Evaluation.deleted.is_(False))
                .order_by(Evaluation.revision_no)
            )
        )
        newest: dict[tuple[str, str], Evaluation] = {}
        for e in evs:
            newest[(e.period_id, e.kind)] = e
        results = []
        for e in sorted(newest.values(), key=lambda x: (referenced(session, Period, x.period_id).start, x.kind)):
            per = referenced(session, Period, e.period_id)
            label = period_label(per) + (" " + _("(akhir penugasan)") if e.kind == KIND_PENUGASAN else "")
            results.append((label, e.predikat or "", e.status))
        pos = session.get(Position, skp.position_id) if skp.position_id else None
        unit = session.get(Unit, skp.unit_id) if skp.unit_id else None
        sup = session.get(Employee, skp.evaluator_id) if skp.evaluator_id else None
        out.append(
            EarlierAssignment(
                skp.id,
                skp.start,
                skp.end,
                pos.name if pos else "",
                unit.name if unit else "",
                sup.full_name if sup else "",
                tuple(results),
            )
        )
    return out


@dataclass
class EvaluationView:
    """Everything the evaluation editor shows."""

    evaluation: Evaluation
    employee: Employee
    period: Period
    period_label: str
    skp: SkpView | None
    #: (RHK number, RHK, IKI) in form order
    ikis: list[tuple[int, Rhk, Iki]]
    head_rule: bool
    capaian: CapaianOrganisasi | None
    unit_capaian: CapaianOrganisasi | None
    identities: dict
    editable: bool
    can_finalize: bool
    missing: list[str]
    feedback_by_rhk: dict[str, list[FeedbackNote]]
    feedback_by_value: dict[str, list[FeedbackNote]]
    versions: list[Evaluation]
    #: Earlier assignments of the year (a mutasi) the annual predikat takes into account.
    earlier: list[EarlierAssignment] = field(default_factory=list)


def evaluation_view(session: Session, actor: Principal, evaluation_id: str) -> EvaluationView:
    ev = get_evaluation(session, actor, evaluation_id)
    emp = referenced(session, Employee, ev.employee_id)
    period = referenced(session, Period, ev.period_id)
    earlier = _earlier_skp(session, ev.skp_id)
    applies, capaian = head_rating(session, emp, period, earlier)
    unit_id = earlier.unit_id if earlier is not None and earlier.unit_id else emp.unit_id
    unit_capaian, _unit = effective_capaian(session, unit_id, period) if unit_id else (None, None)
    editable = can_finalize = False
    if ev.status == "draft" and not period.closed:
        try:
            _writer(session, actor, emp.id, ev.skp_id)
            editable = True
            _finalizer(session, actor, emp.id, ev.skp_id)
            can_finalize = True
        except PermissionDenied:
            pass
    notes = (
        list(
            session.scalars(
                select(FeedbackNote)
                .where(
                    FeedbackNote.skp_id == ev.skp_id,
                    FeedbackNote.deleted.is_(False),
                    FeedbackNote.noted_on <= period.end,
                )
                .order_by(FeedbackNote.noted_on)
            )
        )
        if ev.skp_id
        else []
    )
    by_rhk: dict[str, list[FeedbackNote]] = {}
    by_value: dict[str, list[FeedbackNote]] = {}
    for note in notes:
        if note.rhk_id:
            by_rhk.setdefault(note.rhk_id, []).append(note)
        elif note.value_code:
            by_value.setdefault(note.value_code, []).append(note)
    return EvaluationView(
        evaluation=ev,
        employee=emp,
        period=period,
        period_label=period_label(period),
        skp=load_skp(session, actor, ev.skp_id) if ev.skp_id else None,
        ikis=skp_ikis(session, ev.skp_id),
        head_rule=applies,
        capaian=capaian,
        unit_capaian=unit_capaian,
        identities=ev.identities
        if ev.status == "final" and ev.identities
        else identities_now(session, emp.id, ev.skp_id),
        editable=editable,
        can_finalize=can_finalize,
        missing=missing_for_final(session, ev) if ev.status == "draft" else [],
        feedback_by_rhk=by_rhk,
        feedback_by_value=by_value,
        versions=history(session, actor, ev.employee_id, ev.period_id, ev),
        earlier=earlier_assignments(session, ev),
    )
