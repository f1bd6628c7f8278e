"""The public complaint page of the central server: no sign-in, Indonesian, plain HTML.

Kept apart from the signed sync API (:mod:`app`): its own routes under ``/pengaduan``, its own
body limit (:data:`FORM_LIMIT`) and its own rate limits per client address (intake and
lookup separately, and a ceiling on web intake for the whole district). The pages use no
script at all (a Content-Security-Policy forbids it), work on small phone browsers and are
rendered by Jinja2 with autoescaping, so whatever anyone typed is shown as text.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from kinerja_desktop.domain import pengaduan as rules
from kinerja_desktop.domain.dates import format_date_id
from kinerja_desktop.i18n import _
from kinerja_desktop.services.pengaduan import web
from kinerja_desktop.services.pengaduan.cases import ComplaintRefused

log = logging.getLogger("kinerja.server.public")

BASE = "/pengaduan"
#: Largest form body accepted (the description is at most 4,000 characters).
FORM_LIMIT = 16 * 1024
TEMPLATES = Path(__file__).resolve().parent / "templates"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class RateLimiter:
    """At most ``limit`` events per ``window_s`` seconds per key (sliding window, in memory).

    ``hit`` records an event and answers ``None``, or refuses it with the seconds to wait.
    Memory is bounded: past ``max_keys`` keys the oldest windows are dropped.
    """

    def __init__(self, limit: int, window_s: float, *, max_keys: int = 50_000) -> None:
        self.limit, self.window_s, self.max_keys = limit, window_s, max_keys
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> int | None:
        now = time.monotonic() if now is None else now
        with self._lock:
            q = self._events.get(key)
            if q is None:
                if len(self._events) >= self.max_keys:
                    self._prune(now)
                q = self._events[key] = deque()
            while q and q[0] <= now - self.window_s:
                q.popleft()
            if len(q) >= self.limit:
                return max(1, int(q[0] + self.window_s - now + 0.999))
            q.append(now)
            return None

    def _prune(self, now: float) -> None:
        cutoff = now - self.window_s
        self._events = {k: q for k, q in self._events.items() if q and q[-1] > cutoff}
        while len(self._events) >= self.max_keys:
            self._events.pop(next(iter(self._events)))


class PublicLimits:
    """The rate limits of the public page (tests make them smaller)."""

    def __init__(
        self,
        *,
        intake_per_hour: int = 5,
        intake_per_day: int = 20,
        lookups_per_10min: int = 30,
        district_intake_per_hour: int = 600,
    ) -> None:
        self.intake_hour = RateLimiter(intake_per_hour, 3600)
        self.intake_day = RateLimiter(intake_per_day, 86400)
        self.lookup = RateLimiter(lookups_per_10min, 600)
        self.district = RateLimiter(district_intake_per_hour, 3600)


def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]), auto_reload=False
    )


def _when(value: datetime | date | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return f"{format_date_id(value.date())}, {value:%H.%M} WIB"
    return format_date_id(value)


def _address(request: Request) -> str:
    return request.client.host if request.client else "?"


async def _form(request: Request) -> dict[str, str] | None:
    """The urlencoded form (first value of each field), or ``None`` when too large or not a form."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > FORM_LIMIT):
        return None
    body, n = [], 0
    async for part in request.stream():
        n += len(part)
        if n > FORM_LIMIT:
            return None
        body.append(part)
    try:
        fields = parse_qs(b"".join(body).decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        return None
    return {k: v[0] for k, v in fields.items() if v}


def mount_public(app: FastAPI, state, limits: PublicLimits | None = None) -> None:  # noqa: C901 (long: the public page's routes, each a small closure over the limits)
    """Add the public complaint page to the server's ``app``."""
    env = _env()
    app.state.public_limits = limits or PublicLimits()  # read per request: an operator (or a test) may swap it

    def page(name: str, http_status: int = 200, headers: dict | None = None, **ctx) -> HTMLResponse:
        html = env.get_template(name).render(
            base=BASE, max_description=rules.MAX_DESCRIPTION, max_location=rules.MAX_LOCATION, **ctx
        )
        return HTMLResponse(html, status_code=http_status, headers={**SECURITY_HEADERS, **(headers or {})})

    def refused(message: str, status: int, retry_after: int | None = None) -> HTMLResponse:
        headers = {"Retry-After": str(retry_after)} if retry_after else None
        return page("message.html", status, headers, title=_("Tidak dapat diproses"), message=message)

    def services():
        with state.db.session() as s:
            return web.public_services(s)

    async def index_page(error: str = "", form: dict | None = None, ticket: str = "", status: int = 200):
        groups = await run_in_threadpool(services)
        return page(
            "index.html", status, title=_("Pengaduan"), services=groups, error=error, form=form or {}, ticket=ticket
        )

    @app.get(BASE, response_class=HTMLResponse, include_in_schema=False)
    async def index(tiket: str = ""):
        return await index_page(ticket=rules.normalize_ticket(tiket)[:20] if tiket else "")

    @app.get(BASE + "/", include_in_schema=False)
    async def index_slash():
        return RedirectResponse(BASE, status_code=308)

    @app.post(BASE + "/kirim", response_class=HTMLResponse, include_in_schema=False)
    async def submit(request: Request):
        form = await _form(request)
        if form is None:
            return refused(_("Isian terlalu besar atau tidak terbaca; persingkat uraian lalu kirim lagi."), 413)
        if form.get("situs"):  # the field people do not see: only robots fill it in
            return refused(_("Pengaduan ini tidak dapat diterima."), 400)
        limits = app.state.public_limits
        address = _address(request)
        wait = limits.intake_hour.hit(address) or limits.intake_day.hit(address)
        if wait:
            log.info("public intake refused: rate limit for one address")
            return refused(
                _(
                    "Terlalu banyak pengaduan dari alamat ini dalam waktu singkat. Coba lagi dalam {m} "
                    "menit, atau sampaikan langsung ke loket pengaduan."
                ).format(m=max(1, wait // 60)),
                429,
                wait,
            )
        wait = limits.district.hit("*")
        if wait:
            log.warning("public intake refused: district-wide ceiling reached")
            return refused(
                _("Layanan pengaduan daring sedang sangat sibuk. Coba lagi dalam {m} menit.").format(
                    m=max(1, wait // 60)
                ),
                429,
                wait,
            )
        keep = {"layanan": form.get("layanan", ""), "uraian": form.get("uraian", ""), "lokasi": form.get("lokasi", "")}

        def write():
            with state.db.transaction() as s:
                return web.submit(
                    s,
                    service_id=keep["layanan"],
                    description=keep["uraian"],
                    location=keep["lokasi"],
                    phone=form.get("telepon", ""),
                )

        try:
            got = await run_in_threadpool(write)
        except ComplaintRefused as exc:
            return await index_page(error=exc.message, form=keep, status=422)
        log.info("public complaint recorded")
        return page(
            "received.html",
            201,
            title=_("Pengaduan diterima"),
            number=got.number,
            unit=got.unit,
            service=got.service,
            received=_when(got.received_at),
            verify_by=_when(got.verify_by),
            respond_by=_when(got.respond_by),
            close_by=_when(got.close_by),
        )

    @app.get(BASE + "/status", include_in_schema=False)
    async def status_form(tiket: str = ""):
        return await index(tiket=tiket)

    @app.post(BASE + "/status", response_class=HTMLResponse, include_in_schema=False)
    async def status(request: Request):
        form = await _form(request)
        if form is None:
            return refused(_("Isian tidak terbaca."), 400)
        wait = app.state.public_limits.lookup.hit(_address(request))
        if wait:
            return refused(
                _("Terlalu banyak permintaan status dari alamat ini. Coba lagi dalam {m} menit.").format(
                    m=max(1, wait // 60)
                ),
                429,
                wait,
            )

        def read():
            with state.db.session() as s:
                return web.lookup(s, form.get("tiket", "")[:20], form.get("hp4", "")[:8])

        found = await run_in_threadpool(read)
        if found is None:
            return page(
                "status.html",
                title=_("Status pengaduan"),
                found=False,
                message=_(
                    "Tiket tidak ditemukan, atau 4 angka terakhir nomor telepon tidak cocok. Periksa "
                    "lagi nomor tiket pada tanda terima Anda."
                ),
            )
        return page(
            "status.html",
            title=_("Status pengaduan"),
            found=True,
            number=found.number,
            status=found.status,
            service=found.service,
            unit=found.unit,
            received=_when(found.received_at),
            close_by=_when(found.close_by),
            steps=[(_when(at), label) for at, label in found.steps],
        )
