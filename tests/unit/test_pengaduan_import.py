"""Importing complaints from SP4N-LAPOR! and spreadsheet exports; the pengaduan commands."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from kinerja_desktop.cli import main
from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.services.pengaduan import cases as reg
from kinerja_desktop.services.pengaduan.catalog import save_service
from kinerja_desktop.services.pengaduan.importer import guess_mapping, import_complaints, preview
from kinerja_desktop.services.progress import run
from kinerja_desktop.store.pengaduan import Complaint
from kinerja_desktop.store.site import Site

LAPOR_HEADERS = [
    "Tracking ID",
    "Tanggal Laporan",
    "Judul",
    "Isi Laporan",
    "Kategori",
    "Lokasi",
    "Skor Rahasia",
    "Instansi Tujuan",
]


@pytest.fixture
def desk(db, office):
    with db.transaction() as s:
        s.scalar(select(Site).where(Site.is_local.is_(True))).unit_code = "DINAS-X"
        save_service(s, office.hr, unit_id=office.bidang, code="KTP-EL", name="KTP-el")
    return office


def _write_csv(path, rows, headers=LAPOR_HEADERS):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(headers)
        w.writerows(rows)
    return path


def _rows():
    future = (reg.now_wib() + timedelta(days=3)).strftime("%d/%m/%Y %H:%M")
    return [
        ["LAPOR-001", "02/03/2026 09:15", "KTP lama", "KTP-el belum jadi", "KTP-el", "Muara Bulian", "x", "DINAS-X-B1"],
        ["LAPOR-002", "2026-03-03 10:00", "Antrean", "Antrean lama di loket", "KTP-el", "", "x", ""],
        ["LAPOR-001", "04/03/2026 08:00", "Dobel", "Baris ganda", "KTP-el", "", "x", ""],
        ["LAPOR-003", future, "Masa depan", "Tanggal salah ketik", "KTP-el", "", "x", ""],
        ["LAPOR-004", "31/02/2026", "Tanggal", "Tanggal tidak ada", "KTP-el", "", "x", ""],
        ["LAPOR-005", "05/03/2026", "Unit", "Unit lain", "KTP-el", "", "x", "KEC-LAIN"],
        ["LAPOR-006", "06/03/2026 7.30", "Kosong", "", "", "", "x", "DINAS-X-B1"],
    ]


def test_lapor_csv_import_keeps_the_valid_rows_and_reports_the_rest(db, desk, tmp_path):
    path = _write_csv(tmp_path / "lapor.csv", _rows())
    p = preview(path)
    assert p.unknown == ["Skor Rahasia"]
    assert set(p.mapping.values()) == {
        "channel_ref",
        "received_at",
        "title",
        "description",
        "service",
        "location",
        "unit",
    }
    with db.transaction() as s:
        report = run(import_complaints(s, desk.hr, path, mapping=p.mapping))
    assert report.created == 3  # 001, 002 and 006 (the title stands in for an empty description)
    reasons = {e.row: e.reason for e in report.rejected}
    assert "lebih dari sekali" in reasons[4]
    assert "masa depan" in reasons[5]
    assert "tidak ada di kalender" in reasons[6]
    assert "tidak ada di kantor ini" in reasons[7]
    assert report.ignored_columns == ["Skor Rahasia"]
    assert report.error_file.exists() and "LAPOR-001" in report.error_file.read_text(encoding="utf-8-sig")
    with db.session() as s:
        got = {c.channel_ref: c for c in s.scalars(select(Complaint))}
        assert set(got) == {"LAPOR-001", "LAPOR-002", "LAPOR-006"}
        assert got["LAPOR-001"].channel == "lapor" and got["LAPOR-001"].received_at == datetime(2026, 3, 2, 9, 15)
        assert got["LAPOR-001"].description == "KTP lama\nKTP-el belum jadi"
        assert got["LAPOR-006"].received_at == datetime(2026, 3, 6, 7, 30)
    # Importing the same file again: every reference is a duplicate, nothing is added.
    with db.transaction() as s:
        again = run(import_complaints(s, desk.hr, path))
    assert again.created == 0 and all(
        "sudah ada" in e.reason
        or "masa depan" in e.reason
        or "kalender" in e.reason
        or "kantor ini" in e.reason
        or "lebih dari sekali" in e.reason
        for e in again.rejected
    )
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Complaint)) == 3


def test_xlsx_with_a_mapping_chosen_by_hand(db, desk, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Kode", "Masuk", "Cerita warga", "Jenis"])
    ws.append(["SRT-9", datetime(2026, 5, 4, 13, 5), "Surat tentang akta", "KTP-el"])
    path = tmp_path / "surat.xlsx"
    wb.save(path)
    p = preview(path)  # no heading it knows: every column waits for the person's mapping
    assert p.mapping == {} and p.unknown == ["Kode", "Masuk", "Cerita warga", "Jenis"]
    with db.transaction() as s, pytest.raises(UnusableInput, match="belum ditentukan"):
        run(import_complaints(s, desk.hr, path, mapping={0: "channel_ref"}, channel="surat"))
    mapping = {0: "channel_ref", 1: "received_at", 2: "description", 3: "service"}
    with db.transaction() as s:
        report = run(import_complaints(s, desk.hr, path, mapping=mapping, channel="surat"))
    assert report.created == 1 and not report.rejected
    with db.session() as s:
        row = s.scalar(select(Complaint))
        assert (row.channel, row.channel_ref, row.received_at) == ("surat", "SRT-9", datetime(2026, 5, 4, 13, 5))
    assert guess_mapping(["Nomor rujukan", "Tanggal diterima", "Uraian"]) == {
        0: "channel_ref",
        1: "received_at",
        2: "description",
    }


def test_xlsx_import_through_a_recognised_header(db, desk, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Nomor rujukan", "Tanggal diterima", "Uraian", "Layanan", "Saluran"])
    ws.append(["WA-1", datetime(2026, 5, 4, 13, 5), "<b>Pesan</b> WhatsApp", "KTP-el", "WhatsApp"])
    ws.append(["WA-2", datetime(2026, 5, 4, 14, 0), "Saluran aneh", "KTP-el", "merpati pos"])
    path = tmp_path / "wa.xlsx"
    wb.save(path)
    with db.transaction() as s:
        report = run(import_complaints(s, desk.hr, path))
    assert report.created == 1 and [e.reason for e in report.rejected] == ["saluran tidak dikenal"]
    with db.session() as s:
        row = s.scalar(select(Complaint))
        assert (row.channel, row.description) == ("whatsapp", "<b>Pesan</b> WhatsApp")


def test_pengaduan_commands(db, desk, tmp_path, capsys, data_home):
    path = _write_csv(tmp_path / "lapor.csv", _rows())
    target = str(data_home / "kinerja.sqlite3")
    assert main(["--db", target, "pengaduan", "import", str(path), "--dry-run"]) == 3
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Complaint)) == 0
    assert main(["--db", target, "pengaduan", "import", str(path)]) == 3
    out = capsys.readouterr().out
    assert "3 pengaduan dicatat" in out and "Skor Rahasia" in out
    xlsx = tmp_path / "register.xlsx"
    assert main(["--db", target, "pengaduan", "export", str(xlsx), "--year", "2026"]) == 0
    sheet = load_workbook(xlsx, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Nomor tiket" and len(rows) == 4
    assert all("0812" not in str(v) for r in rows for v in r)
    assert main(["--db", target, "pengaduan", "recap", "--unit", "DINAS-X", "--period", "2026-TW1"]) == 0
    out = capsys.readouterr().out
    assert "Rekap penanganan pengaduan Dinas Contoh" in out and "Staf Satu" in out
    assert main(["--db", target, "pengaduan", "recap", "--unit", "TIDAK-ADA", "--period", "2026"]) == 2
    assert main(["--db", target, "pengaduan", "recap", "--unit", "DINAS-X", "--period", "kemarin"]) == 2
    assert main(["--db", target, "pengaduan", "export", str(tmp_path / "x.txt"), "--year", "2026"]) == 2
    assert main(["--db", target, "pengaduan", "erase-contacts", "--days", "30"]) == 0  # none settled yet
    assert "dari 0 pengaduan" in capsys.readouterr().out
