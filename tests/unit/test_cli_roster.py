"""``kinerja roster import|export`` run in-process: summaries and exit codes 0, 2 and 3."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from roster_files import pns, small_roster, write_csv

from kinerja_desktop.cli import main
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.models import ChangeLog, Employee


def kinerja(tmp_path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


def stored(tmp_path) -> tuple[int, int]:
    """(employees, change log entries) in the data folder's database."""
    db = open_database(tmp_path / "data" / "kinerja.sqlite3")
    try:
        with db.session() as s:
            return (
                s.scalar(select(func.count()).select_from(Employee)),
                s.scalar(select(func.count()).select_from(ChangeLog)),
            )
    finally:
        db.close()


def test_import_prints_a_summary_and_exits_0(tmp_path, capsys):
    headers, rows = small_roster()
    path = write_csv(tmp_path / "pegawai.csv", headers, rows)
    assert kinerja(tmp_path, "roster", "import", str(path)) == 0
    out = capsys.readouterr().out
    assert "Impor selesai: 4 baru, 0 diperbarui, 0 tidak berubah, 0 ditolak." in out
    assert "Unit kerja baru: 1; unit kerja diperbarui: 0; jabatan baru: 4." in out
    assert "Kolom dipakai (6):" in out and "NIP Atasan: mengisi atasan langsung" in out
    assert stored(tmp_path)[0] == 4
    assert kinerja(tmp_path, "roster", "import", str(path)) == 0
    assert "0 baru, 0 diperbarui, 4 tidak berubah" in capsys.readouterr().out


def test_rejected_rows_exit_3_and_name_the_error_file(tmp_path, capsys):
    headers, rows = small_roster()
    rows.append([pns(99), "Yatim", "III/a", "", "", pns(98)])
    path = write_csv(tmp_path / "pegawai.csv", headers, rows)
    assert kinerja(tmp_path, "roster", "import", str(path)) == 3
    out = capsys.readouterr().out
    assert "4 baru, 0 diperbarui, 0 tidak berubah, 1 ditolak." in out
    assert f"Rincian baris yang ditolak atau diberi catatan: {tmp_path / 'pegawai.galat.csv'}" in out
    assert (tmp_path / "pegawai.galat.csv").exists()


def test_an_unusable_file_exits_2_and_changes_nothing(tmp_path, capsys):
    headers, rows = small_roster()
    kinerja(tmp_path, "roster", "import", str(write_csv(tmp_path / "ok.csv", headers, rows)))
    before = stored(tmp_path)
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    assert kinerja(tmp_path, "roster", "import", str(empty)) == 2
    assert "kosong" in capsys.readouterr().err
    binary = tmp_path / "biner.csv"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    assert kinerja(tmp_path, "roster", "import", str(binary)) == 2
    assert kinerja(tmp_path, "roster", "import", str(tmp_path / "tidak-ada.xlsx")) == 2
    assert stored(tmp_path) == before


def test_dry_run_reports_and_writes_nothing(tmp_path, capsys):
    headers, rows = small_roster()
    path = write_csv(tmp_path / "pegawai.csv", headers, rows)
    assert kinerja(tmp_path, "roster", "import", str(path), "--dry-run") == 0
    assert "Uji coba selesai, tidak ada yang disimpan: 4 akan dibuat" in capsys.readouterr().out
    assert stored(tmp_path) == (0, 0)


def test_export_by_extension_and_reimport(tmp_path, capsys):
    headers, rows = small_roster()
    kinerja(tmp_path, "roster", "import", str(write_csv(tmp_path / "pegawai.csv", headers, rows)))
    for name in ("ekspor.xlsx", "ekspor.csv"):
        assert kinerja(tmp_path, "roster", "export", str(tmp_path / name)) == 0
        assert f"Ekspor selesai: 4 pegawai ditulis ke {tmp_path / name}." in capsys.readouterr().out
        assert kinerja(tmp_path, "roster", "import", str(tmp_path / name)) == 0
        assert "0 baru, 0 diperbarui, 4 tidak berubah, 0 ditolak." in capsys.readouterr().out
    assert kinerja(tmp_path, "roster", "export", str(tmp_path / "ekspor.pdf")) == 2
    assert ".csv atau .xlsx" in capsys.readouterr().err
    assert not (tmp_path / "ekspor.pdf").exists()


def test_export_without_a_database_exits_2(tmp_path, capsys):
    assert kinerja(tmp_path, "roster", "export", str(tmp_path / "e.csv")) == 2
    assert not (tmp_path / "e.csv").exists()
