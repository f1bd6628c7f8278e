"""Competency development: activity types (Peraturan LAN 10/2018) and the 20 JP rule.

Every PNS gets at least 20 JP (jam pelajaran) of competency development a year
(PP 11/2017 as amended by PP 17/2020, Pasal 203(4)).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal

from kinerja_desktop.domain.dates import format_date_id
from kinerja_desktop.i18n import N_, _

Category = Literal["klasikal", "nonklasikal", "pendidikan"]

MIN_JP_PER_YEAR = 20
#: More JP than this per day of an activity is probably a typing mistake (warning only).
MAX_JP_PER_DAY = 10


@dataclass(frozen=True)
class ActivityType:
    """A kind of competency development activity."""

    code: str
    name: str
    category: Category


ACTIVITY_TYPES: tuple[ActivityType, ...] = (
    ActivityType("KL01", N_("Pelatihan Struktural Kepemimpinan"), "klasikal"),
    ActivityType("KL02", N_("Pelatihan Manajerial"), "klasikal"),
    ActivityType("KL03", N_("Pelatihan Teknis"), "klasikal"),
    ActivityType("KL04", N_("Pelatihan Fungsional"), "klasikal"),
    ActivityType("KL05", N_("Pelatihan Sosial Kultural"), "klasikal"),
    ActivityType("KL06", N_("Seminar/Konferensi/Sarasehan"), "klasikal"),
    ActivityType("KL07", N_("Workshop/Lokakarya"), "klasikal"),
    ActivityType("KL08", N_("Kursus"), "klasikal"),
    ActivityType("KL09", N_("Penataran"), "klasikal"),
    ActivityType("KL10", N_("Bimbingan Teknis"), "klasikal"),
    ActivityType("KL11", N_("Sosialisasi"), "klasikal"),
    ActivityType("KL12", N_("Klasikal Lainnya"), "klasikal"),
    ActivityType("NKL01", N_("Coaching"), "nonklasikal"),
    ActivityType("NKL02", N_("Mentoring"), "nonklasikal"),
    ActivityType("NKL03", N_("E-learning"), "nonklasikal"),
    ActivityType("NKL04", N_("Pelatihan Jarak Jauh"), "nonklasikal"),
    ActivityType("NKL05", N_("Detasering"), "nonklasikal"),
    ActivityType("NKL06", N_("Outbound (Pembelajaran Alam Terbuka)"), "nonklasikal"),
    ActivityType("NKL07", N_("Patok Banding"), "nonklasikal"),
    ActivityType("NKL08", N_("Pertukaran PNS dengan Pegawai Swasta/BUMN/BUMD"), "nonklasikal"),
    ActivityType("NKL09", N_("Belajar Mandiri"), "nonklasikal"),
    ActivityType("NKL10", N_("Komunitas Belajar"), "nonklasikal"),
    ActivityType("NKL11", N_("Bimbingan di Tempat Kerja"), "nonklasikal"),
    ActivityType("NKL12", N_("Magang"), "nonklasikal"),
    ActivityType("NKL13", N_("Nonklasikal Lainnya"), "nonklasikal"),
    ActivityType("PENDIDIKAN", N_("Pendidikan (Tugas Belajar)"), "pendidikan"),
)

CATEGORY_LABELS: dict[Category, str] = {
    "klasikal": N_("Klasikal"),
    "nonklasikal": N_("Nonklasikal"),
    "pendidikan": N_("Pendidikan"),
}

_BY_CODE = {activity.code: activity for activity in ACTIVITY_TYPES}


def activity_type(code: str) -> ActivityType:
    """The activity type for ``code`` ("KL03", "kl03", "NKL1" and "KL3" also work)."""
    key = str(code).strip().upper().replace(" ", "")
    if key.startswith(("KL", "NKL")) and key.lstrip("NKL").isdigit():
        prefix = "NKL" if key.startswith("NKL") else "KL"
        key = f"{prefix}{int(key[len(prefix) :]):02d}"
    found = _BY_CODE.get(key)
    if found is None:
        raise ValueError(_("Jenis kegiatan pengembangan kompetensi '{value}' tidak dikenal.").format(value=code))
    return found


def validate_jp(value: object) -> Decimal:
    """The JP of one activity as a Decimal; "2,5" (Indonesian decimal comma) is accepted.

    Raises ``ValueError`` (Indonesian) for empty, non-numeric, zero or negative values.
    """
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        raise ValueError(_("Jumlah JP belum diisi."))
    try:
        if isinstance(value, float):
            if not math.isfinite(value):
                raise InvalidOperation
            number = Decimal(str(value))
        elif isinstance(value, str):
            number = Decimal(value.strip().replace(",", "."))
        else:
            number = Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(_("Jumlah JP '{value}' bukan angka.").format(value=value)) from None
    if not number.is_finite():
        raise ValueError(_("Jumlah JP '{value}' bukan angka.").format(value=value))
    if number <= 0:
        raise ValueError(_("Jumlah JP harus lebih dari 0, bukan {value}.").format(value=value))
    return number


def validate_dates(start: date, end: date) -> None:
    """Raise ``ValueError`` (Indonesian) when an activity ends before it starts."""
    if end < start:
        raise ValueError(
            _("Tanggal selesai ({end}) tidak boleh sebelum tanggal mulai ({start}).").format(
                end=format_date_id(end), start=format_date_id(start)
            )
        )


def jp_per_day_warning(jp: object, start: date, end: date) -> str | None:
    """A warning when ``jp`` exceeds 10 JP per day of the activity (inclusive days), else None."""
    validate_dates(start, end)
    number = validate_jp(jp)
    days = (end - start).days + 1
    if number > MAX_JP_PER_DAY * days:
        return _(
            "{jp} JP untuk kegiatan {days} hari berarti lebih dari {limit} JP per hari. Periksa kembali jumlah JP atau tanggalnya."
        ).format(jp=number, days=days, limit=MAX_JP_PER_DAY)
    return None


@dataclass(frozen=True)
class JpSummary:
    """JP of one employee in one year, by category, against the 20 JP minimum."""

    total: Decimal
    klasikal: Decimal
    nonklasikal: Decimal
    pendidikan: Decimal
    meets: bool
    shortfall: Decimal


def jp_compliance(records: Iterable[tuple[str, object]], minimum: int = MIN_JP_PER_YEAR) -> JpSummary:
    """Add up ``(activity code, jp)`` records and compare the total with ``minimum``."""
    sums: dict[Category, Decimal] = {"klasikal": Decimal(0), "nonklasikal": Decimal(0), "pendidikan": Decimal(0)}
    for code, jp in records:
        sums[activity_type(code).category] += validate_jp(jp)
    total = sum(sums.values(), Decimal(0))
    return JpSummary(
        total=total,
        klasikal=sums["klasikal"],
        nonklasikal=sums["nonklasikal"],
        pendidikan=sums["pendidikan"],
        meets=total >= minimum,
        shortfall=max(Decimal(0), Decimal(minimum) - total),
    )
