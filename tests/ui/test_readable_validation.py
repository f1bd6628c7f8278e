"""Validation that can be read: long messages under a field wrap and the dialog makes room;
the messages write dates as the fields do (dd-mm-yyyy)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import settle, sign_in_as


def _fully_shown(label, dialog) -> bool:
    """The label is as tall as its wrapped text needs and lies inside the dialog."""
    needed = label.heightForWidth(label.width())
    top_left = label.mapTo(dialog, label.rect().topLeft())
    return (
        label.isVisible()
        and label.height() >= needed
        and top_left.y() >= 0
        and top_left.y() + label.height() <= dialog.height()
    )


@pytest.mark.parametrize(
    "nip, words",
    [
        ("1.98609262015051E+17", ("Excel", "18 digit")),  # a number Excel rounded
        ("198609262015053001", ("jenis kelamin", "tertulis 3")),  # the gender digit
    ],
)
def test_a_two_line_nip_message_is_shown_whole(qtbot, ctx_for, demo_db, nip, words):
    from kinerja_desktop.ui.dialogs.employee_form import EmployeeForm

    form = EmployeeForm(ctx_for(demo_db, sign_in_as(demo_db, "kepegawaian")))
    qtbot.addWidget(form)
    form.show()
    height_before = form.height()
    qtbot.keyClicks(form.nip, nip)
    form.nip.editingFinished.emit()
    label = form.rows["nip"].message
    qtbot.waitUntil(lambda: label.isVisible() and all(w in label.text() for w in words), timeout=5000)
    qtbot.waitUntil(lambda: _fully_shown(label, form), timeout=5000)
    assert label.heightForWidth(label.width()) > label.fontMetrics().height() * 1.5  # it did wrap
    assert form.height() > height_before


def test_every_field_message_fits_when_all_are_wrong(qtbot, ctx_for, demo_db):
    from kinerja_desktop.ui.dialogs.employee_form import EmployeeForm

    form = EmployeeForm(ctx_for(demo_db, sign_in_as(demo_db, "kepegawaian")))
    qtbot.addWidget(form)
    form.show()
    form.nip.setText("198609262015051001")
    form.birth_date.setText("27-09-1986")
    form.front_title.setText("x" * 70)
    form.back_title.setText("y" * 90)
    form.save()
    settle(qtbot, form.ctx)
    shown = [row.message for row in form.rows.values() if row.message.isVisible()]
    assert len(shown) >= 3
    qtbot.waitUntil(lambda: all(_fully_shown(label, form) for label in shown), timeout=5000)


def test_dates_in_the_messages_are_written_like_the_fields(qtbot, ctx_for, demo_db):
    from kinerja_desktop.ui.dialogs.employee_form import EmployeeForm

    form = EmployeeForm(ctx_for(demo_db, sign_in_as(demo_db, "kepegawaian")))
    qtbot.addWidget(form)
    form.show()
    form.nip.setText("198613262015051001")  # birth month 13
    form.touched.add("nip")
    form.validate()
    settle(qtbot, form.ctx)
    assert "tanggal lahir 26-13-1986 tidak valid" in form.rows["nip"].message.text()
    form.nip.setText("198609262015131001")  # TMT month 13
    form.validate()
    settle(qtbot, form.ctx)
    assert "TMT CPNS 13-2015 tidak valid" in form.rows["nip"].message.text()
    form.nip.setText("198609262015051001")
    form.birth_date.setText("27-09-1986")
    form.touched.add("birth_date")
    form.validate()
    settle(qtbot, form.ctx)
    message = form.rows["birth_date"].message.text()
    assert "27-09-1986" in message and "26-09-1986" in message
    assert "1986-09-2" not in message
    assert form.birth_date.placeholderText().endswith("26-09-1986")
