"""The complaint register at district size.

    .venv/bin/python benchmarks/bench_pengaduan.py [--complaints 100000] [--staff 500] [--repeat 11]
                                                   [--pg URL] [--lookups 20]

1. **Register search** (SQLite, ``--complaints`` complaints): the first page (200 rows) of the
   register for a few searches as typed in the window, and the count that follows it, as
   admin kepegawaian. Baseline: the same ``SELECT ... LIKE ... ORDER BY received_at DESC
   LIMIT 200`` in raw ``sqlite3``. Target: median <= 100 ms.
2. **Per-ASN recap** of a unit of ``--staff`` ASN for a year (``unit_recap``, what
   ``kinerja pengaduan recap`` prints). Baseline: one raw ``sqlite3`` GROUP BY over the same rows.
3. **Public status page** on the central server (PostgreSQL, ``--pg`` or ``KINERJA_TEST_PG_URL``;
   skipped without one): 50 clients at once, each doing ``--lookups`` lookups (4 in 5 with the
   right phone digits) through HTTP. Baseline: the same lookups as raw SQL over psycopg from 50
   threads. p50 / p95.

Medians after one warm-up; prints Markdown tables.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import scratch_key  # noqa: F401,E402 - a fixed scratch key for the synthetic databases
from sqlalchemy import insert  # noqa: E402

from kinerja_desktop.domain import pengaduan as rules  # noqa: E402
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, Principal  # noqa: E402
from kinerja_desktop.services.pengaduan.figures import unit_recap  # noqa: E402
from kinerja_desktop.services.pengaduan.query import RegisterFilter, count_complaints, register_page  # noqa: E402
from kinerja_desktop.store.changes import clock_of, log_rows, stamp_rows  # noqa: E402
from kinerja_desktop.store.database import open_database  # noqa: E402
from kinerja_desktop.store.employee import Employee  # noqa: E402
from kinerja_desktop.store.encryption import open_raw  # noqa: E402
from kinerja_desktop.store.org import Unit  # noqa: E402
from kinerja_desktop.store.pengaduan import Complaint, ComplaintService  # noqa: E402

HR = Principal("bench", ADMIN_KEPEGAWAIAN)
YEAR = 2026
TODAY = date(YEAR, 11, 28)
WORDS = (
    "KTP-el",
    "akta",
    "antrean",
    "loket",
    "petugas",
    "blangko",
    "dokter",
    "obat",
    "imunisasi",
    "jalan",
    "surat",
    "pengantar",
    "lama",
    "ramah",
    "tidak",
    "hadir",
    "berkas",
    "rekam",
    "cetak",
    "jadwal",
    "sekolah",
    "PPDB",
)
SEARCHES = ("ktp", "antrean lama", "dokter", "blangko habis", "zzz-tidak-ada")
CHUNK = 5000


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def build(db, complaints: int, staff: int, seed: int = 20):
    """Units, services, the recap unit's staff and ``complaints`` complaints; returns lookups."""
    rng = random.Random(seed)
    lookups = []
    with db.transaction() as s:
        clock = clock_of(s)
        root = {"id": _id(rng), "code": "BENCH", "name": "Pemkab Bench", "kind": "opd", "parent_id": None}
        units = [root] + [
            {
                "id": _id(rng),
                "code": f"BENCH-{i:03d}",
                "name": f"Unit Bench {i}",
                "kind": "kecamatan",
                "parent_id": root["id"],
            }
            for i in range(50)
        ]
        _write(s, clock, Unit, units)
        services = [
            {
                "id": _id(rng),
                "unit_id": u["id"],
                "code": f"L{j}",
                "name": f"Layanan {j} {u['code']}",
                "days_verify": 3,
                "days_respond": 5,
                "days_close": 14,
                "active": True,
            }
            for u in units[1:]
            for j in range(3)
        ]
        _write(s, clock, ComplaintService, services)
        recap_unit = units[1]
        people = [
            {
                "id": _id(rng),
                "nip": f"1980{i:014d}"[:18],
                "name": f"ASN Bench {i:04d}",
                "gender": "L",
                "status": "PNS",
                "golongan": "III/a",
                "unit_id": recap_unit["id"],
                "active": True,
                "front_title": "",
                "back_title": "",
            }
            for i in range(staff)
        ]
        _write(s, clock, Employee, people)
        start = datetime(YEAR - 1, 1, 1, 7)
        span = int((datetime(YEAR, 11, 27, 16) - start).total_seconds())
        rows = []
        for n in range(complaints):
            svc = services[0 if n % 3 == 0 else rng.randrange(3, len(services))] if n % 5 else rng.choice(services[:3])
            received = start + timedelta(seconds=rng.randrange(span))
            ticket = f"P{received.year % 100:02d}-{n // 65536:04X}-{n % 65536:04X}"
            phone = f"08{rng.randint(10**9, 10**10 - 1)}"
            state = rng.choices(("selesai", "ditindaklanjuti", "diterima", "ditolak"), (70, 12, 10, 8))[0]
            close_by = (received + timedelta(days=20)).date()
            first = received + timedelta(hours=rng.randint(2, 120)) if state != "diterima" else None
            finished = first + timedelta(days=rng.randint(0, 25)) if state in ("selesai", "ditolak") else None
            assignee = rng.choice(people)["id"] if svc["unit_id"] == recap_unit["id"] else None
            rows.append(
                {
                    "id": _id(rng),
                    "number": ticket,
                    "channel": rng.choice(tuple(rules.CHANNELS)),
                    "channel_ref": None,
                    "service_id": svc["id"],
                    "unit_id": svc["unit_id"],
                    "received_at": received,
                    "description": " ".join(rng.choice(WORDS) for _w in range(rng.randint(8, 30))),
                    "location": "",
                    "contact_name": "",
                    "contact": phone,
                    "lookup_key": rules.lookup_key(ticket, phone),
                    "assignee_id": assignee,
                    "status": state,
                    "status_reason": "",
                    "forwarded_to": "",
                    "resolution": "",
                    "verify_by": (received + timedelta(days=4)).date(),
                    "respond_by": (received + timedelta(days=10)).date(),
                    "close_by": close_by,
                    "verified_at": first,
                    "first_response_at": first,
                    "finished_at": finished,
                    "created_by": "bench",
                    "saved_at": received,
                }
            )
            if n % 97 == 0:
                lookups.append((ticket, phone[-4:]))
            if len(rows) >= CHUNK:
                _write(s, clock, Complaint, rows)
                rows = []
        _write(s, clock, Complaint, rows)
    return recap_unit["code"], recap_unit["id"], lookups


