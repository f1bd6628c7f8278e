"""The view of the Keputusan atas Keberatan (rendered by ``reports.pegawai_docs``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.pegawai_docs import KeputusanView
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.documents import registry as documents
from kinerja_desktop.services.documents.views import document_place
from kinerja_desktop.services.pegawai import facts
from kinerja_desktop.services.pegawai import keberatan as kb
from kinerja_desktop.services.performance.periods import get_period, period_label
from kinerja_desktop.services.settings import get_letterhead
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.pegawai import Keberatan


def _person(session: Session, employee_id: str | None) -> Employee | None:
    return session.get(Employee, employee_id) if employee_id else None


def keputusan_view(session: Session, actor: Principal, keberatan_id: str) -> tuple[KeputusanView, Keberatan]:
    row = kb.get(session, actor, keberatan_id)
    if row.status != "diputus":
        raise UserError(_("Keberatan ini belum diputus; Keputusan atas Keberatan dicetak setelah ada keputusan."))
    ev = facts.get_evaluation(session, row.evaluation_id)
    new = facts.get_evaluation(session, row.new_evaluation_id) if row.new_evaluation_id else ev
    pegawai, pejabat, atasan = (_person(session, i) for i in (row.employee_id, row.evaluator_id, row.atasan_id))
    view = KeputusanView(
        number=kb.number_of(row),
        pegawai=pegawai.full_name if pegawai else "–",
        pegawai_nip=pegawai.nip if pegawai else "–",
        pejabat=pejabat.full_name if pejabat else "–",
        atasan=atasan.full_name if atasan else _("Kepala Daerah"),
        atasan_nip=atasan.nip if atasan else "–",
        period_label=period_label(get_period(session, ev.period_id)),
        predikat_before=ev.predikat or "",
        predikat_after=new.predikat or "",
        lodged_on=row.lodged_on,
        reasons=row.reasons,
        explanation_pegawai=row.explanation_pegawai,
        explanation_penilai=row.explanation_penilai,
        decision_label=_(kb.DECISIONS.get(row.decision or "", "–")),
        decision_text=row.decision_text,
        decided_on=row.decided_on or date.today(),
        place=document_place(session),
        letterhead=get_letterhead(session),
    )
    return view, row


def keputusan_pdf(session: Session, actor: Principal, keberatan_id: str) -> bytes:
    """The Keputusan as PDF bytes, through the documents service (kind ``keputusan-keberatan``)."""

    row = kb.get(session, actor, keberatan_id)
    request = documents.DocumentRequest("keputusan-keberatan", row.id, row.lodged_on.year)
    return documents.render(documents.prepare(session, actor, request))
