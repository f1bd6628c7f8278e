"""Certificates: the district CA, user certificates, PKCS#12 files of this computer.

District CA certificates are labelled "bukan BSrE" in their subject; but what a document
says about its signature comes from the trust anchors (``reports.trust``), never from a
name. A person's key is made on their own computer (``reports.cert_requests``); the CA
only signs the request (``reports.ca``). ``issue_user_certificate`` (CA-made keys) stays for
the self-test, the tests and the benchmarks.

Passphrases are never stored: the CA key is kept encrypted with its passphrase (and
sealed with the files key from the key store, :mod:`kinerja_desktop.store.sealed`), a
user's .p12 stays encrypted with theirs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pkcs12 as a_pkcs12
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kinerja_desktop import files, paths
from kinerja_desktop.errors import NotFound, UnusableInput, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.trust import add_anchor, cert_pem, key_hash, write_public
from kinerja_desktop.store import sealed

NOT_BSRE = "bukan BSrE"
ORGANISATION = "Pemerintah Kabupaten Batanghari"
CA_COMMON_NAME = "CA Lokal Kinerja Desktop Kabupaten Batanghari"
#: id-kp-documentSigning (RFC 9336).
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")

CA_CERT_NAME = "ca-kabupaten.pem"
CA_KEY_NAME = "ca-kabupaten.key"


class CertificateError(UserError):
    """A certificate or key file that cannot be used."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def write_private(path: Path, data: bytes) -> None:
    """Write a secret file atomically with owner-only permissions from the start."""
    files.write_atomic(path, data, private=True)


# --- making certificates -------------------------------------------------------------------


def create_ca(
    common_name: str = CA_COMMON_NAME, *, years: int = 10, now: dt.datetime | None = None
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A self-signed district CA certificate and its key (labelled "bukan BSrE")."""
    now = now or _now()
    key = _new_key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"Sertifikat lokal Kinerja Desktop - {NOT_BSRE}"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def issue_user_certificate(
    ca_cert: x509.Certificate,
    ca_key,
    *,
    nip: str,
    name: str,
    days: int = 730,
    not_before: dt.datetime | None = None,
    digital_signature: bool = True,
    non_repudiation: bool | None = None,
    crl_url: str | None = None,
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A signing certificate and its key for one person: CN = name, serialNumber = NIP.

    ``not_before``, ``digital_signature`` and ``non_repudiation`` exist for tests (expired,
    not yet valid, without the digital-signature key usage, without non-repudiation).
    """
    key = _new_key()
    cert = build_user_certificate(
        ca_cert,
        ca_key,
        key.public_key(),
        nip=nip,
        name=name,
        days=days,
        not_before=not_before,
        digital_signature=digital_signature,
        non_repudiation=non_repudiation,
        crl_url=crl_url,
    )
    return cert, key


def crl_location(ca_cert: x509.Certificate) -> str:
    """The CRL distribution point written into user certificates when the CA names none.

    Offices verify offline with the CRLs they hold, so the value is an identifier (the CA
    key's hash), not an address to fetch from.
    """

    return f"urn:kinerja-desktop:crl:{key_hash(ca_cert.public_key())[:32]}"


def build_user_certificate(
    ca_cert: x509.Certificate,
    ca_key,
    public_key,
    *,
    nip: str,
    name: str,
    days: int = 730,
    not_before: dt.datetime | None = None,
    digital_signature: bool = True,
    non_repudiation: bool | None = None,
    crl_url: str | None = None,
) -> x509.Certificate:
    """The certificate the CA signs for ``public_key`` (the holder keeps the private key)."""
    start = not_before or (_now() - dt.timedelta(minutes=5))
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"Sertifikat lokal Kinerja Desktop - {NOT_BSRE}"),
            *([x509.NameAttribute(NameOID.SERIAL_NUMBER, nip)] if nip else []),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=digital_signature,
                content_commitment=digital_signature if non_repudiation is None else non_repudiation,
                key_encipherment=not digital_signature,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False)
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(crl_url or crl_location(ca_cert))], None, None, None
                    )
                ]
            ),
            critical=False,
        )
    )
    return builder.sign(ca_key, hashes.SHA256())


