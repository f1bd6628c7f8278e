"""The data of the JP recap document (Rekapitulasi JP pengembangan kompetensi) of a unit.

:func:`jp_recap` fills ``reports.views.JpRecapView`` for the documents: every active
employee of the unit and the units below it, by name, with their JP of the year by
category from the one aggregate query of :mod:`services.jp_compliance`, the rule marked
as not applying to PPPK (``meets`` None), the head of the unit as signer.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from kinerja_desktop.domain.training import MIN_JP_PER_YEAR
from kinerja_desktop.reports.views import JpRecapView, JpRow
from kinerja_desktop.services.access.principal import SYSTEM, Principal
from kinerja_desktop.services.documents.views import (
    document_place,
    grouped_nip,
    letterhead,
    unit_by_code,
    unit_head,
)
from kinerja_desktop.services.training.jp_compliance import compliance_rows
from kinerja_desktop.store.employee import Employee


def jp_recap(session: Session, unit_code: str, year: int, *, actor: Principal = SYSTEM, today: date | None = None):
    """The ``JpRecapView`` of the unit with code ``unit_code`` for ``year``."""

    unit = unit_by_code(session, unit_code)
    rows = sorted(compliance_rows(session, actor, year, unit_id=unit.id), key=lambda r: (r.name.casefold(), r.nip))
    out = []
    for i, r in enumerate(rows, start=1):
        pns = r.applies
        out.append(
            JpRow(
                i,
                r.name,
                grouped_nip(r.nip, r.status),
                r.status,
                r.position_name,
                r.klasikal,
                r.nonklasikal,
                r.pendidikan,
                r.total,
                r.meets if pns else None,
                r.shortfall if pns else Decimal(0),
            )
        )
    heads = [session.get(Employee, r.employee_id) for r in rows if r.unit_id == unit.id]
    return JpRecapView(
        unit_code=unit.code,
        unit_name=unit.name,
        year=year,
        rows=tuple(out),
        minimum=MIN_JP_PER_YEAR,
        place=document_place(session),
        date=today or date.today(),
        document_id=f"JP-{year}-{unit.code}",
        signer=unit_head(session, unit, [e for e in heads if e is not None]),
        letterhead=letterhead(session, unit_id=unit.id),
    )
