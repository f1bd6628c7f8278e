"""A site's two key pairs: Ed25519 (cryptography) to sign, age X25519 (pyrage) to receive.

Private keys live in ``paths.locations().keys / <site id>/``, owner-only and sealed with
the files key from the key store (:mod:`kinerja_desktop.store.sealed`); the public halves are pinned in the database (``site_keys``) and travel in requests and
enrollment bundles.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pyrage import x25519

from kinerja_desktop import paths
from kinerja_desktop.i18n import _
from kinerja_desktop.store import sealed
from kinerja_desktop.sync.errors import SyncError

log = logging.getLogger(__name__)

SIGNING_FILE = "signing-ed25519.pem"
IDENTITY_FILE = "identity.age"


def site_keys_dir(site_id: str, keys_dir: Path | None = None) -> Path:
    base = Path(keys_dir) if keys_dir is not None else paths.locations().keys
    return base / site_id


@dataclass(frozen=True)
class SiteKeys:
    site_id: str
    signing: Ed25519PrivateKey
    identity: x25519.Identity

    @property
    def sign_key(self) -> str:
        """The public signing key: raw 32 bytes, base64."""
        raw = self.signing.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return base64.b64encode(raw).decode("ascii")

    @property
    def age_recipient(self) -> str:
        return str(self.identity.to_public())

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign_key)

    def sign(self, data: bytes) -> bytes:
        return self.signing.sign(data)


def fingerprint(sign_key: str) -> str:
    """A short, readable fingerprint of a public signing key (to compare by phone)."""
    digest = hashlib.sha256(base64.b64decode(sign_key)).hexdigest().upper()[:20]
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def public_key(sign_key: str) -> Ed25519PublicKey:
    raw = base64.b64decode(sign_key, validate=True)
    return Ed25519PublicKey.from_public_bytes(raw)


def verify(sign_key: str, data: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is ``sign_key``'s signature of ``data``."""
    try:
        public_key(sign_key).verify(signature, data)
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


def _keys_base(keys_dir: Path | None) -> Path:
    return Path(keys_dir) if keys_dir is not None else paths.locations().keys


def _write_private(path: Path, data: bytes, keys_dir: Path | None = None) -> None:
    sealed.write_sealed(path, data, keys_dir=_keys_base(keys_dir))


def _read_private(path: Path, keys_dir: Path | None) -> bytes:
    """A sealed key file's content; a plain one from an older version is sealed now."""
    raw = sealed.read_sealed(path)
    if not sealed.is_sealed(path.read_bytes()):
        try:
            _write_private(path, raw, keys_dir)
        except Exception as exc:  # sealing later is fine; reading must not fail for it
            log.warning("could not seal %s: %s", path.name, exc)
    return raw


def has_keys(site_id: str, keys_dir: Path | None = None) -> bool:
    folder = site_keys_dir(site_id, keys_dir)
    return (folder / SIGNING_FILE).exists() and (folder / IDENTITY_FILE).exists()


def load_keys(site_id: str, keys_dir: Path | None = None) -> SiteKeys:
    folder = site_keys_dir(site_id, keys_dir)
    try:
        signing = serialization.load_pem_private_key(_read_private(folder / SIGNING_FILE, keys_dir), password=None)
        identity = x25519.Identity.from_str(_read_private(folder / IDENTITY_FILE, keys_dir).decode("ascii").strip())
    except FileNotFoundError:
        raise SyncError(
            _(
                "Kunci situs {site} tidak ditemukan di {folder}; jalankan 'kinerja site init' atau "
                "pulihkan folder kunci dari cadangan."
            ).format(site=site_id, folder=folder)
        ) from None
    except sealed.SealedFileError as exc:
        raise SyncError(exc.message) from exc
    except Exception as exc:
        raise SyncError(
            _("Kunci situs {site} di {folder} rusak ({reason}); pulihkan folder kunci dari cadangan.").format(
                site=site_id, folder=folder, reason=exc
            )
        ) from exc
    if not isinstance(signing, Ed25519PrivateKey):
        raise SyncError(_("Kunci tanda tangan situs {site} bukan kunci Ed25519.").format(site=site_id))
    return SiteKeys(site_id, signing, identity)


def ensure_keys(site_id: str, keys_dir: Path | None = None) -> SiteKeys:
    """The site's keys, made on first use."""
    if has_keys(site_id, keys_dir):
        return load_keys(site_id, keys_dir)
    folder = site_keys_dir(site_id, keys_dir)
    signing = Ed25519PrivateKey.generate()
    identity = x25519.Identity.generate()
    _write_private(
        folder / SIGNING_FILE,
        signing.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        keys_dir,
    )
    _write_private(folder / IDENTITY_FILE, (str(identity) + "\n").encode("ascii"), keys_dir)
    return SiteKeys(site_id, signing, identity)
