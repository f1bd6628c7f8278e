"""The audit trail: who did what, when, with before and after images, in a hash chain.

Each entry's hash covers its own fields and the previous entry's hash, so editing or
deleting any entry later breaks the chain at that point (:func:`verify_chain`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from kinerja_desktop.services.access.principal import SYSTEM, Principal
from kinerja_desktop.store.audit import AuditEntry

GENESIS = "0" * 64


def _jsonable(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "value") and not isinstance(value, (str, int, float, bool)):  # enums
        return value.value
    return value


def entry_hash(prev_hash: str, at: str, actor: str, action: str, table: str, row_id: str, before, after) -> str:
    payload = json.dumps(
        [prev_hash, at, actor, action, table, row_id, before, after],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _last_hash(session: Session) -> str:
    last = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1))
    return last or GENESIS


def _timestamp() -> tuple[datetime, str]:
    at = datetime.now(UTC).replace(tzinfo=None)
    return at, at.isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Change:
    action: str  # "create", "update", "delete", or another verb ("login", "import")
    table: str = ""
    row_id: str = ""
    before: dict | None = None
    after: dict | None = None


def record(
    session: Session,
    actor: Principal | None,
    action: str,
    table: str = "",
    row_id: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Append one entry (in the caller's transaction)."""
    record_many(session, actor, [Change(action, table, row_id, before, after)])


def record_many(session: Session, actor: Principal | None, changes: Iterable[Change]) -> int:
    """Append many entries at once (bulk imports), chained in order."""
    actor = actor or SYSTEM
    prev = _last_hash(session)
    at, at_text = _timestamp()
    rows = []
    for ch in changes:
        before, after = _jsonable(ch.before), _jsonable(ch.after)
        h = entry_hash(prev, at_text, actor.username, ch.action, ch.table, ch.row_id, before, after)
        rows.append(
            {
                "at": at,
                "actor": actor.username,
                "action": ch.action,
                "table_name": ch.table,
                "row_id": ch.row_id,
                "before": before,
                "after": after,
                "prev_hash": prev,
                "hash": h,
            }
        )
        prev = h
    if rows:
        session.execute(insert(cast(Table, AuditEntry.__table__)), rows)
    return len(rows)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""


def iter_entries(session: Session, batch: int = 5000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.seq > last).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify_chain(session: Session) -> ChainReport:
    """Walk the whole log; report the first entry whose hash or link does not hold."""
    prev = GENESIS
    expected_seq = None
    checked = 0
    for e in iter_entries(session):
        if expected_seq is not None and e.seq != expected_seq:
            return ChainReport(False, checked, expected_seq, "missing")
        if e.prev_hash != prev:
            return ChainReport(False, checked, e.seq, "link")
        at_text = e.at.isoformat(timespec="microseconds")
        h = entry_hash(e.prev_hash, at_text, e.actor, e.action, e.table_name, e.row_id, e.before, e.after)
        if h != e.hash:
            return ChainReport(False, checked, e.seq, "content")
        prev = e.hash
        expected_seq = e.seq + 1
        checked += 1
    return ChainReport(True, checked)


def snapshot(obj, fields: Iterable[str]) -> dict:
    """A plain before/after image of ``fields`` of a model instance."""
    return {f: _jsonable(getattr(obj, f)) for f in fields}
