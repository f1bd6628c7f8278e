"""PAdES signatures with pyHanko, from the signer's own PKCS#12 (.p12/.pfx).

* :func:`load_signing_key` opens the .p12 once (the passphrase is used and dropped,
  never stored) and refuses certificates that are expired, not yet valid, or lack
  the digital-signature key usage.
* :func:`check_signer` holds the certificate against the person a signature field
  belongs to: a certificate carrying an NIP must carry *that* NIP
  (:class:`SignerMismatch`, no way round it); one without an NIP must carry the
  person's name (:class:`NameMismatch`, which the caller may confirm).
* :func:`sign_rendered` signs a freshly rendered document: it adds every signature
  field (each named, in ``/TU``, for the person it belongs to) and fills the signer's
  one. :func:`countersign` fills another field later as an incremental update that
  leaves the first signature valid.
* With a :class:`~kinerja_desktop.reports.ltv.LtvFinisher` on the key, each signature
  is made PAdES B-LT (chain and CRLs in the DSS), and with a timestamp server B-T and
  B-LTA (``reports.ltv``).

The visible stamp (:mod:`reports.stamp`) names the signer, their NIP and the role, and
shows the signing time in WIB; it is drawn in the documents' embedded font, and the
time on it is exactly the signing time pyHanko records.

The key object is parsed once and kept (pyHanko's plain signer re-parses the key for
every signature, which costs more than the signature itself), the CMS size is
reserved up front (no dry-run signature), and the pyHanko signer objects are made
once per key, so a batch signs many documents cheaply.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import cms
from asn1crypto import keys as a_keys
from asn1crypto import x509 as a_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.attributes import TSTProvider
from pyhanko.sign.general import SigningError, get_pyca_cryptography_hash
from pyhanko_certvalidator.registry import SimpleCertificateStore

from kinerja_desktop.domain.dates import WIB
from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.certs import CertificateError, CertificateInfo, certificate_info, read_p12
from kinerja_desktop.reports.document import (
    FIELD_NAMES,
    SIGN_SPACE_HEIGHT,
    SIGN_SPACE_WIDTH,
    RenderedDocument,
    SignatureMark,
)
from kinerja_desktop.reports.ltv import TIMESTAMP_BYTES, LtvFinisher, gather
from kinerja_desktop.reports.stamp import stamp_pdf, stamp_style
from kinerja_desktop.reports.trust import CertificateStatus, TrustStore
from kinerja_desktop.reports.views import ROLE_PEGAWAI, ROLE_PEJABAT, PersonIdentity

# pyHanko logs a traceback for every untrusted or tampered signature; the report says it
# in one sentence instead, so its records stop here rather than on the console.
for _logger in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_logger).addHandler(logging.NullHandler())

ROLE_TITLES = {ROLE_PEJABAT: "Pejabat Penilai Kinerja", ROLE_PEGAWAI: "Pegawai yang Dinilai"}


class SignerMismatch(UserError):
    """The certificate carries another person's NIP than the one the field belongs to."""

    def __init__(self, certificate_name: str, certificate_nip: str, person: PersonIdentity, title: str) -> None:
        super().__init__(
            _(
                "Sertifikat ini milik {cert} (NIP {cert_nip}), bukan {person} (NIP {nip}) pemilik kolom {title}. "
                "Tidak ditandatangani; gunakan sertifikat {person} sendiri."
            ).format(
                cert=certificate_name,
                cert_nip=certificate_nip,
                person=person.name,
                nip=person.nip_raw or "-",
                title=title,
            )
        )


class NameMismatch(UserError):
    """The certificate names someone else than the signer's record: confirm to go on."""

    def __init__(self, certificate_name: str, record_name: str) -> None:
        super().__init__(
            _(
                "Nama pada sertifikat ({cert}) berbeda dengan nama penanda tangan pada data ({record}). "
                "Periksa sertifikatnya; jika memang benar, konfirmasi untuk tetap menandatangani."
            ).format(cert=certificate_name, record=record_name)
        )
        self.certificate_name = certificate_name
        self.record_name = record_name


@dataclass(frozen=True)
class SigningSetup:
    """The trust verdict and the B-LT material of a key, picklable (batch workers)."""

    material: object | None  # reports.ltv.LtvMaterial
    trusted: bool
    bsre: bool
    anchor_name: str


