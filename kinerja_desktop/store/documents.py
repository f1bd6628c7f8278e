"""Signed documents on record, and the revocation lists of certificate authorities.

``signed_documents``: one row per signed file the program produced (kind, document id,
revision, the SHA-256 of the file, and for every signature field the person it belongs
to and the certificate that signed it). Kept per document kind and revision, so the
short and the detailed form of one evaluation each have their own record. Rows travel
with the employee (or unit) they are about.

``revocation_lists``: the latest CRL of each certificate authority (the district CA),
signed by that CA, so verification on every office's PC learns about revoked
certificates through the ordinary sync. A row is only a carrier: a CRL is used only
when its signature verifies against a trusted anchor.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from kinerja_desktop.store.base import Base, Synced


class SignedDocument(Synced, Base):
    """A signed file on record for one document (kind + document id + revision)."""

    __tablename__ = "signed_documents"
    __table_args__ = (Index("ix_signed_documents_kind_document", "kind", "document_id"),)

    #: The document kind's code in ``services.documents`` (e.g. "evaluasi", "evaluasi-rinci").
    kind: Mapped[str] = mapped_column(String(40))
    #: The id printed in the document's QR code (e.g. ``EV-2026-TW1-<NIP>-R0``).
    document_id: Mapped[str] = mapped_column(String(120))
    #: The record the document prints (an evaluation or SKP id), when there is one.
    record_id: Mapped[str | None] = mapped_column(String(36))
    revision_no: Mapped[int] = mapped_column(Integer, default=0)
    employee_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"), index=True)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    #: SHA-256 of the signed file (hex). Not a blob: the file itself stays with its owner.
    file_digest: Mapped[str] = mapped_column(String(64), index=True)
    #: How many signatures the file carries (1: pejabat penilai; 2: and the pegawai).
    stage: Mapped[int] = mapped_column(Integer, default=1)
    #: False when it was signed with a certificate outside the trusted anchors (allowed by
    #: an administrator): such a file is recorded but never the official one.
    official: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Field name -> {"role", "title", "employee_id", "nip", "name"}: whose signature each is.
    expected: Mapped[dict] = mapped_column(JSON, default=dict)
    #: One entry per signature: {"field", "nip", "name", "fingerprint", "serial", "issuer",
    #: "anchor", "bsre", "trusted", "profile"}.
    signers: Mapped[list] = mapped_column(JSON, default=list)
    signed_at: Mapped[datetime] = mapped_column(DateTime)
    signed_by: Mapped[str] = mapped_column(String(60), default="")


class RevocationList(Synced, Base):
    """The current CRL (DER) of one certificate authority, as published by it."""

    __tablename__ = "revocation_lists"

    #: Hex SHA-256 of the issuing CA's public key (its identity, whatever its name).
    issuer_key_hash: Mapped[str] = mapped_column(String(64), index=True)
    issuer_name: Mapped[str] = mapped_column(String(255), default="")
    crl_number: Mapped[int] = mapped_column(Integer, default=0)
    this_update: Mapped[datetime] = mapped_column(DateTime)
    next_update: Mapped[datetime | None] = mapped_column(DateTime)
    crl_der: Mapped[bytes] = mapped_column(LargeBinary)
    published_at: Mapped[datetime] = mapped_column(DateTime)
