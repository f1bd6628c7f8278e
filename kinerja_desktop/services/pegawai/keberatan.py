"""Keberatan (PP 30/2019 Pasal 59): lodged by the pegawai, decided by the atasan pejabat penilai.

- Within :func:`policy.keberatan_days` days (default 14) of acknowledging a final evaluation;
  later is refused with the day it was due. One keberatan per evaluation of a period
  (the decision is final): a second one, also on the revision a decision made, is refused.
- The atasan pejabat penilai (the evaluator's own supervisor) records the explanations asked
  of both sides and decides: ``tetap`` (kept) or ``diubah`` (changed: a new final revision
  with the decision as its reason). The evaluator can never decide on their own rating.
  When the evaluator has no supervisor in the program (the kepala daerah above),
  admin kepegawaian records the decision.
- Visible to the three people and HR (``keberatan.view`` in the role rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.predikat import parse_rating, predikat
from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.access.role_rules import HR
from kinerja_desktop.services.audit.chain import record, snapshot
from kinerja_desktop.services.documents.evidence import check_file, store_blob
from kinerja_desktop.services.pegawai import facts
from kinerja_desktop.services.pegawai.acknowledge import acknowledgement_of
from kinerja_desktop.services.pegawai.policy import keberatan_days
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.store.pegawai import Keberatan

MAX_TEXT = 4000
DECISIONS = {"tetap": N_("Penilaian tetap"), "diubah": N_("Penilaian diubah")}
_FIELDS = (
    "employee_id",
    "evaluation_id",
    "evaluator_id",
    "atasan_id",
    "lodged_on",
    "due_on",
    "reasons",
    "evidence_name",
    "evidence_sha256",
    "status",
    "explanation_pegawai",
    "explanation_penilai",
    "decision",
    "decision_text",
    "decided_on",
    "decided_by",
    "new_evaluation_id",
)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _text(value: str | None, what: str, *, required: bool) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise UserError(_("{what} belum diisi.").format(what=what))
    if len(cleaned) > MAX_TEXT:
        raise UserError(_("{what} terlalu panjang: paling banyak {n} karakter.").format(what=what, n=MAX_TEXT))
    return cleaned


def due_date(session: Session, ev: Evaluation) -> date | None:
    """The last day a keberatan may be lodged (None until the pegawai acknowledged the evaluation)."""
    ack = acknowledgement_of(session, ev.id)
    return None if ack is None else ack.acknowledged_on + timedelta(days=keberatan_days(session))


def existing_for(session: Session, ev: Evaluation) -> Keberatan | None:
    """The keberatan already lodged on this evaluation of the period (any revision of it)."""
    versions = select(Evaluation.id).where(
        Evaluation.employee_id == ev.employee_id, Evaluation.period_id == ev.period_id, Evaluation.kind == ev.kind
    )
    return session.scalar(
        select(Keberatan)
        .where(
            or_(Keberatan.evaluation_id.in_(versions), Keberatan.new_evaluation_id == ev.id),
            Keberatan.deleted.is_(False),
        )
        .order_by(Keberatan.lodged_on)
        .limit(1)
    )


def lodge(
    session: Session,
    actor: Principal,
    evaluation_id: str,
    reasons: str,
    *,
    evidence: str | Path | None = None,
    today: date | None = None,
) -> Keberatan:
    """The pegawai objects to their final evaluation (reasons required, evidence optional)."""
    ev = facts.get_evaluation(session, evaluation_id)
    people = facts.evaluation_people(session, ev)
    facts.require(actor, "keberatan.lodge", people)
    today = today or date.today()
    if ev.status != "final":
        raise UserError(_("Keberatan hanya dapat diajukan atas evaluasi yang sudah final."))
    earlier = existing_for(session, ev)
    if earlier is not None:
        raise UserError(
            _(
                "Keberatan atas evaluasi ini sudah diajukan pada {day}; keberatan hanya dapat diajukan "
                "satu kali dan keputusannya final."
            ).format(day=earlier.lodged_on.strftime("%d-%m-%Y"))
        )
    due = due_date(session, ev)
    if due is None:
        raise UserError(
            _(
                "Nyatakan dulu bahwa Anda telah membaca evaluasi ini; batas waktu keberatan {n} hari "
                "dihitung sejak itu."
            ).format(n=keberatan_days(session))
        )
    if today > due:
        raise UserError(
            _("Batas waktu keberatan sudah lewat: keberatan harus diajukan paling lambat {day}.").format(
                day=due.strftime("%d-%m-%Y")
            )
        )
    text = _text(reasons, _("Alasan keberatan"), required=True)
    name, sha = "", None
    if evidence is not None:
        source = Path(evidence)
        check_file(source)
        sha, _size = store_blob(source)
        name = source.name[:255]
    row = Keberatan(
        employee_id=ev.employee_id,
        evaluation_id=ev.id,
        evaluator_id=people["evaluator"],
        atasan_id=people["atasan"],
        lodged_on=today,
        due_on=due,
        reasons=text,
        evidence_name=name,
        evidence_sha256=sha,
        status="diajukan",
    )
    session.add(row)
    session.flush()
    record(session, actor, "create", Keberatan.__tablename__, row.id, None, snapshot(row, _FIELDS))
    return row


def _people(row: Keberatan) -> dict:
    return {"owner": row.employee_id, "evaluator": row.evaluator_id, "atasan": row.atasan_id}


def _decider(session: Session, actor: Principal, row: Keberatan, action: str) -> None:
    """The atasan pejabat penilai; HR only when no atasan is in the program (the kepala daerah)."""
    if row.atasan_id is None and actor.role in HR:
        return
    facts.require(actor, action, _people(row))


def get(session: Session, actor: Principal, keberatan_id: str) -> Keberatan:
    row = session.get(Keberatan, keberatan_id)
    if row is None or row.deleted:
        raise NotFound(_("Keberatan yang diminta tidak ada."))
    facts.require(actor, "keberatan.view", _people(row))
    return row


def _open(session: Session, actor: Principal, keberatan_id: str, action: str) -> Keberatan:
    row = session.get(Keberatan, keberatan_id)
    if row is None or row.deleted:
        raise NotFound(_("Keberatan yang diminta tidak ada."))
    _decider(session, actor, row, action)
    if row.status != "diajukan":
        raise UserError(
            _("Keberatan ini sudah diputus pada {day}; keputusannya final.").format(
                day=row.decided_on.strftime("%d-%m-%Y") if row.decided_on else "-"
            )
        )
    return row


def record_explanations(
    session: Session, actor: Principal, keberatan_id: str, *, pegawai: str, penilai: str
) -> Keberatan:
    """The explanations the atasan asked of the pegawai and of the pejabat penilai."""
    row = _open(session, actor, keberatan_id, "keberatan.explain")
    before = snapshot(row, _FIELDS)
    row.explanation_pegawai = _text(pegawai, _("Penjelasan pegawai"), required=False)
    row.explanation_penilai = _text(penilai, _("Penjelasan pejabat penilai"), required=False)
    session.flush()
    record(session, actor, "update", Keberatan.__tablename__, row.id, before, snapshot(row, _FIELDS))
    return row


@dataclass(frozen=True)
class Decision:
    decision: str  # "tetap" or "diubah"
    text: str
    rating_hasil_kerja: str | None = None
    rating_perilaku_kerja: str | None = None


def decide(
    session: Session, actor: Principal, keberatan_id: str, decision: Decision, *, today: date | None = None
) -> Keberatan:
    """Kept or changed; changed makes a new final revision with the decision as its reason."""
    row = _open(session, actor, keberatan_id, "keberatan.decide")
    if decision.decision not in DECISIONS:
        raise UserError(_("Pilih keputusan: penilaian tetap atau penilaian diubah."))
    text = _text(decision.text, _("Pertimbangan keputusan"), required=True)
    if not (row.explanation_pegawai and row.explanation_penilai):
        raise UserError(_("Catat dulu penjelasan pegawai dan pejabat penilai sebelum memutus keberatan."))
    today = today or date.today()
    before = snapshot(row, _FIELDS)
    if decision.decision == "diubah":
        row.new_evaluation_id = _changed_revision(session, actor, row, decision, text, today).id
    row.decision, row.decision_text, row.status = decision.decision, text, "diputus"
    row.decided_on, row.decided_by = today, actor.username
    session.flush()
    record(session, actor, "decide", Keberatan.__tablename__, row.id, before, snapshot(row, _FIELDS))
    return row


def _changed_revision(
    session: Session, actor: Principal, row: Keberatan, decision: Decision, text: str, today: date
) -> Evaluation:
    old = facts.get_evaluation(session, row.evaluation_id)
    try:
        hasil = parse_rating(decision.rating_hasil_kerja or old.rating_hasil_kerja or "")
        perilaku = parse_rating(decision.rating_perilaku_kerja or old.rating_perilaku_kerja or "")
    except ValueError as exc:
        raise UserError(str(exc)) from None
    newest = session.scalar(
        select(Evaluation)
        .where(
            Evaluation.employee_id == old.employee_id,
            Evaluation.period_id == old.period_id,
            Evaluation.kind == old.kind,
            Evaluation.deleted.is_(False),
        )
        .order_by(Evaluation.revision_no.desc())
        .limit(1)
    )
    identities = dict(old.identities or {})
    identities["tanggal"] = today.isoformat()
    now = _now()
    new = Evaluation(
        employee_id=old.employee_id,
        period_id=old.period_id,
        skp_id=old.skp_id,
        kind=old.kind,
        evaluator_id=old.evaluator_id,
        rating_hasil_kerja=hasil.value,
        rating_perilaku_kerja=perilaku.value,
        predikat=predikat(hasil, perilaku).value,
        hasil_from_capaian=old.hasil_from_capaian,
        capaian=old.capaian,
        realisasi=dict(old.realisasi or {}),
        perilaku_feedback=dict(old.perilaku_feedback or {}),
        catatan_rekomendasi=old.catatan_rekomendasi,
        status="final",
        finalized_at=now,
        finalized_on=today,
        finalized_by=actor.username,
        identities=identities,
        frozen_skp=old.frozen_skp,
        revision_of_id=old.id,
        revision_no=(newest.revision_no if newest else old.revision_no) + 1,
        revision_reason=_("Keputusan atas keberatan {number}: {text}").format(number=number_of(row), text=text),
        saved_at=now,
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
        {"revision_of": old.id, "keberatan": row.id},
        {"predikat": new.predikat, "status": "final", "revision_reason": new.revision_reason},
    )
    return new


def number_of(row: Keberatan) -> str:
    return f"{row.lodged_on:%Y}/{row.id[:8].upper()}"


def visible(session: Session, actor: Principal) -> list[Keberatan]:
    """The keberatan ``actor`` may see: their own, those on their ratings, those they decide; HR all."""
    q = select(Keberatan).where(Keberatan.deleted.is_(False))
    if not (actor.is_system or actor.role in HR):
        me = actor.employee_id or ""
        q = q.where(or_(Keberatan.employee_id == me, Keberatan.evaluator_id == me, Keberatan.atasan_id == me))
    return list(session.scalars(q.order_by(Keberatan.lodged_on.desc(), Keberatan.id)))
