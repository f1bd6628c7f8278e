"""Signed documents checked by two validators that must agree: pyHanko's and poppler's pdfsig.

Every signed document here is validated by both. Agreement means: the signature is
valid for pyHanko exactly when pdfsig says "Signature is Valid", and it covers the
whole file for pyHanko exactly when pdfsig says "Total document signed".
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.reports import certs
from kinerja_desktop.reports.render import produce
from kinerja_desktop.reports.samples import (
    PEJABAT,
    sample_detailed_form,
    sample_jp_recap,
    sample_recap,
    sample_short_form,
    sample_skp,
)
from kinerja_desktop.reports.signing import countersign, load_signing_key
from kinerja_desktop.reports.verify import verify_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) not installed")

PASS = "rahasia"


@pytest.fixture(scope="module")
def ca():
    return certs.create_ca("CA Uji Integrasi (bukan BSrE)")


@pytest.fixture(scope="module")
def pejabat_key(ca):
    cert, key = certs.issue_user_certificate(ca[0], ca[1], nip=PEJABAT.nip_raw, name=PEJABAT.name)
    return load_signing_key(certs.make_p12(cert, key, ca[0], PASS), PASS)


@pytest.fixture(scope="module")
def pegawai_key(ca):
    who = sample_short_form(0).pegawai
    cert, key = certs.issue_user_certificate(ca[0], ca[1], nip=who.nip_raw, name=who.name)
    return load_signing_key(certs.make_p12(cert, key, ca[0], PASS), PASS)


def pdfsig(path: Path) -> list[dict]:
    """The signed signatures pdfsig reports: field, valid, total (whole document signed)."""
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    found = []
    for block in re.split(r"\nSignature #\d+:", out)[1:]:
        if "is not signed" in block:
            continue
        field = re.search(r"Signature Field Name: (\S+)", block)
        found.append(
            {
                "field": field.group(1) if field else "",
                "valid": "Signature Validation: Signature is Valid." in block,
                "total": "- Total document signed" in block,
            }
        )
    return found


def assert_agree(path: Path, trust) -> tuple:
    """Both validators on one file; they must agree per signature. Returns (report, pdfsig)."""
    report = verify_pdf(path, trust_certificates=[trust])
    theirs = {s["field"]: s for s in pdfsig(path)}
    assert len(theirs) == len(report.signatures)
    for sig in report.signatures:
        other = theirs[sig.field_name]
        assert sig.intact == other["valid"], (sig.field_name, sig.intact, other)
        assert sig.covers_whole_file == other["total"], (sig.field_name, sig.coverage, other)
    return report, theirs


@pytest.mark.parametrize(
    "make",
    [sample_short_form, sample_detailed_form, sample_skp, sample_recap, sample_jp_recap],
    ids=["short", "detailed", "skp", "recap", "jp"],
)
def test_every_form_signs_and_both_validators_accept_it(make, ca, pejabat_key, tmp_path):
    view = make()
    if not hasattr(view, "pejabat"):  # recaps are signed by the head of the unit
        view = type(view)(**{**view.__dict__, "signer": PEJABAT})
    produced = produce(view, pejabat_key)
    path = tmp_path / "signed.pdf"
    path.write_bytes(produced.pdf)
    report, theirs = assert_agree(path, ca[0])
    assert report.ok, report.reason
    sig = report.signatures[0]
    assert (sig.signer_name, sig.signer_nip, sig.role) == (PEJABAT.name, PEJABAT.nip_raw, "pejabat")
    assert sig.intact and sig.unchanged and sig.trusted and sig.covers_whole_file
    assert all(s["valid"] and s["total"] for s in theirs.values())
    assert report.verification.document_id == view.document_id
    assert report.verification.signer_nip == PEJABAT.nip_raw


def test_the_employee_countersigns_and_the_first_signature_stays_valid(ca, pejabat_key, pegawai_key, tmp_path):
    first = produce(sample_short_form(0), pejabat_key).pdf
    both = countersign(first, pegawai_key)
    assert both.startswith(first)  # incremental: the first revision is untouched
    path = tmp_path / "both.pdf"
    path.write_bytes(both)
    report, theirs = assert_agree(path, ca[0])
    assert report.ok, report.reason
    by_role = {s.role: s for s in report.signatures}
    assert by_role["pejabat"].unchanged and not by_role["pejabat"].covers_whole_file
    assert by_role["pegawai"].covers_whole_file
    assert all(s["valid"] for s in theirs.values())
    with pytest.raises(Exception, match="sudah ditandatangani"):
        countersign(both, pegawai_key)


def test_untrusted_signer_is_intact_but_not_ok(ca, pejabat_key, tmp_path):
    path = tmp_path / "s.pdf"
    path.write_bytes(produce(sample_short_form(0), pejabat_key).pdf)
    other_ca = certs.create_ca("CA Lain")[0]
    report = verify_pdf(path, trust_certificates=[other_ca])
    assert report.signatures[0].intact and not report.signatures[0].trusted
    assert not report.ok and "tidak berasal dari CA terpercaya" in report.reason


def _incremental_edit(data: bytes) -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    ref = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 400 Td (PALSU) Tj ET"))
    writer.add_stream_to_page(0, ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _flip_inside_signed_range(data: bytes) -> bytes:
    i = data.index(b"(DOKUMEN") if b"(DOKUMEN" in data else data.index(b"stream") + 40
    return data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1 :]


@pytest.mark.parametrize(
    "tamper,why",
    [
        (lambda d: d + b"\n% diubah setelah ditandatangani\n", "data tambahan"),
        (_incremental_edit, "diubah setelah ditandatangani"),
        (_flip_inside_signed_range, "tidak utuh"),
    ],
    ids=["appended-bytes", "incremental-edit", "byte-changed"],
)
def test_a_pdf_changed_after_signing_fails_for_both_validators(tamper, why, ca, pejabat_key, tmp_path):
    signed = produce(sample_short_form(0), pejabat_key).pdf
    path = tmp_path / "t.pdf"
    path.write_bytes(tamper(signed))
    report, theirs = assert_agree(path, ca[0])
    assert not report.ok and why in report.reason
    only = next(iter(theirs.values()))
    assert not (only["valid"] and only["total"])  # pdfsig too: invalid, or not the whole document


def test_a_file_that_is_not_a_pdf_is_said_so(tmp_path):
    path = tmp_path / "surat.pdf"
    path.write_text("ini bukan PDF")
    with pytest.raises(UnusableInput, match="bukan PDF"):
        verify_pdf(path)


def test_an_unsigned_document_has_no_signature_and_says_so(tmp_path):
    path = tmp_path / "u.pdf"
    path.write_bytes(produce(sample_short_form(0)).pdf)
    report = verify_pdf(path)
    assert not report.ok and report.reason == "TIDAK SAH: dokumen ini tidak memiliki tanda tangan elektronik."
    assert pdfsig(path) == []


def test_signed_footer_appears_only_on_signed_documents(ca, pejabat_key, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")

    def text(data):
        path = tmp_path / "x.pdf"
        path.write_bytes(data)
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout

    unsigned = text(produce(sample_short_form(0)).pdf)
    signed = text(produce(sample_short_form(0), pejabat_key).pdf)
    assert "belum ditandatangani secara elektronik" in unsigned
    assert "ditandatangani secara elektronik menggunakan" not in unsigned
    assert "ditandatangani secara elektronik menggunakan" in signed and "bukan sertifikat BSrE" in signed
    assert "BSSN" not in signed


def test_a_certificate_with_digital_signature_but_no_non_repudiation_verifies(ca, tmp_path):
    cert, key = certs.issue_user_certificate(
        ca[0], ca[1], nip=PEJABAT.nip_raw, name=PEJABAT.name, non_repudiation=False
    )
    signing_key = load_signing_key(certs.make_p12(cert, key, ca[0], PASS), PASS)
    path = tmp_path / "ds.pdf"
    path.write_bytes(produce(sample_short_form(0), signing_key).pdf)
    report, theirs = assert_agree(path, ca[0])
    assert report.ok, report.reason


def test_the_stamp_shows_the_signer_nip_and_the_time_in_wib_in_an_embedded_font(tmp_path, ca, pejabat_key, pegawai_key):
    from datetime import datetime, timedelta, timezone

    path = tmp_path / "stamped.pdf"
    first = produce(sample_short_form(0), pejabat_key).pdf
    path.write_bytes(countersign(first, pegawai_key, signer_nip=sample_short_form(0).pegawai.nip_raw))
    assert_agree(path, ca[0])
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(re.search(r"\byes\s+yes\b", line) for line in rows), fonts  # stamps included
    assert not any("Courier" in line or "Helvetica" in line for line in rows)
    # poppler prints the stamps' appearance streams with the page
    stamp_text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "WIB" in stamp_text and "NIP. 197503122002122004" in stamp_text
    assert "NIP. " + sample_short_form(0).pegawai.nip_raw in stamp_text
    assert "+0000" not in stamp_text
    times = re.findall(r"Waktu: (\d\d-\d\d-\d{4} \d\d:\d\d:\d\d) WIB", stamp_text)
    assert len(times) == 2
    report = verify_pdf(path, trust_certificates=[ca[0]])
    wib = timezone(timedelta(hours=7))
    signed = [s.signing_time.astimezone(wib).strftime("%d-%m-%Y %H:%M:%S") for s in report.signatures if s.signing_time]
    assert sorted(times) == sorted(signed)  # the stamp shows exactly the recorded signing time
    assert abs(datetime.now(wib) - datetime.strptime(times[0], "%d-%m-%Y %H:%M:%S").replace(tzinfo=wib)) < timedelta(
        minutes=10
    )


def test_a_draft_cannot_be_signed(pejabat_key):
    from kinerja_desktop.errors import UserError

    with pytest.raises(UserError, match="Dokumen draf tidak dapat ditandatangani"):
        produce(sample_short_form(0, draft=True), pejabat_key)
