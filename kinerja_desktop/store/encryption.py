"""The encrypted SQLite database (SQLCipher) and the small key file beside it.

Each database file ``kinerja.sqlite3`` has a companion ``kinerja.sqlite3.kunci`` (JSON, no
secret in the clear): the id of its key in the key store (see :mod:`keystore`), the key
wrapped with the **recovery code** (a random 125-bit code shown once to the
administrator, so it needs no slow KDF), and check values of codes that were replaced.
Copy both files to another PC and ``kinerja db unlock --recovery-code`` opens it there.

The key is used raw (``PRAGMA key = "x'…'"``): SQLCipher then skips its passphrase
derivation, so opening costs no more than a plain file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kinerja_desktop import files
from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.store import keystore

SQLITE_MAGIC = b"SQLite format 3\x00"
SIDECAR_SUFFIX = ".kunci"
FORMAT = 1
CIPHER = "sqlcipher4"
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
CODE_GROUPS, CODE_GROUP_LEN = 5, 5
MAX_KEY_FILE = 256 * 1024  # a key file is a few hundred bytes (plus one line per retired code)


class KeyMissing(UserError):
    """The database is encrypted and this PC has no key that opens it."""


class WrongRecoveryCode(UserError):
    pass


class NewerKeyFile(UnusableInput):
    pass


_quiet: list[bool] = []


def sqlcipher():
    """The SQLCipher DB-API module (sqlcipher3-wheels)."""

    if not _quiet:  # a wrong key is an answer, not something to print on stderr
        con = sqlcipher3.connect(":memory:")
        try:
            con.execute("PRAGMA cipher_log_level = NONE").fetchall()
        finally:
            con.close()
        _quiet.append(True)
    return sqlcipher3


def sidecar_path(db_path: Path) -> Path:
    return Path(f"{db_path}{SIDECAR_SUFFIX}")


def is_plain(path: Path) -> bool:
    """True for an existing plain SQLite file (an empty file counts as plain)."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    with path.open("rb") as fh:
        return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def now_text() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# --- the key file beside the database -------------------------------------------------------------


@dataclass
class KeyInfo:
    key_id: str
    cipher: str = CIPHER
    format: int = FORMAT
    created: str = field(default_factory=now_text)
    recovery: dict | None = None
    retired_codes: list[dict] = field(default_factory=list)
    files_key_id: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, ensure_ascii=False)


def read_keyinfo(db_path: Path) -> KeyInfo | None:
    side = sidecar_path(db_path)
    if not side.exists():
        return None
    try:
        if side.stat().st_size > MAX_KEY_FILE:
            raise ValueError("too large for a key file")
        doc = json.loads(side.read_text("utf-8"))
        fmt = int(doc.get("format", 0))
    except (ValueError, OSError, AttributeError) as exc:
        raise UnusableInput(
            _(
                "Berkas kunci {path} rusak. Salin ulang berkas itu dari PC asal atau dari cadangan; basis data "
                "tidak diubah."
            ).format(path=side)
        ) from exc
    if fmt > FORMAT or doc.get("cipher") != CIPHER:
        raise NewerKeyFile(
            _(
                "Basis data {path} dienkripsi oleh versi Kinerja Desktop yang lebih baru ({cipher}, format {fmt}). "
                "Pasang versi program yang terbaru untuk membukanya; data tidak diubah."
            ).format(path=db_path, cipher=doc.get("cipher"), fmt=fmt)
        )
    known = {f for f in KeyInfo.__dataclass_fields__}
    return KeyInfo(**{k: v for k, v in doc.items() if k in known})


def write_keyinfo(db_path: Path, info: KeyInfo) -> None:
    files.write_atomic(sidecar_path(db_path), info.to_json() + "\n", private=True)


# --- recovery codes -----------------------------------------------------------------------------------


def new_recovery_code() -> str:
    chars = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_GROUPS * CODE_GROUP_LEN))
    return "-".join(chars[i : i + CODE_GROUP_LEN] for i in range(0, len(chars), CODE_GROUP_LEN))


def normalize_code(code: str) -> str:
    text = "".join(ch for ch in code.upper() if ch.isalnum())
    return text.replace("O", "0").replace("I", "1").replace("L", "1")


def _code_check(code: str) -> str:
    return hmac.new(normalize_code(code).encode(), b"kinerja recovery check", hashlib.sha256).hexdigest()[:32]


def _code_key(code: str, salt: bytes) -> bytes:
    return keystore.derive(salt + normalize_code(code).encode(), "kinerja recovery v1")


def wrap_for_recovery(code: str, key_id: str, secrets_map: dict[str, str]) -> dict:
    """``secrets_map`` (key id → hex key) encrypted with a key made from ``code``."""
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    data = AESGCM(_code_key(code, salt)).encrypt(nonce, json.dumps(secrets_map).encode(), key_id.encode())
    return {
        "check": _code_check(code),
        "created": now_text(),
        "salt": base64.b64encode(salt).decode(),
        "nonce": base64.b64encode(nonce).decode(),
        "data": base64.b64encode(data).decode(),
    }


