"""User accounts: sign-in with lock-out, passwords, roles, and the practice accounts of a demo.

Sign-in rules: five wrong passwords in a row lock the account for five minutes. A wrong
password and an unknown user name give the same message (with the same count of tries
left), so the sign-in screen does not reveal which user names exist.

Transactions: :func:`authenticate` commits a *failed* attempt itself before raising
:class:`AuthError`, so the count of wrong tries (and its audit entry) survives the caller's
rollback. Every other function writes in the caller's transaction (use
``Database.transaction()``).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.passwords import (
    hash_password,
    needs_rehash,
    validate_new_password,
    verify_password,
)
from kinerja_desktop.services.access.permissions import (
    ROLE_LABELS,
    require_role,
    role_label,
    subordinate_ids,
)
from kinerja_desktop.services.access.principal import (
    ADMIN_KEPEGAWAIAN,
    ADMINISTRATOR,
    PEGAWAI,
    PEJABAT_PENILAI,
    SUPERVISOR_ROLES,
    SYSTEM,
    Principal,
)
from kinerja_desktop.services.audit.chain import record, snapshot
from kinerja_desktop.services.settings import is_demo
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.users import ROLES, User

__all__ = [
    "AuthError",
    "LOCK_MINUTES",
    "MAX_FAILED",
    "PRACTICE_PASSWORD",
    "PracticeAccount",
    "ROLE_LABELS",
    "authenticate",
    "change_password",
    "create_practice_accounts",
    "create_user",
    "get_user",
    "list_users",
    "must_change_password",
    "practice_accounts",
    "principal_of",
    "reset_password",
    "set_user_active",
    "update_user",
]

MAX_FAILED = 5
LOCK_MINUTES = 5
PRACTICE_PASSWORD = "latihan123"

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")
USER_FIELDS = ("username", "display_name", "role", "employee_id", "active", "is_demo", "must_change_password")


class AuthError(UserError):
    """Sign-in refused: wrong password, unknown user, locked or inactive account."""


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()


# --- time -------------------------------------------------------------------------------


def _utc(now: datetime | None) -> datetime:
    """``now`` as naive UTC (how ``locked_until`` is stored); naive input is taken as UTC."""
    if now is None:
        return datetime.now(UTC).replace(tzinfo=None)
    if now.tzinfo is not None:
        return now.astimezone(UTC).replace(tzinfo=None)
    return now


def local_clock_text(utc_naive: datetime) -> str:
    """``HH:MM`` in this computer's local time for a naive-UTC moment."""
    return utc_naive.replace(tzinfo=UTC).astimezone().strftime("%H:%M")


# --- sign-in ----------------------------------------------------------------------------

#: A hash to verify against when the user name is unknown, so both cases take as long.
_DUMMY_HASH: str | None = None
#: Failed tries of unknown user names, per database, so they behave like real accounts.
_phantoms: dict[tuple[str, str], tuple[int, datetime | None]] = {}
_phantom_lock = threading.Lock()


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("tidak-ada-pengguna-ini")
    return _DUMMY_HASH


def normalize_username(username: str) -> str:
    return " ".join((username or "").split()).lower()


def principal_of(user: User) -> Principal:
    return Principal(user.username, user.role, user.employee_id, user.id)


def _wrong_password(tries_left: int) -> AuthError:
    return AuthError(
        _("Nama pengguna atau kata sandi salah. Sisa percobaan: {n} kali sebelum akun dikunci {m} menit.").format(
            n=tries_left, m=LOCK_MINUTES
        )
    )


def _locked(until_utc: datetime) -> AuthError:
    return AuthError(
        _(
            "Akun dikunci sampai pukul {time} karena {n} kali salah kata sandi. "
            "Coba lagi setelah itu, atau minta administrator mengatur ulang kata sandi."
        ).format(time=local_clock_text(until_utc), n=MAX_FAILED)
    )


def _fail(session: Session, error: AuthError) -> AuthError:
    """Keep the failed attempt (count, lock, audit) even if the caller rolls back."""
    session.commit()
    return error


