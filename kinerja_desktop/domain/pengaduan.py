"""Public complaints (pengaduan masyarakat): channels, states, working-day deadlines, tickets.

Pure rules, no database. The deadlines default to the SP4N-LAPOR! rules (see
``docs/pengaduan.md``): a complaint is verified within 3 working days of receipt, the unit
answers (ditindaklanjuti, the first response) within 5 working days of the verification,
and a complaint that needs no inspection is settled within 14 working days of receipt
(a service may set up to 60, the limit for complaints that need an examination).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from kinerja_desktop.domain.dates import month_name_id
from kinerja_desktop.i18n import N_, _

# -- channels and states -----------------------------------------------------------------------
CHANNELS: dict[str, str] = {
    "lapor": N_("SP4N-LAPOR!"),
    "loket": N_("Loket/langsung"),
    "telepon": N_("Telepon"),
    "whatsapp": N_("WhatsApp"),
    "surat": N_("Surat"),
    "media_sosial": N_("Media sosial"),
    "web": N_("Web (halaman publik)"),
}

DITERIMA, DIVERIFIKASI, DITINDAKLANJUTI, SELESAI, DITOLAK, DIALIHKAN = (
    "diterima",
    "diverifikasi",
    "ditindaklanjuti",
    "selesai",
    "ditolak",
    "dialihkan",
)
STATES: dict[str, str] = {
    DITERIMA: N_("Diterima"),
    DIVERIFIKASI: N_("Diverifikasi"),
    DITINDAKLANJUTI: N_("Ditindaklanjuti"),
    SELESAI: N_("Selesai"),
    DITOLAK: N_("Ditolak"),
    DIALIHKAN: N_("Dialihkan"),
}
FINAL_STATES = frozenset({SELESAI, DITOLAK, DIALIHKAN})
#: Steps that need a reason in words.
NEEDS_REASON = frozenset({DITOLAK, DIALIHKAN})
#: Steps that are an answer to the citizen (the first of them is the "first response").
RESPONSE_STATES = frozenset({DITINDAKLANJUTI, SELESAI, DITOLAK, DIALIHKAN})
TRANSITIONS: dict[str, frozenset[str]] = {
    DITERIMA: frozenset({DIVERIFIKASI, DITOLAK, DIALIHKAN}),
    DIVERIFIKASI: frozenset({DITINDAKLANJUTI, DITOLAK, DIALIHKAN}),
    DITINDAKLANJUTI: frozenset({SELESAI, DIALIHKAN}),
    SELESAI: frozenset(),
    DITOLAK: frozenset(),
    DIALIHKAN: frozenset(),
}

#: Default working days per step (SP4N-LAPOR!; docs/pengaduan.md cites each).
DEFAULT_DAYS_VERIFY = 3
DEFAULT_DAYS_RESPOND = 5
DEFAULT_DAYS_CLOSE = 14
MAX_DAYS = 60

#: Sizes of what a person may type (the web form and the register alike).
MAX_DESCRIPTION = 4000
MAX_CONTACT = 120
MAX_NAME = 120
MAX_REASON = 1000
MAX_LOCATION = 200
MAX_REF = 80


class TransitionRefused(ValueError):
    """A step that the complaint's state does not allow (the message says why)."""


def state_label(state: str) -> str:
    return _(STATES[state]) if state in STATES else state


def channel_label(channel: str) -> str:
    return _(CHANNELS[channel]) if channel in CHANNELS else channel


def check_transition(current: str, target: str, reason: str = "") -> None:
    """Raise :class:`TransitionRefused` unless ``current`` -> ``target`` is a valid step."""
    if target not in STATES:
        raise TransitionRefused(_("Status '{state}' tidak dikenal.").format(state=target))
    if current in FINAL_STATES:
        raise TransitionRefused(
            _(
                "Pengaduan ini sudah {state}; statusnya tidak dapat diubah lagi. Jika warga "
                "mengadu lagi, catat sebagai pengaduan baru."
            ).format(state=state_label(current))
        )
    if target not in TRANSITIONS.get(current, frozenset()):
        allowed = ", ".join(state_label(s) for s in sorted(TRANSITIONS.get(current, ())))
        raise TransitionRefused(
            _(
                "Pengaduan berstatus {current} tidak dapat langsung menjadi {target}; langkah berikutnya: {allowed}."
            ).format(current=state_label(current), target=state_label(target), allowed=allowed)
        )
    if target in NEEDS_REASON and not reason.strip():
        raise TransitionRefused(
            _("Pengaduan yang {target} harus disertai alasannya.").format(target=state_label(target).lower())
        )


