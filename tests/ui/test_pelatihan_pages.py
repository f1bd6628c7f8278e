"""The Pelatihan and Kompetensi pages and the Beranda card, driven as a person would."""

from __future__ import annotations

import random
from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from sqlalchemy import func, select

from tests.ui.conftest import settle, sign_in_as

YEAR = date.today().year


@pytest.fixture
def tdb(demo_db):
    """The demo district of the UI tests, with its year of training, ratings and plans.

    ``build_demo`` makes them; should a demo come without, they are added here.
    """
    from kinerja_desktop.services.demo.training import add_training_demo

    if _records(demo_db) == 0:
        with demo_db.transaction() as s:
            add_training_demo(s, random.Random(6), YEAR)
    return demo_db


def _records(db) -> int:
    from kinerja_desktop.store.training import TrainingRecord

    with db.session() as s:
        return s.scalar(select(func.count()).select_from(TrainingRecord).where(TrainingRecord.deleted.is_(False)))


def _page(qtbot, make_window, db, username, key="pelatihan"):
    window = make_window(db, sign_in_as(db, username), page=key)
    page = window.pages[key]
    return window, page


def _wait_records(qtbot, page):
    qtbot.waitUntil(lambda: not page.records.loading and page.records.rowCount() > 0, timeout=8000)


def test_records_list_search_and_count(qtbot, make_window, tdb):
    window, page = _page(qtbot, make_window, tdb, "kepegawaian")
    _wait_records(qtbot, page)
    qtbot.waitUntil(lambda: not page.records.counting, timeout=8000)
    assert page.records.total == _records(tdb)
    assert "catatan" in page.records_count.text()
    title = page.records.rows[0].title
    word = max(title.split(), key=len)
    qtbot.keyClicks(page.search, word)
    page.search_throttle.flush()
    qtbot.waitUntil(lambda: page.records.filter.text == word and not page.records.loading, timeout=8000)
    assert page.records.rows and all(word.casefold() in (r.title + r.name).casefold() for r in page.records.rows)
    assert page.add_button.isVisible() and page.group_button.isVisible()


def test_record_form_refuses_zero_jp_and_asks_before_more_than_10_jp_a_day(
    qtbot, ctx_for, tdb, monkeypatch, modal_watcher
):
    from kinerja_desktop.services.roster.query import RosterFilter, fetch_employees
    from kinerja_desktop.ui.dialogs import training_form
    from kinerja_desktop.ui.dialogs.training_form import TrainingRecordDialog
    from kinerja_desktop.ui.pickers import EmployeePicker

    principal = sign_in_as(tdb, "kepegawaian")
    ctx = ctx_for(tdb, principal)
    with tdb.session() as s:
        person = fetch_employees(s, principal, RosterFilter(), limit=1)[0]
    before = _records(tdb)
    dialog = TrainingRecordDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10000)  # the form reads its lists off the UI thread
    dialog.employee.set_employee(person.id, EmployeePicker.label(person))
    qtbot.keyClicks(dialog.fields.title, "Workshop Penulisan Laporan Kinerja")
    dialog.fields.type.setCurrentIndex(dialog.fields.type.findData("KL07"))
    qtbot.keyClicks(dialog.fields.jp, "0")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    assert "lebih dari 0" in dialog.message.text() and not dialog.message.isHidden()
    assert _records(tdb) == before

    asked = []
    monkeypatch.setattr(training_form, "ask_to_confirm", lambda parent, text: asked.append(text) or False)
    dialog.fields.jp.clear()
    qtbot.keyClicks(dialog.fields.jp, "12")  # one day, 12 JP: a warning
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    assert asked and "10 JP per hari" in asked[0]
    assert _records(tdb) == before and not dialog.saved  # "Periksa dulu": nothing saved

    monkeypatch.setattr(training_form, "ask_to_confirm", lambda parent, text: True)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    assert dialog.saved and _records(tdb) == before + 1


