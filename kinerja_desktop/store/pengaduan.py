"""Public complaints: the service catalogue per unit, the register, its steps, the holidays.

All four tables sync. Services, complaints and their steps hang off ``units`` (a service's
``unit_id``, a complaint's ``unit_id``), so each office receives the complaints of its
units; the holiday calendar has no unit and goes to every office (district master data).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kinerja_desktop.store.base import Base, Synced


class Holiday(Synced, Base):
    """A day off in the district: libur nasional, cuti bersama, libur daerah."""

    __tablename__ = "holidays"

    day: Mapped[date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")


class ComplaintService(Synced, Base):
    """A service a unit provides (KTP-el, akta kelahiran, layanan Puskesmas, ...) and its
    deadlines per step in working days."""

    __tablename__ = "complaint_services"
    __table_args__ = (UniqueConstraint("unit_id", "code", name="uq_complaint_services_unit_code"),)

    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    days_verify: Mapped[int] = mapped_column(Integer, default=3)
    days_respond: Mapped[int] = mapped_column(Integer, default=5)
    days_close: Mapped[int] = mapped_column(Integer, default=14)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Complaint(Synced, Base):
    """One complaint in the register (``domain.pengaduan`` has the states and rules)."""

    __tablename__ = "complaints"
    __table_args__ = (
        Index("ix_complaints_register", "deleted", "received_at", "id"),
        Index("ix_complaints_unit_status", "unit_id", "status", "close_by"),
        Index("ix_complaints_assignee", "assignee_id", "finished_at"),
        Index("ix_complaints_channel_ref", "channel", "channel_ref"),
    )

    #: The ticket number the citizen holds (``P26-7Q2K-M9XA``).
    number: Mapped[str] = mapped_column(String(16), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    #: The other channel's own reference (a SP4N-LAPOR! tracking id, a letter number).
    channel_ref: Mapped[str | None] = mapped_column(String(80))
    service_id: Mapped[str | None] = mapped_column(ForeignKey("complaint_services.id"), index=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    received_at: Mapped[datetime] = mapped_column(DateTime)
    description: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(String(200), default="")
    #: The least needed to reply (UU PDP): an optional name and one phone number or e-mail.
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact: Mapped[str] = mapped_column(String(120), default="")
    #: sha256 of the ticket and the phone's last four digits (the public status lookup).
    lookup_key: Mapped[str] = mapped_column(String(64), default="")
    assignee_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"))
    status: Mapped[str] = mapped_column(String(20), default="diterima")
    status_reason: Mapped[str] = mapped_column(Text, default="")
    forwarded_to: Mapped[str] = mapped_column(String(200), default="")
    #: The answer given to the citizen when it was settled.
    resolution: Mapped[str] = mapped_column(Text, default="")
    verify_by: Mapped[date | None] = mapped_column(Date)
    respond_by: Mapped[date | None] = mapped_column(Date)
    close_by: Mapped[date | None] = mapped_column(Date)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(60), default="")
    saved_at: Mapped[datetime | None] = mapped_column(DateTime)


class ComplaintStep(Synced, Base):
    """One step of a complaint (received, verified, ..., assigned), timed."""

    __tablename__ = "complaint_steps"

    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    from_state: Mapped[str] = mapped_column(String(20), default="")
    to_state: Mapped[str] = mapped_column(String(20))
    assignee_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(60), default="")
