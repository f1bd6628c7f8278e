"""The penetapan of capaian kinerja organisasi and of the predikat distribution, as a document.

PermenPANRB 6/2022: the leader who sets an organisation's capaian (the leader of the
organisation above, the Sekda or the Bupati) also sets the distribution of the predikat.
:func:`penetapan_view` collects one organisation and period into a
:class:`~kinerja_desktop.reports.views.PenetapanView`: the capaian with its basis,
recommendation and decision; the distribution of the **final** predikat of the head's
subordinates; the reference curve; the employees counted; the deciding leader as signer.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.predikat import Predikat, parse_capaian
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.views import STATUS_KDH, Letterhead, PenetapanView, PersonIdentity, RecapRow
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.documents import views as collect
from kinerja_desktop.services.performance.capaian import BASIS_LABELS, RECOMMENDATION_LABELS, own_capaian
from kinerja_desktop.services.performance.distribution_recap import unit_recap
from kinerja_desktop.services.performance.evaluation_grid import current_versions
from kinerja_desktop.services.performance.periods import get_period, period_code
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.kepala_daerah import KepalaDaerah
from kinerja_desktop.store.lookup import referenced
from kinerja_desktop.store.org import Position, Unit


def _signer(session: Session, row) -> tuple[PersonIdentity | None, str, Letterhead]:
    """(the deciding leader, the heading of the signature block, the letterhead of the issuing office)."""
    base = collect.letterhead(session)
    if row.decider_kepala_daerah_id:
        kdh = session.get(KepalaDaerah, row.decider_kepala_daerah_id)
        person = PersonIdentity(name=kdh.full_name, jabatan=kdh.jabatan, status=STATUS_KDH) if kdh else None
        return (
            person,
            (kdh.jabatan.upper() if kdh else ""),
            Letterhead(base.government, "", base.address_lines, base.logo_path),
        )
    emp = session.get(Employee, row.decider_employee_id) if row.decider_employee_id else None
    if emp is None:
        return None, "", base
    pos = session.get(Position, emp.position_id) if emp.position_id else None
    return (
        collect.person_of(session, emp),
        (pos.name.upper() if pos else ""),
        collect.letterhead(session, unit_id=emp.unit_id),
    )


def penetapan_view(session: Session, actor: Principal, unit_id: str, period_id: str) -> PenetapanView:
    """The penetapan of the organisation of ``unit_id`` for the period (visible to whoever may see its recap)."""
    period = get_period(session, period_id)
    recap = unit_recap(session, actor, unit_id, period.year, period_id=period.id)
    org = referenced(session, Unit, recap.unit_id)
    row = own_capaian(session, org.id, period)
    if row is None:
        raise UserError(
            _(
                "Capaian kinerja organisasi {unit} periode {period} belum ditetapkan; tetapkan dulu "
                "capaiannya, lalu cetak penetapannya."
            ).format(unit=org.name, period=recap.period_label)
        )
    ids = list(recap.member_ids)
    people = sorted(session.scalars(select(Employee).where(Employee.id.in_(ids))), key=lambda e: (e.name, e.nip))
    versions = current_versions(session, select(Employee.id).where(Employee.id.in_(ids)), [period.id])
    rows = []
    for i, emp in enumerate(people, start=1):
        _ev, status, pred, _rev = versions.get((emp.id, period.id), (None, None, None, None))
        text = Predikat(pred).label if status == "final" and pred else ""
        if status is not None and status != "final":
            text = _("draf (belum final)")
        p = collect.person_of(session, emp)
        assert p is not None
        rows.append(RecapRow(i, p.name, p.nip, p.jabatan, text, p.status, p.pangkat_gol))
    recommendation = ""
    if row.recommendation_source:
        rec = parse_capaian(row.recommended_capaian).label if row.recommended_capaian else "-"
        recommendation = f"{_(RECOMMENDATION_LABELS[row.recommendation_source])}: {rec}"
    signer, title, lh = _signer(session, row)
    return PenetapanView(
        unit_name=org.name,
        unit_code=org.code,
        year=period.year,
        period_label=collect.form_period_label(period),
        period_start=period.start,
        period_end=period.end,
        capaian=parse_capaian(row.capaian).label,
        basis=_(BASIS_LABELS.get(row.basis, row.basis)),
        basis_note=row.basis_note or "",
        recommendation=recommendation,
        decision_reference=row.decision_reference or "",
        decided_on=row.decided_on,
        head=", ".join(recap.head_names),
        headcount=recap.headcount,
        not_final=recap.headcount - recap.final,
        distribution=collect.distribution_of(recap.report),
        reference=collect.reference_view(recap.capaian),  # type: ignore[arg-type]  # a penetapan needs a capaian (checked above)
        rows=tuple(rows),
        signer=signer,
        signer_title=title,
        place=collect.document_place(session),
        date=collect.today_wib(),
        document_id=f"PCK-{period.year}-{period_code(period)}-{org.code}",
        letterhead=lh,
    )
