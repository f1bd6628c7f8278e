"""What the sync needs to know about every synced table, read from the models' metadata.

Works on whatever synced tables exist (``store.base.synced_tables()`` that are present in
the database), so tables other developers add later sync without changes here.

FK-safe order: tables are sorted by their foreign keys (parents first). Foreign keys that
cannot be ordered that way (a table referring to itself such as ``units.parent_id`` and
``employees.supervisor_id``, or a cycle between tables) are *deferred columns*: on SQLite
the apply transaction runs with ``PRAGMA defer_foreign_keys=ON`` so they are checked at
commit; on PostgreSQL (whose constraints are not DEFERRABLE) those columns are written in a
second pass after every row of the bundle exists. Both paths are tested on SQLite.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    Table,
    Time,
    UniqueConstraint,
    inspect,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.ddl import sort_tables_and_constraints

from kinerja_desktop.store.base import synced_tables

META_COLUMNS = ("id", "origin_site", "updated_hlc", "deleted")
#: Columns holding the sha256 of a file in the blob folder (attachments travel with the row).
BLOB_COLUMN = re.compile(r"^(.*_)?sha256$")
#: The column that places a row in the organisation (scope of what an office receives).
UNIT_TABLE = "units"


def _identity(v):
    return v


def _codec(column) -> tuple[Callable, Callable]:
    """(encode to JSON-safe, decode from JSON) for a column's type."""
    t = column.type
    if isinstance(t, DateTime):
        return (
            lambda v: v.isoformat() if v is not None else None,
            lambda v: datetime.fromisoformat(v) if v is not None else None,
        )
    if isinstance(t, Date):
        return (
            lambda v: v.isoformat() if v is not None else None,
            lambda v: date.fromisoformat(v) if v is not None else None,
        )
    if isinstance(t, Time):
        return (
            lambda v: v.isoformat() if v is not None else None,
            lambda v: time.fromisoformat(v) if v is not None else None,
        )
    if isinstance(t, Numeric) and not isinstance(t, Float) and getattr(t, "asdecimal", True):
        return (lambda v: str(v) if v is not None else None, lambda v: Decimal(v) if v is not None else None)
    if isinstance(t, LargeBinary):
        return (
            lambda v: base64.b64encode(v).decode("ascii") if v is not None else None,
            lambda v: base64.b64decode(v) if v is not None else None,
        )
    if isinstance(t, Boolean):
        return (lambda v: bool(v) if v is not None else None, _check_bool)
    if isinstance(t, Integer):
        return _identity, _check_int
    if isinstance(t, JSON):
        return _identity, _identity
    return _identity, _check_scalar


def _check_bool(v):
    if v is None or isinstance(v, bool):
        return v
    raise ValueError(f"not a boolean: {v!r}")


def _check_int(v):
    if v is None or (isinstance(v, int) and not isinstance(v, bool)):
        return v
    raise ValueError(f"not an integer: {v!r}")


def _check_scalar(v):
    if v is None or isinstance(v, (str, int, float)):
        return v
    raise ValueError(f"not a scalar: {v!r}")


