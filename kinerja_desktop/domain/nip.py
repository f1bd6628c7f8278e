"""NIP (Nomor Induk Pegawai, PNS) and NI PPPK: parsing and validation.

Both are 18 digits:

- NIP PNS:  ``YYYYMMDD`` birth date, ``YYYYMM`` TMT CPNS, gender (1 male, 2 female),
  sequence ``001``-``999``. Example ``198609262015051001``, grouped
  ``19860926 201505 1 001``.
- NI PPPK: ``YYYYMMDD`` birth date, ``YYYY`` appointment year, the literal ``21``,
  gender, sequence. Example ``198609262021211001``, grouped
  ``19860926 2021 21 1 001``.

Telling them apart: the PPPK marker ``21`` sits at characters ``[12:14]``, exactly
where a PNS NIP holds the TMT month. Month 21 does not exist, so a number with
``21`` there can only be an NI PPPK; any other value is read as a PNS NIP.

Excel turns an 18-digit number into ``1.98609262015051E+17`` (15 significant digits
kept): such a value has lost digits and is rejected, never "repaired".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from kinerja_desktop.i18n import _

NipKind = Literal["PNS", "PPPK"]
Gender = Literal["L", "P"]
NipPart = Literal["empty", "excel_number", "digits", "length", "birth_date", "tmt", "gender", "sequence"]

NIP_LENGTH = 18
MIN_BIRTH_YEAR = 1940
MIN_AGE_AT_APPOINTMENT = 18
PPPK_FIRST_YEAR = 2019
PPPK_MARKER = "21"

_GENDER_BY_DIGIT: dict[str, Gender] = {"1": "L", "2": "P"}
_DIGIT_BY_GENDER: dict[str, str] = {"L": "1", "P": "2"}
_ASCII_DIGITS = frozenset("0123456789")

# A number as Excel shows it once it has become a floating-point value:
# "1.98609262015051E+17", "1,98609E+17", "198609262015051000.0", "1.98609262015051e17",
# or with thousands separators, "198.609.262.015.051.000".
_EXCEL_FLOAT = re.compile(
    r"^[+-]?\d*(?:[.,]\d*)?[eE][+-]?\d+$"  # scientific notation
    r"|^[+-]?\d+[.,]\d*$"  # one decimal separator
    r"|^\d{1,3}(?:[.,]\d{3})+$"  # thousands separators
)


class NipError(ValueError):
    """A NIP / NI PPPK that is not valid; ``part`` names which part is wrong."""

    def __init__(self, part: NipPart, message: str) -> None:
        super().__init__(message)
        self.part: NipPart = part
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Nip:
    """A valid NIP (PNS) or NI PPPK, split into its parts."""

    raw: str
    kind: NipKind
    birth_date: date
    tmt: date | None  # PNS: first day of the TMT CPNS month; None for PPPK
    appointment_year: int | None  # PPPK only
    gender: Gender
    sequence: int

    def grouped(self) -> str:
        """The number with spaces between its parts, as printed on documents."""
        r = self.raw
        if self.kind == "PNS":
            return f"{r[:8]} {r[8:14]} {r[14]} {r[15:]}"
        return f"{r[:8]} {r[8:12]} {r[12:14]} {r[14]} {r[15:]}"

    def __str__(self) -> str:
        return self.raw


def _label(kind: NipKind) -> str:
    return _("NI PPPK") if kind == "PPPK" else _("NIP")


def _normalize_kind(kind: str | None) -> NipKind | None:
    if kind is None:
        return None
    value = str(getattr(kind, "value", kind)).strip().upper()
    if value in ("PNS", "PPPK"):
        return value  # type: ignore[return-value]
    raise ValueError(_("Jenis pegawai '{value}' tidak dikenal; gunakan PNS atau PPPK.").format(value=kind))


def _date_problem(year: int, month: int, day: int) -> str | None:
    """Why ``year-month-day`` is not a calendar date, or None when it is one."""
    if not 1 <= month <= 12:
        return _("bulan {month}").format(month=month)
    try:
        date(year, month, day)
    except ValueError:
        return _("bulan {month} tidak memiliki tanggal {day}").format(month=month, day=day)
    return None


def _add_years(d: date, years: int) -> tuple[int, int]:
    return (d.year + years, d.month)


def _check_birth(digits: str, kind: NipKind, today: date) -> date:
    year, month, day = int(digits[0:4]), int(digits[4:6]), int(digits[6:8])
    shown = f"{digits[6:8]}-{digits[4:6]}-{digits[0:4]}"  # dd-mm-yyyy, as the forms write dates
    problem = _date_problem(year, month, day)
    if problem is None and not MIN_BIRTH_YEAR <= year <= today.year - 17:
        problem = _("tahun {year} di luar rentang {low}–{high}").format(
            year=year, low=MIN_BIRTH_YEAR, high=today.year - 17
        )
    if problem is not None:
        raise NipError(
            "birth_date",
            _("{label} {nip}: tanggal lahir {value} tidak valid ({problem}).").format(
                label=_label(kind), nip=digits, value=shown, problem=problem
            ),
        )
    return date(year, month, day)


def _check_pns_tmt(digits: str, birth: date, today: date) -> date:
    year, month = int(digits[8:12]), int(digits[12:14])
    shown = f"{digits[12:14]}-{digits[8:12]}"  # mm-yyyy
    if not 1 <= month <= 12:
        problem = _("bulan {month}").format(month=month)
    elif (year, month) < _add_years(birth, MIN_AGE_AT_APPOINTMENT):
        problem = _("kurang dari 18 tahun setelah tanggal lahir")
    elif (year, month) > (today.year, today.month):
        problem = _("berada di masa depan")
    else:
        return date(year, month, 1)
    raise NipError(
        "tmt",
        _("NIP {nip}: TMT CPNS {value} tidak valid ({problem}).").format(nip=digits, value=shown, problem=problem),
    )


def _check_pppk_year(digits: str, birth: date, today: date) -> int:
    if digits[12:14] != PPPK_MARKER:
        raise NipError(
            "tmt",
            _("NI PPPK {nip}: digit ke-13 dan ke-14 harus 21, tertulis {value}.").format(
                nip=digits, value=digits[12:14]
            ),
        )
    year = int(digits[8:12])
    if year < PPPK_FIRST_YEAR:
        problem = _("PPPK baru ada sejak {first}").format(first=PPPK_FIRST_YEAR)
    elif year < birth.year + MIN_AGE_AT_APPOINTMENT:
        problem = _("kurang dari 18 tahun setelah tahun lahir")
    elif year > today.year:
        problem = _("berada di masa depan")
    else:
        return year
    raise NipError(
        "tmt",
        _("NI PPPK {nip}: tahun pengangkatan {value} tidak valid ({problem}).").format(
            nip=digits, value=year, problem=problem
        ),
    )


def _clean(text: str) -> str:
    """Remove whitespace (users type grouped numbers) and reject what cannot be a NIP."""
    if text is None or not str(text).strip():
        raise NipError("empty", _("NIP belum diisi."))
    compact = "".join(str(text).split())
    if _EXCEL_FLOAT.match(compact) or "e+" in compact.lower():
        raise NipError(
            "excel_number",
            _(
                "NIP {value} telah diubah Excel menjadi angka desimal sehingga sebagian digitnya hilang. "
                "Format kolom NIP sebagai Teks lalu ketik atau salin ulang NIP lengkap 18 digit."
            ).format(value=compact),
        )
    bad = sorted({c for c in compact if c not in _ASCII_DIGITS})
    if bad:
        raise NipError(
            "digits",
            _("NIP {value} mengandung karakter selain angka: {chars}.").format(value=compact, chars=" ".join(bad)),
        )
    if len(compact) != NIP_LENGTH:
        raise NipError(
            "length",
            _("NIP harus 18 digit, tetapi {value} berisi {count} digit.").format(value=compact, count=len(compact)),
        )
    return compact


def detect_kind(digits: str) -> NipKind:
    """PNS or PPPK for an 18-digit number: ``21`` at ``[12:14]`` (month 21) means PPPK."""
    return "PPPK" if digits[12:14] == PPPK_MARKER else "PNS"


def parse_nip(text: str, *, kind: NipKind | None = None, today: date | None = None) -> Nip:
    """Parse and validate a NIP (PNS) or NI PPPK.

    Spaces are ignored. ``kind`` forces PNS or PPPK; when None it is detected with
    ``detect_kind``. ``today`` (default ``date.today()``) bounds dates in the future.
    Raises ``NipError`` for the first wrong part, checked in this order: empty,
    excel_number, digits, length, birth_date, tmt, gender, sequence.
    """
    today = today or date.today()
    digits = _clean(text)
    nip_kind = _normalize_kind(kind) or detect_kind(digits)
    birth = _check_birth(digits, nip_kind, today)
    tmt: date | None = None
    appointment_year: int | None = None
    if nip_kind == "PNS":
        tmt = _check_pns_tmt(digits, birth, today)
    else:
        appointment_year = _check_pppk_year(digits, birth, today)
    gender = _GENDER_BY_DIGIT.get(digits[14])
    if gender is None:
        raise NipError(
            "gender",
            _(
                "{label} {nip}: digit jenis kelamin (ke-15) harus 1 (laki-laki) atau 2 (perempuan), tertulis {value}."
            ).format(label=_label(nip_kind), nip=digits, value=digits[14]),
        )
    sequence = int(digits[15:18])
    if sequence == 0:
        raise NipError(
            "sequence",
            _(
                "{label} {nip}: nomor urut 000 tidak valid (harus 001–999). "
                "Jika NIP disalin dari Excel, tiga digit terakhir mungkin hilang; format kolom sebagai Teks."
            ).format(label=_label(nip_kind), nip=digits),
        )
    return Nip(
        raw=digits,
        kind=nip_kind,
        birth_date=birth,
        tmt=tmt,
        appointment_year=appointment_year,
        gender=gender,
        sequence=sequence,
    )


def is_valid_nip(text: str, *, kind: NipKind | None = None, today: date | None = None) -> bool:
    """True when ``parse_nip`` accepts ``text``."""
    try:
        parse_nip(text, kind=kind, today=today)
    except NipError:
        return False
    return True


def _gender_digit(gender: str) -> str:
    try:
        return _DIGIT_BY_GENDER[gender]
    except KeyError:
        raise ValueError(_("Jenis kelamin harus L atau P, bukan {value}.").format(value=gender)) from None


def _sequence_digits(seq: int) -> str:
    if not 1 <= seq <= 999:
        raise ValueError(_("Nomor urut NIP harus 1–999, bukan {value}.").format(value=seq))
    return f"{seq:03d}"


def make_pns_nip(birth: date, tmt: date, gender: Gender, seq: int) -> str:
    """Build an 18-digit NIP PNS from its parts (the day of ``tmt`` is ignored)."""
    return f"{birth:%Y%m%d}{tmt.year:04d}{tmt.month:02d}{_gender_digit(gender)}{_sequence_digits(seq)}"


def make_pppk_nip(birth: date, year: int, gender: Gender, seq: int) -> str:
    """Build an 18-digit NI PPPK from its parts."""
    return f"{birth:%Y%m%d}{year:04d}{PPPK_MARKER}{_gender_digit(gender)}{_sequence_digits(seq)}"
