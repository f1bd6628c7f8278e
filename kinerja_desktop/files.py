"""The one way the program writes a file: whole or not at all.

Every file the program writes (exports, bundles, PDFs, keys, settings, error files, the
database's key file) goes through :func:`atomic_path` or :func:`write_atomic`: a temporary
file made with ``mkstemp`` in the destination folder (so the final rename never crosses a
file system, and its name cannot be guessed or pre-planted), written, ``fsync``-ed, then
moved over the destination with ``os.replace``. A symlink at the destination is replaced,
never followed; a reader sees the old file or the new one, never half of one.

``private=True`` keeps the file owner-only (0600) from the moment it exists; other files
get the usual permissions of a new file (0666 less the umask).
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_IS_POSIX = os.name == "posix"


def _umask() -> int:
    # os.umask can only be read by setting it; done once, at import time, on one thread.
    current = os.umask(0o022)
    os.umask(current)
    return current


_UMASK = _umask()


def fsync_folder(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (a no-op where folders cannot be opened)."""
    if not _IS_POSIX:
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on folders
        pass
    finally:
        os.close(fd)


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_path(path: str | os.PathLike[str], *, private: bool = False, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a fresh temporary path beside ``path``; on success it replaces ``path``.

    For writers that want a file name (openpyxl, pyHanko, SQLite). The temporary file
    exists (empty, owner-only) when the block starts; on any error it is removed and
    ``path`` is left as it was.
    """
    target = Path(path)
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name[:40]}.", suffix=suffix)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if not private and _IS_POSIX:
            os.chmod(tmp, 0o666 & ~_UMASK)
        fsync_path(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(folder)


@contextmanager
def atomic_writer(
    path: str | os.PathLike[str],
    mode: str = "wb",
    *,
    private: bool = False,
    encoding: str | None = None,
    newline: str | None = None,
) -> Iterator:
    """Yield an open file beside ``path``; closed, synced and moved over ``path`` on success."""
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_writer writes whole files ('w' or 'wb'), not {mode!r}")
    with atomic_path(path, private=private) as tmp:
        if "b" in mode:
            fh = open(tmp, "wb")  # closed below, before the rename
        else:
            fh = open(tmp, "w", encoding=encoding or "utf-8", newline=newline)
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())


@contextmanager
def temp_file(folder: Path, *, prefix: str = ".incoming-") -> Iterator[tuple]:
    """``(file, path)`` of a new temporary file in ``folder`` for content whose final
    name is known only at the end (a hash); :func:`commit` it, or it is removed."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, prefix=prefix)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh, tmp
    finally:
        tmp.unlink(missing_ok=True)  # committed files have been renamed away already


def commit(tmp: Path, target: Path, *, private: bool = False) -> None:
    """Move a finished temporary file over ``target`` (synced first, the folder after)."""
    if not private and _IS_POSIX:
        os.chmod(tmp, 0o666 & ~_UMASK)
    fsync_path(tmp)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, target)
    fsync_folder(target.parent)


def write_atomic(
    path: str | os.PathLike[str], data: bytes | str, *, private: bool = False, encoding: str = "utf-8"
) -> Path:
    """Write ``data`` to ``path`` whole (see the module text); returns the path."""
    payload = data.encode(encoding) if isinstance(data, str) else data
    with atomic_writer(path, "wb", private=private) as fh:
        fh.write(payload)
    return Path(path)


def make_private(path: Path) -> None:
    """Owner-only permissions (0700 folders, 0600 files); a no-op on Windows, where the
    files live under the user's own profile, and on file systems without modes."""
    if not _IS_POSIX:
        return
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            return
        os.chmod(path, 0o700 if stat.S_ISDIR(st.st_mode) else 0o600)
    except OSError:  # pragma: no cover - FAT USB sticks and the like
        pass


def private_folder(path: Path) -> Path:
    """Create ``path`` (and missing parents) and make the folder itself owner-only."""
    path.mkdir(parents=True, exist_ok=True)
    make_private(path)
    return path


def shred(path: Path, *, chunk: int = 1 << 20) -> None:
    """Overwrite a file with zeros, sync it, then remove it.

    Enough for the threat model of a copied data folder or a stolen disk: the old bytes
    are no longer in the file's blocks on ordinary disks. (Flash wear-levelling and
    copy-on-write file systems can still keep old blocks; docs/security.md says so.)
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with open(path, "r+b", buffering=0) as fh:
        zeros = bytes(chunk)
        left = size
        while left > 0:
            n = min(chunk, left)
            fh.write(zeros[:n])
            left -= n
        os.fsync(fh.fileno())
    path.unlink()
    fsync_folder(path.parent)


def is_windows() -> bool:
    return sys.platform.startswith("win")
