"""The district CA at work: signing a person's request, revoking, publishing the CRL.

The CA never sees a signer's private key: the key and its request (CSR) are made on the
signer's own computer (``reports.cert_requests``), the CA checks the request and signs a
certificate for the public key in it. Every certificate issued is kept in a register
(``ca/issued.json`` next to the CA certificate); revoking one marks it there and publishes
a new revocation list (CRL, signed by the CA key) that verification uses.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from kinerja_desktop.domain.nip import NipError, parse_nip
from kinerja_desktop.errors import NotFound, UnusableInput, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.certs import build_user_certificate, ca_cert_path, write_public
from kinerja_desktop.reports.trust import fingerprint, key_hash, save_crl

REGISTER_NAME = "issued.json"
CRL_NAME = "ca-kabupaten.crl"
MAX_CSR_BYTES = 64 * 1024
#: How long a published CRL says it is current; offices keep using the newest one they have.
CRL_DAYS = 30
MAX_DAYS = 5 * 366

#: RFC 5280 reason codes the window and the command line offer.
REASONS = {
    "unspecified": x509.ReasonFlags.unspecified,
    "key_compromise": x509.ReasonFlags.key_compromise,
    "affiliation_changed": x509.ReasonFlags.affiliation_changed,
    "superseded": x509.ReasonFlags.superseded,
    "cessation_of_operation": x509.ReasonFlags.cessation_of_operation,
}


@dataclass
class IssuedCertificate:
    serial: str  # hex
    nip: str
    name: str
    fingerprint: str
    not_before: str
    not_after: str
    issued_at: str
    revoked_at: str | None = None
    reason: str | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


def register_path() -> Path:
    return ca_cert_path().parent / REGISTER_NAME


def published_crl_path() -> Path:
    return ca_cert_path().parent / CRL_NAME


def _load_register() -> dict:
    try:
        data = json.loads(register_path().read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("issued"), list):
            return data
    except (OSError, ValueError):
        pass
    return {"issued": [], "crl_number": 0}


def _save_register(data: dict) -> None:
    write_public(register_path(), json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))


def issued_certificates() -> list[IssuedCertificate]:
    out = []
    for row in _load_register()["issued"]:
        try:
            out.append(IssuedCertificate(**row))
        except TypeError:
            continue
    return out


# --- requests --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateRequest:
    csr: x509.CertificateSigningRequest
    nip: str
    name: str


def read_request(data: bytes) -> CertificateRequest:
    """A checked request: well-formed, self-signed, with a name and a valid NIP, a strong key."""
    if len(data) > MAX_CSR_BYTES:
        raise UnusableInput(_("Berkas permintaan itu terlalu besar untuk sebuah CSR."))
    try:
        csr = x509.load_pem_x509_csr(data) if b"-----BEGIN" in data else x509.load_der_x509_csr(data)
    except ValueError:
        raise UnusableInput(
            _(
                "Berkas itu bukan permintaan sertifikat (CSR). Buat permintaan dengan "
                "kinerja certs request atau di Pengaturan › Sertifikat."
            )
        ) from None
    try:
        signed = csr.is_signature_valid
    except UnsupportedAlgorithm:
        signed = False
    if not signed:
        raise UnusableInput(
            _(
                "Tanda tangan pada permintaan sertifikat tidak sah; permintaan ini rusak atau "
                "diubah. Minta pemohon membuat permintaan baru."
            )
        )
    key = csr.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < 2048:
            raise UnusableInput(
                _("Kunci RSA pada permintaan terlalu pendek ({bits} bit); paling sedikit 2048 bit.").format(
                    bits=key.key_size
                )
            )
    elif not (isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name in ("secp256r1", "secp384r1")):
        raise UnusableInput(_("Jenis kunci pada permintaan tidak didukung; gunakan RSA 2048 bit atau EC P-256."))
    name = " ".join(_attr(csr.subject, NameOID.COMMON_NAME).split())
    raw_nip = re.sub(r"\D", "", _attr(csr.subject, NameOID.SERIAL_NUMBER))
    if not name:
        raise UnusableInput(_("Permintaan sertifikat tidak memuat nama pemohon."))
    try:
        nip = parse_nip(raw_nip).raw
    except NipError as exc:
        raise UnusableInput(_("NIP pada permintaan sertifikat tidak sah: {reason}").format(reason=exc)) from None
    return CertificateRequest(csr, nip, name)


def _attr(name: x509.Name, oid) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def issue_from_request(
    ca_cert: x509.Certificate, ca_key, request: CertificateRequest, *, days: int = 730, now: dt.datetime | None = None
) -> x509.Certificate:
    """Sign a certificate for the request's public key and enter it in the register."""
    if not 1 <= days <= MAX_DAYS:
        raise UserError(_("Masa berlaku harus antara 1 dan {max} hari.").format(max=MAX_DAYS))
    start = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(minutes=5)
    if start + dt.timedelta(days=days) > ca_cert.not_valid_after_utc:
        days = max(1, (ca_cert.not_valid_after_utc - start).days)
    cert = build_user_certificate(
        ca_cert, ca_key, request.csr.public_key(), nip=request.nip, name=request.name, days=days, not_before=start
    )
    data = _load_register()
    data["issued"].append(
        asdict(
            IssuedCertificate(
                serial=format(cert.serial_number, "x"),
                nip=request.nip,
                name=request.name,
                fingerprint=fingerprint(cert),
                not_before=cert.not_valid_before_utc.isoformat(),
                not_after=cert.not_valid_after_utc.isoformat(),
                issued_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            )
        )
    )
    _save_register(data)
    return cert


