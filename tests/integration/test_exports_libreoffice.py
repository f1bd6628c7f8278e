"""Every export opened in a real spreadsheet (LibreOffice Calc, headless): NIPs keep their 18
digits, names keep their letters, dates are dates, and no cell becomes a formula.

XLSX is opened as it is (that is what people do); CSV is opened the way a program or a
careful person imports it: UTF-8, the separator, the NIP columns as text and the date
columns with their order. Each converted file is read back with openpyxl.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.performance.evaluation_export import export_evaluations
from kinerja_desktop.services.progress import run
from kinerja_desktop.services.roster.export import export_roster
from kinerja_desktop.services.roster.importer import error_file_for, import_roster
from kinerja_desktop.services.training.export import export_training
from kinerja_desktop.store.models import Employee, Evaluation

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        SOFFICE is None and os.environ.get("CI") != "true",
        reason="LibreOffice (Debian: libreoffice-calc-nogui) not installed",
    ),
]

HOSTILE = '=HYPERLINK("http://contoh.example","klik")'
ACCENTED = "Zoë Andrée Nur'aini"
YEAR = 2026


def soffice(files: list[Path], out: Path, profile: Path, infilter: str | None = None) -> list[Path]:
    """Open ``files`` in LibreOffice Calc and save them as XLSX in ``out``."""
    assert SOFFICE is not None, "LibreOffice is required when CI=true (apt-get install libreoffice-calc-nogui)"
    out.mkdir(parents=True, exist_ok=True)
    cmd = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    if infilter:
        cmd.append(f"--infilter={infilter}")
    cmd += ["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), *map(str, files)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    converted = [out / (f.stem + ".xlsx") for f in files]
    for path in converted:
        assert path.exists(), f"LibreOffice did not open {path.name}"
    return converted


def rows_of(path: Path) -> list[tuple]:
    ws = load_workbook(path).active
    return [tuple(c for c in row) for row in ws.iter_rows()]


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    """A small demo district with a year of work, one hostile name and one with accents."""
    from kinerja_desktop.services.demo.district import build_demo
    from kinerja_desktop.store.database import open_database

    folder = tmp_path_factory.mktemp("lo-district")
    db = open_database(folder / "kinerja.sqlite3")
    run(build_demo(db, employees=60, seed=1504, year=YEAR))
    with db.transaction() as s:
        finals = s.scalars(select(Evaluation).where(Evaluation.status == "final")).all()
        assert finals, "the demo district has final evaluations"
        ids = list(dict.fromkeys(e.employee_id for e in finals))[:2]
        s.get(Employee, ids[0]).name = HOSTILE
        s.get(Employee, ids[1]).name = ACCENTED
    yield db, folder
    db.close()


def _nips(db) -> set[str]:
    with db.session() as s:
        return set(s.scalars(select(Employee.nip).where(Employee.deleted.is_(False))))


def test_every_export_opens_in_libreoffice_with_nips_names_and_dates_intact(district, tmp_path):
    db, _folder = district
    nips = _nips(db)
    files = tmp_path / "ekspor"
    files.mkdir()
    with db.session() as s:
        run(export_roster(s, files / "pegawai.xlsx"))
        run(export_roster(s, files / "pegawai-koma.csv"))
        run(export_roster(s, files / "pegawai-titikkoma.csv", delimiter=";"))
        run(export_evaluations(s, SYSTEM, files / "evaluasi.xlsx", YEAR))
        run(export_evaluations(s, SYSTEM, files / "evaluasi.csv", YEAR))
        run(export_training(s, SYSTEM, files / "jp.xlsx", YEAR))
        run(export_training(s, SYSTEM, files / "jp.csv", YEAR))
    bad = files / "impor.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["NIP", "Nama"], [HOSTILE, "Salah"], ["198609262015131001", ACCENTED]])
    run(import_roster(db, bad, dry_run=True))
    galat = error_file_for(bad)

    profile, out = tmp_path / "lo-profile", tmp_path / "lo"
    xlsx = soffice([files / "pegawai.xlsx", files / "evaluasi.xlsx", files / "jp.xlsx"], out / "x", profile)
    roster_cols = "1/2/6/4/11/2/13/2/14/2"  # NIP text, birth date DMY, unit code, NIP Atasan, PNS ID text
    [roster_comma] = soffice([files / "pegawai-koma.csv"], out / "c", profile, f"CSV:44,34,76,1,{roster_cols}")
    [roster_semi] = soffice([files / "pegawai-titikkoma.csv"], out / "s", profile, f"CSV:59,34,76,1,{roster_cols}")
    [evaluations] = soffice([files / "evaluasi.csv"], out / "e", profile, "CSV:44,34,76,1,1/2/9/2/10/5")
    [jp] = soffice([files / "jp.csv"], out / "j", profile, "CSV:44,34,76,1,1/2")
    [errors] = soffice([galat], out / "g", profile, "CSV:44,34,76,1")

    for path in (xlsx[0], roster_comma, roster_semi):
        _check_roster(path, nips)
    for path in (xlsx[1], evaluations):
        _check_evaluations(path, nips)
    for path in (xlsx[2], jp):
        rows = rows_of(path)
        assert {c.value for c in (r[0] for r in rows[1:])} <= nips
        assert all(r[0].data_type == "s" for r in rows[1:])
    rows = rows_of(errors)
    assert [c.value for c in rows[0]] == ["baris", "kolom", "nilai", "alasan"]
    assert rows[1][2].value == "'" + HOSTILE and rows[1][2].data_type == "s"
    assert rows[2][0].value in (3, "3") and "TMT" in rows[2][3].value


def _check_roster(path: Path, nips: set[str]) -> None:
    rows = rows_of(path)
    header = [c.value for c in rows[0]]
    assert header[:3] == ["NIP", "Gelar Depan", "Nama"]
    body = rows[1:]
    got = {r[0].value for r in body}
    assert got == nips, f"{path.name}: NIPs changed"
    assert all(r[0].data_type == "s" and len(r[0].value) == 18 for r in body)
    names = {r[2].value for r in body}
    assert ACCENTED in names, f"{path.name}: accented name lost"
    hostile = next(r[2] for r in body if str(r[2].value).endswith(HOSTILE))
    assert hostile.data_type == "s" and hostile.value == "'" + HOSTILE, f"{path.name}: {hostile.value!r}"
    births = [r[5].value for r in body if r[5].value is not None]
    assert births and all(isinstance(b, datetime) for b in births), f"{path.name}: dates are not dates"
    for r in body:  # the birth date agrees with the NIP's first eight digits
        if isinstance(r[5].value, datetime):
            assert r[5].value.strftime("%Y%m%d") == r[0].value[:8]


def _check_evaluations(path: Path, nips: set[str]) -> None:
    rows = rows_of(path)
    body = rows[1:]
    assert body and {r[0].value for r in body} <= nips
    assert all(r[0].data_type == "s" and len(r[0].value) == 18 for r in body)
    finals = [r[9].value for r in body if r[7].value == "final"]
    assert finals and all(isinstance(d, datetime) for d in finals), f"{path.name}: the final date is not a date"
    names = [r[1] for r in body]
    assert any(ACCENTED in str(c.value) for c in names), f"{path.name}: accented name lost"
    hostile = [c for c in names if "HYPERLINK" in str(c.value)]
    # Text either way: neutralized with an apostrophe, or (with gelar before it) not starting like a formula.
    assert all(
        c.data_type == "s" and (str(c.value).startswith("'") or str(c.value)[:1] not in "=+-@\t\r") for c in hostile
    ), f"{path.name}: a formula: {[(c.data_type, c.value) for c in hostile]}"
