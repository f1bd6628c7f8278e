"""Whom a signature may be trusted from: trust anchors and revocation lists.

Trust is by anchor, never by name. A certificate is trusted only when its chain ends at
a CA certificate that an administrator imported on this computer (``kinerja certs trust
add FILE``, or Pengaturan > Sertifikat). A CA that merely *calls* itself "Badan Siber dan
Sandi Negara" is nobody's anchor. An anchor imported as BSrE's (``--bsre``) is the only
thing that lets a document or a verification say "BSrE".

Files in the data folder (one set per computer)::

    trusted-ca/<fingerprint[:16]>.pem   anchors (older installations: any *.pem, *.crt, *.cer)
    trusted-ca/anchors.json             label and BSrE flag per anchor fingerprint
    trusted-ca/crl/<issuer[:16]>.crl    revocation lists imported or published here

Revocation lists also arrive through sync (``store.documents.RevocationList``); the
services pass those in. A revocation list is used only when its signature verifies
against its issuer's certificate on the chain, so a forged one changes nothing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import crl as a_crl
from asn1crypto import x509 as a_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    ExpiredError,
    InvalidCertificateError,
    NotYetValidError,
    PathBuildingError,
    PathValidationError,
    RevokedError,
)
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    FreshnessReqType,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)

from kinerja_desktop import files, paths
from kinerja_desktop.errors import NotFound, UnusableInput, UserError
from kinerja_desktop.i18n import _

TRUSTED_DIR_NAME = "trusted-ca"
ANCHORS_FILE = "anchors.json"
CRL_DIR_NAME = "crl"
#: Limits for files read from outside (certificates, revocation lists).
MAX_CERT_FILE_BYTES = 1024 * 1024
MAX_CRL_FILE_BYTES = 16 * 1024 * 1024


def trusted_dir() -> Path:
    return paths.locations().data / TRUSTED_DIR_NAME


def crl_dir() -> Path:
    return trusted_dir() / CRL_DIR_NAME


# --- identities ------------------------------------------------------------------------------


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate (hex, lower case): what the QR code and the records carry."""
    return hashlib.sha256(der(cert)).hexdigest()


def fingerprint_text(value: str) -> str:
    """A fingerprint as people compare it: ``3F2A 9C1B …`` (16 groups of 4)."""
    value = value.upper()
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def write_public(path: Path, data: bytes) -> None:
    """Write a public file (certificate, CRL, list) atomically."""
    files.write_atomic(path, data)


def key_hash(public_key) -> str:
    """SHA-256 of a public key (SubjectPublicKeyInfo DER, hex): a CA's identity, whatever its name."""
    spki = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).hexdigest()


