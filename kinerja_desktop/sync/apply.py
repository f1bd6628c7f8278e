"""Applying a bundle's changes in one transaction, by the ``(hlc, site)`` rule.

For each incoming row version: a row not here is inserted; a version whose hybrid-clock
value (which ends with the site that made it) is greater than the stored one replaces it;
an equal or older one is skipped, so applying a bundle twice or out of order is a no-op.

Nothing is silently lost: when the stored row was changed here since the source last
acknowledged our log and the two versions were made at different sites, the loser goes to
``sync_conflicts``. So does a change to a protected row (``sync.policy``) from a site that
does not own it (the stored row is kept), an incoming row whose unique value (NIP, code)
belongs to another row here, and a row that refers to such a refused row.

Bulk path: SQLAlchemy Core ``executemany`` for inserts, updates and the change log; the
stored ``(id -> hlc)`` maps are loaded per table in chunks of ids. Dialect-neutral SQL only
(see ``sync.tables`` for how foreign keys are kept safe on SQLite and PostgreSQL).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from sqlalchemy import bindparam, insert, select, tuple_, update
from sqlalchemy.orm import Session

from kinerja_desktop.i18n import _
from kinerja_desktop.services.documents.received_files import screen
from kinerja_desktop.services.progress import Job, Progress
from kinerja_desktop.store.changes import ChangeLog, clock_of
from kinerja_desktop.store.sync_models import SyncConflict
from kinerja_desktop.sync import blobs as blob_store
from kinerja_desktop.sync.changeset import ChangeSet
from kinerja_desktop.sync.policy import IMMUTABLE_WHEN, PROTECTED_WHEN
from kinerja_desktop.sync.tables import UNIT_TABLE, TableInfo, site_of
from kinerja_desktop.sync.validate import RowChecks

CHUNK = 900
#: Changes of one table applied at a time (parsed from the bundle's text just before).
APPLY_CHUNK = 5_000
SQLITE_CACHE_KB = 64 * 1024
#: Test hook: seconds to sleep inside the apply transaction (only when the variable is set).
PAUSE_ENV = "KINERJA_TEST_PAUSE_APPLY"


@dataclass
class ApplyStats:
    applied: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    conflicts: int = 0
    #: Changes refused as beyond the sender's authority or forged (also counted in ``conflicts``).
    refused: int = 0

    @property
    def total_applied(self) -> int:
        return sum(self.applied.values())


def executemany(conn, stmt, rows: list[dict]) -> None:
    """``conn.execute(stmt, rows)`` without SQLAlchemy's per-row parameter bookkeeping.

    The statement is compiled once for the connection's dialect (so this is the same SQL on
    SQLite and PostgreSQL); each value goes through its type's own bind processor, exactly as
    ``execute`` would, and the driver's ``executemany`` gets plain tuples or dicts. About
    twice as fast as ``execute`` for 10^5 rows.
    """
    if not rows:
        return
    dialect = conn.dialect
    compiled = stmt.compile(dialect=dialect, column_keys=list(rows[0]))
    names = list(compiled.positiontup) if compiled.positional else list(compiled.binds)
    first = rows[0]
    if any(name not in first for name in names):  # a default computed in Python: let SQLAlchemy do it
        conn.execute(stmt, rows)
        return
    procs = [(name, compiled.binds[name].type._cached_bind_processor(dialect)) for name in names]
    if compiled.positional:
        params = [tuple(p(r[k]) if p else r[k] for k, p in procs) for r in rows]
    else:
        params = [{n: (p(r[k]) if p else r[k]) for n, (k, p) in zip(names, procs, strict=False)} for r in rows]
    conn.exec_driver_sql(compiled.string, params)


def _chunks(items: list, n: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _image(row: dict | None, deleted, origin) -> dict | None:
    if row is None:
        return None
    return {"row": row, "deleted": bool(deleted), "origin_site": origin}


class Applier:
    def __init__(
        self,
        session: Session,
        schema: list[TableInfo],
        *,
        source_site: str,
        acked_seq: int,
        bundle_id: str,
        two_phase: bool | None = None,
        blobs_dir: Path | None = None,
        authority=None,
    ) -> None:
        self.session = session
        #: ``sync.authority.Authority`` screening the source's changes (``None``: not screened).
        self.authority = authority
        self.conn = session.connection()
        self.schema = schema
        self.source_site = source_site
        self.acked_seq = acked_seq
        self.bundle_id = bundle_id
        self.is_sqlite = self.conn.dialect.name == "sqlite"
        self.two_phase = (not self.is_sqlite) if two_phase is None else two_phase
        self.blobs_dir = blobs_dir
        self.stats = ApplyStats()
        self.conflicts: list[dict] = []
        #: The greatest stamp applied (the clock observes it at the end).
        self.newest_hlc = ""
        self.refused_new: dict[str, set[str]] = {i.name: set() for i in schema}
        self.phase2: list[tuple[TableInfo, list[dict]]] = []
        self._checks: dict[str, RowChecks] = {}

    # -- reading what is here ------------------------------------------------------------------
    def _existing(self, info: TableInfo, ids: list[str]) -> dict[str, tuple[str, str]]:
        t = info.table
        out = {}
        for part in _chunks(ids):
            for rid, hlc, origin in self.conn.execute(
                select(t.c.id, t.c.updated_hlc, t.c.origin_site).where(t.c.id.in_(part))
            ):
                out[rid] = (hlc, origin)
        return out

    def _changed_since_ack(self, info: TableInfo, ids: list[str]) -> set[str]:
        out: set[str] = set()
        for part in _chunks(ids):
            out.update(
                self.conn.scalars(
                    select(ChangeLog.row_id)
                    .where(
                        ChangeLog.table_name == info.name, ChangeLog.seq > self.acked_seq, ChangeLog.row_id.in_(part)
                    )
                    .distinct()
                )
            )
        return out

    def _full_rows(self, info: TableInfo, ids: list[str]) -> dict[str, dict]:
        t = info.table
        out = {}
        for part in _chunks(ids):
            for r in self.conn.execute(select(t).where(t.c.id.in_(part))):
                out[r.id] = dict(r._mapping)
        return out

    # -- deciding ------------------------------------------------------------------------------
    def _conflict(self, info: TableInfo, c: dict, local: dict | None, reason: str, winner: str) -> None:
        local_img = None
        lhlc = lsite = ""
        if local is not None:
            local_img = _image(info.encode(local), local["deleted"], local["origin_site"])
            lhlc, lsite = local["updated_hlc"], site_of(local["updated_hlc"])
        self.conflicts.append(
            {
                "table_name": info.name,
                "row_id": c["id"],
                "reason": reason,
                "winner": winner,
                "local_image": local_img,
                "local_hlc": lhlc,
                "local_site": lsite,
                "incoming_image": _image(c["row"], c["deleted"], c["origin_site"]),
                "incoming_hlc": c["hlc"],
                "incoming_site": site_of(c["hlc"]),
                "bundle_id": self.bundle_id,
                "resolved": False,
            }
        )
        self.stats.conflicts += 1

    def _decode(self, info: TableInfo, c: dict) -> dict:
        values = c.pop("values")  # decoded and checked by _validate
        values["id"] = c["id"]
        values["updated_hlc"] = c["hlc"]
        values["deleted"] = c["deleted"]
        return values

    def apply_table(self, info: TableInfo, items: list[dict]) -> None:
        t = info.table
        # An empty table (a first load, an enrollment) has nothing to look up or collide with.
        self._empty = self.conn.execute(select(t.c.id).limit(1)).first() is None
        ids = [c["id"] for c in items]
        existing = {} if self._empty else self._existing(info, ids)
        items = self._validate(info, items, existing)
        if self.authority is not None:
            items = self._authorize(info, items, existing)
        rule = PROTECTED_WHEN.get(info.name)
        frozen = IMMUTABLE_WHEN.get(info.name)
        changed = self._changed_since_ack(info, list(existing)) if existing else set()
        full_ids = set(existing) if (rule or frozen) else set(changed)
        local_full = self._full_rows(info, sorted(full_ids)) if full_ids else {}
        inserts: list[dict] = []
        updates: list[dict] = []
        for c in items:
            rid, hlc = c["id"], c["hlc"]
            here = existing.get(rid)
            if here is None:
                row = self._decode(info, c)
                row["origin_site"] = c["origin_site"] or site_of(hlc)
                inserts.append(row)
                continue
            local_hlc, owner = here
            if hlc == local_hlc:
                self.stats.skipped += 1
                continue
            inc_site = site_of(hlc)
            newer = hlc > local_hlc
            if newer and (
                (frozen and frozen(local_full[rid])) or (rule and inc_site != owner and rule(local_full[rid]))
            ):
                self._conflict(info, c, local_full[rid], "protected", "local")
                self.stats.skipped += 1
                continue
            concurrent = rid in changed and inc_site != site_of(local_hlc)
            if newer:
                updates.append(self._decode(info, c))
                if concurrent:
                    self._conflict(info, c, local_full[rid], "concurrent", "incoming")
            else:
                self.stats.skipped += 1
                if concurrent:
                    self._conflict(info, c, local_full[rid], "concurrent", "local")
        by_id = {c["id"]: c for c in items}
        inserts, updates = self._check_uniques(info, inserts, updates, by_id)
        inserts, updates = self._check_parents(info, inserts, updates, by_id)
        self._write(info, inserts, updates)

    def _validate(self, info: TableInfo, items: list[dict], existing: dict) -> list[dict]:
        """Drop (and keep as conflicts that say why) the changes whose values break a rule (``sync.validate``)."""
        checks = self._checks.get(info.name)
        if checks is None:
            checks = self._checks[info.name] = RowChecks(info)
        keep = []
        for c in items:
            values, problem = checks.decode(c["row"])
            if problem is None:
                c["values"] = values
                keep.append(c)
                continue
            local = self._full_rows(info, [c["id"]]).get(c["id"]) if c["id"] in existing else None
            self._conflict(info, c, local, "invalid", "local")
            self.conflicts[-1]["incoming_image"]["refused"] = problem
            self.stats.skipped += 1
            self.stats.refused += 1
            if local is None:
                self.refused_new[info.name].add(c["id"])
        return keep

    def _authorize(self, info: TableInfo, items: list[dict], existing: dict) -> list[dict]:
        """Drop (and keep as conflicts) the changes the source may not make (``sync.authority``)."""
        allowed, refused = self.authority.screen(info, items, existing, lambda ids: self._full_rows(info, ids))
        if refused:
            local = self._full_rows(info, sorted({c["id"] for c, _r in refused if c["id"] in existing}))
            for c, reason in refused:
                self._conflict(info, c, local.get(c["id"]), reason, "local")
                self.stats.skipped += 1
                self.stats.refused += 1
                if c["id"] not in existing:
                    self.refused_new[info.name].add(c["id"])
        return allowed

    def _refuse(self, info: TableInfo, row: dict, c: dict, reason: str, inserted: bool) -> None:
        local = None
        if not inserted:
            local = self._full_rows(info, [row["id"]]).get(row["id"])
        self._conflict(info, c, local, reason, "local")
        self.stats.skipped += 1
        if inserted:
            self.refused_new[info.name].add(row["id"])

    def _check_uniques(self, info, inserts, updates, by_id):
        if not info.uniques or not (inserts or updates):
            return inserts, updates
        t = info.table
        refused: set[str] = set()
        for cols in info.uniques:
            rows = [r for r in inserts + updates if r["id"] not in refused]
            wanted: dict[tuple, str] = {}
            for r in rows:
                key = tuple(r[c] for c in cols)
                if any(v is None for v in key):
                    continue
                if key in wanted and wanted[key] != r["id"]:
                    refused.add(r["id"])  # two incoming rows with one unique value
                else:
                    wanted[key] = r["id"]
            keys = [] if self._empty else list(wanted)
            holders: dict[tuple, str] = {}
            for part in _chunks(keys):
                if len(cols) == 1:
                    cond = t.c[cols[0]].in_([k[0] for k in part])
                else:
                    cond = tuple_(*[t.c[c] for c in cols]).in_(part)
                for r in self.conn.execute(select(t.c.id, *[t.c[c] for c in cols]).where(cond)):
                    holders[tuple(r[1:])] = r[0]
            for key, rid in wanted.items():
                other = holders.get(key)
                if other is not None and other != rid:
                    refused.add(rid)
        if not refused:
            return inserts, updates
        keep_i, keep_u = [], []
        for lst, keep, inserted in ((inserts, keep_i, True), (updates, keep_u, False)):
            for r in lst:
                if r["id"] in refused:
                    self._refuse(info, r, by_id[r["id"]], "unique", inserted)
                else:
                    keep.append(r)
        return keep_i, keep_u

    def _check_parents(self, info, inserts, updates, by_id):
        fks = info.fks
        if not any(self.refused_new.get(ref) for _col, ref in fks):
            return inserts, updates
        keep_i, keep_u = [], []
        for lst, keep, inserted in ((inserts, keep_i, True), (updates, keep_u, False)):
            for r in lst:
                if any(r[col] is not None and r[col] in self.refused_new[ref] for col, ref in fks):
                    self._refuse(info, r, by_id[r["id"]], "missing_parent", inserted)
                else:
                    keep.append(r)
        return keep_i, keep_u

    # -- writing -------------------------------------------------------------------------------
    def _write(self, info: TableInfo, inserts: list[dict], updates: list[dict]) -> None:
        t = info.table
        deferred = info.deferred if self.two_phase else []
        if deferred:
            later = []
            for r in inserts:
                if any(r[c] is not None for c in deferred):
                    later.append({"_sync_id": r["id"], **{c: r[c] for c in deferred}})
                    r.update({c: None for c in deferred})
            for r in updates:
                later.append({"_sync_id": r["id"], **{c: r.pop(c) for c in deferred}})
            if later:
                self.phase2.append((info, later))
        if inserts:
            executemany(self.conn, insert(t), inserts)
        if updates:
            for r in updates:
                r["_sync_id"] = r.pop("id")
            executemany(self.conn, update(t).where(t.c.id == bindparam("_sync_id")), updates)
        n = len(inserts) + len(updates)
        if n:
            self.stats.applied[info.name] = self.stats.applied.get(info.name, 0) + n
            name = info.name
            log = [{"table_name": name, "row_id": r["id"], "hlc": r["updated_hlc"]} for r in inserts]
            log.extend({"table_name": name, "row_id": r["_sync_id"], "hlc": r["updated_hlc"]} for r in updates)
            executemany(self.conn, insert(ChangeLog), log)  # per chunk: nothing of it is kept in memory
            self.newest_hlc = max(self.newest_hlc, *map(itemgetter("hlc"), log))

    def finish(self, blobs: dict[str, bytes]) -> None:
        for info, rows in self.phase2:
            executemany(self.conn, update(info.table).where(info.table.c.id == bindparam("_sync_id")), rows)
        if self.newest_hlc:
            clock_of(self.session).observe(self.newest_hlc)
        if self.conflicts:
            self.conn.execute(insert(SyncConflict), self.conflicts)
        for sha, data in blobs.items():
            blob_store.store_blob(sha, data, self.blobs_dir)

    def _defer_sqlite_foreign_keys(self) -> None:
        """Check foreign keys at COMMIT. The pragma only lasts inside a transaction, and Python's
        sqlite3 opens one lazily at the first write, so make sure one is open first."""
        self.session.flush()
        dbapi = self.conn.connection.dbapi_connection
        if not dbapi.in_transaction:
            self.conn.exec_driver_sql("DELETE FROM sync_conflicts WHERE 1 = 0")
        self.conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        # Bulk inserts with random UUID keys touch index pages all over the file: a page cache
        # of 64 MB (instead of 2 MB) keeps them from being written and read again mid-transaction.
        self.conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")
        if not self.conn.exec_driver_sql("PRAGMA defer_foreign_keys").scalar():  # pragma: no cover
            self.two_phase = True

    def _screen_files(self, info: TableInfo, changes: list[dict], blobs: dict[str, bytes]) -> list[dict]:
        """Attachments pass the checks of files added here (``services.received_files``); a row
        whose file is refused is not applied but kept as a conflict that says why."""

        changes, stored, refused = screen(self.schema, changes, blobs, self.blobs_dir)
        self._blobs.update(stored)
        for item in refused:
            c = item.change
            self._unwanted.update(c["row"][col] for col in info.blob_columns if c["row"].get(col))
            local = self._full_rows(info, [c["id"]]).get(c["id"])
            self._conflict(info, c, local, "file_refused", "local")
            self.conflicts[-1]["incoming_image"]["refused"] = item.reason
            self.stats.skipped += 1
            if local is None:
                self.refused_new[info.name].add(c["id"])
        return changes

    def run(self, changes: ChangeSet | list[dict], blobs: dict[str, bytes]) -> Job[ApplyStats]:
        """Apply table by table (parents first), each in chunks parsed one at a time."""
        if self.is_sqlite:
            self._defer_sqlite_foreign_keys()
        if not isinstance(changes, ChangeSet):
            changes = ChangeSet.from_list(changes)
        self._blobs: dict[str, bytes] = {}
        self._unwanted: set[str] = set()
        if blobs and not any(changes.count(i.name) for i in self.schema if i.blob_columns):
            self._blobs.update(screen_blobs_only(self.schema, blobs, self.blobs_dir))
        total, done = len(changes), 0
        for info in self.schema:
            if not changes.count(info.name):
                continue
            yield Progress(done, total, _("Menerapkan {table}").format(table=info.name))
            # Rows of a tree (units) may refer to one another anywhere in the bundle: one chunk.
            size = changes.count(info.name) if info.name == UNIT_TABLE else APPLY_CHUNK
            for items in changes.chunks(info.name, size):
                if info.blob_columns:
                    items = self._screen_files(info, items, blobs)
                self.apply_table(info, items)
                done += len(items)
        self.finish({sha: data for sha, data in self._blobs.items() if sha not in self._unwanted})
        yield Progress(total, total, _("Menyimpan"))
        pause_for_tests()
        return self.stats


def screen_blobs_only(schema, blobs: dict[str, bytes], blobs_dir) -> dict[str, bytes]:

    return screen(schema, [], blobs, blobs_dir)[1]


def pause_for_tests() -> None:
    """Sleep inside the apply transaction when ``KINERJA_TEST_PAUSE_APPLY`` is set (kill -9 tests)."""
    value = os.environ.get(PAUSE_ENV)
    if not value:
        return
    print(f"{PAUSE_ENV}: inside the apply transaction", file=sys.stderr, flush=True)
    time.sleep(float(value))
