"""Incoming values checked with the rules the services use, before they touch the database.

Every text value must fit its column (``String(n)``) or, for unbounded text, ``MAX_TEXT``
characters; tables with domain rules (employees: NIP, name, gender, status, titles, the
rules of ``domain.employee_rules``) are checked by them. Types and dates are checked when
the row is decoded (``sync.tables``). A change that fails is not applied: it is kept as a
conflict with reason ``invalid`` and the sentence that says why; the rest of the bundle applies.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import String, Text

from kinerja_desktop.domain import employee_rules as er
from kinerja_desktop.i18n import _
from kinerja_desktop.sync.tables import TableInfo

#: Longest value of a text column without a declared length.
MAX_TEXT = 100_000


def _employee_problem(row: dict) -> str | None:
    nip = row.get("nip")
    if not isinstance(nip, str):
        return _("NIP pegawai tidak ada.")
    _nip, problem = er.check_nip(nip)
    if problem is None:
        _name, problem = er.check_name(row.get("name"))
    if problem is None and row.get("gender") not in er.GENDERS:
        return _("Jenis kelamin pegawai harus L atau P.")
    if problem is None and row.get("status") not in er.STATUSES:
        return _("Status pegawai harus PNS atau PPPK.")
    for field in ("front_title", "back_title"):
        if problem is None and isinstance(row.get(field), str):
            _title, problem = er.check_title(field, row[field])
    return problem.message if problem is not None else None


#: Table -> the domain check of one row image (a sentence, or ``None`` when it is fine).
DOMAIN_RULES: dict[str, Callable[[dict], str | None]] = {
    "employees": _employee_problem,
}


class RowChecks:
    """The checks of one table's row images."""

    def __init__(self, info: TableInfo) -> None:
        self.table = info.name
        self.limits: list[tuple[str, int]] = []
        for name in info.data_columns:
            t = info.table.c[name].type
            if isinstance(t, String):  # Text is a String without a length
                self.limits.append((name, t.length or MAX_TEXT if not isinstance(t, Text) else MAX_TEXT))
        self.domain = DOMAIN_RULES.get(info.name)
        self.info = info

    def decode(self, row: dict) -> tuple[dict | None, str | None]:
        """(the row's Python values, None) or (None, why it is refused)."""
        for name, limit in self.limits:
            value = row.get(name)
            if type(value) is str and len(value) > limit:
                return None, _(
                    "Nilai kolom {column} di tabel {table} terlalu panjang ({n} karakter, paling banyak {limit})."
                ).format(column=name, table=self.table, n=len(value), limit=limit)
        try:
            values = self.info.decode(row)
        except (ValueError, TypeError, ArithmeticError) as exc:
            return None, _("Nilai di tabel {table} tidak sah ({reason}).").format(
                table=self.table, reason=str(exc)[:80]
            )
        problem = self.domain(values) if self.domain is not None else None
        return (None, problem) if problem else (values, None)
