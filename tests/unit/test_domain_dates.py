"""Indonesian date formatting and lenient parsing."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja_desktop.domain.dates import MONTHS_ID, format_date_en, format_date_id, parse_date_flexible


@pytest.mark.parametrize(
    ("d", "id_text", "en_text"),
    [
        (date(2026, 11, 28), "28 November 2026", "28 November 2026"),
        (date(1986, 9, 26), "26 September 1986", "26 September 1986"),
        (date(2024, 8, 1), "1 Agustus 2024", "1 August 2024"),
        (date(2024, 5, 17), "17 Mei 2024", "17 May 2024"),
        (date(2024, 12, 31), "31 Desember 2024", "31 December 2024"),
        (date(2024, 2, 29), "29 Februari 2024", "29 February 2024"),
    ],
)
def test_format(d: date, id_text: str, en_text: str) -> None:
    assert format_date_id(d) == id_text
    assert format_date_en(d) == en_text


@pytest.mark.parametrize(
    "text",
    [
        "1986-09-26",
        "26/09/1986",
        "26-09-1986",
        "26.09.1986",
        "26/9/1986",
        "26 September 1986",
        "26 september 1986",
        "26 Sep 1986",
        "26 Sep. 1986",
        "26-Sep-1986",
        "26 Sept 1986",
        "  26  SEPTEMBER  1986 ",
        "Jumat, 26 September 1986",
        "1986-09-26 00:00:00",
        "1986-09-26T00:00",
    ],
)
def test_parse_variants(text: str) -> None:
    assert parse_date_flexible(text) == date(1986, 9, 26)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17 Agustus 1945", date(1945, 8, 17)),
        ("17 Agu 1945", date(1945, 8, 17)),
        ("17 Agt 1945", date(1945, 8, 17)),
        ("17 August 1945", date(1945, 8, 17)),
        ("1 Mei 2020", date(2020, 5, 1)),
        ("1 May 2020", date(2020, 5, 1)),
        ("5 Okt 2021", date(2021, 10, 5)),
        ("5 Oct 2021", date(2021, 10, 5)),
        ("25 Des 2022", date(2022, 12, 25)),
        ("25 Dec 2022", date(2022, 12, 25)),
        ("3 Januari 2023", date(2023, 1, 3)),
        ("3 Februari 2023", date(2023, 2, 3)),
        ("3 Pebruari 2023", date(2023, 2, 3)),
        ("3 Maret 2023", date(2023, 3, 3)),
        ("3 Juni 2023", date(2023, 6, 3)),
        ("3 Juli 2023", date(2023, 7, 3)),
        ("3 Oktober 2023", date(2023, 10, 3)),
        ("3 Nopember 2023", date(2023, 11, 3)),
        ("29 Februari 2024", date(2024, 2, 29)),
    ],
)
def test_parse_month_words(text: str, expected: date) -> None:
    assert parse_date_flexible(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "kemarin",
        "26/09/86",
        "1986/13/01",
        "31-04-2020",
        "29 Februari 2023",
        "26 Septembre 1986",
        "26 Sep",
        "1986-09",
        "32/01/2020",
        "2020-02-30",
    ],
)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date_flexible(text)
    assert "Tanggal" in str(info.value) or "bulan" in str(info.value).lower()


def test_unknown_month_message_names_it() -> None:
    with pytest.raises(ValueError, match="Septembre"):
        parse_date_flexible("26 Septembre 1986")


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(dates)
def test_round_trips(d: date) -> None:
    assert parse_date_flexible(format_date_id(d)) == d
    assert parse_date_flexible(format_date_en(d)) == d
    assert parse_date_flexible(d.isoformat()) == d
    assert parse_date_flexible(f"{d.day:02d}/{d.month:02d}/{d.year}") == d
    assert parse_date_flexible(f"{d.day}-{d.month}-{d.year}") == d
    assert parse_date_flexible(f"{d.day} {MONTHS_ID[d.month - 1][:3]} {d.year}") == d


@given(st.text(max_size=25))
def test_any_text_gives_date_or_value_error(text: str) -> None:
    try:
        result = parse_date_flexible(text)
    except ValueError:
        return
    assert isinstance(result, date)
