"""The shared export writer: atomic, formula-safe CSV, NIP kept as text in XLSX."""

import csv

import pytest
from openpyxl import load_workbook

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.services.progress import run
from kinerja_desktop.services.table_export import write_table

ROWS = [("198609262015051001", "=SUM(A1)", 2.5), ("199001012015052002", "Siti", 20)]


def test_csv_is_formula_safe_and_keeps_the_nip(tmp_path):
    path = tmp_path / "x.csv"
    assert run(write_table(path, ("nip", "nama", "jp"), ROWS, total=2, sheet_title="X", message="m")) == 2
    with open(path, encoding="utf-8-sig", newline="") as fh:
        got = list(csv.reader(fh))
    assert got[0] == ["nip", "nama", "jp"]
    assert got[1] == ["198609262015051001", "'=SUM(A1)", "2.5"]


def test_xlsx_nip_is_text(tmp_path):
    path = tmp_path / "x.xlsx"
    run(write_table(path, ("nip", "nama", "jp"), ROWS, total=2, sheet_title="X", message="m"))
    ws = load_workbook(path, read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == "198609262015051001" and rows[2][2] == 20


def test_a_failure_midway_leaves_no_file(tmp_path):
    def rows():
        yield ("1", "a", 1)
        raise RuntimeError("disk full")

    path = tmp_path / "x.csv"
    with pytest.raises(RuntimeError):
        run(write_table(path, ("a", "b", "c"), rows(), total=None, sheet_title="X", message="m"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["x.txt", "x"])
def test_other_file_types_are_refused(tmp_path, name):
    with pytest.raises(UnusableInput, match=r"\.csv atau \.xlsx"):
        run(write_table(tmp_path / name, ("a",), [], total=0, sheet_title="X", message="m"))