def common_name(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    if values:
        return str(values[0].value)
    values = name.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(values[0].value) if values else name.rfc4514_string()


def is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def to_asn1(cert: x509.Certificate) -> a_x509.Certificate:
    return a_x509.Certificate.load(der(cert))


def crl_to_asn1(crl: x509.CertificateRevocationList) -> a_crl.CertificateList:
    return a_crl.CertificateList.load(crl.public_bytes(serialization.Encoding.DER))


# --- reading files ---------------------------------------------------------------------------


def read_certificates(data: bytes) -> list[x509.Certificate]:
    """Certificates from PEM (one or more) or DER bytes; :class:`UnusableInput` otherwise."""
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise UnusableInput(_("Berkas itu bukan sertifikat (PEM atau DER).")) from None


def read_crl(data: bytes) -> x509.CertificateRevocationList:
    try:
        if b"-----BEGIN X509 CRL-----" in data:
            return x509.load_pem_x509_crl(data)
        return x509.load_der_x509_crl(data)
    except ValueError:
        raise UnusableInput(_("Berkas itu bukan daftar pencabutan sertifikat (CRL).")) from None


def looks_like_crl(data: bytes) -> bool:
    if b"-----BEGIN X509 CRL-----" in data:
        return True
    try:
        x509.load_der_x509_crl(data)
        return True
    except ValueError:
        return False


def _read_limited(path: Path, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise UnusableInput(
                _("Berkas {path} terlalu besar ({size} KB) untuk sebuah sertifikat atau CRL.").format(
                    path=path, size=size // 1024
                )
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFound(_("Berkas {path} tidak ditemukan.").format(path=path)) from None
    except OSError as exc:
        raise UnusableInput(
            _("Berkas {path} tidak dapat dibaca ({reason}).").format(path=path, reason=exc.strerror or exc)
        ) from None


# --- anchors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """A CA certificate trusted on this computer."""

    cert: x509.Certificate
    label: str
    bsre: bool = False
    path: Path | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.cert)

    @property
    def name(self) -> str:
        return self.label or common_name(self.cert.subject)


def _anchor_meta() -> dict:
    path = trusted_dir() / ANCHORS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_meta(meta: dict) -> None:
    write_public(trusted_dir() / ANCHORS_FILE, json.dumps(meta, indent=2, ensure_ascii=False).encode("utf-8"))


def anchors() -> list[Anchor]:
    """Every anchor of this computer (a stray unreadable file in the folder is skipped)."""
    folder = trusted_dir()
    if not folder.is_dir():
        return []
    meta = _anchor_meta()
    found: dict[str, Anchor] = {}
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in (".pem", ".crt", ".cer")):
        try:
            certs = read_certificates(_read_limited(path, MAX_CERT_FILE_BYTES))
        except UserError:
            continue
        for cert in certs:
            fpr = fingerprint(cert)
            info = meta.get(fpr, {})
            found.setdefault(
                fpr, Anchor(cert, str(info.get("label") or common_name(cert.subject)), bool(info.get("bsre")), path)
            )
    return list(found.values())


def add_anchor(data: bytes, *, label: str = "", bsre: bool = False) -> Anchor:
    """Trust the CA certificate in ``data`` (PEM or DER). Only CA certificates are accepted."""
    if len(data) > MAX_CERT_FILE_BYTES:
        raise UnusableInput(_("Berkas itu terlalu besar untuk sebuah sertifikat CA."))
    certs = read_certificates(data)
    cas = [c for c in certs if is_ca(c)]
    if not cas:
        raise UnusableInput(
            _(
                "Sertifikat itu bukan sertifikat CA (BasicConstraints CA tidak ada); yang dapat "
                "dipercaya hanya sertifikat CA, bukan sertifikat seorang penanda tangan."
            )
        )
    cert = cas[-1] if len(cas) > 1 else cas[0]
    fpr = fingerprint(cert)
    target = trusted_dir() / f"{fpr[:16]}.pem"
    write_public(target, cert_pem(cert))
    meta = _anchor_meta()
    meta[fpr] = {
        "label": (label or common_name(cert.subject)).strip()[:200],
        "bsre": bool(bsre),
        "added_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    _write_meta(meta)
    return Anchor(cert, meta[fpr]["label"], bool(bsre), target)


def remove_anchor(fingerprint_prefix: str) -> Anchor:
    """Stop trusting the anchor whose fingerprint starts with ``fingerprint_prefix`` (8+ hex digits)."""
    wanted = re.sub(r"[^0-9a-f]", "", fingerprint_prefix.lower())
    if len(wanted) < 8:
        raise UnusableInput(_("Berikan paling sedikit 8 digit awal sidik jari sertifikat CA."))
    matches = [a for a in anchors() if a.fingerprint.startswith(wanted)]
    if not matches:
        raise NotFound(_("Tidak ada CA terpercaya dengan sidik jari {fpr}…").format(fpr=wanted))
    if len(matches) > 1:
        raise UnusableInput(
            _("Lebih dari satu CA cocok dengan {fpr}…; berikan sidik jari yang lebih panjang.").format(fpr=wanted)
        )
    anchor = matches[0]
    if anchor.path is not None:
        remaining = [c for c in read_certificates(anchor.path.read_bytes()) if fingerprint(c) != anchor.fingerprint]
        if remaining:
            write_public(anchor.path, b"".join(cert_pem(c) for c in remaining))
        else:
            anchor.path.unlink(missing_ok=True)
    meta = _anchor_meta()
    meta.pop(anchor.fingerprint, None)
    _write_meta(meta)
    return anchor


# --- revocation lists ------------------------------------------------------------------------


def local_crls() -> list[x509.CertificateRevocationList]:
    folder = crl_dir()
    out = []
    if folder.is_dir():
        for path in sorted(folder.glob("*.crl")):
            try:
                out.append(read_crl(_read_limited(path, MAX_CRL_FILE_BYTES)))
            except UserError:
                continue
    return out


def save_crl(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> Path:
    """Keep ``crl`` (already checked against ``issuer``) in this computer's CRL folder."""
    target = crl_dir() / f"{key_hash(issuer.public_key())[:16]}.crl"
    write_public(target, crl.public_bytes(serialization.Encoding.DER))
    return target


def crl_issuer(crl: x509.CertificateRevocationList, candidates: list[x509.Certificate]) -> x509.Certificate | None:
    """The certificate among ``candidates`` that issued (and validly signed) ``crl``."""
    for cert in candidates:
        if cert.subject != crl.issuer:
            continue
        try:
            if crl.is_signature_valid(cert.public_key()):
                return cert
        except (TypeError, ValueError):
            continue
    return None


def newest_per_issuer(crls: list[x509.CertificateRevocationList]) -> list[x509.CertificateRevocationList]:
    """One CRL per issuer: the one issued last."""
    best: dict[bytes, x509.CertificateRevocationList] = {}
    for crl in crls:
        key = crl.issuer.public_bytes()
        if key not in best or crl.last_update_utc > best[key].last_update_utc:
            best[key] = crl
    return list(best.values())


def revocation_of(
    cert: x509.Certificate, issuer: x509.Certificate, crls: list[x509.CertificateRevocationList]
) -> dt.datetime | None:
    """When ``cert`` was revoked according to a CRL validly signed by ``issuer`` (None: not revoked)."""
    for crl in crls:
        if crl_issuer(crl, [issuer]) is None:
            continue
        entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
        if entry is not None:
            return entry.revocation_date_utc
    return None


# --- judging a certificate -------------------------------------------------------------------

EXPIRED = "expired"
NOT_YET_VALID = "not_yet_valid"
REVOKED = "revoked"
UNTRUSTED = "untrusted"
INVALID = "invalid"


@dataclass
class CertificateStatus:
    """What the trust store says about one certificate at one moment."""

    cert: x509.Certificate
    moment: dt.datetime
    chain: list[x509.Certificate] = field(default_factory=list)  # leaf first, anchor last
    anchor: Anchor | None = None
    problem: str | None = None  # EXPIRED, NOT_YET_VALID, REVOKED, UNTRUSTED, INVALID or None
    revoked_at: dt.datetime | None = None

    @property
    def trusted(self) -> bool:
        return self.problem is None and self.anchor is not None

    @property
    def chained(self) -> bool:
        """Whether the chain reaches an anchor at all (whatever the dates say)."""
        return self.anchor is not None

    @property
    def bsre(self) -> bool:
        return bool(self.anchor and self.anchor.bsre)

    def sentence(self, who: str) -> str:
        """One sentence saying why the certificate is not trusted (empty when it is)."""
        cert = self.cert
        if self.problem == REVOKED:
            when = self.revoked_at.strftime("%d-%m-%Y %H:%M") if self.revoked_at else "-"
            return _("Sertifikat {who} telah dicabut oleh penerbitnya pada {when}.").format(who=who, when=when)
        if self.problem == EXPIRED:
            return _("Sertifikat {who} sudah kedaluwarsa sejak {date}.").format(
                who=who, date=cert.not_valid_after_utc.strftime("%d-%m-%Y")
            )
        if self.problem == NOT_YET_VALID:
            return _("Sertifikat {who} baru berlaku mulai {date}.").format(
                who=who, date=cert.not_valid_before_utc.strftime("%d-%m-%Y")
            )
        if self.problem == UNTRUSTED:
            return _(
                "Sertifikat {who} tidak berasal dari CA terpercaya di komputer ini ({issuer}); hanya CA yang "
                "diimpor administrator (Pengaturan › Sertifikat) yang dipercaya."
            ).format(who=who, issuer=common_name(cert.issuer))
        if self.problem == INVALID:
            return _("Sertifikat {who} tidak sah (rantai sertifikatnya rusak).").format(who=who)
        return ""


#: An office verifies offline: the newest revocation list it holds counts, however old.
REVINFO_FRESHNESS = dt.timedelta(days=365 * 100)


def offline_revinfo_policy(retroactive: bool) -> CertRevTrustPolicy:
    """Check revocation where a certificate declares it, with whatever CRL this computer holds.

    A CRL that lists the certificate makes it revoked; a missing or old one does not
    fail the check (offices work offline and learn of revocations through sync).
    """
    soft = RevocationCheckingRule.CHECK_IF_DECLARED_SOFT
    return CertRevTrustPolicy(
        RevocationCheckingPolicy(soft, soft),
        freshness=REVINFO_FRESHNESS,
        freshness_req_type=FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION,
        retroactive_revinfo=retroactive,
    )


@dataclass
class TrustStore:
    """Anchors and revocation lists, as one computer knows them now."""

    anchors: list[Anchor] = field(default_factory=list)
    crls: list[x509.CertificateRevocationList] = field(default_factory=list)

    def anchor_of(self, cert: x509.Certificate) -> Anchor | None:
        fpr = fingerprint(cert)
        return next((a for a in self.anchors if a.fingerprint == fpr), None)

    def asn1_roots(self) -> list[a_x509.Certificate]:
        return [to_asn1(a.cert) for a in self.anchors]

    def validation_context(
        self, *, moment: dt.datetime | None = None, extra_crls=(), retroactive: bool = False, other_certs=()
    ) -> ValidationContext:
        """A pyHanko validation context: these anchors, these CRLs, nothing fetched online."""
        crls = [crl_to_asn1(c) for c in newest_per_issuer(self.crls)] + list(extra_crls)
        return ValidationContext(
            trust_roots=self.asn1_roots(),
            crls=crls,
            moment=moment,
            allow_fetching=False,
            revinfo_policy=offline_revinfo_policy(retroactive),
            other_certs=[to_asn1(c) if isinstance(c, x509.Certificate) else c for c in other_certs],
        )

    def status(
        self, cert: x509.Certificate, others: list[x509.Certificate] = (), *, at: dt.datetime | None = None
    ) -> CertificateStatus:
        """Does ``cert`` chain to an anchor, and is it valid and unrevoked at ``at`` (default now)?"""
        moment = at or dt.datetime.now(dt.UTC)
        result = CertificateStatus(cert, moment)
        path = build_path(self, cert, others)
        if path is None:
            result.problem = UNTRUSTED
            return result
        result.chain = path
        result.anchor = self.anchor_of(path[-1])
        issuer = path[1] if len(path) > 1 else path[0]
        revoked = revocation_of(cert, issuer, self.crls)
        if revoked is not None and revoked <= moment:
            result.problem, result.revoked_at = REVOKED, revoked
            return result
        context = self.validation_context(moment=moment, retroactive=True, other_certs=others)
        try:
            _run(
                CertificateValidator(
                    to_asn1(cert), [to_asn1(c) for c in others], validation_context=context
                ).async_validate_usage(set())
            )
        except ExpiredError:
            result.problem = EXPIRED
        except NotYetValidError:
            result.problem = NOT_YET_VALID
        except RevokedError:
            result.problem = REVOKED
        except (PathBuildingError, InvalidCertificateError, PathValidationError):
            result.problem = INVALID
        return result

    def crls_for(self, chain: list[x509.Certificate]) -> list[x509.CertificateRevocationList]:
        """The revocation lists issued (validly signed) by a certificate of ``chain``: to embed (B-LT)."""
        return [c for c in newest_per_issuer(self.crls) if crl_issuer(c, chain) is not None]


def build_path(store: TrustStore, cert: x509.Certificate, others) -> list[x509.Certificate] | None:
    """leaf .. anchor by issuer name and signature, ignoring dates (those are judged separately)."""
    pool = list(others) + [a.cert for a in store.anchors]
    chain = [cert]
    current = cert
    for _depth in range(8):
        if store.anchor_of(current) is not None:
            return chain
        issuer = next(
            (c for c in pool if c.subject == current.issuer and c is not current and _signed_by(current, c)), None
        )
        if issuer is None:
            return None
        chain.append(issuer)
        current = issuer
    return None


def _signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
        return True
    except (ValueError, TypeError, InvalidSignature):
        return False


def _run(coro):
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


def load_store(
    *,
    extra_anchors: list[x509.Certificate] = (),
    extra_anchor_files: list = (),
    extra_crls: list[x509.CertificateRevocationList] = (),
) -> TrustStore:
    """This computer's anchors and CRLs, plus ``extra_*`` (the database's CRLs, a ``--trust`` file)."""
    found = anchors()
    for path in extra_anchor_files:
        for cert in read_certificates(_read_limited(Path(path), MAX_CERT_FILE_BYTES)):
            found.append(Anchor(cert, common_name(cert.subject), False, Path(path)))
    for cert in extra_anchors:
        found.append(Anchor(cert, common_name(cert.subject), False, None))
    seen: set[str] = set()
    unique = []
    for a in found:
        if a.fingerprint not in seen:
            seen.add(a.fingerprint)
            unique.append(a)
    return TrustStore(unique, local_crls() + list(extra_crls))
