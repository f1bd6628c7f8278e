"""Dokumen page: preview, sign, save (hash recorded), verify dialog, batch export in the background."""

from __future__ import annotations

import hashlib
import random
from datetime import date

import pytest
from sqlalchemy import select


class FakeSignDialog:
    """Stands in for the certificate dialog: the key was "chosen" and its passphrase typed."""

    key = p12 = passphrase = None

    def __init__(self, _nip=None, _parent=None) -> None:
        pass

    def exec(self) -> bool:
        return True


@pytest.fixture
def performance_db(db):
    from kinerja_desktop.services.demo import build_demo
    from kinerja_desktop.services.demo_performance import add_performance_demo
    from kinerja_desktop.services.progress import run

    run(build_demo(db, employees=80, year=2026))
    with db.transaction() as s:
        add_performance_demo(s, random.Random(3), 2026, today=date(2026, 11, 28))
    return db


@pytest.fixture
def final_evaluation(performance_db):
    from kinerja_desktop.services.periods import period_code
    from kinerja_desktop.store.models import Employee, Evaluation, Period

    from kinerja_desktop.services.evaluations import current_evaluation

    with performance_db.session() as s:
        finals = s.scalars(select(Evaluation).where(Evaluation.status == "final", Evaluation.identities.is_not(None))
                           .order_by(Evaluation.id))
        # The current version (a superseded one has a newer revision that the documents print).
        ev = next(e for e in finals if current_evaluation(s, e.employee_id, e.period_id).id == e.id)
        emp = s.get(Employee, ev.employee_id)
        per = s.get(Period, ev.period_id)
        pejabat = ev.identities["pejabat_penilai"]
        return {"id": ev.id, "employee_id": emp.id, "name": emp.full_name, "period": period_code(per),
                "pejabat": pejabat["nama"], "pejabat_nip": pejabat["nip"], "unit_id": emp.unit_id}


@pytest.fixture
def pejabat_key(final_evaluation, data_home):
    from kinerja_desktop.reports import certs
    from kinerja_desktop.reports.signing import load_signing_key

    ca, ca_key = certs.create_ca("CA Uji Halaman Dokumen")
    certs.add_trusted_bytes(certs.cert_pem(ca), "ca-uji")
    cert, key = certs.issue_user_certificate(ca, ca_key, nip=final_evaluation["pejabat_nip"],
                                             name=final_evaluation["pejabat"])
    p12 = certs.make_p12(cert, key, ca, "sandi")
    return p12, load_signing_key(p12, "sandi")


def _page(qtbot, ctx_for, db):
    from kinerja_desktop.services.principal import SYSTEM
    from kinerja_desktop.ui.pages.documents import DocumentsPage

    page = DocumentsPage(ctx_for(db, SYSTEM))
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    page.year.setValue(2026)
    page.activated()
    qtbot.waitUntil(lambda: page.period.count() > 1, timeout=5000)
    return page


def test_preview_sign_save_and_verify(qtbot, ctx_for, performance_db, final_evaluation, pejabat_key, tmp_path):
    from kinerja_desktop.store.models import Evaluation
    from kinerja_desktop.ui.dialogs.verify_dialog import VerifyDialog

    page = _page(qtbot, ctx_for, performance_db)
    assert not page.sign_button.isEnabled() and not page.save_button.isEnabled()
    page.employee.set_employee(final_evaluation["employee_id"], final_evaluation["name"])
    page.period.setCurrentIndex(page.period.findData(final_evaluation["period"]))
    page.preview_button.click()
    qtbot.waitUntil(lambda: page.pdf is not None, timeout=15000)
    assert page.preview.page_count == 1 and "belum ditandatangani" in page.status.text()
    assert page.sign_button.isEnabled()

    FakeSignDialog.key = pejabat_key[1]
    page.sign(dialog_factory=FakeSignDialog)
    qtbot.waitUntil(lambda: page.signed_roles == ["pejabat"], timeout=15000)
    assert "Ditandatangani secara elektronik oleh" in page.status.text()
    saved = page.save(str(tmp_path / "signed.pdf"))
    digest = hashlib.sha256(saved.read_bytes()).hexdigest()
    with performance_db.session() as s:
        assert s.get(Evaluation, final_evaluation["id"]).signed_file_sha256 == digest

    dialog = VerifyDialog(page.ctx, str(saved))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=15000)
    assert dialog.report.ok, dialog.report.reason
    assert dialog.table.columnCount() == 1
    assert dialog.table.item(1, 0).text() == final_evaluation["pejabat"]
    assert [dialog.table.item(r, 0).text() for r in (5, 6, 7)] == ["ya", "ya", "ya"]
    assert "sama persis" in dialog.details.text()

    changed = tmp_path / "changed.pdf"
    changed.write_bytes(saved.read_bytes() + b"\n% ubah\n")
    dialog.check(str(changed))
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.report.file_sha256 != digest, timeout=15000)
    assert not dialog.report.ok and "diubah" in dialog.verdict.text()
    assert dialog.table.item(6, 0).text() == "TIDAK"
    dialog.check(str(tmp_path / "bukan.pdf"))
    qtbot.waitUntil(lambda: dialog.error is not None, timeout=5000)
    assert "tidak ditemukan" in dialog.verdict.text()


