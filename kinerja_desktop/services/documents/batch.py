"""Batch export of one document kind for a unit: part of the documents service.

Only the employees the actor may see are in the batch (a pejabat penilai: the ones
below them in the chain, in that unit and its sub-units); the names of those without a
document are reported, and no one else's. With a certificate, every file is signed
(only documents that may be signed: final evaluations, agreed SKP) and recorded.
A long job (generator of :class:`~kinerja_desktop.services.progress.Progress`): the
command line shows a progress bar, the window a progress dialog with Cancel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.batch import BatchItem, BatchResult, batch_filename, export_batch
from kinerja_desktop.reports.views import ROLE_PEJABAT
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.documents import registry as documents
from kinerja_desktop.services.documents.views import resolve_period
from kinerja_desktop.services.performance.periods import period_code
from kinerja_desktop.services.progress import Job, Progress
from kinerja_desktop.store.org import Unit


@dataclass
class BatchOutcome:
    result: BatchResult
    unit_name: str
    missing: list[str] = field(default_factory=list)  # people in scope without a (signable) document
    recorded: int = 0


@dataclass
class _Plan:
    items: list[BatchItem]
    prepared: dict[str, documents.Prepared]
    missing: list[str]
    unit: Unit


def plan(
    session,
    actor: Principal,
    kind_code: str,
    unit_id: str,
    year: int,
    period: str | None,
    *,
    signable_only: bool = False,
) -> _Plan:
    """What the batch holds: one item per employee in the actor's scope with a document."""
    kind = documents.kind(kind_code)
    if not kind.batch or kind.subject is not documents.EMPLOYEE:
        raise UserError(_("{title} tidak dapat diekspor massal per pegawai.").format(title=_(kind.title)))
    documents.UNIT.authorize(session, actor, unit_id)
    unit = session.get(Unit, unit_id)
    per = resolve_period(session, year, period)
    code = f"{period_code(per)}-{year}" if kind.code != "skp" else str(year)
    members = documents.members_for(session, actor)
    items: list[BatchItem] = []
    prepared: dict[str, documents.Prepared] = {}
    missing: list[str] = []
    for emp in documents.unit_members(session, actor, unit_id):
        request = documents.DocumentRequest(kind.code, emp.id, year, period)
        try:
            doc = kind.collect(session, actor, request, members)
        except documents.NothingToPrint:
            missing.append(emp.full_name)
            continue
        if signable_only and doc.not_signable:
            missing.append(emp.full_name)
            continue
        name = batch_filename(emp.nip, kind.file_code or kind.code, code)
        items.append(BatchItem(doc.view, name, record_id=doc.record_id, fields=doc.render_fields()))
        prepared[name] = doc
    return _Plan(items, prepared, missing, unit)


def batch(
    db,
    actor: Principal,
    kind_code: str,
    unit_id: str,
    year: int,
    period: str | None,
    folder,
    *,
    p12: bytes | None = None,
    passphrase: str | None = None,
    combined: bool = False,
    workers: int | None = None,
    confirm_name_mismatch: bool = False,
) -> Job[BatchOutcome]:
    """Write (and sign, and record) the unit's documents into ``folder``."""
    yield Progress(0, None, _("Menyiapkan daftar dokumen…"))
    with db.session() as s:
        work = plan(s, actor, kind_code, unit_id, year, period, signable_only=p12 is not None)
        key = documents.signing_key(s, p12, passphrase or "") if p12 is not None else None
    if not work.items:
        raise UserError(
            _("Tidak ada dokumen{signable} yang dapat dicetak untuk unit {unit} pada periode itu.").format(
                signable=_(" yang dapat ditandatangani") if p12 is not None else "", unit=work.unit.name
            )
        )
    combined_name = f"gabungan_{work.unit.code}_{work.items[0].filename.split('_', 1)[1]}" if combined else None
    result = yield from export_batch(
        work.items,
        folder,
        p12=p12,
        passphrase=passphrase,
        combined_name=combined_name,
        workers=workers,
        confirm_name_mismatch=confirm_name_mismatch,
        setup=key.setup() if key is not None else None,
    )
    outcome = BatchOutcome(result, work.unit.name, work.missing)
    if key is not None and result.sha256:
        with db.transaction() as s:
            for filename, digest in result.sha256.items():
                doc = work.prepared.get(filename)
                if doc is None:
                    continue
                accepted = documents.accepted_variant(key, doc.fields[ROLE_PEJABAT], confirm_name_mismatch)
                documents.record_signed(s, actor, doc, digest, [documents.signer_entry(key, ROLE_PEJABAT, accepted)])
                outcome.recorded += 1
    return outcome
