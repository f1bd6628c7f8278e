"""Penilaian Kinerja in the window: the grid, the editors (predikat live), the chart, Beranda."""

from __future__ import annotations

import random
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from tests.ui.conftest import settle, sign_in_as

TODAY = date(2026, 11, 28)


@pytest.fixture
def perf_db(demo_db):
    """The demo district with a year of performance data (added here unless the demo has it)."""
    from kinerja_desktop.services.demo.performance import add_performance_demo
    from kinerja_desktop.services.performance.periods import years_with_periods

    with demo_db.transaction() as s:
        if not years_with_periods(s):
            add_performance_demo(s, random.Random(1504), 2026, today=TODAY)
    return demo_db


@pytest.fixture
def yes(monkeypatch):
    """Answer every question box with Yes."""
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))


def _penilaian(qtbot, make_window, db, username):
    principal = sign_in_as(db, username)
    window = make_window(db, principal, page="penilaian")
    page = window.pages["penilaian"]
    page.today_fn = lambda: TODAY
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and not page.model.busy, timeout=10000)
    return window, page, principal


def _texts(page, column):
    return [page.model.index(r, column).data() for r in range(page.model.rowCount())]


def test_supervisor_sees_subordinates_by_periods_with_status(qtbot, make_window, perf_db):
    from kinerja_desktop.store.models import Employee

    window, page, principal = _penilaian(qtbot, make_window, perf_db, "penilai")
    with perf_db.session() as s:
        direct = s.scalars(
            select(Employee.id).where(Employee.supervisor_id == principal.employee_id, Employee.active.is_(True))
        ).all()
    assert page.model.total == len(direct)
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())]
    assert headers == [
        "NIP",
        "Nama pegawai",
        "Unit kerja",
        "SKP",
        "Triwulan I",
        "Triwulan II",
        "Triwulan III",
        "Triwulan IV",
        "Akhir",
    ]
    cells = [t for c in range(4, 9) for t in _texts(page, c)]
    assert any(t.startswith("✓ ") for t in cells)  # final
    assert any("✎" in t for t in cells)  # draf
    assert any("belum dibuat" in t for t in cells)
    assert any(t.startswith("⚠") for t in cells)  # overdue (Triwulan I-III are past their deadline)
    assert not any(t.startswith("⚠") for t in _texts(page, 7))  # Triwulan IV is not due yet
    legend = page.findChild(type(page.count_label), "penilaianLegend")
    assert legend.isVisible() and "⚠ lewat batas pengisian" in legend.text()
    page.scope_combo.setCurrentIndex(1)  # everyone below
    qtbot.waitUntil(lambda: not page.model.direct_only and not page.model.busy, timeout=10000)
    assert page.model.total > len(direct)
    assert page.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) is None
    assert "Klik dua kali" in page.model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole)


def test_hr_filters_by_unit_and_name(qtbot, make_window, perf_db):
    window, page, _p = _penilaian(qtbot, make_window, perf_db, "kepegawaian")
    assert page.model.total == 300
    assert page.unit_filter.isVisible() and not page.scope_combo.isVisible()
    name = _texts(page, 1)[0]
    word = max(name.replace(",", " ").split(), key=len)
    qtbot.keyClicks(page.search, word)
    page.search_throttle.flush()
    qtbot.waitUntil(lambda: page.model.search == word and not page.model.busy, timeout=10000)
    assert 0 < page.model.total < 300 and all(word.lower() in n.lower() for n in _texts(page, 1))


def _draft_for(db, supervisor_id, *, rated=True):
    from kinerja_desktop.store.models import Employee, Evaluation

    with db.session() as s:
        q = (
            select(Evaluation)
            .join(Employee, Employee.id == Evaluation.employee_id)
            .where(Employee.supervisor_id == supervisor_id, Evaluation.status == "draft", Evaluation.kind == "periodik")
        )
        if rated:
            q = q.where(Evaluation.rating_perilaku_kerja.is_not(None))
        return s.scalar(q.limit(1))


