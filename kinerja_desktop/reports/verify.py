"""Checking the signatures of a PDF: one verdict, each signature judged at its signing time.

For each signature: are the signed bytes intact, was the document changed afterwards
(other than by later signatures and archive data), *when* was it made (a trusted
timestamp proves it; otherwise it is only what the signer's computer said), does the
certificate chain to a trust anchor of this computer and was it valid and not revoked
at that time, and is it the certificate of the person the field belongs to (the record
of the document when the database is here, else the field's own label written when the
document was first signed). The QR code's certificate fingerprint must be one of the
signatures'. :attr:`VerificationReport.ok` is True only when all of that holds;
:attr:`VerificationReport.reason` is the one verdict line.

A signature whose time is proven by a timestamp (B-T, B-LTA) is judged at that time,
with the revocation data embedded then (B-LT): a form signed in 2026 still verifies in
2035, after its certificate expired. Without a timestamp it is judged now.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import crl as a_crl
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import ValidationInfoReadingError
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.document import FIELD_NAMES
from kinerja_desktop.reports.qr import VerificationCode
from kinerja_desktop.reports.signing import ROLE_TITLES, identity_matches, parse_field_label
from kinerja_desktop.reports.trust import EXPIRED, TrustStore, common_name, fingerprint, load_store
from kinerja_desktop.reports.views import PersonIdentity

# pyHanko logs a traceback for every untrusted or tampered signature; the report says it
# in one sentence instead, so its records stop here rather than on the console.
for _logger in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_logger).addHandler(logging.NullHandler())
    logging.getLogger(_logger).propagate = False

_ROLE_OF_FIELD = {name: role for role, name in FIELD_NAMES.items()}
MAX_PDF_BYTES = 64 * 1024 * 1024

#: A signer's certificate must allow digital signatures or non-repudiation (either one):
#: the same rule as :func:`signing.load_signing_key`; pyHanko's default asks for
#: non-repudiation only, which some issuers leave out.
SIGNER_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)


@dataclass(frozen=True)
class ExpectedSigner:
    """Whose signature belongs in a field: from the document's record, or the field's label."""

    title: str
    person: PersonIdentity | None
    #: The certificate accepted for this field when it was signed (a confirmed name variant).
    fingerprint: str = ""
    source: str = "record"  # "record" (database) or "label" (the PDF itself)


@dataclass
class SignatureCheck:
    """The verdict on one signature."""

    field_name: str
    title: str
    signer_name: str = ""
    signer_nip: str = ""
    fingerprint: str = ""
    issuer: str = ""
    anchor: str = ""  # the trust anchor the chain ends at ("" when none)
    bsre: bool = False
    signing_time: dt.datetime | None = None
    time_proven: bool = False  # True: a trusted timestamp proves the signing time
    judged_at: dt.datetime | None = None
    intact: bool = False  # the signed bytes and the signature itself are cryptographically valid
    unchanged: bool = False  # nothing but later signatures and archive data was added afterwards
    trusted: bool = False  # chains to an anchor, valid and not revoked at ``judged_at``
    revoked_at: dt.datetime | None = None
    expected: ExpectedSigner | None = None
    identity_ok: bool | None = None  # None: nothing to hold the certificate against
    covers_whole_file: bool = False
    coverage: str = ""
    profile: str = "B-B"
    problem: str | None = None  # one sentence, None when all is well

    @property
    def ok(self) -> bool:
        return self.intact and self.unchanged and self.trusted and self.identity_ok is not False

    @property
    def role(self) -> str | None:
        return _ROLE_OF_FIELD.get(self.field_name)


@dataclass
class VerificationReport:
    path: str
    file_sha256: str
    signatures: list[SignatureCheck] = field(default_factory=list)
    verification: VerificationCode | None = None
    empty_fields: list[str] = field(default_factory=list)
    field_titles: dict[str, str] = field(default_factory=dict)
    document_timestamps: list[dt.datetime] = field(default_factory=list)
    qr_problem: str | None = None
    #: Set by the documents service: True (the recorded file), False (not it), None (no record).
    record_match: bool | None = None
    record_message: str | None = None

    @property
    def ok(self) -> bool:
        return (
            bool(self.signatures)
            and all(s.ok for s in self.signatures)
            and self.qr_problem is None
            and self.record_match is not False
        )

    @property
    def reason(self) -> str:
        """The one verdict line: all is well, or the first problem found."""
        if not self.signatures:
            return _("TIDAK SAH: dokumen ini tidak memiliki tanda tangan elektronik.")
        for sig in self.signatures:
            if sig.problem:
                return _("TIDAK SAH: {problem}").format(problem=sig.problem)
        if self.qr_problem:
            return _("TIDAK SAH: {problem}").format(problem=self.qr_problem)
        if self.record_match is False and self.record_message:
            return _("TIDAK SAH: {problem}").format(problem=self.record_message)
        proven = all(s.time_proven for s in self.signatures)
        return _(
            "SAH: {n} tanda tangan utuh, dibubuhkan oleh orang yang berhak atas kolomnya, dengan sertifikat dari "
            "CA terpercaya ({anchors}); waktu penandatanganan {time}."
        ).format(
            n=len(self.signatures),
            anchors=", ".join(sorted({s.anchor for s in self.signatures})),
            time=_("dibuktikan cap waktu tepercaya") if proven else _("menurut komputer penanda tangan"),
        )


def _coverage_words(level: SignatureCoverageLevel | None, modification: ModificationLevel | None) -> str:
    if level == SignatureCoverageLevel.ENTIRE_FILE:
        return _("seluruh berkas")
    if level == SignatureCoverageLevel.ENTIRE_REVISION:
        if modification is not None and modification <= ModificationLevel.FORM_FILLING:
            return _(
                "seluruh dokumen sampai tanda tangan ini; sesudahnya hanya ditambah tanda tangan, cap waktu "
                "dan data validasi"
            )
        return _("sebagian berkas; ada perubahan setelah tanda tangan ini")
    return _("tidak jelas (struktur penandatanganan tidak baku)")


def _read(source: bytes | str | os.PathLike) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray)):
        return bytes(source), "<bytes>"
    path = Path(source)
    try:
        if path.stat().st_size > MAX_PDF_BYTES:
            raise UnusableInput(
                _("Berkas {path} terlalu besar untuk diperiksa (lebih dari {mb} MB).").format(
                    path=path, mb=MAX_PDF_BYTES // (1024 * 1024)
                )
            )
        return path.read_bytes(), str(path)
    except FileNotFoundError:
        raise UnusableInput(_("Berkas {path} tidak ditemukan.").format(path=path)) from None
    except OSError as exc:
        raise UnusableInput(
            _("Berkas {path} tidak dapat dibaca ({reason}).").format(path=path, reason=exc.strerror or exc)
        ) from None


def _verification_code(reader: PdfFileReader) -> VerificationCode | None:
    try:
        info = reader.trailer["/Info"]
        keywords = str(info.get("/Keywords", ""))
        return VerificationCode.parse(keywords)
    except Exception:  # fields are a courtesy; the signatures are checked anyway
        return None


@dataclass
class _Dss:
    certs: list = field(default_factory=list)  # asn1crypto certificates
    crls: list = field(default_factory=list)  # cryptography CRLs

    @property
    def present(self) -> bool:
        return bool(self.certs or self.crls)


def _dss(reader: PdfFileReader) -> _Dss:
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except (ValidationInfoReadingError, KeyError, ValueError, TypeError):
        return _Dss()
    out = _Dss(list(dss.load_certs()))
    for ref in dss.crls:
        try:
            out.crls.append(x509.load_der_x509_crl(ref.get_object().data))
        except (ValueError, KeyError, TypeError):
            continue
    return out


def verify_pdf(
    source: bytes | str | os.PathLike,
    *,
    trust_files: list | None = None,
    trust_certificates: list | None = None,
    store: TrustStore | None = None,
    at: dt.datetime | None = None,
    expected=None,
) -> VerificationReport:
    """Check every signature of a PDF.

    ``store``: the anchors and CRLs to judge by (default: this computer's, plus
    ``trust_files``/``trust_certificates``). ``at``: judge as if it were that moment
    (default now). ``expected``: field name -> :class:`ExpectedSigner` (whose signature
    belongs there: the document's record), or a function of the document id giving that;
    fields without an entry use their own label. Raises
    :class:`UnusableInput` when the file is not a readable PDF.
    """
    data, name = _read(source)
    if b"%PDF-" not in data[:1024]:
        raise UnusableInput(_("Berkas {path} bukan PDF.").format(path=name))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_regular_signatures)
        stamps = list(reader.embedded_timestamp_signatures)
    except (PdfReadError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise UnusableInput(
            _("Berkas PDF {path} rusak atau tidak dapat dibaca ({reason}).").format(path=name, reason=exc)
        ) from None
    if store is None:
        store = load_store(extra_anchor_files=trust_files or (), extra_anchors=trust_certificates or ())
    dss = _dss(reader)
    judged = TrustStore(store.anchors, store.crls + dss.crls)
    moment = at or dt.datetime.now(dt.UTC)
    report = VerificationReport(
        path=name, file_sha256=hashlib.sha256(data).hexdigest(), verification=_verification_code(reader)
    )
    _read_fields(reader, report)
    if callable(expected):
        expected = expected(report.verification.document_id) if report.verification else {}
    report.document_timestamps = _document_timestamps(stamps, judged, moment)
    trailing = _has_trailing_bytes(data)
    for sig in embedded:
        want = (expected or {}).get(sig.field_name) or _label_expectation(report.field_titles.get(sig.field_name))
        check = _check(sig, judged, dss, moment, report.document_timestamps, want)
        if trailing and check.intact and check.unchanged:
            # Bytes appended after the last revision are not a PDF update pyHanko
            # analyses, but they are a change made after signing all the same.
            check.unchanged = False
            check.covers_whole_file = False
            check.coverage = _("sebagian berkas; ada data yang ditambahkan setelah tanda tangan terakhir")
            check.problem = _(
                "dokumen telah diubah setelah ditandatangani oleh {who}: ada data tambahan di akhir berkas."
            ).format(who=check.signer_name or check.title)
        report.signatures.append(check)
    report.qr_problem = _qr_problem(report)
    return report


def _read_fields(reader: PdfFileReader, report: VerificationReport) -> None:
    try:
        for field_name, value, ref in enumerate_sig_fields(reader):
            label = ""
            try:
                label = str(ref.get_object().get("/TU", "")) if ref is not None else ""
            except Exception:  # a broken archive timestamp proves nothing  # a damaged field dictionary: no label
                label = ""
            report.field_titles[field_name] = label
            if value is None:
                report.empty_fields.append(field_name)
    except Exception:
        pass


def _label_expectation(label: str | None) -> ExpectedSigner | None:
    if not label:
        return None
    title, person = parse_field_label(label)
    return ExpectedSigner(title, person, source="label")


def _document_timestamps(stamps, store: TrustStore, moment: dt.datetime) -> list[dt.datetime]:
    """Times proven by the document timestamps (B-LTA) that are sound and trusted at ``moment``."""
    out = []
    for ts in stamps:
        try:
            status = validate_pdf_timestamp(ts, store.validation_context(moment=moment))
        except Exception:
            continue
        if status.intact and status.valid and status.trusted and status.timestamp:
            out.append(status.timestamp)
    return out


def _has_trailing_bytes(data: bytes) -> bool:
    """True when anything but whitespace follows the last %%EOF marker."""
    end = data.rfind(b"%%EOF")
    return end < 0 or bool(data[end + 5 :].strip(b" \r\n\t\x00"))


def field_title(field_name: str, label: str = "") -> str:
    """ "Pejabat Penilai Kinerja" for the field TTE_PejabatPenilai (or the field's own label)."""
    if label:
        return parse_field_label(label)[0]
    role = _ROLE_OF_FIELD.get(field_name)
    return _(ROLE_TITLES[role]) if role else field_name


def _validate(sig, store: TrustStore, dss: _Dss, moment: dt.datetime, ts_moment: dt.datetime | None = None):
    context = store.validation_context(
        moment=moment,
        other_certs=dss.certs,
        extra_crls=[a_crl.CertificateList.load(c.public_bytes(Encoding.DER)) for c in dss.crls],
    )
    ts_context = store.validation_context(moment=ts_moment or moment, other_certs=dss.certs, retroactive=True)
    return validate_pdf_signature(
        sig, signer_validation_context=context, ts_validation_context=ts_context, key_usage_settings=SIGNER_KEY_USAGE
    )


def _check(
    sig,
    store: TrustStore,
    dss: _Dss,
    moment: dt.datetime,
    doc_times: list[dt.datetime],
    expected: ExpectedSigner | None,
) -> SignatureCheck:
    title = expected.title if expected else field_title(sig.field_name)
    check = SignatureCheck(field_name=sig.field_name, title=title, expected=expected)
    try:
        status = _validate(sig, store, dss, moment)
    except Exception as exc:  # a broken signature container: not intact
        check.coverage = _("tidak dapat diperiksa")
        check.problem = _("tanda tangan pada kolom {field} rusak dan tidak dapat diperiksa ({error}).").format(
            field=title, error=str(exc)[:120]
        )
        return check
    cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    check.signer_name = common_name(cert.subject)
    serial = cert.subject.get_attributes_for_oid(x509.oid.NameOID.SERIAL_NUMBER)
    check.signer_nip = str(serial[0].value) if serial else ""
    check.fingerprint = fingerprint(cert)
    check.issuer = common_name(cert.issuer)
    check.intact = bool(status.intact and status.valid)
    check.unchanged, check.covers_whole_file, check.coverage = _integrity(status)
    check.signing_time = status.signer_reported_dt
    _prove_time(check, sig, status, store, dss, moment, doc_times)
    check.judged_at = check.signing_time if check.time_proven else moment
    check.profile = _profile(status, dss, doc_times)
    others = [x509.load_der_x509_certificate(c.dump()) for c in list(sig.other_embedded_certs) + dss.certs]
    verdict = store.status(cert, others, at=check.judged_at)
    check.anchor = verdict.anchor.name if verdict.anchor else ""
    check.bsre = verdict.trusted and verdict.bsre
    check.trusted = verdict.trusted
    check.revoked_at = verdict.revoked_at
    check.identity_ok = _identity(check, expected)
    who = check.signer_name or title
    if not check.intact:
        check.problem = _(
            "tanda tangan {who} tidak utuh: isi yang ditandatangani telah diubah atau tanda tangannya rusak."
        ).format(who=who)
    elif not check.unchanged:
        check.problem = _("dokumen telah diubah setelah ditandatangani oleh {who}.").format(who=who)
    elif not check.trusted:
        check.problem = verdict.sentence(who)
        if verdict.problem == EXPIRED and not check.time_proven:
            check.problem += " " + _(
                "Tanda tangan ini tidak memiliki cap waktu tepercaya, jadi tidak terbukti dibuat "
                "ketika sertifikatnya masih berlaku."
            )
    elif check.identity_ok is False:
        person = expected.person
        check.problem = _("kolom {title} ditandatangani oleh {signer}{signer_nip} bukan {person}{person_nip}.").format(
            title=title,
            signer=check.signer_name,
            signer_nip=_nip_words(check.signer_nip),
            person=person.name,
            person_nip=_nip_words(person.nip_raw),
        )
    return check


def _nip_words(nip: str) -> str:
    return f" (NIP {nip})" if nip else ""


def _integrity(status) -> tuple[bool, bool, str]:
    modification = status.modification_level
    coverage = status.coverage
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        unchanged = True
    elif coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        unchanged = (
            modification is not None
            and modification <= ModificationLevel.FORM_FILLING
            and status.docmdp_ok is not False
        )
    else:
        unchanged = False
    return unchanged, coverage == SignatureCoverageLevel.ENTIRE_FILE, _coverage_words(coverage, modification)


def _prove_time(check: SignatureCheck, sig, status, store, dss, moment, doc_times) -> None:
    """A signature timestamp that is sound and trusted now, or at a later document timestamp."""
    ts = status.timestamp_validity
    if ts is None or not (ts.intact and ts.valid):
        return
    if ts.trusted:
        check.signing_time, check.time_proven = ts.timestamp, True
        return
    for later in sorted(doc_times):  # the archive timestamp proves the signature timestamp existed then
        if later < ts.timestamp:
            continue
        try:
            again = _validate(sig, store, dss, moment, ts_moment=later).timestamp_validity
        except Exception:
            continue
        if again is not None and again.intact and again.valid and again.trusted:
            check.signing_time, check.time_proven = again.timestamp, True
            return


def _profile(status, dss: _Dss, doc_times) -> str:
    timestamped = status.timestamp_validity is not None
    if dss.present:
        return "B-LTA" if timestamped and doc_times else "B-LT"
    return "B-T" if timestamped else "B-B"


def _identity(check: SignatureCheck, expected: ExpectedSigner | None) -> bool | None:
    if expected is None or expected.person is None:
        return None
    if expected.fingerprint and expected.fingerprint == check.fingerprint:
        return True
    return identity_matches(check.signer_name, check.signer_nip, expected.person)


def _qr_problem(report: VerificationReport) -> str | None:
    code = report.verification
    if code is None or not code.cert_fingerprint or not report.signatures:
        return None
    if any(s.fingerprint == code.cert_fingerprint for s in report.signatures):
        return None
    return _("kode QR dokumen menyebut sertifikat {fpr}… tetapi tidak ada tanda tangan dengan sertifikat itu.").format(
        fpr=code.cert_fingerprint[:16].upper()
    )


def describe(report: VerificationReport) -> list[str]:
    """The facts of the report as lines of text (the verdict line is ``report.reason``)."""

    def yes(value: bool) -> str:
        return _("ya") if value else _("TIDAK")

    lines = [_("Berkas: {path}").format(path=report.path), _("SHA-256: {h}").format(h=report.file_sha256)]
    if report.verification:
        code = report.verification
        lines.append(_("Kode verifikasi: dokumen {id}, isi {h}").format(id=code.document_id, h=code.content_sha256))
    for i, sig in enumerate(report.signatures, start=1):
        lines.append(_("Tanda tangan {i} (kolom {field}):").format(i=i, field=sig.title))
        if not sig.signer_name:
            lines.append(_("  Tidak dapat dibaca."))
            continue
        lines.append(_("  Penanda tangan: {name}{nip}").format(name=sig.signer_name, nip=_nip_words(sig.signer_nip)))
        if sig.expected is not None and sig.expected.person is not None:
            lines.append(
                _("  Pemilik kolom menurut {source}: {name}{nip}").format(
                    source=_("catatan dokumen") if sig.expected.source == "record" else _("label kolom"),
                    name=sig.expected.person.name,
                    nip=_nip_words(sig.expected.person.nip_raw),
                )
            )
        lines.append(
            _("  Sertifikat: {issuer}; sidik jari {fpr}").format(issuer=sig.issuer, fpr=sig.fingerprint[:16].upper())
        )
        if sig.anchor:
            lines.append(
                _("  CA terpercaya: {anchor}{bsre}").format(
                    anchor=sig.anchor, bsre=_(" (BSrE)") if sig.bsre else _(" (bukan BSrE)")
                )
            )
        when = sig.signing_time.strftime("%d-%m-%Y %H:%M:%S %z") if sig.signing_time else "-"
        lines.append(
            _("  Waktu: {when} ({how})").format(
                when=when, how=_("cap waktu tepercaya") if sig.time_proven else _("menurut komputer penanda tangan")
            )
        )
        lines.append(_("  Profil: PAdES {profile}").format(profile=sig.profile))
        lines.append(_("  Utuh: {v}").format(v=yes(sig.intact)))
        if sig.intact:
            lines.append(_("  Tidak diubah setelah ditandatangani: {v}").format(v=yes(sig.unchanged)))
            lines.append(_("  Cakupan: {c}").format(c=sig.coverage))
    for when in report.document_timestamps:
        lines.append(_("Cap waktu arsip dokumen: {when}").format(when=when.strftime("%d-%m-%Y %H:%M:%S %z")))
    for name in report.empty_fields:
        lines.append(
            _("Kolom tanda tangan {field} belum ditandatangani.").format(
                field=field_title(name, report.field_titles.get(name, ""))
            )
        )
    if report.record_message and report.record_match is not False:
        lines.append(report.record_message)
    return lines
