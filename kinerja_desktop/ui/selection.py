"""Keep the selected row of a table across a reload of its model.

A page reloads its list after a dialog saved something (the SKP editor, the employee
form); the model resets and the selection would jump back to nothing. :class:`KeepSelection`
remembers the selected row by a key (an id in a data role) and its column, and selects
the row with that key again once the new rows have arrived.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QObject
from PySide6.QtWidgets import QAbstractItemView


class KeepSelection(QObject):
    """For ``table`` over ``model`` whose rows carry their key in ``role``; ``signal`` is the
    model's "rows have arrived" signal (``loaded`` of a paged model, else ``modelReset``)."""

    def __init__(self, table: QAbstractItemView, role: int, signal=None) -> None:
        super().__init__(table)
        self.table = table
        self.role = role
        self._pending: tuple[Any, int] | None = None
        (signal if signal is not None else table.model().modelReset).connect(self.restore)

    def remember(self) -> None:
        """Note the current row's key and column (call before reloading)."""
        index = self.table.currentIndex()
        self._pending = (index.data(self.role), index.column()) if index.isValid() else None

    def select_key(self, key: Any, column: int = 0) -> None:
        """Select the row with ``key`` once the next rows arrive (e.g. a row just added)."""
        self._pending = (key, column)

    def restore(self) -> None:
        if self._pending is None:
            return
        key, column = self._pending
        model = self.table.model()
        for row in range(model.rowCount()):
            if model.index(row, 0).data(self.role) == key:
                index = model.index(row, column)
                flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
                if self.table.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows:
                    flags |= QItemSelectionModel.SelectionFlag.Rows
                self.table.selectionModel().setCurrentIndex(index, flags)
                self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
                break
        self._pending = None
