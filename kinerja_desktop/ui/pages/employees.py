"""The Pegawai page: the roster, searchable and filterable, opened instantly at 10⁵ rows."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.permissions import ROSTER_WIDE_ROLES
from kinerja_desktop.services.roster.employees import set_employee_active
from kinerja_desktop.services.roster.query import RosterFilter, employee_row, golongan_values
from kinerja_desktop.ui.context import manages_roster
from kinerja_desktop.ui.dialogs.employee_form import EmployeeForm
from kinerja_desktop.ui.dialogs.export import export_roster_dialog
from kinerja_desktop.ui.dialogs.import_wizard import ImportWizard
from kinerja_desktop.ui.pages.base import Page
from kinerja_desktop.ui.pickers import UnitPicker
from kinerja_desktop.ui.roster_model import COLUMNS, ID_ROLE, R_ACTIVE, RosterModel
from kinerja_desktop.ui.saved import announce_saved
from kinerja_desktop.ui.selection import KeepSelection
from kinerja_desktop.ui.unit_source import UnitSource
from kinerja_desktop.ui.widgets import Throttle

#: Columns as wide as their longest text, never narrower nor wider: the NIP (grouped, a
#: PPPK one is the longest: "19790109 2021 21 1 001"), status, golongan, active.
FIXED_SAMPLES = {
    "nip": ("00000000 0000 00 0 000", "00000000 000000 0 000"),
    "status": ("PPPK", "PNS"),
    "golongan": ("III/a", "IV/e", "XVII"),
    "active": ("Tidak", "Ya"),
}
#: The long texts share the rest of the width: the name stretches into what is left, the
#: others get a share (until the person drags a column edge) and elide, with the whole text
#: in the tooltip. Shares of the free width, and the narrowest each may get.
COLUMN_SHARES = {"name": 23, "position": 28, "unit": 28, "supervisor": 21}
COLUMN_MIN = {"name": 160, "position": 120, "unit": 120, "supervisor": 120}
#: Where a cut text loses a part: a position keeps its start and its level ("Penata
#: Penang…ana Ahli Muda"), the others their start.
ELIDE = {
    "name": Qt.TextElideMode.ElideRight,
    "position": Qt.TextElideMode.ElideMiddle,
    "unit": Qt.TextElideMode.ElideRight,
    "supervisor": Qt.TextElideMode.ElideRight,
}


class ElideDelegate(QStyledItemDelegate):
    """Draws a column's text cut where ``mode`` says (the view has one mode for all columns)."""

    def __init__(self, mode: Qt.TextElideMode, parent=None) -> None:
        super().__init__(parent)
        self.mode = mode

    def initStyleOption(self, option, index) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.textElideMode = self.mode


