"""The Kompetensi page: profiles, the standard per position, the gap heat map, suggestions.

- *Profil pegawai*: pick an employee; their competencies against the position's
  standard (gap coloured), the ratings so far, and their development plan; admin
  kepegawaian records assessments, a pejabat penilai the rating after coaching.
- *Standar jabatan*: positions x competencies, the required level (1-5) per cell,
  edited in place by admin kepegawaian and saved together.
- *Peta kesenjangan*: the employees of a unit x competencies, each cell the gap
  (required - assessed), coloured from green (none) to red (two levels or more).
- *Saran kegiatan*: which activity types a gap in each competency suggests.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.positions import PositionKind
from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, SUPERVISOR_ROLES
from kinerja_desktop.services.roster.query import search_employees
from kinerja_desktop.services.training.catalog import list_types
from kinerja_desktop.services.training.competency import (
    count_requirement_positions,
    delete_assessment,
    list_assessments,
    list_competencies,
    profile,
    requirement_table,
    set_requirements,
    unit_gaps,
)
from kinerja_desktop.services.training.development_competency import plan_rows, set_suggestions, suggestion_table
from kinerja_desktop.ui.dialogs.competency_form import open_assessment
from kinerja_desktop.ui.paged_rows import MorePages, list_count_text
from kinerja_desktop.ui.pages.base import Page
from kinerja_desktop.ui.pages.pelatihan.page import fit, make_table
from kinerja_desktop.ui.pickers import EmployeePicker, UnitPicker
from kinerja_desktop.ui.saved import announce_saved
from kinerja_desktop.ui.theme import is_dark
from kinerja_desktop.ui.training_tables import CENTER, Col, RowsModel, cell_date, date_text
from kinerja_desktop.ui.unit_source import UnitSource
from kinerja_desktop.ui.widgets import Throttle

#: Rows read per page by the standard table and the heat map (more load as you scroll).
PAGE = 300


def gap_colour(gap: int | None) -> QColor | None:
    """None: no colour; <= 0 green; 1 amber; >= 2 red (lighter on dark palettes)."""
    if gap is None:
        return None
    dark = is_dark()
    if gap <= 0:
        return QColor("#1e4620") if dark else QColor("#d7f0d9")
    if gap == 1:
        return QColor("#5a4300") if dark else QColor("#ffe9b0")
    return QColor("#6b1d1d") if dark else QColor("#f8c4c0")


def _gap_text(gap: int | None) -> str:
    if gap is None:
        return ""
    return f"+{gap}" if gap > 0 else str(gap)


class GapModel(MorePages, RowsModel):
    """The heat map's rows, a page at a time (the columns come with the first page)."""

    def __init__(self, columns, parent=None) -> None:
        super().__init__(columns, parent)
        self.init_pages()

    def start(self, rows, total: int, load_more) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.new_list(total, load_more)
        self.endResetModel()


QTableSelect = QAbstractItemView.SelectionBehavior
QTableEdit = QAbstractItemView.EditTrigger
KIND_TEXT = {"asesmen": "Asesmen", "bimbingan_kinerja": "Bimbingan kinerja"}


