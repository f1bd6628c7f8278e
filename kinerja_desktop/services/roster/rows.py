"""Checking the rows of a roster file one by one (the first half of an import).

:class:`RowChecker` reads each row against the header layout and what the database holds,
applies the employee rules (:mod:`kinerja_desktop.domain.employee_rules`, the same ones as
the form), finds the unit and position, and matches the row to an employee already in the
database (by SIASN's PNS ID first, then by NIP). A row that passes becomes a
:class:`Candidate`; every problem becomes a :class:`RowError` with the row number the
spreadsheet shows and the column's header. Lookups are cached per distinct value, so a
district's file costs a few hundred lookups, not one per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from kinerja_desktop.domain import employee_rules as rules
from kinerja_desktop.domain.nip import Nip
from kinerja_desktop.domain.positions import (
    guess_position_kind,
    is_sekda_title,
    is_structural_word,
    is_unit_head_title,
    parse_position_kind,
    structural_kind,
)
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.read_limits import LongCell
from kinerja_desktop.services.roster import columns as rc
from kinerja_desktop.services.roster.units import UnitProblem, UnitResolver
from kinerja_desktop.services.roster.write import COL, RosterState, casefold_key
from kinerja_desktop.services.table_export import restore
from kinerja_desktop.store.base import new_id

ABSENT = object()  # the file has no column (or an empty cell where that keeps the value)
MAX_SIASN_ID = 64
#: The rules' field names -> the file's field, for naming the column of a problem.
_RULE_FIELDS = {
    "name": rc.NAME,
    "front_title": rc.FRONT_TITLE,
    "back_title": rc.BACK_TITLE,
    "position_name": rc.POSITION,
}


@dataclass(frozen=True)
class RowError:
    """One rejected row's problem: row as the spreadsheet shows it (header = 1), column header."""

    row: int
    column: str
    value: str
    reason: str
    code: str = ""  # machine-readable kind of problem, e.g. "nip:tmt", "duplicate"


class Candidate:
    """A row that passed its own checks; may still fall on supervisor checks."""

    __slots__ = ("row", "nip", "existing", "values", "supervisor", "unit_id", "position_id", "derived")

    def __init__(self, row: int, nip: str, existing: str | None) -> None:
        self.row = row
        self.nip = nip  # as in the file
        self.existing = existing  # the NIP in the database of the employee this row updates
        self.values: dict[str, object] = {}
        self.supervisor: object = ABSENT  # ABSENT, None (empty cell) or a NIP
        self.unit_id: object = ABSENT
        self.position_id: object = ABSENT
        self.derived = False  # the supervisor comes from the derived chain, not the file


# --- cells -------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    if value.__class__ is str:
        return restore(" ".join(value.split()))
    if value is None:
        return ""
    if isinstance(value, str):
        return restore(" ".join(value.split()))
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def is_blank(cells: Sequence[object]) -> bool:
    """True for a row with nothing in it (spreadsheets keep such rows between blocks)."""
    return not any(c is not None and (c.__class__ is not str or c.strip()) for c in cells)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _excel_shown(value: int | float) -> str:
    """How Excel shows an 18-digit number it holds as a float: ``1.98609262015051E+17``."""
    return f"{float(value):.14E}"


def parse_nip_cell(value: object, today: date) -> tuple[Nip | None, str, rules.Problem | None]:
    """(nip, text as shown, problem). Numeric spreadsheet cells are always rejected.

    The problem is plain text (never the exception itself: kept for 10⁵ rows while the
    garbage collector is paused, exceptions and their tracebacks would pile up)."""
    if _is_number(value):
        shown = _excel_shown(value)  # type: ignore[arg-type]
        nip, problem = rules.check_nip(shown, today)
        if problem is None:  # pragma: no cover - parse_nip never accepts scientific notation
            raise AssertionError("parse_nip accepted a number in scientific notation")
        return None, shown, problem
    text = "" if value is None else str(value).strip()
    nip, problem = rules.check_nip(text, today)
    return nip, text, problem


def _date_spellings(d: date) -> tuple[str, str]:
    """The spellings of ``d`` accepted without parsing: ``26-09-1986`` and ``1986-09-26``."""
    iso = d.isoformat()
    return f"{iso[8:10]}-{iso[5:7]}-{iso[:4]}", iso


