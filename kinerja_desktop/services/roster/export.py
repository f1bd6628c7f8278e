"""Exporting the roster to CSV or XLSX with the headers the import reads back.

``export_roster`` is a long job (a generator yielding :class:`Progress`, returning an
:class:`ExportReport`). It writes the employees a :class:`RosterFilter` selects (the
window passes the filter on screen; without one every employee that is not deleted, active
or not) through the one table writer (:mod:`kinerja_desktop.services.table_export`):
streamed, atomic, formula-safe, NIP as text, real dates in XLSX, ``,`` or ``;`` in CSV.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.permissions import ROSTER_WIDE_ROLES, require_role
from kinerja_desktop.services.access.principal import SYSTEM, Principal
from kinerja_desktop.services.progress import Job, Progress
from kinerja_desktop.services.roster import columns as rc
from kinerja_desktop.services.roster.query import RosterFilter, filter_conditions
from kinerja_desktop.services.table_export import DATE, NIP, Column, check_target, write_table
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit

FORMATS = (".csv", ".xlsx")
BATCH = 2000
SHEET_TITLE = N_("Pegawai")
#: Every employee that is not deleted, active or not (the command line's export).
EVERYONE = RosterFilter(active=None)

#: The export's columns: the headers of rc.EXPORT_COLUMNS, typed and sized for a spreadsheet.
_KINDS = {rc.NIP: NIP, rc.BIRTH_DATE: DATE, rc.UNIT_CODE: NIP, rc.SUPERVISOR_NIP: NIP, rc.SIASN_ID: NIP}
_WIDTHS = {
    rc.NIP: 21,
    rc.FRONT_TITLE: 12,
    rc.NAME: 32,
    rc.BACK_TITLE: 16,
    rc.GENDER: 8,
    rc.BIRTH_DATE: 14,
    rc.STATUS: 8,
    rc.GOLONGAN: 10,
    rc.POSITION: 40,
    rc.POSITION_KIND: 16,
    rc.UNIT_CODE: 18,
    rc.UNIT: 36,
    rc.SUPERVISOR_NIP: 21,
    rc.SIASN_ID: 34,
}
COLUMNS: tuple[Column, ...] = tuple(
    Column(header, _KINDS.get(key, "text"), _WIDTHS.get(key, 14)) for key, header in rc.EXPORT_COLUMNS
)


@dataclass
class ExportReport:
    path: Path
    rows: int = 0


def _kind_label(kind: str | None) -> str:
    """What the Jenis Jabatan column shows: "JPT", "Administrator", ... (import reads it back)."""
    if not kind:
        return ""
    return "JPT" if kind == "jpt" else kind.capitalize()


def _query(session: Session, actor: Principal, flt: RosterFilter):
    supervisor = aliased(Employee)
    return (
        select(
            Employee.nip,
            Employee.front_title,
            Employee.name,
            Employee.back_title,
            Employee.gender,
            Employee.birth_date,
            Employee.status,
            Employee.golongan,
            Position.name,
            Position.kind,
            Unit.code,
            Unit.name,
            supervisor.nip,
            Employee.siasn_id,
        )
        .outerjoin(Position, Employee.position_id == Position.id)
        .outerjoin(Unit, Employee.unit_id == Unit.id)
        .outerjoin(supervisor, Employee.supervisor_id == supervisor.id)
        .where(*filter_conditions(session, actor, flt))
        .order_by(Employee.nip)
    )


def _records(session: Session, actor: Principal, flt: RosterFilter) -> Iterator[tuple]:
    result = session.execute(_query(session, actor, flt).execution_options(yield_per=BATCH))
    for (
        nip,
        front,
        name,
        back,
        gender,
        birth,
        status,
        golongan,
        position,
        kind,
        code,
        unit,
        sup_nip,
        siasn_id,
    ) in result:
        yield (
            nip,
            front or "",
            name,
            back or "",
            gender or "",
            birth,
            status or "",
            golongan or "",
            position or "",
            _kind_label(kind),
            code or "",
            unit or "",
            sup_nip or "",
            siasn_id or "",
        )


def count_for_export(session: Session, actor: Principal, flt: RosterFilter = EVERYONE) -> int:
    """How many employees :func:`export_roster` would write with ``flt``."""
    return (
        session.scalar(select(func.count()).select_from(Employee).where(*filter_conditions(session, actor, flt))) or 0
    )


def export_roster(
    target, path: str | Path, *, actor: Principal | None = SYSTEM, flt: RosterFilter | None = None, delimiter: str = ","
) -> Job[ExportReport]:
    """Write the employees ``flt`` selects (default: everyone not deleted) to ``path`` (.csv or .xlsx).

    ``target`` is a Database or a Session. Only roles that see the whole roster may
    export it. Raises :class:`UnusableInput` for another extension or a folder that does
    not exist.
    """
    actor = actor or SYSTEM
    require_role(actor, *ROSTER_WIDE_ROLES)
    path = Path(path)
    check_target(path)
    flt = flt or EVERYONE
    owned = not isinstance(target, Session)
    session: Session = target.session() if owned else target
    try:
        total = count_for_export(session, actor, flt)
        message = _("Mengekspor {count} pegawai…").format(count=total)
        yield Progress(0, total, message)
        rows = yield from write_table(
            path,
            COLUMNS,
            _records(session, actor, flt),
            total=total,
            sheet_title=_(SHEET_TITLE),
            message=message,
            delimiter=delimiter,
        )
    finally:
        if owned:
            session.close()
    return ExportReport(path=path, rows=rows)
