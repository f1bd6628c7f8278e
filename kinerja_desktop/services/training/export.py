"""Export the year's JP per employee to CSV or XLSX (``kinerja export training``).

One row per active employee that ``actor`` may see. XLSX (for people) has Indonesian
headers, widths and NIPs as text; CSV (for other programs) has fixed headers, in
this order: ``nip``, ``nama``, ``unit``, ``jp_total``,
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

from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.progress import Job, Progress
from kinerja_desktop.services.table_export import NIP, NUMBER, Column, check_target, write_table
from kinerja_desktop.services.training.jp_compliance import ComplianceRow, compliance_rows

TABLE_COLUMNS: tuple[Column, ...] = (
    Column(N_("NIP"), NIP, 21, "nip"),
    Column(N_("Nama"), width=32, csv_header="nama"),
    Column(N_("Unit Kerja"), width=32, csv_header="unit"),
    Column(N_("JP Total"), NUMBER, 10, "jp_total"),
    Column(N_("JP Klasikal"), NUMBER, 11, "jp_klasikal"),
    Column(N_("JP Nonklasikal"), NUMBER, 13, "jp_nonklasikal"),
    Column(N_("Memenuhi 20 JP"), width=14, csv_header="memenuhi_20jp"),
    # after the fixed ones:
    Column(N_("JP Pendidikan"), NUMBER, 13, "jp_pendidikan"),
    Column(N_("Kekurangan JP"), NUMBER, 13, "kekurangan_jp"),
    Column(N_("Status ASN"), width=10, csv_header="status_asn"),
    Column(N_("Wajib 20 JP"), width=11, csv_header="wajib_20jp"),
    Column(N_("Jabatan"), width=36, csv_header="jabatan"),
    Column(N_("Jumlah Kegiatan"), NUMBER, 15, "jumlah_kegiatan"),
)
#: The CSV headers (fixed: other programs read them).
COLUMNS = tuple(c.csv_header for c in TABLE_COLUMNS)


def _number(value: Decimal) -> int | float:
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def row_values(row: ComplianceRow) -> list:
    """The export row of one employee (COLUMNS order)."""
    return [
        row.nip,
        row.name,
        row.unit_name,
        _number(row.total),
        _number(row.klasikal),
        _number(row.nonklasikal),
        "ya" if row.meets else "tidak",
        _number(row.pendidikan),
        _number(row.shortfall),
        row.status,
        "ya" if row.applies else "tidak",
        row.position_name,
        row.activities,
    ]


def export_training(
    session: Session, actor: Principal, path: str | Path, year: int, *, unit_id: str | None = None, delimiter: str = ","
) -> Job[int]:
    """Write the file (a job: yields progress, returns the number of employees written)."""
    path = Path(path)
    check_target(path)
    yield Progress(0, None, _("Menghitung JP pegawai"))
    rows = compliance_rows(session, actor, year, unit_id=unit_id)
    total = len(rows)
    yield Progress(0, total, _("Mengekspor JP pegawai"))
    return (
        yield from write_table(
            path,
            TABLE_COLUMNS,
            (row_values(r) for r in rows),
            total=total,
            sheet_title=_("JP {year}").format(year=year),
            message=_("Mengekspor JP pegawai"),
            delimiter=delimiter,
        )
    )