def _phantom_attempt(session: Session, username: str, now: datetime) -> AuthError:
    bind = session.get_bind()
    key = (str(bind.engine.url), username)
    with _phantom_lock:
        count, until = _phantoms.get(key, (0, None))
        if until is not None and now < until:
            return _locked(until)
        if until is not None:
            count = 0
        count += 1
        if count >= MAX_FAILED:
            until = now + timedelta(minutes=LOCK_MINUTES)
            _phantoms[key] = (0, until)
            return _locked(until)
        _phantoms[key] = (count, None)
        return _wrong_password(MAX_FAILED - count)


def authenticate(session: Session, username: str, password: str, *, now: datetime | None = None) -> Principal:
    """Check a user name and password; return who signed in, or raise :class:`AuthError`.

    ``now`` (default: the current time; naive means UTC) decides lock-outs. A success
    resets the count of wrong tries; the fifth wrong try in a row locks the account for
    :data:`LOCK_MINUTES` minutes, during which even the right password is refused.
    Audit entries: ``login``, ``login_failed``, ``locked``.
    """
    at = _utc(now)
    name = normalize_username(username)
    user = session.scalar(select(User).where(User.username == name)) if name else None
    if user is None:
        verify_password(_dummy_hash(), password or "")
        record(session, SYSTEM, "login_failed", "users", "", None, {"username": name[:60], "reason": "unknown_user"})
        raise _fail(session, _phantom_attempt(session, name, at))
    who = principal_of(user)
    if user.locked_until is not None and at < user.locked_until:
        record(session, who, "login_failed", "users", user.id, None, {"reason": "locked"})
        raise _fail(session, _locked(user.locked_until))
    if not verify_password(user.password_hash, password or ""):
        if user.locked_until is not None:  # an old lock has run out: a fresh count
            user.failed_attempts = 0
            user.locked_until = None
        user.failed_attempts = (user.failed_attempts or 0) + 1
        record(
            session,
            who,
            "login_failed",
            "users",
            user.id,
            None,
            {"reason": "wrong_password", "failed_attempts": user.failed_attempts},
        )
        if user.failed_attempts >= MAX_FAILED:
            user.locked_until = at + timedelta(minutes=LOCK_MINUTES)
            user.failed_attempts = 0
            record(
                session,
                who,
                "locked",
                "users",
                user.id,
                None,
                {"locked_until": user.locked_until, "minutes": LOCK_MINUTES},
            )
            raise _fail(session, _locked(user.locked_until))
        raise _fail(session, _wrong_password(MAX_FAILED - user.failed_attempts))
    if not user.active or _employee_gone(session, user):
        record(session, who, "login_failed", "users", user.id, None, {"reason": "inactive"})
        raise _fail(
            session,
            AuthError(
                _("Akun {username} sudah dinonaktifkan. Hubungi administrator bila Anda masih memerlukannya.").format(
                    username=user.username
                )
            ),
        )
    user.failed_attempts = 0
    user.locked_until = None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    record(session, who, "login", "users", user.id, None, None)
    return who


def _employee_gone(session: Session, user: User) -> bool:
    """A pegawai account whose employee record is no longer active (left, retired) signs in no more."""
    if user.role != PEGAWAI or user.employee_id is None:
        return False
    emp = session.get(Employee, user.employee_id)
    return emp is None or emp.deleted or not emp.active


# --- reading ----------------------------------------------------------------------------


def get_user(session: Session, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("Akun pengguna yang diminta tidak ada."))
    return user


def must_change_password(session: Session, principal: Principal) -> bool:
    """True when the signed-in user must choose a new password (after a reset)."""
    if principal.user_id is None:
        return False
    user = session.get(User, principal.user_id)
    return bool(user and user.must_change_password)


def list_users(session: Session, actor: Principal) -> list[User]:
    """Every account, by user name; administrator only."""
    require_role(actor, ADMINISTRATOR)
    return list(session.scalars(select(User).order_by(User.username)))


# --- writing ----------------------------------------------------------------------------


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(
            _(
                "Peran '{role}' tidak dikenal. Pilih Administrator, Admin Kepegawaian, Pejabat Penilai, Atasan Pejabat "
                "Penilai atau Pegawai."
            ).format(role=role)
        )


