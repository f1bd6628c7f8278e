"""Exporting: everything the target has not acknowledged yet, as one signed, encrypted bundle.

Exports are cumulative since the target's last acknowledgement, so a lost file is covered
by the next one. Rows whose current version was made by the target itself are not echoed
back to it. An office receives only its scope (``sync.scope``) plus the rows those refer to.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.i18n import _
from kinerja_desktop.services.progress import Job, Progress, run
from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.database import Database
from kinerja_desktop.store.org import Unit
from kinerja_desktop.store.site import Site
from kinerja_desktop.store.sync_models import SentBundle
from kinerja_desktop.sync import audit_anchor, peers
from kinerja_desktop.sync import blobs as blob_store
from kinerja_desktop.sync.bundle_writer import BundleContent, build_bundle, write_atomic
from kinerja_desktop.sync.errors import SyncError
from kinerja_desktop.sync.keys import ensure_keys
from kinerja_desktop.sync.scope import scope_selects
from kinerja_desktop.sync.tables import TableInfo, site_of, sync_schema

CHUNK = 900


@dataclass
class ExportResult:
    bundle_id: str
    kind: str
    target_site: str
    data: bytes
    counts: dict[str, int]
    seq_from: int
    seq_to: int
    manifest: dict
    path: Path | None = None
    #: Set by the window when this PC's clock looked wrong at export (``sync.hlc_guard``).
    clock_warning: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _chunks(items: list, n: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


class ChangeCollector:
    """Turns table rows into ``changes.jsonl`` lines, with their blobs and FK closure."""

    def __init__(self, session: Session, schema: list[TableInfo], blobs_dir: Path | None) -> None:
        self.session = session
        self.schema = schema
        self.by_name = {i.name: i for i in schema}
        self.lines: list[str] = []
        self.counts: dict[str, int] = {}
        self.included: dict[str, set[str]] = {i.name: set() for i in schema}
        self.blob_shas: set[str] = set()
        self.blobs_dir = blobs_dir
        self._encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def add_rows(self, info: TableInfo, rows) -> int:
        encode, enc_row, name, seen = self._encode, info.encode, info.name, self.included[info.name]
        blob_cols = info.blob_columns
        n = 0
        for r in rows:
            m = r._mapping
            rid = m["id"]
            if rid in seen:
                continue
            seen.add(rid)
            self.lines.append(
                encode(
                    {
                        "table": name,
                        "id": rid,
                        "hlc": m["updated_hlc"],
                        "origin_site": m["origin_site"],
                        "deleted": bool(m["deleted"]),
                        "row": enc_row(m),
                    }
                )
            )
            for c in blob_cols:
                if m[c]:
                    self.blob_shas.add(m[c])
            n += 1
        if n:
            self.counts[name] = self.counts.get(name, 0) + n
        return n

    def add_closure(self) -> None:
        """Add the rows that included rows refer to, so the target's foreign keys hold."""
        while True:
            wanted: dict[str, set[str]] = {}
            for info in self.schema:
                if not info.fks or not self.included[info.name]:
                    continue
                ids = list(self.included[info.name])
                cols = [info.table.c[c] for c, _ref in info.fks]
                for part in _chunks(ids):
                    for row in self.session.execute(select(*cols).where(info.table.c.id.in_(part))):
                        for (_col, ref), value in zip(info.fks, row, strict=False):
                            if value is not None and value not in self.included[ref]:
                                wanted.setdefault(ref, set()).add(value)
            if not wanted:
                return
            added = 0
            for ref, ids in wanted.items():
                t = self.by_name[ref].table
                for part in _chunks(sorted(ids)):
                    added += self.add_rows(self.by_name[ref], self.session.execute(select(t).where(t.c.id.in_(part))))
            if not added:
                return

    def blobs(self) -> dict[str, bytes]:
        out = {}
        for sha in sorted(self.blob_shas):
            data = blob_store.read_blob(sha, self.blobs_dir)
            if data is not None:
                out[sha] = data
        return out

    def payload(self) -> bytes:
        if not self.lines:
            return b""
        return ("\n".join(self.lines) + "\n").encode("utf-8")


