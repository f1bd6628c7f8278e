"""The sign-in dialog as a person uses it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from kinerja_desktop.ui.signin import ChangePasswordDialog, SignInDialog
from tests.ui.conftest import settle


def _type(qtbot, dialog, username, password):
    dialog.username.clear()
    dialog.password.clear()
    qtbot.keyClicks(dialog.username, username)
    qtbot.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dialog.ops)  # the password is checked off the UI thread


def test_wrong_password_shows_the_message(qtbot, demo_db):
    dialog = SignInDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog, "kepegawaian", "salah-sekali")
    assert dialog.error.isVisible()
    assert "kata sandi salah" in dialog.error.text()
    assert "Sisa percobaan: 4" in dialog.error.text()
    assert dialog.password.text() == "", "the wrong password is cleared"
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_locked_account_says_until_when(qtbot, demo_db):
    dialog = SignInDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    for _ in range(5):
        _type(qtbot, dialog, "kepegawaian", "salah-sekali")
    assert "Akun dikunci sampai pukul" in dialog.error.text()
    _type(qtbot, dialog, "kepegawaian", "latihan123")  # even the right password waits
    assert "Akun dikunci" in dialog.error.text()
    assert dialog.principal is None


def test_practice_accounts_fill_the_fields_and_sign_in(qtbot, demo_db):
    dialog = SignInDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, dialog.ops)  # the practice accounts are read off the UI thread
    table = dialog.practice_table
    assert table is not None and table.rowCount() == 3
    usernames = [table.item(r, 0).text() for r in range(3)]
    assert usernames == ["admin", "kepegawaian", "penilai"]
    assert "pegawai di bawahnya" in table.item(2, 3).text()
    rect = table.visualItemRect(table.item(2, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.username.text() == "penilai"
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dialog.ops)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.principal.role == "pejabat_penilai" and dialog.principal.employee_id


def test_a_real_database_lists_no_practice_accounts(qtbot, db):
    dialog = SignInDialog(db)
    qtbot.addWidget(dialog)
    settle(qtbot, dialog.ops)
    assert dialog.practice_table is None


def test_empty_username_is_asked_for(qtbot, demo_db):
    dialog = SignInDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Isi nama pengguna Anda."


def test_forced_password_change_after_a_reset(qtbot, demo_db):
    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.services.access.users import authenticate, list_users, reset_password

    with demo_db.transaction() as s:
        user = next(u for u in list_users(s, SYSTEM) if u.username == "kepegawaian")
        reset_password(s, SYSTEM, user.id, "Sementara-2026")
    dialog = SignInDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog, "kepegawaian", "Sementara-2026")
    assert dialog.must_change_password is True

    change = ChangePasswordDialog(demo_db, dialog.principal, forced=True)
    qtbot.addWidget(change)
    change.show()
    qtbot.keyClicks(change.old, "Sementara-2026")
    qtbot.keyClicks(change.new, "Kinerja-Batanghari-7")
    qtbot.keyClicks(change.repeat, "Kinerja-Batanghari-8")
    change.save()
    assert "tidak sama" in change.error.text()
    change.repeat.clear()
    qtbot.keyClicks(change.repeat, "Kinerja-Batanghari-7")
    change.save()
    settle(qtbot, change.ops)
    assert change.result() == QDialog.DialogCode.Accepted
    with demo_db.transaction() as s:
        assert authenticate(s, "kepegawaian", "Kinerja-Batanghari-7").username == "kepegawaian"
