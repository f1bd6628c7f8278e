"""Exporting the roster to a CSV or XLSX file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.progress import run_job

XLSX_FILTER = "Excel (*.xlsx)"
CSV_FILTER = "CSV (*.csv)"


def choose_export_path(parent: QWidget, folder: Path, stem: str) -> Path | None:
    suggested = folder / f"{stem}-{date.today():%Y%m%d}.xlsx"
    chosen, selected_filter = QFileDialog.getSaveFileName(
        parent, _("Ekspor daftar pegawai"), str(suggested), f"{XLSX_FILTER};;{CSV_FILTER}")
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        path = path.with_suffix(".csv" if selected_filter == CSV_FILTER else ".xlsx")
    return path


def export_roster_to(ctx, path: Path, parent: QWidget | None = None):
    """Run the export behind a progress dialog; returns the report or None."""
    from kinerja_desktop.services.roster_export import export_roster

    dialog = run_job(ctx.runner, lambda db: export_roster(db, path), title=_("Ekspor daftar pegawai"),
                     text=_("Menyiapkan {name}…").format(name=path.name), parent=parent)
    if dialog.error is not None:
        handle_exception(type(dialog.error), dialog.error, dialog.error.__traceback__, parent)
        return None
    return dialog.result


def export_roster_dialog(ctx, parent: QWidget) -> None:
    from kinerja_desktop.services.settings import get_export_folder

    with ctx.session() as s:
        folder = get_export_folder(s)
    path = choose_export_path(parent, folder, "pegawai")
    if path is None:
        return
    report = export_roster_to(ctx, path, parent)
    if report is None:
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(_("Ekspor selesai"))
    box.setText(_("{n} pegawai diekspor ke {path}.").format(n=number_text(report.rows), path=report.path))
    open_button = box.addButton(_("Buka folder"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Ok)
    box.exec()
    if box.clickedButton() is open_button:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(report.path).parent)))