def test_group_entry_picks_participants_from_the_roster(qtbot, ctx_for, tdb):
    from kinerja_desktop.ui.dialogs.training_form import GroupEntryDialog

    ctx = ctx_for(tdb, sign_in_as(tdb, "kepegawaian"))
    before = _records(tdb)
    dialog = GroupEntryDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10000)  # the form reads its lists off the UI thread
    picker = dialog.picker
    qtbot.waitUntil(lambda: picker.results.count() > 0, timeout=8000)
    first = picker.results.item(0).text().split(" — ")[0]
    word = max(first.replace(",", " ").split(), key=len)
    qtbot.keyClicks(picker.search, word)
    picker.throttle.flush()
    qtbot.waitUntil(
        lambda: (
            not picker.searching
            and picker.results.count() > 0
            and all(word.casefold() in picker.results.item(i).text().casefold() for i in range(picker.results.count()))
        ),
        timeout=8000,
    )
    qtbot.mouseClick(picker.add_all_button, Qt.MouseButton.LeftButton)
    picker.search.clear()
    picker.throttle.flush()
    qtbot.waitUntil(lambda: not picker.searching and picker.results.count() > 5, timeout=8000)
    picker.results.item(3).setSelected(True)
    picker.results.item(4).setSelected(True)
    qtbot.mouseClick(picker.add_button, Qt.MouseButton.LeftButton)
    chosen = len(picker.employee_ids())
    assert chosen >= 2 and picker.count_label.text().endswith(str(chosen))
    picker.selected.item(0).setSelected(True)
    qtbot.mouseClick(picker.remove_button, Qt.MouseButton.LeftButton)
    assert len(picker.employee_ids()) == chosen - 1
    qtbot.keyClicks(dialog.fields.title, "Sosialisasi Aplikasi Kinerja Desktop")
    dialog.fields.type.setCurrentIndex(dialog.fields.type.findData("KL11"))
    dialog.fields.start.setDate(dialog.fields.start.date().addDays(-400))  # last year: no overlap with the demo
    dialog.fields.end.setDate(dialog.fields.start.date())
    qtbot.keyClicks(dialog.fields.jp, "4")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    assert dialog.message.text() == "" or dialog.message.isHidden()
    assert dialog.saved_count == chosen - 1
    assert _records(tdb) == before + chosen - 1


