"""Dokumen page: preview, sign, save (hash recorded), verify dialog, batch export in the background."""

from __future__ import annotations

import hashlib
import random
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select


class FakeSignDialog:
    """Stands in for the certificate dialog: the key was "chosen", its passphrase typed and judged."""

    key = p12 = passphrase = None

    def __init__(self, _nip=None, _parent=None) -> None:
        pass

    def exec(self) -> bool:
        return True


@pytest.fixture
def performance_db(db):
    from kinerja_desktop.services.demo.district import build_demo
    from kinerja_desktop.services.demo.performance import add_performance_demo
    from kinerja_desktop.services.progress import run

    run(build_demo(db, employees=80, year=2026))
    with db.transaction() as s:
        add_performance_demo(s, random.Random(3), 2026, today=date(2026, 11, 28))
    return db


@pytest.fixture
def final_evaluation(performance_db):
    from kinerja_desktop.services.performance.evaluations import current_evaluation
    from kinerja_desktop.services.performance.periods import period_code
    from kinerja_desktop.store.models import Employee, Evaluation, Period

    with performance_db.session() as s:
        finals = s.scalars(
            select(Evaluation)
            .where(Evaluation.status == "final", Evaluation.identities.is_not(None))
            .order_by(Evaluation.id)
        )
        # The current version (a superseded one has a newer revision that the documents print).
        ev = next(e for e in finals if current_evaluation(s, e.employee_id, e.period_id).id == e.id)
        emp = s.get(Employee, ev.employee_id)
        per = s.get(Period, ev.period_id)
        pejabat = ev.identities["pejabat_penilai"]
        return {
            "id": ev.id,
            "employee_id": emp.id,
            "name": emp.full_name,
            "period": period_code(per),
            "pejabat": pejabat["nama"],
            "pejabat_nip": pejabat["nip"],
            "unit_id": emp.unit_id,
        }


@pytest.fixture
def pejabat_key(final_evaluation, data_home):
    from kinerja_desktop.reports import certs, trust
    from kinerja_desktop.services.documents.registry import signing_key

    ca, ca_key = certs.create_ca("CA Uji Halaman Dokumen")
    trust.add_anchor(certs.cert_pem(ca), label="CA Uji Halaman Dokumen")
    cert, key = certs.issue_user_certificate(
        ca, ca_key, nip=final_evaluation["pejabat_nip"], name=final_evaluation["pejabat"]
    )
    p12 = certs.make_p12(cert, key, ca, "sandi")
    return p12, signing_key(None, p12, "sandi")


def _page(qtbot, ctx_for, db):
    from kinerja_desktop.services.access.principal import SYSTEM
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
    from kinerja_desktop.store.documents import SignedDocument
    from kinerja_desktop.ui.dialogs.verify_dialog import ROW_ANCHOR, ROW_INTACT, ROW_OWNER, ROW_SIGNER, VerifyDialog

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
    assert "Ditandatangani secara elektronik oleh" in page.status.text() and "dicatat" in page.status.text()
    assert page.ctx.bus.history()[-1] == {"documents"}
    saved = page.save(str(tmp_path / "signed.pdf"))
    digest = hashlib.sha256(saved.read_bytes()).hexdigest()
    with performance_db.session() as s:
        row = s.scalar(select(SignedDocument))
        assert row.file_digest == digest and row.record_id == final_evaluation["id"] and row.kind == "evaluasi"

    dialog = VerifyDialog(page.ctx, str(saved))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=15000)
    assert dialog.report.ok, dialog.report.reason
    assert dialog.table.columnCount() == 1
    assert final_evaluation["pejabat"] in dialog.table.item(ROW_SIGNER, 0).text()
    assert final_evaluation["pejabat"] in dialog.table.item(ROW_OWNER, 0).text()
    assert "(bukan BSrE)" in dialog.table.item(ROW_ANCHOR, 0).text()
    assert dialog.table.item(ROW_INTACT, 0).text() == "ya" and dialog.verdict.text().startswith("SAH:")
    assert "sama dengan berkas" in dialog.details.text()

    changed = tmp_path / "changed.pdf"
    changed.write_bytes(saved.read_bytes() + b"\n% ubah\n")
    dialog.check(str(changed))
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.report.file_sha256 != digest, timeout=15000)
    assert not dialog.report.ok and dialog.verdict.text().startswith("TIDAK SAH") and "diubah" in dialog.verdict.text()
    assert "sama dengan berkas" not in dialog.details.text()  # nothing contradicts the verdict
    dialog.check(str(tmp_path / "bukan.pdf"))
    qtbot.waitUntil(lambda: dialog.error is not None, timeout=5000)
    assert "tidak ditemukan" in dialog.verdict.text()


