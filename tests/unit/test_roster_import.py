"""Roster import from CSV and XLSX: valid rows in, invalid rows reported, nothing half-done."""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from roster_files import HEADERS, pns, pppk, small_roster, write_csv, write_xlsx

from kinerja_desktop.errors import PermissionDenied, UnusableInput
from kinerja_desktop.services.access.principal import PEJABAT_PENILAI, Principal
from kinerja_desktop.services.audit.chain import verify_chain
from kinerja_desktop.services.progress import Progress, run
from kinerja_desktop.services.roster import columns as rc
from kinerja_desktop.services.roster.importer import ImportReport, error_file_for, import_roster
from kinerja_desktop.store.models import AuditEntry, ChangeLog, Employee, Position, Unit


def do_import(db, path, **kw) -> ImportReport:
    return run(import_roster(db, path, **kw))


def counts(db) -> dict[str, int]:
    with db.session() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m))
            for m in (Employee, Unit, Position, ChangeLog, AuditEntry)
        }


def employee(db, nip: str) -> Employee | None:
    with db.session() as s:
        emp = s.scalar(select(Employee).where(Employee.nip == nip))
        if emp is not None:  # load what the assertions read
            _ = emp.unit, emp.position, emp.supervisor
        return emp


def errors_by_row(report: ImportReport) -> dict[int, list]:
    out: dict[int, list] = {}
    for e in report.rejected:
        out.setdefault(e.row, []).append(e)
    return out


# --- the happy path -------------------------------------------------------------------------


def test_csv_import_creates_employees_units_positions_and_links_supervisors(db, tmp_path):
    headers, rows = small_roster()
    report = do_import(db, write_csv(tmp_path / "pegawai.csv", headers, rows))

    assert (report.created, report.updated, report.unchanged, report.rejected) == (4, 0, 0, [])
    assert report.units_created == 1 and report.positions_created == 4
    assert report.error_file is None and not error_file_for(tmp_path / "pegawai.csv").exists()

    head, kabid, staf1, staf2 = (r[0] for r in rows)
    e = employee(db, kabid)
    assert (e.front_title, e.name, e.back_title) == ("dr.", "Siti Aminah", "M.Kes")
    assert (e.status, e.gender, e.birth_date, e.golongan) == ("PNS", "L", date(1977, 3, 3), "IV/a")
    assert e.supervisor.nip == head and e.unit.name == "Dinas Kesehatan" and e.unit.kind == "opd"
    assert e.position.name == "Kepala Bidang Pelayanan Kesehatan" and e.position.kind == "administrator"
    h = employee(db, head)
    assert (h.front_title, h.name, h.back_title) == ("Drs. H.", "Ahmad Yani", "M.Si")
    assert h.supervisor_id is None and h.position.kind == "jpt" and h.position.is_unit_head
    assert employee(db, staf2).gender == "P" and employee(db, staf2).back_title == "S.Kep"
    assert employee(db, staf1).position.kind == "pelaksana"
    assert employee(db, staf2).position.kind == "fungsional"


def test_every_written_row_has_a_change_log_entry_with_its_hlc(db, tmp_path):
    headers, rows = small_roster()
    do_import(db, write_csv(tmp_path / "p.csv", headers, rows))
    with db.session() as s:
        for model in (Employee, Unit, Position):
            stamped = s.execute(select(model.id, model.updated_hlc)).all()
            assert stamped
            for row_id, hlc in stamped:
                assert hlc and hlc.endswith(db.site_id)
                logged = s.scalars(
                    select(ChangeLog.hlc).where(ChangeLog.table_name == model.__tablename__, ChangeLog.row_id == row_id)
                ).all()
                assert hlc in logged
        origin = set(s.scalars(select(Employee.origin_site)))
    assert origin == {db.site_id}


