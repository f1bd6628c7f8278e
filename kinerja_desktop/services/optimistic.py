"""Optimistic concurrency: a save states which version of a row the editor opened.

Every update of an SKP, an evaluation or a period takes ``expected_hlc`` (the row's
``updated_hlc`` when the editor opened it). If someone saved the row since, the later
save is refused with :class:`ConcurrentEdit`, so nobody's work is silently overwritten.
"""

from __future__ import annotations

from datetime import datetime

from kinerja_desktop.errors import UserError
from kinerja_desktop.formatting import date_words
from kinerja_desktop.i18n import _
from kinerja_desktop.store.hlc import Timestamp


class ConcurrentEdit(UserError):
    """The row was saved by someone else after the editor opened it."""


def hlc_time_text(hlc: str) -> str:
    """``"28 November 2026 14.05"`` (local time) for a hybrid-clock value."""
    try:
        moment = datetime.fromtimestamp(Timestamp.parse(hlc).wall_ms / 1000)
    except (ValueError, OverflowError, OSError):
        return hlc
    return f"{date_words(moment.date())} {moment:%H.%M}"


def check_version(row, expected_hlc: str | None, message: str) -> None:
    """Raise :class:`ConcurrentEdit` when ``row`` changed since ``expected_hlc``.

    ``message`` is a translated sentence with a ``{when}`` placeholder. ``expected_hlc``
    None skips the check (only for callers that just read the row in the same
    transaction, e.g. the command line).
    """
    if expected_hlc is None:
        return
    if row.updated_hlc != expected_hlc:
        raise ConcurrentEdit(message.format(when=hlc_time_text(row.updated_hlc)))


def evaluation_changed_message() -> str:
    return _("Evaluasi ini telah disimpan oleh orang lain pada {when}; muat ulang untuk melihat perubahan mereka.")


def skp_changed_message() -> str:
    return _("SKP ini telah disimpan oleh orang lain pada {when}; muat ulang untuk melihat perubahan mereka.")


def row_changed_message() -> str:
    return _("Data ini telah disimpan oleh orang lain pada {when}; muat ulang untuk melihat perubahan mereka.")
