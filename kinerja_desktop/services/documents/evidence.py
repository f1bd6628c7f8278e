"""Evidence files (bukti dukung): PDF, JPG, PNG, DOCX, XLSX up to 20 MB each.

A file is accepted only when its name is plain (no control or bidi characters that
disguise an extension, see :func:`check_name`), and its extension AND its content agree
(magic bytes; for DOCX/XLSX the ZIP must hold the Word/Excel part). The bytes are kept
once, under their SHA-256, in ``blobs/<sha[:2]>/<sha>`` of the data folder, written
atomically; the database keeps the metadata. Sync carries blobs by the same hash, and
files received that way pass the same checks (``services.received_files``).

Opening an attachment never uses its stored name: :func:`safe_copy` checks the bytes
against the recorded media type again and writes a copy under a generated name, with
the extension of that media type, in a private folder of this user (mode 0700, a random
name, removed when the program ends).
"""

from __future__ import annotations

import atexit
import hashlib
import io
import os
import shutil
import tempfile
import unicodedata
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop import files, paths
from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.audit.chain import record, snapshot
from kinerja_desktop.services.performance.feedback import writable_skp
from kinerja_desktop.services.performance.skp import get_skp
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
_MAGIC = {
    ".pdf": b"%PDF-",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
}
#: The part an Office file of that kind must contain.
_OFFICE_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
_FIELDS = ("skp_id", "rhk_id", "file_name", "media_type", "size", "sha256", "description", "added_at", "added_by")
CHUNK = 1024 * 1024


class EvidenceRefused(UserError):
    """The file cannot be kept as evidence (type or size)."""


def _allowed_text() -> str:
    return "PDF, JPG, PNG, DOCX, XLSX"


#: Characters that turn a name against its reader: bidi overrides and marks, zero-width
#: and other invisible formatting characters (Unicode category Cf), and controls (Cc).
_REFUSED_CATEGORIES = ("Cc", "Cf")
MAX_NAME_LENGTH = 255


def _shown(name: str) -> str:
    """A name safe to put in a message: invisible characters shown as <U+XXXX>."""
    return "".join(f"<U+{ord(c):04X}>" if unicodedata.category(c) in _REFUSED_CATEGORIES else c for c in name)[:120]


def check_name(name: str) -> str:
    """``name`` if it is a plain file name; :class:`EvidenceRefused` (saying why) otherwise.

    Refused: control characters, bidi and other invisible formatting characters (a
    right-to-left override makes ``laporan<U+202E>fdp.exe`` look like ``laporanexe.pdf``), path
    separators, and names longer than 255 characters.
    """
    if not name or not name.strip():
        raise EvidenceRefused(_("Berkas tanpa nama tidak dapat dijadikan bukti dukung."))
    bad = sorted({f"U+{ord(c):04X}" for c in name if unicodedata.category(c) in _REFUSED_CATEGORIES})
    if bad:
        raise EvidenceRefused(
            _(
                "Nama berkas {name} memuat karakter tersembunyi ({chars}) yang dapat menyamarkan jenis "
                "berkasnya; ganti nama berkas lalu coba lagi."
            ).format(name=_shown(name), chars=", ".join(bad))
        )
    if "/" in name or "\\" in name:
        raise EvidenceRefused(
            _("Nama berkas {name} memuat garis miring; berikan nama berkas saja.").format(name=_shown(name))
        )
    if len(name) > MAX_NAME_LENGTH:
        raise EvidenceRefused(_("Nama berkas terlalu panjang (lebih dari {n} karakter).").format(n=MAX_NAME_LENGTH))
    return name


def _check_ext(name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    if ext not in MEDIA_TYPES:
        raise EvidenceRefused(
            _("Berkas {name} tidak dapat dijadikan bukti dukung: hanya {types} yang diterima.").format(
                name=_shown(name), types=_allowed_text()
            )
        )
    return ext


def _check_size(name: str, size: int) -> None:
    if size > MAX_BYTES:
        raise EvidenceRefused(
            _(
                "Berkas {name} terlalu besar ({size:.1f} MB); bukti dukung paling besar 20 MB. "
                "Perkecil atau pisahkan berkasnya."
            ).format(name=_shown(name), size=size / 1024 / 1024)
        )
    if size == 0:
        raise EvidenceRefused(_("Berkas {name} kosong.").format(name=_shown(name)))


def _content_is(ext: str, head: bytes, open_zip) -> bool:
    ok = head.startswith(_MAGIC[ext])
    if ok and ext in _OFFICE_PART:
        try:
            with zipfile.ZipFile(open_zip()) as zf:
                ok = _OFFICE_PART[ext] in zf.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            ok = False
    return ok


def _wrong_content(name: str, ext: str) -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "Isi berkas {name} bukan {kind} walaupun namanya berakhiran {ext}; berkas ini "
            "tidak diterima. Simpan ulang berkas dalam format yang benar."
        ).format(name=_shown(name), kind=ext.lstrip(".").upper(), ext=ext)
    )