def test_audit_has_one_create_entry_per_employee_and_the_chain_holds(db, tmp_path):
    headers, rows = small_roster()
    do_import(db, write_csv(tmp_path / "p.csv", headers, rows))
    with db.session() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.table_name == "employees")).all()
        assert sorted(e.after["nip"] for e in entries) == sorted(r[0] for r in rows)
        assert {e.action for e in entries} == {"create"} and {e.actor for e in entries} == {"system"}
        assert entries[0].after["position_name"]
        assert verify_chain(s).ok


def test_reimporting_the_same_file_changes_nothing(db, tmp_path):
    headers, rows = small_roster()
    path = write_csv(tmp_path / "p.csv", headers, rows)
    do_import(db, path)
    before = counts(db)
    report = do_import(db, path)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (0, 0, 4, [])
    assert counts(db) == before


def test_a_changed_row_is_updated_by_nip_and_audited_with_before_and_after(db, tmp_path):
    headers, rows = small_roster()
    do_import(db, write_csv(tmp_path / "p.csv", headers, rows))
    hlc_before = employee(db, rows[1][0]).updated_hlc
    rows[2][2] = "III/b"  # staf1 promoted
    rows[3][5] = rows[0][0]  # staf2 now reports to the head
    before = counts(db)
    report = do_import(db, write_csv(tmp_path / "p.csv", headers, rows))
    assert (report.created, report.updated, report.unchanged) == (0, 2, 2)
    assert employee(db, rows[2][0]).golongan == "III/b"
    assert employee(db, rows[3][0]).supervisor.nip == rows[0][0]
    assert employee(db, rows[1][0]).updated_hlc == hlc_before  # untouched row keeps its stamp
    after = counts(db)
    assert after["change_log"] == before["change_log"] + 2
    assert after["audit_log"] == before["audit_log"] + 2
    with db.session() as s:
        entry = s.scalar(
            select(AuditEntry).where(AuditEntry.action == "update", AuditEntry.row_id == employee(db, rows[2][0]).id)
        )
        assert (entry.before, entry.after) == ({"golongan": "III/a"}, {"golongan": "III/b"})


def test_a_missing_column_keeps_the_stored_value_and_an_empty_cell_clears_it(db, tmp_path):
    headers, rows = small_roster()
    do_import(db, write_csv(tmp_path / "p.csv", headers, rows))
    staf1 = rows[2][0]
    # Only NIP and Nama: golongan, position, unit and supervisor stay as they are.
    report = do_import(db, write_csv(tmp_path / "q.csv", ["NIP", "Nama"], [[staf1, "Budi Santoso"]]))
    assert report.unchanged == 1
    e = employee(db, staf1)
    assert e.golongan == "III/a" and e.supervisor is not None and e.unit is not None
    # An empty Golongan cell empties the value.
    report = do_import(db, write_csv(tmp_path / "r.csv", ["NIP", "Nama", "Golongan"], [[staf1, "Budi Santoso", ""]]))
    assert report.updated == 1 and employee(db, staf1).golongan == ""


def test_import_into_a_session_is_committed_by_the_caller(db, tmp_path):
    headers, rows = small_roster()
    path = write_csv(tmp_path / "p.csv", headers, rows)
    with db.session() as s:
        report = run(import_roster(s, path))
        s.commit()
    assert report.created == 4 and counts(db)["employees"] == 4


def test_progress_is_reported(db, tmp_path):
    headers, rows = small_roster()
    seen: list[Progress] = []
    run(import_roster(db, write_csv(tmp_path / "p.csv", headers, rows)), seen.append)
    assert seen and seen[-1].done == seen[-1].total == 4


def test_only_admin_kepegawaian_may_import(db, tmp_path):
    headers, rows = small_roster()
    with pytest.raises(PermissionDenied):
        do_import(db, write_csv(tmp_path / "p.csv", headers, rows), actor=Principal("pp", PEJABAT_PENILAI))
    assert counts(db)["employees"] == 0


# --- headers, encodings, separators ---------------------------------------------------------