class RequirementModel(MorePages, QAbstractTableModel):
    """Positions x competencies; cells hold the required level, editable when allowed.
    A page of positions at a time: the next loads when the table is scrolled to its end."""

    def __init__(self, editable: bool, parent=None) -> None:
        super().__init__(parent)
        self.init_pages()
        self.editable = editable
        self.rows: list = []
        self.codes: list[str] = []
        self.names: dict[str, str] = {}
        self.changes: dict[str, dict[str, int | None]] = {}  # position id -> code -> level

    def load(self, rows, competencies, total: int | None = None, load_more=None) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.codes = [c.code for c in competencies]
        self.names = {c.code: c.name for c in competencies}
        self.changes = {}
        self.new_list(len(self.rows) if total is None else total, load_more)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 2 + len(self.codes)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return _("Jabatan")
            if section == 1:
                return _("Pemangku")
            return self.codes[section - 2]
        if role == Qt.ItemDataRole.ToolTipRole and section >= 2:
            code = self.codes[section - 2]
            return f"{code} {self.names.get(code, '')}"
        return None

    def level(self, row: int, code: str) -> int | None:
        pos = self.rows[row]
        changed = self.changes.get(pos.position_id, {})
        return changed[code] if code in changed else pos.levels.get(code)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        pos = self.rows[index.row()]
        col = index.column()
        if col == 0:
            return pos.position_name if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) else None
        if col == 1:
            if role == Qt.ItemDataRole.DisplayRole:
                return str(pos.holders)
            return int(Qt.AlignmentFlag.AlignCenter) if role == Qt.ItemDataRole.TextAlignmentRole else None
        code = self.codes[col - 2]
        value = self.level(index.row(), code)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole and code in self.changes.get(pos.position_id, {}):
            return QColor("#5a4300") if is_dark() else QColor("#fff3c4")
        return None

    def flags(self, index: QModelIndex):
        base = super().flags(index)
        if self.editable and index.column() >= 2:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or index.column() < 2:
            return False
        text = str(value or "").strip()
        if text and (not text.isdigit() or not 1 <= int(text) <= 5):
            return False  # the cell keeps its value: only 1-5 or empty
        pos = self.rows[index.row()]
        code = self.codes[index.column() - 2]
        level = int(text) if text else None
        if level == pos.levels.get(code):
            self.changes.get(pos.position_id, {}).pop(code, None)
        else:
            self.changes.setdefault(pos.position_id, {})[code] = level
        self.dataChanged.emit(index, index)
        return True

    def pending(self) -> dict[str, dict[str, int | None]]:
        return {pid: levels for pid, levels in self.changes.items() if levels}


