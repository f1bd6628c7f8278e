"""Backups of the SQLite database with SQLite's online backup API, encrypted like the database.

A backup of an encrypted database is encrypted with the same key and gets a copy of the
database's key file (``<backup>.kunci``), so the recovery code opens it on any PC. Each
backup is written to a temporary file and renamed into place whole.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from kinerja_desktop import files, paths
from kinerja_desktop.progress import Progress
from kinerja_desktop.store.encryption import (
    KeyInfo,
    connect,
    database_key,
    is_plain,
    key_opens,
    read_keyinfo,
    sidecar_path,
    write_keyinfo,
)
from kinerja_desktop.store.sqlcipher_export import export_to

KEEP = 10


def _progress(done: int, total: int, message: str) -> Progress:
    return Progress(done, total, message)


_AUTO = object()


def backup_database(
    db_path: Path,
    backups_dir: Path,
    label: str = "backup",
    keep: int = KEEP,
    *,
    key: bytes | None | object = _AUTO,
    prune: bool = True,
) -> Path:
    """Copy ``db_path`` consistently into ``backups_dir`` and keep only the newest ``keep``.

    ``key`` defaults to the database's own key (none for a plain file).
    """
    files.private_folder(backups_dir)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = backups_dir / f"{db_path.stem}-{stamp}-{label}.sqlite3"
    if key is _AUTO:
        key = None if is_plain(db_path) else database_key(db_path)
    assert key is None or isinstance(key, bytes)  # _AUTO resolved above
    with files.atomic_path(target, private=True) as tmp:
        src = (
            connect(db_path, key, uri=False)
            if key is not None
            else connect(Path(f"file:{db_path}?mode=ro"), None, uri=True)
        )
        try:
            dst = connect(tmp, key)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    if key is not None:
        info = read_keyinfo(db_path)
        if info is not None:
            write_keyinfo(target, info)
    if prune:
        prune_backups(backups_dir, db_path.stem, keep)
    return target


def list_backups(backups_dir: Path, stem: str) -> list[Path]:
    return sorted(backups_dir.glob(f"{stem}-*.sqlite3"))


def prune_backups(backups_dir: Path, stem: str, keep: int = KEEP) -> None:
    found = list_backups(backups_dir, stem)
    for old in found[: max(0, len(found) - keep)]:
        if is_plain(old):
            files.shred(old)
        else:
            old.unlink(missing_ok=True)
        sidecar_path(old).unlink(missing_ok=True)


def _rewrite(backup: Path, src_key: bytes | None, key: bytes, info: KeyInfo) -> None:
    """Write ``backup`` anew under ``key``; a plain original's blocks are overwritten."""

    old_path = Path(f"{backup}.lama-polos")
    old_link: Path | None = old_path
    with files.atomic_path(backup, private=True, suffix=".baru") as tmp:
        src = connect(backup, src_key)
        try:
            export_to(src, tmp, key)
        finally:
            src.close()
        old_path.unlink(missing_ok=True)
        try:
            os.link(backup, old_path)
        except OSError:  # no hard links here: the old blocks are only freed
            old_link = None
    write_keyinfo(backup, info)
    if old_link is not None:
        files.shred(old_link)


def encrypt_plain_backups(
    db_path: Path, key: bytes, info: KeyInfo, on_progress: Callable[..., object] | None = None, skip: Path | None = None
) -> list[Path]:
    """Encrypt every plain backup of ``db_path`` with ``key`` (used after encrypting it)."""

    done: list[Path] = []
    plain = [b for b in list_backups(paths.locations().backups, db_path.stem) if b != skip and is_plain(b)]
    for i, backup in enumerate(plain):
        if on_progress is not None:
            on_progress(_progress(i, len(plain), backup.name))
        _rewrite(backup, None, key, info)
        done.append(backup)
    if on_progress is not None and plain:
        on_progress(_progress(len(plain), len(plain), ""))
    return done


def rekey_backups(
    db_path: Path, old_key: bytes, key: bytes, info: KeyInfo, on_progress: Callable[..., object] | None = None
) -> list[Path]:
    """Backups under the database's old key get the new one (backups under keys replaced
    before that are left as they are: their own key file and code still open them)."""

    done: list[Path] = []
    found = [
        b for b in list_backups(paths.locations().backups, db_path.stem) if not is_plain(b) and key_opens(b, old_key)
    ]
    for i, backup in enumerate(found):
        if on_progress is not None:
            on_progress(_progress(i, len(found), backup.name))
        _rewrite(backup, old_key, key, info)
        done.append(backup)
    return done


def restore_backup(backup: Path, db_path: Path) -> None:
    """Replace ``db_path`` with the content of ``backup`` (the program must not be using it)."""
    key = None if is_plain(backup) else database_key(backup)
    with files.atomic_path(db_path, private=True) as tmp:
        src = connect(backup, key)
        try:
            dst = connect(tmp, key)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    if key is not None:
        shutil.copyfile(sidecar_path(backup), sidecar_path(db_path))
        files.make_private(sidecar_path(db_path))