def _previewed(qtbot, ctx_for, db, final_evaluation):
    page = _page(qtbot, ctx_for, db)
    page.employee.set_employee(final_evaluation["employee_id"], final_evaluation["name"])
    page.period.setCurrentIndex(page.period.findData(final_evaluation["period"]))
    page.preview_button.click()
    qtbot.waitUntil(lambda: page.pdf is not None, timeout=15000)
    return page


def test_a_certificate_without_nip_and_another_name_asks_first(
    qtbot, ctx_for, performance_db, final_evaluation, data_home
):
    from kinerja_desktop.reports import certs, trust
    from kinerja_desktop.services.documents.registry import signing_key

    page = _previewed(qtbot, ctx_for, performance_db, final_evaluation)
    ca, ca_key = certs.create_ca("CA Lain")
    trust.add_anchor(certs.cert_pem(ca))
    cert, key = certs.issue_user_certificate(ca, ca_key, nip="", name="Orang Lain")
    FakeSignDialog.key = signing_key(None, certs.make_p12(cert, key, ca, "x"), "x")
    asked = []
    page.sign(dialog_factory=FakeSignDialog, confirm=lambda text: asked.append(text) or False)
    qtbot.waitUntil(lambda: bool(asked) and "Tidak ditandatangani" in page.status.text(), timeout=15000)
    assert "Orang Lain" in asked[0] and page.signed_roles == []


def test_someone_elses_nip_is_refused_outright(
    qtbot, ctx_for, performance_db, final_evaluation, data_home, modal_watcher
):
    from kinerja_desktop.reports import certs, trust
    from kinerja_desktop.services.documents.registry import signing_key

    page = _previewed(qtbot, ctx_for, performance_db, final_evaluation)
    ca, ca_key = certs.create_ca("CA Lain")
    trust.add_anchor(certs.cert_pem(ca))
    cert, key = certs.issue_user_certificate(ca, ca_key, nip="198001012005011001", name=final_evaluation["pejabat"])
    FakeSignDialog.key = signing_key(None, certs.make_p12(cert, key, ca, "x"), "x")
    asked = []
    page.sign(dialog_factory=FakeSignDialog, confirm=lambda text: asked.append(text) or True)
    qtbot.waitUntil(lambda: bool(modal_watcher.texts), timeout=15000)
    assert "bukan" in modal_watcher.texts[0] and not asked and page.signed_roles == []


def test_the_sign_dialog_says_where_a_certificate_comes_from(qtbot, ctx_for, performance_db, data_home):
    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.ui.dialogs.sign_dialog import SignDialog

    dialog = SignDialog(ctx_for(performance_db, SYSTEM))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.guidance_label.isVisible()
    assert "Belum ada sertifikat — buat permintaan di Pengaturan › Sertifikat" in dialog.guidance_label.text()
    dialog.try_accept()
    assert "Pengaturan › Sertifikat" in dialog.message.text()


def test_without_a_pdf_viewer_the_page_says_so(qtbot, ctx_for, performance_db, final_evaluation, modal_watcher):
    page = _previewed(qtbot, ctx_for, performance_db, final_evaluation)
    opened = []
    copy = page.open_viewer(opener=lambda url: opened.append(url) or False)
    qtbot.waitUntil(lambda: bool(modal_watcher.texts), timeout=5000)
    assert "Tidak ada program" in modal_watcher.texts[0] and "penampil PDF" in modal_watcher.texts[0]
    assert "Tidak ada penampil PDF" in page.status.text() and copy.exists() and copy.read_bytes() == page.pdf
    assert opened and opened[0].toLocalFile() == str(copy)


def test_a_draft_evaluation_is_not_signed(qtbot, ctx_for, performance_db, modal_watcher):
    from kinerja_desktop.services.performance.periods import period_code
    from kinerja_desktop.store.models import Employee, Evaluation, Period

    with performance_db.session() as s:
        from kinerja_desktop.services.performance.evaluations import current_evaluation

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
    result = dialog.result.result
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
    for mine, theirs in zip(printed, original, strict=False):  # portrait stays portrait, the landscape tables landscape
        assert (mine.mediabox.width > mine.mediabox.height) == (theirs.mediabox.width > theirs.mediabox.height)


