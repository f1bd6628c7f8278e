"""Writing one table to CSV or XLSX, streamed and atomic: the shared core of the exports.

The file is written under a temporary name in the target folder and renamed when
complete, so a cancelled or failed export never leaves half a file. CSV is UTF-8 with a
BOM (Excel opens it correctly), and text that a spreadsheet would run as a formula gets a
leading apostrophe. XLSX uses openpyxl's write-only mode with the first column (the NIP)
formatted as text, so 18 digits stay 18 digits.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from kinerja_desktop import files
from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.i18n import _
from kinerja_desktop.services.progress import Job, Progress

SUFFIXES = (".csv", ".xlsx")
PROGRESS_EVERY = 10_000


def check_target(path: Path) -> str:
    """The file's suffix (``.csv``/``.xlsx``); refuse names and folders that cannot work."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnusableInput(_("Nama berkas ekspor harus berakhiran .csv atau .xlsx (bukan {name}).").format(
            name=path.name))
    if path.is_dir():
        raise UnusableInput(_("{path} adalah folder; beri nama berkas .csv atau .xlsx.").format(path=path))
    if not path.parent.exists():
        raise UnusableInput(_("Folder {folder} tidak ada.").format(folder=path.parent))
    return suffix


def csv_safe(value):
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def write_table(path: Path, columns: Sequence[str], rows: Iterable[Sequence], *, total: int | None,
                sheet_title: str, message: str) -> Job[int]:
    """Write ``columns`` then ``rows`` to ``path`` (a job: yields progress, returns the row count)."""
    suffix = check_target(path)
    done = 0
    with files.atomic_path(path, suffix=suffix) as tmp:
        if suffix == ".csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(columns)
                for row in rows:
                    writer.writerow([csv_safe(v) for v in row])
                    done += 1
                    if done % PROGRESS_EVERY == 0:
                        yield Progress(done, total, message)
        else:
            from openpyxl import Workbook
            from openpyxl.cell import WriteOnlyCell

            wb = Workbook(write_only=True)
            ws = wb.create_sheet(sheet_title)
            ws.append(list(columns))
            for row in rows:
                values = list(row)
                if values:
                    first = WriteOnlyCell(ws, value=values[0])
                    first.number_format = "@"  # the NIP: 18 digits stay text
                    values[0] = first
                ws.append(values)
                done += 1
                if done % PROGRESS_EVERY == 0:
                    yield Progress(done, total, message)
            wb.save(tmp)
    yield Progress(done, total, _("Selesai"))
    return done
