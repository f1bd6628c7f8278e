"""Writing a bundle: ZIP (manifest.json, manifest.sig, changes.jsonl, blobs/<sha256>),
encrypted with age to the target site, written atomically (temporary file, fsync, rename).
"""

from __future__ import annotations

import hashlib
import io
import os
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pyrage
from pyrage import x25519

from kinerja_desktop import files
from kinerja_desktop.sync import manifest as mf
from kinerja_desktop.sync.keys import SiteKeys

#: Deflate level: 1 is several times faster than 6 and the changes compress nearly as well.
COMPRESS_LEVEL = 1


@dataclass
class BundleContent:
    kind: str
    source_site: str
    target_site: str
    created_hlc: str
    seq_from: int = 0
    seq_to: int = 0
    acks: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    #: The ``changes.jsonl`` bytes (one JSON object per line).
    changes: bytes = b""
    blobs: dict[str, bytes] = field(default_factory=dict)
    extra: dict | None = None


def _file_entry(path: str, data: bytes) -> dict:
    return {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def pack(content: BundleContent, keys: SiteKeys, bundle_id: str | None = None) -> tuple[dict, bytes]:
    """The signed ZIP (not yet encrypted) and its manifest."""
    bundle_id = bundle_id or str(uuid.uuid4())
    files = [_file_entry(mf.CHANGES_FILE, content.changes)]
    for sha in sorted(content.blobs):
        files.append(_file_entry(mf.BLOB_PREFIX + sha, content.blobs[sha]))
    manifest = mf.build(
        bundle_id=bundle_id,
        kind=content.kind,
        source_site=content.source_site,
        target_site=content.target_site,
        created_hlc=content.created_hlc,
        seq_from=content.seq_from,
        seq_to=content.seq_to,
        acks=content.acks,
        counts=content.counts,
        files=files,
        extra=content.extra,
    )
    raw = mf.dumps(manifest)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as zf:
        zf.writestr(mf.MANIFEST_FILE, raw)
        zf.writestr(mf.SIGNATURE_FILE, keys.sign(raw))
        zf.writestr(mf.CHANGES_FILE, content.changes)
        for sha in sorted(content.blobs):
            zf.writestr(mf.BLOB_PREFIX + sha, content.blobs[sha])
    return manifest, buf.getvalue()


def seal(plain: bytes, recipient: str) -> bytes:
    """Encrypt the ZIP with age to the target site's X25519 recipient."""
    return pyrage.encrypt(plain, [x25519.Recipient.from_str(recipient)])


def build_bundle(
    content: BundleContent, keys: SiteKeys, recipient: str, bundle_id: str | None = None
) -> tuple[dict, bytes]:
    """(manifest, encrypted bundle bytes)."""
    manifest, plain = pack(content, keys, bundle_id)
    return manifest, seal(plain, recipient)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` so that a reader sees the old file or the whole new one."""
    return files.write_atomic(path, data)
    return path
