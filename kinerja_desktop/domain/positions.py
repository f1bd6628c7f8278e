"""Kinds of position (jabatan) and guesses made from a position's name.

The guesses are conveniences for imports and demo data; the user can always
correct the kind stored for a position.
"""

from __future__ import annotations

import re
from enum import Enum

from kinerja_desktop.i18n import N_, _


class PositionKind(Enum):
    """Kind of position; JPT positions use perspektif, the others cascade RHK pimpinan."""

    JPT = "jpt"
    ADMINISTRATOR = "administrator"
    PENGAWAS = "pengawas"
    PELAKSANA = "pelaksana"
    FUNGSIONAL = "fungsional"

    @property
    def label(self) -> str:
        return _(_LABELS[self])


_LABELS = {
    PositionKind.JPT: N_("Jabatan Pimpinan Tinggi"),
    PositionKind.ADMINISTRATOR: N_("Administrator"),
    PositionKind.PENGAWAS: N_("Pengawas"),
    PositionKind.PELAKSANA: N_("Pelaksana"),
    PositionKind.FUNGSIONAL: N_("Fungsional"),
}

# Common abbreviations in position names, expanded before matching.
_ABBREVIATIONS = (
    (r"^sekda\b", "sekretaris daerah"),
    (r"^sekcam\b", "sekretaris camat"),
    (r"^kadis\b", "kepala dinas"),
    (r"^kaban\b", "kepala badan"),
    (r"^kabag\b", "kepala bagian"),
    (r"^kabid\b", "kepala bidang"),
    (r"^kasubbag\b", "kepala subbagian"),
    (r"^kasubag\b", "kepala subbagian"),
    (r"^kasubbid\b", "kepala subbidang"),
    (r"^kasi\b", "kepala seksi"),
    (r"^irban\b", "inspektur pembantu"),
    (r"^kapus\b", "kepala puskesmas"),
    (r"^kepsek\b", "kepala sekolah"),
)
_ACTING = re.compile(r"^(?:plt|plh|pj|pelaksana tugas|pelaksana harian|penjabat)\.?\s+")

# Checked in order against the start of the normalized name; the first match wins,
# so specific prefixes come before general ones.
_PREFIX_RULES: tuple[tuple[str, PositionKind], ...] = (
    ("kepala sekolah", PositionKind.FUNGSIONAL),  # a guru with an additional duty
    ("asisten apoteker", PositionKind.FUNGSIONAL),
    ("asisten ahli", PositionKind.FUNGSIONAL),
    ("sekretaris daerah", PositionKind.JPT),
    ("sekretaris dprd", PositionKind.JPT),
    ("sekretaris dewan perwakilan rakyat daerah", PositionKind.JPT),
    ("inspektur pembantu", PositionKind.ADMINISTRATOR),
    ("inspektur", PositionKind.JPT),
    ("asisten", PositionKind.JPT),
    ("staf ahli", PositionKind.JPT),
    ("staff ahli", PositionKind.JPT),
    ("kepala dinas", PositionKind.JPT),
    ("kepala badan", PositionKind.JPT),
    ("kepala pelaksana", PositionKind.JPT),  # Kepala Pelaksana BPBD
    ("kepala satuan polisi pamong praja", PositionKind.JPT),
    ("kepala satpol pp", PositionKind.JPT),
    ("sekretaris camat", PositionKind.PENGAWAS),
    ("sekretaris kecamatan", PositionKind.PENGAWAS),
    ("sekretaris kelurahan", PositionKind.PENGAWAS),
    ("sekretaris lurah", PositionKind.PENGAWAS),
    ("sekretaris", PositionKind.ADMINISTRATOR),  # sekretaris dinas/badan/inspektorat
    ("kepala bagian", PositionKind.ADMINISTRATOR),
    ("kepala bidang", PositionKind.ADMINISTRATOR),
    ("kepala kantor", PositionKind.ADMINISTRATOR),
    ("camat", PositionKind.ADMINISTRATOR),
    ("wakil direktur", PositionKind.ADMINISTRATOR),
    ("direktur", PositionKind.ADMINISTRATOR),
    ("kepala seksi", PositionKind.PENGAWAS),
    ("kepala subbagian", PositionKind.PENGAWAS),
    ("kepala sub bagian", PositionKind.PENGAWAS),
    ("kepala subbidang", PositionKind.PENGAWAS),
    ("kepala sub bidang", PositionKind.PENGAWAS),
    ("kepala puskesmas", PositionKind.PENGAWAS),
    ("kepala uptd", PositionKind.PENGAWAS),
    ("kepala upt", PositionKind.PENGAWAS),
    ("kepala unit", PositionKind.PENGAWAS),
    ("lurah", PositionKind.PENGAWAS),
)

