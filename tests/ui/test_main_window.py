"""The main window: navigation per role, remembered page and size, keyboard shortcuts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from kinerja_desktop.ui.pages import pages_for
from tests.ui.conftest import sign_in_as


def _nav_titles(window):
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def test_audit_page_is_for_administrators_only(qtbot, make_window, demo_db):
    hr = make_window(demo_db, sign_in_as(demo_db, "kepegawaian"))
    titles = _nav_titles(hr)
    assert titles[:2] == ["Beranda", "Pegawai"] and titles[-1] == "Pengaturan"
    assert "Jejak Audit" not in titles
    penilai = make_window(demo_db, sign_in_as(demo_db, "penilai"))
    assert "Jejak Audit" not in _nav_titles(penilai)
    admin = make_window(demo_db, sign_in_as(demo_db, "admin"))
    titles = _nav_titles(admin)
    assert titles[:2] == ["Beranda", "Pegawai"] and titles[-1] == "Pengaturan"
    assert "Jejak Audit" in titles


def test_every_page_opens_for_every_role(qtbot, make_window, demo_db):
    for username in ("admin", "kepegawaian", "penilai"):
        principal = sign_in_as(demo_db, username)
        window = make_window(demo_db, principal)
        for spec in pages_for(principal):
            page = window.show_page(spec.key)
            assert window.stack.currentWidget() is page
            assert len(page.findChildren(QWidget)) > 3  # a page with something on it, never empty


def test_status_bar_says_who_where_and_which_file(qtbot, make_window, demo_db):
    window = make_window(demo_db, sign_in_as(demo_db, "kepegawaian"))
    # The person's name, not the login name (which the tooltip gives).
    qtbot.waitUntil(lambda: window.user_label.text() == "Latihan Admin Kepegawaian (Admin Kepegawaian)", timeout=5000)
    assert "kepegawaian" in window.user_label.toolTip()
    assert demo_db.site_id in window.site_label.text()
    assert window.db_label.toolTip() == str(demo_db.path)


def test_remembers_size_position_and_last_page(qtbot, make_window, demo_db):
    principal = sign_in_as(demo_db, "kepegawaian")
    first = make_window(demo_db, principal)
    first.show_page("settings")
    first.resize(1100, 650)
    first.close()
    second = make_window(demo_db, principal)
    # make_window resizes to 1366x768 after restoring; check what was saved instead
    assert second.current_key() == "settings"
    assert second.ctx.settings.value(f"window/page/{principal.user_id}") == "settings"
    assert second.ctx.settings.value("window/geometry") is not None
    # Another account does not inherit it: each comes back to their own last page.
    other = make_window(demo_db, sign_in_as(demo_db, "penilai"))
    assert other.current_key() == "home"
    other.show_page("pelatihan")
    other.close()
    third = make_window(demo_db, principal)
    assert third.current_key() == "settings"


def test_keyboard_search_and_refresh(qtbot, make_window, demo_db):
    window = make_window(demo_db, sign_in_as(demo_db, "kepegawaian"), page="employees")
    page = window.pages["employees"]
    qtbot.waitUntil(lambda: not page.model.busy, timeout=5000)
    window.activateWindow()
    window.nav.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is page.search or page.search.hasFocus()
    loads = []
    page.model.loaded.connect(lambda: loads.append(1))
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: bool(loads), timeout=5000)


def test_ctrl_n_opens_the_new_employee_form(qtbot, make_window, demo_db):
    from PySide6.QtCore import QTimer

    from kinerja_desktop.ui.dialogs.employee_form import EmployeeForm

    window = make_window(demo_db, sign_in_as(demo_db, "kepegawaian"), page="employees")
    seen = []

    def close_form():
        for w in QApplication.topLevelWidgets():
            if isinstance(w, EmployeeForm) and w.isVisible():
                seen.append(w.windowTitle())
                qtbot.keyClick(w, Qt.Key.Key_Escape)  # Esc closes dialogs

    QTimer.singleShot(200, close_form)
    window.action_new.trigger()
    assert seen == ["Tambah pegawai"]


def test_beranda_counts(qtbot, make_window, demo_db):
    window = make_window(demo_db, sign_in_as(demo_db, "kepegawaian"), page="home")
    home = window.pages["home"]
    qtbot.waitUntil(lambda: home.card_active.value.text() != "…", timeout=5000)
    pns, pppk = int(home.card_pns.value.text().replace(".", "")), int(home.card_pppk.value.text().replace(".", ""))
    assert pns + pppk == int(home.card_active.value.text().replace(".", "")) == 300
    assert "Demo" in home.site_name.text() or demo_db.site_id in home.site_name.text()
