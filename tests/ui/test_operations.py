"""The window's operation layer: queries and writes off the UI thread, one error display,
pages told what changed."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget
from sqlalchemy import select, text

from kinerja_desktop.errors import UserError
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.ui.context import AppContext
from kinerja_desktop.ui.operations import DataBus
from kinerja_desktop.ui.tasks import TaskRunner


def _ctx(db) -> AppContext:
    return AppContext(db=db, principal=SYSTEM, runner=TaskRunner(db))


def _count_units(session) -> int:
    return session.execute(text("SELECT count(*) FROM units")).scalar_one()


def test_a_query_runs_off_the_ui_thread_and_writes_nothing(qtbot, db):
    ctx = _ctx(db)
    got = []
    main = threading.get_ident()

    def sneaky(session):
        session.execute(
            text(
                "INSERT INTO units (id, code, name, kind, origin_site, updated_hlc, deleted) "
                "VALUES ('u-1', 'X', 'X', 'dinas', 's', '0', 0)"
            )
        )
        return threading.get_ident()

    ctx.query(sneaky, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got[0] != main
    with db.session() as s:
        assert _count_units(s) == 0  # a query is rolled back
    ctx.runner.wait()


def test_a_write_commits_and_tells_the_subscribers_of_its_kinds(qtbot, db):
    ctx = _ctx(db)
    page = QWidget()
    qtbot.addWidget(page)
    told, other, order = [], [], []
    ctx.bus.subscribe({"units"}, lambda kinds: (told.append(kinds), order.append("bus")), page, with_kinds=True)
    ctx.bus.subscribe({"training"}, lambda: other.append(1), page)

    def add(session):
        session.execute(
            text(
                "INSERT INTO units (id, code, name, kind, origin_site, updated_hlc, deleted) "
                "VALUES ('u-1', 'X', 'X', 'dinas', 's', '0', 0)"
            )
        )
        return "ok"

    ctx.write(add, lambda r: order.append(r), changes={"units", "employees"}, owner=page)
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    assert told == [frozenset({"units"})] and other == []
    assert order == ["ok", "bus"]  # the caller's callback first (a dialog closes), then the pages
    assert ctx.bus.history()[-1] == frozenset({"units", "employees"})
    with db.session() as s:
        assert _count_units(s) == 1
    ctx.runner.wait()


def test_a_failed_write_changes_nothing_and_tells_no_one(qtbot, db):
    ctx = _ctx(db)
    told, errors = [], []
    ctx.bus.subscribe({"units"}, lambda: told.append(1))

    def add_then_refuse(session):
        session.execute(
            text(
                "INSERT INTO units (id, code, name, kind, origin_site, updated_hlc, deleted) "
                "VALUES ('u-1', 'X', 'X', 'dinas', 's', '0', 0)"
            )
        )
        raise UserError("Kode unit sudah dipakai.")

    ctx.write(add_then_refuse, changes={"units"}, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors[0].message == "Kode unit sudah dipakai."
    assert told == []
    with db.session() as s:
        assert _count_units(s) == 0
    ctx.runner.wait()


def test_a_user_error_without_a_handler_is_shown_as_a_sentence(qtbot, db, modal_watcher):
    ctx = _ctx(db)

    def refuse(_session):
        raise UserError("Periode sudah ditutup.")

    ctx.write(refuse, changes={"evaluations"})
    qtbot.waitUntil(lambda: "Periode sudah ditutup." in modal_watcher.texts, timeout=5000)
    ctx.runner.wait()


def test_a_subscription_ends_with_its_owner(qtbot):
    bus = DataBus()
    calls = []
    owner = QWidget()
    bus.subscribe({"employees"}, lambda: calls.append(1), owner)
    bus.notify({"employees"})
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner), timeout=2000)
    bus.notify({"employees"})
    assert calls == [1]


def _alive(widget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def test_select_is_available_for_queries(qtbot, db):
    """A query may use ORM selects; the answer arrives on the UI thread."""
    from kinerja_desktop.store.org import Unit

    ctx = _ctx(db)
    got = []
    ctx.query(lambda s: list(s.scalars(select(Unit))), got.append, key="units")
    qtbot.waitUntil(lambda: got == [[]], timeout=5000)
    ctx.runner.wait()


# -- a write that meets a locked database (a sync import holds the write lock) -------------------
class WriteLock:
    """A second connection to the same SQLite file holding the write lock (BEGIN IMMEDIATE),
    as a synchronisation import does while it applies a bundle."""

    def __init__(self, path) -> None:
        from kinerja_desktop.store.encryption import open_raw

        self.con = open_raw(path, isolation_level=None, check_same_thread=False)
        self.con.execute("PRAGMA busy_timeout=0")
        self.con.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self.con is not None:
            self.con.execute("ROLLBACK")
            self.con.close()
            self.con = None


def _short_busy_timeout(db, monkeypatch, ms: int = 200) -> None:
    """SQLite's busy timeout lowered from 10 s, so a test outlasts it in a moment; the pooled
    connections are dropped so the new ones take it."""
    from kinerja_desktop.store import database as database_module

    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", ms)
    db.engine.dispose()


def _add_unit(session):
    session.execute(
        text(
            "INSERT INTO units (id, code, name, kind, origin_site, updated_hlc, deleted) "
            "VALUES ('u-1', 'X', 'X', 'dinas', 's', '0', 0)"
        )
    )
    return "saved"


def test_a_write_waits_for_a_locked_database_and_lands_after_release(qtbot, db, monkeypatch, caplog):
    _short_busy_timeout(db, monkeypatch)
    ctx = _ctx(db)
    waiting, done = [], []
    ctx.bus.waiting.connect(waiting.append)
    lock = WriteLock(db.path)
    try:
        with caplog.at_level("INFO", logger="kinerja.ui"):
            ctx.write(_add_unit, done.append, changes={"units"})
            qtbot.waitUntil(lambda: waiting == [True], timeout=5000)
            # more than one busy timeout has passed: the write failed and was tried again
            qtbot.waitUntil(lambda: sum("waits (try" in r.getMessage() for r in caplog.records) >= 3, timeout=5000)
        assert done == [] and ctx.bus.is_waiting
        answered = []
        ctx.query(_count_units, answered.append)  # queries are not held up by the waiting write
        qtbot.waitUntil(lambda: answered == [0], timeout=5000)
    finally:
        lock.release()
    qtbot.waitUntil(lambda: done == ["saved"], timeout=10000)
    assert waiting == [True, False]
    assert ctx.bus.history()[-1] == frozenset({"units"})
    with db.session() as s:
        assert _count_units(s) == 1
    ctx.runner.wait()


def test_a_write_gives_up_with_a_sentence_when_the_lock_stays(qtbot, db, monkeypatch):
    from kinerja_desktop.ui import operations

    _short_busy_timeout(db, monkeypatch)
    monkeypatch.setattr(operations, "WRITE_WAIT_LIMIT_S", 1.0)
    ctx = _ctx(db)
    errors, told = [], []
    ctx.bus.subscribe({"units"}, lambda: told.append(1))
    lock = WriteLock(db.path)
    try:
        ctx.write(_add_unit, changes={"units"}, on_error=errors.append)
        qtbot.waitUntil(lambda: bool(errors), timeout=10000)
    finally:
        lock.release()
    assert isinstance(errors[0], operations.DatabaseStillLocked)
    assert "masih dipakai program lain" in errors[0].message and "\n" not in errors[0].message
    assert told == [] and not ctx.bus.is_waiting
    with db.session() as s:
        assert _count_units(s) == 0
    ctx.runner.wait()


def test_the_window_says_it_waits_for_the_database(qtbot, make_window, demo_db, monkeypatch, tmp_path):
    from kinerja_desktop.services.settings import get_export_folder, set_export_folder
    from tests.ui.conftest import sign_in_as

    principal = sign_in_as(demo_db, "admin")
    window = make_window(demo_db, principal)
    _short_busy_timeout(demo_db, monkeypatch)
    target = tmp_path / "ekspor"
    saved = []
    lock = WriteLock(demo_db.path)
    try:
        window.ctx.write(lambda s: set_export_folder(s, principal, target), saved.append, changes={"settings"})
        qtbot.waitUntil(window.write_waiting.isVisible, timeout=5000)
        assert window.write_waiting.text().startswith("Menunggu basis data")
        window.grab().save(str(tmp_path / "waiting.png"))
        assert not window.write_waiting.isHidden() and saved == []
    finally:
        lock.release()
    qtbot.waitUntil(lambda: bool(saved), timeout=10000)
    qtbot.waitUntil(lambda: not window.write_waiting.isVisible(), timeout=5000)
    with demo_db.session() as s:
        assert get_export_folder(s) == target
