"""The kepala daerah (Bupati, or an acting Pj./Plt. Bupati): not an ASN, so no NIP.

The Bupati is the pejabat penilai kinerja of the Sekretaris Daerah and the atasan pejabat
penilai of the JPT below the Sekda (PP 30/2019; PermenPANRB 6/2022). Positions whose
holder the kepala daerah evaluates directly carry ``reports_to_kepala_daerah``. The
record in office on a date is the one whose term covers it. District-wide master data.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from kinerja_desktop.store.base import Base, Synced


class KepalaDaerah(Synced, Base):
    __tablename__ = "kepala_daerah"

    name: Mapped[str] = mapped_column(String(200))
    front_title: Mapped[str] = mapped_column(String(60), default="")
    back_title: Mapped[str] = mapped_column(String(80), default="")
    #: As printed under the signature: "Bupati Batanghari", "Pj. Bupati Batanghari".
    jabatan: Mapped[str] = mapped_column(String(120), default="Bupati Batanghari")
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)
    #: The decree of appointment (Keputusan Mendagri / Presiden), for the record.
    decree: Mapped[str] = mapped_column(String(120), default="")

    @property
    def full_name(self) -> str:
        name = f"{self.front_title} {self.name}".strip() if self.front_title else self.name
        return f"{name}, {self.back_title}" if self.back_title else name

    def __repr__(self) -> str:
        return f"KepalaDaerah({self.name!r}, {self.term_start})"
