"""The reports step of ``kinerja selftest``: render, sign and verify a short form.

Uses a throwaway CA and user certificate made on the spot in ``tmpdir``; nothing of
the user's data folder is touched. Raises on any failure (the message says what).
"""

from __future__ import annotations

import os
from pathlib import Path


def run_report_selftest(tmpdir: str | os.PathLike) -> str:
    """Render, sign and verify a short form; return a one-line summary, raise on failure."""
    from kinerja_desktop.reports import certs
    from kinerja_desktop.reports.render import produce, write_pdf
    from kinerja_desktop.reports.samples import PEJABAT, sample_short_form
    from kinerja_desktop.reports.signing import load_signing_key
    from kinerja_desktop.reports.verify import verify_pdf

    folder = Path(tmpdir)
    folder.mkdir(parents=True, exist_ok=True)
    passphrase = os.urandom(12).hex()
    ca, ca_key = certs.create_ca("CA Uji Mandiri Kinerja Desktop (bukan BSrE)", years=1)
    cert, key = certs.issue_user_certificate(ca, ca_key, nip=PEJABAT.nip_raw, name=PEJABAT.name, days=2)
    p12 = certs.make_p12(cert, key, ca, passphrase)
    signing_key = load_signing_key(p12, passphrase)
    produced = produce(sample_short_form(0), signing_key)
    if not produced.signed or produced.rendered.page_count < 1:
        raise RuntimeError("the short form was not rendered and signed")
    target = write_pdf(folder / "selftest-signed.pdf", produced.pdf)
    report = verify_pdf(target, trust_certificates=[ca])
    if not report.ok:
        raise RuntimeError(f"the signed short form does not verify: {report.reason}")
    if report.signatures[0].signer_nip != PEJABAT.nip_raw:
        raise RuntimeError("the signature does not carry the signer's NIP")
    if report.verification is None or report.verification.content_sha256 != produced.rendered.content_sha256:
        raise RuntimeError("the verification code of the document is missing or wrong")
    # A changed file must be caught.
    tampered = report_after_append(target)
    if tampered.ok:
        raise RuntimeError("a document changed after signing was not detected")
    return (f"formulir evaluasi {produced.rendered.page_count} halaman dibuat, ditandatangani "
            f"({len(produced.pdf) // 1024} KB) dan diverifikasi")


def report_after_append(path: Path):
    from kinerja_desktop.reports.verify import verify_pdf

    data = path.read_bytes() + b"\n% appended after signing\n"
    return verify_pdf(data)
