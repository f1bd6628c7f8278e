"""Unit recaps: predikat against the distribution curve, and JP per employee.

A recap lists the unit's employees (with its sub-units) that the actor may see: all of
them for HR, only those below a pejabat penilai in the chain. Signed by the head of the unit.
"""

from __future__ import annotations

import dataclasses
import re

from sqlalchemy import select

from kinerja_desktop.i18n import N_, _
from kinerja_desktop.reports.views import ROLE_PEJABAT
from kinerja_desktop.services.documents import views
from kinerja_desktop.services.documents.registry import UNIT, DocumentKind, FieldOwner, Prepared, register
from kinerja_desktop.services.training.jp_recap_view import jp_recap
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit


def _head_id(session, unit) -> str | None:
    return session.scalar(
        select(Employee.id)
        .join(Position, Position.id == Employee.position_id)
        .where(
            Employee.unit_id == unit.id,
            Position.is_unit_head.is_(True),
            Employee.deleted.is_(False),
            Employee.active.is_(True),
        )
        .limit(1)
    )


def _prepared(session, kind, request, view, unit) -> Prepared:
    """The head of the unit signs, whoever prints it (a pejabat's recap lists only his people)."""
    title = _("Kepala {unit}").format(unit=unit.name)
    head_id = _head_id(session, unit)
    head = views.person_of(session, session.get(Employee, head_id)) if head_id else None
    if head is not None and view.signer != head:
        view = dataclasses.replace(view, signer=head)
    return Prepared(
        kind=kind,
        request=request,
        view=view,
        record_id=None,
        revision_no=0,
        unit_id=unit.id,
        not_signable=None
        if head is not None
        else _(
            "Kepala {unit} belum tercatat di data pegawai (jabatan kepala unit); rekap ini dicetak untuk "
            "ditandatangani basah."
        ).format(unit=unit.name),
        fields={ROLE_PEJABAT: FieldOwner(title, head, head_id)},
    )


def _collect_predikat(session, actor, request, members) -> Prepared:
    unit = session.get(Unit, request.subject_id)
    view = views.recap_view(session, unit.code, request.year, request.period, actor=actor, members=members)
    # The recap is the organisation's whose capaian is used (a Bidang's may be its Dinas's).
    org = views.unit_by_code(session, view.unit_code)
    return _prepared(session, PREDIKAT, request, view, org)


def _collect_jp(session, actor, request, members) -> Prepared:
    unit = session.get(Unit, request.subject_id)
    view = jp_recap(session, unit.code, request.year, actor=actor)
    return _prepared(session, JP, request, view, unit)


#: The period part of a predikat recap's id (``AKHIR``, ``TW1``, ``S2``, ``B07``), before the unit code.
PERIOD_PART = re.compile(r"^(AKHIR|TW[1-4]|S[12]|B(0[1-9]|1[0-2]))-")


def _owners(prefix: str):
    """Field owner of ``RP-<year>-<unit code>`` / ``JP-…``: the head of that unit now."""

    def owners(session, document_id: str):
        parts = (document_id or "").split("-", 2)
        if len(parts) != 3 or parts[0] != prefix or not parts[1].isdigit():
            return None
        code = parts[2]
        if prefix == "RP" and PERIOD_PART.match(code):  # RP-<year>-<period>-<unit code>
            code = code.split("-", 1)[1]
        unit = session.scalar(select(Unit).where(Unit.code == code, Unit.deleted.is_(False)))
        if unit is None:
            return None
        head_id = _head_id(session, unit)
        if head_id is None:
            return None
        person = views.person_of(session, session.get(Employee, head_id))
        return {ROLE_PEJABAT: FieldOwner(_("Kepala {unit}").format(unit=unit.name), person, head_id)}

    return owners


PREDIKAT = register(
    DocumentKind(
        "rekap-predikat",
        N_("Rekap predikat kinerja unit (pola distribusi)"),
        UNIT,
        _collect_predikat,
        owners=_owners("RP"),
    )
)
JP = register(
    DocumentKind("rekap-jp", N_("Rekap JP pengembangan kompetensi unit"), UNIT, _collect_jp, owners=_owners("JP"))
)
