"""A signer's own key: made on their computer, never sent anywhere (UU ITE: sole control).

``create_request`` makes the key and a certificate request (CSR) for the district CA;
the key stays in this computer's keys folder, encrypted with the signer's passphrase.
When the CA's answer comes back, ``complete_request`` joins the certificate to the
waiting key into ``keys/<NIP>.p12`` (same passphrase) and removes the waiting key.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from kinerja_desktop import paths
from kinerja_desktop.domain.nip import NipError, parse_nip
from kinerja_desktop.errors import NotFound, UnusableInput, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.certs import (
    CertificateError,
    make_p12,
    nip_of,
    store_user_p12,
    write_private,
    write_public,
)
from kinerja_desktop.reports.trust import MAX_CERT_FILE_BYTES, is_ca, key_hash, read_certificates

REQUESTS_DIR = "requests"
MIN_PASSPHRASE = 8


def requests_dir() -> Path:
    return paths.locations().keys / REQUESTS_DIR


@dataclass(frozen=True)
class PendingRequest:
    nip: str
    name: str
    created_at: str
    key_path: Path


def pending_requests() -> list[PendingRequest]:
    folder = requests_dir()
    out = []
    if folder.is_dir():
        for meta_path in sorted(folder.glob("*.json")):
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                out.append(PendingRequest(meta["nip"], meta["name"], meta["created_at"], meta_path.with_suffix(".key")))
            except (OSError, ValueError, KeyError):
                continue
    return out


def create_request(nip: str, name: str, passphrase: str) -> bytes:
    """Make a key and its CSR for ``nip``/``name``; keep the key (encrypted) here; return the CSR (PEM)."""
    try:
        nip = parse_nip(nip).raw
    except NipError as exc:
        raise UnusableInput(str(exc)) from None
    name = " ".join((name or "").split())
    if not name:
        raise UnusableInput(_("Nama pemilik sertifikat belum diisi."))
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise UserError(_("Kata sandi kunci paling sedikit {n} karakter.").format(n=MIN_PASSPHRASE))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, nip),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    stem = requests_dir() / f"{nip}-{key_hash(key.public_key())[:12]}"
    paths.locations().ensure()
    write_private(
        stem.with_suffix(".key"),
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
        ),
    )
    write_public(
        stem.with_suffix(".json"),
        json.dumps(
            {
                "nip": nip,
                "name": name,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
        ).encode("utf-8"),
    )
    return csr.public_bytes(serialization.Encoding.PEM)


def complete_request(data: bytes, passphrase: str) -> tuple[Path, x509.Certificate]:
    """Join the CA's certificate (PEM/DER, with or without the CA certificate) to its waiting key.

    Returns (the .p12 written, the certificate). The CA certificate in the answer is kept
    in the .p12 as the chain, but is *not* trusted by that: trust comes only from anchors.
    """
    if len(data) > MAX_CERT_FILE_BYTES:
        raise UnusableInput(_("Berkas itu terlalu besar untuk sebuah sertifikat."))
    certs = read_certificates(data)
    leaves = [c for c in certs if not is_ca(c)]
    if not leaves:
        raise UnusableInput(_("Berkas itu tidak memuat sertifikat penanda tangan (hanya sertifikat CA)."))
    leaf = leaves[0]
    chain = [c for c in certs if c is not leaf]
    wanted = key_hash(leaf.public_key())
    for pending in pending_requests():
        if not pending.key_path.name.startswith(f"{pending.nip}-{wanted[:12]}"):
            continue
        try:
            key = serialization.load_pem_private_key(pending.key_path.read_bytes(), passphrase.encode("utf-8"))
        except (ValueError, TypeError):
            raise CertificateError(
                _(
                    "Kata sandi kunci salah; sertifikat belum disimpan. Gunakan kata sandi yang "
                    "dipakai saat membuat permintaan."
                )
            ) from None
        if key_hash(key.public_key()) != wanted:
            continue
        nip = nip_of(leaf) or pending.nip
        p12 = make_p12(leaf, key, chain[0] if chain else None, passphrase, friendly_name=pending.name)
        target = store_user_p12(p12, nip, leaf)
        pending.key_path.unlink(missing_ok=True)
        pending.key_path.with_suffix(".json").unlink(missing_ok=True)
        return target, leaf
    raise NotFound(
        _(
            "Tidak ada permintaan sertifikat di komputer ini yang cocok dengan sertifikat itu. Sertifikat "
            "hanya dapat disimpan di komputer tempat permintaannya dibuat."
        )
    )
