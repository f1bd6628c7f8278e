"""The window's complete lists and the words it shows, at district scale.

Usage: ``python benchmarks/bench_lists.py [--employees N] [--plans N] [--audit N]``.

Builds a synthetic roster (``bench_roster_query.build``) with ``--plans`` development-plan
items and ``--audit`` audit entries, then measures, with a baseline taken in the same run:

- the development-plan list (Pelatihan › Rencana pengembangan): the count and a page of
  200 (first and last), filtered by year, against the same query in raw ``sqlite3``;
- the audit view: a page of 200 entries in words (names looked up, codes as labels)
  against the raw page of entries;
- the Qt catalogue switch (Indonesian on, off again) and the display-library check that
  ``make run`` and the program's start do (one ``ldd``), against starting ``ldd --version``.

Prints a table of medians and ratios. Targets: a page or count of a list ≤ 300 ms (as for
the roster and the Penilaian grid); a page of audit words ≤ 100 ms (it is read in a worker);
the checks at the program's start ≤ 10 ms (start-up is measured against a bare window).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import scratch_key  # noqa: F401 - a fixed scratch key for the synthetic databases
from bench_roster_query import build
from sqlalchemy import insert, select

from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.audit.chain import record
from kinerja_desktop.services.audit.query import AuditFilter, list_audit
from kinerja_desktop.services.training.development_competency import PlanFilter, count_plans, plan_rows
from kinerja_desktop.store.changes import clock_of, log_rows, stamp_rows
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.development import DevelopmentPlanItem
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.encryption import open_raw

YEAR = 2026
REASONS = ("wrong_password", "unknown_user", "locked")
ROLES = ("administrator", "admin_kepegawaian", "pejabat_penilai")


def add_plans(db, n: int, seed: int = 2) -> None:
    rnd = random.Random(seed)
    with db.transaction() as s:
        people = s.scalars(select(Employee.id)).all()
        clock = clock_of(s)
        for start in range(0, n, 5000):
            rows = [
                {
                    "employee_id": rnd.choice(people),
                    "source": rnd.choice(("evaluasi", "kompetensi")),
                    "description": f"Rencana pengembangan {i}",
                    "competency_code": "M.1",
                    "suggested_activity_codes": ["NKL01", "KL03"],
                    "target_date": date(YEAR - 1, 1, 1) + timedelta(days=rnd.randrange(3 * 365)),
                    "status": "selesai" if rnd.random() < 0.3 else "terbuka",
                }
                for i in range(start, min(n, start + 5000))
            ]
            stamp_rows(clock, rows, new=True)
            s.execute(insert(DevelopmentPlanItem), rows)
            log_rows(s, DevelopmentPlanItem.__tablename__, rows)


def add_audit(db, n: int, seed: int = 3) -> None:
    rnd = random.Random(seed)
    with db.transaction() as s:
        people = s.scalars(select(Employee.id).limit(2000)).all()
        for i in range(n):
            kind = i % 3
            if kind == 0:
                record(s, SYSTEM, "login_failed", "users", "", None, {"reason": rnd.choice(REASONS)})
            elif kind == 1:
                record(s, SYSTEM, "update", "users", f"u{i}", {"role": rnd.choice(ROLES)}, {"role": rnd.choice(ROLES)})
            else:
                record(
                    s,
                    SYSTEM,
                    "update",
                    "employees",
                    rnd.choice(people),
                    {"golongan": "III/a", "supervisor_id": rnd.choice(people), "birth_date": "1986-09-26"},
                    {"golongan": "III/b", "supervisor_id": rnd.choice(people), "birth_date": "1986-09-26"},
                )


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


RAW_PLANS = """
SELECT p.id, p.description, p.target_date, p.status, e.name, e.nip, a.title
FROM development_plan_items p JOIN employees e ON e.id = p.employee_id
LEFT JOIN training_records r ON r.id = p.fulfilled_by_training_id
LEFT JOIN training_activities a ON a.id = r.activity_id
WHERE p.deleted = 0 AND e.deleted = 0
  AND ((p.target_date >= ? AND p.target_date < ?) OR (p.status = 'terbuka' AND (p.target_date IS NULL OR p.target_date < ?)))
