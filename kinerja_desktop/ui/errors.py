"""What the person sees when something goes wrong.

A :class:`~kinerja_desktop.errors.UserError` is a sentence saying what happened and what
to do: it is shown in a message box. Anything else is unexpected: it is logged with its
traceback and opens :class:`CrashDialog`, which holds a copyable report and says where
the log file is. :func:`install_excepthook` routes uncaught exceptions (slots, event
handlers) here; worker tasks route theirs here through ``ui.tasks``.
"""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from datetime import datetime

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop import __version__
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.logs import log_file

log = logging.getLogger("kinerja")

_open_crash_dialogs: list[CrashDialog] = []


def _active_parent(parent: QWidget | None) -> QWidget | None:
    if isinstance(parent, QWidget):
        return parent.window()
    return QApplication.activeWindow()


def show_user_error(error: UserError | str, parent: QWidget | None = None, title: str | None = None) -> None:
    """A message box with the error's sentence (never a traceback)."""
    text = error.message if isinstance(error, UserError) else str(error)
    box = QMessageBox(_active_parent(parent))
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or _("Tidak dapat dilanjutkan"))
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def crash_report(exc_type, exc, tb) -> str:
    """The text a person copies into a message to the IT staff."""

    lines = [
        f"Kinerja Desktop {__version__}",
        f"{datetime.now().isoformat(timespec='seconds')}",
        f"Python {platform.python_version()} · PySide6 {pyside_version} · Qt {qVersion()}",
        f"{platform.platform()}",
        f"Log: {log_file()}",
        "",
        "".join(traceback.format_exception(exc_type, exc, tb)).rstrip(),
    ]
    return "\n".join(lines)


class CrashDialog(QDialog):
    """An unexpected error: what to do, a copyable report and the log file's location."""

    def __init__(self, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Terjadi kesalahan yang tidak terduga"))
        self.report = report
        layout = QVBoxLayout(self)

        head = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(40, 40))
        head.addWidget(icon, 0)
        intro = QLabel(
            _(
                "Program menemui kesalahan yang tidak terduga. Pekerjaan yang sudah disimpan tetap aman. "
                "Salin laporan di bawah ini dan kirimkan kepada petugas TI bersama berkas log."
            )
        )
        intro.setWordWrap(True)
        head.addWidget(intro, 1)
        layout.addLayout(head)

        self.text = QPlainTextEdit(report)
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.text, 1)

        self.log_label = QLabel(_("Berkas log: {path}").format(path=log_file()))
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_label.setWordWrap(True)
        layout.addWidget(self.log_label)

        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(_("Salin laporan"))
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.folder_button = QPushButton(_("Buka folder log"))
        self.folder_button.clicked.connect(self.open_log_folder)
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Tutup"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 440)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText(_("Tersalin"))

    def open_log_folder(self) -> None:
        folder = log_file().parent
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def handle_exception(exc_type, exc, tb, parent: QWidget | None = None) -> None:
    """Show ``exc`` the right way: a sentence for a UserError, the crash dialog otherwise."""
    if isinstance(exc, UserError):
        show_user_error(exc, parent)
        return
    if isinstance(exc, KeyboardInterrupt):
        QApplication.quit()
        return
    log.error("unexpected error", exc_info=(exc_type, exc, tb))
    if QApplication.instance() is None:
        sys.__excepthook__(exc_type, exc, tb)
        return
    if _open_crash_dialogs:  # one at a time: a burst of errors must not bury the window
        return
    dialog = CrashDialog(crash_report(exc_type, exc, tb), _active_parent(parent))
    _open_crash_dialogs.append(dialog)
    try:
        dialog.exec()
    finally:
        _open_crash_dialogs.remove(dialog)


def install_excepthook() -> None:
    """Route uncaught exceptions on the UI thread to :func:`handle_exception`."""

    def hook(exc_type, exc, tb) -> None:
        try:
            handle_exception(exc_type, exc, tb)
        except Exception:  # pragma: no cover - the error dialog itself failed
            log.exception("the error dialog failed")
            sys.__excepthook__(exc_type, exc, tb)

    sys.excepthook = hook
