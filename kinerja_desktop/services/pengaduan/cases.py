"""The complaint register: record a complaint, assign it, move it along its steps.

Every step is timed (``complaint_steps``), written to the audit trail and synced. The
citizen's contact never enters the audit images (only whether one was given). Times are
the district's wall clock (WIB, UTC+7, no daylight saving), because the deadlines are
counted in its working days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain import pengaduan as rules
from kinerja_desktop.errors import NotFound, PermissionDenied, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.audit.chain import record, snapshot
from kinerja_desktop.services.pengaduan.access import (
    check_assignee,
    check_unit_in_office,
    get_visible,
    manages_complaints,
)
from kinerja_desktop.services.pengaduan.clock import WIB, now_wib, today_wib  # noqa: F401 - re-exported
from kinerja_desktop.store.pengaduan import Complaint, ComplaintService, ComplaintStep, Holiday

#: A received time this far ahead of the clock is taken as a typing error.
CLOCK_SLACK = timedelta(minutes=10)
EARLIEST = datetime(2000, 1, 1)
#: Audited fields (never the contact itself).
AUDIT_FIELDS = (
    "number",
    "channel",
    "channel_ref",
    "service_id",
    "unit_id",
    "received_at",
    "status",
    "status_reason",
    "forwarded_to",
    "assignee_id",
    "verify_by",
    "respond_by",
    "close_by",
    "verified_at",
    "first_response_at",
    "finished_at",
)


class ComplaintRefused(UserError):
    """A complaint (or a step) that cannot be recorded; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass
class ComplaintInput:
    channel: str
    description: str
    unit_id: str | None = None
    service_id: str | None = None
    received_at: datetime | None = None
    location: str = ""
    contact_name: str = ""
    contact: str = ""
    channel_ref: str = ""
    assignee_id: str | None = None


def holidays_from(session: Session, start: date) -> frozenset[date]:
    """The district's holidays from ``start`` on (enough for any deadline)."""
    end = start + timedelta(days=200)
    return frozenset(
        session.scalars(select(Holiday.day).where(Holiday.day >= start, Holiday.day <= end, Holiday.deleted.is_(False)))
    )


def step_days(service: ComplaintService | None) -> rules.StepDays:
    if service is None:
        return rules.StepDays()
    return rules.StepDays(service.days_verify, service.days_respond, service.days_close)


def _audit_image(row: Complaint) -> dict:
    image = snapshot(row, AUDIT_FIELDS)
    image["contact_given"] = bool(row.contact)
    return image


def _clean(text: str | None, limit: int, label: str, field: str, *, required: bool = False) -> str:
    value = " ".join(str(text or "").split()) if field != "description" else str(text or "").strip()
    if required and not value:
        raise ComplaintRefused(_("{label} belum diisi.").format(label=label), field)
    if len(value) > limit:
        raise ComplaintRefused(
            _("{label} terlalu panjang ({n} karakter; paling banyak {limit}).").format(
                label=label, n=len(value), limit=limit
            ),
            field,
        )
    return value


def check_received(received: datetime, now: datetime) -> None:
    if received > now + CLOCK_SLACK:
        raise ComplaintRefused(
            _("Waktu diterima {at} ada di masa depan; periksa tanggal dan jam.").format(
                at=received.strftime("%d-%m-%Y %H:%M")
            ),
            "received_at",
        )
    if received < EARLIEST:
        raise ComplaintRefused(
            _("Waktu diterima {at} terlalu lama (sebelum tahun 2000).").format(at=received.strftime("%d-%m-%Y")),
            "received_at",
        )


def validated(session: Session, data: ComplaintInput, now: datetime) -> tuple[ComplaintInput, ComplaintService | None]:
    """``data`` cleaned and checked (:class:`ComplaintRefused` naming the field otherwise)."""
    if data.channel not in rules.CHANNELS:
        raise ComplaintRefused(
            _("Saluran pengaduan '{channel}' tidak dikenal.").format(channel=data.channel), "channel"
        )
    service = None
    if data.service_id:
        service = session.get(ComplaintService, data.service_id)
        if service is None or service.deleted:
            raise ComplaintRefused(_("Layanan yang dipilih tidak ada di katalog."), "service_id")
        if data.unit_id and data.unit_id != service.unit_id:
            raise ComplaintRefused(
                _("Layanan {service} bukan layanan unit yang dipilih.").format(service=service.name), "service_id"
            )
        data.unit_id = service.unit_id
    if not data.unit_id:
        raise ComplaintRefused(_("Pilih unit kerja atau layanan yang diadukan."), "unit_id")
    received = data.received_at or now
    check_received(received, now)
    contact = _clean(data.contact, rules.MAX_CONTACT, _("Kontak"), "contact")
    if contact and "@" not in contact and not rules.valid_phone(contact):
        raise ComplaintRefused(
            _("Nomor telepon '{value}' tidak sah: tulis 8 sampai 15 angka, misalnya 0812 3456 7890.").format(
                value=contact
            ),
            "contact",
        )
    out = ComplaintInput(
        channel=data.channel,
        unit_id=data.unit_id,
        service_id=data.service_id,
        received_at=received.replace(microsecond=0),
        description=_clean(
            data.description, rules.MAX_DESCRIPTION, _("Uraian pengaduan"), "description", required=True
        ),
        location=_clean(data.location, rules.MAX_LOCATION, _("Lokasi"), "location"),
        contact_name=_clean(data.contact_name, rules.MAX_NAME, _("Nama pelapor"), "contact_name"),
        contact=contact,
        channel_ref=_clean(data.channel_ref, rules.MAX_REF, _("Nomor rujukan saluran"), "channel_ref"),
        assignee_id=data.assignee_id or None,
    )
    return out, service


