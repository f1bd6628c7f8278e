"""Evaluation periods: the annual period (Akhir) and the periodic ones of a year.

Master data owned by the central office; a closed period is read-only.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kinerja_desktop.store.base import Base, Synced

#: ``kind`` values: the annual period and the three periodic schemes.
PERIOD_KINDS = ("akhir", "bulanan", "triwulan", "semester")


class Period(Synced, Base):
    __tablename__ = "periods"

    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(12))  # one of PERIOD_KINDS
    #: 0 for Akhir; 1-12 (bulanan), 1-4 (triwulan), 1-2 (semester).
    number: Mapped[int] = mapped_column(Integer, default=0)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    #: Batas pengisian: evaluations not final after this day are overdue.
    deadline: Mapped[date] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def is_annual(self) -> bool:
        return self.kind == "akhir"

    def __repr__(self) -> str:
        return f"Period({self.year}, {self.kind!r}, {self.number})"
