"""Jejak Audit: filterable, paged, and the chain check."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kinerja_desktop.store.encryption import open_raw
from tests.ui.conftest import sign_in_as


def _page(qtbot, make_window, db):
    window = make_window(db, sign_in_as(db, "admin"), page="audit")
    page = window.pages["audit"]
    qtbot.waitUntil(lambda: not page.model.busy and page.model.total > 0, timeout=5000)
    return page


def test_newest_first_and_filter_by_action(qtbot, make_window, demo_db):
    sign_in_as(demo_db, "kepegawaian")
    page = _page(qtbot, make_window, demo_db)
    seqs = [r.seq for r in page.model.rows]
    assert seqs == sorted(seqs, reverse=True)
    qtbot.waitUntil(lambda: page.action.count() > 1, timeout=5000)
    page.action.setCurrentIndex(page.action.findData("login"))
    qtbot.waitUntil(lambda: page.model.filter.action == "login" and not page.model.busy, timeout=5000)
    assert {r.action for r in page.model.rows} == {"masuk"}
    assert {r.actor for r in page.model.rows} >= {"admin", "kepegawaian"}
    page.table.selectRow(0)
    assert "Entri" in page.detail.toPlainText()


def test_text_search_finds_a_changed_value(qtbot, make_window, demo_db):
    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.services.settings import Letterhead, set_letterhead

    with demo_db.transaction() as s:
        set_letterhead(s, SYSTEM, Letterhead(unit_name="DINAS UJI AUDIT"))
    page = _page(qtbot, make_window, demo_db)
    qtbot.keyClicks(page.text, "UJI AUDIT")
    page.debounce.flush()
    qtbot.waitUntil(lambda: page.model.filter.text == "UJI AUDIT" and not page.model.busy, timeout=5000)
    assert page.model.total == 1
    assert "DINAS UJI AUDIT" in page.model.rows[0].summary


def test_an_edited_log_is_detected(qtbot, make_window, demo_db):
    page = _page(qtbot, make_window, demo_db)
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "utuh" in page.verify_result.text() or "rusak" in page.verify_result.text(), timeout=5000)
    assert "Jejak audit utuh" in page.verify_result.text()
    con = open_raw(demo_db.path)
    con.execute("UPDATE audit_log SET actor = 'penyusup' WHERE seq = 2")
    con.commit()
    con.close()
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "rusak" in page.verify_result.text(), timeout=5000)
    assert "entri nomor 2" in page.verify_result.text()
