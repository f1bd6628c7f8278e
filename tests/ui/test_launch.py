"""Starting the program: the window's frame comes first, the data layer after, pages on demand."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import sign_in_as

ROOT = Path(__file__).resolve().parents[2]

FRAME_ONLY = r"""
import json, sys
from kinerja_desktop.ui.launch import create_app
from kinerja_desktop.ui.window import MainWindow
import kinerja_desktop.ui.pages

app = create_app()
window = MainWindow()
window.show()
while window.first_painted_at is None:
    app.processEvents()
loaded = sorted(m for m in sys.modules if m.split(".")[0] == "sqlalchemy"
                or m.startswith(("kinerja_desktop.store", "kinerja_desktop.services.")))
print(json.dumps({"loaded": loaded, "text": window.waiting.label.text(), "nav": window.nav.count()}))
"""

ONE_PAGE = r"""
import json, sys
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.store.database import open_database
from kinerja_desktop.ui.launch import open_main_window

db = open_database(sys.argv[1])
window = open_main_window(db, SYSTEM, page="employees")
pages = sorted(m for m in sys.modules if m.startswith("kinerja_desktop.ui.pages."))
nav = [window.nav.item(i).text() for i in range(window.nav.count())]
window.ctx.runner.wait(5000)
window.close()
db.close()
print(json.dumps({"pages": pages, "nav": nav}))
"""


def _python(code: str, tmp_path: Path, *args: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KINERJA_HOME=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_the_frame_paints_without_the_data_layer(tmp_path):
    """What the window needs to paint first imports no SQLAlchemy, no store, no services
    (apart from the plain role names, the role-rules table and the progress type): they load in
    a worker after it."""
    out = _python(FRAME_ONLY, tmp_path)
    assert not [m for m in out["loaded"] if m.split(".")[0] == "sqlalchemy"], out["loaded"]
    assert set(out["loaded"]) <= {
        "kinerja_desktop.services.access",
        "kinerja_desktop.services.access.principal",
        "kinerja_desktop.services.access.role_rules",
        "kinerja_desktop.services.progress",
    }, out["loaded"]
    assert out["text"] == "Membuka basis data…"
    assert out["nav"] == 0


def test_a_page_module_is_imported_when_its_page_is_first_shown(tmp_path):
    out = _python(ONE_PAGE, tmp_path, str(tmp_path / "kinerja.sqlite3"))
    assert "Jejak Audit" in out["nav"] and "Penilaian Kinerja" in out["nav"] and "Pelatihan" in out["nav"]
    assert "kinerja_desktop.ui.pages.employees" in out["pages"]
    for other in (
        "home",
        "audit",
        "settings",
        "penilaian",
        "penilaian_cards",
        "pelatihan",
        "kompetensi",
        "documents",
        "sync_page",
        "conflicts_page",
        "jp_card",
    ):
        assert f"kinerja_desktop.ui.pages.{other}" not in out["pages"], other


def test_the_frame_before_sign_in(qtbot):
    from kinerja_desktop.ui.window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.first_painted_at is not None, timeout=5000)
    assert window.stack.currentWidget() is window.waiting
    assert window.waiting.label.text() == "Membuka basis data…" and window.waiting.busy.isVisible()
    assert window.nav.count() == 0 and window.current_page() is None
    assert not window.action_sign_out.isEnabled() and not window.action_search.isEnabled()
    window.action_search.trigger()  # nothing to forward to: no error
    assert window.menuBar().actions()[0].text() == "&Berkas"


def _launch(db_path, account, on_poll, data_dir=None) -> int:
    from kinerja_desktop.ui.launch import launch

    timer = QTimer()
    timer.setInterval(30)
    timer.timeout.connect(on_poll)
    timer.start()
    try:
        return launch(argparse.Namespace(db=str(db_path), data_dir=data_dir, lang=None, command=None), account=account)
    finally:
        timer.stop()


def test_launch_fills_the_window_and_signing_out_asks_again(qtbot, demo_db):
    """``account`` stands in for the sign-in dialog (benchmarks); the window stays through a
    sign-out and is filled again for the next person."""
    from kinerja_desktop.ui.window import MainWindow

    people = ["kepegawaian", "admin"]
    asked, shown = [], []

    def account(db):
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        asked.append((id(window), window.ctx, window.waiting.label.text(), window.isVisible()))
        return sign_in_as(db, people.pop(0)) if people else None

    def poll():
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow) and window.ctx is not None and window.isVisible():
                titles = [window.nav.item(i).text() for i in range(window.nav.count())]
                shown.append((id(window), window.ctx.principal.username, titles, window.user_label.text()))
                if window.ctx.principal.username == "kepegawaian":
                    window.sign_out()
                else:
                    window.close()

    code = _launch(demo_db.path, account, poll)
    assert code == 0
    assert [a[1:] for a in asked] == [(None, "Silakan masuk untuk melanjutkan.", True)] * 2
    assert [s[1] for s in shown] == ["kepegawaian", "admin"]
    assert shown[0][0] == shown[1][0] == asked[0][0], "one window throughout"
    assert "Jejak Audit" not in shown[0][2] and "Jejak Audit" in shown[1][2]
    assert shown[1][3] in ("admin (Administrator)", "Latihan Administrator (Administrator)")


def test_launch_without_anyone_signing_in_quits(qtbot, demo_db):
    assert _launch(demo_db.path, lambda db: None, lambda: None) == 0


def test_a_file_that_is_not_a_database_is_explained_over_the_window(qtbot, tmp_path):
    junk = tmp_path / "bukan.sqlite3"
    junk.write_text("ini bukan basis data", encoding="utf-8")
    texts = []

    def poll():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                texts.append(widget.text())
                widget.done(0)

    code = _launch(junk, lambda db: None, poll)
    assert code == 2
    assert len(texts) == 1 and "bukan basis data Kinerja Desktop" in texts[0]


LATER = r"""
import argparse, json, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.ui.launch import launch

STACKS = ("reportlab", "pyhanko", "openpyxl")
seen = {}


def account(db):
    seen["at_sign_in"] = [m for m in STACKS if m in sys.modules]
    deadline = time.monotonic() + 60

    def poll():
        loaded = [m for m in STACKS if m in sys.modules]
        if loaded == list(STACKS) or time.monotonic() > deadline:
            seen["later"] = loaded
            for w in QApplication.topLevelWidgets():
                w.close()
        else:
            QTimer.singleShot(50, poll)

    QTimer.singleShot(0, poll)
    return SYSTEM


code = launch(argparse.Namespace(db=sys.argv[1], data_dir=None, lang=None, command=None), account=account)
print(json.dumps({"code": code, **seen}))
"""


def test_the_document_stacks_load_in_the_background_after_sign_in(tmp_path, demo_db):
    """Pages that print or export import reportlab, pyHanko and openpyxl; the launcher loads
    them in a worker shortly after sign-in, so no page's first show waits for them."""
    out = _python(LATER, tmp_path, str(demo_db.path))
    assert out["code"] == 0
    assert out["at_sign_in"] == []
    assert out["later"] == ["reportlab", "pyhanko", "openpyxl"]
