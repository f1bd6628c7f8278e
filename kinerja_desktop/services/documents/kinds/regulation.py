"""The regulation's own documents: the penetapan of capaian and distribution, and the PAK konversi.

* ``penetapan-capaian``: one per organisation and period, signed by the leader who decided
  the capaian (the head of the unit above, the Sekda, or the Bupati, who has no NIP).
  Whoever may see the organisation's distribution may print it (``services.penetapan``).
* ``pak-konversi``: the Angka Kredit conversion of an employee in a jabatan fungsional,
  signed by their pejabat penilai kinerja (``services.angka_kredit``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.reports.views import ROLE_PEJABAT
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.documents import views
from kinerja_desktop.services.documents.registry import (
    EMPLOYEE,
    DocumentKind,
    DocumentRequest,
    FieldOwner,
    NothingToPrint,
    Prepared,
    Subject,
    register,
)
from kinerja_desktop.services.performance.angka_kredit import pak_view
from kinerja_desktop.services.performance.capaian import own_capaian
from kinerja_desktop.services.performance.distribution_recap import unit_recap
from kinerja_desktop.services.performance.kepala_daerah import pejabat_penilai_of
from kinerja_desktop.services.performance.penetapan import penetapan_view
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Unit


def _authorize_organisation(session, actor, unit_id: str) -> None:
    """Whoever may see the organisation's distribution (its head, the leaders above, HR)."""
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted:
        raise NotFound(_("Unit kerja yang diminta tidak ada."))
    unit_recap(session, actor, unit_id, date.today().year)  # raises PermissionDenied


ORGANISATION = Subject("organisation", _authorize_organisation)


def _collect_penetapan(session, actor, request: DocumentRequest, _members) -> Prepared:
    period = views.resolve_period(session, request.year, request.period)
    try:
        view = penetapan_view(session, actor, request.subject_id, period.id)
    except UserError as exc:
        if isinstance(exc, NotFound):
            raise
        raise NothingToPrint(exc.message) from None
    org = views.unit_by_code(session, view.unit_code)
    row = own_capaian(session, org.id, period.id)
    decider = row.decider_employee_id if row is not None else None
    return Prepared(
        kind=PENETAPAN,
        request=request,
        view=view,
        record_id=row.id if row is not None else None,
        revision_no=0,
        unit_id=org.id,
        not_signable=None
        if view.signer is not None
        else _(
            "Pemimpin yang menetapkan capaian {unit} belum tercatat; penetapan ini dicetak untuk ditandatangani basah."
        ).format(unit=org.name),
        fields={
            ROLE_PEJABAT: FieldOwner(view.signer_title.title() or _("Pimpinan yang menetapkan"), view.signer, decider)
        },
    )


def _penetapan_owners(session, document_id: str):
    """Field owners of ``PCK-<year>-<period>-<unit code>``: the leader who decided that capaian."""
    parts = (document_id or "").split("-", 3)
    if len(parts) != 4 or parts[0] != "PCK" or not parts[1].isdigit():
        return None
    unit = session.scalar(select(Unit).where(Unit.code == parts[3], Unit.deleted.is_(False)))
    if unit is None:
        return None
    try:
        prepared = _collect_penetapan(
            session, SYSTEM, DocumentRequest(PENETAPAN.code, unit.id, int(parts[1]), parts[2]), None
        )
    except UserError:
        return None
    return prepared.fields if not prepared.not_signable else None


def _collect_pak(session, actor, request: DocumentRequest, _members) -> Prepared:
    emp = session.get(Employee, request.subject_id)
    if emp is None or emp.deleted:
        raise NothingToPrint(_("Pegawai itu tidak ada lagi di data."))
    try:
        view = pak_view(session, actor, emp.id)
    except UserError as exc:
        raise NothingToPrint(exc.message) from None
    superior = pejabat_penilai_of(session, emp, date.today())
    pejabat_id = superior.employee.id if superior is not None and superior.employee is not None else None
    return Prepared(
        kind=PAK,
        request=request,
        view=view,
        record_id=None,
        revision_no=0,
        employee_id=emp.id,
        unit_id=emp.unit_id,
        not_signable=None
        if view.pejabat is not None
        else _("Pejabat penilai kinerja {name} belum tercatat; PAK ini dicetak untuk ditandatangani basah.").format(
            name=emp.full_name
        ),
        fields={ROLE_PEJABAT: FieldOwner(_("Pejabat Penilai Kinerja"), view.pejabat, pejabat_id)},
    )


def _pak_owners(session, document_id: str):
    """Field owners of ``PAK-<year>-<NIP>``: the employee's pejabat penilai kinerja now."""
    parts = (document_id or "").split("-")
    if len(parts) != 3 or parts[0] != "PAK" or not parts[1].isdigit():
        return None
    emp = session.scalar(select(Employee).where(Employee.nip == parts[2], Employee.deleted.is_(False)))
    if emp is None:
        return None
    try:
        prepared = _collect_pak(session, SYSTEM, DocumentRequest(PAK.code, emp.id, int(parts[1])), None)
    except UserError:
        return None
    return prepared.fields if not prepared.not_signable else None


PENETAPAN = register(
    DocumentKind(
        "penetapan-capaian",
        N_("Penetapan capaian kinerja organisasi dan distribusi predikat"),
        ORGANISATION,
        _collect_penetapan,
        file_code="penetapan",
        owners=_penetapan_owners,
    )
)
PAK = register(
    DocumentKind(
        "pak-konversi",
        N_("PAK konversi predikat kinerja ke angka kredit"),
        EMPLOYEE,
        _collect_pak,
        file_code="pak",
        owners=_pak_owners,
    )
)