def _check_employee(session: Session, role: str, employee_id: str | None) -> None:
    if employee_id is None:
        if role in (*SUPERVISOR_ROLES, PEGAWAI):
            raise UserError(
                _("Akun {role} harus dihubungkan dengan data pegawainya. Pilih pegawai untuk akun ini.").format(
                    role=role_label(role)
                )
            )
        return
    emp = session.get(Employee, employee_id)
    if emp is None or emp.deleted:
        raise UserError(_("Pegawai yang dipilih untuk akun ini tidak ada. Pilih pegawai lain."))
    if role == PEGAWAI and not emp.active:
        raise UserError(
            _("{name} (NIP {nip}) sudah tidak aktif; pegawai yang tidak aktif tidak diberi akun.").format(
                name=emp.full_name, nip=emp.nip
            )
        )


def _check_username(session: Session, username: str, *, except_id: str | None = None) -> str:
    name = normalize_username(username)
    if not USERNAME_PATTERN.match(name):
        raise UserError(
            _(
                "Nama pengguna '{name}' tidak dapat dipakai: gunakan 3–60 huruf kecil, angka, titik, "
                "garis bawah atau tanda hubung, diawali huruf atau angka."
            ).format(name=username)
        )
    taken = session.scalar(select(User.id).where(User.username == name))
    if taken is not None and taken != except_id:
        raise UserError(_("Nama pengguna '{name}' sudah dipakai. Pilih nama lain.").format(name=name))
    return name


def create_user(
    session: Session,
    actor: Principal,
    *,
    username: str,
    display_name: str,
    password: str,
    role: str,
    employee_id: str | None = None,
    is_demo: bool = False,
) -> User:
    """A new account; administrator (or system) only.

    ``role`` is one of ``store.users.ROLES``; a pejabat penilai needs ``employee_id``.
    Practice accounts (``is_demo``) exist only in a demo database.
    """
    require_role(actor, ADMINISTRATOR)
    return insert_user(
        session,
        actor,
        username=username,
        display_name=display_name,
        password=password,
        role=role,
        employee_id=employee_id,
        is_demo=is_demo,
    )


def insert_user(
    session: Session,
    actor: Principal,
    *,
    username: str,
    display_name: str,
    password: str,
    role: str,
    employee_id: str | None = None,
    is_demo: bool = False,
    must_change: bool = False,
) -> User:
    """The checks and the insert of :func:`create_user`; the caller has checked ``actor``'s right."""
    name = _check_username(session, username)
    _check_role(role)
    _check_employee(session, role, employee_id)
    if is_demo and not _is_demo_db(session):
        raise UserError(_("Akun latihan hanya boleh ada di basis data demo."))
    validate_new_password(password)
    user = User(
        username=name,
        display_name=" ".join((display_name or "").split()) or name,
        password_hash=hash_password(password),
        role=role,
        employee_id=employee_id,
        active=True,
        is_demo=bool(is_demo),
        must_change_password=bool(must_change),
        failed_attempts=0,
    )
    session.add(user)
    session.flush()
    record(session, actor, "create", "users", user.id, None, snapshot(user, USER_FIELDS))
    return user


def _is_demo_db(session: Session) -> bool:
    return is_demo(session)


def change_password(session: Session, principal: Principal, old_password: str, new_password: str) -> None:
    """The signed-in user chooses a new password (the old one is checked first)."""
    if principal.user_id is None:
        raise UserError(_("Hanya pengguna yang masuk yang dapat mengganti kata sandinya sendiri."))
    user = get_user(session, principal.user_id)
    if not verify_password(user.password_hash, old_password or ""):
        raise AuthError(_("Kata sandi lama salah. Ketik ulang kata sandi yang Anda pakai untuk masuk."))
    if new_password == old_password:
        raise UserError(_("Kata sandi baru harus berbeda dari kata sandi lama."))
    validate_new_password(new_password)
    user.password_hash = hash_password(new_password)
    before = user.must_change_password
    user.must_change_password = False
    session.flush()
    record(
        session,
        principal,
        "change_password",
        "users",
        user.id,
        {"must_change_password": before},
        {"must_change_password": False},
    )


