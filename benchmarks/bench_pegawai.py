"""Sign-in to a pegawai's Beranda with 100,000 employees in the database, against a pejabat
penilai with 10 staff, in one run.

    python benchmarks/bench_pegawai.py [--runs 5] [--employees 100000]

Builds (once, again when the schema changed) a district of ``--employees`` employees in
benchmarks/_work/pegawai.sqlite3: 100 offices of a head, ten heads of section and their
staff, written in bulk; plus one section of a pejabat penilai with exactly 10 staff, each
with an agreed SKP and a final evaluation, and accounts for the pejabat and one of the 10.

Each measurement, in the same process and interleaved (pejabat, pegawai, pejabat, ...):
from just before the password is checked (argon2id, as at the sign-in screen) to the main
window showing the Beranda with every card's data in and the window painted. Prints a
Markdown table with the ratio pegawai / pejabat. Target: ≤ 1.5.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import scratch_key  # noqa: F401 - a fixed scratch key for the synthetic databases

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "_work"
PASSWORD = "bangku-kantor-42"
YEAR = date.today().year
OFFICES = 100


def _rows(employees: int):
    """(units, positions, employees) rows for the bulk insert."""
    meta = {"origin_site": "", "updated_hlc": "", "deleted": False}
    units = [
        {
            "id": str(uuid.uuid4()),
            "code": "PEMKAB",
            "name": "Pemerintah Kabupaten",
            "kind": "pemda",
            "parent_id": None,
            **meta,
        }
    ]
    positions = [
        {"id": str(uuid.uuid4()), "name": n, "kind": k, "is_unit_head": h, **meta}
        for n, k, h in (
            ("Kepala Dinas", "jpt", True),
            ("Kepala Seksi", "pengawas", False),
            ("Pelaksana", "pelaksana", False),
        )
    ]
    rows, per_office, n = [], employees // OFFICES, 0
    for o in range(OFFICES):
        unit = {
            "id": str(uuid.uuid4()),
            "code": f"OPD-{o:03d}",
            "name": f"Dinas {o}",
            "kind": "opd",
            "parent_id": units[0]["id"],
            **meta,
        }
        units.append(unit)
        head, sections = None, []
        for i in range(per_office):
            n += 1
            sup = None if i == 0 else head if i <= 10 else sections[i % 10]
            row = {
                "id": str(uuid.uuid4()),
                "nip": f"1980{n:06d}2005{1 + n % 2}{n % 1000:03d}",
                "name": f"Pegawai {n}",
                "gender": "L" if n % 2 else "P",
                "status": "PNS",
                "golongan": "III/a",
                "unit_id": unit["id"],
                "position_id": positions[0 if i == 0 else 1 if i <= 10 else 2]["id"],
                "supervisor_id": sup,
                "active": True,
                "front_title": "",
                "back_title": "",
                **meta,
            }
            rows.append(row)
            if i == 0:
                head = row["id"]
            elif i <= 10:
                sections.append(row["id"])
    return units, positions, rows


def build_database(path: Path, employees: int) -> None:
    from sqlalchemy import insert

    from kinerja_desktop.services.access.principal import PEGAWAI, PEJABAT_PENILAI, SYSTEM
    from kinerja_desktop.services.access.users import create_user
    from kinerja_desktop.services.performance.periods import create_year
    from kinerja_desktop.store.database import open_database
    from kinerja_desktop.store.models import Employee, Position, Unit

    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    print(f"Building {employees:,} employees in {path}…", file=sys.stderr)
    db = open_database(path)
    units, positions, rows = _rows(employees - 11)
    with db.engine.begin() as conn:
        conn.execute(insert(Unit.__table__), units)
        conn.execute(insert(Position.__table__), positions)
        for start in range(0, len(rows), 5000):
            conn.execute(insert(Employee.__table__), rows[start : start + 5000])
    with db.transaction() as s:
        create_year(s, SYSTEM, YEAR, "triwulan")
        section = Unit(code="SEKSI-10", name="Seksi Sepuluh", kind="seksi", parent_id=units[1]["id"])
        s.add(section)
        s.flush()
        pejabat = Employee(
            nip="197001012000031999",
            name="Pejabat Sepuluh",
            gender="L",
            status="PNS",
            golongan="III/d",
            unit_id=section.id,
            position_id=positions[1]["id"],
            supervisor_id=rows[0]["id"],
            active=True,
        )
        s.add(pejabat)
        s.flush()
        staff = []
        for k in range(10):
            e = Employee(
                nip=f"19900101201503{k % 2 + 1}9{k:02d}",
                name=f"Staf Seksi {k}",
                gender="P",
                status="PNS",
                golongan="II/c",
                unit_id=section.id,
                position_id=positions[2]["id"],
                supervisor_id=pejabat.id,
                active=True,
            )
            s.add(e)
            staff.append(e)
        s.flush()
        for e in staff:
            _evaluated(s, pejabat, e)
        create_user(
            s,
            SYSTEM,
            username="pejabat",
            display_name="Pejabat",
            password=PASSWORD,
            role=PEJABAT_PENILAI,
            employee_id=pejabat.id,
        )
        create_user(
            s,
            SYSTEM,
            username="pegawai",
            display_name="Pegawai",
            password=PASSWORD,
            role=PEGAWAI,
            employee_id=staff[0].id,
        )
    db.close()


def _evaluated(s, pejabat, emp) -> None:
    """An agreed SKP and a final TW1 evaluation, made by the pejabat through the services."""
    from kinerja_desktop.services.access.principal import PEJABAT_PENILAI, Principal
    from kinerja_desktop.services.performance import evaluations as ev
    from kinerja_desktop.services.performance import skp as skp_svc
    from kinerja_desktop.services.performance.periods import find_period

    who = Principal("pejabat", PEJABAT_PENILAI, pejabat.id)
    skp = skp_svc.create_skp(s, who, emp.id, YEAR)
    content = skp_svc.SkpContent(rhks=[skp_svc.RhkInput("Melayani", "utama", [skp_svc.IkiInput("Layanan", "10")])])
    skp = skp_svc.save_skp(s, who, skp.id, content, expected_hlc=skp.updated_hlc)
    skp_svc.agree_skp(s, who, skp.id, date(YEAR, 1, 10), expected_hlc=skp.updated_hlc)
    e = ev.start_evaluation(s, who, emp.id, find_period(s, YEAR, "TW1").id)
    real = {i.id: {"realisasi": "10", "umpan_balik": "-"} for _n, _r, i in ev.skp_ikis(s, skp.id)}
    e = ev.save_evaluation(
        s, who, e.id, ev.EvaluationForm("Sesuai Ekspektasi", "Sesuai Ekspektasi", real), expected_hlc=e.updated_hlc
    )
    ev.finalize_evaluation(s, who, e.id, expected_hlc=e.updated_hlc, today=date(YEAR, 4, 5))


def database_is_current(path: Path, employees: int) -> bool:
    from kinerja_desktop.store import migrate
    from kinerja_desktop.store.encryption import open_raw

    if not path.exists():
        return False
    try:
        con = open_raw(path)
        revisions = tuple(sorted(r for (r,) in con.execute("SELECT version_num FROM alembic_version")))
        count = con.execute("SELECT count(*) FROM employees").fetchone()[0]
        con.close()
    except Exception:
        return False
    return revisions == migrate.head_revisions() and count == employees


def sign_in_to_beranda(app, db, username: str) -> float:
    """Seconds from the password check to the Beranda painted with every card's data."""
    from kinerja_desktop.services.access.users import authenticate
    from kinerja_desktop.ui.launch import open_main_window

    start = time.perf_counter()
    with db.transaction() as s:
        principal = authenticate(s, username, PASSWORD)
    window = open_main_window(db, principal, page="home", show=True)
    home = window.page("home")
    cards = [c for c in home.extra_cards]
    end = time.monotonic() + 120

    def done() -> bool:
        loaded = home._loaded and all(
            getattr(c, "items", None) is not None or getattr(c, "data", 1) is not None for c in cards
        )
        return loaded and window.ctx.runner.active == 0

    while not done():
        app.processEvents()
        if time.monotonic() > end:
            raise TimeoutError(username)
    window.repaint()
    app.processEvents()
    took = time.perf_counter() - start
    window.ctx.runner.wait(10000)
    window.close()
    window.deleteLater()
    app.processEvents()
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--employees", type=int, default=100_000)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("KINERJA_HOME", str(WORK / "home-pegawai"))
    sys.path.insert(0, str(ROOT))
    path = WORK / "pegawai.sqlite3"
    if not database_is_current(path, args.employees):
        build_database(path, args.employees)
    from kinerja_desktop.store.database import open_database
    from kinerja_desktop.ui.launch import create_app

    app = create_app()
    db = open_database(path)
    times: dict[str, list[float]] = {"pejabat": [], "pegawai": []}
    sign_in_to_beranda(app, db, "pejabat")  # warm-up: imports, caches, the page modules
    sign_in_to_beranda(app, db, "pegawai")
    for _ in range(args.runs):
        for who in ("pejabat", "pegawai"):
            times[who].append(sign_in_to_beranda(app, db, who))
    db.close()
    med = {k: statistics.median(v) for k, v in times.items()}
    print(
        f"Sign-in to the Beranda painted, {args.employees:,} employees in the database, {args.runs} runs "
        "(median, interleaved)\n"
    )
    print("| Who signs in | Median (ms) | Min (ms) | Max (ms) | Ratio to pejabat |")
    print("|---|---:|---:|---:|---:|")
    labels = {"pejabat": "Pejabat penilai, 10 staf (baseline)", "pegawai": "Pegawai (own data)"}
    for who in ("pejabat", "pegawai"):
        v = times[who]
        print(
            f"| {labels[who]} | {med[who] * 1000:.0f} | {min(v) * 1000:.0f} | {max(v) * 1000:.0f} | "
            f"{med[who] / med['pejabat']:.2f}× |"
        )
    ratio = med["pegawai"] / med["pejabat"]
    print(f"\nTarget ≤ 1.5×: {'met' if ratio <= 1.5 else 'NOT met'} ({ratio:.2f}×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
