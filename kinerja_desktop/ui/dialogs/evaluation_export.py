"""Exporting the evaluations of a year (all periods or one) to a CSV or XLSX file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.progress import run_job

XLSX_FILTER = "Excel (*.xlsx)"
CSV_FILTER = "CSV (*.csv)"


def export_evaluations_to(ctx, path: Path, year: int, period_id: str | None, parent: QWidget | None = None):
    """Run the export behind a progress dialog; the number of rows or None."""
    from kinerja_desktop.services.evaluation_export import export_evaluations

    principal = ctx.principal

    def make_job(db):
        session = db.session()
        job = export_evaluations(session, principal, path, year, period_id)
        try:
            result = yield from job
        finally:
            session.close()
        return result

    dialog = run_job(ctx.runner, make_job, title=_("Ekspor evaluasi"),
                     text=_("Menyiapkan {name}…").format(name=path.name), parent=parent)
    if dialog.error is not None:
        handle_exception(type(dialog.error), dialog.error, dialog.error.__traceback__, parent)
        return None
    return dialog.result


def export_evaluations_dialog(ctx, year: int | None, parent: QWidget) -> None:
    from kinerja_desktop.services.periods import list_periods, period_label
    from kinerja_desktop.services.settings import get_export_folder

    if year is None:
        return
    with ctx.session() as s:
        folder = get_export_folder(s)
        periods = list_periods(s, year)
    labels = [_("Semua periode {year}").format(year=year)] + [period_label(p) for p in periods]
    choice, ok = QInputDialog.getItem(parent, _("Ekspor evaluasi"), _("Periode:"), labels, 0, False)
    if not ok:
        return
    index = labels.index(choice)
    period_id = periods[index - 1].id if index else None
    suggested = folder / f"evaluasi-{year}-{date.today():%Y%m%d}.xlsx"
    chosen, selected = QFileDialog.getSaveFileName(parent, _("Ekspor evaluasi"), str(suggested),
                                                   f"{XLSX_FILTER};;{CSV_FILTER}")
    if not chosen:
        return
    path = Path(chosen)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        path = path.with_suffix(".csv" if selected == CSV_FILTER else ".xlsx")
    n = export_evaluations_to(ctx, path, year, period_id, parent)
    if n is None:
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(_("Ekspor selesai"))
    box.setText(_("{n} evaluasi diekspor ke {path}.").format(n=number_text(n), path=path))
    open_button = box.addButton(_("Buka folder"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Ok)
    box.exec()
    if box.clickedButton() is open_button:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
