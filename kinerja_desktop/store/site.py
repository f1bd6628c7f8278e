"""This installation's identity, its peers, and key-value settings (local, not synced)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from kinerja_desktop.store.base import Base


class Site(Base):
    """A site: this installation (``is_local``) or a peer it knows."""

    __tablename__ = "sites"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # e.g. 1504-DUKCAPIL-7Q2K
    name: Mapped[str] = mapped_column(String(200), default="")
    unit_code: Mapped[str | None] = mapped_column(String(40))
    is_local: Mapped[bool] = mapped_column(Boolean, default=False)
    is_central: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Newest hybrid-clock value issued or seen here (local site only).
    last_hlc: Mapped[str] = mapped_column(String(96), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.utcnow)


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)


#: The central server an office syncs with (read by sync and by the complaint documents).
SERVER_URL_SETTING = "sync.server_url"


def server_url(session: Session) -> str:
    row = session.get(Setting, SERVER_URL_SETTING)
    return str(row.value) if row and row.value else ""


def set_server_url(session: Session, url: str) -> None:
    row = session.get(Setting, SERVER_URL_SETTING)
    if row is None:
        session.add(Setting(key=SERVER_URL_SETTING, value=url))
    else:
        row.value = url
