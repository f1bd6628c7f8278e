"""Work off the UI thread, stale answers dropped; errors shown the right way."""

from __future__ import annotations

import sys
import threading
import time

import pytest
from PySide6.QtWidgets import QApplication

from kinerja_desktop.errors import UserError
from kinerja_desktop.ui.tasks import TaskRunner


def test_results_come_back_on_the_main_thread(qtbot, db):
    runner = TaskRunner(db)
    got = []
    main = threading.get_ident()
    runner.submit(lambda s: (threading.get_ident(), s.is_active), lambda r: got.append((r, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    (worker_thread, _active), callback_thread = got[0]
    assert worker_thread != main and callback_thread == main
    runner.wait()


def test_an_older_answer_is_dropped(qtbot, db):
    runner = TaskRunner(db, max_threads=2)
    got = []
    release = threading.Event()

    def slow(_s):
        release.wait(5)
        return "lama"

    runner.submit(slow, got.append, key="search")
    runner.submit(lambda _s: "baru", got.append, key="search")
    qtbot.waitUntil(lambda: got == ["baru"], timeout=5000)
    release.set()
    runner.wait()
    QApplication.processEvents()
    assert got == ["baru"]


def test_errors_reach_the_error_callback(qtbot, db):
    runner = TaskRunner(db)
    errors = []

    def fail(_s):
        raise UserError("Berkas tidak ditemukan.")

    runner.submit(fail, None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], UserError) and errors[0].message == "Berkas tidak ditemukan."
    runner.wait()


def test_a_job_reports_progress_and_can_be_cancelled(qtbot, db):
    from kinerja_desktop.services.progress import Cancelled, Progress

    runner = TaskRunner(db)
    cancel = threading.Event()
    seen, errors = [], []

    def job(_db):
        for i in range(1000):
            time.sleep(0.002)
            yield Progress(i, 1000, f"langkah {i}")
        return "selesai"

    def progress(p):
        seen.append(p)
        cancel.set()

    runner.submit_job(job, progress, None, errors.append, cancel_event=cancel)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], Cancelled)
    assert seen and seen[-1].done < 999
    runner.wait()


def test_user_error_is_a_sentence_and_other_errors_open_the_crash_dialog(qtbot, modal_watcher, monkeypatch):
    from kinerja_desktop.ui import errors as ui_errors

    ui_errors.handle_exception(UserError, UserError("Pilih berkas CSV."), None)
    assert modal_watcher.texts == ["Pilih berkas CSV."]

    opened = []
    monkeypatch.setattr(ui_errors.CrashDialog, "exec", lambda self: opened.append(self) or 0)
    try:
        raise ZeroDivisionError("pembagian dengan nol")
    except ZeroDivisionError:
        ui_errors.handle_exception(*sys.exc_info())
    dialog = opened[0]
    qtbot.addWidget(dialog)
    report = dialog.text.toPlainText()
    assert "ZeroDivisionError: pembagian dengan nol" in report and "Traceback" in report
    assert "Kinerja Desktop" in report and "Python" in report
    from kinerja_desktop.logs import log_file

    assert str(log_file()) in dialog.log_label.text()
    dialog.copy_report()
    assert QApplication.clipboard().text() == report


def test_the_qt_binding_keeps_none_alive():
    """PySide6 6.12.0 drops a reference to None for every None a Python model returns."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

    class Model(QAbstractTableModel):
        def rowCount(self, parent=QModelIndex()):
            return 1

        def columnCount(self, parent=QModelIndex()):
            return 1

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            return None

    model = Model()
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(50):
        index.data(Qt.ItemDataRole.ToolTipRole)
    after = sys.getrefcount(None)
    if after < before - 10:
        pytest.fail(
            "This PySide6 release corrupts the reference count of None; install another "
            "(pyproject excludes the known bad one)."
        )