def _write(s, clock, model, rows):
    if rows:
        stamp_rows(clock, rows, new=True)
        s.execute(insert(model.__table__), rows)
        log_rows(s, model.__tablename__, rows)


def median_ms(fn, repeat: int) -> tuple[float, float]:
    fn()
    times = []
    for _i in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]


def bench_search(db, path: Path, repeat: int) -> list[tuple]:
    out = []
    raw = open_raw(path)

    def baseline(term):
        like = f"%{term}%"
        rows = raw.execute(
            "SELECT c.id, c.number, c.received_at, c.status, s.name, u.name, substr(c.description, 1, 160) "
            "FROM complaints c LEFT JOIN complaint_services s ON s.id = c.service_id "
            "LEFT JOIN units u ON u.id = c.unit_id WHERE c.deleted = 0 AND (c.number LIKE ? OR c.description LIKE ? "
            "OR c.location LIKE ? OR c.channel_ref LIKE ?) ORDER BY c.received_at DESC, c.id DESC LIMIT 200",
            (term.upper() + "%", like, like, like),
        ).fetchall()
        return rows

    for term in SEARCHES:
        f = RegisterFilter(search=term)

        def ours(f=f):
            with db.session() as s:
                return register_page(s, HR, f, today=TODAY)

        def ours_count(f=f):
            with db.session() as s:
                return count_complaints(s, HR, f, today=TODAY)

        med, p95 = median_ms(ours, repeat)
        cmed, _c = median_ms(ours_count, max(3, repeat // 2))
        bmed, _b = median_ms(lambda t=term: baseline(t), repeat)
        out.append((term, med, p95, cmed, bmed))
    raw.close()
    return out


def bench_recap(db, path: Path, code: str, unit_id: str, repeat: int) -> tuple[float, float, int]:
    raw = open_raw(path)

    def ours():
        with db.session() as s:
            return unit_recap(s, HR, code, str(YEAR), today=TODAY)

    def baseline():
        return raw.execute(
            "SELECT e.id, e.nip, e.name, count(c.id), sum(c.finished_at IS NOT NULL AND date(c.finished_at) <= "
            "c.close_by), sum(c.first_response_at IS NOT NULL) FROM employees e LEFT JOIN complaints c ON "
            "c.assignee_id = e.id AND c.deleted = 0 AND c.finished_at >= ? AND c.finished_at < ? "
            "WHERE e.unit_id = ? AND e.deleted = 0 GROUP BY e.id ORDER BY e.name",
            (f"{YEAR}-01-01", f"{YEAR + 1}-01-01", unit_id),
        ).fetchall()

    rows = len(ours().rows)
    med, _p = median_ms(ours, repeat)
    bmed, _b = median_ms(baseline, repeat)
    raw.close()
    return med, bmed, rows


def bench_public(pg_url: str, complaints: int, staff: int, clients: int, per_client: int, work: Path):
    """p50/p95 of the public status page over HTTP vs raw SQL lookups, 50 at once."""
    import httpx
    import psycopg
    from sqlalchemy.engine import make_url

    from kinerja_desktop.sync.enrollment import init_site
    from kinerja_desktop.sync.server.config import ServerConfig
    from kinerja_desktop.sync.server.public import PublicLimits
    from kinerja_desktop.sync.server.run import build as build_server
    from kinerja_desktop.sync.server.run import uvicorn_server

    base = make_url(pg_url).set(drivername="postgresql+psycopg")
    name = f"kinerja_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(
        base.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True
    ) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        os.environ["KINERJA_HOME"] = str(work / "central")
        db = open_database(url)
        init_site(db, "1504-BENCH", "Bench pusat", central=True, keys_dir=work / "central" / "keys")
        _code, _uid, lookups = build(db, complaints, staff)
        db.close()
        state, app = build_server(
            ServerConfig(
                db_url=url,
                work_dir=work / "srv",
                keys_dir=work / "central" / "keys",
                blobs_dir=work / "central" / "blobs",
                pool_size=24,
            )
        )
        app.state.public_limits = PublicLimits(intake_per_hour=10, lookups_per_10min=10**9)
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = uvicorn_server(app, "127.0.0.1", port, log_level="warning", access_log=False)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        rng = random.Random(5)
        plan = [(t, s if rng.random() < 0.8 else "0000") for t, s in rng.choices(lookups, k=clients * per_client)]

        def http_client(part):
            times = []
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as c:
                for ticket, suffix in part:
                    t = time.perf_counter()
                    r = c.post("/pengaduan/status", data={"tiket": ticket, "hp4": suffix})
                    times.append((time.perf_counter() - t) * 1000)
                    assert r.status_code == 200
            return times

        raw_url = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

        def sql_client(part):
            times = []
            with psycopg.connect(raw_url) as conn:
                for ticket, suffix in part:
                    t = time.perf_counter()
                    row = conn.execute(
                        "SELECT c.id, c.lookup_key, c.status, c.received_at, c.close_by, s.name, u.name FROM complaints c "
                        "LEFT JOIN complaint_services s ON s.id = c.service_id LEFT JOIN units u ON u.id = c.unit_id "
                        "WHERE c.number = %s AND NOT c.deleted",
                        (ticket,),
                    ).fetchone()
                    key = hashlib.sha256(f"{ticket}:{suffix}".encode()).hexdigest()
                    if row and row[1] == key:
                        conn.execute(
                            "SELECT at, from_state, to_state FROM complaint_steps WHERE complaint_id = %s ORDER BY at",
                            (row[0],),
                        ).fetchall()
                    times.append((time.perf_counter() - t) * 1000)
            return times

        parts = [plan[i::clients] for i in range(clients)]
        results = {}
        for label, fn in (("sql", sql_client), ("http", http_client)):
            fn(parts[0][:5])  # warm-up
            t0 = time.perf_counter()
            with ThreadPoolExecutor(clients) as pool:
                times = [x for chunk in pool.map(fn, parts) for x in chunk]
            wall = time.perf_counter() - t0
            times.sort()
            results[label] = (statistics.median(times), times[int(0.95 * len(times))], len(times) / wall)
        server.should_exit = True
        thread.join(timeout=30)
        state.close()
        return results
    finally:
        with psycopg.connect(
            base.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True
        ) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--complaints", type=int, default=100_000)
    ap.add_argument("--staff", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=11)
    ap.add_argument("--pg", default=os.environ.get("KINERJA_TEST_PG_URL"))
    ap.add_argument("--pg-complaints", type=int, default=None, help="complaints on the central server (default: same)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--lookups", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kinerja-bench-pengaduan-") as tmp:
        folder = Path(tmp)
        os.environ["KINERJA_HOME"] = str(folder / "office")
        path = folder / "office" / "kinerja.sqlite3"
        path.parent.mkdir(parents=True)
        db = open_database(path)
        t = time.perf_counter()
        code, unit_id, _lookups = build(db, args.complaints, args.staff)
        print(
            f"built {args.complaints:,} complaints, {args.staff} staff in {time.perf_counter() - t:.1f} s", flush=True
        )
        search = bench_search(db, path, args.repeat)
        recap = bench_recap(db, path, code, unit_id, args.repeat)
        db.close()
        print(
            f"\n**Register search** ({args.complaints:,} complaints, first page of 200, admin kepegawaian; "
            f"baseline: raw sqlite3 of the same page; median of {args.repeat})\n"
        )
        print("| search | ours median / p95 | count after it | baseline | ratio | target |")
        print("|---|---:|---:|---:|---:|---|")
        for term, med, p95, cmed, bmed in search:
            ok = "✓" if med <= 100 else "✗"
            print(
                f"| `{term}` | {med:.1f} / {p95:.1f} ms | {cmed:.1f} ms | {bmed:.1f} ms | {med / bmed:.2f}× | "
                f"median ≤ 100 ms {ok} |"
            )
        med, bmed, rows = recap
        print(f"\n**Per-ASN recap** (`unit_recap`, a unit of {rows} ASN, year {YEAR}; baseline: one raw GROUP BY)\n")
        print("| call | ours | baseline | ratio |")
        print("|---|---:|---:|---:|")
        print(f"| unit_recap ({rows} rows) | {med:.1f} ms | {bmed:.1f} ms | {med / bmed:.2f}× |")
        if args.pg:
            res = bench_public(
                args.pg, args.pg_complaints or args.complaints, args.staff, args.clients, args.lookups, folder
            )
            print(
                f"\n**Public status page** ({args.clients} clients at once × {args.lookups} lookups, server on "
                "PostgreSQL; baseline: the same lookups as raw SQL over psycopg)\n"
            )
            print("| path | p50 | p95 | lookups/s |")
            print("|---|---:|---:|---:|")
            for label, key in (("HTTP POST /pengaduan/status", "http"), ("raw SQL (baseline)", "sql")):
                p50, p95, rate = res[key]
                print(f"| {label} | {p50:.1f} ms | {p95:.1f} ms | {rate:.0f} |")
            print(f"\np95 ratio HTTP / SQL: {res['http'][1] / res['sql'][1]:.1f}×")
        else:
            print("\n(public status page skipped: no PostgreSQL; pass --pg URL or set KINERJA_TEST_PG_URL)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
