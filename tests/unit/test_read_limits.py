"""Bounded input: XLSX and CSV read as streams within limits that end with a sentence, never with
the PC's memory; the error file stops at 10,000 problems plus a count."""

from __future__ import annotations

import csv
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from roster_files import pns, write_csv
from xlsx_raw import SHEET_HEAD, SHEET_TAIL, lie_about_size, row_xml, write_xlsx_stream

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.services.access.read_limits import LongCell, ReadLimits
from kinerja_desktop.services.progress import run
from kinerja_desktop.services.roster.importer import ERROR_FILE_LIMIT, error_file_for, import_roster
from kinerja_desktop.services.tabular import open_table
from kinerja_desktop.store.models import Employee

HEADER = ["NIP", "Nama", "Golongan"]
MB = 1024 * 1024


def employees(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Employee))


def any_header(headers) -> bool:
    return "NIP" in headers


def read_all(path, limits=ReadLimits()):
    with open_table(path, any_header, limits) as table:
        return [(n, list(cells)) for n, cells in table.rows]


def peak_mb(fn) -> float:
    tracemalloc.start()
    try:
        fn()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / MB


# --- XLSX ---------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unpacked(db, tmp_path):
    rows = (row_xml(n, ["0" * 2000]) for n in range(1, 40_000))  # 80 MB of zeros: a few hundred kB packed
    path = write_xlsx_stream(tmp_path / "bom.xlsx", rows, level=9)
    assert path.stat().st_size < 2 * MB

    def attempt():
        with pytest.raises(UnusableInput, match="menghabiskan memori"):
            run(import_roster(db, path))

    assert peak_mb(attempt) < 20
    assert employees(db) == 0


def test_an_archive_that_lies_about_a_size_is_read_no_further_than_it_claims(db, tmp_path):
    rows = [row_xml(1, HEADER)] + [row_xml(n, [pns(n % 900 + 1), "A" * 500, "III/a"]) for n in range(2, 20_000)]
    path = write_xlsx_stream(tmp_path / "bohong.xlsx", rows, zip64=False)
    lie_about_size(path, "xl/worksheets/sheet1.xml", 4096)

    def attempt():
        with pytest.raises(UnusableInput, match="rusak"):
            run(import_roster(db, path))

    assert peak_mb(attempt) < 20
    assert employees(db) == 0


@pytest.mark.slow
def test_three_million_rows_are_refused_at_the_row_limit_in_bounded_memory(db, tmp_path):
    def rows():
        yield row_xml(1, HEADER)
        for n in range(2, 3_000_002):
            yield (
                f'<row r="{n}"><c r="A{n}"><v>{198609262015051000 + n}</v></c><c r="B{n}" t="inlineStr">'
                f"<is><t>Pegawai {n}</t></is></c></row>"
            )

    path = write_xlsx_stream(tmp_path / "tiga-juta.xlsx", rows())
    with zipfile.ZipFile(path) as z:
        assert z.getinfo("xl/worksheets/sheet1.xml").file_size > 200 * MB

    def attempt():
        with pytest.raises(UnusableInput, match=r"lebih dari 100\.000 baris"):
            run(import_roster(db, path))

    assert peak_mb(attempt) < 250
    assert employees(db) == 0


def test_a_cell_named_at_the_far_corner_is_not_a_billion_empty_cells(tmp_path):
    sheet = [
        row_xml(1, HEADER),
        row_xml(2, [pns(1), "Ada", "III/a"]),
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
    ]
    path = write_xlsx_stream(tmp_path / "pojok.xlsx", sheet)
    with pytest.raises(UnusableInput, match="kolom ke-16.384"):
        read_all(path)
    far_down = write_xlsx_stream(tmp_path / "bawah.xlsx", sheet[:2] + [row_xml(1048576, [pns(2), "Jauh", ""])])
    assert [n for n, _cells in read_all(far_down)] == [2, 1048576]


def test_a_cell_over_the_size_limit_rejects_its_row_only(db, tmp_path):
    sheet = [row_xml(1, HEADER), row_xml(2, [pns(1), "Biasa", "III/a"]), row_xml(3, [pns(2), "N" * 40_000, ""])]
    report = run(import_roster(db, write_xlsx_stream(tmp_path / "sel.xlsx", sheet)))
    [err] = report.rejected
    assert (report.created, err.row, err.code) == (1, 3, "cell:too_long") and "40000" in err.reason


def test_doctype_and_entities_are_refused(tmp_path):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        + SHEET_HEAD.split("?>", 1)[1]
        + row_xml(1, HEADER)
        + SHEET_TAIL
    )
    path = write_xlsx_stream(tmp_path / "dtd.xlsx", [])
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = bomb.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(UnusableInput, match="DTD"):
        read_all(path)


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_limits_on_rows_columns_and_cells(tmp_path):
    limits = ReadLimits(max_rows=10, max_columns=5, max_cell_chars=100)
    many = write_csv(tmp_path / "baris.csv", HEADER, [[pns(i), "A", ""] for i in range(1, 12)])
    with pytest.raises(UnusableInput, match="lebih dari 10 baris data"):
        read_all(many, limits)
    wide = write_csv(tmp_path / "lebar.csv", HEADER, [[pns(1), "A", "", "", "", "", "", "isi di kolom 8"]])
    with pytest.raises(UnusableInput, match="kolom ke-8"):
        read_all(wide, limits)
    long = write_csv(tmp_path / "panjang.csv", HEADER, [[pns(1), "B" * 150, ""]])
    [(_n, cells)] = read_all(long, limits)
    assert isinstance(cells[1], LongCell) and cells[1].length == 150


def test_an_unclosed_quote_is_named_not_read_to_the_end_of_memory(db, tmp_path):
    path = tmp_path / "kutip.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("NIP,Nama\n")
        fh.write(f'{pns(1)},"Tanpa kutip penutup\n')
        for _ in range(20_000):
            fh.write("x" * 100 + "\n")
    with pytest.raises(UnusableInput, match="tanda kutip"):
        run(import_roster(db, path))
    assert employees(db) == 0


def test_a_line_without_end_is_refused(tmp_path):
    path = tmp_path / "satu-baris.csv"
    path.write_text("NIP,Nama\n" + "9" * (9 * MB), encoding="utf-8")
    with pytest.raises(UnusableInput, match="lebih panjang dari"):
        read_all(path)


def test_the_error_file_stops_at_ten_thousand_problems_and_counts_the_rest(db, tmp_path):
    rows = [[f"12345{i}", "Salah", ""] for i in range(ERROR_FILE_LIMIT + 50)]  # too short: every row rejected
    path = write_csv(tmp_path / "banyak.csv", HEADER, rows)
    report = run(import_roster(db, path))
    assert report.rejected_rows == ERROR_FILE_LIMIT + 50
    with error_file_for(path).open(encoding="utf-8-sig", newline="") as fh:
        listed = list(csv.reader(fh))
    assert len(listed) == 1 + ERROR_FILE_LIMIT + 1
    assert listed[-1][0] == "" and "50 masalah lain" in listed[-1][3]
