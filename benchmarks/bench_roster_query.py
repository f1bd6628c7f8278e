"""Roster queries at 100,000 employees: count, page fetch (first, middle, last), search.

Usage: ``python benchmarks/bench_roster_query.py [--employees N] [--db PATH]``.
Builds a synthetic roster with bulk inserts (through ``stamp_rows``/``log_rows``, as the
importer does) unless ``--db`` points at an existing database (e.g. one made by
``kinerja demo --employees 100000``), then prints a table of median and worst times.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import scratch_key  # noqa: F401 - a fixed scratch key for the synthetic databases
from sqlalchemy import insert, inspect, select

from kinerja_desktop.domain.golongan import PNS_GOLONGAN, PPPK_GOLONGAN
from kinerja_desktop.domain.nip import make_pns_nip, make_pppk_nip
from kinerja_desktop.services.access.permissions import subordinate_ids
from kinerja_desktop.services.access.principal import PEJABAT_PENILAI, SYSTEM, Principal
from kinerja_desktop.services.roster.query import (
    RosterFilter,
    count_employees,
    fetch_employees,
    search_employees,
    unit_tree,
)
from kinerja_desktop.store.changes import clock_of, log_rows, stamp_rows
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit

FIRST = (
    "Ahmad",
    "Siti",
    "Budi",
    "Dewi",
    "Rizki",
    "Nur",
    "Hendra",
    "Fitri",
    "Agus",
    "Rina",
    "Muhammad",
    "Sri",
    "Andi",
    "Yuli",
    "Joko",
    "Lestari",
    "Fajar",
    "Maya",
    "Irwan",
    "Wati",
    "Dedi",
    "Ratna",
)
LAST = (
    "Saputra",
    "Hidayat",
    "Lubis",
    "Harahap",
    "Nasution",
    "Siregar",
    "Wijaya",
    "Pratama",
    "Aminah",
    "Rahmawati",
    "Kurniawan",
    "Setiawan",
    "Susanti",
    "Hasibuan",
    "Daulay",
    "Putri",
    "Sari",
    "Syahputra",
)


def build(db, n: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    with db.transaction() as s:
        clock = clock_of(s)
        units = [
            {"code": f"OPD{i:03d}", "name": f"Dinas Contoh {i:03d}", "kind": "opd", "parent_id": None}
            for i in range(40)
        ]
        stamp_rows(clock, units, new=True)
        subunits = []
        for u in units:
            for j in range(6):
                subunits.append(
                    {
                        "code": f"{u['code']}-B{j}",
                        "name": f"Bidang {j} {u['name']}",
                        "kind": "bidang",
                        "parent_id": u["id"],
                    }
                )
        stamp_rows(clock, subunits, new=True)
        for rows in (units, subunits):
            s.execute(insert(Unit), rows)
            log_rows(s, "units", rows)
        positions = [
            {"name": f"Jabatan Contoh {i:03d}", "kind": "pelaksana", "is_unit_head": False} for i in range(200)
        ]
        stamp_rows(clock, positions, new=True)
        s.execute(insert(Position), positions)
        log_rows(s, "positions", positions)

        used: set[str] = set()
        rows: list[dict] = []

        def person(unit_id, supervisor_id):
            while True:
                birth = date(rnd.randint(1965, 1999), rnd.randint(1, 12), rnd.randint(1, 28))
                gender = rnd.choice("LP")
                if rnd.random() < 0.8:
                    tmt = date(min(birth.year + rnd.randint(20, 30), 2024), rnd.randint(1, 12), 1)
                    nip, status, gol = (
                        make_pns_nip(birth, tmt, gender, rnd.randint(1, 999)),
                        "PNS",
                        rnd.choice(PNS_GOLONGAN),
                    )
                else:
                    nip, status, gol = (
                        make_pppk_nip(birth, rnd.randint(2019, 2024), gender, rnd.randint(1, 999)),
                        "PPPK",
                        rnd.choice(PPPK_GOLONGAN),
                    )
                if nip not in used:
                    used.add(nip)
                    break
            row = {
                "nip": nip,
                "name": f"{rnd.choice(FIRST)} {rnd.choice(LAST)} {rnd.choice(LAST)}",
                "front_title": "",
                "back_title": rnd.choice(("", "", "S.Kom", "S.E.", "M.Si")),
                "gender": gender,
                "birth_date": birth,
                "status": status,
                "golongan": gol,
                "position_id": rnd.choice(positions)["id"],
                "unit_id": unit_id,
                "supervisor_id": supervisor_id,
                "active": rnd.random() > 0.03,
            }
            stamp_rows(clock, [row], new=True)
            rows.append(row)
            return row["id"]

        top = person(units[0]["id"], None)
        per_opd = (n - 1) // len(units)
        for u in units:
            if len(rows) >= n:
                break
            head = person(u["id"], top)
            kabids = [person(sub["id"], head) for sub in subunits if sub["parent_id"] == u["id"]]
            kasis = [person(rnd.choice(subunits)["id"], k) for k in kabids for _ in range(3)]
            while len(rows) < min(n, 1 + per_opd * (units.index(u) + 1)):
                person(rnd.choice([x["id"] for x in subunits if x["parent_id"] == u["id"]]), rnd.choice(kasis))
        while len(rows) < n:
            person(units[0]["id"], top)
        for i in range(0, len(rows), 5000):
            chunk = rows[i : i + 5000]
            s.execute(insert(Employee), chunk)
            log_rows(s, "employees", chunk)


def timed(fn, repeat: int = 7) -> tuple[float, float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return min(times), statistics.median(times), max(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--employees", type=int, default=100_000)
    ap.add_argument("--db")
    args = ap.parse_args()
    if args.db:
        db = open_database(args.db, create=False)
    else:
        folder = Path(tempfile.mkdtemp(prefix="kinerja-bench-"))
        db = open_database(folder / "bench.sqlite3")
        t0 = time.perf_counter()
        build(db, args.employees)
        print(f"built {args.employees} employees in {time.perf_counter() - t0:.1f} s at {folder}")
    # The roster indexes declared on the model (made by the migration once it is regenerated).
    missing = [
        ix
        for ix in Employee.__table__.indexes
        if ix.name not in {i["name"] for i in inspect(db.engine).get_indexes("employees")}
    ]
    for ix in missing:
        ix.create(db.engine)
    if missing:
        print("created indexes the schema lacked:", ", ".join(ix.name for ix in missing))
    hr = SYSTEM
    with db.session() as s:
        total = count_employees(s, hr, RosterFilter(active=None))
        # a head of an OPD: many subordinates
        head = (
            s.execute(
                select(Employee.supervisor_id)
                .where(Employee.supervisor_id.is_not(None))
                .group_by(Employee.supervisor_id)
            )
            .scalars()
            .all()
        )
        top = s.scalar(select(Employee.id).where(Employee.supervisor_id.is_(None)).limit(1))
        biggest = max((i for i in head if i != top), key=lambda i: (len(subordinate_ids(s, i)), i))
        penilai = Principal("penilai", PEJABAT_PENILAI, biggest)
        chief = Principal("chief", PEJABAT_PENILAI, top)
        n_sub = len(subordinate_ids(s, biggest))
        cases = [
            ("count, all active", lambda: count_employees(s, hr, RosterFilter())),
            ("page 1 by name", lambda: fetch_employees(s, hr, RosterFilter(), limit=200)),
            ("page middle by name", lambda: fetch_employees(s, hr, RosterFilter(), offset=total // 2, limit=200)),
            ("page last by name", lambda: fetch_employees(s, hr, RosterFilter(), offset=total - 200, limit=200)),
            ("page 1 by name desc", lambda: fetch_employees(s, hr, RosterFilter(), limit=200, descending=True)),
            ("page 1 by nip", lambda: fetch_employees(s, hr, RosterFilter(), limit=200, sort="nip")),
            ("page middle by nip", lambda: fetch_employees(s, hr, RosterFilter(), offset=total // 2, sort="nip")),
            ("page 1 by golongan", lambda: fetch_employees(s, hr, RosterFilter(), limit=200, sort="golongan")),
            (
                "page middle by golongan",
                lambda: fetch_employees(s, hr, RosterFilter(), offset=total // 2, sort="golongan"),
            ),
            ("page 1 by unit", lambda: fetch_employees(s, hr, RosterFilter(), limit=200, sort="unit")),
            ("page middle by unit", lambda: fetch_employees(s, hr, RosterFilter(), offset=total // 2, sort="unit")),
            ("page 1 by position", lambda: fetch_employees(s, hr, RosterFilter(), limit=200, sort="position")),
            ("page 1 by status", lambda: fetch_employees(s, hr, RosterFilter(), limit=200, sort="status")),
            ("count, text 'siti'", lambda: count_employees(s, hr, RosterFilter(text="siti"))),
            ("page 1, text 'siti'", lambda: fetch_employees(s, hr, RosterFilter(text="siti"))),
            ("count, text 'siti har'", lambda: count_employees(s, hr, RosterFilter(text="siti har"))),
            ("count, NIP digits '1986'", lambda: count_employees(s, hr, RosterFilter(text="1986 09"))),
            ("page 1, NIP digits '1986'", lambda: fetch_employees(s, hr, RosterFilter(text="1986 09"))),
            ("search picker 'rina'", lambda: search_employees(s, hr, "rina")),
            ("search picker 'zzz' (no hit)", lambda: search_employees(s, hr, "zzz")),
            ("count, unit tree filter", lambda: count_employees(s, hr, RosterFilter(unit_id=unit_tree(s)[0].id))),
            (f"count, penilai ({n_sub} below)", lambda: count_employees(s, penilai, RosterFilter())),
            ("page 1, penilai", lambda: fetch_employees(s, penilai, RosterFilter())),
            ("page middle, penilai", lambda: fetch_employees(s, penilai, RosterFilter(), offset=n_sub // 2)),
            ("count, top of the chain as penilai", lambda: count_employees(s, chief, RosterFilter())),
            ("page 1, top of the chain as penilai", lambda: fetch_employees(s, chief, RosterFilter())),
            ("unit tree", lambda: unit_tree(s)),
        ]
        print(f"{total} employees\n")
        print(f"{'query':40} {'min ms':>8} {'median ms':>10} {'max ms':>8}")
        for name, fn in cases:
            best, med, worst = timed(fn)
            print(f"{name:40} {best:8.1f} {med:10.1f} {worst:8.1f}")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
