"""A paged table whose columns are functions of a row, and the count line under a list.

:class:`PagedRowsModel` is :class:`kinerja_desktop.ui.paged_model.PagedTableModel` (a page
at a time, in a worker, the count after the first page) with the column description of
``ui.training_tables.RowsModel``: any service that can count and return a page of rows
makes a list that shows everything, however long, without a cap.

:func:`count_text` says how many rows there are and how many are loaded: "2.416 rencana",
"2.416 rencana (dimuat 200; gulir untuk memuat sisanya)", "200+ rencana (menghitung…)".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.ui.paged_model import PAGE_SIZE, PagedTableModel
from kinerja_desktop.ui.training_tables import ROW_ROLE, Col

Fetch = Callable[[Any, Any, int, int], list]
Count = Callable[[Any, Any], int]


class PagedRowsModel(PagedTableModel):
    """Rows of ``fetch(session, query, offset, limit)``, counted by ``count(session, query)``."""

    def __init__(
        self, runner, columns: Sequence[Col], fetch: Fetch, count: Count, parent=None, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(runner, parent, page_size)
        self.columns = list(columns)
        self._fetch = fetch
        self._count = count
        self._query: Any = None

    def set_query(self, query: Any) -> None:
        """Ask for the rows of ``query`` (a value safe to hand to a worker)."""
        self._query = query
        self.reload()

    def query(self) -> Any:
        return self._query

    def count_rows(self, session, query) -> int:
        return self._count(session, query)

    def fetch_rows(self, session, query, offset: int, limit: int) -> list:
        return self._fetch(session, query, offset, limit)

    def row(self, index: int):
        return self.rows[index]

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
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


def count_text(model: PagedTableModel, template: str) -> str:
    """How many rows ``model`` has and holds; ``template`` is the translated count ("{n} rencana")."""
    total, shown = model.total, len(model.rows)
    if total is None:
        return template.format(n=number_text(shown) + "+") + " " + _("(menghitung…)")
    return list_count_text(shown, total, template)


def connect_count(model: PagedTableModel, show: Callable[[], None]) -> None:
    """Call ``show`` whenever the model's rows or count change."""
    model.loaded.connect(show)
    model.counted.connect(show)
    model.appended.connect(lambda _n: show())


class MorePages:
    """The "load the next page when scrolled to the end" part for a model that keeps its
    rows in ``self.rows`` and knows ``self.total`` (for models that cannot be a
    :class:`PagedRowsModel`: editable ones, or ones whose columns come with the first page).

    ``load_more(offset, done)`` must bring the rows from ``offset`` on (one page) and call
    ``done(rows)`` on the UI thread; answers for an older list are dropped.
    """

    def init_pages(self) -> None:
        self.total = 0
        self.load_more: Callable[[int, Callable[[list], None]], None] | None = None
        self._fetching = False
        self._page_generation = 0

    def new_list(self, total: int, load_more: Callable[[int, Callable[[list], None]], None] | None) -> None:
        """Call while resetting the model with the first page."""
        self.total = total
        self.load_more = load_more
        self._fetching = False
        self._page_generation += 1

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: N802
        return (
            not parent.isValid() and self.load_more is not None and not self._fetching and len(self.rows) < self.total
        )

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: N802
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation = self._page_generation

        def done(rows: list) -> None:
            if generation != self._page_generation:
                return
            self._fetching = False
            if not rows:
                self.total = len(self.rows)  # the list shrank meanwhile
                return
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()

        self.load_more(len(self.rows), done)


def list_count_text(shown: int, total: int, template: str) -> str:
    """``template`` ("{n} jabatan") for ``total``, saying when only ``shown`` are loaded yet."""
    text = template.format(n=number_text(total))
    if shown < total:
        text += " " + _("(dimuat {shown}; gulir untuk memuat sisanya)").format(shown=number_text(shown))
    return text
