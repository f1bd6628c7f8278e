"""Accounts and sign-in: passwords, lock-out after five wrong tries, roles, practice accounts."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from kinerja_desktop.errors import PermissionDenied, UserError
from kinerja_desktop.services.access import passwords, users
from kinerja_desktop.services.access.principal import (
    ADMIN_KEPEGAWAIAN,
    ADMINISTRATOR,
    PEJABAT_PENILAI,
    SYSTEM,
    Principal,
)
from kinerja_desktop.services.settings import DEMO, set_setting
from kinerja_desktop.store.audit import AuditEntry
from kinerja_desktop.store.users import User

sys.path.insert(0, str(Path(__file__).resolve().parent))
from roster_factory import build_roster

PASSWORD = "Kopi-Susu-2026"
T0 = datetime(2026, 11, 28, 8, 0, 0)  # naive = UTC


def _admin(db, username="admin1", password=PASSWORD) -> Principal:
    with db.transaction() as s:
        user = users.create_user(
            s, SYSTEM, username=username, display_name="Admin Satu", password=password, role=ADMINISTRATOR
        )
        return users.principal_of(user)


def _user(db, role=ADMIN_KEPEGAWAIAN, username="rina", employee_id=None) -> str:
    with db.transaction() as s:
        return users.create_user(
            s, SYSTEM, username=username, display_name="Rina", password=PASSWORD, role=role, employee_id=employee_id
        ).id


def _try(db, username, password, now):
    """Sign in the way the sign-in window does: in a transaction that rolls back on error."""
    with db.transaction() as s:
        return users.authenticate(s, username, password, now=now)


def _actions(db, row_id=None) -> list[str]:
    with db.session() as s:
        q = select(AuditEntry.action).order_by(AuditEntry.seq)
        if row_id is not None:
            q = q.where(AuditEntry.row_id == row_id)
        return list(s.scalars(q))


# --- passwords ------------------------------------------------------------------------------


def test_password_hash_is_argon2id_and_verifies():
    h = passwords.hash_password(PASSWORD)
    assert h.startswith("$argon2id$")
    assert passwords.verify_password(h, PASSWORD)
    assert not passwords.verify_password(h, PASSWORD + "x")
    assert not passwords.verify_password("not a hash", PASSWORD)
    assert not passwords.needs_rehash(h)
    assert passwords.needs_rehash("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")


@pytest.mark.parametrize(
    "weak",
    [
        "kopi12",
        "",
        "aaaaaaaaaa",
        "12345678",
        "87654321",
        "abcdefgh",
        "qwertyuiop",
        "password",
        "Password123",
        "katasandi",
    ],
)
def test_weak_passwords_are_refused_in_indonesian(weak):
    with pytest.raises(UserError) as exc:
        passwords.validate_new_password(weak)
    assert "Kata sandi terlalu" in exc.value.message


def test_a_reasonable_password_is_accepted():
    passwords.validate_new_password(PASSWORD)
    passwords.validate_new_password(users.PRACTICE_PASSWORD)


# --- sign-in --------------------------------------------------------------------------------


def test_right_password_signs_in_and_is_audited(db):
    admin = _admin(db)
    p = _try(db, "  ADMIN1 ", PASSWORD, T0)  # user names are case- and space-insensitive
    assert p == Principal("admin1", ADMINISTRATOR, None, admin.user_id)
    assert _actions(db, admin.user_id)[-1] == "login"


def test_wrong_password_says_how_many_tries_are_left_and_survives_rollback(db):
    admin = _admin(db)
    with pytest.raises(users.AuthError) as exc:
        _try(db, "admin1", "salah-sandi-1", T0)
    assert exc.value.message == (
        "Nama pengguna atau kata sandi salah. Sisa percobaan: 4 kali sebelum akun dikunci 5 menit."
    )
    with db.session() as s:  # the count was kept although the caller's transaction rolled back
        assert s.get(User, admin.user_id).failed_attempts == 1
    assert _actions(db, admin.user_id)[-1] == "login_failed"


def test_unknown_user_gets_the_same_message_as_a_wrong_password(db):
    _admin(db)
    with pytest.raises(users.AuthError) as wrong:
        _try(db, "admin1", "salah-sandi-1", T0)
    with pytest.raises(users.AuthError) as unknown:
        _try(db, "tidak-ada", "salah-sandi-1", T0)
    assert unknown.value.message == wrong.value.message
    with pytest.raises(users.AuthError) as again:  # and counts down the same way
        _try(db, "tidak-ada", "salah-sandi-1", T0)
    assert "Sisa percobaan: 3" in again.value.message


def test_fifth_wrong_try_locks_for_five_minutes_then_unlocks(db):
    admin = _admin(db)
    for i in range(4):
        with pytest.raises(users.AuthError) as exc:
            _try(db, "admin1", f"salah-{i}-xyz", T0 + timedelta(seconds=i))
        assert f"Sisa percobaan: {4 - i}" in exc.value.message
    with pytest.raises(users.AuthError) as exc:
        _try(db, "admin1", "salah-5-xyz", T0 + timedelta(seconds=10))
    until = T0 + timedelta(seconds=10, minutes=5)
    assert users.local_clock_text(until) in exc.value.message
    assert "dikunci sampai pukul" in exc.value.message
    # Locked: even the right password is refused, four minutes later.
    with pytest.raises(users.AuthError) as exc:
        _try(db, "admin1", PASSWORD, T0 + timedelta(minutes=4))
    assert "dikunci" in exc.value.message
    # After five minutes the right password works and the count starts again.
    p = _try(db, "admin1", PASSWORD, until + timedelta(seconds=1))
    assert p.user_id == admin.user_id
    with db.session() as s:
        u = s.get(User, admin.user_id)
        assert u.failed_attempts == 0 and u.locked_until is None
    actions = _actions(db, admin.user_id)
    assert actions.count("login_failed") == 6 and actions.count("locked") == 1 and actions[-1] == "login"


def test_an_expired_lock_gives_a_fresh_count(db):
    _admin(db)
    for i in range(5):
        with pytest.raises(users.AuthError):
            _try(db, "admin1", f"salah-{i}-xyz", T0)
    with pytest.raises(users.AuthError) as exc:
        _try(db, "admin1", "salah-lagi-xyz", T0 + timedelta(minutes=6))
    assert "Sisa percobaan: 4" in exc.value.message


def test_inactive_account_is_refused_only_with_the_right_password(db):
    admin = _admin(db)
    uid = _user(db)
    with db.transaction() as s:
        users.set_user_active(s, admin, uid, False)
    with pytest.raises(users.AuthError) as exc:
        _try(db, "rina", PASSWORD, T0)
    assert "dinonaktifkan" in exc.value.message
    with pytest.raises(users.AuthError) as exc:
        _try(db, "rina", "salah-sandi-1", T0)
    assert "kata sandi salah" in exc.value.message


# --- creating and managing accounts -------------------------------------------------------


def test_only_an_administrator_creates_accounts(db):
    hr = Principal("hr", ADMIN_KEPEGAWAIAN)
    with db.transaction() as s, pytest.raises(PermissionDenied) as exc:
        users.create_user(s, hr, username="baru", display_name="Baru", password=PASSWORD, role=ADMINISTRATOR)
    assert "Administrator" in exc.value.message


def test_create_user_checks_its_input(db):
    admin = _admin(db)
    r = build_roster(db)
    with db.transaction() as s:
        with pytest.raises(UserError, match="harus dihubungkan"):
            users.create_user(s, admin, username="penilai1", display_name="P", password=PASSWORD, role=PEJABAT_PENILAI)
        with pytest.raises(UserError, match="Peran"):
            users.create_user(s, admin, username="x-user", display_name="X", password=PASSWORD, role="bupati")
        with pytest.raises(UserError, match="sudah dipakai"):
            users.create_user(s, admin, username="Admin1", display_name="X", password=PASSWORD, role=ADMINISTRATOR)
        with pytest.raises(UserError, match="tidak dapat dipakai"):
            users.create_user(s, admin, username="a b!", display_name="X", password=PASSWORD, role=ADMINISTRATOR)
        with pytest.raises(UserError, match="Kata sandi terlalu"):
            users.create_user(s, admin, username="lemah", display_name="X", password="12345678", role=ADMINISTRATOR)
        with pytest.raises(UserError, match="basis data demo"):
            users.create_user(
                s, admin, username="latih", display_name="X", password=PASSWORD, role=ADMINISTRATOR, is_demo=True
            )
        u = users.create_user(
            s,
            admin,
            username="Penilai1",
            display_name="Budi",
            password=PASSWORD,
            role=PEJABAT_PENILAI,
            employee_id=r.kabid,
        )
        assert u.username == "penilai1" and u.employee_id == r.kabid
    p = _try(db, "penilai1", PASSWORD, T0)
    assert p.role == PEJABAT_PENILAI and p.employee_id == r.kabid
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.row_id == u.id, AuditEntry.action == "create")).one()
        assert entry.actor == "admin1" and entry.after["role"] == PEJABAT_PENILAI
        assert "password_hash" not in entry.after and "argon2" not in str(entry.after)


def test_change_password_checks_the_old_one(db):
    admin = _admin(db)
    with db.transaction() as s, pytest.raises(users.AuthError, match="lama salah"):
        users.change_password(s, admin, "salah-sandi-1", "Teh-Manis-2027")
    with db.transaction() as s:
        users.change_password(s, admin, PASSWORD, "Teh-Manis-2027")
    with pytest.raises(users.AuthError):
        _try(db, "admin1", PASSWORD, T0)
    assert _try(db, "admin1", "Teh-Manis-2027", T0).user_id == admin.user_id
    assert "change_password" in _actions(db, admin.user_id)


def test_reset_password_requires_a_change_and_lifts_a_lock(db):
    admin = _admin(db)
    uid = _user(db)
    for i in range(5):
        with pytest.raises(users.AuthError):
            _try(db, "rina", f"salah-{i}-xyz", T0)
    hr = Principal("rina", ADMIN_KEPEGAWAIAN, None, uid)
    with db.transaction() as s, pytest.raises(PermissionDenied):
        users.reset_password(s, hr, uid, "Teh-Manis-2027")
    with db.transaction() as s:
        users.reset_password(s, admin, uid, "Teh-Manis-2027")
    p = _try(db, "rina", "Teh-Manis-2027", T0 + timedelta(minutes=1))  # the lock is gone
    with db.session() as s:
        assert users.must_change_password(s, p)
    with db.transaction() as s:
        users.change_password(s, p, "Teh-Manis-2027", "Jeruk-Nipis-88")
    with db.session() as s:
        assert not users.must_change_password(s, p)


def test_the_last_administrator_cannot_be_switched_off_or_demoted(db):
    admin = _admin(db)
    other = _admin(db, "admin2")
    with db.transaction() as s:
        with pytest.raises(UserError, match="sendiri"):
            users.set_user_active(s, admin, admin.user_id, False)
        users.set_user_active(s, admin, other.user_id, False)
        with pytest.raises(UserError, match="terakhir"):
            users.update_user(s, admin, admin.user_id, role=ADMIN_KEPEGAWAIAN)
    with db.transaction() as s:
        with pytest.raises(UserError, match="terakhir"):
            users.set_user_active(s, other, admin.user_id, False)


def test_update_user_changes_role_and_link_and_audits_the_change(db):
    admin = _admin(db)
    r = build_roster(db)
    uid = _user(db)
    with db.transaction() as s:
        with pytest.raises(UserError, match="harus dihubungkan"):
            users.update_user(s, admin, uid, role=PEJABAT_PENILAI)
        users.update_user(s, admin, uid, display_name="Rina L.", role=PEJABAT_PENILAI, employee_id=r.kasubbag)
        users.update_user(s, admin, uid, display_name="Rina L.")  # no change: no audit entry
    with db.session() as s:
        u = s.get(User, uid)
        assert (u.display_name, u.role, u.employee_id) == ("Rina L.", PEJABAT_PENILAI, r.kasubbag)
        entries = s.scalars(select(AuditEntry).where(AuditEntry.row_id == uid, AuditEntry.action == "update")).all()
        assert len(entries) == 1
        assert entries[0].before == {"display_name": "Rina", "role": ADMIN_KEPEGAWAIAN, "employee_id": None}
    with db.transaction() as s:
        users.update_user(s, admin, uid, role=ADMIN_KEPEGAWAIAN, employee_id=None)
        assert s.get(User, uid).employee_id is None


def test_list_users_is_for_administrators(db):
    admin = _admin(db)
    _user(db)
    with db.session() as s:
        assert [u.username for u in users.list_users(s, admin)] == ["admin1", "rina"]
        with pytest.raises(PermissionDenied):
            users.list_users(s, Principal("rina", ADMIN_KEPEGAWAIAN))


def test_role_labels_are_indonesian():
    assert users.ROLE_LABELS == {
        ADMINISTRATOR: "Administrator",
        ADMIN_KEPEGAWAIAN: "Admin Kepegawaian",
        PEJABAT_PENILAI: "Pejabat Penilai",
        "atasan_pejabat_penilai": "Atasan Pejabat Penilai",
        "pegawai": "Pegawai",
    }


# --- practice accounts ---------------------------------------------------------------------


def test_a_real_database_has_no_practice_accounts(db):
    build_roster(db)
    with db.transaction() as s:
        assert users.practice_accounts(s) == []
        with pytest.raises(UserError, match="demo"):
            users.create_practice_accounts(s)
        assert s.scalar(select(User).where(User.is_demo.is_(True))) is None


def test_a_demo_database_has_one_practice_account_per_role(db):
    r = build_roster(db)
    with db.transaction() as s:
        set_setting(s, SYSTEM, DEMO, True)
        accounts = users.create_practice_accounts(s)
        assert users.create_practice_accounts(s) == accounts  # idempotent
    assert [(a.username, a.role, a.role_label) for a in accounts] == [
        ("admin", ADMINISTRATOR, "Administrator"),
        ("kepegawaian", ADMIN_KEPEGAWAIAN, "Admin Kepegawaian"),
        ("penilai", PEJABAT_PENILAI, "Pejabat Penilai"),
    ]
    assert all(a.password == users.PRACTICE_PASSWORD for a in accounts)
    # The practice supervisor is below the top with the most subordinates: the Kepala Bidang
    # (kasi and three staff) rather than the Sekretaris (two) or the Kepala Dinas (the top).
    assert r.names["kabid"] in accounts[2].description
    for a in accounts:
        p = _try(db, a.username, a.password, T0)
        assert p.role == a.role
    assert _try(db, "penilai", users.PRACTICE_PASSWORD, T0).employee_id == r.kabid
    with db.session() as s:
        assert all(u.is_demo for u in s.scalars(select(User)))
