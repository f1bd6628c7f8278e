"""The organisation: units (a tree) and positions."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja_desktop.store.base import Base, Synced

#: Kinds of unit: an OPD (dinas, badan, sekretariat), a part of one (bidang/bagian),
#: and the field offices that are units with a code of their own.
UNIT_KINDS = ("opd", "bidang", "kecamatan", "kelurahan", "puskesmas", "sekolah", "uptd", "rsud")


class Unit(Synced, Base):
    __tablename__ = "units"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="opd")
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    #: SIASN's id of the unit ("UNOR ID", or "SATUAN KERJA KERJA ID" for a perangkat daerah):
    #: later downloads match by it even when the name changes.
    siasn_id: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)

    parent: Mapped[Unit | None] = relationship(remote_side="Unit.id", back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")

    def __repr__(self) -> str:
        return f"Unit({self.code!r}, {self.name!r})"


class Position(Synced, Base):
    """A jabatan. ``kind`` is one of ``domain.positions.PositionKind`` values."""

    __tablename__ = "positions"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="pelaksana")
    is_unit_head: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The kepala daerah evaluates this position's holder directly (the Sekretaris Daerah).
    reports_to_kepala_daerah: Mapped[bool] = mapped_column(Boolean, default=False)

    def __repr__(self) -> str:
        return f"Position({self.name!r}, {self.kind!r})"
