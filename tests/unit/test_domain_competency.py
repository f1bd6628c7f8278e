"""Competency standards, levels and gaps."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja_desktop.domain.competency import COMPETENCIES, MANAGERIAL, competency, gap, has_gap, validate_level


def test_catalogue() -> None:
    assert [(c.code, c.name) for c in COMPETENCIES] == [
        ("M.1", "Integritas"),
        ("M.2", "Kerja Sama"),
        ("M.3", "Komunikasi"),
        ("M.4", "Orientasi pada Hasil"),
        ("M.5", "Pelayanan Publik"),
        ("M.6", "Pengembangan Diri dan Orang Lain"),
        ("M.7", "Mengelola Perubahan"),
        ("M.8", "Pengambilan Keputusan"),
        ("SK.1", "Perekat Bangsa"),
    ]
    assert {c.group for c in MANAGERIAL} == {"manajerial"}
    assert competency("SK.1").group == "sosial_kultural"


@pytest.mark.parametrize(
    ("text", "code"), [("M.1", "M.1"), ("m1", "M.1"), ("M 8", "M.8"), ("sk1", "SK.1"), ("SK.1", "SK.1")]
)
def test_lookup(text: str, code: str) -> None:
    assert competency(text).code == code


@pytest.mark.parametrize("text", ["M.9", "M.0", "SK.2", "T.1", ""])
def test_unknown(text: str) -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        competency(text)


@pytest.mark.parametrize(("value", "level"), [(1, 1), (5, 5), ("3", 3), (" 4 ", 4)])
def test_validate_level(value: object, level: int) -> None:
    assert validate_level(value) == level


@pytest.mark.parametrize("value", [0, 6, -1, "0", "x", "", None, 2.5, True])
def test_validate_level_rejects(value: object) -> None:
    with pytest.raises(ValueError, match="Level kompetensi"):
        validate_level(value)


def test_gap_examples() -> None:
    assert gap(3, 2) == 1 and has_gap(3, 2)
    assert gap(3, 3) == 0 and not has_gap(3, 3)
    assert gap(2, 4) == -2 and not has_gap(2, 4)
    with pytest.raises(ValueError):
        gap(6, 1)


levels = st.integers(min_value=1, max_value=5)


@given(levels, levels)
def test_gap_properties(required: int, assessed: int) -> None:
    assert gap(required, assessed) == required - assessed
    assert -4 <= gap(required, assessed) <= 4
    assert has_gap(required, assessed) is (assessed < required)
