"""Shared office PCs: sign out by itself after a while without keyboard or mouse.

One event filter on the application restarts a single-shot timer on every key press,
mouse press, mouse move or wheel; when the timer runs out the window signs out (the
sign-in screen again, every page and its data gone). The minutes are a setting
(``services.pegawai.policy.idle_minutes``), read off the UI thread when someone signs in.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from kinerja_desktop.services.pegawai.policy import idle_minutes

ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleSignOut(QObject):
    def __init__(self, window, minutes: float) -> None:
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self.timer.timeout.connect(self._expired)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() in ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def _expired(self) -> None:
        self.stop()
        if self.window.ctx is not None:
            self.window.signed_out_idle = True
            self.window.sign_out()


def attach_idle_sign_out(window, ctx) -> None:
    """Start the watcher for ``ctx``'s session once the setting is read."""

    window.idle = None

    def start(minutes: int) -> None:
        if window.ctx is ctx:
            window.idle = IdleSignOut(window, minutes)

    ctx.query(idle_minutes, start, owner=window)
