"""Angka Kredit awal: the accumulated AK of a jabatan fungsional as of its last PAK.

The conversions of final predikat after ``as_of`` add to ``value`` (services.angka_kredit);
the total is measured against the next kenaikan pangkat/jenjang.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kinerja_desktop.store.base import Base, Synced


class AngkaKreditAwal(Synced, Base):
    __tablename__ = "angka_kredit_awal"

    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), index=True)
    #: Conversions of periods ending after this day are added to ``value``.
    as_of: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Numeric(9, 3), default=Decimal(0))
    jenjang: Mapped[str] = mapped_column(String(20), default="")
    golongan: Mapped[str] = mapped_column(String(8), default="")
    #: The PAK it comes from (nomor and date), as written on it.
    reference: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    set_by: Mapped[str] = mapped_column(String(60), default="")
