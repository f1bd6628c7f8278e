"""Which rows an office receives: its unit subtree, and what hangs off it.

A table is *scoped* when it has a foreign key (other than to itself) to ``units`` or to
another scoped table: employees (``unit_id``), SKP (``employee_id``), evaluations, ...
A scoped row is in an office's scope when any such foreign key points into the scope; the
``units`` rows in scope are the office's unit and everything under it. Tables with no path
to ``units`` (positions, periods, the training catalogue) are district-wide master data and
go to every office. The selects are plain SQLAlchemy Core (a recursive CTE for the tree),
so they run on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.sql import Select

from kinerja_desktop.sync.tables import UNIT_TABLE, TableInfo


def scope_selects(schema: list[TableInfo], root_unit_id: str | None) -> dict[str, Select]:
    """Table name -> select of the ids in scope, for every scoped table.

    ``root_unit_id`` ``None`` means the whole district (no table is filtered).
    """
    if root_unit_id is None:
        return {}
    units = next((i for i in schema if i.name == UNIT_TABLE), None)
    if units is None:
        return {}
    u = units.table
    tree = select(u.c.id).where(u.c.id == root_unit_id).cte("scope_units", recursive=True)
    tree = tree.union_all(select(u.c.id).where(u.c.parent_id == tree.c.id))
    scope: dict[str, Select] = {UNIT_TABLE: select(tree.c.id)}
    for info in schema:
        if info.name == UNIT_TABLE:
            continue
        conds = [info.table.c[col].in_(scope[ref]) for col, ref in info.fks if ref != info.name and ref in scope]
        if conds:
            scope[info.name] = select(info.table.c.id).where(or_(*conds))
    return scope
