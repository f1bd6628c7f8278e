"""Dates as people in Indonesian offices write them.

``format_date_id`` prints the style used on official documents ("28 November 2026");
``parse_date_flexible`` reads what users type or paste from spreadsheets.
"""

from __future__ import annotations

import re
from datetime import date, timedelta, timezone

from kinerja_desktop.i18n import _

#: Waktu Indonesia Barat: Jambi's time zone (UTC+07:00, no daylight saving). Dates and
#: times printed on documents and signature stamps are in WIB whatever the PC is set to.
WIB = timezone(timedelta(hours=7), "WIB")

MONTHS_ID: tuple[str, ...] = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_EN: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Lower-case month word -> month number: full names in both languages plus the
# abbreviations in common use (Indonesian: Agu/Agt/Ags, Okt, Des, Mei).
_MONTH_WORDS: dict[str, int] = {}
for _number, (_id_name, _en_name) in enumerate(zip(MONTHS_ID, MONTHS_EN, strict=False), start=1):
    _MONTH_WORDS[_id_name.lower()] = _number
    _MONTH_WORDS[_en_name.lower()] = _number
    _MONTH_WORDS[_id_name[:3].lower()] = _number
    _MONTH_WORDS[_en_name[:3].lower()] = _number
_MONTH_WORDS.update(
    {
        "pebruari": 2,
        "peb": 2,
        "sept": 9,
        "agt": 8,
        "ags": 8,
        "agu": 8,
        "agust": 8,
        "nop": 11,
        "nopember": 11,
        "okt": 10,
        "des": 12,
        "mei": 5,
    }
)

_WEEKDAYS = (
    "senin",
    "selasa",
    "rabu",
    "kamis",
    "jumat",
    "jum'at",
    "sabtu",
    "minggu",
    "ahad",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})[\s\-/.]+([a-z']+)\.?[\s\-/.,]+(\d{4})$")


def format_date_id(d: date) -> str:
    """``date(2026, 11, 28)`` -> ``"28 November 2026"`` (Indonesian month names)."""
    return f"{d.day} {MONTHS_ID[d.month - 1]} {d.year}"


def format_date_en(d: date) -> str:
    """``date(2026, 11, 28)`` -> ``"28 November 2026"`` (English month names)."""
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def month_name_id(month: int) -> str:
    """Indonesian name of ``month`` (1-12)."""
    return MONTHS_ID[month - 1]


def _strip_weekday(text: str) -> str:
    for weekday in _WEEKDAYS:
        if text.startswith(weekday):
            rest = text[len(weekday) :].lstrip(" ,")
            if rest != text[len(weekday) :]:
                return rest
    return text


def _build(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(
            _("Tanggal '{value}' tidak ada di kalender (tahun {year}, bulan {month}, hari {day}).").format(
                value=text, year=year, month=month, day=day
            )
        ) from None


def parse_date_flexible(text: str) -> date:
    """Read a date typed by a person or pasted from a spreadsheet.

    Accepted: ``1986-09-26`` (optionally followed by a time, as spreadsheets export),
    ``26/09/1986``, ``26-09-1986``, ``26.09.1986``, ``26 September 1986``,
    ``26 Sep 1986``, ``26-Sep-1986``, Indonesian month names and abbreviations
    (``26 Agustus 1986``, ``26 Agt 1986``, ``5 Des 2020``) and a leading weekday
    (``Jumat, 26 September 1986``). Two-digit years are refused as ambiguous.

    Raises ``ValueError`` with an Indonesian message when the text is not a date.
    """
    original = text if isinstance(text, str) else str(text)
    cleaned = " ".join(original.split()).lower()
    cleaned = _strip_weekday(cleaned)
    if not cleaned:
        raise ValueError(_("Tanggal belum diisi."))

    match = _ISO.match(cleaned)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _build(original, year, month, day)
    match = _DMY.match(cleaned)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _build(original, year, month, day)
    match = _WORDS.match(cleaned)
    if match:
        day_text, month_word, year_text = match.groups()
        month_number = _MONTH_WORDS.get(month_word)
        if month_number is None:
            raise ValueError(
                _("Nama bulan '{month}' pada tanggal '{value}' tidak dikenali.").format(
                    month=month_word, value=original
                )
            )
        return _build(original, int(year_text), month_number, int(day_text))
    raise ValueError(
        _("Tanggal '{value}' tidak dikenali. Gunakan format 26-09-1986, 1986-09-26, atau 26 September 1986.").format(
            value=original
        )
    )