def test_windows_1252_csv_with_semicolons_keeps_accented_names(db, tmp_path):
    a, b = pns(11), pns(12, "P")
    rows = [
        [a, "André Siregar", "III/c", "Analis Kebijakan", "Bappeda", ""],
        [b, "Zoë Hélène Purba, S.E.", "III/a", "Pengelola Keuangan", "Bappeda", a],
    ]
    path = write_csv(tmp_path / "cp1252.csv", HEADERS, rows, delimiter=";", encoding="cp1252")
    assert "é".encode("cp1252") in path.read_bytes()  # really not UTF-8
    report = do_import(db, path)
    assert report.created == 2 and not report.rejected
    assert employee(db, a).name == "André Siregar"
    e = employee(db, b)
    assert (e.name, e.back_title, e.supervisor.nip) == ("Zoë Hélène Purba", "S.E.", a)


@pytest.mark.parametrize("delimiter,encoding", [(",", "utf-8"), ("\t", "utf-8-sig"), (";", "utf-8")])
def test_separators_and_utf8_with_or_without_bom(db, tmp_path, delimiter, encoding):
    headers, rows = small_roster()
    rows[2][1] = "Budi Śantoso"
    report = do_import(db, write_csv(tmp_path / "p.csv", headers, rows, delimiter=delimiter, encoding=encoding))
    assert report.created == 4 and not report.rejected
    assert employee(db, rows[2][0]).name == "Budi Śantoso"


def test_header_aliases_are_matched_without_regard_to_case_spacing_or_punctuation(db, tmp_path):
    a, b = pns(21), pppk(22)
    headers = [
        "No.",
        "N.I.P.",
        "NAMA PEGAWAI",
        "Gelar",
        "Pangkat/Gol",
        "Jenis_Kelamin",
        "Tgl. Lahir",
        "Status Pegawai",
        "Nama Jabatan",
        "Jenis Jabatan",
        "unit kerja",
        "NIP atasan",
    ]
    rows = [
        [
            1,
            a,
            "Ahmad",
            "dr., M.Kes",
            "III/d",
            "Laki-laki",
            "",
            "pns",
            "Dokter Ahli Muda",
            "fungsional",
            "RSUD Hamba",
            "",
        ],
        [2, b, "Sari", "S.Kep., Ns.", "Gol. IX", "Perempuan", "", "PPPK", "Perawat", "JF", "rsud hamba", a],
    ]
    report = do_import(db, write_csv(tmp_path / "p.csv", headers, rows))
    assert not report.rejected and report.created == 2 and report.units_created == 1
    e = employee(db, a)
    assert (e.front_title, e.name, e.back_title, e.golongan) == ("dr.", "Ahmad", "M.Kes", "III/d")
    e = employee(db, b)
    assert (e.status, e.golongan, e.front_title, e.back_title) == ("PPPK", "IX", "", "S.Kep., Ns.")
    assert e.unit.name == "RSUD Hamba" and e.position.kind == "fungsional"


@pytest.mark.parametrize("header", ["Golongan", "Gol", "Pangkat/Gol", "Gol. Ruang", "Pangkat / Gol. Ruang"])
def test_golongan_header_aliases(db, tmp_path, header):
    a = pns(31)
    report = do_import(db, write_csv(tmp_path / "p.csv", ["NIP", "Nama", header], [[a, "Ani", "3c"]]))
    assert report.created == 1 and employee(db, a).golongan == "III/c"


def test_existing_units_are_matched_by_code_or_name_case_insensitively(db, tmp_path):
    with db.transaction() as s:
        s.add_all(
            [
                Unit(code="1504-DINKES", name="Dinas Kesehatan", kind="opd"),
                Unit(code="1504-BAPPEDA", name="Bappeda", kind="opd"),
            ]
        )
    a, b, c = pns(41), pns(42), pns(43)
    rows = [
        [a, "A", "", "", "1504-dinkes", ""],
        [b, "B", "", "", "  BAPPEDA ", ""],
        [c, "C", "", "", "Kantor Baru", ""],
    ]
    report = do_import(db, write_csv(tmp_path / "p.csv", HEADERS, rows))
    assert report.created == 3 and report.units_created == 1
    assert employee(db, a).unit.code == "1504-DINKES"
    assert employee(db, b).unit.code == "1504-BAPPEDA"
    new = employee(db, c).unit
    assert (new.name, new.kind, new.code) == ("Kantor Baru", "opd", "KANTOR-BARU")


