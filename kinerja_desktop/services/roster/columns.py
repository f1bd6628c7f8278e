"""The columns of a roster file: Indonesian headers, SIASN's own names, and what each column is for.

Headers are matched ignoring case, spacing, accents and punctuation, so "NIP Atasan",
"nip_atasan" and "N.I.P. Atasan" are the same column. Two families are read:

- the program's own headers and their common aliases (what :data:`EXPORT_HEADERS` writes
  and import reads back unchanged);
- SIASN's data download ("PNS ID", "NIP BARU", "GOL AKHIR NAMA", "JABATAN NAMA",
  "UNOR NAMA", "SATUAN KERJA KERJA NAMA", "KEDUDUKAN HUKUM NAMA", ...).

:func:`describe_columns` says for every column which field it fills, or why it is ignored
("diabaikan"): personal data the program does not need is deliberately not stored (data
minimisation, UU PDP 27/2022), history and reference ids are not used. A column whose
title looks like a field the program reads but is not recognised is a problem the import
refuses, never a silent drop.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from kinerja_desktop.domain.employee_rules import parse_gender as _parse_gender
from kinerja_desktop.domain.employee_rules import parse_status as _parse_status
from kinerja_desktop.i18n import N_, _

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
SIASN_ID = "siasn_id"  # SIASN's PNS ID
KEDUDUKAN = "kedudukan"  # SIASN's KEDUDUKAN HUKUM NAMA: Aktif, Pensiun, ...
ESELON = "eselon"
SATKER_ID = "satker_id"  # the perangkat daerah (SATUAN KERJA KERJA ID / NAMA)
SATKER = "satker"
UNOR_ID = "unor_id"  # the unit inside it (UNOR ID / NAMA)
UNOR = "unor"
UNOR_PARENT_ID = "unor_parent_id"  # the unit above the UNOR, where a download has it
UNOR_PARENT = "unor_parent"

REQUIRED = (NIP, NAME)
#: Fields that place an employee in SIASN's unit tree; any of them makes the file a SIASN one.
SIASN_UNIT_FIELDS = (SATKER_ID, SATKER, UNOR_ID, UNOR, UNOR_PARENT_ID, UNOR_PARENT)

#: Normalized header -> field. Normalized = lower case, accents and everything that is
#: not a letter or digit removed ("Pangkat/Gol. Ruang" -> "pangkatgolruang").
_ALIASES: dict[str, tuple[str, ...]] = {
    NIP: (
        "nip",
        "nipbaru",
        "nippegawai",
        "nipasn",
        "nipnipppk",
        "nipnippppk",
        "nipppk",
        "nippppk",
        "nomorinduk",
        "nomorindukpegawai",
        "nomornip",
        "nonip",
    ),
    NAME: ("nama", "namapegawai", "namalengkap", "namaasn", "namapns"),
    TITLES: ("gelar", "gelarakademik", "titel"),
    FRONT_TITLE: ("gelardepan", "gelarmuka"),
    BACK_TITLE: ("gelarbelakang",),
    POSITION: ("jabatan", "namajabatan", "jabatansekarang", "jabatannama"),
    POSITION_KIND: ("jenisjabatan", "tipejabatan", "kategorijabatan", "eselonjenisjabatan", "jenisjabatannama"),
    UNIT: ("unitkerja", "unit", "namaunitkerja", "namaunit", "opd", "satuankerja", "satker", "unitorganisasi", "skpd"),
    UNIT_CODE: ("kodeunit", "kodeunitkerja", "kodeopd", "kodesatker", "kodeskpd"),
    GOLONGAN: (
        "golongan",
        "gol",
        "golruang",
        "golonganruang",
        "pangkatgol",
        "pangkatgolruang",
        "pangkatgolongan",
        "pangkatgolonganruang",
        "golpangkat",
        "golonganpangkat",
        "golakhirnama",
        "golakhir",
        "golonganakhir",
    ),
    SUPERVISOR_NIP: (
        "nipatasan",
        "nipatasanlangsung",
        "nippejabatpenilai",
        "nippenilai",
        "nippejabatpenilaikinerja",
        "atasannip",
    ),
    STATUS: ("status", "statuspegawai", "statuskepegawaian", "jenispegawai", "statusasn", "jenisasn", "statuscpnspns"),
    GENDER: ("jeniskelamin", "jk", "kelamin", "lp", "sex", "gender"),
    BIRTH_DATE: ("tanggallahir", "tgllahir", "tgllhr", "tanggallhr", "tgllahirddmmyyyy"),
    SIASN_ID: ("pnsid", "idpns", "idsiasn", "idasn"),
    KEDUDUKAN: ("kedudukanhukumnama", "kedudukanhukum", "kedudukan"),
    ESELON: ("eselonnama", "eselon"),
    SATKER_ID: ("satuankerjakerjaid",),
    SATKER: ("satuankerjakerjanama",),
    UNOR_ID: ("unorid",),
    UNOR: ("unornama",),
    UNOR_PARENT_ID: ("unorindukid",),
    UNOR_PARENT: ("unorinduknama",),
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
    (SIASN_ID, N_("PNS ID")),
)
EXPORT_HEADERS: tuple[str, ...] = tuple(header for _field, header in EXPORT_COLUMNS)

#: The header named in messages when a field's column is meant (Indonesian).
FIELD_LABELS: dict[str, str] = dict(EXPORT_COLUMNS) | {
    TITLES: N_("Gelar"),
    KEDUDUKAN: N_("Kedudukan Hukum"),
    ESELON: N_("Eselon"),
    SATKER_ID: N_("ID Satuan Kerja"),
    SATKER: N_("Satuan Kerja"),
    UNOR_ID: N_("UNOR ID"),
    UNOR: N_("UNOR"),
    UNOR_PARENT_ID: N_("UNOR Induk ID"),
    UNOR_PARENT: N_("UNOR Induk"),
}
#: What a column fills, as the column report says it.
FIELD_USES: dict[str, str] = {
    NIP: N_("NIP / NI PPPK"),
    NAME: N_("nama pegawai"),
    TITLES: N_("gelar depan dan belakang"),
    FRONT_TITLE: N_("gelar depan"),
    BACK_TITLE: N_("gelar belakang"),
    POSITION: N_("nama jabatan"),
    POSITION_KIND: N_("jenis jabatan"),
    UNIT: N_("unit kerja"),
    UNIT_CODE: N_("kode unit kerja"),
    GOLONGAN: N_("golongan"),
    SUPERVISOR_NIP: N_("atasan langsung (pejabat penilai)"),
    STATUS: N_("status PNS/PPPK (diperiksa terhadap NIP)"),
    GENDER: N_("jenis kelamin (diperiksa terhadap NIP)"),
    BIRTH_DATE: N_("tanggal lahir (diperiksa terhadap NIP)"),
    SIASN_ID: N_("ID SIASN pegawai: unduhan berikutnya dicocokkan dengannya"),
    KEDUDUKAN: N_("aktif/tidak aktif: selain Aktif pegawai dinonaktifkan"),
    ESELON: N_("jenis jabatan struktural (JPT, administrator, pengawas)"),
    SATKER_ID: N_("ID SIASN perangkat daerah (unit teratas)"),
    SATKER: N_("perangkat daerah (unit teratas)"),
    UNOR_ID: N_("ID SIASN unit organisasi"),
    UNOR: N_("unit organisasi di bawah perangkat daerah"),
    UNOR_PARENT_ID: N_("ID SIASN unit di atas UNOR"),
    UNOR_PARENT: N_("unit di atas UNOR"),
}

# --- columns deliberately not used ------------------------------------------------------------

PERSONAL = "personal"
IGNORED = "ignored"
USED = "used"
DUPLICATE = "duplicate"
UNKNOWN = "unknown"
SUSPECT = "suspect"  # looks like a field the program reads, but is not recognised: refused

_PERSONAL_NOTE = N_(
    "diabaikan: data pribadi yang tidak diperlukan program ini, sengaja tidak disimpan "
    "(minimalisasi data, UU PDP 27/2022)"
)
_HISTORY_NOTE = N_("diabaikan: riwayat kepegawaian yang tidak dipakai penilaian kinerja")
_EDUCATION_NOTE = N_("diabaikan: data pendidikan tidak dipakai program ini")
_REFERENCE_NOTE = N_("diabaikan: kode referensi SIASN; kolom NAMA pasangannya yang dipakai")
_INSTANSI_NOTE = N_("diabaikan: sama untuk seluruh instansi atau hanya untuk penggajian")
_STATUS_NOTE = N_("diabaikan: status PNS/PPPK diambil dari NIP BARU")
_ROW_NUMBER_NOTE = N_("diabaikan: nomor urut baris")
_SUPERVISOR_NOTE = N_("diabaikan: atasan dikenali dari kolom NIP Atasan (atau dari unit dan jabatan)")
_IGNORED: dict[str, str] = {}
for _note, _names in (
    (
        _PERSONAL_NOTE,
        (
            "nik",
            "nomorhp",
            "nohp",
            "nomortelepon",
            "telepon",
            "hp",
            "email",
            "emailgov",
            "alamat",
            "npwp",
            "npwpnomor",
            "bpjs",
            "agama",
            "agamaid",
            "agamanama",
            "jeniskawinid",
            "jeniskawinnama",
            "statuskawin",
            "tempatlahir",
            "tempatlahirid",
            "tempatlahirnama",
            "isvalidnik",
            "flagikd",
            "kartuasnvirtual",
            "karpeg",
            "nomorkarpeg",
        ),
    ),
    (
        _HISTORY_NOTE,
        (
            "niplama",
            "nomorskcpns",
            "tanggalskcpns",
            "tmtcpns",
            "nomorskpns",
            "tanggalskpns",
            "tmtpns",
            "golawalid",
            "golawalnama",
            "tmtgolongan",
            "tmtgolonganakhir",
            "mktahun",
            "mkbulan",
            "tmtjabatan",
            "tmteselon",
        ),
    ),
    (
        _EDUCATION_NOTE,
        (
            "tingkatpendidikanid",
            "tingkatpendidikannama",
            "pendidikanid",
            "pendidikannama",
            "pendidikanterakhirnama",
            "tahunlulus",
            "namasekolah",
        ),
    ),
    (_REFERENCE_NOTE, ("jenispegawaiid", "kedudukanhukumid", "golakhirid", "jenisjabatanid", "jabatanid", "eselonid")),
    (
        _INSTANSI_NOTE,
        (
            "instansiindukid",
            "instansiinduknama",
            "instansikerjaid",
            "instansikerjanama",
            "satuankerjaindukid",
            "satuankerjainduknama",
            "kpknid",
            "kpknnama",
            "lokasikerjaid",
            "lokasikerjanama",
        ),
    ),
    (_STATUS_NOTE, ("jenispegawainama",)),
    (_ROW_NUMBER_NOTE, ("no", "nourut", "nomorurut")),
    (
        _SUPERVISOR_NOTE,
        (
            "namaatasan",
            "jabatanatasan",
            "pangkatatasan",
            "golonganatasan",
            "golatasan",
            "namapejabatpenilai",
            "jabatanpejabatpenilai",
            "unitkerjaatasan",
            "eselonatasan",
        ),
    ),
):
    for _name in _names:
        _IGNORED[_name] = _note

#: Words that make an unrecognised title look like a field the program reads.
_SUSPECT_WORDS = {
    "nip": NIP,
    "gelar": TITLES,
    "lahir": BIRTH_DATE,
    "kelamin": GENDER,
    "golongan": GOLONGAN,
    "gol": GOLONGAN,
    "pangkat": GOLONGAN,
    "jabatan": POSITION,
    "unit": UNIT,
    "unor": UNOR,
    "satker": UNIT,
    "satuan": UNIT,
    "atasan": SUPERVISOR_NIP,
    "penilai": SUPERVISOR_NIP,
    "kedudukan": KEDUDUKAN,
    "eselon": ESELON,
}


def normalize_header(text: object) -> str:
    """``"Pangkat/Gol. Ruang"`` -> ``"pangkatgolruang"``."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


