"""Konflik: two versions of a row that met during a sync; HR keeps one.

The list shows the open conflicts; the lower half shows both versions side by side with
the differing fields marked. Keeping a version writes it again (a new change), so the
choice travels to the other sites with the next bundle.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.errors import UserError
from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.store.hlc import Timestamp
from kinerja_desktop.sync.conflicts import count_conflicts, list_conflicts, resolve_conflict_in
from kinerja_desktop.sync.reasons import REASON_LABELS
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.pages.base import Page

REASONS = REASON_LABELS
TABLES = {
    "employees": N_("pegawai"),
    "units": N_("unit kerja"),
    "positions": N_("jabatan"),
    "evaluations": N_("evaluasi"),
    "skp": N_("SKP"),
    "periods": N_("periode"),
}
LIST_COLUMNS = (
    N_("No."),
    N_("Data"),
    N_("Baris"),
    N_("Alasan"),
    N_("Berlaku sekarang"),
    N_("Situs ini"),
    N_("Versi masuk dari"),
    N_("Waktu"),
)
DIFF_COLUMNS = (N_("Kolom"), N_("Versi situs ini"), N_("Versi masuk"))
CHANGED = QColor("#fff3cd")


def _text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    return str(value)


def _hlc_time(hlc: str) -> str:
    """When a version was made, from its hybrid-clock value."""

    try:
        return datetime.fromtimestamp(Timestamp.parse(hlc).wall_ms / 1000).strftime("%d-%m-%Y %H:%M:%S")
    except (ValueError, OverflowError, OSError):
        return "—"


def _table(columns) -> QTableWidget:
    t = QTableWidget(0, len(columns))
    t.setHorizontalHeaderLabels([_(c) for c in columns])
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setStretchLastSection(True)
    return t


#: The oldest open conflicts the list holds at once (the count says how many there are).
SHOWN = 1000


class ConflictsPage(Page):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = self.page_layout(
            _("Konflik"),
            _(
                "Data yang diubah di dua tempat sebelum sempat bertukar. Pilih "
                "versi yang dipertahankan; pilihan Anda ikut terkirim ke situs "
                "lain."
            ),
        )
        self.conflicts: list = []
        self.count_label = QLabel("")
        self.count_label.setObjectName("conflictCount")
        self.count_label.setWordWrap(True)
        layout.addWidget(self.count_label)
        self.list = _table(LIST_COLUMNS)
        self.list.setObjectName("conflictList")
        self.list.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.diff = _table(DIFF_COLUMNS)
        self.diff.setObjectName("conflictDiff")
        self.diff.setWordWrap(True)
        header = self.diff.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(_("Pilih satu konflik untuk melihat kedua versinya."))
        self.summary.setWordWrap(True)
        self.keep_local = QPushButton(_("Pertahankan versi situs ini"))
        self.keep_local.setObjectName("keepLocal")
        self.keep_incoming = QPushButton(_("Pertahankan versi masuk"))
        self.keep_incoming.setObjectName("keepIncoming")
        self.message = QLabel("")
        self.message.setObjectName("conflictMessage")
        self.message.setWordWrap(True)
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.summary)
        ll.addWidget(self.diff, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.keep_local)
        buttons.addWidget(self.keep_incoming)
        ll.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.list.itemSelectionChanged.connect(self._selected)
        self.keep_local.clicked.connect(lambda: self.resolve("local"))
        self.keep_incoming.clicked.connect(lambda: self.resolve("incoming"))
        self._set_buttons(None)
        self.loading = False
        self.refresh()

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        def load(session):

            return list_conflicts(session, limit=SHOWN), count_conflicts(session)

        self.loading = True
        self.ctx.runner.submit(load, self._show, self._failed, key="sync-conflicts", owner=self)

    def _show(self, result) -> None:
        conflicts, total = result
        self.loading = False
        self.conflicts = conflicts
        if total > len(conflicts):
            self.count_label.setText(
                _(
                    "{shown} dari {total} konflik terbuka ditampilkan, yang terlama lebih dulu; "
                    "sisanya muncul setelah yang ini diselesaikan."
                ).format(shown=number_text(len(conflicts)), total=number_text(total))
            )
        else:
            self.count_label.setText(_("{n} konflik terbuka").format(n=number_text(total)))
        self.list.setRowCount(len(conflicts))
        for r, c in enumerate(conflicts):
            values = (
                c.id,
                _(TABLES[c.table_name]) if c.table_name in TABLES else c.table_name,
                self._row_label(c),
                _(REASONS.get(c.reason, c.reason)),
                _("versi situs ini") if c.winner == "local" else _("versi masuk"),
                c.local_site or "—",
                c.incoming_site,
                c.detected_at.strftime("%d-%m-%Y %H:%M"),
            )
            for col, v in enumerate(values):
                self.list.setItem(r, col, QTableWidgetItem(str(v)))
        if conflicts:
            self.list.selectRow(0)
        else:
            self.diff.setRowCount(0)
            self.summary.setText(_("Tidak ada konflik yang menunggu."))
            self._set_buttons(None)

    @staticmethod
    def _row_label(c) -> str:
        for image in (c.local, c.incoming):
            row = (image or {}).get("row") or {}
            for key in ("name", "nip", "code"):
                if row.get(key):
                    return str(row[key])
        return c.row_id[:8]

    def current(self):
        rows = self.list.selectionModel().selectedRows()
        return self.conflicts[rows[0].row()] if rows and rows[0].row() < len(self.conflicts) else None

    def _set_buttons(self, c) -> None:
        self.keep_local.setEnabled(c is not None)
        self.keep_incoming.setEnabled(c is not None and "incoming" in c.choices)

    def _selected(self) -> None:
        c = self.current()
        self._set_buttons(c)
        if c is None:
            return
        local = (c.local or {}).get("row") or {}
        incoming = (c.incoming or {}).get("row") or {}
        fields = list(dict.fromkeys([*local.keys(), *incoming.keys()]))
        differing = set(c.differing_fields())
        rows = [(f, local.get(f), incoming.get(f)) for f in fields]
        rows.append((_("dihapus"), (c.local or {}).get("deleted"), (c.incoming or {}).get("deleted")))
        rows.sort(key=lambda r: (r[0] not in differing and r[0] != _("dihapus"), 0))
        self.diff.setRowCount(len(rows))
        bold = QFont(self.diff.font())
        bold.setBold(True)
        for r, (field, a, b) in enumerate(rows):
            changed = field in differing or (field == _("dihapus") and "deleted" in differing)
            for col, v in enumerate((field, _text(a) if c.local else "—", _text(b))):
                item = QTableWidgetItem(v)
                if changed:
                    item.setBackground(QBrush(CHANGED))
                    item.setFont(bold)
                self.diff.setItem(r, col, item)
        self.diff.resizeRowsToContents()
        winner = _("versi situs ini") if c.winner == "local" else _("versi masuk")
        self.summary.setText(
            _(
                "{reason}. Yang berlaku sekarang: {winner}. Situs ini: {lsite} ({lhlc}); versi masuk: {isite} ({ihlc})."
            ).format(
                reason=_(REASONS.get(c.reason, c.reason)).capitalize(),
                winner=winner,
                lsite=c.local_site or "—",
                lhlc=_hlc_time(c.local_hlc),
                isite=c.incoming_site,
                ihlc=_hlc_time(c.incoming_hlc),
            )
        )

    def resolve(self, keep: str) -> None:
        c = self.current()
        if c is None:
            return

        principal = self.ctx.principal

        def work(session):
            resolve_conflict_in(session, c.id, keep, principal)
            return c.id

        self._set_buttons(None)
        self.ctx.write(work, self._resolved, changes={"sync"}, on_error=self._failed, owner=self)

    def _resolved(self, conflict_id) -> None:
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText(
            _("Konflik #{id} diselesaikan; pilihan ini ikut terkirim pada sinkronisasi berikutnya.").format(
                id=conflict_id
            )
        )
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.loading = False
        if isinstance(exc, UserError):
            self.message.setStyleSheet("color: #b00020;")
            self.message.setText(exc.message)
            self._set_buttons(self.current())
        else:
            handle_exception(type(exc), exc, exc.__traceback__, parent=self)
