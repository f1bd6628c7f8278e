"""``kinerja report`` and ``kinerja certs`` on a real database, as an office would run them."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from kinerja_desktop.cli import main
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.performance import evaluations as svc
from kinerja_desktop.services.performance.capaian import set_capaian
from kinerja_desktop.store.models import AuditEntry, Employee

PASS = "sandi-pejabat"


@pytest.fixture
def office_data(db, office, perf):
    """staf1 with a final TW1 evaluation by kabid; staf2 with none."""
    with db.transaction() as s:
        set_capaian(s, SYSTEM, office.dinas, perf.YEAR, "Baik")
        perf.agreed_skp(s, SYSTEM, office.staf1)
        ev = svc.start_evaluation(s, office.kabid_p, office.staf1, perf.period_id(s, "triwulan", 1))
        form = svc.EvaluationForm("Sesuai Ekspektasi", "Sesuai Ekspektasi", perf.fill_realisasi(s, ev.id))
        ev = svc.save_evaluation(s, office.kabid_p, ev.id, form, expected_hlc=ev.updated_hlc)
        svc.finalize_evaluation(s, office.kabid_p, ev.id, expected_hlc=ev.updated_hlc, today=date(2026, 4, 6))
        staf = s.get(Employee, office.staf1)
        kabid = s.get(Employee, office.kabid)
        return {
            "evaluation": ev.id,
            "nip": staf.nip,
            "name": staf.full_name,
            "kabid_nip": kabid.nip,
            "kabid": kabid.full_name,
        }


def certificate(tmp_path, nip: str, name: str):
    """A key made here (certs request), signed by the district CA (certs issue), kept here (certs import)."""
    from kinerja_desktop.reports import certs

    request, answer = tmp_path / f"{nip}.csr", tmp_path / f"{nip}.pem"
    assert main(["certs", "request", "--nip", nip, "--name", name, "-o", str(request)]) == 0
    assert b"PRIVATE KEY" not in request.read_bytes()
    assert main(["certs", "issue", str(request), "-o", str(answer)]) == 0
    assert main(["certs", "import", str(answer)]) == 0
    return certs.user_p12_path(nip)


@pytest.fixture
def kabid_p12(office_data, tmp_path, monkeypatch):
    """A district CA made with the CLI and a certificate for the pejabat penilai (kabid)."""
    monkeypatch.setenv("KINERJA_CA_PASSPHRASE", "sandi-ca-kabupaten")
    monkeypatch.setenv("KINERJA_SIGN_PASSPHRASE", PASS)
    assert main(["certs", "ca-create"]) == 0
    return certificate(tmp_path, office_data["kabid_nip"], office_data["kabid"])


def recorded(db, kind: str):
    from sqlalchemy import select

    from kinerja_desktop.store.documents import SignedDocument

    with db.session() as s:
        return list(s.scalars(select(SignedDocument).where(SignedDocument.kind == kind)))


def test_unsigned_appraisal_is_written(office_data, tmp_path, capsys):
    out = tmp_path / "eval.pdf"
    assert (
        main(["report", "appraisal", "--nip", office_data["nip"], "--year", "2026", "--period", "TW1", "-o", str(out)])
        == 0
    )
    assert out.read_bytes().startswith(b"%PDF")
    assert "tanda tangan basah" in capsys.readouterr().out


def test_signed_appraisal_records_its_hash_and_verify_matches_the_record(db, office_data, kabid_p12, tmp_path, capsys):

    out = tmp_path / "signed.pdf"
    assert (
        main(
            [
                "report",
                "appraisal",
                "--nip",
                office_data["nip"],
                "--year",
                "2026",
                "--period",
                "TW1",
                "--form",
                "detailed",
                "-o",
                str(out),
                "--sign",
                str(kabid_p12),
            ]
        )
        == 0
    )
    import hashlib

    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    rows = recorded(db, "evaluasi-rinci")
    assert [r.file_digest for r in rows] == [digest] and rows[0].record_id == office_data["evaluation"]
    assert rows[0].official and rows[0].signers[0]["nip"] == office_data["kabid_nip"]
    assert not recorded(db, "evaluasi")
    with db.session() as s:
        assert s.query(AuditEntry).filter(AuditEntry.action == "sign").count() == 1
    capsys.readouterr()
    assert main(["report", "verify", str(out)]) == 0
    said = capsys.readouterr().out
    assert "sama dengan berkas bertanda tangan yang tercatat" in said
    assert "Utuh: ya" in said and office_data["kabid"] in said and "PAdES B-LT" in said
    assert said.strip().splitlines()[-1].startswith("SAH:")
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(out.read_bytes() + b"\n%tambahan\n")
    assert main(["report", "verify", str(changed)]) == 1
    said = capsys.readouterr().out
    verdicts = [line for line in said.splitlines() if line.startswith(("SAH", "TIDAK SAH"))]
    assert verdicts == [said.strip().splitlines()[-1]]
    assert verdicts[0].startswith("TIDAK SAH: dokumen telah diubah setelah ditandatangani")
    assert "sama dengan berkas" not in said


def test_wrong_passphrase_writes_no_file(office_data, kabid_p12, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KINERJA_SIGN_PASSPHRASE", "salah")
    out = tmp_path / "signed.pdf"
    assert (
        main(
            [
                "report",
                "appraisal",
                "--nip",
                office_data["nip"],
                "--year",
                "2026",
                "--period",
                "TW1",
                "-o",
                str(out),
                "--sign",
                str(kabid_p12),
            ]
        )
        == 1
    )
    assert not out.exists() and not list(tmp_path.glob("*.pdf*"))
    assert "Kata sandi sertifikat salah" in capsys.readouterr().err


def test_someone_elses_certificate_is_refused_even_when_confirmed(office_data, kabid_p12, tmp_path, capsys):
    other = certificate(tmp_path, office_data["nip"], office_data["name"])
    out = tmp_path / "x.pdf"
    args = [
        "report",
        "appraisal",
        "--nip",
        office_data["nip"],
        "--year",
        "2026",
        "--period",
        "TW1",
        "-o",
        str(out),
        "--sign",
        str(other),
    ]
    for extra in ([], ["--confirm-name-mismatch"]):
        assert main(args + extra) == 1 and not out.exists()
        err = capsys.readouterr().err
        assert f"bukan {office_data['kabid']}" in err and "pemilik kolom Pejabat Penilai Kinerja" in err


def test_no_evaluation_draft_signing_and_bad_paths_are_told(db, office, perf, office_data, kabid_p12, tmp_path, capsys):
    with db.session() as s:
        staf2 = s.get(Employee, office.staf2).nip
    assert main(["report", "appraisal", "--nip", staf2, "--year", "2026", "-o", str(tmp_path / "a.pdf")]) == 1
    assert "Belum ada evaluasi kinerja" in capsys.readouterr().err
    assert (
        main(
            [
                "report",
                "appraisal",
                "--nip",
                office_data["nip"],
                "--year",
                "2026",
                "--period",
                "TW1",
                "-o",
                str(tmp_path / "missing" / "a.pdf"),
            ]
        )
        == 1
    )
    assert "tidak ada" in capsys.readouterr().err
    with db.transaction() as s:
        svc.start_evaluation(s, office.kabid_p, office.staf1, perf.period_id(s))
    out = tmp_path / "draft.pdf"
    assert (
        main(
            [
                "report",
                "appraisal",
                "--nip",
                office_data["nip"],
                "--year",
                "2026",
                "-o",
                str(out),
                "--sign",
                str(kabid_p12),
            ]
        )
        == 1
    )
    assert "masih draf" in capsys.readouterr().err and not out.exists()
    assert main(["report", "appraisal", "--nip", office_data["nip"], "--year", "2026", "-o", str(out)]) == 0


def test_verify_says_when_a_file_is_not_a_pdf(tmp_path, capsys):
    bogus = tmp_path / "x.pdf"
    bogus.write_text("bukan pdf")
    assert main(["report", "verify", str(bogus)]) == 1
    assert "bukan PDF" in capsys.readouterr().out
    assert main(["report", "verify", str(tmp_path / "nothing.pdf")]) == 1


def test_batch_writes_one_file_per_employee_and_a_combined_pdf(db, office_data, kabid_p12, tmp_path, capsys):
    out = tmp_path / "batch"
    code = main(
        [
            "report",
            "batch",
            "--unit",
            "DINAS-X",
            "--year",
            "2026",
            "--period",
            "TW1",
            "-o",
            str(out),
            "--combined",
            "--sign",
            str(kabid_p12),
        ]
    )
    assert code == 3  # done, but some employees had no final evaluation
    name = f"{office_data['nip']}_evaluasi_TW1-2026.pdf"
    assert (out / name).exists()
    combined = list(out.glob("gabungan_*.pdf"))
    assert len(combined) == 1
    captured = capsys.readouterr()
    assert "1 dokumen ditulis" in captured.out and "(1 ditandatangani)" in captured.out
    assert "Staf Dua" in captured.err
    import hashlib

    rows = recorded(db, "evaluasi")
    assert [r.file_digest for r in rows] == [hashlib.sha256((out / name).read_bytes()).hexdigest()]


def test_the_employee_countersigns_from_the_command_line(office_data, kabid_p12, tmp_path, capsys):
    from kinerja_desktop.reports import certs

    first = tmp_path / "first.pdf"
    assert (
        main(
            [
                "report",
                "appraisal",
                "--nip",
                office_data["nip"],
                "--year",
                "2026",
                "--period",
                "TW1",
                "-o",
                str(first),
                "--sign",
                str(kabid_p12),
            ]
        )
        == 0
    )
    staf_p12 = certificate(tmp_path, office_data["nip"], office_data["name"])
    both = tmp_path / "both.pdf"
    assert main(["report", "countersign", str(first), "-o", str(both), "--sign", office_data["nip"]]) == 0
    capsys.readouterr()
    assert staf_p12.exists()
    assert main(["report", "verify", str(both), "--trust", str(certs.ca_cert_path())]) == 0
    said = capsys.readouterr().out
    assert said.count("Utuh: ya") == 2 and "sama dengan berkas" in said and "2 tanda tangan" in said
    assert main(["report", "countersign", str(first), "-o", str(tmp_path / "again.pdf"), "--sign", str(kabid_p12)]) == 1
    assert f"bukan {office_data['name']}" in capsys.readouterr().err


def test_certs_import_and_list(office_data, kabid_p12, tmp_path, capsys):
    from kinerja_desktop.reports import certs

    copy = tmp_path / "salinan.p12"
    copy.write_bytes(kabid_p12.read_bytes())
    kabid_p12.unlink()
    assert main(["certs", "import", str(copy)]) == 0  # the NIP comes from the certificate
    assert certs.user_p12_path(office_data["kabid_nip"]).exists()
    assert main(["certs", "list"]) == 0
    out = capsys.readouterr().out
    assert "CA terpercaya (1)" in out and office_data["kabid_nip"] in out and office_data["kabid"] in out


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
def test_recap_command(office_data, tmp_path):
    out = tmp_path / "recap.pdf"
    assert main(["report", "recap", "--unit", "DINAS-X", "--year", "2026", "--period", "TW1", "-o", str(out)]) == 0
    import subprocess

    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert office_data["name"] in text and "Baik" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
def test_training_recap_command_shows_jp_per_employee(db, office, office_data, tmp_path):
    import subprocess

    from kinerja_desktop.services.training.records import ActivityInput, create_record

    with db.transaction() as s:
        create_record(
            s,
            SYSTEM,
            office.staf1,
            ActivityInput("Bimtek SIG", "KL10", date(2026, 3, 2), date(2026, 3, 4), "24"),
            confirm=True,
        )
        create_record(
            s,
            SYSTEM,
            office.staf2,
            ActivityInput("Coaching", "NKL01", date(2026, 5, 2), date(2026, 5, 2), "2,5"),
            confirm=True,
        )
    out = tmp_path / "jp.pdf"
    assert main(["report", "training", "--unit", "DINAS-X", "--year", "2026", "-o", str(out)]) == 0
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    assert "REKAPITULASI JAM PELAJARAN" in text and office_data["name"] in text
    staf1 = next(line for line in text.splitlines() if office_data["name"] in line)
    assert "24" in staf1 and "Ya" in staf1
    staf2 = next(line for line in text.splitlines() if "Staf Dua" in line)
    assert "2,5" in staf2 and "Belum" in staf2


def test_a_draft_skp_prints_marked_but_is_not_signed(db, office, office_data, kabid_p12, tmp_path, capsys):
    from kinerja_desktop.services.performance.skp import create_skp

    with db.transaction() as s:
        create_skp(s, office.kabid_p, office.staf2, 2026)
        nip = s.get(Employee, office.staf2).nip
    signed = tmp_path / "skp-signed.pdf"
    assert main(["report", "skp", "--nip", nip, "--year", "2026", "-o", str(signed), "--sign", str(kabid_p12)]) == 1
    assert "belum disepakati" in capsys.readouterr().err and not signed.exists()
    plain = tmp_path / "skp.pdf"
    assert main(["report", "skp", "--nip", nip, "--year", "2026", "-o", str(plain)]) == 0
    if shutil.which("pdftotext"):
        import subprocess

        text = subprocess.run(["pdftotext", str(plain), "-"], capture_output=True, text=True).stdout
        assert "TAHUN 2026 (DRAF)" in text


def test_an_agreed_skp_is_signed_by_the_pejabat(office_data, kabid_p12, tmp_path):
    from kinerja_desktop.reports.verify import verify_pdf

    out = tmp_path / "skp.pdf"
    assert (
        main(["report", "skp", "--nip", office_data["nip"], "--year", "2026", "-o", str(out), "--sign", str(kabid_p12)])
        == 0
    )
    report = verify_pdf(out)
    assert report.signatures[0].signer_name == office_data["kabid"] and report.signatures[0].intact
