"""Password hashing (argon2id, via argon2-cffi) and the rules for a new password."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _

MIN_PASSWORD_LENGTH = 8

#: argon2-cffi's defaults are the RFC 9106 "low memory" profile of argon2id.
_hasher = PasswordHasher()

#: Passwords people choose first; refused whatever their length.
_COMMON = frozenset(
    {
        "password",
        "password1",
        "password123",
        "passw0rd",
        "katasandi",
        "katasandi1",
        "katasandi123",
        "rahasia",
        "rahasia1",
        "rahasia123",
        "bismillah",
        "bismillah1",
        "admin123",
        "administrator",
        "indonesia",
        "indonesia1",
        "qwertyuiop",
        "asdfghjkl",
        "iloveyou",
        "sayang123",
        "kinerja",
        "kinerja123",
        "batanghari",
        "batanghari1",
        "muarabulian",
        "welcome1",
        "letmein1",
        "sandi123",
        "pegawai123",
        "asn12345",
    }
)
_RUNS = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm")


def hash_password(pw: str) -> str:
    """An argon2id hash (with its own salt and parameters) of ``pw``."""
    return _hasher.hash(pw)


def verify_password(hash: str, pw: str) -> bool:  # the API's name
    """True when ``pw`` matches ``hash``; False for a wrong password or an unreadable hash."""
    try:
        return _hasher.verify(hash, pw)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(hash: str) -> bool:
    """True when ``hash`` was made with weaker parameters than the current ones."""
    try:
        return _hasher.check_needs_rehash(hash)
    except InvalidHashError:
        return True


def _is_run(text: str) -> bool:
    """``12345678``, ``87654321``, ``abcdefgh``, ``qwertyui``: a straight run of one row."""
    low = text.lower()
    return any(low in run or low in run[::-1] for run in _RUNS)


def validate_new_password(pw: str) -> None:
    """Refuse a password that is too short or too easy to guess (raises :class:`UserError`)."""
    if pw is None or len(pw) < MIN_PASSWORD_LENGTH:
        raise UserError(
            _("Kata sandi terlalu pendek: minimal {n} karakter. Pilih kata sandi yang lebih panjang.").format(
                n=MIN_PASSWORD_LENGTH
            )
        )
    if not pw.strip() or len(set(pw.lower())) < 3 or pw.lower() in _COMMON or _is_run(pw):
        raise UserError(
            _(
                "Kata sandi terlalu mudah ditebak. Gunakan campuran huruf dan angka yang tidak berurutan, "
                "misalnya dua kata dan satu angka."
            )
        )
