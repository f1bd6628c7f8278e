"""Fixtures for the interface tests: a demo district database, signed-in people, windows."""

from __future__ import annotations

import shutil
import sys
import threading
from pathlib import Path

import pytest

import kinerja_desktop.ui as ui_package

DEMO_EMPLOYEES = 300
PRACTICE_PASSWORD = "latihan123"


@pytest.fixture(autouse=True)
def isolated_config(tmp_path, monkeypatch):
    """The per-user configuration folder (remembered data folder) lives in the test's tmp."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


# -- no database session on the UI thread ----------------------------------------------------
# The window reaches the database through the operation layer (ctx.query / ctx.write, run in
# the task runner's worker threads). The autouse fixture below wraps Database.session (which
# Database.transaction uses too): a session opened on the Qt main thread while window code
# (a frame under kinerja_desktop/ui) is on the call stack fails the test. Test code that
# prepares or checks data opens its own sessions on the main thread; that is allowed.


UI_FOLDER = str(Path(ui_package.__file__).resolve().parent)
TESTS_FOLDER = str(Path(__file__).resolve().parent.parent)

#: Window code allowed to open a session on the main thread: ``path suffix: reason``.
#: Keep it short; every entry needs a reason that holds.
ALLOWED: dict[str, str] = {}


def _window_frame() -> str | None:
    """Where window code (the innermost frame under ``kinerja_desktop/ui``) asked for the
    session; None when test code asked first (a hook a test hands to the window)."""
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(TESTS_FOLDER):
            return None
        if filename.startswith(UI_FOLDER):
            where = f"{Path(filename).relative_to(Path(UI_FOLDER).parent.parent)}:{frame.f_lineno}"
            if any(where.startswith(allowed) for allowed in ALLOWED):
                return None
            return where
        frame = frame.f_back
    return None


class SessionGuard:
    """Records window code opening a database session on the Qt main thread."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def wrap(self, original):
        guard = self

        def session(db, **info):
            if threading.current_thread() is threading.main_thread():
                where = _window_frame()
                if where is not None:
                    guard.violations.append(where)
            return original(db, **info)

        session.__wrapped__ = original
        return session


@pytest.fixture(autouse=True)
def no_session_on_ui_thread(monkeypatch):
    """Window code never opens a database session on the Qt main thread (see above)."""
    from kinerja_desktop.store.database import Database

    guard = SessionGuard()
    monkeypatch.setattr(Database, "session", guard.wrap(Database.session))
    yield guard
    assert not guard.violations, (
        "database sessions opened on the UI thread by window code (use ctx.query/ctx.write): "
        + ", ".join(sorted(set(guard.violations)))
    )


@pytest.fixture(autouse=True)
def qt_texts(qapp):
    """Qt's own texts follow the program's language, as in the program (``create_app``)."""
    from kinerja_desktop.ui import qt_language

    qt_language.install()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """A demo district (300 employees, practice accounts) built once, copied per test."""
    from kinerja_desktop.services.access.users import create_practice_accounts
    from kinerja_desktop.services.demo.district import build_demo
    from kinerja_desktop.services.progress import run
    from kinerja_desktop.store.database import open_database

    folder = tmp_path_factory.mktemp("demo-template")
    path = folder / "kinerja.sqlite3"
    db = open_database(path)
    try:
        run(build_demo(db, employees=DEMO_EMPLOYEES, seed=1504, year=2026))
        with db.transaction() as s:
            create_practice_accounts(s)
    finally:
        db.close()
    return path


@pytest.fixture
def demo_db(demo_template, data_home):
    from kinerja_desktop.store.database import open_database

    data_home.mkdir(parents=True, exist_ok=True)
    from kinerja_desktop.store.encryption import sidecar_path

    target = data_home / "kinerja.sqlite3"
    shutil.copyfile(demo_template, target)
    shutil.copyfile(sidecar_path(demo_template), sidecar_path(target))  # the key file travels with it
    db = open_database(target)
    yield db
    db.close()


def sign_in_as(db, username: str, password: str = PRACTICE_PASSWORD):
    from kinerja_desktop.services.access.users import authenticate

    with db.transaction() as s:
        return authenticate(s, username, password)


@pytest.fixture
def make_window(qtbot):
    """Open a main window for ``principal`` on ``db``; closed (and its tasks awaited) after the test."""
    windows = []

    def make(db, principal, page=None):
        from kinerja_desktop.ui.launch import open_main_window

        window = open_main_window(db, principal, page=page, show=False)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.ctx.runner.wait(5000)


@pytest.fixture
def ctx_for(qtbot):
    """An AppContext (runner included) for dialogs opened without a main window."""
    runners = []

    def make(db, principal):
        from kinerja_desktop.ui.context import AppContext
        from kinerja_desktop.ui.tasks import TaskRunner

        runner = TaskRunner(db)
        runners.append(runner)
        return AppContext(db=db, principal=principal, runner=runner)

    yield make
    for runner in runners:
        runner.wait(5000)


class ModalWatcher:
    """Closes message boxes that pop up during a test and remembers their text."""

    def __init__(self, qtbot) -> None:
        from PySide6.QtCore import QTimer

        self.texts: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(30)
        self.timer.timeout.connect(self._check)
        self.timer.start()

    def _check(self) -> None:
        from PySide6.QtWidgets import QApplication, QMessageBox

        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                self.texts.append(widget.text())
                widget.done(0)


@pytest.fixture
def modal_watcher(qtbot):
    watcher = ModalWatcher(qtbot)
    yield watcher
    watcher.timer.stop()


def settle(qtbot, ctx_or_runner, timeout: int = 10000) -> None:
    """Wait until the window's queries and writes have answered (they run off the UI thread)."""
    runner = getattr(ctx_or_runner, "runner", ctx_or_runner)
    qtbot.waitUntil(lambda: runner.active == 0, timeout=timeout)
    qtbot.wait(10)  # the answers' own follow-ups (a reload after a save) have been submitted
    qtbot.waitUntil(lambda: runner.active == 0, timeout=timeout)
