"""Installing a newer version over an old data folder: the frozen program backs up, then migrates.

Runs the built program (``make dist``) on a copy of every earlier schema's fixture database.
Skipped when there is no build, or when the build is older than the source (rebuild with
``make dist``), except in CI after ``make dist`` (``CI=true KINERJA_FROZEN_TESTS=1``), where
it must run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kinerja_desktop.store import migrate
from kinerja_desktop.store.encryption import open_raw

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "schemas"
FROZEN = ROOT / "dist" / "kinerja" / ("kinerja-cli.exe" if sys.platform == "win32" else "kinerja")
REQUIRED = os.environ.get("CI") == "true" and os.environ.get("KINERJA_FROZEN_TESTS") == "1"


def _newest_source_change() -> float:
    files = [p for p in (ROOT / "kinerja_desktop").rglob("*.py")] + list(FIXTURES.glob("*.sqlite3"))
    return max(p.stat().st_mtime for p in files)


def _skip_reason() -> str | None:
    if REQUIRED:
        return None
    if not FROZEN.exists():
        return f"no frozen build at {FROZEN.relative_to(ROOT)}; run `make dist` first"
    if FROZEN.stat().st_mtime < _newest_source_change():
        return "the frozen build is older than the source; run `make dist` again"
    return None


# `make test` deselects these by marker (-m "not frozen"); `make selftest-frozen` CI runs them.
pytestmark = [pytest.mark.frozen, pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")]


def _revision(db_file: Path) -> str:
    con = open_raw(db_file)  # plain before the upgrade, encrypted after it
    try:
        return "+".join(sorted(r[0] for r in con.execute("SELECT version_num FROM alembic_version")))
    finally:
        con.close()


def _fixtures() -> list[Path]:
    return sorted(FIXTURES.glob("*.sqlite3"))


def test_the_build_exists_when_required():
    assert FROZEN.exists(), f"CI built no program at {FROZEN}"


def test_there_are_fixtures():
    assert _fixtures(), "no schema fixtures in tests/fixtures/schemas"


@pytest.mark.parametrize("fixture", _fixtures(), ids=lambda p: p.stem)
def test_frozen_program_upgrades_an_old_data_folder(fixture, tmp_path):
    home = tmp_path / "data"
    home.mkdir()
    target = home / "kinerja.sqlite3"
    shutil.copy(fixture, target)
    old = _revision(target)
    env = {k: v for k, v in os.environ.items() if k != "KINERJA_HOME"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [str(FROZEN), "--data-dir", str(home), "audit", "verify"], capture_output=True, text=True, timeout=300, env=env
    )
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    assert "Jejak audit utuh" in done.stdout

    head = migrate.head_revision()
    assert _revision(target) == head
    assert target.read_bytes()[:16] != b"SQLite format 3\x00"  # encrypted in place on the upgrade
    backups = sorted((home / "backups").glob("kinerja-*.sqlite3"))
    if old != head:
        assert len(backups) == 1, f"expected one backup before the upgrade, found {backups}"
        assert _revision(backups[0]) == old  # the backup is the database as it was
    else:
        assert backups == []

    # Opening it again is a no-op: no second backup, same revision.
    again = subprocess.run(
        [str(FROZEN), "--data-dir", str(home), "audit", "verify"], capture_output=True, text=True, timeout=300, env=env
    )
    assert again.returncode == 0, again.stderr
    assert sorted((home / "backups").glob("kinerja-*.sqlite3")) == backups


def test_a_second_launch_of_the_frozen_program_hands_over_and_exits(tmp_path):
    """The built program opened twice on one data folder: the second start exits 0 at once."""
    import time

    from PySide6.QtCore import QDir

    from kinerja_desktop.ui.single_instance import instance_name

    home = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k != "KINERJA_HOME"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    lock = Path(QDir.tempPath()) / f"{instance_name(home)}.lock"
    first = subprocess.Popen(
        [str(FROZEN), "--data-dir", str(home)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while not lock.exists():
            assert first.poll() is None, f"the first program ended with {first.returncode}"
            assert time.monotonic() < deadline, "the first program never took its lock"
            time.sleep(0.2)
        second = subprocess.run(
            [str(FROZEN), "--data-dir", str(home)], env=env, capture_output=True, text=True, timeout=60
        )
        assert second.returncode == 0, second.stderr
        assert first.poll() is None, "the first program must still be running"
        log = home / "logs" / "kinerja.log"
        assert "did not answer" not in (log.read_text(encoding="utf-8") if log.exists() else "")
    finally:
        first.terminate()
        try:
            first.wait(timeout=20)
        except subprocess.TimeoutExpired:
            first.kill()
            first.wait()
        lock.unlink(missing_ok=True)  # a terminated program leaves its lock and socket behind
        (lock.parent / instance_name(home)).unlink(missing_ok=True)
