"""Importing the roster (daftar pegawai) from a CSV or XLSX file.

``import_roster`` is a long job: a generator that yields :class:`Progress` and returns an
:class:`ImportReport`. Every row is checked first; valid rows are then written in one
transaction (all of them or none), invalid rows are not written and are listed, with the
row number the spreadsheet shows, the column and the reason, in ``<input>.galat.csv``
next to the input. A file that cannot be read at all raises :class:`UnusableInput` and
changes nothing.

Rules, in the words HR staff would use:

- NIP and Nama columns are required; the others are optional. A column that is missing
  leaves that value unchanged for employees already in the database; an empty cell in a
  column that is present empties the value. Status, Jenis Kelamin and Tanggal Lahir come
  from the NIP when empty; when given they must agree with it.
- A NIP that Excel turned into a number is rejected, never repaired.
- A NIP that appears more than once: every occurrence after the first is rejected.
- NIP Atasan must be an employee in the file or already in the database, and the
  supervisor chain may not loop.
- Unit Kerja (a name or a code) that does not exist yet is created as an OPD; a Jabatan
  that does not exist yet is created with the kind from Jenis Jabatan (or a guess).
- Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import gc
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from kinerja_desktop import paths
from kinerja_desktop.domain.dates import format_date_id, parse_date_flexible
from kinerja_desktop.domain.golongan import GolonganError, normalize_golongan
from kinerja_desktop.domain.nip import Nip, NipError, parse_nip
from kinerja_desktop.domain.positions import guess_position_kind, is_unit_head_title, parse_position_kind
from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services import roster_columns as rc
from kinerja_desktop.services.permissions import require_role
from kinerja_desktop.services.principal import ADMIN_KEPEGAWAIAN, SYSTEM, Principal
from kinerja_desktop.services.progress import Job, Progress
from kinerja_desktop.services.roster_write import (
    COL,
    EMPLOYEE_DATA,
    RosterState,
    RosterWrite,
    casefold_key,
    load_roster_state,
    write_roster,
)
from kinerja_desktop.services.tabular import open_table
from kinerja_desktop.store.base import new_id

PROGRESS_EVERY = 1000
ERROR_FILE_SUFFIX = ".galat.csv"
ERROR_FILE_HEADERS = ("baris", "kolom", "nilai", "alasan")
UNIT_KIND_FOR_NEW = "opd"
UNIT_CODE_LENGTH = 40
#: Longest text each column holds (the database columns' lengths).
MAX_LENGTH = {rc.NAME: 200, rc.FRONT_TITLE: 60, rc.BACK_TITLE: 80, rc.POSITION: 200, rc.UNIT: 200,
              rc.UNIT_CODE: UNIT_CODE_LENGTH}

_ABSENT = object()  # the file has no column for this value: keep what the database holds


@dataclass(frozen=True)
class RowError:
    """One rejected row's problem: row as the spreadsheet shows it (header = 1), column header."""

    row: int
    column: str
    value: str
    reason: str
    code: str = ""  # machine-readable kind of problem, e.g. "nip:tmt", "duplicate"


@dataclass
class ImportReport:
    path: Path
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowError] = field(default_factory=list)
    units_created: int = 0
    positions_created: int = 0
    error_file: Path | None = None
    dry_run: bool = False
    rows_read: int = 0

    @property
    def rejected_rows(self) -> int:
        """How many rows were rejected (a row may have several problems)."""
        return len({e.row for e in self.rejected})

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged


def error_file_for(path: str | Path) -> Path:
    """Where the rejected rows of ``path`` are listed: ``<stem>.galat.csv`` next to it."""
    path = Path(path)
    return path.with_name(path.stem + ERROR_FILE_SUFFIX)


# --- cells -------------------------------------------------------------------------------

