"""Small widgets shared by pages and dialogs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget, QWizard

from kinerja_desktop.i18n import _
from kinerja_desktop.ui.theme import MessageLabel


class Throttle(QObject):
    """Calls ``fn`` at once on the first trigger after a quiet spell, then at most once
    per ``interval_ms`` while triggers keep coming (the last one always runs).

    Typing a single character answers without waiting; typing fast runs one query per
    interval instead of one per key.
    """

    def __init__(self, fn: Callable[[], None], interval_ms: int = 150, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._pending = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def trigger(self) -> None:
        if self._timer.isActive():
            self._pending = True
            return
        self._fn()
        self._timer.start()

    def _tick(self) -> None:
        if self._pending:
            self._pending = False
            self._fn()
            self._timer.start()

    def flush(self) -> None:
        """Run a pending call now (used before reading results in tests and on Enter)."""
        if self._pending:
            self._timer.stop()
            self._tick()


class Debounce(QObject):
    """Calls ``fn`` once, ``delay_ms`` after the last trigger."""

    def __init__(self, fn: Callable[[], None], delay_ms: int = 150, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(fn)

    def trigger(self) -> None:
        self._timer.start()

    def flush(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self._timer.timeout.emit()


class FieldWithMessage(QWidget):
    """A field with its message label right under it (inline validation)."""

    def __init__(self, field: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.field = field
        self.message = MessageLabel(self)
        layout.addWidget(field)
        layout.addWidget(self.message)
        self.setFocusProxy(field)

    _hint = ""

    def set_error(self, text: str | None) -> None:
        """Show ``text`` as an error; without one, the field's hint comes back."""
        if text:
            self.message.show_message(text, MessageLabel.ERROR)
        else:
            self.message.show_message(self._hint, MessageLabel.HINT)

    def set_hint(self, text: str | None) -> None:
        self._hint = text or ""
        self.message.show_message(self._hint, MessageLabel.HINT)

    def error(self) -> str:
        shown = not self.message.isHidden() and self.message.kind == MessageLabel.ERROR
        return self.message.text() if shown else ""


def form_layout() -> QFormLayout:
    """A form whose labels sit left and whose fields grow (wraps on narrow windows)."""
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setLabelAlignment(form.labelAlignment())
    return form


def reserve_lines(label: QLabel, lines: int) -> None:
    """A word-wrapped status label that always takes ``lines`` lines, so that what is below it
    does not move when its text comes, goes or changes length (it grows only beyond that)."""

    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setMinimumHeight(label.fontMetrics().lineSpacing() * lines + 4)


def wrapped_label(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


def prepare_wizard(wizard, title: str, finish_text: str) -> None:
    """The look and Indonesian button texts every wizard of the program shares."""

    wizard.setWindowTitle(title)
    wizard.setWizardStyle(QWizard.WizardStyle.ModernStyle)
    wizard.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
    wizard.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
    wizard.setButtonText(QWizard.WizardButton.NextButton, _("Lanjut >"))
    wizard.setButtonText(QWizard.WizardButton.BackButton, _("< Kembali"))
    wizard.setButtonText(QWizard.WizardButton.CancelButton, _("Batal"))
    wizard.setButtonText(QWizard.WizardButton.FinishButton, finish_text)