# Words that mark a jabatan fungsional anywhere in the name (whole words).
_FUNCTIONAL_WORDS = (
    "ahli pertama",
    "ahli muda",
    "ahli madya",
    "ahli utama",
    "pemula",
    "terampil",
    "mahir",
    "penyelia",
    "guru",
    "dokter",
    "dokter gigi",
    "perawat",
    "bidan",
    "apoteker",
    "penyuluh",
    "pranata komputer",
    "pranata laboratorium",
    "pengawas sekolah",
    "penilik",
    "pamong belajar",
    "pustakawan",
    "arsiparis",
    "auditor",
    "statistisi",
    "epidemiolog",
    "sanitarian",
    "nutrisionis",
    "radiografer",
    "fisioterapis",
    "perekam medis",
    "tenaga teknis kefarmasian",
    "widyaiswara",
    "polisi pamong praja",
    "pengendali dampak lingkungan",
    "perencana",
)
_FUNCTIONAL = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in _FUNCTIONAL_WORDS) + r")\b")


def _normalize(name: str) -> str:
    text = " ".join(str(name).lower().replace(".", ". ").split())
    text = _ACTING.sub("", text)
    text = text.replace(". ", " ").replace(".", " ").strip()
    for pattern, replacement in _ABBREVIATIONS:
        text = re.sub(pattern, replacement, text)
    return " ".join(text.split())


def _starts_with(text: str, prefix: str) -> bool:
    return text == prefix or text.startswith(prefix + " ") or text.startswith(prefix + ",")


def guess_position_kind(name: str) -> PositionKind:
    """A best guess of the kind of position from its name (pelaksana when unsure).

    "Kepala Dinas Pendidikan" -> JPT; "Camat Bajubang", "Kepala Bidang ..." ->
    administrator; "Kepala Seksi ...", "Lurah ..." -> pengawas; names with a functional
    level ("Ahli Pertama", "Terampil", ...) or profession ("Guru", "Perawat", ...) ->
    fungsional. Structural titles are matched first, so "Kepala Seksi Keperawatan"
    is pengawas.
    """
    text = _normalize(name)
    for prefix, kind in _PREFIX_RULES:
        if _starts_with(text, prefix):
            return kind
    if _FUNCTIONAL.search(text):
        return PositionKind.FUNGSIONAL
    return PositionKind.PELAKSANA


_KIND_WORDS: dict[str, PositionKind] = {
    "jpt": PositionKind.JPT,
    "jabatan pimpinan tinggi": PositionKind.JPT,
    "pimpinan tinggi": PositionKind.JPT,
    "jpt pratama": PositionKind.JPT,
    "pimpinan tinggi pratama": PositionKind.JPT,
    "jabatan pimpinan tinggi pratama": PositionKind.JPT,
    "administrator": PositionKind.ADMINISTRATOR,
    "jabatan administrator": PositionKind.ADMINISTRATOR,
    "pengawas": PositionKind.PENGAWAS,
    "jabatan pengawas": PositionKind.PENGAWAS,
    "pelaksana": PositionKind.PELAKSANA,
    "jabatan pelaksana": PositionKind.PELAKSANA,
    "jfu": PositionKind.PELAKSANA,
    "fungsional umum": PositionKind.PELAKSANA,
    "fungsional": PositionKind.FUNGSIONAL,
    "jabatan fungsional": PositionKind.FUNGSIONAL,
    "fungsional tertentu": PositionKind.FUNGSIONAL,
    "jf": PositionKind.FUNGSIONAL,
    "jft": PositionKind.FUNGSIONAL,
    "jabatan fungsional tertentu": PositionKind.FUNGSIONAL,
    "jabatan fungsional umum": PositionKind.PELAKSANA,
}
#: SIASN's JENIS JABATAN for JPT, administrator and pengawas alike; the level comes from the
#: eselon or the position's name (:func:`structural_kind`).
_STRUCTURAL_WORDS = frozenset({"struktural", "jabatan struktural"})


