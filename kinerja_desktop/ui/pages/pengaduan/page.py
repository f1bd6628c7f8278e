"""Pengaduan: the complaint register (search as you type, overdue marked, steps with their
reasons, the tanda terima), the figures per ASN and unit with the chart, the service catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtGui import QBrush, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain import pengaduan as rules
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.reports.render import write_pdf
from kinerja_desktop.services.pengaduan.access import manages_complaints
from kinerja_desktop.services.pengaduan.cases import advance, assign, get_visible, steps
from kinerja_desktop.services.pengaduan.clock import today_wib
from kinerja_desktop.services.pengaduan.docs import receipt_pdf
from kinerja_desktop.services.pengaduan.query import RegisterFilter, count_complaints, register_page, units_for_filter
from kinerja_desktop.ui.dialogs.pengaduan_assign import choose_assignee
from kinerja_desktop.ui.dialogs.pengaduan_form import ComplaintDialog, StepDialog
from kinerja_desktop.ui.dialogs.pengaduan_import import ComplaintImportWizard
from kinerja_desktop.ui.paged_model import PagedTableModel
from kinerja_desktop.ui.pages.base import Page
from kinerja_desktop.ui.pages.pengaduan.tabs import CatalogTab, FiguresTab
from kinerja_desktop.ui.theme import error_background
from kinerja_desktop.ui.widgets import Debounce

COLUMNS = (
    N_("Nomor tiket"),
    N_("Diterima"),
    N_("Saluran"),
    N_("Layanan"),
    N_("Unit kerja"),
    N_("Status"),
    N_("Petugas"),
    N_("Batas selesai"),
    N_("Uraian"),
)
#: The buttons of the steps, in the order they are shown.
STEP_BUTTONS = (rules.DIVERIFIKASI, rules.DITINDAKLANJUTI, rules.SELESAI, rules.DITOLAK, rules.DIALIHKAN)


@dataclass(frozen=True)
class _Query:
    principal: object
    filter: object
    today: date


class RegisterModel(PagedTableModel):
    def __init__(self, runner, principal, parent=None) -> None:
        super().__init__(runner, parent)

        self.principal = principal
        self.filter = RegisterFilter()

    def set_filter(self, flt) -> None:
        self.filter = flt
        self.reload()

    def query(self):

        return _Query(self.principal, self.filter, today_wib())

    def count_rows(self, session, q) -> int:

        return count_complaints(session, q.principal, q.filter, today=q.today)

    def fetch_rows(self, session, q, offset: int, limit: int) -> list:

        return register_page(session, q.principal, q.filter, offset=offset, limit=limit, today=q.today)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            status = rules.state_label(r.status) + (" · " + _("terlambat") if r.overdue else "")
            values = (
                r.number,
                r.received_at.strftime("%d-%m-%Y %H:%M"),
                rules.channel_label(r.channel),
                r.service,
                r.unit,
                status,
                r.assignee or _("(belum)"),
                r.close_by.strftime("%d-%m-%Y") if r.close_by else "",
                " ".join(r.description.split()),
            )
            return values[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and r.overdue:
            return QBrush(error_background(self.parent().palette() if self.parent() else None))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 8:
            return r.description
        return None


class RegisterTab(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:  # noqa: PLR0915 (long: builds the widgets top to bottom, one field or button a line)
        super().__init__(parent)
        self.ctx = ctx

        self.manager = manages_complaints(ctx.principal)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("complaintSearch")
        self.search.setPlaceholderText(_("Cari nomor tiket, uraian, lokasi atau nomor rujukan… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        for label, value in (
            (_("Semua status"), ""),
            (_("Masih terbuka"), "terbuka"),
            (_("Lewat batas waktu"), "terlambat"),
            *((rules.state_label(s), s) for s in rules.STATES),
        ):
            self.status.addItem(label, value)
        self.unit = QComboBox()
        self.unit.addItem(_("Semua unit"), None)
        self.count_label = QLabel("")
        bar.addWidget(self.search, 3)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.unit, 1)
        bar.addWidget(self.count_label)
        layout.addLayout(bar)

        actions = QHBoxLayout()
        self.new_button = QPushButton(_("Catat pengaduan…"))
        self.import_button = QPushButton(_("Impor…"))
        self.receipt_button = QPushButton(_("Tanda terima…"))
        self.assign_button = QPushButton(_("Tugaskan…"))
        self.step_buttons = {s: QPushButton(rules.state_label(s)) for s in STEP_BUTTONS}
        self.new_button.setVisible(self.manager)
        self.import_button.setVisible(self.manager)
        for b in (
            self.new_button,
            self.import_button,
            self.receipt_button,
            self.assign_button,
            *self.step_buttons.values(),
        ):
            actions.addWidget(b)
        actions.addStretch(1)
        layout.addLayout(actions)

        self.model = RegisterModel(ctx.runner, ctx.principal, self)
        self.table = QTableView()
        self.table.setObjectName("complaintTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        for col, width in enumerate((120, 115, 110, 120, 150, 150, 140, 90)):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setObjectName("complaintDetail")
        self.detail.setPlaceholderText(_("Pilih satu pengaduan untuk melihat rinciannya dan riwayat langkahnya."))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)

        self.debounce = Debounce(self.apply_filters, 200, self)
        self.search.textChanged.connect(lambda _t: self.debounce.trigger())
        self.status.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.unit.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.model.loaded.connect(self._update_count)
        self.model.counted.connect(self._update_count)
        self.model.appended.connect(lambda _n: self._update_count())
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._selected(cur.row()))
        self.new_button.clicked.connect(self.new_complaint)
        self.import_button.clicked.connect(self.import_file)
        self.receipt_button.clicked.connect(self.save_receipt)
        self.assign_button.clicked.connect(self.assign)
        for state, button in self.step_buttons.items():
            button.clicked.connect(lambda _c=False, st=state: self.step(st))
        QShortcut(QKeySequence("Ctrl+P"), self, activated=self.save_receipt)
        self._selected(-1)
        ctx.bus.subscribe({"complaints"}, self.refresh, owner=self)

    # -- loading ----------------------------------------------------------------------------
    def start(self) -> None:

        def fill(units) -> None:
            current = self.unit.currentData()
            self.unit.blockSignals(True)
            self.unit.clear()
            self.unit.addItem(_("Semua unit"), None)
            for uid, name in units:
                self.unit.addItem(name, uid)
            self.unit.setCurrentIndex(max(0, self.unit.findData(current)))
            self.unit.blockSignals(False)

        self.ctx.query(units_for_filter, fill, owner=self, key="pengaduan-units")
        self.apply_filters()

    def current_filter(self):

        return RegisterFilter(
            search=self.search.text(), status=self.status.currentData() or "", unit_id=self.unit.currentData()
        )

    def apply_filters(self) -> None:
        self.detail.clear()
        self.model.set_filter(self.current_filter())

    def refresh(self) -> None:
        self.model.reload()

    def _update_count(self) -> None:
        total, shown = self.model.total, len(self.model.rows)
        fmt = lambda n: f"{n:,}".replace(",", ".")  # noqa: E731
        if total is None:
            self.count_label.setText(_("{shown}+ pengaduan (menghitung…)").format(shown=fmt(shown)))
        else:
            self.count_label.setText(_("{total} pengaduan").format(total=fmt(total)))
        if shown and self.table.currentIndex().row() < 0:
            self.table.selectRow(0)

    def current(self):
        row = self.table.currentIndex().row()
        return self.model.rows[row] if 0 <= row < len(self.model.rows) else None

    def _selected(self, row: int) -> None:
        r = self.model.rows[row] if 0 <= row < len(self.model.rows) else None
        allowed = rules.TRANSITIONS.get(r.status, frozenset()) if r else frozenset()
        for state, button in self.step_buttons.items():
            button.setEnabled(state in allowed)
        self.receipt_button.setEnabled(r is not None)
        self.assign_button.setEnabled(r is not None and r.status not in rules.FINAL_STATES)
        if r is None:
            self.detail.clear()
            return

        principal = self.ctx.principal
        self.ctx.query(
            lambda s: _detail_text(get_visible(s, principal, r.id), steps(s, principal, r.id)),
            self.detail.setPlainText,
            owner=self,
            key="pengaduan-detail",
        )

    # -- actions ----------------------------------------------------------------------------
    def new_complaint(self) -> None:

        dialog = ComplaintDialog(self.ctx, self)
        if dialog.exec() and dialog.saved_id:
            self.save_receipt(dialog.saved_id, dialog.saved_number)

    def step(self, target: str) -> None:
        r = self.current()
        if r is None:
            return

        dialog = StepDialog(r.number, target, self)
        if not dialog.exec():
            return
        values, principal = dialog.values(), self.ctx.principal
        self.ctx.write(
            lambda s: advance(s, principal, r.id, target, expected_status=r.status, **values),
            None,
            changes={"complaints"},
            owner=self,
        )

    def assign(self) -> None:
        r = self.current()
        if r is None:
            return

        employee_id = choose_assignee(self.ctx, r, self)
        if employee_id:
            principal = self.ctx.principal
            self.ctx.write(lambda s: assign(s, principal, r.id, employee_id), None, changes={"complaints"}, owner=self)

    def save_receipt(self, complaint_id: str | None = None, number: str = "") -> None:
        if not complaint_id:
            r = self.current()
            if r is None:
                return
            complaint_id, number = r.id, r.number
        path, _f = QFileDialog.getSaveFileName(
            self, _("Simpan tanda terima"), f"tanda-terima-{number}.pdf", _("Dokumen PDF (*.pdf)")
        )
        if not path:
            return

        principal = self.ctx.principal

        def done(written) -> None:

            QDesktopServices.openUrl(QUrl.fromLocalFile(str(written)))

        self.ctx.query(lambda s: write_pdf(path, receipt_pdf(s, principal, complaint_id)), done, owner=self)

    def import_file(self) -> None:

        ComplaintImportWizard(self.ctx, self).exec()


def _detail_text(row, step_rows) -> str:
    lines = [
        _("{number} · {state} · diterima {at} lewat {channel}").format(
            number=row.number,
            state=rules.state_label(row.status),
            at=row.received_at.strftime("%d-%m-%Y %H:%M"),
            channel=rules.channel_label(row.channel),
        ),
        _("Batas: verifikasi {v}, tanggapan {r}, selesai {c}").format(
            v=_d(row.verify_by), r=_d(row.respond_by), c=_d(row.close_by)
        ),
        _("Kontak: {contact}").format(contact=rules.mask_contact(row.contact) if row.contact else "–"),
        "",
        row.description,
        "",
    ]
    if row.status_reason:
        lines.append(_("Alasan: {reason}").format(reason=row.status_reason))
    if row.forwarded_to:
        lines.append(_("Dialihkan ke: {to}").format(to=row.forwarded_to))
    if row.resolution:
        lines.append(_("Jawaban: {text}").format(text=row.resolution))
    lines.append(_("Riwayat:"))
    for st in step_rows:
        what = rules.state_label(st.to_state) if st.to_state != st.from_state else _("penugasan")
        note = f" — {st.note}" if st.note else ""
        lines.append(f"  {st.at:%d-%m-%Y %H:%M}  {what} ({st.actor}){note}")
    return "\n".join(lines)


def _d(value) -> str:
    return value.strftime("%d-%m-%Y") if value else "–"


class PengaduanPage(Page):
    has_search = True
    has_new = True

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = self.page_layout(_("Pengaduan Masyarakat"))

        self.tabs = QTabWidget()
        self.register = RegisterTab(ctx)
        self.figures = FiguresTab(ctx)
        self.catalog = CatalogTab(ctx)
        self.tabs.addTab(self.register, _("Register"))
        self.tabs.addTab(self.figures, _("Kinerja penanganan"))
        if self.register.manager:  # the catalogue and the holidays are HR's to keep
            self.tabs.addTab(self.catalog, _("Layanan dan hari libur"))
        layout.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(lambda _i: self._tab_shown())
        self._started = False

    def activated(self) -> None:
        if not self._started:
            self._started = True
            self.register.start()

    def _tab_shown(self) -> None:
        widget = self.tabs.currentWidget()
        if hasattr(widget, "start"):
            widget.start()

    def refresh(self) -> None:
        self.register.start()
        self.figures.start()
        if self.register.manager:
            self.catalog.start()

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.register)
        self.register.search.setFocus()
        self.register.search.selectAll()

    def new_item(self) -> None:
        if self.register.manager:
            self.register.new_complaint()
