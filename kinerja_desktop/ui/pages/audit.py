"""Jejak Audit: who did what and when, filterable, paged like the roster (administrators)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QWidget,
)

from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.audit import words
from kinerja_desktop.services.audit.chain import verify_chain
from kinerja_desktop.services.audit.query import (
    AuditFilter,
    action_label,
    audit_actions,
    audit_actors,
    audit_tables,
    count_audit,
    list_audit,
    local_time,
)
from kinerja_desktop.services.audit.words import actor_label
from kinerja_desktop.services.audit.words import table_label as table_words
from kinerja_desktop.ui.paged_model import PagedTableModel
from kinerja_desktop.ui.pages.base import Page
from kinerja_desktop.ui.widgets import Debounce


def table_label(table: str) -> str:

    return table_words(table)


@dataclass(frozen=True)
class AuditRow:
    seq: int
    when: str
    actor: str
    action: str
    table: str
    row_id: str
    summary: str
    details: tuple[str, ...]  # one line per field, in words
    before: object
    after: object


def _to_rows(session, entries) -> list[AuditRow]:
    """A page of entries in words (ids of people, units and positions by their names)."""

    names = words.names_for(session, [image for e in entries for image in (e.before, e.after)])
    rows = []
    for e in entries:
        changes = words.changes(e.before, e.after, names)
        rows.append(
            AuditRow(
                e.seq,
                local_time(e).strftime("%d-%m-%Y %H:%M:%S"),
                words.actor_label(e.actor),
                action_label(e.action),
                words.table_label(e.table_name),
                e.row_id,
                words.summary(changes),
                tuple(words.detail_lines(changes)),
                e.before,
                e.after,
            )
        )
    return rows


COLUMNS = (N_("No."), N_("Waktu"), N_("Pengguna"), N_("Tindakan"), N_("Data"), N_("Perubahan"))


class AuditModel(PagedTableModel):
    def __init__(self, runner, principal, parent=None) -> None:
        super().__init__(runner, parent)

        self.principal = principal
        self.filter = AuditFilter()

    def set_filter(self, flt) -> None:
        self.filter = flt
        self.reload()

    def query(self):
        return self.principal, self.filter

    def count_rows(self, session, query) -> int:

        return count_audit(session, *query)

    def fetch_rows(self, session, query, offset: int, limit: int) -> list:

        return _to_rows(session, list_audit(session, *query, offset=offset, limit=limit))

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row: AuditRow = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (row.seq, row.when, row.actor, row.action, row.table, row.summary)
            value = values[index.column()]
            if role == Qt.ItemDataRole.ToolTipRole:
                return str(value) if index.column() == 5 and value else None
            return value
        return None


def _pretty(value) -> str:
    if value is None:
        return "—"
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)


class AuditPage(Page):
    has_search = True

    def __init__(self, ctx, parent: QWidget | None = None) -> None:  # noqa: PLR0915 (long: builds the widgets top to bottom, one field or button a line)
        super().__init__(ctx, parent)
        layout = self.page_layout(_("Jejak Audit"))
        self.count_label = QLabel("")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        heading_row = QHBoxLayout()
        layout.removeWidget(self.heading)
        heading_row.addWidget(self.heading)
        heading_row.addStretch(1)
        heading_row.addWidget(self.count_label)
        layout.insertLayout(0, heading_row)

        filters = QHBoxLayout()
        self.text = QLineEdit()
        self.text.setObjectName("auditSearch")
        self.text.setPlaceholderText(_("Cari isi perubahan atau id data… (Ctrl+F)"))
        self.text.setClearButtonEnabled(True)
        self.actor = QComboBox()
        self.action = QComboBox()
        self.table_filter = QComboBox()
        self.use_dates = QCheckBox(_("Tanggal"))
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd-MM-yyyy")
            edit.setDate(QDate.currentDate())
            edit.setEnabled(False)
        self.date_from.setDate(QDate.currentDate().addDays(-30))
        filters.addWidget(self.text, 3)
        filters.addWidget(self.actor, 1)
        filters.addWidget(self.action, 1)
        filters.addWidget(self.table_filter, 1)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("–"))
        filters.addWidget(self.date_to)
        layout.addLayout(filters)

        self.model = AuditModel(ctx.runner, ctx.principal, self)
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        for col, width in enumerate((60, 150, 120, 190, 150)):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText(_("Pilih satu baris untuk melihat data sebelum dan sesudah."))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        verify_row = QHBoxLayout()
        self.verify_button = QPushButton(_("Periksa keutuhan jejak audit"))
        self.verify_result = QLabel("")
        self.verify_result.setWordWrap(True)
        verify_row.addWidget(self.verify_button)
        verify_row.addWidget(self.verify_result, 1)
        layout.addLayout(verify_row)

        self.debounce = Debounce(self.apply_filters, 250, self)
        self.text.textChanged.connect(lambda _t: self.debounce.trigger())
        for combo in (self.actor, self.action, self.table_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.use_dates.toggled.connect(self._dates_toggled)
        self.date_from.dateChanged.connect(lambda _d: self.apply_filters())
        self.date_to.dateChanged.connect(lambda _d: self.apply_filters())
        self.model.loaded.connect(self._update_count)
        self.model.counted.connect(self._update_count)
        self.model.appended.connect(lambda _n: self._update_count())
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_detail(cur.row()))
        self.verify_button.clicked.connect(self.verify)
        self._started = False

    def activated(self) -> None:
        if not self._started:
            self._started = True
            self._load_choices()
            self.apply_filters()

    def _load_choices(self) -> None:

        principal = self.ctx.principal

        def work(session):
            return (
                audit_actors(session, principal),
                audit_actions(session, principal),
                audit_tables(session, principal),
            )

        def fill(result) -> None:
            actors, actions, tables = result
            for combo, everything, values, label in (
                (self.actor, _("Semua pengguna"), actors, actor_label),
                (self.action, _("Semua tindakan"), actions, action_label),
                (self.table_filter, _("Semua data"), tables, table_label),
            ):
                current = combo.currentData()
                combo.blockSignals(True)
                combo.clear()
                combo.addItem(everything, None)
                for value in values:
                    combo.addItem(label(value), value)
                combo.setCurrentIndex(max(0, combo.findData(current)))
                combo.blockSignals(False)

        self.ctx.runner.submit(work, fill, owner=self)

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.apply_filters()

    def current_filter(self):

        date_from = date_to = None
        if self.use_dates.isChecked():
            date_from = _to_date(self.date_from.date())
            date_to = _to_date(self.date_to.date())
        return AuditFilter(
            actor=self.actor.currentData(),
            action=self.action.currentData(),
            table=self.table_filter.currentData(),
            text=self.text.text().strip() or None,
            date_from=date_from,
            date_to=date_to,
        )

    def apply_filters(self) -> None:
        self.detail.clear()
        self.model.set_filter(self.current_filter())

    def _update_count(self) -> None:
        total, shown = self.model.total, len(self.model.rows)
        if total is None:
            self.count_label.setText(_("{shown}+ entri (menghitung…)").format(shown=number_text(shown)))
        elif shown >= total:
            self.count_label.setText(_("{total} entri").format(total=number_text(total)))
        else:
            self.count_label.setText(
                _("{total} entri (dimuat {shown})").format(total=number_text(total), shown=number_text(shown))
            )

    def _show_detail(self, row: int) -> None:
        if row < 0 or row >= len(self.model.rows):
            self.detail.clear()
            return
        r: AuditRow = self.model.rows[row]
        lines = [
            _("Entri {seq} · {when} · {actor} · {action} · {table} {row_id}").format(
                seq=r.seq, when=r.when, actor=r.actor, action=r.action, table=r.table, row_id=r.row_id
            ),
            "",
            *(r.details or (_("(tanpa rincian)"),)),
            "",
            _("Data tersimpan, apa adanya:"),
            _("Sebelum:"),
            _pretty(r.before),
            _("Sesudah:"),
            _pretty(r.after),
        ]
        self.detail.setPlainText("\n".join(lines))

    def verify(self) -> None:

        def show(report) -> None:
            if report.ok:
                self.verify_result.setText(
                    _("Jejak audit utuh: {n} entri diperiksa.").format(n=number_text(report.checked))
                )
            else:
                reasons = {
                    "missing": _("entri hilang (dihapus)"),
                    "link": _("rantai hash terputus"),
                    "content": _("isi entri diubah"),
                }
                self.verify_result.setText(
                    _("Jejak audit rusak pada entri nomor {seq}: {reason}. {n} entri sebelumnya utuh.").format(
                        seq=report.first_broken_seq, reason=reasons.get(report.reason, report.reason), n=report.checked
                    )
                )

        self.verify_result.setText(_("Memeriksa…"))
        self.ctx.runner.submit(verify_chain, show, owner=self)

    def refresh(self) -> None:
        self._load_choices()
        self.model.reload()

    def focus_search(self) -> None:
        self.text.setFocus()
        self.text.selectAll()


def _to_date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())
