"""Export of evaluations (CSV/XLSX): fixed first columns, newest versions, frozen identities."""

from __future__ import annotations

import argparse
import csv
from datetime import date, datetime

import openpyxl
import pytest

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.performance import evaluations as ev_svc
from kinerja_desktop.services.performance.evaluation_export import COLUMNS, export_evaluations
from kinerja_desktop.services.progress import run
from kinerja_desktop.store.models import Employee

FIRST = [
    "nip",
    "nama",
    "unit",
    "periode",
    "rating_hasil_kerja",
    "rating_perilaku_kerja",
    "predikat",
    "status",
    "nip_pejabat_penilai",
    "tanggal_final",
]
XLSX_FIRST = [
    "NIP",
    "Nama",
    "Unit Kerja",
    "Periode",
    "Rating Hasil Kerja",
    "Rating Perilaku Kerja",
    "Predikat",
    "Status",
    "NIP Pejabat Penilai",
    "Tanggal Final",
]


@pytest.fixture
def evaluated(db, office, perf):
    """staf1: annual final then revised (draft rev 1) ; staf2: annual final ; staf1 TW1 draft."""
    with db.transaction() as s:
        perf.agreed_skp(s, SYSTEM, office.staf1)
        perf.agreed_skp(s, SYSTEM, office.staf2)
        out = {}
        for emp, (h, p) in (
            (office.staf1, ("Di Bawah Ekspektasi", "Sesuai Ekspektasi")),
            (office.staf2, ("Di Atas Ekspektasi", "Di Atas Ekspektasi")),
        ):
            ev = ev_svc.start_evaluation(s, office.kabid_p, emp, perf.period_id(s))
            ev = ev_svc.save_evaluation(
                s,
                office.kabid_p,
                ev.id,
                ev_svc.EvaluationForm(h, p, perf.fill_realisasi(s, ev.id)),
                expected_hlc=ev.updated_hlc,
            )
            ev_svc.finalize_evaluation(s, office.kabid_p, ev.id, expected_hlc=ev.updated_hlc, today=date(2027, 1, 7))
            out[emp] = ev.id
        rev = ev_svc.revise_evaluation(s, office.kabid_p, out[office.staf1], "salah")
        ev_svc.save_evaluation(
            s,
            office.kabid_p,
            rev.id,
            ev_svc.EvaluationForm("Sesuai Ekspektasi", "Sesuai Ekspektasi", rev.realisasi),
            expected_hlc=rev.updated_hlc,
        )
        ev_svc.start_evaluation(s, office.kabid_p, office.staf1, perf.period_id(s, "triwulan", 1))
        # the roster changes after the final day
        s.get(Employee, office.staf2).name = "Staf Dua Ganti Nama"
    return out


def _csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_csv_has_the_fixed_columns_first_and_one_row_per_evaluation(db, office, evaluated, tmp_path):
    target = tmp_path / "evaluasi.csv"
    with db.session() as s:
        n = run(export_evaluations(s, SYSTEM, target, 2026))
    rows = _csv(target)
    assert rows[0][:10] == FIRST and tuple(rows[0]) == COLUMNS
    assert n == len(rows) - 1 == 3  # staf1 TW1, staf1 annual (newest version), staf2 annual
    body = [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]
    assert [(r["periode"], r["nama"]) for r in body] == [
        ("Triwulan I 2026", "Staf Satu"),
        ("Akhir 2026", "Staf Dua"),
        ("Akhir 2026", "Staf Satu"),
    ]
    tw1, staf2, staf1 = body
    with db.session() as s:
        kabid_nip = s.get(Employee, office.kabid).nip
        staf1_nip = s.get(Employee, office.staf1).nip
    # a final evaluation: the identities of its final day (the rename came later)
    assert staf2 | {"id_evaluasi": ""} == staf2 | {
        "unit": "Bidang Satu",
        "rating_hasil_kerja": "Di Atas Ekspektasi",
        "rating_perilaku_kerja": "Di Atas Ekspektasi",
        "predikat": "Sangat Baik",
        "status": "final",
        "nip_pejabat_penilai": kabid_nip,
        "tanggal_final": "2027-01-07",
        "kode_periode": "AKHIR",
        "jenis": "tahunan",
        "revisi": "0",
        "id_evaluasi": "",
    }
    # the newest version of staf1's annual evaluation is the revision draft
    assert (
        staf1["nip"],
        staf1["status"],
        staf1["predikat"],
        staf1["revisi"],
        staf1["alasan_revisi"],
        staf1["tanggal_final"],
    ) == (staf1_nip, "draf", "Baik", "1", "salah", "")
    assert (tw1["status"], tw1["rating_hasil_kerja"], tw1["predikat"], tw1["nip_pejabat_penilai"]) == (
        "draf",
        "",
        "",
        kabid_nip,
    )


