"""Helpers for the central-server tests: a district (central on PostgreSQL, offices on SQLite,
each in its own folder), the server on 127.0.0.1 in a thread or a subprocess, and a TCP proxy
that cuts every connection after a few kilobytes. All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import select

from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.sync.enrollment import init_site
from kinerja_desktop.sync.http_client import RetryPolicy
from kinerja_desktop.sync.sandbox import SandboxSite, enroll_office, make_site, seed_org
from kinerja_desktop.sync.server.config import ServerConfig


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_central(folder: Path, pg_url: str, *, code: str = "1504-BKPSDM") -> SandboxSite:
    folder.mkdir(parents=True, exist_ok=True)
    db = open_database(pg_url)
    site = SandboxSite(folder, db)
    init_site(db, code, "BKPSDM Batanghari", central=True, keys_dir=site.keys_dir)
    return site


def make_district(tmp: Path, pg_url: str, offices: int = 3, *, units: int = 3, per_unit: int = 4):
    """(central, [offices], org): every office enrolled for the whole district."""
    central = make_central(tmp / "pusat", pg_url)
    org = seed_org(central.db, units=units, employees_per_unit=per_unit, prefix="DISTRIK")
    sites = []
    for i in range(offices):
        code = f"1504-KEC-{chr(ord('A') + i)}"
        office = make_site(tmp / code.lower(), code, f"Kecamatan {chr(ord('A') + i)}")
        enroll_office(central, office)
        sites.append(office)
    return central, sites, org


def server_config(central: SandboxSite, pg_url: str, work: Path, **kw) -> ServerConfig:
    return ServerConfig(db_url=pg_url, work_dir=work, keys_dir=central.keys_dir, blobs_dir=central.blobs_dir, **kw)


def fast_policy(**kw) -> RetryPolicy:
    defaults = dict(attempts=6, base_delay=0.02, max_delay=0.3, connect_timeout=5, read_timeout=60)
    defaults.update(kw)
    return RetryPolicy(**defaults)


def office_kw(site: SandboxSite, **kw) -> dict:
    """The folders a sandbox office keeps (the same as ``--data-dir <folder>`` would use)."""
    return {
        "keys_dir": site.keys_dir,
        "blobs_dir": site.blobs_dir,
        "state_dir": site.folder / "sync-http",
        "policy": kw.pop("policy", None) or fast_policy(),
        **kw,
    }


def rename(site: SandboxSite, emp_ids, suffix: str) -> None:
    with site.db.transaction() as s:
        for e in s.scalars(select(Employee).where(Employee.id.in_(list(emp_ids)))):
            e.name = f"{e.name.split(' ~')[0]} ~{suffix}"


class ServerThread:
    """The real app on uvicorn in a thread of this process, on 127.0.0.1 and a free port."""

    def __init__(self, config: ServerConfig, port: int | None = None) -> None:
        from kinerja_desktop.sync.server.run import build, uvicorn_server

        self.port = port or free_port()
        self.state, self.app = build(config)
        self.server = uvicorn_server(self.app, "127.0.0.1", self.port, log_level="warning", access_log=False)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert self.thread.is_alive(), "the server thread died while starting"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.state.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class ServerProcess:
    """``kinerja --data-dir DIR central serve --db URL --port P`` in a subprocess (to kill it for real)."""

    def __init__(self, data_dir: Path, pg_url: str, port: int | None = None, *extra: str) -> None:
        self.data_dir = data_dir
        self.pg_url = pg_url
        self.port = port or free_port()
        self.extra = extra
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        self.log = open(self.data_dir / f"server-{self.port}-{time.time():.0f}.log", "w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kinerja_desktop",
                "--data-dir",
                str(self.data_dir),
                "central",
                "serve",
                "--db",
                self.pg_url,
                "--port",
                str(self.port),
                *self.extra,
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        deadline = time.monotonic() + 60
        while True:
            assert self.proc.poll() is None, (self.data_dir / self.log.name).read_text()
            try:
                if httpx.get(self.url + "/v1/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server process did not start"
            time.sleep(0.1)

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        self.log.close()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


class CuttingProxy:
    """A TCP proxy on 127.0.0.1 that closes each connection after ``budget`` bytes (both ways together)."""

    def __init__(self, target_port: int, budget: int) -> None:
        self.target_port = target_port
        self.budget = budget
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.cuts = 0
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> CuttingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _addr = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
        except OSError:
            client.close()
            return
        state = {"left": self.budget, "closed": False}
        lock = threading.Lock()

        def close() -> None:
            with lock:
                if state["closed"]:
                    return
                state["closed"] = True
            for s in (client, upstream):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

        def pump(src: socket.socket, dst: socket.socket) -> None:
            try:
                while True:
                    data = src.recv(4096)
                    if not data:
                        break
                    with lock:
                        allowed = min(len(data), state["left"])
                        state["left"] -= allowed
                        cut = state["left"] <= 0
                    if allowed:
                        dst.sendall(data[:allowed])
                    if cut:
                        self.cuts += 1
                        break
            except OSError:
                pass
            close()

        threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
        pump(upstream, client)


def a_position(db) -> str:
    """A position the office has from the central office (offices do not make positions)."""
    from kinerja_desktop.store.org import Position

    with db.session() as s:
        return s.scalar(select(Position.id).order_by(Position.name).limit(1))