#: Signed attributes whose value is the same for every document signed with one key.
_CONSTANT_ATTRIBUTES = {
    "content_type",
    "message_digest",
    "signing_certificate_v2",
    "signing_certificate",
    "cms_algorithm_protection",
}


class _CmsTemplate:
    """The CMS of one real pyHanko signature, reused with another digest and signature.

    Everything in the SignedData of a key's signatures is the same from document to
    document except the message digest (32 bytes for SHA-256) and the RSA signature
    (always the modulus length), so those two are replaced at fixed offsets instead of
    building the whole structure again with asn1crypto, which costs more than the
    rest of signing. Made only after checking that re-filling the template with the
    first signature's own digest reproduces pyHanko's bytes exactly.
    """

    def __init__(self, der: bytes, attrs: bytes, attrs_at: int, digest_at: int, signature_at: int, sig_len: int):
        self.der, self.attrs = der, attrs
        self.attrs_at, self.digest_at, self.signature_at, self.sig_len = attrs_at, digest_at, signature_at, sig_len

    @classmethod
    def build(cls, content_info, digest: bytes, sign) -> _CmsTemplate | None:
        try:
            der = content_info.dump()
            info = content_info["content"]["signer_infos"][0]
            names = {attr["type"].native for attr in info["signed_attrs"]}
            if not names <= _CONSTANT_ATTRIBUTES or "unsigned_attrs" in info and info["unsigned_attrs"]:
                return None
            attrs = info["signed_attrs"].dump()
            signature = info["signature"].native
            attrs_at = der.index(attrs)
            digest_at = attrs.index(b"\x04" + bytes([len(digest)]) + digest) + 2
            signature_at = der.index(signature)
            template = cls(der, attrs, attrs_at, digest_at, signature_at, len(signature))
            if template.fill(digest, sign) != der:  # RSA PKCS#1 v1.5 is deterministic
                return None
            return template
        except (ValueError, KeyError, TypeError):
            return None

    def fill(self, digest: bytes, sign) -> bytes | None:
        attrs = bytearray(self.attrs)
        attrs[self.digest_at : self.digest_at + len(digest)] = digest
        signature = sign(b"\x31" + bytes(attrs[1:]))  # signed as a SET OF, stored as [0] IMPLICIT
        if len(signature) != self.sig_len:
            return None
        der = bytearray(self.der)
        der[self.attrs_at : self.attrs_at + len(attrs)] = attrs
        der[self.signature_at : self.signature_at + len(signature)] = signature
        return bytes(der)


class _CachedKeySigner(signers.SimpleSigner):
    """A SimpleSigner for many documents: the parsed key is kept, the CMS reused.

    pyHanko's plain signer re-parses the private key for every signature; this one
    parses it once. After the first RSA signature its CMS becomes a template (see
    :class:`_CmsTemplate`); anything unusual (timestamps, other algorithms, extra
    attributes) takes pyHanko's normal path.
    """

    def __init__(self, *, private_key, **kwargs) -> None:
        super().__init__(**kwargs)
        self._private_key = private_key
        self._templates: dict = {}

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algo = mechanism.signature_algo
        except ValueError:
            algo = mechanism["algorithm"].native
        key = self._private_key
        if algo == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if algo == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        return super().sign_raw(data, digest_algorithm)

    async def async_sign(
        self,
        data_digest: bytes,
        digest_algorithm: str,
        dry_run=False,
        use_pades=False,
        timestamper=None,
        signed_attr_settings=None,
        is_pdf_sig=True,
        encap_content_info=None,
    ):
        plain = dry_run or encap_content_info is not None or not isinstance(self._private_key, rsa.RSAPrivateKey)
        if plain:
            return await super().async_sign(
                data_digest,
                digest_algorithm,
                dry_run=dry_run,
                use_pades=use_pades,
                timestamper=timestamper,
                signed_attr_settings=signed_attr_settings,
                is_pdf_sig=is_pdf_sig,
                encap_content_info=encap_content_info,
            )
        slot = (digest_algorithm, use_pades, is_pdf_sig)
        template = self._templates.get(slot)
        der = None
        if template is not None:
            der = template.fill(data_digest, lambda data: self.sign_raw(data, digest_algorithm))
        if der is not None:
            content_info = cms.ContentInfo.load(der)
        else:
            # The signature itself without a timestamp (a timestamp is added below, as pyHanko would).
            content_info = await super().async_sign(
                data_digest,
                digest_algorithm,
                use_pades=use_pades,
                signed_attr_settings=signed_attr_settings,
                is_pdf_sig=is_pdf_sig,
            )
            if slot not in self._templates:
                self._templates[slot] = _CmsTemplate.build(
                    content_info, data_digest, lambda data: self.sign_raw(data, digest_algorithm)
                )
        if timestamper is not None:
            content_info = await _with_signature_timestamp(content_info, timestamper, digest_algorithm)
        return content_info


