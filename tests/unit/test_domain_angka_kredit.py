"""Angka Kredit: the conversion of predikat by the jenjang's koefisien, and what it is measured against."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja_desktop.domain.angka_kredit import (
    GOLONGAN,
    KEBUTUHAN_JENJANG,
    KEBUTUHAN_PANGKAT,
    KOEFISIEN,
    PERSENTASE,
    UNVERIFIED,
    Jenjang,
    Kategori,
    jenjang_of_position,
    konversi,
    next_step,
    parse_jenjang,
)
from kinerja_desktop.domain.predikat import Predikat

J = Jenjang
SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)


def test_the_periodic_example_of_the_regulation() -> None:
    # 2 months at Baik for an Ahli Pertama = 2/12 x 100 % x 12,5 = 2,08
    assert konversi(B, J.AHLI_PERTAMA, 2) == Decimal("2.08")


@pytest.mark.parametrize(
    ("predikat", "jenjang", "months", "expected"),
    [
        (B, J.AHLI_PERTAMA, 12, "12.50"),
        (SB, J.AHLI_PERTAMA, 12, "18.75"),  # 150 %: the ceiling of a year's conversion
        (BP, J.AHLI_PERTAMA, 12, "9.38"),  # 9,375 rounds half up
        (K, J.AHLI_PERTAMA, 12, "6.25"),
        (SK, J.AHLI_PERTAMA, 12, "3.13"),  # 3,125
        (B, J.AHLI_MUDA, 12, "25.00"),  # Peraturan BKN 3/2023: 100 % x 25 = 25
        (B, J.AHLI_MADYA, 12, "37.50"),
        (B, J.AHLI_UTAMA, 12, "50.00"),
        (B, J.PEMULA, 12, "3.75"),
        (B, J.TERAMPIL, 12, "5.00"),
        (B, J.MAHIR, 12, "12.50"),
        (B, J.PENYELIA, 12, "25.00"),
        (SB, J.TERAMPIL, 3, "1.88"),  # 3/12 x 150 % x 5 = 1,875
        (B, J.AHLI_PERTAMA, 1, "1.04"),
        (B, J.AHLI_PERTAMA, 6, "6.25"),
        (SB, J.AHLI_MUDA, 5, "15.63"),  # 5/12 x 1,5 x 25 = 15,625
    ],
)
def test_conversion_table(predikat, jenjang, months, expected) -> None:
    assert konversi(predikat, jenjang, months) == Decimal(expected)


def test_percentages_and_koefisien_are_the_regulations() -> None:
    assert {p: str(v) for p, v in PERSENTASE.items()} == {SB: "1.50", B: "1.00", BP: "0.75", K: "0.50", SK: "0.25"}
    assert {j: str(c.value) for j, c in KOEFISIEN.items()} == {
        J.PEMULA: "3.75",
        J.TERAMPIL: "5",
        J.MAHIR: "12.5",
        J.PENYELIA: "25",
        J.AHLI_PERTAMA: "12.5",
        J.AHLI_MUDA: "25",
        J.AHLI_MADYA: "37.5",
        J.AHLI_UTAMA: "50",
    }
    assert KOEFISIEN[J.AHLI_PERTAMA].verified and KOEFISIEN[J.AHLI_MUDA].verified
    assert all(c.source for c in KOEFISIEN.values())


def test_every_value_not_checked_against_the_text_is_listed() -> None:
    listed = set(UNVERIFIED)
    for name, table in (
        ("koefisien", KOEFISIEN),
        ("kebutuhan pangkat", KEBUTUHAN_PANGKAT),
        ("kebutuhan jenjang", KEBUTUHAN_JENJANG),
    ):
        for jenjang, cited in table.items():
            if cited is not None:
                assert ((name, jenjang) in listed) == (not cited.verified)


def test_four_years_at_baik_reach_the_next_pangkat_in_every_jenjang() -> None:
    """The thresholds and koefisien agree: each kenaikan pangkat is four years of Baik."""
    for jenjang, need in KEBUTUHAN_PANGKAT.items():
        assert need.value == 4 * KOEFISIEN[jenjang].value


@pytest.mark.parametrize("months", [0, 13, -1])
def test_months_out_of_range_are_refused(months) -> None:
    with pytest.raises(ValueError, match="1 sampai 12"):
        konversi(B, J.AHLI_PERTAMA, months)


@pytest.mark.parametrize(
    ("jenjang", "golongan", "next_golongan", "needs", "changes_jenjang", "next_jenjang", "jenjang_needs"),
    [
        (J.AHLI_PERTAMA, "III/a", "III/b", 50, False, J.AHLI_MUDA, 100),
        (J.AHLI_PERTAMA, "III/b", "III/c", 100, True, J.AHLI_MUDA, 100),
        (J.AHLI_MUDA, "III/c", "III/d", 100, False, J.AHLI_MADYA, 200),
        (J.AHLI_MUDA, "III/d", "IV/a", 200, True, J.AHLI_MADYA, 200),
        (J.AHLI_MADYA, "IV/a", "IV/b", 150, False, J.AHLI_UTAMA, 450),
        (J.AHLI_MADYA, "IV/c", "IV/d", 450, True, J.AHLI_UTAMA, 450),
        (J.AHLI_UTAMA, "IV/d", "IV/e", 200, False, None, None),
        (J.AHLI_UTAMA, "IV/e", None, None, False, None, None),
        (J.PEMULA, "II/a", "II/b", 15, True, J.TERAMPIL, 15),
        (J.TERAMPIL, "II/b", "II/c", 20, False, J.MAHIR, 60),
        (J.TERAMPIL, "II/d", "III/a", 60, True, J.MAHIR, 60),
        (J.MAHIR, "III/a", "III/b", 50, False, J.PENYELIA, 100),
        (J.MAHIR, "III/b", "III/c", 100, True, J.PENYELIA, 100),
        (J.PENYELIA, "III/c", "III/d", 100, False, None, None),
        (J.PENYELIA, "III/d", None, None, False, None, None),
    ],
)
def test_next_step_table(jenjang, golongan, next_golongan, needs, changes_jenjang, next_jenjang, jenjang_needs):
    step = next_step(jenjang, golongan)
    assert step.next_golongan == next_golongan
    assert (step.pangkat_needs.value if step.pangkat_needs else None) == needs
    assert step.pangkat_changes_jenjang is changes_jenjang
    assert step.next_jenjang is next_jenjang
    assert (step.jenjang_needs.value if step.jenjang_needs else None) == jenjang_needs


def test_meeting_a_threshold_is_inclusive() -> None:
    step = next_step(J.AHLI_PERTAMA, "III/a")
    assert step.meets_pangkat(Decimal("49.99")) is False
    assert step.meets_pangkat(Decimal("50")) is True
    assert step.meets_jenjang(Decimal("100.00")) is True


def test_pppk_or_unknown_golongan_measures_only_the_jenjang() -> None:
    step = next_step(J.AHLI_PERTAMA, None)
    assert step.pangkat_needs is None and step.meets_pangkat(Decimal(500)) is None
    assert step.jenjang_needs.value == 100


@pytest.mark.parametrize(
    ("name", "jenjang"),
    [
        ("Epidemiolog Kesehatan Ahli Pertama", J.AHLI_PERTAMA),
        ("Perawat Ahli Muda", J.AHLI_MUDA),
        ("Guru Ahli Madya", J.AHLI_MADYA),
        ("Bidan Terampil", J.TERAMPIL),
        ("Pranata Komputer Mahir", J.MAHIR),
        ("Arsiparis Penyelia", J.PENYELIA),
        ("Pengelola Pengadaan Barang/Jasa Ahli Utama", J.AHLI_UTAMA),
        ("Polisi Pamong Praja Pemula", J.PEMULA),
        ("Kepala Seksi Pelayanan", None),
        ("Analis Kebijakan", None),
        ("", None),
    ],
)
def test_jenjang_from_the_position_name(name, jenjang) -> None:
    assert jenjang_of_position(name) is jenjang


def test_parse_jenjang_and_kategori() -> None:
    assert parse_jenjang("ahli pertama") is J.AHLI_PERTAMA
    assert parse_jenjang("AHLI_MUDA") is J.AHLI_MUDA
    assert J.AHLI_UTAMA.kategori is Kategori.KEAHLIAN and J.PEMULA.kategori is Kategori.KETERAMPILAN
    with pytest.raises(ValueError, match="tidak dikenal"):
        parse_jenjang("ahli super")
    assert set(GOLONGAN) == set(J)


@given(st.sampled_from(list(Predikat)), st.sampled_from(list(J)), st.integers(min_value=1, max_value=12))
def test_conversion_is_proportional_and_bounded(predikat, jenjang, months) -> None:
    value = konversi(predikat, jenjang, months)
    exact = Decimal(months) / 12 * PERSENTASE[predikat] * KOEFISIEN[jenjang].value
    assert abs(value - exact) <= Decimal("0.005")
    assert value <= Decimal("1.5") * KOEFISIEN[jenjang].value + Decimal("0.005")  # rounded to 2 places: 5.625 -> 5.63
