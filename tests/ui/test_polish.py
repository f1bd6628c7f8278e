"""Small things that add up: names, words, "tersimpan", kept selections, stable layouts, the
site code as saved, distinct icons, the user guide, columns that fit 1366x768."""

from __future__ import annotations

import random
from datetime import date

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy import select

from tests.ui.conftest import settle, sign_in_as

TODAY = date(2026, 11, 28)


def _close_next_dialog(qtbot, action=None):
    """When the next modal dialog opens: run ``action(dialog)`` (or just close it)."""

    def check():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            timer.stop()
            if action is not None:
                action(dialog)
            if dialog.isVisible():
                dialog.reject()

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(check)
    timer.start()
    return timer


def test_people_are_greeted_by_name_not_login(qtbot, make_window, demo_db):
    from kinerja_desktop.store.employee import Employee

    principal = sign_in_as(demo_db, "penilai")
    with demo_db.session() as s:
        name = s.get(Employee, principal.employee_id).full_name
    window = make_window(demo_db, principal, page="home")
    home = window.pages["home"]
    qtbot.waitUntil(lambda: name in home.greeting.text(), timeout=10000)
    assert "penilai," not in home.greeting.text()
    qtbot.waitUntil(lambda: window.user_label.text() == f"{name} (Pejabat Penilai)", timeout=5000)


def test_the_audit_view_reads_in_words(qtbot, make_window, demo_db):
    from kinerja_desktop.errors import UserError
    from kinerja_desktop.services.access.users import authenticate

    with pytest.raises(UserError):
        with demo_db.transaction() as s:
            authenticate(s, "penilai", "salah-sandi")
    window = make_window(demo_db, sign_in_as(demo_db, "admin"), page="audit")
    page = window.pages["audit"]
    qtbot.waitUntil(lambda: not page.model.busy and page.model.rowCount() > 0, timeout=10000)
    summaries = [page.model.index(r, 5).data() or "" for r in range(page.model.rowCount())]
    actions = [page.model.index(r, 3).data() for r in range(page.model.rowCount())]
    assert any("alasan: kata sandi salah" in t for t in summaries)
    assert any("peran: Pejabat Penilai" in t for t in summaries)
    assert not any("wrong_password" in t or "pejabat_penilai" in t or "role:" in t for t in summaries)
    assert "gagal masuk" in actions and not any("_" in a for a in actions)
    row = actions.index("gagal masuk")
    page.table.selectRow(row)
    assert "alasan: kata sandi salah" in page.detail.toPlainText()


def test_saving_an_employee_says_tersimpan_and_selects_it(qtbot, make_window, demo_db):
    window = make_window(demo_db, sign_in_as(demo_db, "kepegawaian"), page="employees")
    page = window.pages["employees"]
    qtbot.waitUntil(lambda: not page.model.busy, timeout=10000)

    def fill(form):
        qtbot.waitUntil(lambda: form.loaded, timeout=10000)  # the form reads its lists off the UI thread
        form.nip.setText("199001152015052099")
        form.name.setText("Aaron Tersimpan")
        form.save()
        qtbot.waitUntil(lambda: not form.isVisible(), timeout=10000)  # closed by the save once it landed

    timer = _close_next_dialog(qtbot, fill)
    page.new_item()
    timer.stop()
    assert window.status_message.text() == "Data pegawai tersimpan."
    qtbot.waitUntil(lambda: not page.model.busy, timeout=10000)
    qtbot.waitUntil(lambda: page.table.currentIndex().isValid(), timeout=5000)
    assert page.model.row_tuple(page.table.currentIndex().row())[3].startswith("Aaron Tersimpan")


@pytest.fixture
def perf_db(demo_db):
    from kinerja_desktop.services.demo.performance import add_performance_demo
    from kinerja_desktop.services.performance.periods import years_with_periods

    with demo_db.transaction() as s:
        if not years_with_periods(s):
            add_performance_demo(s, random.Random(1504), 2026, today=TODAY)
    return demo_db


