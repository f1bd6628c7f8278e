"""Every page and dialog speaks one language: no English button in the Indonesian window,
no Indonesian one in the English window (Qt's own dialogs included).

Each dialog is opened offscreen, its texts collected (``ui.visible_text``) and checked for
the other language's words. A new dialog belongs in :func:`dialogs`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QWidget,
    QWizard,
)
from sqlalchemy import select

from kinerja_desktop import i18n
from kinerja_desktop.ui.visible_text import foreign_words, visible_texts
from tests.ui.conftest import sign_in_as

TODAY = date(2026, 11, 28)


@pytest.fixture
def perf_db(demo_db):
    from kinerja_desktop.services.demo.performance import add_performance_demo
    from kinerja_desktop.services.performance.periods import years_with_periods

    with demo_db.transaction() as s:
        if not years_with_periods(s):
            add_performance_demo(s, random.Random(1504), 2026, today=TODAY)
    return demo_db


def _qt_dialogs(parent: QWidget) -> Iterator[tuple[str, Callable[[], QWidget]]]:
    """Qt's own dialogs and boxes as the program opens them."""

    def question():
        return QMessageBox(
            QMessageBox.Icon.Question,
            "Kinerja Desktop",
            "…",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            parent,
        )

    def save_discard_cancel():
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Kinerja Desktop",
            "…",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            parent,
        )
        box.setDetailedText("…")
        return box

    def button_box():
        widget = QWidget(parent)
        widget.setWindowTitle("Kinerja Desktop")
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Close
            | QDialogButtonBox.StandardButton.Apply,
            widget,
        )
        box.setObjectName("buttons")
        return widget

    def file_dialog(mode):
        def make():
            dialog = QFileDialog(parent, "Kinerja Desktop", str(Path.home()), "Excel (*.xlsx)")
            dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
            dialog.setAcceptMode(mode)
            return dialog

        return make

    def folder_dialog():
        dialog = QFileDialog(parent, "Kinerja Desktop", str(Path.home()))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        return dialog

    def print_dialog():
        printer = QPrinter()
        dialog = QPrintDialog(printer, parent)
        dialog.printer_kept = printer  # the dialog does not own its printer
        return dialog

    def input_dialog():
        dialog = QInputDialog(parent)
        dialog.setWindowTitle("Kinerja Desktop")
        return dialog

    def progress_dialog():
        return QProgressDialog(parent)

    def wizard():
        w = QWizard(parent)
        from PySide6.QtWidgets import QWizardPage

        w.addPage(QWizardPage())
        w.addPage(QWizardPage())
        return w

    def line_edit_menu():
        edit = QLineEdit(parent)
        edit.setText("…")
        return edit.createStandardContextMenu()

    yield "QMessageBox Ya/Tidak", question
    yield "QMessageBox Simpan/Buang/Batal", save_discard_cancel
    yield "QDialogButtonBox", button_box
    yield "QFileDialog simpan", file_dialog(QFileDialog.AcceptMode.AcceptSave)
    yield "QFileDialog buka", file_dialog(QFileDialog.AcceptMode.AcceptOpen)
    yield "QFileDialog folder", folder_dialog
    yield "QPrintDialog", print_dialog
    yield "QInputDialog", input_dialog
    yield "QProgressDialog", progress_dialog
    yield "QWizard", wizard
    yield "menu QLineEdit", line_edit_menu


def _wait_for(condition, timeout_ms: int = 10000) -> None:
    """Let the event loop run until ``condition()`` (work the dialog started off the UI thread)."""
    from PySide6.QtCore import QDeadlineTimer, QThread

    deadline = QDeadlineTimer(timeout_ms)
    while not condition():
        assert not deadline.hasExpired(), "the dialog's work did not finish"
        QApplication.processEvents()
        QThread.msleep(5)


