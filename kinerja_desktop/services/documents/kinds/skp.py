"""Sasaran Kinerja Pegawai (SKP) with its lampiran: signed by pejabat penilai and pegawai once agreed."""

from __future__ import annotations

from sqlalchemy import select

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.reports.views import ROLE_PEGAWAI, ROLE_PEJABAT
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.documents import views
from kinerja_desktop.services.documents.registry import (
    EMPLOYEE,
    DocumentKind,
    DocumentRequest,
    FieldOwner,
    NothingToPrint,
    Prepared,
    register,
)
from kinerja_desktop.services.performance.skp import skp_for
from kinerja_desktop.store.employee import Employee


def _collect(session, actor, request, members) -> Prepared:
    emp = session.get(Employee, request.subject_id)
    if emp is None or emp.deleted:
        raise NothingToPrint(_("Pegawai itu tidak ada lagi di data."))
    try:
        view = views.skp_view(session, emp.nip, request.year, actor=actor)
    except UserError as exc:
        raise NothingToPrint(exc.message) from None
    skp = skp_for(session, emp.id, request.year)
    return Prepared(
        kind=SKP,
        request=request,
        view=view,
        record_id=skp.id if skp else None,
        revision_no=0,
        employee_id=emp.id,
        unit_id=emp.unit_id,
        not_signable=None
        if view.agreed
        else _("SKP {name} tahun {year} belum disepakati; sepakati dulu sebelum menandatanganinya.").format(
            name=emp.full_name, year=request.year
        ),
        fields={
            ROLE_PEJABAT: FieldOwner(
                _("Pejabat Penilai Kinerja"), view.pejabat, (skp.evaluator_id if skp else None) or emp.supervisor_id
            ),
            ROLE_PEGAWAI: FieldOwner(_("Pegawai yang Dinilai"), view.pegawai, emp.id),
        },
    )


def _owners(session, document_id: str):
    """Field owners of ``SKP-<year>-<NIP>``: the employee and the SKP's pejabat penilai now."""
    parts = (document_id or "").split("-")
    if len(parts) != 3 or parts[0] != "SKP" or not parts[1].isdigit():
        return None
    emp = session.scalar(select(Employee).where(Employee.nip == parts[2], Employee.deleted.is_(False)))
    if emp is None:
        return None
    try:
        prepared = _collect(session, SYSTEM, DocumentRequest("skp", emp.id, int(parts[1])), None)
    except UserError:
        return None
    return prepared.fields if not prepared.not_signable else None


SKP = register(
    DocumentKind(
        "skp", N_("Sasaran Kinerja Pegawai (SKP)"), EMPLOYEE, _collect, batch=True, file_code="skp", owners=_owners
    )
)