async def _with_signature_timestamp(content_info, timestamper, digest_algorithm: str):
    """Add an RFC 3161 timestamp of the signature value as an unsigned attribute (PAdES B-T)."""
    info = content_info["content"]["signer_infos"][0]
    provider = TSTProvider(
        digest_algorithm=digest_algorithm, data_to_ts=info["signature"].native, timestamper=timestamper
    )
    attribute = await provider.get_attribute()
    info["unsigned_attrs"] = cms.CMSAttributes([attribute])
    return content_info


@dataclass
class SigningKey:
    """A loaded signing key: the pyHanko signer, the certificate and what it says.

    ``trust`` (set by :meth:`prepare`) is what the trust anchors say about the
    certificate; ``finisher`` makes each signature B-LT / B-LTA.
    """

    signer: signers.SimpleSigner
    certificate: x509.Certificate
    info: CertificateInfo
    bytes_reserved: int
    others: list = field(default_factory=list)
    trust: CertificateStatus | None = None
    finisher: LtvFinisher | None = None
    #: What the document says about the certificate (from the trust anchors, see prepare).
    trusted: bool = True
    bsre: bool = False
    anchor_name: str = ""
    _pdf_signers: dict = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.info.subject_name

    @property
    def nip(self) -> str:
        """The NIP the certificate carries (18 digits), or "" when it carries none."""
        digits = re.sub(r"\D", "", self.info.serial_number)
        return digits if len(digits) == 18 else ""

    @property
    def fingerprint(self) -> str:
        return self.info.fingerprint

    @property
    def profile(self) -> str:
        return self.finisher.profile if self.finisher else "B-B"

    def prepare(self, store: TrustStore, *, tsa_url: str | None = None, ltv: bool = True) -> CertificateStatus:
        """Judge the certificate against ``store`` and gather what B-LT (and B-LTA) embed."""
        self.trust = status = store.status(self.certificate, self.others)
        material = None
        if ltv:
            chain = status.chain or [self.certificate, *self.others]
            material = gather(chain, store, tsa_url=tsa_url, run=_run)
        self.apply(
            SigningSetup(
                material,
                status.trusted,
                status.trusted and status.bsre,
                status.anchor.name if status.anchor is not None else "",
            )
        )
        return status

    def setup(self) -> SigningSetup:
        """What :meth:`prepare` decided, as plain data for the batch's worker processes."""
        return SigningSetup(
            self.finisher.material if self.finisher else None, self.trusted, self.bsre, self.anchor_name
        )

    def apply(self, setup: SigningSetup | None) -> None:
        if setup is None:
            return
        self.trusted, self.bsre, self.anchor_name = setup.trusted, setup.bsre, setup.anchor_name
        if setup.material is not None:
            self.finisher = LtvFinisher(setup.material)
            if self.finisher.timestamper is not None and self.bytes_reserved:
                self.bytes_reserved += TIMESTAMP_BYTES
        self._pdf_signers.clear()

    def mark(self, signer_nip: str | None = None) -> SignatureMark:
        """What the rendered document prints about this signature (footer, QR code)."""
        issuer = self.info.issuer or self.info.issuer_organisation
        return SignatureMark(
            signer_nip=re.sub(r"\D", "", signer_nip or self.nip),
            signer_name=self.name,
            issuer=self.anchor_name or issuer,
            bsre=self.bsre,
            fingerprint=self.fingerprint,
            trusted=self.trusted,
        )


