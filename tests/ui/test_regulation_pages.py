"""The regulation in the window: the kepala daerah in Pengaturan, Angka Kredit with its PAK, a second
SKP after a mutasi, the old pejabat penilai's earlier assignments."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import select

from kinerja_desktop.services.access.principal import PEJABAT_PENILAI, Principal
from kinerja_desktop.store.models import AngkaKreditAwal, Employee, KepalaDaerah, Position, Skp
from tests.ui.conftest import sign_in_as

TODAY = date(2026, 11, 28)


@pytest.fixture
def perf_db(demo_db):
    from kinerja_desktop.services.demo.performance import add_performance_demo
    from kinerja_desktop.services.performance.periods import years_with_periods

    with demo_db.transaction() as s:
        if not years_with_periods(s):
            add_performance_demo(s, random.Random(1504), 2026, today=TODAY)
    return demo_db


def test_the_kepala_daerah_in_pengaturan(qtbot, make_window, perf_db):
    from kinerja_desktop.ui.pages.settings.kepala_daerah import KepalaDaerahDialog

    window = make_window(perf_db, sign_in_as(perf_db, "kepegawaian"), page="settings")
    tab = window.pages["settings"].kepala_daerah
    assert tab is not None
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1 and tab.positions.count() > 0, timeout=10000)
    assert "Bupati Batanghari" in tab.table.item(0, 1).text()
    sekda = next(
        tab.positions.item(i)
        for i in range(tab.positions.count())
        if tab.positions.item(i).text() == "Sekretaris Daerah"
    )
    from PySide6.QtCore import Qt

    assert sekda.checkState() == Qt.CheckState.Checked
    dialog = KepalaDaerahDialog(tab.ctx, None, tab)
    qtbot.addWidget(dialog)
    dialog.name.setText("Penjabat Baru")
    dialog.jabatan.setText("Pj. Bupati Batanghari")
    dialog.save()  # overlaps the Bupati in office: refused, said in the dialog
    qtbot.waitUntil(lambda: "bertumpang tindih" in dialog.message.text(), timeout=10000)
    edit = KepalaDaerahDialog(tab.ctx, tab.records[0], tab)
    qtbot.addWidget(edit)
    edit.has_end.setChecked(True)
    edit.end.setDate(edit.end.date().fromString("31-12-2026", "dd-MM-yyyy"))
    edit.save()
    qtbot.waitUntil(lambda: edit.saved, timeout=10000)
    dialog.start.setDate(dialog.start.date().fromString("01-01-2027", "dd-MM-yyyy"))
    dialog.save()
    qtbot.waitUntil(lambda: dialog.saved, timeout=10000)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 2, timeout=10000)
    with perf_db.session() as s:
        assert {k.jabatan for k in s.scalars(select(KepalaDaerah))} == {"Bupati Batanghari", "Pj. Bupati Batanghari"}


def test_angka_kredit_page_and_the_pak(qtbot, make_window, perf_db):
    from kinerja_desktop.ui.pages.angka_kredit import AkAwalDialog

    window = make_window(perf_db, sign_in_as(perf_db, "kepegawaian"), page="angka_kredit")
    page = window.pages["angka_kredit"]
    page.activated()
    qtbot.waitUntil(lambda: bool(page.rows), timeout=20000)
    assert page.table.rowCount() == len(page.rows) and "pejabat fungsional" in page.count_label.text()
    row = next((i for i, r in enumerate(page.rows) if r["lines"]), 0)
    page.table.selectRow(row)
    assert page.lines.rowCount() == len(page.rows[row]["lines"])
    assert page.rows[row]["jenjang"] in page.detail_title.text()
    dialog = AkAwalDialog(page.ctx, page.current(), page)
    qtbot.addWidget(dialog)
    dialog.value.setText("banyak")
    dialog.save()
    qtbot.waitUntil(lambda: "bukan angka" in dialog.message.text(), timeout=10000)
    dialog.value.setText("12,5")
    dialog.reference.setText("PAK 800/1/2026")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.saved, timeout=10000)
    with perf_db.session() as s:
        assert s.scalar(select(AngkaKreditAwal).where(AngkaKreditAwal.reference == "PAK 800/1/2026")) is not None
    pak = page.print_pak()
    qtbot.addWidget(pak)
    qtbot.waitUntil(lambda: pak.pdf is not None, timeout=20000)
    assert pak.view.form_code == "pak-konversi" and pak.preview.page_count >= 1


def test_a_second_skp_after_a_promotion_in_the_window(qtbot, ctx_for, perf_db):
    from kinerja_desktop.services.performance.skp import skps_for_year
    from kinerja_desktop.ui.dialogs.assignment_dialogs import NewAssignmentDialog

    principal = sign_in_as(perf_db, "penilai")
    with perf_db.transaction() as s:
        moved = select(Skp.employee_id).where(Skp.previous_skp_id.is_not(None))  # the demo's own mutasi
        emp = s.scalar(
            select(Employee)
            .join(Skp, Skp.employee_id == Employee.id)
            .where(
                Employee.supervisor_id == principal.employee_id,
                Skp.status == "agreed",
                Skp.year == 2026,
                Employee.id.not_in(moved),
            )
            .limit(1)
        )
        new_pos = Position(name="Pengelola Data Kepegawaian", kind="pelaksana")
        s.add(new_pos)
        s.flush()
        emp.position_id = new_pos.id  # HR records the new jabatan (a promotion, same supervisor)
        employee_id = emp.id
    dialog = NewAssignmentDialog(ctx_for(perf_db, principal), employee_id, 2026)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "SKP yang berlaku" in dialog.info.text(), timeout=10000)
    dialog.start.setDate(dialog.start.date().fromString("01-10-2026", "dd-MM-yyyy"))
    dialog.note.setText("Promosi per 1 Oktober")
    dialog.create()  # Triwulan IV is already being evaluated on the current SKP: refused, said in the dialog
    qtbot.waitUntil(lambda: "Triwulan IV 2026" in dialog.message.text(), timeout=10000)
    dialog.message.clear_message()
    dialog.start.setDate(dialog.start.date().fromString("16-11-2026", "dd-MM-yyyy"))
    dialog.create()
    qtbot.waitUntil(lambda: dialog.skp_id is not None or bool(dialog.message.text()), timeout=10000)
    assert not dialog.message.text(), dialog.message.text()
    with perf_db.session() as s:
        skps = skps_for_year(s, employee_id, 2026)
        assert len(skps) == 2 and skps[-1].id == dialog.skp_id and skps[0].end == date(2026, 11, 15)
        # what the old SKP had for Triwulan IV is now its closing evaluation
        from kinerja_desktop.store.models import Evaluation

        left = {
            (k, d)
            for k, d in s.execute(
                select(Evaluation.kind, Evaluation.deleted).where(
                    Evaluation.skp_id == skps[0].id,
                    Evaluation.period_id.in_(select(Evaluation.period_id).where(Evaluation.skp_id == skps[0].id)),
                )
            )
        }
        assert ("periodik", False) not in left or ("penugasan", False) in left  # Triwulan IV closes SKP 1
        assert ("tahunan", False) not in left  # the Akhir draft is withdrawn: Akhir is on the new SKP


def test_the_old_pejabat_penilai_sees_the_earlier_assignment(qtbot, ctx_for, perf_db):
    from kinerja_desktop.ui.dialogs.assignment_dialogs import EarlierAssignmentsDialog

    with perf_db.session() as s:
        second = s.scalar(select(Skp).where(Skp.previous_skp_id.is_not(None)))
        old = s.get(Skp, second.previous_skp_id).evaluator_id
    dialog = EarlierAssignmentsDialog(ctx_for(perf_db, Principal("lama", PEJABAT_PENILAI, old)), 2026)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=10000)
    periods = {dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())}
    assert {"Triwulan I 2026", "Triwulan II 2026"} <= periods