def test_one_period_and_xlsx_give_the_same_rows(db, office, perf, evaluated, tmp_path):
    with db.session() as s:
        akhir = perf.period_id(s)
        run(export_evaluations(s, SYSTEM, tmp_path / "a.csv", 2026, akhir))
        run(export_evaluations(s, SYSTEM, tmp_path / "a.xlsx", 2026, akhir))
    csv_rows = _csv(tmp_path / "a.csv")
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx", read_only=True)
    xlsx_rows = [
        ["" if v is None else v.date().isoformat() if isinstance(v, datetime) else str(v) for v in row]
        for row in wb.active.iter_rows(values_only=True)
    ]
    wb.close()
    assert len(csv_rows) == 3 and {r[3] for r in csv_rows[1:]} == {"Akhir 2026"}
    assert xlsx_rows[1:] == csv_rows[1:]
    # CSV for programs (fixed names), XLSX for people (Indonesian headers)
    assert xlsx_rows[0][:10] == XLSX_FIRST


def test_a_supervisor_exports_only_their_chain(db, office, evaluated, tmp_path):
    with db.session() as s:
        assert run(export_evaluations(s, office.outsider_p, tmp_path / "x.csv", 2026)) == 0
        assert run(export_evaluations(s, office.kabid_p, tmp_path / "y.csv", 2026)) == 3


def test_a_wrong_target_is_refused_before_anything_is_written(db, office, tmp_path):
    with db.session() as s:
        with pytest.raises(UnusableInput, match=r"\.csv atau \.xlsx"):
            run(export_evaluations(s, SYSTEM, tmp_path / "a.pdf", 2026))
        with pytest.raises(UnusableInput, match="tidak ada"):
            run(export_evaluations(s, SYSTEM, tmp_path / "no" / "a.csv", 2026))
    assert list(tmp_path.iterdir()) == [tmp_path / "kinerja-home"]


def _cli(argv):
    from kinerja_desktop.cli import export

    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    export.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.handler(args)


def test_command_line_export(db, office, evaluated, tmp_path, capsys):
    target = tmp_path / "hasil.xlsx"
    assert _cli(["--db", str(db.path), "export", "evaluations", str(target), "--year", "2026", "--period", "tw1"]) == 0
    assert "1 evaluasi diekspor" in capsys.readouterr().out
    wb = openpyxl.load_workbook(target, read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    wb.close()
    assert list(rows[0][:10]) == XLSX_FIRST and rows[1][3] == "Triwulan I 2026"
    with pytest.raises(UnusableInput, match="Periode 'S3' tidak ada pada tahun 2026"):
        _cli(["--db", str(db.path), "export", "evaluations", str(target), "--year", "2026", "--period", "S3"])
    with pytest.raises(UnusableInput, match="Belum ada periode penilaian tahun 2030"):
        _cli(["--db", str(db.path), "export", "evaluations", str(target), "--year", "2030"])


def test_kinerja_export_evaluations_exit_codes(db, office, evaluated, tmp_path, capsys):
    from kinerja_desktop.cli import main

    target = tmp_path / "semua.csv"
    assert main(["--db", str(db.path), "export", "evaluations", str(target), "--year", "2026"]) == 0
    assert len(_csv(target)) == 4
    assert main(["--db", str(db.path), "export", "evaluations", str(tmp_path / "x.pdf"), "--year", "2026"]) == 2
    assert main(["--db", str(db.path), "export", "evaluations", str(target), "--year", "2026", "--period", "B13"]) == 2
    assert "Periode 'B13' tidak ada" in capsys.readouterr().err
