"""Certificates for offices without any: a district CA and user certificates.

These are local certificates, labelled "bukan BSrE" in their subject, so no document
signed with them can pass for a certified BSrE electronic signature. Also here: the
per-user import of a PKCS#12 file into the keys folder (owner-only permissions) and
the list of trusted CA certificates used when verifying.

Passphrases are never stored: the CA key is kept encrypted with its passphrase (and
sealed with the files key from the key store, :mod:`kinerja_desktop.store.sealed`), a
user's .p12 stays encrypted with theirs.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kinerja_desktop import files, paths
from kinerja_desktop.errors import NotFound, UnusableInput, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.store import sealed

NOT_BSRE = "bukan BSrE"
ORGANISATION = "Pemerintah Kabupaten Batanghari"
CA_COMMON_NAME = "CA Lokal Kinerja Desktop Kabupaten Batanghari"
#: id-kp-documentSigning (RFC 9336).
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")

CA_CERT_NAME = "ca-kabupaten.pem"
CA_KEY_NAME = "ca-kabupaten.key"
TRUSTED_DIR_NAME = "trusted-ca"


class CertificateError(UserError):
    """A certificate or key file that cannot be used."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def write_private(path: Path, data: bytes) -> None:
    """Write a secret file atomically with owner-only permissions from the start."""
    files.write_atomic(path, data, private=True)


def _write_public(path: Path, data: bytes) -> None:
    files.write_atomic(path, data)


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
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
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
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A signing certificate for one person: CN = name, serialNumber = NIP.

    ``not_before``, ``digital_signature`` and ``non_repudiation`` exist for tests (expired,
    not yet valid, without the digital-signature key usage, without non-repudiation).
    """
    start = not_before or (_now() - dt.timedelta(minutes=5))
    key = _new_key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"Sertifikat lokal Kinerja Desktop - {NOT_BSRE}"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, nip),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=digital_signature,
                content_commitment=digital_signature if non_repudiation is None else non_repudiation,
                key_encipherment=not digital_signature, data_encipherment=False, key_agreement=False,
                key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False
        )
    )
    return builder.sign(ca_key, hashes.SHA256()), key


def make_p12(cert: x509.Certificate, key, ca_cert: x509.Certificate | None, passphrase: str | bytes,
             friendly_name: str = "kinerja") -> bytes:
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


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


# --- where they live -----------------------------------------------------------------------


def ca_cert_path() -> Path:
    return paths.locations().data / "ca" / CA_CERT_NAME


def ca_key_path() -> Path:
    return paths.locations().keys / CA_KEY_NAME


def trusted_dir() -> Path:
    return paths.locations().data / TRUSTED_DIR_NAME


def save_ca(cert: x509.Certificate, key, passphrase: str | bytes, *, overwrite: bool = False) -> tuple[Path, Path]:
    """Store the district CA: certificate in the data folder (and trusted), key encrypted in keys/."""
    password = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    if not password:
        raise UserError(_("Kata sandi kunci CA tidak boleh kosong."))
    cert_path, key_path = ca_cert_path(), ca_key_path()
    if key_path.exists() and not overwrite:
        raise UserError(
            _("CA kabupaten sudah ada di {path}. Gunakan --force hanya jika ingin menggantinya; "
              "sertifikat yang sudah diterbitkan tidak akan dipercaya lagi.").format(path=key_path)
        )
    paths.locations().ensure()
    sealed.write_sealed(  # passphrase-encrypted PKCS#8, sealed again with the files key
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(password),
        ),
    )
    _write_public(cert_path, cert_pem(cert))
    add_trusted_bytes(cert_pem(cert), "ca-kabupaten")
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


# --- trusted CA list -----------------------------------------------------------------------


def read_certificates(data: bytes) -> list[x509.Certificate]:
    """Certificates from PEM (one or more) or DER bytes."""
    if b"-----BEGIN CERTIFICATE-----" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


def add_trusted_bytes(data: bytes, label: str) -> Path:
    try:
        certs = read_certificates(data)
    except ValueError:
        raise UnusableInput(_("Berkas itu bukan sertifikat (PEM atau DER).")) from None
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", label).strip("-") or "ca"
    target = trusted_dir() / f"{safe}.pem"
    _write_public(target, b"".join(cert_pem(c) for c in certs))
    return target


def add_trusted(path: str | os.PathLike) -> Path:
    """Add a CA certificate file to the list used when verifying documents."""
    src = Path(path)
    if not src.is_file():
        raise NotFound(_("Berkas sertifikat {path} tidak ditemukan.").format(path=src))
    return add_trusted_bytes(src.read_bytes(), src.stem)


def trusted_certificates(extra: list[str | os.PathLike] | None = None) -> list[x509.Certificate]:
    """Every trusted CA certificate: the list in the data folder plus ``extra`` files."""
    found: list[x509.Certificate] = []
    folder = trusted_dir()
    files = sorted(folder.glob("*.pem")) + sorted(folder.glob("*.crt")) + sorted(folder.glob("*.cer")) \
        if folder.is_dir() else []
    for path in [*files, *(Path(p) for p in extra or ())]:
        try:
            found += read_certificates(Path(path).read_bytes())
        except (OSError, ValueError):
            if Path(path) in files:
                continue  # a stray file in the folder does not stop verification
            raise UnusableInput(_("Berkas {path} bukan sertifikat CA yang dapat dibaca.").format(path=path)) from None
    return found


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
    bsre: bool


def _attr(name: x509.Name, oid) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def is_bsre_issuer(issuer: x509.Name) -> bool:
    """True only when the issuer's organisation is BSrE / BSSN (never for "bukan BSrE")."""
    org = " ".join(str(a.value) for a in issuer.get_attributes_for_oid(NameOID.ORGANIZATION_NAME))
    low = org.lower()
    if "bukan" in low or "not " in low:
        return False
    return "badan siber dan sandi negara" in low or re.search(r"\bbsre\b", low) is not None


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
        bsre=is_bsre_issuer(cert.issuer),
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
        from asn1crypto import pkcs12 as a_pkcs12

        pfx = a_pkcs12.Pfx.load(data)
        return pfx["version"].native == "v3"
    except Exception:
        return False


def import_user_p12(source: str | os.PathLike, nip: str, passphrase: str | bytes) -> Path:
    """Copy a user's .p12 into the keys folder (owner-only), after checking it opens."""
    src = Path(source)
    if not src.is_file():
        raise NotFound(_("Berkas sertifikat {path} tidak ditemukan.").format(path=src))
    data = src.read_bytes()
    read_p12(data, passphrase)  # wrong passphrase / not PKCS#12 stop here
    target = user_p12_path(nip)
    paths.locations().ensure()
    write_private(target, data)
    return target
