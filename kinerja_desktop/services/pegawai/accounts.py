"""Accounts of pegawai: one step for a unit, slips with one-time passwords.

HR (admin kepegawaian or administrator) creates an account for every active employee of a
unit (and its sub-units) who has none; the user name is the NIP, the password is one-time
(:func:`one_time_password`) and must be changed at first sign-in; hashing and lock-out are
those of every account (argon2id, :mod:`services.access.users`). An inactive employee
gets no account. The slips are a document of the documents service (kind ``slip-masuk``),
rendered from the result only: the passwords are never stored in clear.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.errors import NotFound
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.pegawai_docs import Slip, SlipsView
from kinerja_desktop.services.access.principal import PEGAWAI, Principal
from kinerja_desktop.services.access.users import insert_user
from kinerja_desktop.services.documents import registry as documents
from kinerja_desktop.services.pegawai.facts import require
from kinerja_desktop.services.roster.org_tree import read_tree
from kinerja_desktop.services.settings import get_letterhead
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Unit
from kinerja_desktop.store.users import User

#: No 0/O, 1/l/I: read off paper without doubt.
ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
#: A unit bigger than this is done in parts (each part a transaction of bounded size).
MAX_ACCOUNTS_AT_ONCE = 2000


def one_time_password() -> str:
    """Three groups of four characters, e.g. ``k7dm-3xqa-p9te`` (about 60 bits)."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(3))


@dataclass
class AccountsResult:
    unit: str
    slips: list[Slip] = field(default_factory=list)
    #: (name, NIP, why no account was made)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)


def create_for_unit(session: Session, actor: Principal, unit_id: str, *, today: date | None = None) -> AccountsResult:
    """An account for every employee of the unit and its sub-units who has none (HR only)."""
    require(actor, "accounts.create_for_unit", {})
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted:
        raise NotFound(_("Unit kerja yang diminta tidak ada."))
    units = read_tree(session).subtree(unit_id)
    employees = list(
        session.scalars(
            select(Employee)
            .where(Employee.unit_id.in_(units), Employee.deleted.is_(False))
            .order_by(Employee.name, Employee.nip)
        )
    )
    linked = set(session.scalars(select(User.employee_id).where(User.employee_id.is_not(None))))
    taken = set(session.scalars(select(User.username)))
    result = AccountsResult(unit.name)
    for emp in employees:
        reason = _skip_reason(emp, linked, taken)
        if reason is None and len(result.slips) >= MAX_ACCOUNTS_AT_ONCE:
            reason = _("batas {n} akun sekali jalan; jalankan lagi untuk sisanya").format(n=MAX_ACCOUNTS_AT_ONCE)
        if reason is not None:
            result.skipped.append((emp.full_name, emp.nip, reason))
            continue
        password = one_time_password()
        insert_user(
            session,
            actor,
            username=emp.nip,
            display_name=emp.full_name,
            password=password,
            role=PEGAWAI,
            employee_id=emp.id,
            must_change=True,
        )
        unit = session.get(Unit, emp.unit_id) if emp.unit_id else None
        unit_name = unit.name if unit else ""
        result.slips.append(Slip(emp.full_name, emp.nip, unit_name, emp.nip, password))
    return result


def _skip_reason(emp: Employee, linked: set, taken: set) -> str | None:
    if not emp.active:
        return _("pegawai tidak aktif tidak diberi akun")
    if emp.id in linked:
        return _("sudah memiliki akun")
    if emp.nip in taken:
        return _("nama pengguna {nip} sudah dipakai akun lain").format(nip=emp.nip)
    return None


def slips_view(session: Session, result: AccountsResult, today: date | None = None) -> SlipsView:
    return SlipsView(
        unit=result.unit, issued_on=today or date.today(), slips=tuple(result.slips), letterhead=get_letterhead(session)
    )


def slips_pdf(session: Session, actor: Principal, result: AccountsResult, today: date | None = None) -> bytes:
    """The slips as PDF bytes, through the documents service (kind ``slip-masuk``)."""

    require(actor, "accounts.create_for_unit", {})
    view = slips_view(session, result, today)
    prepared = documents.Prepared(
        kind=documents.kind("slip-masuk"),
        request=documents.DocumentRequest("slip-masuk", "", view.issued_on.year),
        view=view,
        not_signable=_("Slip masuk dicetak tanpa tanda tangan elektronik."),
    )
    return documents.render(prepared)
