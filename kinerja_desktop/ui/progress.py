"""A progress dialog for long jobs (import, export, demo data) run in a worker thread.

The job is the same generator the command line drives with its terminal progress bar;
here each ``Progress`` it yields moves the bar. "Batal" asks the job to stop at its next
step (it throws ``Cancelled`` into it, so nothing half-done is kept); the dialog stays
until the job has really stopped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from kinerja_desktop.i18n import _
from kinerja_desktop.services.progress import Cancelled, Progress


class JobDialog(QDialog):
    """Runs ``make_job(db)`` through ``runner`` and shows its progress (see module doc).

    After :meth:`exec` returns: ``result`` holds the job's return value, ``error`` the
    exception it raised, and ``cancelled`` says whether the person stopped it.
    """

    def __init__(
        self,
        runner,
        make_job: Callable[[Any], Any],
        *,
        title: str,
        text: str = "",
        cancellable: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.runner = runner
        self.make_job = make_job
        self.result: Any = None
        self.error: BaseException | None = None
        self.cancelled = False
        self.finished_job = False
        self._cancel = threading.Event()
        self.progress_seen: list[Progress] = []

        layout = QVBoxLayout(self)
        self.label = QLabel(text or _("Sedang bekerja…"))
        self.label.setWordWrap(True)
        self.label.setMinimumWidth(420)
        layout.addWidget(self.label)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        layout.addWidget(self.bar)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton(_("Batal"))
        self.cancel_button.setEnabled(cancellable)
        self.cancel_button.clicked.connect(self.request_cancel)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not hasattr(self, "_started"):
            self._started = True
            self.runner.submit_job(
                self.make_job, self._on_progress, self._on_done, self._on_error, cancel_event=self._cancel, owner=self
            )

    def _on_progress(self, p: Progress) -> None:
        self.progress_seen.append(p)
        if p.total:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * (p.fraction or 0)))
        else:
            self.bar.setRange(0, 0)
        if p.message and not self._cancel.is_set():
            self.label.setText(p.message)

    def _on_done(self, result: Any) -> None:
        self.result = result
        self.finished_job = True
        self.accept()

    def _on_error(self, exc: BaseException) -> None:
        self.finished_job = True
        if isinstance(exc, Cancelled):
            self.cancelled = True
        else:
            self.error = exc
        super().reject()

    def request_cancel(self) -> None:
        if self._cancel.is_set():
            return
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.label.setText(_("Membatalkan… menunggu langkah yang sedang berjalan selesai."))

    def reject(self) -> None:  # Esc or the window's close button: cancel, do not abandon
        if self.finished_job:
            super().reject()
        else:
            self.request_cancel()


def run_job(
    runner,
    make_job: Callable[[Any], Any],
    *,
    title: str,
    text: str = "",
    parent: QWidget | None = None,
    cancellable: bool = True,
) -> JobDialog:
    """Run a job behind a modal progress dialog; returns the finished dialog."""
    dialog = JobDialog(runner, make_job, title=title, text=text, cancellable=cancellable, parent=parent)
    dialog.exec()
    return dialog
