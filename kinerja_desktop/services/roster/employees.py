"""The employee form: field-by-field validation, create, update (with an edit-conflict
check), activate/deactivate, and reading one employee with the permission check.

Rows are never hard-deleted: an employee who leaves is set inactive; tombstones
(``deleted``) are written only by sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.employee_rules import EmployeeFields, check_employee
from kinerja_desktop.domain.positions import guess_position_kind, is_unit_head_title
from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.permissions import chain_of, require_employee_access, require_role
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, Principal
from kinerja_desktop.services.audit.chain import record, snapshot
from kinerja_desktop.services.optimistic import ConcurrentEdit, hlc_time_text
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit

#: The fields of an employee recorded in the audit log (``position_name`` stands for the position).
AUDIT_FIELDS = (
    "nip",
    "name",
    "front_title",
    "back_title",
    "gender",
    "birth_date",
    "status",
    "golongan",
    "position_name",
    "unit_id",
    "supervisor_id",
    "active",
    "supervisor_manual",
)


@dataclass
class EmployeeInput:
    """What the employee form holds. ``None`` gender/birth date/status: taken from the NIP."""

    nip: str
    name: str
    front_title: str = ""
    back_title: str = ""
    gender: str | None = None
    birth_date: date | None = None
    status: str | None = None
    golongan: str = ""
    position_name: str = ""
    unit_id: str | None = None
    supervisor_id: str | None = None
    active: bool = True
    #: The supervisor link is set by hand, so imports never change it. None: decided by the
    #: service (a supervisor chosen or changed in the form is a hand-set link).
    supervisor_manual: bool | None = None


class ValidationError(UserError):
    """One or more fields are wrong; ``errors`` maps field name to an Indonesian sentence."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = dict(errors)


def _clean(session: Session, data: EmployeeInput, employee_id: str | None) -> tuple[dict, dict[str, str]]:
    """Normalized values and the errors per field (the record's own rules: domain.employee_rules)."""
    checked = check_employee(
        EmployeeFields(
            nip=data.nip,
            name=data.name,
            front_title=data.front_title,
            back_title=data.back_title,
            gender=data.gender,
            birth_date=data.birth_date,
            status=data.status,
            golongan=data.golongan,
            position_name=data.position_name,
        )
    )
    values, errors = checked.values, checked.errors
    nip = checked.nip
    if nip is not None and "nip" not in errors:
        clash = session.execute(
            select(Employee.id, Employee.name, Employee.deleted).where(Employee.nip == nip.raw)
        ).first()
        if clash is not None and clash.id != employee_id:
            if clash.deleted:
                errors["nip"] = _("NIP {nip} sudah dipakai oleh data pegawai yang telah dihapus.").format(nip=nip.raw)
            else:
                errors["nip"] = _("NIP {nip} sudah dipakai oleh {name}. Periksa kembali NIP ini.").format(
                    nip=nip.raw, name=clash.name
                )

    # Unit and supervisor exist; the supervisor is not the employee and makes no loop.
    unit_id = data.unit_id or None
    if unit_id is not None:
        unit = session.get(Unit, unit_id)
        if unit is None or unit.deleted:
            errors["unit_id"] = _("Unit kerja yang dipilih tidak ada. Pilih unit kerja dari daftar.")
    values["unit_id"] = unit_id

    supervisor_id = data.supervisor_id or None
    if supervisor_id is not None:
        sup = session.get(Employee, supervisor_id)
        if sup is None or sup.deleted:
            errors["supervisor_id"] = _("Atasan yang dipilih tidak ada. Pilih atasan dari daftar pegawai.")
        elif employee_id is not None and supervisor_id == employee_id:
            errors["supervisor_id"] = _("Pegawai tidak dapat menjadi atasan dirinya sendiri. Pilih atasan lain.")
        elif employee_id is not None and employee_id in chain_of(session, supervisor_id):
            errors["supervisor_id"] = _(
                "{name} berada di bawah pegawai ini dalam rantai atasan, sehingga tidak "
                "dapat menjadi atasannya (rantai akan berputar). Pilih atasan lain."
            ).format(name=sup.full_name)
    values["supervisor_id"] = supervisor_id
    values["active"] = bool(data.active)
    return values, errors


def validate_employee(session: Session, data: EmployeeInput, *, employee_id: str | None = None) -> dict[str, str]:
    """Field name -> Indonesian message for every wrong field (empty when all is well).

    Field names are those of :class:`EmployeeInput`.
    """
    return _clean(session, data, employee_id)[1]


def _position_for(session: Session, actor: Principal, name: str) -> Position | None:
    """The position called ``name`` (case-insensitive), created when new."""
    if not name:
        return None
    pos = session.scalar(
        select(Position).where(func.lower(Position.name) == name.lower(), Position.deleted.is_(False)).limit(1)
    )
    if pos is not None:
        return pos
    pos = Position(name=name, kind=guess_position_kind(name).value, is_unit_head=is_unit_head_title(name))
    session.add(pos)
    session.flush()
    record(session, actor, "create", "positions", pos.id, None, snapshot(pos, ("name", "kind", "is_unit_head")))
    return pos


