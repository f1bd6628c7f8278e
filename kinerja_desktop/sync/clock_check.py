"""Clock sanity of incoming bundles (docs/sync.md, "Jam").

A stamp more than ``max_ahead`` (24 hours unless the ``sync_clock_ahead_hours`` setting says
otherwise) ahead of this PC's wall clock means the sender's clock is wrong. Absorbing it would
stamp every later edit here decades ahead (and make it beat every honest edit), so such a
bundle is refused whole, with a sentence naming the office and the year its clock shows;
nothing is recorded, so the office can fix its clock, export anew and send again.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from kinerja_desktop.i18n import _
from kinerja_desktop.store.hlc import Timestamp
from kinerja_desktop.store.site import Setting
from kinerja_desktop.sync.errors import BundleRefused

SETTING = "sync_clock_ahead_hours"
DEFAULT_AHEAD_HOURS = 24


def max_ahead_ms(session: Session) -> int:
    row = session.get(Setting, SETTING)
    hours = row.value if row is not None and isinstance(row.value, (int, float)) and row.value > 0 else None
    return int((hours or DEFAULT_AHEAD_HOURS) * 3600 * 1000)


def _year(wall_ms: int) -> str:
    try:
        return str(datetime.fromtimestamp(wall_ms / 1000, tz=UTC).year)
    except (OverflowError, OSError, ValueError):
        return _("tahun yang tidak mungkin")


def check_stamps(stamps: Iterable[str], *, source: str, ahead_ms: int, now_ms: int | None = None) -> None:
    """Refuse (whole) when any stamp is malformed or too far ahead of this PC's clock."""
    limit = (now_ms if now_ms is not None else int(time.time() * 1000)) + ahead_ms
    newest = 0
    for text in stamps:
        try:
            wall = Timestamp.parse(text).wall_ms
        except ValueError:
            raise BundleRefused(
                _("Bundel dari {site} memuat stempel waktu yang tidak sah; berkas tidak diterapkan.").format(
                    site=source
                )
            ) from None
        newest = max(newest, wall)
    if newest > limit:
        raise BundleRefused(
            _(
                "Jam komputer kantor {site} menunjukkan {year}, lebih dari {hours} jam di depan jam komputer ini; "
                "bundelnya tidak diterapkan dan tidak ada yang diubah. Minta kantor itu membetulkan tanggal dan jam "
                "komputernya, lalu mengekspor dan mengirim bundel baru."
            ).format(site=source, year=_year(newest), hours=ahead_ms // 3_600_000)
        )
