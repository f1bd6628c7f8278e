"""Opening a database: SQLite file (an office) or PostgreSQL URL (the central office).

``open_database`` checks the file, refuses what it cannot understand, backs up and
migrates, then hands out sessions that carry this site's hybrid clock.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kinerja_desktop import files, paths
from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.store import dblock, encryption, migrate, rekey
from kinerja_desktop.store.backup import backup_database
from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.encryption import SQLITE_MAGIC
from kinerja_desktop.store.hlc import HybridClock
from kinerja_desktop.store.models import Site
from kinerja_desktop.store.rekey import EncryptionReport

BUSY_TIMEOUT_MS = 10_000
ENCRYPTED_CACHE_KB = 16 * 1024
DEFAULT_SITE_CODE = "1504-LOKAL"
_LOCKED_WORDS = ("database is locked", "database table is locked", "database is busy")


class DatabaseBusy(UserError):
    """SQLite waited its busy timeout and another program still held the database."""


def _busy_sentence(where: str) -> str:
    return _(
        "Basis data {path} sedang dipakai program lain dan tetap terkunci setelah ditunggu {seconds} detik. "
        "Tunggu sampai program itu selesai (misalnya impor atau sinkronisasi) lalu coba lagi."
    ).format(path=where, seconds=BUSY_TIMEOUT_MS // 1000)


def is_locked_error(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return any(word in text for word in _LOCKED_WORDS)


def _translate_locked(context) -> None:
    """A locked database becomes one sentence, without the statement or its row values."""
    if is_locked_error(context.original_exception):
        url = context.engine.url if context.engine is not None else None
        where = url.database if url is not None else ""
        raise DatabaseBusy(_busy_sentence(where)) from None


#: Called with the report when opening made a new key or encrypted a plain file, so the
#: recovery code can be shown once (the command line prints it, the window shows it).
_announcers: list[Callable[[EncryptionReport], object]] = []


def add_announcer(fn: Callable[[EncryptionReport], object]) -> None:
    if fn not in _announcers:
        _announcers.append(fn)


def remove_announcer(fn: Callable[[EncryptionReport], object]) -> None:
    if fn in _announcers:
        _announcers.remove(fn)


def _is_url(target: str) -> bool:
    return "://" in target


def sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(target: str | Path, key: bytes | None = None) -> Engine:
    """An engine for a SQLite path (encrypted with SQLCipher when ``key`` is given) or a
    database URL, with the SQLite pragmas set."""
    text = str(target)
    if _is_url(text):
        url = make_url(text)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        engine = create_engine(url, pool_pre_ping=True)
        if url.get_backend_name() == "sqlite":
            event.listen(engine, "connect", sqlite_pragmas)
            event.listen(engine, "handle_error", _translate_locked)
        return engine
    if key is not None:
        engine = create_engine(f"sqlite:///{Path(text)}", module=encryption.sqlcipher())
        pragma = encryption.key_pragma(key)

        def _set_key(dbapi_conn, _record) -> None:
            dbapi_conn.execute(pragma)
            # Pages are decrypted when read into the cache: a larger cache (the default is
            # 2 MB) keeps a 100,000-employee roster's hot pages decrypted once.
            dbapi_conn.execute(f"PRAGMA cache_size = {-ENCRYPTED_CACHE_KB}")
            # Sorts and temporary indexes in memory: never decrypted rows in a temporary
            # file, and no second encryption of them either.
            dbapi_conn.execute("PRAGMA temp_store = MEMORY")

        event.listen(engine, "connect", _set_key)
    else:
        engine = create_engine(f"sqlite:///{Path(text)}")
    event.listen(engine, "connect", sqlite_pragmas)
    event.listen(engine, "handle_error", _translate_locked)
    return engine


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database, before SQLite touches it."""
    if path.is_dir():
        raise UnusableInput(_("{path} adalah folder, bukan berkas basis data.").format(path=path))
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC and not encryption.sidecar_path(path).exists():
        raise UnusableInput(
            _(
                "Berkas {path} bukan basis data Kinerja Desktop (bukan berkas SQLite), atau basis data terenkripsi "
                "yang berkas kuncinya ({side}) tidak ada di sebelahnya. Pilih berkas kinerja.sqlite3 yang benar atau "
                "salin berkas kuncinya dari PC asal; berkas ini tidak diubah."
            ).format(path=path, side=encryption.sidecar_path(path).name)
        )


