"""Choosing the ASN a complaint is assigned to (within what the signed-in person may assign)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from kinerja_desktop.i18n import _
from kinerja_desktop.services.pengaduan.access import unit_people
from kinerja_desktop.services.pengaduan.cases import get_visible


class AssignDialog(QDialog):
    def __init__(self, ctx, row, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Tugaskan {number}").format(number=row.number))
        self.resize(480, 150)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("ASN yang menindaklanjuti pengaduan ini:")))
        self.people = QComboBox()
        self.people.setEditable(True)
        self.people.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.people.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.people.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        layout.addWidget(self.people)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Tugaskan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Batal"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        principal = ctx.principal

        def fill(people) -> None:
            for eid, label in people:
                self.people.addItem(label, eid)

        ctx.query(lambda s: unit_people(s, principal, get_visible(s, principal, row.id).unit_id), fill, owner=self)

    def chosen(self) -> str | None:
        i = self.people.findText(self.people.currentText())
        return self.people.itemData(i) if i >= 0 else None


def choose_assignee(ctx, row, parent: QWidget | None = None) -> str | None:
    dialog = AssignDialog(ctx, row, parent)
    return dialog.chosen() if dialog.exec() else None
