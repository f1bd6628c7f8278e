"""Showing a command's result when there is no console to print it on.

On Windows the installed ``kinerja.exe`` is a windowed program; a ``.kinerja`` file opened
from Explorer runs ``kinerja.exe sync import FILE`` through it. What the command would have
printed (applied, already received, or why it was refused) appears in a message box.
"""

from __future__ import annotations

import sys

from kinerja_desktop.i18n import _


def show_result(text: str, exit_code: int) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: PLC0415 (launch boundary: the CLI stays Qt-free)

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 (kept alive)
    box = QMessageBox()
    box.setWindowTitle(_("Kinerja Desktop"))
    box.setIcon(QMessageBox.Icon.Information if exit_code == 0 else QMessageBox.Icon.Warning)
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()
