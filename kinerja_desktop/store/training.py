"""Competency development: the training catalogue, training activities and their
participants, competency requirements per position, competency assessments, and the
mapping from a competency to the activity types suggested for a gap.

Rows that several sites may create for the same natural key (a catalogue code, a
requirement of a position for a competency, a suggestion list of a competency) get a
deterministic id (:func:`natural_id`), so two sites that both create one produce the same
row, which sync merges as an update instead of a duplicate. No unique constraint is put
on those natural keys: the services keep them unique (soft-deleted rows come back to
life instead of being inserted again).
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kinerja_desktop.store.base import Base, Synced

#: Namespace of the deterministic ids of natural-key rows (never change it).
NATURAL_ID_NAMESPACE = uuid.UUID("6f1c3d2e-4b5a-4e7f-9a8b-150420260006")

ASSESSMENT_KINDS = ("asesmen", "bimbingan_kinerja")
#: JP as stored: up to 99,999.99 (a tugas belajar of several years is a large number).
JP_TYPE = Numeric(7, 2)


def natural_id(kind: str, *parts: str) -> str:
    """The id of the row of ``kind`` with this natural key (the same on every site)."""
    return str(uuid.uuid5(NATURAL_ID_NAMESPACE, "\x1f".join((kind, *parts))))


class TrainingType(Synced, Base):
    """A kind of activity (KL01 ... NKL13, PENDIDIKAN), seeded from ``domain.training``."""

    __tablename__ = "training_types"

    code: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(12))  # klasikal / nonklasikal / pendidikan
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class TrainingActivity(Synced, Base):
    """One activity (a course, a workshop, a coaching series); participants are records."""

    __tablename__ = "training_activities"
    __table_args__ = (
        # The year's recap joins records to the activities ending in that year.
        Index("ix_training_activities_end", "end_date", "deleted", "id", "category"),
    )

    title: Mapped[str] = mapped_column(String(300), index=True)
    activity_code: Mapped[str] = mapped_column(String(20))
    #: Copied from the catalogue when saved, so the recap needs no catalogue join.
    category: Mapped[str] = mapped_column(String(12))
    organiser: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    jp: Mapped[Decimal] = mapped_column(JP_TYPE)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(60), default="")


class TrainingRecord(Synced, Base):
    """One participant of an activity: the JP they earned and their certificate."""

    __tablename__ = "training_records"
    __table_args__ = (
        Index("ix_training_records_employee", "employee_id", "deleted", "activity_id"),
        # Covers the recap: every record of the activities of a year, with its JP.
        Index("ix_training_records_activity", "activity_id", "deleted", "employee_id", "jp"),
    )

    activity_id: Mapped[str] = mapped_column(ForeignKey("training_activities.id"))
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    jp: Mapped[Decimal] = mapped_column(JP_TYPE)
    certificate_number: Mapped[str] = mapped_column(String(100), default="")
    #: The certificate file, kept by content hash in the blob folder (as evidence files are).
    certificate_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    certificate_name: Mapped[str] = mapped_column(String(255), default="")
    certificate_media_type: Mapped[str] = mapped_column(String(100), default="")
    certificate_size: Mapped[int | None] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(60), default="")


class TechnicalCompetency(Synced, Base):
    """A kompetensi teknis defined by the agency (the national standard has none)."""

    __tablename__ = "technical_competencies"

    code: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CompetencyRequirement(Synced, Base):
    """The level a position requires of one competency (id: natural_id of both)."""

    __tablename__ = "competency_requirements"
    __table_args__ = (Index("ix_competency_requirements_position", "position_id", "competency_code"),)

    position_id: Mapped[str] = mapped_column(ForeignKey("positions.id"))
    competency_code: Mapped[str] = mapped_column(String(20))
    required_level: Mapped[int] = mapped_column(Integer)


class CompetencyAssessment(Synced, Base):
    """A rating of one competency of an employee: an assessment, or the supervisor's
    rating after a coaching session (bimbingan kinerja, format B.1.9)."""

    __tablename__ = "competency_assessments"
    __table_args__ = (Index("ix_competency_assessments_employee", "employee_id", "competency_code", "assessed_on"),)

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    assessed_on: Mapped[date] = mapped_column(Date)
    #: The assessor when they are in the roster (a supervisor); else ``assessor_name``.
    assessor_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"))
    assessor_name: Mapped[str] = mapped_column(String(200), default="")
    competency_code: Mapped[str] = mapped_column(String(20))
    level: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="asesmen")  # asesmen / bimbingan_kinerja
    recorded_by: Mapped[str] = mapped_column(String(60), default="")


class CompetencySuggestion(Synced, Base):
    """The activity types suggested when a competency has a gap (an editable mapping)."""

    __tablename__ = "competency_activity_suggestions"

    competency_code: Mapped[str] = mapped_column(String(20), index=True)
    activity_codes: Mapped[list] = mapped_column(JSON, default=list)
