"""Reading the sheets of an XLSX file as a stream, within limits.

Why not openpyxl (which writes the program's XLSX files): its reader loads the whole
shared-string table, builds each cell's text whole, and in read-only mode fills every gap
between rows and columns with empty cells, so a 1 MB file that names cell XFD1048576
becomes billions of empty cells, and a zip bomb or one giant cell takes all the memory.
This reader parses the parts with expat (the standard library's XML parser, no DTDs or
entities allowed), holds only a chunk of XML and the current row, keeps shared strings in
one compact buffer, skips gaps, checks what the archive says each part unpacks to before
reading it (Python's zip reader stops at that size), and stops at every limit of
:class:`~kinerja_desktop.services.access.read_limits.ReadLimits`. Dates follow openpyxl's rules
(its date-format test and Excel's serial dates), so values are what openpyxl would give:
text, ``int``/``float``, ``bool``, ``datetime``.
"""

from __future__ import annotations

import posixpath
import zipfile
from array import array
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.read_limits import LIMITS, LongCell, ReadLimits, too_many_columns

CHUNK = 256 * 1024
_MIB = 1024 * 1024
_RATIO_FROM = _MIB  # parts smaller than this may compress as well as they like


class XlsxError(UnusableInput):
    """The file is not an XLSX this reader can use; the message says why."""


@dataclass
class Sheet:
    name: str
    part: str  # path inside the archive
    visible: bool = True


@dataclass
class _Styles:
    date_styles: frozenset[int] = frozenset()


@dataclass
class _Strings:
    """The shared-string table in one UTF-8 buffer with offsets (a few bytes per entry)."""

    data: bytearray = field(default_factory=bytearray)
    ends: array = field(default_factory=lambda: array("Q"))

    def __len__(self) -> int:
        return len(self.ends)

    def get(self, index: int) -> str:
        start = self.ends[index - 1] if index else 0
        return self.data[start : self.ends[index]].decode("utf-8")


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _attr(attrs: dict, local: str) -> str | None:
    for key, value in attrs.items():
        if _local(key) == local:
            return value
    return None


def _column_index(ref: str) -> int:
    """``"B7"`` -> 2 (1-based); 0 when the reference has no letters."""
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            n = n * 26 + ord(ch) - 96
        else:
            break
    return n


def _row_of(ref: str) -> int:
    digits = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    return int(digits) if digits.isdigit() else 0


def _refuse_dtd(*_args) -> None:
    raise XlsxError(_("berisi deklarasi DTD/entitas XML, yang tidak pernah ada di berkas Excel."))


def _parser(start: Callable, end: Callable | None, text: Callable | None):
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 64 * 1024
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    return parser


