"""The unit tree (perangkat daerah, bidang, UPT, ...), read once and asked questions of.

One place answers "which units lie under this one" for every service: the distribution
recap, the documents service, the roster's, training's and the grid's unit filters, the
complaints' office scope. Two forms: :class:`UnitTree` (read once, walked in Python) and
:func:`subtree_cte` / :func:`units_below` (a recursive CTE, for a filter inside one query).
A loop in bad data (a unit that is its own ancestor) never makes a walk run forever: each
unit is visited at most once (the CTE uses UNION, which drops a unit already reached).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import CTE, Select, select
from sqlalchemy.orm import Session, aliased

from kinerja_desktop.store.org import Unit


@dataclass(frozen=True)
class UnitTree:
    units: dict[str, Unit]  # id -> unit (not deleted)
    children: dict[str, list[str]]  # id -> ids of the units directly under it

    def subtree(self, root: str) -> list[str]:
        """``root`` and every unit below it, ``root`` first."""
        return subtree_ids(self.children, root)

    def parent(self, unit_id: str) -> str | None:
        unit = self.units.get(unit_id)
        return unit.parent_id if unit is not None and unit.parent_id in self.units else None

    def ancestors(self, unit_id: str) -> list[str]:
        """The units above ``unit_id``, nearest first (a loop ends the walk)."""
        out, seen = [], {unit_id}
        current = self.parent(unit_id)
        while current is not None and current not in seen:
            out.append(current)
            seen.add(current)
            current = self.parent(current)
        return out


def read_tree(session: Session) -> UnitTree:
    """Every unit that is not deleted, with its children."""
    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.deleted.is_(False)))}
    children: dict[str, list[str]] = {}
    for u in units.values():
        if u.parent_id in units:
            children.setdefault(u.parent_id, []).append(u.id)
    return UnitTree(units, children)


def subtree_ids(children: dict[str, list[str]], root: str) -> list[str]:
    """``root`` and every id below it in ``children`` (each at most once), ``root`` first."""
    out, stack, seen = [], [root], set()
    while stack:
        uid = stack.pop()
        if uid in seen:
            continue
        seen.add(uid)
        out.append(uid)
        stack.extend(children.get(uid, []))
    return out


def subtree_cte(seed: Select, name: str = "unit_tree") -> CTE:
    """A recursive CTE (column ``id``) of the units ``seed`` selects and every non-deleted unit
    below them. Filter with ``Model.unit_id.in_(select(cte.c.id))``."""
    below = aliased(Unit)
    tree = seed.cte(name, recursive=True)
    return tree.union(select(below.id).join(tree, below.parent_id == tree.c.id).where(below.deleted.is_(False)))


def units_below(unit_id: str, name: str = "unit_tree") -> CTE:
    """:func:`subtree_cte` of ``unit_id`` itself and every unit under it."""
    return subtree_cte(select(Unit.id.label("id")).where(Unit.id == unit_id), name)


def unit_ids_under(session: Session, unit_id: str) -> set[str]:
    """The ids of ``unit_id`` and every non-deleted unit under it."""
    return set(session.scalars(select(units_below(unit_id).c.id)))