def field_for_header(text: object) -> str | None:
    return HEADER_FIELDS.get(normalize_header(text))


def map_headers(headers: Sequence[object]) -> dict[str, int]:
    """Field -> column index (0-based) for the recognised headers; the first column wins.

    In a SIASN download (it has a SATUAN KERJA or UNOR column) the unit comes from those;
    a plain Unit Kerja / Kode Unit column is then not used.
    """
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        field = field_for_header(header)
        if field is not None and field not in found:
            found[field] = index
    if any(f in found for f in SIASN_UNIT_FIELDS):
        found.pop(UNIT, None)
        found.pop(UNIT_CODE, None)
    return found


def is_siasn(fields: dict[str, int]) -> bool:
    """True when the mapped columns place employees in SIASN's unit tree."""
    return any(f in fields for f in SIASN_UNIT_FIELDS)


@dataclass(frozen=True)
class ColumnUse:
    """One column of the file and what the import does with it."""

    index: int  # 0-based
    header: str
    kind: str  # USED, PERSONAL, IGNORED, DUPLICATE, UNKNOWN or SUSPECT
    field: str | None
    note: str  # a sentence for people, translated

    @property
    def letter(self) -> str:
        n, out = self.index + 1, ""
        while n:
            n, r = divmod(n - 1, 26)
            out = chr(65 + r) + out
        return out


