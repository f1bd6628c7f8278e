"""Checking the signatures of a PDF with pyHanko's validator.

For each signature: who signed, when, whether the signed bytes are intact, whether
the document was changed after signing (other than by adding later signatures),
whether the certificate chains to a trusted CA, and how much of the file it covers.
:attr:`VerificationReport.ok` is True only when every signature is intact, unchanged
and trusted; :attr:`VerificationReport.reason` says in one sentence why not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import x509 as a_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.certs import is_bsre_issuer, trusted_certificates
from kinerja_desktop.reports.document import FIELD_NAMES
from kinerja_desktop.reports.qr import VerificationCode

# pyHanko logs a traceback for every untrusted or tampered signature; the report says it
# in one sentence instead, so its records stop here rather than on the console.
for _logger in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_logger).addHandler(logging.NullHandler())

_ROLE_OF_FIELD = {name: role for role, name in FIELD_NAMES.items()}

#: A signer's certificate must allow digital signatures or non-repudiation (either one):
#: the same rule as :func:`signing.load_signing_key`; pyHanko's default asks for
#: non-repudiation only, which some issuers leave out.
SIGNER_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"},
                                       match_all_key_usages=False)


@dataclass
class SignatureCheck:
    """The verdict on one signature."""

    field_name: str
    role: str | None
    signer_name: str
    signer_nip: str
    issuer: str
    bsre: bool
    signing_time: dt.datetime | None
    intact: bool  # the signed bytes and the signature itself are cryptographically valid
    unchanged: bool  # nothing but later signatures was added after this signature
    trusted: bool  # the certificate chains to a trusted CA
    covers_whole_file: bool
    coverage: str  # words: what part of the file this signature covers
    problem: str | None = None  # one sentence, None when all is well

    @property
    def ok(self) -> bool:
        return self.intact and self.unchanged and self.trusted


@dataclass
class VerificationReport:
    path: str
    file_sha256: str
    signatures: list[SignatureCheck] = field(default_factory=list)
    verification: VerificationCode | None = None
    empty_fields: list[str] = field(default_factory=list)
    record_message: str | None = None
    record_match: bool | None = None

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and all(s.ok for s in self.signatures)

    @property
    def reason(self) -> str:
        """One sentence: all is well, or the first problem found."""
        if not self.signatures:
            return _("Dokumen ini tidak memiliki tanda tangan elektronik.")
        for sig in self.signatures:
            if sig.problem:
                return sig.problem
        return _("Semua tanda tangan ({n}) utuh, dokumen tidak diubah setelah ditandatangani, "
                 "dan sertifikatnya terpercaya.").format(n=len(self.signatures))


def _coverage_words(level: SignatureCoverageLevel | None, modification: ModificationLevel | None) -> str:
    if level == SignatureCoverageLevel.ENTIRE_FILE:
        return _("seluruh berkas")
    if level == SignatureCoverageLevel.ENTIRE_REVISION:
        if modification is not None and modification <= ModificationLevel.FORM_FILLING:
            return _("seluruh dokumen sampai tanda tangan ini; sesudahnya hanya ditambah tanda tangan")
        return _("sebagian berkas; ada perubahan setelah tanda tangan ini")
    return _("tidak jelas (struktur penandatanganan tidak baku)")


def _validation_context(trust: list) -> ValidationContext:
    roots = [a_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in trust]
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def _name_parts(cert: a_x509.Certificate) -> tuple[str, str, str, bool]:
    from cryptography import x509 as c_x509
    from cryptography.x509.oid import NameOID

    c = c_x509.load_der_x509_certificate(cert.dump())

    def attr(name, oid):
        values = name.get_attributes_for_oid(oid)
        return str(values[0].value) if values else ""

    issuer = attr(c.issuer, NameOID.COMMON_NAME) or attr(c.issuer, NameOID.ORGANIZATION_NAME)
    return attr(c.subject, NameOID.COMMON_NAME), attr(c.subject, NameOID.SERIAL_NUMBER), issuer, is_bsre_issuer(c.issuer)


def _read(source: bytes | str | os.PathLike) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray)):
        return bytes(source), "<bytes>"
    path = Path(source)
    try:
        return path.read_bytes(), str(path)
    except FileNotFoundError:
        raise UnusableInput(_("Berkas {path} tidak ditemukan.").format(path=path)) from None
    except OSError as exc:
        raise UnusableInput(_("Berkas {path} tidak dapat dibaca ({reason}).").format(
            path=path, reason=exc.strerror or exc)) from None


def _verification_code(reader: PdfFileReader) -> VerificationCode | None:
    try:
        info = reader.trailer["/Info"]
        keywords = str(info.get("/Keywords", ""))
        return VerificationCode.parse(keywords)
    except Exception:
        return None


def verify_pdf(source: bytes | str | os.PathLike, *, trust_files: list | None = None,
               trust_certificates: list | None = None) -> VerificationReport:
    """Check every signature of a PDF.

    Trusted CAs: the list in the data folder, plus ``trust_files`` (PEM/DER paths),
    plus ``trust_certificates`` (cryptography certificates). Raises
    :class:`UnusableInput` when the file is not a readable PDF.
    """
    data, name = _read(source)
    if b"%PDF-" not in data[:1024]:
        raise UnusableInput(_("Berkas {path} bukan PDF.").format(path=name))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, IndexError) as exc:
        raise UnusableInput(_("Berkas PDF {path} rusak atau tidak dapat dibaca ({reason}).").format(
            path=name, reason=exc)) from None
    trust = trusted_certificates(trust_files) + list(trust_certificates or ())
    report = VerificationReport(path=name, file_sha256=hashlib.sha256(data).hexdigest(),
                                verification=_verification_code(reader))
    try:
        from pyhanko.sign.fields import enumerate_sig_fields

        report.empty_fields = [n for n, value, _ref in enumerate_sig_fields(reader) if value is None]
    except Exception:
        report.empty_fields = []
    trailing = _has_trailing_bytes(data)
    for sig in embedded:
        check = _check(sig, trust)
        if trailing and check.intact and check.unchanged:
            # Bytes appended after the last revision are not a PDF update pyHanko
            # analyses, but they are a change made after signing all the same.
            check.unchanged = False
            check.covers_whole_file = False
            check.coverage = _("sebagian berkas; ada data yang ditambahkan setelah tanda tangan terakhir")
            check.problem = _("Dokumen telah diubah setelah ditandatangani oleh {who}: ada data tambahan di akhir "
                              "berkas.").format(who=check.signer_name or check.field_name)
        report.signatures.append(check)
    return report


def _has_trailing_bytes(data: bytes) -> bool:
    """True when anything but whitespace follows the last %%EOF marker."""
    end = data.rfind(b"%%EOF")
    return end < 0 or bool(data[end + 5:].strip(b" \r\n\t\x00"))


def _check(sig, trust: list) -> SignatureCheck:
    field_name = sig.field_name
    try:
        status = validate_pdf_signature(sig, signer_validation_context=_validation_context(trust),
                                        key_usage_settings=SIGNER_KEY_USAGE)
    except Exception as exc:  # a broken signature container: not intact
        return SignatureCheck(
            field_name=field_name, role=_ROLE_OF_FIELD.get(field_name), signer_name="", signer_nip="",
            issuer="", bsre=False, signing_time=None, intact=False, unchanged=False, trusted=False,
            covers_whole_file=False, coverage=_("tidak dapat diperiksa"),
            problem=_("Tanda tangan pada kolom {field} rusak dan tidak dapat diperiksa ({error}).").format(
                field=field_name, error=exc),
        )
    signer_name, signer_nip, issuer, bsre = _name_parts(status.signing_cert)
    intact = bool(status.intact and status.valid)
    modification = status.modification_level
    coverage = status.coverage
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        unchanged = True
    elif coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        unchanged = modification is not None and modification <= ModificationLevel.FORM_FILLING \
            and status.docmdp_ok is not False
    else:
        unchanged = False
    trusted = bool(status.trusted)
    who = signer_name or field_name
    problem = None
    if not intact:
        problem = _("Tanda tangan {who} tidak utuh: isi yang ditandatangani telah diubah atau tanda tangannya rusak.").format(who=who)
    elif not unchanged:
        problem = _("Dokumen telah diubah setelah ditandatangani oleh {who}.").format(who=who)
    elif not trusted:
        problem = _("Sertifikat {who} tidak berasal dari CA yang terpercaya; tambahkan sertifikat CA-nya ke daftar "
                    "CA terpercaya bila memang sah.").format(who=who)
    when = status.signer_reported_dt
    return SignatureCheck(
        field_name=field_name,
        role=_ROLE_OF_FIELD.get(field_name),
        signer_name=signer_name,
        signer_nip=signer_nip,
        issuer=issuer,
        bsre=bsre,
        signing_time=when,
        intact=intact,
        unchanged=unchanged,
        trusted=trusted,
        covers_whole_file=coverage == SignatureCoverageLevel.ENTIRE_FILE,
        coverage=_coverage_words(coverage, modification),
        problem=problem,
    )


def field_title(field_name: str) -> str:
    """"Pejabat Penilai Kinerja" for the field TTE_PejabatPenilai, and so on."""
    from kinerja_desktop.reports.signing import ROLE_TITLES

    role = _ROLE_OF_FIELD.get(field_name)
    return _(ROLE_TITLES[role]) if role else field_name


def describe(report: VerificationReport) -> list[str]:
    """The report as lines of text (command line, logs)."""

    def yes(value: bool) -> str:
        return _("ya") if value else _("TIDAK")

    lines = [_("Berkas: {path}").format(path=report.path), _("SHA-256: {h}").format(h=report.file_sha256)]
    if report.verification:
        code = report.verification
        lines.append(_("Kode verifikasi: dokumen {id}, isi {h}").format(id=code.document_id, h=code.content_sha256))
    for i, sig in enumerate(report.signatures, start=1):
        when = sig.signing_time.strftime("%d-%m-%Y %H:%M:%S %z") if sig.signing_time else "-"
        lines += [
            _("Tanda tangan {i} (kolom {field}):").format(i=i, field=field_title(sig.field_name)),
            _("  Penanda tangan: {name}{nip}").format(
                name=sig.signer_name, nip=f" (NIP {sig.signer_nip})" if sig.signer_nip else ""),
            _("  Penerbit sertifikat: {issuer}{bsre}").format(
                issuer=sig.issuer, bsre=_(" (BSrE)") if sig.bsre else _(" (bukan BSrE)")),
            _("  Waktu: {when}").format(when=when),
            _("  Utuh: {v}").format(v=yes(sig.intact)),
            _("  Tidak diubah setelah ditandatangani: {v}").format(v=yes(sig.unchanged)),
            _("  Sertifikat terpercaya: {v}").format(v=yes(sig.trusted)),
            _("  Cakupan: {c}").format(c=sig.coverage),
        ]
    for name in report.empty_fields:
        lines.append(_("Kolom tanda tangan {field} belum ditandatangani.").format(field=field_title(name)))
    if report.record_message:
        lines.append(report.record_message)
    return lines
