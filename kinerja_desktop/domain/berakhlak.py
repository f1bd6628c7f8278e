"""The BerAKHLAK core values of ASN and their indicators (SE MenPANRB No. 20 Tahun 2021).

Perilaku kerja is rated against these seven values; each has three indicators
(panduan perilaku) printed on the SKP and evaluation forms.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinerja_desktop.i18n import N_, _


@dataclass(frozen=True)
class CoreValue:
    """One BerAKHLAK value: ``number`` 1-7, stable ``code``, Indonesian name and indicators."""

    number: int
    code: str
    name: str
    definition: str
    indicators: tuple[str, str, str]


BERAKHLAK: tuple[CoreValue, ...] = (
    CoreValue(
        1,
        "BERORIENTASI_PELAYANAN",
        N_("Berorientasi Pelayanan"),
        N_("Komitmen memberikan pelayanan prima demi kepuasan masyarakat"),
        (
            N_("Memahami dan memenuhi kebutuhan masyarakat"),
            N_("Ramah, cekatan, solutif, dan dapat diandalkan"),
            N_("Melakukan perbaikan tiada henti"),
        ),
    ),
    CoreValue(
        2,
        "AKUNTABEL",
        N_("Akuntabel"),
        N_("Bertanggung jawab atas kepercayaan yang diberikan"),
        (
            N_("Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin dan berintegritas tinggi"),
            N_("Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien"),
            N_("Tidak menyalahgunakan kewenangan jabatan"),
        ),
    ),
    CoreValue(
        3,
        "KOMPETEN",
        N_("Kompeten"),
        N_("Terus belajar dan mengembangkan kapabilitas"),
        (
            N_("Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah"),
            N_("Membantu orang lain belajar"),
            N_("Melaksanakan tugas dengan kualitas terbaik"),
        ),
    ),
    CoreValue(
        4,
        "HARMONIS",
        N_("Harmonis"),
        N_("Saling peduli dan menghargai perbedaan"),
        (
            N_("Menghargai setiap orang apapun latar belakangnya"),
            N_("Suka menolong orang lain"),
            N_("Membangun lingkungan kerja yang kondusif"),
        ),
    ),
    CoreValue(
        5,
        "LOYAL",
        N_("Loyal"),
        N_("Berdedikasi dan mengutamakan kepentingan bangsa dan negara"),
        (
            N_(
                "Memegang teguh ideologi Pancasila, Undang-Undang Dasar Negara Republik Indonesia Tahun 1945, "
                "setia kepada Negara Kesatuan Republik Indonesia serta pemerintahan yang sah"
            ),
            N_("Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara"),
            N_("Menjaga rahasia jabatan dan negara"),
        ),
    ),
    CoreValue(
        6,
        "ADAPTIF",
        N_("Adaptif"),
        N_("Terus berinovasi dan antusias dalam menggerakkan serta menghadapi perubahan"),
        (
            N_("Cepat menyesuaikan diri menghadapi perubahan"),
            N_("Terus berinovasi dan mengembangkan kreativitas"),
            N_("Bertindak proaktif"),
        ),
    ),
    CoreValue(
        7,
        "KOLABORATIF",
        N_("Kolaboratif"),
        N_("Membangun kerja sama yang sinergis"),
        (
            N_("Memberi kesempatan kepada berbagai pihak untuk berkontribusi"),
            N_("Terbuka dalam bekerja sama untuk menghasilkan nilai tambah"),
            N_("Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama"),
        ),
    ),
)

BERAKHLAK_CODES: tuple[str, ...] = tuple(value.code for value in BERAKHLAK)
_BY_CODE = {value.code: value for value in BERAKHLAK}


def core_value(code: str) -> CoreValue:
    """The value with ``code`` ("AKUNTABEL"); the Indonesian name ("Akuntabel") also works."""
    key = "_".join(str(code).strip().upper().split())
    found = _BY_CODE.get(key)
    if found is None:
        raise ValueError(_("Nilai BerAKHLAK '{value}' tidak dikenal.").format(value=code))
    return found
