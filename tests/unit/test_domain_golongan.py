"""PNS golongan/pangkat and PPPK golongan."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja_desktop.domain.golongan import (
    PNS_GOLONGAN,
    PNS_PANGKAT,
    PPPK_GOLONGAN,
    GolonganError,
    golongan_rank,
    normalize_golongan,
    pangkat_golongan_label,
    pangkat_name,
    plausible_golongan_for_service,
)


def test_tables() -> None:
    assert PNS_GOLONGAN == (
        "I/a",
        "I/b",
        "I/c",
        "I/d",
        "II/a",
        "II/b",
        "II/c",
        "II/d",
        "III/a",
        "III/b",
        "III/c",
        "III/d",
        "IV/a",
        "IV/b",
        "IV/c",
        "IV/d",
        "IV/e",
    )
    assert len(PPPK_GOLONGAN) == 17
    assert PPPK_GOLONGAN[0] == "I" and PPPK_GOLONGAN[8] == "IX" and PPPK_GOLONGAN[-1] == "XVII"


@pytest.mark.parametrize(
    ("golongan", "name"),
    [
        ("I/a", "Juru Muda"),
        ("I/b", "Juru Muda Tingkat I"),
        ("I/c", "Juru"),
        ("I/d", "Juru Tingkat I"),
        ("II/a", "Pengatur Muda"),
        ("II/b", "Pengatur Muda Tingkat I"),
        ("II/c", "Pengatur"),
        ("II/d", "Pengatur Tingkat I"),
        ("III/a", "Penata Muda"),
        ("III/b", "Penata Muda Tingkat I"),
        ("III/c", "Penata"),
        ("III/d", "Penata Tingkat I"),
        ("IV/a", "Pembina"),
        ("IV/b", "Pembina Tingkat I"),
        ("IV/c", "Pembina Utama Muda"),
        ("IV/d", "Pembina Utama Madya"),
        ("IV/e", "Pembina Utama"),
    ],
)
def test_pangkat_names(golongan: str, name: str) -> None:
    assert pangkat_name(golongan) == name
    assert pangkat_golongan_label(golongan) == f"{name}, {golongan}"


@pytest.mark.parametrize(
    "text",
    [
        "III/a",
        "III a",
        "IIIa",
        "3a",
        "3/a",
        "3 A",
        "III-A",
        "iii/a",
        "III.a",
        " III / a ",
        "Gol. III/a",
        "Golongan III/a",
        "Penata Muda, III/a",
        "Penata Muda (III/a)",
        "Penata Muda",
        "penata muda",
    ],
)
def test_pns_variants(text: str) -> None:
    assert normalize_golongan(text, "PNS") == "III/a"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IVe", "IV/e"),
        ("4e", "IV/e"),
        ("iv-c", "IV/c"),
        ("Ia", "I/a"),
        ("2d", "II/d"),
        ("II/B", "II/b"),
        ("Penata Muda Tk. I", "III/b"),
        ("Pembina Tk.I", "IV/b"),
        ("pengatur muda tingkat i", "II/b"),
    ],
)
def test_more_pns_variants(text: str, expected: str) -> None:
    assert normalize_golongan(text, "PNS") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IX", "IX"),
        ("ix", "IX"),
        ("9", "IX"),
        ("Golongan IX", "IX"),
        ("Gol. XVII", "XVII"),
        ("1", "I"),
        ("17", "XVII"),
        ("05", "V"),
    ],
)
def test_pppk_variants(text: str, expected: str) -> None:
    assert normalize_golongan(text, "PPPK") == expected


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("III/e", "PNS"),
        ("I/e", "PNS"),
        ("V/a", "PNS"),
        ("5a", "PNS"),
        ("III/f", "PNS"),
        ("", "PNS"),
        ("IX", "PNS"),
        ("Penata Utama", "PNS"),
        ("XVIII", "PPPK"),
        ("18", "PPPK"),
        ("0", "PPPK"),
        ("III/a", "PPPK"),
        ("IIII", "PPPK"),
        ("", "PPPK"),
    ],
)
def test_unknown_golongan(text: str, status: str) -> None:
    with pytest.raises(GolonganError) as info:
        normalize_golongan(text, status)
    assert "tidak dikenal" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_unknown_status() -> None:
    with pytest.raises(ValueError):
        normalize_golongan("III/a", "honorer")


def test_labels_for_pppk_and_blank() -> None:
    assert pangkat_golongan_label("9", "PPPK") == "IX"
    assert pangkat_golongan_label(None) == ""
    assert pangkat_golongan_label("") == ""
    assert pangkat_golongan_label("3a") == "Penata Muda, III/a"


def test_rank_orders_golongan() -> None:
    assert [golongan_rank(g) for g in PNS_GOLONGAN] == list(range(1, 18))
    assert [golongan_rank(g) for g in PPPK_GOLONGAN] == list(range(1, 18))
    assert golongan_rank("IIIa") == golongan_rank("III/a") == 9
    assert golongan_rank("IX", "PPPK") == 9
    assert sorted(["IV/a", "II/c", "III/d", "I/a"], key=golongan_rank) == ["I/a", "II/c", "III/d", "IV/a"]


@pytest.mark.parametrize(
    ("years", "entry", "expected"),
    [
        (0, "III/a", "III/a"),
        (3, "III/a", "III/a"),
        (4, "III/a", "III/b"),
        (16, "III/a", "IV/a"),
        (40, "III/a", "IV/e"),
        (0, "II/a", "II/a"),
        (8, "II/a", "II/c"),
        (20, "II/a", "III/b"),
    ],
)
def test_plausible_golongan(years: int, entry: str, expected: str) -> None:
    assert plausible_golongan_for_service(years, entry) == expected


def test_plausible_golongan_rejects_negative_service() -> None:
    with pytest.raises(ValueError):
        plausible_golongan_for_service(-1)


@given(st.sampled_from(PNS_GOLONGAN), st.sampled_from(["", " ", "/", "-", ".", " / "]), st.booleans(), st.booleans())
def test_any_spelling_of_a_pns_golongan_normalizes(golongan: str, sep: str, arabic: bool, upper: bool) -> None:
    roman, letter = golongan.split("/")
    head = {"I": "1", "II": "2", "III": "3", "IV": "4"}[roman] if arabic else roman
    text = f"{head}{sep}{letter.upper() if upper else letter}"
    assert normalize_golongan(text, "PNS") == golongan
    assert normalize_golongan(PNS_PANGKAT[golongan], "PNS") == golongan


@given(st.integers(min_value=1, max_value=17))
def test_pppk_number_and_roman_agree(number: int) -> None:
    roman = normalize_golongan(str(number), "PPPK")
    assert roman == PPPK_GOLONGAN[number - 1]
    assert normalize_golongan(roman.lower(), "PPPK") == roman
    assert golongan_rank(roman, "PPPK") == number


@given(st.integers(min_value=0, max_value=60), st.sampled_from(["II/a", "III/a"]))
def test_plausible_golongan_is_monotonic_and_capped(years: int, entry: str) -> None:
    now = plausible_golongan_for_service(years, entry)
    later = plausible_golongan_for_service(years + 1, entry)
    assert golongan_rank(entry) <= golongan_rank(now) <= golongan_rank(later) <= golongan_rank("IV/e")
