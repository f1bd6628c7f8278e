"""Attachments travel with their rows: the bytes under ``blobs/<sha[:2]>/<sha>`` (the layout
of ``services.evidence``), named in a row by a ``sha256`` or ``*_sha256`` column.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from kinerja_desktop import files
from kinerja_desktop.services.documents.evidence import blob_path

log = logging.getLogger(__name__)


def path_of(sha: str, blobs_dir: Path | None = None) -> Path:
    return blob_path(sha) if blobs_dir is None else Path(blobs_dir) / sha[:2] / sha


def read_blob(sha: str, blobs_dir: Path | None = None) -> bytes | None:
    """The bytes with this hash, or ``None`` when this site does not have them (or they rotted)."""
    p = path_of(sha, blobs_dir)
    try:
        data = p.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != sha:
        log.warning("blob %s does not match its hash; not sent", p)
        return None
    return data


def store_blob(sha: str, data: bytes, blobs_dir: Path | None = None) -> None:
    """Keep verified bytes (atomically; content-addressed, so a leftover is harmless)."""
    target = path_of(sha, blobs_dir)
    if target.exists():
        return
    files.write_atomic(target, data, private=True)