def test_someone_elses_certificate_asks_first(qtbot, ctx_for, performance_db,
                                                                        final_evaluation, data_home):
    from kinerja_desktop.reports import certs
    from kinerja_desktop.reports.signing import load_signing_key

    page = _page(qtbot, ctx_for, performance_db)
    page.employee.set_employee(final_evaluation["employee_id"], final_evaluation["name"])
    page.period.setCurrentIndex(page.period.findData(final_evaluation["period"]))
    page.preview_button.click()
    qtbot.waitUntil(lambda: page.pdf is not None, timeout=15000)
    ca, ca_key = certs.create_ca("CA Lain")
    cert, key = certs.issue_user_certificate(ca, ca_key, nip="198001012005011001", name="Orang Lain")
    FakeSignDialog.key = load_signing_key(certs.make_p12(cert, key, ca, "x"), "x")
    asked = []
    page.sign(dialog_factory=FakeSignDialog, confirm=lambda text: asked.append(text) or False)
    qtbot.waitUntil(lambda: bool(asked) and "Tidak ditandatangani" in page.status.text(), timeout=15000)
    assert "Orang Lain" in asked[0] and page.signed_roles == []


def test_a_draft_evaluation_is_not_signed(qtbot, ctx_for, performance_db, modal_watcher):
    from kinerja_desktop.services.periods import period_code
    from kinerja_desktop.store.models import Employee, Evaluation, Period

    with performance_db.session() as s:
        from kinerja_desktop.services.evaluations import current_evaluation

        drafts = s.scalars(select(Evaluation).where(Evaluation.status == "draft").order_by(Evaluation.id))
        ev = next(e for e in drafts if current_evaluation(s, e.employee_id, e.period_id).id == e.id)
        emp, per = s.get(Employee, ev.employee_id), s.get(Period, ev.period_id)
        employee_id, name, code = emp.id, emp.full_name, period_code(per)
    page = _page(qtbot, ctx_for, performance_db)
    page.employee.set_employee(employee_id, name)
    page.period.setCurrentIndex(page.period.findData(code))
    page.preview_button.click()
    qtbot.waitUntil(lambda: page.pdf is not None, timeout=15000)
    opened = []
    page.sign(dialog_factory=lambda *a: opened.append(a) or FakeSignDialog())
    qtbot.waitUntil(lambda: bool(modal_watcher.texts), timeout=5000)
    assert "masih draf" in modal_watcher.texts[0] and not opened and page.signed_roles == []


def test_batch_export_runs_in_the_background(qtbot, ctx_for, performance_db, final_evaluation, tmp_path):
    from kinerja_desktop.store.models import Unit

    page = _page(qtbot, ctx_for, performance_db)
    page.period.setCurrentIndex(page.period.findData(final_evaluation["period"]))
    with performance_db.session() as s:
        unit = s.get(Unit, final_evaluation["unit_id"])
        page.unit.set_unit(unit.id, unit.name)
    page.folder.setText(str(tmp_path / "ekspor"))
    page.batch_combined.setChecked(True)
    dialog = page.export_batch()
    assert dialog.error is None and not dialog.cancelled, dialog.error
    result, _missing = dialog.result
    assert result.files and all(p.exists() for p in result.files)
    assert result.combined is not None and result.combined.exists()
    assert "dokumen ditulis" in page.batch_status.text()


def test_printing_draws_every_page(qtbot, tmp_path):
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from kinerja_desktop.reports.render import render_view
    from kinerja_desktop.reports.samples import sample_detailed_form
    from kinerja_desktop.ui.pdf_preview import print_pdf

    pdf = render_view(sample_detailed_form(0)).pdf
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_pdf(pdf, printer=printer, ask=False)
    printed = PdfReader(str(tmp_path / "printed.pdf")).pages
    original = PdfReader(__import__("io").BytesIO(pdf)).pages
    assert len(printed) == len(original)
    for mine, theirs in zip(printed, original):  # portrait stays portrait, the landscape tables landscape
        assert (mine.mediabox.width > mine.mediabox.height) == (theirs.mediabox.width > theirs.mediabox.height)
