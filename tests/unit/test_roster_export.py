"""Roster export to CSV and XLSX: Indonesian headers, NIP as text, and a lossless round trip."""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from roster_files import pns, pppk, write_csv

from kinerja_desktop.errors import PermissionDenied, UnusableInput
from kinerja_desktop.services.access.principal import PEJABAT_PENILAI, Principal
from kinerja_desktop.services.progress import Progress, run
from kinerja_desktop.services.roster.columns import EXPORT_HEADERS
from kinerja_desktop.services.roster.export import export_roster
from kinerja_desktop.services.roster.importer import import_roster
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.models import AuditEntry, ChangeLog, Employee, Position, Unit

FULL_HEADERS = [
    "NIP",
    "Gelar Depan",
    "Nama",
    "Gelar Belakang",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Status",
    "Golongan",
    "Jabatan",
    "Jenis Jabatan",
    "Kode Unit Kerja",
    "Unit Kerja",
    "NIP Atasan",
]


@pytest.fixture
def roster(db, tmp_path):
    """A roster with every kind of value: titles, PPPK, units by code, empty cells, a chain."""
    with db.transaction() as s:
        s.add_all(
            [
                Unit(code="1504-DINKES", name="Dinas Kesehatan", kind="opd"),
                Unit(code="1504-PKM-MB", name="Puskesmas Muara Bulian", kind="puskesmas"),
            ]
        )
    head, kapus, dokter, perawat, staf = pns(1), pns(2, "P"), pns(3), pppk(4), pns(5)
    rows = [
        [
            head,
            "Drs. H.",
            "Ahmad Yani",
            "M.Si",
            "L",
            "",
            "PNS",
            "IV/c",
            "Kepala Dinas Kesehatan",
            "JPT",
            "1504-DINKES",
            "",
            "",
        ],
        [
            kapus,
            "dr.",
            "Siti Aminah",
            "M.Kes",
            "",
            "",
            "",
            "IV/a",
            "Kepala Puskesmas Muara Bulian",
            "",
            "1504-PKM-MB",
            "",
            head,
        ],
        [
            dokter,
            "dr.",
            "Rahmat Hidayat",
            "",
            "",
            "",
            "",
            "III/b",
            "Dokter Ahli Pertama",
            "Fungsional",
            "",
            "Puskesmas Muara Bulian",
            kapus,
        ],
        [perawat, "", "Zoë Lestari", "S.Kep., Ns.", "P", "", "PPPK", "IX", "Perawat Ahli Pertama", "", "", "", kapus],
        [staf, "", "M. Yusuf", "", "", "", "", "", "", "", "", "Kantor Baru, Lantai 2", ""],
    ]
    report = run(import_roster(db, write_csv(tmp_path / "awal.csv", FULL_HEADERS, rows)))
    assert report.created == 5 and not report.rejected, report.rejected
    return [r[0] for r in rows]


def snapshot(db) -> dict[str, tuple]:
    """Every employee, field by field, with links as the things they point to."""
    with db.session() as s:
        out = {}
        for e in s.scalars(select(Employee)):
            out[e.nip] = (
                e.front_title,
                e.name,
                e.back_title,
                e.gender,
                e.birth_date,
                e.status,
                e.golongan,
                e.position.name if e.position else None,
                e.position.kind if e.position else None,
                e.unit.code if e.unit else None,
                e.unit.name if e.unit else None,
                e.supervisor.nip if e.supervisor else None,
            )
        return out


def counts(db) -> dict[str, int]:
    with db.session() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m))
            for m in (Employee, Unit, Position, ChangeLog, AuditEntry)
        }


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_changes_nothing(db, roster, tmp_path, suffix):
    path = tmp_path / f"ekspor{suffix}"
    report = run(export_roster(db, path))
    assert report.rows == 5 and path.exists()
    before, stored = counts(db), snapshot(db)
    back = run(import_roster(db, path))
    assert (back.created, back.updated, back.unchanged, back.rejected) == (0, 0, 5, [])
    assert counts(db) == before and snapshot(db) == stored


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_into_a_fresh_database_reproduces_every_field(db, roster, tmp_path, suffix):
    path = tmp_path / f"ekspor{suffix}"
    run(export_roster(db, path))
    other = open_database(tmp_path / "lain.sqlite3")
    try:
        report = run(import_roster(other, path))
        assert (report.created, report.rejected, report.units_created) == (5, [], 3)
        assert snapshot(other) == snapshot(db)
    finally:
        other.close()


def test_csv_export_is_utf8_with_bom_comma_separated_and_quoted(db, roster, tmp_path):
    path = tmp_path / "ekspor.csv"
    run(export_roster(db, path))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(EXPORT_HEADERS) == FULL_HEADERS + ["PNS ID"]
    by_nip = {r[0]: dict(zip(rows[0], r, strict=False)) for r in rows[1:]}
    assert list(by_nip) == sorted(roster)  # ordered by NIP, every NIP as its 18 digits
    perawat = by_nip[roster[3]]
    assert perawat["Gelar Belakang"] == "S.Kep., Ns." and perawat["Nama"] == "Zoë Lestari"
    assert perawat["Status"] == "PPPK" and perawat["Golongan"] == "IX" and perawat["NIP Atasan"] == roster[1]
    assert by_nip[roster[0]]["Tanggal Lahir"] == "02-02-1976"
    assert by_nip[roster[4]]["Unit Kerja"] == "Kantor Baru, Lantai 2"
    assert b'"Kantor Baru, Lantai 2"' in raw


def test_xlsx_export_writes_nips_as_text_cells_and_dates_as_dates(db, roster, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "ekspor.xlsx"
    run(export_roster(db, path))
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == FULL_HEADERS + ["PNS ID"]
    nips = [ws.cell(row=r, column=1) for r in range(2, 7)]
    assert [c.value for c in nips] == sorted(roster)
    assert all(c.data_type == "s" and c.number_format == "@" for c in nips)
    supervisor = ws.cell(row=3, column=13)
    assert supervisor.data_type == "s" and supervisor.number_format == "@"
    assert ws.cell(row=2, column=6).value.date() == date(1976, 2, 2)


def test_deleted_employees_are_not_exported(db, roster, tmp_path):
    with db.transaction() as s:
        s.scalar(select(Employee).where(Employee.nip == roster[4])).deleted = True
    report = run(export_roster(db, tmp_path / "e.csv"))
    assert report.rows == 4


def test_export_reports_progress_and_refuses_other_extensions(db, roster, tmp_path):
    seen: list[Progress] = []
    run(export_roster(db, tmp_path / "e.xlsx"), seen.append)
    assert seen[0].total == 5 and seen[-1].done == 5
    for name in ("e.xls", "e.ods", "e"):
        with pytest.raises(UnusableInput):
            run(export_roster(db, tmp_path / name))
        assert not (tmp_path / name).exists()
    with pytest.raises(UnusableInput):
        run(export_roster(db, tmp_path / "tidak-ada" / "e.csv"))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_only_roster_wide_roles_may_export(db, roster, tmp_path):
    with pytest.raises(PermissionDenied):
        run(export_roster(db, tmp_path / "e.csv", actor=Principal("pp", PEJABAT_PENILAI)))
    assert not (tmp_path / "e.csv").exists()
