"""Pengaturan › Kepala Daerah: the Bupati (no NIP) and which position's holder the Bupati evaluates.

The kepala daerah is the pejabat penilai of the Sekda and the atasan pejabat penilai of the
JPT below the Sekda; the record in office on a day is the one whose term covers it. Admin
kepegawaian and administrators keep the records (``services.kepala_daerah``). All reads
and writes go through the operation layer.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.dates import format_date_id
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.performance import kepala_daerah as svc
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.theme import MessageLabel
from kinerja_desktop.ui.widgets import form_layout, wrapped_label


def _rows(session) -> tuple[list[dict], list[tuple[str, str, bool]]]:
    records = [
        {
            "id": r.id,
            "name": r.name,
            "front_title": r.front_title,
            "back_title": r.back_title,
            "full_name": r.full_name,
            "jabatan": r.jabatan,
            "term_start": r.term_start,
            "term_end": r.term_end,
            "decree": r.decree,
            "hlc": r.updated_hlc,
        }
        for r in svc.list_kepala_daerah(session)
    ]
    positions = sorted(
        ((p.id, p.name, p.reports_to_kepala_daerah) for p in svc.jpt_positions(session)), key=lambda p: (not p[2], p[1])
    )  # the ones the Bupati evaluates first
    return records, positions


class KepalaDaerahDialog(QDialog):
    def __init__(self, ctx, record: dict | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.record = ctx, record
        self.saved = False
        self.setWindowTitle(_("Kepala daerah"))
        self.setMinimumWidth(520)
        box = QVBoxLayout(self)
        form = form_layout()
        self.front = QLineEdit(record["front_title"] if record else "")
        self.name = QLineEdit(record["name"] if record else "")
        self.back = QLineEdit(record["back_title"] if record else "")
        self.jabatan = QLineEdit(record["jabatan"] if record else _("Bupati Batanghari"))
        for w, limit in ((self.front, 60), (self.name, 200), (self.back, 80), (self.jabatan, 120)):
            w.setMaxLength(limit)
        start = record["term_start"] if record else date.today()
        self.start = QDateEdit(QDate(start.year, start.month, start.day))
        self.has_end = QCheckBox(_("Masa jabatan sudah berakhir pada"))
        end = (record or {}).get("term_end") or date.today()
        self.end = QDateEdit(QDate(end.year, end.month, end.day))
        for d in (self.start, self.end):
            d.setCalendarPopup(True)
            d.setDisplayFormat("dd-MM-yyyy")
        self.has_end.setChecked(bool(record and record["term_end"]))
        self.end.setEnabled(self.has_end.isChecked())
        self.has_end.toggled.connect(self.end.setEnabled)
        self.decree = QLineEdit(record["decree"] if record else "")
        self.decree.setMaxLength(120)
        form.addRow(_("Gelar depan"), self.front)
        form.addRow(_("Nama"), self.name)
        form.addRow(_("Gelar belakang"), self.back)
        form.addRow(_("Jabatan"), self.jabatan)
        form.addRow(_("Awal masa jabatan"), self.start)
        end_row = QHBoxLayout()
        end_row.addWidget(self.has_end)
        end_row.addWidget(self.end)
        form.addRow("", end_row)
        form.addRow(_("Keputusan pengangkatan"), self.decree)
        box.addLayout(form)
        box.addWidget(
            wrapped_label(
                _("Kepala daerah bukan ASN: tidak memiliki NIP; dokumen mencetak namanya dan jabatannya saja.")
            )
        )
        self.message = MessageLabel(self)
        box.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Simpan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Batal"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)

    def data(self) -> svc.KepalaDaerahInput:
        s, e = self.start.date(), self.end.date()
        return svc.KepalaDaerahInput(
            name=self.name.text(),
            front_title=self.front.text(),
            back_title=self.back.text(),
            jabatan=self.jabatan.text(),
            term_start=date(s.year(), s.month(), s.day()),
            term_end=date(e.year(), e.month(), e.day()) if self.has_end.isChecked() else None,
            decree=self.decree.text(),
        )

    def save(self) -> None:
        principal, data, record = self.ctx.principal, self.data(), self.record

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                self.message.show_message(exc.message)
                return

            handle_exception(type(exc), exc, exc.__traceback__, self)

        def done(_row) -> None:
            self.saved = True
            self.accept()

        self.ctx.write(
            lambda s: svc.save_kepala_daerah(
                s,
                principal,
                data,
                row_id=record["id"] if record else None,
                expected_hlc=record["hlc"] if record else None,
            ),
            done,
            changes={"kepala_daerah"},
            on_error=failed,
            owner=self,
        )


class KepalaDaerahTab(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.records: list[dict] = []
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped_label(
                _(
                    "Kepala daerah adalah pejabat penilai kinerja Sekretaris Daerah dan atasan pejabat penilai bagi pejabat "
                    "pimpinan tinggi yang dinilai Sekretaris Daerah. Admin kepegawaian mencatat penilaian dan keputusan "
                    "kepala daerah di program ini."
                )
            )
        )
        records = QGroupBox(_("Kepala daerah"))
        rbox = QVBoxLayout(records)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("kepalaDaerahTable")
        self.table.setHorizontalHeaderLabels([_("Nama"), _("Jabatan"), _("Masa jabatan"), _("Keputusan")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(140)
        rbox.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton(_("Tambah…"))
        self.edit_button = QPushButton(_("Ubah…"))
        row.addWidget(self.add_button)
        row.addWidget(self.edit_button)
        row.addStretch(1)
        rbox.addLayout(row)
        layout.addWidget(records)
        positions = QGroupBox(_("Jabatan yang dinilai langsung oleh kepala daerah"))
        pbox = QVBoxLayout(positions)
        pbox.addWidget(
            wrapped_label(
                _(
                    "Biasanya hanya Sekretaris Daerah. Pemegang jabatan ini tidak memiliki atasan "
                    "langsung di data pegawai."
                )
            )
        )
        self.positions = QListWidget()
        self.positions.setObjectName("kdhPositions")
        self.positions.setMinimumHeight(140)
        pbox.addWidget(self.positions)
        layout.addWidget(positions)
        self.message = MessageLabel(self)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.positions.itemChanged.connect(self._position_changed)
        ctx.bus.subscribe({"kepala_daerah", "positions"}, self.reload, owner=self)
        self.reload()

    def reload(self) -> None:
        self.ctx.query(_rows, self._loaded, owner=self, key="kepala-daerah")

    def _loaded(self, result) -> None:
        self.records, positions = result
        self.table.setRowCount(len(self.records))
        for r, rec in enumerate(self.records):
            term = f"{format_date_id(rec['term_start'])} – " + (
                format_date_id(rec["term_end"]) if rec["term_end"] else _("sekarang")
            )
            for c, value in enumerate((rec["full_name"], rec["jabatan"], term, rec["decree"])):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.positions.blockSignals(True)
        self.positions.clear()
        for pid, name, flagged in positions:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, pid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if flagged else Qt.CheckState.Unchecked)
            self.positions.addItem(item)
        self.positions.blockSignals(False)
        self.edit_button.setEnabled(bool(self.records))

    def edit_selected(self) -> None:
        r = self.table.currentRow()
        if 0 <= r < len(self.records):
            self.edit(self.records[r])

    def edit(self, record: dict | None):
        dialog = KepalaDaerahDialog(self.ctx, record, self)
        dialog.exec()
        return dialog

    def _position_changed(self, item: QListWidgetItem) -> None:
        principal = self.ctx.principal
        pid, value = item.data(Qt.ItemDataRole.UserRole), item.checkState() == Qt.CheckState.Checked

        def failed(exc: BaseException) -> None:
            self.message.show_message(exc.message if isinstance(exc, UserError) else str(exc))
            self.reload()

        self.ctx.write(
            lambda s: svc.set_reports_to_kepala_daerah(s, principal, pid, value),
            None,
            changes={"positions", "evaluations"},
            on_error=failed,
            owner=self,
        )