@dataclass
class TableInfo:
    name: str
    table: Table
    data_columns: list[str]
    encoders: dict[str, Callable]
    decoders: dict[str, Callable]
    #: (column, referred synced table) for every foreign key between synced tables.
    fks: list[tuple[str, str]]
    #: FK columns written in a second pass on databases without deferrable constraints.
    deferred: list[str] = field(default_factory=list)
    #: Column tuples that must be unique (besides the id).
    uniques: list[tuple[str, ...]] = field(default_factory=list)
    blob_columns: list[str] = field(default_factory=list)
    #: Values for columns a bundle from an older schema does not carry.
    defaults: dict[str, object] = field(default_factory=dict)

    def encode(self, row) -> dict:
        """The JSON-safe image of a row's data columns (``row`` is a mapping)."""
        out = {c: row[c] for c in self.data_columns}
        for c, fn in self._typed_out:
            out[c] = fn(out[c])
        return out

    def decode(self, image: dict) -> dict:
        """Python values for the data columns from a JSON image (missing: defaults; unknown: ignored).

        Text columns are taken as they are (the hot path of a bulk import); typed columns are
        converted and checked.
        """
        if image.keys() == self._data_set:
            out = dict(image)
        else:
            out = {c: image[c] if c in image else self.defaults.get(c) for c in self.data_columns}
        for c, fn in self._typed:
            out[c] = fn(out[c])
        return out

    def __post_init__(self) -> None:
        self._data_set = set(self.data_columns)
        self._typed = [
            (c, self.decoders[c]) for c in self.data_columns if self.decoders[c] not in (_identity, _check_scalar)
        ]
        self._typed_out = [
            (c, self.encoders[c])
            for c in self.data_columns
            if self.encoders[c] is not _identity and not isinstance(self.table.c[c].type, Boolean)
        ]


def _default_of(column):
    d = column.default
    if d is not None and getattr(d, "is_scalar", False):
        return d.arg
    if d is not None and getattr(d, "is_callable", False):
        try:
            return d.arg(None)
        except Exception:  # pragma: no cover - defaults needing a context
            return None
    return None


def _uniques(table: Table) -> list[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for c in table.columns:
        if c.unique and c.name != "id":
            out.add((c.name,))
    for cons in table.constraints:
        if isinstance(cons, UniqueConstraint):
            cols = tuple(c.name for c in cons.columns)
            if cols and cols != ("id",):
                out.add(cols)
    for idx in table.indexes:
        if idx.unique:
            cols = tuple(c.name for c in idx.columns)
            if cols and cols != ("id",):
                out.add(cols)
    return sorted(out)


def synced_table_objects() -> list[Table]:
    """Every synced model's table (the full set the program knows)."""
    return [cls.__table__ for cls in synced_tables().values()]


_cache: dict[tuple, list[TableInfo]] = {}


def sync_schema(bind: Engine | Connection) -> list[TableInfo]:
    """The synced tables present in this database, parents first."""
    existing = set(inspect(bind).get_table_names())
    tables = [t for t in synced_table_objects() if t.name in existing]
    key = tuple(sorted(id(t) for t in tables))
    cached = _cache.get(key)
    if cached is not None:
        return cached
    names = {t.name for t in tables}
    ordered = sort_tables_and_constraints(tables)
    cycle_fkcs = set()
    order: list[Table] = []
    for table, fkcs in ordered:
        if table is None:
            cycle_fkcs.update(fkcs)
        else:
            order.append(table)
    infos = []
    for table in order:
        data_cols = [c.name for c in table.columns if c.name not in META_COLUMNS]
        enc, dec = {}, {}
        for c in table.columns:
            enc[c.name], dec[c.name] = _codec(c)
        fks, deferred = [], []
        for fkc in table.foreign_key_constraints:
            ref = fkc.referred_table.name
            if ref not in names or len(fkc.columns) != 1:
                continue
            col = fkc.column_keys[0]
            fks.append((col, ref))
            if ref == table.name or fkc in cycle_fkcs:
                deferred.append(col)
        infos.append(
            TableInfo(
                name=table.name,
                table=table,
                data_columns=data_cols,
                encoders=enc,
                decoders=dec,
                fks=fks,
                deferred=deferred,
                uniques=_uniques(table),
                blob_columns=[c for c in data_cols if BLOB_COLUMN.match(c)],
                defaults={c.name: _default_of(c) for c in table.columns if c.name not in META_COLUMNS},
            )
        )
    _cache[key] = infos
    return infos


def site_of(hlc: str) -> str:
    """The site that issued a hybrid-clock value (``<wall>-<counter>-<site>``)."""
    return hlc.split("-", 2)[2] if hlc.count("-") >= 2 else ""
