"""The cost of encryption at rest: the roster, evaluation and sync benchmarks' work on an
encrypted database against the same on a plain one, in one run; and encrypting a
100,000-employee database in place (time and peak memory).

Usage: ``python benchmarks/bench_encryption.py [--employees N] [--eval-employees N]
[--rows N] [--inplace N] [--repeat R]``. Each pair is built the same way (same seed) on
a plain file (``open_database(..., encrypt=False)``, on the same SQLite library and page
cache: the baseline) and an encrypted one (the default); the tables print medians and the
encrypted/plain ratio (target <= 1.3x).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import scratch_key  # noqa: F401,E402 - a fixed scratch key for the synthetic databases
from sqlalchemy import func, select, update  # noqa: E402

from kinerja_desktop.store.database import open_database  # noqa: E402

TARGET = 1.3


def same_library_for_plain_files() -> None:
    """The plain baseline runs on the same SQLite library (SQLCipher's, without a key) with
    the same page cache, so the ratio is the cost of encryption alone, not of a different
    SQLite version or cache size than the standard library's."""
    from sqlalchemy import create_engine, event

    from kinerja_desktop.store import database, encryption

    real = database.make_engine

    def make_engine(target, key=None):
        if key is not None or "://" in str(target):
            return real(target, key)
        engine = create_engine(f"sqlite:///{Path(str(target))}", module=encryption.sqlcipher())
        event.listen(
            engine,
            "connect",
            lambda c, _r: (
                c.execute(f"PRAGMA cache_size = {-database.ENCRYPTED_CACHE_KB}"),
                c.execute("PRAGMA temp_store = MEMORY"),
            ),
        )
        event.listen(engine, "connect", database.sqlite_pragmas)
        return engine

    database.make_engine = make_engine


def interleaved(cases: dict[str, tuple], repeat: int) -> list[tuple]:
    """``{name: (plain_fn, encrypted_fn)}`` timed in turns (plain, encrypted, plain, ...) so a
    busy moment of a shared machine falls on both alike; medians in ms."""
    rows = []
    for name, (plain_fn, enc_fn) in cases.items():
        plain_fn(), enc_fn()  # warm-up: both files' pages in the OS cache
        times: dict[int, list[float]] = {0: [], 1: []}
        for _ in range(repeat):
            for side, fn in ((0, plain_fn), (1, enc_fn)):
                t = time.perf_counter()
                fn()
                times[side].append(time.perf_counter() - t)
        rows.append((name, statistics.median(times[0]) * 1000, statistics.median(times[1]) * 1000))
    return rows


def roster_pair(folder: Path, employees: int, repeat: int) -> list[tuple]:
    from bench_roster_query import build

    from kinerja_desktop.services.access.permissions import subordinate_ids
    from kinerja_desktop.services.access.principal import PEJABAT_PENILAI, SYSTEM, Principal
    from kinerja_desktop.services.roster.query import RosterFilter, count_employees, fetch_employees
    from kinerja_desktop.store.employee import Employee

    dbs, sessions, cases = [], [], {}
    for label, encrypt in (("plain", False), ("encrypted", True)):
        db = open_database(folder / f"roster-{label}.sqlite3", encrypt=encrypt)
        build(db, employees)
        dbs.append(db)
        sessions.append(db.session())
    s = sessions[1]
    heads = s.execute(
        select(Employee.supervisor_id, func.count())
        .where(Employee.supervisor_id.is_not(None))
        .group_by(Employee.supervisor_id)
        .order_by(func.count().desc())
        .limit(2)
    ).all()
    nip = s.scalar(select(Employee.nip).where(Employee.id == heads[-1][0]))
    # Ids are random per database; the same person (by NIP) is the pejabat penilai in both.
    penilai = [
        Principal("penilai", PEJABAT_PENILAI, x.scalar(select(Employee.id).where(Employee.nip == nip)))
        for x in sessions
    ]
    total = count_employees(s, SYSTEM, RosterFilter(active=None))
    work = {
        "count, all active": lambda s: count_employees(s, SYSTEM, RosterFilter()),
        "page 1 by name": lambda s: fetch_employees(s, SYSTEM, RosterFilter(), limit=200),
        "page middle by name": lambda s: fetch_employees(s, SYSTEM, RosterFilter(), offset=total // 2, limit=200),
        "search 'siti' (count + page)": lambda s: (
            count_employees(s, SYSTEM, RosterFilter(text="siti")),
            fetch_employees(s, SYSTEM, RosterFilter(text="siti")),
        ),
        "pejabat penilai: subordinates + page": lambda s, i: (
            subordinate_ids(s, penilai[i].employee_id),
            fetch_employees(s, penilai[i], RosterFilter()),
        ),
    }
    for name, fn in work.items():
        if fn.__code__.co_argcount == 2:
            cases[f"roster: {name}"] = (lambda fn=fn: fn(sessions[0], 0), lambda fn=fn: fn(sessions[1], 1))
        else:
            cases[f"roster: {name}"] = (lambda fn=fn: fn(sessions[0]), lambda fn=fn: fn(sessions[1]))
    rows = interleaved(cases, repeat)
    for s, db in zip(sessions, dbs, strict=False):
        s.close()
        db.close()
    return rows


def evaluation_pair(folder: Path, employees: int, repeat: int) -> list[tuple]:
    import bench_performance as bp

    from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, PEJABAT_PENILAI, Principal
    from kinerja_desktop.services.performance.dashboard import dashboard
    from kinerja_desktop.services.performance.evaluation_grid import evaluation_grid
    from kinerja_desktop.store.employee import Employee

    dbs = []
    for label, encrypt in (("plain", False), ("encrypted", True)):
        site = folder / f"eval-{label}"
        site.mkdir()
        real_open = bp.open_database
        bp.open_database = lambda path, **kw: real_open(path, encrypt=encrypt, **kw)
        try:
            db, _summary, _built = bp.build_site(site, employees, "triwulan")
        finally:
            bp.open_database = real_open
        dbs.append(db)
    with dbs[1].session() as s:
        sup = s.scalar(
            select(Employee.supervisor_id)
            .where(Employee.supervisor_id.is_not(None))
            .group_by(Employee.supervisor_id)
            .order_by(func.count().desc())
            .limit(1)
        )
    penilai, hr = Principal("penilai", PEJABAT_PENILAI, sup), Principal("hr", ADMIN_KEPEGAWAIAN)

    def call(db, fn, actor, **kw):
        def go():
            with db.session() as s:
                return fn(s, actor, bp.YEAR, today=bp.TODAY, **kw)

        return go

    work = {
        "evaluation: dashboard(), pejabat penilai": (dashboard, penilai, {}),
        "evaluation: evaluation_grid(), pejabat penilai": (evaluation_grid, penilai, {}),
        "evaluation: dashboard(), HR": (dashboard, hr, {}),
        "evaluation: evaluation_grid(limit=200), HR": (evaluation_grid, hr, {"limit": bp.PAGE}),
    }
    cases = {
        name: (call(dbs[0], fn, actor, **kw), call(dbs[1], fn, actor, **kw)) for name, (fn, actor, kw) in work.items()
    }
    rows = interleaved(cases, repeat)
    for db in dbs:
        db.close()
    return rows


def sync_pair(folder: Path, rows: int) -> list[tuple]:
    from bench_sync import seed

    import kinerja_desktop.sync.sandbox as sandbox
    from kinerja_desktop.store.changes import log_rows, stamp_rows
    from kinerja_desktop.store.employee import Employee

    results: dict[str, dict[str, float]] = {}
    real_open = sandbox.open_database
    for label, encrypt in (("plain", False), ("encrypted", True)):
        sandbox.open_database = lambda path, **kw: real_open(path, encrypt=encrypt, **kw)
        try:
            central = sandbox.make_site(folder / f"sync-{label}" / "pusat", "1504-BKPSDM", "BKPSDM", central=True)
            office = sandbox.make_site(folder / f"sync-{label}" / "kantor", "1504-KEC-BENCH", "Kantor Bench")
        finally:
            sandbox.open_database = real_open
        sandbox.enroll_office(central, office)
        seed(office, rows, central)
        t = time.perf_counter()
        bundle = office.export()
        t_export = time.perf_counter() - t
        t = time.perf_counter()
        result = central.import_bundle(bundle.data)
        t_import = time.perf_counter() - t
        office.import_bundle(result.ack)
        with office.db.transaction() as s:  # 1 % changed, exported again
            ids = list(s.scalars(select(Employee.id).limit(max(1, rows // 100))))
            changed = [{"id": i, "golongan": "III/b"} for i in ids]
            stamp_rows(office.db.clock, changed, new=False)
            s.execute(update(Employee), changed)
            log_rows(s, "employees", changed)
        t = time.perf_counter()
        office.export()
        t_small = time.perf_counter() - t
        results[label] = {
            f"sync: export {rows:,} changes": t_export * 1000,
            f"sync: import {rows:,} changes": t_import * 1000,
            "sync: export after 1 % changed": t_small * 1000,
        }
        central.close()
        office.close()
    return [(name, results["plain"][name], results["encrypted"][name]) for name in results["plain"]]


INPLACE_CHILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from kinerja_desktop.store import rekey
def hwm():  # this process's own peak RSS in kB (ru_maxrss would include the parent's, kept across exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
path = Path(sys.argv[1])
before = hwm()
t = time.perf_counter()
report = rekey.encrypt_in_place(path)
print(f"{time.perf_counter() - t:.3f} {before} {hwm()}")
"""


def encrypt_in_place(folder: Path, employees: int) -> tuple:
    from bench_roster_query import build

    path = folder / "besar" / "kinerja.sqlite3"
    path.parent.mkdir()
    db = open_database(path, encrypt=False)
    t = time.perf_counter()
    build(db, employees)
    db.close()
    print(f"built a plain {employees:,}-employee database in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    size = path.stat().st_size
    t = time.perf_counter()
    shutil.copyfile(path, folder / "salinan.sqlite3")  # the baseline: one plain copy of the file
    os.sync()
    t_copy = time.perf_counter() - t
    env = {**os.environ, "KINERJA_HOME": str(path.parent)}
    out = subprocess.run(
        [sys.executable, "-c", INPLACE_CHILD, str(path), str(ROOT)], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    seconds, rss_before, rss_peak = float(out[0]), int(out[1]), int(out[2])
    return size, t_copy, seconds, rss_before / 1024, rss_peak / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--employees", type=int, default=100_000, help="roster queries")
    ap.add_argument("--eval-employees", type=int, default=5000, help="evaluation pages")
    ap.add_argument("--rows", type=int, default=100_000, help="sync changes")
    ap.add_argument("--inplace", type=int, default=100_000, help="employees in the database encrypted in place")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--only", default="roster,evaluation,sync,inplace", help="parts to run, comma-separated")
    args = ap.parse_args()
    parts = set(args.only.split(","))
    same_library_for_plain_files()
    folder = Path(tempfile.mkdtemp(prefix="bench-encryption-"))
    os.environ["KINERJA_HOME"] = str(folder / "home")
    try:
        rows = roster_pair(folder, args.employees, args.repeat) if "roster" in parts else []
        rows += evaluation_pair(folder, args.eval_employees, args.repeat) if "evaluation" in parts else []
        rows += sync_pair(folder, args.rows) if "sync" in parts else []
        inplace = encrypt_in_place(folder, args.inplace) if "inplace" in parts else None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"## Encryption at rest ({sys.platform}; roster {args.employees:,}, evaluation {args.eval_employees:,} "
        f"employees, sync {args.rows:,} changes)\n"
    )
    print("| work | plain (ms) | encrypted (ms) | encrypted / plain | target |")
    print("|---|---:|---:|---:|---|")
    for name, plain, enc in rows:
        ratio = enc / plain if plain else float("nan")
        print(
            f"| {name} | {plain:.1f} | {enc:.1f} | {ratio:.2f}x | <= {TARGET}x {'ok' if ratio <= TARGET else 'OVER'} |"
        )
    if inplace is None:
        return 0
    size, t_copy, seconds, rss_before, rss_peak = inplace
    print(f"\n| encrypting a {args.inplace:,}-employee database in place | value |")
    print("|---|---:|")
    print(f"| database file | {size / 1e6:.1f} MB |")
    print(f"| time (backup, export, switch, overwrite the plain copies) | {seconds:.2f} s |")
    print(f"| baseline: one plain copy of the file | {t_copy:.2f} s ({seconds / t_copy:.1f}x) |")
    print(f"| peak memory (RSS) of the process | {rss_peak:.0f} MB ({rss_peak - rss_before:.0f} MB over its start) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
