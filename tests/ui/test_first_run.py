"""The first-run wizard: completed once, never shown again."""

from __future__ import annotations

import argparse

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWizard

from tests.ui.conftest import settle


def _next(qtbot, wizard):
    button = wizard.button(QWizard.WizardButton.CommitButton)
    if not button.isVisible():
        button = wizard.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(qtbot, wizard.ops)  # the page's check or save runs off the UI thread (asynchronous Next)


def _fill(qtbot, wizard, password="Kinerja-Dinkes-2026", repeat=None):
    _next(qtbot, wizard)  # the data folder page
    office = wizard.office
    qtbot.keyClicks(office.office_name, "Dinas Kesehatan Kabupaten Batanghari")
    office.unit.setFocus()
    qtbot.keyClicks(office.unit.lineEdit(), "DINKES")
    assert office.site_code.text() == "1504-DINKES"
    _next(qtbot, wizard)
    admin = wizard.admin
    qtbot.keyClicks(admin.username, "admin.dinkes")
    qtbot.keyClicks(admin.display_name, "Rahmat Hidayat")
    qtbot.keyClicks(admin.password, password)
    qtbot.keyClicks(admin.repeat, repeat or password)
    _next(qtbot, wizard)


def test_wizard_completes_and_signs_the_administrator_in(qtbot, db):
    from kinerja_desktop.services.first_run import is_first_run_done
    from kinerja_desktop.ui.first_run import FirstRunWizard

    wizard = FirstRunWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    assert str(db.path.parent) in wizard.folder_page.folder.text()
    _fill(qtbot, wizard)
    assert wizard.currentPage() is wizard.import_page
    assert wizard.principal is not None and wizard.principal.role == "administrator"
    with db.session() as s:
        assert is_first_run_done(s)
    assert db.site_id.startswith("1504-DINKES-"), "the clock stamps rows with the new site id"
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()


def test_mismatched_and_weak_passwords_are_explained(qtbot, db):
    from kinerja_desktop.services.first_run import is_first_run_done
    from kinerja_desktop.ui.first_run import FirstRunWizard

    wizard = FirstRunWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    _fill(qtbot, wizard, password="Kinerja-Dinkes-2026", repeat="Kinerja-Dinkes-2027")
    assert wizard.currentPage() is wizard.admin
    assert "tidak sama" in wizard.admin.repeat_row.message.text()
    wizard.admin.password.clear()
    wizard.admin.repeat.clear()
    qtbot.keyClicks(wizard.admin.password, "12345678")
    qtbot.keyClicks(wizard.admin.repeat, "12345678")
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.admin
    assert "mudah ditebak" in wizard.admin.password_row.message.text()
    with db.session() as s:
        assert not is_first_run_done(s)


def test_changing_the_data_folder_is_remembered(qtbot, db, tmp_path, monkeypatch):
    from kinerja_desktop import paths
    from kinerja_desktop.ui.data_location import chosen_data_dir
    from kinerja_desktop.ui.first_run import FirstRunWizard

    wizard = FirstRunWizard(db)
    qtbot.addWidget(wizard)
    target = tmp_path / "D" / "KinerjaData"
    target.mkdir(parents=True)
    wizard.move_to_folder(target)
    try:
        settle(qtbot, wizard.ops)  # the database there is opened off the UI thread
        qtbot.waitUntil(lambda: wizard.db.path == target.resolve() / "kinerja.sqlite3", timeout=10000)
        assert chosen_data_dir() == target.resolve()
        assert wizard.db.path == target.resolve() / "kinerja.sqlite3"
        assert wizard.folder_page.folder.text() == str(target.resolve())
    finally:
        wizard.db.close()
        paths.set_data_dir(None)


def _run_launch(qtbot, data_home, on_dialog):
    """Start the program as ``kinerja`` does; ``on_dialog(widget)`` handles each modal window."""
    from kinerja_desktop.ui.launch import launch

    seen = []

    def poll():
        from kinerja_desktop.ui.window import MainWindow

        widget = QApplication.activeModalWidget()
        if widget is not None and (not seen or seen[-1] is not widget):
            seen.append(widget)
            on_dialog(widget)
        for top in QApplication.topLevelWidgets():
            # The window's frame shows from the start; it counts once someone is signed in.
            if isinstance(top, MainWindow) and top.isVisible() and top.ctx is not None:
                seen.append(top)
                top.close()

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(poll)
    timer.start()
    try:
        code = launch(argparse.Namespace(db=None, data_dir=None, lang=None, command=None))
    finally:
        timer.stop()
    return code, seen


def test_shown_once_then_the_program_asks_to_sign_in(qtbot, data_home):
    from kinerja_desktop.store.encryption import SQLITE_MAGIC
    from kinerja_desktop.store.rekey import unlock
    from kinerja_desktop.ui.dialogs.database_key import RecoveryCodeDialog
    from kinerja_desktop.ui.first_run import FirstRunWizard
    from kinerja_desktop.ui.signin import SignInDialog
    from kinerja_desktop.ui.window import MainWindow

    codes = []

    def finish_wizard(widget):
        if isinstance(widget, FirstRunWizard):

            def finish():
                _fill(qtbot, widget)
                qtbot.mouseClick(widget.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)

            QTimer.singleShot(0, finish)
        elif isinstance(widget, RecoveryCodeDialog):
            codes.append(widget.code)
            widget.reject()  # not before the code was kept: the dialog stays
            assert widget.isVisible()
            widget.kept.setChecked(True)
            widget.reject()
        else:
            widget.reject()

    code, seen = _run_launch(qtbot, data_home, finish_wizard)
    assert code == 0
    assert isinstance(seen[0], FirstRunWizard)
    assert isinstance(seen[1], RecoveryCodeDialog), "the administrator is shown the recovery code once"
    assert isinstance(seen[2], MainWindow), "then the new administrator goes straight to the program"
    assert seen[2].ctx.principal.username == "admin.dinkes"
    database = data_home / "kinerja.sqlite3"
    with database.open("rb") as fh:
        assert fh.read(16) != SQLITE_MAGIC
    unlock(database, codes[0])  # the code shown is the one that opens this database

    code, seen = _run_launch(qtbot, data_home, lambda w: w.reject())
    assert code == 0
    assert [type(w) for w in seen] == [SignInDialog], "no wizard the second time"


def test_the_key_file_passphrase_is_asked_in_the_window_until_right(qtbot, data_home, monkeypatch):
    """No key store and no KINERJA_DB_PASSPHRASE: the window asks, says when it is wrong, opens."""
    from PySide6.QtWidgets import QInputDialog

    from kinerja_desktop.store import keystore
    from kinerja_desktop.store.database import open_database
    from kinerja_desktop.ui.first_run import FirstRunWizard

    monkeypatch.delenv(keystore.ENV_KEY)
    monkeypatch.setenv(keystore.ENV_PASSPHRASE, "frasa sandi kantor")
    keystore.reset()
    open_database(data_home / "kinerja.sqlite3").close()
    monkeypatch.delenv(keystore.ENV_PASSPHRASE)
    keystore.reset()
    labels = []

    def answer(widget):
        if isinstance(widget, QInputDialog):
            labels.append(widget.labelText())
            widget.setTextValue("salah sekali" if len(labels) == 1 else "frasa sandi kantor")
            widget.accept()
        else:
            widget.reject()

    code, seen = _run_launch(qtbot, data_home, answer)
    assert [type(w) for w in seen] == [QInputDialog, QInputDialog, FirstRunWizard]
    assert "Frasa sandi salah" in labels[1]
