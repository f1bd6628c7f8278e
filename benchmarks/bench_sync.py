"""Sync benchmark: a bundle of 100,000 changes.

Measures, in one run on this machine:
- export time (changes -> signed, encrypted bundle file) against ``sqlite3.executemany`` of
  the same rows into the same schema (target: at most 2x);
- import time (verify + apply in one transaction + change log + ack) against the same
  ``executemany`` (target: at most 4x);
- bytes per change;
- the bundle after 1 % of the rows changed, against the whole database file (target: at most 3 %).

Prints a Markdown table. ``python benchmarks/bench_sync.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import scratch_key  # noqa: F401 - a fixed scratch key for the synthetic databases
from sqlalchemy import insert, select, update

from kinerja_desktop.store.changes import log_rows, stamp_rows
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.sync.sandbox import enroll_office, make_site


def employee_rows(n: int, unit_ids: list[str], position_id: str) -> list[dict]:
    rows = []
    for i in range(n):
        rows.append(
            {
                "nip": f"19{70 + i % 30:02d}{1 + i % 12:02d}{1 + i % 28:02d}20{i // 10000 % 100:02d}{1 + i % 12:02d}"
                f"{1 + i % 2}{i % 10000:03d}"[:18],
                "name": f"Pegawai Nomor {i}",
                "front_title": "" if i % 3 else "dr.",
                "back_title": "S.Kom" if i % 4 else "",
                "gender": "L" if i % 2 else "P",
                "birth_date": None,
                "status": "PNS" if i % 5 else "PPPK",
                "golongan": "III/a" if i % 5 else "IX",
                "position_id": position_id,
                "unit_id": unit_ids[i % len(unit_ids)],
                "supervisor_id": None,
                "active": True,
            }
        )
    return rows


def valid_nip(i: int) -> str:
    """The i-th of 13 million distinct NIPs that pass the NIP rules (birth date, TMT, gender, number)."""
    seq, gender, k = i % 999 + 1, i // 999 % 2 + 1, i // 1998
    year = 1970 + k // 336 % 20
    return f"{year}{k // 28 % 12 + 1:02d}{k % 28 + 1:02d}{year + 22}01{gender}{seq:03d}"


def unique_nips(rows: list[dict]) -> None:
    for i, r in enumerate(rows):
        r["nip"] = valid_nip(i)


def seed(site, n: int, central) -> None:
    """N employees in 100 new units at the office ``site``; their position comes from ``central``
    (positions are district-wide master data: an office may not make them)."""
    with central.db.transaction() as s:
        pos = Position(name="Pelaksana Bench", kind="pelaksana")
        s.add(pos)
        s.flush()
        pos_id = pos.id
    site.import_bundle(central.export(site.site_id).data)
    db = site.db
    with db.transaction() as s:
        units = [Unit(code=f"B-{u:03d}", name=f"Unit {u}", kind="bidang") for u in range(100)]
        s.add_all(units)
        s.flush()
        unit_ids = [u.id for u in units]
    rows = employee_rows(n, unit_ids, pos_id)
    unique_nips(rows)
    with db.transaction() as s:
        stamp_rows(db.clock, rows, new=True)
        s.execute(insert(Employee), rows)
        log_rows(s, "employees", rows)


def baseline_executemany(folder: Path, rows: list[tuple], columns: list[str]) -> float:
    """sqlite3.executemany of the same rows into the same migrated schema, same pragmas."""
    path = folder / "baseline.sqlite3"
    open_database(path, encrypt=False).close()  # the plain reference
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=OFF")  # the referenced units are not there
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    sql = f"INSERT INTO employees ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    t = time.perf_counter()
    conn.executemany(sql, rows)
    conn.commit()
    elapsed = time.perf_counter() - t
    conn.close()
    return elapsed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args(argv)
    n = args.rows
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        central = make_site(tmp / "pusat", "1504-BKPSDM", "BKPSDM", central=True)
        office = make_site(tmp / "kantor", "1504-KEC-BENCH", "Kantor Bench")
        enroll_office(central, office)
        seed(office, n, central)
        # The reference: the same rows as plain tuples through sqlite3.executemany.
        with office.db.engine.connect() as conn:
            cols = [c.name for c in Employee.__table__.columns]
            plain = [tuple(r) for r in conn.execute(select(*[Employee.__table__.c[c] for c in cols]))]
        base = baseline_executemany(tmp, plain, cols)

        t = time.perf_counter()
        bundle = office.export(path=tmp / "besar.kinerja")
        t_export = time.perf_counter() - t
        t = time.perf_counter()
        result = central.import_bundle(bundle.data)
        t_import = time.perf_counter() - t
        assert result.stats.total_applied == bundle.total >= n, (result.stats, bundle.total)
        office.import_bundle(result.ack)

        # 1 % of the rows change at the office.
        k = max(1, n // 100)
        with office.db.transaction() as s:
            ids = list(s.scalars(select(Employee.id).limit(k)))
            rows = [{"id": i, "golongan": "III/b"} for i in ids]
            stamp_rows(office.db.clock, rows, new=False)
            s.execute(update(Employee), rows)
            log_rows(s, "employees", rows)
        small = office.export()
        assert small.total == k, small.counts
        with office.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db_size = (office.folder / "kinerja.sqlite3").stat().st_size
        central.close()
        office.close()

    print(f"## Sync benchmark ({n:,} changes; {sys.platform})\n")
    print("| measure | value | reference | ratio | target |")
    print("|---|---|---|---|---|")
    print(
        f"| export to a signed, encrypted bundle | {t_export:.2f} s | executemany {base:.2f} s | "
        f"{t_export / base:.2f}x | <= 2x |"
    )
    print(
        f"| import (verify, apply, change log, ack) | {t_import:.2f} s | executemany {base:.2f} s | "
        f"{t_import / base:.2f}x | <= 4x |"
    )
    print(f"| bundle size | {bundle.size / 1e6:.2f} MB | {bundle.size / bundle.total:.1f} bytes per change | | |")
    print(
        f"| bundle after 1 % of rows changed | {small.size / 1e3:.1f} kB | database file {db_size / 1e6:.1f} MB | "
        f"{100 * small.size / db_size:.2f} % | <= 3 % |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