class Database:
    """An open, migrated database and the site clock of this installation."""

    def __init__(
        self, engine: Engine, path: Path | None, *, encrypted: bool = False, lock: dblock.FileLock | None = None
    ) -> None:
        self.engine = engine
        self.path = path
        self.encrypted = encrypted
        self.clock: HybridClock | None = None
        self.lock = lock
        #: set when opening made a new key or encrypted a plain file (its recovery code)
        self.encryption: EncryptionReport | None = None
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

    def refresh_identity(self) -> str:
        """Reload the site's identity when another program changed it (``site init`` on the command
        line while the window is open renames a never-synced site); returns the site id."""
        with self._factory() as s:
            current = s.scalar(select(Site.id).where(Site.is_local.is_(True)))
        if current is not None and (self.clock is None or current != self.clock.site):
            self.load_clock()
        return self.site_id

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
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def make_site_id(code: str) -> str:
    """A stable site id: a readable code plus a random suffix (``1504-DUKCAPIL-7Q2K``)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    suffix = "".join(secrets.choice(alphabet) for _ in range(4))
    return f"{code.strip().upper()}-{suffix}"


def open_database(
    target: str | Path | None = None, *, create: bool = True, encrypt: bool = True, on_progress: rekey.OnProgress = None
) -> Database:
    """Open (creating, encrypting, backing up and migrating as needed) the database at ``target``.

    ``target`` is a SQLite path or a URL; ``None`` means the default data folder. A new
    SQLite file is encrypted (``encrypt=False`` keeps it plain: benchmarks' baselines); a
    plain one from an older version is encrypted in place first. Raises
    :class:`UnusableInput` for a file that is not a Kinerja database or that a newer
    program wrote, and :class:`encryption.KeyMissing` when this PC has no key for it; such
    files are left exactly as they were.
    """
    text = str(target) if target is not None else str(paths.default_database())
    if _is_url(text):
        return _open(make_engine(text), None, text)
    path = Path(text).expanduser().resolve()
    check_sqlite_file(path)
    if not path.exists() and not create:
        raise UnusableInput(_("Basis data {path} tidak ditemukan.").format(path=path))
    _prepare_folder(path.parent)
    rekey.cleanup_leftovers(path)
    report: EncryptionReport | None = None
    is_new = not path.exists() or path.stat().st_size == 0
    if is_new and encrypt:
        key, code = _create_encrypted(path)
        report = EncryptionReport(path, recovery_code=code)
    elif is_new or encryption.is_plain(path):
        key = None
        if encrypt:
            _check_plain(path)  # a newer or foreign file is refused before anything is rewritten
            report = rekey.encrypt_in_place(path, on_progress)
            key = encryption.database_key(path)
    else:
        key = encryption.database_key(path)
        rekey.encrypt_leftover_backups(path, key)
    lock = dblock.shared(path)
    try:
        db = _open(make_engine(path, key), path, str(path), encrypted=key is not None, lock=lock)
    except BaseException:
        lock.release()
        raise
    files.make_private(path)
    if report is not None:
        db.encryption = report
        for announce in list(_announcers):
            announce(report)
    return db


def _prepare_folder(folder: Path) -> None:
    existed = folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    if not existed or folder == paths.locations().data:
        files.make_private(folder)


def _create_encrypted(path: Path) -> tuple[bytes, str]:
    """A new, empty owner-only file and its key (SQLite gives its -wal the same mode)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    return rekey.create_keyinfo(path)


def _check_plain(path: Path) -> None:
    engine = make_engine(path)
    try:
        with engine.connect() as conn:
            migrate.check_revision(conn, str(path))
    except (DatabaseError, OperationalError) as exc:
        raise _unopenable(path, exc) from exc
    finally:
        engine.dispose()


def _unopenable(where, exc) -> UserError:
    if isinstance(exc, DatabaseBusy) or is_locked_error(exc):
        return DatabaseBusy(_busy_sentence(str(where)))
    return UnusableInput(
        _("Basis data {path} tidak dapat dibuka: {reason}").format(
            path=where, reason=str(getattr(exc, "orig", exc)).strip()
        )
    )


def _open(
    engine: Engine, path: Path | None, where_text: str, *, encrypted: bool = False, lock: dblock.FileLock | None = None
) -> Database:
    try:
        with engine.connect() as conn:
            where = str(path) if path else engine.url.render_as_string(hide_password=True)
            current = migrate.check_revision(conn, where)
    except (DatabaseError, OperationalError, DatabaseBusy) as exc:
        engine.dispose()
        raise _unopenable(path or where_text, exc) from exc
    except UnusableInput:
        engine.dispose()
        raise
    if current != migrate.head_revision():
        if current is not None and path is not None:
            backup_database(path, paths.locations().backups, label=f"sebelum-{migrate.head_revision()}")
        migrate.upgrade(engine)
    db = Database(engine, path, encrypted=encrypted, lock=lock)
    db.load_clock()
    return db
