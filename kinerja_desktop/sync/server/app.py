"""The HTTP API of the central sync server (FastAPI on uvicorn; schema at ``/openapi.json``).

Every route except ``/v1/health`` needs a request signed by an enrolled office
(:mod:`signing`). Uploads are resumable: create (size + sha256) -> PUT chunks at the
confirmed offset -> finish (the server checks the sha256 and applies the bundle once, in
its own transaction) -> fetch the acknowledgement. Downstream: prepare (the server exports
what the office has not acknowledged) -> fetch it in pieces -> send the office's ack back.
Every answer other than success is JSON ``{"error": code, "message": sentence, ...}``.
"""

from __future__ import annotations

import json
import logging
from contextlib import asynccontextmanager

import anyio
import anyio.to_thread
from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from kinerja_desktop import __version__
from kinerja_desktop.i18n import _
from kinerja_desktop.sync.errors import BundleRefused
from kinerja_desktop.sync.server.errors import ApiError, database_unavailable, unavailable
from kinerja_desktop.sync.server.public import mount_public
from kinerja_desktop.sync.server.state import ServerState

log = logging.getLogger("kinerja.server")

HEX64 = r"^[0-9a-f]{64}$"
UPLOAD_ID = r"^[0-9a-f]{32}$"
BUNDLE_ID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
JSON_LIMIT = 64 * 1024
OCTETS = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}


# -- schema ---------------------------------------------------------------------------------------
class ErrorBody(BaseModel):
    error: str = Field(description="kode kesalahan untuk program")
    message: str = Field(description="satu kalimat untuk manusia")


class Health(BaseModel):
    status: str
    database: str
    site_id: str
    name: str
    server_time: int
    max_upload_bytes: int
    max_chunk_bytes: int
    api_version: int


class UploadCreate(BaseModel):
    size: int = Field(ge=1, le=2**40, description="ukuran bundel dalam byte")
    sha256: str = Field(pattern=HEX64, description="sha256 seluruh bundel (hex)")


class AckInfo(BaseModel):
    size: int
    sha256: str


class UploadStatus(BaseModel):
    upload_id: str
    size: int
    sha256: str
    offset: int = Field(description="byte yang sudah diterima dan disimpan server")
    state: str = Field(description="receiving, applied, duplicate atau refused")
    max_chunk_bytes: int
    result: dict | None = None
    ack: AckInfo | None = None


class ImportOutcome(BaseModel):
    status: str
    bundle_id: str
    kind: str
    source_site: str
    message: str
    counts: dict
    applied: int
    skipped: int
    conflicts: int


class DownstreamInfo(BaseModel):
    bundle_id: str
    size: int
    sha256: str
    changes: int
    counts: dict
    seq_to: int


ERRORS = {code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 413, 422, 429, 503)}