def test_a_unit_name_shared_by_two_units_is_rejected_as_ambiguous(db, tmp_path):
    with db.transaction() as s:
        s.add_all(
            [
                Unit(code="A1", name="Puskesmas Sungai", kind="puskesmas"),
                Unit(code="A2", name="Puskesmas Sungai", kind="puskesmas"),
            ]
        )
    rows = [[pns(44), "A", "", "", "Puskesmas Sungai", ""], [pns(45), "B", "", "", "A2", ""]]
    report = do_import(db, write_csv(tmp_path / "p.csv", HEADERS, rows))
    assert report.created == 1
    [err] = report.rejected
    assert (err.row, err.column, err.code) == (2, "Unit Kerja", "unit:ambiguous")


def test_xlsx_with_title_rows_dates_and_numbers_in_text_columns(db, tmp_path):
    a, b = pns(51, birth=date(1980, 5, 17)), pppk(52, birth=date(1990, 2, 3))
    headers = ["NIP", "Gelar Depan", "Nama", "Gelar Belakang", "Tanggal Lahir", "Golongan", "Kode Unit", "NIP Atasan"]
    rows = [
        [a, None, "M. Yusuf", "S.T.", date(1980, 5, 17), "IV/a", 1504, None],
        [b, "Hj.", "Nurhayati", None, "03-02-1990", 11, 1504, a],
        [pns(53), None, "Salah Tanggal", None, date(1981, 1, 1), "III/a", 1504, None],
    ]
    path = write_xlsx(tmp_path / "p.xlsx", headers, rows, title_rows=[["DAFTAR PEGAWAI KABUPATEN BATANGHARI"], []])
    report = do_import(db, path)
    assert report.created == 2
    e = employee(db, a)
    assert (e.front_title, e.name, e.back_title, e.unit.code) == ("", "M. Yusuf", "S.T.", "1504")
    e = employee(db, b)
    assert (e.front_title, e.golongan, e.supervisor.nip) == ("Hj.", "XI", a)
    [err] = report.rejected
    assert (err.row, err.column, err.code) == (6, "Tanggal Lahir", "birth_date:mismatch")  # header on row 3


# --- bad input: rows ------------------------------------------------------------------------

NIP_FAULTS = [
    # (cell text, part, a word the reason must contain)
    ("", "empty", "belum diisi"),
    ("1.98609262015051E+17", "excel_number", "Excel"),
    ("19860926201505100X", "digits", "selain angka"),
    ("19860926201505100", "length", "18 digit"),
    ("198613262015051001", "birth_date", "tanggal lahir"),
    ("198609262015131001", "tmt", "TMT"),
    ("198609262015053001", "gender", "jenis kelamin"),
    ("198609262015051000", "sequence", "nomor urut"),
]


@pytest.mark.parametrize("value,part,word", NIP_FAULTS, ids=[f[1] for f in NIP_FAULTS])
def test_every_nip_fault_rejects_the_row_naming_the_part(db, tmp_path, value, part, word):
    good = pns(61)
    rows = [[good, "Valid", "III/a", "", "", ""], [value, "Salah NIP", "III/a", "", "", ""]]
    path = write_csv(tmp_path / "p.csv", HEADERS, rows)
    report = do_import(db, path)
    assert report.created == 1 and employee(db, good) is not None
    [err] = report.rejected
    assert (err.row, err.column, err.value, err.code) == (3, "NIP", value, f"nip:{part}")
    assert word.lower() in err.reason.lower()
    assert counts(db)["employees"] == 1
    # The error file lists it for the person fixing the spreadsheet.
    with error_file_for(path).open(encoding="utf-8-sig", newline="") as fh:
        listed = list(csv.DictReader(fh))
    assert listed == [{"baris": "3", "kolom": "NIP", "nilai": value, "alasan": err.reason}]


