"""Qt table models of the Pelatihan and Kompetensi pages.

- :class:`RowsModel`: a read-only table over a list of rows already loaded (compliance
  per employee, plan items, profiles, the gap heat map), columns given as functions.
- :class:`TrainingRecordsModel`: the training records, loaded page by page
  (``ui.paged_model``) so a district's 10⁵ records open as fast as ten.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from kinerja_desktop.formatting import date_words, nip_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.training.records import RecordFilter, count_records, list_records
from kinerja_desktop.ui.paged_model import PAGE_SIZE, PagedTableModel

ROW_ROLE = Qt.ItemDataRole.UserRole + 2
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def jp_text(value) -> str:
    """JP as people write it: "20", "2,5"."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize()}".replace(".", ",")


def date_text(value) -> str:
    """A date in a sentence: "28 November 2026"."""
    return date_words(value) if value else ""


def cell_date(value) -> str:
    """A date in a table cell, as the forms write it: "28-11-2026"."""
    return value.strftime("%d-%m-%Y") if value else ""


@dataclass(frozen=True)
class Col:
    title: str  # already translated
    text: Callable[[object], str]
    align: Qt.AlignmentFlag = LEFT
    background: Callable[[object], QColor | None] | None = None
    tooltip: Callable[[object], str] | None = None


class RowsModel(QAbstractTableModel):
    """Rows kept in memory; each column turns a row into text (and an optional colour)."""

    def __init__(self, columns: Sequence[Col], parent=None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list = []

    def set_rows(self, rows: Sequence) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def set_columns(self, columns: Sequence[Col]) -> None:
        self.beginResetModel()
        self.columns = list(columns)
        self.endResetModel()

    def row(self, index: int):
        return self.rows[index]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align)
        if role == Qt.ItemDataRole.BackgroundRole and col.background is not None:
            return col.background(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.tooltip(row) if col.tooltip else col.text(row)
        if role == ROW_ROLE:
            return row
        return None


# --- the training records (paged) ----------------------------------------------------------


RECORD_COLUMNS = (
    ("end", lambda r: cell_date(r.end_date)),
    ("name", lambda r: r.name),
    ("nip", lambda r: nip_text(r.nip)),
    ("title", lambda r: r.title),
    ("type", lambda r: r.activity_code),
    ("organiser", lambda r: r.organiser),
    ("jp", lambda r: jp_text(r.jp)),
    ("certificate", lambda r: ("✓ " if r.has_certificate else "") + r.certificate_number),
    ("participants", lambda r: str(r.participants)),
)


def record_titles() -> list[str]:
    return [
        _("Selesai"),
        _("Nama pegawai"),
        _("NIP"),
        _("Kegiatan"),
        _("Jenis"),
        _("Penyelenggara"),
        _("JP"),
        _("Sertifikat"),
        _("Peserta"),
    ]


class TrainingRecordsModel(PagedTableModel):
    def __init__(self, runner, principal, parent=None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(runner, parent, page_size)
        self.principal = principal
        self.filter = RecordFilter()
        self.titles = record_titles()

    def set_filter(self, flt: RecordFilter) -> None:
        self.filter = flt
        self.reload()

    def update_filter(self, **changes) -> None:
        self.set_filter(replace(self.filter, **changes))

    def query(self):
        return self.principal, self.filter

    def count_rows(self, session, query) -> int:
        principal, flt = query
        return count_records(session, principal, flt)

    def fetch_rows(self, session, query, offset: int, limit: int) -> list:
        principal, flt = query
        return list_records(session, principal, flt, offset=offset, limit=limit)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(RECORD_COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.titles[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        key, text = RECORD_COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT if key in ("jp", "participants") else LEFT)
        if role == ROW_ROLE:
            return row
        return None

    def replace_rows(self, rows: Sequence) -> None:
        """Put fresh versions of rows (same ids) in place after an edit."""
        by_id = {r.id: r for r in rows}
        for i, old in enumerate(self.rows):
            if old.id in by_id:
                self.rows[i] = by_id[old.id]
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(RECORD_COLUMNS) - 1))