def _text(value: object) -> str:
    if value.__class__ is str:
        return " ".join(value.split())  # type: ignore[union-attr]
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def _blank(cells: Sequence[object]) -> bool:
    """True for a row with nothing in it (spreadsheets keep such rows between blocks)."""
    return not any(c is not None and (c.__class__ is not str or c.strip()) for c in cells)  # type: ignore[union-attr]


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _excel_shown(value: int | float) -> str:
    """How Excel shows an 18-digit number it holds as a float: ``1.98609262015051E+17``."""
    return f"{float(value):.14E}"


def _parse_nip_cell(value: object, today: date) -> tuple[Nip | None, str, NipError | None]:
    """(nip, text as shown, error). Numeric spreadsheet cells are always rejected."""
    if _is_number(value):
        shown = _excel_shown(value)  # type: ignore[arg-type]
        try:
            parse_nip(shown, today=today)
        except NipError as exc:
            return None, shown, exc
        raise AssertionError("parse_nip accepted a number in scientific notation")  # pragma: no cover
    text = "" if value is None else str(value).strip()
    try:
        return parse_nip(text, today=today), text, None
    except NipError as exc:
        return None, text, exc


def _date_spellings(d: date) -> tuple[str, str]:
    """The spellings of ``d`` accepted without parsing: ``26-09-1986`` and ``1986-09-26``."""
    iso = d.isoformat()
    return f"{iso[8:10]}-{iso[5:7]}-{iso[:4]}", iso