def unique_ticket(session: Session, year: int) -> str:
    for _attempt in range(20):
        ticket = rules.new_ticket(year)
        if session.scalar(select(Complaint.id).where(Complaint.number == ticket)) is None:
            return ticket
    raise UserError(_("Nomor tiket baru tidak dapat dibuat; coba lagi."))  # pragma: no cover - 2^40 numbers


def create_complaint(
    session: Session, actor: Principal, data: ComplaintInput, *, now: datetime | None = None, check_office: bool = True
) -> Complaint:
    """Record a complaint (state *diterima*) with its deadlines; assign it when an ASN is given."""
    if not manages_complaints(actor):
        raise PermissionDenied(_("Hanya admin kepegawaian atau administrator yang mencatat pengaduan baru."))
    now = now or now_wib()
    data, service = validated(session, data, now)
    assert data.unit_id is not None and data.received_at is not None  # validated() sets both
    if check_office:
        check_unit_in_office(session, data.unit_id)
    if data.assignee_id:
        check_assignee(session, actor, data.assignee_id)
    received = data.received_at
    verify_by, respond_by, close_by = rules.due_dates(
        received.date(), step_days(service), holidays_from(session, received.date())
    )
    number = unique_ticket(session, received.year)
    row = Complaint(
        number=number,
        channel=data.channel,
        channel_ref=data.channel_ref or None,
        service_id=data.service_id,
        unit_id=data.unit_id,
        received_at=received,
        description=data.description,
        location=data.location,
        contact_name=data.contact_name,
        contact=data.contact,
        lookup_key=rules.lookup_key(number, data.contact) if rules.valid_phone(data.contact) else "",
        assignee_id=data.assignee_id,
        status=rules.DITERIMA,
        verify_by=verify_by,
        respond_by=respond_by,
        close_by=close_by,
        created_by=actor.username,
        saved_at=now,
    )
    session.add(row)
    session.flush()
    session.add(
        ComplaintStep(
            complaint_id=row.id,
            at=received,
            from_state="",
            to_state=rules.DITERIMA,
            assignee_id=row.assignee_id,
            actor=actor.username,
        )
    )
    record(session, actor, "create", Complaint.__tablename__, row.id, None, _audit_image(row))
    return row


def assign(
    session: Session,
    actor: Principal,
    complaint_id: str,
    employee_id: str,
    *,
    note: str = "",
    now: datetime | None = None,
) -> Complaint:
    """Give the complaint to an ASN of this office (within the actor's chain for a pejabat penilai)."""
    row = get_visible(session, actor, complaint_id)
    if row.status in rules.FINAL_STATES:
        raise ComplaintRefused(
            _("Pengaduan {number} sudah {state}; penugasannya tidak dapat diubah.").format(
                number=row.number, state=rules.state_label(row.status)
            )
        )
    check_assignee(session, actor, employee_id)
    if row.assignee_id == employee_id:
        return row
    before = _audit_image(row)
    row.assignee_id = employee_id
    row.saved_at = now or now_wib()
    session.add(
        ComplaintStep(
            complaint_id=row.id,
            at=row.saved_at,
            from_state=row.status,
            to_state=row.status,
            assignee_id=employee_id,
            note=_clean(note, rules.MAX_REASON, _("Catatan"), "note"),
            actor=actor.username,
        )
    )
    session.flush()
    record(session, actor, "assign", Complaint.__tablename__, row.id, before, _audit_image(row))
    return row