def _program_dialogs(db, hr_ctx, penilai_ctx, admin_ctx, tmp: Path) -> Iterator[tuple[str, Callable[[], QWidget]]]:
    """Every dialog of the program, opened on the demo district."""
    from kinerja_desktop.services.access.users import list_users
    from kinerja_desktop.store.models import Employee, Evaluation, Skp, TrainingRecord

    with db.session() as s:
        employee = s.scalar(select(Employee.id).order_by(Employee.nip).limit(1))
        skp = s.scalar(select(Skp.id).order_by(Skp.id).limit(1))
        evaluation = s.scalar(select(Evaluation.id).order_by(Evaluation.id).limit(1))
        record = s.scalar(select(TrainingRecord.id).order_by(TrainingRecord.id).limit(1))
        user = next(u for u in list_users(s, admin_ctx.principal) if u.username == "penilai")

    from kinerja_desktop.ui.dialogs.competency_form import AssessmentDialog
    from kinerja_desktop.ui.dialogs.employee_form import EmployeeForm
    from kinerja_desktop.ui.dialogs.evaluation_editor import EvaluationEditor
    from kinerja_desktop.ui.dialogs.import_wizard import ImportWizard
    from kinerja_desktop.ui.dialogs.sign_dialog import SignDialog
    from kinerja_desktop.ui.dialogs.skp_editor import NewSkpDialog, SkpEditor
    from kinerja_desktop.ui.dialogs.training_form import GroupEntryDialog, TrainingRecordDialog
    from kinerja_desktop.ui.dialogs.users import ResetPasswordDialog, UserDialog
    from kinerja_desktop.ui.dialogs.verify_dialog import VerifyDialog
    from kinerja_desktop.ui.errors import CrashDialog
    from kinerja_desktop.ui.first_run import FirstRunWizard
    from kinerja_desktop.ui.progress import JobDialog
    from kinerja_desktop.ui.signin import ChangePasswordDialog, SignInDialog

    def first_run(page: int):
        def make():
            from kinerja_desktop.store.database import open_database

            fresh = open_database(tmp / f"baru-{page}" / "kinerja.sqlite3")
            wizard = FirstRunWizard(fresh)
            wizard.destroyed.connect(lambda *_a: fresh.close())
            for _i in range(page):
                wizard.next()
                _wait_for(lambda: not wizard.busy and wizard.ops.runner.active == 0)
            return wizard

        return make

    def import_wizard():
        csv = tmp / "pegawai.csv"
        csv.write_text("NIP;Nama\n198609262015051001;Budi Santoso\n", encoding="utf-8")
        return ImportWizard(hr_ctx, path=str(csv))

    def job():
        def work(_db):
            return None

        return JobDialog(hr_ctx.runner, work, title=i18n._("Mengimpor pegawai"))

    yield "Masuk", lambda: SignInDialog(db)
    yield "Ganti kata sandi", lambda: ChangePasswordDialog(db, hr_ctx.principal, forced=True)
    yield "Penyiapan: folder", first_run(0)
    yield "Penyiapan: kantor", first_run(1)
    yield "Penyiapan: administrator", first_run(2)
    yield "Pegawai baru", lambda: EmployeeForm(hr_ctx)
    yield "Data pegawai", lambda: EmployeeForm(hr_ctx, employee)
    yield "Impor pegawai", import_wizard
    yield "Pengguna baru", lambda: UserDialog(admin_ctx)
    yield "Atur ulang kata sandi", lambda: ResetPasswordDialog(admin_ctx, user)
    yield "SKP baru", lambda: NewSkpDialog(hr_ctx, employee, 2027)
    yield "SKP", lambda: SkpEditor(hr_ctx, skp)
    yield "Evaluasi", lambda: EvaluationEditor(hr_ctx, evaluation)
    yield "Catatan pelatihan", lambda: TrainingRecordDialog(hr_ctx, record)
    yield "Catatan pelatihan baru", lambda: TrainingRecordDialog(hr_ctx)
    yield "Entri kelompok", lambda: GroupEntryDialog(hr_ctx)
    yield "Penilaian kompetensi", lambda: AssessmentDialog(penilai_ctx, employee)
    yield "Tanda tangan", lambda: SignDialog()
    yield "Verifikasi PDF", lambda: VerifyDialog(hr_ctx)
    yield "Kemajuan", job
    yield "Kesalahan", lambda: CrashDialog("Traceback (most recent call last):\n  ...")


