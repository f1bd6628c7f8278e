"""Say that something was saved, where the person is looking.

In the main window the sentence appears in the status bar for a few seconds; in a dialog
that stays open after saving (the SKP and evaluation editors) it appears in a line at the
bottom of the dialog, in the "done" colour, and fades after a while.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QWidget

from kinerja_desktop.i18n import _
from kinerja_desktop.ui.theme import MessageLabel

#: How long the sentence stays (milliseconds).
SHOWN_MS = 8000


def saved_at(text: str) -> str:
    """``text`` with the time: "SKP tersimpan pukul 14.05." (Indonesian writes 14.05)."""
    return _("{text} (pukul {time})").format(text=text.rstrip("."), time=datetime.now().strftime("%H.%M"))


def announce_saved(widget: QWidget, text: str) -> None:
    """Show ``text`` ("Data pegawai tersimpan.") in ``widget``'s window."""
    window = widget.window()
    flash = getattr(window, "flash", None)
    if callable(flash):
        flash(text)
        return
    if not isinstance(window, QDialog) or window.layout() is None:
        return
    label = window.findChild(MessageLabel, "savedNotice")
    if label is None:
        label = MessageLabel(window, MessageLabel.OK)
        label.setObjectName("savedNotice")
        window.layout().addWidget(label)
        label.timer = QTimer(label)
        label.timer.setSingleShot(True)
        label.timer.timeout.connect(label.clear_message)
    label.show_message(text, MessageLabel.OK)
    label.timer.start(SHOWN_MS)
