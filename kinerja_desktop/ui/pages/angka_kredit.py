"""Angka Kredit: the jabatan fungsional the user may see, their AK and the PAK konversi.

The list shows each employee's jenjang, AK awal (the last PAK), the conversions of final
predikat since, the total and whether it meets the next kenaikan pangkat/jenjang. The
detail lists every conversion (period, months, predikat, persentase, koefisien, AK).
Admin kepegawaian records the AK awal; anyone who may see the employee prints the PAK
konversi (signed by the pejabat penilai). Reads and writes go through the operation layer.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.angka_kredit import Jenjang
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN
from kinerja_desktop.services.performance import angka_kredit as svc
from kinerja_desktop.ui.dialogs.document_dialog import DocumentDialog
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.pages.base import Page
from kinerja_desktop.ui.theme import MessageLabel
from kinerja_desktop.ui.widgets import Throttle, form_layout, wrapped_label

COLUMNS = (
    N_("Nama"),
    N_("NIP"),
    N_("Jabatan"),
    N_("Jenjang"),
    N_("AK awal"),
    N_("Konversi"),
    N_("Jumlah"),
    N_("Kenaikan berikutnya"),
)


def _ak(value) -> str:
    return f"{value:.2f}".replace(".", ",")


def _row(a: svc.AkSummary) -> dict:
    step = a.step
    next_text = "-"
    if step is not None:
        need = step.pangkat_needs if step.pangkat_needs is not None else step.jenjang_needs
        target = (
            step.next_golongan
            if step.pangkat_needs is not None
            else (step.next_jenjang.label if step.next_jenjang else None)
        )
        if need is not None and target:
            verdict = (
                _("memenuhi") if a.total >= need.value else _("kurang {gap}").format(gap=_ak(need.value - a.total))
            )
            next_text = _("{target}: {need} ({verdict})").format(target=target, need=_ak(need.value), verdict=verdict)
    lines = [
        (
            line.label,
            line.months,
            line.predikat.label,
            f"{int(line.persentase * 100)}%",
            _ak(line.koefisien),
            line.jenjang.label,
            _ak(line.ak),
        )
        for line in a.lines
    ]
    base = a.baseline
    return {
        "id": a.employee.id,
        "name": a.employee.full_name,
        "nip": a.employee.nip,
        "jabatan": a.employee.position.name if a.employee.position else "",
        "jenjang": a.jenjang.label if a.jenjang else "-",
        "awal": _ak(base.value) if base is not None else "0,00",
        "awal_source": f"{base.reference or '-'} ({base.as_of:%d-%m-%Y})" if base is not None else "",
        "konversi": _ak(a.converted),
        "total": _ak(a.total),
        "next": next_text,
        "lines": lines,
        "notes": list(a.notes),
        "golongan": a.employee.golongan or "",
    }


def load_rows(session, principal, search: str) -> list[dict]:
    return [_row(a) for a in svc.functional_employees(session, principal, search=search)]


class AkAwalDialog(QDialog):
    """Admin kepegawaian records the AK of the employee's last PAK."""

    def __init__(self, ctx, row: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.row = ctx, row
        self.saved = False
        self.setWindowTitle(_("AK awal — {name}").format(name=row["name"]))
        self.setMinimumWidth(480)
        box = QVBoxLayout(self)
        box.addWidget(
            wrapped_label(
                _("Angka kredit menurut PAK terakhir. Konversi predikat sesudah tanggal PAK ditambahkan padanya.")
            )
        )
        form = form_layout()
        self.value = QLineEdit()
        self.value.setPlaceholderText(_("misalnya 37,5"))
        self.as_of = QDateEdit(QDate(date.today().year - 1, 12, 31))
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("dd-MM-yyyy")
        self.jenjang = QComboBox()
        for j in Jenjang:
            self.jenjang.addItem(j.label, j.value)
        self.jenjang.setCurrentIndex(max(0, self.jenjang.findText(row["jenjang"])))
        self.golongan = QLineEdit(row["golongan"])
        self.reference = QLineEdit()
        self.reference.setPlaceholderText(_("Nomor PAK"))
        self.reference.setMaxLength(120)
        form.addRow(_("Angka kredit"), self.value)
        form.addRow(_("Per tanggal"), self.as_of)
        form.addRow(_("Jenjang"), self.jenjang)
        form.addRow(_("Golongan"), self.golongan)
        form.addRow(_("Nomor PAK"), self.reference)
        box.addLayout(form)
        self.message = MessageLabel(self)
        box.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Simpan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Batal"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)

    def save(self) -> None:
        d = self.as_of.date()
        principal, employee_id = self.ctx.principal, self.row["id"]
        values = dict(
            as_of=date(d.year(), d.month(), d.day()),
            value=self.value.text().strip() or "x",
            jenjang=self.jenjang.currentData(),
            golongan=self.golongan.text().strip(),
            reference=self.reference.text(),
        )

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                self.message.show_message(exc.message)
                return

            handle_exception(type(exc), exc, exc.__traceback__, self)

        def done(_row) -> None:
            self.saved = True
            self.accept()

        self.ctx.write(
            lambda s: svc.set_angka_kredit_awal(s, principal, employee_id, **values),
            done,
            changes={"angka_kredit"},
            on_error=failed,
            owner=self,
        )


class AngkaKreditPage(Page):
    has_search = True

    def __init__(self, ctx, parent: QWidget | None = None) -> None:  # noqa: PLR0915 (long: builds the widgets top to bottom, one field or button a line)
        super().__init__(ctx, parent)
        self.rows: list[dict] = []
        layout = self.page_layout(
            _("Angka Kredit"),
            _(
                "Konversi predikat kinerja jabatan fungsional ke angka kredit (PermenPANRB 1/2023, Peraturan BKN 3/2023): "
                "persentase predikat × koefisien jenjang, sebanding jumlah bulan."
            ),
        )
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Cari nama atau NIP… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        top.addWidget(self.search, 2)
        self.count_label = QLabel()
        top.addWidget(self.count_label)
        top.addStretch(1)
        self.awal_button = QPushButton(_("AK awal…"))
        self.awal_button.setToolTip(_("Catat angka kredit menurut PAK terakhir"))
        self.awal_button.setVisible(ctx.principal.is_system or ctx.principal.role == ADMIN_KEPEGAWAIAN)
        self.pak_button = QPushButton(_("Cetak PAK konversi…"))
        self.pak_button.setToolTip(_("Penetapan angka kredit pegawai terpilih (Ctrl+P)"))
        top.addWidget(self.awal_button)
        top.addWidget(self.pak_button)
        layout.addLayout(top)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("akTable")
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        split.addWidget(self.table)
        detail = QWidget()
        dbox = QVBoxLayout(detail)
        dbox.setContentsMargins(0, 4, 0, 0)
        self.detail_title = QLabel()
        self.detail_title.setWordWrap(True)
        dbox.addWidget(self.detail_title)
        self.lines = QTableWidget(0, 7)
        self.lines.setObjectName("akLines")
        self.lines.setHorizontalHeaderLabels(
            [_("Periode"), _("Bulan"), _("Predikat"), _("Persentase"), _("Koefisien"), _("Jenjang"), _("Angka kredit")]
        )
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines.verticalHeader().setVisible(False)
        self.lines.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        dbox.addWidget(self.lines, 1)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        dbox.addWidget(self.notes)
        split.addWidget(detail)
        split.setSizes([380, 240])
        layout.addWidget(split, 1)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.throttle = Throttle(self.refresh, 250, self)
        self.search.textChanged.connect(lambda _t: self.throttle.trigger())
        self.table.itemSelectionChanged.connect(self._show_detail)
        self.awal_button.clicked.connect(self.edit_awal)
        self.pak_button.clicked.connect(self.print_pak)
        QShortcut(QKeySequence("Ctrl+P"), self, activated=self.print_pak)
        ctx.bus.subscribe({"angka_kredit", "evaluations"}, self.refresh, owner=self)
        self._started = False

    def activated(self) -> None:
        if not self._started:
            self._started = True
            self.refresh()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def refresh(self) -> None:
        principal, text = self.ctx.principal, self.search.text().strip()
        self.empty.setText(_("Memuat…"))
        self.ctx.query(lambda s: load_rows(s, principal, text), self._loaded, owner=self, key="angka-kredit")

    def _loaded(self, rows: list[dict]) -> None:
        keep = self.current()["id"] if self.current() else None
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = (
                row["name"],
                row["nip"],
                row["jabatan"],
                row["jenjang"],
                row["awal"],
                row["konversi"],
                row["total"],
                row["next"],
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if 4 <= c <= 6:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        widths = (200, 150, 220, 100, 70, 70, 70)
        for c, w in enumerate(widths):
            self.table.setColumnWidth(c, w)
        self.count_label.setText(_("{n} pejabat fungsional").format(n=len(rows)))
        self.empty.setText("" if rows else _("Tidak ada pejabat fungsional yang dapat Anda lihat."))
        ids = [row["id"] for row in rows]
        self.table.selectRow(ids.index(keep) if keep in ids else 0 if rows else -1)
        self._show_detail()

    def current(self) -> dict | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def _show_detail(self) -> None:
        row = self.current()
        self.pak_button.setEnabled(row is not None)
        self.awal_button.setEnabled(row is not None)
        if row is None:
            self.detail_title.setText("")
            self.lines.setRowCount(0)
            self.notes.setText("")
            return
        source = _(" menurut {src}").format(src=row["awal_source"]) if row["awal_source"] else ""
        self.detail_title.setText(
            _("<b>{name}</b> · {jenjang} · AK awal {awal}{source} · jumlah {total} · {next}").format(
                name=row["name"],
                jenjang=row["jenjang"],
                awal=row["awal"],
                source=source,
                total=row["total"],
                next=row["next"],
            )
        )
        self.lines.setRowCount(len(row["lines"]))
        for r, (label, months, pred, pct, koef, jenjang, ak) in enumerate(row["lines"]):
            for c, value in enumerate((label, str(months), pred, pct, koef, jenjang, ak)):
                self.lines.setItem(r, c, QTableWidgetItem(value))
        self.notes.setText("\n".join(row["notes"]))

    def edit_awal(self):
        row = self.current()
        if row is None:
            return None
        dialog = AkAwalDialog(self.ctx, row, self)
        dialog.exec()
        return dialog

    def print_pak(self):

        row = self.current()
        if row is None:
            return None
        principal, employee_id = self.ctx.principal, row["id"]
        dialog = DocumentDialog(
            self.ctx,
            _("Penetapan angka kredit — {name}").format(name=row["name"]),
            lambda s: svc.pak_view(s, principal, employee_id),
            f"PAK-{row['nip']}.pdf",
            self,
        )
        dialog.show()
        return dialog