def _date_cell(value: object) -> date | str:
    """A date cell as a date; text as text (for the rules to read)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if _is_number(value) and 1 < value < 2958466:  # type: ignore[operator]
        return from_excel(value).date()
    return cell_text(value)


# --- the checker -------------------------------------------------------------------------


class RowChecker:
    """Checks rows one by one against the header layout and what the database holds."""

    def __init__(self, headers: list[str], state: RosterState, units: UnitResolver) -> None:
        self.state = state
        self.units = units
        self.fields = rc.map_headers(headers)
        self.siasn = rc.is_siasn(self.fields)
        nonempty = [i for i, h in enumerate(headers) if h]
        self.width = (nonempty[-1] + 1) if nonempty else 0
        self.labels = {f: headers[i] for f, i in self.fields.items()}
        f = self.fields
        self.explicit_titles = rc.FRONT_TITLE in f or rc.BACK_TITLE in f
        self.any_titles = self.explicit_titles or rc.TITLES in f
        self.status_letters = rc.STATUS in f and rc.normalize_header(headers[f[rc.STATUS]]) == "statuscpnspns"
        self.today = date.today()
        self._words: dict[tuple, tuple] = {}
        self._supervisor_nips: dict[str, tuple] = {}
        self._golongan: dict[tuple[str, str], tuple] = {}
        self._position_ids: dict[tuple[str, str, str], str | None] = {}
        self.errors: list[RowError] = []
        self.first_row_of: dict[str, int] = {}  # NIP -> first row
        self.first_row_of_siasn: dict[str, int] = {}
        self.claimed: dict[str, int] = {}  # database NIP -> the row that updates it
        self.seen_nips: set[str] = set()  # every NIP and PNS ID the file names (rejected rows too)
        self.seen_siasn: set[str] = set()
        self.new_positions: dict[str, dict] = {}  # id -> row
        self.new_position_by_name: dict[str, str] = {}

    def label(self, field_name: str) -> str:
        return self.labels.get(field_name) or _(rc.FIELD_LABELS[field_name])

    def reject(self, row: int, field_name: str, value: object, reason: str, code: str) -> None:
        self.errors.append(RowError(row, self.label(field_name), cell_text(value), reason, code))

    def cell(self, cells: Sequence[object], field_name: str) -> object:
        index = self.fields.get(field_name)
        return cells[index] if index is not None and index < len(cells) else None

    # -- one row ---------------------------------------------------------------------------
    def check(self, number: int, cells: Sequence[object]) -> Candidate | None:
        """The row as a candidate, or None when it is rejected (errors recorded) or empty."""
        if is_blank(cells):
            return None
        errors_before = len(self.errors)
        self._check_width(number, cells)
        self._check_long_cells(number, cells)
        nip = self._nip(number, cells)
        siasn_id = self._siasn_id(number, cells)
        existing = self._match(number, nip, siasn_id) if nip is not None else None
        candidate = Candidate(number, nip.raw if nip else "", existing)
        values = candidate.values
        if siasn_id:
            values["siasn_id"] = siasn_id
        if nip is not None and existing is not None and existing != nip.raw:
            values["nip"] = nip.raw  # SIASN's id matched a person whose NIP changed
        self._names(number, cells, values)
        status = self._status_gender_birth(number, cells, nip, values)
        self._golongan_value(number, cells, status, values)
        self._kedudukan(cells, values)
        if rc.POSITION in self.fields:
            candidate.position_id = self._position_of(number, cells)
        self._unit(number, cells, candidate)
        self._explicit_supervisor(number, cells, nip, candidate)
        if len(self.errors) > errors_before:
            return None
        return candidate

    def _check_width(self, number: int, cells: Sequence[object]) -> None:
        """Data beyond the last titled column: the row is shifted or the separator is wrong."""
        for i in range(self.width, len(cells)):
            value = cells[i]
            if value is not None and cell_text(value):
                letter = get_column_letter(i + 1)
                self.errors.append(
                    RowError(
                        number,
                        _("kolom {letter}").format(letter=letter),
                        cell_text(value),
                        _(
                            "Baris ini berisi data di kolom {letter}, di luar {count} kolom yang berjudul; "
                            "periksa pemisah kolom atau sel yang bergeser."
                        ).format(letter=letter, count=self.width),
                        "too_many_columns",
                    )
                )
                return

    def _check_long_cells(self, number: int, cells: Sequence[object]) -> None:
        for field_name, index in self.fields.items():
            value = cells[index] if index < len(cells) else None
            if isinstance(value, LongCell):
                self.errors.append(
                    RowError(
                        number,
                        self.label(field_name),
                        str(value),
                        _("Isi sel ini {n} karakter, lebih dari batas {limit} karakter per sel.").format(
                            n=value.length, limit=32_767
                        ),
                        "cell:too_long",
                    )
                )

    def _nip(self, number: int, cells: Sequence[object]) -> Nip | None:
        raw = self.cell(cells, rc.NIP)
        if isinstance(raw, LongCell):
            return None
        nip, text, error = parse_nip_cell(raw, self.today)
        if text.isdigit():
            self.seen_nips.add(text)
        if error is not None:
            self.reject(number, rc.NIP, text, error.message, error.code)
            return None
        assert nip is not None  # check_nip gives a NIP or a problem
        first = self.first_row_of.get(nip.raw)
        if first is not None:
            self.reject(
                number,
                rc.NIP,
                text,
                _("NIP {nip} sudah ada di baris {first}; setiap NIP hanya boleh muncul sekali.").format(
                    nip=nip.raw, first=first
                ),
                "duplicate",
            )
            return None
        self.first_row_of[nip.raw] = number
        return nip

    def _siasn_id(self, number: int, cells: Sequence[object]) -> str:
        if rc.SIASN_ID not in self.fields:
            return ""
        value = cell_text(self.cell(cells, rc.SIASN_ID))
        if not value:
            return ""
        self.seen_siasn.add(value)
        if len(value) > MAX_SIASN_ID:
            self.reject(
                number,
                rc.SIASN_ID,
                value,
                _("PNS ID terlalu panjang (paling banyak {n} karakter).").format(n=MAX_SIASN_ID),
                "siasn_id:too_long",
            )
            return ""
        first = self.first_row_of_siasn.get(value)
        if first is not None:
            self.reject(
                number,
                rc.SIASN_ID,
                value,
                _("PNS ID {id} sudah ada di baris {first}; setiap PNS ID hanya boleh muncul sekali.").format(
                    id=value, first=first
                ),
                "siasn_id:duplicate",
            )
            return ""
        self.first_row_of_siasn[value] = number
        return value

    def _match(self, number: int, nip: Nip, siasn_id: str) -> str | None:
        """The database NIP of the employee this row updates (None: a new employee)."""
        state = self.state
        by_id = state.nip_by_siasn.get(siasn_id) if siasn_id else None
        by_nip = nip.raw if nip.raw in state.employees else None
        if by_id and by_nip and by_id != by_nip:
            self.reject(
                number,
                rc.SIASN_ID,
                siasn_id,
                _(
                    "PNS ID {id} milik pegawai dengan NIP {other}, tetapi NIP {nip} milik pegawai lain di program ini; "
                    "periksa baris ini di SIASN."
                ).format(id=siasn_id, other=by_id, nip=nip.raw),
                "siasn_id:conflict",
            )
            return None
        existing = by_id or by_nip
        if existing is not None and siasn_id and not by_id:
            stored = state.employees[existing][COL["siasn_id"]]
            if stored and stored != siasn_id:
                self.reject(
                    number,
                    rc.SIASN_ID,
                    siasn_id,
                    _("NIP {nip} tersimpan dengan PNS ID {stored}, bukan {id}; periksa baris ini di SIASN.").format(
                        nip=nip.raw, stored=stored, id=siasn_id
                    ),
                    "siasn_id:conflict",
                )
                return None
        if existing is not None:
            first = self.claimed.get(existing)
            if first is not None:
                self.reject(
                    number,
                    rc.NIP,
                    nip.raw,
                    _("Baris ini dan baris {first} menunjuk pegawai yang sama (NIP {nip} di program ini).").format(
                        first=first, nip=existing
                    ),
                    "duplicate",
                )
                return None
            self.claimed[existing] = number
        return existing

    def _names(self, number: int, cells: Sequence[object], values: dict) -> None:
        f = self.fields
        name_text = cell_text(self.cell(cells, rc.NAME))
        if self.any_titles:
            name = name_text
            if self.explicit_titles:
                if rc.FRONT_TITLE in f:
                    values["front_title"] = cell_text(self.cell(cells, rc.FRONT_TITLE))
                if rc.BACK_TITLE in f:
                    values["back_title"] = cell_text(self.cell(cells, rc.BACK_TITLE))
            else:
                values["front_title"], values["back_title"] = rc.split_titles(cell_text(self.cell(cells, rc.TITLES)))
        else:
            front, name, back = rc.split_name(name_text)
            values["front_title"], values["back_title"] = front, back
        name, problem = rules.check_name(name)
        values["name"] = name
        problems = [problem] if problem else []
        for key in ("front_title", "back_title"):
            if key in values:
                values[key], found = rules.check_title(key, values[key])
                if found:
                    problems.append(found)
        for p in problems:
            column = _RULE_FIELDS[p.field]
            if column not in f and column != rc.NAME:
                column = rc.TITLES if rc.TITLES in f else rc.NAME
            shown = name_text if p.code == "name:empty" else values.get(p.field, "")
            self.reject(number, column, shown, p.message, p.code)

    def _word(self, kind: str, raw: str, nip: Nip | None, check) -> tuple:
        key = (kind, raw, nip.kind if nip else None, nip.gender if nip else None)
        found = self._words.get(key)
        if found is None:
            found = self._words[key] = check(raw, nip)
        return found

    def _status_gender_birth(self, number: int, cells: Sequence[object], nip: Nip | None, values: dict) -> str | None:
        """Status, gender and birth date: from the NIP unless given, and then they must agree."""
        f = self.fields
        status: str | None = nip.kind if nip else None
        if rc.STATUS in f:
            raw = cell_text(self.cell(cells, rc.STATUS))
            status, problem = self._word(
                "status", raw, nip, lambda r, n: rules.check_status(r, n, siasn_letters=self.status_letters)
            )
            if problem is not None:
                self.reject(number, rc.STATUS, raw, problem.message, problem.code)
        if status is not None:
            values["status"] = status
        if rc.GENDER in f:
            raw = cell_text(self.cell(cells, rc.GENDER))
            _gender, problem = self._word("gender", raw, nip, rules.check_gender)
            if problem is not None:
                self.reject(number, rc.GENDER, raw, problem.message, problem.code)
        if nip is not None:
            values["gender"] = nip.gender
        if rc.BIRTH_DATE in f:
            raw_value = self.cell(cells, rc.BIRTH_DATE)
            raw = cell_text(raw_value)
            if raw and not (nip is not None and raw in _date_spellings(nip.birth_date)):
                _birth, problem = rules.check_birth_date(_date_cell(raw_value), nip)
                if problem is not None:
                    self.reject(number, rc.BIRTH_DATE, raw, problem.message, problem.code)
        if nip is not None:
            values["birth_date"] = nip.birth_date
        return status

    def _golongan_value(self, number: int, cells: Sequence[object], status: str | None, values: dict) -> None:
        if rc.GOLONGAN not in self.fields:
            return
        raw = cell_text(self.cell(cells, rc.GOLONGAN))
        if not raw:
            values["golongan"] = ""
            return
        if status is None:
            return
        key = (raw, status)
        found = self._golongan.get(key)
        if found is None:
            found = self._golongan[key] = rules.check_golongan(raw, status)
        value, problem = found
        if problem is not None:
            self.reject(number, rc.GOLONGAN, raw, problem.message, problem.code)
        else:
            values["golongan"] = value

    def _kedudukan(self, cells: Sequence[object], values: dict) -> None:
        """SIASN's KEDUDUKAN HUKUM: Aktif (PNS or PPPK) keeps the employee active, anything else
        (Pensiun, Meninggal, Diberhentikan, CLTN, ...) makes them inactive. Empty: unchanged."""
        if rc.KEDUDUKAN not in self.fields:
            return
        raw = cell_text(self.cell(cells, rc.KEDUDUKAN))[:60]
        if raw:
            values["kedudukan_hukum"] = raw
            values["active"] = is_active_kedudukan(raw)

    def _position_of(self, number: int, cells: Sequence[object]) -> str | None:
        position, problem = rules.check_position_name(self.cell(cells, rc.POSITION))
        if problem is not None:
            self.reject(number, rc.POSITION, position, problem.message, problem.code)
            return None
        if not position:
            return None
        kind_text = cell_text(self.cell(cells, rc.POSITION_KIND))
        eselon = cell_text(self.cell(cells, rc.ESELON))
        key = (position, kind_text, eselon)
        if key in self._position_ids:
            return self._position_ids[key]
        found = self._find_position(number, position, kind_text, eselon)
        if found is not None:
            self._position_ids[key] = found
        return found

    def _find_position(self, row: int, name: str, kind_text: str, eselon: str) -> str | None:
        key = casefold_key(name)
        found = self.state.position_by_name.get(key) or self.new_position_by_name.get(key)
        if found is not None:
            return found
        if is_structural_word(kind_text) or (eselon and not kind_text):
            kind = structural_kind(name, eselon)
        elif kind_text:
            try:
                kind = parse_position_kind(kind_text)
            except ValueError as exc:
                self.reject(row, rc.POSITION_KIND, kind_text, str(exc), "position_kind:unknown")
                return None
        else:
            kind = guess_position_kind(name)
        found = new_id()
        self.new_positions[found] = {
            "id": found,
            "name": name,
            "kind": kind.value,
            "is_unit_head": is_unit_head_title(name),
        }
        self.new_position_by_name[key] = found
        return found

    def _unit(self, number: int, cells: Sequence[object], candidate: Candidate) -> None:
        f = self.fields
        if self.siasn:
            parts = [cell_text(self.cell(cells, name)) for name in rc.SIASN_UNIT_FIELDS]
            result = self.units.siasn(*parts)
            column = rc.UNOR if rc.UNOR in f else (rc.SATKER if rc.SATKER in f else rc.SATKER_ID)
        elif rc.UNIT in f or rc.UNIT_CODE in f:
            code, name = cell_text(self.cell(cells, rc.UNIT_CODE)), cell_text(self.cell(cells, rc.UNIT))
            for field_name, value, limit in ((rc.UNIT_CODE, code, "unit_code"), (rc.UNIT, name, "unit_name")):
                if len(value) > rules.MAX_LENGTH[limit]:
                    self.reject(number, field_name, value, rules.too_long(limit).message, "too_long")
                    return
            result = self.units.generic(code, name)
            column = rc.UNIT if rc.UNIT in f else rc.UNIT_CODE
        else:
            return
        if isinstance(result, UnitProblem):
            self.errors.append(RowError(number, self.label(column), result.value, result.reason, result.code))
        else:
            candidate.unit_id = result

    def _explicit_supervisor(self, number: int, cells: Sequence[object], nip: Nip | None, candidate: Candidate) -> None:
        if rc.SUPERVISOR_NIP not in self.fields:
            return
        raw = self.cell(cells, rc.SUPERVISOR_NIP)
        if cell_text(raw) == "":
            # In a SIASN download an empty cell leaves the link to the derived chain.
            candidate.supervisor = ABSENT if self.siasn else None
            return
        key = raw if isinstance(raw, str) else repr(raw)
        parsed = self._supervisor_nips.get(key)
        if parsed is None:
            parsed = self._supervisor_nips[key] = parse_nip_cell(raw, self.today)
        sup, sup_text, sup_error = parsed
        if sup_error is not None:
            self.reject(
                number,
                rc.SUPERVISOR_NIP,
                sup_text,
                _("NIP atasan tidak valid: {reason}").format(reason=sup_error.message),
                "supervisor_" + sup_error.code,
            )
        elif nip is not None and sup.raw == nip.raw:
            self.reject(
                number,
                rc.SUPERVISOR_NIP,
                sup_text,
                _("NIP atasan sama dengan NIP pegawai ini; seorang pegawai tidak dapat menjadi atasannya sendiri."),
                "supervisor:self",
            )
        else:
            candidate.supervisor = sup.raw

    # -- what the chain needs to know of a position ----------------------------------------
    def position_facts(self, position_id: str | None) -> tuple[str, bool, bool]:
        """(kind, titled as a unit's head, is the Sekda) of a position."""
        if not position_id:
            return "", False, False
        row = self.new_positions.get(position_id)
        if row is not None:
            name, kind = row["name"], row["kind"]
        else:
            name = self.state.position_name_by_id.get(position_id, "")
            kind = self.state.position_kind_by_id.get(position_id, "")
        return kind, is_unit_head_title(name), is_sekda_title(name)


def is_active_kedudukan(text: str) -> bool:
    """``"Aktif"``, ``"PPPK Aktif"`` -> True; ``"Pensiun"``, ``"Tidak Aktif"``, ``"CLTN"`` -> False."""
    words = rc.normalize_header(text)
    return words.endswith("aktif") and not words.endswith(("tidakaktif", "nonaktif"))
