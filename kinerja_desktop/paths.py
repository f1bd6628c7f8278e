"""Every location the program uses on a user's machine, decided in one place.

platformdirs gives the per-user defaults; ``--data-dir`` (via :func:`set_data_dir`) or the
``KINERJA_HOME`` environment variable puts everything under one folder instead (tests,
portable installs, a USB stick).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from kinerja_desktop.files import make_private as _make_private

APP_NAME = "KinerjaDesktop"
APP_AUTHOR = "PemkabBatanghari"
DB_FILENAME = "kinerja.sqlite3"

_override: Path | None = None


def set_data_dir(path: str | os.PathLike[str] | None) -> None:
    """Put every location under ``path`` (``None`` goes back to the defaults)."""
    global _override
    _override = Path(path).expanduser().resolve() if path else None


@dataclass(frozen=True)
class Locations:
    data: Path
    backups: Path
    keys: Path
    logs: Path
    exports: Path
    blobs: Path

    @property
    def database(self) -> Path:
        return self.data / DB_FILENAME

    def ensure(self) -> Locations:
        """Create the folders: owner-only (0700 on Linux) except the exports the user reads."""
        for folder in (self.data, self.backups, self.keys, self.logs, self.blobs):
            folder.mkdir(parents=True, exist_ok=True)
            make_private(folder)
        self.exports.mkdir(parents=True, exist_ok=True)
        return self


def _home_override() -> Path | None:
    if _override is not None:
        return _override
    env = os.environ.get("KINERJA_HOME")
    return Path(env).expanduser().resolve() if env else None


def locations() -> Locations:
    """The folders in force now (not created; call ``.ensure()``)."""
    home = _home_override()
    if home is not None:
        return Locations(
            data=home,
            backups=home / "backups",
            keys=home / "keys",
            logs=home / "logs",
            exports=home / "exports",
            blobs=home / "blobs",
        )
    dirs = platformdirs.PlatformDirs(APP_NAME, APP_AUTHOR)
    data = Path(dirs.user_data_dir)
    return Locations(
        data=data,
        backups=data / "backups",
        keys=data / "keys",
        logs=Path(dirs.user_log_dir),
        exports=Path(platformdirs.user_documents_dir()) / "Kinerja",
        blobs=data / "blobs",
    )


def default_database() -> Path:
    return locations().database


def make_private(path: Path) -> None:
    """Owner-only permissions for files and folders holding secrets (Windows: the folders
    are under the user's own profile, whose ACL already keeps other users out)."""

    _make_private(path)


def resources_dir() -> Path:
    """The read-only resources shipped with the program (icons, translations, fonts)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
