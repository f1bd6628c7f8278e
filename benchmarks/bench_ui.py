"""The window at 100,000 employees: start-up, search latency and memory, against a bare window.

    python benchmarks/bench_ui.py [--runs 3] [--employees 100000]

Builds (once, and again when the schema changed) a demo district of 100,000 employees in
benchmarks/_work/, then runs each measurement in a fresh process so start-up and memory are
not flattered by a warm one:

- start-up: from just before the process is spawned to the main window's first paint,
  through the program's real start path: the ``kinerja`` argument parser, logging, then
  ``ui.launch.launch`` (the window's frame paints while a worker loads the data layer and
  opens the database). Sign-in is skipped by the test-only ``account`` argument of
  ``launch`` (a function given the open database, returning the practice Admin
  Kepegawaian); the window opens on the Pegawai page, the page it remembers. Also: to the
  database being open, and to the first 200 rows shown. Against a bare PySide6 window
  script (same size) in the same run, interleaved. Target: ≤ 2.5× the bare window.
- search: a key typed into the Pegawai search field after a pause, to the table holding
  the new rows (model reset handled, pending paints done); median and p95.
  Target: median ≤ 100 ms.
- memory: resident set size with the roster open (first page of 100,000), and after
  scrolling through all 100,000 rows, against the bare window. Target: ≤ bare + 150 MB.
- scrolling: time to load every row by scrolling to the bottom again and again, with the
  model's keyset paging, and (same process, same rows) with OFFSET windows for comparison.

Prints a Markdown table. Speed is measured here, never asserted in the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import scratch_key  # noqa: F401 - a fixed scratch key for the synthetic databases

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "_work"
TYPED = ["siti", "ahmad", "nur", "putri", "budi", "1985", "1990", "wati", "rahmat", "dewi", "eka", "yanti"]


# --- measuring inside a child process ----------------------------------------------------


def rss_mb() -> float | None:
    """Resident set size of this process now, in MB (Linux /proc; elsewhere the peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    except ImportError:  # pragma: no cover - Windows
        return None


def _first_paint(app, window) -> None:
    """Run the event loop until ``window`` has painted once."""
    from PySide6.QtCore import QEvent, QObject

    painted = []

    class Watch(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                painted.append(True)
            return False

    watch = Watch()
    window.installEventFilter(watch)
    window.show()
    while not painted:
        app.processEvents()
    window.removeEventFilter(watch)


def child_bare() -> dict:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    window = QMainWindow()
    window.setCentralWidget(QLabel("Hello"))
    window.resize(1280, 740)  # the size the program's window opens at
    _first_paint(app, window)
    painted = time.time()
    return {"painted": painted, "rss_painted": rss_mb()}


def _principal(db, username: str):
    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.services.access.users import list_users, principal_of

    with db.session() as s:
        return principal_of(next(u for u in list_users(s, SYSTEM) if u.username == username))


def _wait(app, condition, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        app.processEvents()
        if time.monotonic() > end:
            raise TimeoutError("benchmark step did not finish")
        time.sleep(0.0005)


def child_app(db_path: str, search: bool, scroll_all: bool) -> dict:
    """The program as ``kinerja --db PATH`` starts it, signed in without the dialog."""
    from kinerja_desktop.cli import build_parser
    from kinerja_desktop.logs import setup_logging
    from kinerja_desktop.ui.context import ui_settings
    from kinerja_desktop.ui.launch import launch

    # The window remembers its last page (per account, set below) and size: the Pegawai page, the default size.
    settings = ui_settings()
    settings.remove("window/geometry")
    settings.remove("window/state")
    settings.sync()

    out: dict = {}
    failures: list[BaseException] = []

    def account(db):  # called once the database is open, in place of the sign-in dialog
        from PySide6.QtCore import QTimer

        out["db_open"] = time.time()
        from kinerja_desktop.ui.window import KEY_PAGE

        QTimer.singleShot(0, measure)  # after the launcher has filled the window
        principal = _principal(db, "kepegawaian")
        settings.setValue(
            f"{KEY_PAGE}/{principal.user_id or principal.role}", "employees"
        )  # the last page is per account
        settings.sync()
        return principal

    def measure() -> None:
        from PySide6.QtWidgets import QApplication

        from kinerja_desktop.ui.window import MainWindow

        app = QApplication.instance()
        window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.ctx is not None)
        try:
            _measure(app, window, out, search, scroll_all)
        except BaseException as exc:  # reported by the parent
            failures.append(exc)
        window.close()

    args = build_parser().parse_args(["--db", db_path])
    setup_logging(console=False)
    code = launch(args, account=account)
    if failures:
        raise failures[0]
    if code != 0 or "painted" not in out:
        raise SystemExit(f"the program ended with {code} before the measurements")
    return out


def _measure(app, window, out: dict, search: bool, scroll_all: bool) -> None:
    _wait(app, lambda: window.first_painted_at is not None)
    out["painted"] = window.first_painted_at
    out["rss_painted"] = rss_mb()
    page = window.pages["employees"]
    _wait(app, lambda: not page.model.loading)
    app.processEvents()
    out["roster_shown"] = time.time()
    _wait(app, lambda: not page.model.busy)
    out["rss_roster"] = rss_mb()
    out["total"] = page.model.total

    if search:
        out["search_ms"] = _search_latencies(app, page)
        out["burst_ms"] = _burst_latencies(app, page)
    if scroll_all:
        out["scroll_all_s"], out["page_first_ms"], out["page_last_ms"] = _scroll_all(app, page)
        out["rows_loaded"] = page.model.rowCount()
        out["rss_all"] = rss_mb()
        # The same scroll with OFFSET windows (what fetchMore did before keyset paging).
        model = page.model
        model.fetch_rows_after = lambda session, query, _after, offset, limit: model.fetch_rows(
            session, query, offset, limit
        )
        out["scroll_offset_s"], out["offset_first_ms"], out["offset_last_ms"] = _scroll_all(app, page)
    window.ctx.runner.wait(10000)


def _scroll_all(app, page) -> tuple[float, float, float]:
    """Seconds to load every row by scrolling to the bottom, page after page; and the median
    milliseconds of one page among the first 25 and among the last 25."""
    page.search.clear()
    page.search_throttle.flush()
    page.model.reload()
    _wait(app, lambda: page.model.filter.text == "" and not page.model.busy)
    model = page.model
    start = time.perf_counter()
    pages = []
    while model.rowCount() < model.total:
        began, rows = time.perf_counter(), model.rowCount()
        page.table.scrollToBottom()
        _wait(app, lambda: model.canFetchMore() or model.rowCount() >= model.total)
        model.fetchMore()
        _wait(app, lambda: model.rowCount() > rows or model.rowCount() >= model.total)
        pages.append((time.perf_counter() - began) * 1000)
    return time.perf_counter() - start, statistics.median(pages[:25]), statistics.median(pages[-25:])


def _after_reset(app, page, act) -> float:
    """Milliseconds from ``act()`` (a key press) to the table showing the new rows."""
    done = []

    def mark() -> None:
        done.append(time.perf_counter())

    page.model.loaded.connect(mark)
    start = time.perf_counter()
    act()
    _wait(app, lambda: bool(done))
    app.processEvents()  # the repaint of the rows
    end = time.perf_counter()
    page.model.loaded.disconnect(mark)
    return (end - start) * 1000


def _search_latencies(app, page) -> list[float]:
    from PySide6.QtTest import QTest

    samples = []
    for word in TYPED:
        page.search.clear()
        _wait(app, lambda: not page.model.busy)
        time.sleep(0.2)  # a person's pause: past the throttle interval
        for ch in word:
            samples.append(_after_reset(app, page, lambda ch=ch: QTest.keyClicks(page.search, ch)))
            end = time.monotonic() + 0.2
            while time.monotonic() < end:  # the pause between keys of someone reading the list
                app.processEvents()
                time.sleep(0.005)
    return samples


def _burst_latencies(app, page) -> list[float]:
    """A whole word typed fast (25 ms between keys): last key to the final rows."""
    from PySide6.QtTest import QTest

    samples = []
    for word in TYPED[:6]:
        page.search.clear()
        _wait(app, lambda: not page.model.busy)
        time.sleep(0.2)
        for ch in word[:-1]:
            QTest.keyClicks(page.search, ch)
            end = time.monotonic() + 0.025
            while time.monotonic() < end:
                app.processEvents()
        expected = word

        def last_key(ch=word[-1]):
            QTest.keyClicks(page.search, ch)

        done = []
        start = time.perf_counter()
        last_key()
        _wait(app, lambda: page.model.filter.text == expected and not page.model.loading)
        app.processEvents()
        done.append(time.perf_counter())
        samples.append((done[0] - start) * 1000)
    return samples


# --- the parent ------------------------------------------------------------------------


def build_database(path: Path, employees: int) -> None:
    from kinerja_desktop.services.access.users import create_practice_accounts
    from kinerja_desktop.services.demo.district import build_demo
    from kinerja_desktop.services.progress import run
    from kinerja_desktop.store.database import open_database
    from kinerja_desktop.store.encryption import sidecar_path

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    print(f"Building a demo district of {employees:,} employees in {path} (once)…", file=sys.stderr)
    db = open_database(tmp)
    try:
        run(build_demo(db, employees=employees, activity=False))
        with db.transaction() as s:
            create_practice_accounts(s)
    finally:
        db.close()
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    tmp.rename(path)
    sidecar_path(tmp).rename(sidecar_path(path))  # its key file travels with it


def database_is_current(path: Path) -> bool:
    """The work database has this program's schema: its revision, every roster index."""
    import sqlite3

    from kinerja_desktop.errors import UserError
    from kinerja_desktop.store import migrate
    from kinerja_desktop.store.employee import Employee
    from kinerja_desktop.store.encryption import open_raw, sqlcipher

    try:
        con = open_raw(path)
        revisions = tuple(sorted(r for (r,) in con.execute("SELECT version_num FROM alembic_version")))
        indexes = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    except (sqlite3.DatabaseError, sqlcipher().DatabaseError, UserError):
        return False
    finally:
        con.close()
    wanted = {ix.name for ix in Employee.__table__.indexes}
    return revisions == migrate.head_revisions() and wanted <= indexes


def spawn(mode: str, *extra: str) -> dict:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        KINERJA_HOME=str(WORK / "home"),
        PYTHONPATH=str(ROOT),
    )
    start = time.time()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", mode, *extra], env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"child {mode} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["spawned"] = start
    return result


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--child", choices=("bare", "app", "app-search"), help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child == "bare":
        print(json.dumps(child_bare()))
        return 0
    if args.child in ("app", "app-search"):
        print(json.dumps(child_app(args.db, search=args.child == "app-search", scroll_all=args.child == "app-search")))
        return 0

    db_path = WORK / f"kinerja-{args.employees // 1000}k.sqlite3"
    if db_path.exists() and not database_is_current(db_path):
        print(f"{db_path} has an older schema (revision or roster indexes); building it again.", file=sys.stderr)
        db_path.unlink()
    if not db_path.exists():
        build_database(db_path, args.employees)

    bare_start, app_start, app_open, app_roster, bare_rss, app_rss = [], [], [], [], [], []
    for _ in range(args.runs):  # interleaved, so both see the same machine load
        b = spawn("bare")
        bare_start.append((b["painted"] - b["spawned"]) * 1000)
        bare_rss.append(b["rss_painted"])
        a = spawn("app", "--db", str(db_path))
        app_start.append((a["painted"] - a["spawned"]) * 1000)
        app_open.append((a["db_open"] - a["spawned"]) * 1000)
        app_roster.append((a["roster_shown"] - a["spawned"]) * 1000)
        app_rss.append(a["rss_roster"])
    s = spawn("app-search", "--db", str(db_path))

    bare_ms, app_ms = statistics.median(bare_start), statistics.median(app_start)
    bare_mb = statistics.median(bare_rss)
    roster_mb = statistics.median(app_rss)
    search = s["search_ms"]
    burst = s["burst_ms"]
    print(f"\n### Window benchmark ({s['total']:,} employees, {args.runs} runs, median)\n")
    print("| measure | Kinerja Desktop | bare PySide6 window | result | target |")
    print("|---|---:|---:|---:|---|")
    print(
        f"| start-up: process start → main window painted | {app_ms:.0f} ms | {bare_ms:.0f} ms | "
        f"{app_ms / bare_ms:.2f}× | ≤ 2.5× |"
    )
    print(
        f"| start-up: process start → database open (sign-in could show) | {statistics.median(app_open):.0f} ms | | | |"
    )
    print(f"| start-up: process start → first 200 rows shown | {statistics.median(app_roster):.0f} ms | | | |")
    print(
        f"| search: keystroke → table updated, median ({len(search)} keys) | {statistics.median(search):.0f} ms | | "
        f"| ≤ 100 ms |"
    )
    print(f"| search: keystroke → table updated, p95 | {pct(search, 0.95):.0f} ms | | | |")
    print(f"| search: fast typing, last key → final rows, median | {statistics.median(burst):.0f} ms | | | |")
    print(
        f"| memory (RSS), roster open | {roster_mb:.0f} MB | {bare_mb:.0f} MB | +{roster_mb - bare_mb:.0f} MB "
        f"| ≤ +150 MB |"
    )
    print(
        f"| memory (RSS), all {s['rows_loaded']:,} rows scrolled into the table | {s['rss_all']:.0f} MB | "
        f"{bare_mb:.0f} MB | +{s['rss_all'] - bare_mb:.0f} MB | ≤ +150 MB |"
    )
    print(
        f"| scrolling through all {s['rows_loaded']:,} rows, keyset paging (200 per page) | "
        f"{s['scroll_all_s']:.1f} s | | | |"
    )
    print(
        f"| … one page of 200, first 25 pages / last 25 pages, median | {s['page_first_ms']:.0f} ms / "
        f"{s['page_last_ms']:.0f} ms | | | |"
    )
    print(f"| the same scroll with OFFSET windows (before keyset paging) | {s['scroll_offset_s']:.1f} s | | | |")
    print(
        f"| … one page of 200, first 25 pages / last 25 pages, median | {s['offset_first_ms']:.0f} ms / "
        f"{s['offset_last_ms']:.0f} ms | | | |"
    )
    runs = ", ".join(f"{a:.0f}/{b:.0f}" for a, b in zip(app_start, bare_start, strict=False))
    print(f"\nStart-up runs, ours/bare (ms): {runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
