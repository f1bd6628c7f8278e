"""Reading the roster page by page, fast at 100,000 employees.

The table of the Pegawai page asks for the first page and a count, then, as the person
scrolls, for the rows after the last one shown (:func:`fetch_employees_after`: keyset or
"seek" paging, as fast at row 99,800 as at row 200). :func:`fetch_employees` reads a window
at any ``offset`` (for jumping; its cost grows with the offset). Either way the page is found
in two steps: the ids are chosen on the employees table alone, walking a covering index
(``ix_employees_roster_*``; ordered, ties broken by name and then id), and only those rows
are then joined with their unit, position and supervisor.

Text search: digits (with or without spaces) search the NIP; anything else searches the
name, case-insensitively, every word anywhere in the name. A pejabat penilai sees only the
employees below them (see ``services.permissions.employee_scope``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlalchemy.orm import Session, aliased

from kinerja_desktop.domain.golongan import PNS_GOLONGAN, PPPK_GOLONGAN
from kinerja_desktop.domain.nip import NipError, parse_nip
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.permissions import employee_scope, is_roster_wide
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.roster.org_tree import units_below
from kinerja_desktop.store.employee import Employee, full_name_of
from kinerja_desktop.store.org import Position, Unit

SORT_KEYS = ("name", "nip", "golongan", "unit", "position", "status")
MAX_PAGE = 5000

# Made once, so SQLAlchemy's statement cache recognises the row query on every page.
_UNIT = aliased(Unit, name="row_unit")
_POSITION = aliased(Position, name="row_position")
_SUPERVISOR = aliased(Employee, name="row_supervisor")


@dataclass(frozen=True)
class RosterFilter:
    text: str = ""
    unit_id: str | None = None
    include_subunits: bool = True
    status: str | None = None
    golongan: str | None = None
    active: bool | None = True  # None: active and inactive


@dataclass(frozen=True)
class EmployeeRow:
    id: str
    nip: str
    nip_grouped: str
    full_name: str
    gender: str
    status: str
    golongan: str
    position_name: str
    unit_name: str
    supervisor_name: str
    active: bool
    updated_hlc: str
    # The values the roster is sorted by, as stored (a cursor for fetch_employees_after);
    # None when the row was made elsewhere (they are then read again by id).
    name: str | None = None
    unit_id: str | None = None
    position_id: str | None = None


@dataclass(frozen=True)
class UnitNode:
    id: str
    code: str
    name: str
    kind: str
    parent_id: str | None
    children: tuple[UnitNode, ...] = ()


# --- filters ----------------------------------------------------------------------------


def _text_conditions(text: str, sqlite: bool) -> list[ColumnElement[bool]]:
    words = text.split()
    if not words:
        return []
    compact = "".join(words)
    if compact.isdigit():
        return [Employee.nip.contains(compact, autoescape=True)]
    if sqlite:  # SQLite's LIKE ignores case already (as lower() does: ASCII letters)
        return [Employee.name.contains(word, autoescape=True) for word in words]
    return [Employee.name.icontains(word, autoescape=True) for word in words]


def _conditions(session: Session, principal: Principal, flt: RosterFilter) -> list[ColumnElement[bool]]:
    if is_roster_wide(principal):
        conds: list[ColumnElement[bool]] = [Employee.deleted.is_(False)]
    else:
        # The chain walk leaves deleted rows out already; not naming ``deleted`` here lets the
        # database start from the (usually small) set of subordinates instead of the index.
        conds = [employee_scope(principal)]
    if flt.active is not None:
        conds.append(Employee.active.is_(bool(flt.active)))
    if flt.status:
        conds.append(Employee.status == flt.status)
    if flt.golongan:
        conds.append(Employee.golongan == flt.golongan)
    if flt.unit_id:
        if flt.include_subunits:
            tree = units_below(flt.unit_id)
            conds.append(Employee.unit_id.in_(select(tree.c.id)))
        else:
            conds.append(Employee.unit_id == flt.unit_id)
    conds.extend(_text_conditions(flt.text or "", session.get_bind().dialect.name == "sqlite"))
    return conds


def filter_conditions(session: Session, principal: Principal, flt: RosterFilter) -> list[ColumnElement[bool]]:
    """The WHERE conditions of ``flt`` within what ``principal`` may see (for exports of what is shown)."""
    return _conditions(session, principal, flt)


def describe_filter(flt: RosterFilter, unit_name: str | None = None) -> list[str]:
    """The filter in words, one part each (empty: no filter, everyone active and inactive)."""
    parts: list[str] = []
    if flt.text:
        parts.append(_('pencarian "{text}"').format(text=flt.text))
    if flt.unit_id:
        parts.append(
            _("unit kerja {name} beserta sub-unitnya").format(name=unit_name or "?")
            if flt.include_subunits
            else _("unit kerja {name}").format(name=unit_name or "?")
        )
    if flt.status:
        parts.append(_("status {status}").format(status=flt.status))
    if flt.golongan:
        parts.append(_("golongan {golongan}").format(golongan=flt.golongan))
    if flt.active is True:
        parts.append(_("hanya pegawai aktif"))
    elif flt.active is False:
        parts.append(_("hanya pegawai tidak aktif"))
    return parts


def _ordered_ids(
    session: Session, conds: list, extra: list, skip: int, take: int, descending: bool, by_nip: bool = False
) -> list[str]:
    cols = [Employee.nip] if by_nip else [Employee.name, Employee.id]  # NIP is unique: stable alone
    order = [c.desc() for c in cols] if descending else [c.asc() for c in cols]
    query = select(Employee.id).where(*conds, *extra).order_by(*order).limit(take)
    return list(session.scalars(query.offset(skip) if skip else query))


def _golongan_key(value: str | None):
    if value in PNS_GOLONGAN:
        return (0, PNS_GOLONGAN.index(value), value)
    if value in PPPK_GOLONGAN:
        return (1, PPPK_GOLONGAN.index(value), value)
    if not value:
        return (9, 0, "")
    return (2, 0, value)


def _name_key(names: dict):
    def key(value):
        if value is None or value not in names:
            return (1, "", value or "")
        return (0, names[value].casefold(), value)

    return key


_BUCKET_COLUMNS = {
    "golongan": Employee.golongan,
    "status": Employee.status,
    "unit": Employee.unit_id,
    "position": Employee.position_id,
}


def _bucket_order(session: Session, sort: str, values: list):
    if sort == "golongan":
        return _golongan_key
    if sort == "status":
        return lambda v: (0, v) if v else (1, "")
    model = Unit if sort == "unit" else Position
    ids = [v for v in values if v is not None]
    names = dict(session.execute(select(model.id, model.name).where(model.id.in_(ids))).all()) if ids else {}
    return _name_key(names)


def _page_ids(
    session: Session, principal: Principal, flt: RosterFilter, offset: int, limit: int, sort: str, descending: bool
) -> list[str]:
    """The ids of one window, in order.

    Name and NIP: one ordered query on a covering index. The other sorts have few distinct
    values (golongan, status, unit, position): count the rows of each value, walk the values
    in display order to the window, and read each value's part ordered by name, id. Each
    part is a range of a covering index, so a deep window stays cheap.
    """
    conds = _conditions(session, principal, flt)
    if sort in ("name", "nip"):
        return _ordered_ids(session, conds, [], offset, limit, descending, by_nip=sort == "nip")
    column = _BUCKET_COLUMNS[sort]
    counts = session.execute(select(column, func.count()).where(*conds).group_by(column)).all()
    key = _bucket_order(session, sort, [v for v, _n in counts])
    buckets = sorted(counts, key=lambda row: key(row[0]), reverse=descending)
    ids: list[str] = []
    skip, need = offset, limit
    for value, n in buckets:
        if need <= 0:
            break
        if skip >= n:
            skip -= n
            continue
        same = column.is_(None) if value is None else column == value
        part = _ordered_ids(session, conds, [same], skip, need, descending)
        ids.extend(part)
        need -= len(part)
        skip = 0
    return ids


@dataclass(frozen=True)
class _Cursor:
    """Where the previous page ended: the sort values of its last row, as stored."""

    id: str
    name: str
    nip: str
    golongan: str
    status: str
    unit_id: str | None
    position_id: str | None

    def value(self, sort: str):
        return {"golongan": self.golongan, "status": self.status, "unit": self.unit_id, "position": self.position_id}[
            sort
        ]


def _cursor(session: Session, after: EmployeeRow) -> _Cursor:
    if after.name is not None:
        return _Cursor(after.id, after.name, after.nip, after.golongan, after.status, after.unit_id, after.position_id)
    stored = session.execute(
        select(
            Employee.name, Employee.nip, Employee.golongan, Employee.status, Employee.unit_id, Employee.position_id
        ).where(Employee.id == after.id)
    ).first()
    if stored is None:
        raise ValueError(f"Employee {after.id!r} is gone and the row carries no sort values to continue from")
    return _Cursor(after.id, *stored)


def _past(cols: list, values: list, descending: bool) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the order of ``cols`` (a row-value comparison that the
    database answers with a range of the covering index)."""
    if len(cols) == 1:
        return cols[0] < values[0] if descending else cols[0] > values[0]
    row, key = tuple_(*cols), tuple_(*values)
    return row < key if descending else row > key


