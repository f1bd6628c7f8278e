"""Files that arrive by sync pass the checks files added here pass, or are refused with a reason.

A row of a synced table names its attachment by a ``sha256`` / ``<x>_sha256`` column
(``sync.tables.BLOB_COLUMN``), its file name by ``file_name`` / ``<x>_name`` and its media
type by ``media_type`` / ``<x>_media_type`` (the convention of evidence files and training
certificates). Before a bundle is applied, :func:`screen` holds every such row and its
bytes to :func:`services.evidence.check_bytes` (name without control or bidi characters,
extension on the allow-list, media type matching, size, magic bytes). A refused row is
not applied (the sync records it as a conflict with the reason) and its bytes are never
stored; bytes no accepted row names are dropped unless their content is an allowed type.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from kinerja_desktop.services.documents.evidence import (
    EvidenceRefused,
    blob_path,
    check_bytes,
    check_name,
    kind_of_content,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefusedFile:
    table: str
    change: dict  # the incoming change (``{"table", "id", "hlc", "row", ...}``)
    reason: str  # one sentence


def _companions(column: str) -> tuple[str, str]:
    """(file name column, media type column) of a blob column, by the naming convention."""
    if column == "sha256":
        return "file_name", "media_type"
    prefix = column[: -len("sha256")]
    return f"{prefix}name", f"{prefix}media_type"


def _check_row(row: dict, column: str, blobs: dict[str, bytes], blobs_dir) -> None:
    sha = row.get(column)
    if sha is None:
        return
    name_col, media_col = _companions(column)
    name = row.get(name_col)
    media = row.get(media_col)
    data = blobs.get(sha)
    if data is not None and hashlib.sha256(data).hexdigest() != sha:
        raise EvidenceRefused("the bytes do not match their SHA-256")
    if name is None:  # a table without a name column: the content alone decides
        if data is not None and kind_of_content(data) is None:
            raise EvidenceRefused("content of a type that is not accepted")
        return
    if data is None:
        check_name(str(name))
        if not (blob_path(sha) if blobs_dir is None else blobs_dir / sha[:2] / sha).exists():
            return  # the bytes come later (or never): the row alone is harmless once its name is checked
        data = (blob_path(sha) if blobs_dir is None else blobs_dir / sha[:2] / sha).read_bytes()
    check_bytes(str(name), data, str(media) if media is not None else None)


def screen(
    schema, changes: list[dict], blobs: dict[str, bytes], blobs_dir=None
) -> tuple[list[dict], dict[str, bytes], list[RefusedFile]]:
    """(changes to apply, blobs to store, refused rows) of a received bundle."""
    columns = {info.name: info.blob_columns for info in schema if info.blob_columns}
    kept: list[dict] = []
    refused: list[RefusedFile] = []
    wanted: set[str] = set()
    unwanted: set[str] = set()
    for change in changes:
        cols = columns.get(change.get("table"))
        row = change.get("row") or {}
        if not cols or change.get("deleted"):
            kept.append(change)
            continue
        try:
            for column in cols:
                if row.get(column):
                    _check_row(row, column, blobs, blobs_dir)
        except EvidenceRefused as exc:
            refused.append(RefusedFile(change["table"], change, exc.message))
            unwanted.update(row[c] for c in cols if row.get(c))
            continue
        kept.append(change)
        wanted.update(row[c] for c in cols if row.get(c))
    stored = {}
    for sha, data in blobs.items():
        if sha in wanted or (sha not in unwanted and kind_of_content(data) is not None):
            stored[sha] = data
        elif sha not in unwanted:  # the refused rows are reported as conflicts already
            log.warning("a received attachment of a type that is not accepted was not stored (%s)", sha[:12])
    return kept, stored, refused