def make_p12(
    cert: x509.Certificate,
    key,
    ca_cert: x509.Certificate | None,
    passphrase: str | bytes,
    friendly_name: str = "kinerja",
) -> bytes:
    """A PKCS#12 file (AES-256 encrypted) holding the key, the certificate and the CA."""
    password = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    if not password:
        raise UserError(_("Kata sandi sertifikat tidak boleh kosong."))
    return pkcs12.serialize_key_and_certificates(
        friendly_name.encode("utf-8"),
        key,
        cert,
        [ca_cert] if ca_cert is not None else None,
        serialization.BestAvailableEncryption(password),
    )


# --- where they live -----------------------------------------------------------------------


def ca_cert_path() -> Path:
    return paths.locations().data / "ca" / CA_CERT_NAME


def ca_key_path() -> Path:
    return paths.locations().keys / CA_KEY_NAME


def save_ca(cert: x509.Certificate, key, passphrase: str | bytes, *, overwrite: bool = False) -> tuple[Path, Path]:
    """Store the district CA: certificate in the data folder (and trusted), key encrypted in keys/."""
    password = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    if not password:
        raise UserError(_("Kata sandi kunci CA tidak boleh kosong."))
    cert_path, key_path = ca_cert_path(), ca_key_path()
    if key_path.exists() and not overwrite:
        raise UserError(
            _(
                "CA kabupaten sudah ada di {path}. Gunakan --force hanya jika ingin menggantinya; "
                "sertifikat yang sudah diterbitkan tidak akan dipercaya lagi."
            ).format(path=key_path)
        )
    paths.locations().ensure()
    sealed.write_sealed(  # passphrase-encrypted PKCS#8, sealed again with the files key
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(password),
        ),
    )
    write_public(cert_path, cert_pem(cert))

    add_anchor(cert_pem(cert), label=common_name_of(cert))
    return cert_path, key_path


def load_ca(passphrase: str | bytes) -> tuple[x509.Certificate, object]:
    cert_path, key_path = ca_cert_path(), ca_key_path()
    if not key_path.exists() or not cert_path.exists():
        raise NotFound(_("CA kabupaten belum dibuat. Jalankan dulu: kinerja certs ca-create."))
    password = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    try:
        key = serialization.load_pem_private_key(sealed.read_sealed(key_path), password=password)
    except (ValueError, TypeError):
        raise UserError(_("Kata sandi kunci CA salah. Tidak ada sertifikat yang diterbitkan.")) from None
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return cert, key


# --- per-user certificates ------------------------------------------------------------------


def user_p12_path(nip: str) -> Path:
    return paths.locations().keys / f"{nip}.p12"


@dataclass(frozen=True)
class CertificateInfo:
    subject_name: str
    serial_number: str  # subject serialNumber (the NIP in local certificates)
    issuer: str
    issuer_organisation: str
    not_before: dt.datetime
    not_after: dt.datetime
    digital_signature: bool
    fingerprint: str = ""


def _attr(name: x509.Name, oid) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def common_name_of(cert: x509.Certificate) -> str:
    return _attr(cert.subject, NameOID.COMMON_NAME) or cert.subject.rfc4514_string()


def certificate_info(cert: x509.Certificate) -> CertificateInfo:
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        digital = bool(ku.digital_signature or ku.content_commitment)
    except x509.ExtensionNotFound:
        digital = False
    return CertificateInfo(
        subject_name=_attr(cert.subject, NameOID.COMMON_NAME),
        serial_number=_attr(cert.subject, NameOID.SERIAL_NUMBER),
        issuer=_attr(cert.issuer, NameOID.COMMON_NAME) or cert.issuer.rfc4514_string(),
        issuer_organisation=_attr(cert.issuer, NameOID.ORGANIZATION_NAME),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        digital_signature=digital,
        fingerprint=hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest(),
    )


