"""How an office signs its HTTP requests to the central server (and how the server checks them).

Every request carries four headers: the site id, a timestamp (Unix seconds), a random
nonce, and an Ed25519 signature by the site's enrolled signing key over::

    KINERJA-HTTP-1 \\n METHOD \\n PATH?QUERY \\n TIMESTAMP \\n NONCE \\n sha256(body) hex

The path is the API path (``/v1/...``) as the server sees it, so a reverse proxy that
mounts the API under a prefix does not break signatures. The bundles inside keep their
own signatures; this only says *who is asking*.

Shared by the client (``sync.http_client``) and the server; no web framework imported here.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time

from kinerja_desktop.sync.keys import SiteKeys, verify

SCHEME = "KINERJA-HTTP-1"
HEADER_SITE = "X-Kinerja-Site"
HEADER_TIMESTAMP = "X-Kinerja-Timestamp"
HEADER_NONCE = "X-Kinerja-Nonce"
HEADER_SIGNATURE = "X-Kinerja-Signature"
NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SITE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,63}$")


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body or b"").hexdigest()


def canonical(method: str, target: str, timestamp: int, nonce: str, digest: str) -> bytes:
    """The exact bytes that are signed (``target`` = path plus ``?query`` when there is one)."""
    return "\n".join((SCHEME, method.upper(), target, str(int(timestamp)), nonce, digest)).encode("utf-8")


def sign_request(
    keys: SiteKeys, method: str, target: str, body: bytes = b"", *, now: float | None = None
) -> dict[str, str]:
    """The four authentication headers for one request."""
    ts = int(time.time() if now is None else now)
    nonce = secrets.token_urlsafe(18)
    sig = keys.sign(canonical(method, target, ts, nonce, body_digest(body)))
    return {
        HEADER_SITE: keys.site_id,
        HEADER_TIMESTAMP: str(ts),
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: base64.b64encode(sig).decode("ascii"),
    }


def check_signature(
    sign_key: str, method: str, target: str, timestamp: int, nonce: str, body: bytes, signature_b64: str
) -> bool:
    try:
        signature = base64.b64decode(signature_b64, validate=True)
    except ValueError:
        return False
    if len(signature) != 64:
        return False
    return verify(sign_key, canonical(method, target, timestamp, nonce, body_digest(body)), signature)