# -- request plumbing -----------------------------------------------------------------------------
class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuse a body larger than ``limit`` with 413 before reading it (or as soon as it passes)."""

    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None:
            if not length.isdigit():
                return await _send_json(
                    send, 400, {"error": "bad_request", "message": _("Kepala Content-Length tidak sah.")}
                )
            if int(length) > self.limit:
                return await _send_json(send, 413, _too_large(self.limit).body())
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge()
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _send_json(send, 413, _too_large(self.limit).body())


async def _send_json(send, status: int, body: dict) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


def _too_large(limit: int) -> ApiError:
    return ApiError(
        413, "too_large", _("Isi permintaan melebihi batas server ({limit} byte).").format(limit=limit), limit=limit
    )


async def _body(request: Request, limit: int) -> bytes:
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise _too_large(limit)
    chunks, n = [], 0
    try:
        async for part in request.stream():
            n += len(part)
            if n > limit:
                raise _too_large(limit)
            chunks.append(part)
    except RuntimeError:  # already read (a JSON body parsed by FastAPI)
        return await request.body()
    body = b"".join(chunks)
    request._body = body  # let later readers see it
    return body


def _target(request: Request) -> str:
    path = request.scope.get("path", "")
    root = request.scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    query = request.scope.get("query_string", b"").decode("latin-1")
    return f"{path}?{query}" if query else path


def create_app(state: ServerState) -> FastAPI:  # noqa: C901, PLR0915 (long: the sync server's routes, each a small closure over the state)
    cfg = state.config

    @asynccontextmanager
    async def lifespan(_app):
        # Blocking work (database, disk, applying bundles) runs in worker threads; bundles waiting
        # for an import slot hold one each, so keep enough for health checks and chunks meanwhile.
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = max(limiter.total_tokens, 64 + 4 * cfg.max_concurrent_imports)
        yield

    app = FastAPI(
        title="Kinerja Desktop: server sinkronisasi kantor pusat",
        version=__version__,
        description=__doc__,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.server = state

    async def authenticated(request: Request, limit: int = JSON_LIMIT) -> tuple[str, bytes]:
        body = await _body(request, limit)
        site = await run_in_threadpool(state.authenticate, request.method, _target(request), request.headers, body)
        return site, body

    # -- errors -----------------------------------------------------------------------------------
    @app.exception_handler(ApiError)
    async def api_error(_request, exc: ApiError):
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(BundleRefused)
    async def refused(_request, exc: BundleRefused):
        return JSONResponse({"error": "bundle_refused", "message": exc.message}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request, exc: RequestValidationError):
        detail = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()]
        return JSONResponse(
            {"error": "invalid_request", "message": _("Permintaan ini tidak sah."), "detail": detail}, status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request, exc: StarletteHTTPException):
        codes = {
            404: ("not_found", _("Alamat ini tidak ada di server.")),
            405: ("method_not_allowed", _("Metode ini tidak dipakai di alamat ini.")),
        }
        code, message = codes.get(exc.status_code, ("http_error", str(exc.detail)))
        return JSONResponse(
            {"error": code, "message": message}, status_code=exc.status_code, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(ClientDisconnect)
    async def disconnected(_request, _exc):
        return JSONResponse({"error": "disconnected", "message": _("Sambungan terputus.")}, status_code=400)

    @app.exception_handler(Exception)
    async def unexpected(_request, exc: Exception):
        if database_unavailable(exc):
            e = unavailable()
            return JSONResponse(e.body(), status_code=e.status)
        log.exception("unexpected server error")
        return JSONResponse(
            {"error": "internal", "message": _("Terjadi kesalahan di server; rincian ada di log server.")},
            status_code=500,
        )

    # -- routes -----------------------------------------------------------------------------------
    @app.get("/v1/health", response_model=Health, responses={503: {"model": Health}}, tags=["server"])
    async def health():
        """Whether the server and its database answer (no signature needed)."""
        h = await run_in_threadpool(state.health)
        return JSONResponse(h, status_code=200 if h["database"] == "ok" else 503)

    @app.post("/v1/uploads", response_model=UploadStatus, status_code=201, responses=ERRORS, tags=["upload"])
    async def create_upload(payload: UploadCreate, request: Request):
        """Start (or find again) the upload of a bundle of ``size`` bytes with this sha256."""
        site, _payload = await authenticated(request)
        up, existed = await run_in_threadpool(state.uploads.create, site, payload.size, payload.sha256)
        return JSONResponse(state.upload_status(up), status_code=200 if existed else 201)

    @app.get("/v1/uploads/{upload_id}", response_model=UploadStatus, responses=ERRORS, tags=["upload"])
    async def upload_status(request: Request, upload_id: str = Path(pattern=UPLOAD_ID)):
        """How far an upload has got (the confirmed offset), and its result once finished."""
        site, _b = await authenticated(request)
        up = await run_in_threadpool(state.uploads.get, upload_id, site)
        return state.upload_status(up)

    @app.put(
        "/v1/uploads/{upload_id}",
        response_model=UploadStatus,
        responses=ERRORS,
        tags=["upload"],
        openapi_extra={"requestBody": {"content": OCTETS, "required": True}},
    )
    async def put_chunk(
        request: Request,
        upload_id: str = Path(pattern=UPLOAD_ID),
        offset: int = Query(ge=0, le=2**40, description="where this piece starts"),
    ):
        """Store one piece of the bundle at ``offset`` (which must be the confirmed offset)."""
        site, chunk = await authenticated(request, cfg.max_chunk_bytes)

        def write():
            with state.uploads.lock(upload_id):
                up = state.uploads.get(upload_id, site)
                state.uploads.write_chunk(up, offset, chunk)
                return state.upload_status(up)

        return await run_in_threadpool(write)

    @app.post("/v1/uploads/{upload_id}/finish", response_model=UploadStatus, responses=ERRORS, tags=["upload"])
    async def finish_upload(request: Request, upload_id: str = Path(pattern=UPLOAD_ID)):
        """Check the sha256 and apply the bundle (once; asking again gives the same answer)."""
        site, _b = await authenticated(request)
        return await run_in_threadpool(state.finish_upload, site, upload_id)

    @app.get("/v1/uploads/{upload_id}/ack", responses={200: {"content": OCTETS}, **ERRORS}, tags=["upload"])
    async def upload_ack(
        request: Request,
        upload_id: str = Path(pattern=UPLOAD_ID),
        offset: int = Query(0, ge=0, le=2**40),
        length: int = Query(cfg.max_chunk_bytes, ge=1, le=cfg.max_chunk_bytes),
    ):
        """The acknowledgement bundle the server wrote for this upload (or a piece of it)."""
        site, _b = await authenticated(request)
        up = await run_in_threadpool(state.uploads.get, upload_id, site)
        data = await run_in_threadpool(state.uploads.read_ack, up, offset, length)
        return Response(data, media_type="application/octet-stream")

    @app.post(
        "/v1/downstream",
        response_model=DownstreamInfo,
        responses={204: {"description": "nothing waiting"}, **ERRORS},
        tags=["download"],
    )
    async def prepare_downstream(request: Request):
        """Export what this office has not acknowledged yet; 204 when there is nothing."""
        site, _b = await authenticated(request)
        meta = await run_in_threadpool(state.prepare_downstream, site)
        if meta is None:
            return Response(status_code=204)
        return meta

    @app.get("/v1/downstream/{bundle_id}", responses={200: {"content": OCTETS}, **ERRORS}, tags=["download"])
    async def fetch_downstream(
        request: Request,
        bundle_id: str = Path(pattern=BUNDLE_ID),
        offset: int = Query(0, ge=0, le=2**40),
        length: int = Query(cfg.max_chunk_bytes, ge=1, le=cfg.max_chunk_bytes),
    ):
        """A piece of a prepared bundle (``offset``, ``length``)."""
        site, _b = await authenticated(request)
        data = await run_in_threadpool(state.downstream.read, site, bundle_id, offset, length)
        return Response(data, media_type="application/octet-stream")

    @app.post(
        "/v1/acks",
        response_model=ImportOutcome,
        responses=ERRORS,
        tags=["download"],
        openapi_extra={"requestBody": {"content": OCTETS, "required": True}},
    )
    async def acknowledge(request: Request):
        """The office's acknowledgement of a bundle it applied (an ``ack`` bundle, sent whole)."""
        site, body = await authenticated(request, cfg.max_ack_bytes)
        result = await run_in_threadpool(state.apply, site, body, kinds=("ack",))
        return state.result_dict(result)

    mount_public(app, state)
    app.add_middleware(BodyLimit, limit=max(cfg.max_chunk_bytes, cfg.max_ack_bytes, JSON_LIMIT) + 1024)
    return app
