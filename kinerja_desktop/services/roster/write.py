"""Bulk reads and writes of the roster (employees, units, positions) without ORM objects.

Imports of tens of thousands of rows go through Core ``insert`` executemany and the
ORM's bulk UPDATE by primary key (also one executemany), never per-row ORM objects.
Every written row is stamped with the site clock and appended to the change log
(:func:`stamp_rows`, :func:`log_rows`), and the audit trail gets one entry per created
or changed row (:func:`audit.record_many`), all in the caller's transaction, in chunks
of :data:`WRITE_CHUNK` rows so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.audit import chain as audit
from kinerja_desktop.store.base import Base
from kinerja_desktop.store.changes import clock_of, log_rows, stamp_rows
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit

#: Employee columns held in :class:`RosterState` rows, in this order.
EMPLOYEE_COLUMNS: tuple[str, ...] = (
    "id",
    "nip",
    "name",
    "front_title",
    "back_title",
    "gender",
    "birth_date",
    "status",
    "golongan",
    "position_id",
    "unit_id",
    "supervisor_id",
    "active",
    "deleted",
    "siasn_id",
    "supervisor_manual",
    "kedudukan_hukum",
)
#: Columns a roster import may set (everything except id, the hand-set flag and the sync metadata).
EMPLOYEE_DATA: tuple[str, ...] = (
    "nip",
    "name",
    "front_title",
    "back_title",
    "gender",
    "birth_date",
    "status",
    "golongan",
    "position_id",
    "unit_id",
    "supervisor_id",
    "active",
    "siasn_id",
    "kedudukan_hukum",
)
#: Unit columns an import may change on a unit it matched (by SIASN id or name).
UNIT_DATA: tuple[str, ...] = ("name", "parent_id", "siasn_id", "deleted")
COL = {name: i for i, name in enumerate(EMPLOYEE_COLUMNS)}


def casefold_key(text: str) -> str:
    """How names and codes are compared: case and spacing do not matter."""
    return " ".join(str(text).split()).casefold()


@dataclass
class RosterState:
    """What the database holds now, as plain tuples (fast to load for 10⁵ rows)."""

    employees: dict[str, tuple] = field(default_factory=dict)  # nip -> row (EMPLOYEE_COLUMNS)
    nip_by_id: dict[str, str] = field(default_factory=dict)
    unit_by_code: dict[str, str] = field(default_factory=dict)  # casefold code -> id
    units_by_name: dict[str, list[str]] = field(default_factory=dict)  # casefold name -> ids
    unit_codes: set[str] = field(default_factory=set)  # casefold codes in use
    position_by_name: dict[str, str] = field(default_factory=dict)  # casefold name -> id
    position_name_by_id: dict[str, str] = field(default_factory=dict)
    position_kind_by_id: dict[str, str] = field(default_factory=dict)
    nip_by_siasn: dict[str, str] = field(default_factory=dict)  # employee's SIASN PNS ID -> nip
    units: dict[str, tuple] = field(default_factory=dict)  # id -> (code, name, kind, parent_id, siasn_id, deleted)
    unit_by_siasn: dict[str, str] = field(default_factory=dict)  # SIASN unit id -> id (deleted ones too)


UNIT_COLUMNS = ("code", "name", "kind", "parent_id", "siasn_id", "deleted")
UCOL = {name: i for i, name in enumerate(UNIT_COLUMNS)}


def load_roster_state(session: Session) -> RosterState:
    state = RosterState()
    columns = [getattr(Employee, c) for c in EMPLOYEE_COLUMNS]
    siasn_col = COL["siasn_id"]
    for row in session.execute(select(*columns)):
        state.employees[row[1]] = tuple(row)
        state.nip_by_id[row[0]] = row[1]
        if row[siasn_col]:
            state.nip_by_siasn[row[siasn_col]] = row[1]
    for unit_id, *unit in session.execute(select(Unit.id, *(getattr(Unit, c) for c in UNIT_COLUMNS))):
        code, name, _kind, _parent, siasn_id, deleted = unit
        state.units[unit_id] = tuple(unit)
        state.unit_codes.add(casefold_key(code))
        if siasn_id:
            state.unit_by_siasn[siasn_id] = unit_id
        if deleted:
            continue
        state.unit_by_code[casefold_key(code)] = unit_id
        state.units_by_name.setdefault(casefold_key(name), []).append(unit_id)
    for position_id, name, kind, _deleted in session.execute(
        select(Position.id, Position.name, Position.kind, Position.deleted).order_by(Position.deleted)
    ):
        state.position_by_name.setdefault(casefold_key(name), position_id)
        state.position_name_by_id[position_id] = name
        state.position_kind_by_id[position_id] = kind
    return state


def insert_synced(session: Session, model: type[Base], rows: list[dict]) -> None:
    """Insert new rows of a synced model (ids may be given), stamped and change-logged."""
    if not rows:
        return
    stamp_rows(clock_of(session), rows, new=True)
    session.execute(insert(cast(Table, model.__table__)), rows)
    log_rows(session, model.__tablename__, rows)


def update_synced(session: Session, model: type[Base], rows: list[dict]) -> None:
    """Update rows by primary key (each dict holds ``id``), stamped and change-logged.

    Give every dict the same keys, so the update is one executemany.
    """
    if not rows:
        return
    stamp_rows(clock_of(session), rows, new=False)
    session.execute(update(model), rows)
    log_rows(session, model.__tablename__, rows)


#: Rows written (and audited) per statement: bounds the memory of 10⁵-row imports.
WRITE_CHUNK = 5000
#: SQLite page cache (KiB) while writing a large roster: the random-order index inserts
#: (UUID keys, NIP, name) thrash the default 2 MB cache. Restored afterwards.
BULK_CACHE_KIB = 32 * 1024
BULK_THRESHOLD = 2000
#: Rebuilding the employees' secondary indexes after a bulk insert (SQLite, same
#: transaction) beats updating a dozen indexes row by row once this many rows are new and
#: they are at least as many as the rows already there.
REBUILD_INDEXES_FROM = 5000


@dataclass
class RosterWrite:
    """Everything one import writes, applied by :func:`write_roster`."""

    new_units: list[dict] = field(default_factory=list)  # parents before children
    #: Matched units whose name, parent or SIASN id changes (UNIT_DATA columns and ``id``).
    changed_units: list[dict] = field(default_factory=list)
    changed_unit_images: list[tuple[dict, dict]] = field(default_factory=list)
    new_positions: list[dict] = field(default_factory=list)
    #: New employees, ordered so a supervisor comes before those who report to them.
    new_employees: list[dict] = field(default_factory=list)
    #: Full rows (all EMPLOYEE_DATA columns, ``id`` and ``deleted``) of changed employees.
    changed_employees: list[dict] = field(default_factory=list)
    #: Audit images: (before, after) of the changed fields, parallel to changed_employees.
    changed_images: list[tuple[dict, dict]] = field(default_factory=list)
    #: Position id -> name, for the audit images (which name the position, as the form does).
    position_names: dict[str, str] = field(default_factory=dict)
    #: Employees in the database before the import (decides whether to rebuild indexes).
    existing_employees: int = 0

    @property
    def employee_count(self) -> int:
        return len(self.new_employees) + len(self.changed_employees)

    @property
    def is_empty(self) -> bool:
        return not (
            self.new_units or self.changed_units or self.new_positions or self.new_employees or self.changed_employees
        )


def _audit_image(values: dict, position_names: dict[str, str]) -> dict:
    """An employee image as the employee form audits it: the position by name, not id."""
    image = dict(values)
    if "position_id" in image:
        position_id = image.pop("position_id")
        image["position_name"] = position_names.get(position_id, "") if position_id else ""
    return image


def _created(table: str, rows: Iterable[dict], fields: tuple[str, ...]) -> list[audit.Change]:
    return [audit.Change("create", table, r["id"], None, {f: r.get(f) for f in fields}) for r in rows]


_IMAGE_FIELDS = tuple(f for f in EMPLOYEE_DATA if f != "position_id")


def _created_image(row: dict, position_names: dict[str, str]) -> dict:
    image = {f: row[f] for f in _IMAGE_FIELDS}
    position_id = row["position_id"]
    image["position_name"] = position_names.get(position_id, "") if position_id else ""
    return image


def write_roster(session: Session, actor: Principal | None, plan: RosterWrite) -> Iterator[int]:
    """Write ``plan`` in the caller's transaction, audited; yields employees written so far.

    Units and positions first, then new employees (in chunks, each inserted and audited
    before the next is built, so memory stays bounded), then changed employees.
    """
    with _bulk_cache(session, plan.employee_count >= BULK_THRESHOLD):
        yield from _write(session, actor, plan)


@contextmanager
def _bulk_cache(session: Session, wanted: bool) -> Iterator[None]:
    connection = session.connection()
    if not wanted or connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        try:
            connection.exec_driver_sql(f"PRAGMA cache_size={int(previous or 0)}")
        except Exception:  # pragma: no cover - never hide the error that got us here
            pass


@contextmanager
def _secondary_indexes_rebuilt_after(session: Session, table: str, wanted: bool) -> Iterator[None]:
    """SQLite: drop ``table``'s non-unique indexes, and create them again (same SQL) at the end.

    All inside the caller's transaction, so a failure rolls the drop back too and other
    connections never see the table without its indexes. Unique indexes and constraints
    stay in place, so NIPs and ids are still checked row by row.
    """
    connection = session.connection()
    if not wanted or connection.dialect.name != "sqlite":
        yield
        return
    indexes = [
        (name, sql)
        for name, sql in connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table,),
        )
        if not sql.lstrip().upper().startswith("CREATE UNIQUE")
    ]
    for name, _sql in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield  # on an error the caller rolls back, which restores the indexes
    for _name, sql in indexes:
        connection.exec_driver_sql(sql)


def _write(session: Session, actor: Principal | None, plan: RosterWrite) -> Iterator[int]:
    insert_synced(session, Unit, plan.new_units)
    update_synced(session, Unit, plan.changed_units)
    insert_synced(session, Position, plan.new_positions)
    audit.record_many(
        session,
        actor,
        _created("units", plan.new_units, ("code", "name", "kind", "parent_id", "siasn_id"))
        + [
            audit.Change("update", "units", r["id"], before, after)
            for r, (before, after) in zip(plan.changed_units, plan.changed_unit_images, strict=False)
        ]
        + _created("positions", plan.new_positions, ("name", "kind", "is_unit_head")),
    )
    names = plan.position_names
    done = 0
    new = len(plan.new_employees)
    rebuild = new >= REBUILD_INDEXES_FROM and new >= plan.existing_employees
    with _secondary_indexes_rebuilt_after(session, Employee.__tablename__, rebuild):
        for start in range(0, new, WRITE_CHUNK):
            chunk = plan.new_employees[start : start + WRITE_CHUNK]
            insert_synced(session, Employee, chunk)
            audit.record_many(
                session,
                actor,
                [audit.Change("create", "employees", r["id"], None, _created_image(r, names)) for r in chunk],
            )
            done += len(chunk)
            yield done
    for start in range(0, len(plan.changed_employees), WRITE_CHUNK):
        chunk = plan.changed_employees[start : start + WRITE_CHUNK]
        images = plan.changed_images[start : start + WRITE_CHUNK]
        update_synced(session, Employee, chunk)
        audit.record_many(
            session,
            actor,
            [
                audit.Change("update", "employees", r["id"], _audit_image(before, names), _audit_image(after, names))
                for r, (before, after) in zip(chunk, images, strict=False)
            ],
        )
        done += len(chunk)
        yield done


def apply_roster_write(session: Session, actor: Principal | None, plan: RosterWrite) -> None:
    """:func:`write_roster` without progress."""
    for _done in write_roster(session, actor, plan):
        pass