def test_compliance_tab_chart_and_drill_down(qtbot, make_window, tdb):
    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.services.training.jp_compliance import compliance_rows, unit_summary

    window, page = _page(qtbot, make_window, tdb, "kepegawaian")
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.compliance.rowCount() > 0 and not page.compliance_loading, timeout=8000)
    with tdb.session() as s:
        expected = compliance_rows(s, SYSTEM, YEAR)
        units = unit_summary(s, SYSTEM, YEAR)
    assert page.compliance.rowCount() == len(expected)
    assert [u.unit_id for u in page.chart.units] == [u.unit_id for u in units]
    below = sum(1 for r in expected if r.applies and not r.meets)
    assert f"{below} belum" in page.summary.text()
    statuses = {page.compliance.index(i, 6).data() for i in range(page.compliance.rowCount())}
    assert "memenuhi" in statuses and any(s.startswith("kurang ") for s in statuses)

    page.only_below.setChecked(True)
    qtbot.waitUntil(lambda: not page.compliance_loading and page.compliance.rowCount() == below, timeout=8000)

    target = page.chart.units[0]
    qtbot.mouseClick(page.chart, Qt.MouseButton.LeftButton, pos=QPoint(40, page.chart.ROW // 2))
    qtbot.waitUntil(lambda: page.unit.unit_id == target.unit_id and not page.compliance_loading, timeout=8000)
    assert sum(u.employees for u in page.chart.units) == target.employees
    qtbot.mouseClick(page.up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.unit.unit_id != target.unit_id, timeout=8000)


def test_plan_tab_lists_items(qtbot, make_window, tdb):
    window, page = _page(qtbot, make_window, tdb, "kepegawaian")
    page.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: page.plan.rowCount() > 0 and not page.plan_loading, timeout=8000)
    assert all(r.status == "terbuka" for r in page.plan.rows)
    page.plan_status.setCurrentIndex(page.plan_status.findData("selesai"))
    qtbot.waitUntil(
        lambda: not page.plan_loading and page.plan.rows and page.plan.rows[0].status == "selesai", timeout=8000
    )
    assert all(r.fulfilled_by for r in page.plan.rows)


def test_pejabat_penilai_views_without_recording(qtbot, make_window, tdb):
    from kinerja_desktop.services.access.permissions import subordinate_ids

    principal = sign_in_as(tdb, "penilai")
    window, page = _page(qtbot, make_window, tdb, "penilai")
    _wait_records(qtbot, page)
    assert not page.add_button.isVisible() and not page.group_button.isVisible()
    assert page.open_button.text() == "Lihat…"
    with tdb.session() as s:
        below = subordinate_ids(s, principal.employee_id)
    assert {r.employee_id for r in page.records.rows} <= below


def test_beranda_card_shows_pns_below_20_jp(qtbot, make_window, tdb):
    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.services.training.jp_compliance import jp_alert
    from kinerja_desktop.ui.pages.pelatihan.jp_card import JpCard

    window = make_window(tdb, sign_in_as(tdb, "kepegawaian"), page="home")
    home = window.pages["home"]
    card = next(c for c in home.extra_cards if isinstance(c, JpCard))
    qtbot.waitUntil(lambda: card.alert is not None, timeout=8000)
    with tdb.session() as s:
        expected = jp_alert(s, SYSTEM)
    assert card.value.text() == f"{expected.below:,}".replace(",", ".")
    assert "Sisa waktu" in card.note.text() or "berakhir" in card.note.text()
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert window.current_key() == "pelatihan" and window.pages["pelatihan"].tabs.currentIndex() == 1


def test_kompetensi_profile_standard_and_heat_map(qtbot, make_window, tdb):
    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.services.training.competency import position_requirements, unit_gaps

    window, page = _page(qtbot, make_window, tdb, "kepegawaian", key="kompetensi")
    with tdb.session() as s:
        matrix = unit_gaps(s, SYSTEM, only_gaps=True)
    person = matrix.rows[0]
    page.picker.set_employee(person.employee_id, person.name)
    page.show_employee(person.employee_id)
    qtbot.waitUntil(lambda: page.profile_model.rowCount() > 0 and not page.profile_loading, timeout=8000)
    gaps = {r.code: r.gap for r in page.profile_model.rows}
    assert {k: v for k, v in gaps.items() if v is not None} == {k: v for k, v in person.gaps.items() if v is not None}
    assert "di bawah standar" in page.profile_label.text()

    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.requirements.rowCount() > 0 and not page.standard_loading, timeout=8000)
    model = page.requirements
    column = 2 + model.codes.index("M.3")
    index = model.index(0, column)
    assert not model.setData(index, "7")  # outside 1-5: refused, the cell keeps its value
    assert model.setData(index, "5") and page.save_standard.isEnabled()
    position_id = model.rows[0].position_id
    qtbot.mouseClick(page.save_standard, Qt.MouseButton.LeftButton)
    settle(qtbot, window.ctx)  # the write runs off the UI thread
    with tdb.session() as s:
        assert position_requirements(s, [position_id])[position_id]["M.3"] == 5

    page.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: page.gaps.rowCount() > 0 and not page.gaps_loading, timeout=8000)
    assert page.gaps.columnCount() >= 2 + 9
    first = page.gaps.rows[0]
    col = 2 + [c.title for c in page.gaps.columns[2:]].index("M.1")
    value = first.gaps.get("M.1")
    assert page.gaps.index(0, col).data() == ("" if value is None else (f"+{value}" if value > 0 else str(value)))
    if value is not None and value > 0:
        assert page.gaps.index(0, col).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_pejabat_penilai_rates_after_coaching(qtbot, ctx_for, tdb):
    from kinerja_desktop.services.access.permissions import subordinate_ids
    from kinerja_desktop.services.training.competency import list_assessments
    from kinerja_desktop.ui.dialogs.competency_form import AssessmentDialog

    principal = sign_in_as(tdb, "penilai")
    ctx = ctx_for(tdb, principal)
    with tdb.session() as s:
        someone = sorted(subordinate_ids(s, principal.employee_id))[0]
        before = len(list_assessments(s, principal, someone))
    dialog = AssessmentDialog(ctx, someone)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10000)  # the form reads what it offers off the UI thread
    assert [dialog.kind.itemData(i) for i in range(dialog.kind.count())] == ["bimbingan_kinerja"]
    code, level, reason = dialog.rows[2]
    level.setCurrentIndex(level.findData(2))
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    assert "alasan" in dialog.message.text().lower() and not dialog.saved  # B.1.9 needs a reason
    qtbot.keyClicks(reason, "Belum percaya diri menyampaikan laporan di rapat.")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    assert dialog.saved == 1
    with tdb.session() as s:
        rows = list_assessments(s, principal, someone)
    assert len(rows) == before + 1
    assert any(r.competency_code == code and r.kind == "bimbingan_kinerja" and r.level == 2 for r in rows)
