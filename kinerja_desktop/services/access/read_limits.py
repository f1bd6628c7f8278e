"""How much of a table file the program reads: rows, columns, cell size and, for XLSX, the
size of what the zip archive unpacks to. Every limit ends the read with a sentence, never
with the memory of the PC.

A roster of a whole province is far below these limits; a file above them is either damaged,
the wrong file, or made to hurt the reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _


@dataclass(frozen=True)
class ReadLimits:
    #: Data rows read from one file (a district has about 7,000 ASN; a province some tens of thousands).
    max_rows: int = 100_000
    #: Columns with data (SIASN's download has about sixty).
    max_columns: int = 256
    #: Characters in one cell: Excel's own limit.
    max_cell_chars: int = 32_767
    #: Characters in one CSV line (quoted line breaks included).
    max_line_chars: int = 8 * 1024 * 1024
    #: XLSX: bytes a worksheet part may unpack to.
    max_sheet_bytes: int = 1024 * 1024 * 1024
    #: XLSX: bytes the other parts read (workbook, relationships, styles, shared strings) may unpack to.
    max_part_bytes: int = 256 * 1024 * 1024
    #: XLSX: how many times larger than its compressed size a part (over 1 MiB) may unpack to.
    max_ratio: int = 100
    #: XLSX: characters and entries of the shared-string table (held in memory while reading).
    max_shared_chars: int = 64 * 1024 * 1024
    max_shared_strings: int = 2_000_000


LIMITS = ReadLimits()


class LongCell:
    """A cell whose text is longer than the limit; only its length is kept."""

    __slots__ = ("length",)

    def __init__(self, length: int) -> None:
        self.length = length

    def __repr__(self) -> str:
        return f"LongCell({self.length})"

    def __str__(self) -> str:
        return _("(isi sel {n} karakter)").format(n=number_text(self.length))


def too_many_rows(path, limit: int) -> UnusableInput:
    return UnusableInput(
        _(
            "Berkas {path} memuat lebih dari {limit} baris data; program ini membaca paling banyak {limit} baris "
            "sekali impor. Bagi berkas itu menjadi beberapa berkas lalu impor satu per satu. "
            "Tidak ada data yang diubah."
        ).format(path=path, limit=number_text(limit))
    )


def too_many_columns(path, row: int, column: int, limit: int) -> UnusableInput:
    return UnusableInput(
        _(
            "Baris {row} berkas {path} berisi data di kolom ke-{column}, padahal paling banyak {limit} kolom yang "
            "dibaca. Hapus kolom yang tidak perlu (atau periksa pemisah kolom), lalu impor lagi. "
            "Tidak ada data yang diubah."
        ).format(path=path, row=number_text(row), column=number_text(column), limit=limit)
    )


def line_too_long(path, row: int, limit: int) -> UnusableInput:
    return UnusableInput(
        _(
            'Baris {row} berkas {path} lebih panjang dari {limit} karakter; biasanya ada tanda kutip (") yang '
            "tidak ditutup. Periksa baris itu lalu impor lagi. Tidak ada data yang diubah."
        ).format(path=path, row=number_text(row), limit=number_text(limit))
    )
