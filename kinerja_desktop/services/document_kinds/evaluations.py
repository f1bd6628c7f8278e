"""Dokumen Evaluasi Kinerja Pegawai (short form) and Evaluasi Kinerja Pegawai (detailed form).

One employee's current evaluation of a period; signed by the pejabat penilai (only once
final), then by the pegawai. The two forms are separate documents (``EV-…`` and
``EVR-…``), each with its own record.
"""

from __future__ import annotations

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.reports.views import ROLE_PEGAWAI, ROLE_PEJABAT
from kinerja_desktop.services import document_views as views
from kinerja_desktop.services.documents import (
    EMPLOYEE,
    DocumentKind,
    FieldOwner,
    NothingToPrint,
    Prepared,
    register,
)
from kinerja_desktop.store.employee import Employee


def _collector(detailed: bool):
    def collect(session, actor, request, members) -> Prepared:
        emp = session.get(Employee, request.subject_id)
        if emp is None or emp.deleted:
            raise NothingToPrint(_("Pegawai itu tidak ada lagi di data."))
        try:
            emp, per, ev = views.evaluation_for(session, emp.nip, request.year, request.period)
        except UserError as exc:
            raise NothingToPrint(exc.message) from None
        view = views._detailed_from(session, actor, emp, per, ev) if detailed else views._short_from(
            session, emp, per, ev)
        return Prepared(
            kind=DETAILED if detailed else SHORT, request=request, view=view, record_id=ev.id,
            revision_no=ev.revision_no, employee_id=emp.id, unit_id=emp.unit_id,
            not_signable=None if ev.status == "final" else _(
                "Evaluasi {name} masih draf; finalkan dulu sebelum menandatanganinya.").format(name=emp.full_name),
            fields={
                ROLE_PEJABAT: FieldOwner(_("Pejabat Penilai Kinerja"), view.pejabat,
                                         ev.evaluator_id or emp.supervisor_id),
                ROLE_PEGAWAI: FieldOwner(_("Pegawai yang Dinilai"), view.pegawai, emp.id),
            },
        )

    return collect


SHORT = register(DocumentKind("evaluasi", N_("Dokumen Evaluasi Kinerja Pegawai"), EMPLOYEE, _collector(False),
                              batch=True, file_code="evaluasi"))
DETAILED = register(DocumentKind("evaluasi-rinci", N_("Evaluasi Kinerja Pegawai (rinci)"), EMPLOYEE,
                                 _collector(True), batch=True, file_code="evaluasi-rinci"))
