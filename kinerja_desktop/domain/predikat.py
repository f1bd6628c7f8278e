"""Ratings, the predikat matrix and the organisation's capaian (PermenPANRB 6/2022)."""

from __future__ import annotations

from enum import Enum

from kinerja_desktop.i18n import N_, _


class Rating(Enum):
    """Rating of hasil kerja or of perilaku kerja."""

    DI_ATAS = N_("Di Atas Ekspektasi")
    SESUAI = N_("Sesuai Ekspektasi")
    DI_BAWAH = N_("Di Bawah Ekspektasi")

    @property
    def label(self) -> str:
        return _(self.value)


class Predikat(Enum):
    """Predikat kinerja pegawai, best first."""

    SANGAT_BAIK = N_("Sangat Baik")
    BAIK = N_("Baik")
    BUTUH_PERBAIKAN = N_("Butuh Perbaikan")
    KURANG = N_("Kurang/Misconduct")
    SANGAT_KURANG = N_("Sangat Kurang")

    @property
    def rank(self) -> int:
        """1 for Sangat Baik (best) .. 5 for Sangat Kurang (worst)."""
        return list(Predikat).index(self) + 1

    @property
    def label(self) -> str:
        return _(self.value)


class CapaianOrganisasi(Enum):
    """Capaian kinerja organisasi, set by the head of the organisation for the year."""

    ISTIMEWA = N_("Istimewa")
    BAIK = N_("Baik")
    BUTUH_PERBAIKAN = N_("Butuh Perbaikan")
    KURANG = N_("Kurang")
    SANGAT_KURANG = N_("Sangat Kurang")

    @property
    def label(self) -> str:
        return _(self.value)


# Rows: rating hasil kerja; columns: rating perilaku kerja. Exactly the table of
# PermenPANRB 6/2022 (lampiran, penetapan predikat kinerja pegawai).
_MATRIX: dict[tuple[Rating, Rating], Predikat] = {
    (Rating.DI_ATAS, Rating.DI_BAWAH): Predikat.KURANG,
    (Rating.DI_ATAS, Rating.SESUAI): Predikat.BAIK,
    (Rating.DI_ATAS, Rating.DI_ATAS): Predikat.SANGAT_BAIK,
    (Rating.SESUAI, Rating.DI_BAWAH): Predikat.KURANG,
    (Rating.SESUAI, Rating.SESUAI): Predikat.BAIK,
    (Rating.SESUAI, Rating.DI_ATAS): Predikat.BAIK,
    (Rating.DI_BAWAH, Rating.DI_BAWAH): Predikat.SANGAT_KURANG,
    (Rating.DI_BAWAH, Rating.SESUAI): Predikat.BUTUH_PERBAIKAN,
    (Rating.DI_BAWAH, Rating.DI_ATAS): Predikat.BUTUH_PERBAIKAN,
}


def predikat(hasil: Rating, perilaku: Rating) -> Predikat:
    """The predikat for a rating hasil kerja and a rating perilaku kerja."""
    return _MATRIX[(Rating(hasil), Rating(perilaku))]


# A head of unit's rating hasil kerja follows the organisation's capaian kinerja
# (PermenPANRB 6/2022: for the head of the unit, capaian kinerja organisasi is the
# rating hasil kerja). Five capaian levels map onto three ratings: the best level is
# above expectation, "Baik" meets it, the three lower levels are below it.
_HEAD_RATING: dict[CapaianOrganisasi, Rating] = {
    CapaianOrganisasi.ISTIMEWA: Rating.DI_ATAS,
    CapaianOrganisasi.BAIK: Rating.SESUAI,
    CapaianOrganisasi.BUTUH_PERBAIKAN: Rating.DI_BAWAH,
    CapaianOrganisasi.KURANG: Rating.DI_BAWAH,
    CapaianOrganisasi.SANGAT_KURANG: Rating.DI_BAWAH,
}


