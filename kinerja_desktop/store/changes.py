"""The change log: every write to a synced table is stamped and logged in its transaction.

A ``before_flush`` listener gives each new or changed synced row a fresh hybrid-clock
timestamp, its origin site on creation, and appends ``(table, row id, hlc)`` to
``change_log``. Bulk writes that bypass the ORM unit of work go through
:func:`stamp_rows` and :func:`log_rows` instead, so no change escapes the log.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast

from sqlalchemy import Integer, String, Table, event, insert, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from kinerja_desktop.store.base import Base, Synced, new_id
from kinerja_desktop.store.hlc import HybridClock


class ChangeLog(Base):
    __tablename__ = "change_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    hlc: Mapped[str] = mapped_column(String(96), index=True)


class UntrackedWrite(RuntimeError):
    """A synced row was written through a session that has no clock."""


def clock_of(session: Session) -> HybridClock:
    clock = session.info.get("clock")
    if clock is None:
        raise UntrackedWrite(
            "A synced table was written through a session without a clock; "
            "use Database.session() so the change log stays complete."
        )
    return clock


@event.listens_for(Session, "before_flush")
def _track_changes(session: Session, flush_context, instances) -> None:
    touched: list[Synced] = []
    for obj in session.new:
        if isinstance(obj, Synced):
            touched.append(obj)
    for obj in session.dirty:
        if isinstance(obj, Synced) and session.is_modified(obj, include_collections=False):
            touched.append(obj)
    for obj in session.deleted:
        if isinstance(obj, Synced):
            raise UntrackedWrite(f"Rows of {obj.__tablename__} are never deleted; set deleted=True (a tombstone).")
    if not touched:
        return
    clock = clock_of(session)
    preserve = session.info.get("preserve_hlc", False)
    entries = []
    for obj in touched:
        if obj.id is None:
            obj.id = new_id()
        if preserve and obj.updated_hlc:
            clock.observe(obj.updated_hlc)
        else:
            obj.updated_hlc = clock.now()
        if not obj.origin_site:
            obj.origin_site = clock.site
        entries.append(ChangeLog(table_name=obj.__tablename__, row_id=obj.id, hlc=obj.updated_hlc))
    session.add_all(entries)


def stamp_rows(clock: HybridClock, rows: Iterable[dict], *, new: bool) -> list[dict]:
    """Give plain row dicts (for bulk insert/update) their id, hlc and origin site."""
    out = []
    for row in rows:
        row["updated_hlc"] = clock.now()
        if new:
            row.setdefault("id", new_id())
            row.setdefault("origin_site", clock.site)
            row.setdefault("deleted", False)
        out.append(row)
    return out


def log_rows(session: Session, table_name: str, rows: Sequence[dict]) -> None:
    """Append bulk-written rows (already stamped) to the change log."""
    if rows:
        session.execute(
            insert(cast(Table, ChangeLog.__table__)),
            [{"table_name": table_name, "row_id": r["id"], "hlc": r["updated_hlc"]} for r in rows],
        )


def is_synced_model(model: type) -> bool:
    return isinstance(model, type) and issubclass(model, Synced) and inspect(model, raiseerr=False) is not None
