"""The Penilaian grid as a paged Qt table model: employees × periods with status."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont

from kinerja_desktop.formatting import date_words, nip_text
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.performance.evaluation_grid import CELL_LABELS, SKP_LABELS, count_grid, evaluation_grid
from kinerja_desktop.services.performance.periods import period_label
from kinerja_desktop.ui.paged_model import PAGE_SIZE, PagedTableModel
from kinerja_desktop.ui.theme import error_text, muted_text, ok_text

EMPLOYEE_ROLE = Qt.ItemDataRole.UserRole + 1
CELL_ROLE = Qt.ItemDataRole.UserRole + 2  # the Cell of a period column (None elsewhere)
PERIOD_ROLE = Qt.ItemDataRole.UserRole + 3  # the period id of a period column

FIXED = ("nip", "name", "unit", "skp")
FIXED_TITLES = {"nip": N_("NIP"), "name": N_("Nama pegawai"), "unit": N_("Unit kerja"), "skp": N_("SKP")}


#: What the marks in the cells mean (shown under the table).
LEGEND = N_("✓ final · ✎ draf · – belum dibuat · ⚠ lewat batas pengisian")


def cell_text(cell) -> str:
    """Short text of a cell: ``✓ Baik`` (final), ``✎ Baik`` / ``✎ draf`` (draf), ``– belum dibuat``."""
    if cell.status == "final":
        text = f"✓ {cell.predikat or ''}".rstrip()
    elif cell.status == "draf":
        text = f"✎ {cell.predikat or _('draf')}"
    else:
        text = "– " + _("belum dibuat")
    if cell.revision_no:
        text += " " + _("(rev. {n})").format(n=cell.revision_no)
    return f"⚠ {text}" if cell.overdue else text


def cell_words(cell) -> str:
    """The cell in words: ``final, predikat Baik``, ``draf``, ``belum dibuat, terlambat``."""
    parts = [_(CELL_LABELS[cell.status])]
    if cell.predikat:
        parts.append(_("predikat {p}").format(p=cell.predikat))
    if cell.revision_no:
        parts.append(_("revisi ke-{n}").format(n=cell.revision_no))
    if cell.overdue:
        parts.append(_("terlambat"))
    return ", ".join(parts)


class PenilaianModel(PagedTableModel):
    def __init__(self, runner, principal, parent=None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(runner, parent, page_size)
        self.principal = principal
        self.year = date.today().year
        self.periods: list = []  # Period rows (detached)
        self.unit_id: str | None = None
        self.search = ""
        self.direct_only = True
        self.today = date.today()

    # -- querying ----------------------------------------------------------------------
    def set_year(self, year: int, periods: list) -> None:
        self.beginResetModel()
        self.year, self.periods, self.rows = year, list(periods), []
        self.endResetModel()
        self.reload()

    def query(self):
        return (self.principal, self.year, self.unit_id, self.search, self.direct_only, self.today)

    def count_rows(self, session, query) -> int:
        principal, _year, unit_id, search, direct_only, _today = query
        return count_grid(session, principal, unit_id=unit_id, search=search, direct_only=direct_only)

    def fetch_rows(self, session, query, offset: int, limit: int) -> list:
        principal, year, unit_id, search, direct_only, today = query
        return evaluation_grid(
            session,
            principal,
            year,
            unit_id=unit_id,
            search=search,
            direct_only=direct_only,
            today=today,
            offset=offset,
            limit=limit,
        ).rows

    # -- Qt model ----------------------------------------------------------------------
    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(FIXED) + len(self.periods)

    def period_at(self, column: int):
        i = column - len(FIXED)
        return self.periods[i] if 0 <= i < len(self.periods) else None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        period = self.period_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if period is None:
                return _(FIXED_TITLES[FIXED[section]])
            return period_label(period).removesuffix(f" {period.year}")
        if role == Qt.ItemDataRole.ToolTipRole and period is not None:
            return _("{period}: {start} s.d. {end}; batas pengisian {deadline}").format(
                period=period_label(period),
                start=date_words(period.start),
                end=date_words(period.end),
                deadline=date_words(period.deadline),
            )
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):  # noqa: C901 (long: Qt's data(): one branch per column and role)
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        col = index.column()
        period = self.period_at(col)
        if role == EMPLOYEE_ROLE:
            return row.employee_id
        if role == PERIOD_ROLE:
            return period.id if period is not None else None
        if period is None:
            key = FIXED[col]
            if role == Qt.ItemDataRole.DisplayRole:
                if key == "skp":
                    return _(SKP_LABELS[row.skp_status])
                return {"nip": nip_text(row.nip), "name": row.name, "unit": row.unit}[key]
            if role == Qt.ItemDataRole.ToolTipRole and key in ("name", "unit"):
                return f"{row.name}\n{row.position}\n{row.unit}"
            if role == Qt.ItemDataRole.ForegroundRole and key == "skp" and row.skp_status == "belum":
                return muted_text()
            return None
        cell = row.cells.get(period.id)
        if role == CELL_ROLE:
            return cell
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(cell)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return cell_words(cell)
        if role == Qt.ItemDataRole.ForegroundRole:
            if cell.overdue:
                return error_text()
            if cell.status == "final":
                return ok_text()
            if cell.status == "belum":
                return muted_text()
        if role == Qt.ItemDataRole.FontRole and cell.overdue:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{period_label(period)}: {cell_words(cell)}"
            if cell.overdue:
                tip += "\n" + _("Terlambat: batas pengisian {deadline}.").format(deadline=date_words(period.deadline))
            return tip + "\n" + _("Klik dua kali untuk membuka evaluasinya.")
        return None
