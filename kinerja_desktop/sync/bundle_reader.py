"""Reading a bundle, trusting nothing: decrypt, verify the signature against the pinned key
of the source site, check the target, verify every file's hash and size and the counts,
refuse newer versions. Any input gives a :class:`BundleRefused` with one sentence, never a
crash; nothing here writes anything.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import zipfile
from array import array
from collections.abc import Callable
from dataclasses import dataclass

import pyrage
from pyrage import x25519

from kinerja_desktop.i18n import _
from kinerja_desktop.sync import manifest as mf
from kinerja_desktop.sync.changeset import CHUNK, ChangeSet
from kinerja_desktop.sync.errors import BundleRefused
from kinerja_desktop.sync.keys import verify

log = logging.getLogger(__name__)

MAX_BUNDLE_BYTES = 2 * 1024**3
MAX_FILE_BYTES = 2 * 1024**3
#: Largest ``changes.jsonl`` once decompressed, most changes in one bundle, largest one change.
MAX_CHANGES_BYTES = 1024**3
MAX_CHANGES = 2_000_000
MAX_CHANGE_BYTES = 4 * 1024**2
#: A member may expand to at most this many times its compressed size (real changes: about 11x;
#: a decompression bomb: up to 1000x), or to 1 MB when that is more.
MAX_RATIO = 30
READ_PIECE = 1024**2
RATIO_FREE_BYTES = 1024**2
ID_MAX = 36
#: A hybrid-clock value (``store.hlc``): 13-digit wall ms, 5-digit counter, site.
HLC = re.compile(r"\d{13}-\d{5}-[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


@dataclass
class Bundle:
    manifest: dict
    changes: ChangeSet
    blobs: dict[str, bytes]
    size: int

    @property
    def bundle_id(self) -> str:
        return self.manifest["bundle_id"]

    @property
    def kind(self) -> str:
        return self.manifest["kind"]

    @property
    def source_site(self) -> str:
        return self.manifest["source_site"]


def _damaged(detail: str) -> BundleRefused:
    return BundleRefused(
        _("Bundel ini rusak atau bukan bundel Kinerja ({detail}); berkas tidak diubah.").format(detail=detail)
    )


def decrypt(data: bytes, identity: x25519.Identity) -> bytes:
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleRefused(_("Berkas ini terlalu besar untuk sebuah bundel Kinerja."))
    if not data.startswith(b"age-encryption.org/v1\n"):
        raise _damaged(_("bukan berkas terenkripsi age"))
    try:
        return pyrage.decrypt(data, [identity])
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            raise BundleRefused(
                _(
                    "Bundel ini tidak ditujukan untuk situs ini (tidak dapat dibuka dengan kunci situs ini); "
                    "minta pengirim membuat bundel untuk situs ini."
                )
            ) from None
        raise _damaged(_("dekripsi gagal: berkas terpotong atau diubah")) from None
    except Exception:  # pyrage raises plain errors on some malformed headers
        raise _damaged(_("header age")) from None


def _read_member(zf: zipfile.ZipFile, name: str, size: int) -> bytes | bytearray:
    """The member's ``size`` bytes, read in pieces into one buffer (``read(size)`` would hold the
    text twice while it joins its pieces)."""
    buf = bytearray(size)
    view = memoryview(buf)
    pos = 0
    with zf.open(name) as fh:
        while pos < size:
            piece = fh.read(min(READ_PIECE, size - pos))
            if not piece:
                raise _damaged(name)
            view[pos : pos + len(piece)] = piece
            pos += len(piece)
        if fh.read(1):
            raise _damaged(name)
    view.release()
    return buf if name == mf.CHANGES_FILE else bytes(buf)


def parse(
    plain: bytes,
    *,
    local_site: str,
    key_for: Callable[[dict], str],
    known_tables: set[str] | None = None,
    size: int | None = None,
) -> Bundle:
    """Check a decrypted bundle and return its contents.

    ``key_for(manifest)`` returns the pinned public signing key of the manifest's source
    site, or raises :class:`BundleRefused` (unknown or revoked site).
    """
    try:
        return _parse(
            plain,
            local_site=local_site,
            key_for=key_for,
            known_tables=known_tables,
            size=len(plain) if size is None else size,
        )
    except BundleRefused:
        raise
    except Exception as exc:  # zipfile/zlib/json raise many kinds; all mean "damaged"
        log.info("bundle refused: %r", exc)
        raise _damaged(type(exc).__name__) from None


def _parse(plain, *, local_site, key_for, known_tables, size) -> Bundle:
    try:
        zf = zipfile.ZipFile(io.BytesIO(plain))
    except zipfile.BadZipFile:
        raise _damaged("zip") from None
    with zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        if len(names) != len(set(names)) or mf.MANIFEST_FILE not in names or mf.SIGNATURE_FILE not in names:
            raise _damaged(_("isi arsip"))
        by_name = {i.filename: i for i in infos}
        raw = _read_member(zf, mf.MANIFEST_FILE, min(by_name[mf.MANIFEST_FILE].file_size, mf.MAX_MANIFEST_BYTES))
        manifest = mf.parse_header(raw)
        sig = _read_member(zf, mf.SIGNATURE_FILE, min(by_name[mf.SIGNATURE_FILE].file_size, 1024))
        sign_key = key_for(manifest)
        if not verify(sign_key, raw, sig):
            raise BundleRefused(
                _(
                    "Tanda tangan bundel tidak cocok dengan kunci situs {site} yang tersimpan: bundel diubah atau "
                    "dipalsukan; berkas tidak diterapkan."
                ).format(site=str(manifest.get("source_site"))[:80])
            )
        mf.validate(manifest)
        if manifest["target_site"] != local_site:
            raise BundleRefused(
                _("Bundel ini untuk situs {target}, bukan untuk situs ini ({here}).").format(
                    target=manifest["target_site"], here=local_site
                )
            )
        _check_schema(manifest["schema_version"])
        listed = {f["path"]: f for f in manifest["files"]}
        if set(names) != set(listed) | {mf.MANIFEST_FILE, mf.SIGNATURE_FILE}:
            raise _damaged(_("daftar berkas tidak cocok dengan manifes"))
        contents: dict[str, bytes] = {}
        for path, f in listed.items():
            if f["size"] > MAX_FILE_BYTES or by_name[path].file_size != f["size"]:
                raise _damaged(path)
            _check_expansion(by_name[path], manifest)
            data = _read_member(zf, path, f["size"])
            if hashlib.sha256(data).hexdigest() != f["sha256"]:
                raise _damaged(path)
            contents[path] = data
    changes = _parse_changes(contents.pop(mf.CHANGES_FILE), manifest["counts"], known_tables)
    blobs = {p[len(mf.BLOB_PREFIX) :]: d for p, d in contents.items()}
    return Bundle(manifest, changes, blobs, size)


def _too_big(manifest: dict, what: str) -> BundleRefused:
    return BundleRefused(
        _("Bundel dari {site} ditolak: {what}; tidak ada yang diubah.").format(
            site=str(manifest.get("source_site"))[:80], what=what
        )
    )


def _check_expansion(info: zipfile.ZipInfo, manifest: dict) -> None:
    """Refuse a member that would expand far beyond what real data does (a decompression bomb)."""
    if info.file_size > max(RATIO_FREE_BYTES, MAX_RATIO * info.compress_size):
        raise _too_big(
            manifest,
            _("isinya mengembang {ratio} kali saat dibuka (bom dekompresi)").format(
                ratio=info.file_size // max(1, info.compress_size)
            ),
        )
    if info.filename == mf.CHANGES_FILE and info.file_size > MAX_CHANGES_BYTES:
        raise _too_big(manifest, _("daftar perubahannya lebih dari {mb} MB").format(mb=MAX_CHANGES_BYTES // 1024**2))
    if info.filename == mf.CHANGES_FILE and sum(manifest["counts"].values()) > MAX_CHANGES:
        raise _too_big(manifest, _("lebih dari {n} perubahan dalam satu bundel").format(n=MAX_CHANGES))


def _check_schema(version: str) -> None:
    known = mf.known_revisions()
    revs = [r for r in version.split("+") if r]
    if not revs:
        raise _damaged("schema_version")
    unknown = [r for r in revs if r not in known]
    if unknown:
        raise BundleRefused(
            _(
                "Bundel ini dibuat dengan skema data yang lebih baru ({rev}); perbarui Kinerja Desktop lalu impor lagi."
            ).format(rev=version)
        )


def _line_spans(data: bytes) -> array:
    """[start, end, ...] of the non-empty lines of ``data``; refuses a line that is too long."""
    spans = array("q")
    pos, n, find = 0, len(data), data.find
    while pos < n:
        end = find(b"\n", pos)
        if end < 0:
            end = n
        if end - pos > MAX_CHANGE_BYTES:
            raise BundleRefused(
                _("Bundel ini memuat satu perubahan yang lebih besar dari {mb} MB; berkas tidak diterapkan.").format(
                    mb=MAX_CHANGE_BYTES // 1024**2
                )
            )
        if end > pos:
            spans.extend((pos, end))
        pos = end + 1
    return spans


def _parse_changes(data: bytes, counts: dict[str, int], known_tables: set[str] | None) -> ChangeSet:
    """Check every line (in chunks; nothing parsed is kept) and group their positions by table."""
    lines = _line_spans(data)
    by_table: dict[str, array] = {}
    seen: set[int] = set()
    newest = ""
    hlc_ok = HLC.fullmatch
    for first in range(0, len(lines), 2 * CHUNK):
        part = lines[first : first + 2 * CHUNK]
        # One JSON array per chunk (much faster than a call per line). Raw newlines cannot
        # occur inside a JSON value, so the join cannot merge two records.
        records = json.loads(b"[" + b",".join(data[part[i] : part[i + 1]] for i in range(0, len(part), 2)) + b"]")
        if len(records) * 2 != len(part):
            raise _damaged(mf.CHANGES_FILE)
        for k, c in enumerate(records):
            if type(c) is not dict:
                raise _damaged(mf.CHANGES_FILE)
            table, row_id, hlc = c.get("table"), c.get("id"), c.get("hlc")
            if (
                type(table) is not str
                or type(row_id) is not str
                or not 0 < len(row_id) <= ID_MAX
                or type(hlc) is not str
                or not hlc_ok(hlc)
                or type(c.get("origin_site")) is not str
                or type(c.get("deleted")) is not bool
                or type(c.get("row")) is not dict
            ):
                raise _damaged(mf.CHANGES_FILE)
            if known_tables is not None and table not in known_tables:
                raise BundleRefused(
                    _(
                        "Bundel ini memuat tabel {table} yang tidak dikenal program ini; perbarui Kinerja Desktop."
                    ).format(table=table[:60])
                )
            if hlc > newest:
                newest = hlc
            key = hash((table, row_id))  # an int, not the strings: 100,000 of them stay small
            if key in seen:  # the same row twice (a hash collision would be refused too: never in practice)
                raise _damaged(mf.CHANGES_FILE)
            seen.add(key)
            by_table.setdefault(table, array("q")).extend((part[2 * k], part[2 * k + 1]))
    got = {t: len(s) // 2 for t, s in by_table.items()}
    if {k: v for k, v in counts.items() if v} != got:
        raise _damaged(_("jumlah perubahan tidak cocok dengan manifes"))
    return ChangeSet(data, by_table, newest_hlc=newest)


def read_bundle(
    data: bytes,
    *,
    identity: x25519.Identity,
    local_site: str,
    key_for: Callable[[dict], str],
    known_tables: set[str] | None = None,
) -> Bundle:
    """Decrypt and check a bundle file's bytes."""
    if not isinstance(data, (bytes, bytearray)):
        raise _damaged("bytes")
    plain = decrypt(bytes(data), identity)
    return parse(plain, local_site=local_site, key_for=key_for, known_tables=known_tables, size=len(data))
