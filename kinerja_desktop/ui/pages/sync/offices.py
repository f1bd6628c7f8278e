"""Kantor: every office enrolled at this (central) site — when it last synced, what is
waiting for it, its open conflicts, whether it is revoked. Read off the UI thread."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.sync.offices import office_overview
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.pages.base import Page

COLUMNS = (
    N_("Situs"),
    N_("Nama kantor"),
    N_("Unit"),
    N_("Status"),
    N_("Sinkron terakhir"),
    N_("Bundel diterima"),
    N_("Perubahan belum diterima kantor"),
    N_("Konflik terbuka"),
)


def _when(dt) -> str:
    return dt.strftime("%d-%m-%Y %H:%M") if dt else _("belum pernah")


class OfficesPage(Page):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = self.page_layout(
            _("Kantor"),
            _(
                "Kantor yang terdaftar di situs ini: kapan terakhir sinkron, data yang "
                "belum sampai kepadanya, konflik yang menunggu, dan situs yang "
                "dicabut."
            ),
        )
        row = QHBoxLayout()
        self.summary = QLabel("…")
        self.summary.setObjectName("officesSummary")
        row.addWidget(self.summary, 1)
        self.reload_button = QPushButton(_("Muat ulang"))
        self.reload_button.clicked.connect(self.refresh)
        row.addWidget(self.reload_button)
        layout.addLayout(row)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("officesTable")
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.rows = []
        self.refresh()

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        def load(session):

            return office_overview(session)

        self.ctx.runner.submit(load, self._show, self._failed, key="offices", owner=self)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.summary.setText(exc.message)
            return

        handle_exception(type(exc), exc, exc.__traceback__, parent=self)

    def _show(self, rows) -> None:
        self.rows = rows
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(rows))
        warn = QBrush(QColor("#b00020"))
        for r, o in enumerate(rows):
            if o.revoked:
                status = _("dicabut")
            elif o.is_central:
                status = _("kantor pusat")
            else:
                status = _("aktif")
            values = (
                o.site_id,
                o.name or "—",
                o.unit_code or _("seluruh kabupaten"),
                status,
                _when(o.last_sync),
                o.bundles_received,
                o.pending,
                o.open_conflicts,
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem()
                if isinstance(value, int):
                    item.setData(Qt.ItemDataRole.DisplayRole, value)
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                else:
                    item.setText(str(value))
                if (c == 3 and o.revoked) or (c == 7 and o.open_conflicts):
                    item.setForeground(warn)
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)
        active = sum(1 for o in rows if not o.revoked)
        never = sum(1 for o in rows if not o.revoked and o.last_sync is None)
        conflicts = sum(o.open_conflicts for o in rows)
        self.summary.setText(
            _("{n} kantor aktif, {revoked} dicabut; {never} belum pernah sinkron; {c} konflik terbuka.").format(
                n=active, revoked=len(rows) - active, never=never, c=conflicts
            )
        )
