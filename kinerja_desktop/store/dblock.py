"""Who else has the database open: a lock file beside it that every opener shares.

Every :class:`~kinerja_desktop.store.database.Database` on a SQLite file holds a shared
lock on ``<file>.lock`` for as long as it is open. Work that replaces the whole file
(encrypting in place, a new key, ``kinerja demo --force``) first takes the lock
exclusively and refuses with one sentence when another program holds it. On Windows the
file system already refuses to replace a file another process has open; there the lock is
a best effort.
"""

from __future__ import annotations

import os
from pathlib import Path

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # Windows has no fcntl: the lock uses msvcrt there


class DatabaseInUse(UserError):
    """Another program has the database open."""


def lock_path(db_path: Path) -> Path:
    return Path(f"{db_path}.lock")


def in_use_message(db_path: Path) -> str:
    return _(
        "Basis data {path} sedang dipakai program lain (Kinerja Desktop di jendela lain, atau sebuah perintah "
        "yang sedang berjalan). Tutup program itu lalu coba lagi."
    ).format(path=db_path)


class FileLock:
    """A held lock on ``<db>.lock``; ``release()`` (or garbage collection) lets it go."""

    def __init__(self, db_path: Path, exclusive: bool) -> None:
        self.path = lock_path(db_path)
        self.fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if fcntl is None:
            return
        try:
            fcntl.flock(self.fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fd)
            self.fd = None
            raise DatabaseInUse(in_use_message(db_path)) from None

    def downgrade(self) -> None:
        """From exclusive to shared, without a moment of no lock."""
        if fcntl is not None and self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing drops the flock
            self.fd = None

    def __del__(self) -> None:  # pragma: no cover - safety net
        self.release()

    def __enter__(self) -> FileLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def shared(db_path: Path) -> FileLock:
    return FileLock(db_path, exclusive=False)


def exclusive(db_path: Path) -> FileLock:
    """The lock that says no other program has ``db_path`` open, or :class:`DatabaseInUse`."""
    return FileLock(db_path, exclusive=True)
