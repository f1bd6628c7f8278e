"""Finding (or planning) the unit of each imported row.

Two ways, by the file's columns:

- **Unit Kerja / Kode Unit** (the program's own headers): a code or a name of a unit that
  exists, else a new top-level unit (an OPD) with that name.
- **SIASN** (SATUAN KERJA KERJA ID/NAMA, UNOR ID/NAMA, optionally UNOR INDUK): the
  perangkat daerah (satuan kerja) is a top-level unit and its UNOR sits beneath it. Units
  are matched by SIASN's id first (so a renamed unit is still the same unit, and takes the
  new name and parent), then by name (the perangkat daerah among all units, a UNOR among
  the children of its parent), and created otherwise, keeping SIASN's id.

Lookups are cached per distinct combination of values, so 7,000 rows with 300 units cost
300 lookups. :meth:`UnitResolver.finish` gives the rows to insert (parents first, each
with a free code) and the changes to matched units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kinerja_desktop.domain.employee_rules import MAX_LENGTH
from kinerja_desktop.domain.units import guess_unit_kind
from kinerja_desktop.i18n import _
from kinerja_desktop.services.roster.write import UCOL, RosterState, casefold_key
from kinerja_desktop.store.base import new_id

UNIT_CODE_LENGTH = MAX_LENGTH["unit_code"]
UNIT_KIND_FOR_NEW = "opd"


@dataclass(frozen=True)
class UnitProblem:
    value: str
    reason: str
    code: str


def slug_code(name: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name.upper())
    return "-".join(words)[:UNIT_CODE_LENGTH].strip("-") or "UNIT"


class UnitResolver:
    def __init__(self, state: RosterState) -> None:
        self.state = state
        self._cache: dict[tuple, str | UnitProblem | None] = {}
        self.new_units: dict[str, dict] = {}  # id -> row
        self.new_unit_by_code: dict[str, str] = {}  # casefold code -> id
        self.new_unit_by_name: dict[str, str] = {}  # casefold name -> id (top-level ones)
        self._children: dict[str | None, dict[str, str]] | None = None  # parent -> casefold name -> id
        self.changes: dict[str, dict] = {}  # matched unit id -> {column: new value}
        self.siasn_claimed: dict[str, str] = {}  # SIASN id -> unit id (this import)

    # -- the program's own columns ---------------------------------------------------------
    def generic(self, code: str, name: str) -> str | UnitProblem | None:
        if not code and not name:
            return None
        key = ("g", code, name)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._generic(code, name)
        return found

    def _generic(self, code: str, name: str) -> str | UnitProblem:
        state = self.state
        code_key, name_key = casefold_key(code), casefold_key(name)
        if code and code_key in state.unit_by_code:
            return state.unit_by_code[code_key]
        if name:
            if name_key in state.unit_by_code:  # a code written in the Unit Kerja column
                return state.unit_by_code[name_key]
            ids = state.units_by_name.get(name_key, [])
            if len(ids) == 1:
                return ids[0]
            if len(ids) > 1:
                return UnitProblem(
                    name,
                    _(
                        "Unit kerja '{value}' cocok dengan {count} unit yang bernama sama; "
                        "tulis kode unitnya di kolom Kode Unit Kerja."
                    ).format(value=name, count=len(ids)),
                    "unit:ambiguous",
                )
        if code and code_key in self.new_unit_by_code:
            return self.new_unit_by_code[code_key]
        if name and name_key in self.new_unit_by_name:
            return self.new_unit_by_name[name_key]
        return self._new(name or code, code=code or None, parent=None, kind=UNIT_KIND_FOR_NEW)

    # -- SIASN's columns --------------------------------------------------------------------
    def siasn(
        self, satker_id: str, satker: str, parent_id: str, parent: str, unor_id: str, unor: str
    ) -> str | UnitProblem | None:
        """The unit of a row of a SIASN download (None when the row names no unit)."""
        key = ("s", satker_id, satker, parent_id, parent, unor_id, unor)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._siasn(satker_id, satker, parent_id, parent, unor_id, unor)
        return found

    def _siasn(self, satker_id, satker, parent_id, parent, unor_id, unor) -> str | UnitProblem | None:
        for value in (satker, parent, unor):
            if len(value) > MAX_LENGTH["unit_name"]:
                return UnitProblem(
                    value,
                    _("Nama unit kerja terlalu panjang (paling banyak {n} karakter).").format(
                        n=MAX_LENGTH["unit_name"]
                    ),
                    "too_long",
                )
        for value in (satker_id, parent_id, unor_id):
            if len(value) > 64:
                return UnitProblem(value, _("ID unit SIASN terlalu panjang (paling banyak 64 karakter)."), "too_long")
        top: str | UnitProblem | None = None
        if satker_id or satker:
            top = self._match(satker_id, satker, None, top_level=True)
            if isinstance(top, UnitProblem):
                return top
        where = top
        if (
            (parent_id or parent)
            and not self._same(parent_id, parent, satker_id, satker)
            and not self._same(parent_id, parent, unor_id, unor)
        ):
            assert not isinstance(top, UnitProblem)  # returned above
            where = self._match(parent_id, parent, top, top_level=top is None)
            if isinstance(where, UnitProblem):
                return where
        if (unor_id or unor) and not self._same(unor_id, unor, satker_id, satker):
            assert not isinstance(where, UnitProblem)  # returned above
            return self._match(unor_id, unor, where, top_level=where is None)
        return where

    @staticmethod
    def _same(id_a: str, name_a: str, id_b: str, name_b: str) -> bool:
        if id_a and id_b:
            return id_a == id_b
        return bool(name_a) and casefold_key(name_a) == casefold_key(name_b)

    def _match(self, siasn_id: str, name: str, parent: str | None, *, top_level: bool) -> str | UnitProblem:
        if siasn_id:
            unit_id = self.siasn_claimed.get(siasn_id) or self.state.unit_by_siasn.get(siasn_id)
            if unit_id is not None:
                self._want(unit_id, name=name, parent=None if top_level else parent, keep_parent=top_level)
                self.siasn_claimed[siasn_id] = unit_id
                return unit_id
        if not name:
            return UnitProblem(
                siasn_id,
                _("Unit dengan ID SIASN {id} belum dikenal dan namanya kosong; isi kolom nama unitnya.").format(
                    id=siasn_id
                ),
                "unit:no_name",
            )
        found = self._by_name(name, parent, top_level)
        if isinstance(found, UnitProblem):
            return found
        if found is not None:
            if siasn_id:
                current = self.state.units.get(found)
                taken = current[UCOL["siasn_id"]] if current else self.new_units[found]["siasn_id"]
                if taken and taken != siasn_id:
                    found = None  # a namesake already matched to another SIASN unit: a new one
                else:
                    self._want(found, siasn_id=siasn_id)
                    self.siasn_claimed[siasn_id] = found
            if found is not None:
                return found
        unit_id = self._new(
            name, code=None, parent=parent, kind=guess_unit_kind(name, top=parent is None), siasn_id=siasn_id or None
        )
        if siasn_id:
            self.siasn_claimed[siasn_id] = unit_id
        return unit_id

    def _by_name(self, name: str, parent: str | None, top_level: bool) -> str | UnitProblem | None:
        """A unit of that name: a perangkat daerah among all units (top-level ones first), a UNOR
        among the children of its parent."""
        key = casefold_key(name)
        children = self._child_index()
        if not top_level:
            return children.get(parent, {}).get(key)
        tops = children.get(None, {})
        if key in tops:
            return tops[key]
        ids = [i for i in self.state.units_by_name.get(key, []) if not self.state.units[i][UCOL["siasn_id"]]]
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            return UnitProblem(
                name,
                _(
                    "Satuan kerja '{value}' cocok dengan {count} unit yang bernama sama; beri unit-unit itu nama "
                    "yang berbeda atau hapus yang dobel, lalu impor lagi."
                ).format(value=name, count=len(ids)),
                "unit:ambiguous",
            )
        return None

    def _child_index(self) -> dict[str | None, dict[str, str]]:
        if self._children is None:
            index: dict[str | None, dict[str, str]] = {}
            for unit_id, row in self.state.units.items():
                if not row[UCOL["deleted"]]:
                    index.setdefault(row[UCOL["parent_id"]], {}).setdefault(casefold_key(row[UCOL["name"]]), unit_id)
            self._children = index
        return self._children

    def _want(
        self,
        unit_id: str,
        *,
        name: str = "",
        parent: str | None = None,
        keep_parent: bool = True,
        siasn_id: str | None = None,
    ) -> None:
        """Remember what a matched unit should become (the first row that says so wins)."""
        if unit_id in self.new_units:
            if siasn_id and not self.new_units[unit_id]["siasn_id"]:
                self.new_units[unit_id]["siasn_id"] = siasn_id
            return
        change = self.changes.setdefault(unit_id, {})
        if name:
            change.setdefault("name", name)
        if not keep_parent and parent != unit_id:
            change.setdefault("parent_id", parent)
        if siasn_id:
            change.setdefault("siasn_id", siasn_id)

    def _new(self, name: str, *, code: str | None, parent: str | None, kind: str, siasn_id: str | None = None) -> str:
        unit_id = new_id()
        self.new_units[unit_id] = {
            "id": unit_id,
            "code": code,
            "name": name,
            "kind": kind,
            "parent_id": parent,
            "siasn_id": siasn_id,
        }
        if code:
            self.new_unit_by_code[casefold_key(code)] = unit_id
        if parent is None:
            self.new_unit_by_name[casefold_key(name)] = unit_id
        self._child_index().setdefault(parent, {}).setdefault(casefold_key(name), unit_id)
        return unit_id

    # -- the result ------------------------------------------------------------------------
    def name_of(self, unit_id: str | None) -> str:
        if unit_id is None:
            return ""
        if unit_id in self.new_units:
            return self.new_units[unit_id]["name"]
        row = self.state.units.get(unit_id)
        return row[UCOL["name"]] if row else ""

    def parent_of(self, unit_id: str) -> str | None:
        if unit_id in self.new_units:
            return self.new_units[unit_id]["parent_id"]
        change = self.changes.get(unit_id, {})
        if "parent_id" in change:
            return change["parent_id"]
        row = self.state.units.get(unit_id)
        return row[UCOL["parent_id"]] if row else None

    def tree(self) -> dict[str, str | None]:
        """Every unit that is not deleted (and the new ones) -> its parent, after the import."""
        tree = {uid: self.parent_of(uid) for uid, row in self.state.units.items() if not row[UCOL["deleted"]]}
        tree.update((uid, self.parent_of(uid)) for uid in self.changes)
        tree.update((uid, row["parent_id"]) for uid, row in self.new_units.items())
        return tree

    def finish(self, used: set[str]) -> tuple[list[dict], list[dict], list[tuple[dict, dict]]]:
        """(new units to insert, parents first; changed units; their audit images).

        Only units some accepted row uses (and the parents those need) are created; a
        generated code never takes a code in use (also by tombstones) or given in the file.
        """
        needed: set[str] = set()
        for unit_id in used:
            while unit_id in self.new_units and unit_id not in needed:
                needed.add(unit_id)
                unit_id = self.new_units[unit_id]["parent_id"]
        rows = [row for uid, row in self.new_units.items() if uid in needed]
        self._assign_codes(rows)
        depth = {row["id"]: self._depth(row["id"]) for row in rows}
        rows.sort(key=lambda r: depth[r["id"]])
        tree = self.tree()
        relevant: set[str] = set()
        for used_id in used:
            walk: str | None = used_id
            while walk is not None and walk not in relevant:
                relevant.add(walk)
                walk = tree.get(walk)
        changed, images = self._changed_units(relevant, tree)
        return rows, changed, images

    def _depth(self, unit_id: str) -> int:
        n, seen = 0, set()
        while unit_id in self.new_units and unit_id not in seen:
            seen.add(unit_id)
            unit_id = self.new_units[unit_id]["parent_id"]
            n += 1
        return n

    def _assign_codes(self, rows: list[dict]) -> None:
        taken = set(self.state.unit_codes)
        for row in rows:  # codes given in the file first, so a generated one cannot take them
            if row["code"] and casefold_key(row["code"]) not in taken:
                taken.add(casefold_key(row["code"]))
                row["fixed"] = True
        for row in rows:
            if row.pop("fixed", False):
                continue
            base = (row["code"] or slug_code(row["name"]))[:UNIT_CODE_LENGTH]
            code, n = base, 2
            while casefold_key(code) in taken:
                suffix = f"-{n}"
                code, n = base[: UNIT_CODE_LENGTH - len(suffix)] + suffix, n + 1
            taken.add(casefold_key(code))
            row["code"] = code

    def _changed_units(self, relevant: set[str], tree: dict) -> tuple[list[dict], list[tuple[dict, dict]]]:
        """Changes to the matched units that an accepted row uses (directly or as a parent)."""
        changed, images = [], []
        for unit_id, wanted in self.changes.items():
            if unit_id not in relevant:
                continue
            row = self.state.units[unit_id]
            current = {c: row[UCOL[c]] for c in ("name", "parent_id", "siasn_id", "deleted")}
            target = dict(current, deleted=False)
            target.update(wanted)
            if target["parent_id"] != current["parent_id"] and self._loops(unit_id, target["parent_id"], tree):
                target["parent_id"] = current["parent_id"]  # never make the unit tree circular
            before = {k: v for k, v in current.items() if target[k] != v}
            if not before:
                continue
            changed.append({"id": unit_id, **target})
            images.append((before, {k: target[k] for k in before}))
        return changed, images

    @staticmethod
    def _loops(unit_id: str, parent: str | None, tree: dict) -> bool:
        seen = set()
        while parent is not None and parent not in seen:
            if parent == unit_id:
                return True
            seen.add(parent)
            parent = tree.get(parent)
        return False
