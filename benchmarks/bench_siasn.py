"""Importing SIASN's data download: speed and memory against a plain baseline, in one run.

    .venv/bin/python benchmarks/bench_siasn.py [--rows 7000] [--big 100000] [--xlsx-rows 3000000] [--keep DIR]

Generates a district-sized SIASN download (``|``-separated, all 67 columns, realistic
Batanghari data from :mod:`kinerja_desktop.services.roster.siasn_sample`) and the next month's
download with 5 % changes (mutasi, kenaikan pangkat, pensiun, new staff), then measures,
each in a fresh subprocess so peaks are not shared:

- **first import** into an empty, migrated database (migration not timed) against the
  baseline: ``csv`` reading the same file and ``sqlite3.executemany`` of its rows into a
  plain table in a fresh SQLite file;
- **re-import** of the changed download into that database against the baseline: the same
  read and an ``INSERT OR REPLACE`` executemany into the table that already holds the first
  download (keyed by PNS ID);
- **the largest file accepted** (``--big`` rows, the row limit): peak memory;
- **a 3-million-row XLSX** (written streamed): the import refuses it at the row limit; peak
  memory against openpyxl's read-only reader iterating the same number of rows.

Time is CPU time of the process and wall-clock time; memory is the growth of the resident
set (VmHWM reset before the measurement) and the process's peak. Targets (issue 16 and
13): first import ≤ 5 s, re-import ≤ 5 s, peak memory ≤ 200 MB for the district file, under
300 MB for any roster file. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import scratch_key  # noqa: F401 - a fixed scratch key for the synthetic databases

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

TIME_TARGET_S = 5.0
MEMORY_TARGET_MB = 200.0
ANY_FILE_TARGET_MB = 300.0


# --- inputs ------------------------------------------------------------------------------------


def write_inputs(folder: Path, rows: int, big: int, xlsx_rows: int) -> dict[str, Path]:
    from kinerja_desktop.services.roster.siasn_sample import generate, later_download, write_download

    first = generate(rows, seed=1504)
    out = {
        "first": write_download(folder / "siasn-1.txt", first),
        "later": write_download(folder / "siasn-2.txt", later_download(first, share=0.05)),
    }
    if big:
        out["big"] = write_download(folder / "siasn-besar.txt", generate(big, seed=1505))
    if xlsx_rows:
        out["xlsx"] = write_3m(folder / "tiga-juta.xlsx", xlsx_rows)
    return out


def write_3m(path: Path, rows: int) -> Path:
    from xlsx_raw import row_xml, write_xlsx_stream

    def gen():
        yield row_xml(1, ["NIP BARU", "NAMA", "GOL AKHIR NAMA", "JABATAN NAMA"])
        for n in range(2, rows + 2):
            yield (
                f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{198001012005011000 + n % 999 + 1}</t></is></c>'
                f'<c r="B{n}" t="inlineStr"><is><t>PEGAWAI {n}</t></is></c>'
                f'<c r="C{n}" t="inlineStr"><is><t>III/a</t></is></c>'
                f'<c r="D{n}" t="inlineStr"><is><t>Penata Layanan Operasional</t></is></c></row>'
            )

    return write_xlsx_stream(path, gen())


# --- measurements (each in its own subprocess) ---------------------------------------------------


def _rss_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    try:  # Linux: reset VmHWM to the current RSS, so the peak is this measurement's own
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def _read_pipe(path: Path) -> tuple[list[str], list[tuple]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter="|")
        header = next(reader)
        return header, [tuple(r) for r in reader]


def baseline_load(path: Path, db: Path, *, replace: bool) -> int:
    header, rows = _read_pipe(path)
    con = sqlite3.connect(db)
    if not replace:
        columns = ", ".join(f"c{i} TEXT" + (" PRIMARY KEY" if i == 0 else "") for i in range(len(header)))
        con.execute(f"CREATE TABLE siasn ({columns})")
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    con.executemany(f"{verb} INTO siasn VALUES ({', '.join('?' * len(header))})", rows)
    con.commit()
    con.close()
    return len(rows)


def baseline_xlsx(path: Path, limit: int) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    n = 0
    for _row in wb.active.iter_rows(values_only=True):
        n += 1
        if n > limit:
            break
    wb.close()
    return n


def _open_db(path: Path):
    from kinerja_desktop.store.database import open_database

    return open_database(path)


def ours_import(path: Path, db_path: Path) -> dict:
    from kinerja_desktop.errors import UnusableInput
    from kinerja_desktop.services.progress import run
    from kinerja_desktop.services.roster.importer import import_roster

    db = _open_db(db_path)
    try:
        report = run(import_roster(db, path))
    except UnusableInput as exc:
        return {"rows": 0, "refused": str(exc)[:90]}
    finally:
        db.close()
    return {
        "rows": report.rows_read,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected_rows,
    }


def measure(kind: str, path: Path, work: Path) -> dict:
    import gc

    db_path = work / f"{kind}.sqlite3"
    os.environ["KINERJA_HOME"] = str(work / "home")
    if kind.startswith("ours"):
        import kinerja_desktop.services.roster.importer  # noqa: F401  (imported before the clock, as the baseline)

        if kind != "ours-re":
            for suffix in ("", "-wal", "-shm"):
                Path(str(db_path) + suffix).unlink(missing_ok=True)
            _open_db(db_path).close()  # migrated, not timed
    elif kind == "baseline-first":
        db_path.unlink(missing_ok=True)
    elif kind == "baseline-xlsx":
        import openpyxl  # noqa: F401
    gc.collect()
    _reset_peak()
    rss_before = _rss_kb("VmRSS")
    start, cpu_start = time.perf_counter(), time.process_time()
    if kind == "baseline-first":
        out: dict = {"rows": baseline_load(path, db_path, replace=False)}
    elif kind == "baseline-re":
        out = {"rows": baseline_load(path, work / "baseline-first.sqlite3", replace=True)}
    elif kind == "baseline-xlsx":
        out = {"rows": baseline_xlsx(path, 100_001)}
    elif kind == "ours-re":
        out = ours_import(path, work / "ours-first.sqlite3")
    else:
        out = ours_import(path, db_path)
    out.update(
        seconds=time.perf_counter() - start,
        cpu=time.process_time() - cpu_start,
        growth_mb=max(0, _rss_kb("VmHWM") - rss_before) / 1024,
        peak_mb=_rss_kb("VmHWM") / 1024,
    )
    return out


def run_measurement(kind: str, path: Path, work: Path) -> dict:
    cmd = [sys.executable, __file__, "--measure", kind, str(path), "--work", str(work)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"measurement {kind} {path.name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _row(label: str, base: dict | None, mine: dict, target: str) -> str:
    if base is None:
        return (
            f"| {label} | {mine['rows']:,} | | {mine['cpu']:.2f} / {mine['seconds']:.2f} | | "
            f"{mine['growth_mb']:.0f} MB (process peak {mine['peak_mb']:.0f} MB) | {target} |"
        )
    return (
        f"| {label} | {mine['rows']:,} | {base['cpu']:.2f} / {base['seconds']:.2f} | "
        f"{mine['cpu']:.2f} / {mine['seconds']:.2f} | {mine['cpu'] / base['cpu']:.1f}× | "
        f"{base['growth_mb']:.0f} → {mine['growth_mb']:.0f} MB (process peak {mine['peak_mb']:.0f} MB) | "
        f"{target} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=7000)
    parser.add_argument("--big", type=int, default=100_000, help="rows of the largest file (0: skip)")
    parser.add_argument("--xlsx-rows", type=int, default=3_000_000, help="rows of the huge XLSX (0: skip)")
    parser.add_argument("--keep", metavar="DIR", help="write the generated files here and keep them")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        kind, file = args.measure
        print(json.dumps(measure(kind, Path(file), Path(args.work))))
        return 0

    with tempfile.TemporaryDirectory(prefix="kinerja-bench-siasn-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        files = write_inputs(work, args.rows, args.big, args.xlsx_rows)
        print(
            f"Generated the inputs in {time.perf_counter() - t0:.0f} s: "
            + ", ".join(f"{p.name} {p.stat().st_size / 2**20:.1f} MB" for p in files.values()),
            file=sys.stderr,
        )
        lines = [
            "| measure | rows | baseline s (CPU / wall) | ours s (CPU / wall) | ratio (CPU) | "
            "memory growth (baseline → ours) | target |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        verdicts = []
        base = run_measurement("baseline-first", files["first"], work)
        mine = run_measurement("ours-first", files["first"], work)
        ok = mine["seconds"] <= TIME_TARGET_S and mine["growth_mb"] <= MEMORY_TARGET_MB
        lines.append(
            _row(
                "first import, district download (67 columns)",
                base,
                mine,
                f"≤ {TIME_TARGET_S:.0f} s, ≤ {MEMORY_TARGET_MB:.0f} MB {'✓' if ok else '✗'}",
            )
        )
        verdicts.append(f"first import {'OK' if ok else 'OVER'}")
        base = run_measurement("baseline-re", files["later"], work)
        mine = run_measurement("ours-re", files["later"], work)
        ok = mine["seconds"] <= TIME_TARGET_S and mine["growth_mb"] <= MEMORY_TARGET_MB
        changes = f"{mine['created']} new, {mine['updated']} updated, {mine['unchanged']:,} unchanged"
        lines.append(
            _row(
                f"re-import with 5 % changes ({changes})",
                base,
                mine,
                f"≤ {TIME_TARGET_S:.0f} s, ≤ {MEMORY_TARGET_MB:.0f} MB {'✓' if ok else '✗'}",
            )
        )
        verdicts.append(f"re-import {'OK' if ok else 'OVER'}")
        if "big" in files:
            mine = run_measurement("ours-big", files["big"], work)
            ok = mine["peak_mb"] <= ANY_FILE_TARGET_MB
            lines.append(
                _row(
                    f"largest file accepted ({args.big:,} rows, first import)",
                    None,
                    mine,
                    f"process peak < {ANY_FILE_TARGET_MB:.0f} MB {'✓' if ok else '✗'}",
                )
            )
            verdicts.append(f"largest file {'OK' if ok else 'OVER'}")
        if "xlsx" in files:
            base = run_measurement("baseline-xlsx", files["xlsx"], work)
            mine = run_measurement("ours-xlsx", files["xlsx"], work)
            ok = mine["peak_mb"] <= ANY_FILE_TARGET_MB and mine.get("refused")
            lines.append(
                _row(
                    f"{args.xlsx_rows:,}-row XLSX (refused at 100,000 rows; baseline: openpyxl "
                    "read-only reading as far)",
                    base,
                    mine,
                    f"process peak < {ANY_FILE_TARGET_MB:.0f} MB {'✓' if ok else '✗'}",
                )
            )
            verdicts.append(f"huge XLSX {'OK' if ok else 'OVER'}")
        print("\n".join(lines))
        print()
        print("; ".join(verdicts))
        print(f"(load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
