"""Ratings, the predikat matrix and the head-of-unit rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja_desktop.domain.predikat import (
    CapaianOrganisasi,
    Predikat,
    Rating,
    parse_capaian,
    parse_predikat,
    parse_rating,
    predikat,
    rating_hasil_kerja_for_head,
)

A, S, B = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH


def test_enum_values_are_spelled_as_on_forms() -> None:
    assert [r.value for r in Rating] == ["Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"]
    assert [p.value for p in Predikat] == [
        "Sangat Baik",
        "Baik",
        "Butuh Perbaikan",
        "Kurang/Misconduct",
        "Sangat Kurang",
    ]
    assert [c.value for c in CapaianOrganisasi] == ["Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]
    assert Predikat.KURANG.label == "Kurang/Misconduct"


def test_rank_best_first() -> None:
    assert [p.rank for p in Predikat] == [1, 2, 3, 4, 5]
    assert Predikat.SANGAT_BAIK.rank < Predikat.SANGAT_KURANG.rank


@pytest.mark.parametrize(
    ("hasil", "perilaku", "expected"),
    [
        (A, B, Predikat.KURANG),
        (A, S, Predikat.BAIK),
        (A, A, Predikat.SANGAT_BAIK),
        (S, B, Predikat.KURANG),
        (S, S, Predikat.BAIK),
        (S, A, Predikat.BAIK),
        (B, B, Predikat.SANGAT_KURANG),
        (B, S, Predikat.BUTUH_PERBAIKAN),
        (B, A, Predikat.BUTUH_PERBAIKAN),
    ],
)
def test_matrix(hasil: Rating, perilaku: Rating, expected: Predikat) -> None:
    assert predikat(hasil, perilaku) is expected
    assert predikat(hasil.value, perilaku.value) is expected  # type: ignore[arg-type]


_ORDER = {A: 0, S: 1, B: 2}  # best first


@given(st.sampled_from(Rating), st.sampled_from(Rating), st.sampled_from(Rating))
def test_better_rating_never_gives_worse_predikat(fixed: Rating, r1: Rating, r2: Rating) -> None:
    better, worse = sorted((r1, r2), key=_ORDER.__getitem__)
    assert predikat(better, fixed).rank <= predikat(worse, fixed).rank
    assert predikat(fixed, better).rank <= predikat(fixed, worse).rank


@pytest.mark.parametrize(
    ("capaian", "rating"),
    [
        (CapaianOrganisasi.ISTIMEWA, A),
        (CapaianOrganisasi.BAIK, S),
        (CapaianOrganisasi.BUTUH_PERBAIKAN, B),
        (CapaianOrganisasi.KURANG, B),
        (CapaianOrganisasi.SANGAT_KURANG, B),
    ],
)
def test_head_rating_follows_capaian(capaian: CapaianOrganisasi, rating: Rating) -> None:
    assert rating_hasil_kerja_for_head(capaian) is rating


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Di Atas Ekspektasi", A),
        ("di atas", A),
        ("DIATAS", A),
        ("Di atas ekspektasi", A),
        ("DI_ATAS", A),
        ("Sesuai Ekspektasi", S),
        ("sesuai", S),
        (" SESUAI ", S),
        ("Di Bawah Ekspektasi", B),
        ("di bawah", B),
        ("dibawah ekspektasi", B),
        ("di-bawah", B),
        (B, B),
    ],
)
def test_parse_rating(text: str, expected: Rating) -> None:
    assert parse_rating(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sangat Baik", Predikat.SANGAT_BAIK),
        ("sangat baik", Predikat.SANGAT_BAIK),
        ("SANGAT_BAIK", Predikat.SANGAT_BAIK),
        ("Baik", Predikat.BAIK),
        ("baik", Predikat.BAIK),
        ("Butuh Perbaikan", Predikat.BUTUH_PERBAIKAN),
        ("perlu perbaikan", Predikat.BUTUH_PERBAIKAN),
        ("Kurang/Misconduct", Predikat.KURANG),
        ("kurang / misconduct", Predikat.KURANG),
        ("kurang", Predikat.KURANG),
        ("Misconduct", Predikat.KURANG),
        ("Sangat Kurang", Predikat.SANGAT_KURANG),
        (Predikat.BAIK, Predikat.BAIK),
    ],
)
def test_parse_predikat(text: str, expected: Predikat) -> None:
    assert parse_predikat(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Istimewa", CapaianOrganisasi.ISTIMEWA),
        ("baik", CapaianOrganisasi.BAIK),
        ("BUTUH PERBAIKAN", CapaianOrganisasi.BUTUH_PERBAIKAN),
        ("kurang", CapaianOrganisasi.KURANG),
        ("Sangat Kurang", CapaianOrganisasi.SANGAT_KURANG),
    ],
)
def test_parse_capaian(text: str, expected: CapaianOrganisasi) -> None:
    assert parse_capaian(text) is expected


@pytest.mark.parametrize("text", ["", "bagus", "atas", "sangat", "Di Atas Ekspektasi Sekali"])
def test_parse_rating_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        parse_rating(text)


@pytest.mark.parametrize("text", ["", "cukup", "amat baik", "Di Atas Ekspektasi"])
def test_parse_predikat_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        parse_predikat(text)


def test_parse_capaian_rejects() -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        parse_capaian("Sangat Baik")


@given(st.sampled_from(Rating))
def test_parse_rating_round_trips(rating: Rating) -> None:
    assert parse_rating(rating.value) is rating
    assert parse_rating(rating.value.upper()) is rating
    assert parse_rating(rating.name) is rating


@given(st.sampled_from(Predikat))
def test_parse_predikat_round_trips(p: Predikat) -> None:
    assert parse_predikat(p.value) is p
    assert parse_predikat(p.value.lower()) is p
    assert parse_predikat(p.name) is p
