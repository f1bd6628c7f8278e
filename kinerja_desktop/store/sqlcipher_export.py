"""Copying a whole SQLCipher database into a new file under a key (``sqlcipher_export``).

Used by the rekey (a new key for the database) and by backups (a copy under the backup key);
it reports progress by the size of the file written so far.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kinerja_desktop.progress import Progress
from kinerja_desktop.store.encryption import connect

OnProgress = Callable[..., object] | None  # called with a kinerja_desktop.progress.Progress
EXPORT_CACHE_KB = 64 * 1024  # page cache while copying: bounded, whatever the database's size


def _progress_handler(tmp: Path, expected: int, on_progress: Callable[..., object], label: str):
    def tick() -> int:
        try:
            done = tmp.stat().st_size
        except OSError:
            done = 0
        on_progress(Progress(min(done, expected), max(expected, 1), label))
        return 0

    return tick


def export_to(
    src_con, dest: Path, key: bytes, *, expected: int = 0, on_progress: OnProgress = None, label: str = ""
) -> None:
    """Copy everything ``src_con`` holds into the empty file ``dest``, encrypted with ``key``."""
    if on_progress is not None:
        src_con.set_progress_handler(_progress_handler(dest, expected, on_progress, label), 20_000)
    try:
        src_con.execute(f"ATTACH DATABASE ? AS kinerja_baru KEY \"x'{key.hex()}'\"", (str(dest),))
        # The copy is a temporary file, synced once at the end and thrown away on any failure:
        # no journal and no syncs while it is written (30x faster), and a larger page cache.
        for pragma in (
            "kinerja_baru.journal_mode = OFF",
            "kinerja_baru.synchronous = OFF",
            f"kinerja_baru.cache_size = {-EXPORT_CACHE_KB}",
            f"main.cache_size = {-EXPORT_CACHE_KB}",
        ):
            src_con.execute(f"PRAGMA {pragma}").fetchall()
        src_con.execute("SELECT sqlcipher_export('kinerja_baru')")
        version = src_con.execute("PRAGMA main.user_version").fetchone()[0]
        src_con.execute(f"PRAGMA kinerja_baru.user_version = {int(version)}")
        src_con.execute("DETACH DATABASE kinerja_baru")
    finally:
        if on_progress is not None:
            src_con.set_progress_handler(None, 0)
    con = connect(dest, key)
    try:
        con.execute("PRAGMA journal_mode=WAL").fetchone()
    finally:
        con.close()
