"""Opening a database: SQLite file (an office) or PostgreSQL URL (the central office).

``open_database`` checks the file, refuses what it cannot understand, backs up and
migrates, then hands out sessions that carry this site's hybrid clock.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kinerja_desktop import paths
from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.i18n import _
from kinerja_desktop.store import migrate
from kinerja_desktop.store.backup import backup_database
from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.hlc import HybridClock
from kinerja_desktop.store.models import Site

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
DEFAULT_SITE_CODE = "1504-LOKAL"


def _is_url(target: str) -> bool:
    return "://" in target


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(target: str | Path) -> Engine:
    """An engine for a SQLite path or a database URL, with the SQLite pragmas set."""
    text = str(target)
    if _is_url(text):
        url = make_url(text)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        engine = create_engine(url, pool_pre_ping=True)
        if url.get_backend_name() == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(f"sqlite:///{Path(text)}")
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database, before SQLite touches it."""
    if path.is_dir():
        raise UnusableInput(_("{path} adalah folder, bukan berkas basis data.").format(path=path))
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise UnusableInput(
            _("Berkas {path} bukan basis data Kinerja Desktop (bukan berkas SQLite). "
              "Pilih berkas kinerja.sqlite3 yang benar; berkas ini tidak diubah.").format(path=path)
        )


class Database:
    """An open, migrated database and the site clock of this installation."""

    def __init__(self, engine: Engine, path: Path | None) -> None:
        self.engine = engine
        self.path = path
        self.clock: HybridClock | None = None
        self._factory = sessionmaker(bind=engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def site_id(self) -> str:
        assert self.clock is not None
        return self.clock.site

    def session(self, **info) -> Session:
        """A new session whose writes are stamped with this site's clock."""
        s = self._factory()
        s.info["clock"] = self.clock
        s.info.update(info)
        return s

    @contextmanager
    def transaction(self, **info) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on any error."""
        with self.session(**info) as s, s.begin():
            yield s

    def load_clock(self) -> HybridClock:
        with self._factory() as s:
            site = s.scalar(select(Site).where(Site.is_local.is_(True)))
            if site is None:
                site = Site(id=make_site_id(DEFAULT_SITE_CODE), name="", is_local=True)
                s.add(site)
                s.commit()
            newest = s.scalar(select(func.max(ChangeLog.hlc)))
            clock = HybridClock(site.id)
            for value in (site.last_hlc, newest):
                if value:
                    clock.observe(value)
        self.clock = clock
        return clock

    def close(self) -> None:
        if self.clock is not None and self.engine is not None:
            try:
                with self._factory() as s, s.begin():
                    site = s.get(Site, self.clock.site)
                    if site is not None and self.clock.last > (site.last_hlc or ""):
                        site.last_hlc = self.clock.last
            except Exception:  # pragma: no cover - closing must never raise
                pass
        self.engine.dispose()


def make_site_id(code: str) -> str:
    """A stable site id: a readable code plus a random suffix (``1504-DUKCAPIL-7Q2K``)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    suffix = "".join(secrets.choice(alphabet) for _ in range(4))
    return f"{code.strip().upper()}-{suffix}"


def open_database(target: str | Path | None = None, *, create: bool = True) -> Database:
    """Open (creating, backing up and migrating as needed) the database at ``target``.

    ``target`` is a SQLite path or a URL; ``None`` means the default data folder.
    Raises :class:`UnusableInput` for a file that is not a Kinerja database or that a
    newer program wrote; such files are left exactly as they were.
    """
    text = str(target) if target is not None else str(paths.default_database())
    path: Path | None = None
    if not _is_url(text):
        path = Path(text).expanduser().resolve()
        check_sqlite_file(path)
        if not path.exists() and not create:
            raise UnusableInput(_("Basis data {path} tidak ditemukan.").format(path=path))
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path if path is not None else text)
    try:
        with engine.connect() as conn:
            where = str(path) if path else engine.url.render_as_string(hide_password=True)
            current = migrate.check_revision(conn, where)
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        raise UnusableInput(
            _("Basis data {path} tidak dapat dibuka: {reason}").format(
                path=path or text, reason=str(getattr(exc, "orig", exc)).strip()
            )
        ) from exc
    except UnusableInput:
        engine.dispose()
        raise
    if current != migrate.head_revision():
        if current is not None and path is not None:
            backup_database(path, paths.locations().backups, label=f"sebelum-{migrate.head_revision()}")
        migrate.upgrade(engine)
    db = Database(engine, path)
    db.load_clock()
    return db
