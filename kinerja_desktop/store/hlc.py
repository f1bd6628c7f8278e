"""Hybrid logical clock: ``<wall ms>-<counter>-<site>``, sortable as text.

The clock never goes backwards: it takes the maximum of the local wall clock and every
timestamp it has issued or received, so a PC whose clock is wrong cannot reorder history.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

WALL_DIGITS = 13
COUNTER_DIGITS = 5
MAX_COUNTER = 10**COUNTER_DIGITS - 1
MAX_WALL = 10**WALL_DIGITS - 1


@dataclass(frozen=True, order=True)
class Timestamp:
    wall_ms: int
    counter: int
    site: str

    def __str__(self) -> str:
        return f"{self.wall_ms:0{WALL_DIGITS}d}-{self.counter:0{COUNTER_DIGITS}d}-{self.site}"

    @classmethod
    def parse(cls, text: str) -> Timestamp:
        try:
            wall, counter, site = text.split("-", 2)
            if len(wall) != WALL_DIGITS or len(counter) != COUNTER_DIGITS or not site:
                raise ValueError
            return cls(int(wall), int(counter), site)
        except ValueError:
            raise ValueError(f"Not a hybrid logical clock value: {text!r}") from None


class HybridClock:
    def __init__(self, site: str, last: str | None = None, wall=None) -> None:
        self.site = site
        self._wall = wall or (lambda: int(time.time() * 1000))
        self._lock = threading.Lock()
        self._last_wall = 0
        self._last_counter = 0
        if last:
            self.observe(last)

    @property
    def last(self) -> str:
        return str(Timestamp(self._last_wall, self._last_counter, self.site))

    def now(self) -> str:
        """A new timestamp, greater than every one issued or observed before."""
        with self._lock:
            wall = self._wall()
            if wall > self._last_wall:
                self._last_wall, self._last_counter = wall, 0
            elif self._last_counter < MAX_COUNTER:
                self._last_counter += 1
            else:  # the counter is full: move on by a millisecond, the text format stays the same width
                self._last_wall, self._last_counter = min(self._last_wall + 1, MAX_WALL), 0
            return str(Timestamp(self._last_wall, self._last_counter, self.site))

    def observe(self, remote: str) -> None:
        """Absorb a timestamp received from elsewhere."""
        ts = Timestamp.parse(remote)
        with self._lock:
            if (ts.wall_ms, ts.counter) > (self._last_wall, self._last_counter):
                self._last_wall, self._last_counter = ts.wall_ms, ts.counter

    def clock_behind_ms(self) -> int:
        """How far the system clock is behind the newest timestamp seen (0 when it is not)."""
        return max(0, self._last_wall - self._wall())
