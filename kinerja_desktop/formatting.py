"""One way to show a NIP and a number everywhere a person reads them.

- :func:`nip_text`: a NIP grouped into its parts (``19860926 201505 1 001``; an NI PPPK
  ``19900115 2022 21 2 004``), as on the printed forms; anything that is not a valid NIP
  is shown as it was typed, so a wrong number is never disguised.
- :func:`number_text`: thousands grouped the way the language writes them: "2.000" in
  Indonesian, "2,000" in English (and a decimal comma in Indonesian: "2,5").
- :func:`date_words`: a date inside a sentence in the current language.

Qt-free and free of the database: the window, the command line and the services' messages
all use it. Years, sequence numbers and codes are not quantities: leave them as they are.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from kinerja_desktop import i18n
from kinerja_desktop.domain.dates import format_date_en, format_date_id
from kinerja_desktop.domain.nip import NipError, parse_nip


@lru_cache(maxsize=50_000)
def nip_text(value: str | None) -> str:
    """``value`` grouped (see the module doc); ``""`` for nothing."""
    if not value:
        return ""
    text = str(value).strip()
    try:
        return parse_nip(text).grouped()
    except (NipError, ValueError):
        return text


def number_text(value: int | float | Decimal | None, decimals: int | None = None) -> str:
    """``value`` with its thousands grouped for the current language ("" for None).

    ``decimals`` fixes the digits after the decimal separator; by default integers have
    none and other numbers keep theirs (trailing zeros dropped).
    """
    if value is None:
        return ""
    if decimals is None:
        if isinstance(value, int) or (isinstance(value, (float, Decimal)) and value == int(value)):
            text = f"{int(value):,}"
        else:
            text = f"{Decimal(str(value)).normalize():,f}"
    else:
        text = f"{value:,.{decimals}f}"
    if i18n.language() == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def date_words(value: date | None) -> str:
    """A date inside a sentence, in the current language: "28 November 2026" ("" for None).

    Printed forms are Indonesian whatever the window's language: they use
    ``domain.dates.format_date_id`` directly.
    """
    if value is None:
        return ""
    return format_date_id(value) if i18n.language() == "id" else format_date_en(value)
