"""Sync authorization benchmark: what screening every incoming change costs.

An office enrolled for one unit subtree sends a bundle of N (default 100,000) new employees
in its units. Each import runs in a fresh process on a fresh copy of the central database:
- import with authorization (``sync.authority``) against the same import without it,
  alternating, two rounds each (target: at most 1.3x);
- peak memory of the importing process while it imports (the peak is reset just before, Linux
  ``/proc/self/clear_refs``) and what the import added to the memory in use before it
  (target: the peak at most 200 MB above it).

Prints a Markdown table. ``python benchmarks/bench_sync_authority.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import scratch_key  # noqa: F401 - a fixed scratch key for the synthetic databases
from bench_sync import employee_rows, unique_nips
from sqlalchemy import insert

from kinerja_desktop.store.changes import log_rows, stamp_rows
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.sync.sandbox import SandboxSite, enroll_office, make_site

HERE = Path(__file__).resolve().parent


def seed_central(central: SandboxSite) -> tuple[list[str], str]:
    with central.db.transaction() as s:
        root = Unit(code="KEC-BENCH", name="Kecamatan Bench", kind="opd")
        s.add(root)
        s.flush()
        units = [Unit(code=f"B-{u:03d}", name=f"Unit {u}", kind="bidang", parent_id=root.id) for u in range(100)]
        pos = Position(name="Pelaksana Bench", kind="pelaksana")
        s.add_all([*units, pos])
        s.flush()
        return [u.id for u in units], pos.id


def office_bundle(office: SandboxSite, n: int, unit_ids: list[str], pos_id: str, path: Path) -> int:
    rows = employee_rows(n, unit_ids, pos_id)
    unique_nips(rows)
    with office.db.transaction() as s:
        stamp_rows(office.db.clock, rows, new=True)
        s.execute(insert(Employee), rows)
        log_rows(s, "employees", rows)
    return office.export(path=path).total


def _kb(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in kB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def child(folder: str, bundle: str, authorize: str) -> None:
    """One import in this fresh process; prints times and memory as JSON."""
    from kinerja_desktop.store.database import open_database

    site = SandboxSite(Path(folder), open_database(Path(folder) / "kinerja.sqlite3"))
    data = Path(bundle).read_bytes()
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from here
    before = _kb("VmRSS")
    t = time.perf_counter()
    result = site.import_bundle(data, authorize=authorize == "on")
    elapsed = time.perf_counter() - t
    peak = _kb("VmHWM")
    site.close()
    print(
        json.dumps(
            {
                "s": elapsed,
                "applied": result.stats.total_applied,
                "refused": result.stats.refused,
                "rss_before_kb": before,
                "rss_peak_kb": peak,
            }
        )
    )


def run_import(template: Path, work: Path, bundle: Path, authorize: bool) -> dict:
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(template, work)
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(work), str(bundle), "on" if authorize else "off"],
        check=True,
        capture_output=True,
        text=True,
        cwd=HERE,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--child", nargs=3)
    args = ap.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    n = args.rows
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        central = make_site(tmp / "pusat", "1504-BKPSDM", "BKPSDM", central=True)
        office = make_site(tmp / "kantor", "1504-KEC-BENCH", "Kantor Bench")
        unit_ids, pos_id = seed_central(central)
        enroll_office(central, office, unit_code="KEC-BENCH")
        total = office_bundle(office, n, unit_ids, pos_id, tmp / "besar.kinerja")
        central.close()
        office.close()
        runs = {True: [], False: []}
        for authorize in (False, True, False, True):
            runs[authorize].append(run_import(tmp / "pusat", tmp / "salinan", tmp / "besar.kinerja", authorize))
        for r in runs[True] + runs[False]:
            assert r["applied"] == total and r["refused"] == 0, r
    on = min(r["s"] for r in runs[True])
    off = min(r["s"] for r in runs[False])
    peak = max(r["rss_peak_kb"] for r in runs[True]) / 1024
    added = max(r["rss_peak_kb"] - r["rss_before_kb"] for r in runs[True]) / 1024
    print(f"## Sync authorization benchmark ({total:,} changes from an office with a unit scope; {sys.platform})\n")
    print("| measure | value | reference | ratio | target |")
    print("|---|---|---|---|---|")
    print(f"| import with authorization | {on:.2f} s | without {off:.2f} s | {on / off:.2f}x | <= 1.3x |")
    print(f"| memory the import added (peak RSS) | {added:.0f} MB | whole process {peak:.0f} MB | | <= 200 MB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
