"""The roster as a paged Qt table model (see ``ui.paged_model``).

Rows are kept as tuples with the repeated texts (status, golongan, position, unit,
supervisor) shared, so 10⁵ loaded rows stay small.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.roster.query import (
    RosterFilter,
    count_employees,
    fetch_employees,
    fetch_employees_after,
)
from kinerja_desktop.ui.paged_model import PAGE_SIZE, PagedTableModel

ID_ROLE = Qt.ItemDataRole.UserRole + 1

# Tuple layout of a loaded row (the row version is not kept: the form reads it when it opens).
R_ID, R_NIP, R_NIP_GROUPED, R_NAME, R_GENDER, R_STATUS, R_GOLONGAN, R_POSITION, R_UNIT, R_SUPERVISOR, R_ACTIVE = range(
    11
)


class Column(NamedTuple):
    key: str
    title: str  # N_-marked source text
    field: int
    sort_key: str | None


COLUMNS: tuple[Column, ...] = (
    Column("nip", N_("NIP"), R_NIP_GROUPED, "nip"),
    Column("name", N_("Nama pegawai"), R_NAME, "name"),
    Column("status", N_("Status"), R_STATUS, "status"),
    Column("golongan", N_("Gol."), R_GOLONGAN, "golongan"),
    Column("position", N_("Nama jabatan"), R_POSITION, "position"),
    Column("unit", N_("Unit kerja"), R_UNIT, "unit"),
    Column("supervisor", N_("Atasan langsung"), R_SUPERVISOR, None),
    Column("active", N_("Aktif"), R_ACTIVE, None),
)


class RosterModel(PagedTableModel):
    def __init__(self, runner, principal, parent=None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(runner, parent, page_size)
        self.principal = principal
        self.filter = RosterFilter()
        self.sort_key = "name"
        self.descending = False
        self._shared: dict[str, str] = {}

    # -- querying ----------------------------------------------------------------------
    def set_filter(self, flt: RosterFilter) -> None:
        self.filter = flt
        self.reload()

    def update_filter(self, **changes) -> None:
        self.set_filter(replace(self.filter, **changes))

    def set_sort(self, sort_key: str, descending: bool) -> None:
        self.sort_key, self.descending = sort_key, descending
        self.reload()

    def query(self):
        return self.principal, self.filter, self.sort_key, self.descending

    def count_rows(self, session, query) -> int:
        principal, flt, _sort, _desc = query
        return count_employees(session, principal, flt)

    def fetch_rows(self, session, query, offset: int, limit: int) -> list:
        principal, flt, sort, desc = query
        return fetch_employees(session, principal, flt, offset=offset, limit=limit, sort=sort, descending=desc)

    def fetch_rows_after(self, session, query, after, offset: int, limit: int) -> list:
        """Scrolling on: keyset paging after the last row loaded (as fast at the end of 10⁵ rows
        as at the start; an offset would walk past every row before it)."""
        principal, flt, sort, desc = query
        return fetch_employees_after(session, principal, flt, after=after, limit=limit, sort=sort, descending=desc)

    def reset_packing(self) -> None:
        self._shared.clear()

    def _share(self, text: str) -> str:
        return self._shared.setdefault(text, text)

    def pack(self, r) -> tuple:
        s = self._share
        return (
            r.id,
            r.nip,
            r.nip_grouped,
            r.full_name,
            s(r.gender or ""),
            s(r.status),
            s(r.golongan),
            s(r.position_name),
            s(r.unit_name),
            s(r.supervisor_name),
            r.active,
        )

    # -- reading -----------------------------------------------------------------------
    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section].title)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = row[column.field]
            if column.key == "active":
                return _("Ya") if value else _("Tidak")
            return value
        if role == Qt.ItemDataRole.ToolTipRole and column.key in ("name", "position", "unit", "supervisor"):
            return row[column.field] or None
        if role == Qt.ItemDataRole.ForegroundRole and not row[R_ACTIVE]:
            return QApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == ID_ROLE:
            return row[R_ID]
        return None

    def row_id(self, row: int) -> str:
        return self.rows[row][R_ID]

    def row_tuple(self, row: int) -> tuple:
        return self.rows[row]

    def replace_row(self, employee_row) -> None:
        """Show a saved employee's new values without reloading the whole table."""
        for i, row in enumerate(self.rows):
            if row[R_ID] == employee_row.id:
                self.rows[i] = self.pack(employee_row)
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
                return
