"""The columns of a roster file: Indonesian headers, their common aliases, and cell readers.

Headers are matched ignoring case, spacing, accents and punctuation, so "NIP Atasan",
"nip_atasan" and "N.I.P. Atasan" are the same column. Export writes :data:`EXPORT_HEADERS`,
which import reads back unchanged.
"""

from __future__ import annotations

import re
import unicodedata

from kinerja_desktop.i18n import N_

# Field keys (identifiers; the headers people see are Indonesian).
NIP = "nip"
NAME = "name"
TITLES = "titles"  # one "Gelar" column holding front and back titles
FRONT_TITLE = "front_title"
BACK_TITLE = "back_title"
POSITION = "position"
POSITION_KIND = "position_kind"
UNIT = "unit"
UNIT_CODE = "unit_code"
GOLONGAN = "golongan"
SUPERVISOR_NIP = "supervisor_nip"
STATUS = "status"
GENDER = "gender"
BIRTH_DATE = "birth_date"

REQUIRED = (NIP, NAME)

#: Normalized header -> field. Normalized = lower case, accents and everything that is
#: not a letter or digit removed ("Pangkat/Gol. Ruang" -> "pangkatgolruang").
_ALIASES: dict[str, tuple[str, ...]] = {
    NIP: ("nip", "nipbaru", "nippegawai", "nipasn", "nipnipppk", "nipnippppk", "nipppk", "nippppk",
          "nomorinduk", "nomorindukpegawai", "nomornip", "nonip"),
    NAME: ("nama", "namapegawai", "namalengkap", "namaasn", "namapns"),
    TITLES: ("gelar", "gelarakademik", "titel"),
    FRONT_TITLE: ("gelardepan", "gelarmuka"),
    BACK_TITLE: ("gelarbelakang",),
    POSITION: ("jabatan", "namajabatan", "jabatansekarang"),
    POSITION_KIND: ("jenisjabatan", "tipejabatan", "kategorijabatan", "eselonjenisjabatan"),
    UNIT: ("unitkerja", "unit", "namaunitkerja", "namaunit", "opd", "satuankerja", "satker",
           "unitorganisasi", "skpd"),
    UNIT_CODE: ("kodeunit", "kodeunitkerja", "kodeopd", "kodesatker", "kodeskpd"),
    GOLONGAN: ("golongan", "gol", "golruang", "golonganruang", "pangkatgol", "pangkatgolruang",
               "pangkatgolongan", "pangkatgolonganruang", "golpangkat", "golonganpangkat"),
    SUPERVISOR_NIP: ("nipatasan", "nipatasanlangsung", "nippejabatpenilai", "nippenilai",
                     "nippejabatpenilaikinerja", "atasannip"),
    STATUS: ("status", "statuspegawai", "statuskepegawaian", "jenispegawai", "statusasn", "jenisasn"),
    GENDER: ("jeniskelamin", "jk", "kelamin", "lp", "sex", "gender"),
    BIRTH_DATE: ("tanggallahir", "tgllahir", "tgllhr", "tanggallhr", "tgllahirddmmyyyy"),
}
HEADER_FIELDS: dict[str, str] = {alias: field for field, aliases in _ALIASES.items() for alias in aliases}

#: The headers written by export, in order (source strings: Indonesian).
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    (NIP, N_("NIP")),
    (FRONT_TITLE, N_("Gelar Depan")),
    (NAME, N_("Nama")),
    (BACK_TITLE, N_("Gelar Belakang")),
    (GENDER, N_("Jenis Kelamin")),
    (BIRTH_DATE, N_("Tanggal Lahir")),
    (STATUS, N_("Status")),
    (GOLONGAN, N_("Golongan")),
    (POSITION, N_("Jabatan")),
    (POSITION_KIND, N_("Jenis Jabatan")),
    (UNIT_CODE, N_("Kode Unit Kerja")),
    (UNIT, N_("Unit Kerja")),
    (SUPERVISOR_NIP, N_("NIP Atasan")),
)
EXPORT_HEADERS: tuple[str, ...] = tuple(header for _field, header in EXPORT_COLUMNS)

#: The header named in messages when a field's column is meant (Indonesian).
FIELD_LABELS: dict[str, str] = dict(EXPORT_COLUMNS) | {TITLES: N_("Gelar")}


def normalize_header(text: object) -> str:
    """``"Pangkat/Gol. Ruang"`` -> ``"pangkatgolruang"``."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


def field_for_header(text: object) -> str | None:
    return HEADER_FIELDS.get(normalize_header(text))


def map_headers(headers: list[object]) -> dict[str, int]:
    """Field -> column index (0-based) for the recognised headers; the first column wins."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        field = field_for_header(header)
        if field is not None and field not in found:
            found[field] = index
    return found


# --- titles ------------------------------------------------------------------------------

#: Front titles (gelar depan), lower case without the final dot. "H." / "Hj." (haji,
#: hajah) are written before the name as titles are.
FRONT_TITLES = frozenset({
    "prof", "dr", "drg", "drh", "drs", "dra", "ir", "h", "hj", "ns", "apt", "bd", "kh", "ak", "ny",
})
_TOKEN = re.compile(r"[^\s,]+")


def _is_front_title(token: str) -> bool:
    bare = token.rstrip(".").lower()
    return bare in FRONT_TITLES and (token.endswith(".") or len(bare) > 1)


def _split_front(text: str) -> tuple[str, str]:
    """Leading front titles of ``text`` and the rest: ``"Drs. H. Ahmad"`` -> ``("Drs. H.", "Ahmad")``."""
    titles: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        between = text[pos:match.start()]
        if between.strip(" \t,") and titles:  # something other than spaces/commas: stop
            break
        if not _is_front_title(match.group()):
            break
        titles.append(match.group())
        pos = match.end()
    if not titles:
        return "", text.strip()
    return " ".join(titles), text[pos:].lstrip(" \t,").strip()


def split_titles(text: str) -> tuple[str, str]:
    """A "Gelar" cell split into front and back: ``"dr., M.Kes"`` -> ``("dr.", "M.Kes")``."""
    front, rest = _split_front(" ".join(str(text).split()))
    return front, rest.strip(" ,")


def split_name(text: str) -> tuple[str, str, str]:
    """``"dr. Siti Aminah, M.Kes"`` -> ``("dr.", "Siti Aminah", "M.Kes")``.

    Front titles are the known ones (:data:`FRONT_TITLES`) before the name, so an
    initial such as "M. Yusuf" stays part of the name; back titles follow the first comma.
    """
    text = " ".join(str(text).split())
    head, comma, tail = text.partition(",")
    front, name = _split_front(head)
    return front, name.strip(), tail.strip(" ,") if comma else ""


# --- gender and status ----------------------------------------------------------------------

_GENDERS = {
    "l": "L", "lk": "L", "laki": "L", "lakilaki": "L", "pria": "L", "male": "L", "m": "L",
    "p": "P", "pr": "P", "perempuan": "P", "wanita": "P", "female": "P", "f": "P", "w": "P",
}
_STATUSES = {"pns": "PNS", "cpns": "PNS", "pppk": "PPPK", "p3k": "PPPK"}


def parse_gender(text: str) -> str | None:
    """``"Laki-laki"`` -> ``"L"``, ``"Perempuan"`` -> ``"P"``; None when not recognised."""
    return _GENDERS.get(normalize_header(text))


def parse_status(text: str) -> str | None:
    """``"pns"`` -> ``"PNS"``, ``"P3K"`` -> ``"PPPK"``; None when not recognised."""
    return _STATUSES.get(normalize_header(text))
