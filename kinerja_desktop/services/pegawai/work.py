"""The employee's own part of the work: propose RHK/IKI, report realisasi with evidence,
reply to feedback, confirm a dialog kinerja; and the pejabat penilai's answers to them.

Each step is a row of a synced table (``store.pegawai``) and an audit entry; who may do
it is the role rules' (``skp.propose``, ``realisasi.report``, ...).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.audit.chain import record
from kinerja_desktop.services.documents.evidence import check_file, store_blob
from kinerja_desktop.services.pegawai import facts
from kinerja_desktop.services.performance.periods import ensure_open, get_period, period_label
from kinerja_desktop.services.performance.skp import IkiInput, RhkInput, _validate, load_skp, save_skp
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.store.feedback import DialogMeeting, EvidenceFile, FeedbackNote
from kinerja_desktop.store.pegawai import (
    DialogConfirmation,
    EvaluationShare,
    FeedbackReply,
    RealisasiReport,
    SkpProposal,
)
from kinerja_desktop.store.periods import Period
from kinerja_desktop.store.skp import Iki, Rhk, Skp

MAX_TEXT = 2000
MAX_PROPOSED_RHK = 30
MAX_IKI_PER_RHK = 10


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _text(value: str | None, what: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise UserError(_("{what} belum diisi.").format(what=what))
    if len(cleaned) > MAX_TEXT:
        raise UserError(_("{what} terlalu panjang: paling banyak {n} karakter.").format(what=what, n=MAX_TEXT))
    return cleaned


# --- RHK/IKI proposed by the pegawai --------------------------------------------------------


@dataclass
class ProposedIki:
    indicator: str
    target: str = ""
    aspek: str = "Kuantitas"


@dataclass
class ProposedRhk:
    text: str
    group: str = "utama"
    parent_rhk_id: str | None = None
    ikis: list[ProposedIki] = field(default_factory=list)


def _as_inputs(rhks: list[ProposedRhk]) -> list[RhkInput]:
    return [
        RhkInput(
            text=r.text,
            group=r.group,
            parent_rhk_id=r.parent_rhk_id,
            ikis=[IkiInput(i.indicator, i.target, i.aspek) for i in r.ikis],
        )
        for r in rhks
    ]


def propose(session: Session, actor: Principal, skp_id: str, rhks: list[ProposedRhk]) -> SkpProposal:
    """The pegawai proposes RHK with their IKI for their own draft SKP (checked like the editor's)."""
    skp = facts.get_skp(session, skp_id)
    facts.require(actor, "skp.propose", facts.skp_people(session, skp))
    if skp.status != "draft":
        raise UserError(_("SKP ini sudah disepakati; usulan hanya untuk SKP yang masih draf."))
    ensure_open(get_period(session, skp.period_id))
    if not rhks or len(rhks) > MAX_PROPOSED_RHK or any(len(r.ikis) > MAX_IKI_PER_RHK for r in rhks):
        raise UserError(
            _("Usulkan 1–{n} RHK, masing-masing dengan paling banyak {m} IKI.").format(
                n=MAX_PROPOSED_RHK, m=MAX_IKI_PER_RHK
            )
        )
    for r in rhks:
        _text(r.text, _("Teks RHK"))
        for i in r.ikis:
            _text(i.indicator, _("Indikator IKI"))
    content = load_skp(session, actor, skp.id).content()
    content.rhks += _as_inputs(rhks)
    _validate(session, skp, content)
    row = SkpProposal(
        employee_id=skp.employee_id,
        skp_id=skp.id,
        content=[asdict(r) for r in rhks],
        status="diusulkan",
        proposed_at=_now(),
    )
    session.add(row)
    session.flush()
    record(session, actor, "propose", SkpProposal.__tablename__, row.id, None, {"skp_id": skp.id, "rhk": len(rhks)})
    return row


def decide_proposal(
    session: Session, actor: Principal, proposal_id: str, *, agree: bool, note: str = ""
) -> SkpProposal:
    """The pejabat penilai agrees (the RHK/IKI join the SKP) or returns the proposal with a note."""
    row = session.get(SkpProposal, proposal_id)
    if row is None or row.deleted:
        raise NotFound(_("Usulan RHK yang diminta tidak ada."))
    skp = facts.get_skp(session, row.skp_id)
    facts.require(actor, "skp.decide_proposal", facts.skp_people(session, skp))
    if row.status != "diusulkan":
        raise UserError(_("Usulan ini sudah {status}.").format(status=row.status))
    if not agree:
        row.note = _text(note, _("Catatan pengembalian"))
    else:
        content = load_skp(session, actor, skp.id).content()
        content.rhks += _as_inputs(
            [
                ProposedRhk(r["text"], r["group"], r.get("parent_rhk_id"), [ProposedIki(**i) for i in r["ikis"]])
                for r in row.content
            ]
        )
        save_skp(session, actor, skp.id, content, expected_hlc=skp.updated_hlc)
        row.note = (note or "").strip()[:MAX_TEXT]
    row.status = "disetujui" if agree else "dikembalikan"
    row.decided_at, row.decided_by = _now(), actor.username
    session.flush()
    record(
        session,
        actor,
        "decide",
        SkpProposal.__tablename__,
        row.id,
        {"status": "diusulkan"},
        {"status": row.status, "note": row.note},
    )
    return row


def proposals(session: Session, actor: Principal, skp_id: str) -> list[SkpProposal]:
    skp = facts.get_skp(session, skp_id)
    load_skp(session, actor, skp.id)  # the view check
    return list(
        session.scalars(
            select(SkpProposal)
            .where(SkpProposal.skp_id == skp.id, SkpProposal.deleted.is_(False))
            .order_by(SkpProposal.proposed_at)
        )
    )


# --- realisasi and evidence -------------------------------------------------------------------


def _own_evidence(session: Session, actor: Principal, skp_id: str, rhk_id: str, source: Path) -> EvidenceFile:
    media_type = check_file(source)  # the same checks as every evidence file
    sha, size = store_blob(source)
    row = EvidenceFile(
        skp_id=skp_id,
        rhk_id=rhk_id,
        file_name=source.name[:255],
        media_type=media_type,
        size=size,
        sha256=sha,
        description=_("dilampirkan oleh pegawai"),
        added_at=_now(),
        added_by=actor.username,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "create",
        EvidenceFile.__tablename__,
        row.id,
        None,
        {"skp_id": skp_id, "rhk_id": rhk_id, "file_name": row.file_name, "sha256": sha},
    )
    return row


def report_realisasi(
    session: Session,
    actor: Principal,
    skp_id: str,
    period_id: str,
    iki_id: str,
    text: str,
    *,
    evidence: str | Path | None = None,
) -> RealisasiReport:
    """The pegawai reports realisasi for one IKI of their SKP in one period, optionally with evidence."""
    skp = facts.get_skp(session, skp_id)
    facts.require(actor, "realisasi.report", facts.skp_people(session, skp))
    iki = session.get(Iki, iki_id)
    rhk = session.get(Rhk, iki.rhk_id) if iki is not None else None
    if iki is None or iki.deleted or rhk is None or rhk.skp_id != skp.id:
        raise UserError(_("IKI yang dipilih bukan bagian dari SKP ini."))
    period = get_period(session, period_id)
    if period.year != skp.year:
        raise UserError(_("Periode yang dipilih bukan periode tahun SKP ini ({year}).").format(year=skp.year))
    ensure_open(period)
    cleaned = _text(text, _("Realisasi"))
    ev_row = _own_evidence(session, actor, skp.id, rhk.id, Path(evidence)) if evidence is not None else None
    row = RealisasiReport(
        employee_id=skp.employee_id,
        skp_id=skp.id,
        period_id=period.id,
        iki_id=iki.id,
        text=cleaned,
        evidence_id=ev_row.id if ev_row else None,
        reported_at=_now(),
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "report",
        RealisasiReport.__tablename__,
        row.id,
        None,
        {"iki_id": iki.id, "period_id": period.id, "evidence": bool(ev_row)},
    )
    return row


def reports(session: Session, actor: Principal, skp_id: str, period_id: str | None = None) -> list[RealisasiReport]:
    load_skp(session, actor, skp_id)  # the view check
    q = select(RealisasiReport).where(RealisasiReport.skp_id == skp_id, RealisasiReport.deleted.is_(False))
    if period_id:
        q = q.where(RealisasiReport.period_id == period_id)
    return list(session.scalars(q.order_by(RealisasiReport.reported_at)))


# --- feedback and dialog kinerja --------------------------------------------------------------


def reply_feedback(session: Session, actor: Principal, feedback_id: str, text: str) -> FeedbackReply:
    note = session.get(FeedbackNote, feedback_id)
    if note is None or note.deleted:
        raise NotFound(_("Umpan balik yang diminta tidak ada."))
    skp = facts.get_skp(session, note.skp_id)
    facts.require(actor, "feedback.reply", facts.skp_people(session, skp))
    row = FeedbackReply(
        employee_id=skp.employee_id, feedback_id=note.id, text=_text(text, _("Tanggapan")), replied_at=_now()
    )
    session.add(row)
    session.flush()
    record(session, actor, "reply", FeedbackReply.__tablename__, row.id, None, {"feedback_id": note.id})
    return row


def confirm_dialog(session: Session, actor: Principal, dialog_id: str) -> DialogConfirmation:
    meeting = session.get(DialogMeeting, dialog_id)
    if meeting is None or meeting.deleted:
        raise NotFound(_("Dialog kinerja yang diminta tidak ada."))
    skp = facts.get_skp(session, meeting.skp_id)
    facts.require(actor, "dialog.confirm", facts.skp_people(session, skp))
    done = session.scalar(
        select(DialogConfirmation)
        .where(DialogConfirmation.dialog_id == meeting.id, DialogConfirmation.deleted.is_(False))
        .limit(1)
    )
    if done is not None:
        raise UserError(_("Dialog kinerja ini sudah ditandai telah dilaksanakan."))
    row = DialogConfirmation(employee_id=skp.employee_id, dialog_id=meeting.id, confirmed_at=_now())
    session.add(row)
    session.flush()
    record(session, actor, "confirm", DialogConfirmation.__tablename__, row.id, None, {"dialog_id": meeting.id})
    return row


# --- sharing a draft evaluation ---------------------------------------------------------------


def share_evaluation(session: Session, actor: Principal, evaluation_id: str) -> EvaluationShare:
    """The pejabat penilai lets the pegawai see a draft evaluation."""
    ev = facts.get_evaluation(session, evaluation_id)
    facts.require(actor, "evaluation.share", facts.evaluation_people(session, ev))
    if ev.status != "draft":
        raise UserError(_("Evaluasi final selalu terbuka bagi pegawai; hanya draf yang perlu dibagikan."))
    row = EvaluationShare(employee_id=ev.employee_id, evaluation_id=ev.id, shared_at=_now(), shared_by=actor.username)
    session.add(row)
    session.flush()
    record(session, actor, "share", Evaluation.__tablename__, ev.id, None, {"shared": True})
    return row


@dataclass(frozen=True)
class PendingProposal:
    proposal_id: str
    employee: str
    proposed_on: str
    summary: str


def pending_proposals(session: Session, actor: Principal) -> list[PendingProposal]:
    """Proposals waiting for ``actor`` as the pejabat penilai (their SKP's evaluator or direct supervisor)."""

    if not actor.employee_id:
        return []
    me = actor.employee_id
    rows = session.execute(
        select(SkpProposal, Employee)
        .join(Skp, Skp.id == SkpProposal.skp_id)
        .join(Employee, Employee.id == SkpProposal.employee_id)
        .where(
            SkpProposal.status == "diusulkan",
            SkpProposal.deleted.is_(False),
            (Skp.evaluator_id == me) | (Employee.supervisor_id == me),
        )
        .order_by(SkpProposal.proposed_at)
    ).all()
    return [
        PendingProposal(
            row.id, emp.full_name, row.proposed_at.strftime("%d-%m-%Y"), "; ".join(r["text"] for r in row.content)
        )
        for row, emp in rows
    ]


@dataclass(frozen=True)
class DraftToShare:
    evaluation_id: str
    employee: str
    period: str


def drafts_to_share(session: Session, actor: Principal) -> list[DraftToShare]:
    """Draft evaluations of ``actor``'s direct staff that the pegawai cannot see yet."""

    if not actor.employee_id:
        return []
    shared = select(EvaluationShare.evaluation_id).where(EvaluationShare.deleted.is_(False))
    rows = session.execute(
        select(Evaluation, Employee, Period)
        .join(Employee, Employee.id == Evaluation.employee_id)
        .join(Period, Period.id == Evaluation.period_id)
        .where(
            Employee.supervisor_id == actor.employee_id,
            Employee.deleted.is_(False),
            Evaluation.status == "draft",
            Evaluation.deleted.is_(False),
            Evaluation.id.not_in(shared),
        )
        .order_by(Employee.name, Period.start)
    ).all()
    return [DraftToShare(ev.id, emp.full_name, period_label(per)) for ev, emp, per in rows]
