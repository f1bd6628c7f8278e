"""What the Sinkronisasi page and ``kinerja sync status`` show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinerja_desktop.store.database import Database
from kinerja_desktop.store.sync_models import ReceivedBundle, SentBundle, SiteKey, SyncAck, SyncConflict
from kinerja_desktop.sync import peers
from kinerja_desktop.sync.hlc_guard import clock_warning
from kinerja_desktop.sync.keys import fingerprint
from kinerja_desktop.sync.reasons import REFUSALS


@dataclass
class PeerStatus:
    site_id: str
    name: str
    is_central: bool
    revoked: bool
    unit_code: str | None
    fingerprint: str
    pending: int
    acked_seq: int
    acked_at: datetime | None
    received_seq: int
    received_at: datetime | None


@dataclass
class HistoryEntry:
    direction: str  # "out" or "in"
    bundle_id: str
    peer: str
    kind: str
    size: int
    counts: dict
    result: str
    at: datetime
    applied: int = 0
    conflicts: int = 0

    @property
    def total(self) -> int:
        return sum((self.counts or {}).values())


@dataclass
class SyncStatus:
    site_id: str
    name: str
    is_central: bool
    unit_code: str | None
    initialized: bool
    enrolled: bool
    fingerprint: str
    server_url: str
    open_conflicts: int
    clock_warning: str | None
    peers: list[PeerStatus] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    #: Open refusals of changes beyond a sender's authority: site -> count (``sync.authority``).
    refused_by_site: dict[str, int] = field(default_factory=dict)

    @property
    def pending(self) -> int:
        """Changes not yet acknowledged by the central office (offices) or by the slowest office."""
        return max((p.pending for p in self.peers if not p.revoked), default=0)


def history(session: Session, limit: int = 50) -> list[HistoryEntry]:
    out = [
        HistoryEntry("out", b.bundle_id, b.target_site, b.kind, b.size, b.counts or {}, "dikirim", b.created_at)
        for b in session.scalars(select(SentBundle).order_by(SentBundle.created_at.desc()).limit(limit))
    ]
    out += [
        HistoryEntry(
            "in",
            b.bundle_id,
            b.source_site,
            b.kind,
            b.size,
            b.counts or {},
            b.result,
            b.applied_at,
            b.applied,
            b.conflicts,
        )
        for b in session.scalars(select(ReceivedBundle).order_by(ReceivedBundle.applied_at.desc()).limit(limit))
    ]
    out.sort(key=lambda e: e.at, reverse=True)
    return out[:limit]


def sync_status(db: Database, history_limit: int = 50) -> SyncStatus:
    db.refresh_identity()
    with db.session() as s:
        me = peers.local_site(s)
        own_key = s.get(SiteKey, me.id)
        peer_rows = []
        for site in peers.peers(s):
            key = s.get(SiteKey, site.id)
            ack = s.get(SyncAck, site.id)
            peer_rows.append(
                PeerStatus(
                    site.id,
                    site.name,
                    site.is_central,
                    site.revoked,
                    site.unit_code,
                    fingerprint(key.sign_key),
                    peers.pending_changes(s, site.id),
                    ack.acked_seq if ack else 0,
                    ack.acked_at if ack else None,
                    ack.received_seq if ack else 0,
                    ack.received_at if ack else None,
                )
            )
        open_conflicts = int(
            s.scalar(select(func.count()).select_from(SyncConflict).where(SyncConflict.resolved.is_(False))) or 0
        )
        return SyncStatus(
            site_id=me.id,
            name=me.name,
            is_central=me.is_central,
            unit_code=me.unit_code,
            initialized=own_key is not None,
            enrolled=me.is_central or peers.central_peer(s) is not None,
            fingerprint=fingerprint(own_key.sign_key) if own_key else "",
            server_url=peers.server_url(s),
            open_conflicts=open_conflicts,
            clock_warning=clock_warning(db.clock),
            peers=peer_rows,
            history=history(s, history_limit),
            refused_by_site=refused_by_site(s),
        )


def refused_by_site(session: Session) -> dict[str, int]:
    """Open conflicts that are refusals (unauthorized, forged, invalid), counted per sending site."""
    rows = session.execute(
        select(SyncConflict.incoming_site, func.count())
        .where(SyncConflict.resolved.is_(False), SyncConflict.reason.in_(REFUSALS))
        .group_by(SyncConflict.incoming_site)
    ).all()
    return {site: int(n) for site, n in rows}
