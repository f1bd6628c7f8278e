"""Settings of the central sync server (``kinerja central serve``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kinerja_desktop import paths

MB = 1024 * 1024


@dataclass
class ServerConfig:
    #: The central database (``postgresql://USER@HOST/DB``; a SQLite path works for trying it out).
    db_url: str
    #: Where uploads and prepared downstream bundles are kept (``<data>/server``).
    work_dir: Path | None = None
    #: The central site's private keys (``<data>/keys``) and attachments (``<data>/blobs``).
    keys_dir: Path | None = None
    blobs_dir: Path | None = None
    #: Largest bundle an office may upload, and largest piece of it in one request.
    max_upload_bytes: int = 200 * MB
    max_chunk_bytes: int = 8 * MB
    #: Largest acknowledgement bundle (sent in one request).
    max_ack_bytes: int = 1 * MB
    #: Unfinished uploads one site may have at once.
    max_open_uploads: int = 8
    #: Accepted difference between the office's clock and the server's, in seconds.
    replay_window_s: int = 300
    #: Bundles applied at the same time (each in its own transaction); more wait their turn.
    max_concurrent_imports: int = 4
    #: Database connections kept open (each running import uses two: its transaction and its locks).
    pool_size: int = 12
    #: Days an upload or a prepared bundle is kept on disk after its last use.
    keep_days: int = 7

    def resolved(self) -> ServerConfig:
        loc = paths.locations()
        self.work_dir = Path(self.work_dir) if self.work_dir else loc.data / "server"
        self.keys_dir = Path(self.keys_dir) if self.keys_dir else loc.keys
        self.blobs_dir = Path(self.blobs_dir) if self.blobs_dir else loc.blobs
        return self
