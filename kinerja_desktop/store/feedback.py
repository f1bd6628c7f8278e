"""Continuous feedback on an SKP: dated notes, evidence files, dialog kinerja meetings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kinerja_desktop.store.base import Base, Synced


class FeedbackNote(Synced, Base):
    """Umpan balik berkelanjutan: about one RHK or one BerAKHLAK value."""

    __tablename__ = "feedback_notes"

    skp_id: Mapped[str] = mapped_column(ForeignKey("skp.id"), index=True)
    rhk_id: Mapped[str | None] = mapped_column(ForeignKey("rhk.id"), index=True)
    value_code: Mapped[str | None] = mapped_column(String(30))
    noted_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(60), default="")


class EvidenceFile(Synced, Base):
    """Bukti dukung: metadata; the bytes live in the blob folder under their sha256."""

    __tablename__ = "evidence_files"

    skp_id: Mapped[str] = mapped_column(ForeignKey("skp.id"), index=True)
    rhk_id: Mapped[str | None] = mapped_column(ForeignKey("rhk.id"))
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(DateTime)
    added_by: Mapped[str] = mapped_column(String(60), default="")


class DialogMeeting(Synced, Base):
    """A dialog kinerja between the pejabat penilai and the employee."""

    __tablename__ = "dialog_meetings"

    skp_id: Mapped[str] = mapped_column(ForeignKey("skp.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(20), default="pemantauan")
    topic: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(60), default="")