class XlsxReader:
    """An open XLSX file: its sheets and a streaming row reader. Use as a context manager."""

    def __init__(self, path: str | Path, limits: ReadLimits = LIMITS) -> None:
        self.path = Path(path)
        self.limits = limits
        try:
            self.zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise self._unreadable(
                _("bukan berkas Excel .xlsx yang sah ({error}).").format(error=type(exc).__name__)
            ) from exc
        try:
            self._names = {info.filename: info for info in self.zip.infolist()}
            self.epoch = CALENDAR_WINDOWS_1900
            self.sheets: list[Sheet] = []
            self.active = 0
            self._strings_part: str | None = None
            self._styles_part: str | None = None
            self._read_workbook()
            self._styles = self._read_styles()
            self._strings: _Strings | None = None
        except BaseException:
            self.zip.close()
            raise

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> XlsxReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- archive parts ---------------------------------------------------------------------
    def _unreadable(self, reason: str) -> XlsxError:
        return XlsxError(
            _("Berkas {path} tidak dapat dibaca: {reason} Tidak ada data yang diubah.").format(
                path=self.path, reason=reason
            )
        )

    def _open(self, part: str, limit: int):
        info = self._names.get(part)
        if info is None:
            raise self._unreadable(_("bagian {part} tidak ada di dalam berkas.").format(part=part))
        size, packed = info.file_size, max(1, info.compress_size)
        if size > limit:
            raise self._unreadable(
                _("bagian {part} terurai menjadi {size} MB, melebihi batas {limit} MB yang dibaca program ini.").format(
                    part=part, size=size // _MIB, limit=limit // _MIB
                )
            )
        if size > _RATIO_FROM and size > packed * self.limits.max_ratio:
            raise self._unreadable(
                _(
                    "bagian {part} terurai menjadi {size} MB dari {packed} KB, lebih dari {ratio} kali lipat; berkas "
                    "seperti itu rusak atau sengaja dibuat untuk menghabiskan memori."
                ).format(part=part, size=size // _MIB, packed=max(1, packed // 1024), ratio=self.limits.max_ratio)
            )
        return self.zip.open(info)

    def _parse_part(self, part: str, parser, limit: int) -> None:
        try:
            with self._open(part, limit) as fh:
                while chunk := fh.read(CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise self._unreadable(_("isi bagian {part} rusak ({error}).").format(part=part, error=exc)) from exc
        except (zipfile.BadZipFile, EOFError, OSError) as exc:  # a CRC error: the archive lied about a size
            raise self._unreadable(
                _("isi bagian {part} rusak ({error}).").format(part=part, error=type(exc).__name__)
            ) from exc

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Id -> (type suffix, target path) of the relationships of ``part``."""
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", name + ".rels")
        found: dict[str, tuple[str, str]] = {}
        if rels_part not in self._names:
            return found

        def start(tag, attrs):
            if _local(tag) == "Relationship":
                target = attrs.get("Target", "")
                path = (
                    target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
                )
                found[attrs.get("Id", "")] = (attrs.get("Type", "").rpartition("/")[2], path)

        self._parse_part(rels_part, _parser(start, None, None), self.limits.max_part_bytes)
        return found

    def _read_workbook(self) -> None:
        workbook_part = next(
            (p for kind, p in self._relationships("").values() if kind == "officeDocument"), "xl/workbook.xml"
        )
        rels = self._relationships(workbook_part)
        found: list[tuple[str, str | None, str]] = []

        def start(tag, attrs):
            local = _local(tag)
            if local == "sheet":
                found.append(
                    (
                        attrs.get("name", ""),
                        _attr({k: v for k, v in attrs.items() if ":" in k}, "id"),
                        attrs.get("state", "visible"),
                    )
                )
            elif local == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904
            elif local == "workbookView":
                self.active = int(attrs.get("activeTab", "0") or 0)

        self._parse_part(workbook_part, _parser(start, None, None), self.limits.max_part_bytes)
        for name, rel_id, state in found:
            kind, part = rels.get(rel_id or "", ("", ""))
            if kind == "worksheet" and part in self._names:
                self.sheets.append(Sheet(name, part, state == "visible"))
        for kind, part in rels.values():
            if kind == "sharedStrings":
                self._strings_part = part
            elif kind == "styles":
                self._styles_part = part
        if not self.sheets:
            raise self._unreadable(_("tidak ada lembar kerja di dalamnya."))

    def _read_styles(self) -> _Styles:
        if not self._styles_part or self._styles_part not in self._names:
            return _Styles()
        custom: dict[int, str] = {}
        xf_formats: list[int] = []
        depth = {"cellXfs": False}

        def start(tag, attrs):
            local = _local(tag)
            if local == "numFmt":
                custom[int(attrs.get("numFmtId", "0") or 0)] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                depth["cellXfs"] = True
            elif local == "xf" and depth["cellXfs"]:
                xf_formats.append(int(attrs.get("numFmtId", "0") or 0))

        def end(tag):
            if _local(tag) == "cellXfs":
                depth["cellXfs"] = False

        self._parse_part(self._styles_part, _parser(start, end, None), self.limits.max_part_bytes)
        dates = set()
        for index, fmt in enumerate(xf_formats):
            code = custom.get(fmt) or BUILTIN_FORMATS.get(fmt) or ""
            if code and is_date_format(code):
                dates.add(index)
        return _Styles(frozenset(dates))

    def _shared_strings(self) -> _Strings:  # noqa: C901 (long: a streaming XML parse: one branch per element kind)
        if self._strings is not None:
            return self._strings
        table = _Strings()
        self._strings = table
        if not self._strings_part or self._strings_part not in self._names:
            return table
        limits = self.limits
        state: dict[str, Any] = {"in_t": False, "phonetic": 0, "parts": [], "length": 0}
        data, ends = table.data, table.ends

        def start(tag, attrs):
            local = _local(tag)
            if local == "t" and not state["phonetic"]:
                state["in_t"] = True
            elif local == "rPh":
                state["phonetic"] += 1
            elif local == "si":
                state["parts"], state["length"] = [], 0

        def end(tag):
            local = _local(tag)
            if local == "t":
                state["in_t"] = False
            elif local == "rPh":
                state["phonetic"] -= 1
            elif local == "si":
                text = "".join(state["parts"])
                if state["length"] > limits.max_cell_chars:
                    text = "\x00" + str(state["length"])  # marks a cell over the limit (see _cell_value)
                data.extend(text.encode("utf-8"))
                ends.append(len(data))
                if len(ends) > limits.max_shared_strings or len(data) > limits.max_shared_chars:
                    raise self._unreadable(
                        _(
                            "tabel teks bersama (shared strings) di dalamnya melebihi batas {count} teks atau {size} MB."
                        ).format(count=limits.max_shared_strings, size=limits.max_shared_chars // _MIB)
                    )

        def text(chars):
            if state["in_t"]:
                state["length"] += len(chars)
                if state["length"] <= limits.max_cell_chars:
                    state["parts"].append(chars)

        self._parse_part(self._strings_part, _parser(start, end, text), self.limits.max_part_bytes)
        return table

    # -- rows ------------------------------------------------------------------------------
    def ordered_sheets(self) -> list[Sheet]:
        """The sheet Excel opens on first, then the others in order."""
        sheets = list(self.sheets)
        if 0 <= self.active < len(sheets):
            sheets.insert(0, sheets.pop(self.active))
        return sheets

    def rows(self, sheet: Sheet, on_dimension: Callable[[int], None] | None = None) -> Iterator[tuple[int, list]]:
        """(row number, values) of every row that has a value, in order; values are dense
        from column A to the row's last value (``None`` between)."""
        strings = self._shared_strings()
        handler = _SheetHandler(self, strings, on_dimension)
        parser = _parser(handler.start, handler.end, handler.text)
        try:
            with self._open(sheet.part, self.limits.max_sheet_bytes) as fh:
                while True:
                    chunk = fh.read(CHUNK)
                    parser.Parse(chunk, not chunk)
                    while handler.ready:
                        yield handler.ready.popleft()
                    if not chunk:
                        break
        except expat.ExpatError as exc:
            raise self._unreadable(
                _("isi lembar kerja {name} rusak ({error}).").format(name=sheet.name, error=exc)
            ) from exc
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise self._unreadable(
                _("isi lembar kerja {name} rusak ({error}).").format(name=sheet.name, error=type(exc).__name__)
            ) from exc


class _SheetHandler:
    """expat callbacks for one worksheet: collects the cells of the current row."""

    def __init__(self, reader: XlsxReader, strings: _Strings, on_dimension) -> None:
        self.reader = reader
        self.strings = strings
        self.limits = reader.limits
        self.date_styles = reader._styles.date_styles
        self.epoch = reader.epoch
        self.on_dimension = on_dimension
        self.ready: deque[tuple[int, list]] = deque()
        self.row_number = 0
        self.cells: dict[int, object] = {}
        self.column = 0
        self.type = ""
        self.style = 0
        self.parts: list[str] = []
        self.length = 0
        self.collect = False
        self.in_inline = False
        self.phonetic = 0

    def start(self, tag, attrs):
        local = tag.rpartition(":")[2]
        if local == "c":
            ref = attrs.get("r")
            self.column = _column_index(ref) if ref else self.column + 1
            self.type = attrs.get("t", "n")
            self.style = int(attrs.get("s", "0") or 0)
            self.parts, self.length = [], 0
        elif local == "v":
            self.collect = True
        elif local == "t":
            self.collect = self.in_inline and not self.phonetic
        elif local == "row":
            r = attrs.get("r")
            self.row_number = int(r) if r and r.isdigit() else self.row_number + 1
            self.cells = {}
            self.column = 0
        elif local == "is":
            self.in_inline = True
        elif local == "rPh":
            self.phonetic += 1
        elif local == "dimension" and self.on_dimension is not None:
            ref = attrs.get("ref", "")
            last = _row_of(ref.rpartition(":")[2]) if ref else 0
            if last:
                self.on_dimension(last)

    def text(self, chars):
        if self.collect:
            self.length += len(chars)
            if self.length <= self.limits.max_cell_chars:
                self.parts.append(chars)

    def end(self, tag):
        local = tag.rpartition(":")[2]
        if local in ("v", "t"):
            self.collect = False
        elif local == "c":
            value = self._cell_value()
            if value is not None and value != "":
                if self.column > self.limits.max_columns:
                    raise too_many_columns(self.reader.path, self.row_number, self.column, self.limits.max_columns)
                self.cells[self.column] = value
        elif local == "row":
            if self.cells:
                values: list = [None] * max(self.cells)
                for column, value in self.cells.items():
                    values[column - 1] = value
                self.ready.append((self.row_number, values))
        elif local == "is":
            self.in_inline = False
        elif local == "rPh":
            self.phonetic -= 1

    def _cell_value(self):
        if self.length > self.limits.max_cell_chars:
            return LongCell(self.length)
        text = "".join(self.parts)
        kind = self.type
        if kind == "s":
            try:
                value = self.strings.get(int(text))
            except (ValueError, IndexError):
                raise self.reader._unreadable(
                    _("sel {ref} merujuk teks bersama yang tidak ada.").format(ref=f"{self.row_number}:{self.column}")
                ) from None
            if value[:1] == "\x00":
                return LongCell(int(value[1:]))
            return value
        if kind in ("str", "inlineStr", "e"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if not text:
            return None
        if kind == "d":
            try:
                return datetime.fromisoformat(text)
            except ValueError:
                return text
        try:
            number = float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            return text
        if self.style in self.date_styles:
            try:
                return from_excel(number, self.epoch)
            except (ValueError, OverflowError):
                return number
        return number