class EmployeesPage(Page):
    has_search = True

    def __init__(self, ctx, parent: QWidget | None = None) -> None:  # noqa: PLR0915 (long: builds the widgets top to bottom, one field or button a line)
        super().__init__(ctx, parent)
        self.can_edit = manages_roster(ctx.principal)
        self.has_new = self.can_edit
        self.can_export = ctx.principal.is_system or ctx.principal.role in ROSTER_WIDE_ROLES
        layout = self.page_layout(_("Pegawai"))

        # Heading row: count on the right.
        self.count_label = QLabel(_("Memuat…"))
        self.count_label.setObjectName("rosterCount")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        heading_row = QHBoxLayout()
        layout.removeWidget(self.heading)
        heading_row.addWidget(self.heading)
        heading_row.addStretch(1)
        heading_row.addWidget(self.count_label)
        layout.insertLayout(0, heading_row)

        # Filters.
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("rosterSearch")
        self.search.setPlaceholderText(_("Cari nama atau NIP… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        filters.addWidget(self.search, 3)
        self._units = UnitSource(ctx, self)
        self.unit_filter = UnitPicker(self._units, all_text=_("Semua unit kerja"))
        self.unit_filter.setToolTip(_("Tampilkan pegawai satu unit kerja beserta sub-unitnya"))
        filters.addWidget(self.unit_filter, 3)
        self.status_filter = QComboBox()
        self.status_filter.addItem(_("Semua status"), None)
        self.status_filter.addItem("PNS", "PNS")
        self.status_filter.addItem("PPPK", "PPPK")
        filters.addWidget(self.status_filter, 1)
        self.golongan_filter = QComboBox()
        self.golongan_filter.addItem(_("Semua golongan"), None)
        self.golongan_filter.setMaxVisibleItems(20)
        filters.addWidget(self.golongan_filter, 1)
        self.active_filter = QComboBox()
        self.active_filter.addItem(_("Pegawai aktif"), True)
        self.active_filter.addItem(_("Tidak aktif"), False)
        self.active_filter.addItem(_("Aktif dan tidak aktif"), None)
        filters.addWidget(self.active_filter, 1)
        layout.addLayout(filters)

        # Actions.
        actions = QHBoxLayout()
        self.add_button = QPushButton(_("Tambah pegawai"))
        self.add_button.setToolTip(_("Tambah pegawai baru (Ctrl+N)"))
        self.edit_button = QPushButton(_("Ubah…") if self.can_edit else _("Lihat…"))
        self.toggle_button = QPushButton(_("Nonaktifkan"))
        self.import_button = QPushButton(_("Impor…"))
        self.import_button.setToolTip(_("Impor daftar pegawai dari berkas CSV atau Excel"))
        self.export_button = QPushButton(_("Ekspor…"))
        self.export_button.setToolTip(
            _("Simpan pegawai yang tampil (sesuai pencarian dan saringan) ke berkas Excel atau CSV")
        )
        for button in (self.add_button, self.edit_button, self.toggle_button, self.import_button):
            actions.addWidget(button)
        actions.addWidget(self.export_button)
        actions.addStretch(1)
        self.add_button.setVisible(self.can_edit)
        self.toggle_button.setVisible(self.can_edit)
        self.import_button.setVisible(self.can_edit)
        self.export_button.setVisible(self.can_export)
        layout.addLayout(actions)

        # The table.
        self.model = RosterModel(ctx.runner, ctx.principal, self)
        self.table = QTableView()
        self.table.setObjectName("rosterTable")
        self.table.setModel(self.model)
        self.keep_selection = KeepSelection(self.table, ID_ROLE, self.model.loaded)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self._fixed_widths: dict[str, int] = {}
        for i, column in enumerate(COLUMNS):
            if column.key in FIXED_SAMPLES:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Fixed)
            elif column.key == "name":
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
            if column.key in ELIDE:
                self.table.setItemDelegateForColumn(i, ElideDelegate(ELIDE[column.key], self.table))
        self._fitting = False
        self._user_sized = False
        header.sectionResized.connect(self._section_resized)
        # Refit when the vertical scroll bar appears or goes (it takes width from the table).
        self.table.verticalScrollBar().rangeChanged.connect(lambda *_a: QTimer.singleShot(0, self, self.fit_columns))
        header.setSortIndicator(1, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort_changed)
        layout.addWidget(self.table, 1)

        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setVisible(False)
        layout.addWidget(self.empty_label)

        # Wiring.
        self.search_throttle = Throttle(self._apply_filters, 150, self)
        self.search.textChanged.connect(lambda _t: self.search_throttle.trigger())
        self.search.returnPressed.connect(self.search_throttle.flush)
        self.search.installEventFilter(self)
        self.unit_filter.changed.connect(lambda _u: self._apply_filters())
        for combo in (self.status_filter, self.golongan_filter, self.active_filter):
            combo.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.model.loaded.connect(self._update_count)
        self.model.counted.connect(self._update_count)
        self.model.appended.connect(lambda _n: self._update_count())
        self.model.modelReset.connect(self._update_buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.add_button.clicked.connect(self.new_item)
        self.edit_button.clicked.connect(self.open_selected)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.import_button.clicked.connect(self.import_file)
        self.export_button.clicked.connect(self.export_file)
        self.setTabOrder(self.search, self.unit_filter)
        self.setTabOrder(self.unit_filter, self.status_filter)
        self.setTabOrder(self.status_filter, self.golongan_filter)
        self.setTabOrder(self.golongan_filter, self.active_filter)
        self.setTabOrder(self.active_filter, self.table)

        self._started = False
        self._update_buttons()
        self.refresh_on("employees", "units")

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        """Down arrow in the search field goes to the first row of the table."""
        if obj is self.search and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:
            if self.model.rowCount():
                self.table.setFocus()
                self.table.selectRow(0)
                return True
        return super().eventFilter(obj, event)

    # -- column widths -----------------------------------------------------------------
    def fixed_width(self, key: str) -> int:
        """The width of a fixed column: its longest text (or its heading) and the cell margins."""
        width = self._fixed_widths.get(key)
        if width is None:
            metrics = self.table.fontMetrics()
            margin = 2 * (self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 1)
            text = max(metrics.horizontalAdvance(sample) for sample in FIXED_SAMPLES[key]) + margin + 8
            index = next(i for i, c in enumerate(COLUMNS) if c.key == key)
            width = self._fixed_widths[key] = max(text, self.table.horizontalHeader().sectionSizeHint(index))
        return width

    def fit_columns(self) -> None:
        """Fixed columns to their text; the long ones share the rest (until the person resizes one)."""
        available = self.table.viewport().width()
        if available <= 0:
            return
        header = self.table.horizontalHeader()
        self._fitting = True
        try:
            fixed = 0
            for i, column in enumerate(COLUMNS):
                if column.key in FIXED_SAMPLES:
                    width = self.fixed_width(column.key)
                    fixed += width
                    if header.sectionSize(i) != width:
                        header.resizeSection(i, width)
            if self._user_sized:
                return
            room = max(0, available - fixed)
            total = sum(COLUMN_SHARES.values())
            for i, column in enumerate(COLUMNS):
                if column.key in COLUMN_SHARES and column.key != "name":  # the name stretches
                    header.resizeSection(i, max(COLUMN_MIN[column.key], room * COLUMN_SHARES[column.key] // total))
        finally:
            self._fitting = False

    def _section_resized(self, index: int, *_sizes) -> None:
        # Only a column the person can drag counts (the name stretches by itself).
        if not self._fitting and COLUMNS[index].key in COLUMN_SHARES and COLUMNS[index].key != "name":
            self._user_sized = True

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_columns()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.fit_columns()

    # -- data --------------------------------------------------------------------------
    def activated(self) -> None:
        if not self._started:
            self._started = True
            self.model.set_filter(self.current_filter())
            self._load_golongan()

    def _load_golongan(self) -> None:

        def fill(values) -> None:
            current = self.golongan_filter.currentData()
            self.golongan_filter.blockSignals(True)
            while self.golongan_filter.count() > 1:
                self.golongan_filter.removeItem(1)
            for value in values:
                self.golongan_filter.addItem(value, value)
            index = self.golongan_filter.findData(current)
            self.golongan_filter.setCurrentIndex(max(0, index))
            self.golongan_filter.blockSignals(False)

        self.ctx.runner.submit(golongan_values, fill, owner=self)

    def current_filter(self) -> RosterFilter:
        return RosterFilter(
            text=self.search.text().strip(),
            unit_id=self.unit_filter.unit_id,
            include_subunits=True,
            status=self.status_filter.currentData(),
            golongan=self.golongan_filter.currentData(),
            active=self.active_filter.currentData(),
        )

    def _apply_filters(self) -> None:
        self._started = True
        self.model.set_filter(self.current_filter())

    def _sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        column = COLUMNS[section]
        header = self.table.horizontalHeader()
        if column.sort_key is None:  # not sortable: put the indicator back
            current = next(i for i, c in enumerate(COLUMNS) if c.sort_key == self.model.sort_key)
            header.blockSignals(True)
            header.setSortIndicator(
                current, Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder
            )
            header.blockSignals(False)
            return
        self.model.set_sort(column.sort_key, order == Qt.SortOrder.DescendingOrder)

    def _update_count(self) -> None:
        total, shown = self.model.total, len(self.model.rows)
        if total is None:
            self.count_label.setText(_("{shown}+ pegawai (menghitung…)").format(shown=number_text(shown)))
            self.empty_label.setVisible(False)
            return
        if total == 0:
            self.count_label.setText(_("Tidak ada pegawai"))
        elif shown >= total:
            self.count_label.setText(_("{total} pegawai").format(total=number_text(total)))
        else:
            self.count_label.setText(
                _("{total} pegawai (dimuat {shown}; gulir untuk memuat lagi)").format(
                    total=number_text(total), shown=number_text(shown)
                )
            )
        self.empty_label.setVisible(total == 0)
        if total == 0:
            flt = self.model.filter
            if flt.text or flt.unit_id or flt.status or flt.golongan or flt.active is not True:
                self.empty_label.setText(_("Tidak ada pegawai yang cocok dengan pencarian dan saringan ini."))
            elif self.can_edit:
                self.empty_label.setText(
                    _(
                        "Belum ada data pegawai. Tambahkan satu per satu dengan "
                        '"Tambah pegawai" atau impor daftar pegawai dari berkas.'
                    )
                )
            else:
                self.empty_label.setText(
                    _(
                        "Belum ada pegawai yang dapat Anda lihat. Pejabat penilai melihat "
                        "pegawai yang berada di bawahnya dalam rantai atasan."
                    )
                )

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _update_buttons(self) -> None:
        row = self.selected_row()
        self.edit_button.setEnabled(row is not None)
        self.toggle_button.setEnabled(row is not None)
        if row is not None:
            active = self.model.row_tuple(row)[R_ACTIVE]
            self.toggle_button.setText(_("Nonaktifkan") if active else _("Aktifkan"))

    # -- page actions ------------------------------------------------------------------
    def refresh(self) -> None:
        self.model.reload()
        self._load_golongan()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def new_item(self) -> None:
        if not self.can_edit:
            return

        form = EmployeeForm(self.ctx, parent=self)
        if form.exec() and form.saved_id:  # the form's write told this page to reload
            announce_saved(self, _("Data pegawai tersimpan."))
            self._select_after_save(form.saved_id)

    def _select_after_save(self, employee_id: str) -> None:
        """Select the saved row: when the reload the write started arrives, or now if its rows
        already arrived while the dialog was closing."""
        self.keep_selection.select_key(employee_id)
        if not self.model.busy:
            self.keep_selection.restore()

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return

        employee_id = self.model.row_id(row)
        form = EmployeeForm(self.ctx, employee_id, read_only=not self.can_edit, parent=self)
        if form.exec() and form.saved_id:  # the form's write told this page to reload
            self._select_after_save(employee_id)
            announce_saved(self, _("Data pegawai tersimpan."))

    def toggle_active(self) -> None:
        row = self.selected_row()
        if row is None or not self.can_edit:
            return

        employee_id = self.model.row_id(row)
        active = not self.model.row_tuple(row)[R_ACTIVE]
        principal = self.ctx.principal

        def toggle(s):
            set_employee_active(s, principal, employee_id, active)
            s.flush()
            return employee_row(s, principal, employee_id)

        self.ctx.write(toggle, self._toggled, changes={"employees"}, owner=self)

    def _toggled(self, updated) -> None:
        if updated is not None:
            self.model.replace_row(updated)
        self._update_buttons()

    def import_file(self) -> None:

        wizard = ImportWizard(self.ctx, parent=self)
        wizard.exec()
        if wizard.imported:
            self.ctx.bus.notify({"employees", "units"})

    def export_file(self) -> None:
        """Export exactly what the table shows: its search and filters."""

        flt = self.current_filter()
        unit_name = self.unit_filter.text() if flt.unit_id else None
        export_roster_dialog(self.ctx, self, flt, unit_name)