def load_signing_key(
    source: bytes | str | Path, passphrase: str | bytes | None, *, now: dt.datetime | None = None
) -> SigningKey:
    """Open a PKCS#12 file and check that its certificate may sign now.

    Raises :class:`CertificateError` (wrong passphrase, expired, not yet valid, no
    digital-signature key usage) or :class:`UnusableInput` (not a PKCS#12 file).
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise UnusableInput(_("Berkas sertifikat {path} tidak ditemukan.").format(path=path)) from None
        except OSError as exc:
            raise UnusableInput(
                _("Berkas sertifikat {path} tidak dapat dibaca ({reason}).").format(path=path, reason=exc.strerror)
            ) from None
    else:
        data = bytes(source)
    key, cert, others = read_p12(data, passphrase)
    info = certificate_info(cert)
    now = now or dt.datetime.now(dt.UTC)
    if now > info.not_after:
        raise CertificateError(
            _(
                "Sertifikat {name} sudah kedaluwarsa sejak {date}; minta sertifikat baru. Tidak ada berkas yang ditulis."
            ).format(name=info.subject_name, date=info.not_after.date().isoformat())
        )
    if now < info.not_before:
        raise CertificateError(
            _(
                "Sertifikat {name} baru berlaku mulai {date}; periksa jam komputer atau tunggu sampai tanggal itu."
            ).format(name=info.subject_name, date=info.not_before.date().isoformat())
        )
    if not info.digital_signature:
        raise CertificateError(
            _(
                "Sertifikat {name} tidak boleh dipakai untuk tanda tangan digital (key usage digitalSignature tidak ada); "
                "gunakan sertifikat penandatanganan."
            ).format(name=info.subject_name)
        )
    asn1_cert = a_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    asn1_key = a_keys.PrivateKeyInfo.load(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    store = SimpleCertificateStore()
    chain = [a_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in others]
    store.register_multiple(chain)
    signer = _CachedKeySigner(private_key=key, signing_cert=asn1_cert, signing_key=asn1_key, cert_registry=store)
    # Reserve room for the CMS once: certificates + signature + signed attributes, with margin.
    cert_bytes = len(asn1_cert.dump()) + sum(len(c.dump()) for c in chain)
    key_bytes = (key.key_size + 7) // 8 if hasattr(key, "key_size") else 512
    reserved = 2 * cert_bytes + key_bytes + 4096
    reserved += reserved % 2
    return SigningKey(signer=signer, certificate=cert, info=info, bytes_reserved=reserved, others=list(others))


def _normalise_name(value: str) -> str:
    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return " ".join(text.split())


def strip_titles(name: str) -> str:
    """``dr. H. Ahmad Fauzi, S.Sos., M.Si.`` -> ``Ahmad Fauzi``: the name without gelar.

    Back titles follow the first comma; front titles are the leading words ending in a dot.
    """
    words = name.split(",", 1)[0].split()
    while len(words) > 1 and words[0].endswith("."):
        words.pop(0)
    return " ".join(words)


def names_match(certificate_name: str, *record_names: str) -> bool:
    """Same person's name, ignoring case, accents, punctuation and academic titles.

    A certificate may carry the name with or without gelar; both match the record.
    """
    cert = _normalise_name(certificate_name)
    cert_bare = _normalise_name(strip_titles(certificate_name))
    for name in record_names:
        if not name:
            continue
        if cert and cert == _normalise_name(name):
            return True
        if cert_bare and cert_bare == _normalise_name(strip_titles(name)):
            return True
    return False


def check_signer_name(
    key: SigningKey, record_name: str, *alternatives: str, confirm_name_mismatch: bool = False
) -> None:
    """Raise :class:`NameMismatch` unless the certificate's name is the record's (or confirmed)."""
    if confirm_name_mismatch or names_match(key.name, record_name, *alternatives):
        return
    raise NameMismatch(key.name, record_name)


class _WibPdfSigner(signers.PdfSigner):
    """A PdfSigner whose signing time is the one given (the time printed on the stamp)."""

    signing_time: dt.datetime | None = None

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        if self.signing_time is not None:
            session.system_time = self.signing_time
        return session


def certificate_nip(serial_number: str) -> str:
    """The NIP in a certificate's subject serialNumber (18 digits), or "" (e.g. a NIK, or none)."""
    digits = re.sub(r"\D", "", serial_number or "")
    return digits if len(digits) == 18 else ""