# -- working days --------------------------------------------------------------------------------
def is_working_day(day: date, holidays: frozenset[date] | set[date]) -> bool:
    """Monday to Friday and not a holiday (libur nasional / cuti bersama / libur daerah)."""
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: frozenset[date] | set[date]) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself is day 0).

    A complaint received on a Saturday with 3 working days is due on the Wednesday after.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def working_days_between(start: date, end: date, holidays: frozenset[date] | set[date]) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    n, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            n += 1
    return n


@dataclass(frozen=True)
class StepDays:
    verify: int = DEFAULT_DAYS_VERIFY
    respond: int = DEFAULT_DAYS_RESPOND
    close: int = DEFAULT_DAYS_CLOSE

    def check(self) -> None:
        for _name, value in (("verify", self.verify), ("respond", self.respond), ("close", self.close)):
            if not 1 <= value <= MAX_DAYS:
                raise ValueError(_("Batas waktu setiap langkah harus 1 sampai {max} hari kerja.").format(max=MAX_DAYS))
        if self.close < self.verify:
            raise ValueError(_("Batas penyelesaian tidak boleh lebih pendek dari batas verifikasi."))


def due_dates(received: date, days: StepDays, holidays, verified: date | None = None) -> tuple[date, date, date]:
    """(verify by, respond by, settle by): the respond deadline counts from the verification
    when it has happened, otherwise from the verify deadline."""
    verify_by = add_working_days(received, days.verify, holidays)
    respond_by = add_working_days(verified or verify_by, days.respond, holidays)
    close_by = add_working_days(received, days.close, holidays)
    return verify_by, respond_by, close_by


