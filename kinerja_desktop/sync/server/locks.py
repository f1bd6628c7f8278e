"""Locks that keep concurrent imports and exports correct, across server processes.

On PostgreSQL these are advisory locks, held on a connection of their own for the length
of the work (so two server processes behind one proxy respect each other):

- **per source site** (exclusive): bundles from one office are applied one after another,
  so its acknowledgement row is never updated by two transactions at once and the same
  bundle uploaded twice at the same moment is applied once (the second sees it recorded);
  other offices are not held up.
- **the export gate**: imports hold it *shared* while they run, an export for an office
  holds it *exclusive* while it reads the change log. PostgreSQL hands out change-log
  ``seq`` numbers when rows are inserted, not when they commit; without the gate an export
  could see seq 300 committed while seq 200 is still in flight, and the office would
  acknowledge past a change it never received.

On SQLite (trying the server out) the same shape uses in-process locks.
"""

from __future__ import annotations

import hashlib
import threading
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Engine

GATE = "kinerja:export-gate"
LOCK_TIMEOUT_S = 300


def lock_key(name: str) -> int:
    """A signed 64-bit advisory-lock key for ``name``."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big", signed=True)


class _SharedExclusive:
    """A readers-writer lock (in-process fallback for the gate)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._waiting_writers = 0

    @contextmanager
    def shared(self):
        with self._cond:
            while self._writer or self._waiting_writers:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def exclusive(self):
        with self._cond:
            self._waiting_writers += 1
            while self._writer or self._readers:
                self._cond.wait()
            self._waiting_writers -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


class ServerLocks:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        self._site_locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._gate = _SharedExclusive()

    def _site_lock(self, site_id: str) -> threading.Lock:
        with self._guard:
            return self._site_locks.setdefault(site_id, threading.Lock())

    @contextmanager
    def _advisory(self, *locks: tuple[str, bool]):
        """Hold PostgreSQL advisory locks ``(name, shared)`` in order, on one connection."""
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        held: list[tuple[int, bool]] = []
        try:
            conn.execute(text(f"SET lock_timeout = '{LOCK_TIMEOUT_S}s'"))
            for name, shared in locks:
                key = lock_key(name)
                fn = "pg_advisory_lock_shared" if shared else "pg_advisory_lock"
                conn.execute(text(f"SELECT {fn}(:k)"), {"k": key})
                held.append((key, shared))
            yield
        finally:
            try:
                for key, shared in reversed(held):
                    fn = "pg_advisory_unlock_shared" if shared else "pg_advisory_unlock"
                    conn.execute(text(f"SELECT {fn}(:k)"), {"k": key})
                conn.execute(text("RESET lock_timeout"))
                conn.close()
            except Exception:  # the connection died (database restarted): its locks died with it
                conn.invalidate()
                conn.close()

    @contextmanager
    def queued(self, site_id: str):
        """One bundle of ``site_id`` at a time in this process (the others wait here, holding
        neither an import slot nor a database connection)."""
        with self._site_lock(site_id):
            yield

    @contextmanager
    def importing(self, site_id: str):
        """While applying a bundle from ``site_id`` (across server processes)."""
        if self.postgres:
            with self._advisory((f"kinerja:site:{site_id}", False), (GATE, True)):
                yield
        else:
            with self._gate.shared():
                yield

    @contextmanager
    def exporting(self):
        """While reading the change log for an export."""
        if self.postgres:
            with self._advisory((GATE, False)):
                yield
        else:
            with self._gate.exclusive():
                yield
