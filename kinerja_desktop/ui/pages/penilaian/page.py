"""Penilaian Kinerja: subordinates × periods with status, and the distribution of predikat.

A pejabat penilai sees their direct subordinates (or everyone below them); HR sees every
employee with a unit filter. Double-clicking a period cell opens (or starts) that
evaluation; the SKP column opens the SKP editor. "Penugasan sebelumnya…" lists what an
earlier assignment still owes after a mutasi (for its old pejabat penilai). The second
tab (``penilaian_distribution``) shows the capaian of an organisation per period with who
set it, and the distribution of final predikat with the drafts apart. Reads and writes
go through the operation layer.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, ADMINISTRATOR, SUPERVISOR_ROLES
from kinerja_desktop.services.performance.periods import SCHEME_LABELS, create_year, list_periods, years_with_periods
from kinerja_desktop.ui.dialogs.assignment_dialogs import EarlierAssignmentsDialog, NewAssignmentDialog
from kinerja_desktop.ui.dialogs.evaluation_editor import open_evaluation_editor, start_evaluation_here
from kinerja_desktop.ui.dialogs.evaluation_export import export_evaluations_dialog
from kinerja_desktop.ui.dialogs.skp_editor import SkpEditor, open_skp_editor
from kinerja_desktop.ui.errors import show_user_error
from kinerja_desktop.ui.pages.base import Page
from kinerja_desktop.ui.pages.penilaian.distribution import DistributionTab, chart_limits  # noqa: F401
from kinerja_desktop.ui.pages.penilaian.model import CELL_ROLE, EMPLOYEE_ROLE, FIXED, LEGEND, PenilaianModel
from kinerja_desktop.ui.pickers import UnitPicker
from kinerja_desktop.ui.selection import KeepSelection
from kinerja_desktop.ui.unit_source import UnitSource
from kinerja_desktop.ui.widgets import Throttle


def is_hr(principal) -> bool:
    return principal.is_system or principal.role in (ADMIN_KEPEGAWAIAN, ADMINISTRATOR)


class PenilaianPage(Page):
    has_search = True

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        p = ctx.principal
        self.hr = is_hr(p)
        self.can_rate = p.is_system or p.role in SUPERVISOR_ROLES
        layout = self.page_layout(_("Penilaian Kinerja"))
        self.count_label = QLabel("")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        heading_row = QHBoxLayout()
        layout.removeWidget(self.heading)
        heading_row.addWidget(self.heading)
        heading_row.addStretch(1)
        heading_row.addWidget(self.count_label)
        layout.insertLayout(0, heading_row)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Tahun")))
        self.year_combo = QComboBox()
        self.year_combo.setMinimumContentsLength(6)
        filters.addWidget(self.year_combo)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Cari nama atau NIP… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        filters.addWidget(self.search, 2)
        self._units = UnitSource(self.ctx, self)
        self.unit_filter = UnitPicker(self._units, all_text=_("Semua unit kerja"))
        self.unit_filter.setVisible(self.hr)
        filters.addWidget(self.unit_filter, 2)
        self.scope_combo = QComboBox()
        self.scope_combo.addItem(_("Bawahan langsung"), True)
        self.scope_combo.addItem(_("Seluruh bawahan"), False)
        self.scope_combo.setVisible(not self.hr)
        filters.addWidget(self.scope_combo)
        self.new_year_button = QPushButton(_("Buat periode…"))
        self.new_year_button.setToolTip(_("Buat periode penilaian satu tahun (Akhir dan periodik)"))
        self.new_year_button.setVisible(self.hr)
        filters.addWidget(self.new_year_button)
        layout.addLayout(filters)

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._grid_tab(), _("Pegawai dan periode"))
        self.distribution = DistributionTab(ctx, self)
        self.tabs.addTab(self.distribution, _("Distribusi predikat"))

        self.year_combo.currentIndexChanged.connect(lambda _i: self._year_changed())
        self.search_throttle = Throttle(self._apply_filters, 150, self)
        self.search.textChanged.connect(lambda _t: self.search_throttle.trigger())
        self.unit_filter.changed.connect(lambda _u: self._apply_filters())
        self.scope_combo.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.new_year_button.clicked.connect(self.create_periods)
        self.tabs.currentChanged.connect(lambda i: self.load_distribution() if i == 1 else None)
        ctx.bus.subscribe({"skp", "evaluations", "periods"}, self._reload_grid, owner=self)
        self._started = False
        #: "Today" for overdue marks (tests and screenshots set a fixed day).
        self.today_fn = date.today

    # -- the grid tab --------------------------------------------------------------------
    def _grid_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        actions = QHBoxLayout()
        self.skp_button = QPushButton(_("SKP…"))
        self.skp_button.setToolTip(_("Buka atau buat SKP pegawai terpilih"))
        self.eval_button = QPushButton(_("Evaluasi…"))
        self.eval_button.setToolTip(_("Buka atau mulai evaluasi pada periode terpilih"))
        self.export_button = QPushButton(_("Ekspor evaluasi…"))
        self.export_button.setVisible(self.hr)
        self.assignment_button = QPushButton(_("Penugasan baru…"))
        self.assignment_button.setToolTip(_("SKP kedua tahun ini setelah mutasi/promosi pegawai terpilih"))
        self.assignment_button.setVisible(self.can_rate)
        self.earlier_button = QPushButton(_("Penugasan sebelumnya…"))
        self.earlier_button.setToolTip(_("Evaluasi pegawai yang pindah dari bawahan Anda tahun ini"))
        self.earlier_button.setVisible(self.can_rate)
        for b in (self.skp_button, self.eval_button, self.assignment_button, self.earlier_button, self.export_button):
            actions.addWidget(b)
        actions.addStretch(1)
        legend = QLabel(_(LEGEND))
        legend.setObjectName("penilaianLegend")
        actions.addWidget(legend)
        box.addLayout(actions)

        self.model = PenilaianModel(self.ctx.runner, self.ctx.principal, self)
        self.table = QTableView()
        self.table.setObjectName("penilaianTable")
        self.table.setModel(self.model)
        self.keep_selection = KeepSelection(self.table, EMPLOYEE_ROLE, self.model.loaded)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(False)
        box.addWidget(self.table, 1)
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setVisible(False)
        box.addWidget(self.empty_label)

        self.table.doubleClicked.connect(self.open_index)
        self.skp_button.clicked.connect(self.open_skp)
        self.eval_button.clicked.connect(self.open_evaluation)
        self.export_button.clicked.connect(self.export_evaluations)
        self.assignment_button.clicked.connect(self.new_assignment)
        self.earlier_button.clicked.connect(self.earlier_assignments)
        self.model.loaded.connect(self._after_load)
        self.model.counted.connect(self._show_count)
        self.model.appended.connect(lambda _n: self._show_count())
        return tab

    def _fit_columns(self) -> None:
        """Fit the columns to the table's width: periods share what the person columns leave."""
        header = self.table.horizontalHeader()
        fm = self.table.fontMetrics()
        # The vertical scroll bar is counted from the start: it appears once the rows are in.
        available = self.table.maximumViewportSize().width() - self.table.verticalScrollBar().sizeHint().width()
        nip = fm.horizontalAdvance("19999999 999999 9 999") + 14  # grouped, as everywhere
        skp = max(fm.horizontalAdvance(_("belum dibuat")), fm.horizontalAdvance(_("disepakati"))) + 14
        periods = max(1, self.model.columnCount() - len(FIXED))
        bold = QFont(self.table.font())
        bold.setBold(True)  # overdue cells are bold
        cell_min = (
            max(
                QFontMetrics(bold).horizontalAdvance("⚠ – " + _("belum dibuat")),
                fm.horizontalAdvance("✎ Butuh Perbaikan"),
            )
            + 8
        )
        rest = max(0, available - nip - skp)
        cell = max(cell_min, int(rest * 0.55 / periods))
        name = max(130, int((rest - cell * periods) * 0.55))
        unit = max(100, rest - cell * periods - name)
        for i, width in enumerate((nip, name, unit, skp)):
            header.resizeSection(i, width)
        for i in range(len(FIXED), self.model.columnCount()):
            header.resizeSection(i, cell)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._fit_columns)

    # -- loading -------------------------------------------------------------------------
    def activated(self) -> None:
        if not self._started:
            self._started = True
            self.load_years()

    def refresh(self) -> None:
        self.load_years(keep=self.current_year())

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def current_year(self) -> int | None:
        return self.year_combo.currentData()

    def load_years(self, keep: int | None = None) -> None:

        self.ctx.query(
            years_with_periods, lambda years: self._years_loaded(years, keep), owner=self, key="penilaian-years"
        )

    def _years_loaded(self, years: list[int], keep: int | None) -> None:
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in years:
            self.year_combo.addItem(str(y), y)
        this_year = self.today_fn().year
        wanted = keep or (this_year if this_year in years else (years[-1] if years else None))
        if wanted in years:
            self.year_combo.setCurrentIndex(years.index(wanted))
        self.year_combo.blockSignals(False)
        self._year_changed()

    def _year_changed(self) -> None:

        year = self.current_year()
        if year is None:
            self.model.set_year(date.today().year, [])
            self.distribution.set_year(None, [])
            self.empty_label.setText(
                _('Periode penilaian belum dibuat. Admin kepegawaian membuatnya dengan tombol "Buat periode…".')
            )
            self.empty_label.setVisible(True)
            return

        def work(s):
            periods = list_periods(s, year)
            s.expunge_all()  # loaded rows stay readable after the query's rollback
            return periods

        self.ctx.query(work, lambda periods: self._periods_loaded(year, periods), owner=self, key="penilaian-periods")

    def _periods_loaded(self, year: int, periods: list) -> None:
        self.model.today = self.today_fn()
        self.model.set_year(year, periods)
        self.distribution.set_year(year, periods)
        self._fit_columns()
        if self.tabs.currentIndex() == 1:
            self.load_distribution()

    def load_distribution(self) -> None:
        self.distribution.load()

    def _reload_grid(self) -> None:
        if self.current_year() is not None:
            self.model.reload()

    def _apply_filters(self) -> None:
        self.model.search = self.search.text().strip()
        self.model.unit_id = self.unit_filter.unit_id
        self.model.direct_only = bool(self.scope_combo.currentData())
        if self.current_year() is not None:
            self.model.reload()

    def _after_load(self) -> None:
        empty = self.model.rowCount() == 0
        if empty:
            self.empty_label.setText(
                _("Tidak ada pegawai yang cocok.") if self.model.search else _("Belum ada pegawai yang Anda nilai.")
            )
        self.empty_label.setVisible(empty)
        self._show_count()
        QTimer.singleShot(0, self, self._fit_columns)

    def _show_count(self) -> None:
        total = self.model.total
        if total is None:
            self.count_label.setText(_("{n}+ pegawai").format(n=number_text(len(self.model.rows))))
        else:
            self.count_label.setText(_("{n} pegawai").format(n=number_text(total)))

    # -- opening -------------------------------------------------------------------------
    def _selected(self):
        index = self.table.currentIndex()
        if not index.isValid():
            show_user_error(_("Pilih dulu seorang pegawai (dan periodenya) di tabel."), self)
            return None
        return index

    def open_index(self, index) -> None:
        if self.model.period_at(index.column()) is not None:
            self.open_evaluation(index)
        else:
            self.open_skp(index)

    def open_skp(self, index=None) -> None:
        index = index if index is not None and index is not False else self._selected()
        if index is None:
            return

        open_skp_editor(self.ctx, index.data(EMPLOYEE_ROLE), self.current_year(), self)
        self.keep_selection.remember()  # the same cell is selected again after the reload
        self.model.reload()

    def open_evaluation(self, index=None) -> None:
        index = index if index is not None and index is not False else self._selected()
        if index is None:
            return
        period = self.model.period_at(index.column())
        if period is None:
            show_user_error(_("Pilih sel pada kolom periode (misalnya Triwulan I atau Akhir)."), self)
            return
        cell = index.data(CELL_ROLE)

        evaluation_id = cell.evaluation_id if cell is not None else None
        self.keep_selection.remember()
        if evaluation_id is None:
            start_evaluation_here(
                self.ctx,
                index.data(EMPLOYEE_ROLE),
                period,
                self,
                on_started=lambda new_id: open_evaluation_editor(self.ctx, new_id, self),
            )
            return
        open_evaluation_editor(self.ctx, evaluation_id, self)

    # -- HR actions ------------------------------------------------------------------------
    def create_periods(self) -> None:

        year, ok = QInputDialog.getInt(self, _("Buat periode"), _("Tahun penilaian:"), date.today().year, 2000, 2100)
        if not ok:
            return
        labels = [_(SCHEME_LABELS[k]) for k in SCHEME_LABELS] + [_("Hanya periode Akhir")]
        choice, ok = QInputDialog.getItem(
            self, _("Buat periode"), _("Periode periodik tahun {year}:").format(year=year), labels, 1, False
        )
        if not ok:
            return
        keys = list(SCHEME_LABELS) + [None]
        principal, scheme = self.ctx.principal, keys[labels.index(choice)]
        self.ctx.write(
            lambda s: create_year(s, principal, year, scheme),
            lambda _r: self.load_years(keep=year),
            changes={"periods"},
            owner=self,
        )

    def export_evaluations(self) -> None:

        export_evaluations_dialog(self.ctx, self.current_year(), self)

    # -- assignments (SKP per penugasan) ---------------------------------------------------------
    def new_assignment(self) -> None:
        """A second SKP this year for the selected employee after a change of jabatan or unit."""

        index = self._selected()
        if index is None or self.current_year() is None:
            return
        dialog = NewAssignmentDialog(self.ctx, index.data(EMPLOYEE_ROLE), self.current_year(), self)
        if dialog.exec() and dialog.skp_id:
            SkpEditor(self.ctx, dialog.skp_id, self).exec()
            self.model.reload()

    def earlier_assignments(self):

        if self.current_year() is None:
            return None
        dialog = EarlierAssignmentsDialog(self.ctx, self.current_year(), self)
        dialog.show()
        return dialog
