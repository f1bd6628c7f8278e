"""Formula cells in every export the program writes: roster, evaluations, JP, error file.

Each hostile start (OWASP: ``=``, ``+``, ``-``, ``@``, tab, CR) put where a person could type
it (a name, a revision reason) comes out neutralized, in CSV and XLSX, and no XLSX cell is a
formula."""

from __future__ import annotations

import csv
import zipfile

import pytest
from openpyxl import load_workbook

from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.performance import evaluations as ev_svc
from kinerja_desktop.services.performance.evaluation_export import export_evaluations
from kinerja_desktop.services.progress import run
from kinerja_desktop.services.roster.export import export_roster
from kinerja_desktop.services.roster.importer import error_file_for, import_roster
from kinerja_desktop.services.table_export import FORMULA_STARTS
from kinerja_desktop.services.training.export import export_training
from kinerja_desktop.store.models import Employee

HOSTILE = [
    '=HYPERLINK("http://x","klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _cells(path):
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return [v for row in csv.reader(fh) for v in row], None
    wb = load_workbook(path)
    cells = [c for row in wb.active.iter_rows() for c in row]
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    return [c.value for c in cells], (cells, sheet)


def _assert_safe(path, hostile: str) -> None:
    values, xlsx = _cells(path)
    texts = [v for v in values if isinstance(v, str)]
    assert any(hostile.strip("\t\r") in v for v in texts), f"{path.name}: the value was not exported"
    assert not [v for v in texts if v[:1] in FORMULA_STARTS], f"{path.name}: a cell a spreadsheet would run"
    assert any(v.startswith("'") and v[1:2] in FORMULA_STARTS for v in texts)
    if xlsx is not None:
        cells, sheet = xlsx
        assert b"<f>" not in sheet and all(c.data_type != "f" for c in cells)


@pytest.mark.parametrize("hostile", HOSTILE, ids=["eq", "plus", "minus", "at", "tab", "cr"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_export_neutralizes_formula_starts(db, office, perf, tmp_path, hostile, suffix):
    with db.transaction() as s:
        s.get(Employee, office.staf1).name = hostile
        perf.agreed_skp(s, SYSTEM, office.staf1)
        ev = ev_svc.start_evaluation(s, office.kabid_p, office.staf1, perf.period_id(s))
        ev_svc.save_evaluation(
            s,
            office.kabid_p,
            ev.id,
            ev_svc.EvaluationForm(
                "Sesuai Ekspektasi", "Sesuai Ekspektasi", perf.fill_realisasi(s, ev.id), catatan_rekomendasi=hostile
            ),
            expected_hlc=ev.updated_hlc,
        )
    with db.session() as s:
        run(export_roster(s, tmp_path / f"pegawai{suffix}"))
        run(export_evaluations(s, SYSTEM, tmp_path / f"evaluasi{suffix}", perf.YEAR))
        run(export_training(s, SYSTEM, tmp_path / f"jp{suffix}", perf.YEAR))
    for name in ("pegawai", "evaluasi", "jp"):
        _assert_safe(tmp_path / f"{name}{suffix}", hostile)


@pytest.mark.parametrize("hostile", HOSTILE, ids=["eq", "plus", "minus", "at", "tab", "cr"])
def test_the_error_file_neutralizes_formula_starts(db, tmp_path, hostile):
    path = tmp_path / "impor.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["NIP", "Nama"], [hostile, "Salah"]])
    report = run(import_roster(db, path))
    assert report.rejected
    _assert_safe(error_file_for(path), hostile)
