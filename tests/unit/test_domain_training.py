"""Competency development activities and the 20 JP rule."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja_desktop.domain.training import (
    ACTIVITY_TYPES,
    MIN_JP_PER_YEAR,
    activity_type,
    jp_compliance,
    jp_per_day_warning,
    validate_dates,
    validate_jp,
)


def test_catalogue() -> None:
    codes = [a.code for a in ACTIVITY_TYPES]
    assert codes == [f"KL{i:02d}" for i in range(1, 13)] + [f"NKL{i:02d}" for i in range(1, 14)] + ["PENDIDIKAN"]
    assert {a.category for a in ACTIVITY_TYPES if a.code.startswith("KL")} == {"klasikal"}
    assert {a.category for a in ACTIVITY_TYPES if a.code.startswith("NKL")} == {"nonklasikal"}
    assert activity_type("PENDIDIKAN").category == "pendidikan"
    assert activity_type("KL01").name == "Pelatihan Struktural Kepemimpinan"
    assert activity_type("KL10").name == "Bimbingan Teknis"
    assert activity_type("NKL01").name == "Coaching"
    assert activity_type("NKL07").name == "Patok Banding"
    assert MIN_JP_PER_YEAR == 20


@pytest.mark.parametrize(
    ("text", "code"),
    [("kl03", "KL03"), ("KL3", "KL03"), ("nkl1", "NKL01"), (" NKL 12 ", "NKL12"), ("pendidikan", "PENDIDIKAN")],
)
def test_activity_code_variants(text: str, code: str) -> None:
    assert activity_type(text).code == code


@pytest.mark.parametrize("text", ["KL13", "NKL14", "KL00", "XX01", ""])
def test_unknown_activity(text: str) -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        activity_type(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, Decimal(1)),
        (20, Decimal(20)),
        ("2,5", Decimal("2.5")),
        ("2.5", Decimal("2.5")),
        (0.5, Decimal("0.5")),
        (Decimal("3"), Decimal(3)),
        (" 8 ", Decimal(8)),
    ],
)
def test_validate_jp_accepts(value: object, expected: Decimal) -> None:
    assert validate_jp(value) == expected


@pytest.mark.parametrize("value", [0, -1, "0", "-2,5", "abc", "", None, True, float("nan"), float("inf"), "NaN", [1]])
def test_validate_jp_rejects(value: object) -> None:
    with pytest.raises(ValueError) as info:
        validate_jp(value)
    assert "JP" in str(info.value)


def test_jp_compliance() -> None:
    summary = jp_compliance([("KL03", 8), ("NKL01", "2,5"), ("NKL09", 4), ("PENDIDIKAN", 2)])
    assert summary.klasikal == 8
    assert summary.nonklasikal == Decimal("6.5")
    assert summary.pendidikan == 2
    assert summary.total == Decimal("16.5")
    assert not summary.meets
    assert summary.shortfall == Decimal("3.5")


def test_jp_compliance_edges() -> None:
    assert jp_compliance([("KL10", 20)]).meets
    assert jp_compliance([("KL10", 20)]).shortfall == 0
    assert jp_compliance([("KL10", 32)]).shortfall == 0
    empty = jp_compliance([])
    assert (empty.total, empty.meets, empty.shortfall) == (0, False, 20)


def test_jp_compliance_rejects_bad_records() -> None:
    with pytest.raises(ValueError):
        jp_compliance([("KL99", 2)])
    with pytest.raises(ValueError):
        jp_compliance([("KL01", 0)])


@given(
    st.lists(
        st.tuples(st.sampled_from([a.code for a in ACTIVITY_TYPES]), st.integers(min_value=1, max_value=40)),
        max_size=20,
    )
)
def test_jp_compliance_adds_up(records: list[tuple[str, int]]) -> None:
    summary = jp_compliance(records)
    assert summary.total == sum(jp for _, jp in records)
    assert summary.total == summary.klasikal + summary.nonklasikal + summary.pendidikan
    assert summary.meets is (summary.total >= 20)
    assert summary.shortfall == max(0, 20 - summary.total)


D = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("jp", "days", "warns"),
    [(10, 1, False), (11, 1, True), (20, 2, False), (21, 2, True), ("10,5", 1, True), (1, 1, False)],
)
def test_jp_per_day_warning(jp: object, days: int, warns: bool) -> None:
    warning = jp_per_day_warning(jp, D, D + timedelta(days=days - 1))
    assert (warning is not None) is warns
    if warning:
        assert "10 JP per hari" in warning


def test_validate_dates() -> None:
    validate_dates(D, D)
    validate_dates(D, D + timedelta(days=3))
    with pytest.raises(ValueError) as info:
        validate_dates(D, D - timedelta(days=1))
    assert str(info.value) == "Tanggal selesai (1 Maret 2026) tidak boleh sebelum tanggal mulai (2 Maret 2026)."
    with pytest.raises(ValueError):
        jp_per_day_warning(2, D, D - timedelta(days=1))
