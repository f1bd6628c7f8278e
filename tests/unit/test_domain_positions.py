"""Kinds of position and guesses from position names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja_desktop.domain.positions import (
    PositionKind,
    guess_position_kind,
    is_unit_head_title,
    parse_position_kind,
)

JPT, ADM, PGW, PLK, FUN = (
    PositionKind.JPT,
    PositionKind.ADMINISTRATOR,
    PositionKind.PENGAWAS,
    PositionKind.PELAKSANA,
    PositionKind.FUNGSIONAL,
)


def test_values_and_labels() -> None:
    assert [k.value for k in PositionKind] == ["jpt", "administrator", "pengawas", "pelaksana", "fungsional"]
    assert [k.label for k in PositionKind] == [
        "Jabatan Pimpinan Tinggi",
        "Administrator",
        "Pengawas",
        "Pelaksana",
        "Fungsional",
    ]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Sekretaris Daerah", JPT),
        ("Kepala Dinas Pendidikan", JPT),
        ("Plt. Kepala Dinas Kesehatan", JPT),
        ("Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", JPT),
        ("Inspektur", JPT),
        ("Asisten Pemerintahan dan Kesejahteraan Rakyat", JPT),
        ("Staf Ahli Bupati Bidang Hukum", JPT),
        ("Kepala Satuan Polisi Pamong Praja", JPT),
        ("Sekretaris DPRD", JPT),
        ("Kadis PUPR", JPT),
        ("Sekretaris Dinas Kesehatan", ADM),
        ("Sekretaris Badan Perencanaan Pembangunan Daerah", ADM),
        ("Kepala Bagian Umum", ADM),
        ("Kepala Bidang Pelayanan Kesehatan", ADM),
        ("Camat Muara Bulian", ADM),
        ("Direktur RSUD Hamba", ADM),
        ("Inspektur Pembantu Wilayah II", ADM),
        ("Kabid Pendidikan Dasar", ADM),
        ("Kepala Seksi Keperawatan", PGW),
        ("Kepala Subbagian Umum dan Kepegawaian", PGW),
        ("Kepala Sub Bagian Keuangan", PGW),
        ("Kepala Sub Bidang Anggaran", PGW),
        ("Kasubbag Program", PGW),
        ("Lurah Rengas Condong", PGW),
        ("Sekretaris Camat Bajubang", PGW),
        ("Kepala Puskesmas Muara Tembesi", PGW),
        ("Kepala Seksi Penyuluhan", PGW),
        ("Pranata Komputer Ahli Pertama", FUN),
        ("Analis Kebijakan Ahli Muda", FUN),
        ("Guru Kelas", FUN),
        ("Guru Ahli Madya", FUN),
        ("Kepala Sekolah SDN 1 Muara Bulian", FUN),
        ("Dokter Ahli Pertama", FUN),
        ("Perawat Terampil", FUN),
        ("Bidan Mahir", FUN),
        ("Apoteker Ahli Pertama", FUN),
        ("Penyuluh Pertanian Penyelia", FUN),
        ("Asisten Apoteker", FUN),
        ("Pengawas Sekolah Ahli Madya", FUN),
        ("Pengadministrasi Umum", PLK),
        ("Pengelola Keuangan", PLK),
        ("Pengemudi", PLK),
        ("Analis Kepegawaian", PLK),
        ("", PLK),
    ],
)
def test_guess_position_kind(name: str, kind: PositionKind) -> None:
    assert guess_position_kind(name) is kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("JPT", JPT),
        ("jpt", JPT),
        ("Jabatan Pimpinan Tinggi", JPT),
        ("Pimpinan Tinggi Pratama", JPT),
        ("Administrator", ADM),
        ("PENGAWAS", PGW),
        ("Pelaksana", PLK),
        ("JFU", PLK),
        ("Fungsional", FUN),
        ("Jabatan Fungsional", FUN),
        ("JFT", FUN),
        (FUN, FUN),
    ],
)
def test_parse_position_kind(text: str, kind: PositionKind) -> None:
    assert parse_position_kind(text) is kind


@pytest.mark.parametrize("text", ["", "struktural", "eselon III"])
def test_parse_position_kind_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        parse_position_kind(text)


@given(st.sampled_from(PositionKind))
def test_parse_round_trip(kind: PositionKind) -> None:
    assert parse_position_kind(kind.value) is kind
    assert parse_position_kind(kind.label) is kind
    assert parse_position_kind(kind.value.upper()) is kind


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("Kepala Dinas Pendidikan", True),
        ("Plt. Kepala Badan Keuangan Daerah", True),
        ("Camat Pemayung", True),
        ("Kepala Puskesmas Bajubang", True),
        ("Kepala UPTD Puskesmas Mersam", True),
        ("Kepala Sekolah SMPN 2 Batanghari", True),
        ("Direktur RSUD Hamba", True),
        ("Inspektur", True),
        ("Sekretaris Daerah", True),
        ("Kepala Satuan Polisi Pamong Praja", True),
        ("Inspektur Pembantu Wilayah I", False),
        ("Wakil Direktur Pelayanan", False),
        ("Sekretaris Dinas Pendidikan", False),
        ("Kepala Bidang Anggaran", False),
        ("Kepala Seksi Pemerintahan", False),
        ("Sekretaris Camat", False),
        ("Guru Kelas", False),
        ("Pengadministrasi Umum", False),
    ],
)
def test_is_unit_head_title(name: str, head: bool) -> None:
    assert is_unit_head_title(name) is head


@given(st.text(max_size=40))
def test_guess_never_raises(name: str) -> None:
    assert isinstance(guess_position_kind(name), PositionKind)
    assert isinstance(is_unit_head_title(name), bool)