def test_a_pejabat_is_offered_only_his_units_and_cannot_batch_another(qtbot, ctx_for, demo_db, tmp_path, modal_watcher):
    from sqlalchemy import select

    from kinerja_desktop.services.documents.registry import unit_ids_for
    from kinerja_desktop.store.models import Unit
    from kinerja_desktop.ui.pages.documents import DocumentsPage
    from tests.ui.conftest import sign_in_as

    principal = sign_in_as(demo_db, "penilai")
    page = DocumentsPage(ctx_for(demo_db, principal))
    qtbot.addWidget(page)
    page.show()
    page.activated()
    qtbot.waitUntil(lambda: bool(page.units), timeout=10000)

    def ids(nodes):
        return {n.id for n in nodes} | {i for n in nodes for i in ids(n.children)}

    with demo_db.session() as s:
        allowed = unit_ids_for(s, principal)
        every = set(s.scalars(select(Unit.id).where(Unit.deleted.is_(False))))
        outside = s.scalar(select(Unit).where(Unit.id.not_in(allowed), Unit.deleted.is_(False)).limit(1))
        outside_id, outside_name = outside.id, outside.name
    assert ids(page.units) == allowed and allowed < every
    page.unit.set_unit(outside_id, outside_name)  # chosen anyway (an old selection, a crafted click)
    page.folder.setText(str(tmp_path / "ekspor"))
    dialog = page.export_batch()
    assert dialog.error is not None and not list((tmp_path / "ekspor").glob("*.pdf"))
    qtbot.waitUntil(lambda: bool(modal_watcher.texts), timeout=5000)
    assert "tidak berwenang" in modal_watcher.texts[0]


def test_evidence_opens_as_a_private_copy_named_by_its_checked_type(
    qtbot, ctx_for, db, office_data_for_evidence, tmp_path
):
    from kinerja_desktop.services.documents import evidence
    from kinerja_desktop.ui.dialogs.skp_feedback import FeedbackPanel

    skp_id, principal = office_data_for_evidence
    panel = FeedbackPanel(ctx_for(db, principal), skp_id)
    qtbot.addWidget(panel)
    panel.show()
    source = tmp_path / "laporan.hta (final).pdf"
    source.write_bytes(b"%PDF-1.7\n%%EOF\n")
    panel.add_path(source)  # saved off the UI thread; the panel says so when it landed
    qtbot.waitUntil(lambda: "disimpan sebagai bukti dukung" in panel.status.text(), timeout=10000)
    panel.reload()
    qtbot.waitUntil(lambda: panel.files.count() == 1, timeout=10000)
    panel.files.setCurrentRow(0)
    opened = []
    panel.open_file(opener=lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    path = Path(opened[0])
    assert path.parent == evidence.private_temp_dir() and path.name.startswith("bukti-") and path.suffix == ".pdf"
    assert "hta" not in path.name and path.read_bytes() == source.read_bytes()


@pytest.fixture
def office_data_for_evidence(db):
    """An agreed SKP and its pejabat penilai, from a small office."""
    from kinerja_desktop.services.access.principal import PEJABAT_PENILAI, SYSTEM, Principal
    from kinerja_desktop.services.performance.periods import create_year
    from kinerja_desktop.services.performance.skp import create_skp
    from kinerja_desktop.store.models import Employee, Position, Unit

    with db.transaction() as s:
        unit = Unit(code="UJI", name="Unit Uji", kind="opd")
        s.add(unit)
        s.flush()
        pos = Position(name="Pelaksana", kind="pelaksana")
        s.add(pos)
        s.flush()
        boss = Employee(
            nip="198001012005031001",
            name="Atasan Uji",
            gender="L",
            status="PNS",
            golongan="III/d",
            unit_id=unit.id,
            position_id=pos.id,
            active=True,
        )
        s.add(boss)
        s.flush()
        staff = Employee(
            nip="199001012015031002",
            name="Staf Uji",
            gender="L",
            status="PNS",
            golongan="III/a",
            unit_id=unit.id,
            position_id=pos.id,
            supervisor_id=boss.id,
            active=True,
        )
        s.add(staff)
        s.flush()
        create_year(s, SYSTEM, 2026, "triwulan")
        principal = Principal("atasan", PEJABAT_PENILAI, boss.id)
        skp = create_skp(s, principal, staff.id, 2026)
        return skp.id, principal