def test_xlsx_nips_stored_as_numbers_are_rejected_never_repaired(db, tmp_path):
    real = "198609262015051001"
    ok = pns(62)
    rows = [
        [int(real), "Int NIP", "III/a", "", "", ""],
        [1.98609262015051e17, "Float NIP", "III/a", "", "", ""],
        [ok, "Atasan Angka", "III/a", "", "", int(real)],
        [pns(63), "Valid", "III/a", "", "", ok],
    ]
    report = do_import(db, write_xlsx(tmp_path / "p.xlsx", HEADERS, rows))
    by_row = errors_by_row(report)
    assert [e.code for e in by_row[2]] == ["nip:excel_number"]
    assert [e.code for e in by_row[3]] == ["nip:excel_number"]
    assert by_row[2][0].value == "1.98609262015051E+17"
    assert [(e.column, e.code) for e in by_row[4]] == [("NIP Atasan", "supervisor_nip:excel_number")]
    assert report.created == 0  # row 5's supervisor (row 4) was rejected, so it is too
    assert [e.code for e in by_row[5]] == ["supervisor:rejected"]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Employee).where(Employee.nip.like("19860926201505%"))) == 0


def test_duplicate_nips_reject_every_occurrence_after_the_first(db, tmp_path):
    a, b = pns(71), pns(72)
    rows = [
        [a, "Pertama", "III/a", "", "", ""],
        [b, "Lain", "III/a", "", "", ""],
        [a, "Kedua", "III/b", "", "", ""],
        [a.replace("", " ").strip(), "Ketiga", "", "", "", ""],
    ]
    report = do_import(db, write_csv(tmp_path / "p.csv", HEADERS, rows))
    assert report.created == 2 and employee(db, a).name == "Pertama"
    assert [(e.row, e.column, e.code) for e in report.rejected] == [(4, "NIP", "duplicate"), (5, "NIP", "duplicate")]
    assert all("baris 2" in e.reason for e in report.rejected)


def test_a_supervisor_nip_that_exists_nowhere_rejects_the_row(db, tmp_path):
    a, ghost = pns(81), pns(82)
    rows = [[a, "Ada", "III/a", "", "", ""], [pns(83), "Yatim", "III/a", "", "", ghost]]
    report = do_import(db, write_csv(tmp_path / "p.csv", HEADERS, rows))
    assert report.created == 1
    [err] = report.rejected
    assert (err.row, err.column, err.value, err.code) == (3, "NIP Atasan", ghost, "supervisor:missing")
    assert ghost in err.reason


def test_a_supervisor_already_in_the_database_is_found(db, tmp_path):
    boss = pns(84)
    do_import(db, write_csv(tmp_path / "a.csv", HEADERS, [[boss, "Bos", "IV/a", "", "", ""]]))
    staff = pns(85)
    report = do_import(db, write_csv(tmp_path / "b.csv", HEADERS, [[staff, "Staf", "II/c", "", "", boss]]))
    assert report.created == 1 and employee(db, staff).supervisor.nip == boss


def test_supervisor_loops_are_rejected_in_the_file_and_through_the_database(db, tmp_path):
    a, b, c = pns(91), pns(92), pns(93)
    rows = [[a, "A", "", "", "", b], [b, "B", "", "", "", a], [c, "C", "", "", "", a]]
    report = do_import(db, write_csv(tmp_path / "p.csv", HEADERS, rows))
    codes = {e.row: e.code for e in report.rejected}
    assert codes == {2: "supervisor:cycle", 3: "supervisor:cycle", 4: "supervisor:rejected"}
    assert report.created == 0 and counts(db)["employees"] == 0

    # In the database: x reports to y. A file making y report to x closes a loop.
    x, y = pns(94), pns(95)
    do_import(db, write_csv(tmp_path / "q.csv", HEADERS, [[y, "Y", "", "", "", ""], [x, "X", "", "", "", y]]))
    report = do_import(db, write_csv(tmp_path / "r.csv", ["NIP", "Nama", "NIP Atasan"], [[y, "Y", x]]))
    [err] = report.rejected
    assert err.code == "supervisor:cycle" and x in err.reason and y in err.reason
    assert employee(db, y).supervisor_id is None


