"""Certificates as the window and the command line use them, with who may do what.

* Anyone signed in: make a key and a certificate request for themselves
  (:func:`request_certificate`; the key stays on this computer), bring the CA's answer
  back (:func:`accept_certificate`), import an existing .p12 (:func:`import_p12`).
* Administrators: trust anchors (:func:`add_trust_anchor`, :func:`remove_trust_anchor`,
  :func:`import_crl`), the signing policy (:func:`set_signing_policy`: signing with
  untrusted certificates, the timestamp server), and the district CA (:func:`create_ca`,
  :func:`issue_certificate`, :func:`revoke_certificate`).

A revocation list published here is also kept in the database (``revocation_lists``),
so sync carries it to every office and their verification uses it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports import ca as district_ca
from kinerja_desktop.reports import cert_requests, certs, trust
from kinerja_desktop.reports.signing import names_match
from kinerja_desktop.reports.timestamps import check_url
from kinerja_desktop.services.access.permissions import require_role
from kinerja_desktop.services.access.principal import ADMINISTRATOR, Principal
from kinerja_desktop.services.audit.chain import record
from kinerja_desktop.services.settings import get_setting, set_setting
from kinerja_desktop.store.documents import RevocationList
from kinerja_desktop.store.employee import Employee

#: Revocation lists larger than this are not taken from the database.
MAX_CRL_BYTES = 8 * 1024 * 1024
_CRL_NAMESPACE = uuid.UUID("5d3f8a52-6c1e-4d0b-9a57-3b1f0e6c2a11")


# --- revocation lists in the database --------------------------------------------------------


def database_crls(session: Session) -> list[x509.CertificateRevocationList]:
    """The revocation lists carried by sync (each is checked against its issuer when used)."""
    out = []
    try:
        rows = session.scalars(select(RevocationList).where(RevocationList.deleted.is_(False)))
        for row in rows:
            if row.crl_der and len(row.crl_der) <= MAX_CRL_BYTES:
                try:
                    out.append(x509.load_der_x509_crl(bytes(row.crl_der)))
                except ValueError:
                    continue
    except Exception:  # a database without the table (older schema): no CRLs from it
        session.rollback()
        return []
    return out


def keep_crl(session: Session, crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> RevocationList:
    """Store ``crl`` as the issuer's current list (one row per CA, the newest number wins)."""
    data = district_ca.crl_summary(crl, issuer)
    row_id = str(uuid.uuid5(_CRL_NAMESPACE, data["issuer_key_hash"]))
    row = session.get(RevocationList, row_id)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if row is None:
        row = RevocationList(id=row_id, published_at=now, **data)
        session.add(row)
    elif data["crl_number"] >= (row.crl_number or 0):
        for key, value in data.items():
            setattr(row, key, value)
        row.published_at = now
        row.deleted = False
    session.flush()
    return row


# --- the signing policy ----------------------------------------------------------------------


ALLOW_UNTRUSTED = "documents.allow_untrusted_signing"
TSA_URL = "documents.tsa_url"


@dataclass(frozen=True)
class SigningPolicy:
    allow_untrusted: bool
    tsa_url: str


def signing_policy(session: Session | None) -> SigningPolicy:
    """May certificates outside the anchors sign (never as official files), and the timestamp server."""
    if session is None:
        return SigningPolicy(False, "")
    return SigningPolicy(bool(get_setting(session, ALLOW_UNTRUSTED, False)), get_setting(session, TSA_URL, "") or "")


def set_signing_policy(session: Session, actor: Principal, *, allow_untrusted: bool, tsa_url: str) -> SigningPolicy:
    """Administrator only: allow signing with untrusted certificates; the timestamp server (or none)."""
    require_role(actor, ADMINISTRATOR)
    url = check_url(tsa_url) if tsa_url.strip() else ""
    set_setting(session, actor, ALLOW_UNTRUSTED, bool(allow_untrusted))
    set_setting(session, actor, TSA_URL, url)
    return SigningPolicy(bool(allow_untrusted), url)


# --- trust anchors ---------------------------------------------------------------------------


def add_trust_anchor(
    session: Session | None, actor: Principal, data: bytes, *, label: str = "", bsre: bool = False
) -> trust.Anchor:
    """Administrator only: trust a CA certificate (``bsre``: it is a BSrE root)."""
    require_role(actor, ADMINISTRATOR)
    anchor = trust.add_anchor(data, label=label, bsre=bsre)
    _audit(session, actor, "trust_anchor_add", anchor.fingerprint, {"label": anchor.label, "bsre": anchor.bsre})
    return anchor


def remove_trust_anchor(session: Session | None, actor: Principal, fingerprint: str) -> trust.Anchor:
    require_role(actor, ADMINISTRATOR)
    anchor = trust.remove_anchor(fingerprint)
    _audit(session, actor, "trust_anchor_remove", anchor.fingerprint, {"label": anchor.label})
    return anchor


