"""Running the server with uvicorn (``kinerja central serve``)."""

from __future__ import annotations

import logging

import uvicorn

from kinerja_desktop.sync.server.app import create_app
from kinerja_desktop.sync.server.config import ServerConfig
from kinerja_desktop.sync.server.state import ServerState

log = logging.getLogger("kinerja.server")


def build(config: ServerConfig):
    """(state, app) for ``config``: the database is opened, migrated and checked here."""

    state = ServerState(config)
    return state, create_app(state)


def uvicorn_server(app, host: str, port: int, *, log_level: str = "info", access_log: bool = True):

    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=access_log,
        lifespan="on",
        timeout_keep_alive=30,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        server_header=False,
    )
    return uvicorn.Server(config)


def serve(config: ServerConfig, host: str = "127.0.0.1", port: int = 8470, *, on_ready=None) -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM: finishes the requests in flight, then stops)."""
    state, app = build(config)
    server = uvicorn_server(app, host, port)
    if on_ready is not None:
        on_ready(state)
    try:
        server.run()
    finally:
        state.close()
