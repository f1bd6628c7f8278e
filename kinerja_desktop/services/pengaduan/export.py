"""``kinerja pengaduan export FILE --year``: the register of a year as CSV or XLSX.

The citizen's contact and name are never exported (UU PDP: they serve only to reply).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from kinerja_desktop.domain import pengaduan as rules
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.pengaduan.access import complaint_scope
from kinerja_desktop.services.progress import Job
from kinerja_desktop.services.table_export import DATE, NIP, Column, write_table
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Unit
from kinerja_desktop.store.pengaduan import Complaint, ComplaintService


def columns() -> list[Column]:
    """The register's columns (Indonesian headers; dates as real dates in XLSX)."""
    return [
        Column(N_("Nomor tiket"), width=16),
        Column(N_("Saluran"), width=14),
        Column(N_("Nomor rujukan"), width=16),
        Column(N_("Tanggal diterima"), DATE, width=16),
        Column(N_("Layanan"), width=24),
        Column(N_("Unit kerja"), width=28),
        Column(N_("Uraian"), width=48),
        Column(N_("Lokasi"), width=20),
        Column(N_("Status"), width=16),
        Column(N_("Alasan"), width=24),
        Column(N_("Dialihkan ke"), width=20),
        Column(N_("NIP petugas"), NIP, width=20),
        Column(N_("Nama petugas"), width=28),
        Column(N_("Batas verifikasi"), DATE),
        Column(N_("Batas tanggapan"), DATE),
        Column(N_("Batas penyelesaian"), DATE),
        Column(N_("Diverifikasi"), DATE),
        Column(N_("Tanggapan pertama"), DATE),
        Column(N_("Selesai"), DATE),
        Column(N_("Tepat waktu"), width=12),
    ]


def export_register(session: Session, actor: Principal, path: str | Path, year: int) -> Job[int]:
    emp = aliased(Employee)
    where = (
        Complaint.deleted.is_(False),
        complaint_scope(actor),
        Complaint.received_at >= datetime(year, 1, 1),
        Complaint.received_at < datetime(year + 1, 1, 1),
    )
    total = session.scalar(select(func.count()).select_from(Complaint).where(*where))
    q = (
        select(Complaint, ComplaintService.name, Unit.name, emp.nip, emp.name)
        .outerjoin(ComplaintService, ComplaintService.id == Complaint.service_id)
        .outerjoin(Unit, Unit.id == Complaint.unit_id)
        .outerjoin(emp, emp.id == Complaint.assignee_id)
        .where(*where)
        .order_by(Complaint.received_at, Complaint.number)
    )

    def rows():
        for c, service, unit, nip, name in session.execute(q.execution_options(yield_per=2000)):
            on_time = (
                ""
                if c.finished_at is None
                else (_("ya") if c.close_by is None or c.finished_at.date() <= c.close_by else _("tidak"))
            )
            yield [
                c.number,
                rules.channel_label(c.channel),
                c.channel_ref or "",
                c.received_at,
                service or "",
                unit or "",
                c.description,
                c.location,
                rules.state_label(c.status),
                c.status_reason,
                c.forwarded_to,
                nip or "",
                name or "",
                c.verify_by,
                c.respond_by,
                c.close_by,
                c.verified_at,
                c.first_response_at,
                c.finished_at,
                on_time,
            ]

    return (
        yield from write_table(
            Path(path), columns(), rows(), total=total, sheet_title=_("Pengaduan"), message=_("Mengekspor pengaduan…")
        )
    )
