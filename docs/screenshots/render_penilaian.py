"""Render the Penilaian Kinerja screens offscreen at 1366×768 into docs/screenshots/penilaian-*.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/render_penilaian.py

Builds a demo district (300 employees) with a year of performance data in a temporary
folder, signs in with the practice accounts and grabs each screen.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KINERJA_DB_KEY", "5c" * 32)  # screenshot databases are throwaway: a scratch key
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
HOME = Path(tempfile.mkdtemp(prefix="kinerja-shots-"))
os.environ["KINERJA_HOME"] = str(HOME)
YEAR = 2026
TODAY = date(YEAR, 11, 28)


def main() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from kinerja_desktop.services.demo.district import build_demo
    from kinerja_desktop.services.demo.performance import add_performance_demo
    from kinerja_desktop.services.performance.periods import years_with_periods
    from kinerja_desktop.services.progress import run
    from kinerja_desktop.services.access.users import authenticate, create_practice_accounts
    from kinerja_desktop.store.database import open_database
    from kinerja_desktop.ui.launch import create_app, open_main_window

    db = open_database(HOME / "kinerja.sqlite3")
    run(build_demo(db, employees=300, seed=1504, year=YEAR))
    with db.transaction() as s:
        create_practice_accounts(s)
        if not years_with_periods(s):
            add_performance_demo(s, random.Random(1504), YEAR, today=TODAY)
    app = create_app()

    def settle(ms: int = 400) -> None:
        end = QTimer()
        end.setSingleShot(True)
        end.start(ms)
        while end.isActive():
            app.processEvents()

    def shot(widget, name: str) -> None:
        settle()
        widget.grab().save(str(HERE / f"penilaian-{name}.png"))
        print("wrote", HERE / f"penilaian-{name}.png")

    def sign(username):
        with db.transaction() as s:
            return authenticate(s, username, "latihan123")

    # A supervisor: Beranda and the grid.
    window = open_main_window(db, sign("penilai"), page="home")
    window.resize(1366, 768)
    for card in window.pages["home"].extra_cards:
        if hasattr(card, "today_fn"):
            card.today_fn = lambda: TODAY
            card.refresh()
    shot(window, "beranda")
    page = window.show_page("penilaian")
    page.today_fn = lambda: TODAY
    page.refresh()
    settle(800)
    page.scope_combo.setCurrentIndex(1)  # everyone below, to show more rows
    shot(window, "daftar")

    # The evaluation editor of a draft with ratings, and the SKP editor.
    from sqlalchemy import select

    from kinerja_desktop.services.access.permissions import subordinate_ids
    from kinerja_desktop.store.models import Evaluation, Skp
    from kinerja_desktop.ui.dialogs.evaluation_editor import EvaluationEditor
    from kinerja_desktop.ui.dialogs.skp_editor import SkpEditor

    principal = window.ctx.principal
    with db.session() as s:
        below = subordinate_ids(s, principal.employee_id)
        from kinerja_desktop.store.models import Employee

        direct = set(s.scalars(select(Employee.id).where(Employee.supervisor_id == principal.employee_id)))
        ev = s.scalar(select(Evaluation).where(Evaluation.employee_id.in_(direct), Evaluation.status == "draft",
                                               Evaluation.kind == "periodik",
                                               Evaluation.rating_perilaku_kerja.is_not(None)).limit(1))
        skp = s.scalar(select(Skp).where(Skp.employee_id.in_(direct), Skp.status == "agreed").limit(1))
    editor = EvaluationEditor(window.ctx, ev.id, window)
    editor.resize(1280, 720)
    editor.show()
    shot(editor, "evaluasi")
    editor.tabs.setCurrentIndex(1)
    shot(editor, "evaluasi-perilaku")
    editor.dirty = False
    editor.close()
    skp_editor = SkpEditor(window.ctx, skp.id, window)
    skp_editor.resize(1280, 720)
    skp_editor.show()
    shot(skp_editor, "skp")
    skp_editor.tabs.setCurrentIndex(3)
    shot(skp_editor, "skp-umpan-balik")
    skp_editor.dirty = False
    skp_editor.close()
    window.close()
    window.ctx.runner.wait(5000)

    # HR: the distribution chart.
    window = open_main_window(db, sign("kepegawaian"), page="penilaian")
    window.resize(1366, 768)
    page = window.show_page("penilaian")
    page.today_fn = lambda: TODAY
    page.refresh()
    settle(600)
    page.tabs.setCurrentIndex(1)
    settle(800)
    for i, r in enumerate(page.recaps):
        if r.report is not None and r.rated >= 8 and not r.report.ok:
            page.dist_unit.setCurrentIndex(i)
            break
    shot(window, "distribusi")
    page.tabs.setCurrentIndex(0)
    shot(window, "daftar-hr")
    window.close()
    window.ctx.runner.wait(5000)
    db.close()
    del QMessageBox, QApplication


if __name__ == "__main__":
    main()
