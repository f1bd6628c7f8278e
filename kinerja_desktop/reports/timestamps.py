"""RFC 3161 timestamps from a timestamp server (TSA) over HTTP, with httpx.

A timestamp proves *when* a signature existed, so a signature stays verifiable after its
certificate expires. The server's answer is input from outside: bounded in size, its
content type checked, its nonce checked by pyHanko, and every failure said in a sentence.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from asn1crypto import tsp
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError, set_tsp_headers

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _

MAX_RESPONSE_BYTES = 256 * 1024
TIMEOUT_SECONDS = 15


class TimestampUnavailable(UserError):
    """The timestamp server could not be reached or gave no usable answer."""


def check_url(url: str) -> str:
    """``url`` if it is an http(s) address, else :class:`UserError` (said in a sentence)."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(
            _(
                "Alamat server cap waktu harus berupa alamat http:// atau https://, misalnya "
                "http://tsa.contoh.go.id/tsr."
            )
        )
    return url


class HttpTimeStamper(TimeStamper):
    """pyHanko's timestamp client over httpx (one connection kept per stamper)."""

    def __init__(self, url: str, *, timeout: float = TIMEOUT_SECONDS) -> None:
        super().__init__()
        self.url = check_url(url)
        self.timeout = timeout
        self._client: httpx.Client | None = None

    def _session(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=self.timeout, follow_redirects=False)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _fail(self, reason: str) -> TimestampUnavailable:
        return TimestampUnavailable(
            _(
                "Server cap waktu {url} tidak memberi cap waktu ({reason}). Periksa alamatnya di "
                "Pengaturan › Sertifikat atau coba lagi nanti; tidak ada yang ditandatangani."
            ).format(url=self.url, reason=reason)
        )

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        try:
            with self._session().stream("POST", self.url, content=req.dump(), headers=set_tsp_headers({})) as response:
                if response.status_code != 200:
                    raise self._fail(_("jawaban HTTP {code}").format(code=response.status_code))
                if response.headers.get("content-type", "").split(";")[0].strip() != "application/timestamp-reply":
                    raise self._fail(_("jawabannya bukan cap waktu RFC 3161"))
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_RESPONSE_BYTES:
                        raise self._fail(_("jawabannya terlalu besar"))
        except httpx.HTTPError as exc:
            raise self._fail(type(exc).__name__) from None
        try:
            return tsp.TimeStampResp.load(bytes(body))
        except ValueError:
            raise self._fail(_("jawabannya rusak")) from None

    async def async_timestamp(self, message_digest, md_algorithm):
        try:
            return await super().async_timestamp(message_digest, md_algorithm)
        except TimestampRequestError as exc:
            raise self._fail(str(exc)[:120]) from None