# -- tickets and the citizen's phone ---------------------------------------------------------------
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TICKET = re.compile(r"^P\d{2}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def new_ticket(year: int, rng=secrets) -> str:
    """``P26-7Q2K-M9XA``: the year and 40 random bits (offices number offline, so no sequence;
    a guessed number finds nothing without the phone's last four digits)."""
    chars = "".join(rng.choice(_CROCKFORD) for _i in range(8))
    return f"P{year % 100:02d}-{chars[:4]}-{chars[4:]}"


def normalize_ticket(text: str) -> str:
    """What a person typed (spaces, lower case, O for 0, I/L for 1) as a ticket number."""
    t = "".join(str(text or "").split()).upper()[:20]
    body = t[1:].translate(str.maketrans("OIL", "011")) if t.startswith("P") else t
    return ("P" + body) if t.startswith("P") else t


def phone_digits(text: str) -> str:
    """The digits of a phone number, ``+62``/``62`` turned into the local ``0``."""
    digits = re.sub(r"\D", "", str(text or ""))
    if digits.startswith("62") and len(digits) > 9:
        digits = "0" + digits[2:]
    return digits


def valid_phone(text: str) -> bool:
    d = phone_digits(text)
    return 8 <= len(d) <= 15


def lookup_key(ticket: str, phone: str) -> str:
    """What the public status page compares: a hash of the ticket and the phone's last 4 digits.

    Kept on the complaint so the status can still be looked up after the contact is erased.
    """
    suffix = phone_digits(phone)[-4:]
    return hashlib.sha256(f"{ticket}:{suffix}".encode()).hexdigest()


def suffix_key(ticket: str, suffix: str) -> str:
    """The same hash from what the citizen typed (the last four digits only)."""
    return hashlib.sha256(f"{ticket}:{re.sub(r'[^0-9]', '', suffix)[-4:]}".encode()).hexdigest()


def mask_contact(contact: str) -> str:
    """``0812****5678`` for a phone, ``s***@example.id`` for an e-mail (lists and receipts)."""
    contact = (contact or "").strip()
    if "@" in contact:
        user, _at, domain = contact.partition("@")
        return f"{user[:1]}***@{domain}"
    d = phone_digits(contact)
    if len(d) < 8:
        return "****"
    return f"{d[:4]}{'*' * (len(d) - 8)}{d[-4:]}"


# -- performance figures ---------------------------------------------------------------------------
#: Words that mark an IKI as measured by the complaint register.
COMPLAINT_WORDS = ("pengaduan", "aduan", "keluhan")


def is_complaint_iki(indicator: str) -> bool:
    """An IKI such as "persentase pengaduan ditindaklanjuti tepat waktu"."""
    low = (indicator or "").lower()
    return any(w in low for w in COMPLAINT_WORDS)


class Outcome(NamedTuple):
    """What the figures need of one complaint (a tuple: recaps build tens of thousands)."""

    received_at: datetime
    first_response_at: datetime | None
    finished_at: datetime | None
    close_by: date | None
    state: str


@dataclass(frozen=True)
class Figures:
    handled: int  # reached a final state in the span
    on_time: int  # ... by its settle-by date
    open_overdue: int  # still open, settle-by date passed (at the span's end or today)
    responded: int
    median_response_hours: float | None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.handled if self.handled else None

    def realisasi_text(self) -> str:
        """The realisasi sentence an IKI such as "persentase pengaduan ditindaklanjuti tepat waktu" takes."""
        if not self.handled:
            return _("Belum ada pengaduan yang selesai ditangani pada periode ini.")
        pct = format_percent(self.on_time_share)
        return _(
            "{pct} ({on_time} dari {handled} pengaduan selesai tepat waktu; median tanggapan pertama {median})"
        ).format(pct=pct, on_time=self.on_time, handled=self.handled, median=format_hours(self.median_response_hours))


def compute_figures(outcomes: Iterable[Outcome], start: date, end: date, today: date) -> Figures:
    """Figures for complaints handled between ``start`` and ``end`` (inclusive)."""
    handled = on_time = overdue = 0
    waits: list[float] = []
    cutoff = min(end, today)
    for o in outcomes:
        if o.finished_at is not None and start <= o.finished_at.date() <= end:
            handled += 1
            if o.close_by is None or o.finished_at.date() <= o.close_by:
                on_time += 1
        elif (
            o.state not in FINAL_STATES
            and o.close_by is not None
            and o.close_by < cutoff
            and o.received_at.date() <= end
        ):
            overdue += 1
        if o.first_response_at is not None and start <= o.first_response_at.date() <= end:
            waits.append(round((o.first_response_at - o.received_at).total_seconds() / 3600, 4))
    median = statistics.median(waits) if waits else None
    return Figures(handled, on_time, overdue, len(waits), median)


def format_percent(share: float | None) -> str:
    if share is None:
        return "–"
    return f"{share * 100:.1f} %".replace(".", ",")


def format_hours(hours: float | None) -> str:
    if hours is None:
        return "–"
    if hours < 48:
        return _("{n} jam").format(n=f"{hours:.1f}".replace(".", ","))
    return _("{n} hari").format(n=f"{hours / 24:.1f}".replace(".", ","))


# -- periods as people write them --------------------------------------------------------------
_SPAN = re.compile(r"^(\d{4})(?:[-/ ]?(TW[1-4]|T[1-4]|S[12]|B?(0?[1-9]|1[0-2])|AKHIR))?$")


def parse_span(text: str) -> tuple[date, date, str]:
    """``2026`` / ``2026-AKHIR`` (the year), ``2026-TW1``, ``2026-S2``, ``2026-03`` or ``2026-B03``
    (a month): (first day, last day, label). ``ValueError`` with a sentence otherwise."""
    t = "".join(str(text or "").split()).upper()
    m = _SPAN.match(t)
    if not m or not 2000 <= int(m.group(1)) <= 2100:
        raise ValueError(
            _("Periode '{value}' tidak dikenali. Tulis misalnya 2026, 2026-TW1, 2026-S2 atau 2026-03.").format(
                value=text
            )
        )
    year, part = int(m.group(1)), m.group(2)
    if not part or part == "AKHIR":
        return date(year, 1, 1), date(year, 12, 31), str(year)
    if part.startswith("T"):
        q = int(part[-1])
        start = date(year, 3 * q - 2, 1)
        return (
            start,
            _month_end(year, 3 * q),
            _("Triwulan {q} {year}").format(q=("I", "II", "III", "IV")[q - 1], year=year),
        )
    if part.startswith("S"):
        s = int(part[-1])
        return (
            date(year, 6 * s - 5, 1),
            _month_end(year, 6 * s),
            _("Semester {s} {year}").format(s=("I", "II")[s - 1], year=year),
        )
    month = int(part.lstrip("B"))
    return date(year, month, 1), _month_end(year, month), f"{month_name_id(month)} {year}"


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