class KompetensiPage(Page):
    has_search = True

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        p = ctx.principal
        self.is_hr = p.is_system or p.role == ADMIN_KEPEGAWAIAN
        self.can_rate = self.is_hr or p.role in SUPERVISOR_ROLES
        layout = self.page_layout(_("Kompetensi"))
        layout.setSpacing(8)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._profile_tab(), _("Profil pegawai"))
        self.tabs.addTab(self._standard_tab(), _("Standar jabatan"))
        self.tabs.addTab(self._gap_tab(), _("Peta kesenjangan"))
        self.tabs.addTab(self._suggestion_tab(), _("Saran kegiatan"))
        layout.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(lambda _i: self._load_current())
        self._loaded: set[int] = set()
        self.refresh_on("competency")
        self.employee_id: str | None = None

    # -- profile -----------------------------------------------------------------------
    # long: builds the widgets top to bottom, one field or button a line
    def _profile_tab(self) -> QWidget:

        tab = QWidget()
        box = QVBoxLayout(tab)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Pegawai")))
        principal = self.ctx.principal
        self.picker = EmployeePicker(self.ctx.runner, lambda s, text: search_employees(s, principal, text))
        self.picker.setMinimumWidth(380)
        row.addWidget(self.picker, 2)
        self.rate_button = QPushButton(_("Tambah penilaian…"))
        self.rate_button.setVisible(self.can_rate)
        self.rate_button.setEnabled(False)
        self.withdraw_button = QPushButton(_("Tarik penilaian"))
        self.withdraw_button.setToolTip(_("Hapus penilaian yang salah dicatat (pilih di riwayat)"))
        self.withdraw_button.setVisible(self.can_rate)
        self.withdraw_button.setEnabled(False)
        row.addWidget(self.rate_button)
        row.addWidget(self.withdraw_button)
        row.addStretch(1)
        box.addLayout(row)
        self.profile_label = QLabel(_("Ketik nama atau NIP, lalu pilih pegawai dari daftar."))
        self.profile_label.setWordWrap(True)
        box.addWidget(self.profile_label)

        self.profile_model = RowsModel(
            [
                Col(_("Kompetensi"), lambda r: f"{r.code} {r.name}"),
                Col(_("Standar"), lambda r: str(r.required) if r.required else "—", CENTER),
                Col(_("Level"), lambda r: str(r.assessed) if r.assessed else "—", CENTER),
                Col(_("Kesenjangan"), lambda r: _gap_text(r.gap), CENTER, background=lambda r: gap_colour(r.gap)),
                Col(_("Dinilai"), lambda r: cell_date(r.assessed_on)),
            ],
            self,
        )
        self.history_model = RowsModel(
            [
                Col(_("Tanggal"), lambda a: cell_date(a.assessed_on)),
                Col(_("Kompetensi"), lambda a: a.competency_code, tooltip=lambda a: a.competency_name),
                Col(_("Level"), lambda a: str(a.level), CENTER),
                Col(_("Jenis"), lambda a: _(KIND_TEXT.get(a.kind, a.kind))),
                Col(_("Penilai"), lambda a: a.assessor),
                Col(_("Alasan"), lambda a: a.reason),
            ],
            self,
        )
        self.employee_plan = RowsModel(
            [
                Col(_("Rencana"), lambda r: r.description),
                Col(_("Saran"), lambda r: ", ".join(c for c, _n in r.suggested)),
                Col(_("Target"), lambda r: cell_date(r.target_date)),
                Col(
                    _("Status"),
                    lambda r: (
                        _("selesai: {title}").format(title=r.fulfilled_by)
                        if r.fulfilled_by
                        else (_("selesai") if r.status == "selesai" else _("terbuka"))
                    ),
                ),
            ],
            self,
        )
        top = QSplitter(Qt.Orientation.Horizontal)
        self.profile_table = make_table(self.profile_model)
        self.profile_table.setObjectName("profileTable")
        fit(self.profile_table, 0, {1: 64, 2: 52, 3: 96, 4: 128})
        self.plan_table = make_table(self.employee_plan)
        fit(self.plan_table, 0, {1: 96, 2: 118, 3: 130})
        top.addWidget(self.profile_table)
        top.addWidget(self.plan_table)
        top.setSizes([560, 580])
        self.history_table = make_table(self.history_model)
        fit(self.history_table, 5, {0: 128, 1: 76, 2: 48, 3: 124, 4: 280})
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.history_table)
        split.setSizes([270, 300])
        box.addWidget(split, 1)
        self.picker.changed.connect(self.show_employee)
        self.picker.completer_.activated.connect(lambda _t: self.show_employee(self.picker.employee_id))
        self.rate_button.clicked.connect(self.rate)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.history_table.selectionModel().selectionChanged.connect(
            lambda *_a: self.withdraw_button.setEnabled(bool(self.history_table.selectionModel().selectedRows()))
        )
        return tab

    def show_employee(self, employee_id: str | None) -> None:
        self.employee_id = employee_id
        self.rate_button.setEnabled(bool(employee_id))
        if not employee_id:
            return

        principal = self.ctx.principal

        def work(session):
            return (
                profile(session, principal, employee_id),
                list_assessments(session, principal, employee_id),
                plan_rows(session, principal, employee_id=employee_id),
            )

        self.profile_loading = True
        self.ctx.runner.submit(work, self._show_profile, key=f"profile-{id(self)}", owner=self)

    def _show_profile(self, result) -> None:
        prof, history, plan = result
        self.profile_loading = False
        self.profile_model.set_rows(prof.rows)
        self.history_model.set_rows(history)
        self.employee_plan.set_rows(plan)
        gaps = len(prof.gaps)
        self.profile_label.setText(
            _("{name} — {position}, {unit}. {gaps}").format(
                name=prof.name,
                position=prof.position_name or _("(jabatan belum diisi)"),
                unit=prof.unit_name,
                gaps=_("{n} kompetensi di bawah standar jabatan.").format(n=gaps)
                if gaps
                else _("Tidak ada kesenjangan yang tercatat."),
            )
        )

    def rate(self) -> None:
        if not self.employee_id:
            return

        employee_id = self.employee_id

        def saved(_count: int) -> None:
            announce_saved(self, _("Penilaian kompetensi tersimpan."))
            self.show_employee(employee_id)

        open_assessment(self.ctx, employee_id, self, saved)

    def withdraw(self) -> None:
        rows = self.history_table.selectionModel().selectedRows()
        if not rows:
            return
        a = self.history_model.row(rows[0].row())

        answer = QMessageBox.question(
            self,
            _("Tarik penilaian"),
            _("Tarik penilaian {code} level {level} tanggal {on}?").format(
                code=a.competency_code, level=a.level, on=date_text(a.assessed_on)
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        principal = self.ctx.principal
        self.ctx.write(
            lambda s: delete_assessment(s, principal, a.id),
            lambda _r: self.show_employee(self.employee_id),
            changes={"competency"},
            owner=self,
        )

    # -- standard per position -----------------------------------------------------------
    def _standard_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        row = QHBoxLayout()
        self.position_search = QLineEdit()
        self.position_search.setPlaceholderText(_("Cari nama jabatan…"))
        self.position_search.setClearButtonEnabled(True)
        row.addWidget(self.position_search, 2)
        self.position_kind = QComboBox()
        self.position_kind.addItem(_("Semua jenis jabatan"), None)

        for kind in PositionKind:
            self.position_kind.addItem(kind.label, kind.value)
        row.addWidget(self.position_kind, 1)
        self.standard_count = QLabel("")
        self.standard_count.setObjectName("standardCount")
        row.addWidget(self.standard_count)
        self.save_standard = QPushButton(_("Simpan perubahan"))
        self.save_standard.setVisible(self.is_hr)
        self.save_standard.setEnabled(False)
        row.addWidget(self.save_standard)
        box.addLayout(row)
        hint = QLabel(
            _(
                "Isi level 1-5 yang dipersyaratkan jabatan untuk setiap kompetensi (kosongkan bila tidak "
                "dipersyaratkan). Arahkan tetikus ke kode untuk melihat nama kompetensinya."
            )
            if self.is_hr
            else _("Level kompetensi yang dipersyaratkan setiap jabatan.")
        )
        hint.setWordWrap(True)
        box.addWidget(hint)
        self.requirements = RequirementModel(self.is_hr, self)
        self.standard_table = make_table(self.requirements)
        self.standard_table.setObjectName("standardTable")
        self.standard_table.setSelectionBehavior(QTableSelect.SelectItems)
        if self.is_hr:
            self.standard_table.setEditTriggers(
                QTableEdit.DoubleClicked | QTableEdit.EditKeyPressed | QTableEdit.AnyKeyPressed
            )
        box.addWidget(self.standard_table, 1)
        self.position_throttle = Throttle(self._load_standard, 200, self)
        self.position_search.textChanged.connect(lambda _t: self.position_throttle.trigger())
        self.position_kind.currentIndexChanged.connect(lambda _i: self._load_standard())
        self.requirements.dataChanged.connect(
            lambda *_a: self.save_standard.setEnabled(bool(self.requirements.pending()))
        )
        self.save_standard.clicked.connect(self.save_requirements)
        return tab

    def _load_standard(self) -> None:

        text, kind = self.position_search.text(), self.position_kind.currentData()
        self.standard_loading = True

        def work(s):
            return (
                requirement_table(s, text=text, kind=kind, limit=PAGE),
                list_competencies(s),
                count_requirement_positions(s, text=text, kind=kind),
                text,
                kind,
            )

        self.ctx.query(work, self._show_standard, key=f"standard-{id(self)}", owner=self)

    def _more_positions(self, text: str, kind: str | None):
        def load(offset: int, done) -> None:

            def shown(rows) -> None:
                done(rows)
                self._show_standard_count()

            self.ctx.query(
                lambda s: requirement_table(s, text=text, kind=kind, offset=offset, limit=PAGE), shown, owner=self
            )

        return load

    def _show_standard_count(self) -> None:
        self.standard_count.setText(
            list_count_text(len(self.requirements.rows), self.requirements.total, _("{n} jabatan"))
        )

    def _show_standard(self, result) -> None:
        rows, comps, total, text, kind = result
        self.standard_loading = False
        self.requirements.load(rows, comps, total, self._more_positions(text, kind))
        self._show_standard_count()
        header = self.standard_table.horizontalHeader()
        header.setSectionResizeMode(0, header.ResizeMode.Stretch)
        for i in range(1, self.requirements.columnCount()):
            header.setSectionResizeMode(i, header.ResizeMode.Fixed)
            header.resizeSection(i, 74 if i == 1 else 52)
        self.save_standard.setEnabled(False)

    def save_requirements(self) -> None:

        pending, principal = self.requirements.pending(), self.ctx.principal

        def write(s) -> None:
            for position_id, levels in pending.items():
                set_requirements(s, principal, position_id, levels)

        self.ctx.write(write, self._requirements_saved, changes={"competency"}, owner=self)

    def _requirements_saved(self, _result=None) -> None:
        announce_saved(self, _("Standar kompetensi jabatan tersimpan."))
        self._load_standard()
        self._loaded.discard(2)

    # -- gap heat map ----------------------------------------------------------------------
    def _gap_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        row = QHBoxLayout()
        self._units = UnitSource(self.ctx, self)
        self.gap_unit = UnitPicker(self._units, all_text=_("Semua unit kerja"))
        row.addWidget(self.gap_unit, 2)
        self.only_gaps = QCheckBox(_("Hanya pegawai yang memiliki kesenjangan"))
        self.only_gaps.setChecked(True)
        row.addWidget(self.only_gaps)
        row.addStretch(1)
        self.gap_count = QLabel("")
        self.gap_count.setObjectName("gapCount")
        row.addWidget(self.gap_count)
        box.addLayout(row)
        self.gap_summary = QLabel("")
        self.gap_summary.setWordWrap(True)
        box.addWidget(self.gap_summary)
        self.gaps = GapModel([], self)
        self.gap_table = make_table(self.gaps)
        self.gap_table.setObjectName("gapTable")
        box.addWidget(self.gap_table, 1)
        legend = QLabel(
            _(
                "Angka = standar jabatan − level terakhir: +1 kurang satu level (kuning), +2 atau lebih "
                "(merah), 0 atau kurang berarti memenuhi (hijau); kosong = belum dinilai atau tidak "
                "dipersyaratkan."
            )
        )
        legend.setWordWrap(True)
        box.addWidget(legend)
        self.gap_unit.changed.connect(lambda _u: self._load_gaps())
        self.only_gaps.toggled.connect(lambda _b: self._load_gaps())
        return tab

    def _load_gaps(self) -> None:

        principal, unit_id, only = self.ctx.principal, self.gap_unit.unit_id, self.only_gaps.isChecked()
        self.gaps_loading = True

        def more(offset: int, done) -> None:
            def shown(matrix) -> None:
                done(list(matrix.rows))
                self._show_gap_count()

            self.ctx.query(
                lambda s: unit_gaps(s, principal, unit_id, only_gaps=only, offset=offset, limit=PAGE), shown, owner=self
            )

        self._more_gaps = more
        self.ctx.query(
            lambda s: unit_gaps(s, principal, unit_id, only_gaps=only, limit=PAGE),
            self._show_gaps,
            key=f"gaps-{id(self)}",
            owner=self,
        )

    def _show_gap_count(self) -> None:
        self.gap_count.setText(list_count_text(len(self.gaps.rows), self.gaps.total, _("{n} pegawai")))

    def _show_gaps(self, matrix) -> None:
        self.gaps_loading = False
        cols = [Col(_("Nama pegawai"), lambda r: r.name), Col(_("Jabatan"), lambda r: r.position_name)]
        for c in matrix.competencies:
            cols.append(
                Col(
                    c.code,
                    (lambda code: lambda r: _gap_text(r.gaps.get(code)))(c.code),
                    CENTER,
                    background=(lambda code: lambda r: gap_colour(r.gaps.get(code)))(c.code),
                    tooltip=(
                        lambda c: (
                            lambda r: _("{competency}: standar {req}, level {got}").format(
                                competency=c.label,  # noqa: B023 (c is the lambda's own)
                                req=r.required.get(c.code, "—"),  # noqa: B023 (c is the lambda's own)
                                got=r.assessed.get(c.code, "—"),  # noqa: B023 (c is the lambda's own)
                            )
                        )
                    )(c),
                )
            )
        self.gaps.set_columns(cols)
        self.gaps.start(matrix.rows, matrix.matching, self._more_gaps)
        self._show_gap_count()
        header = self.gap_table.horizontalHeader()
        header.setSectionResizeMode(0, header.ResizeMode.Interactive)
        header.resizeSection(0, 220)
        header.setSectionResizeMode(1, header.ResizeMode.Stretch)
        for i in range(2, len(cols)):
            header.setSectionResizeMode(i, header.ResizeMode.Fixed)
            header.resizeSection(i, 52)
        worst = sorted((s for s in matrix.summary if s.with_gap), key=lambda s: -s.with_gap)[:4]
        names = {c.code: c.name for c in matrix.competencies}
        parts = [
            _("{code} {name}: {n} dari {m}").format(code=s.code, name=names.get(s.code, ""), n=s.with_gap, m=s.assessed)
            for s in worst
        ]
        parts_text = "; ".join(parts) if parts else _("tidak ada")
        if self.only_gaps.isChecked():
            self.gap_summary.setText(
                _("{matching} dari {total} pegawai memiliki kesenjangan. Kesenjangan terbanyak: {parts}.").format(
                    matching=number_text(matrix.matching), total=number_text(matrix.total), parts=parts_text
                )
            )
        else:
            self.gap_summary.setText(
                _("{total} pegawai. Kesenjangan terbanyak: {parts}.").format(
                    total=number_text(matrix.total), parts=parts_text
                )
            )

    # -- suggestions ----------------------------------------------------------------------------
    def _suggestion_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        hint = QLabel(
            _(
                "Jenis kegiatan yang disarankan bila pegawai memiliki kesenjangan pada kompetensi tersebut. "
                "Tulis kode dipisah koma, mis. KL07, NKL01."
            )
        )
        hint.setWordWrap(True)
        box.addWidget(hint)
        self.suggestions = SuggestionModel(self.is_hr, self)
        self.suggestion_table = make_table(self.suggestions)
        self.suggestion_table.setObjectName("suggestionTable")
        self.suggestion_table.setSelectionBehavior(QTableSelect.SelectItems)
        if self.is_hr:
            self.suggestion_table.setEditTriggers(
                QTableEdit.DoubleClicked | QTableEdit.EditKeyPressed | QTableEdit.AnyKeyPressed
            )
        fit(self.suggestion_table, 2, {0: 260, 1: 200})
        box.addWidget(self.suggestion_table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.save_suggestions = QPushButton(_("Simpan saran"))
        self.save_suggestions.setVisible(self.is_hr)
        row.addWidget(self.save_suggestions)
        box.addLayout(row)
        self.save_suggestions.clicked.connect(self.store_suggestions)
        return tab

    def _load_suggestions(self) -> None:

        self.ctx.runner.submit(
            lambda s: (suggestion_table(s), {t.code: t.name for t in list_types(s)}),
            lambda r: self.suggestions.load(*r),
            key=f"suggest-{id(self)}",
            owner=self,
        )

    def store_suggestions(self) -> None:

        pending, principal = self.suggestions.pending(), self.ctx.principal

        def write(s) -> None:
            for code, codes in pending.items():
                set_suggestions(s, principal, code, codes)

        self.ctx.write(write, self._suggestions_saved, changes={"training"}, owner=self)

    def _suggestions_saved(self, _result=None) -> None:
        announce_saved(self, _("Saran kegiatan tersimpan."))
        self._load_suggestions()

    # -- page ---------------------------------------------------------------------------------
    def activated(self) -> None:
        self._load_current()

    def refresh(self) -> None:
        self._loaded.clear()
        self._load_current()
        if self.employee_id:
            self.show_employee(self.employee_id)

    def _load_current(self) -> None:
        i = self.tabs.currentIndex()
        if i in self._loaded:
            return
        self._loaded.add(i)
        {1: self._load_standard, 2: self._load_gaps, 3: self._load_suggestions}.get(i, lambda: None)()

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.picker.setFocus()
        self.picker.selectAll()


class SuggestionModel(QAbstractTableModel):
    def __init__(self, editable: bool, parent=None) -> None:
        super().__init__(parent)
        self.editable = editable
        self.rows: list[tuple[str, str, list[str]]] = []
        self.type_names: dict[str, str] = {}
        self.changes: dict[str, list[str]] = {}

    def load(self, rows, type_names) -> None:
        self.beginResetModel()
        self.rows, self.type_names, self.changes = list(rows), type_names, {}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 3

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_("Kompetensi"), _("Kode kegiatan"), _("Jenis kegiatan yang disarankan"))[section]
        return None

    def codes(self, row: int) -> list[str]:
        code = self.rows[row][0]
        return self.changes.get(code, self.rows[row][2])

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        code, name, _codes = self.rows[index.row()]
        codes = self.codes(index.row())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
            if index.column() == 0:
                return f"{code} {name}"
            if index.column() == 1:
                return ", ".join(codes)
            return "; ".join(f"{c} {self.type_names.get(c, '')}".strip() for c in codes)
        if role == Qt.ItemDataRole.BackgroundRole and code in self.changes:
            return QColor("#5a4300") if is_dark() else QColor("#fff3c4")
        return None

    def flags(self, index: QModelIndex):
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if self.editable and index.column() == 1 else base

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or index.column() != 1:
            return False
        codes = [c.strip().upper() for c in str(value or "").replace(";", ",").split(",") if c.strip()]
        self.changes[self.rows[index.row()][0]] = codes
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 2))
        return True

    def pending(self) -> dict[str, list[str]]:
        return dict(self.changes)
