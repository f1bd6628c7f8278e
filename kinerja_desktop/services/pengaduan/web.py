"""What the public complaint page does with the database (no HTTP here; see
``sync.server.public``): list the services, take a complaint in, look a ticket up.

A web complaint is recorded at the central office (origin: the central site) in the unit
of the service chosen; the unit's office receives it at its next sync. The lookup answers
only when the ticket exists *and* the last four digits of the phone match, and gives the
same answer otherwise, so it tells nothing about tickets it does not show. Nothing the
page shows names a person: the state, the dates, the service and the unit.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain import pengaduan as rules
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import SYSTEM_ROLE, Principal
from kinerja_desktop.services.pengaduan.cases import ComplaintInput, ComplaintRefused, create_complaint
from kinerja_desktop.store.org import Unit
from kinerja_desktop.store.pengaduan import Complaint, ComplaintService, ComplaintStep

#: The public page acts as this principal (audited as "web-publik").
WEB = Principal("web-publik", SYSTEM_ROLE)
MIN_DESCRIPTION = 10
#: A hash no ticket has: compared when the ticket does not exist, so both paths do the same work.
_NO_KEY = "0" * 64


def public_services(session: Session) -> list[tuple[str, list[tuple[str, str]]]]:
    """(unit name, [(service id, service name)]) of every active service, by unit name."""
    rows = session.execute(
        select(Unit.name, ComplaintService.id, ComplaintService.name)
        .join(Unit, Unit.id == ComplaintService.unit_id)
        .where(ComplaintService.active.is_(True), ComplaintService.deleted.is_(False), Unit.deleted.is_(False))
        .order_by(Unit.name, ComplaintService.name)
    )
    out: list[tuple[str, list[tuple[str, str]]]] = []
    for unit, sid, name in rows:
        if not out or out[-1][0] != unit:
            out.append((unit, []))
        out[-1][1].append((sid, name))
    return out


@dataclass(frozen=True)
class Received:
    number: str
    unit: str
    service: str
    received_at: datetime
    verify_by: date
    respond_by: date
    close_by: date


def submit(
    session: Session, *, service_id: str, description: str, location: str, phone: str, now: datetime | None = None
) -> Received:
    """Record a complaint from the public page; :class:`ComplaintRefused` with a sentence otherwise."""
    service = session.get(ComplaintService, service_id) if service_id else None
    if service is None or service.deleted or not service.active:
        raise ComplaintRefused(_("Pilih layanan yang diadukan dari daftar."), "layanan")
    if len(" ".join(str(description or "").split())) < MIN_DESCRIPTION:
        raise ComplaintRefused(_("Uraian pengaduan terlalu singkat; ceritakan apa yang terjadi."), "uraian")
    if not rules.valid_phone(phone):
        raise ComplaintRefused(
            _("Nomor telepon tidak sah: tulis 8 sampai 15 angka, misalnya 0812 3456 7890."), "telepon"
        )
    row = create_complaint(
        session,
        WEB,
        ComplaintInput(
            channel="web",
            description=description,
            service_id=service.id,
            location=location,
            contact=rules.phone_digits(phone),
        ),
        now=now,
    )
    unit = session.get(Unit, row.unit_id)
    assert row.verify_by and row.respond_by and row.close_by  # create_complaint sets the due dates
    return Received(
        row.number,
        unit.name if unit else "",
        service.name,
        row.received_at,
        row.verify_by,
        row.respond_by,
        row.close_by,
    )


@dataclass(frozen=True)
class PublicStatus:
    number: str
    status: str
    service: str
    unit: str
    received_at: datetime
    close_by: date | None
    steps: list[tuple[datetime, str]]


def lookup(session: Session, ticket: str, suffix: str) -> PublicStatus | None:
    """The status of ``ticket`` when ``suffix`` is the last four digits of its phone; else ``None``."""
    number = rules.normalize_ticket(ticket)
    digits = "".join(ch for ch in str(suffix or "") if ch.isdigit())
    row = session.execute(
        select(
            Complaint.id,
            Complaint.lookup_key,
            Complaint.status,
            Complaint.received_at,
            Complaint.close_by,
            ComplaintService.name,
            Unit.name,
        )
        .outerjoin(ComplaintService, ComplaintService.id == Complaint.service_id)
        .outerjoin(Unit, Unit.id == Complaint.unit_id)
        .where(Complaint.number == number, Complaint.deleted.is_(False))
    ).first()
    stored = row.lookup_key if row is not None and row.lookup_key else _NO_KEY
    match = hmac.compare_digest(stored, rules.suffix_key(number, digits))
    if row is None or len(digits) != 4 or not match:
        return None
    steps = session.execute(
        select(ComplaintStep.at, ComplaintStep.from_state, ComplaintStep.to_state)
        .where(ComplaintStep.complaint_id == row.id, ComplaintStep.deleted.is_(False))
        .order_by(ComplaintStep.at, ComplaintStep.updated_hlc)
    ).all()
    shown = [(at, rules.state_label(to)) for at, frm, to in steps if to != frm]
    return PublicStatus(
        number, rules.state_label(row.status), row[5] or "", row[6] or "", row.received_at, row.close_by, shown
    )
