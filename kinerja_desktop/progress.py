"""Long jobs are generators that yield :class:`Progress` and return their result.

The command line drives them with a progress bar, the window with a progress dialog,
from the same code; :func:`run` is the plain driver.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Progress:
    done: int
    total: int | None = None  # None: unknown (still counting)
    message: str = ""

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, self.done / self.total)


Job = Generator[Progress, None, T]


class Cancelled(Exception):
    """The person cancelled the job; nothing it would have written was kept."""


def run(
    job: Job[T],
    on_progress: Callable[[Progress], object] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> T:
    """Drive ``job`` to the end and return its result."""
    try:
        while True:
            p = next(job)
            if on_progress is not None:
                on_progress(p)
            if should_cancel is not None and should_cancel():
                job.throw(Cancelled())
    except StopIteration as stop:
        return stop.value