def import_crl(session: Session | None, actor: Principal, data: bytes) -> Path:
    """Administrator only: keep a CA's revocation list (it must be signed by a trusted anchor's CA)."""
    require_role(actor, ADMINISTRATOR)
    if len(data) > MAX_CRL_BYTES:
        raise UserError(_("Berkas CRL itu terlalu besar."))
    crl = trust.read_crl(data)
    store = trust.load_store()
    issuer = trust.crl_issuer(crl, [a.cert for a in store.anchors])
    if issuer is None:
        raise UserError(
            _("CRL ini tidak ditandatangani oleh CA terpercaya di komputer ini; impor dulu sertifikat CA penerbitnya.")
        )
    path = trust.save_crl(crl, issuer)
    if session is not None:
        keep_crl(session, crl, issuer)
    return path


def _audit(session: Session | None, actor: Principal, action: str, row_id: str, after: dict) -> None:
    if session is None:
        return
    record(session, actor, action, "certificates", row_id[:36], None, after)


# --- the district CA -------------------------------------------------------------------------


def create_ca(
    session: Session | None,
    actor: Principal,
    passphrase: str,
    *,
    name: str = "",
    years: int = 10,
    replace: bool = False,
) -> x509.Certificate:
    """Administrator only: make the district CA of this computer (its key encrypted with ``passphrase``)."""
    require_role(actor, ADMINISTRATOR)
    if len(passphrase or "") < cert_requests.MIN_PASSPHRASE:
        raise UserError(_("Kata sandi kunci CA paling sedikit {n} karakter.").format(n=cert_requests.MIN_PASSPHRASE))
    cert, key = certs.create_ca(name or certs.CA_COMMON_NAME, years=years)
    certs.save_ca(cert, key, passphrase, overwrite=replace)
    _audit(session, actor, "ca_create", trust.fingerprint(cert), {"name": certs.common_name_of(cert)})
    return cert


def district_ca_certificate() -> x509.Certificate | None:
    path = certs.ca_cert_path()
    try:
        return x509.load_pem_x509_certificate(path.read_bytes()) if path.exists() else None
    except (OSError, ValueError):
        return None


def issue_certificate(
    session: Session | None, actor: Principal, request_data: bytes, ca_passphrase: str, *, days: int = 730
) -> tuple[district_ca.CertificateRequest, x509.Certificate, bytes]:
    """Administrator only: sign a person's request. Returns (request, certificate, PEM bundle to hand back).

    When the database is here, the request's NIP must be an employee of the roster and the
    name theirs (the name rule of signing): a CA does not certify people it does not know.
    """
    require_role(actor, ADMINISTRATOR)
    request = district_ca.read_request(request_data)
    if session is not None:
        _check_against_roster(session, request)
    ca_cert, ca_key = certs.load_ca(ca_passphrase)
    cert = district_ca.issue_from_request(ca_cert, ca_key, request, days=days)
    _audit(
        session,
        actor,
        "certificate_issue",
        trust.fingerprint(cert),
        {"nip": request.nip, "serial": format(cert.serial_number, "x")},
    )
    return request, cert, district_ca.certificate_bundle(cert, ca_cert)


def _check_against_roster(session: Session, request: district_ca.CertificateRequest) -> None:
    emp = session.scalar(select(Employee).where(Employee.nip == request.nip, Employee.deleted.is_(False)))
    if emp is None:
        raise UserError(
            _("NIP {nip} pada permintaan tidak ada di data pegawai; sertifikat tidak diterbitkan.").format(
                nip=request.nip
            )
        )
    if not names_match(request.name, emp.full_name, emp.name):
        raise UserError(
            _(
                "Nama pada permintaan ({name}) berbeda dengan nama pegawai NIP {nip} di data ({record}); "
                "sertifikat tidak diterbitkan."
            ).format(name=request.name, nip=request.nip, record=emp.full_name)
        )


def revoke_certificate(
    session: Session | None, actor: Principal, which: str, ca_passphrase: str, *, reason: str = "unspecified"
) -> district_ca.IssuedCertificate:
    """Administrator only: revoke a certificate this CA issued and publish the new CRL."""
    require_role(actor, ADMINISTRATOR)
    ca_cert, ca_key = certs.load_ca(ca_passphrase)
    revoked, crl = district_ca.revoke(ca_cert, ca_key, which, reason=reason)
    if session is not None:
        keep_crl(session, crl, ca_cert)
    _audit(session, actor, "certificate_revoke", revoked.fingerprint, {"nip": revoked.nip, "reason": reason})
    return revoked


# --- one's own certificate -------------------------------------------------------------------


def request_certificate(nip: str, name: str, passphrase: str) -> bytes:
    """Make a key (kept here, encrypted) and return the request (CSR, PEM) for the district CA."""
    return cert_requests.create_request(nip, name, passphrase)


def accept_certificate(data: bytes, passphrase: str) -> tuple[Path, x509.Certificate]:
    """Join the CA's answer to the key waiting on this computer: ``keys/<NIP>.p12``."""
    return cert_requests.complete_request(data, passphrase)


def import_p12(path: str | Path, nip: str | None, passphrase: str) -> Path:
    return certs.import_user_p12(path, nip, passphrase)
