"""Who may see and do what; enforced here, in the services (the window only hides).

Roles:

- ``administrator``: settings, user accounts, the audit log; may view the roster.
- ``admin_kepegawaian``: the whole roster of the site, training, every evaluation.
- ``pejabat_penilai``: linked to an employee record; sees and evaluates only the
  employees below that record in the supervisor chain (all levels). Their own record
  is visible to them read-only (:func:`can_view_employee`), but it is not part of the
  roster they are shown (:func:`employee_scope`).
- ``atasan_pejabat_penilai``: like a pejabat penilai for the chain below their record, and
  decides the keberatan of the employees whose pejabat penilai they supervise.
- ``pegawai``: linked to an employee record; sees only that record and its own data.
- the system (command line, background jobs) may do everything, audited as "system".

What each role may do is one table, :mod:`services.access.role_rules`, asked through
:func:`can`.

The supervisor chain is walked with recursive CTEs, which SQLite and PostgreSQL both run.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, literal, select, true
from sqlalchemy.orm import Session, aliased

from kinerja_desktop.errors import NotFound, PermissionDenied
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.principal import (
    ADMIN_KEPEGAWAIAN,
    ADMINISTRATOR,
    ATASAN_PEJABAT_PENILAI,
    PEGAWAI,
    PEJABAT_PENILAI,
    SUPERVISOR_ROLES,
    Principal,
)
from kinerja_desktop.services.access.role_rules import allows, refusal
from kinerja_desktop.store.employee import Employee

#: Indonesian role names (translate with ``_()`` where shown).
ROLE_LABELS: dict[str, str] = {
    ADMINISTRATOR: N_("Administrator"),
    ADMIN_KEPEGAWAIAN: N_("Admin Kepegawaian"),
    PEJABAT_PENILAI: N_("Pejabat Penilai"),
    ATASAN_PEJABAT_PENILAI: N_("Atasan Pejabat Penilai"),
    PEGAWAI: N_("Pegawai"),
}

#: Roles that see the whole roster of the site.
ROSTER_WIDE_ROLES = (ADMINISTRATOR, ADMIN_KEPEGAWAIAN)

#: A chain longer than this is a data error (a loop); walking stops there.
MAX_CHAIN_DEPTH = 64


def role_label(role: str) -> str:
    """The translated name of ``role`` (the role code itself when unknown)."""
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role


def subordinates_cte(employee_id: str):
    """A recursive CTE of the ids of every non-deleted employee below ``employee_id``.

    UNION ALL with a depth limit (not UNION): no de-duplication work on large trees, and a
    loop in bad data still ends (its rows repeat at most :data:`MAX_CHAIN_DEPTH` times).
    """
    e = aliased(Employee)
    base = (
        select(Employee.id.label("id"), literal(1).label("depth"))
        .where(Employee.supervisor_id == employee_id, Employee.deleted.is_(False))
        .cte("subordinates", recursive=True)
    )
    # ``IS NOT true`` rather than ``IS false`` (the same for a NOT NULL column): newer SQLite
    # versions (the one SQLCipher carries) otherwise drive the recursive step through the
    # ``deleted`` index, scanning every employee for each one found, instead of looking
    # the children up by supervisor_id.
    return base.union_all(
        select(e.id, base.c.depth + 1)
        .join(base, e.supervisor_id == base.c.id)
        .where(e.deleted.isnot(True), base.c.depth < MAX_CHAIN_DEPTH)
    )


def subordinate_ids(session: Session, employee_id: str) -> set[str]:
    """Ids of every employee below ``employee_id``, all levels, excluding deleted rows."""
    cte = subordinates_cte(employee_id)
    return set(session.scalars(select(cte.c.id)))


def chain_of(session: Session, employee_id: str) -> list[str]:
    """Ids of the supervisors of ``employee_id`` upward: direct supervisor first.

    The employee itself is not included; a deleted supervisor ends the chain; a loop in
    bad data ends it too (no id appears twice).
    """
    e = aliased(Employee)
    start = (
        select(Employee.supervisor_id.label("id"), literal(1).label("depth"))
        .where(Employee.id == employee_id)
        .cte("chain", recursive=True)
    )
    chain = start.union_all(
        select(e.supervisor_id, start.c.depth + 1)
        .join(start, e.id == start.c.id)
        .where(e.deleted.is_(False), start.c.depth < MAX_CHAIN_DEPTH)
    )
    rows = session.execute(
        select(chain.c.id, chain.c.depth)
        .join(Employee, Employee.id == chain.c.id)
        .where(Employee.deleted.is_(False))
        .order_by(chain.c.depth)
    ).all()
    out: list[str] = []
    for sup_id, _depth in rows:
        if sup_id in out or sup_id == employee_id:
            break
        out.append(sup_id)
    return out


def is_roster_wide(principal: Principal) -> bool:
    """True when ``principal`` sees the whole roster of the site (no chain restriction)."""
    return principal.is_system or principal.role in ROSTER_WIDE_ROLES


def can_view_employee(session: Session, principal: Principal, employee_id: str) -> bool:
    """May ``principal`` see this employee's record?

    System, administrator and admin kepegawaian: any employee of the site. Pejabat
    penilai: the employees below them in the chain (any depth), and their own record
    (read-only). Anyone else: no.
    """
    if is_roster_wide(principal):
        return True
    if not principal.employee_id or principal.role not in (*SUPERVISOR_ROLES, PEGAWAI):
        return False
    if employee_id == principal.employee_id:
        return True
    if principal.role == PEGAWAI:
        return False
    return principal.employee_id in chain_of(session, employee_id)


def require_employee_access(session: Session, principal: Principal, employee_id: str) -> None:
    """Raise :class:`PermissionDenied` (naming the employee) unless ``principal`` may see them."""
    emp = session.get(Employee, employee_id)
    if emp is None or emp.deleted:
        raise NotFound(_("Data pegawai yang diminta tidak ada (mungkin sudah dihapus)."))
    if not can_view_employee(session, principal, employee_id):
        if principal.role == PEGAWAI:
            raise PermissionDenied(
                _("Akun pegawai hanya dapat membuka data Anda sendiri, bukan data {name}.").format(name=emp.full_name)
            )
        raise PermissionDenied(
            _(
                "Anda tidak berwenang membuka data {name} (NIP {nip}): pegawai ini tidak berada di bawah "
                "Anda dalam rantai atasan. Hubungi admin kepegawaian jika data atasan pegawai ini keliru."
            ).format(name=emp.full_name, nip=emp.nip)
        )


def require_role(principal: Principal, *roles: str) -> None:
    """Raise :class:`PermissionDenied` unless ``principal`` has one of ``roles`` (system always may)."""
    if principal.is_system or principal.role in roles:
        return
    names = ", ".join(role_label(r) for r in roles)
    raise PermissionDenied(
        _("Tindakan ini hanya boleh dilakukan oleh {roles}. Masuk dengan akun yang berwenang.").format(roles=names)
    )


def employee_scope(principal: Principal) -> ColumnElement[bool]:
    """A WHERE clause on ``Employee`` limiting a roster query to what ``principal`` may list.

    Roster-wide roles: everything. Pejabat penilai and their atasan: their subordinates
    (all levels), not themselves, never deleted rows. Pegawai: their own record only.
    Anyone else: nothing.
    """
    if is_roster_wide(principal):
        return true()
    if principal.role == PEGAWAI and principal.employee_id:
        return Employee.id == principal.employee_id
    if principal.role not in SUPERVISOR_ROLES or not principal.employee_id:
        return Employee.id.is_(None)  # matches no row: every employee has an id
    cte = subordinates_cte(principal.employee_id)
    return Employee.id.in_(select(cte.c.id))


def can(principal: Principal, action: str, **facts) -> bool:
    """May ``principal`` do ``action``? Asks :data:`role_rules.RULES` (roles, then ownership).

    ``facts`` are what the rule's predicate needs (e.g. ``owner_employee_id``); the
    services call :func:`require` which raises with the rule's sentence.
    """

    return allows(principal, action, facts or None)


def require(principal: Principal, action: str, **facts) -> None:
    """Raise :class:`PermissionDenied` with the rule's own sentence unless :func:`can`."""

    if not can(principal, action, **facts):
        raise PermissionDenied(refusal(action))