def _walk(qtbot, name: str, make: Callable[[], QWidget], language: str) -> list[str]:
    widget = make()
    if not isinstance(widget, QMessageBox):
        qtbot.addWidget(widget)
    widget.show()
    for _i in range(3):
        QApplication.processEvents()
    if isinstance(widget, QMessageBox) and widget.detailedText():
        for button in widget.buttons():  # "Show Details..." is a button of its own
            if widget.buttonRole(button) == QMessageBox.ButtonRole.ActionRole:
                button.click()
    texts = visible_texts(widget)
    found = [f"{name}: “{word}” in “{text}”" for word, text in foreign_words(texts, language)]
    widget.close()
    widget.deleteLater()
    return found


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_dialog_speaks_the_language(qtbot, perf_db, ctx_for, tmp_path, language):
    i18n.set_language(language)
    hr = ctx_for(perf_db, sign_in_as(perf_db, "kepegawaian"))
    penilai = ctx_for(perf_db, sign_in_as(perf_db, "penilai"))
    admin = ctx_for(perf_db, sign_in_as(perf_db, "admin"))
    parent = QWidget()
    qtbot.addWidget(parent)
    problems: list[str] = []
    walked = 0
    for name, make in [*_qt_dialogs(parent), *_program_dialogs(perf_db, hr, penilai, admin, tmp_path)]:
        problems += _walk(qtbot, name, make, language)
        walked += 1
    for ctx in (hr, penilai, admin):
        ctx.runner.wait(10000)
    assert walked >= 30
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_page_speaks_the_language(qtbot, make_window, perf_db, language):
    from kinerja_desktop.ui.pages import pages_for

    i18n.set_language(language)
    problems: list[str] = []
    for username in ("admin", "kepegawaian", "penilai"):
        principal = sign_in_as(perf_db, username)
        window = make_window(perf_db, principal, page="home")
        for spec in pages_for(principal):
            page = window.show_page(spec.key)
            qtbot.waitUntil(lambda: not window.ctx.runner.active, timeout=15000)
            texts = visible_texts(window)
            problems += [f"{username}/{spec.key}: “{w}” in “{t}”" for w, t in foreign_words(texts, language)]
            assert page is not None
        window.close()
    assert not problems, "\n".join(problems)


def test_standard_buttons_read_indonesian(qtbot):
    from kinerja_desktop.ui import qt_language

    qt_language.install()
    i18n.set_language("id")
    box = QMessageBox(
        QMessageBox.Icon.Question, "t", "x", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    )
    assert sorted(b.text().replace("&", "") for b in box.buttons()) == ["Tidak", "Ya"]
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save
        | QDialogButtonBox.StandardButton.Discard
        | QDialogButtonBox.StandardButton.Cancel
    )
    assert sorted(b.text().replace("&", "") for b in buttons.buttons()) == ["Batal", "Buang", "Simpan"]
    i18n.set_language("en")
    english = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert english.buttons()[0].text().replace("&", "") == "Cancel"


def test_the_walker_finds_english_and_indonesian_words():
    assert foreign_words(["Look in:", "Nama berkas"], "id") == [("Look in", "Look in:")]
    assert foreign_words(["No."], "id") == []  # "No." is Indonesian for Nomor
    assert foreign_words(["No"], "id") == [("No", "No")]
    assert foreign_words(["Batal", "Cancel"], "en") == [("Batal", "Batal")]
    assert foreign_words(["Predikat: Sangat Baik"], "en") == []
    QTimer()  # Qt is importable here (the walker module imports widgets)
