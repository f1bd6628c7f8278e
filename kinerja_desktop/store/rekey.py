"""Writing a database anew under a key: a new database, a plain one encrypted in place,
a new key (rekey), a new recovery code, and opening on a new PC with that code.

Whole-file work never edits the database in place. SQLCipher's ``sqlcipher_export``
writes a complete copy into a temporary file beside it; only when that copy is on disk
(fsync) does an atomic rename put it in place. Killed at any moment, the folder holds
either the old file or the new one, each with a key that opens it; a full disk fails the
export and leaves the old file and key untouched.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kinerja_desktop import files, paths
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.store import dblock, keystore, sealed
from kinerja_desktop.store.backup import backup_database, encrypt_plain_backups, list_backups, rekey_backups
from kinerja_desktop.store.encryption import (
    KeyInfo,
    connect,
    database_key,
    is_plain,
    key_opens,
    new_recovery_code,
    now_text,
    previous_path,
    read_keyinfo,
    sidecar_path,
    unwrap_recovery,
    wrap_for_recovery,
    write_keyinfo,
)
from kinerja_desktop.store.sqlcipher_export import OnProgress, export_to

log = logging.getLogger(__name__)

COMPANIONS = ("-wal", "-shm", "-journal")
OLD_PLAIN_SUFFIX = ".lama-polos"


class DiskFull(UserError):
    pass


def is_disk_full(exc: BaseException) -> bool:
    text = str(exc).lower()
    return (
        (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT))
        or "disk is full" in text
        or "too large" in text
        or "disk i/o error" in text
    )


@contextmanager
def _disk_full_is_a_sentence(folder: Path):
    try:
        yield
    except Exception as exc:
        if is_disk_full(exc):
            raise DiskFull(
                _(
                    "Disk penuh atau tidak dapat ditulisi: salinan basis data yang baru tidak muat di {folder}. Basis "
                    "data dan kuncinya tidak diubah; kosongkan ruang disk lalu coba lagi."
                ).format(folder=folder)
            ) from exc
        raise


@dataclass
class EncryptionReport:
    path: Path
    recovery_code: str | None = None
    backups_encrypted: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def _recovery_payload(key_id: str, key: bytes) -> dict[str, str]:
    """What a recovery code opens: the database key and this PC's files key."""
    payload = {key_id: key.hex()}
    try:
        files_id, files_key = sealed.ensure_files_key()
        payload[files_id] = files_key.hex()
    except UserError as exc:  # the files key is lost here already: the code still opens the database
        log.warning("recovery code without the files key: %s", exc)
    return payload


def _new_keyinfo(db_path: Path, old: KeyInfo | None = None) -> tuple[KeyInfo, bytes, str]:
    """A new key (stored in the key store) and key file content with a new recovery code."""
    key_id = keystore.new_key_id()
    store = keystore.writable_store()
    key = store.new_key(key_id)
    store.put(key_id, key)
    code = new_recovery_code()
    payload = _recovery_payload(key_id, key)
    info = KeyInfo(
        key_id=key_id,
        recovery=wrap_for_recovery(code, key_id, payload),
        files_key_id=next((k for k in payload if k != key_id), None),
    )
    if old is not None:
        info.retired_codes = list(old.retired_codes)
        if old.recovery:
            info.retired_codes.append({"check": old.recovery.get("check", ""), "retired": now_text()})
    return info, key, code


def create_keyinfo(db_path: Path) -> tuple[bytes, str]:
    """Key and recovery code for a new, still empty database file."""
    info, key, code = _new_keyinfo(db_path)
    write_keyinfo(db_path, info)
    return key, code


def _checkpoint_plain(path: Path) -> None:
    """Fold a plain database's WAL into the file and leave it in rollback mode (no -wal)."""
    con = connect(path, None)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        con.execute("PRAGMA journal_mode=DELETE").fetchone()
    finally:
        con.close()


def _checkpoint(path: Path, key: bytes) -> None:
    con = connect(path, key)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        con.close()


def cleanup_leftovers(path: Path) -> None:
    """What a run killed midway left beside ``path``: a partial new copy (encrypted, removed)
    and a plain copy waiting to be overwritten (overwritten now). Only when no other program
    has the database open: a running rewrite's files are not leftovers."""
    old = Path(f"{path}{OLD_PLAIN_SUFFIX}")
    partial = list(path.parent.glob(f".{path.name[:40]}.*.baru*"))
    if not old.exists() and not partial:
        return
    try:
        lock = dblock.exclusive(path)
    except dblock.DatabaseInUse:
        return
    with lock:
        for leftover in partial:
            leftover.unlink(missing_ok=True)
        if old.exists():
            if path.exists() and os.path.samefile(old, path):
                old.unlink()  # killed before the rename: this is still the live file, only drop the link
            else:
                files.shred(old)


def encrypt_leftover_backups(path: Path, key: bytes) -> list[Path]:
    """Plain backups beside an encrypted database (a run killed before it encrypted them,
    or copied in by hand) are encrypted now, when no other program has it open."""

    if not any(is_plain(b) for b in list_backups(paths.locations().backups, path.stem)):
        return []
    try:
        lock = dblock.exclusive(path)
    except dblock.DatabaseInUse:
        return []
    with lock:
        info = read_keyinfo(path)
        assert info is not None, "an encrypted database has its key file"
        return encrypt_plain_backups(path, key, info)


