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

from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from kinerja_desktop.i18n import _
from kinerja_desktop.services.jp_compliance import ComplianceRow, compliance_rows
from kinerja_desktop.services.principal import Principal
from kinerja_desktop.services.progress import Job, Progress
from kinerja_desktop.services.table_export import check_target, write_table

COLUMNS = (
    "nip", "nama", "unit", "jp_total", "jp_klasikal", "jp_nonklasikal", "memenuhi_20jp",
    # after the fixed ones:
    "jp_pendidikan", "kekurangan_jp", "status_asn", "wajib_20jp", "jabatan", "jumlah_kegiatan",
)


def _number(value: Decimal) -> int | float:
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def row_values(row: ComplianceRow) -> list:
    """The export row of one employee (COLUMNS order)."""
    return [row.nip, row.name, row.unit_name, _number(row.total), _number(row.klasikal), _number(row.nonklasikal),
            "ya" if row.meets else "tidak", _number(row.pendidikan), _number(row.shortfall), row.status,
            "ya" if row.applies else "tidak", row.position_name, row.activities]


def export_training(session: Session, actor: Principal, path: str | Path, year: int, *,
                    unit_id: str | None = None) -> Job[int]:
    """Write the file (a job: yields progress, returns the number of employees written)."""
    path = Path(path)
    check_target(path)
    yield Progress(0, None, _("Menghitung JP pegawai"))
    rows = compliance_rows(session, actor, year, unit_id=unit_id)
    total = len(rows)
    yield Progress(0, total, _("Mengekspor JP pegawai"))
    return (yield from write_table(path, COLUMNS, (row_values(r) for r in rows), total=total,
                                   sheet_title=_("JP {year}").format(year=year),
                                   message=_("Mengekspor JP pegawai")))
