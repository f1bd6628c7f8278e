"""Searchable pickers: a unit from the unit tree, an employee by name or NIP."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFrame,
    QLineEdit,
    QSizePolicy,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.i18n import _
from kinerja_desktop.ui.widgets import Throttle

ID_ROLE = Qt.ItemDataRole.UserRole + 1
NO_UNIT = "__none__"


def unit_label(node) -> str:
    return f"{node.name} ({node.code})" if node.code else node.name


class UnitTreePopup(QFrame):
    """A popup with a filter field over the unit tree; picking closes it."""

    picked = Signal(object, str)  # unit id (or None), label

    def __init__(self, nodes: Sequence, *, first_item: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Ketik untuk mencari unit kerja…"))
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.model = QStandardItemModel(self)
        if first_item is not None:
            item = QStandardItem(first_item)
            item.setData(None, ID_ROLE)
            item.setEditable(False)
            self.model.appendRow(item)
        self._add(self.model.invisibleRootItem(), nodes)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tree = QTreeView()
        self.tree.setHeaderHidden(True)
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.expandToDepth(0)
        layout.addWidget(self.tree)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._pick_current)
        self.tree.activated.connect(self._pick)
        self.tree.clicked.connect(self._pick)
        self.resize(460, 420)

    def _add(self, parent: QStandardItem, nodes: Sequence) -> None:
        for node in nodes:
            item = QStandardItem(unit_label(node))
            item.setData(node.id, ID_ROLE)
            item.setEditable(False)
            item.setToolTip(unit_label(node))
            parent.appendRow(item)
            self._add(item, node.children)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        if text:
            self.tree.expandAll()
        match = self._first_match(QModelIndex(), text.casefold()) if text else self.proxy.index(0, 0)
        if match is not None and match.isValid():
            self.tree.setCurrentIndex(match)
            self.tree.scrollTo(match)

    def _first_match(self, parent: QModelIndex, needle: str) -> QModelIndex | None:
        """The first row (depth first) whose own text matches, not just an ancestor kept for it."""
        for row in range(self.proxy.rowCount(parent)):
            index = self.proxy.index(row, 0, parent)
            if needle in (index.data() or "").casefold():
                return index
            found = self._first_match(index, needle)
            if found is not None:
                return found
        return None

    def _pick_current(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid():
            self._pick(index)

    def _pick(self, index: QModelIndex) -> None:
        self.picked.emit(index.data(ID_ROLE), index.data(Qt.ItemDataRole.DisplayRole))
        self.close()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.search.setFocus()


class UnitPicker(QComboBox):
    """Looks like a drop-down; opening it shows a searchable tree of units.

    ``load_units()`` returns ``unit_tree`` nodes; it is called when the popup opens (the
    tree is small: hundreds of units). ``all_text``: the first item meaning "no filter"
    (pages) or "no unit" (forms).
    """

    changed = Signal(object)  # unit id or None

    def __init__(self, load_units: Callable[[], Sequence], *, all_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._load = load_units
        self.all_text = all_text
        self.unit_id: str | None = None
        self.addItem(all_text)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.popup: UnitTreePopup | None = None

    def text(self) -> str:
        return self.itemText(0)

    def showPopup(self) -> None:  # noqa: N802 - Qt calls this on click, F4, Alt+Down
        self.open_popup()

    def hidePopup(self) -> None:  # noqa: N802
        if self.popup is not None:
            self.popup.close()

    def open_popup(self) -> None:
        self.popup = UnitTreePopup(self._load(), first_item=self.all_text, parent=self)
        self.popup.picked.connect(self._picked)
        self.popup.resize(max(self.width(), 460), 420)
        self.popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.popup.show()

    def _picked(self, unit_id, label: str) -> None:
        self.set_unit(unit_id, label)
        self.changed.emit(unit_id)

    def set_unit(self, unit_id: str | None, label: str | None = None) -> None:
        self.unit_id = unit_id
        text = (label if unit_id else None) or self.all_text
        self.setItemText(0, text)
        self.setToolTip(text)


def find_unit(nodes: Sequence, unit_id: str | None):
    for node in nodes:
        if node.id == unit_id:
            return node
        found = find_unit(node.children, unit_id)
        if found is not None:
            return found
    return None


#: How many matches an employee search returns (``roster_query.search_employees``).
SEARCH_SHOWN = 20


class EmployeePicker(QLineEdit):
    """Type a name or NIP; matching employees pop up; choosing one sets :attr:`employee_id`.

    The search runs in a worker through ``runner`` (``search(session, text) -> rows``
    with ``id``, ``full_name`` and ``nip_grouped``).
    """

    changed = Signal(object)  # employee id or None

    def __init__(self, runner, search: Callable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._search = search
        self.employee_id: str | None = None
        self._chosen_text = ""
        self.setPlaceholderText(_("Ketik nama atau NIP lalu pilih dari daftar…"))
        self.setClearButtonEnabled(True)
        self.model = QStandardItemModel(self)
        self.completer_ = QCompleter(self.model, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setMaxVisibleItems(12)
        self.setCompleter(self.completer_)
        self.completer_.activated[QModelIndex].connect(self._chosen)
        self.throttle = Throttle(self._run_search, 150, self)
        self.textEdited.connect(self._edited)
        self.last_results: list = []

    @staticmethod
    def label(row) -> str:
        return f"{row.full_name} — {row.nip_grouped}"

    def set_employee(self, employee_id: str | None, text: str = "") -> None:
        self.employee_id = employee_id
        self._chosen_text = text if employee_id else ""
        self.setText(self._chosen_text)

    def _edited(self, text: str) -> None:
        if self.employee_id is not None and text != self._chosen_text:
            self.employee_id = None
            self.changed.emit(None)
        if text.strip():
            self.throttle.trigger()

    def _run_search(self) -> None:
        text = self.text().strip()
        if not text:
            return
        self.runner.submit(
            lambda s: self._search(s, text), self._show_results, key=f"employee-picker-{id(self)}", owner=self
        )

    def _show_results(self, rows) -> None:
        self.last_results = list(rows)
        self.model.clear()
        for row in rows:
            item = QStandardItem(self.label(row))
            item.setData(row.id, ID_ROLE)
            self.model.appendRow(item)
        if len(rows) >= SEARCH_SHOWN:  # the search stops here: say so rather than cut silently
            more = QStandardItem(_("… hanya {n} teratas; ketik lebih lengkap untuk mempersempit").format(n=len(rows)))
            more.setFlags(Qt.ItemFlag.NoItemFlags)
            self.model.appendRow(more)
        if rows and self.hasFocus():
            self.completer_.complete()

    def _chosen(self, index: QModelIndex) -> None:
        if index.data(ID_ROLE) is None:  # the "only the first ..." line
            return
        self.employee_id = index.data(ID_ROLE)
        self._chosen_text = index.data(Qt.ItemDataRole.DisplayRole)
        self.setText(self._chosen_text)
        self.changed.emit(self.employee_id)

    def choose_result(self, row: int) -> None:
        """Pick the ``row``-th search result (keyboard users and tests)."""
        self._chosen(self.model.index(row, 0))
