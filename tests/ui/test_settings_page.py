"""Pengaturan: language, letterhead, export folder, user accounts."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import settle, sign_in_as


def _settings(make_window, db, username, qtbot=None):
    window = make_window(db, sign_in_as(db, username), page="settings")
    page = window.pages["settings"]
    if qtbot is not None:
        settle(qtbot, page.ctx)  # the settings are read off the UI thread before anything is typed
    return page


def test_language_is_saved_and_takes_effect_after_restart(qtbot, make_window, demo_db):
    from kinerja_desktop import i18n
    from kinerja_desktop.services.settings import get_language

    page = _settings(make_window, demo_db, "penilai", qtbot)  # anyone may choose their language
    general = page.general
    general.language.setCurrentIndex(general.language.findData("en"))
    qtbot.mouseClick(general.save_language_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page.ctx)
    with demo_db.session() as s:
        assert get_language(s) == "en"
    assert "buka kembali program" in general.language_note.text()
    assert i18n.language() == "id", "the running window keeps its language until restart"


def test_language_setting_is_read_at_start(demo_db):
    """The start-up worker reads the saved language with the database (the window applies it)."""
    from concurrent.futures import ThreadPoolExecutor

    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.services.settings import set_language
    from kinerja_desktop.ui.launch import open_in_background

    with demo_db.transaction() as s:
        set_language(s, SYSTEM, "en")
    path = demo_db.path
    demo_db.close()
    with ThreadPoolExecutor(1) as pool:  # as at start: in a worker, never on the UI thread
        opened = pool.submit(open_in_background, str(path), ()).result()
    try:
        assert opened.language == "en"
    finally:
        opened.db.close()


def test_non_administrators_see_no_letterhead_or_users(qtbot, make_window, demo_db):
    page = _settings(make_window, demo_db, "kepegawaian", qtbot)
    assert page.letterhead is None and page.users is None
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["Umum", "Kepala daerah", "Sertifikat"]
    assert page.kepala_daerah is not None  # HR records the kepala daerah
    assert not page.certificates.trust_box.isVisible() and not page.certificates.ca_box.isVisible()
    assert not page.general.folder_box.isVisible()


def test_letterhead_with_logo_preview(qtbot, make_window, demo_db, tmp_path):
    from PySide6.QtGui import QColor, QImage

    from kinerja_desktop.services.settings import get_letterhead

    logo = tmp_path / "logo.png"
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(QColor("darkgreen"))
    image.save(str(logo))
    page = _settings(make_window, demo_db, "admin", qtbot)
    lh = page.letterhead
    lh.unit_name.clear()
    qtbot.keyClicks(lh.unit_name, "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA")
    lh.address.setPlainText("Jl. Jenderal Sudirman No. 1\nMuara Bulian 36613")
    lh.set_logo(str(logo))
    assert not lh.logo_preview.pixmap().isNull()
    qtbot.mouseClick(lh.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page.ctx)
    assert lh.message.text() == "Kop surat tersimpan."
    with demo_db.session() as s:
        saved = get_letterhead(s)
    assert saved.unit_name.startswith("BADAN KEPEGAWAIAN")
    assert saved.address_lines == ("Jl. Jenderal Sudirman No. 1", "Muara Bulian 36613")
    assert saved.logo_path and saved.logo_path.endswith("logo.png")

    lh.government.clear()
    qtbot.mouseClick(lh.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page.ctx)
    assert "belum diisi" in lh.message.text()


def test_export_folder_saved(qtbot, make_window, demo_db, tmp_path):
    from kinerja_desktop.services.settings import get_export_folder

    page = _settings(make_window, demo_db, "admin", qtbot)
    general = page.general
    general.export_folder.setText(str(tmp_path / "ekspor"))
    qtbot.mouseClick(general.save_folder_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page.ctx)
    with demo_db.session() as s:
        assert get_export_folder(s) == tmp_path / "ekspor"
    assert general.folder_message.text() == "Folder ekspor tersimpan."


def test_administrator_adds_and_deactivates_a_user(qtbot, make_window, demo_db, modal_watcher):
    from kinerja_desktop.ui.dialogs.users import UserDialog

    page = _settings(make_window, demo_db, "admin", qtbot)
    users = page.users
    before = users.table.rowCount()
    dialog = UserDialog(users.ctx, parent=users)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, "siti.aminah")
    qtbot.keyClicks(dialog.display_name, "Siti Aminah")
    dialog.role.setCurrentIndex(dialog.role.findData("admin_kepegawaian"))
    qtbot.keyClicks(dialog.password, "Kinerja-Batanghari-7")
    qtbot.keyClicks(dialog.repeat, "Kinerja-Batanghari-7")
    dialog.save()
    settle(qtbot, page.ctx)
    assert dialog.result() == 1, dialog.error.text()
    users.reload()
    settle(qtbot, page.ctx)
    assert users.table.rowCount() == before + 1
    row = next(r for r in range(users.table.rowCount()) if users.table.item(r, 0).text() == "siti.aminah")
    users.table.selectRow(row)
    assert users.toggle_button.text() == "Nonaktifkan"
    qtbot.mouseClick(users.toggle_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page.ctx)
    row = next(r for r in range(users.table.rowCount()) if users.table.item(r, 0).text() == "siti.aminah")
    assert users.table.item(row, 4).text().startswith("nonaktif")


def test_a_pejabat_penilai_account_needs_an_employee(qtbot, make_window, demo_db):
    from kinerja_desktop.ui.dialogs.users import UserDialog

    page = _settings(make_window, demo_db, "admin", qtbot)
    dialog = UserDialog(page.users.ctx)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, "kabid.umum")
    dialog.role.setCurrentIndex(dialog.role.findData("pejabat_penilai"))
    qtbot.keyClicks(dialog.password, "Kinerja-Batanghari-7")
    qtbot.keyClicks(dialog.repeat, "Kinerja-Batanghari-7")
    dialog.save()
    settle(qtbot, page.ctx)
    assert "harus dihubungkan dengan data pegawainya" in dialog.error.text()