def _ids_after(
    session: Session, principal: Principal, flt: RosterFilter, after: _Cursor, limit: int, sort: str, descending: bool
) -> list[str]:
    """The ids of the ``limit`` rows after ``after``, in the order of :func:`_page_ids`.

    Name and NIP: one range of a covering index. The grouped sorts (golongan, status, unit,
    position): the values present are put in display order as :func:`_page_ids` does; the rest
    of ``after``'s own group is read from its (name, id), then the following groups from their
    start, each a range of a covering index.
    """
    conds = _conditions(session, principal, flt)
    name_id = _past([Employee.name, Employee.id], [after.name, after.id], descending)
    if sort == "name":
        return _ordered_ids(session, conds, [name_id], 0, limit, descending)
    if sort == "nip":
        return _ordered_ids(
            session, conds, [_past([Employee.nip], [after.nip], descending)], 0, limit, descending, by_nip=True
        )
    column = _BUCKET_COLUMNS[sort]
    values = list(session.scalars(select(column).where(*conds).group_by(column)))
    current = after.value(sort)
    if current not in values:  # the last row shown has left its group (or the list) since
        values.append(current)
    ordered = sorted(values, key=_bucket_order(session, sort, values), reverse=descending)
    ids: list[str] = []
    for i, value in enumerate(ordered[ordered.index(current) :]):
        need = limit - len(ids)
        if need <= 0:
            break
        same = column.is_(None) if value is None else column == value
        ids.extend(_ordered_ids(session, conds, [same, name_id] if i == 0 else [same], 0, need, descending))
    return ids


