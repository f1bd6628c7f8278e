"""Errors the server answers with: a status code and a JSON body ``{"error", "message", ...}``."""

from __future__ import annotations

import psycopg
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError, TimeoutError

from kinerja_desktop.i18n import _


class ApiError(Exception):
    """An answer other than success: ``status``, a machine code and one Indonesian sentence."""

    def __init__(self, status: int, code: str, message: str, **extra) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra

    def body(self) -> dict:
        return {"error": self.code, "message": self.message, **self.extra}


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) or getattr(exc, "sqlstate", None)


#: serialization_failure, deadlock_detected, unique_violation (a concurrent insert of the same key).
RETRYABLE_SQLSTATES = {"40001", "40P01", "23505"}


def retryable(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) is a clash with a concurrent transaction worth retrying."""
    return any(_sqlstate(e) in RETRYABLE_SQLSTATES for e in _chain(exc))


def database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` comes from a database that cannot be reached (down, restarting, pool exhausted)."""
    for e in _chain(exc):
        if isinstance(e, (DisconnectionError, TimeoutError)):
            return True
        if isinstance(e, DBAPIError):
            if e.connection_invalidated or isinstance(e, InterfaceError):
                return True
            state = _sqlstate(e)
            if state in RETRYABLE_SQLSTATES:
                return False
            if isinstance(e, OperationalError) and (state is None or state[:2] in ("08", "57", "53")):
                return True
        # psycopg's own errors, when SQLAlchemy did not wrap them
        if isinstance(e, psycopg.OperationalError) and (_sqlstate(e) is None or _sqlstate(e)[:2] in ("08", "57", "53")):
            return True
    return False


def unavailable() -> ApiError:
    return ApiError(
        503,
        "database_unavailable",
        _("Basis data kantor pusat sedang tidak dapat dihubungi; coba lagi beberapa saat lagi."),
    )