def unwrap_recovery(info: KeyInfo, code: str, where: Path) -> dict[str, str]:
    """The keys wrapped with ``code``, or a sentence saying why the code does not open them."""
    if len(normalize_code(code)) != CODE_GROUPS * CODE_GROUP_LEN:
        raise WrongRecoveryCode(
            _("Kode pemulihan harus {n} huruf dan angka (lima kelompok lima). Periksa lagi kode yang dicetak.").format(
                n=CODE_GROUPS * CODE_GROUP_LEN
            )
        )
    check = _code_check(code)
    for old in info.retired_codes:
        if hmac.compare_digest(old.get("check", ""), check):
            raise WrongRecoveryCode(
                _(
                    "Kode pemulihan ini sudah diganti pada {when} dan tidak berlaku lagi untuk {path}. Pakai kode "
                    "yang dibuat sesudahnya."
                ).format(when=old.get("retired", "?")[:10], path=where)
            )
    rec = info.recovery or {}
    if not rec or not hmac.compare_digest(rec.get("check", ""), check):
        raise WrongRecoveryCode(
            _(
                "Kode pemulihan salah untuk {path}. Periksa lagi kode yang dicetak (huruf O dan angka 0 dianggap sama)."
            ).format(path=where)
        )
    try:
        salt, nonce, data = (base64.b64decode(rec[k]) for k in ("salt", "nonce", "data"))
        plain = AESGCM(_code_key(code, salt)).decrypt(nonce, data, info.key_id.encode())
    except (InvalidTag, KeyError, ValueError) as exc:
        raise WrongRecoveryCode(
            _(
                "Berkas kunci {path} tidak cocok dengan kode pemulihan ini (berkasnya rusak atau dari basis data lain)."
            ).format(path=sidecar_path(where))
        ) from exc
    return json.loads(plain)


# --- raw connections ---------------------------------------------------------------------------------


def key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(path: Path, key: bytes | None, **kwargs):
    """A raw SQLCipher connection; ``key=None`` opens a plain file."""
    con = sqlcipher().connect(str(path), **kwargs)
    if key is not None:
        con.execute(key_pragma(key))
    return con


def key_opens(path: Path, key: bytes) -> bool:
    try:
        con = connect(path, key)
    except Exception:
        return False
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher().DatabaseError:
        return False
    finally:
        con.close()


def previous_path(db_path: Path) -> Path:
    """The key file of the old key while a new one is being made (``kinerja db rekey``)."""
    return Path(f"{sidecar_path(db_path)}.lama")


def _previous_keyinfo(db_path: Path) -> KeyInfo | None:
    side = previous_path(db_path)
    if not side.exists():
        return None
    try:
        doc = json.loads(side.read_text("utf-8"))
        return KeyInfo(**{k: v for k, v in doc.items() if k in KeyInfo.__dataclass_fields__})
    except (ValueError, TypeError, OSError):
        return None


def database_key(db_path: Path) -> bytes:
    """The key that opens the encrypted ``db_path`` on this PC, or a sentence saying what to do."""
    info = read_keyinfo(db_path)
    if info is None:
        raise UnusableInput(
            _(
                "Berkas {path} bukan basis data SQLite biasa dan berkas kuncinya ({side}) tidak ada: berkas ini "
                "rusak, bukan basis data Kinerja Desktop, atau berkas kuncinya tertinggal di PC asal. Salin "
                "berkas kunci itu ke sebelahnya; berkas ini tidak diubah."
            ).format(path=db_path, side=sidecar_path(db_path).name)
        )
    stored_but_wrong = False
    previous = _previous_keyinfo(db_path)
    for candidate in [info] + ([previous] if previous is not None else []):
        for store in keystore.candidate_stores():
            key = store.get(candidate.key_id)
            if key is None:
                continue
            if key_opens(db_path, key):
                if candidate is previous:  # a new key was being made when the program stopped
                    write_keyinfo(db_path, previous)
                    previous_path(db_path).unlink(missing_ok=True)
                return key
            stored_but_wrong = True
    if stored_but_wrong:
        raise KeyMissing(
            _(
                "Kunci yang tersimpan di komputer ini tidak membuka basis data {path} (kunci salah: berkasnya diganti "
                "dengan basis data lain atau kuncinya sudah diganti). Buka dengan kode pemulihannya: kinerja db "
                "unlock --recovery-code KODE."
            ).format(path=db_path)
        )
    raise KeyMissing(
        _(
            "Kunci basis data {path} tidak ada di komputer ini (basis data dari PC atau pengguna Windows lain, "
            "atau penyimpanan kuncinya terhapus). Buka dengan kode pemulihannya: kinerja db unlock "
            "--recovery-code KODE."
        ).format(path=db_path)
    )


def open_raw(db_path: Path, **kwargs):
    """A DB-API connection to ``db_path`` with its key set (plain files open as they are):
    for tools, benchmarks and tests that read the file beside the program."""
    db_path = Path(db_path)
    key = None if is_plain(db_path) else database_key(db_path)
    return connect(db_path, key, **kwargs)
