"""Colours and fonts derived from the system palette, so light and dark mode both work.

Nothing here hardcodes a colour that ignores the palette: "error red" is picked light or
dark to match the window background, and widgets recompute it when the palette changes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def error_text(palette: QPalette | None = None) -> QColor:
    """A red that reads well on the palette's window and base colours."""
    return QColor("#ffb4ab") if is_dark(palette) else QColor("#b3261e")


def error_background(palette: QPalette | None = None) -> QColor:
    """A tint for rows or fields that hold an error."""
    return QColor("#5c1f1b") if is_dark(palette) else QColor("#fde3e1")


def ok_text(palette: QPalette | None = None) -> QColor:
    return QColor("#8fd694") if is_dark(palette) else QColor("#1b6e2a")


def muted_text(palette: QPalette | None = None) -> QColor:
    """Secondary text: the text colour two-thirds of the way from the background."""
    palette = palette or QApplication.palette()
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    mix = 0.68
    return QColor.fromRgbF(
        back.redF() + (text.redF() - back.redF()) * mix,
        back.greenF() + (text.greenF() - back.greenF()) * mix,
        back.blueF() + (text.blueF() - back.blueF()) * mix,
    )


def scaled_font(widget: QWidget, factor: float, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    else:
        font.setPixelSize(max(1, round(font.pixelSize() * factor)))
    font.setBold(bold)
    return font


def make_room(window: QWidget) -> None:
    """Grow the dialog ``window`` so that its wrapped texts get the height they need.

    A dialog's size does not follow the height its word-wrapped labels need at its width
    (Qt gives top-level windows no height-for-width), so a two-line message under a field
    would be clipped. Never shrinks, never grows past the screen, leaves main windows be.
    """
    if not isinstance(window, QDialog) or window.layout() is None:
        return
    layout = window.layout()
    layout.activate()
    width = window.width()
    need = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
    screen = window.screen()
    if screen is not None:
        need = min(need, screen.availableGeometry().height() - 40)
    if need > window.height():
        window.resize(width, need)


class MessageLabel(QLabel):
    """A word-wrapped label for a message under a field: error, success or a plain hint.

    Its colour follows the palette (recomputed on light/dark switches); it takes no
    space when empty, and a dialog grows to show all of it (:func:`make_room`).
    """

    ERROR, OK, HINT = "error", "ok", "hint"

    def __init__(self, parent: QWidget | None = None, kind: str = ERROR) -> None:
        super().__init__(parent)
        self._kind = kind
        self.setWordWrap(True)
        self.setVisible(False)
        self._apply()

    @property
    def kind(self) -> str:
        return self._kind

    def show_message(self, text: str | None, kind: str | None = None) -> None:
        if kind:
            self._kind = kind
            self._apply()
        self.setText(text or "")
        self.setVisible(bool(text))
        if text:
            # After this turn of the event loop: the label has its new size hint by then.
            QTimer.singleShot(0, self, lambda: make_room(self.window()))

    def clear_message(self) -> None:
        self.show_message("")

    def _apply(self) -> None:
        pal = QPalette(self.palette())
        pal_source = QApplication.palette()
        if self._kind == self.ERROR:
            color = error_text(pal_source)
        elif self._kind == self.OK:
            color = ok_text(pal_source)
        else:
            color = muted_text(pal_source)
        pal.setColor(QPalette.ColorRole.WindowText, color)
        self.setPalette(pal)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming

        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.StyleChange):
            self._apply()
        super().changeEvent(event)
