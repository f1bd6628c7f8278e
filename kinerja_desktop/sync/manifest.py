"""The bundle manifest (``manifest.json``): what a bundle holds and where it goes.

The Ed25519 signature in ``manifest.sig`` covers the exact bytes of ``manifest.json``;
the manifest lists the sha256 and size of every other file, so the signature covers all.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import lru_cache

from kinerja_desktop import __version__
from kinerja_desktop.i18n import _
from kinerja_desktop.store import migrate
from kinerja_desktop.store.hlc import Timestamp
from kinerja_desktop.sync.errors import BundleRefused

FORMAT = "kinerja-bundle"
FORMAT_VERSION = 1
KINDS = ("changes", "ack", "enrollment", "snapshot")
CHANGES_FILE = "changes.jsonl"
MANIFEST_FILE = "manifest.json"
SIGNATURE_FILE = "manifest.sig"
BLOB_PREFIX = "blobs/"
HEX64 = re.compile(r"^[0-9a-f]{64}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MAX_MANIFEST_BYTES = 16 * 1024 * 1024


@lru_cache(maxsize=1)
def schema_version() -> str:
    """This program's schema (Alembic heads); read once, the migration scripts do not change at run time."""
    return migrate.head_revision()


@lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    return frozenset(migrate.known_revisions())


def build(
    *,
    bundle_id: str,
    kind: str,
    source_site: str,
    target_site: str,
    created_hlc: str,
    seq_from: int,
    seq_to: int,
    acks: dict[str, int],
    counts: dict[str, int],
    files: list[dict],
    extra: dict | None = None,
) -> dict:
    m = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": schema_version(),
        "bundle_id": bundle_id,
        "kind": kind,
        "source_site": source_site,
        "target_site": target_site,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "created_hlc": created_hlc,
        "seq_from": seq_from,
        "seq_to": seq_to,
        "acks": acks,
        "counts": counts,
        "files": files,
        "app_version": __version__,
    }
    if extra:
        m.update(extra)
    return m


def dumps(manifest: dict) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def _refuse_damaged(detail: str) -> BundleRefused:
    return BundleRefused(
        _("Bundel ini rusak atau bukan bundel Kinerja ({detail}); berkas tidak diubah.").format(detail=detail)
    )


def parse_header(raw: bytes) -> dict:
    """Parse the manifest and check what can be checked before the signature."""
    if len(raw) > MAX_MANIFEST_BYTES:
        raise _refuse_damaged("manifest.json")
    try:
        m = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _refuse_damaged("manifest.json") from None
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise _refuse_damaged("format")
    version = m.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _refuse_damaged("format_version")
    if version > FORMAT_VERSION:
        raise BundleRefused(
            _(
                "Bundel ini dibuat dengan format versi {v} oleh program yang lebih baru; perbarui Kinerja Desktop "
                "lalu impor lagi."
            ).format(v=version)
        )
    return m


def validate(m: dict) -> None:  # noqa: C901 (long: one type check per manifest field, in the format's order)
    """Type-check every field (after the signature: a signed but malformed manifest is refused)."""

    def need(key, types):
        value = m.get(key)
        if not isinstance(value, types) or isinstance(value, bool):
            raise _refuse_damaged(key)
        return value

    for key in (
        "schema_version",
        "bundle_id",
        "kind",
        "source_site",
        "target_site",
        "created_at",
        "created_hlc",
        "app_version",
    ):
        need(key, str)
    if not UUID.match(m["bundle_id"]):
        raise _refuse_damaged("bundle_id")
    if m["kind"] not in KINDS:
        raise _refuse_damaged("kind")
    try:
        Timestamp.parse(m["created_hlc"])
    except ValueError:
        raise _refuse_damaged("created_hlc") from None
    for key in ("seq_from", "seq_to"):
        if need(key, int) < 0:
            raise _refuse_damaged(key)
    for key in ("acks", "counts"):
        d = need(key, dict)
        for k, v in d.items():
            if not isinstance(k, str) or not isinstance(v, int) or isinstance(v, bool) or v < 0:
                raise _refuse_damaged(key)
    files = need("files", list)
    seen = set()
    for f in files:
        if not isinstance(f, dict):
            raise _refuse_damaged("files")
        path, sha, size = f.get("path"), f.get("sha256"), f.get("size")
        if not isinstance(path, str) or not isinstance(sha, str) or not HEX64.match(sha):
            raise _refuse_damaged("files")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise _refuse_damaged("files")
        if path != CHANGES_FILE and not (path.startswith(BLOB_PREFIX) and path[len(BLOB_PREFIX) :] == sha):
            raise _refuse_damaged("files")
        if path in seen:
            raise _refuse_damaged("files")
        seen.add(path)
    if CHANGES_FILE not in seen:
        raise _refuse_damaged(CHANGES_FILE)
