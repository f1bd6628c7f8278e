"""Performance management at district size: Beranda, Penilaian page, export.

    .venv/bin/python benchmarks/bench_performance.py [--employees 5000] [--export-rows 100000] [--repeat 7]

1. A site of ``--employees`` (demo district) with a complete year of evaluations
   (Akhir + 4 triwulan, every employee, all final): times the service calls behind
   Beranda (``dashboard``) and the Penilaian page (``evaluation_grid``), for the
   pejabat penilai with the most direct subordinates and for HR (every employee). The
   baseline for each is a raw ``sqlite3`` query that reads the same rows (employees in
   scope and their evaluation rows) without any ORM or logic: the floor cost of the data.
   Target: <= 300 ms each.
2. A site with ``--export-rows`` evaluations (monthly scheme: 13 periods per employee):
   ``export_evaluations`` to CSV and to XLSX (rows/s, Python peak memory) against
   ``csv.writer`` of the same columns from one raw ``sqlite3`` join.

Median of ``--repeat`` runs after one warm-up run; a fresh session per run. Prints a
Markdown table.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import scratch_key  # noqa: F401,E402 - a fixed scratch key for the synthetic databases
from sqlalchemy import func, select  # noqa: E402

from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, PEJABAT_PENILAI, Principal  # noqa: E402
from kinerja_desktop.services.demo.district import build_demo  # noqa: E402
from kinerja_desktop.services.demo.performance import add_performance_demo  # noqa: E402
from kinerja_desktop.services.performance.dashboard import dashboard  # noqa: E402
from kinerja_desktop.services.performance.evaluation_export import export_evaluations  # noqa: E402
from kinerja_desktop.services.performance.evaluation_grid import evaluation_grid  # noqa: E402
from kinerja_desktop.services.progress import run  # noqa: E402
from kinerja_desktop.store.database import open_database  # noqa: E402
from kinerja_desktop.store.employee import Employee  # noqa: E402
from kinerja_desktop.store.encryption import open_raw  # noqa: E402

YEAR = 2026
TARGET_MS = 300.0
TODAY = date(YEAR, 11, 28)
PAGE = 200  # rows the Penilaian page fetches at a time


def build_site(folder: Path, employees: int, scheme: str):
    os.environ["KINERJA_HOME"] = str(folder)
    db = open_database(folder / "kinerja.sqlite3")
    t = time.perf_counter()
    # The roster only: the demo's own (partial, "as of today") performance year is replaced
    # by a complete one below, with the scheme this measurement needs.
    import kinerja_desktop.services.demo.district as demo_module

    wired = getattr(demo_module, "add_performance_demo", None)
    if wired is not None:
        demo_module.add_performance_demo = lambda *_a, **_k: None
    try:
        run(build_demo(db, employees=employees, year=YEAR))
    finally:
        if wired is not None:
            demo_module.add_performance_demo = wired
    with db.transaction() as s:
        summary = add_performance_demo(s, random.Random(5), YEAR, scheme=scheme, complete=True)
    return db, summary, time.perf_counter() - t


def timed(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def _scope_sql(supervisor: str | None) -> tuple[str, tuple]:
    if supervisor is None:
        return "SELECT id FROM employees WHERE deleted = 0 AND active = 1", ()
    return "SELECT id FROM employees WHERE supervisor_id = ? AND deleted = 0 AND active = 1", (supervisor,)


def raw_dashboard(con, supervisor: str | None) -> int:
    """Raw baseline of Beranda: the rows its numbers come from (scope, SKP status, evaluation status)."""
    scope, args = _scope_sql(supervisor)
    n = len(con.execute(scope, args).fetchall())
    n += len(
        con.execute(f"SELECT status FROM skp WHERE year = ? AND employee_id IN ({scope})", (YEAR, *args)).fetchall()
    )
    n += len(
        con.execute(
            "SELECT e.period_id, e.status, e.predikat FROM evaluations e JOIN periods p ON p.id = e.period_id "
            f"WHERE p.year = ? AND e.deleted = 0 AND e.employee_id IN ({scope})",
            (YEAR, *args),
        ).fetchall()
    )
    return n


def raw_grid(con, supervisor: str | None, limit: int | None = None) -> int:
    """Raw baseline of the Penilaian page: the people (one page) and their SKP and evaluation rows."""
    scope, args = _scope_sql(supervisor)
    page = (
        f"SELECT m.id, m.nip, m.name, u.name FROM employees m LEFT JOIN units u ON u.id = m.unit_id "
        f"WHERE m.id IN ({scope}) ORDER BY u.name, m.name" + (f" LIMIT {limit}" if limit else "")
    )
    people = con.execute(page, args).fetchall()
    ids = [p[0] for p in people]
    marks = ",".join("?" * len(ids))
    n = len(people) + con.execute(f"SELECT count(*) FROM ({scope})", args).fetchone()[0]
    n += len(
        con.execute(
            f"SELECT employee_id, status FROM skp WHERE year = ? AND employee_id IN ({marks})", (YEAR, *ids)
        ).fetchall()
    )
    n += len(
        con.execute(
            "SELECT e.employee_id, e.period_id, e.status, e.predikat, e.revision_no FROM evaluations e "
            f"JOIN periods p ON p.id = e.period_id WHERE p.year = ? AND e.deleted = 0 AND e.employee_id IN ({marks})",
            (YEAR, *ids),
        ).fetchall()
    )
    return n


def bench_pages(employees: int, repeat: int) -> list[tuple]:
    folder = Path(tempfile.mkdtemp(prefix="bench-perf-"))
    db, summary, built = build_site(folder, employees, "triwulan")
    print(f"site: {employees} employees, {summary.evaluations} evaluations, built in {built:.1f} s", file=sys.stderr)
    with db.session() as s:
        sup_id, n_sub = s.execute(
            select(Employee.supervisor_id, func.count())
            .where(Employee.supervisor_id.is_not(None))
            .group_by(Employee.supervisor_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
    supervisor = Principal("penilai", PEJABAT_PENILAI, sup_id)
    hr = Principal("hr", ADMIN_KEPEGAWAIAN)
    con = open_raw(db.path)
    rows = []

    def call(fn, actor, **kw):
        def go():
            with db.session() as s:
                return fn(s, actor, YEAR, today=TODAY, **kw)

        return go

    for who, actor, scope_arg in (
        (f"pejabat penilai ({n_sub} bawahan)", supervisor, sup_id),
        (f"admin kepegawaian ({employees} pegawai)", hr, None),
    ):
        cases = [("Beranda: dashboard()", call(dashboard, actor), lambda: raw_dashboard(con, scope_arg), True)]
        if actor is supervisor:
            cases.append(
                (
                    "Penilaian: evaluation_grid() (all rows)",
                    call(evaluation_grid, actor),
                    lambda: raw_grid(con, scope_arg),
                    True,
                )
            )
        else:
            cases.append(
                (
                    "Penilaian: evaluation_grid(limit=200) (first page)",
                    call(evaluation_grid, actor, limit=PAGE),
                    lambda: raw_grid(con, None, PAGE),
                    True,
                )
            )
            cases.append(
                (
                    "Penilaian: evaluation_grid() (all 5,000 rows at once; not what the page does)",
                    call(evaluation_grid, actor),
                    lambda: raw_grid(con, None),
                    False,
                )
            )
        for what, ours_fn, raw_fn, has_target in cases:
            base = timed(raw_fn, repeat)
            ms = timed(ours_fn, repeat)
            verdict = ("ok" if ms <= TARGET_MS else "OVER") if has_target else "-"
            rows.append((what, who, ms, base, ms / base if base else float("nan"), verdict))
    con.close()
    db.close()
    return rows


def raw_export(db_path: Path, target: Path) -> int:
    """Baseline: one raw join of the same columns written with csv.writer (or openpyxl write-only)."""
    con = open_raw(db_path)
    cur = con.execute(
        "SELECT m.nip, m.name, u.name, p.kind || ' ' || p.number, e.rating_hasil_kerja, e.rating_perilaku_kerja, "
        "e.predikat, e.status, s.nip, e.finalized_on, e.kind, e.revision_no, e.revision_reason, e.capaian, "
        "e.catatan_rekomendasi, e.id FROM evaluations e JOIN employees m ON m.id = e.employee_id "
        "JOIN periods p ON p.id = e.period_id LEFT JOIN units u ON u.id = m.unit_id "
        "LEFT JOIN employees s ON s.id = e.evaluator_id WHERE p.year = ?",
        (YEAR,),
    )
    n = 0
    if target.suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("x")
        for row in cur:
            ws.append(list(row))
            n += 1
        wb.save(target)
    else:
        with target.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            for row in cur:
                w.writerow(row)
                n += 1
    con.close()
    return n


def bench_export(export_rows: int) -> list[tuple]:
    employees = max(1, -(-export_rows // 13))
    folder = Path(tempfile.mkdtemp(prefix="bench-export-"))
    db, summary, built = build_site(folder, employees, "bulanan")
    print(
        f"export site: {employees} employees, {summary.evaluations} evaluations, built in {built:.1f} s",
        file=sys.stderr,
    )
    out = []
    for suffix in (".csv", ".xlsx"):
        t = time.perf_counter()
        n_raw = raw_export(db.path, folder / f"raw{suffix}")
        raw_s = time.perf_counter() - t
        target = folder / f"evaluasi{suffix}"
        from kinerja_desktop.services.access.principal import SYSTEM

        with db.session() as s:
            t = time.perf_counter()
            n = run(export_evaluations(s, SYSTEM, target, YEAR))
            secs = time.perf_counter() - t
        with db.session() as s:
            tracemalloc.start()
            run(export_evaluations(s, SYSTEM, folder / f"mem{suffix}", YEAR))
            peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
            tracemalloc.stop()
        out.append(
            (
                f"export_evaluations {suffix}",
                n,
                secs,
                n / secs,
                raw_s,
                n_raw / raw_s,
                secs / raw_s,
                peak,
                target.stat().st_size / 1024 / 1024,
            )
        )
    db.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--employees", type=int, default=5000)
    ap.add_argument("--export-rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    pages = bench_pages(args.employees, args.repeat)
    export = bench_export(args.export_rows)
    print(f"\nMachine: {os.cpu_count()} CPUs, load average {load:.1f} at the start.")
    print(f"\n### Beranda and Penilaian, {args.employees} employees, a complete year (target <= {TARGET_MS:.0f} ms)\n")
    print("| call | as | ours (ms) | raw sqlite3 read of the same rows (ms) | ratio | target |")
    print("|---|---|---:|---:|---:|---|")
    for what, who, ms, base, ratio, ok in pages:
        print(f"| {what} | {who} | {ms:.1f} | {base:.1f} | {ratio:.1f}x | {ok} |")
    print(f"\n### Export of {args.export_rows:,} evaluations\n")
    print(
        "| file | rows | ours (s) | ours (rows/s) | baseline raw join + csv.writer/openpyxl (s) | baseline (rows/s) | ratio | "
        "Python peak (MB) | file (MB) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for what, n, secs, rate, raw_s, raw_rate, ratio, peak, size in export:
        print(
            f"| {what} | {n:,} | {secs:.2f} | {rate:,.0f} | {raw_s:.2f} | {raw_rate:,.0f} | {ratio:.1f}x | "
            f"{peak:.1f} | {size:.1f} |"
        )


if __name__ == "__main__":
    main()
