"""Schema migrations with Alembic, shipped inside the package and run when a database opens."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.i18n import _

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revisions() -> tuple[str, ...]:
    """The newest revision(s): normally one; several only while branches are being merged."""
    return tuple(sorted(script_directory().get_heads()))


def head_revision() -> str:
    return "+".join(head_revisions())


def known_revisions() -> list[str]:
    """Every revision this program knows, oldest first."""
    return [r.revision for r in reversed(list(script_directory().walk_revisions()))]


def current_revisions(conn: Connection) -> tuple[str, ...]:
    return tuple(sorted(MigrationContext.configure(conn).get_current_heads()))


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
                _("Berkas {path} adalah basis data SQLite, tetapi bukan basis data Kinerja Desktop. "
                  "Pilih berkas kinerja.sqlite3 yang benar.").format(path=where)
            )
        return None
    known = set(known_revisions())
    if any(r not in known for r in revs):
        raise NewerDatabase(
            _("Basis data {path} dibuat oleh versi Kinerja Desktop yang lebih baru (skema {rev}). "
              "Pasang versi program yang terbaru untuk membukanya; data tidak diubah.").format(
                path=where, rev=rev
            )
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
