"""Without a console (the windowed program opening a .kinerja file) results show in a box."""

import subprocess
import sys

SCRIPT = r"""
import os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
app = QApplication([])
seen = {}
def grab():
    w = QApplication.activeModalWidget()
    if isinstance(w, QMessageBox):
        seen["text"] = w.text()
        seen["icon"] = w.icon().name
        w.accept()
    else:
        QTimer.singleShot(20, grab)
QTimer.singleShot(20, grab)
data, target, out = sys.argv[1:4]
from kinerja_desktop.store.database import open_database
open_database(os.path.join(data, "kinerja.sqlite3")).close()
sys.stdout = None
sys.stderr = None
from kinerja_desktop.cli import main
code = main(["--data-dir", data, "sync", "import", target])
with open(out, "w", encoding="utf-8") as fh:
    fh.write(f"{code}\n{seen.get('icon', '')}\n{seen.get('text', '')}")
"""


def test_a_refused_bundle_is_explained_in_a_message_box(tmp_path):
    bogus = tmp_path / "rusak.kinerja"
    bogus.write_bytes(b"this is not a bundle")
    out = tmp_path / "out.txt"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "home"), str(bogus), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    code, icon, text = out.read_text(encoding="utf-8").split("\n", 2)
    assert code == "1"
    assert icon == "Warning"
    assert text.strip(), "the reason must be shown"
    assert "Traceback" not in text