def test_the_selection_stays_after_the_skp_dialog_closes(qtbot, make_window, perf_db):
    from kinerja_desktop.ui.pages.penilaian.model import EMPLOYEE_ROLE

    window = make_window(perf_db, sign_in_as(perf_db, "kepegawaian"), page="penilaian")
    page = window.pages["penilaian"]
    qtbot.waitUntil(lambda: page.model.rowCount() > 10 and not page.model.busy, timeout=10000)
    chosen = page.model.index(7, 0)
    page.table.setCurrentIndex(chosen)
    employee = chosen.data(EMPLOYEE_ROLE)
    timer = _close_next_dialog(qtbot)  # the real SKP editor, closed as a person would
    page.open_skp()
    qtbot.waitUntil(lambda: not timer.isActive(), timeout=10000)  # the editor opened (after its query) and closed
    qtbot.waitUntil(lambda: not page.model.busy, timeout=10000)
    qtbot.waitUntil(lambda: page.table.currentIndex().isValid(), timeout=5000)
    assert page.table.currentIndex().data(EMPLOYEE_ROLE) == employee
    assert page.table.currentIndex().row() == 7


def test_the_skp_editor_says_tersimpan(qtbot, ctx_for, perf_db):
    from kinerja_desktop.store.employee import Employee
    from kinerja_desktop.store.skp import Skp
    from kinerja_desktop.ui.dialogs.skp_editor import SkpEditor
    from kinerja_desktop.ui.theme import MessageLabel

    principal = sign_in_as(perf_db, "penilai")
    with perf_db.session() as s:
        skp_id = s.scalar(
            select(Skp.id)
            .join(Employee, Employee.id == Skp.employee_id)
            .where(Skp.status == "draft", Employee.supervisor_id == principal.employee_id)
            .limit(1)
        )
    assert skp_id is not None
    ctx = ctx_for(perf_db, principal)
    editor = SkpEditor(ctx, skp_id)
    qtbot.addWidget(editor)
    editor.show()
    settle(qtbot, ctx)  # the SKP is read off the UI thread
    editor.save()
    settle(qtbot, ctx)  # saved in the write lane, then read again
    assert not editor.dirty
    notice = editor.findChild(MessageLabel, "savedNotice")
    assert notice is not None and notice.isVisible() and notice.text().startswith("SKP tersimpan (pukul ")
    editor.dirty = False


def test_the_documents_buttons_stay_put_when_the_status_changes(qtbot, make_window, demo_db):
    window = make_window(demo_db, sign_in_as(demo_db, "kepegawaian"), page="documents")
    page = window.pages["documents"]
    qtbot.waitUntil(lambda: page.isVisible(), timeout=5000)
    QApplication.processEvents()
    before = (
        page.batch_button.mapTo(page, page.batch_button.rect().topLeft()),
        page.verify_button.mapTo(page, page.verify_button.rect().topLeft()),
    )
    page.status.setText("Pratinjau dibuat. " * 8)
    page.batch_status.setText("12 dokumen ditulis ke /tmp/keluaran. Tanpa evaluasi (3): A, B, C. " * 2)
    QApplication.processEvents()
    after = (
        page.batch_button.mapTo(page, page.batch_button.rect().topLeft()),
        page.verify_button.mapTo(page, page.verify_button.rect().topLeft()),
    )
    assert after == before
    page.status.setText("")
    QApplication.processEvents()
    assert page.batch_button.mapTo(page, page.batch_button.rect().topLeft()) == before[0]


