"""Penilaian Kinerja: subordinates × periods with status, and the distribution of predikat.

A pejabat penilai sees their direct subordinates (or everyone below them); HR sees every
employee with a unit filter. Double-clicking a period cell opens (or starts) that
evaluation; the SKP column opens the SKP editor. The second tab draws the distribution
of predikat of a unit against the curve for its capaian kinerja organisasi.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QMessageBox,
    QPushButton, QScrollArea, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from kinerja_desktop.domain.distribution import RULES
from kinerja_desktop.domain.predikat import CapaianOrganisasi
from kinerja_desktop.errors import UserError
from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.principal import ADMIN_KEPEGAWAIAN, ADMINISTRATOR, PEJABAT_PENILAI
from kinerja_desktop.ui.errors import show_user_error
from kinerja_desktop.ui.pages.base import Page
from kinerja_desktop.ui.pages.penilaian_chart import DistributionChart, percent_text
from kinerja_desktop.ui.pages.penilaian_model import CELL_ROLE, EMPLOYEE_ROLE, FIXED, LEGEND, PenilaianModel
from kinerja_desktop.ui.pickers import UnitPicker
from kinerja_desktop.ui.theme import error_text, ok_text
from kinerja_desktop.ui.widgets import Throttle
from kinerja_desktop.ui.selection import KeepSelection


def is_hr(principal) -> bool:
    return principal.is_system or principal.role in (ADMIN_KEPEGAWAIAN, ADMINISTRATOR)


def chart_limits(capaian: CapaianOrganisasi | None) -> dict:
    """Dashed lines for the single-predikat percentage rules of ``capaian``."""
    if capaian is None:
        return {}
    out = {}
    for rule in RULES[capaian]:
        if len(rule.group) == 1 and rule.op in ("at_most", "at_least"):
            out[rule.group[0]] = (rule.percent, "max" if rule.op == "at_most" else "min")
    return out


class PenilaianPage(Page):
    has_search = True

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        p = ctx.principal
        self.hr = is_hr(p)
        self.can_rate = p.is_system or p.role == PEJABAT_PENILAI
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
        self.tabs.addTab(self._distribution_tab(), _("Distribusi predikat"))

        self.year_combo.currentIndexChanged.connect(lambda _i: self._year_changed())
        self.search_throttle = Throttle(self._apply_filters, 150, self)
        self.search.textChanged.connect(lambda _t: self.search_throttle.trigger())
        self.unit_filter.changed.connect(lambda _u: self._apply_filters())
        self.scope_combo.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.new_year_button.clicked.connect(self.create_periods)
        self.tabs.currentChanged.connect(lambda i: self.load_distribution() if i == 1 else None)
        self._units_cache = None
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
        for b in (self.skp_button, self.eval_button, self.export_button):
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
        self.model.loaded.connect(self._after_load)
        self.model.counted.connect(self._show_count)
        self.model.appended.connect(lambda _n: self._show_count())
        return tab

    def _fit_columns(self) -> None:
        """Fit the columns to the table's width: periods share what the person columns leave."""
        header = self.table.horizontalHeader()
        fm = self.table.fontMetrics()
        # The vertical scroll bar is counted from the start: it appears once the rows are in.
        available = (self.table.maximumViewportSize().width()
                     - self.table.verticalScrollBar().sizeHint().width())
        nip = fm.horizontalAdvance("19999999 999999 9 999") + 14  # grouped, as everywhere
        skp = max(fm.horizontalAdvance(_("belum dibuat")), fm.horizontalAdvance(_("disepakati"))) + 14
        periods = max(1, self.model.columnCount() - len(FIXED))
        bold = QFont(self.table.font())
        bold.setBold(True)  # overdue cells are bold
        cell_min = max(QFontMetrics(bold).horizontalAdvance("⚠ – " + _("belum dibuat")),
                       fm.horizontalAdvance("✎ Butuh Perbaikan")) + 8
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
        QTimer.singleShot(0, self._fit_columns)

    # -- loading -------------------------------------------------------------------------
    def activated(self) -> None:
        if not self._started:
            self._started = True
            self.load_years()

    def refresh(self) -> None:
        self._units_cache = None
        self.load_years(keep=self.current_year())

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def current_year(self) -> int | None:
        return self.year_combo.currentData()

    def load_years(self, keep: int | None = None) -> None:
        from kinerja_desktop.services.periods import years_with_periods

        with self.ctx.session() as s:
            years = years_with_periods(s)
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
        from kinerja_desktop.services.periods import list_periods

        year = self.current_year()
        if year is None:
            self.model.set_year(date.today().year, [])
            self.empty_label.setText(_("Periode penilaian belum dibuat. Admin kepegawaian membuatnya dengan tombol "
                                       "\"Buat periode…\"."))
            self.empty_label.setVisible(True)
            return
        with self.ctx.session() as s:
            periods = list_periods(s, year)
        self.model.today = self.today_fn()
        self.model.set_year(year, periods)
        self._fit_columns()
        if self.tabs.currentIndex() == 1:
            self.load_distribution()

    def _apply_filters(self) -> None:
        self.model.search = self.search.text().strip()
        self.model.unit_id = self.unit_filter.unit_id
        self.model.direct_only = bool(self.scope_combo.currentData())
        if self.current_year() is not None:
            self.model.reload()

    def _after_load(self) -> None:
        empty = self.model.rowCount() == 0
        if empty:
            self.empty_label.setText(_("Tidak ada pegawai yang cocok.") if self.model.search else
                                     _("Belum ada pegawai yang Anda nilai."))
        self.empty_label.setVisible(empty)
        self._show_count()
        QTimer.singleShot(0, self._fit_columns)

    def _show_count(self) -> None:
        total = self.model.total
        if total is None:
            self.count_label.setText(_("{n}+ pegawai").format(n=number_text(len(self.model.rows))))
        else:
            self.count_label.setText(_("{n} pegawai").format(n=number_text(total)))

    def _units(self):
        from kinerja_desktop.services.roster_query import unit_tree

        if self._units_cache is None:
            with self.ctx.session() as s:
                self._units_cache = unit_tree(s)
        return self._units_cache

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
        from kinerja_desktop.ui.dialogs.skp_editor import open_skp_editor

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
        from kinerja_desktop.ui.dialogs.evaluation_editor import open_evaluation_editor, start_evaluation_here

        evaluation_id = cell.evaluation_id if cell is not None else None
        if evaluation_id is None:
            evaluation_id = start_evaluation_here(self.ctx, index.data(EMPLOYEE_ROLE), period, self)
            if evaluation_id is None:
                return
        open_evaluation_editor(self.ctx, evaluation_id, self)
        self.keep_selection.remember()
        self.model.reload()

    # -- HR actions ------------------------------------------------------------------------
    def create_periods(self) -> None:
        from kinerja_desktop.services.periods import SCHEME_LABELS, create_year

        year, ok = QInputDialog.getInt(self, _("Buat periode"), _("Tahun penilaian:"), date.today().year,
                                       2000, 2100)
        if not ok:
            return
        labels = [_(SCHEME_LABELS[k]) for k in SCHEME_LABELS] + [_("Hanya periode Akhir")]
        choice, ok = QInputDialog.getItem(self, _("Buat periode"), _("Periode periodik tahun {year}:").format(
            year=year), labels, 1, False)
        if not ok:
            return
        keys = list(SCHEME_LABELS) + [None]
        try:
            with self.ctx.transaction() as s:
                create_year(s, self.ctx.principal, year, keys[labels.index(choice)])
        except UserError as exc:
            show_user_error(exc, self)
            return
        self.load_years(keep=year)

    def export_evaluations(self) -> None:
        from kinerja_desktop.ui.dialogs.evaluation_export import export_evaluations_dialog

        export_evaluations_dialog(self.ctx, self.current_year(), self)

    # -- the distribution tab --------------------------------------------------------------
    def _distribution_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Unit kerja")))
        self.dist_unit = QComboBox()
        self.dist_unit.setMinimumContentsLength(30)
        self.dist_unit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        row.addWidget(self.dist_unit, 2)
        row.addWidget(QLabel(_("Periode")))
        self.dist_period = QComboBox()
        row.addWidget(self.dist_period, 1)
        self.capaian_combo = QComboBox()
        for c in CapaianOrganisasi:
            self.capaian_combo.addItem(c.label, c.value)
        self.capaian_button = QPushButton(_("Tetapkan capaian"))
        self.capaian_button.setToolTip(_("Tetapkan capaian kinerja organisasi unit ini untuk tahun terpilih"))
        row.addWidget(self.capaian_combo)
        row.addWidget(self.capaian_button)
        box.addLayout(row)
        split = QHBoxLayout()
        self.chart = DistributionChart()
        split.addWidget(self.chart, 3)
        side = QWidget()
        side.setMinimumWidth(340)
        side_box = QVBoxLayout(side)
        side_box.setContentsMargins(8, 0, 0, 0)
        self.capaian_label = QLabel()
        self.capaian_label.setWordWrap(True)
        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        self.rules_label = QLabel()
        self.rules_label.setWordWrap(True)
        self.rules_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        # The unit's public complaints in the same period (service performance, beside the predikat).
        self.complaints_label = QLabel()
        self.complaints_label.setObjectName("distributionComplaints")
        self.complaints_label.setWordWrap(True)
        for w in (self.capaian_label, self.counts_label, self.rules_label, self.summary_label, self.complaints_label):
            side_box.addWidget(w)
        side_box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(side)
        scroll.setMinimumWidth(360)
        split.addWidget(scroll, 2)
        box.addLayout(split, 1)
        self.recaps: list = []
        self.dist_unit.currentIndexChanged.connect(lambda _i: self._show_recap())
        self.dist_period.currentIndexChanged.connect(lambda _i: self.load_distribution())
        self.capaian_button.clicked.connect(self.set_capaian)
        return tab

    def load_distribution(self) -> None:
        from kinerja_desktop.services.distribution_recap import all_recaps
        from kinerja_desktop.services.periods import period_label

        year = self.current_year()
        if year is None:
            return
        if self.dist_period.count() != len(self.model.periods) or self.dist_period.property("year") != year:
            self.dist_period.blockSignals(True)
            self.dist_period.clear()
            annual = [p for p in self.model.periods if p.is_annual]
            for p in annual + [p for p in self.model.periods if not p.is_annual]:
                self.dist_period.addItem(period_label(p), p.id)
            self.dist_period.setProperty("year", year)
            self.dist_period.blockSignals(False)
        period_id = self.dist_period.currentData()
        principal = self.ctx.principal

        def work(session):
            return all_recaps(session, principal, year, period_id=period_id)

        self.ctx.runner.submit(work, self._recaps_loaded, key="penilaian-recaps", owner=self)

    def _recaps_loaded(self, recaps: list) -> None:
        keep = self.dist_unit.currentData()
        self.recaps = recaps
        self.dist_unit.blockSignals(True)
        self.dist_unit.clear()
        for r in recaps:
            self.dist_unit.addItem(_("{unit} ({n} pegawai)").format(unit=r.unit_name, n=number_text(r.headcount)), r.unit_id)
        ids = [r.unit_id for r in recaps]
        if keep in ids:
            self.dist_unit.setCurrentIndex(ids.index(keep))
        elif self.ctx.principal.employee_id:
            mine = self._own_unit()
            if mine in ids:
                self.dist_unit.setCurrentIndex(ids.index(mine))
        self.dist_unit.blockSignals(False)
        self._show_recap()

    def _own_unit(self) -> str | None:
        from kinerja_desktop.store.employee import Employee

        with self.ctx.session() as s:
            emp = s.get(Employee, self.ctx.principal.employee_id)
            return emp.unit_id if emp else None

    def current_recap(self):
        i = self.dist_unit.currentIndex()
        return self.recaps[i] if 0 <= i < len(self.recaps) else None

    def _show_recap(self) -> None:
        r = self.current_recap()
        self.capaian_button.setEnabled(r is not None)
        if r is None:
            self.chart.set_data({})
            for w in (self.capaian_label, self.counts_label, self.rules_label, self.summary_label):
                w.setText("")
            return
        self.chart.set_data(r.counts, chart_limits(r.capaian))
        if r.capaian is None:
            self.capaian_label.setText(_("Capaian kinerja organisasi {year}: belum ditetapkan.").format(year=r.year))
        else:
            source = "" if r.capaian_unit_id == r.unit_id else " " + _("(mengikuti unit induk)")
            self.capaian_label.setText(_("Capaian kinerja organisasi {year}: <b>{capaian}</b>{source}").format(
                year=r.year, capaian=r.capaian.label, source=source))
            self.capaian_combo.setCurrentIndex(list(CapaianOrganisasi).index(r.capaian))
        pct = r.percentages()
        parts = [f"{p.label}: {n} ({percent_text(pct[p])})" for p, n in r.counts.items()]
        self.counts_label.setText(_("{period}: {rated} dari {heads} pegawai sudah berpredikat ({final} final).").format(
            period=r.period_label, rated=r.rated, heads=r.headcount, final=r.final) + "\n" + "\n".join(parts))
        if r.report is not None and r.rated:
            ok, bad = ok_text().name(), error_text().name()
            lines = []
            for rule in r.report.rules:
                mark = f"<span style='color:{ok}'>✓</span>" if rule.ok else f"<span style='color:{bad}'>✗</span>"
                lines.append(_("{mark} {rule} (saat ini {actual})").format(mark=mark, rule=rule.text,
                                                                          actual=rule.actual_text()))
            self.rules_label.setText("<br>".join(lines))
        else:
            self.rules_label.setText("")
        self.summary_label.setText(r.summary_text() if r.rated or r.report is None else _("Belum ada predikat."))
        self._show_complaints(r)

    def _show_complaints(self, r) -> None:
        from kinerja_desktop.domain.pengaduan import format_hours, format_percent
        from kinerja_desktop.services.pengaduan_figures import unit_period_figures

        principal, period_id = self.ctx.principal, self.dist_period.currentData()

        def show(f) -> None:
            if not (f.handled or f.open_overdue or f.responded):
                self.complaints_label.setText(_("Pengaduan masyarakat: tidak ada pada periode ini."))
                return
            self.complaints_label.setText(_("Pengaduan masyarakat: {handled} ditangani, {pct} tepat waktu, {late} "
                                            "terbuka lewat batas, median tanggapan pertama {median}.").format(
                handled=f.handled, pct=format_percent(f.on_time_share), late=f.open_overdue,
                median=format_hours(f.median_response_hours)))

        self.complaints_label.setText("")
        self.ctx.query(lambda s: unit_period_figures(s, principal, r.unit_id, period_id, r.year), show, owner=self,
                       key="penilaian-complaints")

    def set_capaian(self) -> None:
        from kinerja_desktop.services.capaian import set_capaian

        r = self.current_recap()
        if r is None:
            return
        value = self.capaian_combo.currentData()
        answer = QMessageBox.question(self, _("Tetapkan capaian"), _(
            "Tetapkan capaian kinerja organisasi {unit} tahun {year} menjadi {capaian}?").format(
            unit=r.unit_name, year=r.year, capaian=value))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.ctx.transaction() as s:
                set_capaian(s, self.ctx.principal, r.unit_id, r.year, value)
        except UserError as exc:
            show_user_error(exc, self)
            return
        QTimer.singleShot(0, self.load_distribution)
