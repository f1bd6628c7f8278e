"""Bundles waiting for an office: exported on request, kept on disk until fetched.

``prepare`` exports, with the existing export function, everything the office has not
acknowledged yet (cumulative, so a bundle lost on the way is covered by the next one).
It is kept in ``<work>/downloads/<site>/<bundle id>.kinerja`` so the office can fetch it
in pieces over a bad line; the newest few per office are kept, older ones are removed.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path

from sqlalchemy import exists, select

from kinerja_desktop.i18n import _
from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.database import Database
from kinerja_desktop.store.sync_models import SyncAck
from kinerja_desktop.sync.bundle_writer import write_atomic
from kinerja_desktop.sync.export import ExportResult, export_bundle_job
from kinerja_desktop.sync.server.errors import ApiError
from kinerja_desktop.sync.server.locks import ServerLocks

BUNDLE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
KEEP_PER_SITE = 3


def has_pending(db: Database, site_id: str) -> bool:
    """Whether our change log has anything after the office's acknowledgement that it did not make itself."""
    with db.session() as s:
        ack = s.get(SyncAck, site_id)
        after = ack.acked_seq if ack else 0
        q = select(exists().where(ChangeLog.seq > after, ~ChangeLog.hlc.endswith("-" + site_id, autoescape=True)))
        return bool(s.scalar(q))


def export_gated(db: Database, site_id: str, locks: ServerLocks, *, keys_dir: Path, blobs_dir: Path) -> ExportResult:
    """Run the export, holding the export gate until the change log has been read.

    ``export_bundle_job`` yields once before it opens its transaction and once after it
    has read the log and collected the rows; the gate is held between the two.
    """
    job = export_bundle_job(db, site_id, keys_dir=keys_dir, blobs_dir=blobs_dir)
    next(job)  # "Mengumpulkan perubahan": nothing read yet
    try:
        with locks.exporting():
            next(job)  # "Menulis bundel": the log has been read
        while True:
            next(job)
    except StopIteration as stop:
        return stop.value


class DownstreamStore:
    def __init__(self, root: Path, *, keep_days: int) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.keep_s = keep_days * 86400

    def _site_dir(self, site_id: str) -> Path:
        return self.root / site_id

    def save(self, site_id: str, result: ExportResult) -> dict:
        folder = self._site_dir(site_id)
        meta = {
            "bundle_id": result.bundle_id,
            "size": result.size,
            "sha256": hashlib.sha256(result.data).hexdigest(),
            "changes": result.total,
            "counts": result.counts,
            "seq_to": result.seq_to,
            "created": time.time(),
        }
        write_atomic(folder / f"{result.bundle_id}.kinerja", result.data)
        write_atomic(folder / f"{result.bundle_id}.json", json.dumps(meta).encode("utf-8"))
        self._prune(folder)
        return meta

    def _prune(self, folder: Path) -> None:
        metas = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        cutoff = time.time() - self.keep_s
        for i, meta in enumerate(metas):
            if i >= KEEP_PER_SITE or meta.stat().st_mtime < cutoff:
                meta.with_suffix(".kinerja").unlink(missing_ok=True)
                meta.unlink(missing_ok=True)

    def meta(self, site_id: str, bundle_id: str) -> dict:
        if not BUNDLE_ID.match(bundle_id or ""):
            raise self._gone()
        try:
            return json.loads((self._site_dir(site_id) / f"{bundle_id}.json").read_text("utf-8"))
        except (OSError, ValueError):
            raise self._gone() from None

    def read(self, site_id: str, bundle_id: str, offset: int, length: int) -> bytes:
        self.meta(site_id, bundle_id)
        try:
            with open(self._site_dir(site_id) / f"{bundle_id}.kinerja", "rb") as fh:
                fh.seek(offset)
                return fh.read(length)
        except OSError:
            raise self._gone() from None

    @staticmethod
    def _gone() -> ApiError:
        return ApiError(404, "not_found", _("Bundel ini tidak ada lagi di server; minta bundel baru."))
