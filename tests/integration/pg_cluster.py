"""A PostgreSQL 15 cluster of a test's own, which the test may stop, start and restart.

The shared server of ``KINERJA_TEST_PG_URL`` must never be restarted by one test (others
use it at the same time), so a test that restarts PostgreSQL under a running sync server
starts a cluster of its own here: ``initdb`` into a temporary folder, ``pg_ctl`` on
127.0.0.1 and a free port. PostgreSQL refuses to run as root, so as root the cluster
belongs to the ``postgres`` user (``runuser -u postgres --``), as ``.ci/start-postgres``
does. Without the binaries the fixture skips (locally) or fails (``CI=true``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))


def available() -> bool:
    return (PGBIN / "initdb").exists() and (PGBIN / "pg_ctl").exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgCluster:
    """``initdb`` + ``pg_ctl`` on 127.0.0.1; ``url`` is ``postgresql://postgres@127.0.0.1:PORT/postgres``."""

    def __init__(self, root: Path | None = None, port: int | None = None) -> None:
        self.root = Path(root or tempfile.mkdtemp(prefix="kinerja-pgc."))
        self.data = self.root / "data"
        self.port = port or free_port()
        self.as_root = hasattr(os, "geteuid") and os.geteuid() == 0

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *cmd: str, timeout: float = 120) -> subprocess.CompletedProcess:
        argv = list(cmd)
        if self.as_root:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=True)

    def init(self) -> PgCluster:
        self.root.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            str(PGBIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        return self

    def _options(self) -> str:
        return (
            f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c synchronous_commit=off "
            f"-c full_page_writes=off -c max_connections=100"
        )

    def start(self) -> None:
        self._run(
            str(PGBIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-o",
            self._options(),
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(str(PGBIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        self._run(
            str(PGBIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-m",
            "fast",
            "-o",
            self._options(),
            "restart",
        )

    def running(self) -> bool:
        argv = [str(PGBIN / "pg_ctl"), "-D", str(self.data), "status"]
        if self.as_root:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        return subprocess.run(argv, capture_output=True).returncode == 0

    def destroy(self) -> None:
        try:
            if self.data.exists() and self.running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
