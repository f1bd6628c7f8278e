"""Dokumen Evaluasi Kinerja Pegawai (short form) and Evaluasi Kinerja Pegawai (detailed form).

One employee's current evaluation of a period; signed by the pejabat penilai (only once
final), then by the pegawai. The two forms are separate documents (``EV-…`` and
``EVR-…``), each with its own record.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.reports.views import ROLE_PEGAWAI, ROLE_PEJABAT
from kinerja_desktop.services.documents import views
from kinerja_desktop.services.documents.registry import (
    EMPLOYEE,
    DocumentKind,
    FieldOwner,
    NothingToPrint,
    Prepared,
    register,
)
from kinerja_desktop.services.performance.periods import find_period
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation


def _collector(detailed: bool):
    def collect(session, actor, request, members) -> Prepared:
        emp = session.get(Employee, request.subject_id)
        if emp is None or emp.deleted:
            raise NothingToPrint(_("Pegawai itu tidak ada lagi di data."))
        try:
            emp, per, ev = views.evaluation_for(session, emp.nip, request.year, request.period)
        except UserError as exc:
            raise NothingToPrint(exc.message) from None
        view = (
            views.detailed_from(session, actor, emp, per, ev) if detailed else views.short_from(session, emp, per, ev)
        )
        return Prepared(
            kind=DETAILED if detailed else SHORT,
            request=request,
            view=view,
            record_id=ev.id,
            revision_no=ev.revision_no,
            employee_id=emp.id,
            unit_id=emp.unit_id,
            not_signable=None
            if ev.status == "final"
            else _("Evaluasi {name} masih draf; finalkan dulu sebelum menandatanganinya.").format(name=emp.full_name),
            fields={
                ROLE_PEJABAT: FieldOwner(
                    _("Pejabat Penilai Kinerja"), view.pejabat, ev.evaluator_id or emp.supervisor_id
                ),
                ROLE_PEGAWAI: FieldOwner(_("Pegawai yang Dinilai"), view.pegawai, emp.id),
            },
        )

    return collect


_ID = re.compile(r"^(?P<prefix>EVR?)-(?P<year>\d{4})-(?P<period>[A-Z0-9]+)-(?P<nip>\d{18})-R(?P<rev>\d+)$")


def _owners(prefix: str):
    """Field owners of ``EV-…``/``EVR-…`` ids: the people frozen in that evaluation revision."""

    def owners(session, document_id: str):
        found = _ID.match(document_id or "")
        if not found or found.group("prefix") != prefix:
            return None
        emp = session.scalar(select(Employee).where(Employee.nip == found.group("nip")))
        try:
            per = find_period(session, int(found.group("year")), found.group("period"))
        except UserError:
            return None
        ev = session.scalar(
            select(Evaluation).where(
                Evaluation.employee_id == (emp.id if emp else None),
                Evaluation.period_id == per.id,
                Evaluation.revision_no == int(found.group("rev")),
                Evaluation.deleted.is_(False),
            )
        )
        if ev is None or ev.status != "final" or not ev.identities:
            return None
        ids = ev.identities
        return {
            ROLE_PEJABAT: FieldOwner(
                _("Pejabat Penilai Kinerja"), views.person_from_identity(ids.get("pejabat_penilai")), ev.evaluator_id
            ),
            ROLE_PEGAWAI: FieldOwner(_("Pegawai yang Dinilai"), views.person_from_identity(ids.get("pegawai")), emp.id),
        }

    return owners


SHORT = register(
    DocumentKind(
        "evaluasi",
        N_("Dokumen Evaluasi Kinerja Pegawai"),
        EMPLOYEE,
        _collector(False),
        batch=True,
        file_code="evaluasi",
        owners=_owners("EV"),
    )
)
DETAILED = register(
    DocumentKind(
        "evaluasi-rinci",
        N_("Evaluasi Kinerja Pegawai (rinci)"),
        EMPLOYEE,
        _collector(True),
        batch=True,
        file_code="evaluasi-rinci",
        owners=_owners("EVR"),
    )
)
