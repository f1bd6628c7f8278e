"""The one table writer: atomic, formula-safe CSV and XLSX, NIP as text, real dates, ``,`` or ``;``."""

import csv
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.services.progress import run
from kinerja_desktop.services.table_export import DATE, NIP, NUMBER, Column, neutralize, restore, write_table

COLUMNS = (
    Column("NIP", NIP, 21, "nip"),
    Column("Nama", csv_header="nama"),
    Column("JP", NUMBER, 8, "jp"),
    Column("Tanggal", DATE, 12, "tanggal"),
)
ROWS = [("198609262015051001", "=SUM(A1)", 2.5, date(2026, 3, 1)), ("199001012015052002", "Siti", 20, None)]
#: Cells a spreadsheet would run (OWASP CSV injection), each as written by the program.
HOSTILE = ['=HYPERLINK("http://x","klik")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\tTAB", "\rCR"]


def test_csv_is_formula_safe_and_keeps_the_nip(tmp_path):
    path = tmp_path / "x.csv"
    assert run(write_table(path, COLUMNS, ROWS, total=2, sheet_title="X", message="m")) == 2
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        got = list(csv.reader(fh))
    assert got[0] == ["nip", "nama", "jp", "tanggal"]
    assert got[1] == ["198609262015051001", "'=SUM(A1)", "2.5", "01-03-2026"]


def test_semicolon_for_indonesian_excel(tmp_path):
    path = tmp_path / "x.csv"
    run(write_table(path, COLUMNS, ROWS, total=2, sheet_title="X", message="m", delimiter=";"))
    with open(path, encoding="utf-8-sig", newline="") as fh:
        assert next(csv.reader(fh, delimiter=";")) == ["nip", "nama", "jp", "tanggal"]
    with pytest.raises(UnusableInput, match="koma"):
        run(write_table(tmp_path / "y.csv", COLUMNS, ROWS, total=2, sheet_title="X", message="m", delimiter="|"))


@pytest.mark.parametrize("value", HOSTILE)
def test_every_formula_start_is_neutralized_in_csv_and_xlsx(tmp_path, value):
    rows = [("198609262015051001", value, 1, None)]
    run(write_table(tmp_path / "x.csv", COLUMNS, rows, total=1, sheet_title="X", message="m"))
    with open(tmp_path / "x.csv", encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh))[1][1] == "'" + value
    run(write_table(tmp_path / "x.xlsx", COLUMNS, rows, total=1, sheet_title="X", message="m"))
    cell = load_workbook(tmp_path / "x.xlsx").active.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value == "'" + value
    with zipfile.ZipFile(tmp_path / "x.xlsx") as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
    assert restore(neutralize(value)) == value


def test_xlsx_has_indonesian_headers_text_nips_numbers_and_real_dates(tmp_path):
    path = tmp_path / "x.xlsx"
    run(write_table(path, COLUMNS, ROWS, total=2, sheet_title="X", message="m"))
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == ["NIP", "Nama", "JP", "Tanggal"] and ws["A1"].font.b
    assert ws["A2"].value == "198609262015051001" and ws["A2"].data_type == "s" and ws["A2"].number_format == "@"
    assert ws["C3"].value == 20 and ws["C3"].data_type == "n"
    assert ws["D2"].value.date() == date(2026, 3, 1) and ws["D2"].number_format == "DD-MM-YYYY"
    assert ws.column_dimensions["B"].width > 0 and ws.freeze_panes == "A2"


def test_at_most_max_rows_then_the_count_of_the_rest(tmp_path):
    path = tmp_path / "x.csv"
    rows = [(str(i), "n", i, None) for i in range(25)]
    written = run(
        write_table(
            path,
            COLUMNS,
            rows,
            total=25,
            sheet_title="X",
            message="m",
            max_rows=10,
            overflow_row=lambda left: ("", f"{left} lagi", None, None),
        )
    )
    with open(path, encoding="utf-8-sig", newline="") as fh:
        got = list(csv.reader(fh))
    assert written == 10 and len(got) == 12 and got[-1][1] == "15 lagi"


def test_a_failure_midway_leaves_no_file(tmp_path):
    def rows():
        yield ("1", "a", 1, None)
        raise RuntimeError("disk full")

    path = tmp_path / "x.csv"
    with pytest.raises(RuntimeError):
        run(write_table(path, COLUMNS, rows(), total=None, sheet_title="X", message="m"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["x.txt", "x"])
def test_other_file_types_are_refused(tmp_path, name):
    with pytest.raises(UnusableInput, match=r"\.csv atau \.xlsx"):
        run(write_table(tmp_path / name, COLUMNS, [], total=0, sheet_title="X", message="m"))