def test_a_supervisor_may_be_listed_after_the_staff(db, tmp_path):
    a, b, c = pns(96), pns(97), pns(98)
    rows = [[c, "C", "", "", "", b], [b, "B", "", "", "", a], [a, "A", "", "", "", ""]]
    report = do_import(db, write_csv(tmp_path / "p.csv", HEADERS, rows))
    assert report.created == 3 and employee(db, c).supervisor.supervisor_id == employee(db, a).id


def test_a_row_with_more_cells_than_headers_is_rejected(db, tmp_path):
    a, b = pns(101), pns(102)
    rows = [
        [a, "Rapi", "III/a", "", "", ""],
        [b, "Bergeser", "III/a", "", "", "", "sel nyasar"],
        [pns(103), "Kosong di ujung", "III/a", "", "", "", "", ""],
    ]
    report = do_import(db, write_csv(tmp_path / "p.csv", HEADERS, rows))
    assert report.created == 2 and employee(db, b) is None
    [err] = report.rejected
    assert (err.row, err.column, err.value, err.code) == (3, "kolom G", "sel nyasar", "too_many_columns")


def test_gender_birth_date_and_status_must_agree_with_the_nip(db, tmp_path):
    male = pns(111, "L", birth=date(1980, 1, 2))
    headers = ["NIP", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Status", "Golongan"]
    rows = [
        [male, "Salah JK", "P", "", "", ""],
        [pns(112, birth=date(1980, 1, 3)), "Salah Tgl", "", "04-01-1980", "", ""],
        [pns(113), "Salah Status", "", "", "PPPK", ""],
        [pppk(114), "PPPK Gol PNS", "", "", "", "III/a"],
        [pns(115), "Tidak Dikenal", "X", "31-02-1980", "Honorer", ""],
        [pns(116, "P", birth=date(1983, 7, 9)), "Cocok", "Perempuan", "9 Juli 1983", "PNS", "III/a"],
    ]
    report = do_import(db, write_csv(tmp_path / "p.csv", headers, rows))
    assert report.created == 1
    got = sorted((e.row, e.column, e.code) for e in report.rejected)
    assert got == [
        (2, "Jenis Kelamin", "gender:mismatch"),
        (3, "Tanggal Lahir", "birth_date:mismatch"),
        (4, "Status", "status:mismatch"),
        (5, "Golongan", "golongan:invalid"),
        (6, "Jenis Kelamin", "gender:unknown"),
        (6, "Status", "status:unknown"),
        (6, "Tanggal Lahir", "birth_date:invalid"),
    ]
    assert report.rejected_rows == 5


def test_name_empty_and_too_long_values_are_rejected(db, tmp_path):
    rows = [
        [pns(121), "", "", "", "", ""],
        [pns(122), "N" * 201, "", "", "", ""],
        [pns(123), "Jabatan Panjang", "", "J" * 201, "", ""],
    ]
    report = do_import(db, write_csv(tmp_path / "p.csv", HEADERS, rows))
    assert report.created == 0
    assert sorted((e.row, e.column) for e in report.rejected) == [(2, "Nama"), (3, "Nama"), (4, "Jabatan")]


def test_an_unknown_position_kind_rejects_the_row(db, tmp_path):
    report = do_import(
        db,
        write_csv(
            tmp_path / "p.csv",
            ["NIP", "Nama", "Jabatan", "Jenis Jabatan"],
            [[pns(124), "A", "Jabatan Aneh", "Eselon Lima"]],
        ),
    )
    [err] = report.rejected
    assert (err.column, err.code, report.positions_created) == ("Jenis Jabatan", "position_kind:unknown", 0)


def test_a_dry_run_checks_everything_and_writes_nothing(db, tmp_path):
    headers, rows = small_roster()
    rows.append([pns(125), "Yatim", "III/a", "", "Unit Baru", pns(126)])
    path = write_csv(tmp_path / "p.csv", headers, rows)
    before = counts(db)
    report = do_import(db, path, dry_run=True)
    assert report.dry_run and (report.created, report.units_created, report.rejected_rows) == (4, 1, 1)
    assert counts(db) == before
    assert report.error_file == error_file_for(path) and report.error_file.exists()


def test_the_error_file_is_utf8_with_bom_and_a_clean_run_removes_a_stale_one(db, tmp_path):
    headers, rows = small_roster()
    rows[1][0] = "1986"
    path = write_csv(tmp_path / "daftar pegawai.csv", headers, rows)
    report = do_import(db, path)
    assert report.error_file == tmp_path / "daftar pegawai.galat.csv"
    raw = report.error_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + b"baris,kolom,nilai,alasan")
    rows[1][0] = pns(2)
    do_import(db, write_csv(path, headers, rows))
    assert not report.error_file.exists()


