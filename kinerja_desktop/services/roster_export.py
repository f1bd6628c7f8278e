"""Exporting the roster to CSV or XLSX with the headers the import reads back.

``export_roster`` is a long job (a generator yielding :class:`Progress`, returning an
:class:`ExportReport`). Rows are streamed from the database to the file (openpyxl's
write-only workbook for XLSX), so 10⁵ employees fit in modest memory. NIPs are written
as text (XLSX: text cells formatted "@"), so Excel does not turn them into numbers.
The file is written under a temporary name and renamed at the end: an interrupted
export never leaves half a file under the requested name.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services import roster_columns as rc
from kinerja_desktop.services.permissions import ROSTER_WIDE_ROLES, require_role
from kinerja_desktop.services.principal import SYSTEM, Principal
from kinerja_desktop.services.progress import Job, Progress
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit

FORMATS = (".csv", ".xlsx")
BATCH = 2000
DATE_FORMAT_CSV = "%d-%m-%Y"
DATE_FORMAT_XLSX = "DD-MM-YYYY"
SHEET_TITLE = "Pegawai"
COLUMN_WIDTHS = (21, 12, 32, 16, 8, 14, 8, 10, 40, 16, 16, 36, 21)


@dataclass
class ExportReport:
    path: Path
    rows: int = 0


def _kind_label(kind: str | None) -> str:
    """What the Jenis Jabatan column shows: "JPT", "Administrator", ... (import reads it back)."""
    if not kind:
        return ""
    return "JPT" if kind == "jpt" else kind.capitalize()


def _query():
    supervisor = aliased(Employee)
    return (
        select(
            Employee.nip, Employee.front_title, Employee.name, Employee.back_title, Employee.gender,
            Employee.birth_date, Employee.status, Employee.golongan, Position.name, Position.kind,
            Unit.code, Unit.name, supervisor.nip,
        )
        .outerjoin(Position, Employee.position_id == Position.id)
        .outerjoin(Unit, Employee.unit_id == Unit.id)
        .outerjoin(supervisor, Employee.supervisor_id == supervisor.id)
        .where(Employee.deleted.is_(False))
        .order_by(Employee.nip)
    )


def _records(session: Session) -> Iterator[tuple]:
    result = session.execute(_query().execution_options(yield_per=BATCH))
    for row in result:
        (nip, front, name, back, gender, birth, status, golongan, position, kind, code, unit,
         sup_nip) = row
        yield (nip, front or "", name, back or "", gender or "", birth, status or "", golongan or "",
               position or "", _kind_label(kind), code or "", unit or "", sup_nip or "")


def _check_target(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UnusableInput(
            _("Tidak dapat mengekspor ke {path}: akhiri nama berkas dengan .csv atau .xlsx.").format(path=path)
        )
    if path.is_dir():
        raise UnusableInput(_("{path} adalah folder; berikan nama berkas .csv atau .xlsx.").format(path=path))
    if not path.parent.is_dir():
        raise UnusableInput(_("Folder {folder} tidak ada.").format(folder=path.parent))
    return suffix


def _write_csv(tmp: Path, records: Iterator[tuple], total: int) -> Iterator[Progress]:
    headers = [_(h) for h in rc.EXPORT_HEADERS]
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        for count, record in enumerate(records, start=1):
            birth = record[5]
            writer.writerow(record[:5] + (birth.strftime(DATE_FORMAT_CSV) if birth else "",) + record[6:])
            if count % BATCH == 0:
                yield Progress(count, total, _("Menulis baris {row}…").format(row=count))


def _write_xlsx(tmp: Path, records: Iterator[tuple], total: int) -> Iterator[Progress]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for header in rc.EXPORT_HEADERS:
        cell = WriteOnlyCell(sheet, value=_(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    def text_cell(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "@"
        return cell

    def date_cell(value: date | None):
        if value is None:
            return None
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT_XLSX
        return cell

    for count, r in enumerate(records, start=1):
        sheet.append([
            text_cell(r[0]), r[1] or None, r[2], r[3] or None, r[4], date_cell(r[5]), r[6],
            r[7] or None, r[8] or None, r[9] or None, text_cell(r[10]) if r[10] else None,
            r[11] or None, text_cell(r[12]) if r[12] else None,
        ])
        if count % BATCH == 0:
            yield Progress(count, total, _("Menulis baris {row}…").format(row=count))
    workbook.save(tmp)


def export_roster(target, path: str | Path, *, actor: Principal | None = SYSTEM) -> Job[ExportReport]:
    """Write every employee (not deleted) of ``target`` to ``path`` (.csv or .xlsx).

    ``target`` is a Database or a Session. Only roles that see the whole roster may
    export it. Raises :class:`UnusableInput` for another extension or a folder that does
    not exist.
    """
    require_role(actor or SYSTEM, *ROSTER_WIDE_ROLES)
    path = Path(path)
    suffix = _check_target(path)
    owned = not isinstance(target, Session)
    session: Session = target.session() if owned else target
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        total = session.scalar(select(func.count()).select_from(Employee).where(Employee.deleted.is_(False))) or 0
        yield Progress(0, total, _("Mengekspor {count} pegawai…").format(count=number_text(total)))
        report = ExportReport(path=path, rows=0)

        def counted() -> Iterator[tuple]:
            for record in _records(session):
                report.rows += 1
                yield record

        writer = _write_csv if suffix == ".csv" else _write_xlsx
        try:
            yield from writer(tmp, counted(), total)
            os.replace(tmp, path)
        except PermissionError as exc:  # Windows: the old file is open in Excel; or a read-only folder
            raise UserError(
                _("Berkas {path} tidak dapat ditulis: berkas itu sedang dibuka program lain (misalnya Excel) "
                  "atau foldernya tidak boleh ditulisi. Tutup berkas itu atau pilih folder lain, lalu ulangi.").format(
                    path=path)
            ) from exc
        except OSError as exc:
            raise UserError(
                _("Berkas {path} tidak dapat ditulis: {error}").format(path=path, error=exc.strerror or exc)
            ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        if owned:
            session.close()
    yield Progress(report.rows, report.rows, _("Selesai."))
    return report
