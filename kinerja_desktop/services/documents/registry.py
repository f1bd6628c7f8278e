"""Official documents: render -> sign -> record -> verify -> match to the record.

The window (Dokumen page) and the command line (``kinerja report``) both call this one
service; ``reports/`` only turns views into PDF and signs or checks bytes. Everything a
person may print, for whom, is decided here, for single documents and batches alike: a
pejabat penilai gets documents of the employees below them in the chain only, a batch
for a unit holds only those of them in the unit, and the unit pickers list only units
where they have someone.

Document kinds
--------------
Every document is of a registered :class:`DocumentKind`. A kind is one small module in
``services/documents/kinds/`` that calls :func:`register` at import (and is imported by
that package's ``__init__``). A kind says:

* ``code`` (stable: it is recorded with every signed file and names batch files),
  ``title`` (``N_()``), ``subject``: :data:`EMPLOYEE` or :data:`UNIT` (or its own
  :class:`Subject` with its own scope rule);
* ``collect(session, actor, request, members) -> Prepared``: the view (from
  ``services.document_views`` or the kind's own builder), the record it prints (id,
  revision), whether it may be signed now (``not_signable``: a sentence, e.g. a draft),
  and the signature fields: role -> :class:`FieldOwner` (title, person, employee id).
  ``members`` is ``None`` (the actor sees everyone) or the ids of the employees the
  actor may see: a unit document must list only those;
* ``batch``: True when one file per employee of a unit makes sense (the batch then
  calls ``collect`` per employee; a :class:`NothingToPrint` from it means "no
  document for this one");
* ``owners(session, document_id)``: the field owners of a document id of this kind
  (None: not one of this kind's ids), so a file that was never recorded is still held
  against the people on record (a forged form naming its forger as the pejabat fails).

The renderer is found from the view's type (``reports.render.render_view``); a new view
type adds its renderer there. A kind for a new subject (a complaint, a decision) defines
a :class:`Subject` whose ``authorize`` raises ``PermissionDenied``.

Recorded files
--------------
Every signed file is recorded (``signed_documents``) under its kind, document id and
revision, with the person of each signature field and the certificate that signed it.
Verification holds each signature against that record (``ditandatangani oleh … bukan
…``) and says whether the file *is* the recorded one. A file signed with a certificate
outside the trust anchors (allowed only by an administrator) is recorded as not official.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.errors import NotFound, PermissionDenied, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.document import FIELD_NAMES
from kinerja_desktop.reports.render import produce
from kinerja_desktop.reports.signing import (
    check_signer,
    load_signing_key,
    names_match,
    parse_field_label,
)
from kinerja_desktop.reports.signing import countersign as add_signature
from kinerja_desktop.reports.trust import REVOKED, UNTRUSTED, load_store
from kinerja_desktop.reports.verify import ExpectedSigner, verify_pdf
from kinerja_desktop.reports.views import ROLE_PEGAWAI, ROLE_PEJABAT, PersonIdentity
from kinerja_desktop.services.access.permissions import (
    is_roster_wide,
    require_employee_access,
    subordinate_ids,
)
from kinerja_desktop.services.access.principal import PEGAWAI, SUPERVISOR_ROLES, Principal
from kinerja_desktop.services.audit.chain import record
from kinerja_desktop.services.documents.certificates import database_crls, signing_policy
from kinerja_desktop.services.roster.org_tree import read_tree
from kinerja_desktop.services.roster.query import UnitNode, unit_tree
from kinerja_desktop.store.documents import SignedDocument
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.store.org import Unit

EMPLOYEE_SUBJECT = "employee"
UNIT_SUBJECT = "unit"


class NothingToPrint(UserError):
    """This subject has no document of this kind for the period (e.g. no evaluation yet)."""


# --- the registry ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """What a document is about, and who may have it: ``authorize(session, actor, id)`` raises."""

    code: str
    authorize: Callable[[Session, Principal, str], None]


def _authorize_employee(session: Session, actor: Principal, employee_id: str) -> None:
    require_employee_access(session, actor, employee_id)


def _authorize_unit(session: Session, actor: Principal, unit_id: str) -> None:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted:
        raise NotFound(_("Unit kerja yang diminta tidak ada."))
    if unit_id not in unit_ids_for(session, actor):
        raise PermissionDenied(
            _(
                "Anda tidak berwenang mencetak dokumen unit {unit}: tidak ada pegawai di bawah Anda "
                "dalam rantai atasan di unit itu."
            ).format(unit=unit.name)
        )


EMPLOYEE = Subject(EMPLOYEE_SUBJECT, _authorize_employee)
UNIT = Subject(UNIT_SUBJECT, _authorize_unit)


@dataclass(frozen=True)
class DocumentRequest:
    kind: str
    subject_id: str  # an employee id or a unit id (by the kind's subject)
    year: int
    period: str | None = None  # period code (AKHIR, TW1, …); None: the annual period


@dataclass(frozen=True)
class FieldOwner:
    """The person a signature field belongs to."""

    title: str
    person: PersonIdentity | None
    employee_id: str | None = None


@dataclass
class Prepared:
    """One document ready to render and sign (what ``collect`` returns)."""

    kind: DocumentKind
    request: DocumentRequest
    view: object
    record_id: str | None = None
    revision_no: int = 0
    employee_id: str | None = None
    unit_id: str | None = None
    not_signable: str | None = None  # why it may not be signed now (None: it may)
    fields: dict[str, FieldOwner] = field(default_factory=dict)

    @property
    def document_id(self) -> str:
        return self.view.document_id  # type: ignore[attr-defined]  # every view (and _IdOnly) has one

    @property
    def title(self) -> str:
        return _(self.kind.title)

    def render_fields(self) -> dict:
        """role -> (title, person), what ``reports.render.produce`` takes."""
        return {role: (owner.title, owner.person) for role, owner in self.fields.items()}


@dataclass(frozen=True)
class DocumentKind:
    code: str
    title: str  # N_() text
    subject: Subject
    collect: Callable[[Session, Principal, DocumentRequest, set | None], Prepared]
    batch: bool = False
    #: Short name used in batch file names (``<NIP>_<file_code>_<period>.pdf``).
    file_code: str = ""
    #: document id -> role -> FieldOwner, from the data on record (None: not this kind's id).
    owners: Callable[[Session, str], dict | None] | None = None


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    """Add (or replace) a document kind; returns it (usable as a module-level constant)."""
    _KINDS[kind.code] = kind
    return kind


def _load_kinds() -> None:
    # The kinds register themselves into this module when their package is imported.
    import kinerja_desktop.services.documents.kinds  # noqa: F401, PLC0415 (plugin registry: kinds import this module)


def kinds(subject: str | None = None) -> list[DocumentKind]:
    _load_kinds()
    return [k for k in _KINDS.values() if subject is None or k.subject.code == subject]


def kind(code: str) -> DocumentKind:
    _load_kinds()
    try:
        return _KINDS[code]
    except KeyError:
        raise UserError(_("Jenis dokumen {code} tidak dikenal.").format(code=code)) from None


# --- scope -----------------------------------------------------------------------------------


def members_for(session: Session, actor: Principal) -> set[str] | None:
    """Ids of the employees ``actor`` may have documents of (None: everyone of the site)."""
    if is_roster_wide(actor):
        return None
    if not actor.employee_id:
        return set()
    if actor.role == PEGAWAI:
        return {actor.employee_id}
    if actor.role not in SUPERVISOR_ROLES:
        return set()
    return subordinate_ids(session, actor.employee_id)


def unit_ids_for(session: Session, actor: Principal) -> set[str]:
    """Units the actor may print unit documents of: those holding someone in their scope,
    and the units above them (a unit's documents include its sub-units)."""
    units = {u.id: u.parent_id for u in session.scalars(select(Unit).where(Unit.deleted.is_(False)))}
    members = members_for(session, actor)
    if members is None:
        return set(units)
    out: set[str] = set()
    rows: Iterable[str | None] = (
        session.execute(select(Employee.unit_id).where(Employee.id.in_(members))).scalars() if members else []
    )
    for unit_id in set(rows):
        seen = set()
        while unit_id and unit_id in units and unit_id not in seen:
            seen.add(unit_id)
            out.add(unit_id)
            unit_id = units[unit_id]
    return out


def units_for(session: Session, actor: Principal):
    """The unit tree (``roster_query.UnitNode``) pruned to :func:`unit_ids_for` (for the pickers)."""
    allowed = unit_ids_for(session, actor)

    def prune(nodes) -> tuple:
        out = []
        for node in nodes:
            if node.id in allowed:
                out.append(UnitNode(node.id, node.code, node.name, node.kind, node.parent_id, prune(node.children)))
        return tuple(out)

    return list(prune(unit_tree(session)))


def unit_members(session: Session, actor: Principal, unit_id: str) -> list[Employee]:
    """Active employees of the unit and its sub-units that ``actor`` may have documents of, by name."""
    ids = read_tree(session).subtree(unit_id)
    q = select(Employee).where(Employee.unit_id.in_(ids), Employee.deleted.is_(False), Employee.active.is_(True))
    members = members_for(session, actor)
    if members is not None:
        q = q.where(Employee.id.in_(members or {""}))
    return list(session.scalars(q.order_by(Employee.name, Employee.id)))


# --- preparing and rendering -----------------------------------------------------------------


def prepare(session: Session, actor: Principal, request: DocumentRequest) -> Prepared:
    """The document of ``request`` if ``actor`` may have it (PermissionDenied otherwise)."""
    k = kind(request.kind)
    k.subject.authorize(session, actor, request.subject_id)
    return k.collect(session, actor, request, members_for(session, actor))


def render(prepared: Prepared) -> bytes:
    """The unsigned PDF (empty signature blocks for wet signatures)."""
    return produce(prepared.view).pdf


# --- trust and keys --------------------------------------------------------------------------


def trust_store(session: Session | None = None, *, extra_files=(), extra_certificates=()):
    """This computer's anchors and CRLs, with the revocation lists the database holds."""
    crls = database_crls(session) if session is not None else []
    return load_store(extra_anchor_files=extra_files, extra_anchors=extra_certificates, extra_crls=crls)


class UntrustedCertificate(UserError):
    """Signing with a certificate outside the trusted anchors, not allowed here."""


def signing_key(
    session: Session | None,
    p12: bytes,
    passphrase: str,
    *,
    store=None,
    allow_untrusted=None,
    tsa_url: str | None = None,
):
    """Open a .p12 and judge it: revoked or (unless allowed) untrusted certificates are refused.

    The key comes back prepared for PAdES B-LT, or B-LTA with the configured timestamp server.
    """
    policy = signing_policy(session)
    allowed = policy.allow_untrusted if allow_untrusted is None else allow_untrusted
    configured_tsa = policy.tsa_url or None
    key = load_signing_key(p12, passphrase)
    store = store if store is not None else trust_store(session)
    status = key.prepare(store, tsa_url=tsa_url or configured_tsa)
    who = key.name
    if status.problem == REVOKED:
        raise UntrustedCertificate(status.sentence(who) + " " + _("Tidak ada yang ditandatangani."))
    if not status.trusted and not (allowed and status.problem == UNTRUSTED):
        hint = (
            ""
            if status.problem != UNTRUSTED
            else " "
            + _(
                "Administrator dapat mengimpor CA-nya (Pengaturan › Sertifikat) atau, bila memang perlu, mengizinkan "
                "penandatanganan dengan sertifikat yang tidak terpercaya (berkasnya tidak dicatat sebagai berkas resmi)."
            )
        )
        raise UntrustedCertificate(status.sentence(who) + hint)
    return key


# --- signing and recording -------------------------------------------------------------------


@dataclass
class Signed:
    pdf: bytes
    record_id: str
    official: bool

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def sign(
    session: Session,
    actor: Principal,
    prepared: Prepared,
    key,
    *,
    role: str = ROLE_PEJABAT,
    confirm_name_mismatch: bool = False,
) -> Signed:
    """Sign the document in ``role``'s field with ``key`` (see :func:`signing_key`) and record it."""
    if prepared.not_signable:
        raise UserError(prepared.not_signable)
    if role not in prepared.fields:
        raise UserError(_("Dokumen ini tidak memiliki kolom tanda tangan itu."))
    produced = produce(
        prepared.view, key, role=role, confirm_name_mismatch=confirm_name_mismatch, fields=prepared.render_fields()
    )
    accepted = accepted_variant(key, prepared.fields[role], confirm_name_mismatch)
    row = record_signed(
        session, actor, prepared, hashlib.sha256(produced.pdf).hexdigest(), [signer_entry(key, role, accepted)]
    )
    return Signed(produced.pdf, row.id, row.official)


def accepted_variant(key, owner: FieldOwner, confirmed: bool) -> str:
    """The certificate's fingerprint when a name variant was confirmed for this field, else ""."""
    if confirmed and owner.person is not None and not key.nip and not names_match(key.name, owner.person.name):
        return key.fingerprint
    return ""


def signer_entry(key, role: str, accepted: str = "") -> dict:
    return {
        "field": FIELD_NAMES[role],
        "role": role,
        "nip": key.nip,
        "name": key.name,
        "fingerprint": key.fingerprint,
        "serial": format(key.certificate.serial_number, "x"),
        "issuer": key.info.issuer,
        "anchor": key.anchor_name,
        "bsre": key.bsre,
        "trusted": key.trusted,
        "profile": key.profile,
        "accepted": accepted,
    }


def record_signed(
    session: Session, actor: Principal, prepared: Prepared, digest: str, signers: list[dict], *, previous=None
):
    """Keep the signed file's hash and signers under its kind, document id and revision."""
    expected = {
        FIELD_NAMES[role]: {
            "role": role,
            "title": owner.title,
            "employee_id": owner.employee_id,
            "nip": owner.person.nip_raw if owner.person else "",
            "name": owner.person.name if owner.person else "",
        }
        for role, owner in prepared.fields.items()
    }
    all_signers = list(previous.signers if previous is not None else []) + signers
    row = SignedDocument(
        kind=prepared.kind.code,
        document_id=prepared.document_id,
        record_id=prepared.record_id,
        revision_no=prepared.revision_no,
        employee_id=prepared.employee_id,
        unit_id=prepared.unit_id,
        file_digest=digest,
        stage=len(all_signers),
        official=all(s.get("trusted") for s in all_signers),
        expected=expected,
        signers=all_signers,
        signed_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        signed_by=actor.username,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "sign",
        SignedDocument.__tablename__,
        row.id,
        None,
        {
            "kind": row.kind,
            "document_id": row.document_id,
            "file_digest": row.file_digest,
            "official": row.official,
            "stage": row.stage,
        },
    )
    return row


def records_of(session: Session, document_id: str) -> list:
    """Every recorded signed file of a document, newest first."""
    return list(
        session.scalars(
            select(SignedDocument)
            .where(SignedDocument.document_id == document_id, SignedDocument.deleted.is_(False))
            .order_by(SignedDocument.signed_at.desc(), SignedDocument.stage.desc())
        )
    )


def countersign(
    session: Session | None,
    actor: Principal,
    pdf: bytes,
    key,
    *,
    role: str = ROLE_PEGAWAI,
    confirm_name_mismatch: bool = False,
    store=None,
) -> Signed:
    """Add ``role``'s signature (the pegawai's) to a signed document, as an incremental update.

    The file must verify as it is (intact, unchanged, the recorded one when recorded); the
    certificate is held against the person of that field (the record, else the field's label).
    """
    report = verify(session, pdf, store=store)
    broken = next((s for s in report.signatures if not (s.intact and s.unchanged)), None)
    if broken is not None or report.record_match is False:
        raise UserError(_("Dokumen ini tidak dapat ditandatangani lagi: {reason}").format(reason=report.reason))
    field_name = FIELD_NAMES[role]
    rows = records_of(session, report.verification.document_id) if session is not None and report.verification else []
    previous = next((r for r in rows if r.file_digest == report.file_sha256), None)
    owner = _owner_of(previous, field_name) if previous is not None else _label_owner(report, field_name)
    if owner is None:
        raise UserError(
            _(
                "Dokumen ini tidak memiliki kolom tanda tangan {field}; cetak ulang dokumennya dari Kinerja Desktop."
            ).format(field=field_name)
        )
    check_signer(key, owner.person, owner.title, confirm_name_mismatch=confirm_name_mismatch)
    signed = add_signature(pdf, key, role)
    if previous is None or session is None:
        return Signed(signed, "", key.trusted)
    prepared = Prepared(
        kind=kind(previous.kind),
        request=DocumentRequest(previous.kind, "", 0),
        view=_IdOnly(previous.document_id),
        record_id=previous.record_id,
        revision_no=previous.revision_no,
        employee_id=previous.employee_id,
        unit_id=previous.unit_id,
        fields={
            r: _owner_of(previous, FIELD_NAMES[r])  # type: ignore[misc]  # an expected field always has its owner
            for r in (ROLE_PEJABAT, ROLE_PEGAWAI)
            if FIELD_NAMES[r] in previous.expected
        },
    )
    accepted = accepted_variant(key, owner, confirm_name_mismatch)
    row = record_signed(
        session,
        actor,
        prepared,
        hashlib.sha256(signed).hexdigest(),
        [signer_entry(key, role, accepted)],
        previous=previous,
    )
    return Signed(signed, row.id, row.official)


@dataclass(frozen=True)
class _IdOnly:
    document_id: str


def _owner_of(row, field_name: str) -> FieldOwner | None:
    data = (row.expected or {}).get(field_name)
    if not data:
        return None
    person = PersonIdentity(name=data.get("name", ""), nip=data.get("nip", ""), nip_raw=data.get("nip", ""))
    return FieldOwner(data.get("title", field_name), person, data.get("employee_id"))


def _label_owner(report, field_name: str) -> FieldOwner | None:
    label = report.field_titles.get(field_name)
    if label is None:
        return None
    title, person = parse_field_label(label)
    return FieldOwner(title, person)


# --- verifying -------------------------------------------------------------------------------


def verify(session: Session | None, source, *, at: dt.datetime | None = None, trust_files=(), store=None):
    """Check a signed PDF and match it to the record (when this computer has the database).

    Each signature is held against the person the record says its field belongs to; the
    report says whether the file is the recorded one. One verdict: ``report.reason``.
    """
    store = store if store is not None else trust_store(session, extra_files=trust_files)
    report = verify_pdf(source, store=store, at=at, expected=lambda doc_id: expected_from_record(session, doc_id))
    if session is not None:
        match_to_record(session, report)
    return report


def expected_from_record(session: Session | None, document_id: str) -> dict:
    """field name -> ExpectedSigner: whose signature each field of the recorded document is."""
    if session is None:
        return {}
    rows = records_of(session, document_id)
    if not rows:
        for k in kinds():
            owners = k.owners(session, document_id) if k.owners is not None else None
            if owners:
                return {FIELD_NAMES[role]: ExpectedSigner(o.title, o.person) for role, o in owners.items()}
        return {}
    accepted = {s.get("field"): s.get("accepted") for r in rows for s in r.signers if s.get("accepted")}
    out = {}
    for field_name in rows[0].expected:
        owner = _owner_of(rows[0], field_name)
        assert owner is not None, "an expected field always has its owner"
        out[field_name] = ExpectedSigner(owner.title, owner.person, accepted.get(field_name, ""))
    return out


def match_to_record(session: Session, report) -> None:
    """Say whether ``report``'s file is the signed file on record for its document."""
    rows = list(
        session.scalars(
            select(SignedDocument)
            .where(SignedDocument.file_digest == report.file_sha256, SignedDocument.deleted.is_(False))
            .order_by(SignedDocument.signed_at.desc())
        )
    )
    code = report.verification
    if rows:
        row = rows[0]
        report.record_match = bool(row.official)
        report.record_message = _record_sentence(session, row)
        return
    if code is not None and records_of(session, code.document_id):
        report.record_match = False
        report.record_message = _(
            "berkas ini bukan berkas bertanda tangan yang tercatat untuk dokumen {id}; berkas "
            "itu telah diganti atau dibuat ulang."
        ).format(id=code.document_id)
        return
    legacy = _legacy_record(session, report.file_sha256)
    if legacy:
        report.record_match, report.record_message = True, legacy
    elif code is not None:
        report.record_message = _("Dokumen {id} tidak tercatat di basis data komputer ini.").format(id=code.document_id)


def _record_sentence(session: Session, row) -> str:
    try:
        title = _(kind(row.kind).title)
    except UserError:
        title = row.kind
    when = row.signed_at.strftime("%d-%m-%Y %H:%M") if row.signed_at else "-"
    if not row.official:
        return _(
            "berkas ini tercatat ({title}, {id}) tetapi BUKAN berkas resmi: ditandatangani dengan sertifikat yang "
            "tidak berasal dari CA terpercaya."
        ).format(title=title, id=row.document_id)
    newer = [r for r in records_of(session, row.document_id) if r.stage > row.stage]
    text = _(
        "Berkas ini sama dengan berkas bertanda tangan yang tercatat: {title} {id}, revisi {rev}, {n} tanda "
        "tangan, dicatat {when} oleh {who}."
    ).format(title=title, id=row.document_id, rev=row.revision_no, n=row.stage, when=when, who=row.signed_by or "-")
    if newer:
        text += " " + _("Sudah ada versi dengan tanda tangan berikutnya.")
    return text


def _legacy_record(session: Session, digest: str) -> str | None:
    """Files signed before records were kept per kind: the hash stored on the evaluation."""
    ev = session.scalar(
        select(Evaluation).where(Evaluation.signed_file_sha256 == digest, Evaluation.deleted.is_(False)).limit(1)
    )
    if ev is None:
        return None
    emp = session.get(Employee, ev.employee_id)
    return _(
        "Berkas ini sama dengan berkas bertanda tangan yang tercatat (oleh versi program sebelumnya) untuk "
        "evaluasi {name}, revisi {rev}."
    ).format(name=emp.full_name if emp else "-", rev=ev.revision_no)
