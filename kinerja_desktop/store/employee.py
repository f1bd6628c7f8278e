"""The roster: one row per ASN (PNS or PPPK)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja_desktop.store.base import Base, Synced
from kinerja_desktop.store.org import Position, Unit


def full_name_of(name: str, front_title: str, back_title: str) -> str:
    """Name with titles as forms print it: ``dr. Siti Aminah, M.Kes``."""
    shown = f"{front_title} {name}".strip() if front_title else name
    return f"{shown}, {back_title}" if back_title else shown


class Employee(Synced, Base):
    __tablename__ = "employees"
    # Covering indexes for the roster table at 10^5 rows (services.roster_query): each sort
    # key (then name, id) under the deleted flag, with ``active`` inside so the filter needs
    # no table lookup; the supervisor one serves the recursive chain walks.
    __table_args__ = (
        Index("ix_employees_roster_name", "deleted", "name", "id", "active", "nip"),
        Index("ix_employees_roster_nip", "deleted", "nip", "active"),
        Index("ix_employees_roster_golongan", "deleted", "golongan", "name", "id", "active"),
        Index("ix_employees_roster_status", "deleted", "status", "name", "id", "active"),
        Index("ix_employees_roster_unit", "deleted", "unit_id", "name", "id", "active"),
        Index("ix_employees_roster_position", "deleted", "position_id", "name", "id", "active"),
        Index("ix_employees_supervisor_chain", "supervisor_id", "deleted", "id"),
    )

    #: NIP (PNS) or NI PPPK, 18 digits, kept as text.
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    front_title: Mapped[str] = mapped_column(String(60), default="")
    back_title: Mapped[str] = mapped_column(String(80), default="")
    gender: Mapped[str] = mapped_column(String(1))  # "L" or "P"
    birth_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(4), default="PNS")  # "PNS" or "PPPK"
    golongan: Mapped[str] = mapped_column(String(8), default="")
    position_id: Mapped[str | None] = mapped_column(ForeignKey("positions.id"), index=True)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    supervisor_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: SIASN's "PNS ID" of this person: later downloads match by it even when the NIP changes.
    siasn_id: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    #: The supervisor link was set by hand (HR in the window): imports never overwrite it.
    supervisor_manual: Mapped[bool] = mapped_column(Boolean, default=False)
    #: SIASN's "KEDUDUKAN HUKUM" as last imported ("Aktif", "Pensiun", ...); "" when unknown.
    kedudukan_hukum: Mapped[str] = mapped_column(String(60), default="")

    position: Mapped[Position | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    supervisor: Mapped[Employee | None] = relationship(remote_side="Employee.id")

    @property
    def full_name(self) -> str:
        """Name with titles as forms print it: ``dr. Siti Aminah, M.Kes``."""
        return full_name_of(self.name, self.front_title, self.back_title)

    def __repr__(self) -> str:
        return f"Employee({self.nip!r}, {self.name!r})"
