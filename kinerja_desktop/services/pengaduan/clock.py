"""The district's clock for complaints: WIB (UTC+7, no daylight saving).

Deadlines count the district's working days, so "now" and "today" are Batanghari's, whatever
the computer's own time zone (a server often runs in UTC: at 00:30 WIB its date is still
yesterday's).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")


def now_wib() -> datetime:
    """The district's wall-clock time, naive (as stored)."""
    return datetime.now(WIB).replace(tzinfo=None)


def today_wib() -> date:
    return now_wib().date()
