"""The Pelatihan page: training records, group entry, 20 JP compliance, development plans.

Tabs under one year and unit filter:

- *Catatan pelatihan*: the records (paged), searchable by name, NIP or title, with a
  type filter; admin kepegawaian adds one (Ctrl+N), enters a group, edits, deletes;
- *Kepatuhan 20 JP*: a bar chart per unit (click a bar to go down a level), the
  10:20:70 mix, and the list per employee with their status; export to CSV/XLSX;
- *Rencana pengembangan*: the plan items (from evaluations and competency gaps) with
  the suggested activity types, and whether a training fulfilled them.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.formatting import nip_text, number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN
from kinerja_desktop.services.settings import get_export_folder
from kinerja_desktop.services.training import jp_compliance as jc
from kinerja_desktop.services.training.development_competency import PlanFilter, count_plans, plan_rows, plan_unit
from kinerja_desktop.services.training.export import export_training
from kinerja_desktop.services.training.records import RecordFilter, delete_record
from kinerja_desktop.ui.context import allows
from kinerja_desktop.ui.dialogs.export import ask_export, tell_exported
from kinerja_desktop.ui.dialogs.training_form import GroupEntryDialog, TrainingRecordDialog
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.jp_charts import MixBar, UnitBarChart, met_colour, short_colour
from kinerja_desktop.ui.paged_rows import PagedRowsModel, connect_count, count_text
from kinerja_desktop.ui.pages.base import Page
from kinerja_desktop.ui.pickers import UnitPicker, unit_label
from kinerja_desktop.ui.progress import run_job
from kinerja_desktop.ui.saved import announce_saved
from kinerja_desktop.ui.training_tables import (
    CENTER,
    RIGHT,
    Col,
    RowsModel,
    TrainingRecordsModel,
    cell_date,
    jp_text,
)
from kinerja_desktop.ui.unit_source import UnitSource
from kinerja_desktop.ui.widgets import Throttle


def records_training(principal) -> bool:
    return principal.is_system or principal.role == ADMIN_KEPEGAWAIAN


def make_table(model) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.horizontalHeader().setHighlightSections(False)
    return table


def fit(table: QTableView, stretch: int, widths: dict[int, int]) -> None:
    header = table.horizontalHeader()
    for col, width in widths.items():
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(col, width)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


class PelatihanPage(Page):
    has_search = True

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.can_write = records_training(ctx.principal)
        self.has_new = self.can_write
        layout = self.page_layout(_("Pelatihan dan Pengembangan Kompetensi"))
        layout.setSpacing(8)

        top = QHBoxLayout()
        top.addWidget(QLabel(_("Tahun")))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.setAccessibleName(_("Tahun"))
        top.addWidget(self.year)
        self._units = UnitSource(self.ctx, self)
        self.unit = UnitPicker(self._units, all_text=_("Semua unit kerja"))
        self.unit.setToolTip(_("Satu unit kerja beserta unit di bawahnya"))
        top.addWidget(self.unit, 2)
        self.up_button = QPushButton(_("↑ Naik satu tingkat"))
        self.up_button.setToolTip(_("Kembali ke unit di atasnya"))
        top.addWidget(self.up_button)
        top.addStretch(1)
        layout.addLayout(top)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._records_tab(), _("Catatan pelatihan"))
        self.tabs.addTab(self._compliance_tab(), _("Kepatuhan 20 JP"))
        self.tabs.addTab(self._plan_tab(), _("Rencana pengembangan"))
        layout.addWidget(self.tabs, 1)

        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.unit.changed.connect(lambda _u: self.refresh())
        self.up_button.clicked.connect(self.go_up)
        self.tabs.currentChanged.connect(lambda _i: self._load_current())
        ctx.bus.subscribe({"development_plans", "training"}, self._plans_changed, owner=self)
        self._loaded: set[int] = set()
        self._started = False

    # -- tabs --------------------------------------------------------------------------
    # long: builds the widgets top to bottom, one field or button a line
    def _records_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Cari nama, NIP, atau nama kegiatan… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        filters.addWidget(self.search, 3)
        self.category = QComboBox()
        self.category.addItem(_("Semua kategori"), None)
        self.category.addItem(_("Klasikal"), "klasikal")
        self.category.addItem(_("Nonklasikal"), "nonklasikal")
        self.category.addItem(_("Pendidikan"), "pendidikan")
        filters.addWidget(self.category, 1)
        self.records_count = QLabel("")
        self.records_count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        filters.addWidget(self.records_count, 1)
        box.addLayout(filters)
        actions = QHBoxLayout()
        self.add_button = QPushButton(_("Tambah catatan…"))
        self.add_button.setToolTip(_("Catat pelatihan satu pegawai (Ctrl+N)"))
        self.group_button = QPushButton(_("Entri kelompok…"))
        self.group_button.setToolTip(_("Satu kegiatan untuk banyak peserta sekaligus"))
        self.open_button = QPushButton(_("Ubah…") if self.can_write else _("Lihat…"))
        self.delete_button = QPushButton(_("Hapus"))
        for b in (self.add_button, self.group_button, self.open_button, self.delete_button):
            actions.addWidget(b)
        actions.addStretch(1)
        for b in (self.add_button, self.group_button, self.delete_button):
            b.setVisible(self.can_write)
        box.addLayout(actions)
        self.records = TrainingRecordsModel(self.ctx.runner, self.ctx.principal, self)
        self.records_table = make_table(self.records)
        self.records_table.setObjectName("trainingRecords")
        fm = self.fontMetrics()
        fit(
            self.records_table,
            3,
            {
                0: fm.horizontalAdvance("28-11-2026") + 16,
                1: 190,
                2: fm.horizontalAdvance("19999999 999999 9 999") + 14,
                4: 60,
                5: 150,
                6: 44,
                7: 110,
                8: 60,
            },
        )
        box.addWidget(self.records_table, 1)
        self.search_throttle = Throttle(self._apply_record_filter, 150, self)
        self.search.textChanged.connect(lambda _t: self.search_throttle.trigger())
        self.search.returnPressed.connect(self.search_throttle.flush)
        self.category.currentIndexChanged.connect(lambda _i: self._apply_record_filter())
        self.records.loaded.connect(self._records_counted)
        self.records.counted.connect(self._records_counted)
        self.records.appended.connect(lambda _n: self._records_counted())
        self.records.modelReset.connect(self._update_buttons)
        self.records_table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.records_table.doubleClicked.connect(lambda _i: self.open_selected())
        self.add_button.clicked.connect(self.new_item)
        self.group_button.clicked.connect(self.group_entry)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self._update_buttons()
        return tab

    # long: builds the widgets top to bottom, one field or button a line
    def _compliance_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        row = QHBoxLayout()
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        row.addWidget(self.summary, 1)
        self.only_below = QCheckBox(_("Hanya PNS yang belum memenuhi"))
        row.addWidget(self.only_below)
        self.export_button = QPushButton(_("Ekspor…"))
        self.export_button.setToolTip(_("Simpan JP per pegawai ke berkas CSV atau Excel"))
        row.addWidget(self.export_button)
        box.addLayout(row)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(QLabel(_("Komposisi 10:20:70 (JP)")))
        self.mix = MixBar()
        left_box.addWidget(self.mix)
        self.chart_title = QLabel(_("PNS yang memenuhi 20 JP per unit kerja"))
        left_box.addWidget(self.chart_title)
        self.chart = UnitBarChart()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        left_box.addWidget(scroll, 1)
        split.addWidget(left)
        ok, short = met_colour(), short_colour()
        ok.setAlpha(40)
        short.setAlpha(50)

        def status_colour(r):
            if not r.applies:
                return None
            return ok if r.meets else short

        self.compliance = RowsModel(
            [
                Col(
                    _("Nama pegawai"), lambda r: r.name, tooltip=lambda r: f"{r.name}\n{r.position_name}\n{r.unit_name}"
                ),
                Col(_("NIP"), lambda r: nip_text(r.nip)),
                Col(_("Klasikal"), lambda r: jp_text(r.klasikal), RIGHT),
                Col(_("Nonklasikal"), lambda r: jp_text(r.nonklasikal), RIGHT),
                Col(_("Pendidikan"), lambda r: jp_text(r.pendidikan), RIGHT),
                Col(_("Total"), lambda r: jp_text(r.total), RIGHT),
                Col(_("Status"), lambda r: r.status_text, CENTER, background=status_colour),
            ],
            self,
        )
        self.compliance_table = make_table(self.compliance)
        self.compliance_table.setObjectName("complianceTable")
        fit(
            self.compliance_table,
            0,
            {1: self.fontMetrics().horizontalAdvance("19999999 999999 9 999") + 14, 2: 64, 3: 86, 4: 80, 5: 50, 6: 118},
        )
        split.addWidget(self.compliance_table)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([420, 740])
        box.addWidget(split, 1)
        self.only_below.toggled.connect(lambda _b: self._load_compliance())
        self.chart.unit_clicked.connect(self.drill_down)
        self.export_button.clicked.connect(self.export_file)
        self.compliance_table.doubleClicked.connect(self._open_compliance_row)
        return tab

    # long: builds the widgets top to bottom, one field or button a line
    def _plan_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        row = QHBoxLayout()
        self.plan_status = QComboBox()
        self.plan_status.addItem(_("Belum selesai"), "terbuka")
        self.plan_status.addItem(_("Selesai"), "selesai")
        self.plan_status.addItem(_("Semua"), None)
        row.addWidget(QLabel(_("Status")))
        row.addWidget(self.plan_status)
        self.plan_count = QLabel("")
        self.plan_count.setObjectName("planCount")
        self.plan_count.setToolTip(
            _(
                "Rencana dengan target pada tahun yang dipilih, ditambah rencana yang belum "
                "selesai dari tahun-tahun sebelumnya"
            )
        )
        row.addWidget(self.plan_count, 1)
        self.plan_button = QPushButton(_("Perbarui dari kesenjangan kompetensi"))
        self.plan_button.setToolTip(
            _(
                "Buat rencana untuk setiap kesenjangan kompetensi yang belum direncanakan, dan "
                "tutup yang kesenjangannya sudah teratasi"
            )
        )
        row.addWidget(self.plan_button)
        self.plan_button.setVisible(self.can_write or allows(self.ctx.principal, "button.plan_from_gaps"))
        box.addLayout(row)

        def status_colour(r):
            if r.status == "selesai":
                c = met_colour()
                c.setAlpha(40)
                return c
            if r.overdue:
                c = short_colour()
                c.setAlpha(50)
                return c
            return None

        self.plan = PagedRowsModel(
            self.ctx.runner,
            [
                Col(_("Pegawai"), lambda r: r.name, tooltip=lambda r: f"{r.name}\n{nip_text(r.nip)}"),
                Col(
                    _("Sumber"),
                    lambda r: (
                        _("Kompetensi {code}").format(code=r.competency_code)
                        if r.source == "kompetensi"
                        else _("Evaluasi kinerja")
                    ),
                ),
                Col(_("Uraian"), lambda r: r.description),
                Col(
                    _("Saran kegiatan"),
                    lambda r: ", ".join(code for code, _n in r.suggested),
                    tooltip=lambda r: "\n".join(f"{c} {n}" for c, n in r.suggested),
                ),
                Col(_("Target"), lambda r: cell_date(r.target_date)),
                Col(
                    _("Status"),
                    lambda r: (
                        _("selesai") if r.status == "selesai" else (_("lewat target") if r.overdue else _("terbuka"))
                    ),
                    CENTER,
                    background=status_colour,
                ),
                Col(_("Dipenuhi oleh"), lambda r: r.fulfilled_by or "—"),
            ],
            _fetch_plans,
            _count_plans,
            self,
        )
        self.plan_table = make_table(self.plan)
        self.plan_table.setObjectName("planTable")
        fit(
            self.plan_table,
            2,
            {0: 190, 1: 130, 3: 120, 4: self.fontMetrics().horizontalAdvance("28-11-2026") + 16, 5: 90, 6: 180},
        )
        box.addWidget(self.plan_table, 1)
        self.plan_status.currentIndexChanged.connect(lambda _i: self._load_plan())
        self.plan_button.clicked.connect(self.plan_from_gaps)
        connect_count(self.plan, self._show_plan_count)
        return tab

    # -- loading -----------------------------------------------------------------------
    def activated(self) -> None:
        if not self._started:
            self._started = True
            self.refresh()

    def refresh(self) -> None:
        self._loaded.clear()
        self._apply_record_filter()
        self._load_current()

    def _load_current(self) -> None:
        i = self.tabs.currentIndex()
        if i in self._loaded:
            return
        self._loaded.add(i)
        if i == 1:
            self._load_compliance()
        elif i == 2:
            self._load_plan()

    def _record_filter(self):

        return RecordFilter(
            year=self.year.value(),
            unit_id=self.unit.unit_id,
            text=self.search.text().strip(),
            category=self.category.currentData(),
        )

    def _apply_record_filter(self) -> None:
        self.records.set_filter(self._record_filter())

    def _records_counted(self) -> None:
        total = self.records.total
        if total is None:
            self.records_count.setText(_("{n}+ catatan").format(n=number_text(len(self.records.rows))))
        else:
            self.records_count.setText(_("{n} catatan").format(n=number_text(total)))

    def _load_compliance(self) -> None:

        principal, year, unit_id = self.ctx.principal, self.year.value(), self.unit.unit_id
        only_below = self.only_below.isChecked()

        def work(session):
            return (
                jc.compliance_rows(session, principal, year, unit_id=unit_id, only_below=only_below),
                jc.unit_summary(session, principal, year, parent_unit_id=unit_id),
                jc.mix(session, principal, year, unit_id=unit_id),
                jc.jp_alert(session, principal, year) if unit_id is None else None,
            )

        self.compliance_loading = True
        self.ctx.runner.submit(work, self._show_compliance, key=f"compliance-{id(self)}", owner=self)

    def _show_compliance(self, result) -> None:
        rows, units, mix, alert = result
        self.compliance_loading = False
        self.compliance.set_rows(rows)
        self.chart.set_units(units)
        self.mix.set_mix(mix)
        pns = sum(u.pns for u in units)
        met = sum(u.pns_meeting for u in units)
        text = _("{met} dari {pns} PNS sudah memenuhi paling sedikit 20 JP pada tahun {year}; {below} belum.").format(
            met=met, pns=pns, year=self.year.value(), below=pns - met
        )
        if alert is not None and alert.days_left:
            text += " " + alert.text
        self.summary.setText(text)

    def _load_plan(self) -> None:

        flt = PlanFilter(unit_id=self.unit.unit_id, status=self.plan_status.currentData(), year=self.year.value())
        self.plan.set_query((self.ctx.principal, flt))

    def _plans_changed(self) -> None:
        self._loaded.discard(2)
        if self.tabs.currentIndex() == 2:
            self._load_current()

    @property
    def plan_loading(self) -> bool:
        return self.plan.busy

    def _show_plan_count(self) -> None:
        self.plan_count.setText(count_text(self.plan, _("{n} rencana")))

    # -- actions -------------------------------------------------------------------------
    def selected_record(self):
        rows = self.records_table.selectionModel().selectedRows() if self.records_table.selectionModel() else []
        return self.records.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        has = self.selected_record() is not None
        self.open_button.setEnabled(has)
        self.delete_button.setEnabled(has and self.can_write)

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def new_item(self) -> None:
        if not self.can_write:
            return

        dialog = TrainingRecordDialog(self.ctx, parent=self)
        if dialog.exec() and dialog.saved:
            announce_saved(self, _("Catatan pelatihan tersimpan."))
            self.refresh()

    def group_entry(self) -> None:

        dialog = GroupEntryDialog(self.ctx, parent=self)
        if dialog.exec() and dialog.saved_count:
            announce_saved(
                self, _("Catatan pelatihan {n} peserta tersimpan.").format(n=number_text(dialog.saved_count))
            )
            self.refresh()

    def open_selected(self) -> None:
        row = self.selected_record()
        if row is None:
            return

        dialog = TrainingRecordDialog(self.ctx, row.id, read_only=not self.can_write, parent=self)
        if dialog.exec() and dialog.saved:
            announce_saved(self, _("Catatan pelatihan tersimpan."))
            self.refresh()

    def delete_selected(self) -> None:
        row = self.selected_record()
        if row is None or not self.can_write:
            return

        answer = QMessageBox.question(
            self,
            _("Hapus catatan pelatihan"),
            _('Hapus catatan "{title}" milik {name}? JP-nya tidak lagi dihitung.').format(
                title=row.title, name=row.name
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        principal = self.ctx.principal
        self.ctx.write(
            lambda s: delete_record(s, principal, row.id, expected_hlc=row.updated_hlc),
            lambda _r: announce_saved(self, _("Catatan pelatihan dihapus.")),
            changes={"training"},
            owner=self,
        )

    def _open_compliance_row(self, index) -> None:
        row = self.compliance.row(index.row())
        self.search.setText(row.nip)
        self.tabs.setCurrentIndex(0)

    def drill_down(self, unit_id: str) -> None:
        if unit_id == self.unit.unit_id:
            return
        node = _find(self._units(), unit_id)
        if node is not None:
            self.unit.set_unit(unit_id, unit_label(node))
            self.refresh()

    def go_up(self) -> None:
        if not self.unit.unit_id:
            return
        node = _find(self._units(), self.unit.unit_id)
        parent = _find(self._units(), node.parent_id) if node is not None and node.parent_id else None
        if parent is None:
            self.unit.set_unit(None)
        else:
            self.unit.set_unit(parent.id, unit_label(parent))
        self.refresh()

    def export_file(self) -> None:
        """The year's JP of every active employee of the chosen unit (or all units) the person may see."""

        year = self.year.value()
        principal, unit_id = self.ctx.principal, self.unit.unit_id
        where = self.unit.text() if unit_id else _("semua unit")
        scope = _("Yang diekspor: JP tahun {year} setiap pegawai aktif di {unit} yang dapat Anda lihat.").format(
            year=year, unit=where
        )

        def ask(folder) -> None:
            answer = ask_export(self, _("Ekspor JP pegawai"), scope, folder, f"jp-{year}")
            if answer is None:
                return
            path, option = answer

            def job(db):
                session = db.session()
                try:
                    return (
                        yield from export_training(
                            session, principal, path, year, unit_id=unit_id, delimiter=option.delimiter
                        )
                    )
                finally:
                    session.close()

            dialog = run_job(
                self.ctx.runner,
                job,
                title=_("Ekspor JP pegawai"),
                text=_("Menyiapkan {name}…").format(name=path.name),
                parent=self,
            )
            if dialog.error is not None:
                handle_exception(type(dialog.error), dialog.error, dialog.error.__traceback__, self)
            elif dialog.result is not None:
                tell_exported(
                    self,
                    _("JP {n} pegawai tahun {year} disimpan ke {path}.").format(n=dialog.result, year=year, path=path),
                    path,
                )

        self.ctx.query(get_export_folder, ask, owner=self)

    def plan_from_gaps(self) -> None:

        principal, unit_id = self.ctx.principal, self.unit.unit_id

        def failed(exc: BaseException) -> None:

            self.plan_button.setEnabled(True)
            handle_exception(type(exc), exc, exc.__traceback__, parent=self)

        def done(result) -> None:
            self.plan_button.setEnabled(True)
            QMessageBox.information(
                self,
                _("Rencana pengembangan"),
                _(
                    "{created} rencana baru dibuat ({fulfilled} langsung terpenuhi oleh pelatihan yang sudah ada); "
                    "{closed} rencana ditutup karena kesenjangannya sudah teratasi."
                ).format(
                    created=number_text(len(result.created)),
                    fulfilled=number_text(len(result.fulfilled)),
                    closed=number_text(len(result.closed)),
                ),
            )

        self.plan_button.setEnabled(False)
        self.ctx.write(
            lambda s: plan_unit(s, principal, unit_id), done, changes={"development_plans"}, on_error=failed, owner=self
        )


def _fetch_plans(session, query, offset: int, limit: int) -> list:

    principal, flt = query
    return plan_rows(session, principal, flt, offset=offset, limit=limit)


def _count_plans(session, query) -> int:

    principal, flt = query
    return count_plans(session, principal, flt)


def _find(nodes, unit_id):
    for node in nodes:
        if node.id == unit_id:
            return node
        found = _find(node.children, unit_id)
        if found is not None:
            return found
    return None
