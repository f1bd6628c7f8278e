"""The tanda terima of a public complaint: one per complaint, unsigned, for the citizen.

Whoever may see the complaint may print it (``services.pengaduan_access``); it carries the
ticket number, the deadlines and a QR code of the public status page, never the citizen's
name, and the contact only masked.
"""

from __future__ import annotations

from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.documents.registry import DocumentKind, DocumentRequest, Prepared, Subject, register
from kinerja_desktop.services.pengaduan.access import get_visible
from kinerja_desktop.services.pengaduan.docs import receipt_view


def _authorize_complaint(session, actor, complaint_id: str) -> None:
    get_visible(session, actor, complaint_id)  # NotFound / PermissionDenied


COMPLAINT = Subject("complaint", _authorize_complaint)


def _collect(session, actor, request: DocumentRequest, _members) -> Prepared:
    row = get_visible(session, actor, request.subject_id)
    return Prepared(
        kind=RECEIPT,
        request=request,
        view=receipt_view(session, actor, row.id),
        record_id=row.id,
        unit_id=row.unit_id,
        not_signable=_("Tanda terima pengaduan dicetak tanpa tanda tangan elektronik."),
    )


RECEIPT = register(
    DocumentKind("tanda-terima-pengaduan", N_("Tanda terima pengaduan"), COMPLAINT, _collect, file_code="tanda-terima")
)