def identity_matches(cert_name: str, cert_serial: str, person: PersonIdentity) -> bool | None:
    """True/False: the certificate is/is not ``person``'s. By NIP when the certificate has one,
    else by the name rule. None when neither can be judged (no NIP in the certificate, no name)."""
    nip = certificate_nip(cert_serial)
    if nip and person.nip_raw:
        return nip == re.sub(r"\D", "", person.nip_raw)
    if not person.name:
        return None
    return names_match(cert_name, person.name)


def check_signer(
    key: SigningKey, person: PersonIdentity | None, title: str, *, confirm_name_mismatch: bool = False
) -> None:
    """Hold the certificate against the person ``title``'s field belongs to.

    A wrong NIP is refused outright (:class:`SignerMismatch`); a different name on a
    certificate without an NIP raises :class:`NameMismatch` unless confirmed.
    """
    if person is None:
        return
    nip = key.nip
    if nip and person.nip_raw and nip != re.sub(r"\D", "", person.nip_raw):
        raise SignerMismatch(key.name, nip, person, title)
    if nip and person.nip_raw:
        return
    check_signer_name(key, person.name, confirm_name_mismatch=confirm_name_mismatch)


def _metadata(key: SigningKey, role: str, location: str | None) -> signers.PdfSignatureMetadata:
    cache_key = (role, location)
    found = key._pdf_signers.get(cache_key)
    if found is None:
        found = signers.PdfSignatureMetadata(
            field_name=FIELD_NAMES[role],
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=_("Penilaian kinerja pegawai: {role}").format(role=_(ROLE_TITLES[role])),
            location=location,
            name=key.name,
        )
        key._pdf_signers[cache_key] = found
    return found


def _pdf_signer(
    key: SigningKey, role: str, location: str | None, box: tuple[float, float], nip_line: str
) -> _WibPdfSigner:
    """A signer for one signature: its stamp carries this signature's time (now, in WIB)."""
    moment = dt.datetime.now(WIB).replace(microsecond=0)
    page = stamp_pdf(box[0], box[1], signer=key.name, nip_line=nip_line, role=_(ROLE_TITLES[role]), moment=moment)
    timestamper = key.finisher.timestamper if key.finisher is not None else None
    signer = _WibPdfSigner(
        _metadata(key, role, location), key.signer, stamp_style=stamp_style(page), timestamper=timestamper
    )
    signer.signing_time = moment
    return signer


def nip_line(nip: str | None, label: str = "NIP") -> str:
    """ "NIP. 197503122002122004" on the stamp ("" without a number)."""
    digits = re.sub(r"\D", "", nip or "")
    return f"{label}. {digits}" if digits else ""


_loops = threading.local()


def _run(coro):
    """Run a pyHanko coroutine on this thread's event loop (kept, not made per document)."""
    loop = getattr(_loops, "loop", None)
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        _loops.loop = loop
    return loop.run_until_complete(coro)


def _sign(make_writer, key: SigningKey, role: str, location: str | None, box: tuple[float, float], nip: str) -> bytes:
    pdf_signer = _pdf_signer(key, role, location, box, nip)
    for attempt in range(4):
        out = io.BytesIO()
        try:
            _run(
                pdf_signer.async_sign_pdf(
                    make_writer(), existing_fields_only=True, bytes_reserved=key.bytes_reserved or None, output=out
                )
            )
            break
        except SigningError as exc:
            if "larger than expected" not in str(exc) or attempt == 3 or not key.bytes_reserved:
                raise
            # The room reserved for the signature was too small (a long certificate chain, a
            # large timestamp token): reserve twice as much from now on.
            key.bytes_reserved *= 2
    if key.finisher is not None:
        return key.finisher.finish(out.getvalue(), _run)
    return out.getvalue()


def field_label(title: str, person: PersonIdentity | None) -> str:
    """The readable name (``/TU``) of a signature field: whose signature belongs there.

    ``Pejabat Penilai Kinerja: Nama (NIP 1986…)``: written when the document is first
    signed, inside what that signature covers, so verification knows whose each field is
    even on a computer without the database.
    """
    if person is None or not person.name:
        return title
    nip = re.sub(r"\D", "", person.nip_raw or "")
    return f"{title}: {person.name}" + (f" (NIP {nip})" if nip else "")


