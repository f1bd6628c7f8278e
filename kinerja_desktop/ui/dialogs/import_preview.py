"""The parts of the import preview: changes by group, every column, the supervisor chain, the
rejected rows. Each is a plain widget built from an :class:`ImportReport` (no database)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.roster import columns as rc
from kinerja_desktop.services.roster.plan import GROUP_LABELS, GROUPS
from kinerja_desktop.ui.theme import error_background, muted_text
from kinerja_desktop.ui.widgets import wrapped_label

PREVIEW_LIMIT = 500


def _table(
    rows: list[tuple],
    headers: list[str],
    parent: QWidget | None = None,
    *,
    name: str = "",
    tinted: set[int] = frozenset(),
    stretch: int | None = None,
    wrap: bool = False,
) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(wrap)
    tint = QBrush(error_background(table.palette()))
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            item = QTableWidgetItem(str(text))
            item.setToolTip(str(text))
            if r in tinted:
                item.setBackground(tint)
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.resizeColumnsToContents()
    for c in range(len(headers)):
        header.resizeSection(c, min(header.sectionSize(c), 320))
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    if wrap:
        table.resizeRowsToContents()
        header.sectionResized.connect(lambda *_a: table.resizeRowsToContents())
    return table


def rejected_table(report, parent: QWidget | None = None) -> QTableWidget:
    """The rejected rows (and rows imported with a remark) with their reasons, tinted as errors."""
    errors = (report.rejected + report.warnings)[:PREVIEW_LIMIT]
    errors.sort(key=lambda e: e.row)
    rows = [(str(e.row), e.column, e.value, e.reason) for e in errors]
    table = _table(
        rows,
        [_("Baris"), _("Kolom"), _("Nilai"), _("Alasan")],
        parent,
        name="rejectedRows",
        tinted=set(range(len(rows))),
        stretch=3,
        wrap=True,
    )
    table.horizontalHeader().resizeSection(2, 170)
    return table


def changes_tree(report, parent: QWidget | None = None) -> QTreeWidget:
    """Baru / pindah / naik pangkat / nonaktif / ...: a branch per group with its people."""
    tree = QTreeWidget(parent)
    tree.setObjectName("changesTree")
    tree.setHeaderLabels([_("Perubahan"), _("NIP"), _("Keterangan")])
    tree.setAlternatingRowColors(True)
    changes = report.changes
    for group in GROUPS:
        count = changes.counts[group]
        if not count:
            continue
        branch = QTreeWidgetItem([f"{_(GROUP_LABELS[group])} ({number_text(count)})", "", ""])
        branch.setData(0, Qt.ItemDataRole.UserRole, group)
        tree.addTopLevelItem(branch)
        for item in changes.items[group]:
            branch.addChild(QTreeWidgetItem([item.name, item.nip, item.detail]))
        shown = len(changes.items[group])
        if shown < count:
            branch.addChild(QTreeWidgetItem([_("… dan {n} lainnya").format(n=number_text(count - shown)), "", ""]))
    if tree.topLevelItemCount() == 1 or report.created < 50:
        tree.expandAll()
    header = tree.header()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    header.resizeSection(0, 300)
    header.resizeSection(1, 170)
    header.setStretchLastSection(True)
    return tree


def columns_view(report, parent: QWidget | None = None) -> QWidget:
    """Every column of the file: what it fills, or why it is ignored; personal data said plainly."""
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    personal = [c.header for c in report.columns if c.kind == rc.PERSONAL]
    used = sum(1 for c in report.columns if c.kind == rc.USED)
    text = _("{used} dari {total} kolom dipakai; yang lain diabaikan dengan alasannya.").format(
        used=used, total=len(report.columns)
    )
    if personal:
        text += " " + _(
            "Data pribadi yang tidak diperlukan ({columns}) sengaja tidak disimpan sesuai prinsip "
            "minimalisasi data UU PDP 27/2022."
        ).format(columns=", ".join(personal))
    note = wrapped_label(text, box)
    note.setObjectName("columnsNote")
    layout.addWidget(note)
    kinds = {
        rc.USED: _("dipakai"),
        rc.PERSONAL: _("data pribadi, tidak disimpan"),
        rc.IGNORED: _("diabaikan"),
        rc.DUPLICATE: _("diabaikan"),
        rc.UNKNOWN: _("diabaikan"),
        rc.SUSPECT: _("tidak terbaca"),
    }
    rows = [(c.letter, c.header, kinds[c.kind], c.note) for c in report.columns]
    table = _table(
        rows, [_("Kolom"), _("Judul"), _("Dipakai?"), _("Untuk apa / alasan")], box, name="columnsTable", stretch=3
    )
    muted = QBrush(muted_text(table.palette()))
    for r, column in enumerate(report.columns):
        if column.kind != rc.USED:
            for c in range(4):
                table.item(r, c).setForeground(muted)
    layout.addWidget(table, 1)
    return box


def chain_tree(report, parent: QWidget | None = None) -> QTreeWidget:
    """The derived chain as the unit tree: each unit's head, who evaluates that head, how many
    people, and a remark where the rule needs a look (tinted)."""
    tree = QTreeWidget(parent)
    tree.setObjectName("chainTree")
    tree.setHeaderLabels(
        [_("Unit"), _("Kepala unit (menilai stafnya)"), _("Kepala dinilai oleh"), _("Pegawai"), _("Catatan")]
    )
    tree.setAlternatingRowColors(True)
    tint = QBrush(error_background(tree.palette()))
    items: dict[str, QTreeWidgetItem] = {}
    views = report.chain.units
    for view in sorted(views, key=lambda v: v.parent != ""):  # perangkat daerah first
        note = "" if not view.problem else view.rule
        item = QTreeWidgetItem([view.unit, view.head or "—", view.head_evaluator or "—", number_text(view.staff), note])
        for c in range(5):
            item.setToolTip(c, item.text(c))
            if view.problem:
                item.setBackground(c, tint)
        holder = items.get(view.parent) if view.parent else None
        if view.parent and holder is None:  # a parent with nobody of its own in the file
            holder = items[view.parent] = QTreeWidgetItem([view.parent, "", "", "", ""])
            tree.addTopLevelItem(holder)
        if holder is None:
            tree.addTopLevelItem(item)
        else:
            holder.addChild(item)
        items.setdefault(view.unit, item)
    tree.sortItems(0, Qt.SortOrder.AscendingOrder)
    problems = [items[v.unit] for v in views if v.problem and v.unit in items]
    for item in problems:  # open the branches that need a look
        parent_item = item.parent()
        if parent_item is not None:
            parent_item.setExpanded(True)
    header = tree.header()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in enumerate((250, 230, 200, 80)):
        header.resizeSection(column, width)
    header.setStretchLastSection(True)
    return tree


def _filter_problems(tree: QTreeWidget, only: bool) -> None:
    """Hide the units whose chain needs no look (a branch stays when a child needs one)."""

    def visit(item: QTreeWidgetItem) -> bool:
        keep = bool(item.text(4))
        for i in range(item.childCount()):
            keep = visit(item.child(i)) or keep
        item.setHidden(only and not keep)
        if only and keep:
            item.setExpanded(True)
        return keep

    for i in range(tree.topLevelItemCount()):
        visit(tree.topLevelItem(i))


# long: builds the widgets top to bottom, one field or button a line
def chain_view(report, parent: QWidget | None = None) -> QWidget:
    """The derived chain per unit (who heads it, who evaluates whom), who is left without one,
    and the links HR set by hand that the import keeps."""
    chain = report.chain
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    if chain.derived:
        text = _(
            "Berkas ini tidak memiliki NIP Atasan, jadi pejabat penilai diturunkan dari unit dan jabatan: "
            "kepala unit (pejabat struktural tertinggi) menilai stafnya, kepala sub-unit dinilai kepala unit "
            "di atasnya, kepala perangkat daerah dinilai Sekretaris Daerah. {assigned} pegawai mendapat "
            "pejabat penilai; {without} tanpa. Unit yang ditandai merah perlu diperiksa. Satu tautan dapat "
            "diperbaiki di formulir pegawai; impor berikutnya tidak mengubah tautan yang ditetapkan "
            "manual."
        ).format(assigned=number_text(chain.assigned), without=number_text(len(chain.without)))
    else:
        text = _("Pejabat penilai diambil dari kolom NIP Atasan berkas ini.")
    layout.addWidget(wrapped_label(text, box))
    splitter = QSplitter(Qt.Orientation.Vertical, box)
    sizes = []
    if chain.units:
        tree = chain_tree(report, splitter)
        flagged = sum(1 for u in chain.units if u.problem)
        if flagged:
            only = QCheckBox(_("Tampilkan hanya unit yang perlu diperiksa ({n})").format(n=flagged), box)
            only.setObjectName("onlyProblems")
            only.toggled.connect(lambda on: _filter_problems(tree, on))
            layout.addWidget(only)
        splitter.addWidget(tree)
        sizes.append(300)
    if chain.without:
        rows = [(name, nip, unit, reason) for nip, name, unit, reason in chain.without[:PREVIEW_LIMIT]]
        splitter.addWidget(
            _titled(
                _("Tanpa pejabat penilai ({n})").format(n=number_text(len(chain.without))),
                _table(
                    rows, [_("Nama pegawai"), _("NIP"), _("Unit"), _("Alasan")], None, name="withoutTable", stretch=3
                ),
                splitter,
            )
        )
        sizes.append(110)
    if chain.kept_manual:
        rows = [(name, nip, kept, proposed) for nip, name, kept, proposed in chain.kept_manual[:PREVIEW_LIMIT]]
        splitter.addWidget(
            _titled(
                _("Ditetapkan manual, tidak diubah impor ({n})").format(n=number_text(len(chain.kept_manual))),
                _table(
                    rows,
                    [_("Nama pegawai"), _("NIP"), _("Pejabat penilai tetap"), _("Usulan impor")],
                    None,
                    name="manualTable",
                    stretch=3,
                ),
                splitter,
            )
        )
        sizes.append(110)
    if chain.dropped:
        rows = [(name, nip, why) for nip, name, why in chain.dropped[:PREVIEW_LIMIT]]
        splitter.addWidget(
            _titled(
                _("Tautan turunan yang tidak dipasang ({n})").format(n=len(chain.dropped)),
                _table(
                    rows,
                    [_("Nama pegawai"), _("NIP"), _("Alasan")],
                    None,
                    name="droppedTable",
                    tinted=set(range(len(rows))),
                    stretch=2,
                ),
                splitter,
            )
        )
        sizes.append(110)
    splitter.setSizes(sizes)
    layout.addWidget(splitter, 1)
    return box


def _titled(title: str, widget: QWidget, parent: QWidget) -> QWidget:
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 0)
    label = QLabel(title, box)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    layout.addWidget(label)
    widget.setParent(box)
    layout.addWidget(widget, 1)
    return box
