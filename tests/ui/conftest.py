"""Fixtures for the interface tests: a demo district database, signed-in people, windows."""

from __future__ import annotations

import shutil

import pytest

DEMO_EMPLOYEES = 300
PRACTICE_PASSWORD = "latihan123"


@pytest.fixture(autouse=True)
def isolated_config(tmp_path, monkeypatch):
    """The per-user configuration folder (remembered data folder) lives in the test's tmp."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


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