def test_the_wizard_shows_the_site_id_it_saves(qtbot, tmp_path):
    from kinerja_desktop.store.database import open_database
    from kinerja_desktop.ui.first_run import FirstRunWizard

    db = open_database(tmp_path / "baru" / "kinerja.sqlite3")
    wizard = FirstRunWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    settle(qtbot, wizard.ops)  # the office page reads the units and the site off the UI thread
    office = wizard.office
    qtbot.keyClicks(office.unit.lineEdit(), "dinkes")
    assert office.site_code.text() == "1504-DINKES"
    office.office_name.setText("Dinas Kesehatan")
    # Entering the suggested code selects it: typing the code replaces it, never doubles it.
    office.site_code.setFocus()
    qtbot.waitUntil(lambda: office.site_code.selectedText() == "1504-DINKES", timeout=2000)
    qtbot.keyClicks(office.site_code, "1504-dinkes")
    assert office.site_code.text() == "1504-DINKES"
    shown = office.site_id()
    assert shown.startswith("1504-DINKES-") and len(shown) == len("1504-DINKES-") + 4
    assert shown in office.saved_as.text()
    office.site_code.setText("1504-DINKES1504-DINKES")
    assert "diketik dua kali" in office.saved_as.text()
    office.site_code.setText("1504-DINKES")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.admin, timeout=10000)
    admin = wizard.admin
    admin.username.setText("admin.dinkes")
    admin.display_name.setText("Rina Lestari")
    admin.password.setText("Dinkes-2026-Kuat")
    admin.repeat.setText("Dinkes-2026-Kuat")
    wizard.next()  # saves off the UI thread, then moves on by itself
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.import_page, timeout=10000)
    assert wizard.principal is not None and admin.validatePage()
    assert wizard.db.site_id == shown
    wizard.close()
    wizard.db.close()


def test_every_page_has_its_own_navigation_icon(qtbot, make_window, demo_db):
    window = make_window(demo_db, sign_in_as(demo_db, "admin"))
    images = []
    for row in range(window.nav.count()):
        icon = window.nav.item(row).icon()
        assert not icon.isNull(), window.nav.item(row).text()
        images.append(icon.pixmap(24, 24).toImage())
    assert len(images) >= 10
    for i, image in enumerate(images):
        assert all(image != other for other in images[i + 1 :])


def test_the_user_guide_opens_from_bantuan(qtbot, make_window, demo_db):
    window = make_window(demo_db, sign_in_as(demo_db, "kepegawaian"))
    assert window.action_guide in window.menu_help.actions()
    assert window.action_guide.text() == "Panduan pengguna" and not window.action_guide.shortcut().isEmpty()
    window.action_guide.trigger()
    guide = window._guide
    qtbot.waitUntil(guide.isVisible, timeout=5000)
    text = guide.browser.toPlainText()
    assert "First run and signing in" in text and "Pegawai (the roster)" in text
    assert "## The command line" not in text and "kinerja roster import FILE" not in text
    guide.search.setText("keberatan" if "keberatan" in text else "roster")
    assert guide.find_next()
    guide.close()


def test_tables_fit_1366_by_768(qtbot, make_window, perf_db):
    window = make_window(perf_db, sign_in_as(perf_db, "kepegawaian"), page="penilaian")
    page = window.pages["penilaian"]
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and not page.model.busy, timeout=10000)
    QApplication.processEvents()
    page._fit_columns()
    header = page.table.horizontalHeader()
    total = sum(header.sectionSize(i) for i in range(header.count()))
    assert total <= page.table.maximumViewportSize().width()
    nip = page.model.index(0, 0).data()
    assert header.sectionSize(0) >= page.table.fontMetrics().horizontalAdvance(nip)
    pelatihan = window.show_page("pelatihan")
    qtbot.waitUntil(lambda: not pelatihan.records.busy and pelatihan.records.rowCount() > 0, timeout=10000)
    records = pelatihan.records_table
    QApplication.processEvents()
    kegiatan = records.horizontalHeader().sectionSize(3)
    assert kegiatan >= 250, kegiatan  # the activity's name, not 55 px
    grouped = pelatihan.records.index(0, 2).data()
    assert " " in grouped and records.horizontalHeader().sectionSize(2) >= records.fontMetrics().horizontalAdvance(
        grouped
    )
