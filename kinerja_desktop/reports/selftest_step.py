"""The documents step of ``kinerja selftest``: sign, verify, catch the wrong signer and a revocation.

Uses a throwaway district CA, key and certificate request made on the spot in
``tmpdir`` (the step runs in its own data folder); nothing of the user's data is
touched. Raises on any failure (the message says what).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from kinerja_desktop.reports import ca, cert_requests, certs, trust
from kinerja_desktop.reports.render import produce, write_pdf
from kinerja_desktop.reports.samples import PEJABAT, sample_short_form
from kinerja_desktop.reports.signing import load_signing_key
from kinerja_desktop.reports.verify import ExpectedSigner, verify_pdf
from kinerja_desktop.reports.views import PersonIdentity


def run_report_selftest(tmpdir: str | os.PathLike) -> str:
    """Render, sign (PAdES B-LT) and verify a short form; catch tampering, a wrong signer, a revocation."""

    folder = Path(tmpdir)
    folder.mkdir(parents=True, exist_ok=True)
    passphrase = os.urandom(12).hex()
    ca_cert, ca_key = certs.create_ca("CA Uji Mandiri Kinerja Desktop (bukan BSrE)", years=1)
    certs.save_ca(ca_cert, ca_key, passphrase)
    request = ca.read_request(cert_requests.create_request(PEJABAT.nip_raw, PEJABAT.name, passphrase))
    cert = ca.issue_from_request(ca_cert, ca_key, request, days=2)
    p12_path, _cert = cert_requests.complete_request(ca.certificate_bundle(cert, ca_cert), passphrase)
    ca.publish_crl(ca_cert, ca_key)
    key = load_signing_key(p12_path.read_bytes(), passphrase)
    status = key.prepare(trust.load_store())
    if not status.trusted or key.bsre:
        raise RuntimeError("the district CA's certificate is not trusted (or passes for BSrE)")
    produced = produce(sample_short_form(0), key)
    target = write_pdf(folder / "selftest-signed.pdf", produced.pdf)
    report = verify_pdf(target)
    if not report.ok:
        raise RuntimeError(f"the signed short form does not verify: {report.reason}")
    sig = report.signatures[0]
    if sig.signer_nip != PEJABAT.nip_raw or sig.profile != "B-LT" or sig.identity_ok is not True:
        raise RuntimeError("the signature does not carry the signer's NIP, the B-LT data or its field's owner")
    if report.verification is None or report.verification.cert_fingerprint != key.fingerprint:
        raise RuntimeError("the verification code does not carry the signing certificate's fingerprint")
    if report_after_append(target).ok:
        raise RuntimeError("a document changed after signing was not detected")
    other = dataclasses.replace(
        sample_short_form(0), pejabat=PersonIdentity(name=PEJABAT.name, nip_raw=PEJABAT.nip_raw)
    )
    forged = verify_pdf(produce(other, key).pdf, expected={"TTE_PejabatPenilai": _someone_else()})
    if forged.ok or forged.signatures[0].identity_ok is not False:
        raise RuntimeError("a signature by someone other than the field's owner was not caught")
    ca.revoke(ca_cert, ca_key, PEJABAT.nip_raw)
    if verify_pdf(target).ok:
        raise RuntimeError("a signature by a revoked certificate still verifies")
    return (
        f"formulir evaluasi {produced.rendered.page_count} halaman dibuat, ditandatangani PAdES B-LT "
        f"({len(produced.pdf) // 1024} KB) dan diverifikasi; penanda tangan keliru dan pencabutan terdeteksi"
    )


def _someone_else():

    return ExpectedSigner("Pejabat Penilai Kinerja", PersonIdentity(name="Orang Lain", nip_raw="198001012005011001"))


def report_after_append(path: Path):

    data = path.read_bytes() + b"\n% appended after signing\n"
    return verify_pdf(data)
