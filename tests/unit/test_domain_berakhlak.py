"""The BerAKHLAK core values and their indicators."""

from __future__ import annotations

import pytest

from kinerja_desktop.domain.berakhlak import BERAKHLAK, BERAKHLAK_CODES, core_value


def test_seven_values_in_order_with_three_indicators() -> None:
    assert [v.name for v in BERAKHLAK] == [
        "Berorientasi Pelayanan",
        "Akuntabel",
        "Kompeten",
        "Harmonis",
        "Loyal",
        "Adaptif",
        "Kolaboratif",
    ]
    assert [v.number for v in BERAKHLAK] == list(range(1, 8))
    assert BERAKHLAK_CODES == (
        "BERORIENTASI_PELAYANAN",
        "AKUNTABEL",
        "KOMPETEN",
        "HARMONIS",
        "LOYAL",
        "ADAPTIF",
        "KOLABORATIF",
    )
    for value in BERAKHLAK:
        assert len(value.indicators) == 3
        assert all(text and text[0].isupper() for text in value.indicators)
        assert value.definition


def test_official_wordings() -> None:
    assert core_value("BERORIENTASI_PELAYANAN").indicators == (
        "Memahami dan memenuhi kebutuhan masyarakat",
        "Ramah, cekatan, solutif, dan dapat diandalkan",
        "Melakukan perbaikan tiada henti",
    )
    assert core_value("AKUNTABEL").indicators[2] == "Tidak menyalahgunakan kewenangan jabatan"
    assert core_value("KOMPETEN").indicators[1] == "Membantu orang lain belajar"
    assert core_value("HARMONIS").indicators[0] == "Menghargai setiap orang apapun latar belakangnya"
    assert core_value("LOYAL").indicators[2] == "Menjaga rahasia jabatan dan negara"
    assert core_value("ADAPTIF").indicators[2] == "Bertindak proaktif"
    assert core_value("KOLABORATIF").indicators[0] == "Memberi kesempatan kepada berbagai pihak untuk berkontribusi"


@pytest.mark.parametrize("text", ["Berorientasi Pelayanan", "akuntabel", " Loyal "])
def test_lookup_by_name(text: str) -> None:
    assert core_value(text).name.lower() == text.strip().lower()


def test_unknown_value() -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        core_value("JUJUR")
