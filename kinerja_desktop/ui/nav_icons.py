"""The navigation's icons: one drawing per page, in the colour of the window's text.

Each page names its icon in its ``PageSpec``: a drawing of ours in
``resources/icons/nav/<name>.svg`` (line icons whose ``currentColor`` becomes the palette's
text colour, so they read in light and dark mode alike), or else the name of a
``QStyle.StandardPixmap``. A page whose icon is missing gets none rather than another
page's.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

from kinerja_desktop.paths import resources_dir

SIZES = (20, 24, 40, 48)


def nav_icon_path(name: str) -> Path:
    return resources_dir() / "icons" / "nav" / f"{name}.svg"


@lru_cache(maxsize=64)
def _drawn(name: str, colour: str) -> QIcon:
    svg = nav_icon_path(name).read_text(encoding="utf-8").replace("currentColor", colour)
    icon = QIcon()
    for size in SIZES:
        pixmap = QPixmap()
        data = QByteArray(svg.replace('width="24" height="24"', f'width="{size}" height="{size}"').encode())
        if pixmap.loadFromData(data, "SVG"):
            icon.addPixmap(pixmap)
    return icon


def nav_icon(name: str | None, style: QStyle | None = None) -> QIcon:
    """The icon called ``name`` (see the module doc); an empty icon when there is none."""
    if not name:
        return QIcon()
    if nav_icon_path(name).is_file():
        colour = QApplication.palette().color(QPalette.ColorRole.WindowText).name()
        return _drawn(name, colour)
    pixmap = getattr(QStyle.StandardPixmap, name, None)
    if pixmap is not None:
        return (style or QApplication.style()).standardIcon(pixmap)
    return QIcon()