# --- bad input: files that cannot be used ---------------------------------------------------


def _unusable(db, path) -> str:
    before = counts(db)
    with pytest.raises(UnusableInput) as info:
        do_import(db, path)
    assert counts(db) == before
    assert not error_file_for(path).exists()
    return info.value.message


def test_an_empty_file_is_unusable_and_changes_nothing(db, tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")
    assert "kosong" in _unusable(db, path)


def test_a_binary_file_named_csv_is_unusable(db, tmp_path):
    path = tmp_path / "foto.csv"
    path.write_bytes(bytes(range(256)) * 40)
    assert "biner" in _unusable(db, path)


def test_an_xlsx_renamed_to_csv_and_a_csv_renamed_to_xlsx_are_unusable(db, tmp_path):
    headers, rows = small_roster()
    xlsx = write_xlsx(tmp_path / "a.xlsx", headers, rows)
    renamed = tmp_path / "a.csv"
    renamed.write_bytes(xlsx.read_bytes())
    assert ".xlsx" in _unusable(db, renamed)
    fake = tmp_path / "b.xlsx"
    fake.write_text("NIP,Nama\n", encoding="utf-8")
    assert "ZIP" in _unusable(db, fake)
    broken = tmp_path / "c.xlsx"
    broken.write_bytes(xlsx.read_bytes()[:300])
    _unusable(db, broken)


def test_missing_required_columns_and_other_extensions_are_unusable(db, tmp_path):
    path = write_csv(tmp_path / "p.csv", ["Nomor", "Nama"], [["1", "A"]])
    message = _unusable(db, path)
    assert "NIP" in message and "Nomor" in message
    other = tmp_path / "p.ods"
    other.write_bytes(b"PK\x03\x04")
    _unusable(db, other)
    with pytest.raises(UnusableInput):
        do_import(db, tmp_path / "tidak-ada.csv")


def test_a_failure_while_writing_rolls_everything_back(db, tmp_path):
    headers, rows = small_roster()
    with db.engine.begin() as conn:  # a real SQLite failure at the very end of the write
        conn.execute(
            text("CREATE TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        )
    before = counts(db)
    with pytest.raises(Exception, match="disk full"):
        do_import(db, write_csv(tmp_path / "p.csv", headers, rows))
    assert counts(db) == before


# --- titles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell,expected",
    [
        ("dr. Siti Aminah, M.Kes", ("dr.", "Siti Aminah", "M.Kes")),
        ("Drs. H. Ahmad Yani, M.Si", ("Drs. H.", "Ahmad Yani", "M.Si")),
        ("Prof. Dr. Ir. Bambang, M.Sc., Ph.D.", ("Prof. Dr. Ir.", "Bambang", "M.Sc., Ph.D.")),
        ("M. Yusuf", ("", "M. Yusuf", "")),
        ("Budi Santoso, S.Pd", ("", "Budi Santoso", "S.Pd")),
        ("  Rina   Wulandari ", ("", "Rina Wulandari", "")),
        ("Hj. Nurhayati", ("Hj.", "Nurhayati", "")),
    ],
)
def test_split_name(cell, expected):
    assert rc.split_name(cell) == expected


@pytest.mark.parametrize(
    "cell,expected",
    [
        ("dr., M.Kes", ("dr.", "M.Kes")),
        ("Drs. H.", ("Drs. H.", "")),
        ("S.E., M.M.", ("", "S.E., M.M.")),
        ("", ("", "")),
    ],
)
def test_split_titles(cell, expected):
    assert rc.split_titles(cell) == expected


def test_blank_rows_are_skipped_not_rejected(db, tmp_path):
    a, b = pns(131), pns(132)
    rows = [
        [a, "A", "", "", "", ""],
        ["", "", "", "", "", ""],
        ["  ", " ", "", "", "", ""],
        [],
        [b, "B", "", "", "", ""],
    ]
    report = do_import(db, write_csv(tmp_path / "p.csv", HEADERS, rows))
    assert (report.created, report.rejected) == (2, [])
    report = do_import(db, write_xlsx(tmp_path / "p.xlsx", HEADERS, [rows[0], [None] * 6, [], rows[4]]))
    assert (report.unchanged, report.rejected) == (2, [])


def test_the_roster_may_be_on_another_sheet_than_the_first(db, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Petunjuk"
    wb.active.append(["Isi daftar pegawai pada lembar berikutnya."])
    ws = wb.create_sheet("Data")
    ws.append(HEADERS)
    ws.append([pns(141), "Di Lembar Dua", "III/a", "", "", ""])
    wb.save(tmp_path / "p.xlsx")
    report = do_import(db, tmp_path / "p.xlsx")
    assert report.created == 1 and employee(db, pns(141)).name == "Di Lembar Dua"


def test_the_garbage_collector_is_back_on_after_an_import_good_or_bad(db, tmp_path):
    import gc

    headers, rows = small_roster()
    do_import(db, write_csv(tmp_path / "p.csv", headers, rows))
    assert gc.isenabled()
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    with pytest.raises(UnusableInput):
        do_import(db, empty)
    assert gc.isenabled()


def _indexes(db) -> list[tuple]:
    with db.engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        ).all()


def test_a_large_import_rebuilds_the_employee_indexes_exactly_as_they_were(db, tmp_path, monkeypatch):
    from kinerja_desktop.services.roster import write as roster_write

    monkeypatch.setattr(roster_write, "REBUILD_INDEXES_FROM", 1)  # the small roster counts as large
    before = _indexes(db)
    assert any(name.startswith("ix_employees_") for name, _t, _s in before)
    headers, rows = small_roster()
    report = do_import(db, write_csv(tmp_path / "p.csv", headers, rows))
    assert report.created == 4
    assert _indexes(db) == before
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN SELECT id FROM employees WHERE supervisor_id = 'x'").all()
    assert "INDEX" in str(plan)


def test_a_failure_after_the_indexes_were_dropped_restores_them(db, tmp_path, monkeypatch):
    from kinerja_desktop.services.roster import write as roster_write

    monkeypatch.setattr(roster_write, "REBUILD_INDEXES_FROM", 1)
    with db.engine.begin() as conn:  # fails on the first employee's audit entry: indexes are gone then
        conn.execute(
            text(
                "CREATE TRIGGER no_audit BEFORE INSERT ON audit_log WHEN NEW.table_name = 'employees' "
                "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
        )
    before, stored = _indexes(db), counts(db)
    headers, rows = small_roster()
    with pytest.raises(Exception, match="disk full"):
        do_import(db, write_csv(tmp_path / "p.csv", headers, rows))
    assert _indexes(db) == before and counts(db) == stored
