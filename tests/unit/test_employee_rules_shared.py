"""The employee form and the roster importer apply the same rules with the same sentences.

Both go through ``domain.employee_rules``; this test types the same bad record into the form
(``services.roster.employees.create_employee``) and into an imported CSV row, and compares
what each tells the person, field by field. Limits come from the rules' MAX_LENGTH.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from roster_files import pns, pppk, write_csv

from kinerja_desktop.domain.employee_rules import MAX_LENGTH
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.progress import run
from kinerja_desktop.services.roster.employees import EmployeeInput, ValidationError, create_employee
from kinerja_desktop.services.roster.importer import import_roster

HEADERS = [
    "NIP",
    "Gelar Depan",
    "Nama",
    "Gelar Belakang",
    "Jenis Kelamin",
    "Status",
    "Golongan",
    "Jabatan",
    "Unit Kerja",
]
#: form field -> the CSV column it is imported from
COLUMN_OF = {
    "nip": "NIP",
    "front_title": "Gelar Depan",
    "name": "Nama",
    "back_title": "Gelar Belakang",
    "gender": "Jenis Kelamin",
    "status": "Status",
    "golongan": "Golongan",
    "position_name": "Jabatan",
}

GOOD = {
    "nip": pns(7, "L"),
    "front_title": "",
    "name": "Budi Santoso",
    "back_title": "",
    "gender": "",
    "status": "",
    "golongan": "III/a",
    "position_name": "Pengadministrasi Umum",
}

CASES = {
    "nip with a wrong month": ("nip", {"nip": pns(7)[:12] + "13" + pns(7)[14:]}),
    "nip too short": ("nip", {"nip": "19750101200003"}),
    "name missing": ("name", {"name": "  "}),
    "name one past the limit": ("name", {"name": "A" * (MAX_LENGTH["name"] + 1)}),
    "front title too long": ("front_title", {"front_title": "Dr" * MAX_LENGTH["front_title"]}),
    "back title too long": ("back_title", {"back_title": "S" * (MAX_LENGTH["back_title"] + 1)}),
    "position name too long": ("position_name", {"position_name": "J" * (MAX_LENGTH["position_name"] + 1)}),
    "unknown status": ("status", {"status": "honorer"}),
    "status against the nip": ("status", {"status": "PPPK"}),
    "gender against the nip": ("gender", {"gender": "Perempuan"}),
    "golongan that does not exist": ("golongan", {"golongan": "V/z"}),
    "golongan of the other kind": ("golongan", {"nip": pppk(8), "golongan": "III/a"}),
}


def form_errors(db, record: dict) -> dict[str, str]:
    data = EmployeeInput(
        nip=record["nip"],
        name=record["name"],
        front_title=record["front_title"],
        back_title=record["back_title"],
        gender=record["gender"] or None,
        status=record["status"] or None,
        golongan=record["golongan"],
        position_name=record["position_name"],
    )
    with db.session() as s:
        with pytest.raises(ValidationError) as caught:
            create_employee(s, SYSTEM, data)
    return caught.value.errors


def import_errors(db, tmp_path, record: dict) -> dict[str, str]:
    row = [record[f] for f in COLUMN_OF] + ["Dinas Kesehatan"]
    report = run(import_roster(db, write_csv(tmp_path / "pegawai.csv", HEADERS, [row])))
    assert report.created == 0, "the bad row was imported"
    return {e.column: e.reason for e in report.rejected}


@pytest.mark.parametrize("case", list(CASES))
def test_form_and_importer_say_the_same_sentence(db, tmp_path, case):
    field, change = CASES[case]
    record = {**GOOD, **change}
    form = form_errors(db, record)
    imported = import_errors(db, tmp_path, record)
    assert field in form, form
    assert COLUMN_OF[field] in imported, imported
    assert imported[COLUMN_OF[field]] == form[field]


def test_the_good_record_passes_both(db, tmp_path):
    with db.session() as s:
        create_employee(
            s,
            SYSTEM,
            EmployeeInput(
                nip=GOOD["nip"], name=GOOD["name"], golongan=GOOD["golongan"], position_name=GOOD["position_name"]
            ),
        )
        s.rollback()
    row = [GOOD[f] for f in COLUMN_OF] + ["Dinas Kesehatan"]
    report = run(import_roster(db, write_csv(tmp_path / "pegawai.csv", HEADERS, [row])))
    assert (report.created, report.rejected) == (1, [])
