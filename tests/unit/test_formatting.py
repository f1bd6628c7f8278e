"""One NIP format and one number format wherever a person reads them."""

from __future__ import annotations

from decimal import Decimal

from kinerja_desktop import i18n
from kinerja_desktop.formatting import nip_text, number_text


def test_a_nip_is_grouped_like_on_the_forms():
    assert nip_text("198609262015051001") == "19860926 201505 1 001"
    assert nip_text(" 19860926 201505 1 001 ") == "19860926 201505 1 001"
    assert nip_text("199001152022212004") == "19900115 2022 21 2 004"  # NI PPPK


def test_a_wrong_nip_is_shown_as_typed():
    assert nip_text("1.98609262015051E+17") == "1.98609262015051E+17"
    assert nip_text("12345") == "12345"
    assert nip_text("") == "" and nip_text(None) == ""


def test_numbers_group_thousands_per_language():
    assert number_text(2000) == "2.000"
    assert number_text(2416) == "2.416"
    assert number_text(999) == "999"
    assert number_text(1_234_567) == "1.234.567"
    assert number_text(Decimal("2.5")) == "2,5"
    assert number_text(20.0) == "20"
    assert number_text(1234.5678, 1) == "1.234,6"
    assert number_text(None) == ""
    i18n.set_language("en")
    assert number_text(2000) == "2,000"
    assert number_text(Decimal("2.5")) == "2.5"
    assert number_text(1234.5678, 1) == "1,234.6"