def _parse_date_cell(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if _is_number(value) and 1 < value < 2958466:  # type: ignore[operator]
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    return parse_date_flexible(_text(value))


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


_GENDER_WORDS = {"L": "laki-laki", "P": "perempuan"}


def _too_long(field_name: str) -> str:
    return _("Isi kolom {column} terlalu panjang (paling banyak {n} karakter).").format(
        column=_(rc.FIELD_LABELS[field_name]), n=MAX_LENGTH[field_name])


def _slug_code(name: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name.upper())
    return "-".join(words)[:UNIT_CODE_LENGTH].strip("-") or "UNIT"


# --- the plan built from the rows ---------------------------------------------------------

class _Candidate:
    """A row that passed its own checks; may still fall on supervisor checks."""

    __slots__ = ("row", "nip", "values", "supervisor", "unit_id", "position_id")

    def __init__(self, row: int, nip: str) -> None:
        self.row = row
        self.nip = nip
        self.values: dict[str, object] = {}
        self.supervisor: object = _ABSENT  # _ABSENT, None (empty cell) or a NIP
        self.unit_id: object = _ABSENT
        self.position_id: object = _ABSENT


class _RowChecker:
    """Checks rows one by one against the header layout and what the database holds."""

    def __init__(self, headers: list[str], state: RosterState) -> None:
        self.state = state
        self.fields = rc.map_headers(headers)
        nonempty = [i for i, h in enumerate(headers) if h]
        self.width = (nonempty[-1] + 1) if nonempty else 0
        self.labels = {f: headers[i] for f, i in self.fields.items()}
        f = self.fields
        self.explicit_titles = rc.FRONT_TITLE in f or rc.BACK_TITLE in f
        self.any_titles = self.explicit_titles or rc.TITLES in f
        # Each field's column; absent fields point at the empty cell added after the titled ones.
        self.slots = tuple(self.fields.get(name, self.width) for name in (
            rc.NIP, rc.NAME, rc.TITLES, rc.FRONT_TITLE, rc.BACK_TITLE, rc.STATUS, rc.GENDER, rc.BIRTH_DATE,
            rc.GOLONGAN, rc.POSITION, rc.POSITION_KIND, rc.UNIT_CODE, rc.UNIT, rc.SUPERVISOR_NIP))
        self.today = date.today()
        self._status_words: dict[str, object] = {}
        self._gender_words: dict[str, object] = {}
        self._supervisor_nips: dict[str, tuple] = {}
        self.errors: list[RowError] = []
        self.first_row_of: dict[str, int] = {}
        self._golongan: dict[tuple[str, str], str | GolonganError] = {}
        self._units: dict[tuple[str, str], str | RowError] = {}
        self._position_ids: dict[tuple[str, str], str] = {}
        self.new_units: dict[str, dict] = {}  # id -> row
        self.new_unit_by_code: dict[str, str] = {}  # casefold code -> id
        self.new_unit_by_name: dict[str, str] = {}  # casefold name -> id
        self.new_positions: dict[str, dict] = {}  # id -> row
        self.new_position_by_name: dict[str, str] = {}

    def label(self, field_name: str) -> str:
        return self.labels.get(field_name) or _(rc.FIELD_LABELS[field_name])

    def reject(self, row: int, field_name: str, value: object, reason: str, code: str) -> None:
        self.errors.append(RowError(row, self.label(field_name), _text(value), reason, code))

    # -- one row ---------------------------------------------------------------------------

    def check(self, number: int, cells: Sequence[object]) -> _Candidate | None:
        """The row as a candidate, or None when it is rejected (errors recorded) or empty."""
        original, n_cells, width = cells, len(cells), self.width
        # The titled cells plus one always-empty cell that absent fields point at.
        cells = [*cells[:width], *([None] * (width + 1 - min(n_cells, width)))]
        (i_nip, i_name, i_titles, i_front, i_back, i_status, i_gender, i_birth, i_golongan, i_position, i_kind,
         i_code, i_unit, i_sup) = self.slots
        raw_nip = cells[i_nip]
        if (raw_nip is None or (raw_nip.__class__ is str and not raw_nip.strip())) and _blank(original):
            return None
        errors_before = len(self.errors)
        f = self.fields

        # Data beyond the last titled column: the row is shifted or the separator is wrong.
        if n_cells > width:
            for i in range(width, n_cells):
                value = original[i]
                if value is not None and _text(value):
                    letter = _column_letter(i)
                    self.errors.append(RowError(
                        number, _("kolom {letter}").format(letter=letter), _text(value),
                        _("Baris ini berisi data di kolom {letter}, di luar {count} kolom yang berjudul; "
                          "periksa pemisah kolom atau sel yang bergeser.").format(letter=letter, count=self.width),
                        "too_many_columns",
                    ))
                    break

        nip, nip_text, nip_error = _parse_nip_cell(raw_nip, self.today)
        if nip_error is not None:
            self.reject(number, rc.NIP, nip_text, nip_error.message, f"nip:{nip_error.part}")
        else:
            first = self.first_row_of.get(nip.raw)  # type: ignore[union-attr]
            if first is not None:
                self.reject(number, rc.NIP, nip_text,
                            _("NIP {nip} sudah ada di baris {first}; setiap NIP hanya boleh muncul sekali.").format(
                                nip=nip.raw, first=first), "duplicate")  # type: ignore[union-attr]
            else:
                self.first_row_of[nip.raw] = number  # type: ignore[union-attr]

        values: dict[str, object] = {}
        # Name and titles.
        name_text = _text(cells[i_name])
        if self.any_titles:
            name = name_text
            if self.explicit_titles:
                if rc.FRONT_TITLE in f:
                    values["front_title"] = _text(cells[i_front])
                if rc.BACK_TITLE in f:
                    values["back_title"] = _text(cells[i_back])
            else:
                values["front_title"], values["back_title"] = rc.split_titles(_text(cells[i_titles]))
        else:
            front, name, back = rc.split_name(name_text)
            values["front_title"], values["back_title"] = front, back
        if not name:
            self.reject(number, rc.NAME, name_text, _("Nama belum diisi."), "name:empty")
        values["name"] = name
        if len(name) > 60 or len(values.get("front_title") or "") > 60 or len(values.get("back_title") or "") > 60:
            for key, field_name in (("name", rc.NAME), ("front_title", rc.FRONT_TITLE), ("back_title", rc.BACK_TITLE)):
                value = values.get(key)
                if value and len(value) > MAX_LENGTH[field_name]:  # type: ignore[arg-type]
                    column = field_name if field_name in f or field_name == rc.NAME else (
                        rc.TITLES if rc.TITLES in f else rc.NAME)
                    self.reject(number, column, value, _too_long(field_name), "too_long")

        # Status, gender and birth date: from the NIP unless given, and then they must agree.
        status: str | None = nip.kind if nip else None
        if rc.STATUS in f:
            raw = _text(cells[i_status])
            if raw:
                given = self._status_words.get(raw, _ABSENT)
                if given is _ABSENT:
                    given = self._status_words[raw] = rc.parse_status(raw)
                if given is None:
                    self.reject(number, rc.STATUS, raw,
                                _("Status '{value}' tidak dikenal; gunakan PNS atau PPPK.").format(value=raw),
                                "status:unknown")
                    status = None
                elif nip is not None and given != nip.kind:
                    self.reject(number, rc.STATUS, raw,
                                _("Status {value} tidak sesuai dengan nomor {nip}, yang berbentuk {kind}.").format(
                                    value=given, nip=nip.raw,
                                    kind=_("NI PPPK") if nip.kind == "PPPK" else _("NIP PNS")), "status:mismatch")
                    status = None
                else:
                    status = given
        if status is not None:
            values["status"] = status
        if rc.GENDER in f:
            raw = _text(cells[i_gender])
            if raw:
                given = self._gender_words.get(raw, _ABSENT)
                if given is _ABSENT:
                    given = self._gender_words[raw] = rc.parse_gender(raw)
                if given is None:
                    self.reject(number, rc.GENDER, raw,
                                _("Jenis kelamin '{value}' tidak dikenal; gunakan L (laki-laki) atau P (perempuan).").format(
                                    value=raw), "gender:unknown")
                elif nip is not None and given != nip.gender:
                    self.reject(number, rc.GENDER, raw,
                                _("Jenis kelamin {value} tidak sesuai dengan NIP {nip} (digit ke-15 menunjukkan {expected}).").format(
                                    value=raw, nip=nip.raw, expected=_(_GENDER_WORDS[nip.gender])), "gender:mismatch")
        if nip is not None:
            values["gender"] = nip.gender
        if rc.BIRTH_DATE in f:
            raw_value = cells[i_birth]
            raw = _text(raw_value)
            if raw and not (nip is not None and raw in _date_spellings(nip.birth_date)):
                try:
                    given_date = _parse_date_cell(raw_value)
                except ValueError as exc:
                    self.reject(number, rc.BIRTH_DATE, raw, str(exc), "birth_date:invalid")
                else:
                    if nip is not None and given_date != nip.birth_date:
                        self.reject(number, rc.BIRTH_DATE, raw,
                                    _("Tanggal lahir {value} tidak sesuai dengan NIP {nip} (delapan digit pertama menunjukkan {expected}).").format(
                                        value=format_date_id(given_date), nip=nip.raw,
                                        expected=format_date_id(nip.birth_date)), "birth_date:mismatch")
        if nip is not None:
            values["birth_date"] = nip.birth_date

        # Golongan, checked against the status.
        if rc.GOLONGAN in f:
            raw = _text(cells[i_golongan])
            if not raw:
                values["golongan"] = ""
            elif status is not None:
                key = (raw, status)
                result = self._golongan.get(key)
                if result is None:
                    try:
                        result = normalize_golongan(raw, status)
                    except GolonganError as exc:
                        result = exc
                    self._golongan[key] = result
                if isinstance(result, GolonganError):
                    self.reject(number, rc.GOLONGAN, raw, str(result), "golongan:invalid")
                else:
                    values["golongan"] = result

        candidate = _Candidate(number, nip.raw if nip else "")
        candidate.values = values

        if rc.POSITION in f:
            position = _text(cells[i_position])
            if len(position) > MAX_LENGTH[rc.POSITION]:
                self.reject(number, rc.POSITION, position, _too_long(rc.POSITION), "too_long")
            else:
                candidate.position_id = self._position(number, position, _text(cells[i_kind]))
        if rc.UNIT in f or rc.UNIT_CODE in f:
            code, unit = _text(cells[i_code]), _text(cells[i_unit])
            result: object = None
            if len(code) > UNIT_CODE_LENGTH or len(unit) > MAX_LENGTH[rc.UNIT]:
                for field_name, value in ((rc.UNIT_CODE, code), (rc.UNIT, unit)):
                    if len(value) > MAX_LENGTH[field_name]:
                        self.reject(number, field_name, value, _too_long(field_name), "too_long")
                        result = _ABSENT
            if result is None:
                result = self._unit(code, unit)
            if result is _ABSENT:
                pass
            elif isinstance(result, RowError):
                self.errors.append(RowError(number, self.label(rc.UNIT), result.value, result.reason, result.code))
            else:
                candidate.unit_id = result

        if rc.SUPERVISOR_NIP in f:
            raw_sup = cells[i_sup]
            if _text(raw_sup) == "":
                candidate.supervisor = None
            else:
                key = raw_sup if isinstance(raw_sup, str) else repr(raw_sup)
                parsed = self._supervisor_nips.get(key)
                if parsed is None:
                    parsed = self._supervisor_nips[key] = _parse_nip_cell(raw_sup, self.today)
                sup, sup_text, sup_error = parsed
                if sup_error is not None:
                    self.reject(number, rc.SUPERVISOR_NIP, sup_text,
                                _("NIP atasan tidak valid: {reason}").format(reason=sup_error.message),
                                f"supervisor_nip:{sup_error.part}")
                elif nip is not None and sup.raw == nip.raw:  # type: ignore[union-attr]
                    self.reject(number, rc.SUPERVISOR_NIP, sup_text,
                                _("NIP atasan sama dengan NIP pegawai ini; seorang pegawai tidak dapat "
                                  "menjadi atasannya sendiri."), "supervisor:self")
                else:
                    candidate.supervisor = sup.raw  # type: ignore[union-attr]

        if len(self.errors) > errors_before:
            return None
        return candidate

    # -- lookups, cached per distinct value -------------------------------------------------

    def _position(self, row: int, name: str, kind_text: str) -> str | None:
        if not name:
            return None
        cached = self._position_ids.get((name, kind_text))
        if cached is not None:
            return cached
        found = self._find_position(row, name, kind_text)
        if found is not None:
            self._position_ids[(name, kind_text)] = found
        return found

    def _find_position(self, row: int, name: str, kind_text: str) -> str | None:
        key = casefold_key(name)
        found = self.state.position_by_name.get(key) or self.new_position_by_name.get(key)
        if found is None:
            kind = None
            if kind_text:
                try:
                    kind = parse_position_kind(kind_text)
                except ValueError as exc:
                    self.reject(row, rc.POSITION_KIND, kind_text, str(exc), "position_kind:unknown")
                    return None
            kind = kind or guess_position_kind(name)
            found = new_id()
            self.new_positions[found] = {
                "id": found, "name": name, "kind": kind.value, "is_unit_head": is_unit_head_title(name),
            }
            self.new_position_by_name[key] = found
        return found

    def _unit(self, code: str, name: str) -> str | None | RowError:
        if not code and not name:
            return None
        cached = self._units.get((code, name))
        if cached is not None:
            return cached
        result = self._resolve_unit(code, name)
        self._units[(code, name)] = result
        return result

    def _resolve_unit(self, code: str, name: str) -> str | RowError:
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
                return RowError(0, "", name,
                                _("Unit kerja '{value}' cocok dengan {count} unit yang bernama sama; "
                                  "tulis kode unitnya di kolom Kode Unit Kerja.").format(value=name, count=len(ids)),
                                "unit:ambiguous")
        if code and code_key in self.new_unit_by_code:
            return self.new_unit_by_code[code_key]
        if name and name_key in self.new_unit_by_name:
            return self.new_unit_by_name[name_key]
        unit_id = new_id()
        self.new_units[unit_id] = {
            "id": unit_id, "code": code or None, "name": name or code, "kind": UNIT_KIND_FOR_NEW,
            "parent_id": None,
        }
        if code:
            self.new_unit_by_code[code_key] = unit_id
        self.new_unit_by_name[casefold_key(name or code)] = unit_id
        return unit_id

    def finish_new_units(self, used: set[str]) -> list[dict]:
        """The new units some accepted row uses, each with a code not in use (also by tombstones)."""
        rows = [row for uid, row in self.new_units.items() if uid in used]
        taken = set(self.state.unit_codes)
        for row in rows:  # codes given in the file first, so a generated one cannot take them
            if row["code"] and casefold_key(row["code"]) not in taken:
                taken.add(casefold_key(row["code"]))
                row["fixed"] = True
        for row in rows:
            if row.pop("fixed", False):
                continue
            base = (row["code"] or _slug_code(row["name"]))[:UNIT_CODE_LENGTH]
            code, n = base, 2
            while casefold_key(code) in taken:
                suffix = f"-{n}"
                code, n = base[:UNIT_CODE_LENGTH - len(suffix)] + suffix, n + 1
            taken.add(casefold_key(code))
            row["code"] = code
        return rows


# --- supervisors --------------------------------------------------------------------------

def _check_supervisors(checker: _RowChecker, valid: dict[str, _Candidate]) -> None:
    """Reject rows whose supervisor does not exist, was rejected, or closes a loop.

    Repeats until stable, because rejecting a supervisor's row rejects those under it.
    """
    state = checker.state
    existing = state.employees
    live = {nip for nip, row in existing.items() if not row[COL["deleted"]]}
    while True:
        rejected_now = False
        for nip in list(valid):
            cand = valid[nip]
            sup = cand.supervisor
            if sup is _ABSENT or sup is None or sup in valid or sup in live:
                continue
            first = checker.first_row_of.get(sup)  # type: ignore[arg-type]
            if first is not None:
                reason = _("Atasan dengan NIP {nip} ada di baris {row}, tetapi baris itu ditolak.").format(
                    nip=sup, row=first)
                code = "supervisor:rejected"
            else:
                reason = _("Atasan dengan NIP {nip} tidak ada di berkas ini maupun di basis data.").format(nip=sup)
                code = "supervisor:missing"
            checker.reject(cand.row, rc.SUPERVISOR_NIP, sup, reason, code)
            del valid[nip]
            rejected_now = True
        if rejected_now:
            continue
        cycles = _find_cycles(valid, state)
        if not cycles:
            return
        for cycle in cycles:
            shown = cycle + [cycle[0]]
            chain = " → ".join(shown if len(shown) <= 6 else shown[:5] + ["…", shown[-1]])
            for nip in cycle:
                cand = valid.pop(nip, None)
                if cand is not None:
                    checker.reject(cand.row, rc.SUPERVISOR_NIP, cand.supervisor,
                                   _("Rantai atasan membentuk lingkaran: {chain}.").format(chain=chain),
                                   "supervisor:cycle")


def _find_cycles(valid: dict[str, _Candidate], state: RosterState) -> list[list[str]]:
    """Supervisor loops that pass through a row of the file, after the import."""
    sup_col = COL["supervisor_id"]

    def supervisor_of(nip: str) -> str | None:
        cand = valid.get(nip)
        if cand is not None and cand.supervisor is not _ABSENT:
            return cand.supervisor  # type: ignore[return-value]
        row = state.employees.get(nip)
        if row is None or row[sup_col] is None:
            return None
        return state.nip_by_id.get(row[sup_col])

    done: set[str] = set()
    cycles: list[list[str]] = []
    for start in valid:
        if start in done:
            continue
        path: list[str] = []
        where: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in done and node not in where:
            where[node] = len(path)
            path.append(node)
            node = supervisor_of(node)
        if node is not None and node in where:
            cycle = path[where[node]:]
            if any(n in valid for n in cycle):
                cycles.append(cycle)
        done.update(path)
    return cycles


# --- the job ------------------------------------------------------------------------------

_NEW_EMPLOYEE_DEFAULTS = (
    ("front_title", ""), ("back_title", ""), ("golongan", ""), ("position_id", None), ("unit_id", None),
    ("supervisor_id", None), ("active", True), ("deleted", False),
)


def _plan(checker: _RowChecker, valid: dict[str, _Candidate], report: ImportReport) -> RosterWrite:
    state = checker.state
    existing = state.employees
    id_col, deleted_col = COL["id"], COL["deleted"]
    new_ids = {nip: new_id() for nip in valid if nip not in existing}

    def id_of(nip: str) -> str:
        return new_ids.get(nip) or existing[nip][id_col]

    plan = RosterWrite()
    used_units: set[str] = set()
    used_positions: set[str] = set()
    new_rows: dict[str, dict] = {}
    for nip, cand in valid.items():
        target = cand.values  # reused as the new row: the candidate is not needed afterwards
        if cand.unit_id is not _ABSENT:
            target["unit_id"] = cand.unit_id
        if cand.position_id is not _ABSENT:
            target["position_id"] = cand.position_id
        if cand.supervisor is not _ABSENT:
            target["supervisor_id"] = id_of(cand.supervisor) if cand.supervisor else None  # type: ignore[arg-type]
        old = existing.get(nip)
        if old is None:
            row = target
            for key, default in _NEW_EMPLOYEE_DEFAULTS:
                if key not in row:
                    row[key] = default
            row["id"], row["nip"] = new_ids[nip], nip
            new_rows[nip] = row
            report.created += 1
        else:
            before, after = {}, {}
            for key, value in target.items():
                current = old[COL[key]]
                if current != value:
                    before[key], after[key] = current, value
            if old[deleted_col]:
                before["deleted"], after["deleted"] = True, False
            if not after:
                report.unchanged += 1
                continue
            row = {key: old[COL[key]] for key in EMPLOYEE_DATA}
            row.update(target)
            row["id"] = old[id_col]
            row["deleted"] = False
            plan.changed_employees.append(row)
            plan.changed_images.append((before, after))
            report.updated += 1
        if target.get("unit_id"):
            used_units.add(target["unit_id"])  # type: ignore[arg-type]
        if target.get("position_id"):
            used_positions.add(target["position_id"])  # type: ignore[arg-type]

    plan.new_employees = _supervisors_first(new_rows, valid)
    plan.new_units = checker.finish_new_units(used_units)
    plan.new_positions = [row for pid, row in checker.new_positions.items() if pid in used_positions]
    plan.existing_employees = len(existing)
    plan.position_names = dict(state.position_name_by_id)
    plan.position_names.update((row["id"], row["name"]) for row in plan.new_positions)
    report.units_created = len(plan.new_units)
    report.positions_created = len(plan.new_positions)
    return plan


def _supervisors_first(new_rows: dict[str, dict], valid: dict[str, _Candidate]) -> list[dict]:
    """New employees ordered so each supervisor is inserted before those reporting to them."""
    depth: dict[str, int] = {}
    for start in new_rows:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in new_rows and node not in depth:
            chain.append(node)
            sup = valid[node].supervisor
            node = sup if isinstance(sup, str) else None
        base = depth.get(node, -1) if node is not None else -1
        for nip in reversed(chain):
            base += 1
            depth[nip] = base
    return sorted(new_rows.values(), key=lambda r: depth[r["nip"]])


def _write_error_file(path: Path, errors: list[RowError]) -> Path:
    target = error_file_for(path)
    rows = sorted(errors, key=lambda e: e.row)

    def write(to: Path) -> None:
        tmp = to.with_name(to.name + ".tmp")
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(ERROR_FILE_HEADERS)
            for e in rows:
                writer.writerow((e.row, e.column, e.value, e.reason))
        os.replace(tmp, to)

    try:
        write(target)
    except OSError:  # the input's folder is read-only (a CD, a shared folder): use exports
        folder = paths.locations().exports
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / target.name
        write(target)
    return target


def _is_header(headers: list[str]) -> bool:
    fields = rc.map_headers(headers)
    return all(f in fields for f in rc.REQUIRED)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection during a bulk import.

    Tens of thousands of long-lived row dicts make the collector rescan them again and
    again (about a tenth of the import's time); they hold no reference cycles and are
    freed by reference counting. The collector is switched back on afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_and_plan(state: RosterState, path: Path, report: ImportReport) -> Job[RosterWrite]:
    """Read and check every row of ``path``, then the supervisors; return what to write."""
    with open_table(path, _is_header) as table:
        if not table.header_found:
            found = ", ".join(h for h in table.headers if h) or _("(tidak ada)")
            missing = [_(rc.FIELD_LABELS[f]) for f in rc.REQUIRED
                       if f not in rc.map_headers(table.headers)]
            raise UnusableInput(
                _("Berkas {path} tidak memiliki kolom wajib {missing}. Judul kolom yang terbaca: {found}. "
                  "Tambahkan kolom tersebut pada baris judul; tidak ada data yang diubah.").format(
                    path=path, missing=_(" dan ").join(missing), found=found)
            )
        checker = _RowChecker(table.headers, state)
        total = table.estimated_rows
        valid: dict[str, _Candidate] = {}
        for number, cells in table.rows:
            candidate = checker.check(number, cells)
            if candidate is not None:
                valid[candidate.nip] = candidate
            report.rows_read = number - table.header_row
            if report.rows_read % PROGRESS_EVERY == 0:
                yield Progress(report.rows_read, max(total or 0, report.rows_read) or None,
                               _("Memeriksa baris {row}…").format(row=number))
    yield Progress(report.rows_read, report.rows_read, _("Memeriksa atasan…"))
    _check_supervisors(checker, valid)
    plan = _plan(checker, valid, report)
    report.rejected = sorted(checker.errors, key=lambda e: e.row)
    return plan


def import_roster(target, path: str | Path, *, dry_run: bool = False,
                  actor: Principal | None = SYSTEM) -> Job[ImportReport]:
    """Import the roster in ``path`` (CSV or XLSX) into ``target``.

    ``target`` is a :class:`~kinerja_desktop.store.database.Database` (the import commits
    its own transaction) or a :class:`Session` (the import writes in it and the caller
    commits; on failure the session is rolled back). With ``dry_run`` every check runs and
    the report says what would change, but the database is not written.
    Raises :class:`UnusableInput` when the file cannot be used at all.
    """
    path = Path(path)
    actor = actor or SYSTEM
    require_role(actor, ADMIN_KEPEGAWAIAN)
    report = ImportReport(path=path, dry_run=dry_run)
    yield Progress(0, None, _("Membuka {name}…").format(name=path.name))
    session_owned = not isinstance(target, Session)
    read_session = target.session() if session_owned else target
    try:
        state = load_roster_state(read_session)
    finally:
        if session_owned:
            read_session.close()

    with _gc_paused():
        plan = yield from _check_and_plan(state, path, report)
        del state
        if not dry_run and not plan.is_empty:
            to_write = plan.employee_count
            message = _("Menyimpan {count} pegawai…").format(count=number_text(to_write))
            yield Progress(0, to_write, message)
            if session_owned:
                with target.transaction() as session:
                    for written in write_roster(session, actor, plan):
                        yield Progress(written, to_write, message)
            else:
                try:
                    for written in write_roster(target, actor, plan):
                        yield Progress(written, to_write, message)
                    target.flush()
                except BaseException:
                    target.rollback()
                    raise
    if report.rejected:
        report.error_file = _write_error_file(path, report.rejected)
    else:
        stale = error_file_for(path)
        if stale.exists():  # from an earlier run of this file: it no longer applies
            stale.unlink()
    yield Progress(report.rows_read, report.rows_read, _("Selesai."))
    return report