def reset_password(session: Session, actor: Principal, user_id: str, new_password: str) -> None:
    """An administrator gives a user a new password, to be changed at the next sign-in.

    Also lifts a lock-out.
    """
    require_role(actor, ADMINISTRATOR)
    user = get_user(session, user_id)
    validate_new_password(new_password)
    before = {"must_change_password": user.must_change_password, "locked_until": user.locked_until}
    user.password_hash = hash_password(new_password)
    user.must_change_password = True
    user.failed_attempts = 0
    user.locked_until = None
    session.flush()
    record(
        session, actor, "reset_password", "users", user.id, before, {"must_change_password": True, "locked_until": None}
    )


def _active_admins(session: Session) -> int:
    return (
        session.scalar(select(func.count()).select_from(User).where(User.role == ADMINISTRATOR, User.active.is_(True)))
        or 0
    )


def set_user_active(session: Session, actor: Principal, user_id: str, active: bool) -> None:
    """Switch an account on or off (accounts are never deleted); administrator only.

    Refuses to switch off one's own account or the last active administrator.
    """
    require_role(actor, ADMINISTRATOR)
    user = get_user(session, user_id)
    if user.active == bool(active):
        return
    if not active:
        if actor.user_id == user.id:
            raise UserError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
        if user.role == ADMINISTRATOR and _active_admins(session) <= 1:
            raise UserError(_("Akun ini adalah administrator aktif terakhir; buat administrator lain lebih dahulu."))
    user.active = bool(active)
    session.flush()
    record(session, actor, "update", "users", user.id, {"active": not user.active}, {"active": user.active})


def update_user(
    session: Session,
    actor: Principal,
    user_id: str,
    *,
    display_name: str | None = None,
    role: str | None = None,
    employee_id: str | None | _Unset = UNSET,
) -> None:
    """Change an account's display name, role or linked employee; administrator only.

    ``None`` for ``display_name``/``role`` leaves them as they are; ``employee_id`` left
    out leaves the link as it is, while an explicit ``employee_id=None`` removes it.
    """
    require_role(actor, ADMINISTRATOR)
    user = get_user(session, user_id)
    before = snapshot(user, USER_FIELDS)
    new_role = user.role if role is None else role
    _check_role(new_role)
    new_employee = user.employee_id if isinstance(employee_id, _Unset) else employee_id
    _check_employee(session, new_role, new_employee)
    if user.role == ADMINISTRATOR and new_role != ADMINISTRATOR and user.active and _active_admins(session) <= 1:
        raise UserError(_("Akun ini adalah administrator aktif terakhir; buat administrator lain lebih dahulu."))
    if display_name is not None:
        cleaned = " ".join(display_name.split())
        if not cleaned:
            raise UserError(_("Nama tampilan belum diisi."))
        user.display_name = cleaned
    user.role = new_role
    user.employee_id = new_employee
    after = snapshot(user, USER_FIELDS)
    changed = [k for k in USER_FIELDS if before[k] != after[k]]
    if not changed:
        return
    session.flush()
    record(session, actor, "update", "users", user.id, {k: before[k] for k in changed}, {k: after[k] for k in changed})


# --- practice accounts (demo database only) ---------------------------------------------


@dataclass
class PracticeAccount:
    username: str
    password: str
    role: str
    role_label: str
    description: str


_PRACTICE = (
    (
        "admin",
        ADMINISTRATOR,
        N_("Latihan Administrator"),
        N_("Mengatur pengguna, pengaturan dan kop surat, serta melihat jejak audit."),
    ),
    (
        "kepegawaian",
        ADMIN_KEPEGAWAIAN,
        N_("Latihan Admin Kepegawaian"),
        N_("Mengelola seluruh data pegawai, pelatihan dan semua evaluasi kinerja."),
    ),
    (
        "penilai",
        PEJABAT_PENILAI,
        N_("Latihan Pejabat Penilai"),
        N_("Sebagai {name}: melihat dan menilai {n} pegawai di bawahnya."),
    ),
)


