"""Import wizard: choose a file, see the rejected rows and why, import, read the summary."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from kinerja_desktop.ui.theme import error_background
from tests.ui.conftest import sign_in_as

CSV = """NIP;Nama;Golongan;Jabatan;Unit Kerja
198609262015051001;Budi Santoso;III/b;Analis Kepegawaian Ahli Pertama;BKPSDM Uji
198609262015131002;Salah Bulan;III/a;Pengadministrasi Umum;BKPSDM Uji
1.98609262015051E+17;Angka Excel;III/a;Pengadministrasi Umum;BKPSDM Uji
199001152015052003;Siti Rahmawati;III/c;Analis Kepegawaian Ahli Muda;BKPSDM Uji
"""


def _wizard(qtbot, ctx_for, db, path):
    from kinerja_desktop.ui.dialogs.import_wizard import ImportWizard

    ctx = ctx_for(db, sign_in_as(db, "kepegawaian"))
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.keyClicks(wizard.choose.path, str(path))
    return wizard


def test_preview_highlights_bad_rows_then_imports_the_good_ones(qtbot, ctx_for, demo_db, tmp_path):
    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.services.roster.query import RosterFilter, count_employees

    path = tmp_path / "pegawai.csv"
    path.write_text(CSV, encoding="utf-8")
    with demo_db.session() as s:
        before = count_employees(s, SYSTEM, RosterFilter())
    wizard = _wizard(qtbot, ctx_for, demo_db, path)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)

    preview = wizard.preview
    assert preview.report is not None and preview.report.dry_run
    assert "akan ditambahkan: 2 pegawai" in preview.summary.text()
    assert "ditolak: 2 baris" in preview.summary.text()
    table = preview.table
    assert table is not None and table.rowCount() == 2
    rows = {table.item(r, 0).text(): table.item(r, 3).text() for r in range(table.rowCount())}
    assert "bulan 13" in rows["3"] and "Excel" in rows["4"]
    tint = error_background(table.palette())
    assert all(table.item(r, c).background().color() == tint for r in range(2) for c in range(4))
    with demo_db.session() as s:
        assert count_employees(s, SYSTEM, RosterFilter()) == before, "the preview changes nothing"

    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert commit.isVisible() and commit.text() == "Impor"
    qtbot.mouseClick(commit, Qt.MouseButton.LeftButton)
    result = wizard.result_page
    assert result.report is not None and not result.report.dry_run
    assert "ditambahkan: 2 pegawai" in result.summary.text()
    assert result.error_file_button.isVisible()
    assert result.report.error_file.exists()
    assert wizard.imported
    with demo_db.session() as s:
        assert count_employees(s, SYSTEM, RosterFilter()) == before + 2


def test_a_file_without_the_required_columns_is_explained(qtbot, ctx_for, demo_db, tmp_path):
    path = tmp_path / "bukan.csv"
    path.write_text("Foo;Bar\n1;2\n", encoding="utf-8")
    wizard = _wizard(qtbot, ctx_for, demo_db, path)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    preview = wizard.preview
    assert preview.problem.isVisible() and "kolom wajib" in preview.problem.text()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()


def test_export_then_preview_the_same_file_changes_nothing(qtbot, ctx_for, demo_db, tmp_path):
    from kinerja_desktop.ui.dialogs.export import export_roster_to

    ctx = ctx_for(demo_db, sign_in_as(demo_db, "kepegawaian"))
    path = tmp_path / "pegawai.xlsx"
    report = export_roster_to(ctx, path)
    assert report is not None and report.rows == 300 and path.exists()
    wizard = _wizard(qtbot, ctx_for, demo_db, path)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    preview = wizard.preview.report
    assert (preview.created, preview.updated, preview.unchanged, preview.rejected_rows) == (0, 0, 300, 0)
    assert "Tidak ada yang perlu diimpor" in wizard.preview.rejected_label.text()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled(), "nothing to import"


def test_a_siasn_download_shows_columns_and_chain_before_anything_is_written(qtbot, ctx_for, demo_db, tmp_path):
    from PySide6.QtWidgets import QCheckBox, QTableWidget, QTreeWidget

    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.services.roster.query import RosterFilter, count_employees
    from kinerja_desktop.services.roster.siasn_sample import generate, write_download

    path = write_download(tmp_path / "siasn.txt", generate(150, seed=21))
    with demo_db.session() as s:
        before = count_employees(s, SYSTEM, RosterFilter(active=None))
    wizard = _wizard(qtbot, ctx_for, demo_db, path)
    assert not wizard.choose.complete_box.isChecked(), "absent staff stay active unless the file is complete"
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    preview = wizard.preview
    tabs = preview.tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert titles[0] == "Perubahan" and titles[1] == "Kolom (67)" and titles[2].startswith("Rantai atasan")
    columns = tabs.widget(1).findChild(QTableWidget, "columnsTable")
    by_title = {
        columns.item(r, 1).text(): (columns.item(r, 2).text(), columns.item(r, 3).text())
        for r in range(columns.rowCount())
    }
    assert by_title["NIK"][0] == "data pribadi, tidak disimpan" and "UU PDP 27/2022" in by_title["NIK"][1]
    assert by_title["GOL AKHIR NAMA"] == ("dipakai", "mengisi golongan")
    chain = tabs.widget(2).findChild(QTreeWidget, "chainTree")
    assert chain.topLevelItemCount() > 5
    changes = tabs.widget(0)
    assert changes.topLevelItem(0).text(0) == "Baru (150)"
    with demo_db.session() as s:
        assert count_employees(s, SYSTEM, RosterFilter(active=None)) == before, "the preview changes nothing"
    problems = tabs.widget(2).findChild(QCheckBox, "onlyProblems")
    if problems is not None:
        problems.setChecked(True)
        visible = [
            chain.topLevelItem(i) for i in range(chain.topLevelItemCount()) if not chain.topLevelItem(i).isHidden()
        ]
        assert visible and len(visible) < chain.topLevelItemCount()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
    result = wizard.result_page
    assert result.report.created == 150 and "Pejabat penilai:" in result.chain_label.text()
    assert wizard.ctx.bus.history()[-1] >= {"employees"}
