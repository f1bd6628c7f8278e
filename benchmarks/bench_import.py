"""Roster import speed and memory against a plain baseline.

    .venv/bin/python benchmarks/bench_import.py [--rows 50000] [--keep DIR]

Generates an XLSX and a CSV of valid rows (realistic NIPs, ~40 units, a few hundred
supervisors), then measures, each in a fresh subprocess so peaks are not shared:

- baseline: openpyxl read-only read of the XLSX (the csv module for the CSV) and
  ``sqlite3.executemany`` of the same rows into a plain table in a fresh SQLite file;
- ours: ``import_roster`` into a freshly migrated database (migration not timed).

Time (CPU time of the process, which a busy machine hardly disturbs, and wall-clock
time) and resident-set growth are measured in one run; Python allocation peaks
(tracemalloc, which slows Python down) in a separate run. The ratio is judged on CPU
time: both sides are single-threaded and the database work runs in the same thread.
The XLSX is rewritten as Excel saves one (shared strings, a dimension), because
openpyxl's own inline-string output is much slower to read. Prints a Markdown table.
Targets: ours <= 3x baseline; peak memory growth <= 200 MB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import scratch_key  # noqa: F401 - a fixed scratch key for the synthetic databases

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TIME_TARGET = 3.0
MEMORY_TARGET_MB = 200.0

UNITS = [
    "Sekretariat Daerah",
    "Inspektorat",
    "Bappeda",
    "BKPSDM",
    "BPKAD",
    "Dinas Pendidikan",
    "Dinas Kesehatan",
    "RSUD Hamba",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas PUPR",
    "Dinas Sosial",
    "Dinas Kominfo",
    "DPMPTSP",
    "Satpol PP",
    "Dinas Perhubungan",
    "Dinas Lingkungan Hidup",
    "Dinas Pertanian",
    "Dinas Perikanan",
    "Dinas Koperasi dan UKM",
    "Dinas Pariwisata",
    "Dinas Perpustakaan dan Kearsipan",
    "BPBD",
    "Kesbangpol",
    "Dinas Pemberdayaan Masyarakat dan Desa",
    "Dinas Tenaga Kerja",
    "Kecamatan Bajubang",
    "Kecamatan Batin XXIV",
    "Kecamatan Maro Sebo Ilir",
    "Kecamatan Maro Sebo Ulu",
    "Kecamatan Mersam",
    "Kecamatan Muara Bulian",
    "Kecamatan Muara Tembesi",
    "Kecamatan Pemayung",
    "Puskesmas Muara Bulian",
    "Puskesmas Muara Tembesi",
    "Puskesmas Bajubang",
    "Puskesmas Mersam",
    "Puskesmas Pemayung",
    "SMP Negeri 1 Muara Bulian",
    "SMP Negeri 2 Muara Tembesi",
]
HEAD_TITLES = ["Kepala {u}", "Camat", "Kepala Puskesmas", "Kepala Sekolah"]
SUPERVISOR_POSITIONS = [
    "Kepala Bidang Perencanaan",
    "Kepala Bidang Pelayanan",
    "Kepala Seksi Pelayanan Umum",
    "Kepala Subbagian Umum dan Kepegawaian",
    "Kepala Subbagian Keuangan",
    "Sekretaris",
    "Kepala Seksi Pemerintahan",
    "Kepala Bidang Sarana dan Prasarana",
]
STAFF_POSITIONS = [
    "Pengadministrasi Umum",
    "Pengelola Keuangan",
    "Analis Kepegawaian Ahli Pertama",
    "Pranata Komputer Ahli Pertama",
    "Guru Ahli Pertama",
    "Guru Ahli Muda",
    "Perawat Terampil",
    "Perawat Ahli Pertama",
    "Bidan Terampil",
    "Dokter Ahli Pertama",
    "Penyuluh Pertanian Ahli Muda",
    "Arsiparis Terampil",
    "Pengemudi",
    "Pengelola Data",
    "Verifikator Keuangan",
    "Bendahara",
    "Pengadministrasi Perkantoran",
    "Operator Layanan Operasional",
    "Penata Layanan Operasional",
    "Pustakawan Terampil",
    "Statistisi Ahli Pertama",
    "Sanitarian Terampil",
]
FIRST = [
    "Ahmad",
    "Siti",
    "Budi",
    "Nur",
    "Dewi",
    "Rina",
    "Agus",
    "Hendra",
    "Yuliana",
    "Rahmat",
    "Fitri",
    "Joko",
    "Sri",
    "Wahyu",
    "Indah",
    "Fadli",
    "Zulkifli",
    "Hasanah",
    "Ratna",
    "Syamsul",
    "M.",
    "Desi",
    "Eka",
    "Irwan",
    "Lestari",
    "Taufik",
    "Nurhayati",
    "Andi",
    "Rudi",
    "Mariam",
]
LAST = [
    "Saputra",
    "Aminah",
    "Santoso",
    "Hidayat",
    "Lestari",
    "Pratama",
    "Wulandari",
    "Nasution",
    "Harahap",
    "Siregar",
    "Putri",
    "Rahman",
    "Kurniawan",
    "Sari",
    "Gunawan",
    "Yusuf",
    "Hakim",
    "Susanti",
    "Firmansyah",
    "Anggraini",
    "Batubara",
    "Effendi",
    "Ramadhan",
    "Permata",
]
FRONT = ["", "", "", "", "", "", "dr.", "Drs.", "Ir.", "H.", "Hj."]
BACK = ["", "", "", "S.Pd", "S.E.", "S.Kep", "A.Md", "M.Pd", "S.Sos", "S.H.", "M.Kes", "S.T."]
HEADERS = [
    "NIP",
    "Gelar Depan",
    "Nama",
    "Gelar Belakang",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Status",
    "Golongan",
    "Jabatan",
    "Unit Kerja",
    "NIP Atasan",
]


def generate_rows(n: int, seed: int = 1504) -> list[list[str]]:
    from kinerja_desktop.domain.golongan import PNS_GOLONGAN, PPPK_GOLONGAN
    from kinerja_desktop.domain.nip import make_pns_nip, make_pppk_nip

    rnd = random.Random(seed)
    used: set[str] = set()

    def person(pppk: bool) -> tuple[str, date, str]:
        while True:
            birth = date(rnd.randint(1965, 1998), rnd.randint(1, 12), rnd.randint(1, 28))
            gender = rnd.choice("LP")
            if pppk:
                nip = make_pppk_nip(birth, rnd.randint(max(2019, birth.year + 19), 2024), gender, rnd.randint(1, 999))
            else:
                year = rnd.randint(birth.year + 19, min(birth.year + 35, 2023))
                nip = make_pns_nip(birth, date(year, rnd.choice((1, 3, 4, 5, 12)), 1), gender, rnd.randint(1, 999))
            if nip not in used:
                used.add(nip)
                return nip, birth, gender

    def row(position: str, unit: str, supervisor: str, pppk: bool = False) -> list[str]:
        nip, birth, gender = person(pppk)
        golongan = rnd.choice(PPPK_GOLONGAN[4:11]) if pppk else rnd.choice(PNS_GOLONGAN[4:15])
        return [
            nip,
            rnd.choice(FRONT),
            f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
            rnd.choice(BACK),
            gender,
            birth.strftime("%d-%m-%Y"),
            "PPPK" if pppk else "PNS",
            golongan,
            position,
            unit,
            supervisor,
        ]

    rows: list[list[str]] = []
    supervisors_by_unit: dict[str, list[str]] = {}
    n_supervisors = max(len(UNITS), min(400, n // 100))
    for _i, unit in enumerate(UNITS):  # unit heads (no supervisor in the file)
        title = (
            "Camat"
            if unit.startswith("Kecamatan")
            else (
                "Kepala Puskesmas"
                if unit.startswith("Puskesmas")
                else ("Kepala Sekolah" if unit.startswith("SMP") else f"Kepala {unit}")
            )
        )
        r = row(f"{title} {unit.split(' ', 1)[-1]}" if title in ("Camat", "Kepala Puskesmas") else title, unit, "")
        rows.append(r)
        supervisors_by_unit[unit] = [r[0]]
    while len(rows) < min(n, n_supervisors):
        unit = rnd.choice(UNITS)
        r = row(rnd.choice(SUPERVISOR_POSITIONS), unit, supervisors_by_unit[unit][0])
        rows.append(r)
        supervisors_by_unit[unit].append(r[0])
    while len(rows) < n:
        unit = rnd.choice(UNITS)
        rows.append(
            row(rnd.choice(STAFF_POSITIONS), unit, rnd.choice(supervisors_by_unit[unit]), pppk=rnd.random() < 0.2)
        )
    rnd.shuffle(rows)  # supervisors are not always above their staff in a real file
    return rows[:n]


def write_inputs(rows: list[list[str]], folder: Path) -> tuple[Path, Path]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    csv_path = folder / "roster.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    xlsx_path = folder / "roster.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Pegawai")
    ws.append(HEADERS)
    for r in rows:
        nip = WriteOnlyCell(ws, value=r[0])
        nip.number_format = "@"
        sup = WriteOnlyCell(ws, value=r[10]) if r[10] else None
        if sup is not None:
            sup.number_format = "@"
        ws.append([nip, *(v or None for v in r[1:10]), sup])
    wb.save(xlsx_path)
    excel_like(xlsx_path, rows=len(rows) + 1, columns=len(HEADERS))
    return xlsx_path, csv_path


_INLINE = re.compile(r'<c ([^>]*?)t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>')
_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def excel_like(path: Path, rows: int, columns: int) -> None:
    """Rewrite openpyxl's output as Excel saves a workbook: shared strings and a dimension.

    openpyxl 3.1 writes every string inline and no ``<dimension>``, which makes reading it
    much slower than reading the same data saved by Excel; the benchmark must not flatter
    the baseline with a slow-to-read file.
    """
    from openpyxl.utils import get_column_letter

    strings: dict[str, int] = {}
    count = 0

    def shared(match: re.Match) -> str:
        nonlocal count
        count += 1
        index = strings.setdefault(match.group(2), len(strings))
        return f'<c {match.group(1)}t="s"><v>{index}</v></c>'

    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename).decode("utf-8")
            if item.filename == "xl/worksheets/sheet1.xml":
                data = _INLINE.sub(shared, data)
                data = data.replace(
                    "<sheetViews>", f'<dimension ref="A1:{get_column_letter(columns)}{rows}"/><sheetViews>', 1
                )
            elif item.filename == "[Content_Types].xml":
                data = data.replace(
                    "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/></Types>'
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    "</Relationships>",
                    f'<Relationship Type="{_SST_REL}" Target="sharedStrings.xml" Id="rIdSst"/></Relationships>',
                )
            dst.writestr(item, data)
        body = "".join(f"<si><t>{text}</t></si>" for text in strings)
        dst.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{count}" uniqueCount="{len(strings)}">{body}</sst>',
        )
    tmp.replace(path)


# --- measurements (each in its own subprocess) ---------------------------------------------


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


def baseline(path: Path, work: Path) -> int:
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        it = wb.active.iter_rows(values_only=True)
        next(it)
        width = len(HEADERS)
        rows = [tuple(r) + (None,) * (width - len(r)) for r in it]
        wb.close()
    else:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            rows = [tuple(r) for r in reader]
    db = work / "baseline.sqlite3"
    db.unlink(missing_ok=True)
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE roster (" + ", ".join(f"c{i} TEXT" for i in range(len(HEADERS))) + ")")
    con.executemany(f"INSERT INTO roster VALUES ({', '.join('?' * len(HEADERS))})", rows)
    con.commit()
    con.close()
    return len(rows)


def ours_setup(work: Path):
    from kinerja_desktop.store.database import open_database

    db_path = work / "ours.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    os.environ["KINERJA_HOME"] = str(work / "home")
    return open_database(db_path)


def ours(path: Path, db) -> int:
    from kinerja_desktop.services.progress import run
    from kinerja_desktop.services.roster.importer import import_roster

    report = run(import_roster(db, path))
    if report.rejected or report.created == 0:
        raise SystemExit(f"unexpected import result: {report.created} created, {report.rejected[:3]}")
    return report.created


def measure(kind: str, path: Path, work: Path, traced: bool) -> dict:
    import gc

    db = ours_setup(work) if kind == "ours" else None
    if kind == "baseline":  # import what the baseline uses before the clock starts, as ours does
        import openpyxl  # noqa: F401
    else:
        import kinerja_desktop.services.roster.importer  # noqa: F401
    gc.collect()
    _reset_peak()
    rss_before = _rss_kb("VmRSS")
    if traced:
        tracemalloc.start()
    start, cpu_start = time.perf_counter(), time.process_time()
    n = baseline(path, work) if kind == "baseline" else ours(path, db)
    out = {"rows": n, "seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu_start}
    if traced:
        out["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    else:
        out["rss_growth_mb"] = max(0, _rss_kb("VmHWM") - rss_before) / 1024
    if db is not None:
        db.close()
    return out


def run_measurement(kind: str, path: Path, work: Path, traced: bool) -> dict:
    cmd = [sys.executable, __file__, "--measure", kind, str(path), "--work", str(work)]
    if traced:
        cmd.append("--traced")
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"measurement {kind} {path.name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--keep", metavar="DIR", help="write the generated files here and keep them")
    parser.add_argument(
        "--repeat", type=int, default=1, help="timed runs of each side (the fastest counts; helps on a busy machine)"
    )
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        kind, file = args.measure
        print(json.dumps(measure(kind, Path(file), Path(args.work), args.traced)))
        return 0

    with tempfile.TemporaryDirectory(prefix="kinerja-bench-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        rows = generate_rows(args.rows)
        xlsx_path, csv_path = write_inputs(rows, folder)
        print(
            f"Generated {len(rows)} rows in {time.perf_counter() - t0:.1f} s "
            f"({xlsx_path.stat().st_size / 2**20:.1f} MB XLSX, {csv_path.stat().st_size / 2**20:.1f} MB CSV)",
            file=sys.stderr,
        )
        lines = [
            "| input | rows | baseline s (CPU / wall) | ours s (CPU / wall) | rows/s (ours, CPU) | "
            "ours/baseline (CPU / wall) | peak growth MB (RSS, baseline → ours) | "
            "Python peak MB (tracemalloc, baseline → ours) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        verdicts = []
        for path in (xlsx_path, csv_path):
            base = mine = None
            for _ in range(max(1, args.repeat)):  # alternate, so both sides see the same load
                b = run_measurement("baseline", path, folder, traced=False)
                m = run_measurement("ours", path, folder, traced=False)
                base = b if base is None or b["cpu"] < base["cpu"] else base
                mine = m if mine is None or m["cpu"] < mine["cpu"] else mine
            base_t = run_measurement("baseline", path, folder, traced=True)
            mine_t = run_measurement("ours", path, folder, traced=True)
            ratio = mine["cpu"] / base["cpu"]
            wall_ratio = mine["seconds"] / base["seconds"]
            peak = max(mine["rss_growth_mb"], mine_t["traced_peak_mb"])
            lines.append(
                f"| {path.suffix[1:].upper()} | {mine['rows']} | {base['cpu']:.2f} / {base['seconds']:.2f} | "
                f"{mine['cpu']:.2f} / {mine['seconds']:.2f} | {mine['rows'] / mine['cpu']:,.0f} | "
                f"{ratio:.2f}× / {wall_ratio:.2f}× | "
                f"{base['rss_growth_mb']:.0f} → {mine['rss_growth_mb']:.0f} | "
                f"{base_t['traced_peak_mb']:.0f} → {mine_t['traced_peak_mb']:.0f} |"
            )
            verdicts.append(
                f"{path.suffix[1:].upper()}: time {'OK' if ratio <= TIME_TARGET else 'OVER'} "
                f"(≤ {TIME_TARGET:.0f}×), memory {'OK' if peak <= MEMORY_TARGET_MB else 'OVER'} "
                f"(≤ {MEMORY_TARGET_MB:.0f} MB)"
            )
        print("\n".join(lines))
        print()
        print("; ".join(verdicts))
        print(f"(load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
