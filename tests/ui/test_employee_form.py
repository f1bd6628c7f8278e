"""The employee form: each wrong field says what is wrong, right under the field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests.ui.conftest import settle, sign_in_as


def _form(qtbot, ctx_for, db, employee_id=None, username="kepegawaian"):
    from kinerja_desktop.ui.dialogs.employee_form import EmployeeForm

    ctx = ctx_for(db, sign_in_as(db, username))
    form = EmployeeForm(ctx, employee_id)
    qtbot.addWidget(form)
    form.show()
    settle(qtbot, ctx)  # the units, and the employee being edited, are read off the UI thread
    return form


def _leave(qtbot, widget):
    """Tab out of the field, as a person does (the check also runs after a pause in typing)."""
    widget.window().activateWindow()
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    form = widget.window()
    form.revalidate.flush()
    settle(qtbot, form.ctx)


def test_nip_error_names_the_wrong_part(qtbot, ctx_for, demo_db):
    form = _form(qtbot, ctx_for, demo_db)
    qtbot.keyClicks(form.nip, "198609262015131001")  # month 13 in the TMT CPNS
    _leave(qtbot, form.nip)
    row = form.rows["nip"]
    assert row.message.isVisible()
    assert "TMT CPNS" in row.message.text() and "bulan 13" in row.message.text()
    assert not form.rows["name"].message.isVisible(), "untouched fields stay quiet"

    form.nip.clear()
    qtbot.keyClicks(form.nip, "1.98609262015051E+17")
    _leave(qtbot, form.nip)
    assert "Excel" in row.message.text()

    form.nip.clear()
    qtbot.keyClicks(form.nip, "198609262015051001")
    _leave(qtbot, form.nip)
    assert not row.message.isVisible()


def test_each_invalid_field_is_marked_on_save(qtbot, ctx_for, demo_db):
    form = _form(qtbot, ctx_for, demo_db)
    qtbot.keyClicks(form.nip, "198609262015051001")  # a man born 26-09-1986
    form.gender.setCurrentIndex(form.gender.findData("P"))
    qtbot.keyClicks(form.birth_date, "27-09-1986")
    form.status.setCurrentIndex(form.status.findData("PPPK"))
    form.golongan.setCurrentText("V/z")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, form.ctx)
    errors = {key: row.message.text() for key, row in form.rows.items() if row.message.isVisible()}
    assert set(errors) >= {"name", "gender", "birth_date", "status", "golongan"}
    assert "belum diisi" in errors["name"]
    assert "digit ke-15" in errors["gender"]
    assert "digit ke-1 sampai ke-8" in errors["birth_date"]
    assert form.form_error.isVisible()
    assert form.result() != QDialog.DialogCode.Accepted


def test_new_employee_with_unit_and_supervisor_is_saved(qtbot, ctx_for, demo_db):
    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.services.roster.employees import get_employee
    from kinerja_desktop.services.roster.query import RosterFilter, fetch_employees

    with demo_db.session() as s:
        boss = fetch_employees(s, SYSTEM, RosterFilter(), limit=1)[0]
    form = _form(qtbot, ctx_for, demo_db)
    qtbot.keyClicks(form.nip, "199001152015052003")
    qtbot.keyClicks(form.name, "Siti Rahmawati")
    qtbot.keyClicks(form.position, "Analis Kepegawaian Ahli Pertama")
    form.golongan.setCurrentText("III/b")
    # the unit from the searchable tree
    qtbot.mouseClick(form.unit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.unit.popup.search, "BKPSDM")
    qtbot.keyClick(form.unit.popup.search, Qt.Key.Key_Return)
    assert form.unit.unit_id is not None
    # the supervisor by name, chosen from the search results
    boss_word = max((w for w in boss.full_name.replace(",", " ").split() if "." not in w), key=len)
    form.supervisor.setFocus()
    qtbot.keyClicks(form.supervisor, boss_word)
    qtbot.waitUntil(lambda: bool(form.supervisor.last_results), timeout=5000)
    row = next(i for i, r in enumerate(form.supervisor.last_results) if r.id == boss.id)
    form.supervisor.choose_result(row)
    assert form.supervisor.employee_id == boss.id
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, form.ctx)
    assert form.result() == QDialog.DialogCode.Accepted, form.errors
    with demo_db.session() as s:
        emp = get_employee(s, SYSTEM, form.saved_id)
        assert emp.name == "Siti Rahmawati" and emp.gender == "P" and emp.status == "PNS"
        assert emp.supervisor_id == boss.id and emp.unit_id == form.unit.unit_id
        assert emp.position.name == "Analis Kepegawaian Ahli Pertama"


def test_edit_shows_the_current_values_and_refuses_a_stale_save(qtbot, ctx_for, demo_db, modal_watcher):
    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.services.roster.employees import input_from_employee, update_employee
    from kinerja_desktop.services.roster.query import RosterFilter, fetch_employees
    from kinerja_desktop.store.employee import Employee

    with demo_db.session() as s:
        row = fetch_employees(s, SYSTEM, RosterFilter(), limit=1)[0]
    form = _form(qtbot, ctx_for, demo_db, row.id)
    assert form.nip.text() == row.nip
    assert form.unit.text() and form.unit.unit_id
    # someone else saves meanwhile
    with demo_db.transaction() as s:
        emp = s.get(Employee, row.id)
        data = input_from_employee(emp)
        data.back_title = "M.Si."
        update_employee(s, SYSTEM, row.id, data)
    qtbot.keyClicks(form.front_title, "Drs.")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(modal_watcher.texts), timeout=3000)
    assert "diubah oleh orang lain" in modal_watcher.texts[0]
    assert form.saved_id is None


def test_tab_order_follows_the_form(qtbot, ctx_for, demo_db):
    form = _form(qtbot, ctx_for, demo_db)
    order = []
    widget = form.nip
    for _ in range(300):
        order.append(widget)
        widget = widget.nextInFocusChain()
        if widget is form.nip:
            break
    fields = [
        form.nip,
        form.front_title,
        form.name,
        form.back_title,
        form.status,
        form.gender,
        form.birth_date,
        form.golongan,
        form.position,
        form.unit,
        form.supervisor,
        form.active,
        form.save_button,
    ]
    positions = [order.index(f) for f in fields]
    assert positions == sorted(positions)


def test_nip_is_checked_while_typing(qtbot, ctx_for, demo_db):
    form = _form(qtbot, ctx_for, demo_db)
    qtbot.keyClicks(form.nip, "198609262015050001")
    qtbot.waitUntil(lambda: form.rows["nip"].message.isVisible(), timeout=3000)
    assert "jenis kelamin" in form.rows["nip"].message.text()


def test_a_supervisor_chosen_by_hand_is_marked_manual_and_can_be_released(qtbot, ctx_for, demo_db):
    from sqlalchemy import select

    from kinerja_desktop.store.models import Employee

    with demo_db.session() as s:
        staff, boss = s.execute(
            select(Employee.id, Employee.supervisor_id).where(Employee.supervisor_id.is_not(None)).limit(1)
        ).one()
        other = s.scalar(
            select(Employee.nip)
            .where(Employee.id != boss, Employee.id != staff, Employee.supervisor_id == boss)
            .limit(1)
        )
    form = _form(qtbot, ctx_for, demo_db, staff)
    assert not form.supervisor_manual.isChecked()
    form.supervisor.clear()
    qtbot.keyClicks(form.supervisor, other)
    form.supervisor.throttle.flush()
    qtbot.waitUntil(lambda: form.supervisor.model.rowCount() > 0, timeout=5000)
    form.supervisor.choose_result(0)
    assert form.supervisor_manual.isChecked(), "a link picked by hand is HR's own"
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, form.ctx)
    assert form.result() == QDialog.DialogCode.Accepted
    with demo_db.session() as s:
        assert s.get(Employee, staff).supervisor_manual

    form = _form(qtbot, ctx_for, demo_db, staff)
    assert form.supervisor_manual.isChecked()
    form.supervisor_manual.setChecked(False)  # let the next import decide again
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, form.ctx)
    with demo_db.session() as s:
        assert not s.get(Employee, staff).supervisor_manual
