"""Conflicts a person resolves: keep one version; the choice is itself a change that syncs.

Keeping a version writes it again through the ORM, so it gets a fresh hybrid-clock value
and a change-log entry and wins everywhere on the next exchange.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinerja_desktop.errors import NotFound
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.audit.chain import record
from kinerja_desktop.store.base import synced_tables
from kinerja_desktop.store.database import Database
from kinerja_desktop.store.sync_models import SyncConflict
from kinerja_desktop.sync.errors import SyncError
from kinerja_desktop.sync.reasons import REASON_LABELS, REFUSALS, reason_label  # noqa: F401 (re-exported)
from kinerja_desktop.sync.tables import sync_schema

#: Reasons for which only the stored version can be kept (the other breaks a rule).
LOCAL_ONLY = ("protected", "unique", "missing_parent", "file_refused", "unauthorized", "forged", "invalid")


@dataclass(frozen=True)
class ConflictView:
    id: int
    table_name: str
    row_id: str
    reason: str
    winner: str
    local: dict | None
    incoming: dict | None
    local_hlc: str
    incoming_hlc: str
    local_site: str
    incoming_site: str
    detected_at: datetime
    resolved: bool
    resolution: str | None

    @property
    def choices(self) -> tuple[str, ...]:
        return ("local",) if self.reason in LOCAL_ONLY else ("local", "incoming")

    def differing_fields(self) -> list[str]:
        a = (self.local or {}).get("row", {})
        b = (self.incoming or {}).get("row", {})
        keys = sorted(set(a) | set(b))
        out = [k for k in keys if a.get(k) != b.get(k)]
        if (self.local or {}).get("deleted") != (self.incoming or {}).get("deleted"):
            out.append("deleted")
        return out


def _view(c: SyncConflict) -> ConflictView:
    return ConflictView(
        c.id,
        c.table_name,
        c.row_id,
        c.reason,
        c.winner,
        c.local_image,
        c.incoming_image,
        c.local_hlc,
        c.incoming_hlc,
        c.local_site,
        c.incoming_site,
        c.detected_at,
        c.resolved,
        c.resolution,
    )


def list_conflicts(session: Session, *, include_resolved: bool = False, limit: int | None = None) -> list[ConflictView]:
    q = select(SyncConflict).order_by(SyncConflict.id)
    if not include_resolved:
        q = q.where(SyncConflict.resolved.is_(False))
    if limit:
        q = q.limit(limit)
    return [_view(c) for c in session.scalars(q)]


def count_conflicts(session: Session, *, include_resolved: bool = False) -> int:
    """How many conflicts :func:`list_conflicts` would list without a limit."""
    q = select(func.count()).select_from(SyncConflict)
    if not include_resolved:
        q = q.where(SyncConflict.resolved.is_(False))
    return int(session.scalar(q) or 0)


def resolve_conflict(db: Database, conflict_id: int, keep: str, actor: Principal | None = None) -> None:
    """Keep ``keep`` ("local" or "incoming") of conflict ``conflict_id``, in a transaction of its own."""
    with db.transaction() as s:
        resolve_conflict_in(s, conflict_id, keep, actor)


def resolve_conflict_in(s: Session, conflict_id: int, keep: str, actor: Principal | None = None) -> None:
    """Keep ``keep`` ("local" or "incoming") of conflict ``conflict_id`` in the caller's transaction."""
    if keep not in ("local", "incoming"):
        raise SyncError(_("Pilihan harus 'local' atau 'incoming'."))
    c = s.get(SyncConflict, conflict_id)
    if c is None:
        raise NotFound(_("Konflik nomor {id} tidak ada.").format(id=conflict_id))
    if c.resolved:
        raise SyncError(_("Konflik nomor {id} sudah diselesaikan.").format(id=conflict_id))
    if keep == "incoming" and c.reason in LOCAL_ONLY:
        raise SyncError(_("Untuk konflik ini hanya versi di situs ini yang dapat dipertahankan."))
    image = c.local_image if keep == "local" else c.incoming_image
    model = synced_tables().get(c.table_name)
    obj = s.get(model, c.row_id) if model is not None else None
    moved_on = False
    if image is not None and obj is not None:
        info = next(i for i in sync_schema(s.connection()) if i.name == c.table_name)
        moved_on = obj.updated_hlc > max(c.local_hlc, c.incoming_hlc)
        if moved_on and keep == "incoming":
            raise SyncError(
                _(
                    "Data ini sudah diubah lagi setelah konflik terjadi; pertahankan versi di situs ini "
                    "lalu ubah datanya bila perlu."
                )
            )
    # For a refused change the stored version already stands: marking is enough.
    if image is not None and obj is not None and not moved_on and c.reason not in LOCAL_ONLY:
        before = info.encode({col: getattr(obj, col) for col in info.data_columns})
        values = info.decode(image["row"])
        for col, value in values.items():
            setattr(obj, col, value)
        obj.deleted = bool(image.get("deleted"))
        # A fresh version even when nothing differs: the decision must travel.
        obj.updated_hlc = ""
        s.flush()
        record(s, actor, "sync_resolve", c.table_name, c.row_id, before, image["row"])
    c.resolved = True
    c.resolution = keep
    c.resolved_by = actor.username if actor else "system"
    c.resolved_at = datetime.utcnow()