def encrypt_in_place(path: Path, on_progress: OnProgress = None) -> EncryptionReport:
    """Encrypt the plain database ``path`` (and its plain backups) under a new key."""
    started = time.perf_counter()
    with dblock.exclusive(path), _disk_full_is_a_sentence(path.parent):
        _checkpoint_plain(path)
        safety = backup_database(path, paths.locations().backups, label="sebelum-enkripsi", key=None, prune=False)
        info, key, code = _new_keyinfo(path, read_keyinfo(path))
        write_keyinfo(path, info)  # before the rename: whichever file is in place, its key is known
        src = connect(path, None)
        with files.atomic_path(path, private=True, suffix=".baru") as tmp:
            try:
                export_to(
                    src,
                    tmp,
                    key,
                    expected=path.stat().st_size,
                    on_progress=on_progress,
                    label=_("Mengenkripsi basis data"),
                )
            finally:
                src.close()
            old_path = Path(f"{path}{OLD_PLAIN_SUFFIX}")
            old_path.unlink(missing_ok=True)
            old: Path | None = old_path
            try:  # keeps the plain content reachable after the rename, to be overwritten
                os.link(path, old_path)
            except OSError:  # no hard links here (FAT): the plain blocks are only freed
                old = None
        for suffix in COMPANIONS:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        if old is not None:
            files.shred(old)
        report = EncryptionReport(path, recovery_code=code)
        report.backups_encrypted = encrypt_plain_backups(path, key, info, on_progress, skip=safety)
        files.shred(safety)
        files.make_private(path)
    report.seconds = time.perf_counter() - started
    return report


def rekey(path: Path, on_progress: OnProgress = None) -> EncryptionReport:
    """A new key for the encrypted ``path`` (and its backups) and a new recovery code."""
    started = time.perf_counter()
    with dblock.exclusive(path), _disk_full_is_a_sentence(path.parent):
        old_info = read_keyinfo(path)
        assert old_info is not None, "an encrypted database has its key file"
        old_key = database_key(path)
        _checkpoint(path, old_key)
        info, key, code = _new_keyinfo(path, old_info)
        old_side = previous_path(path)
        files.write_atomic(old_side, old_info.to_json(), private=True)  # the old key's id, until done
        src = connect(path, old_key)
        try:
            with files.atomic_path(path, private=True, suffix=".baru") as tmp:
                export_to(
                    src,
                    tmp,
                    key,
                    expected=path.stat().st_size,
                    on_progress=on_progress,
                    label=_("Mengenkripsi ulang basis data"),
                )
                src.close()
                write_keyinfo(path, info)
        except BaseException:
            src.close()
            current = read_keyinfo(path)
            if is_plain(path) is False and current is not None and current.key_id == info.key_id:
                write_keyinfo(path, old_info)
            keystore.writable_store().delete(info.key_id)
            old_side.unlink(missing_ok=True)
            raise
        for suffix in COMPANIONS:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        report = EncryptionReport(path, recovery_code=code)
        report.backups_encrypted = rekey_backups(path, old_key, key, info, on_progress)
        old_side.unlink(missing_ok=True)
        keystore.writable_store().delete(old_info.key_id)
    report.seconds = time.perf_counter() - started
    return report


def new_recovery(path: Path) -> str:
    """A new recovery code for ``path``; the previous one stops working."""
    info = read_keyinfo(path)
    if info is None:
        raise UserError(
            _("Basis data {path} tidak terenkripsi; jalankan 'kinerja db encrypt' dahulu.").format(path=path)
        )
    key = database_key(path)
    code = new_recovery_code()
    payload = _recovery_payload(info.key_id, key)
    if info.recovery:
        info.retired_codes.append({"check": info.recovery.get("check", ""), "retired": now_text()})
    info.recovery = wrap_for_recovery(code, info.key_id, payload)
    info.files_key_id = next((k for k in payload if k != info.key_id), None)
    write_keyinfo(path, info)
    return code


def unlock(path: Path, code: str) -> str:
    """Open ``path`` on this PC with its recovery code: its keys go into this PC's store."""
    info = read_keyinfo(path)
    if info is None:
        raise UserError(
            _("Berkas kunci {side} tidak ada di sebelah {path}. Salin juga berkas itu dari PC asal.").format(
                side=sidecar_path(path).name, path=path
            )
        )
    found = unwrap_recovery(info, code, path)
    key = bytes.fromhex(found[info.key_id])
    if not key_opens(path, key):
        raise UserError(
            _(
                "Kode pemulihan cocok dengan berkas kuncinya, tetapi tidak membuka {path}: berkas basis data ini "
                "bukan pasangan berkas kunci itu."
            ).format(path=path)
        )
    store = keystore.writable_store()
    store.put(info.key_id, key)
    for other_id, value in found.items():  # the files key of the key files beside it
        if other_id != info.key_id and sealed.files_key_id() in (None, other_id):
            sealed.adopt_files_key(other_id, bytes.fromhex(value))
    return store.describe()
