"""An office talking to the central sync server over HTTP (httpx).

``push`` sends what the central office has not acknowledged yet (one bundle, made with the
existing export) in chunks that survive a dropped line: the bundle and the upload id are
kept in the data folder until the server has applied it, so a push interrupted today
resumes tomorrow from the last confirmed chunk. The server's acknowledgement is applied
here. ``pull`` fetches the bundle the server prepares for this office, applies it and
sends the acknowledgement back. Every request is signed with this site's enrolled key
(``sync.server.signing``); failures are retried with exponential backoff, and a chunk that
keeps failing is made smaller.

These are plain functions and generator jobs (``Progress``): the command line runs them
directly, the window in a background thread. Nothing here waits on the UI or touches Qt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

from kinerja_desktop import __version__, paths
from kinerja_desktop.i18n import _
from kinerja_desktop.services.progress import Job, Progress, run
from kinerja_desktop.store.database import Database
from kinerja_desktop.store.sync_models import SentBundle
from kinerja_desktop.sync import peers
from kinerja_desktop.sync.bundle_writer import write_atomic
from kinerja_desktop.sync.errors import NotEnrolled, SyncError
from kinerja_desktop.sync.export import export_bundle
from kinerja_desktop.sync.importer import ImportResult, import_bundle
from kinerja_desktop.sync.keys import SiteKeys, load_keys
from kinerja_desktop.sync.offices import own_unsent_changes, unsent_changes
from kinerja_desktop.sync.server import signing

log = logging.getLogger("kinerja.sync.http")

TRANSIENT_STATUS = (429, 500, 502, 503, 504)


class ServerUnavailable(SyncError):
    """The server could not be reached (or kept failing) after every retry; nothing was lost."""


class ServerRefused(SyncError):
    """The server answered with a refusal (4xx) that retrying will not change."""

    def __init__(self, message: str, status: int = 0, code: str = "", body: dict | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.body = body or {}


class _Transient(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass
class RetryPolicy:
    #: Attempts per request (and failures in a row per transfer) before giving up.
    attempts: int = 8
    base_delay: float = 0.25
    max_delay: float = 30.0
    #: Seconds to connect / wait for an answer (finishing a big upload applies it: give it time).
    connect_timeout: float = 10.0
    read_timeout: float = 300.0
    #: First chunk size; halved after a failure (down to ``min_chunk_bytes``), doubled after successes.
    chunk_bytes: int = 1024 * 1024
    min_chunk_bytes: int = 1024
    sleep: Callable[[float], None] = time.sleep

    def delay(self, failures: int) -> float:
        d = min(self.max_delay, self.base_delay * 2 ** max(0, failures - 1))
        return d * (0.5 + random.random() / 2)


# -- reports --------------------------------------------------------------------------------------
@dataclass
class PushReport:
    status: str  # "nothing", "applied", "duplicate"
    bundle_id: str = ""
    changes: int = 0
    size: int = 0
    #: Bytes the server already had when this push started (a resumed upload).
    resumed_from: int = 0
    applied: int = 0
    conflicts: int = 0
    server_message: str = ""

    @property
    def message(self) -> str:
        if self.status == "nothing":
            return _("Tidak ada perubahan untuk dikirim ke kantor pusat.")
        if self.status == "duplicate":
            return _("Bundel {id} sudah diterima kantor pusat sebelumnya.").format(id=self.bundle_id[:8])
        text = _(
            "Terkirim ke kantor pusat: bundel {id}, {n} perubahan, {size} byte; diterapkan {applied}, konflik "
            "{conflicts}."
        ).format(id=self.bundle_id[:8], n=self.changes, size=self.size, applied=self.applied, conflicts=self.conflicts)
        if self.resumed_from:
            text += " " + _("(melanjutkan unggahan dari byte {n})").format(n=self.resumed_from)
        return text


@dataclass
class PullReport:
    status: str  # "nothing", "applied", "duplicate"
    bundle_id: str = ""
    changes: int = 0
    size: int = 0
    applied: int = 0
    conflicts: int = 0
    ack_sent: bool = False

    @property
    def message(self) -> str:
        if self.status == "nothing":
            return _("Tidak ada data baru dari kantor pusat.")
        if self.status == "duplicate":
            return _("Bundel {id} dari kantor pusat sudah diterima sebelumnya.").format(id=self.bundle_id[:8])
        return _(
            "Diterima dari kantor pusat: bundel {id}, {n} perubahan; diterapkan {applied}, konflik {conflicts}."
        ).format(id=self.bundle_id[:8], n=self.changes, applied=self.applied, conflicts=self.conflicts)


@dataclass
class SyncReport:
    push: PushReport
    pull: PullReport
    finished_at: float = field(default_factory=time.time)

    @property
    def message(self) -> str:
        return self.push.message + " " + self.pull.message


# -- the HTTP client --------------------------------------------------------------------------------
class ServerClient:
    """Signed requests to one server, retried with exponential backoff."""

    def __init__(
        self,
        base_url: str,
        keys: SiteKeys,
        policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.keys = keys
        self.policy = policy or RetryPolicy()
        self.skew = 0.0
        timeout = httpx.Timeout(self.policy.read_timeout, connect=self.policy.connect_timeout)
        self.http = httpx.Client(
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            headers={"User-Agent": f"KinerjaDesktop/{__version__}"},
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> ServerClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _once(
        self, method: str, path: str, params: dict | None, body: bytes, content_type: str | None, signed: bool
    ) -> httpx.Response:
        target = path + ("?" + urlencode(params) if params else "")
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if signed:
            headers.update(signing.sign_request(self.keys, method, target, body, now=time.time() + self.skew))
        try:
            r = self.http.request(method, self.base_url + target, content=body if body else None, headers=headers)
        except httpx.TransportError as exc:
            raise _Transient(type(exc).__name__) from exc
        except httpx.InvalidURL as exc:
            raise SyncError(_("Alamat server {url} tidak sah.").format(url=self.base_url)) from exc
        if r.status_code in TRANSIENT_STATUS:
            retry_after = r.headers.get("retry-after")
            raise _Transient(
                f"HTTP {r.status_code}", float(retry_after) if retry_after and retry_after.isdigit() else None
            )
        return r

    def call(
        self,
        method: str,
        path: str,
        *,
        params: dict | None = None,
        json_body: dict | None = None,
        content: bytes = b"",
        attempts: int | None = None,
        ok: tuple[int, ...] = (200, 201, 204),
        signed: bool = True,
    ) -> httpx.Response:
        """One request; transient failures are retried ``attempts`` times with backoff."""
        body, ctype = content, "application/octet-stream" if content else None
        if json_body is not None:
            body, ctype = json.dumps(json_body).encode("utf-8"), "application/json"
        attempts = attempts or self.policy.attempts
        skew_fixed = False
        failures = 0
        while True:
            try:
                r = self._once(method, path, params, body, ctype, signed)
            except _Transient as t:
                failures += 1
                if failures >= attempts:
                    raise ServerUnavailable(
                        _(
                            "Server sinkronisasi {url} tidak dapat dihubungi ({reason}); data tetap "
                            "aman dan akan dikirim lagi nanti."
                        ).format(url=self.base_url, reason=t.reason)
                    ) from None
                self.policy.sleep(t.retry_after if t.retry_after is not None else self.policy.delay(failures))
                continue
            if r.status_code in ok:
                return r
            body_json = _json(r)
            code = body_json.get("error", "")
            if r.status_code == 401 and code == "clock_skew" and not skew_fixed and "server_time" in body_json:
                self.skew = float(body_json["server_time"]) - time.time()
                skew_fixed = True
                log.warning("this computer's clock differs from the server's by %.0f s", self.skew)
                continue
            message = body_json.get("message") or _("Server menolak permintaan (HTTP {status}).").format(
                status=r.status_code
            )
            raise ServerRefused(message, r.status_code, code, body_json)

    def health(self) -> dict:
        r = self.call("GET", "/v1/health", signed=False, attempts=1, ok=(200, 503))
        return _json(r)


def _json(r: httpx.Response) -> dict:
    try:
        value = r.json()
        return value if isinstance(value, dict) else {}
    except ValueError:
        return {}


def check_server(server_url: str, *, timeout: float = 5.0, transport: httpx.BaseTransport | None = None) -> dict:
    """The server's health (raises :class:`ServerUnavailable` when it does not answer); no key needed."""
    try:
        with httpx.Client(timeout=timeout, transport=transport) as http:
            r = http.get(server_url.rstrip("/") + "/v1/health")
    except httpx.TransportError as exc:
        raise ServerUnavailable(
            _("Server sinkronisasi {url} tidak dapat dihubungi ({reason}).").format(
                url=server_url, reason=type(exc).__name__
            )
        ) from None
    except httpx.InvalidURL:
        raise SyncError(_("Alamat server {url} tidak sah.").format(url=server_url)) from None
    data = _json(r)
    if r.status_code not in (200, 503) or data.get("api_version") != 1:
        raise ServerUnavailable(_("Alamat {url} bukan server sinkronisasi Kinerja.").format(url=server_url))
    return data


