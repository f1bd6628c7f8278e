"""Signatures that last: PAdES B-LT, and B-T/B-LTA with a timestamp server.

* **B-LT**: with each signature, the certificate chain (signer to anchor) and the
  revocation lists that cover it go into the document's security store (DSS), so the
  signature can be checked years later on a computer that has neither.
* **B-T**: with a timestamp server configured, each signature carries an RFC 3161
  timestamp: proof of *when* it was made, so it is judged at that time.
* **B-LTA**: then a document timestamp seals the signature and its validation data, so
  the proof holds after the timestamp server's own certificate expires.

The material (chains and CRLs, DER) is gathered once per signing key and handed to the
batch's worker processes as plain bytes; the DSS is written in the same revision as the
signature (no extra update), and with a timestamp server each document costs two
timestamp requests and one more update.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from asn1crypto import crl as a_crl
from asn1crypto import x509 as a_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.timestamps.common_utils import dummy_digest, extract_ts_certs
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator.registry import SimpleCertificateStore

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.timestamps import HttpTimeStamper
from kinerja_desktop.reports.trust import TrustStore, build_path, der

B_LT = "B-LT"
B_LTA = "B-LTA"
DOC_TIMESTAMP_FIELD = "TTE_CapWaktu"
#: Room for a timestamp token inside a signature (TSA certificate included).
TIMESTAMP_BYTES = 8192


@dataclass(frozen=True)
class LtvMaterial:
    """What a signature needs to last, as DER bytes (picklable for the batch workers)."""

    certs: tuple[bytes, ...] = ()
    crls: tuple[bytes, ...] = ()
    tsa_url: str | None = None

    @property
    def profile(self) -> str:
        return B_LTA if self.tsa_url else B_LT


def gather(chain: list[x509.Certificate], store: TrustStore, *, tsa_url: str | None = None, run=None) -> LtvMaterial:
    """The chain and CRLs of the signer (and of the timestamp server, asked once now)."""
    certs = [der(c) for c in chain]
    crls = [c.public_bytes(Encoding.DER) for c in store.crls_for(chain)]
    if tsa_url:
        stamper = HttpTimeStamper(tsa_url)
        try:
            token = run(stamper.async_timestamp(dummy_digest("sha256"), "sha256"))
        finally:
            stamper.close()
        registry = SimpleCertificateStore()
        tsa_certs = [x509.load_der_x509_certificate(c.dump()) for c in extract_ts_certs(token, registry)]
        tsa_chain = _tsa_chain(tsa_certs, store)
        certs += [der(c) for c in tsa_chain if der(c) not in certs]
        crls += [
            c.public_bytes(Encoding.DER) for c in store.crls_for(tsa_chain) if c.public_bytes(Encoding.DER) not in crls
        ]
    return LtvMaterial(tuple(certs), tuple(crls), tsa_url)


def _tsa_chain(tsa_certs: list[x509.Certificate], store: TrustStore) -> list[x509.Certificate]:
    for cert in tsa_certs:
        path = build_path(store, cert, tsa_certs)
        if path is not None:
            return path
    raise UserError(
        _(
            "Sertifikat server cap waktu tidak berasal dari CA terpercaya di komputer ini; impor sertifikat "
            "CA server cap waktu itu di Pengaturan › Sertifikat (CA terpercaya)."
        )
    )


class LtvFinisher:
    """Adds the DSS (and the document timestamp) to freshly signed PDFs."""

    def __init__(self, material: LtvMaterial) -> None:
        self.material = material
        self.certs = [a_x509.Certificate.load(c) for c in material.certs]
        self.crls = [a_crl.CertificateList.load(c) for c in material.crls]
        self.timestamper = HttpTimeStamper(material.tsa_url) if material.tsa_url else None
        self._doc_stampers: dict[str, signers.PdfTimeStamper] = {}

    @property
    def profile(self) -> str:
        return self.material.profile

    def add_dss(self, writer: IncrementalPdfFileWriter) -> None:
        """Put the chain and CRLs in the document's security store, in the revision about to be signed.

        One incremental update less than adding them after signing; a DSS is valid in any
        revision (no VRI entry is made: it would need the signature's hash).
        """
        DocumentSecurityStore.supply_dss_in_writer(writer, None, certs=self.certs, crls=self.crls)

    def finish(self, signed: bytes, run) -> bytes:
        """``signed`` (its DSS added before signing) + a document timestamp for B-LTA."""
        if self.timestamper is None:
            return signed
        out = io.BytesIO(signed)
        name = _free_field_name(signed)
        stamper = self._doc_stampers.get(name)
        if stamper is None:
            stamper = self._doc_stampers[name] = signers.PdfTimeStamper(self.timestamper, field_name=name)
        stamped = io.BytesIO()
        run(
            stamper.async_timestamp_pdf(
                IncrementalPdfFileWriter(io.BytesIO(out.getvalue())),
                "sha256",
                bytes_reserved=TIMESTAMP_BYTES + 2048,
                output=stamped,
            )
        )
        return stamped.getvalue()


def _free_field_name(pdf: bytes) -> str:
    """``TTE_CapWaktu``, or ``TTE_CapWaktu2``… when an earlier signer's archive timestamp is there."""

    def present(name: str) -> bool:  # pyHanko writes "_" in names as the octal escape \137
        return f"({name})".encode() in pdf or f"({name})".replace("_", "\\137").encode() in pdf

    n = 1
    name = DOC_TIMESTAMP_FIELD
    while present(name):
        n += 1
        name = f"{DOC_TIMESTAMP_FIELD}{n}"
    return name
