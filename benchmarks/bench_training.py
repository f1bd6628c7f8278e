"""The 20 JP compliance recap at district size.

    .venv/bin/python benchmarks/bench_training.py [--employees 5000] [--records 10] [--repeat 7]

A demo district of ``--employees`` with ``--records`` training records each (group
activities of 10-40 participants, spread over the year and the KL/NKL/Pendidikan
codes). Times the service calls behind the Pelatihan page and Beranda, as admin
kepegawaian (every employee) and as the pejabat penilai with the most people below:

- ``compliance_rows``: one row per employee with JP by category (the recap/export);
- ``unit_summary``: the per-unit chart;
- ``jp_alert``: the Beranda count (PNS below 20 JP);
- ``mix``: the 10:20:70 split.

The baseline of each is a raw ``sqlite3`` aggregate (SUM ... GROUP BY employee over the
records joined to the activities of the year, joined to the employees) that returns
the same numbers without the ORM or any logic: the floor cost of the data. Target for
the recap: <= 200 ms. Median of ``--repeat`` runs after one warm-up; a fresh session
per run. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import scratch_key  # noqa: F401,E402 - a fixed scratch key for the synthetic databases
from sqlalchemy import func, select  # noqa: E402

from kinerja_desktop.domain.training import ACTIVITY_TYPES  # noqa: E402
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, PEJABAT_PENILAI, Principal  # noqa: E402
from kinerja_desktop.services.demo.district import build_demo  # noqa: E402
from kinerja_desktop.services.progress import run  # noqa: E402
from kinerja_desktop.services.training import jp_compliance as jc  # noqa: E402
from kinerja_desktop.store.changes import clock_of, log_rows, stamp_rows  # noqa: E402
from kinerja_desktop.store.database import open_database  # noqa: E402
from kinerja_desktop.store.employee import Employee  # noqa: E402
from kinerja_desktop.store.encryption import open_raw  # noqa: E402
from kinerja_desktop.store.training import TrainingActivity, TrainingRecord  # noqa: E402

YEAR = 2026
TARGET_MS = 200.0
TODAY = date(YEAR, 11, 28)


def build_site(folder: Path, employees: int, per_person: int, seed: int = 6):
    os.environ["KINERJA_HOME"] = str(folder)
    db = open_database(folder / "kinerja.sqlite3")
    run(build_demo(db, employees=employees, seed=1504, year=YEAR))
    rng = random.Random(seed)
    codes = [t for t in ACTIVITY_TYPES]
    with db.transaction() as s:
        clock = clock_of(s)
        people = list(s.scalars(select(Employee.id).where(Employee.deleted.is_(False))))
        slots = [p for p in people for _ in range(per_person)]
        rng.shuffle(slots)
        activities, records = [], []
        i = 0
        while i < len(slots):
            size = rng.randint(10, 40)
            t = rng.choice(codes)
            # A few records end in the year before or after: the recap must leave them out.
            year = YEAR if rng.random() < 0.95 else rng.choice((YEAR - 1, YEAR + 1))
            start = date(year, 1, 1) + timedelta(days=rng.randrange(360))
            act = {
                "id": str(uuid.UUID(int=rng.getrandbits(128))),
                "title": f"Kegiatan {len(activities) + 1}",
                "activity_code": t.code,
                "category": t.category,
                "organiser": "BKPSDM",
                "start_date": start,
                "end_date": start + timedelta(days=rng.randint(0, 3)),
                "jp": Decimal(rng.choice((2, 4, 6, 8, 12, 16, 24))),
                "notes": "",
                "created_by": "bench",
            }
            activities.append(act)
            for emp in dict.fromkeys(slots[i : i + size]):
                records.append(
                    {
                        "id": str(uuid.UUID(int=rng.getrandbits(128))),
                        "activity_id": act["id"],
                        "employee_id": emp,
                        "jp": act["jp"],
                        "certificate_number": "",
                        "certificate_sha256": None,
                        "certificate_name": "",
                        "certificate_media_type": "",
                        "certificate_size": None,
                        "recorded_by": "bench",
                    }
                )
            i += size
        for model, rows in ((TrainingActivity, activities), (TrainingRecord, records)):
            for start in range(0, len(rows), 5000):
                chunk = rows[start : start + 5000]
                stamp_rows(clock, chunk, new=True)
                s.execute(model.__table__.insert(), chunk)
                log_rows(s, model.__tablename__, chunk)
    with db.session() as s:
        s.execute(select(func.count()).select_from(TrainingRecord))
    db.engine.dispose()
    con = open_raw(folder / "kinerja.sqlite3")
    con.execute("ANALYZE")
    con.close()
    return db, len(activities), len(records)


def timed(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


RAW_AGG = """
    SELECT r.employee_id,
           SUM(CASE WHEN a.category = 'klasikal' THEN r.jp ELSE 0 END),
           SUM(CASE WHEN a.category = 'nonklasikal' THEN r.jp ELSE 0 END),
           SUM(CASE WHEN a.category = 'pendidikan' THEN r.jp ELSE 0 END),
           SUM(r.jp), COUNT(*)
    FROM training_records r JOIN training_activities a ON a.id = r.activity_id
    WHERE a.end_date BETWEEN ? AND ? AND a.deleted = 0 AND r.deleted = 0
    GROUP BY r.employee_id