def is_structural_word(text: str) -> bool:
    """True for SIASN's "Struktural" / "Jabatan Struktural"."""
    return " ".join(str(text).lower().replace("_", " ").split()) in _STRUCTURAL_WORDS


_ESELON = re.compile(r"^(?:eselon\s*)?(iv|iii|ii|i|v|[1-5])\s*[./-]?\s*[ab]?$")


def kind_from_eselon(text: str) -> PositionKind | None:
    """The level of a structural position from its eselon ("II.b" -> JPT, "III.a" ->
    administrator, "IV.a" -> pengawas); None for an empty or non-eselon value."""
    match = _ESELON.match(" ".join(str(text or "").lower().split()))
    if not match:
        return None
    level = {"1": "i", "2": "ii", "3": "iii", "4": "iv", "5": "v"}.get(match.group(1), match.group(1))
    if level in ("i", "ii"):
        return PositionKind.JPT
    return PositionKind.ADMINISTRATOR if level == "iii" else PositionKind.PENGAWAS


def structural_kind(name: str, eselon: str = "") -> PositionKind:
    """The kind of a position SIASN calls "Struktural": by its eselon when known, else by its
    name; a name that says nothing of its level counts as pengawas (the lowest level)."""
    by_eselon = kind_from_eselon(eselon)
    if by_eselon is not None:
        return by_eselon
    guess = guess_position_kind(name)
    if guess in (PositionKind.JPT, PositionKind.ADMINISTRATOR, PositionKind.PENGAWAS):
        return guess
    return PositionKind.PENGAWAS


def is_sekda_title(name: str) -> bool:
    """True for the Sekretaris Daerah (acting ones included): the top of a district's chain."""
    return _starts_with(_normalize(name), "sekretaris daerah")


def parse_position_kind(text: str | PositionKind) -> PositionKind:
    """Read a kind: "JPT", "Jabatan Pimpinan Tinggi", "Administrator", "jf", ...

    Raises ``ValueError`` (Indonesian).
    """
    if isinstance(text, PositionKind):
        return text
    found = _KIND_WORDS.get(" ".join(str(text).lower().replace("_", " ").split()))
    if found is None:
        raise ValueError(
            _(
                "Jenis jabatan '{value}' tidak dikenal. Gunakan JPT, Administrator, Pengawas, Pelaksana, atau Fungsional."
            ).format(value=text)
        )
    return found


_HEAD_PREFIXES = (
    "kepala dinas",
    "kepala badan",
    "kepala kantor",
    "kepala pelaksana",
    "kepala satuan polisi pamong praja",
    "kepala satpol pp",
    "kepala puskesmas",
    "kepala uptd",
    "kepala upt",
    "kepala sekolah",
    "camat",
    "lurah",
    "direktur",
    "inspektur",
    "sekretaris daerah",
    "sekretaris dprd",
    "sekretaris dewan perwakilan rakyat daerah",
)
_NOT_HEAD_PREFIXES = ("inspektur pembantu", "wakil direktur")


def is_unit_head_title(name: str) -> bool:
    """True when the position name is the head of a unit (acting heads included).

    Kepala Dinas/Badan/Kantor/UPTD/Puskesmas/Sekolah, Kepala Pelaksana BPBD, Kepala
    Satpol PP, Camat, Lurah, Direktur (RSUD), Inspektur, Sekretaris Daerah, Sekretaris
    DPRD. For these the unit's capaian kinerja organisasi is the rating hasil kerja.
    """
    text = _normalize(name)
    if any(_starts_with(text, prefix) for prefix in _NOT_HEAD_PREFIXES):
        return False
    return any(_starts_with(text, prefix) for prefix in _HEAD_PREFIXES)
