"""``kinerja pengaduan export FILE --year``: the register of a year as CSV or XLSX.

The citizen's contact and name are never exported (UU PDP: they serve only to reply).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from kinerja_desktop.domain import pengaduan as rules
from kinerja_desktop.i18n import _
from kinerja_desktop.services.pengaduan_access import complaint_scope
from kinerja_desktop.services.principal import Principal
from kinerja_desktop.services.progress import Job
from kinerja_desktop.services.table_export import write_table
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Unit
from kinerja_desktop.store.pengaduan import Complaint, ComplaintService


def columns() -> list[str]:
    return [_("Nomor tiket"), _("Saluran"), _("Nomor rujukan"), _("Tanggal diterima"), _("Layanan"), _("Unit kerja"),
            _("Uraian"), _("Lokasi"), _("Status"), _("Alasan"), _("Dialihkan ke"), _("NIP petugas"),
            _("Nama petugas"), _("Batas verifikasi"), _("Batas tanggapan"), _("Batas penyelesaian"),
            _("Diverifikasi"), _("Tanggapan pertama"), _("Selesai"), _("Tepat waktu")]


def _fmt(value) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value.isoformat()


def export_register(session: Session, actor: Principal, path: str | Path, year: int) -> Job[int]:
    emp = aliased(Employee)
    where = (Complaint.deleted.is_(False), complaint_scope(actor), Complaint.received_at >= datetime(year, 1, 1),
             Complaint.received_at < datetime(year + 1, 1, 1))
    total = session.scalar(select(func.count()).select_from(Complaint).where(*where))
    q = (select(Complaint, ComplaintService.name, Unit.name, emp.nip, emp.name)
         .outerjoin(ComplaintService, ComplaintService.id == Complaint.service_id)
         .outerjoin(Unit, Unit.id == Complaint.unit_id)
         .outerjoin(emp, emp.id == Complaint.assignee_id)
         .where(*where).order_by(Complaint.received_at, Complaint.number))

    def rows():
        for c, service, unit, nip, name in session.execute(q.execution_options(yield_per=2000)):
            on_time = "" if c.finished_at is None else (
                _("ya") if c.close_by is None or c.finished_at.date() <= c.close_by else _("tidak"))
            yield [c.number, rules.channel_label(c.channel), c.channel_ref or "", _fmt(c.received_at), service or "",
                   unit or "", c.description, c.location, rules.state_label(c.status), c.status_reason,
                   c.forwarded_to, nip or "", name or "", _fmt(c.verify_by), _fmt(c.respond_by), _fmt(c.close_by),
                   _fmt(c.verified_at), _fmt(c.first_response_at), _fmt(c.finished_at), on_time]

    return (yield from write_table(Path(path), columns(), rows(), total=total, sheet_title=_("Pengaduan"),
                                   message=_("Mengekspor pengaduan…")))