def test_evaluation_editor_shows_the_predikat_live_and_finalizes(qtbot, ctx_for, perf_db, yes):
    from kinerja_desktop.domain.predikat import Rating
    from kinerja_desktop.store.models import Evaluation
    from kinerja_desktop.ui.dialogs.evaluation_editor import H_REALISASI, EvaluationEditor

    principal = sign_in_as(perf_db, "penilai")
    draft = _draft_for(perf_db, principal.employee_id)
    ctx = ctx_for(perf_db, principal)
    editor = EvaluationEditor(ctx, draft.id)
    qtbot.addWidget(editor)
    editor.show()
    settle(qtbot, ctx)  # the evaluation is read off the UI thread
    combos = {"hasil": editor.hasil_combo, "perilaku": editor.perilaku_combo}
    combos["hasil"].setCurrentIndex(combos["hasil"].findData(Rating.DI_ATAS.value))
    combos["perilaku"].setCurrentIndex(combos["perilaku"].findData(Rating.DI_ATAS.value))
    assert editor.predikat_text() == "Sangat Baik"
    combos["perilaku"].setCurrentIndex(combos["perilaku"].findData(Rating.DI_BAWAH.value))
    assert editor.predikat_text() == "Kurang/Misconduct"  # updated before any save
    combos["perilaku"].setCurrentIndex(0)
    assert editor.predikat_text().startswith("—")
    assert "rating perilaku kerja" in editor.missing_label.text()
    combos["hasil"].setCurrentIndex(combos["hasil"].findData(Rating.DI_BAWAH.value))
    combos["perilaku"].setCurrentIndex(combos["perilaku"].findData(Rating.SESUAI.value))
    assert editor.predikat_text() == "Butuh Perbaikan"
    editor.hasil_table.item(0, H_REALISASI).setText("Selesai 14 dokumen")
    assert editor.dirty
    qtbot.mouseClick(editor.final_button, Qt.MouseButton.LeftButton)  # saves, then finalizes
    settle(qtbot, ctx)
    with perf_db.session() as s:
        ev = s.get(Evaluation, draft.id)
        assert (ev.status, ev.predikat) == ("final", "Butuh Perbaikan")
        first_iki = editor.hasil_table.item(0, H_REALISASI).data(Qt.ItemDataRole.UserRole)
        assert ev.realisasi[first_iki]["realisasi"] == "Selesai 14 dokumen"
        assert ev.identities["pegawai"]["nip"]
    assert not editor.save_button.isEnabled() and not editor.final_button.isVisible()
    assert editor.revise_button.isVisible()
    assert "FINAL" in editor.status_label.text()
    editor.close()


def test_two_editors_on_one_draft_the_later_save_is_told(qtbot, ctx_for, perf_db, modal_watcher):
    from kinerja_desktop.domain.predikat import Rating
    from kinerja_desktop.store.models import Evaluation
    from kinerja_desktop.ui.dialogs.evaluation_editor import EvaluationEditor

    principal = sign_in_as(perf_db, "penilai")
    draft = _draft_for(perf_db, principal.employee_id)
    ctx = ctx_for(perf_db, principal)
    first, second = EvaluationEditor(ctx, draft.id), EvaluationEditor(ctx, draft.id)
    for e in (first, second):
        qtbot.addWidget(e)
    settle(qtbot, ctx)  # both read the draft off the UI thread
    first.perilaku_combo.setCurrentIndex(first.perilaku_combo.findData(Rating.DI_ATAS.value))
    first.save()
    settle(qtbot, ctx)
    assert not first.dirty  # saved
    second.catatan.setPlainText("catatan dari jendela kedua")
    second.save()
    settle(qtbot, ctx)
    # refused: the message below says so, and the database keeps the first save
    qtbot.waitUntil(lambda: bool(modal_watcher.texts), timeout=5000)
    assert modal_watcher.texts[-1].startswith("Evaluasi ini telah disimpan oleh orang lain pada ")
    with perf_db.session() as s:
        assert s.get(Evaluation, draft.id).rating_perilaku_kerja == Rating.DI_ATAS.value
        assert s.get(Evaluation, draft.id).catatan_rekomendasi != "catatan dari jendela kedua"
    for e in (first, second):
        e.dirty = False


def test_head_of_unit_rating_is_locked_in_the_annual_editor(qtbot, ctx_for, perf_db):
    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.store.models import Evaluation
    from kinerja_desktop.ui.dialogs.evaluation_editor import EvaluationEditor

    with perf_db.session() as s:  # a head's annual evaluation, a draft when there is one
        ev = s.scalar(
            select(Evaluation).where(Evaluation.hasil_from_capaian.is_(True)).order_by(Evaluation.status).limit(1)
        )
    ctx = ctx_for(perf_db, SYSTEM)
    editor = EvaluationEditor(ctx, ev.id)
    qtbot.addWidget(editor)
    settle(qtbot, ctx)  # the evaluation is read off the UI thread
    assert not editor.hasil_combo.isEnabled()
    assert "Kepala unit: rating hasil kerja mengikuti capaian kinerja organisasi" in editor.head_note.text()
    assert editor.hasil_combo.currentData() == ev.rating_hasil_kerja
    assert "Capaian kinerja organisasi" in editor.status_label.text()
    editor.dirty = False