_LABEL = re.compile(r"^(?P<title>[^:]+): (?P<name>.*?)(?: \(NIP (?P<nip>\d+)\))?$")


def parse_field_label(label: str) -> tuple[str, PersonIdentity | None]:
    """(title, person) from a field's readable name written by :func:`field_label`."""
    found = _LABEL.match(label or "")
    if not found:
        return label or "", None
    nip = found.group("nip") or ""
    return found.group("title"), PersonIdentity(name=found.group("name"), nip=nip, nip_raw=nip)


def sign_rendered(
    rendered: RenderedDocument,
    key: SigningKey,
    role: str = ROLE_PEJABAT,
    *,
    location: str | None = None,
    labels: dict[str, str] | None = None,
    signer_nip: str | None = None,
    nip_label: str = "NIP",
) -> bytes:
    """Sign a freshly rendered document in ``role``'s block; every field is added now.

    ``labels``: role -> the field's readable name (:func:`field_label`). ``signer_nip`` (the
    record's NIP, else the certificate's) is printed on the stamp.
    """
    if role not in rendered.boxes:
        raise UserError(
            _("Dokumen ini tidak memiliki kolom tanda tangan untuk {role}.").format(role=_(ROLE_TITLES.get(role, role)))
        )

    def make_writer() -> IncrementalPdfFileWriter:
        writer = IncrementalPdfFileWriter(io.BytesIO(rendered.pdf))
        for each, (page, box) in rendered.boxes.items():
            spec = fields.SigFieldSpec(
                FIELD_NAMES[each],
                on_page=page,
                box=tuple(round(v, 2) for v in box),
                readable_field_name=(labels or {}).get(each),
            )
            fields.append_signature_field(writer, spec)
        if key.finisher is not None:
            key.finisher.add_dss(writer)
        return writer

    x1, y1, x2, y2 = rendered.boxes[role][1]
    return _sign(
        make_writer, key, role, location, (abs(x2 - x1), abs(y2 - y1)), nip_line(signer_nip or key.nip, nip_label)
    )


def signature_field_state(pdf: bytes) -> dict[str, bool]:
    """Field name -> already signed, for the signature fields of ``pdf``."""
    reader = PdfFileReader(io.BytesIO(pdf))
    return {name: value is not None for name, value, _ref in fields.enumerate_sig_fields(reader)}


def _field_size(pdf: bytes, name: str) -> tuple[float, float]:
    """Width and height of a signature field's widget (the standard block size when unreadable)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        for field_name, _value, ref in fields.enumerate_sig_fields(reader):
            if field_name == name:
                x1, y1, x2, y2 = (float(v) for v in ref.get_object()["/Rect"])
                return abs(x2 - x1), abs(y2 - y1)
    except (KeyError, TypeError, ValueError):
        pass
    return SIGN_SPACE_WIDTH, SIGN_SPACE_HEIGHT


def countersign(
    pdf: bytes,
    key: SigningKey,
    role: str = ROLE_PEGAWAI,
    *,
    location: str | None = None,
    signer_nip: str | None = None,
    nip_label: str = "NIP",
) -> bytes:
    """Add ``role``'s signature to a document already signed, as an incremental update."""
    if not pdf.lstrip()[:5].startswith(b"%PDF"):
        raise UnusableInput(_("Berkas itu bukan PDF."))
    try:
        state = signature_field_state(pdf)
    except Exception:
        raise UnusableInput(_("Berkas PDF itu rusak atau tidak dapat dibaca.")) from None
    name = FIELD_NAMES[role]
    if name not in state:
        raise UserError(
            _(
                "Dokumen ini tidak memiliki kolom tanda tangan {role}; cetak ulang dokumennya dari Kinerja Desktop."
            ).format(role=_(ROLE_TITLES[role]))
        )
    if state[name]:
        raise UserError(
            _("Kolom tanda tangan {role} pada dokumen ini sudah ditandatangani.").format(role=_(ROLE_TITLES[role]))
        )

    def make_writer() -> IncrementalPdfFileWriter:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        if key.finisher is not None:
            key.finisher.add_dss(writer)
        return writer

    return _sign(make_writer, key, role, location, _field_size(pdf, name), nip_line(signer_nip or key.nip, nip_label))
