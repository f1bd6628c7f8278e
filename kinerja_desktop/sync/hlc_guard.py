"""Warn when this PC's clock is surely wrong.

The hybrid clock already keeps history in order when a clock is wrong; the warning is
so that a person fixes the clock (dates on documents come from it too).
"""

from __future__ import annotations

import time
from datetime import date

from kinerja_desktop import RELEASE_DATE
from kinerja_desktop.i18n import _
from kinerja_desktop.store.hlc import HybridClock

#: How far behind the newest timestamp seen the system clock may be before we warn.
TOLERANCE_MS = 5 * 60 * 1000


def clock_warning(clock: HybridClock | None, today: date | None = None, tolerance_ms: int = TOLERANCE_MS) -> str | None:
    """One sentence when the system clock is wrong, else ``None``."""
    today = today or date.fromtimestamp(time.time())
    if today < date.fromisoformat(RELEASE_DATE):
        return _(
            "Jam komputer ini menunjukkan {today}, sebelum tanggal rilis program ({release}); "
            "perbaiki tanggal dan jam komputer."
        ).format(today=today.isoformat(), release=RELEASE_DATE)
    if clock is not None:
        behind = clock.clock_behind_ms()
        if behind > tolerance_ms:
            return _(
                "Jam komputer ini terlambat {minutes} menit dibanding data terbaru yang pernah diterima; "
                "perbaiki tanggal dan jam komputer."
            ).format(minutes=behind // 60000)
    return None