def test_skp_editor_builds_and_agrees_a_plan(qtbot, ctx_for, perf_db, monkeypatch):
    from kinerja_desktop.services.performance import skp as skp_svc
    from kinerja_desktop.store.models import Employee, Skp
    from kinerja_desktop.ui.dialogs import skp_editor
    from kinerja_desktop.ui.dialogs.skp_editor import SkpEditor

    principal = sign_in_as(perf_db, "penilai")
    with perf_db.transaction() as s:
        staff = s.scalars(select(Employee.id).where(Employee.supervisor_id == principal.employee_id)).all()
        without = next(e for e in staff if skp_svc.skp_for(s, e, 2026) is None)
        skp = skp_svc.create_skp(s, principal, without, 2026)
    ctx = ctx_for(perf_db, principal)
    editor = SkpEditor(ctx, skp.id)
    qtbot.addWidget(editor)
    editor.show()
    settle(qtbot, ctx)  # the SKP and the supervisor's RHK are read off the UI thread
    assert editor.parent_combo.isVisible() and editor.parent_combo.count() > 1  # the supervisor's RHK
    qtbot.mouseClick(editor.add_rhk, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.rhk_text, "Terlaksananya pembelajaran yang bermutu")
    editor.parent_combo.setCurrentIndex(1)
    editor.iki_table.item(0, 1).setText("Jumlah rencana pelaksanaan pembelajaran")
    editor.iki_table.item(0, 2).setText("12 dokumen")
    editor.expectations["AKUNTABEL"].setText("Hadir tepat waktu")
    editor.lampiran["konsekuensi"].setPlainText("Teguran lisan\nInsentif")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    with perf_db.session() as s:
        view = skp_svc.load_skp(s, principal, skp.id)
        assert [r.text for r, _i in view.rhks] == ["Terlaksananya pembelajaran yang bermutu"]
        assert [(i.indicator, i.target) for i in view.rhks[0][1]] == [
            ("Jumlah rencana pelaksanaan pembelajaran", "12 dokumen")
        ]
        assert view.rhks[0][0].parent_rhk_id is not None
        assert view.expectations == {"AKUNTABEL": "Hadir tepat waktu"}
        assert view.skp.lampiran["konsekuensi"] == ["Teguran lisan", "Insentif"]
    monkeypatch.setattr(skp_editor, "_ask_date", lambda *a: date(2026, 1, 20))
    qtbot.mouseClick(editor.agree_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    with perf_db.session() as s:
        assert (s.get(Skp, skp.id).status, s.get(Skp, skp.id).agreed_on) == ("agreed", date(2026, 1, 20))
    assert not editor.save_button.isEnabled() and editor.reopen_button.isVisible()
    assert "Disepakati pada 20 Januari 2026" in editor.info.text()


def test_evidence_of_another_type_is_refused_in_the_skp_editor(qtbot, ctx_for, perf_db, tmp_path, modal_watcher):
    from kinerja_desktop.store.models import Skp
    from kinerja_desktop.ui.dialogs.skp_editor import SkpEditor

    principal = sign_in_as(perf_db, "penilai")
    from kinerja_desktop.store.models import Employee

    with perf_db.session() as s:
        skp = s.scalar(
            select(Skp)
            .join(Employee, Employee.id == Skp.employee_id)
            .where(Employee.supervisor_id == principal.employee_id, Skp.status == "agreed")
            .limit(1)
        )
    ctx = ctx_for(perf_db, principal)
    editor = SkpEditor(ctx, skp.id)
    qtbot.addWidget(editor)
    settle(qtbot, ctx)  # the SKP and its files are read off the UI thread
    fake = tmp_path / "laporan.pdf"
    fake.write_bytes(b"MZ" + b"\0" * 100)
    editor.feedback.add_path(fake)
    qtbot.waitUntil(lambda: bool(modal_watcher.texts), timeout=5000)
    settle(qtbot, ctx)
    assert editor.feedback.files.count() == 0
    assert "bukan PDF" in modal_watcher.texts[-1]
    good = tmp_path / "foto.png"
    good.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 50)
    editor.feedback.add_path(good)
    settle(qtbot, ctx)
    assert editor.feedback.files.count() == 1
    editor.feedback.note_text.setText("Laporan lengkap")
    editor.feedback.add_note()
    settle(qtbot, ctx)
    assert any("Laporan lengkap" in editor.feedback.notes.item(i).text() for i in range(editor.feedback.notes.count()))


