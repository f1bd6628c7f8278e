"""NIP (PNS) and NI PPPK parsing and validation."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kinerja_desktop.domain.nip import (
    Nip,
    NipError,
    detect_kind,
    is_valid_nip,
    make_pns_nip,
    make_pppk_nip,
    parse_nip,
)

TODAY = date(2026, 11, 28)


def parse(text: str, **kwargs) -> Nip:
    return parse_nip(text, today=TODAY, **kwargs)


def error_part(text: str, **kwargs) -> str:
    with pytest.raises(NipError) as info:
        parse(text, **kwargs)
    assert isinstance(info.value, ValueError)
    assert str(info.value)  # always a message for the user
    return info.value.part


# --------------------------------------------------------------------- valid numbers


def test_pns_example_parts() -> None:
    nip = parse("198609262015051001")
    assert nip == Nip(
        raw="198609262015051001",
        kind="PNS",
        birth_date=date(1986, 9, 26),
        tmt=date(2015, 5, 1),
        appointment_year=None,
        gender="L",
        sequence=1,
    )
    assert nip.grouped() == "19860926 201505 1 001"
    assert str(nip) == "198609262015051001"


def test_pppk_example_parts() -> None:
    nip = parse("199001152022212045")
    assert nip.kind == "PPPK"
    assert nip.birth_date == date(1990, 1, 15)
    assert nip.tmt is None
    assert nip.appointment_year == 2022
    assert nip.gender == "P"
    assert nip.sequence == 45
    assert nip.grouped() == "19900115 2022 21 2 045"


@pytest.mark.parametrize(
    "text",
    [
        "19860926 201505 1 001",
        " 198609262015051001 ",
        "1986 0926 2015 0510 01",
        "19860926\t201505\u00a01\n001",
    ],
)
def test_spaces_are_ignored(text: str) -> None:
    assert parse(text).raw == "198609262015051001"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("198609262015051001", "PNS"),
        ("198609262021211001", "PPPK"),
        ("198609262015121001", "PNS"),
        ("198609262020011001", "PNS"),
    ],
)
def test_detect_kind(text: str, kind: str) -> None:
    assert detect_kind(text) == kind
    assert parse(text).kind == kind


def test_leap_day_birth_is_valid() -> None:
    assert parse("198802292010011001").birth_date == date(1988, 2, 29)


# ------------------------------------------------------------------- invalid numbers


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("1.98609262015051E+17", "excel_number"),
        ("198609262015051000.0", "excel_number"),
        ("1,98609E+17", "excel_number"),
        ("1.98609262015051e+17", "excel_number"),
        ("1.98609262015051E17", "excel_number"),
        ("198609262015051001,0", "excel_number"),
        ("198.609.262.015.051.000", "excel_number"),
        ("19860926-201505-1-001", "digits"),
        ("NIP198609262015051001", "digits"),
        ("١٩٨٦٠٩٢٦٢٠١٥٠٥١٠٠١", "digits"),  # Arabic-Indic digits are not NIP digits
        ("19860926201505100", "length"),
        ("1986092620150510011", "length"),
        ("198613262015051001", "birth_date"),  # month 13
        ("198600262015051001", "birth_date"),  # month 00
        ("198602302015051001", "birth_date"),  # 30 February
        ("198702292015051001", "birth_date"),  # 1987 is not a leap year
        ("193912312015051001", "birth_date"),  # before 1940
        ("201001012028011001", "birth_date"),  # younger than 17 this year
        ("198609262015131001", "tmt"),  # month 13
        ("198609262015001001", "tmt"),  # month 00
        ("198609262004081001", "tmt"),  # one month before the 18th birthday month
        ("198609262026121001", "tmt"),  # next month (future)
        ("198609262018211001", "tmt"),  # PPPK before 2019
        ("198609262027211001", "tmt"),  # PPPK in the future
        ("200501012019211001", "tmt"),  # PPPK appointed at 14
        ("198609262015050001", "gender"),
        ("198609262015053001", "gender"),
        ("198609262021219001", "gender"),
        ("198609262015051000", "sequence"),
        ("198609262021211000", "sequence"),
    ],
)
def test_wrong_part_is_named(text: str, part: str) -> None:
    assert error_part(text) == part


def test_excel_wins_over_other_problems() -> None:
    # The mangled value also has wrong length and a non-digit: Excel is the cause to report.
    with pytest.raises(NipError) as info:
        parse("1.98609262015051E+17")
    assert info.value.part == "excel_number"
    message = str(info.value)
    assert "Excel" in message and "Teks" in message and "hilang" in message


def test_birth_date_message_says_what_is_wrong() -> None:
    with pytest.raises(NipError) as info:
        parse("198613262015051001")
    assert str(info.value) == "NIP 198613262015051001: tanggal lahir 26-13-1986 tidak valid (bulan 13)."


def test_sequence_000_hints_at_excel() -> None:
    with pytest.raises(NipError) as info:
        parse("198609262015051000")
    assert "000" in str(info.value) and "Excel" in str(info.value)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("198609262004091001", True),  # TMT exactly in the 18th-birthday month
        ("198609262004081001", False),
        ("198609262026111001", True),  # the current month is allowed
        ("198609262026121001", False),
        ("194001012010011001", True),  # earliest birth year
        ("200901012027011001", False),  # birth year allowed, TMT necessarily in the future
    ],
)
def test_pns_tmt_edges(text: str, ok: bool) -> None:
    assert is_valid_nip(text, today=TODAY) is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("199001012019211001", True),
        ("199001012026211001", True),  # this year
        ("200801012026211001", True),  # exactly 18 in the appointment year
        ("200901012026211001", False),  # 17
    ],
)
def test_pppk_year_edges(text: str, ok: bool) -> None:
    assert is_valid_nip(text, today=TODAY) is ok


def test_forced_kind() -> None:
    assert error_part("198609262021211001", kind="PNS") == "tmt"  # month 21
    assert error_part("198609262015051001", kind="PPPK") == "tmt"  # no "21" marker
    assert parse("198609262021211001", kind="PPPK").appointment_year == 2021
    with pytest.raises(ValueError):
        parse("198609262015051001", kind="honorer")  # type: ignore[arg-type]


def test_default_today_is_used() -> None:
    assert parse_nip("198609262015051001").kind == "PNS"


# ------------------------------------------------------------------------- builders


def test_make_nips() -> None:
    assert make_pns_nip(date(1986, 9, 26), date(2015, 5, 1), "L", 1) == "198609262015051001"
    assert make_pppk_nip(date(1990, 1, 15), 2022, "P", 45) == "199001152022212045"


@pytest.mark.parametrize(("gender", "seq"), [("X", 1), ("L", 0), ("P", 1000)])
def test_make_nip_rejects_bad_parts(gender: str, seq: int) -> None:
    with pytest.raises(ValueError):
        make_pns_nip(date(1986, 9, 26), date(2015, 5, 1), gender, seq)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        make_pppk_nip(date(1986, 9, 26), 2021, gender, seq)  # type: ignore[arg-type]


# ------------------------------------------------------------------ property-based

genders = st.sampled_from(["L", "P"])
sequences = st.integers(min_value=1, max_value=999)


@st.composite
def pns_parts(draw: st.DrawFn) -> tuple[date, date, str, int]:
    birth = draw(st.dates(min_value=date(1940, 1, 1), max_value=date(TODAY.year - 18, TODAY.month, 28)))
    first = (birth.year + 18) * 12 + birth.month - 1
    last = TODAY.year * 12 + TODAY.month - 1
    index = draw(st.integers(min_value=first, max_value=last))
    tmt = date(index // 12, index % 12 + 1, 1)
    return birth, tmt, draw(genders), draw(sequences)


@st.composite
def pppk_parts(draw: st.DrawFn) -> tuple[date, int, str, int]:
    birth = draw(st.dates(min_value=date(1940, 1, 1), max_value=date(TODAY.year - 18, 12, 31)))
    year = draw(st.integers(min_value=max(2019, birth.year + 18), max_value=TODAY.year))
    return birth, year, draw(genders), draw(sequences)


@given(pns_parts())
def test_pns_round_trip(parts: tuple[date, date, str, int]) -> None:
    birth, tmt, gender, seq = parts
    text = make_pns_nip(birth, tmt, gender, seq)  # type: ignore[arg-type]
    nip = parse(text)
    assert (nip.kind, nip.birth_date, nip.tmt, nip.gender, nip.sequence) == ("PNS", birth, tmt, gender, seq)
    assert parse(nip.grouped()) == nip


@given(pppk_parts())
def test_pppk_round_trip(parts: tuple[date, int, str, int]) -> None:
    birth, year, gender, seq = parts
    nip = parse(make_pppk_nip(birth, year, gender, seq))  # type: ignore[arg-type]
    assert (nip.kind, nip.birth_date, nip.appointment_year, nip.gender, nip.sequence) == (
        "PPPK",
        birth,
        year,
        gender,
        seq,
    )
    assert parse(nip.grouped()) == nip


@given(
    st.one_of(pns_parts().map(lambda p: make_pns_nip(*p)), pppk_parts().map(lambda p: make_pppk_nip(*p))),
    st.sampled_from("03456789"),
)
def test_gender_digit_mutation_is_rejected(text: str, digit: str) -> None:
    assert error_part(text[:14] + digit + text[15:]) == "gender"


@given(pns_parts().map(lambda p: make_pns_nip(*p)))
def test_sequence_000_is_rejected(text: str) -> None:
    assert error_part(text[:15] + "000") == "sequence"


@given(pns_parts().map(lambda p: make_pns_nip(*p)))
def test_excel_scientific_notation_is_rejected(text: str) -> None:
    value = float(int(text))
    for shown in (f"{value:.14E}", f"{value:.5E}".replace(".", ","), f"{value:.1f}", repr(value)):
        assert error_part(shown) == "excel_number", shown


@given(pns_parts().map(lambda p: make_pns_nip(*p)), st.integers(min_value=0, max_value=17))
def test_deleting_a_digit_is_a_length_error(text: str, index: int) -> None:
    assert error_part(text[:index] + text[index + 1 :]) == "length"


@given(st.text(max_size=30))
def test_any_text_gives_nip_or_nip_error(text: str) -> None:
    try:
        nip = parse(text)
    except NipError as error:
        assert error.part in {"empty", "excel_number", "digits", "length", "birth_date", "tmt", "gender", "sequence"}
    else:
        assert len(nip.raw) == 18


@given(st.text(alphabet="0123456789", min_size=18, max_size=18))
def test_any_18_digits_parse_consistently(text: str) -> None:
    assume(text[12:14] != "21")
    try:
        nip = parse(text)
    except NipError as error:
        assert error.part in {"birth_date", "tmt", "gender", "sequence"}
    else:
        assert nip.kind == "PNS"
        assert make_pns_nip(nip.birth_date, nip.tmt, nip.gender, nip.sequence) == text  # type: ignore[arg-type]
