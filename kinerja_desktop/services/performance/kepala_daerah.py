"""The kepala daerah (Bupati) in the appraisal chain.

PP 30/2019 and PermenPANRB 6/2022: the kepala daerah is the pejabat penilai kinerja of
the Sekretaris Daerah, and therefore the atasan pejabat penilai of the JPT whom the
Sekda evaluates (kepala dinas, kepala badan, ...). The Bupati is not an ASN and has no
NIP; the record in office on a day is the one whose term covers that day.

Which position's holder the kepala daerah evaluates directly is a property of the
position (``Position.reports_to_kepala_daerah``, normally only Sekretaris Daerah), so
the chain follows whoever holds it. The Bupati does not work in this program: admin
kepegawaian records the Bupati's part (the Sekda's SKP and evaluation, capaian decisions)
with the reference of the decision; every such write is audited under the HR account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.dates import format_date_id
from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.permissions import require_role
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, ADMINISTRATOR, Principal
from kinerja_desktop.services.audit.chain import record, snapshot
from kinerja_desktop.services.optimistic import check_version, row_changed_message
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.kepala_daerah import KepalaDaerah
from kinerja_desktop.store.org import Position

_FIELDS = ("name", "front_title", "back_title", "jabatan", "term_start", "term_end", "decree", "deleted")
MAX_NAME = 200


@dataclass(frozen=True)
class Superior:
    """A pejabat penilai or atasan: an employee, or the kepala daerah (no NIP)."""

    employee: Employee | None = None
    kepala_daerah: KepalaDaerah | None = None

    @property
    def is_kepala_daerah(self) -> bool:
        return self.kepala_daerah is not None

    @property
    def name(self) -> str:
        if self.kepala_daerah is not None:
            return self.kepala_daerah.full_name
        return self.employee.full_name if self.employee is not None else ""


def list_kepala_daerah(session: Session) -> list[KepalaDaerah]:
    """Every kepala daerah on record, the latest term first."""
    return list(
        session.scalars(
            select(KepalaDaerah).where(KepalaDaerah.deleted.is_(False)).order_by(KepalaDaerah.term_start.desc())
        )
    )


def kepala_daerah_on(session: Session, day: date) -> KepalaDaerah | None:
    """The kepala daerah in office on ``day`` (None when no term covers it)."""
    for row in list_kepala_daerah(session):
        if row.term_start <= day and (row.term_end is None or day <= row.term_end):
            return row
    return None


def reports_to_kepala_daerah(session: Session, employee: Employee) -> bool:
    """True when the kepala daerah evaluates ``employee`` directly (no supervisor, flagged position)."""
    if employee.supervisor_id or not employee.position_id:
        return False
    pos = session.get(Position, employee.position_id)
    return bool(pos is not None and pos.reports_to_kepala_daerah)


def pejabat_penilai_of(session: Session, employee: Employee, day: date | None = None) -> Superior | None:
    """The pejabat penilai kinerja of ``employee`` on ``day``: the supervisor, or the kepala daerah."""
    if employee.supervisor_id:
        sup = session.get(Employee, employee.supervisor_id)
        return Superior(employee=sup) if sup is not None and not sup.deleted else None
    if reports_to_kepala_daerah(session, employee):
        kdh = kepala_daerah_on(session, day or date.today())
        return Superior(kepala_daerah=kdh) if kdh is not None else None
    return None


def atasan_pejabat_penilai_of(session: Session, employee: Employee, day: date | None = None) -> Superior | None:
    """The atasan pejabat penilai: the pejabat penilai's own pejabat penilai (the Bupati for JPT under the Sekda)."""
    first = pejabat_penilai_of(session, employee, day)
    if first is None or first.employee is None:
        return None
    return pejabat_penilai_of(session, first.employee, day)


def sekda_holders(session: Session) -> list[Employee]:
    """The active holders of a position the kepala daerah evaluates directly (the Sekda)."""
    return list(
        session.scalars(
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .where(
                Position.reports_to_kepala_daerah.is_(True),
                Position.deleted.is_(False),
                Employee.deleted.is_(False),
                Employee.active.is_(True),
            )
        )
    )


def identity_of_kepala_daerah(kdh: KepalaDaerah, government: str) -> dict:
    """The identity block of the kepala daerah: no NIP, no pangkat (not an ASN)."""
    return {
        "id": None,
        "kepala_daerah_id": kdh.id,
        "nama": kdh.full_name,
        "nip": "",
        "status": "KDH",
        "pangkat_golongan": "",
        "jabatan": kdh.jabatan,
        "unit_kerja": government,
    }