def read_p12(data: bytes, passphrase: str | bytes | None):
    """(key, certificate, other certificates) from PKCS#12 bytes.

    Raises :class:`CertificateError` for a wrong passphrase and :class:`UnusableInput`
    for data that is not PKCS#12 at all.
    """
    password = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    try:
        key, cert, others = pkcs12.load_key_and_certificates(data, password or None)
    except ValueError as exc:
        if _looks_like_pkcs12(data):
            raise CertificateError(
                _("Kata sandi sertifikat salah. Tidak ada berkas yang ditulis; coba lagi dengan kata sandi yang benar.")
            ) from exc
        raise UnusableInput(_("Berkas itu bukan sertifikat PKCS#12 (.p12/.pfx).")) from exc
    if key is None or cert is None:
        raise UnusableInput(_("Berkas PKCS#12 itu tidak berisi kunci privat dan sertifikat penanda tangan."))
    return key, cert, list(others or ())


def _looks_like_pkcs12(data: bytes) -> bool:
    """A DER SEQUENCE holding version 3 (PFX), the start of every PKCS#12 file."""
    try:
        pfx = a_pkcs12.Pfx.load(data)
        return pfx["version"].native == "v3"
    except Exception:
        return False


MAX_P12_BYTES = 1024 * 1024


def user_cert_path(nip: str) -> Path:
    """The public certificate kept beside ``<nip>.p12`` (to list it without the passphrase)."""
    return user_p12_path(nip).with_suffix(".crt")


def nip_of(cert: x509.Certificate) -> str:
    """The 18-digit NIP in the certificate's subject serialNumber, or "" when it has none."""

    digits = re.sub(r"\D", "", _attr(cert.subject, NameOID.SERIAL_NUMBER))
    return digits if len(digits) == 18 else ""


def store_user_p12(data: bytes, nip: str, cert: x509.Certificate) -> Path:
    """Keep a checked .p12 in the keys folder (owner-only) with its public certificate beside it."""
    target = user_p12_path(nip)
    paths.locations().ensure()
    write_private(target, data)
    write_public(user_cert_path(nip), cert_pem(cert))
    return target


def import_user_p12(source: str | os.PathLike, nip: str | None, passphrase: str | bytes) -> Path:
    """Copy a user's .p12 into the keys folder, after checking it opens; the NIP defaults to the certificate's."""
    src = Path(source)
    if not src.is_file():
        raise NotFound(_("Berkas sertifikat {path} tidak ditemukan.").format(path=src))
    if src.stat().st_size > MAX_P12_BYTES:
        raise UnusableInput(_("Berkas {path} terlalu besar untuk sebuah sertifikat PKCS#12.").format(path=src))
    data = src.read_bytes()
    _key, cert, _others = read_p12(data, passphrase)  # wrong passphrase / not PKCS#12 stop here
    nip = nip or nip_of(cert)
    if not nip:
        raise UserError(_("Sertifikat ini tidak memuat NIP; sebutkan NIP pemiliknya (--nip)."))
    return store_user_p12(data, nip, cert)


@dataclass(frozen=True)
class StoredCertificate:
    """A signing certificate kept on this computer (its .p12 in the keys folder)."""

    nip: str
    path: Path
    cert: x509.Certificate | None  # None: an older .p12 without its public certificate beside it

    @property
    def name(self) -> str:
        return common_name_of(self.cert) if self.cert is not None else ""


def stored_certificates() -> list[StoredCertificate]:
    folder = paths.locations().keys
    out = []
    if folder.is_dir():
        for path in sorted(folder.glob("*.p12")):
            cert = None
            try:
                cert = x509.load_pem_x509_certificate(path.with_suffix(".crt").read_bytes())
            except (OSError, ValueError):
                pass
            out.append(StoredCertificate(path.stem, path, cert))
    return out