def _suspect_field(norm: str, header: str) -> str | None:
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", header).lower())
    for word in words:
        if word in _SUSPECT_WORDS:
            return _SUSPECT_WORDS[word]
    return None


def describe_columns(headers: list[str]) -> list[ColumnUse]:
    """Every titled column with the field it fills, or "diabaikan" and why (in order)."""
    fields = map_headers(headers)
    used_at = {index: field for field, index in fields.items()}
    siasn = is_siasn(fields)
    out: list[ColumnUse] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        norm = normalize_header(header)
        field = HEADER_FIELDS.get(norm)
        if index in used_at:
            out.append(
                ColumnUse(index, header, USED, field, _("mengisi {use}").format(use=_(FIELD_USES[used_at[index]])))
            )
        elif field in (UNIT, UNIT_CODE) and siasn:
            out.append(
                ColumnUse(
                    index, header, IGNORED, field, _("diabaikan: unit kerja diambil dari kolom SATUAN KERJA dan UNOR")
                )
            )
        elif field is not None:
            first = headers[fields[field]]
            out.append(
                ColumnUse(
                    index,
                    header,
                    DUPLICATE,
                    field,
                    _("diabaikan: {use} sudah diambil dari kolom {column}").format(
                        use=_(FIELD_USES[field]), column=first
                    ),
                )
            )
        elif norm in _IGNORED:
            kind = PERSONAL if _IGNORED[norm] == _PERSONAL_NOTE else IGNORED
            out.append(ColumnUse(index, header, kind, None, _(_IGNORED[norm])))
        else:
            looks = _suspect_field(norm, header)
            if looks is not None:
                out.append(
                    ColumnUse(
                        index,
                        header,
                        SUSPECT,
                        looks,
                        _("tampak seperti kolom {label}, tetapi judulnya tidak dikenali").format(
                            label=_(FIELD_LABELS[looks])
                        ),
                    )
                )
            else:
                out.append(ColumnUse(index, header, UNKNOWN, None, _("diabaikan: judul kolom tidak dikenali")))
    return out