@dataclass
class KepalaDaerahInput:
    name: str
    term_start: date
    term_end: date | None = None
    front_title: str = ""
    back_title: str = ""
    jabatan: str = "Bupati Batanghari"
    decree: str = ""


def _clean(text: str | None, limit: int) -> str:
    value = " ".join(str(text or "").split())
    return value[:limit]


def _validate(session: Session, data: KepalaDaerahInput, row_id: str | None) -> None:
    if not _clean(data.name, MAX_NAME):
        raise UserError(_("Nama kepala daerah belum diisi."))
    if not _clean(data.jabatan, 120):
        raise UserError(_("Jabatan kepala daerah belum diisi, misalnya Bupati Batanghari."))
    if data.term_end is not None and data.term_end < data.term_start:
        raise UserError(
            _("Akhir masa jabatan ({end}) tidak boleh sebelum awalnya ({start}).").format(
                end=format_date_id(data.term_end), start=format_date_id(data.term_start)
            )
        )
    for other in list_kepala_daerah(session):
        if other.id == row_id:
            continue
        other_end = other.term_end or date.max
        this_end = data.term_end or date.max
        if data.term_start <= other_end and other.term_start <= this_end:
            raise UserError(
                _(
                    "Masa jabatan itu bertumpang tindih dengan {name} ({start} s.d. {end}). Akhiri masa "
                    "jabatan yang lama lebih dulu."
                ).format(
                    name=other.full_name,
                    start=format_date_id(other.term_start),
                    end=format_date_id(other.term_end) if other.term_end else _("sekarang"),
                )
            )


def save_kepala_daerah(
    session: Session,
    actor: Principal,
    data: KepalaDaerahInput,
    *,
    row_id: str | None = None,
    expected_hlc: str | None = None,
) -> KepalaDaerah:
    """Add or change a kepala daerah record (admin kepegawaian or administrator); audited."""
    require_role(actor, ADMIN_KEPEGAWAIAN, ADMINISTRATOR)
    _validate(session, data, row_id)
    values = {
        "name": _clean(data.name, MAX_NAME),
        "front_title": _clean(data.front_title, 60),
        "back_title": _clean(data.back_title, 80),
        "jabatan": _clean(data.jabatan, 120),
        "term_start": data.term_start,
        "term_end": data.term_end,
        "decree": _clean(data.decree, 120),
    }
    if row_id is None:
        row = KepalaDaerah(**values)
        session.add(row)
        session.flush()
        record(session, actor, "create", KepalaDaerah.__tablename__, row.id, None, snapshot(row, _FIELDS))
        return row
    found = session.get(KepalaDaerah, row_id)
    if found is None or found.deleted:
        raise NotFound(_("Data kepala daerah yang diminta tidak ada."))
    row = found
    check_version(row, expected_hlc, row_changed_message())
    before = snapshot(row, _FIELDS)
    for key, value in values.items():
        setattr(row, key, value)
    session.flush()
    record(session, actor, "update", KepalaDaerah.__tablename__, row.id, before, snapshot(row, _FIELDS))
    return row


def set_reports_to_kepala_daerah(session: Session, actor: Principal, position_id: str, value: bool) -> Position:
    """Mark whether the kepala daerah evaluates the holder of a position directly; audited."""
    require_role(actor, ADMIN_KEPEGAWAIAN, ADMINISTRATOR)
    pos = session.get(Position, position_id)
    if pos is None or pos.deleted:
        raise NotFound(_("Jabatan yang diminta tidak ada."))
    if pos.reports_to_kepala_daerah == bool(value):
        return pos
    before = {"reports_to_kepala_daerah": pos.reports_to_kepala_daerah}
    pos.reports_to_kepala_daerah = bool(value)
    session.flush()
    record(
        session,
        actor,
        "update",
        Position.__tablename__,
        pos.id,
        before,
        {"reports_to_kepala_daerah": pos.reports_to_kepala_daerah},
    )
    return pos


def jpt_positions(session: Session) -> list[Position]:
    """Positions the kepala daerah could evaluate directly (JPT), by name."""
    return list(
        session.scalars(
            select(Position).where(Position.deleted.is_(False), Position.kind == "jpt").order_by(Position.name)
        )
    )