def rating_hasil_kerja_for_head(capaian: CapaianOrganisasi) -> Rating:
    """Rating hasil kerja of the head of the unit, derived from the unit's capaian."""
    return _HEAD_RATING[CapaianOrganisasi(capaian)]


def _key(text: str) -> str:
    return " ".join(str(text).lower().replace("/", " / ").replace("-", " ").split())


_RATING_WORDS: dict[str, Rating] = {}
for _rating, _short in ((Rating.DI_ATAS, "di atas"), (Rating.SESUAI, "sesuai"), (Rating.DI_BAWAH, "di bawah")):
    for _form in (_short, _short.replace(" ", ""), f"{_short} ekspektasi", f"{_short.replace(' ', '')} ekspektasi"):
        _RATING_WORDS[_form] = _rating

_PREDIKAT_WORDS: dict[str, Predikat] = {
    "sangat baik": Predikat.SANGAT_BAIK,
    "baik": Predikat.BAIK,
    "butuh perbaikan": Predikat.BUTUH_PERBAIKAN,
    "perlu perbaikan": Predikat.BUTUH_PERBAIKAN,
    "kurang / misconduct": Predikat.KURANG,
    "kurang": Predikat.KURANG,
    "misconduct": Predikat.KURANG,
    "sangat kurang": Predikat.SANGAT_KURANG,
}

_CAPAIAN_WORDS: dict[str, CapaianOrganisasi] = {
    "istimewa": CapaianOrganisasi.ISTIMEWA,
    "baik": CapaianOrganisasi.BAIK,
    "butuh perbaikan": CapaianOrganisasi.BUTUH_PERBAIKAN,
    "perlu perbaikan": CapaianOrganisasi.BUTUH_PERBAIKAN,
    "kurang": CapaianOrganisasi.KURANG,
    "sangat kurang": CapaianOrganisasi.SANGAT_KURANG,
}


def parse_rating(text: str | Rating) -> Rating:
    """Read a rating: "Di Atas Ekspektasi", "di atas", "DIATAS", "sesuai", "di bawah" ...

    Also accepts the enum member name ("DI_ATAS"). Raises ``ValueError`` (Indonesian).
    """
    if isinstance(text, Rating):
        return text
    key = _key(text)
    found = _RATING_WORDS.get(key) or _RATING_WORDS.get(key.replace("_", " "))
    if found is None:
        raise ValueError(
            _(
                "Rating '{value}' tidak dikenal. Gunakan Di Atas Ekspektasi, Sesuai Ekspektasi, atau Di Bawah Ekspektasi."
            ).format(value=text)
        )
    return found


def parse_predikat(text: str | Predikat) -> Predikat:
    """Read a predikat: "Sangat Baik", "baik", "Kurang/Misconduct", "kurang", "misconduct" ...

    Also accepts the enum member name ("SANGAT_BAIK"). Raises ``ValueError`` (Indonesian).
    """
    if isinstance(text, Predikat):
        return text
    key = _key(text).replace("_", " ")
    found = _PREDIKAT_WORDS.get(key)
    if found is None:
        raise ValueError(
            _(
                "Predikat '{value}' tidak dikenal. Gunakan Sangat Baik, Baik, Butuh Perbaikan, "
                "Kurang/Misconduct, atau Sangat Kurang."
            ).format(value=text)
        )
    return found


def parse_capaian(text: str | CapaianOrganisasi) -> CapaianOrganisasi:
    """Read a capaian kinerja organisasi: "Istimewa", "baik", "Butuh Perbaikan" ...

    Raises ``ValueError`` (Indonesian).
    """
    if isinstance(text, CapaianOrganisasi):
        return text
    found = _CAPAIAN_WORDS.get(_key(text).replace("_", " "))
    if found is None:
        raise ValueError(
            _(
                "Capaian kinerja organisasi '{value}' tidak dikenal. Gunakan Istimewa, Baik, "
                "Butuh Perbaikan, Kurang, atau Sangat Kurang."
            ).format(value=text)
        )
    return found
