"""Continuous feedback: notes per RHK and per value, evidence files, dialog kinerja."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from kinerja_desktop.errors import PermissionDenied, UserError
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.documents import evidence
from kinerja_desktop.services.performance import feedback
from kinerja_desktop.services.performance.periods import PeriodClosed, set_closed
from kinerja_desktop.store.models import Rhk

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture
def skp(db, office, perf):
    with db.transaction() as s:
        skp_id = perf.agreed_skp(s, SYSTEM, office.staf1)
        rhk_id = s.scalar(select(Rhk.id).where(Rhk.skp_id == skp_id))
    return skp_id, rhk_id


def test_dated_notes_per_rhk_and_per_value(db, office, skp):
    skp_id, rhk_id = skp
    with db.transaction() as s:
        feedback.add_feedback(s, office.kabid_p, skp_id, "Laporan Maret lengkap", date(2026, 3, 30), rhk_id=rhk_id)
        feedback.add_feedback(s, office.kabid_p, skp_id, "Datang tepat waktu", date(2026, 2, 2), value_code="AKUNTABEL")
        notes = feedback.list_feedback(s, office.hr, skp_id)
        assert [n.text for n in notes] == ["Datang tepat waktu", "Laporan Maret lengkap"]
        assert notes[1].author == "kabid"
        assert [n.text for n in feedback.list_feedback(s, SYSTEM, skp_id, rhk_id=rhk_id)] == ["Laporan Maret lengkap"]
        with pytest.raises(UserError, match="satu RHK atau satu nilai"):
            feedback.add_feedback(s, SYSTEM, skp_id, "x", date(2026, 3, 1))
        with pytest.raises(UserError, match="tidak dikenal"):
            feedback.add_feedback(s, SYSTEM, skp_id, "x", date(2026, 3, 1), value_code="JUJUR")
        with pytest.raises(UserError, match="di luar tahun SKP"):
            feedback.add_feedback(s, SYSTEM, skp_id, "x", date(2027, 1, 3), value_code="LOYAL")
        with pytest.raises(PermissionDenied):
            feedback.add_feedback(s, office.hr, skp_id, "x", date(2026, 3, 1), value_code="LOYAL")


def test_dialog_kinerja_log(db, office, skp):
    skp_id, _rhk = skp
    with db.transaction() as s:
        feedback.add_dialog(s, office.kabid_p, skp_id, date(2026, 1, 8), "Penyusunan SKP", "Sepakat", "perencanaan")
        feedback.add_dialog(s, office.kabid_p, skp_id, date(2026, 6, 1), "Pemantauan semester I")
        assert [d.topic for d in feedback.list_dialogs(s, office.hr, skp_id)] == [
            "Penyusunan SKP",
            "Pemantauan semester I",
        ]
        with pytest.raises(UserError, match="Tahap dialog"):
            feedback.add_dialog(s, SYSTEM, skp_id, date(2026, 6, 1), "x", stage="rapat")


@pytest.mark.parametrize(
    "name,content", [("laporan.pdf", PDF), ("foto.JPG", JPG), ("foto.jpeg", JPG), ("grafik.png", PNG)]
)
def test_accepted_evidence_is_kept_by_content_hash(db, office, skp, tmp_path, data_home, name, content):
    skp_id, rhk_id = skp
    source = tmp_path / name
    source.write_bytes(content)
    with db.transaction() as s:
        row = evidence.add_evidence(s, office.kabid_p, skp_id, source, rhk_id=rhk_id, description="bukti")
        sha = hashlib.sha256(content).hexdigest()
        assert (row.sha256, row.size, row.file_name) == (sha, len(content), name)
        stored = data_home / "blobs" / sha[:2] / sha
        assert stored.read_bytes() == content
        assert evidence.evidence_path(s, office.hr, row.id) == stored
        # the same bytes again: one blob, two rows
        evidence.add_evidence(s, office.kabid_p, skp_id, source)
        assert len(evidence.list_evidence(s, SYSTEM, skp_id)) == 2
    assert [p.name for p in (data_home / "blobs").rglob("*") if p.is_file()] == [sha]


def _office_zip(path, part):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(part, "<x/>")


def test_docx_and_xlsx_must_hold_their_office_part(tmp_path):
    _office_zip(tmp_path / "a.docx", "word/document.xml")
    _office_zip(tmp_path / "b.xlsx", "xl/workbook.xml")
    _office_zip(tmp_path / "c.docx", "xl/workbook.xml")  # an Excel file renamed .docx
    assert evidence.check_file(tmp_path / "a.docx").endswith("wordprocessingml.document")
    assert evidence.check_file(tmp_path / "b.xlsx").endswith("spreadsheetml.sheet")
    with pytest.raises(evidence.EvidenceRefused, match="bukan DOCX"):
        evidence.check_file(tmp_path / "c.docx")


def test_an_exe_renamed_pdf_is_refused(db, office, skp, tmp_path, data_home):
    skp_id, _rhk = skp
    fake = tmp_path / "laporan.pdf"
    fake.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)  # a Windows program
    with db.transaction() as s, pytest.raises(evidence.EvidenceRefused) as err:
        evidence.add_evidence(s, office.kabid_p, skp_id, fake)
    assert err.value.message == (
        "Isi berkas laporan.pdf bukan PDF walaupun namanya berakhiran .pdf; berkas ini "
        "tidak diterima. Simpan ulang berkas dalam format yang benar."
    )
    assert not (data_home / "blobs").exists() or not any((data_home / "blobs").rglob("*"))


def test_other_types_are_refused_with_a_sentence(db, office, skp, tmp_path):
    skp_id, _rhk = skp
    for name in ("setup.exe", "catatan.txt", "lama.doc", "tanpa-akhiran"):
        (tmp_path / name).write_bytes(PDF)
        with (
            db.transaction() as s,
            pytest.raises(evidence.EvidenceRefused, match="hanya PDF, JPG, PNG, DOCX, XLSX yang diterima"),
        ):
            evidence.add_evidence(s, office.kabid_p, skp_id, tmp_path / name)


def test_an_evidence_file_of_20_mb_plus_one_byte_is_refused(db, office, skp, tmp_path):
    skp_id, _rhk = skp
    big = tmp_path / "besar.pdf"
    with big.open("wb") as fh:
        fh.write(PDF)
        fh.truncate(evidence.MAX_BYTES + 1)
    with db.transaction() as s, pytest.raises(evidence.EvidenceRefused, match="terlalu besar .*paling besar 20 MB"):
        evidence.add_evidence(s, office.kabid_p, skp_id, big)
    exact = tmp_path / "pas.pdf"
    with exact.open("wb") as fh:
        fh.write(PDF)
        fh.truncate(evidence.MAX_BYTES)
    with db.transaction() as s:
        assert evidence.add_evidence(s, office.kabid_p, skp_id, exact).size == 20 * 1024 * 1024


def test_feedback_in_a_closed_period_is_refused(db, office, skp, tmp_path):
    skp_id, rhk_id = skp
    with db.transaction() as s:
        from kinerja_desktop.store.models import Skp

        set_closed(s, SYSTEM, s.get(Skp, skp_id).period_id, True)
    (tmp_path / "a.pdf").write_bytes(PDF)
    with db.transaction() as s:
        with pytest.raises(PeriodClosed):
            feedback.add_feedback(s, office.kabid_p, skp_id, "x", date(2026, 3, 1), rhk_id=rhk_id)
        with pytest.raises(PeriodClosed):
            evidence.add_evidence(s, office.kabid_p, skp_id, tmp_path / "a.pdf")
        with pytest.raises(PeriodClosed):
            feedback.add_dialog(s, office.kabid_p, skp_id, date(2026, 3, 1), "x")
