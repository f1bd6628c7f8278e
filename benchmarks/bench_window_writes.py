"""Window writes through the operation layer, against the same write done directly.

    python benchmarks/bench_window_writes.py [--writes 200] [--holds 5]

- round trip: ``ctx.write(fn, on_done)`` from the UI thread (write lane, retrying
  transaction, answer back on the UI thread) against ``db.transaction()`` doing the same
  INSERT on the calling thread. The price of never freezing the window.
- after a lock: another connection holds the write lock (BEGIN IMMEDIATE, as a sync import
  does) past SQLite's busy timeout; time from its release to the window's write being
  committed, against a plain connection waiting in SQLite's own busy handler for the same
  release. The price of the retry pause (``operations.RETRY_PAUSE_S``).

Prints a Markdown table. Speed is measured here, never asserted in the tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

import scratch_key  # noqa: F401 - a fixed scratch key for the synthetic database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

INSERT = (
    "INSERT INTO units (id, code, name, kind, origin_site, updated_hlc, deleted) "
    "VALUES (:id, :code, 'Unit', 'dinas', 's', '0', 0)"
)


def _insert(n: int):
    from sqlalchemy import text

    def fn(session) -> None:
        session.execute(text(INSERT), {"id": f"u-{n}", "code": f"B{n}"})

    return fn


def _wait(app, condition, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise RuntimeError("timed out")
        app.processEvents()
        time.sleep(0.0005)


def round_trips(app, db, ctx, writes: int) -> tuple[list[float], list[float]]:
    window, direct = [], []
    for i in range(writes):
        done: list[float] = []
        start = time.perf_counter()
        ctx.write(_insert(i), lambda _r: done.append(time.perf_counter()))
        _wait(app, lambda: bool(done))
        window.append((done[0] - start) * 1000)
        start = time.perf_counter()
        with db.transaction() as s:
            _insert(100_000 + i)(s)
        direct.append((time.perf_counter() - start) * 1000)
    return window, direct


def _hold(path: Path):
    from kinerja_desktop.store.encryption import open_raw

    con = open_raw(path, isolation_level=None, check_same_thread=False)
    con.execute("PRAGMA busy_timeout=0")
    con.execute("BEGIN IMMEDIATE")
    return con


def after_lock(app, db, ctx, holds: int, hold_s: float) -> tuple[list[float], list[float]]:
    from kinerja_desktop.store.encryption import open_raw

    window, plain = [], []
    for i in range(holds):
        con = _hold(db.path)
        done: list[float] = []
        ctx.write(_insert(200_000 + i), lambda _r: done.append(time.perf_counter()))
        end = time.monotonic() + hold_s
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.005)
        released = time.perf_counter()
        con.execute("ROLLBACK")
        con.close()
        _wait(app, lambda: bool(done))
        window.append((done[0] - released) * 1000)

        con = _hold(db.path)
        other = open_raw(db.path, isolation_level=None, check_same_thread=False)
        other.execute(f"PRAGMA busy_timeout={int((hold_s + 5) * 1000)}")
        committed: list[float] = []

        def wait_in_sqlite(n=300_000 + i) -> None:
            other.execute("BEGIN IMMEDIATE")
            other.execute(INSERT.replace(":id", f"'u-{n}'").replace(":code", f"'B{n}'"))
            other.execute("COMMIT")
            committed.append(time.perf_counter())

        worker = threading.Thread(target=wait_in_sqlite)
        worker.start()
        time.sleep(hold_s)
        released = time.perf_counter()
        con.execute("ROLLBACK")
        con.close()
        worker.join()
        other.close()
        plain.append((committed[0] - released) * 1000)
    return window, plain


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--holds", type=int, default=5)
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.store import database as database_module
    from kinerja_desktop.store.database import open_database
    from kinerja_desktop.ui.context import AppContext
    from kinerja_desktop.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["KINERJA_HOME"] = tmp
        # A short busy timeout so each hold outlasts it in a moment, as a long import outlasts 10 s.
        database_module.BUSY_TIMEOUT_MS = 200
        db = open_database(Path(tmp) / "kinerja.sqlite3")
        try:
            ctx = AppContext(db=db, principal=SYSTEM, runner=TaskRunner(db), settings=None)  # type: ignore[arg-type]
            window, direct = round_trips(app, db, ctx, args.writes)
            held_window, held_plain = after_lock(app, db, ctx, args.holds, hold_s=1.0)
            ctx.runner.wait(10000)
        finally:
            db.close()

    def row(name, mine, base, base_name) -> None:
        m, b = statistics.median(mine), statistics.median(base)
        print(f"| {name} | {m:.1f} ms | {b:.1f} ms ({base_name}) | {m / b:.2f}× |")

    print(f"\n### Window writes ({args.writes} writes, {args.holds} lock holds of 1 s, median)\n")
    print("| measure | operation layer | baseline | ratio |")
    print("|---|---:|---:|---:|")
    row("one INSERT: asked → answered on the UI thread", window, direct, "db.transaction on the caller")
    row("after a lock past the busy timeout: release → committed", held_window, held_plain, "SQLite busy handler")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
