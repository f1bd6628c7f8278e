"""Backups of the SQLite database with SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

KEEP = 10


def backup_database(db_path: Path, backups_dir: Path, label: str = "backup", keep: int = KEEP) -> Path:
    """Copy ``db_path`` consistently into ``backups_dir`` and keep only the newest ``keep``."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = backups_dir / f"{db_path.stem}-{stamp}-{label}.sqlite3"
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    prune_backups(backups_dir, db_path.stem, keep)
    return target


def list_backups(backups_dir: Path, stem: str) -> list[Path]:
    return sorted(backups_dir.glob(f"{stem}-*.sqlite3"))


def prune_backups(backups_dir: Path, stem: str, keep: int = KEEP) -> None:
    files = list_backups(backups_dir, stem)
    for old in files[: max(0, len(files) - keep)]:
        old.unlink(missing_ok=True)


def restore_backup(backup: Path, db_path: Path) -> None:
    """Replace ``db_path`` with the content of ``backup`` (the program must not be using it)."""
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(db_path)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
