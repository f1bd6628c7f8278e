"""The *Kantor* overview of the central office: every enrolled site, when it last synced,
what is waiting for it, its open conflicts, and whether it is revoked. No Qt here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.sync_models import ReceivedBundle, SentBundle, SyncAck, SyncConflict
from kinerja_desktop.sync import peers


def unsent_changes(session: Session, peer_id: str) -> int:
    """Rows changed here that ``peer_id`` has not acknowledged and did not make itself
    (what the next export to it carries, before its scope is applied)."""
    state = session.get(SyncAck, peer_id)
    after = state.acked_seq if state else 0
    return int(
        session.scalar(
            select(func.count(func.distinct(ChangeLog.row_id))).where(
                ChangeLog.seq > after, ~ChangeLog.hlc.endswith("-" + peer_id, autoescape=True)
            )
        )
        or 0
    )


def own_unsent_changes(session: Session, own_site: str, peer_id: str) -> int:
    """Rows last changed *here* (by ``own_site``) that ``peer_id`` has not acknowledged: an
    office's own work not yet at the central office (rows it received from elsewhere are
    already there and do not count)."""
    state = session.get(SyncAck, peer_id)
    after = state.acked_seq if state else 0
    return int(
        session.scalar(
            select(func.count(func.distinct(ChangeLog.row_id))).where(
                ChangeLog.seq > after, ChangeLog.hlc.endswith("-" + own_site, autoescape=True)
            )
        )
        or 0
    )


@dataclass(frozen=True)
class OfficeRow:
    site_id: str
    name: str
    unit_code: str | None
    is_central: bool
    revoked: bool
    #: The newest bundle received from the site (its data or its acknowledgement).
    last_received: datetime | None
    #: The newest bundle made for it.
    last_sent: datetime | None
    #: Rows changed here that it has not acknowledged yet.
    pending: int
    open_conflicts: int
    bundles_received: int

    @property
    def last_sync(self) -> datetime | None:
        return self.last_received


def office_overview(session: Session) -> list[OfficeRow]:
    received = dict(
        session.execute(
            select(ReceivedBundle.source_site, func.max(ReceivedBundle.applied_at)).group_by(ReceivedBundle.source_site)
        ).all()
    )
    counts = dict(
        session.execute(select(ReceivedBundle.source_site, func.count()).group_by(ReceivedBundle.source_site)).all()
    )
    sent = dict(
        session.execute(
            select(SentBundle.target_site, func.max(SentBundle.created_at)).group_by(SentBundle.target_site)
        ).all()
    )
    conflicts = dict(
        session.execute(
            select(SyncConflict.incoming_site, func.count())
            .where(SyncConflict.resolved.is_(False))
            .group_by(SyncConflict.incoming_site)
        ).all()
    )
    rows = []
    for site in peers.peers(session):
        ack = session.get(SyncAck, site.id)
        last = received.get(site.id)
        if ack is not None and ack.received_at and (last is None or ack.received_at > last):
            last = ack.received_at
        rows.append(
            OfficeRow(
                site.id,
                site.name,
                site.unit_code,
                site.is_central,
                bool(site.revoked),
                last,
                sent.get(site.id),
                unsent_changes(session, site.id),
                int(conflicts.get(site.id, 0)),
                int(counts.get(site.id, 0)),
            )
        )
    rows.sort(key=lambda r: (r.revoked, r.name.lower(), r.site_id))
    return rows
