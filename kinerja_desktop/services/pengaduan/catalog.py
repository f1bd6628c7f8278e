"""The service catalogue per unit (what a complaint is about, and its deadlines) and the
district's holiday calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain import pengaduan as rules
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.permissions import require_role
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, ADMINISTRATOR, Principal
from kinerja_desktop.services.audit.chain import record, snapshot
from kinerja_desktop.services.pengaduan.access import check_unit_in_office, manages_complaints, office_unit_ids
from kinerja_desktop.store.org import Unit
from kinerja_desktop.store.pengaduan import ComplaintService, Holiday

_FIELDS = ("unit_id", "code", "name", "days_verify", "days_respond", "days_close", "active")

#: Services a new office starts with, by kind of unit (the office edits them).
STARTER_SERVICES: dict[str, tuple[tuple[str, str], ...]] = {
    "opd": (("UMUM", "Pelayanan umum"),),
    "kecamatan": (
        ("KTP-EL", "KTP-el"),
        ("KK", "Kartu Keluarga"),
        ("AKTA-LAHIR", "Akta kelahiran"),
        ("SURAT-PENGANTAR", "Surat keterangan dan pengantar"),
    ),
    "puskesmas": (
        ("RAWAT-JALAN", "Layanan rawat jalan Puskesmas"),
        ("KIA", "Kesehatan ibu dan anak"),
        ("OBAT", "Pelayanan obat"),
    ),
    "sekolah": (("PPDB", "Penerimaan peserta didik baru"), ("PEMBELAJARAN", "Kegiatan belajar mengajar")),
    "rsud": (("IGD", "Instalasi gawat darurat"), ("RAWAT-INAP", "Rawat inap")),
}


@dataclass(frozen=True)
class ServiceRow:
    id: str
    unit_id: str
    unit_name: str
    code: str
    name: str
    days: rules.StepDays
    active: bool


def list_services(
    session: Session, *, unit_id: str | None = None, active_only: bool = False, office_only: bool = True
) -> list[ServiceRow]:
    q = (
        select(ComplaintService, Unit.name)
        .join(Unit, Unit.id == ComplaintService.unit_id)
        .where(ComplaintService.deleted.is_(False))
    )
    if unit_id:
        q = q.where(ComplaintService.unit_id == unit_id)
    if active_only:
        q = q.where(ComplaintService.active.is_(True))
    scope = office_unit_ids(session) if office_only else None
    if scope is not None:
        q = q.where(ComplaintService.unit_id.in_(scope))
    out = []
    for svc, unit_name in session.execute(q.order_by(Unit.name, ComplaintService.name)):
        out.append(
            ServiceRow(
                svc.id,
                svc.unit_id,
                unit_name,
                svc.code,
                svc.name,
                rules.StepDays(svc.days_verify, svc.days_respond, svc.days_close),
                svc.active,
            )
        )
    return out


def save_service(
    session: Session,
    actor: Principal,
    *,
    unit_id: str,
    code: str,
    name: str,
    days: rules.StepDays = rules.StepDays(),
    active: bool = True,
    service_id: str | None = None,
) -> ComplaintService:
    """Add or change a service of a unit of this office."""
    if not manages_complaints(actor):
        require_role(actor, ADMINISTRATOR, ADMIN_KEPEGAWAIAN)
    check_unit_in_office(session, unit_id)
    code = "".join(str(code or "").split()).upper()[:40]
    name = " ".join(str(name or "").split())
    if not code or not name:
        raise UserError(_("Kode dan nama layanan harus diisi."))
    if len(name) > 200:
        raise UserError(_("Nama layanan terlalu panjang (paling banyak 200 karakter)."))
    try:
        days.check()
    except ValueError as exc:
        raise UserError(str(exc)) from None
    clash = session.scalar(
        select(ComplaintService.id).where(
            ComplaintService.unit_id == unit_id, ComplaintService.code == code, ComplaintService.deleted.is_(False)
        )
    )
    if clash and clash != service_id:
        raise UserError(_("Unit ini sudah punya layanan berkode {code}.").format(code=code))
    row = session.get(ComplaintService, service_id) if service_id else None
    before = snapshot(row, _FIELDS) if row is not None else None
    if row is None:
        row = ComplaintService(unit_id=unit_id)
        session.add(row)
    row.unit_id, row.code, row.name, row.active = unit_id, code, name, active
    row.days_verify, row.days_respond, row.days_close = days.verify, days.respond, days.close
    session.flush()
    record(
        session,
        actor,
        "update" if before else "create",
        ComplaintService.__tablename__,
        row.id,
        before,
        snapshot(row, _FIELDS),
    )
    return row


def seed_starter_services(session: Session, actor: Principal, unit_ids: list[str] | None = None) -> int:
    """Give every unit of the office (or ``unit_ids``) without services the starter list of its kind."""
    scope = office_unit_ids(session)
    q = select(Unit).where(Unit.deleted.is_(False))
    if unit_ids is not None:
        q = q.where(Unit.id.in_(unit_ids))
    have = set(session.scalars(select(ComplaintService.unit_id).where(ComplaintService.deleted.is_(False))))
    n = 0
    for unit in session.scalars(q):
        if unit.id in have or (scope is not None and unit.id not in scope):
            continue
        for code, name in STARTER_SERVICES.get(unit.kind, ()):
            save_service(session, actor, unit_id=unit.id, code=code, name=name)
            n += 1
    return n


# -- holidays --------------------------------------------------------------------------------------
def list_holidays(session: Session, year: int) -> list[Holiday]:
    return list(
        session.scalars(
            select(Holiday)
            .where(Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31), Holiday.deleted.is_(False))
            .order_by(Holiday.day)
        )
    )


def set_holiday(session: Session, actor: Principal, day: date, name: str) -> Holiday:
    """Add a day off (or rename it). The calendar is the district's: set at the central office."""
    require_role(actor, ADMINISTRATOR, ADMIN_KEPEGAWAIAN)
    name = " ".join(str(name or "").split())[:200]
    if not name:
        raise UserError(_("Tuliskan nama hari libur."))
    row = session.scalar(select(Holiday).where(Holiday.day == day))
    before = snapshot(row, ("day", "name", "deleted")) if row is not None else None
    if row is None:
        row = Holiday(day=day, name=name)
        session.add(row)
    row.name, row.deleted = name, False
    session.flush()
    record(
        session,
        actor,
        "update" if before else "create",
        Holiday.__tablename__,
        row.id,
        before,
        snapshot(row, ("day", "name", "deleted")),
    )
    return row


def remove_holiday(session: Session, actor: Principal, day: date) -> None:
    require_role(actor, ADMINISTRATOR, ADMIN_KEPEGAWAIAN)
    row = session.scalar(select(Holiday).where(Holiday.day == day, Holiday.deleted.is_(False)))
    if row is None:
        raise UserError(_("Tanggal {day} bukan hari libur di kalender.").format(day=day.isoformat()))
    row.deleted = True
    session.flush()
    record(session, actor, "delete", Holiday.__tablename__, row.id, {"day": day.isoformat(), "name": row.name}, None)
