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
        session.execute(text(
            "INSERT INTO units (id, code, name, kind, origin_site, updated_hlc, deleted) "
            "VALUES ('u-1', 'X', 'X', 'dinas', 's', '0', 0)"))
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
    ctx.bus.subscribe({"units"}, lambda kinds: (told.append(kinds), order.append("bus")), page,
                      with_kinds=True)
    ctx.bus.subscribe({"training"}, lambda: other.append(1), page)

    def add(session):
        session.execute(text(
            "INSERT INTO units (id, code, name, kind, origin_site, updated_hlc, deleted) "
            "VALUES ('u-1', 'X', 'X', 'dinas', 's', '0', 0)"))
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
        session.execute(text(
            "INSERT INTO units (id, code, name, kind, origin_site, updated_hlc, deleted) "
            "VALUES ('u-1', 'X', 'X', 'dinas', 's', '0', 0)"))
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
