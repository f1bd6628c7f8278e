"""Acknowledgement: the pegawai has read their final evaluation ("telah dibaca oleh pegawai").

Recorded with the time and in the audit chain; optionally the pegawai adds their own
incremental signature to the signed form (documents service, ``countersign``), and the
file's hash is kept with the acknowledgement. The keberatan period counts from its day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.views import ROLE_PEGAWAI
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.audit.chain import record
from kinerja_desktop.services.documents import registry as documents
from kinerja_desktop.services.pegawai import facts
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.store.pegawai import Acknowledgement


def acknowledgement_of(session: Session, evaluation_id: str) -> Acknowledgement | None:
    return session.scalar(
        select(Acknowledgement)
        .where(Acknowledgement.evaluation_id == evaluation_id, Acknowledgement.deleted.is_(False))
        .order_by(Acknowledgement.acknowledged_at)
        .limit(1)
    )


def acknowledge(
    session: Session, actor: Principal, evaluation_id: str, *, today: date | None = None
) -> Acknowledgement:
    """The pegawai states they have read this final evaluation (once per version)."""
    ev = facts.get_evaluation(session, evaluation_id)
    facts.require(actor, "evaluation.acknowledge", facts.evaluation_people(session, ev))
    if ev.status != "final":
        raise UserError(_("Hanya evaluasi yang sudah final yang dapat dinyatakan telah dibaca."))
    earlier = acknowledgement_of(session, ev.id)
    if earlier is not None:
        raise UserError(
            _("Evaluasi ini sudah dinyatakan telah dibaca pada {day}.").format(
                day=earlier.acknowledged_on.strftime("%d-%m-%Y")
            )
        )
    row = Acknowledgement(
        employee_id=ev.employee_id,
        evaluation_id=ev.id,
        acknowledged_at=datetime.now(UTC).replace(tzinfo=None),
        acknowledged_on=today or date.today(),
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "acknowledge",
        Evaluation.__tablename__,
        ev.id,
        None,
        {"acknowledged_on": row.acknowledged_on, "revision_no": ev.revision_no},
    )
    return row


def sign_acknowledged(
    session: Session, actor: Principal, evaluation_id: str, pdf: bytes, key, *, confirm_name_mismatch: bool = False
):
    """Add the pegawai's own signature to the signed form of an acknowledged evaluation."""

    ev = facts.get_evaluation(session, evaluation_id)
    facts.require(actor, "evaluation.acknowledge", facts.evaluation_people(session, ev))
    ack = acknowledgement_of(session, ev.id)
    if ack is None:
        raise UserError(_("Nyatakan dulu bahwa Anda telah membaca evaluasi ini, lalu tandatangani."))
    signed = documents.countersign(
        session, actor, pdf, key, role=ROLE_PEGAWAI, confirm_name_mismatch=confirm_name_mismatch
    )
    ack.signed_sha256 = signed.sha256
    session.flush()
    record(session, actor, "sign", Evaluation.__tablename__, ev.id, None, {"signed_sha256": signed.sha256})
    return signed


def acknowledged_on(session: Session, evaluation_id: str) -> date | None:
    ack = acknowledgement_of(session, evaluation_id)
    return ack.acknowledged_on if ack else None