# -- local state: what is on its way ----------------------------------------------------------------
class Outbox:
    """``<data>/sync-http/``: the bundle being uploaded (with its upload id) and an unsent ack."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    @property
    def bundle_path(self) -> Path:
        return self.folder / "outgoing.kinerja"

    @property
    def meta_path(self) -> Path:
        return self.folder / "outgoing.json"

    @property
    def ack_path(self) -> Path:
        return self.folder / "ack.kinerja"

    def pending(self) -> tuple[bytes, dict] | None:
        try:
            meta = json.loads(self.meta_path.read_text("utf-8"))
            data = self.bundle_path.read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            self.clear()
            return None
        return data, meta

    def save(self, data: bytes, meta: dict) -> None:
        write_atomic(self.bundle_path, data)
        self.save_meta(meta)

    def save_meta(self, meta: dict) -> None:
        write_atomic(self.meta_path, json.dumps(meta).encode("utf-8"))

    def clear(self) -> None:
        self.meta_path.unlink(missing_ok=True)
        self.bundle_path.unlink(missing_ok=True)

    def pending_ack(self) -> bytes | None:
        try:
            return self.ack_path.read_bytes()
        except OSError:
            return None


_running: dict[str, threading.Lock] = {}
_running_guard = threading.Lock()


def _exclusive(folder: Path) -> threading.Lock:
    with _running_guard:
        return _running.setdefault(str(Path(folder).resolve()), threading.Lock())


# -- helpers ----------------------------------------------------------------------------------------
def default_state_dir() -> Path:
    return paths.locations().data / "sync-http"


def resolve_server_url(db: Database, server_url: str | None = None) -> str:
    """``server_url``, or the one the enrollment (or the settings) recorded."""
    url = (server_url or "").strip()
    if not url:
        with db.session() as s:
            url = peers.server_url(s).strip()
    if not url:
        raise SyncError(
            _("Alamat server sinkronisasi belum diatur; isi di Pengaturan atau sebutkan dengan --server URL.")
        )
    if not url.startswith(("http://", "https://")):
        raise SyncError(_("Alamat server {url} harus diawali http:// atau https://.").format(url=url))
    return url.rstrip("/")


def _central(db: Database) -> str:
    with db.session() as s:
        me = peers.local_site(s)
        if me.is_central:
            raise SyncError(_("Kantor pusat tidak mengirim ke server; server itu sendiri adalah kantor pusat."))
        return peers.require_target(s, None).id


def _download(client: ServerClient, path: str, size: int, sha256: str, label: str) -> Job[bytes]:
    """Fetch ``size`` bytes in pieces (smaller after each failure), checked against ``sha256``."""
    policy = client.policy
    buf = bytearray()
    length = policy.chunk_bytes
    failures = good = 0
    while len(buf) < size:
        try:
            r = client.call(
                "GET", path, params={"offset": len(buf), "length": min(length, size - len(buf))}, attempts=1
            )
        except ServerUnavailable:
            failures += 1
            good = 0
            if failures >= policy.attempts:
                raise
            length = max(policy.min_chunk_bytes, length // 2)
            policy.sleep(policy.delay(failures))
            continue
        if not r.content:
            raise ServerRefused(_("Server mengirim {label} yang terpotong; coba lagi.").format(label=label))
        buf += r.content
        failures = 0
        good += 1
        if good >= 4 and length < policy.chunk_bytes:
            length, good = length * 2, 0
        yield Progress(len(buf), size, _("Mengunduh {label}").format(label=label))
    data = bytes(buf[:size])
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ServerRefused(
            _("{label} yang diunduh tidak cocok dengan sha256 dari server; coba lagi.").format(label=label)
        )
    return data


def _upload(client: ServerClient, outbox: Outbox, data: bytes, meta: dict) -> Job[tuple[dict, int]]:
    """Upload ``data`` (resuming where the server stopped); the finished upload's status and the
    offset the server already had."""
    policy = client.policy
    size, sha = len(data), meta["sha256"]
    for _round in range(3):  # a checksum mismatch at the end starts the upload over (at most twice)
        st = client.call("POST", "/v1/uploads", json_body={"size": size, "sha256": sha}).json()
        upload_id = st["upload_id"]
        if meta.get("upload_id") != upload_id:
            meta["upload_id"] = upload_id
            outbox.save_meta(meta)
        offset = resumed = int(st["offset"]) if st["state"] == "receiving" else size
        chunk = max(policy.min_chunk_bytes, min(policy.chunk_bytes, int(st.get("max_chunk_bytes") or size)))
        largest = chunk
        failures = good = 0
        yield Progress(offset, size, _("Mengunggah"))
        while offset < size:
            piece = data[offset : offset + chunk]
            try:
                r = client.call("PUT", f"/v1/uploads/{upload_id}", params={"offset": offset}, content=piece, attempts=1)
                offset = int(r.json()["offset"])
                failures = 0
                good += 1
                if good >= 4 and chunk < largest:
                    chunk, good = min(largest, chunk * 2), 0
            except ServerRefused as exc:
                if exc.status == 409 and "offset" in exc.body:
                    offset = int(exc.body["offset"])
                    if exc.code == "upload_finished":
                        break
                    continue
                raise
            except ServerUnavailable:
                failures += 1
                good = 0
                if failures >= policy.attempts:
                    raise
                chunk = max(policy.min_chunk_bytes, chunk // 2)
                policy.sleep(policy.delay(failures))
                st = client.call("GET", f"/v1/uploads/{upload_id}").json()
                if st["state"] != "receiving":
                    break
                offset = int(st["offset"])
            yield Progress(offset, size, _("Mengunggah"))
        yield Progress(size, size, _("Kantor pusat menerapkan bundel"))
        try:
            return client.call("POST", f"/v1/uploads/{upload_id}/finish").json(), resumed
        except ServerRefused as exc:
            if exc.code == "checksum_mismatch" or exc.code == "incomplete":
                continue
            raise
    raise ServerRefused(_("Unggahan ke server berkali-kali rusak di jalan; coba lagi nanti."))


def _send_ack(client: ServerClient, outbox: Outbox) -> bool:
    ack = outbox.pending_ack()
    if ack is None:
        return False
    try:
        client.call("POST", "/v1/acks", content=ack)
    except ServerRefused as exc:
        if exc.status not in (401, 403):  # a refused ack is dropped: the next bundle carries the acks again
            log.warning("ack refused by the server: %s", exc.message)
            outbox.ack_path.unlink(missing_ok=True)
        raise
    outbox.ack_path.unlink(missing_ok=True)
    return True


# -- the jobs ---------------------------------------------------------------------------------------
@contextmanager
def _server_session(db: Database, url: str, keys_dir, state_dir, policy, transport):
    """(client, outbox) for one push or pull: one at a time per office, and an ack still
    waiting from an earlier sync is sent first."""
    outbox = Outbox(state_dir or default_state_dir())
    lock = _exclusive(outbox.folder)
    if not lock.acquire(blocking=False):
        raise SyncError(_("Sinkronisasi dengan server sedang berjalan; tunggu sampai selesai."))
    try:
        keys = load_keys(db.site_id, keys_dir)
        with ServerClient(url, keys, policy, transport) as client:
            if outbox.pending_ack() is not None:
                try:
                    _send_ack(client, outbox)
                except ServerRefused:
                    pass
            yield client, outbox
    finally:
        lock.release()


def _forget_sent(db: Database, bundle_id: str | None) -> None:
    """A bundle the central office refused was never sent: it leaves the history of sent bundles."""

    if not bundle_id:
        return
    with db.transaction() as s:
        sent = s.get(SentBundle, bundle_id)
        if sent is not None:
            s.delete(sent)


def push_job(
    db: Database,
    server_url: str | None = None,
    *,
    keys_dir: Path | None = None,
    blobs_dir: Path | None = None,
    state_dir: Path | None = None,
    policy: RetryPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Job[PushReport]:
    """Send this office's unacknowledged changes to the server; yields progress."""
    db.refresh_identity()  # identity, keys and server address as stored now, not as at start
    url = resolve_server_url(db, server_url)
    central = _central(db)
    with _server_session(db, url, keys_dir, state_dir, policy, transport) as (client, outbox):
        pending = outbox.pending()
        if pending is None:
            with db.session() as s:
                if own_unsent_changes(s, db.site_id, central) == 0:
                    return PushReport("nothing")
            yield Progress(0, None, _("Menyiapkan bundel"))
            result = export_bundle(db, central, keys_dir=keys_dir, blobs_dir=blobs_dir)
            meta = {
                "bundle_id": result.bundle_id,
                "sha256": hashlib.sha256(result.data).hexdigest(),
                "size": result.size,
                "changes": result.total,
                "server": url,
            }
            outbox.save(result.data, meta)
            data = result.data
        else:
            data, meta = pending
        try:
            st, resumed = yield from _upload(client, outbox, data, meta)
        except ServerRefused as exc:
            if exc.code in ("bundle_refused", "not_your_bundle", "wrong_kind", "too_large"):
                outbox.clear()  # this bundle will never be accepted; the next push exports a fresh one
                _forget_sent(db, meta.get("bundle_id"))
            raise
        res = st.get("result") or {}
        ack = st.get("ack")
        if ack:
            ack_bytes = yield from _download(
                client, f"/v1/uploads/{st['upload_id']}/ack", int(ack["size"]), ack["sha256"], _("tanda terima")
            )
            import_bundle(db, ack_bytes, keys_dir=keys_dir, blobs_dir=blobs_dir)
        outbox.clear()
        status = "duplicate" if st.get("state") == "duplicate" else "applied"
        return PushReport(
            status,
            meta["bundle_id"],
            int(meta.get("changes", 0)),
            len(data),
            resumed,
            int(res.get("applied", 0)),
            int(res.get("conflicts", 0)),
            str(res.get("message", "")),
        )


