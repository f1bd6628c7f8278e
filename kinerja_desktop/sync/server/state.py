"""What the server holds while it runs, and the operations behind the HTTP endpoints.

No web framework here: :mod:`app` turns these into routes. Every operation raises
:class:`ApiError` for an answer other than success.
"""

from __future__ import annotations

import io
import logging
import threading
import time
import zipfile
from dataclasses import dataclass

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from kinerja_desktop.i18n import _
from kinerja_desktop.store.database import Database, open_database, sqlite_pragmas
from kinerja_desktop.store.site import Site
from kinerja_desktop.store.sync_models import SiteKey
from kinerja_desktop.sync import manifest as mf
from kinerja_desktop.sync import peers
from kinerja_desktop.sync.bundle_reader import decrypt
from kinerja_desktop.sync.errors import BundleRefused, SyncError
from kinerja_desktop.sync.importer import ImportResult, import_bundle
from kinerja_desktop.sync.keys import SiteKeys, load_keys
from kinerja_desktop.sync.server import signing
from kinerja_desktop.sync.server.config import ServerConfig
from kinerja_desktop.sync.server.downstream import DownstreamStore, export_gated, has_pending
from kinerja_desktop.sync.server.errors import ApiError, database_unavailable, retryable, unavailable
from kinerja_desktop.sync.server.locks import ServerLocks
from kinerja_desktop.sync.server.uploads import (
    APPLIED,
    APPLYING,
    DONE,
    DUPLICATE,
    RECEIVING,
    REFUSED,
    Upload,
    UploadStore,
)

log = logging.getLogger("kinerja.server")

IMPORT_ATTEMPTS = 4


def _engine_url(url: str):
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u


class NonceCache:
    """Nonces seen within the replay window (a request signed once is accepted once)."""

    def __init__(self, window_s: int, limit: int = 200_000) -> None:
        self.window_s = window_s
        self.limit = limit
        self._seen: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()
        self._next_prune = 0.0

    def add(self, site: str, nonce: str, now: float) -> bool:
        """Record ``nonce``; False when it was seen already."""
        with self._lock:
            if now >= self._next_prune or len(self._seen) >= self.limit:
                cutoff = now - 2 * self.window_s
                self._seen = {k: t for k, t in self._seen.items() if t > cutoff}
                self._next_prune = now + 10
                if len(self._seen) >= self.limit:
                    return False  # flooded: refuse rather than forget nonces still in the window
            key = (site, nonce)
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


@dataclass
class Peek:
    source_site: str
    target_site: str
    kind: str
    bundle_id: str


