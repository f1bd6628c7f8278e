"""Exports from the window: what is shown (the filter applied), said plainly; XLSX by default;
CSV with ',' or ';'; the save dialog in the export folder."""

from __future__ import annotations

import csv
from pathlib import Path

from kinerja_desktop.ui.dialogs import export as export_ui
from tests.ui.conftest import sign_in_as


def test_the_options_dialog_defaults_to_xlsx_and_offers_a_semicolon_csv(qtbot):
    dialog = export_ui.ExportOptionsDialog("Ekspor", "Yang diekspor: 3 pegawai.")
    qtbot.addWidget(dialog)
    assert dialog.choice() == export_ui.ExportChoice(".xlsx") and not dialog.delimiter.isEnabled()
    dialog.csv.setChecked(True)
    assert dialog.delimiter.isEnabled()
    dialog.delimiter.setCurrentIndex(dialog.delimiter.findData(";"))
    assert dialog.choice() == export_ui.ExportChoice(".csv", ";")
    assert dialog.scope.text() == "Yang diekspor: 3 pegawai."


def test_the_roster_export_writes_what_the_page_shows(qtbot, make_window, demo_db, tmp_path, monkeypatch):
    from kinerja_desktop.services.settings import get_export_folder

    window = make_window(demo_db, sign_in_as(demo_db, "kepegawaian"), page="employees")
    page = window.pages["employees"]
    qtbot.waitUntil(lambda: not page.model.busy, timeout=5000)
    page.status_filter.setCurrentIndex(page.status_filter.findData("PPPK"))
    qtbot.waitUntil(
        lambda: page.model.filter.status == "PPPK" and page.model.total is not None and not page.model.busy,
        timeout=5000,
    )
    shown = page.model.total
    assert 0 < shown < 300

    asked, told = [], []
    with demo_db.session() as s:
        folder = get_export_folder(s)

    def fake_ask(parent, title, scope, start, stem):
        asked.append((scope, start, stem))
        return tmp_path / "pppk.csv", export_ui.ExportChoice(".csv", ";")

    monkeypatch.setattr(export_ui, "ask_export", fake_ask)
    monkeypatch.setattr(export_ui, "tell_exported", lambda parent, text, path: told.append(text))
    page.export_file()
    qtbot.waitUntil(lambda: bool(told), timeout=10000)
    scope, start, stem = asked[0]
    assert f"{shown} pegawai, sesuai yang tampil di layar" in scope and "status PPPK" in scope
    assert start == folder and stem == "pegawai"
    assert told == [f"{shown} pegawai diekspor ke {tmp_path / 'pppk.csv'}."]
    raw = (tmp_path / "pppk.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (tmp_path / "pppk.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert len(rows) == shown and {r["Status"] for r in rows} == {"PPPK"}


def test_the_scope_says_plainly_when_everything_is_exported():
    from kinerja_desktop.services.roster.query import RosterFilter

    assert (
        export_ui.roster_scope(2000, RosterFilter(active=None))
        == "Yang diekspor: semua 2.000 pegawai (aktif dan tidak aktif)."
    )
    text = export_ui.roster_scope(266, RosterFilter(unit_id="x", golongan="III/a"), "Dinas Kesehatan")
    assert "266 pegawai" in text and "Dinas Kesehatan" in text and "golongan III/a" in text


def test_the_save_dialog_starts_in_the_export_folder(qtbot, monkeypatch, tmp_path):
    seen = []

    def fake_save(parent, title, start, filters):
        seen.append((start, filters))
        return str(tmp_path / "keluar"), filters

    monkeypatch.setattr(export_ui.QFileDialog, "getSaveFileName", staticmethod(fake_save))
    path = export_ui.choose_export_path(None, tmp_path / "ekspor", "pegawai", ".csv")
    assert Path(seen[0][0]).parent == tmp_path / "ekspor" and seen[0][0].endswith(".csv")
    assert path == tmp_path / "keluar.csv"