def check_file(path: Path) -> str:
    """The media type of ``path`` if it may be evidence; :class:`EvidenceRefused` otherwise."""
    path = Path(path)
    check_name(path.name)
    if not path.is_file():
        raise EvidenceRefused(_("Berkas {name} tidak ditemukan.").format(name=_shown(path.name)))
    ext = _check_ext(path.name)
    _check_size(path.name, path.stat().st_size)
    with path.open("rb") as fh:
        head = fh.read(16)
    if not _content_is(ext, head, lambda: path):
        raise _wrong_content(path.name, ext)
    return MEDIA_TYPES[ext]


def check_bytes(name: str, data: bytes, media_type: str | None = None) -> str:
    """The same checks for bytes that arrived from elsewhere (sync): name, type, size, content."""

    check_name(name)
    ext = _check_ext(name)
    if media_type is not None and media_type != MEDIA_TYPES[ext]:
        raise EvidenceRefused(
            _(
                "Jenis berkas {name} tercatat sebagai {media}, tidak sesuai dengan namanya; berkas ini tidak diterima."
            ).format(name=_shown(name), media=str(media_type)[:60])
        )
    _check_size(name, len(data))
    if not _content_is(ext, data[:16], lambda: io.BytesIO(data)):
        raise _wrong_content(name, ext)
    return MEDIA_TYPES[ext]


def kind_of_content(data: bytes) -> str | None:
    """The allowed media type the bytes are, by content alone (None: none of them)."""

    for ext in (".pdf", ".png", ".jpg", ".docx", ".xlsx"):
        if _content_is(ext, data[:16], lambda: io.BytesIO(data)):
            return MEDIA_TYPES[ext]
    return None


# --- opening ---------------------------------------------------------------------------------

_private_dir: Path | None = None
EXTENSION_OF = {".pdf": ".pdf", ".jpg": ".jpg", ".jpeg": ".jpg", ".png": ".png", ".docx": ".docx", ".xlsx": ".xlsx"}


def private_temp_dir() -> Path:
    """This user's private folder for opened attachments: random name, mode 0700, removed at exit."""
    global _private_dir
    if _private_dir is None or not _private_dir.is_dir():
        _private_dir = Path(tempfile.mkdtemp(prefix="kinerja-"))
        atexit.register(shutil.rmtree, str(_private_dir), True)
    return _private_dir


def safe_copy(source: Path, media_type: str) -> Path:
    """A copy of a stored attachment to open: content re-checked as ``media_type``, generated name.

    The name is ``bukti-<random><extension of the media type>``; the stored (sender's)
    name is never used, so a name like ``laporan.hta (final).pdf`` cannot decide what opens it.
    """
    ext = next((e for e, m in MEDIA_TYPES.items() if m == media_type), None)
    if ext is None:
        raise EvidenceRefused(
            _("Jenis berkas {media} tidak dapat dibuka dari Kinerja Desktop.").format(media=str(media_type)[:60])
        )
    source = Path(source)
    with source.open("rb") as fh:
        head = fh.read(16)
    if source.stat().st_size > MAX_BYTES or not _content_is(ext, head, lambda: source):
        raise EvidenceRefused(
            _("Isi berkas ini tidak sesuai dengan jenisnya yang tercatat ({kind}); berkas tidak dibuka.").format(
                kind=ext.lstrip(".").upper()
            )
        )
    fd, name = tempfile.mkstemp(prefix="bukti-", suffix=EXTENSION_OF[ext], dir=private_temp_dir())
    with os.fdopen(fd, "wb") as out, source.open("rb") as fh:
        shutil.copyfileobj(fh, out, CHUNK)
    return Path(name)


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
                    raise EvidenceRefused(
                        _("Berkas {name} terlalu besar; bukti dukung paling besar 20 MB.").format(
                            name=Path(source).name
                        )
                    )
                out.write(chunk)
        out.flush()
        sha = digest.hexdigest()
        target = blob_path(sha)
        if not target.exists():
            files.commit(tmp, target, private=True)
        return sha, size


def add_evidence(
    session: Session,
    actor: Principal,
    skp_id: str,
    source: str | Path,
    *,
    rhk_id: str | None = None,
    description: str = "",
) -> EvidenceFile:
    """Keep ``source`` as evidence for the SKP (optionally for one RHK)."""
    skp = writable_skp(session, actor, skp_id)
    if rhk_id:
        rhk = session.get(Rhk, rhk_id)
        if rhk is None or rhk.deleted or rhk.skp_id != skp.id:
            raise UserError(_("RHK yang dipilih bukan bagian dari SKP ini."))
    source = Path(source)
    media_type = check_file(source)
    sha, size = store_blob(source)
    row = EvidenceFile(
        skp_id=skp.id,
        rhk_id=rhk_id,
        file_name=source.name[:255],
        media_type=media_type,
        size=size,
        sha256=sha,
        description=description.strip(),
        added_at=datetime.now(UTC).replace(tzinfo=None),
        added_by=actor.username,
    )
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


def open_evidence(session: Session, actor: Principal, evidence_id: str) -> Path:
    """A private copy of an evidence file to hand to the viewer (see :func:`safe_copy`)."""
    path = evidence_path(session, actor, evidence_id)  # refuses a missing or hidden file
    row = session.get(EvidenceFile, evidence_id)
    assert row is not None
    return safe_copy(path, row.media_type)
