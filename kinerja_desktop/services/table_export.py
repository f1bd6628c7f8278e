"""The one writer of every table the program saves: exports (CSV and XLSX) and error files.

- **Safe cells** (OWASP "CSV injection"): text that starts with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return gets a leading apostrophe, in CSV and XLSX alike, so no
  spreadsheet runs it as a formula. XLSX cells are written as typed values (text, numbers,
  real dates), never as formulas: once neutralized no text starts with ``=``, which is the
  only way openpyxl writes a formula. :func:`restore` undoes the apostrophe when the
  program reads its own file back.
- **CSV is for machines**: UTF-8 with a BOM, ``,`` or ``;`` (Excel's separator where the
  decimal mark is a comma, as in Indonesia), headers as the column says.
- **XLSX is for people**: Indonesian headers in bold, the header row frozen, column widths,
  NIP as text (18 digits stay 18 digits), dates as real dates shown ``DD-MM-YYYY``.
- **Streamed and atomic**: rows go from the iterator to the file (openpyxl's write-only
  mode), under a temporary name in the target folder that is renamed when complete, so a
  cancelled or failed export never leaves half a file.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kinerja_desktop import files
from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.progress import Job, Progress

SUFFIXES = (".csv", ".xlsx")
DELIMITERS = (",", ";")
PROGRESS_EVERY = 10_000
#: Cell starts that a spreadsheet may run as a formula (OWASP), neutralized with an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_DATE_FORMAT = "DD-MM-YYYY"
XLSX_DATETIME_FORMAT = "DD-MM-YYYY HH:MM"

TEXT = "text"
NIP = "nip"  # text that looks like a number: never let a spreadsheet make it one
DATE = "date"
NUMBER = "number"


@dataclass(frozen=True)
class Column:
    """One column of a table. ``header`` is the Indonesian source text (translated when
    written); ``csv_header`` the fixed name other programs read in CSV (None: the header)."""

    header: str
    kind: str = TEXT
    width: float = 14
    csv_header: str | None = None
    csv_date_format: str = "%d-%m-%Y"


def neutralize(value: str) -> str:
    """``"=HYPERLINK(…)"`` -> ``"'=HYPERLINK(…)"``; other text unchanged."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


def restore(text: str) -> str:
    """The inverse of :func:`neutralize` for a cell read back: ``"'=1"`` -> ``"=1"``."""
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS else text


def check_target(path: Path) -> str:
    """The file's suffix (``.csv``/``.xlsx``); refuse names and folders that cannot work."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnusableInput(
            _("Nama berkas ekspor harus berakhiran .csv atau .xlsx (bukan {name}).").format(name=path.name)
        )
    if path.is_dir():
        raise UnusableInput(_("{path} adalah folder; beri nama berkas .csv atau .xlsx.").format(path=path))
    if not path.parent.is_dir():
        raise UnusableInput(_("Folder {folder} tidak ada.").format(folder=path.parent))
    return suffix


def _xlsx_format(kind: str, value) -> str:
    """A real date shows as dd-mm-yyyy (with the time for a moment); everything else is text."""
    if kind == DATE and isinstance(value, datetime):
        return XLSX_DATETIME_FORMAT
    if kind == DATE and isinstance(value, date):
        return XLSX_DATE_FORMAT
    return "@"


def _csv_value(value, column: Column):
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralize(value)
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, datetime):  # a moment: the date as the column writes it, and the time
        return value.strftime(column.csv_date_format + " %H:%M")
    if isinstance(value, date):
        return value.strftime(column.csv_date_format)
    return value


def _write_csv(
    tmp: str, columns: Sequence[Column], rows: Iterable[Sequence], delimiter: str, tick: Callable[[], Progress | None]
) -> Iterable[Progress]:
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow([neutralize(c.csv_header or _(c.header)) for c in columns])
        for row in rows:
            writer.writerow([_csv_value(v, c) for v, c in zip(row, columns, strict=False)])
            progress = tick()
            if progress is not None:
                yield progress


def _xlsx_cells(sheet, columns: Sequence[Column]) -> Callable[[Sequence], list]:
    """A function turning one row into the cells openpyxl appends (typed, never formulas)."""
    special = [(i, c.kind) for i, c in enumerate(columns) if c.kind in (NIP, DATE)]

    def cells(row: Sequence) -> list:
        values = [neutralize(v) if v.__class__ is str else v for v in row]
        for i, kind in special:
            value = values[i]
            if value is None or value == "":
                values[i] = None
                continue
            cell = WriteOnlyCell(sheet, value=value if kind == DATE else str(value))
            cell.number_format = _xlsx_format(kind, value)
            values[i] = cell
        return values

    return cells


def _write_xlsx(
    tmp: str, columns: Sequence[Column], rows: Iterable[Sequence], sheet_title: str, tick: Callable[[], Progress | None]
) -> Iterable[Progress]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31] or "Data")
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=neutralize(_(column.header)))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    cells = _xlsx_cells(sheet, columns)
    for row in rows:
        sheet.append(cells(row))
        progress = tick()
        if progress is not None:
            yield progress
    workbook.save(tmp)


def write_table(
    path: str | Path,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    *,
    total: int | None,
    sheet_title: str,
    message: str,
    delimiter: str = ",",
    max_rows: int | None = None,
    overflow_row: Callable[[int], Sequence] | None = None,
) -> Job[int]:
    """Write ``columns`` then ``rows`` to ``path`` (a job: yields progress, returns the rows written).

    The format follows the suffix (.csv or .xlsx). ``delimiter`` (CSV): ``","`` or ``";"``.
    ``max_rows``: write at most this many rows, then one ``overflow_row(rows left out)``.
    """
    path = Path(path)
    suffix = check_target(path)
    if delimiter not in DELIMITERS:
        raise UnusableInput(_("Pemisah kolom CSV harus koma (,) atau titik koma (;)."))
    done = 0

    def limited() -> Iterable[Sequence]:
        nonlocal done
        left_out = 0
        for row in rows:
            if max_rows is not None and done >= max_rows:
                left_out += 1
                continue
            done += 1
            yield row
        if left_out and overflow_row is not None:
            yield overflow_row(left_out)

    def tick() -> Progress | None:
        return Progress(done, total, message) if done % PROGRESS_EVERY == 0 else None

    try:
        with files.atomic_path(path, suffix=suffix) as tmp_path:  # the one file writer: fsync, rename
            tmp = str(tmp_path)
            if suffix == ".csv":
                yield from _write_csv(tmp, columns, limited(), delimiter, tick)
            else:
                yield from _write_xlsx(tmp, columns, limited(), sheet_title, tick)
    except PermissionError as exc:  # Windows: the old file is open in Excel; or a read-only folder
        raise UserError(
            _(
                "Berkas {path} tidak dapat ditulis: berkas itu sedang dibuka program lain (misalnya Excel) "
                "atau foldernya tidak boleh ditulisi. Tutup berkas itu atau pilih folder lain, lalu ulangi."
            ).format(path=path)
        ) from exc
    except OSError as exc:  # a full disk, a vanished network folder
        raise UserError(
            _("Berkas {path} tidak dapat ditulis: {error}").format(path=path, error=exc.strerror or exc)
        ) from exc
    yield Progress(done, total, _("Selesai"))
    return done
