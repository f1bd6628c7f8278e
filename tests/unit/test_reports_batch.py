"""Batch export with worker processes: every file written and signed, cancel leaves nothing."""

from __future__ import annotations

import os

import pytest

from kinerja_desktop.reports import certs
from kinerja_desktop.reports.batch import BatchItem, batch_filename, export_batch
from kinerja_desktop.reports.samples import PEJABAT, sample_short_form
from kinerja_desktop.reports.verify import verify_pdf
from kinerja_desktop.services.progress import Cancelled, run

PASS = "sandi"


@pytest.fixture(scope="module")
def ca_and_p12():
    ca, ca_key = certs.create_ca("CA Uji Batch")
    cert, key = certs.issue_user_certificate(ca, ca_key, nip=PEJABAT.nip_raw, name=PEJABAT.name)
    return ca, certs.make_p12(cert, key, ca, PASS)


def items(n: int) -> list[BatchItem]:
    return [
        BatchItem(
            sample_short_form(i), batch_filename(sample_short_form(i).pegawai.nip_raw + f"x{i}", "evaluasi", "TW1-2026")
        )
        for i in range(n)
    ]


def test_file_names_are_nip_form_period():
    assert batch_filename("198609262015051001", "evaluasi", "TW1-2026") == "198609262015051001_evaluasi_TW1-2026.pdf"
    assert (
        batch_filename("1986 0926/..", "evaluasi rinci", "AKHIR 2026") == "1986-0926-.._evaluasi-rinci_AKHIR-2026.pdf"
    )


@pytest.mark.parametrize("start_method", ["spawn"] + (["fork"] if hasattr(os, "fork") else []))
def test_a_signed_batch_over_two_workers_writes_valid_files_and_a_combined_pdf(ca_and_p12, tmp_path, start_method):
    ca, p12 = ca_and_p12
    progress = []
    batch = items(7)
    result = run(
        export_batch(
            batch, tmp_path, p12=p12, passphrase=PASS, workers=2, combined_name="semua.pdf", start_method=start_method
        ),
        progress.append,
    )
    assert [p.name for p in result.files] == [i.filename for i in batch]  # in the order asked
    assert result.signed == 7 and not result.rejected
    assert progress[-1].done == 7 and progress[0].total == 7
    assert result.cpu_seconds and os.getpid() not in result.cpu_seconds  # done in worker processes
    for path in (result.files[0], result.files[-1]):
        report = verify_pdf(path, trust_certificates=[ca])
        assert report.ok, report.reason
    from pypdf import PdfReader

    assert len(PdfReader(str(result.combined)).pages) == 7


def test_a_document_for_another_pejabat_is_rejected_not_signed(ca_and_p12, tmp_path):
    import dataclasses

    ca, p12 = ca_and_p12
    batch = items(2)
    other = dataclasses.replace(
        batch[1].view, pejabat=dataclasses.replace(PEJABAT, name="Pejabat Lain", nip_raw="198001012005031099")
    )
    batch[1] = BatchItem(other, batch[1].filename)
    result = run(export_batch(batch, tmp_path, p12=p12, passphrase=PASS, workers=0))
    assert [p.name for p in result.files] == [batch[0].filename]
    assert result.rejected and result.rejected[0][0] == batch[1].filename
    assert "bukan Pejabat Lain" in result.rejected[0][1]
    assert not (tmp_path / batch[1].filename).exists()


def test_cancel_stops_the_workers_and_removes_what_was_written(ca_and_p12, tmp_path):
    ca, p12 = ca_and_p12
    seen = []

    def cancel_after_two() -> bool:
        return len(seen) >= 2

    with pytest.raises(Cancelled):
        run(
            export_batch(items(12), tmp_path, p12=p12, passphrase=PASS, workers=2, combined_name="semua.pdf"),
            seen.append,
            cancel_after_two,
        )
    assert list(tmp_path.iterdir()) == []


def test_a_wrong_passphrase_stops_the_batch_before_anything_is_written(ca_and_p12, tmp_path):
    from kinerja_desktop.reports.certs import CertificateError

    _ca, p12 = ca_and_p12
    with pytest.raises(CertificateError):
        run(export_batch(items(5), tmp_path / "out", p12=p12, passphrase="salah", workers=2))
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_an_unusable_output_folder_is_refused_before_any_work(tmp_path):
    from kinerja_desktop.errors import UserError

    blocker = tmp_path / "berkas"
    blocker.write_text("bukan folder")
    with pytest.raises(UserError, match="tidak dapat dibuat"):
        run(export_batch(items(2), blocker / "out", workers=0))