# --- the roster -------------------------------------------------------------------------


def count_employees(session: Session, principal: Principal, flt: RosterFilter) -> int:
    """How many employees match ``flt`` that ``principal`` may see."""
    return session.scalar(select(func.count()).select_from(Employee).where(*_conditions(session, principal, flt))) or 0


@lru_cache(maxsize=20_000)
def _grouped(nip: str) -> str:
    try:
        return parse_nip(nip).grouped()
    except (NipError, ValueError):
        return nip


def _full_name(name, front, back) -> str:
    if name is None:
        return ""
    return full_name_of(name, front or "", back or "")


def fetch_employees(
    session: Session,
    principal: Principal,
    flt: RosterFilter,
    *,
    offset: int = 0,
    limit: int = 200,
    sort: str = "name",
    descending: bool = False,
) -> list[EmployeeRow]:
    """One window of the roster in ``sort`` order; ties by name, then id, so windows never overlap.

    ``sort`` "unit"/"position" groups by unit/position (ordered by its name), "golongan" by
    rank (PNS I/a..IV/e, then PPPK I..XVII), "status" PNS then PPPK; empty values come last
    (first when ``descending``, which reverses the whole order).
    """
    if sort not in SORT_KEYS:
        raise ValueError(f"Unknown sort key {sort!r}; use one of {SORT_KEYS}")
    limit = max(0, min(int(limit), MAX_PAGE))
    offset = max(0, int(offset))
    if limit == 0:
        return []
    # Step 1: the ids of the window. Step 2: only those rows, with unit, position, supervisor.
    return _rows_of(session, _page_ids(session, principal, flt, offset, limit, sort, descending))


def fetch_employees_after(
    session: Session,
    principal: Principal,
    flt: RosterFilter,
    *,
    after: EmployeeRow | None,
    limit: int = 200,
    sort: str = "name",
    descending: bool = False,
) -> list[EmployeeRow]:
    """The ``limit`` rows that follow ``after`` in the order of :func:`fetch_employees`.

    Keyset ("seek") paging: instead of counting past ``offset`` rows, the query starts right
    after the last row already shown, so the 500th page costs what the second does. ``after``
    is the last row of the previous page (None: the first page). The rows returned equal
    ``fetch_employees(offset=<rows up to and including after>, ...)`` while nobody edits the
    roster; when someone does, paging still continues right after ``after``'s place in the
    order as it was shown (an offset would skip or repeat rows when rows before it were added
    or removed; an edited row that moved past the cursor shows up again in its new place).
    """
    if after is None:
        return fetch_employees(session, principal, flt, offset=0, limit=limit, sort=sort, descending=descending)
    if sort not in SORT_KEYS:
        raise ValueError(f"Unknown sort key {sort!r}; use one of {SORT_KEYS}")
    limit = max(0, min(int(limit), MAX_PAGE))
    if limit == 0:
        return []
    cursor = _cursor(session, after)
    return _rows_of(session, _ids_after(session, principal, flt, cursor, limit, sort, descending))


