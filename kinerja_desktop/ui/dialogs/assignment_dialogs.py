"""SKP per assignment in the window: a second SKP after a mutasi, and what an earlier one still owes.

:class:`NewAssignmentDialog` (the new pejabat penilai): the TMT of the new jabatan or unit
and a note; the service ends the earlier SKP the day before and makes the new one.
:class:`EarlierAssignmentsDialog` (the old pejabat penilai): the evaluations of employees
who moved away this year, for the months they were still theirs, including the closing
evaluation where an SKP ended in the middle of a period.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.dates import format_date_id
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.performance_access import require_view
from kinerja_desktop.services.performance import evaluations as ev_svc
from kinerja_desktop.services.performance import skp as skp_svc
from kinerja_desktop.services.performance.periods import period_label
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.ui.dialogs.evaluation_editor import open_evaluation_editor
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.theme import MessageLabel
from kinerja_desktop.ui.widgets import form_layout, wrapped_label


def _assignment_info(session, principal, employee_id: str, year: int) -> dict:

    require_view(session, principal, employee_id)
    emp = session.get(Employee, employee_id)
    skps = skp_svc.skps_for_year(session, employee_id, year)
    current = skps[-1] if skps else None

    def names(position_id, unit_id) -> str:
        pos = session.get(Position, position_id) if position_id else None
        unit = session.get(Unit, unit_id) if unit_id else None
        return f"{pos.name if pos else '-'}, {unit.name if unit else '-'}"

    return {
        "name": emp.full_name,
        "count": len(skps),
        "skp": (
            f"{format_date_id(current.start)} s.d. {format_date_id(current.end)}: "
            f"{names(current.position_id, current.unit_id)}"
        )
        if current
        else None,
        "now": names(emp.position_id, emp.unit_id),
    }


class NewAssignmentDialog(QDialog):
    """After ``exec()`` accepted: :attr:`skp_id` of the new SKP."""

    def __init__(self, ctx, employee_id: str, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.employee_id, self.year = ctx, employee_id, year
        self.skp_id: str | None = None
        self.setWindowTitle(_("Penugasan baru (SKP kedua)"))
        self.setMinimumWidth(560)
        box = QVBoxLayout(self)
        self.info = wrapped_label(_("Memuat…"))
        box.addWidget(self.info)
        form = form_layout()
        today = date.today()
        start = today if today.year == year else date(year, 7, 1)
        self.start = QDateEdit(QDate(start.year, start.month, start.day))
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("dd-MM-yyyy")
        form.addRow(_("TMT jabatan/unit baru"), self.start)
        self.note = QLineEdit()
        self.note.setPlaceholderText(_("Misalnya: mutasi ke Kecamatan Bajubang (SK Bupati Nomor …)"))
        self.note.setMaxLength(500)
        form.addRow(_("Keterangan"), self.note)
        box.addLayout(form)
        self.message = MessageLabel(self)
        box.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Buat SKP baru"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Batal"))
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        principal = ctx.principal
        ctx.query(
            lambda s: _assignment_info(s, principal, employee_id, year),
            self._shown,
            on_error=self._failed,
            owner=self,
            key="assignment-info",
        )

    def _shown(self, info: dict) -> None:
        if info["skp"] is None:
            self.info.setText(
                _("{name} belum memiliki SKP tahun {year}; buat SKP biasa lebih dulu.").format(
                    name=info["name"], year=self.year
                )
            )
            return
        self.info.setText(
            _(
                "<b>{name}</b>. SKP yang berlaku: {skp}. Jabatan dan unit kerja sekarang: {now}. SKP yang "
                "lama berakhir sehari sebelum TMT dan tetap dievaluasi oleh pejabat penilainya."
            ).format(name=info["name"], skp=info["skp"], now=info["now"])
        )

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.message.show_message(exc.message)
            return

        handle_exception(type(exc), exc, exc.__traceback__, self)

    def create(self) -> None:
        d = self.start.date()
        start, note, principal = date(d.year(), d.month(), d.day()), self.note.text(), self.ctx.principal
        employee_id, year = self.employee_id, self.year

        def done(skp) -> None:
            self.skp_id = skp.id
            self.accept()

        self.ctx.write(
            lambda s: skp_svc.start_new_assignment(s, principal, employee_id, year, start, note=note),
            done,
            changes={"skp", "evaluations"},
            on_error=self._failed,
            owner=self,
        )


def _items(session, principal, year: int) -> list[tuple]:
    out = []
    for item in ev_svc.assignments_to_close(session, principal, year):
        ev = item.evaluation
        status = _("belum dibuat") if ev is None else (_("final") if ev.status == "final" else _("draf"))
        span = f"{format_date_id(item.skp.start)} s.d. {format_date_id(item.skp.end)}"
        kind = _("akhir penugasan") if item.closing else _("periodik")
        out.append(
            (
                item.employee.full_name,
                span,
                period_label(item.period),
                kind,
                status,
                item.employee.id,
                item.period.id,
                item.skp.id if item.closing else None,
                ev.id if ev else None,
            )
        )
    return out


class EarlierAssignmentsDialog(QDialog):
    """The evaluations an earlier assignment owes, for its old pejabat penilai."""

    def __init__(self, ctx, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.year = ctx, year
        self.rows: list[tuple] = []
        self.setWindowTitle(_("Penugasan sebelumnya tahun {year}").format(year=year))
        self.resize(900, 420)
        box = QVBoxLayout(self)
        box.addWidget(
            wrapped_label(
                _(
                    "Pegawai yang tahun ini pindah dari penilaian Anda (mutasi atau promosi): "
                    "evaluasi bulan-bulan ketika mereka masih dalam penugasan Anda, termasuk "
                    "evaluasi akhir penugasan bila SKP berakhir di tengah periode."
                )
            )
        )
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("earlierAssignments")
        self.table.setHorizontalHeaderLabels([_("Pegawai"), _("Masa penugasan"), _("Periode"), _("Jenis"), _("Status")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        box.addWidget(self.table, 1)
        self.empty = QLabel(_("Memuat…"))
        box.addWidget(self.empty)
        row = QHBoxLayout()
        self.open_button = QPushButton(_("Buka evaluasi"))
        close = QPushButton(_("Tutup"))
        row.addWidget(self.open_button)
        row.addStretch(1)
        row.addWidget(close)
        box.addLayout(row)
        self.open_button.clicked.connect(self.open_selected)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        close.clicked.connect(self.accept)
        ctx.bus.subscribe({"evaluations"}, self.load, owner=self)
        self.load()

    def load(self) -> None:
        principal, year = self.ctx.principal, self.year
        self.ctx.query(lambda s: _items(s, principal, year), self._loaded, owner=self, key="earlier-assignments")

    def _loaded(self, rows: list[tuple]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values[:5]):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.empty.setText("" if rows else _("Tidak ada pegawai yang pindah dari penilaian Anda tahun ini."))
        self.open_button.setEnabled(bool(rows))

    def open_selected(self) -> None:

        r = self.table.currentRow()
        if not 0 <= r < len(self.rows):
            return
        _name, _span, _period, _kind, _status, employee_id, period_id, skp_id, evaluation_id = self.rows[r]
        if evaluation_id:
            open_evaluation_editor(self.ctx, evaluation_id, self)
            self.load()
            return
        principal = self.ctx.principal

        def started(ev) -> None:
            open_evaluation_editor(self.ctx, ev.id, self)
            self.load()

        self.ctx.write(
            lambda s: ev_svc.start_evaluation(s, principal, employee_id, period_id, skp_id=skp_id),
            started,
            changes={"evaluations"},
            owner=self,
        )
