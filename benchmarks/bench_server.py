"""Central server benchmark: twenty offices each pushing 5,000 changes at once.

The server (``kinerja central serve``, a subprocess) runs on PostgreSQL; each office is a
SQLite site in its own folder with 5,000 new employees (written with ``stamp_rows`` and
``log_rows`` like any bulk write) and its bundle already exported, so the timed part is what
the server does: receive the chunks, verify, apply each bundle in its own transaction, write
the acks, while the twenty offices upload at the same moment. Reported: changes applied per
second (wall clock, first request to last ack), p50/p95 request latency (all requests, and the
``finish`` requests that apply a bundle), against PostgreSQL ``COPY`` of the same rows into an
empty database in the same run.

``python benchmarks/bench_server.py [--offices 20] [--changes 5000] [--pg-url URL]``. Without
``--pg-url`` (or ``KINERJA_TEST_PG_URL``) a throwaway cluster is started (needs the PostgreSQL
15 binaries; as root it runs as the ``postgres`` user). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import scratch_key  # noqa: F401 - a fixed scratch key for the synthetic databases
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from kinerja_desktop.store.changes import log_rows, stamp_rows
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.sync.enrollment import init_site
from kinerja_desktop.sync.http_client import Outbox, RetryPolicy, push
from kinerja_desktop.sync.sandbox import SandboxSite, enroll_office, make_site

ROOT = Path(__file__).resolve().parents[1]


class TimingTransport(httpx.HTTPTransport):
    """Records (path kind, seconds) of every request."""

    def __init__(self, sink: list, lock: threading.Lock) -> None:
        super().__init__()
        self.sink, self.lock = sink, lock

    def handle_request(self, request):
        t = time.perf_counter()
        response = super().handle_request(request)
        response.read()
        elapsed = time.perf_counter() - t
        kind = "finish" if request.url.path.endswith("/finish") else request.method
        with self.lock:
            self.sink.append((kind, elapsed))
        return response


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_server(args):
    """(server URL, cleanup) from --pg-url, KINERJA_TEST_PG_URL, or a throwaway cluster."""
    url = args.pg_url or os.environ.get("KINERJA_TEST_PG_URL")
    if url:
        return url, lambda: None
    sys.path.insert(0, str(ROOT / "tests" / "integration"))
    from pg_cluster import PgCluster

    cluster = PgCluster().init()
    cluster.start()
    return cluster.url, cluster.destroy


def create_db(server_url: str, name: str) -> str:
    u = make_url(server_url).set(drivername="postgresql+psycopg")
    admin = create_engine(u, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return u.set(database=name).render_as_string(hide_password=False)


def drop_db(server_url: str, name: str) -> None:
    u = make_url(server_url).set(drivername="postgresql+psycopg")
    admin = create_engine(u, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def seed_office(site: SandboxSite, index: int, n: int, unit_id: str, position_id: str) -> None:
    rows = [
        {
            "nip": f"{198001012005011000 + index * 100_000 + i:018d}",
            "name": f"Pegawai {index}-{i}",
            "front_title": "",
            "back_title": "S.Kom" if i % 4 else "",
            "gender": "L" if i % 2 else "P",
            "birth_date": None,
            "status": "PNS",
            "golongan": "III/a",
            "position_id": position_id,
            "unit_id": unit_id,
            "supervisor_id": None,
            "active": True,
        }
        for i in range(n)
    ]
    with site.db.transaction() as s:
        stamp_rows(site.db.clock, rows, new=True)
        s.execute(insert(Employee), rows)
        log_rows(s, "employees", rows)


def start_server(folder: Path, url: str, port: int) -> subprocess.Popen:
    log = open(folder / "server.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kinerja_desktop",
            "--data-dir",
            str(folder),
            "central",
            "serve",
            "--db",
            url,
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise SystemExit((folder / "server.log").read_text())
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("server did not start")
        time.sleep(0.1)


def copy_baseline(url: str, central_url: str, rows: list[tuple], columns: list[str]) -> float:
    """PostgreSQL COPY of the same employee rows into an empty migrated database (units and
    positions copied first, untimed)."""
    db = open_database(url)
    db.close()
    src = create_engine(make_url(central_url).set(drivername="postgresql+psycopg"))
    dst = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    with src.connect() as a, dst.begin() as b:
        for model in (Unit, Position):
            t = model.__table__
            b.execute(insert(t), [dict(r._mapping) for r in a.execute(select(t))])
    src.dispose()
    raw = dst.raw_connection()
    try:
        cur = raw.cursor()
        t0 = time.perf_counter()
        with cur.copy(f"COPY employees ({', '.join(columns)}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)
        raw.commit()
        elapsed = time.perf_counter() - t0
        assert cur.execute("SELECT count(*) FROM employees").fetchone()[0] == len(rows)
    finally:
        raw.close()
        dst.dispose()
    return elapsed


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return 0.0
    k = min(len(values) - 1, max(0, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--offices", type=int, default=20)
    ap.add_argument("--changes", type=int, default=5000)
    ap.add_argument("--pg-url")
    args = ap.parse_args(argv)
    server_url, cleanup = pg_server(args)
    tag = uuid.uuid4().hex[:8]
    central_name, copy_name = f"kinerja_bench_{tag}", f"kinerja_bench_copy_{tag}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            return run(args, tmp, server_url, central_name, copy_name)
    finally:
        for name in (central_name, copy_name):
            try:
                drop_db(server_url, name)
            except Exception:  # best effort
                pass
        cleanup()


def run(args, tmp: Path, server_url: str, central_name: str, copy_name: str) -> int:
    n_off, n = args.offices, args.changes
    central_url = create_db(server_url, central_name)
    t_setup = time.perf_counter()
    folder = tmp / "pusat"
    folder.mkdir()
    central = SandboxSite(folder, open_database(central_url))
    init_site(central.db, "1504-BKPSDM", "BKPSDM Batanghari", central=True, keys_dir=central.keys_dir)
    with central.db.transaction() as s:
        root = Unit(code="BENCH-ROOT", name="Pemkab", kind="opd")
        s.add(root)
        s.flush()
        units = [Unit(code=f"BENCH-{i:02d}", name=f"Kantor {i}", kind="opd", parent_id=root.id) for i in range(n_off)]
        pos = Position(name="Pelaksana", kind="pelaksana")
        s.add_all([*units, pos])
        s.flush()
        unit_ids, pos_id = [u.id for u in units], pos.id
    offices = []
    for i in range(n_off):
        office = make_site(tmp / f"kantor{i}", f"1504-KANTOR-{i:02d}", f"Kantor {i}")
        enroll_office(central, office)
        seed_office(office, i, n, unit_ids[i], pos_id)
        bundle = office.export(central.site_id)
        Outbox(office.folder / "sync-http").save(
            bundle.data,
            {
                "bundle_id": bundle.bundle_id,
                "sha256": hashlib.sha256(bundle.data).hexdigest(),
                "size": bundle.size,
                "changes": bundle.total,
            },
        )
        offices.append((office, bundle))
    setup = time.perf_counter() - t_setup
    total_changes = sum(b.total for _o, b in offices)
    total_bytes = sum(b.size for _o, b in offices)

    port = free_port()
    proc = start_server(folder, central_url, port)
    url = f"http://127.0.0.1:{port}"
    timings: list = []
    lock = threading.Lock()
    reports: list = [None] * n_off
    errors: list = []
    barrier = threading.Barrier(n_off + 1)
    policy = RetryPolicy(attempts=10, base_delay=0.2, read_timeout=600)

    def worker(i: int) -> None:
        office, _bundle = offices[i]
        barrier.wait()
        try:
            reports[i] = push(
                office.db,
                url,
                keys_dir=office.keys_dir,
                blobs_dir=office.blobs_dir,
                state_dir=office.folder / "sync-http",
                policy=policy,
                transport=TimingTransport(timings, lock),
            )
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n_off)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    proc.terminate()
    proc.wait(timeout=60)
    if errors:
        raise SystemExit(f"{len(errors)} pushes failed: {errors[0]!r}")
    applied = sum(r.applied for r in reports)
    with central.db.session() as s:
        stored = s.scalar(select(func.count()).select_from(Employee).where(Employee.origin_site.like("1504-KANTOR-%")))
    assert applied == total_changes == stored == n_off * n, (applied, total_changes, stored)

    # The reference: COPY of the same rows, in the same run, into an empty database.
    cols = [c.name for c in Employee.__table__.columns]
    plain = []
    for office, _b in offices:
        with office.db.engine.connect() as conn:
            plain += [
                tuple(r)
                for r in conn.execute(
                    select(*[Employee.__table__.c[c] for c in cols]).where(Employee.origin_site == office.site_id)
                )
            ]
    copy_url = create_db(server_url, copy_name)
    t_copy = copy_baseline(copy_url, central_url, plain, cols)
    for office, _b in offices:
        office.close()
    central.close()

    all_lat = [t for _k, t in timings]
    finish = [t for k, t in timings if k == "finish"]
    others = [t for k, t in timings if k != "finish"]
    rate = total_changes / wall
    copy_rate = len(plain) / t_copy
    print(
        f"## Central server benchmark ({n_off} offices x {n:,} changes at once; PostgreSQL; {os.cpu_count()} cores)\n"
    )
    print("| measure | value |")
    print("|---|---|")
    print(f"| changes applied | {total_changes:,} in {n_off} bundles ({total_bytes / 1e6:.1f} MB uploaded) |")
    print(f"| wall time, first request to last ack | {wall:.1f} s |")
    print(f"| **changes applied per second** | **{rate:,.0f}** |")
    print(f"| HTTP requests | {len(all_lat)} |")
    print(
        f"| request latency p50 / **p95** (all) | {1000 * pct(all_lat, 50):.0f} ms / "
        f"**{1000 * pct(all_lat, 95):.0f} ms** |"
    )
    print(
        f"| `finish` (wait for an import slot, verify, apply one bundle) p50 / p95 | {pct(finish, 50):.2f} s / "
        f"{pct(finish, 95):.2f} s |"
    )
    print(
        f"| other requests (create, chunks, status, ack) p50 / p95 | {1000 * pct(others, 50):.0f} ms / "
        f"{1000 * pct(others, 95):.0f} ms |"
    )
    print(f"| PostgreSQL `COPY` of the same {len(plain):,} rows | {t_copy:.2f} s = {copy_rate:,.0f} rows/s |")
    print(f"| **ratio** (COPY rate / server rate) | **{copy_rate / rate:.1f}x** |")
    print(f"| set-up (offices, enrollment, exports; not timed) | {setup:.1f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
