"""Exporting the evaluations of a year (all periods or one) to an XLSX or CSV file.

The export holds every evaluation the signed-in person may see for the chosen period (the
services limit it to their chain); the dialog says so before asking where to save.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QWidget

from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.performance.evaluation_export import count_rows, export_evaluations
from kinerja_desktop.services.performance.periods import list_periods, period_label
from kinerja_desktop.services.settings import get_export_folder
from kinerja_desktop.ui.dialogs.export import ask_export, tell_exported
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.progress import run_job


def export_evaluations_to(
    ctx, path: Path, year: int, period_id: str | None, parent: QWidget | None = None, delimiter: str = ","
):
    """Run the export behind a progress dialog; the number of rows or None."""
    principal = ctx.principal

    def make_job(db):
        session = db.session()
        job = export_evaluations(session, principal, path, year, period_id, delimiter=delimiter)
        try:
            result = yield from job
        finally:
            session.close()
        return result

    dialog = run_job(
        ctx.runner,
        make_job,
        title=_("Ekspor evaluasi"),
        text=_("Menyiapkan {name}…").format(name=path.name),
        parent=parent,
    )
    if dialog.error is not None:
        handle_exception(type(dialog.error), dialog.error, dialog.error.__traceback__, parent)
        return None
    return dialog.result


def export_evaluations_dialog(ctx, year: int | None, parent: QWidget) -> None:
    if year is None:
        return
    principal = ctx.principal

    def facts(session):
        periods = list_periods(session, year)
        counts = {None: count_rows(session, principal, year)}
        counts.update((p.id, count_rows(session, principal, year, p.id)) for p in periods)
        return get_export_folder(session), [(p.id, period_label(p)) for p in periods], counts

    def ask(result) -> None:
        folder, periods, counts = result
        labels = [_("Semua periode {year}").format(year=year)] + [label for _id, label in periods]
        choice, ok = QInputDialog.getItem(parent, _("Ekspor evaluasi"), _("Periode:"), labels, 0, False)
        if not ok:
            return
        index = labels.index(choice)
        period_id = periods[index - 1][0] if index else None
        scope = _(
            "Yang diekspor: semua {n} evaluasi {period} yang dapat Anda lihat (versi terbaru tiap evaluasi), "
            "tanpa saringan halaman."
        ).format(n=number_text(counts.get(period_id, 0)), period=choice)
        answer = ask_export(parent, _("Ekspor evaluasi"), scope, folder, f"evaluasi-{year}")
        if answer is None:
            return
        path, option = answer
        n = export_evaluations_to(ctx, path, year, period_id, parent, option.delimiter)
        if n is not None:
            tell_exported(parent, _("{n} evaluasi diekspor ke {path}.").format(n=number_text(n), path=path), path)

    ctx.query(facts, ask, owner=parent)
