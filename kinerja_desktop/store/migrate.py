"""Schema migrations with Alembic, shipped inside the package and run when a database opens.

Opening an up-to-date database is the common case and must be quick, so the revision
check reads ``alembic_version`` with plain SQL and the revision ids from the migration
files' text; Alembic itself is imported only when there is something to upgrade.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.i18n import _

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config():

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def script_directory():

    return ScriptDirectory.from_config(alembic_config())


_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*=\s*(None|['\"]([^'\"]*)['\"])", re.M)


@lru_cache(maxsize=1)
def _revision_graph() -> dict[str, str | None]:
    """revision -> down_revision, read from the migration files without importing Alembic."""
    graph: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        body = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(body), _DOWN.search(body)
        if rev and down:
            graph[rev.group(1)] = down.group(2) if down.group(1) != "None" else None
    return graph


def head_revisions() -> tuple[str, ...]:
    """The newest revision(s): normally one; several only while branches are being merged."""
    graph = _revision_graph()
    parents = {d for d in graph.values() if d}
    return tuple(sorted(r for r in graph if r not in parents))


def head_revision() -> str:
    return "+".join(head_revisions())


def known_revisions() -> list[str]:
    """Every revision this program knows, oldest first."""
    graph = _revision_graph()
    order: list[str] = []
    done: set[str] = set()

    def visit(rev: str) -> None:
        if rev in done:
            return
        down = graph.get(rev)
        if down:
            visit(down)
        done.add(rev)
        order.append(rev)

    for rev in sorted(graph):
        visit(rev)
    return order


def current_revisions(conn: Connection) -> tuple[str, ...]:
    if not inspect(conn).has_table("alembic_version"):
        return ()
    rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return tuple(sorted(rows))


def current_revision(conn: Connection) -> str | None:
    revs = current_revisions(conn)
    return "+".join(revs) if revs else None


class NewerDatabase(UnusableInput):
    pass


def check_revision(conn: Connection, where: str) -> str | None:
    """The database's revision; refuse databases this program cannot understand."""
    revs = current_revisions(conn)
    rev = "+".join(revs) if revs else None
    if rev is None:
        tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
        if tables:
            raise UnusableInput(
                _(
                    "Berkas {path} adalah basis data SQLite, tetapi bukan basis data Kinerja Desktop. "
                    "Pilih berkas kinerja.sqlite3 yang benar."
                ).format(path=where)
            )
        return None
    known = set(known_revisions())
    if any(r not in known for r in revs):
        raise NewerDatabase(
            _(
                "Basis data {path} dibuat oleh versi Kinerja Desktop yang lebih baru (skema {rev}). "
                "Pasang versi program yang terbaru untuk membukanya; data tidak diubah."
            ).format(path=where, rev=rev)
        )
    return rev


def upgrade(engine: Engine, revision: str = "heads") -> None:

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