def _pick_penilai(session: Session) -> Employee | None:
    """The employee below the top with the most (transitive) subordinates, ties by NIP.

    Prefers someone whose subordinates go at least two levels deep.
    """
    rows = session.execute(
        select(Employee.id, Employee.supervisor_id, Employee.nip).where(Employee.deleted.is_(False))
    ).all()
    if not rows:
        return None
    ids = {r.id for r in rows}
    parent = {r.id: (r.supervisor_id if r.supervisor_id in ids else None) for r in rows}
    nip = {r.id: r.nip for r in rows}
    children: dict[str, list[str]] = {}
    for child, sup in parent.items():
        if sup is not None:
            children.setdefault(sup, []).append(child)
    size: dict[str, int] = {}
    height: dict[str, int] = {}
    # Post-order without recursion; a loop in bad data is cut where it is met again.
    state: dict[str, int] = {}
    for root in ids:
        if root in state:
            continue
        stack = [root]
        while stack:
            node = stack[-1]
            if state.get(node) is None:
                state[node] = 1
                stack.extend(c for c in children.get(node, ()) if c not in state)
                continue
            stack.pop()
            if state[node] == 2:
                continue
            state[node] = 2
            kids = [c for c in children.get(node, ()) if state.get(c) == 2 and c in size]
            size[node] = sum(size[c] + 1 for c in kids)
            height[node] = max((height[c] + 1 for c in kids), default=0)
    below_top = [i for i in ids if parent[i] is not None]
    for min_height in (2, 1, 0):
        candidates = [i for i in below_top if height.get(i, 0) >= min_height and size.get(i, 0) > 0]
        if candidates:
            best = min(candidates, key=lambda i: (-size[i], nip[i]))
            return session.get(Employee, best)
    return None


def create_practice_accounts(session: Session) -> list[PracticeAccount]:
    """One practice account per role (password :data:`PRACTICE_PASSWORD`); demo database only.

    Idempotent: an existing practice account is left as it is.
    """
    if not is_demo(session):
        raise UserError(_("Akun latihan hanya dapat dibuat di basis data demo (buat dengan perintah kinerja demo)."))
    penilai = _pick_penilai(session)
    for username, role, display, _desc in _PRACTICE:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            continue
        employee_id = None
        if role == PEJABAT_PENILAI:
            if penilai is None:
                continue  # no roster: no supervisor to practise with
            employee_id = penilai.id
        create_user(
            session,
            SYSTEM,
            username=username,
            display_name=display,
            password=PRACTICE_PASSWORD,
            role=role,
            employee_id=employee_id,
            is_demo=True,
        )
    return practice_accounts(session)


def practice_accounts(session: Session) -> list[PracticeAccount]:
    """The practice accounts to list on the sign-in screen ([] unless this is a demo database)."""
    if not is_demo(session):
        return []
    users = {u.username: u for u in session.scalars(select(User).where(User.is_demo.is_(True), User.active.is_(True)))}
    out = []
    for username, role, _display, desc in _PRACTICE:
        user = users.get(username)
        if user is None or user.role != role:
            continue
        description = _(desc)
        if role == PEJABAT_PENILAI:
            emp = session.get(Employee, user.employee_id) if user.employee_id else None
            if emp is None:
                continue
            position = emp.position.name if emp.position is not None else ""
            who = f"{emp.full_name} ({position})" if position else emp.full_name
            description = description.format(name=who, n=len(subordinate_ids(session, emp.id)))
        out.append(PracticeAccount(username, PRACTICE_PASSWORD, role, role_label(role), description))
    return out


def person_name(session: Session, principal: Principal) -> str:
    """The name of the person behind ``principal``, as people call them: the linked
    employee's full name (with titles), else the account's full name, else its user name."""
    if principal.is_system:
        return _("Sistem")
    if principal.employee_id:
        emp = session.get(Employee, principal.employee_id)
        if emp is not None and not emp.deleted:
            return emp.full_name
    user = session.get(User, principal.user_id) if principal.user_id else None
    if user is None:
        user = session.scalar(select(User).where(User.username == principal.username))
    return (user.display_name if user is not None and user.display_name else "") or principal.username
