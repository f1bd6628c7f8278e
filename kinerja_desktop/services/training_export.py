"""Export the year's JP per employee to CSV or XLSX (``kinerja export training``).

One row per active employee that ``actor`` may see. The first columns are fixed, in
this order (other programs read them): ``nip``, ``nama``, ``unit``, ``jp_total``,
``jp_klasikal``, ``jp_nonklasikal``, ``memenuhi_20jp`` (``ya``/``tidak``: the total is at
least 20 JP). After them: ``jp_pendidikan``, ``kekurangan_jp``, ``status_asn``,
``wajib_20jp`` (``ya`` for PNS, whom the rule binds; ``tidak`` for PPPK), ``jabatan``,
``jumlah_kegiatan``. JP are numbers with a decimal point (``2.5``); the NIP is text.
The file is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import csv
import os
import tempfile
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.i18n import _
from kinerja_desktop.services.jp_compliance import ComplianceRow, compliance_rows
from kinerja_desktop.services.principal import Principal
from kinerja_desktop.services.progress import Job, Progress

COLUMNS = (
    "nip", "nama", "unit", "jp_total", "jp_klasikal", "jp_nonklasikal", "memenuhi_20jp",
    # after the fixed ones:
    "jp_pendidikan", "kekurangan_jp", "status_asn", "wajib_20jp", "jabatan", "jumlah_kegiatan",
)


def _number(value: Decimal) -> int | float:
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _csv_safe(text: str) -> str:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def row_values(row: ComplianceRow) -> list:
    """The export row of one employee (COLUMNS order)."""
    return [row.nip, row.name, row.unit_name, _number(row.total), _number(row.klasikal), _number(row.nonklasikal),
            "ya" if row.meets else "tidak", _number(row.pendidikan), _number(row.shortfall), row.status,
            "ya" if row.applies else "tidak", row.position_name, row.activities]


def check_target(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise UnusableInput(_("Nama berkas ekspor harus berakhiran .csv atau .xlsx (bukan {name}).").format(
            name=path.name))
    if path.is_dir():
        raise UnusableInput(_("{path} adalah folder; beri nama berkas .csv atau .xlsx.").format(path=path))
    if not path.parent.exists():
        raise UnusableInput(_("Folder {folder} tidak ada.").format(folder=path.parent))
    return suffix


def export_training(session: Session, actor: Principal, path: str | Path, year: int, *,
                    unit_id: str | None = None) -> Job[int]:
    """Write the file (a job: yields progress, returns the number of employees written)."""
    path = Path(path)
    suffix = check_target(path)
    yield Progress(0, None, _("Menghitung JP pegawai"))
    rows = compliance_rows(session, actor, year, unit_id=unit_id)
    total = len(rows)
    yield Progress(0, total, _("Mengekspor JP pegawai"))
    fd, tmp = tempfile.mkstemp(prefix=".ekspor-", suffix=suffix, dir=path.parent)
    os.close(fd)
    done = 0
    try:
        if suffix == ".csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(COLUMNS)
                for row in rows:
                    values = row_values(row)
                    writer.writerow([_csv_safe(v) if isinstance(v, str) else v for v in values])
                    done += 1
                    if done % 10_000 == 0:
                        yield Progress(done, total, _("Mengekspor JP pegawai"))
        else:
            from openpyxl import Workbook
            from openpyxl.cell import WriteOnlyCell

            wb = Workbook(write_only=True)
            ws = wb.create_sheet(_("JP {year}").format(year=year))
            ws.append(list(COLUMNS))
            for row in rows:
                values = row_values(row)
                nip = WriteOnlyCell(ws, value=values[0])
                nip.number_format = "@"  # 18 digits stay text
                ws.append([nip] + values[1:])
                done += 1
                if done % 10_000 == 0:
                    yield Progress(done, total, _("Mengekspor JP pegawai"))
            wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    yield Progress(done, total, _("Selesai"))
    return done
