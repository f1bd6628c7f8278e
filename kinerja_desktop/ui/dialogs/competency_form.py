"""Recording competency ratings: an assessment, or the supervisor's rating after coaching.

One dialog rates several competencies at once (format B.1.9 lists them in one table):
a level 1-5 and a reason per competency; competencies left at "—" are not rated.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, PEJABAT_PENILAI
from kinerja_desktop.services.roster.query import employee_row, search_employees
from kinerja_desktop.services.training.competency import AssessmentInput, add_assessments, profile
from kinerja_desktop.ui.operations import save_dialog
from kinerja_desktop.ui.pickers import EmployeePicker
from kinerja_desktop.ui.theme import MessageLabel
from kinerja_desktop.ui.widgets import form_layout


def load_assessment(session, principal, employee_id: str):
    """What the dialog shows: the employee's competency profile and their supervisor's row."""

    prof = profile(session, principal, employee_id)
    supervisor = prof.supervisor_id
    sup_row = employee_row(session, principal, supervisor) if supervisor and principal.role != PEJABAT_PENILAI else None
    return prof, sup_row


def open_assessment(ctx, employee_id: str, parent: QWidget, on_saved) -> None:
    """Read the profile, then open the dialog; ``on_saved(count)`` after a save."""
    principal = ctx.principal

    def opened(loaded) -> None:
        dialog = AssessmentDialog(ctx, employee_id, parent, loaded=loaded)
        if dialog.exec() and dialog.saved:
            on_saved(dialog.saved)

    ctx.query(lambda s: load_assessment(s, principal, employee_id), opened, owner=parent)


class AssessmentDialog(QDialog):
    """Rate an employee's competencies. ``loaded``: :func:`load_assessment`'s answer (read
    off the UI thread when not given)."""

    def __init__(self, ctx, employee_id: str, parent: QWidget | None = None, *, loaded=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.employee_id = employee_id
        self.saved = 0
        self.loaded = False  # True once the profile is read and the form built
        self.resize(760, 620)
        if loaded is not None:
            self._build(*loaded)
        else:
            principal = ctx.principal
            ctx.query(lambda s: load_assessment(s, principal, employee_id), lambda got: self._build(*got), owner=self)

    def _build(self, profile, sup_row) -> None:  # noqa: PLR0915 (long: builds the widgets top to bottom, one field or button a line)

        ctx, p = self.ctx, self.ctx.principal
        self.profile = profile
        self.setWindowTitle(_("Penilaian kompetensi: {name}").format(name=self.profile.name))
        outer = QVBoxLayout(self)
        form = form_layout()
        outer.addLayout(form)
        self.kind = QComboBox()
        if p.is_system or p.role == ADMIN_KEPEGAWAIAN:
            self.kind.addItem(_("Asesmen (hasil penilaian kompetensi)"), "asesmen")
        self.kind.addItem(_("Setelah bimbingan kinerja (format B.1.9)"), "bimbingan_kinerja")
        form.addRow(_("Jenis penilaian"), self.kind)
        self.on = QDateEdit(QDate.currentDate())
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("dd-MM-yyyy")
        self.on.setMaximumDate(QDate.currentDate())
        form.addRow(_("Tanggal"), self.on)
        self.assessor_name = QLineEdit()
        self.assessor_name.setPlaceholderText(_("mis. UPT Penilaian Kompetensi BKPSDM Provinsi Jambi"))
        self.assessor = EmployeePicker(ctx.runner, lambda s, text: search_employees(s, p, text))
        if sup_row is not None:
            self.assessor.set_employee(sup_row.id, EmployeePicker.label(sup_row))
        self.assessor_name_label = QLabel(_("Lembaga/asesor"))
        self.assessor_label = QLabel(_("Atasan yang membimbing"))
        form.addRow(self.assessor_name_label, self.assessor_name)
        form.addRow(self.assessor_label, self.assessor)
        if p.role == PEJABAT_PENILAI:
            self.assessor_label.setVisible(False)
            self.assessor.setVisible(False)

        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.addWidget(QLabel(_("Kompetensi")), 0, 0)
        grid.addWidget(QLabel(_("Standar")), 0, 1)
        grid.addWidget(QLabel(_("Level")), 0, 2)
        grid.addWidget(QLabel(_("Alasan")), 0, 3)
        grid.setColumnStretch(3, 1)
        self.rows: list[tuple[str, QComboBox, QLineEdit]] = []
        for i, r in enumerate(self.profile.rows, start=1):
            name = QLabel(f"{r.code} {r.name}")
            grid.addWidget(name, i, 0)
            grid.addWidget(QLabel(str(r.required) if r.required else "—"), i, 1)
            level = QComboBox()
            level.addItem("—", None)
            for n in range(1, 6):
                level.addItem(str(n), n)
            level.setAccessibleName(_("Level {code}").format(code=r.code))
            reason = QLineEdit()
            reason.setPlaceholderText(_("alasan (wajib setelah bimbingan kinerja)"))
            grid.addWidget(level, i, 2)
            grid.addWidget(reason, i, 3)
            self.rows.append((r.code, level, reason))
        grid.setRowStretch(len(self.profile.rows) + 1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        outer.addWidget(scroll, 1)
        self.message = MessageLabel(self)
        outer.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Simpan penilaian"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Batal"))
        outer.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self._kind_changed()
        self.loaded = True

    def _kind_changed(self) -> None:
        coaching = self.kind.currentData() == "bimbingan_kinerja"
        self.assessor_name.setVisible(not coaching)
        self.assessor_name_label.setVisible(not coaching)
        if self.ctx.principal.role != PEJABAT_PENILAI:
            self.assessor.setVisible(coaching)
            self.assessor_label.setVisible(coaching)

    def inputs(self):

        q = self.on.date()
        on = date(q.year(), q.month(), q.day())
        kind = self.kind.currentData()
        coaching = kind == "bimbingan_kinerja"
        out = []
        for code, level, reason in self.rows:
            if level.currentData() is None:
                continue
            out.append(
                AssessmentInput(
                    code,
                    level.currentData(),
                    on,
                    reason=reason.text(),
                    kind=kind,
                    assessor_id=self.assessor.employee_id if coaching else None,
                    assessor_name="" if coaching else self.assessor_name.text(),
                )
            )
        return out

    def save(self) -> None:

        items, principal, employee_id = self.inputs(), self.ctx.principal, self.employee_id

        def refused(exc: UserError) -> bool:
            self.message.show_message(exc.message, MessageLabel.ERROR)
            return True

        save_dialog(
            self.ctx,
            self,
            lambda s: add_assessments(s, principal, employee_id, items),
            changes={"competency"},
            on_saved=lambda _r: setattr(self, "saved", len(items)),
            on_user_error=refused,
        )