def _scope_root(session: Session, target: Site) -> str | None:
    if not target.unit_code:
        return None
    unit_id = session.scalar(select(Unit.id).where(Unit.code == target.unit_code))
    if unit_id is None:
        raise SyncError(
            _("Unit {code} milik situs {site} tidak ada di basis data ini.").format(
                code=target.unit_code, site=target.id
            )
        )
    return unit_id


def collect(
    session: Session,
    schema: list[TableInfo],
    *,
    target: Site,
    seq_from: int,
    seq_to: int,
    full: bool,
    blobs_dir: Path | None = None,
    own_only: str | None = None,
) -> ChangeCollector:
    """The rows a bundle to ``target`` carries.

    ``own_only``: an office sends only the rows it changed last itself (stamped with its site
    id); it never relays what it received from elsewhere (``sync.authority``).
    """
    root = _scope_root(session, target)
    scope = scope_selects(schema, root)
    col = ChangeCollector(session, schema, blobs_dir)
    for info in schema:
        t = info.table
        q = select(t)
        if not full:
            changed = select(ChangeLog.row_id).where(
                ChangeLog.table_name == info.name, ChangeLog.seq > seq_from, ChangeLog.seq <= seq_to
            )
            q = q.where(t.c.id.in_(changed))
        if info.name in scope:
            q = q.where(t.c.id.in_(scope[info.name]))
        rows = session.execute(q)
        if own_only:
            rows = (r for r in rows if site_of(r._mapping["updated_hlc"]) == own_only)
        elif not full:
            tid = target.id
            rows = (r for r in rows if site_of(r._mapping["updated_hlc"]) != tid)
        col.add_rows(info, rows)
    if scope:
        col.add_closure()
    return col


def export_bundle_job(
    db: Database,
    target: str | None = None,
    *,
    full: bool = False,
    kind: str = "changes",
    path: str | Path | None = None,
    keys_dir: Path | None = None,
    blobs_dir: Path | None = None,
    extra: dict | None = None,
) -> Job[ExportResult]:
    """Write (to ``path`` when given) and record a bundle for ``target``; yields progress."""
    db.refresh_identity()  # another program may have given this site its identity meanwhile
    keys = ensure_keys(db.site_id, keys_dir)
    schema = sync_schema(db.engine)
    yield Progress(0, None, _("Mengumpulkan perubahan"))
    with db.transaction() as s:
        me = peers.local_site(s)
        site = peers.require_target(s, target)
        key = peers.pinned_key(s, site.id)
        state = peers.ack_state(s, site.id)
        seq_to = peers.max_seq(s)
        if state.acked_seq > seq_to:  # this database was restored from an older backup: send all again
            state.acked_seq, state.acked_hlc = 0, ""
        seq_from = 0 if full else state.acked_seq
        col = collect(
            s,
            schema,
            target=site,
            seq_from=seq_from,
            seq_to=seq_to,
            full=full,
            blobs_dir=blobs_dir,
            own_only=None if me.is_central else me.id,
        )
        yield Progress(len(col.lines), None, _("Menulis bundel"))
        content = BundleContent(
            kind=kind,
            source_site=me.id,
            target_site=site.id,
            created_hlc=db.clock.now(),
            seq_from=seq_from,
            seq_to=seq_to,
            acks=peers.received_acks(s),
            counts=dict(col.counts),
            changes=col.payload(),
            blobs=col.blobs(),
            extra={**(extra or {}), "audit_anchor": audit_anchor.for_bundle(s, site.id)},
        )
        manifest, data = build_bundle(content, keys, key.age_recipient)
        written = write_atomic(path, data) if path is not None else None
        s.add(
            SentBundle(
                bundle_id=manifest["bundle_id"],
                target_site=site.id,
                kind=kind,
                size=len(data),
                counts=dict(col.counts),
                seq_from=seq_from,
                seq_to=seq_to,
                path=str(written) if written else "",
            )
        )
    return ExportResult(
        manifest["bundle_id"], kind, site.id, data, dict(col.counts), seq_from, seq_to, manifest, written
    )


def export_bundle(db: Database, target: str | None = None, **kw) -> ExportResult:
    """Transport-agnostic export: the bundle's bytes in ``.data`` (and the file when ``path``)."""
    return run(export_bundle_job(db, target, **kw))