"""


def _scope(supervisor: str | None) -> tuple[str, tuple]:
    if supervisor is None:
        return "SELECT id FROM employees WHERE deleted = 0 AND active = 1", ()
    return (
        "WITH RECURSIVE sub(id) AS (SELECT id FROM employees WHERE supervisor_id = ? AND deleted = 0 "
        "UNION ALL SELECT e.id FROM employees e JOIN sub ON e.supervisor_id = sub.id WHERE e.deleted = 0) "
        "SELECT e.id FROM employees e WHERE e.id IN (SELECT id FROM sub) AND e.active = 1"
    ), (supervisor,)


def raw_rows(con, supervisor: str | None) -> int:
    scope, args = _scope(supervisor)
    sql = (
        f"SELECT e.id, e.nip, e.name, e.status, u.name, p.name, j.* FROM employees e "
        f"LEFT JOIN ({RAW_AGG}) j ON j.employee_id = e.id LEFT JOIN units u ON u.id = e.unit_id "
        f"LEFT JOIN positions p ON p.id = e.position_id WHERE e.id IN ({scope})"
    )
    return len(con.execute(sql, (f"{YEAR}-01-01", f"{YEAR}-12-31", *args)).fetchall())


def raw_alert(con, supervisor: str | None) -> int:
    scope, args = _scope(supervisor)
    sql = (
        f"SELECT COUNT(*), SUM(CASE WHEN COALESCE(j.total, 0) < 20 THEN 1 ELSE 0 END) FROM employees e "
        f"LEFT JOIN (SELECT employee_id, SUM(t) AS total FROM (SELECT r.employee_id, r.jp AS t "
        f"FROM training_records r JOIN training_activities a ON a.id = r.activity_id "
        f"WHERE a.end_date BETWEEN ? AND ? AND a.deleted = 0 AND r.deleted = 0) GROUP BY employee_id) j "
        f"ON j.employee_id = e.id WHERE e.status = 'PNS' AND e.id IN ({scope})"
    )
    return con.execute(sql, (f"{YEAR}-01-01", f"{YEAR}-12-31", *args)).fetchone()[0]


def raw_units(con, supervisor: str | None) -> int:
    scope, args = _scope(supervisor)
    sql = (
        f"SELECT e.unit_id, COUNT(*), SUM(COALESCE(j.total, 0)) FROM employees e LEFT JOIN "
        f"(SELECT r.employee_id, SUM(r.jp) AS total FROM training_records r JOIN training_activities a "
        f"ON a.id = r.activity_id WHERE a.end_date BETWEEN ? AND ? AND a.deleted = 0 AND r.deleted = 0 "
        f"GROUP BY r.employee_id) j ON j.employee_id = e.id WHERE e.id IN ({scope}) GROUP BY e.unit_id"
    )
    return len(con.execute(sql, (f"{YEAR}-01-01", f"{YEAR}-12-31", *args)).fetchall())


def raw_mix(con, supervisor: str | None) -> int:
    scope, args = _scope(supervisor)
    sql = (
        f"SELECT a.activity_code, SUM(r.jp) FROM training_records r JOIN training_activities a "
        f"ON a.id = r.activity_id JOIN ({scope}) s ON s.id = r.employee_id "
        f"WHERE a.end_date BETWEEN ? AND ? AND a.deleted = 0 AND r.deleted = 0 GROUP BY a.activity_code"
    )
    return len(con.execute(sql, (*args, f"{YEAR}-01-01", f"{YEAR}-12-31")).fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=5000)
    parser.add_argument("--records", type=int, default=10, help="training records per employee")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        db, n_act, n_rec = build_site(folder, args.employees, args.records)
        print(
            f"site: {args.employees} employees, {n_act} activities, {n_rec} records, built in "
            f"{time.perf_counter() - t:.1f} s",
            file=sys.stderr,
        )
        with db.session() as s:
            boss = s.execute(
                select(Employee.supervisor_id, func.count())
                .where(Employee.supervisor_id.is_not(None))
                .group_by(Employee.supervisor_id)
                .order_by(func.count().desc())
                .limit(1)
            ).first()[0]
            below = len(
                __import__("kinerja_desktop.services.access.permissions", fromlist=["x"]).subordinate_ids(s, boss)
            )
        hr = Principal("hr", ADMIN_KEPEGAWAIAN)
        chief = Principal("kepala", PEJABAT_PENILAI, boss)
        con = open_raw(folder / "kinerja.sqlite3")
        results = []
        for who, actor, sup, _people in (
            ("admin kepegawaian", hr, None, args.employees),
            (f"pejabat penilai ({below} below)", chief, boss, below),
        ):
            for name, fn, raw in (
                (
                    "compliance_rows (recap, one row per employee)",
                    lambda s, a: jc.compliance_rows(s, a, YEAR),
                    raw_rows,
                ),
                ("unit_summary (chart per unit)", lambda s, a: jc.unit_summary(s, a, YEAR), raw_units),
                ("jp_alert (Beranda: PNS below 20 JP)", lambda s, a: jc.jp_alert(s, a, YEAR, today=TODAY), raw_alert),
                ("mix (10:20:70)", lambda s, a: jc.mix(s, a, YEAR), raw_mix),
            ):

                def ours(fn=fn, actor=actor):
                    with db.session() as s:
                        fn(s, actor)

                ms = timed(ours, args.repeat)
                base = timed(lambda raw=raw, sup=sup: raw(con, sup), args.repeat)
                results.append((name, who, ms, base))
        with db.session() as s:
            check = jc.compliance_rows(s, hr, YEAR)
        assert len(check) == len(con.execute("SELECT id FROM employees WHERE deleted = 0 AND active = 1").fetchall())
        raw_total = con.execute(
            f"SELECT SUM(j.total) FROM (SELECT SUM(r.jp) AS total FROM training_records r JOIN "
            f"training_activities a ON a.id = r.activity_id WHERE a.end_date BETWEEN "
            f"'{YEAR}-01-01' AND '{YEAR}-12-31' GROUP BY r.employee_id) j"
        ).fetchone()[0]
        assert abs(float(sum(r.total for r in check)) - raw_total) < 0.01, "recap and raw query disagree"
        con.close()
        db.close()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"\nMachine: {os.cpu_count()} CPUs, load average {load:.1f} at the end.")
    print(
        f"\n### 20 JP compliance, {args.employees:,} employees x {args.records} records "
        f"({n_rec:,} records, {n_act:,} activities); target <= {TARGET_MS:.0f} ms\n"
    )
    print("| call | as | ours (ms) | raw sqlite3 aggregate (ms) | ratio | target |")
    print("|---|---|---:|---:|---:|---|")
    for name, who, ms, base in results:
        ok = "met" if ms <= TARGET_MS else "MISSED"
        print(f"| {name} | {who} | {ms:.1f} | {base:.1f} | {ms / base:.1f}x | {ok} |")


if __name__ == "__main__":
    main()
