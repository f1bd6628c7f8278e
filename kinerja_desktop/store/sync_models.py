"""Sync bookkeeping (local to each site, never synced): pinned keys, bundles, acks, conflicts.

See ``shared/design/sync.md``. The peers themselves are rows of ``sites``; this module adds
their pinned public keys, the history of bundles sent and received, how far each peer has
acknowledged our change log (and we theirs), and the conflicts waiting for a person.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kinerja_desktop.store.base import Base


def _utcnow() -> datetime:
    return datetime.utcnow()


class SiteKey(Base):
    """The public keys of a site (this one or a peer), pinned at enrollment."""

    __tablename__ = "site_keys"

    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    #: Ed25519 public key, raw 32 bytes as base64.
    sign_key: Mapped[str] = mapped_column(String(64))
    #: age X25519 recipient (``age1...``).
    age_recipient: Mapped[str] = mapped_column(String(100))
    pinned_at: Mapped[datetime] = mapped_column(DateTime, default=_utcnow)


class SyncAck(Base):
    """How far this site and a peer have got with each other's change logs."""

    __tablename__ = "sync_acks"

    site_id: Mapped[str] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    #: Highest seq of the peer's change log applied here (what we acknowledge to it).
    received_seq: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: Highest seq of our change log the peer has acknowledged (exports start after it).
    acked_seq: Mapped[int] = mapped_column(Integer, default=0)
    acked_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: created_hlc of the bundle that carried the newest acknowledgement (older ones are ignored).
    acked_hlc: Mapped[str] = mapped_column(String(96), default="")


class ReceivedBundle(Base):
    """A bundle applied here (its id makes a second import a no-op)."""

    __tablename__ = "sync_received"

    bundle_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_site: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    seq_from: Mapped[int] = mapped_column(Integer, default=0)
    seq_to: Mapped[int] = mapped_column(Integer, default=0)
    applied: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[str] = mapped_column(String(20), default="applied")
    applied_at: Mapped[datetime] = mapped_column(DateTime, default=_utcnow)


class SentBundle(Base):
    """A bundle written here for a peer."""

    __tablename__ = "sync_sent"

    bundle_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    target_site: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    seq_from: Mapped[int] = mapped_column(Integer, default=0)
    seq_to: Mapped[int] = mapped_column(Integer, default=0)
    path: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_utcnow)


class SyncConflict(Base):
    """Two versions of a row that met during an import; a person decides which to keep."""

    __tablename__ = "sync_conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    #: "concurrent" (edited at two sites), "protected" (a final evaluation changed by
    #: a site that does not own it), "unique" (a duplicate NIP/code), "missing_parent".
    reason: Mapped[str] = mapped_column(String(20))
    #: Which version is in the table now: "local" or "incoming".
    winner: Mapped[str] = mapped_column(String(10))
    local_image: Mapped[dict | None] = mapped_column(JSON)
    local_hlc: Mapped[str] = mapped_column(String(96), default="")
    local_site: Mapped[str] = mapped_column(String(64), default="")
    incoming_image: Mapped[dict | None] = mapped_column(JSON)
    incoming_hlc: Mapped[str] = mapped_column(String(96), default="")
    incoming_site: Mapped[str] = mapped_column(String(64), default="")
    bundle_id: Mapped[str] = mapped_column(String(36), default="")
    detected_at: Mapped[datetime] = mapped_column(DateTime, default=_utcnow)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    #: "local" or "incoming" (the version a person kept), with who and when.
    resolution: Mapped[str | None] = mapped_column(String(10))
    resolved_by: Mapped[str | None] = mapped_column(String(60))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
