"""Reading rows from a CSV or XLSX file the way a spreadsheet shows them.

:func:`open_table` refuses what cannot be read at all (empty, binary, not really an
XLSX, an old ``.xls``) with :class:`UnusableInput`, finds the header row (the first of
the top rows that ``is_header`` accepts) and streams the rows below it with the row
number a spreadsheet would show (the first row is 1). Text files may be UTF-8 (with or
without BOM) or Windows-1252, separated by ``,``, ``;``, tab or ``|`` (SIASN's download).
XLSX files are streamed by :mod:`~kinerja_desktop.services.xlsx_reader`.

Both are read within :class:`~kinerja_desktop.services.access.read_limits.ReadLimits`: more
data rows or columns than the limit, or a line that never ends, refuse the file with a
sentence; a cell longer than the limit arrives as a
:class:`~kinerja_desktop.services.access.read_limits.LongCell`, which the importer rejects with
its row. Memory stays that of one chunk and one row, whatever the file holds.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.read_limits import (
    LIMITS,
    LongCell,
    ReadLimits,
    line_too_long,
    too_many_columns,
    too_many_rows,
)
from kinerja_desktop.services.xlsx_reader import XlsxReader

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
DELIMITERS = (",", ";", "\t", "|")
HEADER_SEARCH_ROWS = 10
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Excel .xls (and .doc)
_CHUNK = 1 << 20
_SAMPLE = 64 * 1024

Row = Sequence[object]


@dataclass
class Table:
    """An open table: its header row and an iterator over the rows below it."""

    path: Path
    kind: str  # "csv" or "xlsx"
    header_row: int  # 1-based, as the spreadsheet shows it
    headers: list[str]
    estimated_rows: int | None  # data rows below the header, when known cheaply
    rows: Iterator[tuple[int, Row]]  # (row number, cells)
    encoding: str = ""
    delimiter: str = ""
    header_found: bool = True
    _closers: list[Callable[[], object]] = field(default_factory=list, repr=False)

    def close(self) -> None:
        for closer in self._closers:
            closer()
        self._closers.clear()


def header_text(value: object) -> str:
    if value is None or isinstance(value, LongCell):
        return ""
    return " ".join(str(value).split())


def _unreadable(path: Path, reason: str) -> UnusableInput:
    return UnusableInput(
        _("Berkas {path} tidak dapat dibaca: {reason} Tidak ada data yang diubah.").format(path=path, reason=reason)
    )


@contextmanager
def open_table(
    path: str | Path, is_header: Callable[[list[str]], bool], limits: ReadLimits = LIMITS
) -> Iterator[Table]:
    """Open ``path`` (by its extension) and find its header row; close it afterwards."""
    path = Path(path)
    if not path.is_file():
        raise UnusableInput(_("Berkas {path} tidak ditemukan.").format(path=path))
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        table = _open_csv(path, is_header, limits)
    elif suffix in XLSX_SUFFIXES:
        table = _open_xlsx(path, is_header, limits)
    elif suffix == ".xls":
        raise UnusableInput(
            _(
                "Berkas {path} berformat Excel lama (.xls). Buka di Excel lalu simpan sebagai .xlsx "
                "atau .csv. Tidak ada data yang diubah."
            ).format(path=path)
        )
    else:
        raise UnusableInput(
            _("Berkas {path} bukan CSV atau XLSX. Gunakan berkas .csv atau .xlsx. Tidak ada data yang diubah.").format(
                path=path
            )
        )
    table.rows = _counted(table.rows, path, table.header_row, limits.max_rows)
    try:
        yield table
    finally:
        table.close()


def _counted(rows: Iterator[tuple[int, Row]], path: Path, header_row: int, limit: int) -> Iterator[tuple[int, Row]]:
    """The rows, refusing the file once more than ``limit`` data rows were read."""
    count = 0
    for item in rows:
        if item[0] > header_row:
            count += 1
            if count > limit:
                raise too_many_rows(path, limit)
        yield item


# --- CSV ---------------------------------------------------------------------------------


def _check_head(path: Path, head: bytes) -> None:
    if not head.strip():
        raise _unreadable(path, _("berkas kosong."))
    if head.startswith(ZIP_MAGIC):
        raise _unreadable(
            path,
            _(
                "isinya berkas Excel (.xlsx) atau arsip ZIP, bukan teks CSV. "
                "Ganti ekstensinya menjadi .xlsx atau simpan ulang sebagai CSV."
            ),
        )
    if head.startswith(OLE2_MAGIC):
        raise _unreadable(
            path, _("isinya berkas Excel lama (.xls), bukan teks CSV. Simpan ulang dari Excel sebagai CSV atau .xlsx.")
        )
    if b"\x00" in head:
        raise _unreadable(path, _("isinya data biner, bukan teks CSV."))


def _detect_encoding(path: Path) -> tuple[str, int]:
    """The text encoding (UTF-8 with/without BOM, else Windows-1252) and the line count."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(_CHUNK):
                    decoder.decode(chunk)
                    lines += chunk.count(b"\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines
    raise _unreadable(path, _("isinya bukan teks (bukan UTF-8 maupun Windows-1252)."))


def _looks_binary(sample: str) -> bool:
    controls = sum(1 for c in sample if (c < " " and c not in "\t\r\n") or c == "\x7f")
    return controls > max(2, len(sample) // 100)


def _csv_records(text: str, delimiter: str, limit: int) -> list[list[str]]:
    out: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(text), delimiter=delimiter):
            out.append(record)
            if len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


def _lines(fh, path: Path, limit: int) -> Iterator[str]:
    """The physical lines of ``fh``, refusing one longer than ``limit`` characters."""
    number = 0
    while line := fh.readline(limit + 1):
        number += 1
        if len(line) > limit and not line.endswith(("\n", "\r")):
            raise line_too_long(path, number, limit)
        yield line


def _bounded(record: list[str], path: Path, number: int, limits: ReadLimits) -> list:
    """A record within the column limit; cells over the size limit become :class:`LongCell`."""
    if len(record) > limits.max_columns:
        last = max((i for i, v in enumerate(record) if v.strip()), default=-1)
        if last >= limits.max_columns:
            raise too_many_columns(path, number, last + 1, limits.max_columns)
        record = record[: limits.max_columns]
    cells: list = record
    for i, value in enumerate(record):
        if len(value) > limits.max_cell_chars:
            if cells is record:
                cells = list(record)
            cells[i] = LongCell(len(value))
    return cells


def _open_csv(path: Path, is_header: Callable[[list[str]], bool], limits: ReadLimits = LIMITS) -> Table:
    with path.open("rb") as fh:
        head = fh.read(_SAMPLE)
    _check_head(path, head)
    encoding, lines = _detect_encoding(path)
    with path.open("r", encoding=encoding, newline="") as text_fh:
        sample = text_fh.read(_SAMPLE)
    if _looks_binary(sample):
        raise _unreadable(path, _("isinya data biner, bukan teks CSV."))

    best: tuple[int, int, str, list[str], bool] | None = None  # (found, width, delim, headers, ...)
    header_row = 1
    for delimiter in DELIMITERS:
        records = _csv_records(sample, delimiter, HEADER_SEARCH_ROWS)
        for index, record in enumerate(records):
            headers = [header_text(v) for v in record]
            if is_header(headers):
                candidate = (1, len(record), delimiter, headers, True)
                if best is None or candidate[:2] > best[:2]:
                    best, header_row = candidate, index + 1
                break
        else:
            if records:
                headers = [header_text(v) for v in records[0]]
                candidate = (0, len(records[0]), delimiter, headers, False)
                if best is None or candidate[:2] > best[:2]:
                    best, header_row = candidate, 1
    if best is None:
        raise _unreadable(path, _("berkas kosong."))
    _found, _width, delimiter, headers, header_found = best

    text = path.open("r", encoding=encoding, newline="")

    def rows() -> Iterator[tuple[int, Row]]:
        reader = csv.reader(_lines(text, path, limits.max_line_chars), delimiter=delimiter)
        number = 0
        try:
            for number, record in enumerate(reader, start=1):
                if number > header_row:
                    yield number, _bounded(record, path, number, limits)
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _unreadable(
                    path,
                    _(
                        'baris {row} memuat sel yang sangat panjang; biasanya ada tanda kutip (") yang tidak ditutup.'
                    ).format(row=number + 1),
                ) from exc
            raise _unreadable(
                path, _("baris {row} bukan CSV yang sah ({error}).").format(row=number + 1, error=exc)
            ) from exc

    return Table(
        path=path,
        kind="csv",
        header_row=header_row,
        headers=headers,
        estimated_rows=max(0, lines - header_row + 1),
        rows=rows(),
        encoding=encoding,
        delimiter=delimiter,
        header_found=header_found,
        _closers=[text.close],
    )


# --- XLSX --------------------------------------------------------------------------------


def _find_header(reader: XlsxReader, sheet, is_header: Callable[[list[str]], bool], dimension: list[int]):
    """(row iterator, rows read so far, found?, header row, headers) of ``sheet``."""
    iterator = reader.rows(sheet, on_dimension=dimension.append)
    buffered: list[tuple[int, Row]] = []
    for number, values in iterator:
        buffered.append((number, values))
        texts = [header_text(v) for v in values]
        if is_header(texts):
            return iterator, buffered, True, number, texts
        if number >= HEADER_SEARCH_ROWS:
            break
    return iterator, buffered, False, 0, []


def _open_xlsx(path: Path, is_header: Callable[[list[str]], bool], limits: ReadLimits = LIMITS) -> Table:
    with path.open("rb") as fh:
        head = fh.read(len(OLE2_MAGIC))
    if not head:
        raise _unreadable(path, _("berkas kosong."))
    if head.startswith(OLE2_MAGIC):
        raise _unreadable(
            path, _("berformat Excel lama (.xls) walau bernama .xlsx. Simpan ulang dari Excel sebagai .xlsx.")
        )
    if not head.startswith(ZIP_MAGIC):
        raise _unreadable(path, _("bukan berkas Excel .xlsx yang sah (bukan arsip ZIP)."))

    reader = XlsxReader(path, limits)
    dimension: list[int] = []
    try:
        sheets = reader.ordered_sheets()
        for sheet in sheets:
            found = _find_header(reader, sheet, is_header, dimension)
            if found[2]:
                break
        else:
            dimension.clear()
            found = _find_header(reader, sheets[0], is_header, dimension)
    except BaseException:
        reader.close()
        raise
    iterator, buffered, header_found, header_row, headers = found
    if not header_found:
        first = next(((n, v) for n, v in buffered if any(x is not None for x in v)), None)
        header_row = first[0] if first else 1
        headers = [header_text(v) for v in first[1]] if first else []

    def rows() -> Iterator[tuple[int, Row]]:
        for number, values in buffered:
            if number > header_row:
                yield number, values
        yield from iterator

    declared = dimension[0] if dimension else 0
    estimated = max(0, declared - header_row) if declared > 1 else None
    return Table(
        path=path,
        kind="xlsx",
        header_row=header_row,
        headers=headers,
        estimated_rows=estimated,
        rows=rows(),
        header_found=header_found,
        _closers=[reader.close],
    )
