"""A Qt table model that loads pages of rows in a worker, never all of them at once.

A new query (filter or sort) first asks for the first page and shows it, then counts;
the view asks for more (``canFetchMore``/``fetchMore``) as the person scrolls. Each page
is read in a worker with its own session; answers for an older query are dropped.

Subclasses implement :meth:`query` (a snapshot of what to ask, safe to use from a worker),
:meth:`count_rows`, :meth:`fetch_rows` and :meth:`pack` (a loaded row as kept in memory).
A subclass whose service can continue after a given row (keyset paging, fast at any depth)
also implements :meth:`fetch_rows_after`; otherwise more rows are read at an offset.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Signal

from kinerja_desktop.ui.errors import handle_exception

PAGE_SIZE = 200


class PagedTableModel(QAbstractTableModel):
    #: A new query's first page has arrived (the count may still be on its way).
    loaded = Signal()
    #: The number of matching rows is known (``total``).
    counted = Signal()
    #: More rows were appended by fetchMore (how many).
    appended = Signal(int)

    def __init__(self, runner, parent=None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.runner = runner
        self.page_size = page_size
        self.rows: list = []
        #: How many rows match; None while the count is still running.
        self.total: int | None = 0
        self.loading = False
        self.counting = False
        self._generation = 0
        self._fetching = False
        self._more = False  # the last page was full: there may be more rows
        self._last = None  # the last row loaded, as the service returned it (for fetch_rows_after)
        self._key = f"{type(self).__name__}-{id(self)}"

    @property
    def busy(self) -> bool:
        """Still loading the first page or counting."""
        return self.loading or self.counting

    # -- to implement --------------------------------------------------------------------
    def query(self) -> Any:
        raise NotImplementedError

    def count_rows(self, session, query) -> int:
        raise NotImplementedError

    def fetch_rows(self, session, query, offset: int, limit: int) -> list:
        raise NotImplementedError

    def fetch_rows_after(self, session, query, after, offset: int, limit: int) -> list:
        """The ``limit`` rows after ``after`` (the last row loaded, unpacked; it is row
        ``offset - 1``). By default a window at ``offset``; override with a keyset query."""
        return self.fetch_rows(session, query, offset, limit)

    def pack(self, row) -> Any:
        return row

    def reset_packing(self) -> None:
        """Forget shared values before a new query (see RosterModel)."""

    # -- loading -----------------------------------------------------------------------
    def reload(self) -> None:
        """Ask again: first the first page (shown at once), then the count.

        The count runs only when the first page is full; a narrow search, the usual
        case while typing, is answered by one small query.
        """
        self._generation += 1
        generation = self._generation
        query, size = self.query(), self.page_size
        self.loading = True
        self.counting = False
        self.runner.submit(
            lambda session: self.fetch_rows(session, query, 0, size),
            lambda rows: self._loaded(generation, query, rows),
            self._failed,
            key=self._key,
            owner=self,
        )

    def _failed(self, exc: BaseException) -> None:
        self.loading = False
        self.counting = False
        self._fetching = False

        handle_exception(type(exc), exc, exc.__traceback__)

    def _loaded(self, generation: int, query, rows) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self.reset_packing()
        self.rows = [self.pack(r) for r in rows]
        self._last = rows[-1] if rows else None
        self._more = len(rows) >= self.page_size
        self.total = None if self._more else len(self.rows)
        self._fetching = False
        self.loading = False
        self.counting = self._more
        self.endResetModel()
        self.loaded.emit()
        if self._more:
            self.runner.submit(
                lambda session: self.count_rows(session, query),
                lambda n: self._counted(generation, n),
                self._failed,
                key=self._key + "-count",
                owner=self,
            )
        else:
            self.counted.emit()

    def _counted(self, generation: int, n: int) -> None:
        if generation != self._generation:
            return
        self.counting = False
        self.total = max(n, len(self.rows))
        self.counted.emit()

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: N802
        if parent.isValid() or self._fetching or self.loading:
            return False
        return self._more if self.total is None else len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: N802
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation = self._generation
        query, offset, size, after = self.query(), len(self.rows), self.page_size, self._last

        def work(session):
            return self.fetch_rows_after(session, query, after, offset, size)

        def done(rows) -> None:
            if generation != self._generation:
                return
            self._fetching = False
            self._more = len(rows) >= size
            if rows:
                self._last = rows[-1]
                first = len(self.rows)
                self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
                self.rows.extend(self.pack(r) for r in rows)
                self.endInsertRows()
            if not self._more and (self.total is None or self.total > len(self.rows)):
                self.total = len(self.rows)  # the end is reached (or the list shrank meanwhile)
            self.appended.emit(len(rows))

        self.runner.submit(work, done, self._failed, key=self._key + "-more", owner=self)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)
