"""Exporting tables from the window: what is exported said plainly, XLSX for people (the
default), CSV for other programs (``,`` or ``;`` for Indonesian Excel), the save dialog in the
export folder from Pengaturan, the work behind a progress dialog.

The roster exports exactly what the Pegawai page shows (its search and filters). Nothing
here opens a database session on the UI thread: the export folder and the counts come from
``ctx.query``, the export itself runs through the task runner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.roster.export import count_for_export, export_roster
from kinerja_desktop.services.roster.query import RosterFilter, describe_filter
from kinerja_desktop.services.settings import get_export_folder
from kinerja_desktop.ui.dialogs.database_key import plain_export_note
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.progress import run_job
from kinerja_desktop.ui.theme import scaled_font
from kinerja_desktop.ui.widgets import wrapped_label

XLSX_FILTER = "Excel (*.xlsx)"
CSV_FILTER = "CSV (*.csv)"


@dataclass(frozen=True)
class ExportChoice:
    suffix: str  # ".xlsx" or ".csv"
    delimiter: str = ","


class ExportOptionsDialog(QDialog):
    """What will be exported, and how: XLSX (for people) or CSV (for programs) with its separator."""

    def __init__(self, title: str, scope: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.scope = wrapped_label(scope, self)
        self.scope.setObjectName("exportScope")
        self.scope.setFont(scaled_font(self.scope, 1.0, bold=True))
        layout.addWidget(self.scope)
        self.plain_note = wrapped_label(plain_export_note(), self)  # unlike the database, the file is plain
        self.plain_note.setObjectName("exportPlainNote")
        layout.addWidget(self.plain_note)
        self.xlsx = QRadioButton(_("Excel (.xlsx), untuk dibaca orang (disarankan)"))
        self.csv = QRadioButton(_("CSV, untuk program lain"))
        group = QButtonGroup(self)
        group.addButton(self.xlsx)
        group.addButton(self.csv)
        self.xlsx.setChecked(True)
        layout.addWidget(wrapped_label(_("Format berkas:"), self))
        for button, text in (
            (
                self.xlsx,
                _(
                    "Judul kolom berbahasa Indonesia, lebar kolom pas, NIP tetap 18 digit (teks), tanggal "
                    "sebagai tanggal."
                ),
            ),
            (
                self.csv,
                _(
                    "UTF-8 dengan BOM, untuk dibaca program lain. Bila dibuka langsung di Excel, NIP 18 digit "
                    "dapat berubah menjadi angka; pilih XLSX bila berkas akan dibaca orang."
                ),
            ),
        ):
            layout.addWidget(button)
            note = wrapped_label(text, self)
            note.setIndent(24)
            note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            layout.addWidget(note)
        row = QHBoxLayout()
        self.delimiter_label = QLabel(_("Pemisah kolom CSV:"))
        self.delimiter = QComboBox()
        self.delimiter.setObjectName("csvDelimiter")
        self.delimiter.addItem(_("Koma (,)"), ",")
        self.delimiter.addItem(_("Titik koma (;), untuk Excel berbahasa Indonesia"), ";")
        row.addSpacing(24)
        row.addWidget(self.delimiter_label)
        row.addWidget(self.delimiter, 1)
        layout.addLayout(row)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(_("Pilih lokasi…"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton(_("Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.csv.toggled.connect(self._format_changed)
        self._format_changed(False)
        self.setMinimumWidth(620)

    def _format_changed(self, csv: bool) -> None:
        self.delimiter.setEnabled(csv)
        self.delimiter_label.setEnabled(csv)

    def choice(self) -> ExportChoice:
        if self.csv.isChecked():
            return ExportChoice(".csv", self.delimiter.currentData())
        return ExportChoice(".xlsx")


def choose_export_path(
    parent: QWidget, folder: Path, stem: str, suffix: str = ".xlsx", title: str | None = None
) -> Path | None:
    """The save dialog, starting in ``folder`` with ``<stem>-<today>.<suffix>`` suggested."""
    suggested = Path(folder) / f"{stem}-{date.today():%Y%m%d}{suffix}"
    chosen, _selected = QFileDialog.getSaveFileName(
        parent, title or _("Ekspor daftar pegawai"), str(suggested), CSV_FILTER if suffix == ".csv" else XLSX_FILTER
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != suffix:
        path = path.with_suffix(suffix)
    return path


def ask_export(parent: QWidget, title: str, scope: str, folder: Path, stem: str) -> tuple[Path, ExportChoice] | None:
    """Options, then where: the path and the choice, or None when the person cancelled."""
    options = ExportOptionsDialog(title, scope, parent)
    if options.exec() != QDialog.DialogCode.Accepted:
        return None
    choice = options.choice()
    path = choose_export_path(parent, folder, stem, choice.suffix, title)
    return (path, choice) if path is not None else None


def tell_exported(parent: QWidget, text: str, path: Path) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(_("Ekspor selesai"))
    box.setText(text)
    box.setInformativeText(plain_export_note())
    open_button = box.addButton(_("Buka folder"), QMessageBox.ButtonRole.ActionRole)
    ok = box.addButton(_("Tutup"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(ok)
    box.exec()
    if box.clickedButton() is open_button:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))


# --- the roster ---------------------------------------------------------------------------


def roster_scope(count: int, flt: RosterFilter, unit_name: str | None = None) -> str:
    """What the roster export will contain, in one sentence."""
    parts = describe_filter(flt, unit_name)
    if flt.active is None and len(parts) == 0:
        return _("Yang diekspor: semua {n} pegawai (aktif dan tidak aktif).").format(n=number_text(count))
    return _("Yang diekspor: {n} pegawai, sesuai yang tampil di layar ({filter}).").format(
        n=number_text(count), filter="; ".join(parts)
    )


def export_roster_to(
    ctx, path: Path, parent: QWidget | None = None, flt: RosterFilter | None = None, delimiter: str = ","
):
    """Run the export behind a progress dialog; returns the report or None."""
    principal = ctx.principal
    dialog = run_job(
        ctx.runner,
        lambda db: export_roster(db, path, actor=principal, flt=flt, delimiter=delimiter),
        title=_("Ekspor daftar pegawai"),
        text=_("Menyiapkan {name}…").format(name=path.name),
        parent=parent,
    )
    if dialog.error is not None:
        handle_exception(type(dialog.error), dialog.error, dialog.error.__traceback__, parent)
        return None
    return dialog.result


def export_roster_dialog(
    ctx,
    parent: QWidget,
    flt: RosterFilter | None = None,
    unit_name: str | None = None,
    on_done: Callable[[object], None] | None = None,
) -> None:
    """Ask (what is exported, format, where), export, tell. ``flt``: the filter on screen."""
    flt = flt or RosterFilter(active=None)
    principal = ctx.principal

    def facts(session):
        return get_export_folder(session), count_for_export(session, principal, flt)

    def ask(result) -> None:
        folder, count = result
        answer = ask_export(parent, _("Ekspor daftar pegawai"), roster_scope(count, flt, unit_name), folder, "pegawai")
        if answer is None:
            return
        path, choice = answer
        report = export_roster_to(ctx, path, parent, flt, choice.delimiter)
        if report is not None:
            tell_exported(
                parent,
                _("{n} pegawai diekspor ke {path}.").format(n=number_text(report.rows), path=report.path),
                report.path,
            )
        if on_done is not None:
            on_done(report)

    ctx.query(facts, ask, owner=parent)