def pull_job(
    db: Database,
    server_url: str | None = None,
    *,
    keys_dir: Path | None = None,
    blobs_dir: Path | None = None,
    state_dir: Path | None = None,
    policy: RetryPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Job[PullReport]:
    """Fetch and apply what the central office has for this office; send the ack back."""
    db.refresh_identity()  # identity, keys and server address as stored now, not as at start
    url = resolve_server_url(db, server_url)
    _central(db)
    with _server_session(db, url, keys_dir, state_dir, policy, transport) as (client, outbox):
        yield Progress(0, None, _("Menanyakan data baru ke kantor pusat"))
        r = client.call("POST", "/v1/downstream")
        if r.status_code == 204:
            return PullReport("nothing")
        info = r.json()
        data = yield from _download(
            client, f"/v1/downstream/{info['bundle_id']}", int(info["size"]), info["sha256"], _("bundel")
        )
        yield Progress(0, None, _("Menerapkan bundel dari kantor pusat"))
        result: ImportResult = import_bundle(db, data, keys_dir=keys_dir, blobs_dir=blobs_dir)
        report = PullReport(
            result.status,
            result.bundle_id,
            sum(result.counts.values()),
            len(data),
            result.stats.total_applied if result.stats else 0,
            result.stats.conflicts if result.stats else 0,
        )
        if result.ack is not None:
            write_atomic(outbox.ack_path, result.ack)
            try:
                report.ack_sent = _send_ack(client, outbox)
            except (ServerUnavailable, ServerRefused) as exc:  # kept: sent with the next sync
                log.info("ack not sent yet: %s", exc.message)
        return report


def sync_job(db: Database, server_url: str | None = None, **kw) -> Job[SyncReport]:
    """Push, then pull: what "Sinkronkan sekarang" and the automatic sync do."""
    pushed = yield from push_job(db, server_url, **kw)
    pulled = yield from pull_job(db, server_url, **kw)
    return SyncReport(pushed, pulled)


def push(db: Database, server_url: str | None = None, **kw) -> PushReport:
    return run(push_job(db, server_url, **kw))


def pull(db: Database, server_url: str | None = None, **kw) -> PullReport:
    return run(pull_job(db, server_url, **kw))


def sync(db: Database, server_url: str | None = None, **kw) -> SyncReport:
    return run(sync_job(db, server_url, **kw))


__all__ = [
    "push",
    "pull",
    "sync",
    "push_job",
    "pull_job",
    "sync_job",
    "check_server",
    "PushReport",
    "PullReport",
    "SyncReport",
    "RetryPolicy",
    "ServerUnavailable",
    "ServerRefused",
    "NotEnrolled",
    "unsent_changes",
    "own_unsent_changes",
]