def _rows_of(session: Session, ids: list[str]) -> list[EmployeeRow]:
    """The table rows of ``ids``, in that order."""
    if not ids:
        return []
    unit, position, sup = _UNIT, _POSITION, _SUPERVISOR
    rows = session.execute(
        _row_select(unit, position, sup)
        .outerjoin(unit, unit.id == Employee.unit_id)
        .outerjoin(position, position.id == Employee.position_id)
        .outerjoin(sup, sup.id == Employee.supervisor_id)
        .where(Employee.id.in_(ids))
    ).all()
    place = {emp_id: i for i, emp_id in enumerate(ids)}
    return [_to_row(r) for r in sorted(rows, key=lambda r: place[r[0]])]


def _row_select(unit, position, sup):
    return select(
        Employee.id,
        Employee.nip,
        Employee.name,
        Employee.front_title,
        Employee.back_title,
        Employee.gender,
        Employee.status,
        Employee.golongan,
        position.name,
        unit.name,
        sup.name,
        sup.front_title,
        sup.back_title,
        Employee.active,
        Employee.updated_hlc,
        Employee.unit_id,
        Employee.position_id,
    )


def _to_row(r) -> EmployeeRow:
    return EmployeeRow(
        id=r[0],
        nip=r[1],
        nip_grouped=_grouped(r[1]),
        full_name=_full_name(r[2], r[3], r[4]),
        gender=r[5],
        status=r[6],
        golongan=r[7] or "",
        position_name=r[8] or "",
        unit_name=r[9] or "",
        supervisor_name=_full_name(r[10], r[11], r[12]),
        active=bool(r[13]),
        updated_hlc=r[14],
        name=r[2],
        unit_id=r[15],
        position_id=r[16],
    )


def search_employees(session: Session, principal: Principal, text: str, *, limit: int = 20) -> list[EmployeeRow]:
    """Active employees matching ``text`` (name or NIP), by name: for searchable pickers."""
    return fetch_employees(session, principal, RosterFilter(text=text or "", active=True), limit=limit)


def employee_row(session: Session, principal: Principal, employee_id: str) -> EmployeeRow | None:
    """One row as the table shows it (after a save), or None when ``principal`` may not list it."""
    unit, position, sup = _UNIT, _POSITION, _SUPERVISOR
    r = session.execute(
        _row_select(unit, position, sup)
        .outerjoin(unit, unit.id == Employee.unit_id)
        .outerjoin(position, position.id == Employee.position_id)
        .outerjoin(sup, sup.id == Employee.supervisor_id)
        .where(Employee.id == employee_id, *_conditions(session, principal, RosterFilter(active=None)))
    ).first()
    return None if r is None else _to_row(r)


# --- pickers and filters ----------------------------------------------------------------


def unit_tree(session: Session) -> list[UnitNode]:
    """The units as a forest: roots and every level of children sorted by name."""
    rows = session.execute(
        select(Unit.id, Unit.code, Unit.name, Unit.kind, Unit.parent_id).where(Unit.deleted.is_(False))
    ).all()
    by_id = {r.id: r for r in rows}
    children: dict[str | None, list] = {}
    for r in rows:
        parent = r.parent_id if r.parent_id in by_id and r.parent_id != r.id else None
        children.setdefault(parent, []).append(r)

    def key(r):
        return (r.name.casefold(), r.code)

    def build(r, seen: frozenset) -> UnitNode:
        kids = tuple(build(c, seen | {c.id}) for c in sorted(children.get(r.id, ()), key=key) if c.id not in seen)
        return UnitNode(r.id, r.code, r.name, r.kind, r.parent_id, kids)

    roots = [build(r, frozenset({r.id})) for r in sorted(children.get(None, ()), key=key)]
    # Units caught in a loop of parents have no root; show them at the top rather than lose them.
    reached: set[str] = set()

    def walk(nodes):
        for n in nodes:
            reached.add(n.id)
            walk(n.children)

    walk(roots)
    stray = [r for r in rows if r.id not in reached]
    for r in sorted(stray, key=key):
        if r.id not in reached:
            node = build(r, frozenset({r.id}))
            walk([node])
            roots.append(node)
    return roots


def golongan_values(session: Session) -> list[str]:
    """The golongan present in the roster: PNS I/a..IV/e, then PPPK I..XVII, then others."""
    values = session.scalars(
        select(Employee.golongan).where(Employee.deleted.is_(False), Employee.golongan != "").distinct()
    ).all()

    return sorted(values, key=_golongan_key)