ORDER BY p.status DESC, p.target_date, e.name, p.id LIMIT ? OFFSET ?"""
RAW_COUNT = """
SELECT count(*) FROM development_plan_items p JOIN employees e ON e.id = p.employee_id
WHERE p.deleted = 0 AND e.deleted = 0
  AND ((p.target_date >= ? AND p.target_date < ?) OR (p.status = 'terbuka' AND (p.target_date IS NULL OR p.target_date < ?)))"""


def list_cases(db, path: Path, repeat: int) -> list[tuple[str, float, float]]:
    first, next_first = date(YEAR, 1, 1).isoformat(), date(YEAR + 1, 1, 1).isoformat()
    flt = PlanFilter(year=YEAR)
    raw = open_raw(path)
    rows = []
    with db.session() as s:
        total = count_plans(s, SYSTEM, flt)
        bounds = (first, next_first, first)
        rows.append(
            (
                f"plans: count ({total:,} of the year)",
                median_ms(lambda: count_plans(s, SYSTEM, flt), repeat),
                median_ms(lambda: raw.execute(RAW_COUNT, bounds).fetchone(), repeat),
            )
        )
        rows.append(
            (
                "plans: first page of 200",
                median_ms(lambda: plan_rows(s, SYSTEM, flt, offset=0, limit=200), repeat),
                median_ms(lambda: raw.execute(RAW_PLANS, (*bounds, 200, 0)).fetchall(), repeat),
            )
        )
        last = max(0, total - 200)
        rows.append(
            (
                "plans: last page of 200",
                median_ms(lambda: plan_rows(s, SYSTEM, flt, offset=last, limit=200), repeat),
                median_ms(lambda: raw.execute(RAW_PLANS, (*bounds, 200, last)).fetchall(), repeat),
            )
        )
    raw.close()
    return rows


def audit_case(db, repeat: int) -> tuple[str, float, float]:
    from kinerja_desktop.ui.pages.audit import _to_rows

    admin = SYSTEM
    with db.session() as s:

        def raw_page():
            return list_audit(s, admin, AuditFilter(), offset=0, limit=200)

        def worded_page():
            return _to_rows(s, list_audit(s, admin, AuditFilter(), offset=0, limit=200))

        return ("audit: a page of 200 in words", median_ms(worded_page, repeat), median_ms(raw_page, repeat))


def startup_cases(repeat: int) -> list[tuple[str, float, float]]:
    from PySide6.QtWidgets import QApplication

    from kinerja_desktop import i18n
    from kinerja_desktop.ui import qt_language
    from kinerja_desktop.ui.platform_check import XCB_LIBRARIES, _all_load, check

    QApplication.instance() or QApplication([sys.argv[0]])
    qt_language.catalogue("id")  # compiled once, as the build does

    def switch():
        qt_language.apply_language("id")
        qt_language.apply_language("en")

    ldd = shutil.which("ldd")
    rows = [("Qt catalogue: Indonesian on and off", median_ms(switch, repeat), median_ms(lambda: None, repeat))]
    if ldd:
        rows.append(
            (
                "display-library check, make run (ldd on libqxcb)",
                median_ms(lambda: check({"QT_QPA_PLATFORM": "xcb"}), repeat),
                median_ms(lambda: subprocess.run([ldd, "--version"], capture_output=True), repeat),
            )
        )
        rows.append(
            (
                "display-library check, program start (quick probe)",
                median_ms(lambda: check({"QT_QPA_PLATFORM": "xcb"}, quick=True), repeat),
                median_ms(lambda: subprocess.run([ldd, "--version"], capture_output=True), repeat),
            )
        )
        # The probe alone, over the libraries this machine has (when one is missing, the
        # check above falls back to ldd, so it measures ldd).
        present = tuple(lib for lib in XCB_LIBRARIES if _all_load((lib,)))
        rows.append(
            (
                f"quick probe alone ({len(present)} of {len(XCB_LIBRARIES)} libraries present)",
                median_ms(lambda: _all_load(present), repeat),
                median_ms(lambda: subprocess.run([ldd, "--version"], capture_output=True), repeat),
            )
        )
    i18n.set_language("id")
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--employees", type=int, default=20_000)
    ap.add_argument("--plans", type=int, default=100_000)
    ap.add_argument("--audit", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kinerja-bench-lists-"))
    path = folder / "bench.sqlite3"
    db = open_database(path)
    t0 = time.perf_counter()
    build(db, args.employees)
    add_plans(db, args.plans)
    add_audit(db, args.audit)
    print(
        f"built {args.employees:,} employees, {args.plans:,} plan items, {args.audit:,} audit entries "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    rows = [*list_cases(db, path, args.repeat), audit_case(db, args.repeat), *startup_cases(args.repeat)]
    db.close()
    shutil.rmtree(folder, ignore_errors=True)
    print()
    print("| measure | ours ms | baseline ms | ratio |")
    print("|---|---:|---:|---:|")
    for name, ours, base in rows:
        ratio = f"{ours / base:.1f}×" if base >= 0.05 else "—"
        print(f"| {name} | {ours:.1f} | {base:.2f} | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
