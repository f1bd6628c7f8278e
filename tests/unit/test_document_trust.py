"""Documents that cannot be forged, tried as an auditor and as an attacker would.

Real files throughout: certificates made with ``kinerja certs`` (key on the signer's side,
CSR, district CA), a timestamp server answering RFC 3161 over HTTP on 127.0.0.1, every
signed file checked by pyHanko (through ``report verify``) and by poppler's ``pdfsig``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import select

from kinerja_desktop.cli import main
from kinerja_desktop.reports import certs, trust
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.documents import registry as documents
from kinerja_desktop.services.performance import evaluations as svc
from kinerja_desktop.services.performance.capaian import set_capaian
from kinerja_desktop.store.models import Employee

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import pki_support

PASS = "sandi-penanda-tangan"
pytestmark = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) not installed")


@pytest.fixture(scope="module")
def tsa():
    authority = pki_support.start_tsa()
    yield authority
    authority.close()


@pytest.fixture
def office_data(db, office, perf, monkeypatch):
    """A final TW1 evaluation of staf1 by kabid; the district CA made on this computer."""
    with db.transaction() as s:
        set_capaian(s, SYSTEM, office.dinas, perf.YEAR, "Baik")
        perf.agreed_skp(s, SYSTEM, office.staf1)
        ev = svc.start_evaluation(s, office.kabid_p, office.staf1, perf.period_id(s, "triwulan", 1))
        form = svc.EvaluationForm("Sesuai Ekspektasi", "Sesuai Ekspektasi", perf.fill_realisasi(s, ev.id))
        ev = svc.save_evaluation(s, office.kabid_p, ev.id, form, expected_hlc=ev.updated_hlc)
        svc.finalize_evaluation(s, office.kabid_p, ev.id, expected_hlc=ev.updated_hlc, today=date(2026, 4, 6))
        people = {k: s.get(Employee, getattr(office, k)) for k in ("kabid", "staf1", "staf2", "outsider")}
        info = {k: (e.nip, e.full_name) for k, e in people.items()}
    monkeypatch.setenv("KINERJA_CA_PASSPHRASE", "sandi-ca-kabupaten")
    monkeypatch.setenv("KINERJA_SIGN_PASSPHRASE", PASS)
    assert main(["certs", "ca-create"]) == 0
    return info


def certificate(tmp_path, nip: str, name: str) -> Path:
    request, answer = tmp_path / f"{nip}.csr", tmp_path / f"{nip}.pem"
    assert main(["certs", "request", "--nip", nip, "--name", name, "-o", str(request)]) == 0
    assert main(["certs", "issue", str(request), "-o", str(answer)]) == 0
    assert main(["certs", "import", str(answer)]) == 0
    return certs.user_p12_path(nip)


def appraisal(office_data, out: Path, sign: str | None, *extra) -> int:
    args = [
        "report",
        "appraisal",
        "--nip",
        office_data["staf1"][0],
        "--year",
        "2026",
        "--period",
        "TW1",
        "-o",
        str(out),
        *extra,
    ]
    return main(args + (["--sign", sign] if sign else []))


def verify(capsys, path: Path, *extra) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["report", "verify", str(path), *extra])
    out = capsys.readouterr().out
    verdicts = [line for line in out.splitlines() if line.startswith(("SAH", "TIDAK SAH"))]
    assert len(verdicts) == 1 and out.strip().splitlines()[-1] == verdicts[0], out  # one verdict, at the end
    return code, out


def pdfsig_valid(path: Path) -> list[bool]:
    """For each signed signature pdfsig reports: "Signature is Valid"."""
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    blocks = [
        b
        for b in re.split(r"\nSignature #\d+:", out)[1:]
        if "is not signed" not in b and "Signature Type: unknown" not in b
    ]  # the document timestamp is checked by pyHanko
    return ["Signature Validation: Signature is Valid." in b for b in blocks]


def test_a_form_signed_by_someone_other_than_its_pejabat_fails_verification(db, office, office_data, tmp_path, capsys):
    """The operator's own certificate in the pejabat's box: refused when signing, caught when forged."""
    from kinerja_desktop.reports.render import produce
    from kinerja_desktop.reports.signing import load_signing_key
    from kinerja_desktop.reports.views import PersonIdentity

    operator = certificate(tmp_path, *office_data["staf2"])
    out = tmp_path / "op.pdf"
    assert appraisal(office_data, out, str(operator), "--confirm-name-mismatch") == 1 and not out.exists()
    assert f"bukan {office_data['kabid'][1]}" in capsys.readouterr().err
    # The same form made by a program that does not ask: the operator names himself pejabat penilai.
    with db.session() as s:
        view = documents.prepare(s, SYSTEM, documents.DocumentRequest("evaluasi", office.staf1, 2026, "TW1")).view
    nip, name = office_data["staf2"]
    forged = dataclasses.replace(view, pejabat=PersonIdentity(name=name, nip=nip, nip_raw=nip))
    key = load_signing_key(operator.read_bytes(), PASS)
    key.prepare(trust.load_store())
    out.write_bytes(produce(forged, key).pdf)
    code, said = verify(capsys, out)
    assert code == 1 and f"ditandatangani oleh {name} (NIP {nip}) bukan {office_data['kabid'][1]}" in said
    assert all(pdfsig_valid(out))  # cryptographically fine; it is the wrong person


def test_a_look_alike_bsre_ca_is_not_bsre_and_not_trusted(db, office_data, tmp_path, capsys, monkeypatch):
    fake_ca, fake_key = pki_support.make_root("Balai Besar Sertifikasi Elektronik", "Badan Siber dan Sandi Negara")
    p12 = tmp_path / "palsu.p12"
    p12.write_bytes(
        pki_support.p12_for(
            fake_ca, fake_key, nip=office_data["kabid"][0], name=office_data["kabid"][1], passphrase=PASS
        )
    )
    out = tmp_path / "palsu.pdf"
    assert appraisal(office_data, out, str(p12)) == 1 and not out.exists()
    err = capsys.readouterr().err
    assert "tidak berasal dari CA terpercaya" in err and "(BSrE)" not in err
    assert main(["certs", "policy", "--allow-untrusted"]) == 0
    assert appraisal(office_data, out, str(p12)) == 0
    assert "bukan berkas resmi" in capsys.readouterr().out
    with db.session() as s:
        row = s.scalar(select(documents_table()))
    assert row.official is False and row.signers[0]["bsre"] is False
    footer = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "TIDAK berasal dari CA" in " ".join(footer.split()) and "(BSrE)" not in footer
    code, said = verify(capsys, out)
    assert code == 1 and "(BSrE)" not in said and "tidak berasal dari CA terpercaya" in said
    anchor = tmp_path / "palsu-ca.pem"
    anchor.write_bytes(certs.cert_pem(fake_ca))
    assert main(["certs", "trust", "add", str(anchor)]) == 0  # trusted now, still not BSrE
    code, said = verify(capsys, out)
    assert "(bukan BSrE)" in said and "(BSrE)" not in said
    assert all(pdfsig_valid(out))


def documents_table():
    from kinerja_desktop.store.documents import SignedDocument

    return SignedDocument


def test_bsre_only_when_the_chain_ends_at_an_anchor_imported_as_bsre(db, office_data, tmp_path, capsys):
    root, root_key = pki_support.make_root("Root CA Uji Nasional", "Lembaga Uji Nasional")
    pem = tmp_path / "root.pem"
    pem.write_bytes(certs.cert_pem(root))
    assert main(["certs", "trust", "add", str(pem), "--bsre", "--label", "BSrE (uji)"]) == 0
    p12 = tmp_path / "bsre.p12"
    p12.write_bytes(
        pki_support.p12_for(root, root_key, nip=office_data["kabid"][0], name=office_data["kabid"][1], passphrase=PASS)
    )
    out = tmp_path / "bsre.pdf"
    assert appraisal(office_data, out, str(p12)) == 0
    footer = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split())
    assert "Balai Besar Sertifikasi Elektronik (BSrE)" in footer
    code, said = verify(capsys, out)
    assert code == 0 and "BSrE (uji) (BSrE)" in said


def test_expired_certificate_verifies_later_only_with_a_timestamp(db, office, office_data, tmp_path, capsys, tsa):
    kabid = certificate(tmp_path, *office_data["kabid"])
    plain, stamped = tmp_path / "plain.pdf", tmp_path / "stamped.pdf"
    assert appraisal(office_data, plain, str(kabid)) == 0
    _trust_tsa(tmp_path, tsa)
    assert main(["certs", "policy", "--tsa-url", tsa.url]) == 0
    assert (
        main(
            [
                "report",
                "appraisal",
                "--nip",
                office_data["staf1"][0],
                "--year",
                "2026",
                "--period",
                "TW1",
                "--form",
                "detailed",
                "-o",
                str(stamped),
                "--sign",
                str(kabid),
            ]
        )
        == 0
    )
    later = "2035-06-01"  # the certificate (730 days) expired years ago
    code, said = verify(capsys, plain, "--at", later)
    assert code == 1 and "kedaluwarsa" in said and "tidak memiliki cap waktu" in said
    code, said = verify(capsys, stamped, "--at", later)
    assert code == 0, said
    assert "PAdES B-LTA" in said and "cap waktu tepercaya" in said and "Cap waktu arsip dokumen" in said
    assert verify(capsys, plain)[0] == 0  # today both are fine
    assert all(pdfsig_valid(plain)) and all(pdfsig_valid(stamped))


def _trust_tsa(tmp_path, tsa):
    pem, crl = tmp_path / "tsa-ca.pem", tmp_path / "tsa-ca.crl"
    pem.write_bytes(certs.cert_pem(tsa.ca_cert))
    crl.write_bytes(tsa.ca_crl.public_bytes(Encoding.DER))
    assert main(["certs", "trust", "add", str(pem)]) == 0
    assert main(["certs", "trust", "add", str(crl)]) == 0


def test_a_revoked_certificate_signs_nothing_more_and_its_unproven_signatures_fail(
    db, office_data, tmp_path, capsys, tsa
):
    kabid = certificate(tmp_path, *office_data["kabid"])
    before, stamped = tmp_path / "before.pdf", tmp_path / "stamped.pdf"
    assert appraisal(office_data, before, str(kabid)) == 0
    _trust_tsa(tmp_path, tsa)
    assert main(["certs", "policy", "--tsa-url", tsa.url]) == 0
    # The timestamp server says this was signed two minutes ago (after the certificate was issued).
    tsa.set_time(datetime.now(UTC) - timedelta(minutes=2))
    try:
        assert appraisal(office_data, stamped, str(kabid), "--form", "detailed") == 0
    finally:
        tsa.set_time(None)
    capsys.readouterr()
    assert main(["certs", "revoke", office_data["kabid"][0], "--reason", "key_compromise"]) == 0
    assert "CRL juga disimpan di basis data" in capsys.readouterr().out
    code, said = verify(capsys, before)
    assert code == 1 and "telah dicabut" in said
    code, said = verify(capsys, stamped)  # its timestamp proves it was made before the revocation
    assert code == 0, said
    again = tmp_path / "again.pdf"
    assert appraisal(office_data, again, str(kabid)) == 1 and not again.exists()
    assert "dicabut" in capsys.readouterr().err
    # Another office has no CRL file, only what sync brought into its database.
    for path in list(trust.crl_dir().glob("*.crl")):
        path.unlink()
    from kinerja_desktop.reports.ca import published_crl_path

    published_crl_path().unlink()
    assert verify(capsys, before)[0] == 1
    assert all(pdfsig_valid(before)) and all(pdfsig_valid(stamped))


def test_both_forms_signed_each_match_their_own_record(db, office, office_data, tmp_path, capsys):
    from kinerja_desktop.reports.render import produce
    from kinerja_desktop.reports.signing import load_signing_key

    kabid = certificate(tmp_path, *office_data["kabid"])
    short, detailed = tmp_path / "short.pdf", tmp_path / "detailed.pdf"
    assert appraisal(office_data, short, str(kabid)) == 0
    assert appraisal(office_data, detailed, str(kabid), "--form", "detailed") == 0
    with db.session() as s:
        rows = {r.kind: r for r in s.scalars(select(documents_table()))}
    assert set(rows) == {"evaluasi", "evaluasi-rinci"}
    assert rows["evaluasi"].file_digest == hashlib.sha256(short.read_bytes()).hexdigest()
    assert rows["evaluasi-rinci"].file_digest == hashlib.sha256(detailed.read_bytes()).hexdigest()
    for path in (short, detailed):
        code, said = verify(capsys, path)
        assert code == 0 and "sama dengan berkas bertanda tangan yang tercatat" in said
    # A correctly signed short form that is not the one on record (made again, outside the program).
    with db.session() as s:
        prepared = documents.prepare(s, SYSTEM, documents.DocumentRequest("evaluasi", office.staf1, 2026, "TW1"))
    key = load_signing_key(kabid.read_bytes(), PASS)
    key.prepare(trust.load_store())
    other = tmp_path / "other.pdf"
    other.write_bytes(produce(prepared.view, key, fields=prepared.render_fields()).pdf)
    code, said = verify(capsys, other)
    assert code == 1 and "bukan berkas bertanda tangan yang tercatat" in said
    for path in (short, detailed, other):
        assert all(pdfsig_valid(path))


def test_the_employee_countersigns_and_both_signatures_hold(db, office_data, tmp_path, capsys, tsa):
    kabid = certificate(tmp_path, *office_data["kabid"])
    staf = certificate(tmp_path, *office_data["staf1"])
    _trust_tsa(tmp_path, tsa)
    assert main(["certs", "policy", "--tsa-url", tsa.url]) == 0
    first, both = tmp_path / "first.pdf", tmp_path / "both.pdf"
    assert appraisal(office_data, first, str(kabid)) == 0
    assert main(["report", "countersign", str(first), "-o", str(both), "--sign", str(staf)]) == 0
    code, said = verify(capsys, both, "--at", "2036-01-01")
    assert code == 0 and said.count("Utuh: ya") == 2 and "2 tanda tangan" in said
    assert pdfsig_valid(both) == [True, True]
