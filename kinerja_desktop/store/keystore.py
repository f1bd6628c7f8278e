"""Where the program keeps its secret keys: never in the data folder in the clear.

A key is 32 random bytes with an id (the id is written beside the thing it opens; the
key is not). Three places can hold keys, tried in this order:

1. ``KINERJA_DB_KEY`` (64 hex digits): a master secret for scripted runs and CI on
   machines with no key store. Each key is derived from it and its id (HKDF), so nothing
   is stored at all; whoever can read the environment can open the data.
2. The operating system's protected store through ``keyring``: Windows Credential
   Manager (DPAPI, bound to the Windows user), the macOS Keychain, Secret Service or
   KWallet on a Linux desktop. File-based keyrings are used only when chosen explicitly
   with ``PYTHON_KEYRING_BACKEND``.
3. A key file protected by a passphrase (scrypt + AES-GCM) in the keys folder, where no
   store exists: a headless Linux office PC, a portable install. The passphrase comes from
   ``KINERJA_DB_PASSPHRASE`` or is asked once per start (window or terminal).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kinerja_desktop import files, paths
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import N_, _

log = logging.getLogger(__name__)

KEY_BYTES = 32
ENV_KEY = "KINERJA_DB_KEY"
ENV_PASSPHRASE = "KINERJA_DB_PASSPHRASE"
KEYRING_SERVICE = "Kinerja Desktop"
VAULT_NAME = "kunci-basis-data.vault"
VAULT_FORMAT = 1
#: scrypt cost of the passphrase key file: about half a second and 128 MB on an office PC.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
MIN_PASSPHRASE = 8

#: Keyring backends that are a protected store of the operating system.
OS_KEYRING_MODULES = (
    "keyring.backends.Windows",
    "keyring.backends.macOS",
    "keyring.backends.SecretService",
    "keyring.backends.libsecret",
    "keyring.backends.kwallet",
)

SOURCE_ENV = "env"
SOURCE_KEYRING = "keyring"
SOURCE_VAULT = "keyfile"
SOURCE_LABELS = {
    SOURCE_ENV: N_("variabel lingkungan KINERJA_DB_KEY"),
    SOURCE_KEYRING: N_("penyimpanan kunci sistem operasi ({backend})"),
    SOURCE_VAULT: N_("berkas kunci berfrasa sandi {path}"),
}


class KeyStoreError(UserError):
    """No usable place for a key, or a key that cannot be read."""


class PassphraseNeeded(KeyStoreError):
    """The key file needs its passphrase and none was given (window: ask, then retry)."""

    def __init__(self, message: str, new: bool = False) -> None:
        super().__init__(message)
        self.new = new


class WrongPassphrase(KeyStoreError):
    pass


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def new_key_id() -> str:
    return secrets.token_hex(8)


def derive(master: bytes, info: str, length: int = KEY_BYTES) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info.encode()).derive(master)


# --- the passphrase: from the environment or asked once -------------------------------------------

PassphraseProvider = Callable[[bool], "str | None"]
_provider: PassphraseProvider | None = None
_session_passphrase: str | None = None
_lock = threading.RLock()


def set_passphrase_provider(provider: PassphraseProvider | None) -> None:
    """``provider(new)`` returns a passphrase (``new``: choosing one) or ``None`` to give up."""
    global _provider
    _provider = provider


def set_session_passphrase(passphrase: str | None) -> None:
    """The passphrase the window asked for; kept in memory for this run only."""
    global _session_passphrase
    _session_passphrase = passphrase


def _passphrase(new: bool) -> str:
    given = os.environ.get(ENV_PASSPHRASE) or _session_passphrase
    if not given and _provider is not None:
        given = _provider(new)
    if not given:
        raise PassphraseNeeded(
            _(
                "Komputer ini tidak punya penyimpanan kunci sistem operasi, jadi kunci basis data disimpan dalam "
                "berkas kunci berfrasa sandi. Masukkan frasa sandinya (variabel KINERJA_DB_PASSPHRASE untuk "
                "perintah dan CI)."
            ),
            new=new,
        )
    if new and len(given) < MIN_PASSPHRASE:
        raise KeyStoreError(
            _("Frasa sandi berkas kunci terlalu pendek: minimal {n} karakter.").format(n=MIN_PASSPHRASE)
        )
    return given


# --- the stores ------------------------------------------------------------------------------------


class EnvStore:
    source = SOURCE_ENV

    def __init__(self, master: bytes) -> None:
        self.master = master

    def describe(self) -> str:
        return _(SOURCE_LABELS[SOURCE_ENV])

    def new_key(self, key_id: str) -> bytes:
        return derive(self.master, f"kinerja key {key_id}")

    def get(self, key_id: str) -> bytes | None:
        return self.new_key(key_id)

    def put(self, key_id: str, key: bytes) -> None:
        if key != self.new_key(key_id):
            raise KeyStoreError(
                _(
                    "Variabel KINERJA_DB_KEY sedang dipakai, jadi kunci ini tidak dapat disimpan di komputer ini. "
                    "Hapus variabel itu lalu ulangi perintahnya."
                )
            )

    def delete(self, key_id: str) -> None:
        return None


class KeyringStore:
    source = SOURCE_KEYRING

    def __init__(self, backend) -> None:
        self.backend = backend

    def describe(self) -> str:
        return _(SOURCE_LABELS[SOURCE_KEYRING]).format(backend=type(self.backend).__name__)

    def new_key(self, key_id: str) -> bytes:
        return new_key()

    def get(self, key_id: str) -> bytes | None:
        try:
            value = self.backend.get_password(KEYRING_SERVICE, key_id)
        except Exception as exc:  # a locked or broken store: say so, never guess
            raise KeyStoreError(
                _(
                    "Penyimpanan kunci sistem operasi tidak dapat dibaca ({reason}). Buka kuncinya (masuk ke "
                    "sesi desktop) lalu coba lagi."
                ).format(reason=exc)
            ) from exc
        if not value:
            return None
        try:
            key = bytes.fromhex(value)
        except ValueError:
            return None
        return key if len(key) == KEY_BYTES else None

    def put(self, key_id: str, key: bytes) -> None:
        self.backend.set_password(KEYRING_SERVICE, key_id, key.hex())

    def delete(self, key_id: str) -> None:
        try:
            self.backend.delete_password(KEYRING_SERVICE, key_id)
        except Exception:  # already gone
            pass


@dataclass
class _VaultCache:
    mtime_ns: int
    passphrase: str
    keys: dict[str, str]


class VaultStore:
    """Keys in one file encrypted with a key derived from a passphrase (scrypt, AES-GCM)."""

    source = SOURCE_VAULT

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: _VaultCache | None = None

    def describe(self) -> str:
        return _(SOURCE_LABELS[SOURCE_VAULT]).format(path=self.path)

    def new_key(self, key_id: str) -> bytes:
        return new_key()

    @staticmethod
    def _kek(passphrase: str, salt: bytes) -> bytes:
        return Scrypt(salt=salt, length=KEY_BYTES, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(passphrase.encode())

    def _read(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        st = self.path.stat()
        if self._cache is not None and self._cache.mtime_ns == st.st_mtime_ns:
            return dict(self._cache.keys)
        try:
            if st.st_size > 1024 * 1024:
                raise ValueError("too large for a key file")
            doc = json.loads(self.path.read_text("utf-8"))
            if int(doc.get("format", 0)) > VAULT_FORMAT:
                raise KeyStoreError(
                    _(
                        "Berkas kunci {path} dibuat oleh versi Kinerja Desktop yang lebih baru; pasang versi terbaru."
                    ).format(path=self.path)
                )
            salt, nonce, data = (base64.b64decode(doc[k]) for k in ("salt", "nonce", "data"))
        except KeyStoreError:
            raise
        except Exception as exc:
            raise KeyStoreError(
                _(
                    "Berkas kunci {path} rusak; buka basis data dengan kode pemulihannya "
                    "('kinerja db unlock --recovery-code')."
                ).format(path=self.path)
            ) from exc
        passphrase = _passphrase(new=False)
        try:
            plain = AESGCM(self._kek(passphrase, salt)).decrypt(nonce, data, b"kinerja vault")
        except InvalidTag:
            raise WrongPassphrase(
                _(
                    "Frasa sandi berkas kunci {path} salah. Coba lagi; jika terlupa, buka basis data dengan kode "
                    "pemulihannya."
                ).format(path=self.path)
            ) from None
        keys = json.loads(plain)
        self._cache = _VaultCache(st.st_mtime_ns, passphrase, keys)
        return dict(keys)

    def _write(self, keys: dict[str, str]) -> None:
        passphrase = self._cache.passphrase if self._cache else _passphrase(new=not self.path.exists())
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        data = AESGCM(self._kek(passphrase, salt)).encrypt(nonce, json.dumps(keys).encode(), b"kinerja vault")
        doc = {
            "format": VAULT_FORMAT,
            "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P},
            "salt": base64.b64encode(salt).decode(),
            "nonce": base64.b64encode(nonce).decode(),
            "data": base64.b64encode(data).decode(),
        }
        files.private_folder(self.path.parent)
        files.write_atomic(self.path, json.dumps(doc, indent=1), private=True)
        self._cache = _VaultCache(self.path.stat().st_mtime_ns, passphrase, keys)

    def get(self, key_id: str) -> bytes | None:
        value = self._read().get(key_id)
        return bytes.fromhex(value) if value else None

    def put(self, key_id: str, key: bytes) -> None:
        with _lock:
            keys = self._read()
            keys[key_id] = key.hex()
            self._write(keys)

    def delete(self, key_id: str) -> None:
        with _lock:
            keys = self._read()
            if keys.pop(key_id, None) is not None:
                self._write(keys)


# --- choosing ---------------------------------------------------------------------------------------


def _env_master() -> bytes | None:
    value = os.environ.get(ENV_KEY, "").strip()
    if not value:
        return None
    try:
        master = bytes.fromhex(value)
    except ValueError:
        master = b""
    if len(master) != KEY_BYTES:
        raise KeyStoreError(_("Variabel KINERJA_DB_KEY harus berisi 64 digit heksadesimal (32 bita)."))
    return master


def _is_os_backend(backend) -> bool:
    members = getattr(backend, "backends", None) or [backend]
    return any(type(b).__module__.startswith(OS_KEYRING_MODULES) for b in members)


def _keyring_backend():
    """The keyring backend to use, or ``None`` where there is no protected store."""
    try:
        import keyring.core  # noqa: PLC0415 (optional: a build without a key store)
    except ImportError:  # pragma: no cover - the packaged program always carries keyring
        return None
    explicit = os.environ.get("PYTHON_KEYRING_BACKEND")
    try:
        backend = keyring.core.load_env() if explicit else keyring.core.get_keyring()
    except Exception:
        return None
    if backend is None or (not explicit and not _is_os_backend(backend)):
        return None
    if type(backend).__module__.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return None
    try:  # Secret Service is "available" but fails without a D-Bus session: probe once
        backend.get_password(KEYRING_SERVICE, "probe")
    except Exception as exc:
        log.info("keyring backend %s unusable: %s", type(backend).__name__, exc)
        return None
    return backend


_keyring_cache: list = []


def keyring_store() -> KeyringStore | None:
    with _lock:
        if not _keyring_cache:
            _keyring_cache.append(_keyring_backend())
        backend = _keyring_cache[0]
    return KeyringStore(backend) if backend is not None else None


def vault_path() -> Path:
    return paths.locations().keys / VAULT_NAME


_vaults: dict[Path, VaultStore] = {}


def vault_store() -> VaultStore:
    path = vault_path()
    with _lock:
        if path not in _vaults:
            _vaults[path] = VaultStore(path)
        return _vaults[path]


def reset() -> None:
    """Forget what was chosen (the data folder or the environment changed)."""
    with _lock:
        _keyring_cache.clear()
        _vaults.clear()
    set_session_passphrase(None)


def writable_store() -> EnvStore | KeyringStore | VaultStore:
    """Where a new key goes: the environment's master, the OS store, else the key file."""
    master = _env_master()
    if master is not None:
        return EnvStore(master)
    return keyring_store() or vault_store()


def candidate_stores() -> list:
    """Every place a key may already be, in the order they are tried."""
    found: list = []
    master = _env_master()
    if master is not None:
        found.append(EnvStore(master))
    ring = keyring_store()
    if ring is not None:
        found.append(ring)
    vault = vault_store()
    if vault.path.exists() or not found:
        found.append(vault)
    return found


def find_key(key_id: str, check: Callable[[bytes], bool] | None = None):
    """``(key, store)`` for ``key_id`` from the first store that has it (and, with
    ``check``, whose key passes it); ``(None, None)`` when none has it."""
    needed: PassphraseNeeded | None = None
    for store in candidate_stores():
        try:
            key = store.get(key_id)
        except PassphraseNeeded as exc:
            needed = exc
            continue
        if key is not None and (check is None or check(key)):
            return key, store
    if needed is not None:
        raise needed
    return None, None