# --- titles ------------------------------------------------------------------------------

#: Front titles (gelar depan), lower case without the final dot. "H." / "Hj." (haji,
#: hajah) are written before the name as titles are.
FRONT_TITLES = frozenset(
    {
        "prof",
        "dr",
        "drg",
        "drh",
        "drs",
        "dra",
        "ir",
        "h",
        "hj",
        "ns",
        "apt",
        "bd",
        "kh",
        "ak",
        "ny",
    }
)
_TOKEN = re.compile(r"[^\s,]+")


def _is_front_title(token: str) -> bool:
    bare = token.rstrip(".").lower()
    return bare in FRONT_TITLES and (token.endswith(".") or len(bare) > 1)


def _split_front(text: str) -> tuple[str, str]:
    """Leading front titles of ``text`` and the rest: ``"Drs. H. Ahmad"`` -> ``("Drs. H.", "Ahmad")``."""
    titles: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        between = text[pos : match.start()]
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


def parse_gender(text: str) -> str | None:
    """``"Laki-laki"`` -> ``"L"``, ``"Perempuan"`` -> ``"P"``; None when not recognised."""
    return _parse_gender(text)


def parse_status(text: str) -> str | None:
    """``"pns"`` -> ``"PNS"``, ``"P3K"`` -> ``"PPPK"``; None when not recognised."""
    return _parse_status(text)
