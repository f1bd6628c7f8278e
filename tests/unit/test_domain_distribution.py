"""The distribution curve: guidance rules per capaian organisasi."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja_desktop.domain.distribution import check_distribution, count_predikat
from kinerja_desktop.domain.predikat import CapaianOrganisasi, Predikat

C = CapaianOrganisasi
SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)


def oks(capaian: CapaianOrganisasi, counts: dict[Predikat, int]) -> list[bool]:
    return [rule.ok for rule in check_distribution(capaian, counts).rules]


def test_rule_texts() -> None:
    texts = {c: [r.text for r in check_distribution(c, {}).rules] for c in C}
    assert texts == {
        C.ISTIMEWA: ["Sebagian besar (lebih dari 50%) Sangat Baik", "Paling banyak 70% Sangat Baik"],
        C.BAIK: [
            "Sebagian besar (lebih dari 50%) Baik",
            "Paling banyak 70% Baik",
            "Harus ada pegawai dengan predikat Butuh Perbaikan dan/atau Kurang/Misconduct",
        ],
        C.BUTUH_PERBAIKAN: ["Paling sedikit 60% Butuh Perbaikan", "Paling banyak 10% Sangat Baik"],
        C.KURANG: [
            "Paling sedikit 60% Kurang/Misconduct",
            "Paling sedikit 10% Butuh Perbaikan",
            "Paling banyak 10% Sangat Baik",
        ],
        C.SANGAT_KURANG: [
            "Paling sedikit 60% Sangat Kurang",
            "Paling sedikit 10% Kurang/Misconduct dan/atau Butuh Perbaikan",
            "Tidak boleh ada Sangat Baik",
        ],
    }


@pytest.mark.parametrize(
    ("capaian", "counts", "expected"),
    [
        # Istimewa: a majority (more than half) but at most 70 % Sangat Baik; exactly 70 %
        # passes, one more person fails; exactly half is not a majority.
        (C.ISTIMEWA, {SB: 7, B: 3}, [True, True]),
        (C.ISTIMEWA, {SB: 8, B: 2}, [True, False]),
        (C.ISTIMEWA, {SB: 7, B: 3, SK: 0}, [True, True]),
        (C.ISTIMEWA, {SB: 70, B: 30}, [True, True]),
        (C.ISTIMEWA, {SB: 71, B: 29}, [True, False]),
        (C.ISTIMEWA, {SB: 51, B: 49}, [True, True]),
        (C.ISTIMEWA, {SB: 5, B: 5}, [False, True]),
        # The example: an Istimewa unit with 0 % Sangat Baik does not pass.
        (C.ISTIMEWA, {SK: 10}, [False, True]),
        (C.ISTIMEWA, {B: 10}, [False, True]),
        # Baik: a majority but at most 70 % Baik, and at least one Butuh Perbaikan or Kurang/Misconduct.
        (C.BAIK, {B: 7, BP: 1, SB: 2}, [True, True, True]),
        (C.BAIK, {B: 7, K: 1, SK: 2}, [True, True, True]),
        (C.BAIK, {B: 8, BP: 2}, [True, False, True]),
        (C.BAIK, {B: 7, SB: 3}, [True, True, False]),
        (C.BAIK, {B: 3}, [True, False, False]),
        (C.BAIK, {B: 5, BP: 1, SB: 4}, [False, True, True]),
        (C.BAIK, {SB: 6, BP: 4}, [False, True, True]),
        # Butuh Perbaikan: at least 60 % BP, at most 10 % SB.
        (C.BUTUH_PERBAIKAN, {BP: 6, B: 3, SB: 1}, [True, True]),
        (C.BUTUH_PERBAIKAN, {BP: 5, B: 4, SB: 1}, [False, True]),
        (C.BUTUH_PERBAIKAN, {BP: 6, B: 2, SB: 2}, [True, False]),
        # Kurang: at least 60 % K, at least 10 % BP, at most 10 % SB.
        (C.KURANG, {K: 6, BP: 1, SB: 1, B: 2}, [True, True, True]),
        (C.KURANG, {K: 5, BP: 1, SB: 1, B: 3}, [False, True, True]),
        (C.KURANG, {K: 6, SB: 1, B: 3}, [True, False, True]),
        (C.KURANG, {K: 6, BP: 1, SB: 2, B: 1}, [True, True, False]),
        # Sangat Kurang: at least 60 % SK, at least 10 % K and/or BP, no SB.
        (C.SANGAT_KURANG, {SK: 6, K: 1, B: 3}, [True, True, True]),
        (C.SANGAT_KURANG, {SK: 6, BP: 1, B: 3}, [True, True, True]),
        (C.SANGAT_KURANG, {SK: 5, K: 1, B: 4}, [False, True, True]),
        (C.SANGAT_KURANG, {SK: 6, B: 4}, [True, False, True]),
        (C.SANGAT_KURANG, {SK: 6, K: 1, B: 2, SB: 1}, [True, True, False]),
    ],
)
def test_rules_at_their_edges(capaian: CapaianOrganisasi, counts: dict[Predikat, int], expected: list[bool]) -> None:
    report = check_distribution(capaian, counts)
    assert [rule.ok for rule in report.rules] == expected
    assert report.ok is all(expected)
    assert report.violations == [rule for rule in report.rules if not rule.ok]


def test_counts_and_percentages() -> None:
    report = check_distribution(C.BAIK, {B: 3, BP: 1})
    assert report.total == 4
    assert report.counts == {SB: 0, B: 3, BP: 1, K: 0, SK: 0}
    assert report.percentages[B] == pytest.approx(75.0)
    assert report.percentages[BP] == pytest.approx(25.0)
    assert report.rules[0].actual == pytest.approx(75.0)
    assert report.rules[0].unit == "percent"
    assert report.rules[1].actual == pytest.approx(75.0)
    assert report.rules[2].actual == 1
    assert report.rules[2].unit == "count"


def test_empty_unit_is_ok_with_a_note() -> None:
    for capaian in C:
        report = check_distribution(capaian, {})
        assert report.total == 0
        assert report.ok
        assert all(rule.ok for rule in report.rules)
        assert report.note == "Belum ada predikat"
        assert all(value == 0 for value in report.percentages.values())
        assert report.summary_text() == "Belum ada predikat."


def test_unit_of_three_all_baik() -> None:
    report = check_distribution(C.BAIK, {B: 3})
    assert not report.ok
    assert [r.text for r in report.violations][-1] == (
        "Harus ada pegawai dengan predikat Butuh Perbaikan dan/atau Kurang/Misconduct"
    )
    summary = report.summary_text()
    assert "Paling banyak 70% Baik (saat ini 100,0%)" in summary
    assert "(saat ini 0 orang)" in summary
    assert "tetap dapat disimpan" in summary


def test_summary_when_ok() -> None:
    assert check_distribution(C.ISTIMEWA, {SB: 2, B: 1}).summary_text() == (
        "Distribusi predikat sesuai pola distribusi untuk capaian organisasi Istimewa."
    )


def test_string_keys_and_capaian_are_accepted() -> None:
    report = check_distribution("Baik", {"Baik": 2, "kurang": 1})
    assert report.capaian is C.BAIK
    assert report.counts[K] == 1
    assert report.ok  # 2 of 3 Baik is 66.7 %: a majority, at most 70 %, and one Kurang
    assert not check_distribution("Baik", {"Baik": 1, "kurang": 1}).ok  # half is not a majority


def test_negative_count_is_rejected() -> None:
    with pytest.raises(ValueError, match="negatif"):
        check_distribution(C.BAIK, {B: -1})


def test_count_predikat() -> None:
    assert count_predikat([B, B, "Sangat Baik", None, K]) == {SB: 1, B: 2, BP: 0, K: 1, SK: 0}


counts_strategy = st.fixed_dictionaries({p: st.integers(min_value=0, max_value=40) for p in Predikat})


def _expected(capaian: CapaianOrganisasi, c: dict[Predikat, int]) -> list[bool]:
    total = sum(c.values())
    if total == 0:
        return [True] * len(check_distribution(capaian, {}).rules)
    share = {p: Fraction(n, total) for p, n in c.items()}
    return {
        C.ISTIMEWA: [share[SB] > Fraction(1, 2), share[SB] <= Fraction(7, 10)],
        C.BAIK: [share[B] > Fraction(1, 2), share[B] <= Fraction(7, 10), c[BP] + c[K] >= 1],
        C.BUTUH_PERBAIKAN: [share[BP] >= Fraction(6, 10), share[SB] <= Fraction(1, 10)],
        C.KURANG: [share[K] >= Fraction(6, 10), share[BP] >= Fraction(1, 10), share[SB] <= Fraction(1, 10)],
        C.SANGAT_KURANG: [share[SK] >= Fraction(6, 10), share[K] + share[BP] >= Fraction(1, 10), c[SB] == 0],
    }[capaian]


@given(st.sampled_from(C), counts_strategy)
def test_rules_match_exact_fractions(capaian: CapaianOrganisasi, counts: dict[Predikat, int]) -> None:
    report = check_distribution(capaian, counts)
    assert [rule.ok for rule in report.rules] == _expected(capaian, counts)
    assert report.total == sum(counts.values())
    if report.total:
        assert sum(report.percentages.values()) == pytest.approx(100.0)
        assert all(0 <= v <= 100 for v in report.percentages.values())


@given(st.sampled_from(C), st.lists(st.sampled_from(Predikat), min_size=1, max_size=5))
def test_small_units_never_raise(capaian: CapaianOrganisasi, people: list[Predikat]) -> None:
    report = check_distribution(capaian, count_predikat(people))
    assert report.total == len(people)
    assert report.ok == (not report.violations)
    assert isinstance(report.summary_text(), str) and report.summary_text()
    for rule in report.rules:
        assert rule.text and rule.actual_text()


def test_reference_bands_follow_the_rules_never_results() -> None:
    from kinerja_desktop.domain.distribution import reference_bands, reference_rules

    bands = {b.predikat: b for b in reference_bands(C.ISTIMEWA)}
    assert (bands[SB].low, bands[SB].high, bands[SB].low_exclusive) == (50, 70, True)
    assert bands[SB].text() == "> 50% – 70%"
    assert bands[B].text() == "kurang dari 50%"
    bands = {b.predikat: b for b in reference_bands(C.KURANG)}
    assert (bands[K].low, bands[K].high) == (60, 90)
    assert (bands[BP].low, bands[BP].high) == (10, 40)
    assert bands[SB].high == 10
    bands = {b.predikat: b for b in reference_bands(C.SANGAT_KURANG)}
    assert bands[SB].high == 0 and bands[SB].text() == "tidak ada"
    assert (bands[SK].low, bands[SK].high) == (60, 90)
    assert reference_rules(C.BAIK) == [r.text for r in check_distribution(C.BAIK, {}).rules]


@given(st.sampled_from(C), counts_strategy)
def test_a_distribution_that_meets_every_rule_lies_within_the_bands(capaian, counts) -> None:
    from kinerja_desktop.domain.distribution import reference_bands

    report = check_distribution(capaian, counts)
    if not report.total or not report.ok:
        return
    for band in reference_bands(capaian):
        share = Fraction(counts[band.predikat] * 100, report.total)
        assert share >= band.low and share <= band.high
