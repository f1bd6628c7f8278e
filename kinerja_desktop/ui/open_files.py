"""Handing a file to the program the system opens it with, and saying so when there is none."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from kinerja_desktop.i18n import _
from kinerja_desktop.ui.errors import show_user_error


def open_with_system(path: Path, parent: QWidget | None = None, *, opener=None) -> bool:
    """Open ``path`` with the system's program for its type; a clear message when none opens it.

    ``opener`` replaces ``QDesktopServices.openUrl`` (tests).
    """
    ok = (opener or QDesktopServices.openUrl)(QUrl.fromLocalFile(str(path)))
    if not ok:
        show_user_error(
            _(
                "Tidak ada program di komputer ini yang dapat membuka berkas {kind} (mis. penampil PDF). "
                "Pasang penampil yang sesuai, atau simpan berkasnya lalu buka dengan program lain. Salinan "
                "berkasnya ada di {path}."
            ).format(kind=path.suffix.lstrip(".").upper(), path=path),
            parent,
            title=_("Tidak dapat membuka berkas"),
        )
    return bool(ok)
