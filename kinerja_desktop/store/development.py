"""Rencana pengembangan: development-plan items (from evaluations, later from competency gaps)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kinerja_desktop.store.base import Base, Synced

PLAN_SOURCES = ("evaluasi", "kompetensi")
PLAN_STATUSES = ("terbuka", "selesai")


class DevelopmentPlanItem(Synced, Base):
    __tablename__ = "development_plan_items"

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    source: Mapped[str] = mapped_column(String(12))  # "evaluasi" | "kompetensi"
    source_id: Mapped[str | None] = mapped_column(String(36), index=True)
    description: Mapped[str] = mapped_column(Text)
    competency_code: Mapped[str | None] = mapped_column(String(20))
    #: Suggested activity codes (domain.training), e.g. ["NKL01", "NKL11"].
    suggested_activity_codes: Mapped[list] = mapped_column(JSON, default=list)
    target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="terbuka")
    fulfilled_by_training_id: Mapped[str | None] = mapped_column(String(36))
