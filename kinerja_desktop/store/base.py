"""Declarative base and the row metadata every synced table carries (see sync.md)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Synced:
    """Mixin for tables whose rows travel between sites.

    ``updated_hlc`` and ``origin_site`` are stamped by the change tracker on every flush,
    which also appends the row to the change log in the same transaction.
    """

    __synced__ = True
    if TYPE_CHECKING:  # set by each model class (the mixin has no table of its own)
        __tablename__: str

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    origin_site: Mapped[str] = mapped_column(String(64), default="")
    updated_hlc: Mapped[str] = mapped_column(String(96), default="", index=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


def synced_tables() -> dict[str, type]:
    """Table name -> model class for every synced model that is mapped."""
    out: dict[str, type] = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if getattr(cls, "__synced__", False):
            out[cls.__tablename__] = cls
    return out