def advance(
    session: Session,
    actor: Principal,
    complaint_id: str,
    target: str,
    *,
    note: str = "",
    forwarded_to: str = "",
    resolution: str = "",
    at: datetime | None = None,
    expected_status: str | None = None,
) -> Complaint:
    """Move a complaint one step (diverifikasi, ditindaklanjuti, selesai, ditolak, dialihkan).

    ``note`` is the reason for ditolak/dialihkan and the answer for selesai. ``expected_status``:
    the state the person saw; a complaint moved meanwhile by someone else is refused, not
    moved twice.
    """
    row = get_visible(session, actor, complaint_id)
    if expected_status is not None and row.status != expected_status:
        raise ComplaintRefused(
            _(
                "Pengaduan {number} sudah diubah orang lain menjadi {state}; muat ulang daftar lalu periksa lagi."
            ).format(number=row.number, state=rules.state_label(row.status))
        )
    note = _clean(note, rules.MAX_REASON, _("Alasan atau catatan"), "note")
    try:
        rules.check_transition(row.status, target, note)
    except rules.TransitionRefused as exc:
        raise ComplaintRefused(f"{row.number}: {exc}") from None
    if target == rules.SELESAI and not (resolution or note).strip():
        raise ComplaintRefused(
            _("Tuliskan jawaban yang diberikan kepada pelapor sebelum menyelesaikan pengaduan."), "resolution"
        )
    now = now_wib()
    at = (at or now).replace(microsecond=0)
    check_received(at, now)
    if at < row.received_at:
        raise ComplaintRefused(
            _("Waktu langkah ini ({at}) lebih awal dari waktu pengaduan diterima.").format(
                at=at.strftime("%d-%m-%Y %H:%M")
            ),
            "at",
        )
    before = _audit_image(row)
    _apply_step(session, row, target, at, note, forwarded_to, resolution)
    row.saved_at = now
    session.add(
        ComplaintStep(
            complaint_id=row.id,
            at=at,
            from_state=before["status"],
            to_state=target,
            assignee_id=row.assignee_id,
            note=note,
            actor=actor.username,
        )
    )
    session.flush()
    record(session, actor, "status", Complaint.__tablename__, row.id, before, _audit_image(row))
    return row


def _apply_step(
    session: Session, row: Complaint, target: str, at: datetime, note: str, forwarded_to: str, resolution: str
) -> None:
    if target == rules.DIVERIFIKASI:
        row.verified_at = at
        service = session.get(ComplaintService, row.service_id) if row.service_id else None
        row.respond_by = rules.add_working_days(
            at.date(), step_days(service).respond, holidays_from(session, at.date())
        )
    if target in rules.RESPONSE_STATES and row.first_response_at is None:
        row.first_response_at = at
    if target in rules.NEEDS_REASON:
        row.status_reason = note
    if target == rules.DIALIHKAN:
        row.forwarded_to = _clean(forwarded_to, 200, _("Dialihkan ke"), "forwarded_to", required=True)
    if target == rules.SELESAI:
        row.resolution = _clean(resolution or note, rules.MAX_DESCRIPTION, _("Jawaban"), "resolution")
    if target in rules.FINAL_STATES:
        row.finished_at = at
    row.status = target


def steps(session: Session, actor: Principal, complaint_id: str) -> list[ComplaintStep]:
    get_visible(session, actor, complaint_id)
    return list(
        session.scalars(
            select(ComplaintStep)
            .where(ComplaintStep.complaint_id == complaint_id, ComplaintStep.deleted.is_(False))
            .order_by(ComplaintStep.at, ComplaintStep.updated_hlc)
        )
    )


def by_number(session: Session, actor: Principal, number: str) -> Complaint:
    cid = session.scalar(
        select(Complaint.id).where(Complaint.number == rules.normalize_ticket(number), Complaint.deleted.is_(False))
    )
    if cid is None:
        raise NotFound(_("Pengaduan bernomor {number} tidak ada di register kantor ini.").format(number=number))
    return get_visible(session, actor, cid)


#: Days a settled complaint keeps the citizen's contact (time enough for a follow-up question).
KEEP_CONTACT_DAYS = 90


def erase_old_contacts(
    session: Session, actor: Principal, *, keep_days: int = KEEP_CONTACT_DAYS, now: datetime | None = None
) -> int:
    """Erase the contact and name of complaints finished more than ``keep_days`` ago (UU PDP: kept
    no longer than needed to reply). The status lookup still works (its key stays). Returns how
    many were erased; each is audited (without the contact)."""
    if not manages_complaints(actor):
        raise PermissionDenied(_("Hanya admin kepegawaian atau administrator yang menghapus kontak pelapor."))
    if not 0 <= keep_days <= 3650:
        raise UserError(_("Lama penyimpanan kontak harus 0 sampai 3650 hari."))
    limit = (now or now_wib()) - timedelta(days=keep_days)
    rows = list(
        session.scalars(
            select(Complaint).where(
                Complaint.deleted.is_(False),
                Complaint.finished_at.is_not(None),
                Complaint.finished_at < limit,
                (Complaint.contact != "") | (Complaint.contact_name != ""),
            )
        )
    )
    for row in rows:
        row.contact, row.contact_name = "", ""
        record(
            session,
            actor,
            "erase_contact",
            Complaint.__tablename__,
            row.id,
            {"contact_given": True},
            {"contact_given": False},
        )
    session.flush()
    return len(rows)