class ServerState:
    def __init__(self, config: ServerConfig) -> None:
        self.config = config.resolved()
        # Migrate and learn who we are with the program's own opener, then keep a pool sized
        # for many offices at once (pre-ping: a restarted database is reconnected transparently).
        first = open_database(config.db_url, create=False)
        try:
            with first.session() as s:
                me = peers.local_site(s)
                self.site_id, self.site_name, central = me.id, me.name, me.is_central
                initialized = s.get(SiteKey, me.id) is not None
        finally:
            first.close()
        if not initialized or not central:
            raise SyncError(
                _(
                    "Basis data ini bukan kantor pusat yang sudah diinisialisasi; jalankan 'kinerja --db URL "
                    "site init --code KODE --name NAMA --central' lebih dulu."
                )
            )
        url = _engine_url(config.db_url)
        kw = {"pool_pre_ping": True}
        if url.get_backend_name() == "postgresql":
            kw.update(pool_size=self.config.pool_size, max_overflow=self.config.pool_size, pool_timeout=20)
        engine = create_engine(url, **kw)
        if url.get_backend_name() == "sqlite":
            event.listen(engine, "connect", sqlite_pragmas)
        self.db = Database(engine, None)
        self.db.load_clock()
        # Imports run at REPEATABLE READ: a row changed by a concurrent import makes this one
        # fail with a serialization error and start again (never an older version over a newer).
        iso = "REPEATABLE READ" if self.db.engine.dialect.name == "postgresql" else None
        self.import_db = Database(engine.execution_options(isolation_level=iso) if iso else engine, None)
        self.import_db.clock = self.db.clock
        self.keys: SiteKeys = load_keys(self.site_id, self.config.keys_dir)
        self.locks = ServerLocks(engine)
        self.uploads = UploadStore(
            self.config.work_dir / "uploads",
            max_upload=self.config.max_upload_bytes,
            max_open=self.config.max_open_uploads,
            keep_days=self.config.keep_days,
        )
        self.downstream = DownstreamStore(self.config.work_dir / "downloads", keep_days=self.config.keep_days)
        self.nonces = NonceCache(self.config.replay_window_s)
        self.import_slots = threading.BoundedSemaphore(self.config.max_concurrent_imports)
        self.started = time.time()

    def close(self) -> None:
        self.db.close()

    # -- health ---------------------------------------------------------------------------------
    def health(self) -> dict:
        try:
            with self.db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            database = "ok"
        except Exception as exc:
            if not database_unavailable(exc):
                log.exception("health check")
            database = "unavailable"
        return {
            "status": "ok" if database == "ok" else "degraded",
            "database": database,
            "site_id": self.site_id,
            "name": self.site_name,
            "server_time": int(time.time()),
            "max_upload_bytes": self.config.max_upload_bytes,
            "max_chunk_bytes": self.config.max_chunk_bytes,
            "api_version": 1,
        }

    # -- who is asking --------------------------------------------------------------------------
    def authenticate(self, method: str, target: str, headers, body: bytes) -> str:
        """The enrolled, not revoked site that signed this request (or an :class:`ApiError`)."""
        site = headers.get(signing.HEADER_SITE, "")
        ts_text = headers.get(signing.HEADER_TIMESTAMP, "")
        nonce = headers.get(signing.HEADER_NONCE, "")
        sig = headers.get(signing.HEADER_SIGNATURE, "")
        if not (site and ts_text and nonce and sig):
            raise ApiError(401, "unauthenticated", _("Permintaan ini tidak ditandatangani situs yang terdaftar."))
        if not signing.SITE.match(site) or not signing.NONCE.match(nonce) or not ts_text.isdigit() or len(ts_text) > 12:
            raise ApiError(401, "bad_signature_headers", _("Kepala tanda tangan permintaan ini tidak sah."))
        try:
            with self.db.session() as s:
                row = s.get(Site, site)
                key = s.get(SiteKey, site)
                revoked = bool(row.revoked) if row is not None else False
                known = row is not None and key is not None and not row.is_local
                sign_key = key.sign_key if key is not None else ""
        except Exception as exc:
            if database_unavailable(exc):
                raise unavailable() from None
            raise
        if not known:
            raise ApiError(
                403,
                "unknown_site",
                _(
                    "Situs {site} tidak terdaftar di kantor pusat; daftarkan lewat bundel pendaftaran lebih dulu."
                ).format(site=site),
            )
        if revoked:
            raise ApiError(403, "revoked_site", _("Situs {site} sudah dicabut oleh kantor pusat.").format(site=site))
        now = time.time()
        ts = int(ts_text)
        if abs(now - ts) > self.config.replay_window_s:
            raise ApiError(
                401,
                "clock_skew",
                _("Jam komputer ini berbeda lebih dari {m} menit dari jam server; periksa tanggal dan jam.").format(
                    m=self.config.replay_window_s // 60
                ),
                server_time=int(now),
            )
        if not signing.check_signature(sign_key, method, target, ts, nonce, body, sig):
            raise ApiError(
                401,
                "bad_signature",
                _("Tanda tangan permintaan tidak cocok dengan kunci situs {site} yang terdaftar.").format(site=site),
            )
        if not self.nonces.add(site, nonce, now):
            raise ApiError(401, "replayed", _("Permintaan ini sudah pernah diterima (diulang); kirim permintaan baru."))
        return site

    # -- applying a bundle ----------------------------------------------------------------------
    def peek(self, data: bytes) -> Peek:
        """Who sent a bundle and what it is, before the full check (the importer verifies everything)."""
        try:
            plain = decrypt(data, self.keys.identity)
            with zipfile.ZipFile(io.BytesIO(plain)) as zf:
                info = zf.getinfo(mf.MANIFEST_FILE)
                if info.file_size > mf.MAX_MANIFEST_BYTES:
                    raise ValueError("manifest too large")
                m = mf.parse_header(zf.read(mf.MANIFEST_FILE))
        except BundleRefused as exc:
            raise ApiError(422, "bundle_refused", exc.message) from None
        except Exception:  # anything unreadable is a damaged bundle
            raise ApiError(
                422, "bundle_refused", _("Bundel ini rusak atau bukan bundel Kinerja; tidak diterapkan.")
            ) from None
        fields = [m.get(k) for k in ("source_site", "target_site", "kind", "bundle_id")]
        if not all(isinstance(v, str) for v in fields):
            raise ApiError(422, "bundle_refused", _("Bundel ini rusak atau bukan bundel Kinerja; tidak diterapkan."))
        return Peek(*fields)

    def apply(self, site_id: str, data: bytes, *, kinds: tuple[str, ...] | None = None) -> ImportResult:
        """Apply a bundle uploaded by ``site_id``: once, in its own transaction, never alongside
        another bundle of the same office."""
        p = self.peek(data)
        if p.source_site != site_id:
            raise ApiError(
                403,
                "not_your_bundle",
                _("Bundel ini dibuat situs {source}, bukan situs {site} yang mengirimnya.").format(
                    source=p.source_site[:64], site=site_id
                ),
            )
        if kinds is not None and p.kind not in kinds:
            raise ApiError(422, "wrong_kind", _("Bundel jenis {kind} tidak diterima di sini.").format(kind=p.kind[:20]))
        with self.locks.queued(site_id), self.import_slots:
            try:
                with self.locks.importing(site_id):
                    return self._import_with_retries(data)
            except (ApiError, BundleRefused):
                raise
            except Exception as exc:
                if database_unavailable(exc):
                    raise unavailable() from None
                raise

    def _import_with_retries(self, data: bytes) -> ImportResult:
        for attempt in range(IMPORT_ATTEMPTS):
            try:
                return import_bundle(
                    self.import_db, data, keys_dir=self.config.keys_dir, blobs_dir=self.config.blobs_dir
                )
            except SyncError as exc:
                if retryable(exc) and attempt + 1 < IMPORT_ATTEMPTS:
                    log.info("import clashed with a concurrent one (attempt %d): %s", attempt + 1, exc.message)
                    time.sleep(0.05 * 2**attempt)
                    continue
                if database_unavailable(exc):
                    raise unavailable() from None
                if isinstance(exc, BundleRefused):
                    raise
                raise ApiError(409 if retryable(exc) else 422, "not_applied", exc.message) from None
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def result_dict(r: ImportResult) -> dict:
        stats = r.stats
        return {
            "status": r.status,
            "bundle_id": r.bundle_id,
            "kind": r.kind,
            "source_site": r.source_site,
            "message": r.message,
            "counts": r.counts,
            "applied": stats.total_applied if stats else 0,
            "skipped": stats.skipped if stats else 0,
            "conflicts": stats.conflicts if stats else 0,
        }

    # -- uploads --------------------------------------------------------------------------------
    def upload_status(self, up: Upload) -> dict:
        offset = up.size if up.state in (APPLIED, DUPLICATE, APPLYING) else self.uploads.offset(up.upload_id)
        out = {
            "upload_id": up.upload_id,
            "size": up.size,
            "sha256": up.sha256,
            "offset": offset,
            "state": up.state,
            "max_chunk_bytes": self.config.max_chunk_bytes,
        }
        if up.state in DONE:
            out["result"] = up.result
            out["ack"] = {"size": up.ack_size, "sha256": up.ack_sha256} if up.ack_size else None
        return out

    def finish_upload(self, site_id: str, upload_id: str) -> dict:
        lock = self.uploads.lock(upload_id)
        with lock:
            up = self.uploads.get(upload_id, site_id)
            if up.state == REFUSED:
                raise ApiError(422, "bundle_refused", up.result.get("message", ""), upload=self.upload_status(up))
            if up.state in DONE:
                return self.upload_status(up)
            data = self.uploads.read_complete(up)
            try:
                result = self.apply(site_id, data)
            except BundleRefused as exc:
                self.uploads.set_state(up, REFUSED, {"status": "refused", "message": exc.message})
                raise ApiError(422, "bundle_refused", exc.message, upload=self.upload_status(up)) from None
            except ApiError as exc:
                if exc.status in (403, 422) and exc.code in ("not_your_bundle", "bundle_refused", "wrong_kind"):
                    self.uploads.set_state(up, REFUSED, {"status": "refused", "message": exc.message})
                raise
            state = APPLIED if result.status == "applied" else DUPLICATE
            self.uploads.set_state(up, state, self.result_dict(result), ack=result.ack)
            log.info("bundle %s from %s: %s", result.bundle_id, site_id, result.status)
            return self.upload_status(up)

    # -- downstream -----------------------------------------------------------------------------
    def prepare_downstream(self, site_id: str) -> dict | None:
        try:
            if not has_pending(self.db, site_id):
                return None
            result = export_gated(
                self.db, site_id, self.locks, keys_dir=self.config.keys_dir, blobs_dir=self.config.blobs_dir
            )
        except SyncError as exc:
            if database_unavailable(exc):
                raise unavailable() from None
            raise ApiError(409, "export_failed", exc.message) from None
        except Exception as exc:
            if database_unavailable(exc):
                raise unavailable() from None
            raise
        return self.downstream.save(site_id, result)


__all__ = ["ServerState", "ApiError", "RECEIVING"]
