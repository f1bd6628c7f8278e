"""Reading a row another row refers to.

Rows of synced tables are never deleted (a tombstone sets ``deleted``), so the row a
foreign key names is always there; :func:`referenced` says so to the type checker and
fails loudly, naming the table, if the database ever breaks that rule.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")


class MissingRow(LookupError):
    """A row a foreign key names is not in the database (a damaged database)."""


def referenced(session: Session, model: type[T], row_id: Any) -> T:
    """The ``model`` row ``row_id`` (which another row refers to)."""
    found = session.get(model, row_id) if row_id is not None else None
    if found is None:
        raise MissingRow(f"{getattr(model, '__tablename__', model.__name__)} row {row_id!r} is referred to but missing")
    return found
