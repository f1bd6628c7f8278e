"""The Pengaduan page: register search, recording a complaint, a step, the Beranda card, the
figures tab; and a pejabat penilai sees only their chain's complaints."""

from __future__ import annotations

from sqlalchemy import select

from kinerja_desktop.store.pengaduan import Complaint
from tests.ui.conftest import sign_in_as


def _page(qtbot, make_window, db, user="kepegawaian"):
    window = make_window(db, sign_in_as(db, user), page="pengaduan")
    page = window.pages["pengaduan"]
    qtbot.waitUntil(lambda: not page.register.model.busy and page.register.model.total is not None, timeout=8000)
    return window, page


def test_register_search_and_overdue_filter(qtbot, make_window, demo_db):
    _w, page = _page(qtbot, make_window, demo_db)
    reg = page.register
    total = reg.model.total
    assert total > 100 and "pengaduan" in reg.count_label.text()
    number = reg.model.rows[5].number
    qtbot.keyClicks(reg.search, number.lower())
    qtbot.waitUntil(lambda: not reg.model.busy and [r.number for r in reg.model.rows] == [number], timeout=5000)
    reg.search.clear()
    reg.status.setCurrentIndex(reg.status.findData("terlambat"))
    qtbot.waitUntil(lambda: not reg.model.busy and reg.model.filter.status == "terlambat", timeout=5000)
    assert reg.model.rows and all(r.overdue for r in reg.model.rows)
    reg.table.selectRow(0)
    qtbot.waitUntil(lambda: "Riwayat:" in reg.detail.toPlainText(), timeout=5000)


def test_record_a_complaint_and_verify_it(qtbot, make_window, demo_db, monkeypatch):
    from kinerja_desktop.ui.dialogs.pengaduan_form import ComplaintDialog, StepDialog

    window, page = _page(qtbot, make_window, demo_db)
    dialog = ComplaintDialog(window.ctx, page)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.service.count() > 0 and dialog.assignee.count() > 0, timeout=5000)
    dialog.save()  # nothing described yet: the field says so, nothing is written
    qtbot.waitUntil(lambda: bool(dialog.fields["description"].error()), timeout=5000)
    dialog.description.setPlainText("<b>Antrean</b> rekam KTP-el tidak dipanggil berurutan")
    dialog.contact.setText("0812 9999 1234")
    dialog.assignee.setCurrentIndex(1)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.saved_id is not None, timeout=5000)
    with demo_db.session() as s:
        row = s.get(Complaint, dialog.saved_id)
        assert row.status == "diterima" and row.assignee_id and row.contact == "0812 9999 1234"
    reg = page.register
    qtbot.waitUntil(lambda: any(r.number == dialog.saved_number for r in reg.model.rows), timeout=5000)
    reg.table.selectRow(next(i for i, r in enumerate(reg.model.rows) if r.number == dialog.saved_number))
    qtbot.waitUntil(lambda: reg.step_buttons["diverifikasi"].isEnabled(), timeout=5000)
    assert not reg.step_buttons["selesai"].isEnabled()
    monkeypatch.setattr(StepDialog, "exec", lambda self: 1)
    reg.step("diverifikasi")
    qtbot.waitUntil(lambda: _status(demo_db, dialog.saved_id) == "diverifikasi", timeout=5000)


def _status(db, cid):
    with db.session() as s:
        return s.get(Complaint, cid).status


def test_beranda_card_and_figures(qtbot, make_window, demo_db):
    window = make_window(demo_db, sign_in_as(demo_db, "kepegawaian"), page="home")
    home = window.pages["home"]
    card = next(c for c in home.extra_cards if c.objectName() == "complaintCard")
    qtbot.waitUntil(lambda: card.summary is not None, timeout=8000)
    assert card.value.text().replace(".", "").isdigit() and "masih terbuka" in card.note.text()
    page = window.show_page("pengaduan")
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "ditangani" in page.figures.summary.text(), timeout=8000)
    assert page.figures.table.rowCount() >= 1 and page.figures.chart.names


def test_a_pejabat_penilai_sees_only_their_chain(qtbot, make_window, demo_db):
    from kinerja_desktop.services.pengaduan.access import complaint_scope

    principal = sign_in_as(demo_db, "penilai")
    with demo_db.session() as s:
        expected = s.scalar(select(Complaint.id).where(complaint_scope(principal)).limit(1))
    _w, page = _page(qtbot, make_window, demo_db, "penilai")
    assert not page.register.new_button.isVisible()
    assert page.tabs.count() == 2  # no catalogue tab
    assert page.register.model.total == (0 if expected is None else page.register.model.total)
    with demo_db.session() as s:
        allowed = set(s.scalars(select(Complaint.id).where(complaint_scope(principal))))
    assert {r.id for r in page.register.model.rows} <= allowed


def test_the_distribution_recap_shows_the_units_complaints(qtbot, make_window, demo_db):
    window = make_window(demo_db, sign_in_as(demo_db, "kepegawaian"), page="penilaian")
    page = window.pages["penilaian"]
    qtbot.waitUntil(lambda: bool(page.model.periods), timeout=8000)
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.distribution.complaints_label.text().startswith("Pengaduan masyarakat:"), timeout=8000)
