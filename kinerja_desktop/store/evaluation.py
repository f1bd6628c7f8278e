"""Evaluations (periodic and annual) and the organisation's capaian per unit and year."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kinerja_desktop.store.base import Base, Synced

EVALUATION_STATUSES = ("draft", "final")


class Evaluation(Synced, Base):
    """One version of an employee's evaluation for a period.

    A final version is immutable; a correction is a new version (``revision_of_id``,
    ``revision_no`` + 1, ``revision_reason``). The current version of an employee's
    evaluation for a period is the one with the highest ``revision_no``.
    """

    __tablename__ = "evaluations"
    __table_args__ = (
        Index("ix_evaluations_employee_period", "employee_id", "period_id"),
        # Covers the status queries of the Penilaian page and Beranda: the rows hold large
        # JSON, so reading these columns from the index avoids the overflow pages.
        Index(
            "ix_evaluations_period_status",
            "period_id",
            "employee_id",
            "revision_no",
            "status",
            "predikat",
            "deleted",
            "id",
        ),
    )

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    period_id: Mapped[str] = mapped_column(ForeignKey("periods.id"))
    skp_id: Mapped[str | None] = mapped_column(ForeignKey("skp.id"))
    kind: Mapped[str] = mapped_column(String(10), default="periodik")  # periodik / tahunan
    #: The pejabat penilai (direct supervisor); fixed when the evaluation is finalized.
    evaluator_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"), index=True)
    #: Domain strings: "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi".
    rating_hasil_kerja: Mapped[str | None] = mapped_column(String(30))
    rating_perilaku_kerja: Mapped[str | None] = mapped_column(String(30))
    #: Recomputed from the matrix on every save ("Sangat Baik" ... "Sangat Kurang").
    predikat: Mapped[str | None] = mapped_column(String(30))
    #: Annual evaluation of a head of unit: rating hasil kerja follows the capaian.
    hasil_from_capaian: Mapped[bool] = mapped_column(Boolean, default=False)
    capaian: Mapped[str | None] = mapped_column(String(20))
    #: IKI id -> {"realisasi": text, "umpan_balik": text}
    realisasi: Mapped[dict] = mapped_column(JSON, default=dict)
    #: BerAKHLAK code -> umpan balik text
    perilaku_feedback: Mapped[dict] = mapped_column(JSON, default=dict)
    catatan_rekomendasi: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    finalized_at: Mapped[datetime | None] = mapped_column(DateTime)
    finalized_on: Mapped[date | None] = mapped_column(Date)
    finalized_by: Mapped[str | None] = mapped_column(String(60))
    #: {"pegawai": {...}, "pejabat_penilai": {...}, "atasan_pejabat_penilai": {...}}
    identities: Mapped[dict | None] = mapped_column(JSON)
    #: The SKP's RHK/IKI text as evaluated, frozen with the identities.
    frozen_skp: Mapped[dict | None] = mapped_column(JSON)
    revision_of_id: Mapped[str | None] = mapped_column(ForeignKey("evaluations.id"), index=True)
    revision_no: Mapped[int] = mapped_column(Integer, default=0)
    revision_reason: Mapped[str] = mapped_column(Text, default="")
    signed_file_sha256: Mapped[str | None] = mapped_column(String(64))
    saved_at: Mapped[datetime | None] = mapped_column(DateTime)
    saved_by: Mapped[str] = mapped_column(String(60), default="")


#: How the capaian of a period was measured: the progress of the rencana aksi (periodic
#: periods) or the perjanjian kinerja and the organisation's expectations (Akhir).
CAPAIAN_BASES = ("rencana_aksi", "perjanjian_kinerja")
#: Units whose recommendation the deciding leader may take (perencanaan, kepegawaian, pengawasan).
RECOMMENDATION_SOURCES = ("", "perencanaan", "kepegawaian", "pengawasan")


class UnitCapaian(Synced, Base):
    """Capaian kinerja organisasi of a unit for one period (Istimewa ... Sangat Kurang).

    Set per period (each periodic period and Akhir) by the leader of the organisation
    above (``decider_employee_id``) or by the kepala daerah (``decider_kepala_daerah_id``),
    possibly recorded by HR with the decision's reference (``set_by`` is who typed it).
    """

    __tablename__ = "capaian_organisasi"
    __table_args__ = (
        Index("ix_capaian_organisasi_unit_year", "unit_id", "year"),
        Index("ix_capaian_organisasi_unit_period", "unit_id", "period_id"),
    )

    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int] = mapped_column(Integer)
    period_id: Mapped[str | None] = mapped_column(ForeignKey("periods.id"))
    capaian: Mapped[str] = mapped_column(String(20))
    #: One of CAPAIAN_BASES, with what was measured in words.
    basis: Mapped[str] = mapped_column(String(20), default="perjanjian_kinerja")
    basis_note: Mapped[str] = mapped_column(Text, default="")
    #: Whose recommendation was taken (RECOMMENDATION_SOURCES) and what it recommended.
    recommendation_source: Mapped[str] = mapped_column(String(20), default="")
    recommended_capaian: Mapped[str | None] = mapped_column(String(20))
    decider_employee_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"))
    decider_kepala_daerah_id: Mapped[str | None] = mapped_column(ForeignKey("kepala_daerah.id"))
    #: The leader's decision (nomor surat/keputusan) when HR records it.
    decision_reference: Mapped[str] = mapped_column(String(120), default="")
    decided_on: Mapped[date | None] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(String(60), default="")
    set_on: Mapped[date | None] = mapped_column(Date)