def certificate_bundle(cert: x509.Certificate, ca_cert: x509.Certificate) -> bytes:
    """What goes back to the applicant: their certificate, then the CA's (PEM)."""
    return cert.public_bytes(serialization.Encoding.PEM) + ca_cert.public_bytes(serialization.Encoding.PEM)


# --- revoking --------------------------------------------------------------------------------


def find_issued(which: str) -> IssuedCertificate:
    """An issued certificate by serial (hex), fingerprint (8+ hex digits) or NIP (its newest one)."""
    wanted = which.strip().lower().replace(":", "").replace(" ", "")
    issued = issued_certificates()
    by_nip = [c for c in issued if c.nip == re.sub(r"\D", "", which) and len(re.sub(r"\D", "", which)) == 18]
    if by_nip:
        live = [c for c in by_nip if not c.revoked] or by_nip
        return sorted(live, key=lambda c: c.issued_at)[-1]
    matches = [c for c in issued if c.serial == wanted or (len(wanted) >= 8 and c.fingerprint.startswith(wanted))]
    if not matches:
        raise NotFound(
            _("Tidak ada sertifikat terbitan CA ini dengan nomor seri, sidik jari, atau NIP {value}.").format(
                value=which
            )
        )
    if len(matches) > 1:
        raise UnusableInput(
            _("Lebih dari satu sertifikat cocok dengan {value}; berikan nomor seri lengkapnya.").format(value=which)
        )
    return matches[0]


def revoke(
    ca_cert: x509.Certificate, ca_key, which: str, *, reason: str = "unspecified", now: dt.datetime | None = None
) -> tuple[IssuedCertificate, x509.CertificateRevocationList]:
    """Mark a certificate revoked and publish a new CRL. Returns (the certificate, the CRL)."""
    if reason not in REASONS:
        raise UserError(_("Alasan pencabutan tidak dikenal: {reason}.").format(reason=reason))
    target = find_issued(which)
    if target.revoked:
        raise UserError(
            _("Sertifikat {name} (nomor seri {serial}) sudah dicabut pada {when}.").format(
                name=target.name, serial=target.serial, when=target.revoked_at
            )
        )
    when = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    data = _load_register()
    for row in data["issued"]:
        if row.get("serial") == target.serial:
            row["revoked_at"] = when.isoformat()
            row["reason"] = reason
    _save_register(data)
    crl = publish_crl(ca_cert, ca_key, now=when)
    target.revoked_at, target.reason = when.isoformat(), reason
    return target, crl


def publish_crl(ca_cert: x509.Certificate, ca_key, *, now: dt.datetime | None = None) -> x509.CertificateRevocationList:
    """Sign a CRL of every revoked certificate, keep it beside the CA and in this computer's CRL folder."""
    when = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    data = _load_register()
    number = int(data.get("crl_number", 0)) + 1
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(when)
        .next_update(when + dt.timedelta(days=CRL_DAYS))
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False)
    )
    for row in data["issued"]:
        if not row.get("revoked_at"):
            continue
        entry = (
            x509.RevokedCertificateBuilder()
            .serial_number(int(row["serial"], 16))
            .revocation_date(dt.datetime.fromisoformat(row["revoked_at"]))
        )
        flag = REASONS.get(row.get("reason") or "unspecified")
        if flag is not None and flag != x509.ReasonFlags.unspecified:
            entry = entry.add_extension(x509.CRLReason(flag), critical=False)
        builder = builder.add_revoked_certificate(entry.build())
    crl = builder.sign(ca_key, hashes.SHA256())
    data["crl_number"] = number
    _save_register(data)
    write_public(published_crl_path(), crl.public_bytes(serialization.Encoding.DER))
    save_crl(crl, ca_cert)
    return crl


def crl_summary(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> dict:
    """What the database keeps about a CRL (``store.documents.RevocationList``)."""
    try:
        number = crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    except x509.ExtensionNotFound:
        number = 0
    return {
        "issuer_key_hash": key_hash(issuer.public_key()),
        "issuer_name": issuer.subject.rfc4514_string()[:255],
        "crl_number": int(number),
        "this_update": crl.last_update_utc.replace(tzinfo=None),
        "next_update": crl.next_update_utc.replace(tzinfo=None) if crl.next_update_utc else None,
        "crl_der": crl.public_bytes(serialization.Encoding.DER),
    }
