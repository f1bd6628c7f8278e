"""Private key files sealed at rest with a key from the key store.

The site's signing and receiving keys and the district CA key are written through
:func:`write_sealed`: AES-GCM with the **files key** of this keys folder, whose id is in
``keys/kunci-berkas.json`` and whose value lives in the key store (see :mod:`keystore`).
A copied keys folder is useless without that store (or the database's recovery code,
which also carries the files key). Files written before sealing existed are still read
(:func:`read_sealed` passes them through) and sealed on the next write.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kinerja_desktop import files, paths
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.store import keystore

MAGIC = b"KINERJA-SEALED-1\n"
FILES_KEY_INFO = "kunci-berkas.json"


class SealedFileError(UserError):
    pass


def _info_path(keys_dir: Path) -> Path:
    return keys_dir / FILES_KEY_INFO


def files_key_id(keys_dir: Path | None = None) -> str | None:
    info = _info_path(keys_dir or paths.locations().keys)
    if not info.exists():
        return None
    try:
        return str(json.loads(info.read_text("utf-8"))["key_id"])
    except (ValueError, KeyError, OSError):
        return None


def ensure_files_key(keys_dir: Path | None = None) -> tuple[str, bytes]:
    """``(id, key)`` of this keys folder's files key, made and stored on first use."""
    folder = files.private_folder(keys_dir or paths.locations().keys)
    key_id = files_key_id(folder)
    if key_id is not None:
        key, _store = keystore.find_key(key_id)
        if key is None:
            raise SealedFileError(
                _(
                    "Kunci berkas untuk folder kunci {folder} tidak ada di komputer ini. Buka basis data dengan kode "
                    "pemulihannya ('kinerja db unlock --recovery-code'), yang juga memulihkan kunci ini."
                ).format(folder=folder)
            )
        return key_id, key
    key_id = "berkas-" + keystore.new_key_id()
    store = keystore.writable_store()
    key = store.new_key(key_id)
    store.put(key_id, key)
    files.write_atomic(_info_path(folder), json.dumps({"format": 1, "key_id": key_id}) + "\n", private=True)
    return key_id, key


def adopt_files_key(key_id: str, key: bytes, keys_dir: Path | None = None) -> None:
    """Store a files key recovered from a recovery code, for this keys folder."""
    folder = files.private_folder(keys_dir or paths.locations().keys)
    keystore.writable_store().put(key_id, key)
    files.write_atomic(_info_path(folder), json.dumps({"format": 1, "key_id": key_id}) + "\n", private=True)


def write_sealed(path: Path, data: bytes, keys_dir: Path | None = None) -> None:
    """Seal ``data`` with the files key and write it owner-only, atomically."""
    key_id, key = ensure_files_key(keys_dir)
    nonce = secrets.token_bytes(12)
    header = json.dumps({"key_id": key_id}).encode() + b"\n"
    body = AESGCM(key).encrypt(nonce, data, header)
    files.private_folder(path.parent)
    files.write_atomic(path, MAGIC + header + nonce + body, private=True)


def is_sealed(raw: bytes) -> bool:
    return raw.startswith(MAGIC)


def read_sealed(path: Path) -> bytes:
    """The content of a sealed file (an unsealed one from an older version as it is)."""
    raw = path.read_bytes()
    if not is_sealed(raw):
        return raw
    rest = raw[len(MAGIC) :]
    header, _nl, sealed = rest.partition(b"\n")
    try:
        key_id = json.loads(header)["key_id"]
    except (ValueError, KeyError) as exc:
        raise SealedFileError(_("Berkas kunci {path} rusak.").format(path=path)) from exc
    key, _store = keystore.find_key(key_id)
    if key is None:
        raise SealedFileError(
            _(
                "Berkas {path} terkunci dengan kunci yang tidak ada di komputer ini. Buka basis data dengan kode "
                "pemulihannya ('kinerja db unlock --recovery-code'), yang juga memulihkan kunci berkas."
            ).format(path=path)
        )
    try:
        return AESGCM(key).decrypt(sealed[:12], sealed[12:], header + b"\n")
    except InvalidTag as exc:
        raise SealedFileError(
            _(
                "Berkas {path} tidak dapat dibuka dengan kunci berkas komputer ini (rusak atau kuncinya salah). Jika "
                "folder ini dari PC lain, buka basis datanya dengan kode pemulihan ('kinerja db unlock "
                "--recovery-code'), yang juga memulihkan kunci berkas."
            ).format(path=path)
        ) from exc
