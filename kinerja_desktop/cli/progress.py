"""A progress bar for long jobs on a terminal (silent when output is not a terminal)."""

from __future__ import annotations

import sys
import time

from kinerja_desktop.services.progress import Job, Progress, run


class TerminalProgress:
    def __init__(self, stream=None, width: int = 30, min_interval: float = 0.1) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = 0.0
        self._shown = False
        self.min_interval = min_interval

    def __call__(self, p: Progress) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < self.min_interval and p.done != p.total:
            return
        self._last = now
        if p.total:
            filled = int(self.width * p.fraction)
            bar = "#" * filled + "-" * (self.width - filled)
            text = f"\r[{bar}] {p.done}/{p.total} {p.message}"
        else:
            text = f"\r{p.done} {p.message}"
        self.stream.write(text[:120].ljust(80))
        self.stream.flush()
        self._shown = True

    def finish(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()


def run_with_progress(job: Job):
    bar = TerminalProgress()
    try:
        return run(job, bar)
    finally:
        bar.finish()