def test_hr_distribution_chart_and_rules(qtbot, make_window, perf_db):
    window, page, _p = _penilaian(qtbot, make_window, perf_db, "kepegawaian")
    page.tabs.setCurrentIndex(1)
    tab = page.distribution
    qtbot.waitUntil(lambda: len(tab.recaps) > 0, timeout=10000)
    tab.period.setCurrentIndex(tab.period.findText("Triwulan I 2026"))  # a period with final evaluations
    qtbot.waitUntil(lambda: tab.recaps and tab.current()[0].period_label == "Triwulan I 2026", timeout=10000)
    index = next(i for i, (r, _t, _m) in enumerate(tab.recaps) if r.report is not None and r.final)
    tab.unit.setCurrentIndex(index)
    recap, text, may = tab.current()
    assert tab.chart.counts == recap.counts
    label = tab.capaian_label.text()
    assert "Triwulan I 2026" in label and "ditetapkan oleh" in label and "dasar: progres rencana aksi" in label
    assert ("✓" in tab.rules_label.text()) or ("✗" in tab.rules_label.text())
    assert tab.summary_label.text() == recap.summary_text()
    assert "kepala organisasi" in tab.counts_label.text()  # the head is not counted
    assert may and tab.capaian_button.isEnabled() and tab.penetapan_button.isEnabled()
    image = tab.chart.grab()
    assert image.width() > 300 and image.height() >= 200


def test_hr_records_a_periodic_capaian_with_the_leaders_decision(qtbot, make_window, perf_db, modal_watcher):
    from kinerja_desktop.services.performance.capaian import own_capaian
    from kinerja_desktop.ui.dialogs.capaian_dialog import CapaianDialog, load_context

    window, page, principal = _penilaian(qtbot, make_window, perf_db, "kepegawaian")
    page.tabs.setCurrentIndex(1)
    tab = page.distribution
    qtbot.waitUntil(lambda: len(tab.recaps) > 0, timeout=10000)
    tab.period.setCurrentIndex(tab.period.findText("Triwulan II 2026"))
    qtbot.waitUntil(lambda: tab.recaps and tab.current()[0].period_label == "Triwulan II 2026", timeout=10000)
    recap = tab.current()[0]
    with perf_db.session() as s:
        data = load_context(s, principal, recap.unit_id, recap.period_id)
    assert data.basis_label == "progres rencana aksi" and data.deciders
    dialog = CapaianDialog(page.ctx, data, page)
    qtbot.addWidget(dialog)
    dialog.value.setCurrentIndex(dialog.value.findData("Butuh Perbaikan"))
    dialog.reference.setText("")
    dialog.save()  # HR without the decision's reference: refused, said in the dialog
    qtbot.waitUntil(lambda: "nomor dan tanggal surat" in dialog.message.text(), timeout=10000)
    dialog.reference.setText("Nota Dinas 800/77/2026")
    dialog.basis_note.setPlainText("4 dari 9 rencana aksi terlambat")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.saved, timeout=10000)
    with perf_db.session() as s:
        row = own_capaian(s, recap.unit_id, recap.period_id)
        assert (row.capaian, row.decision_reference, row.set_by) == (
            "Butuh Perbaikan",
            "Nota Dinas 800/77/2026",
            "kepegawaian",
        )
        assert row.basis == "rencana_aksi" and row.decider_employee_id or row.decider_kepala_daerah_id
    qtbot.waitUntil(lambda: "Butuh Perbaikan (Triwulan II 2026" in tab.capaian_label.text(), timeout=10000)


def test_the_penetapan_previews_from_the_distribution_tab(qtbot, make_window, perf_db):
    window, page, _p = _penilaian(qtbot, make_window, perf_db, "kepegawaian")
    page.tabs.setCurrentIndex(1)
    tab = page.distribution
    qtbot.waitUntil(lambda: len(tab.recaps) > 0, timeout=10000)
    tab.unit.setCurrentIndex(next(i for i, (r, _t, _m) in enumerate(tab.recaps) if r.capaian is not None))
    dialog = tab.print_penetapan()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=20000)
    assert dialog.preview.page_count >= 1 and dialog.save_button.isEnabled()
    assert dialog.view.form_code == "penetapan-capaian"


def test_beranda_card_for_the_supervisor(qtbot, make_window, perf_db):
    principal = sign_in_as(perf_db, "penilai")
    window = make_window(perf_db, principal, page="home")
    home = window.pages["home"]
    card = next(c for c in home.extra_cards if c.objectName() == "penilaianCard")
    card.today_fn = lambda: TODAY
    card.refresh()
    qtbot.waitUntil(lambda: card.data is not None, timeout=10000)
    assert card.data.scope == "supervisor"
    assert "Triwulan IV 2026" in card.due_label.text()  # ends 31 December: due now
    assert "Triwulan I 2026" in card.overdue_label.text()
    assert "Disepakati:" in card.skp_label.text()
    assert "Sangat Baik:" in card.predikat_label.text()
    qtbot.mouseClick(card.open_button, Qt.MouseButton.LeftButton)
    assert window.current_key() == "penilaian"
