"""Resumable uploads on disk: ``<work>/uploads/<upload id>/{meta.json,data.bin,ack.kinerja}``.

An upload is created with its total size and sha256, filled by chunks written at the
confirmed offset (the size of ``data.bin`` after an fsync), and finished once: the server
checks the sha256 and applies the bundle. The result and the acknowledgement bundle are
kept, so asking again (the answer was lost on the way) gives the same answer and never
applies anything twice. A chunk is written only when its whole body arrived.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kinerja_desktop.i18n import _
from kinerja_desktop.sync.bundle_writer import write_atomic
from kinerja_desktop.sync.server.errors import ApiError

UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")
RECEIVING, APPLYING, APPLIED, DUPLICATE, REFUSED = "receiving", "applying", "applied", "duplicate", "refused"
DONE = (APPLIED, DUPLICATE, REFUSED)


@dataclass
class Upload:
    upload_id: str
    site_id: str
    size: int
    sha256: str
    created: float
    state: str = RECEIVING
    result: dict = field(default_factory=dict)
    ack_size: int = 0
    ack_sha256: str = ""
    updated: float = 0.0


def not_found() -> ApiError:
    return ApiError(
        404, "not_found", _("Unggahan ini tidak ada di server (mungkin sudah dibersihkan); mulai unggahan baru.")
    )


class UploadStore:
    def __init__(self, root: Path, *, max_upload: int, max_open: int, keep_days: int) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.max_upload = max_upload
        self.max_open = max_open
        self.keep_s = keep_days * 86400
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._index: dict[tuple[str, str], str] = {}
        self._open: dict[str, set[str]] = {}
        self._next_expiry = 0.0
        for meta in sorted(self.root.glob("*/meta.json")):
            up = self._load_path(meta)
            if up is not None:
                self._remember(up)

    # -- bookkeeping ------------------------------------------------------------------------------
    def _dir(self, upload_id: str) -> Path:
        return self.root / upload_id

    def _load_path(self, meta: Path) -> Upload | None:
        try:
            d = json.loads(meta.read_text("utf-8"))
            return Upload(**d)
        except (OSError, ValueError, TypeError):
            return None

    def _save(self, up: Upload) -> None:
        up.updated = time.time()
        write_atomic(self._dir(up.upload_id) / "meta.json", json.dumps(asdict(up)).encode("utf-8"))

    def _remember(self, up: Upload) -> None:
        self._index[(up.site_id, up.sha256)] = up.upload_id
        if up.state not in DONE:
            self._open.setdefault(up.site_id, set()).add(up.upload_id)
        else:
            self._open.get(up.site_id, set()).discard(up.upload_id)

    def lock(self, upload_id: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(upload_id, threading.Lock())

    def get(self, upload_id: str, site_id: str) -> Upload:
        """The upload ``upload_id`` of ``site_id`` (another site's upload does not exist for it)."""
        if not UPLOAD_ID.match(upload_id or ""):
            raise not_found()
        up = self._load_path(self._dir(upload_id) / "meta.json")
        if up is None or up.site_id != site_id:
            raise not_found()
        return up

    def data_path(self, upload_id: str) -> Path:
        return self._dir(upload_id) / "data.bin"

    def ack_path(self, upload_id: str) -> Path:
        return self._dir(upload_id) / "ack.kinerja"

    def offset(self, upload_id: str) -> int:
        try:
            return self.data_path(upload_id).stat().st_size
        except FileNotFoundError:
            return 0

    # -- operations -------------------------------------------------------------------------------
    def create(self, site_id: str, size: int, sha256: str) -> tuple[Upload, bool]:
        """A new upload, or the one this site already has for the same bytes (``(upload, existed)``)."""
        if size > self.max_upload:
            raise ApiError(
                413,
                "too_large",
                _("Bundel ini ({size} byte) melebihi batas server ({limit} byte); kirim lewat berkas.").format(
                    size=size, limit=self.max_upload
                ),
                limit=self.max_upload,
            )
        with self._guard:
            if time.time() >= self._next_expiry:  # forget uploads nobody touched for keep_days
                self._next_expiry = time.time() + 3600
                self._expire_locked()
            existing = self._index.get((site_id, sha256))
            if existing is not None:
                up = self._load_path(self._dir(existing) / "meta.json")
                if up is not None and up.site_id == site_id and up.size == size:
                    return up, True
            if len(self._open.get(site_id, ())) >= self.max_open:
                self._expire_locked(site_id)
                if len(self._open.get(site_id, ())) >= self.max_open:
                    raise ApiError(
                        429,
                        "too_many_uploads",
                        _("Situs ini punya terlalu banyak unggahan yang belum selesai; selesaikan dulu yang ada."),
                    )
            up = Upload(uuid.uuid4().hex, site_id, size, sha256, time.time())
            folder = self._dir(up.upload_id)
            folder.mkdir(parents=True)
            self.data_path(up.upload_id).touch()
            self._save(up)
            self._remember(up)
            return up, False

    def write_chunk(self, up: Upload, offset: int, chunk: bytes) -> int:
        """Append ``chunk`` at ``offset`` (must be the confirmed offset); the new confirmed offset."""
        if up.state != RECEIVING:
            raise ApiError(
                409,
                "upload_finished",
                _("Unggahan ini sudah selesai."),
                state=up.state,
                offset=self.offset(up.upload_id),
            )
        current = self.offset(up.upload_id)
        if offset != current:
            raise ApiError(
                409,
                "offset_mismatch",
                _("Potongan ini dimulai di {got}, server sudah menerima sampai {have}; lanjutkan dari {have}.").format(
                    got=offset, have=current
                ),
                offset=current,
            )
        if offset + len(chunk) > up.size:
            raise ApiError(
                413,
                "beyond_size",
                _("Potongan ini melewati ukuran bundel yang dinyatakan ({size} byte).").format(size=up.size),
                offset=current,
            )
        if chunk:
            with open(self.data_path(up.upload_id), "ab") as fh:
                fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
        return self.offset(up.upload_id)

    def read_complete(self, up: Upload) -> bytes:
        """The whole uploaded bundle, checked against the announced sha256 (a mismatch starts over)."""
        have = self.offset(up.upload_id)
        if have != up.size:
            raise ApiError(
                409,
                "incomplete",
                _("Unggahan belum lengkap: {have} dari {size} byte diterima.").format(have=have, size=up.size),
                offset=have,
            )
        data = self.data_path(up.upload_id).read_bytes()
        if hashlib.sha256(data).hexdigest() != up.sha256:
            with open(self.data_path(up.upload_id), "wb"):
                pass
            raise ApiError(
                422,
                "checksum_mismatch",
                _("Isi unggahan tidak cocok dengan sha256 yang dinyatakan; unggah ulang dari awal."),
                offset=0,
            )
        return data

    def set_state(self, up: Upload, state: str, result: dict | None = None, ack: bytes | None = None) -> Upload:
        up.state = state
        if result is not None:
            up.result = result
        if ack is not None:
            write_atomic(self.ack_path(up.upload_id), ack)
            up.ack_size = len(ack)
            up.ack_sha256 = hashlib.sha256(ack).hexdigest()
        self._save(up)
        with self._guard:
            self._remember(up)
        if state in (APPLIED, DUPLICATE):  # the bundle itself is no longer needed
            self.data_path(up.upload_id).unlink(missing_ok=True)
        return up

    def read_ack(self, up: Upload, offset: int, length: int) -> bytes:
        if not up.ack_size:
            raise ApiError(404, "no_ack", _("Unggahan ini tidak punya tanda terima."))
        with open(self.ack_path(up.upload_id), "rb") as fh:
            fh.seek(offset)
            return fh.read(length)

    # -- clean-up ---------------------------------------------------------------------------------
    def _expire_locked(self, site_id: str | None = None) -> None:
        cutoff = time.time() - self.keep_s
        for meta in list(self.root.glob("*/meta.json")):
            up = self._load_path(meta)
            if up is None or (site_id and up.site_id != site_id):
                continue
            if max(up.updated, up.created) < cutoff:
                shutil.rmtree(meta.parent, ignore_errors=True)
                self._index.pop((up.site_id, up.sha256), None)
                self._open.get(up.site_id, set()).discard(up.upload_id)

    def expire(self) -> None:
        with self._guard:
            self._expire_locked()
