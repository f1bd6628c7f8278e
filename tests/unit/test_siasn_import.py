"""SIASN's data download imported as it is: columns by SIASN's names, units from UNOR, the
supervisor chain without NIP Atasan, later downloads as updates, and the bad input a real
download brings."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, Principal
from kinerja_desktop.services.progress import run
from kinerja_desktop.services.roster import columns as rc
from kinerja_desktop.services.roster.employees import input_from_employee, update_employee
from kinerja_desktop.services.roster.importer import error_file_for, import_roster
from kinerja_desktop.services.roster.siasn_sample import SIASN_COLUMNS, generate, later_download, write_download
from kinerja_desktop.store.models import AuditEntry, ChangeLog, Employee, Position, Unit

HR = Principal("kepegawaian", ADMIN_KEPEGAWAIAN)
N = 300


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return generate(N, seed=7)


def fresh(rows):
    return [dict(r) for r in rows]


def do_import(db, path, **kw):
    return run(import_roster(db, path, **kw))


def counts(db) -> dict[str, int]:
    with db.session() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m))
            for m in (Employee, Unit, Position, ChangeLog, AuditEntry)
        }


def by_nip(db, nip: str) -> Employee:
    with db.session() as s:
        emp = s.scalar(select(Employee).where(Employee.nip == nip))
        if emp is not None:
            _ = emp.unit, emp.position, emp.supervisor
            if emp.unit is not None:
                _ = emp.unit.parent
        return emp


def row_with(rows, **match) -> dict[str, str]:
    return next(r for r in rows if all(r[k] == v if not callable(v) else v(r[k]) for k, v in match.items()))


# --- reading the download -------------------------------------------------------------------


def test_the_pipe_file_imports_with_units_positions_golongan_and_a_chain(db, tmp_path, rows):
    path = write_download(tmp_path / "siasn.txt", rows)
    report = do_import(db, path)
    assert report.siasn and (report.created, report.rejected, report.warnings) == (N, [], [])
    sekda = row_with(rows, **{"JABATAN NAMA": "Sekretaris Daerah"})
    kadinkes = row_with(rows, **{"JABATAN NAMA": "Kepala Dinas Kesehatan"})
    kabid = row_with(rows, **{"JABATAN NAMA": lambda v: v.startswith("Kepala Bidang Pelayanan Kesehatan")})
    staff = row_with(rows, **{"UNOR NAMA": kabid["UNOR NAMA"], "JENIS JABATAN NAMA": lambda v: v != "Struktural"})

    e = by_nip(db, staff["NIP BARU"])
    # unit: the UNOR beneath its perangkat daerah, both with SIASN's ids
    assert e.unit.name == "Bidang Pelayanan Kesehatan" and e.unit.siasn_id == staff["UNOR ID"]
    assert e.unit.parent.name == "Dinas Kesehatan" and e.unit.parent.parent_id is None
    assert e.unit.parent.siasn_id == staff["SATUAN KERJA KERJA ID"] and e.unit.kind == "bidang"
    assert e.siasn_id == staff["PNS ID"] and e.golongan == staff["GOL AKHIR NAMA"]
    assert e.position.name == staff["JABATAN NAMA"] and e.kedudukan_hukum == "Aktif" and e.active
    assert e.gender == ("L" if staff["JENIS KELAMIN"] == "M" else "P")
    assert (e.front_title, e.name, e.back_title) == (staff["GELAR DEPAN"], staff["NAMA"], staff["GELAR BELAKANG"])
    # the chain: staff -> head of their unit -> head of the perangkat daerah -> Sekda -> nobody
    assert e.supervisor.nip == kabid["NIP BARU"]
    assert by_nip(db, kabid["NIP BARU"]).supervisor.nip == kadinkes["NIP BARU"]
    assert by_nip(db, kadinkes["NIP BARU"]).supervisor.nip == sekda["NIP BARU"]
    assert by_nip(db, sekda["NIP BARU"]).supervisor_id is None
    assert by_nip(db, kabid["NIP BARU"]).position.kind == "administrator"
    assert by_nip(db, sekda["NIP BARU"]).position.kind == "jpt"
    assert any(w[0] == sekda["NIP BARU"] and "Bupati" in w[3] for w in report.chain.without)
    view = next(u for u in report.chain.units if u.unit == "Bidang Pelayanan Kesehatan")
    assert kabid["NAMA"] in view.head and kadinkes["NAMA"] in view.head_evaluator and view.without == 0


def test_pppk_rows_get_their_number_golongan_and_status(db, tmp_path, rows):
    do_import(db, write_download(tmp_path / "siasn.txt", rows))
    pppk = row_with(rows, **{"JENIS PEGAWAI NAMA": "PPPK"})
    e = by_nip(db, pppk["NIP BARU"])
    assert (e.status, e.golongan) == ("PPPK", pppk["GOL AKHIR NAMA"]) and e.golongan in ("VII", "IX")


def test_every_column_is_accounted_for_and_personal_data_is_never_stored(db, tmp_path, rows):
    path = write_download(tmp_path / "siasn.txt", rows)
    report = do_import(db, path)
    assert [c.header for c in report.columns] == list(SIASN_COLUMNS)
    kinds = {c.header: c.kind for c in report.columns}
    for personal in ("NIK", "NOMOR HP", "EMAIL", "EMAIL GOV", "ALAMAT", "NPWP NOMOR", "AGAMA NAMA", "BPJS"):
        assert kinds[personal] == rc.PERSONAL
    assert all("UU PDP 27/2022" in c.note for c in report.columns if c.kind == rc.PERSONAL)
    assert all(c.note.startswith("diabaikan") for c in report.columns if c.kind != rc.USED)
    used = {c.header for c in report.columns if c.kind == rc.USED}
    assert {
        "PNS ID",
        "NIP BARU",
        "NAMA",
        "GOL AKHIR NAMA",
        "JABATAN NAMA",
        "UNOR NAMA",
        "UNOR ID",
        "SATUAN KERJA KERJA NAMA",
        "KEDUDUKAN HUKUM NAMA",
        "TANGGAL LAHIR",
        "JENIS KELAMIN",
    } <= used
    db.close()  # the file as it is on disk, write-ahead log included
    raw = b"".join(p.read_bytes() for p in db.path.parent.glob(db.path.name + "*"))
    for r in rows[:50]:
        for column in ("NIK", "NOMOR HP", "EMAIL", "ALAMAT", "NPWP NOMOR"):
            assert r[column].encode() not in raw, column


def test_the_same_columns_in_xlsx_give_the_same_roster(db, tmp_path, rows):
    report = do_import(db, write_download(tmp_path / "siasn.xlsx", rows))
    assert (report.created, report.rejected) == (N, [])
    again = do_import(db, write_download(tmp_path / "siasn.txt", rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, N)


def test_a_second_import_of_the_same_file_changes_nothing(db, tmp_path, rows):
    path = write_download(tmp_path / "siasn.txt", rows)
    do_import(db, path)
    before = counts(db)
    report = do_import(db, path)
    assert (report.created, report.updated, report.unchanged, report.units_created) == (0, 0, N, 0)
    assert counts(db) == before


# --- later downloads ------------------------------------------------------------------------


def test_a_later_download_is_grouped_and_applied_as_updates(db, tmp_path, rows):
    do_import(db, write_download(tmp_path / "a.txt", rows))
    later = later_download(rows, share=0.1, seed=3)
    preview = do_import(db, write_download(tmp_path / "b.txt", later), dry_run=True)
    groups = preview.changes.counts
    assert groups["baru"] == len(later) - N > 0
    assert groups["pindah"] > 0 and groups["naik_pangkat"] > 0 and groups["nonaktif"] > 0
    before = counts(db)
    assert counts(db) == before  # the preview wrote nothing
    report = do_import(db, tmp_path / "b.txt")
    assert report.changes.counts == groups
    retired = row_with(later, **{"KEDUDUKAN HUKUM NAMA": "Pensiun"})
    e = by_nip(db, retired["NIP BARU"])
    assert e is not None and not e.active and not e.deleted and e.kedudukan_hukum == "Pensiun"
    moved = next(i for i in report.changes.items["pindah"])
    new_row = row_with(later, **{"NIP BARU": moved.nip})
    assert by_nip(db, moved.nip).unit.siasn_id == new_row["UNOR ID"]
    promoted = report.changes.items["naik_pangkat"][0]
    assert by_nip(db, promoted.nip).golongan == row_with(later, **{"NIP BARU": promoted.nip})["GOL AKHIR NAMA"]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Employee)) == len(later)  # nobody deleted


def test_units_keep_their_identity_when_siasn_renames_them(db, tmp_path, rows):
    do_import(db, write_download(tmp_path / "a.txt", rows))
    renamed = fresh(rows)
    target = renamed[0]["UNOR ID"]
    for r in renamed:
        if r["UNOR ID"] == target:
            r["UNOR NAMA"] = r["UNOR NAMA"] + " (Baru)"
    before = counts(db)["units"]
    report = do_import(db, write_download(tmp_path / "b.txt", renamed))
    with db.session() as s:
        unit = s.scalar(select(Unit).where(Unit.siasn_id == target))
        assert unit.name.endswith("(Baru)")
    assert counts(db)["units"] == before and report.units_updated == 1 and report.units_created == 0


def test_a_changed_nip_is_matched_by_pns_id(db, tmp_path, rows):
    do_import(db, write_download(tmp_path / "a.txt", rows))
    changed = fresh(rows)
    person = next(r for r in changed if r["JENIS PEGAWAI NAMA"] == "PPPK")
    old_nip = person["NIP BARU"]
    # appointed PNS: a new number for the same person (same PNS ID)
    person["NIP BARU"] = "199001012025011" + old_nip[-3:]
    person["TANGGAL LAHIR"], person["JENIS KELAMIN"] = "01-01-1990", "M"
    person["JENIS PEGAWAI NAMA"], person["GOL AKHIR NAMA"], person["STATUS CPNS PNS"] = "PNS", "III/a", "C"
    report = do_import(db, write_download(tmp_path / "b.txt", changed))
    assert report.rejected == [] and report.created == 0
    assert by_nip(db, old_nip) is None
    e = by_nip(db, person["NIP BARU"])
    assert (e.siasn_id, e.status, e.golongan) == (person["PNS ID"], "PNS", "III/a")


# --- bad input ------------------------------------------------------------------------------


def _without(columns, *drop):
    return tuple(c for c in columns if c not in drop)


def test_a_missing_required_column_refuses_the_file_and_changes_nothing(db, tmp_path, rows):
    before = counts(db)
    path = write_download(tmp_path / "siasn.txt", rows, columns=_without(SIASN_COLUMNS, "NIP BARU"))
    with pytest.raises(UnusableInput, match="kolom wajib NIP"):
        do_import(db, path)
    assert counts(db) == before


def test_a_renamed_column_that_looks_like_a_field_is_an_error_never_a_silent_drop(db, tmp_path, rows):
    renamed = [{("GOLONGAN TERAKHIR (SIASN)" if k == "GOL AKHIR NAMA" else k): v for k, v in r.items()} for r in rows]
    columns = tuple("GOLONGAN TERAKHIR (SIASN)" if c == "GOL AKHIR NAMA" else c for c in SIASN_COLUMNS)
    before = counts(db)
    with pytest.raises(UnusableInput, match=r"GOLONGAN TERAKHIR \(SIASN\).*Golongan"):
        do_import(db, write_download(tmp_path / "siasn.txt", renamed, columns=columns))
    assert counts(db) == before
    # a harmless rename (case, spacing, punctuation) is the same column
    columns = tuple(c.lower().replace(" ", "_") for c in SIASN_COLUMNS)
    renamed = [{c.lower().replace(" ", "_"): v for c, v in r.items()} for r in rows]
    assert do_import(db, write_download(tmp_path / "b.txt", renamed, columns=columns)).created == N


def test_a_quoted_pipe_inside_a_name_stays_in_the_name(db, tmp_path, rows):
    changed = fresh(rows[:5])
    changed[0]["NAMA"] = "SITI | AMINAH"
    path = write_download(tmp_path / "siasn.txt", changed)
    assert b'"SITI | AMINAH"' in path.read_bytes()
    report = do_import(db, path)
    assert report.rejected == [] and by_nip(db, changed[0]["NIP BARU"]).name == "SITI | AMINAH"


def test_both_date_styles_are_read_and_a_wrong_date_is_named(db, tmp_path, rows):
    changed = fresh(rows[:4])
    iso = changed[1]["TANGGAL LAHIR"]
    changed[1]["TANGGAL LAHIR"] = f"{iso[6:]}-{iso[3:5]}-{iso[:2]}"  # yyyy-mm-dd
    changed[2]["TANGGAL LAHIR"] = "31-02-1980"
    report = do_import(db, write_download(tmp_path / "siasn.txt", changed))
    assert report.created == 3
    [err] = report.rejected
    assert (err.row, err.column, err.code) == (4, "TANGGAL LAHIR", "birth_date:invalid")


def test_windows_1252_names_are_read(db, tmp_path, rows):
    changed = fresh(rows[:3])
    changed[0]["NAMA"] = "ZOË ANDRÉ"
    path = write_download(tmp_path / "siasn.txt", changed, encoding="cp1252")
    assert do_import(db, path).rejected == []
    assert by_nip(db, changed[0]["NIP BARU"]).name == "ZOË ANDRÉ"


def test_duplicate_nip_or_pns_id_rejects_the_later_row(db, tmp_path, rows):
    changed = fresh(rows[:6])
    changed[3]["NIP BARU"] = changed[1]["NIP BARU"]
    changed[4]["PNS ID"] = changed[2]["PNS ID"]
    report = do_import(db, write_download(tmp_path / "siasn.txt", changed))
    got = sorted((e.row, e.column, e.code) for e in report.rejected)
    assert got == [(5, "NIP BARU", "duplicate"), (6, "PNS ID", "siasn_id:duplicate")]
    assert report.created == 4
    with error_file_for(tmp_path / "siasn.txt").open(encoding="utf-8-sig", newline="") as fh:
        listed = list(csv.DictReader(fh))
    assert [r["baris"] for r in listed] == ["5", "6"]


def _small_unit(rows, unor: str, heads: list[str], staff: int = 3) -> list[dict[str, str]]:
    """Rows of one new UNOR under Dinas Kesehatan: ``heads`` (structural titles) and staff."""
    kadis = row_with(rows, **{"JABATAN NAMA": "Kepala Dinas Kesehatan"})
    sekda = row_with(rows, **{"JABATAN NAMA": "Sekretaris Daerah"})
    base = [
        r
        for r in rows
        if r["JENIS JABATAN NAMA"] != "Struktural" and r["SATUAN KERJA KERJA NAMA"] != "Sekretariat Daerah"
    ][: len(heads) + staff]
    out = [dict(kadis), dict(sekda)]
    for i, r in enumerate(base):
        r = dict(
            r,
            **{
                "UNOR ID": "UJI-" + unor,
                "UNOR NAMA": unor,
                "SATUAN KERJA KERJA ID": kadis["SATUAN KERJA KERJA ID"],
                "SATUAN KERJA KERJA NAMA": "Dinas Kesehatan",
            },
        )
        if i < len(heads):
            r.update({"JABATAN NAMA": heads[i], "JENIS JABATAN NAMA": "Struktural"})
        out.append(r)
    return out


def test_a_unit_with_two_structural_heads_leaves_its_staff_without_and_says_so(db, tmp_path, rows):
    unit = _small_unit(rows, "Bidang Uji", ["Kepala Bidang Uji Satu", "Kepala Bidang Uji Dua"])
    report = do_import(db, write_download(tmp_path / "siasn.txt", unit))
    view = next(u for u in report.chain.units if u.unit == "Bidang Uji")
    assert view.problem and "dua pejabat struktural" in view.rule and view.head == ""
    staff = [r for r in unit[4:]]
    assert all(by_nip(db, r["NIP BARU"]).supervisor_id is None for r in staff)
    assert {w[0] for w in report.chain.without} >= {r["NIP BARU"] for r in staff}
    kadis = unit[0]["NIP BARU"]
    assert by_nip(db, unit[2]["NIP BARU"]).supervisor.nip == kadis  # the two heads: to the head above


def test_a_unit_without_a_head_goes_to_the_head_above_and_says_so(db, tmp_path, rows):
    unit = _small_unit(rows, "Seksi Tanpa Kepala", [])
    report = do_import(db, write_download(tmp_path / "siasn.txt", unit))
    view = next(u for u in report.chain.units if u.unit == "Seksi Tanpa Kepala")
    assert view.problem and "tanpa pejabat struktural" in view.rule and "Dinas Kesehatan" in view.rule
    kadis = unit[0]["NIP BARU"]
    assert all(by_nip(db, r["NIP BARU"]).supervisor.nip == kadis for r in unit[2:])


def test_a_link_hr_set_by_hand_is_kept_and_reported(db, tmp_path, rows):
    path = write_download(tmp_path / "siasn.txt", rows)
    do_import(db, path)
    staff = row_with(rows, **{"JENIS JABATAN NAMA": "Pelaksana"})
    sekda = row_with(rows, **{"JABATAN NAMA": "Sekretaris Daerah"})
    with db.transaction() as s:
        emp = s.scalar(select(Employee).where(Employee.nip == staff["NIP BARU"]))
        data = input_from_employee(emp)
        data.supervisor_id = s.scalar(select(Employee.id).where(Employee.nip == sekda["NIP BARU"]))
        update_employee(s, HR, emp.id, data)
    assert by_nip(db, staff["NIP BARU"]).supervisor_manual
    report = do_import(db, path)
    assert by_nip(db, staff["NIP BARU"]).supervisor.nip == sekda["NIP BARU"]
    [kept] = report.chain.kept_manual
    assert kept[0] == staff["NIP BARU"] and sekda["NAMA"] in kept[2]
    assert report.updated == 0


def test_a_loop_after_a_correction_leaves_the_derived_link_out_and_imports_the_row(db, tmp_path, rows):
    path = write_download(tmp_path / "siasn.txt", rows)
    do_import(db, path)
    kabid = row_with(rows, **{"JABATAN NAMA": "Kepala Bidang Pelayanan Kesehatan"})
    staff = row_with(rows, **{"UNOR NAMA": kabid["UNOR NAMA"], "JENIS JABATAN NAMA": lambda v: v != "Struktural"})
    with db.transaction() as s:  # HR: the kabid is evaluated by one of her staff (a correction gone wrong)
        emp = s.scalar(select(Employee).where(Employee.nip == kabid["NIP BARU"]))
        staff_emp = s.scalar(select(Employee).where(Employee.nip == staff["NIP BARU"]))
        staff_emp.supervisor_id = None
        s.flush()
        data = input_from_employee(emp)
        data.supervisor_id = staff_emp.id
        update_employee(s, HR, emp.id, data)
    report = do_import(db, path)
    assert report.rejected == []
    [warning] = report.warnings
    assert warning.code == "supervisor:derived_dropped" and "berputar" in warning.reason
    assert by_nip(db, staff["NIP BARU"]).supervisor_id is None  # not linked back into the loop
    assert by_nip(db, kabid["NIP BARU"]).supervisor.nip == staff["NIP BARU"]  # HR's link kept
    with error_file_for(path).open(encoding="utf-8-sig", newline="") as fh:
        assert any("berputar" in r["alasan"] for r in csv.DictReader(fh))


def test_an_incomplete_download_deactivates_absent_staff_only_when_told(db, tmp_path, rows):
    do_import(db, write_download(tmp_path / "all.txt", rows))
    part = rows[:-10]
    report = do_import(db, write_download(tmp_path / "part.txt", part))
    assert report.changes.counts["nonaktif"] == 0 and by_nip(db, rows[-1]["NIP BARU"]).active
    report = do_import(db, tmp_path / "part.txt", complete=True)
    assert report.changes.counts["nonaktif"] == 10
    gone = by_nip(db, rows[-1]["NIP BARU"])
    assert gone is not None and not gone.active and not gone.deleted


def test_kedudukan_other_than_aktif_makes_inactive_and_aktif_again_reactivates(db, tmp_path, rows):
    changed = fresh(rows[:5])
    changed[1]["KEDUDUKAN HUKUM NAMA"] = "Meninggal"
    do_import(db, write_download(tmp_path / "a.txt", changed))
    assert not by_nip(db, changed[1]["NIP BARU"]).active
    changed[1]["KEDUDUKAN HUKUM NAMA"] = "Aktif"
    report = do_import(db, write_download(tmp_path / "b.txt", changed))
    assert report.changes.counts["aktif_kembali"] == 1 and by_nip(db, changed[1]["NIP BARU"]).active


def test_a_nip_atasan_column_wins_over_the_derived_chain(db, tmp_path, rows):
    columns = SIASN_COLUMNS + ("NIP ATASAN",)
    changed = fresh(rows)
    sekda = row_with(changed, **{"JABATAN NAMA": "Sekretaris Daerah"})
    staff = row_with(changed, **{"JENIS JABATAN NAMA": "Pelaksana"})
    staff["NIP ATASAN"] = sekda["NIP BARU"]
    report = do_import(db, write_download(tmp_path / "siasn.txt", changed, columns=columns))
    assert report.rejected == []
    assert by_nip(db, staff["NIP BARU"]).supervisor.nip == sekda["NIP BARU"]
    other = row_with(changed, **{"JENIS JABATAN NAMA": "Pelaksana", "NIP BARU": lambda v: v != staff["NIP BARU"]})
    assert by_nip(db, other["NIP BARU"]).supervisor_id is not None  # empty cell: the derived chain


def test_the_command_line_summary_names_the_ignored_columns(db, tmp_path, rows, capsys):
    from kinerja_desktop.cli import main

    path = write_download(tmp_path / "siasn.txt", rows[:20])
    assert main(["--db", str(db.path), "roster", "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "diabaikan" in out and "NIK" in out and "UU PDP 27/2022" in out and "GOL AKHIR NAMA" in out
    assert "Baru: 20" in out


def test_birth_dates_must_still_agree_with_the_nip(db, tmp_path, rows):
    changed = fresh(rows[:2])
    birth = date(1970, 1, 1)
    changed[0]["TANGGAL LAHIR"] = birth.strftime("%d-%m-%Y")
    report = do_import(db, write_download(tmp_path / "siasn.txt", changed))
    [err] = report.rejected
    assert err.code == "birth_date:mismatch" and "01-01-1970" in err.reason
