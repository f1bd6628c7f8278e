"""The SKP (Sasaran Kinerja Pegawai): the plan, its RHK, their IKI, behaviour expectations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kinerja_desktop.store.base import Base, Synced

SKP_MODELS = ("non_jpt", "jpt")
SKP_APPROACHES = ("kuantitatif", "kualitatif")
SKP_STATUSES = ("draft", "agreed")
RHK_GROUPS = ("utama", "tambahan")
PERSPEKTIF = ("Penerima Layanan", "Proses Bisnis", "Penguatan Internal", "Anggaran")
IKI_ASPEK = ("Kuantitas", "Kualitas", "Waktu", "Biaya")
#: Keys of the three lampiran lists.
LAMPIRAN_KEYS = ("dukungan_sumber_daya", "skema_pertanggungjawaban", "konsekuensi")


class Skp(Synced, Base):
    __tablename__ = "skp"

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    period_id: Mapped[str] = mapped_column(ForeignKey("periods.id"), index=True)
    #: The pejabat penilai when the SKP was drafted (the direct supervisor).
    evaluator_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"))
    #: The assignment (jabatan and unit) this SKP belongs to. A change of either within the
    #: year gives a new SKP from its TMT; the earlier one ends the day before.
    position_id: Mapped[str | None] = mapped_column(ForeignKey("positions.id"))
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"))
    previous_skp_id: Mapped[str | None] = mapped_column(ForeignKey("skp.id"))
    #: Why a new assignment began (mutasi, promosi, ...), in words.
    assignment_note: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    model: Mapped[str] = mapped_column(String(10), default="non_jpt")
    approach: Mapped[str] = mapped_column(String(12), default="kuantitatif")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    agreed_on: Mapped[date | None] = mapped_column(Date)
    lampiran: Mapped[dict] = mapped_column(JSON, default=dict)
    copied_from_id: Mapped[str | None] = mapped_column(String(36))
    saved_at: Mapped[datetime | None] = mapped_column(DateTime)
    saved_by: Mapped[str] = mapped_column(String(60), default="")


class Rhk(Synced, Base):
    """Rencana Hasil Kerja: one planned result (group utama or tambahan)."""

    __tablename__ = "rhk"

    skp_id: Mapped[str] = mapped_column(ForeignKey("skp.id"), index=True)
    group: Mapped[str] = mapped_column(String(10), default="utama")
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    #: Non-JPT: the supervisor's RHK this one supports (RHK pimpinan yang diintervensi).
    parent_rhk_id: Mapped[str | None] = mapped_column(ForeignKey("rhk.id"), index=True)
    #: JPT: one of PERSPEKTIF.
    perspektif: Mapped[str | None] = mapped_column(String(30))


class Iki(Synced, Base):
    """Indikator Kinerja Individu with its aspek and target."""

    __tablename__ = "iki"

    rhk_id: Mapped[str] = mapped_column(ForeignKey("rhk.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    aspek: Mapped[str] = mapped_column(String(10), default="Kuantitas")
    indicator: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(String(200), default="")


class SkpExpectation(Synced, Base):
    """Ekspektasi khusus pimpinan for one BerAKHLAK value of an SKP."""

    __tablename__ = "skp_expectations"

    skp_id: Mapped[str] = mapped_column(ForeignKey("skp.id"), index=True)
    value_code: Mapped[str] = mapped_column(String(30))  # domain.berakhlak code
    text: Mapped[str] = mapped_column(Text, default="")
