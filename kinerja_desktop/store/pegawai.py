"""The employee's own part: proposals, realisasi, replies, acknowledgements and keberatan.

Every table carries ``employee_id`` (the person the row is about), so a row travels to the
office that holds that employee like the rest of their data (``sync.scope``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kinerja_desktop.store.base import Base, Synced

PROPOSAL_STATUSES = ("diusulkan", "disetujui", "dikembalikan")
KEBERATAN_STATUSES = ("diajukan", "diputus")
KEBERATAN_DECISIONS = ("tetap", "diubah")


class SkpProposal(Synced, Base):
    """RHK/IKI proposed by the pegawai for their SKP; the pejabat penilai agrees or returns it."""

    __tablename__ = "skp_proposals"

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    skp_id: Mapped[str] = mapped_column(ForeignKey("skp.id"), index=True)
    #: [{"text", "group", "parent_rhk_id", "ikis": [{"text", "target"}]}]
    content: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="diusulkan")
    note: Mapped[str] = mapped_column(Text, default="")
    proposed_at: Mapped[datetime] = mapped_column(DateTime)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[str] = mapped_column(String(60), default="")


class RealisasiReport(Synced, Base):
    """The pegawai's own report of realisasi for one IKI in one period (the pejabat reads it)."""

    __tablename__ = "realisasi_reports"
    __table_args__ = (Index("ix_realisasi_reports_skp_period", "skp_id", "period_id"),)

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    skp_id: Mapped[str] = mapped_column(ForeignKey("skp.id"))
    period_id: Mapped[str] = mapped_column(ForeignKey("periods.id"))
    iki_id: Mapped[str] = mapped_column(ForeignKey("iki.id"))
    text: Mapped[str] = mapped_column(Text)
    evidence_id: Mapped[str | None] = mapped_column(ForeignKey("evidence_files.id"))
    reported_at: Mapped[datetime] = mapped_column(DateTime)


class FeedbackReply(Synced, Base):
    """The pegawai's answer to one note of umpan balik."""

    __tablename__ = "feedback_replies"

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    feedback_id: Mapped[str] = mapped_column(ForeignKey("feedback_notes.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    replied_at: Mapped[datetime] = mapped_column(DateTime)


class DialogConfirmation(Synced, Base):
    """The pegawai marks a dialog kinerja meeting as held."""

    __tablename__ = "dialog_confirmations"

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    dialog_id: Mapped[str] = mapped_column(ForeignKey("dialog_meetings.id"), index=True)
    confirmed_at: Mapped[datetime] = mapped_column(DateTime)


class EvaluationShare(Synced, Base):
    """A draft evaluation the pejabat penilai has shared with the pegawai."""

    __tablename__ = "evaluation_shares"

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    evaluation_id: Mapped[str] = mapped_column(ForeignKey("evaluations.id"), index=True)
    shared_at: Mapped[datetime] = mapped_column(DateTime)
    shared_by: Mapped[str] = mapped_column(String(60), default="")


class Acknowledgement(Synced, Base):
    """ "Telah dibaca oleh pegawai": the pegawai acknowledged a final evaluation."""

    __tablename__ = "evaluation_acknowledgements"

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    evaluation_id: Mapped[str] = mapped_column(ForeignKey("evaluations.id"), index=True)
    acknowledged_at: Mapped[datetime] = mapped_column(DateTime)
    acknowledged_on: Mapped[date] = mapped_column(Date)
    #: The document with the pegawai's own incremental signature, when they signed.
    signed_sha256: Mapped[str | None] = mapped_column(String(64))


class Keberatan(Synced, Base):
    """An objection to a final evaluation (PP 30/2019 Pasal 59), decided by the atasan."""

    __tablename__ = "keberatan"

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    evaluation_id: Mapped[str] = mapped_column(ForeignKey("evaluations.id"), index=True)
    evaluator_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"))
    atasan_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"), index=True)
    lodged_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    reasons: Mapped[str] = mapped_column(Text)
    evidence_name: Mapped[str] = mapped_column(String(255), default="")
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10), default="diajukan")
    explanation_pegawai: Mapped[str] = mapped_column(Text, default="")
    explanation_penilai: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str | None] = mapped_column(String(10))
    decision_text: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(60), default="")
    new_evaluation_id: Mapped[str | None] = mapped_column(ForeignKey("evaluations.id"))
