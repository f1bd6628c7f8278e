"""Angka Kredit of jabatan fungsional: the conversion of predikat kinerja (konversi).

Sources: PermenPANRB No. 1 Tahun 2023 tentang Jabatan Fungsional (Pasal 37 and its
lampiran) and Peraturan BKN No. 3 Tahun 2023 tentang Angka Kredit, Kenaikan Pangkat dan
Jenjang Jabatan Fungsional (the technical rules and worked examples):

- AK = persentase predikat × koefisien per tahun of the jenjang; a periodic conversion
  is in proportion to its months: AK = (bulan / 12) × persentase × koefisien.
  Example (Peraturan BKN 3/2023): 2 months at Baik for an Ahli Pertama =
  2/12 × 100 % × 12,5 = 2,08.
- Persentase: Sangat Baik 150 %, Baik 100 %, Butuh Perbaikan 75 %,
  Kurang/Misconduct 50 %, Sangat Kurang 25 %.
- The accumulated AK (AK kumulatif) is compared with the AK a kenaikan pangkat or a
  kenaikan jenjang needs (the "kebutuhan AK kumulatif" table below).

Each AK of a period is rounded to two decimals (half up), and the total is the sum of the
printed values, so a PAK konversi always adds up on paper.

Every number carries its source. Values confirmed against the regulation's text or
BKN's worked examples are marked ``verified``; the others follow the BKN technical
material and still have to be checked against the lampiran's own text before relying
on them (:data:`UNVERIFIED` lists them; docs/regulation.md says the same).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from kinerja_desktop.domain.predikat import Predikat
from kinerja_desktop.i18n import N_, _

SOURCE_KONVERSI = "PermenPANRB 1/2023 Pasal 37 jo. Peraturan BKN 3/2023 (konversi predikat kinerja)"
SOURCE_KEBUTUHAN = (
    "PermenPANRB 1/2023 lampiran jo. Peraturan BKN 3/2023 (kebutuhan AK kumulatif kenaikan "
    "pangkat/jenjang, model integrasi/konversi)"
)


class Kategori(Enum):
    KETERAMPILAN = "keterampilan"
    KEAHLIAN = "keahlian"


class Jenjang(Enum):
    """Jenjang jabatan fungsional, lowest first within each kategori."""

    PEMULA = N_("Pemula")
    TERAMPIL = N_("Terampil")
    MAHIR = N_("Mahir")
    PENYELIA = N_("Penyelia")
    AHLI_PERTAMA = N_("Ahli Pertama")
    AHLI_MUDA = N_("Ahli Muda")
    AHLI_MADYA = N_("Ahli Madya")
    AHLI_UTAMA = N_("Ahli Utama")

    @property
    def label(self) -> str:
        return _(self.value)

    @property
    def kategori(self) -> Kategori:
        return Kategori.KEAHLIAN if self.name.startswith("AHLI") else Kategori.KETERAMPILAN


@dataclass(frozen=True)
class Cited:
    """A number with where it comes from and whether it was checked against the text."""

    value: Decimal
    source: str
    verified: bool


_BKN_EXAMPLE = "Peraturan BKN 3/2023, contoh penghitungan"
_LAMPIRAN = "PermenPANRB 1/2023, lampiran (koefisien AK per tahun)"

#: Koefisien angka kredit per tahun of each jenjang.
KOEFISIEN: dict[Jenjang, Cited] = {
    Jenjang.PEMULA: Cited(Decimal("3.75"), _LAMPIRAN, False),
    Jenjang.TERAMPIL: Cited(Decimal("5"), _LAMPIRAN, False),
    Jenjang.MAHIR: Cited(Decimal("12.5"), _LAMPIRAN, False),
    Jenjang.PENYELIA: Cited(Decimal("25"), _LAMPIRAN, False),
    Jenjang.AHLI_PERTAMA: Cited(Decimal("12.5"), f"{_LAMPIRAN}; {_BKN_EXAMPLE} (Ahli Pertama 12,5)", True),
    Jenjang.AHLI_MUDA: Cited(Decimal("25"), f"{_LAMPIRAN}; {_BKN_EXAMPLE} (Ahli Muda: 100% x 25 = 25)", True),
    Jenjang.AHLI_MADYA: Cited(Decimal("37.5"), _LAMPIRAN, False),
    Jenjang.AHLI_UTAMA: Cited(Decimal("50"), _LAMPIRAN, False),
}

#: Persentase of each predikat (PermenPANRB 1/2023 Pasal 37; Peraturan BKN 3/2023).
PERSENTASE: dict[Predikat, Decimal] = {
    Predikat.SANGAT_BAIK: Decimal("1.50"),
    Predikat.BAIK: Decimal("1.00"),
    Predikat.BUTUH_PERBAIKAN: Decimal("0.75"),
    Predikat.KURANG: Decimal("0.50"),
    Predikat.SANGAT_KURANG: Decimal("0.25"),
}

#: PNS golongan ruang of each jenjang (lowest first).
GOLONGAN: dict[Jenjang, tuple[str, ...]] = {
    Jenjang.PEMULA: ("II/a",),
    Jenjang.TERAMPIL: ("II/b", "II/c", "II/d"),
    Jenjang.MAHIR: ("III/a", "III/b"),
    Jenjang.PENYELIA: ("III/c", "III/d"),
    Jenjang.AHLI_PERTAMA: ("III/a", "III/b"),
    Jenjang.AHLI_MUDA: ("III/c", "III/d"),
    Jenjang.AHLI_MADYA: ("IV/a", "IV/b", "IV/c"),
    Jenjang.AHLI_UTAMA: ("IV/d", "IV/e"),
}

_BKN_TABLE = f"{SOURCE_KEBUTUHAN}; tabel BKN (Direktorat Jabatan ASN, 2023)"

#: AK kumulatif a kenaikan pangkat within the jenjang needs (None: the top pangkat).
KEBUTUHAN_PANGKAT: dict[Jenjang, Cited | None] = {
    Jenjang.PEMULA: Cited(Decimal("15"), _BKN_TABLE, False),
    Jenjang.TERAMPIL: Cited(Decimal("20"), _BKN_TABLE, False),
    Jenjang.MAHIR: Cited(Decimal("50"), _BKN_TABLE, False),
    Jenjang.PENYELIA: Cited(Decimal("100"), _BKN_TABLE, False),
    Jenjang.AHLI_PERTAMA: Cited(Decimal("50"), _BKN_TABLE, False),
    Jenjang.AHLI_MUDA: Cited(Decimal("100"), _BKN_TABLE, False),
    Jenjang.AHLI_MADYA: Cited(Decimal("150"), _BKN_TABLE, False),
    Jenjang.AHLI_UTAMA: Cited(Decimal("200"), _BKN_TABLE, False),
}

#: AK kumulatif a kenaikan jenjang to the next jenjang needs (None: the top jenjang).
KEBUTUHAN_JENJANG: dict[Jenjang, Cited | None] = {
    Jenjang.PEMULA: Cited(Decimal("15"), _BKN_TABLE, False),
    Jenjang.TERAMPIL: Cited(Decimal("60"), _BKN_TABLE, False),
    Jenjang.MAHIR: Cited(Decimal("100"), _BKN_TABLE, False),
    Jenjang.PENYELIA: None,
    Jenjang.AHLI_PERTAMA: Cited(Decimal("100"), _BKN_TABLE, False),
    Jenjang.AHLI_MUDA: Cited(Decimal("200"), _BKN_TABLE, False),
    Jenjang.AHLI_MADYA: Cited(Decimal("450"), _BKN_TABLE, False),
    Jenjang.AHLI_UTAMA: None,
}

_NEXT: dict[Jenjang, Jenjang | None] = {
    Jenjang.PEMULA: Jenjang.TERAMPIL,
    Jenjang.TERAMPIL: Jenjang.MAHIR,
    Jenjang.MAHIR: Jenjang.PENYELIA,
    Jenjang.PENYELIA: None,
    Jenjang.AHLI_PERTAMA: Jenjang.AHLI_MUDA,
    Jenjang.AHLI_MUDA: Jenjang.AHLI_MADYA,
    Jenjang.AHLI_MADYA: Jenjang.AHLI_UTAMA,
    Jenjang.AHLI_UTAMA: None,
}

#: Values still to be checked against the lampiran's own text (name, jenjang).
UNVERIFIED: tuple[tuple[str, Jenjang], ...] = tuple(
    [("koefisien", j) for j, c in KOEFISIEN.items() if not c.verified]
    + [("kebutuhan pangkat", j) for j, c in KEBUTUHAN_PANGKAT.items() if c is not None and not c.verified]
    + [("kebutuhan jenjang", j) for j, c in KEBUTUHAN_JENJANG.items() if c is not None and not c.verified]
)

_TWO_PLACES = Decimal("0.01")

# The jenjang words at the end of a functional position's name, longest first.
_JENJANG_WORDS: tuple[tuple[str, Jenjang], ...] = (
    ("ahli pertama", Jenjang.AHLI_PERTAMA),
    ("ahli muda", Jenjang.AHLI_MUDA),
    ("ahli madya", Jenjang.AHLI_MADYA),
    ("ahli utama", Jenjang.AHLI_UTAMA),
    ("penyelia", Jenjang.PENYELIA),
    ("mahir", Jenjang.MAHIR),
    ("terampil", Jenjang.TERAMPIL),
    ("pemula", Jenjang.PEMULA),
)
_WORD = re.compile(r"\b(" + "|".join(re.escape(w) for w, _j in _JENJANG_WORDS) + r")\b")


def jenjang_of_position(name: str | None) -> Jenjang | None:
    """The jenjang named in a functional position ("Perawat Ahli Pertama" -> Ahli Pertama).

    None when the name carries no jenjang (a structural or pelaksana position).
    "Asisten Ahli" (a lecturer's rank) is not a jenjang.
    """
    text = " ".join(str(name or "").lower().replace(".", " ").split())
    found = _WORD.findall(text)
    if not found:
        return None
    return dict(_JENJANG_WORDS)[found[-1]]


def parse_jenjang(text: str | Jenjang) -> Jenjang:
    """Read a jenjang ("Ahli Pertama", "AHLI_PERTAMA", "terampil"); ValueError (Indonesian) otherwise."""
    if isinstance(text, Jenjang):
        return text
    key = " ".join(str(text).lower().replace("_", " ").split())
    for word, jenjang in _JENJANG_WORDS:
        if key == word:
            return jenjang
    raise ValueError(
        _(
            "Jenjang jabatan fungsional '{value}' tidak dikenal. Gunakan Pemula, Terampil, Mahir, "
            "Penyelia, Ahli Pertama, Ahli Muda, Ahli Madya, atau Ahli Utama."
        ).format(value=text)
    )


def konversi(predikat: Predikat, jenjang: Jenjang, months: int = 12) -> Decimal:
    """AK of ``months`` months at ``predikat`` in ``jenjang``, rounded to 2 decimals (half up).

    ``konversi(Predikat.BAIK, Jenjang.AHLI_PERTAMA, 2) == Decimal("2.08")``.
    """
    if not 0 < int(months) <= 12:
        raise ValueError(_("Jumlah bulan konversi harus 1 sampai 12 (diberikan {months}).").format(months=months))
    exact = Decimal(int(months)) / Decimal(12) * PERSENTASE[Predikat(predikat)] * KOEFISIEN[Jenjang(jenjang)].value
    return exact.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class NextStep:
    """What the accumulated AK is measured against for the next kenaikan pangkat and jenjang."""

    jenjang: Jenjang
    golongan: str | None
    next_golongan: str | None  # None at the top of the ladder
    pangkat_needs: Cited | None  # AK for the next pangkat (None: none within reach)
    pangkat_changes_jenjang: bool  # the next pangkat is only reached by a kenaikan jenjang
    next_jenjang: Jenjang | None
    jenjang_needs: Cited | None

    def meets_pangkat(self, total: Decimal) -> bool | None:
        return None if self.pangkat_needs is None else total >= self.pangkat_needs.value

    def meets_jenjang(self, total: Decimal) -> bool | None:
        return None if self.jenjang_needs is None else total >= self.jenjang_needs.value


def next_step(jenjang: Jenjang, golongan: str | None) -> NextStep:
    """The next pangkat and jenjang of a PNS in ``jenjang`` at ``golongan`` and the AK they need.

    Within a jenjang a kenaikan pangkat needs :data:`KEBUTUHAN_PANGKAT`; from the top
    golongan of a jenjang the next pangkat comes with the next jenjang, which needs
    :data:`KEBUTUHAN_JENJANG`. ``golongan`` None (PPPK, or unknown): only the jenjang.
    """
    ladder = GOLONGAN[jenjang]
    nxt_jenjang = _NEXT[jenjang]
    jenjang_needs = KEBUTUHAN_JENJANG[jenjang]
    if golongan is None or golongan not in ladder:
        return NextStep(jenjang, golongan, None, None, False, nxt_jenjang, jenjang_needs)
    i = ladder.index(golongan)
    if i + 1 < len(ladder):
        return NextStep(jenjang, golongan, ladder[i + 1], KEBUTUHAN_PANGKAT[jenjang], False, nxt_jenjang, jenjang_needs)
    if nxt_jenjang is None:
        return NextStep(jenjang, golongan, None, None, False, None, None)
    upper = GOLONGAN[nxt_jenjang]
    following = [g for g in upper if _rank(g) > _rank(golongan)]
    return NextStep(
        jenjang, golongan, following[0] if following else None, jenjang_needs, True, nxt_jenjang, jenjang_needs
    )


def _rank(golongan: str) -> tuple[int, str]:
    roman, letter = golongan.split("/")
    return ({"I": 1, "II": 2, "III": 3, "IV": 4}[roman], letter)


def months_between(start_month: tuple[int, int], end_month: tuple[int, int]) -> int:
    """Calendar months from ``start_month`` to ``end_month`` inclusive ((year, month) pairs)."""
    return (end_month[0] - start_month[0]) * 12 + end_month[1] - start_month[1] + 1
