"""Golongan and pangkat: PNS I/a..IV/e with their pangkat names, PPPK I..XVII."""

from __future__ import annotations

import re

from kinerja_desktop.i18n import N_, _

#: PNS golongan/ruang, lowest first, with the pangkat name of each.
PNS_PANGKAT: dict[str, str] = {
    "I/a": N_("Juru Muda"),
    "I/b": N_("Juru Muda Tingkat I"),
    "I/c": N_("Juru"),
    "I/d": N_("Juru Tingkat I"),
    "II/a": N_("Pengatur Muda"),
    "II/b": N_("Pengatur Muda Tingkat I"),
    "II/c": N_("Pengatur"),
    "II/d": N_("Pengatur Tingkat I"),
    "III/a": N_("Penata Muda"),
    "III/b": N_("Penata Muda Tingkat I"),
    "III/c": N_("Penata"),
    "III/d": N_("Penata Tingkat I"),
    "IV/a": N_("Pembina"),
    "IV/b": N_("Pembina Tingkat I"),
    "IV/c": N_("Pembina Utama Muda"),
    "IV/d": N_("Pembina Utama Madya"),
    "IV/e": N_("Pembina Utama"),
}
PNS_GOLONGAN: tuple[str, ...] = tuple(PNS_PANGKAT)

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII")
#: PPPK golongan, lowest first.
PPPK_GOLONGAN: tuple[str, ...] = _ROMAN

_PNS_PATTERN = re.compile(r"^(IV|III|II|I|[1-4])\s*[/\-.]?\s*([A-E])$")
_PREFIX = re.compile(r"^(?:GOLONGAN|GOL\.?)\s*(?:RUANG\s*)?[:.]?\s*")
_PANGKAT_BY_NAME = {name.upper(): golongan for golongan, name in PNS_PANGKAT.items()}


class GolonganError(ValueError):
    """A golongan that does not exist for the given status."""


def _status(status: object) -> str:
    value = str(getattr(status, "value", status)).strip().upper()
    if value not in ("PNS", "PPPK"):
        raise GolonganError(
            _("Status kepegawaian '{value}' tidak dikenal; gunakan PNS atau PPPK.").format(value=status)
        )
    return value


def _normalize_pns(text: str) -> str | None:
    # "Penata Muda, III/a" or "Penata Muda (III/a)": the golongan part wins.
    label = re.search(r"[,(]\s*([IV1-4]+\s*[/\-.]?\s*[A-E])\s*\)?$", text)
    if label:
        text = label.group(1)
    match = _PNS_PATTERN.match(text)
    if match:
        roman, letter = match.groups()
        if roman.isdigit():
            roman = _ROMAN[int(roman) - 1]
        candidate = f"{roman}/{letter.lower()}"
        return candidate if candidate in PNS_PANGKAT else None
    name = re.sub(r"\bTK\.?\s*", "TINGKAT ", text)
    return _PANGKAT_BY_NAME.get(" ".join(name.split()))


def _normalize_pppk(text: str) -> str | None:
    if text.isdigit():
        number = int(text)
        return _ROMAN[number - 1] if 1 <= number <= len(_ROMAN) else None
    return text if text in _ROMAN else None


def normalize_golongan(text: str, status: str = "PNS") -> str:
    """The canonical spelling of a golongan typed in any common way.

    PNS: "III/a", "III a", "IIIa", "3a", "3/a", "III-A", "iii/a", "Gol. III/a",
    "Penata Muda, III/a" and the pangkat name alone ("Penata Muda") give "III/a".
    PPPK: "IX", "ix", "9", "Golongan IX" give "IX".
    Raises ``GolonganError`` for anything else.
    """
    kind = _status(status)
    cleaned = " ".join(str(text or "").split()).upper()
    cleaned = _PREFIX.sub("", cleaned).strip()
    result = _normalize_pns(cleaned) if kind == "PNS" else _normalize_pppk(cleaned)
    if result is None:
        if kind == "PNS":
            message = _("Golongan PNS '{value}' tidak dikenal. Gunakan I/a sampai IV/e, misalnya III/a.")
        else:
            message = _("Golongan PPPK '{value}' tidak dikenal. Gunakan I sampai XVII, misalnya IX.")
        raise GolonganError(message.format(value=text))
    return result


def pangkat_name(golongan: str) -> str:
    """The pangkat of a PNS golongan: ``"III/a"`` -> ``"Penata Muda"``."""
    return PNS_PANGKAT[normalize_golongan(golongan, "PNS")]


def pangkat_golongan_label(golongan: str | None, status: str = "PNS") -> str:
    """How forms print "Pangkat/Gol. Ruang".

    PNS ``"III/a"`` -> ``"Penata Muda, III/a"``; PPPK ``"IX"`` -> ``"IX"`` (PPPK have no
    pangkat); empty -> ``""`` (the field stays blank).
    """
    if not golongan:
        return ""
    canonical = normalize_golongan(golongan, status)
    if _status(status) == "PPPK":
        return canonical
    return f"{PNS_PANGKAT[canonical]}, {canonical}"


def golongan_rank(golongan: str, status: str | None = None) -> int:
    """Position for ordering, 1 = lowest (PNS I/a = 1 .. IV/e = 17; PPPK I = 1 .. XVII = 17).

    With ``status`` None, PPPK is tried first for values without a "/" ("IX", "9"),
    then PNS ("IIIa", "III/a").
    """
    if status is None:
        order = ("PNS", "PPPK") if "/" in golongan else ("PPPK", "PNS")
        try:
            return golongan_rank(golongan, order[0])
        except GolonganError:
            return golongan_rank(golongan, order[1])
    canonical = normalize_golongan(golongan, status)
    table = PNS_GOLONGAN if _status(status) == "PNS" else PPPK_GOLONGAN
    return table.index(canonical) + 1


def plausible_golongan_for_service(years_of_service: int, entry: str = "III/a") -> str:
    """A believable PNS golongan after ``years_of_service`` years, for demo data only.

    Heuristic, not a regulation: one step up (e.g. III/a -> III/b) every 4 years of
    service from the entry golongan (II/a for SMA/D3 entrants, III/a for S1), capped
    at IV/e.
    """
    if years_of_service < 0:
        raise ValueError(_("Masa kerja tidak boleh negatif ({value} tahun).").format(value=years_of_service))
    start = PNS_GOLONGAN.index(normalize_golongan(entry, "PNS"))
    return PNS_GOLONGAN[min(start + years_of_service // 4, len(PNS_GOLONGAN) - 1)]
