"""Four people on one office PC walk the whole cycle in one window: HR makes the pegawai's
account, the pegawai proposes RHK/IKI, the pejabat agrees, the pegawai reports realisasi
with evidence, acknowledges the final evaluation and objects, the atasan decides, and the
pegawai finds the new final revision. After every sign-out nothing personal is left."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QTableWidget

from kinerja_desktop.services.access.principal import (
    ADMIN_KEPEGAWAIAN,
    ATASAN_PEJABAT_PENILAI,
    PEJABAT_PENILAI,
    SYSTEM,
)

PASSWORD = "kantor-batanghari-7"
YEAR = date.today().year


@pytest.fixture
def office_db(db):
    from kinerja_desktop.domain.nip import make_pns_nip
    from kinerja_desktop.services.access.users import create_user
    from kinerja_desktop.services.performance import skp as skp_svc
    from kinerja_desktop.services.performance.periods import create_year
    from kinerja_desktop.store.models import Employee, Position, Unit

    with db.transaction() as s:
        dinas = Unit(code="DINAS-W", name="Dinas Walk", kind="opd")
        s.add(dinas)
        s.flush()
        bidang = Unit(code="DINAS-W-B", name="Bidang Walk", kind="bidang", parent_id=dinas.id)
        head = Position(name="Kepala Dinas Walk", kind="jpt", is_unit_head=True)
        kabid_pos = Position(name="Kepala Bidang Walk", kind="administrator")
        staf_pos = Position(name="Analis Data", kind="pelaksana")
        s.add_all([bidang, head, kabid_pos, staf_pos])
        s.flush()

        def emp(name, unit, pos, sup, n, gender="L"):
            e = Employee(
                nip=make_pns_nip(date(1980, 1, n), date(2005, 3, 1), gender, n),
                name=name,
                gender=gender,
                status="PNS",
                golongan="III/a",
                unit_id=unit,
                position_id=pos,
                supervisor_id=sup,
                active=True,
            )
            s.add(e)
            s.flush()
            return e.id

        kadis = emp("Hasan Kadis", dinas.id, head.id, None, 1)
        kabid = emp("Rina Kabid", bidang.id, kabid_pos.id, kadis, 2, "P")
        staf = emp("Siti Pegawai", bidang.id, staf_pos.id, kabid, 3, "P")
        create_year(s, SYSTEM, YEAR, "triwulan")
        create_user(s, SYSTEM, username="kepegawaian", display_name="HR", password=PASSWORD, role=ADMIN_KEPEGAWAIAN)
        create_user(
            s, SYSTEM, username="kabid", display_name="Rina", password=PASSWORD, role=PEJABAT_PENILAI, employee_id=kabid
        )
        create_user(
            s,
            SYSTEM,
            username="kadis",
            display_name="Hasan",
            password=PASSWORD,
            role=ATASAN_PEJABAT_PENILAI,
            employee_id=kadis,
        )
        skp = skp_svc.create_skp(s, SYSTEM, staf, YEAR)
        content = skp_svc.SkpContent(
            rhks=[
                skp_svc.RhkInput("Mengolah data kepegawaian", "utama", [skp_svc.IkiInput("Data terolah", "12 laporan")])
            ]
        )
        skp_svc.save_skp(s, SYSTEM, skp.id, content, expected_hlc=skp.updated_hlc)
        ids = {"bidang": bidang.id, "staf": staf, "skp": skp.id, "kabid": kabid}
    return db, ids


def _wait(qtbot, window):
    qtbot.waitUntil(
        lambda: window.ctx is None or window.ctx.runner.idle() if hasattr(window.ctx.runner, "idle") else True,
        timeout=10000,
    )
    qtbot.wait(50)


def _sign_in(qtbot, window, db, username, password=PASSWORD):
    from kinerja_desktop.services.access.users import authenticate
    from kinerja_desktop.ui.context import AppContext
    from kinerja_desktop.ui.tasks import TaskRunner

    with db.transaction() as s:
        principal = authenticate(s, username, password)
    runner = TaskRunner(db)
    runner.setParent(window)
    window.attach(AppContext(db=db, principal=principal, runner=runner))
    return principal


def _texts(window) -> str:
    out = [label.text() for label in window.findChildren(QLabel)]
    for table in window.findChildren(QTableWidget):
        out += [
            table.item(r, c).text()
            for r in range(table.rowCount())
            for c in range(table.columnCount())
            if table.item(r, c)
        ]
    return "\n".join(out)


def _deleted_pages_gone() -> None:
    """Run the deferred deletions of the closed pages (``deleteLater``) before looking."""
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def _sign_out(qtbot, window, *names):
    window.sign_out_button.click()
    qtbot.waitUntil(lambda: window.ctx is None, timeout=5000)
    _deleted_pages_gone()
    left = _texts(window)
    assert window.nav.count() == 0 and not window.pages
    for name in names:
        assert name not in left, f"{name} left on screen after sign-out"


def _dialog_submit(qtbot, dialog):
    dialog.show()
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.result_value is not None or dialog.message.isVisible(), timeout=10000)
    assert not dialog.message.isVisible(), dialog.message.text()
    return dialog.result_value


def test_four_people_walk_the_cycle_on_one_pc(qtbot, office_db, tmp_path, monkeypatch):
    from kinerja_desktop.services.access.users import change_password
    from kinerja_desktop.services.performance import evaluations as ev_svc
    from kinerja_desktop.services.performance import skp as skp_svc
    from kinerja_desktop.services.performance.periods import find_period
    from kinerja_desktop.store.models import Evaluation, Skp
    from kinerja_desktop.ui.dialogs.keberatan import (
        DecideKeberatanDialog,
        LodgeKeberatanDialog,
        ProposeDialog,
        RealisasiDialog,
    )
    from kinerja_desktop.ui.launch import create_app
    from kinerja_desktop.ui.window import MainWindow

    db, ids = office_db
    create_app()
    window = MainWindow()
    qtbot.addWidget(window)
    window.keep_open_on_sign_out = True
    window.resize(1366, 768)
    window.show()

    # 1. HR: accounts for the unit, slips saved.
    _sign_in(qtbot, window, db, "kepegawaian")
    page = window.show_page("pegawai_accounts")
    qtbot.waitUntil(lambda: page.unit.count() > 0, timeout=5000)
    page.unit.setCurrentIndex(page.unit.findData(ids["bidang"]))
    page.create_button.click()
    qtbot.waitUntil(lambda: page.result is not None, timeout=20000)
    slip = next(sl for sl in page.result.slips if sl.name == "Siti Pegawai")
    slip_file = tmp_path / "slip.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(slip_file), ""))
    page.save_button.click()
    qtbot.waitUntil(slip_file.exists, timeout=10000)
    _sign_out(qtbot, window, slip.password)

    # 2. The pegawai: first sign-in changes the one-time password, then proposes RHK/IKI.
    with db.transaction() as s:
        from kinerja_desktop.services.access.users import authenticate

        change_password(s, authenticate(s, slip.username, slip.password), slip.password, PASSWORD)
    _sign_in(qtbot, window, db, slip.username)
    assert {window.nav.item(i).data(256) for i in range(window.nav.count())} >= {"home", "pegawai_saya"}
    assert "employees" not in {window.nav.item(i).data(256) for i in range(window.nav.count())}
    home = window.current_page()
    card = next(c for c in home.extra_cards if c.objectName() == "waitingCard")
    qtbot.waitUntil(lambda: bool(card.items) and any(i.kind == "skp" for i in card.items), timeout=10000)
    mine = window.show_page("pegawai_saya")
    qtbot.waitUntil(lambda: mine.data is not None, timeout=10000)
    dialog = ProposeDialog(window.ctx, mine.data.skp_id, mine)
    dialog.rhk.setText("Menyusun dasbor kepegawaian")
    dialog.iki.setText("Dasbor terbit")
    dialog.target.setText("1 dasbor")
    _dialog_submit(qtbot, dialog)
    _sign_out(qtbot, window, "Siti Pegawai", "Menyusun dasbor")

    # 3. The pejabat penilai agrees to it, agrees the SKP and evaluates (the Penilaian page's services).
    _sign_in(qtbot, window, db, "kabid")
    mine = window.show_page("pegawai_saya")
    qtbot.waitUntil(lambda: mine.data is not None and mine.proposal_table.rowCount() == 1, timeout=10000)
    mine.proposal_table.selectRow(0)
    mine.agree_button.click()
    qtbot.waitUntil(lambda: mine.proposal_table.rowCount() == 0, timeout=10000)
    kabid = window.ctx.principal
    with db.transaction() as s:
        skp = s.get(Skp, ids["skp"])
        assert "Menyusun dasbor kepegawaian" in [r.text for r, _i in skp_svc.load_skp(s, kabid, skp.id).rhks]
        skp_svc.agree_skp(s, kabid, skp.id, date(YEAR, 1, 15), expected_hlc=skp.updated_hlc)
        from kinerja_desktop.services.performance import feedback as fb_svc

        fb_svc.add_feedback(s, kabid, skp.id, "Dasbor perlu grafik tren", date(YEAR, 2, 3), value_code="AKUNTABEL")
        fb_svc.add_dialog(s, kabid, skp.id, date(YEAR, 2, 4), "Pemantauan triwulan I")
    _sign_out(qtbot, window, "Siti Pegawai")

    # 4. The pegawai reports realisasi with evidence.
    evidence = tmp_path / "dasbor.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    _sign_in(qtbot, window, db, slip.username)
    mine = window.show_page("pegawai_saya")
    qtbot.waitUntil(lambda: mine.data is not None and len(mine.data.ikis) == 2, timeout=10000)
    dialog = RealisasiDialog(window.ctx, mine.data.skp_id, mine.data.ikis, mine.data.periods, mine)
    dialog.text.setPlainText("12 laporan terolah dan 1 dasbor terbit")
    dialog.evidence.setText(str(evidence))
    _dialog_submit(qtbot, dialog)
    qtbot.waitUntil(lambda: mine.note_table.rowCount() == 2, timeout=10000)
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Grafik tren ditambahkan", True))
    mine.note_table.selectRow([n.kind for n in mine.data.notes].index("umpan_balik"))
    mine.reply_button.click()
    qtbot.waitUntil(lambda: any(n.answer == "Grafik tren ditambahkan" for n in mine.data.notes), timeout=10000)
    mine.note_table.selectRow([n.kind for n in mine.data.notes].index("dialog"))
    assert mine.held_button.isEnabled()
    mine.held_button.click()
    qtbot.waitUntil(lambda: all(n.answer for n in mine.data.notes), timeout=10000)
    _sign_out(qtbot, window, "Siti Pegawai")

    # 5. The pejabat shares the draft of the annual evaluation, then finalizes it.
    _sign_in(qtbot, window, db, "kabid")
    with db.transaction() as s:
        period = find_period(s, YEAR, "AKHIR")
        ev = ev_svc.start_evaluation(s, kabid, ids["staf"], period.id)
    mine = window.show_page("pegawai_saya")
    qtbot.waitUntil(lambda: mine.data is not None and len(mine.drafts) == 1, timeout=10000)
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, items, *a, **k: (items[0], True))
    mine.share_button.click()
    qtbot.waitUntil(lambda: mine.drafts == [], timeout=10000)
    with db.transaction() as s:
        ev = s.get(Evaluation, ev.id)
        real = {
            iki: {"realisasi": "tercapai", "umpan_balik": "baik"}
            for iki in [i.id for _n, _r, i in ev_svc.skp_ikis(s, ev.skp_id)]
        }
        ev = ev_svc.save_evaluation(
            s,
            kabid,
            ev.id,
            ev_svc.EvaluationForm("Sesuai Ekspektasi", "Sesuai Ekspektasi", real),
            expected_hlc=ev.updated_hlc,
        )
        ev_id = ev_svc.finalize_evaluation(s, kabid, ev.id, expected_hlc=ev.updated_hlc).id
    _sign_out(qtbot, window, "Siti Pegawai")

    # 6. The pegawai acknowledges and objects.
    _sign_in(qtbot, window, db, slip.username)
    mine = window.show_page("pegawai_saya")
    qtbot.waitUntil(lambda: mine.data is not None and mine.ev_table.rowCount() == 1, timeout=10000)
    mine.ev_table.selectRow(0)
    assert mine.ack_button.isEnabled() and not mine.lodge_button.isEnabled()
    mine.ack_button.click()
    qtbot.waitUntil(
        lambda: mine.data.evaluations and mine.data.evaluations[0].acknowledged_on is not None, timeout=10000
    )
    mine.ev_table.selectRow(0)
    assert mine.lodge_button.isEnabled()
    dialog = LodgeKeberatanDialog(window.ctx, ev_id, "Akhir", "", mine)
    dialog.reasons.setPlainText("Dasbor terbit lebih cepat dari target; mohon ditinjau")
    _dialog_submit(qtbot, dialog)
    _sign_out(qtbot, window, "Siti Pegawai", "Dasbor terbit lebih cepat")

    # 7. The atasan pejabat penilai decides: changed.
    _sign_in(qtbot, window, db, "kadis")
    page = window.show_page("keberatan")
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=10000)
    page.table.selectRow(0)
    assert page.decide_button.isEnabled()
    with db.session() as s:
        from kinerja_desktop.services.pegawai.keberatan import get

        row = get(s, window.ctx.principal, page.rows[0].keberatan_id)
        s.expunge(row)
    dialog = DecideKeberatanDialog(window.ctx, row, ("Sesuai Ekspektasi", "Sesuai Ekspektasi"), page)
    assert dialog.perilaku.currentData() == "Sesuai Ekspektasi"
    dialog.pegawai.setPlainText("Dasbor terbit Oktober, target Desember")
    dialog.penilai.setPlainText("Benar, kualitas baik")
    dialog.decision.setCurrentIndex(dialog.decision.findData("diubah"))
    dialog.hasil.setCurrentIndex(dialog.hasil.findData("Di Atas Ekspektasi"))
    dialog.reason.setPlainText("Realisasi melampaui target waktu")
    _dialog_submit(qtbot, dialog)
    qtbot.waitUntil(lambda: page.rows and page.rows[0].decision != "", timeout=10000)
    page.table.selectRow(0)
    decision_file = tmp_path / "keputusan.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(decision_file), ""))
    page.print_button.click()
    qtbot.waitUntil(decision_file.exists, timeout=10000)
    assert Path(decision_file).read_bytes().startswith(b"%PDF")
    _sign_out(qtbot, window, "Siti Pegawai", "Dasbor terbit Oktober")

    # 8. The pegawai sees the new final revision and the decision.
    _sign_in(qtbot, window, db, slip.username)
    mine = window.show_page("pegawai_saya")
    qtbot.waitUntil(lambda: mine.data is not None and mine.ev_table.rowCount() == 2, timeout=10000)
    newest = mine.data.evaluations[-1]
    assert (newest.status, newest.predikat, newest.revision_no) == ("final", "Baik", 1)
    assert "diubah" in mine.data.evaluations[0].keberatan.lower()
    with db.session() as s:
        assert s.get(Evaluation, newest.evaluation_id).revision_reason.startswith("Keputusan atas keberatan")
    _sign_out(qtbot, window, "Siti Pegawai")


def test_idle_sign_out_returns_to_the_sign_in_screen(qtbot, office_db):
    from kinerja_desktop.ui.idle import IdleSignOut
    from kinerja_desktop.ui.launch import create_app
    from kinerja_desktop.ui.window import MainWindow

    db, _ids = office_db
    create_app()
    window = MainWindow()
    qtbot.addWidget(window)
    window.keep_open_on_sign_out = True
    window.show()
    from kinerja_desktop.services.pegawai.policy import set_idle_minutes

    with db.transaction() as s:
        set_idle_minutes(s, SYSTEM, 3)
    _sign_in(qtbot, window, db, "kabid")
    window.show_page("pegawai_saya")
    qtbot.waitUntil(lambda: window.idle is not None, timeout=5000)
    assert window.idle.timer.interval() == 3 * 60_000 and window.idle.timer.isActive()
    window.idle.stop()
    window.idle = IdleSignOut(window, minutes=0.005)  # 0.3 s
    qtbot.waitUntil(lambda: window.ctx is None, timeout=5000)
    _deleted_pages_gone()
    assert window.signed_out_idle and window.nav.count() == 0 and "Rina" not in _texts(window)