def _image(emp: Employee) -> dict:
    img = snapshot(emp, [f for f in AUDIT_FIELDS if f != "position_name"])
    img["position_name"] = emp.position.name if emp.position is not None else ""
    return img


def _manual_flag(emp: Employee, data: EmployeeInput, values: dict) -> bool:
    """Whether the supervisor link is HR's own after this save (imports keep such links)."""
    if data.supervisor_manual is not None:
        return bool(data.supervisor_manual)
    if emp.id is None or emp.nip is None:  # a new employee: a supervisor chosen by hand
        return values["supervisor_id"] is not None
    return bool(emp.supervisor_manual) or emp.supervisor_id != values["supervisor_id"]


def _apply(session: Session, actor: Principal, emp: Employee, values: dict, data: EmployeeInput) -> None:
    manual = _manual_flag(emp, data, values)
    if emp.supervisor_manual != manual:
        emp.supervisor_manual = manual
    for field in (
        "nip",
        "name",
        "front_title",
        "back_title",
        "gender",
        "birth_date",
        "status",
        "golongan",
        "unit_id",
        "supervisor_id",
        "active",
    ):
        if getattr(emp, field) != values[field]:
            setattr(emp, field, values[field])
    pos = _position_for(session, actor, values["position_name"])
    new_position_id = pos.id if pos is not None else None
    if emp.position_id != new_position_id:
        emp.position_id = new_position_id
        emp.position = pos


def create_employee(session: Session, actor: Principal, data: EmployeeInput) -> Employee:
    """Add an employee (admin kepegawaian or system); raises :class:`ValidationError`."""
    require_role(actor, ADMIN_KEPEGAWAIAN)
    values, errors = _clean(session, data, None)
    if errors:
        raise ValidationError(errors)
    emp = Employee()
    _apply(session, actor, emp, values, data)
    session.add(emp)
    session.flush()
    record(session, actor, "create", "employees", emp.id, None, _image(emp))
    return emp


def _load(session: Session, employee_id: str) -> Employee:
    emp = session.get(Employee, employee_id)
    if emp is None or emp.deleted:
        raise NotFound(_("Data pegawai yang diminta tidak ada (mungkin sudah dihapus)."))
    return emp


def update_employee(
    session: Session, actor: Principal, employee_id: str, data: EmployeeInput, *, expected_hlc: str | None = None
) -> Employee:
    """Save the form over an existing employee (admin kepegawaian or system).

    ``expected_hlc`` is the row's ``updated_hlc`` when the form was opened; if the row
    changed since, :class:`ConcurrentEdit` is raised and nothing is written. The audit
    entry holds the changed fields only (before and after).
    """
    require_role(actor, ADMIN_KEPEGAWAIAN)
    emp = _load(session, employee_id)
    if expected_hlc is not None and emp.updated_hlc != expected_hlc:
        raise ConcurrentEdit(
            _(
                "Data pegawai ini telah diubah oleh orang lain sejak Anda membukanya (disimpan {when}). "
                "Tutup formulir, buka lagi data terbaru, lalu ulangi perubahan Anda."
            ).format(when=hlc_time_text(emp.updated_hlc))
        )
    values, errors = _clean(session, data, employee_id)
    if errors:
        raise ValidationError(errors)
    before = _image(emp)
    _apply(session, actor, emp, values, data)
    after = _image(emp)
    changed = [f for f in AUDIT_FIELDS if before[f] != after[f]]
    if changed:
        session.flush()
        record(
            session,
            actor,
            "update",
            "employees",
            emp.id,
            {f: before[f] for f in changed},
            {f: after[f] for f in changed},
        )
    return emp


def set_employee_active(session: Session, actor: Principal, employee_id: str, active: bool) -> None:
    """Mark an employee active or inactive (never a hard delete); audited."""
    require_role(actor, ADMIN_KEPEGAWAIAN)
    emp = _load(session, employee_id)
    if emp.active == bool(active):
        return
    old = emp.active
    emp.active = bool(active)
    session.flush()
    record(session, actor, "update", "employees", emp.id, {"active": old}, {"active": emp.active})


def get_employee(session: Session, principal: Principal, employee_id: str) -> Employee:
    """One employee, if ``principal`` may see them (:class:`PermissionDenied` otherwise)."""
    require_employee_access(session, principal, employee_id)
    return _load(session, employee_id)


def input_from_employee(emp: Employee) -> EmployeeInput:
    """The form's content for an existing employee."""
    return EmployeeInput(
        nip=emp.nip,
        name=emp.name,
        front_title=emp.front_title or "",
        back_title=emp.back_title or "",
        gender=emp.gender,
        birth_date=emp.birth_date,
        status=emp.status,
        golongan=emp.golongan or "",
        position_name=emp.position.name if emp.position is not None else "",
        unit_id=emp.unit_id,
        supervisor_id=emp.supervisor_id,
        active=emp.active,
    )


def position_names(session: Session) -> list[str]:
    """Names of the known positions, for the form's position field (suggestions)."""
    return list(session.scalars(select(Position.name).where(Position.deleted.is_(False)).order_by(Position.name)))
