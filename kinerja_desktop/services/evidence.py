"""Evidence files (bukti dukung): PDF, JPG, PNG, DOCX, XLSX up to 20 MB each.

A file is accepted only when its extension AND its content agree (magic bytes; for
DOCX/XLSX the ZIP must hold the Word/Excel part). The bytes are kept once, under their
SHA-256, in ``blobs/<sha[:2]>/<sha>`` of the data folder, written atomically; the
database keeps the metadata. Sync carries blobs by the same hash.
"""

from __future__ import annotations

import hashlib
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop import files, paths
from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.audit import record, snapshot
from kinerja_desktop.services.feedback import writable_skp
from kinerja_desktop.services.principal import Principal
from kinerja_desktop.services.skp import get_skp
from kinerja_desktop.store.feedback import EvidenceFile
from kinerja_desktop.store.skp import Rhk

MAX_BYTES = 20 * 1024 * 1024
#: extension -> media type
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_MAGIC = {".pdf": b"%PDF-", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".png": b"\x89PNG\r\n\x1a\n",
          ".docx": b"PK\x03\x04", ".xlsx": b"PK\x03\x04"}
#: The part an Office file of that kind must contain.
_OFFICE_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
_FIELDS = ("skp_id", "rhk_id", "file_name", "media_type", "size", "sha256", "description", "added_at", "added_by")
CHUNK = 1024 * 1024


class EvidenceRefused(UserError):
    """The file cannot be kept as evidence (type or size)."""


def _allowed_text() -> str:
    return "PDF, JPG, PNG, DOCX, XLSX"


def check_file(path: Path) -> str:
    """The media type of ``path`` if it may be evidence; :class:`EvidenceRefused` otherwise."""
    path = Path(path)
    if not path.is_file():
        raise EvidenceRefused(_("Berkas {name} tidak ditemukan.").format(name=path.name))
    ext = path.suffix.lower()
    if ext not in MEDIA_TYPES:
        raise EvidenceRefused(_("Berkas {name} tidak dapat dijadikan bukti dukung: hanya {types} yang diterima.").format(
            name=path.name, types=_allowed_text()))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise EvidenceRefused(_("Berkas {name} terlalu besar ({size:.1f} MB); bukti dukung paling besar 20 MB. "
                                "Perkecil atau pisahkan berkasnya.").format(name=path.name, size=size / 1024 / 1024))
    if size == 0:
        raise EvidenceRefused(_("Berkas {name} kosong.").format(name=path.name))
    with path.open("rb") as fh:
        head = fh.read(16)
    ok = head.startswith(_MAGIC[ext])
    if ok and ext in _OFFICE_PART:
        try:
            with zipfile.ZipFile(path) as zf:
                ok = _OFFICE_PART[ext] in zf.namelist()
        except (zipfile.BadZipFile, OSError):
            ok = False
    if not ok:
        raise EvidenceRefused(_("Isi berkas {name} bukan {kind} walaupun namanya berakhiran {ext}; berkas ini "
                                "tidak diterima. Simpan ulang berkas dalam format yang benar.").format(
            name=path.name, kind=ext.lstrip(".").upper(), ext=ext))
    return MEDIA_TYPES[ext]


def blob_path(sha256: str) -> Path:
    """Where the bytes with this hash are kept."""
    return paths.locations().blobs / sha256[:2] / sha256


def store_blob(source: Path) -> tuple[str, int]:
    """Copy ``source`` into the blob folder by content hash (atomically). Returns (sha256, size)."""
    folder = paths.locations().blobs
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with files.temp_file(folder) as (out, tmp):
        with Path(source).open("rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                if size > MAX_BYTES:
                    raise EvidenceRefused(_("Berkas {name} terlalu besar; bukti dukung paling besar 20 MB.").format(
                        name=Path(source).name))
                out.write(chunk)
        out.flush()
        sha = digest.hexdigest()
        target = blob_path(sha)
        if not target.exists():
            files.commit(tmp, target, private=True)
        return sha, size


def add_evidence(session: Session, actor: Principal, skp_id: str, source: str | Path, *,
                 rhk_id: str | None = None, description: str = "") -> EvidenceFile:
    """Keep ``source`` as evidence for the SKP (optionally for one RHK)."""
    skp = writable_skp(session, actor, skp_id)
    if rhk_id:
        rhk = session.get(Rhk, rhk_id)
        if rhk is None or rhk.deleted or rhk.skp_id != skp.id:
            raise UserError(_("RHK yang dipilih bukan bagian dari SKP ini."))
    source = Path(source)
    media_type = check_file(source)
    sha, size = store_blob(source)
    row = EvidenceFile(skp_id=skp.id, rhk_id=rhk_id, file_name=source.name[:255], media_type=media_type, size=size,
                       sha256=sha, description=description.strip(),
                       added_at=datetime.now(timezone.utc).replace(tzinfo=None), added_by=actor.username)
    session.add(row)
    session.flush()
    record(session, actor, "create", EvidenceFile.__tablename__, row.id, None, snapshot(row, _FIELDS))
    return row


def list_evidence(session: Session, actor: Principal, skp_id: str, rhk_id: str | None = None) -> list[EvidenceFile]:
    get_skp(session, actor, skp_id)
    q = select(EvidenceFile).where(EvidenceFile.skp_id == skp_id, EvidenceFile.deleted.is_(False))
    if rhk_id:
        q = q.where(EvidenceFile.rhk_id == rhk_id)
    return list(session.scalars(q.order_by(EvidenceFile.added_at)))


def evidence_path(session: Session, actor: Principal, evidence_id: str) -> Path:
    """The stored file of an evidence row (to open or copy), after a permission check."""
    row = session.get(EvidenceFile, evidence_id)
    if row is None or row.deleted:
        raise NotFound(_("Bukti dukung yang diminta tidak ada."))
    get_skp(session, actor, row.skp_id)
    path = blob_path(row.sha256)
    if not path.exists():
        raise NotFound(_("Isi berkas {name} belum ada di komputer ini (belum tersinkron).").format(name=row.file_name))
    return path
