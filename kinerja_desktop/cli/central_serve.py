"""``kinerja central serve``: the central office's sync server (HTTP, on PostgreSQL).

Adds ``serve`` to the ``central`` group that ``cli/central.py`` builds (this module is
listed after it in ``COMMAND_MODULES``).
"""

from __future__ import annotations

import argparse

from kinerja_desktop.cli import EXIT_OK, EXIT_USAGE
from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.i18n import _


def subcommands_of(sub: argparse._SubParsersAction, group: str) -> argparse._SubParsersAction:
    """The sub-command action of an existing command group (``kinerja GROUP ...``)."""
    parser = sub.choices.get(group)
    if parser is None:
        raise RuntimeError(f"command group {group!r} must be registered before its extensions")
    for action in parser._actions:  # argparse keeps sub-commands there
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError(f"command group {group!r} has no sub-commands")


def register_serve(csub: argparse._SubParsersAction) -> None:
    s = csub.add_parser("serve", help=_("jalankan server sinkronisasi kantor pusat (HTTP)"))
    s.add_argument(
        "--db",
        dest="serve_db",
        metavar="URL",
        help=_("basis data kantor pusat, misalnya postgresql://kinerja@localhost/kinerja"),
    )
    s.add_argument("--host", default="127.0.0.1", help=_("alamat dengar (bawaan 127.0.0.1; di belakang proxy TLS)"))
    s.add_argument("--port", type=int, default=8470, help=_("port dengar (bawaan 8470)"))
    s.add_argument(
        "--max-upload-mb",
        type=int,
        default=200,
        metavar="MB",
        help=_("ukuran bundel terbesar yang diterima (bawaan 200 MB)"),
    )
    s.add_argument(
        "--max-chunk-mb",
        type=int,
        default=8,
        metavar="MB",
        help=_("potongan unggahan terbesar per permintaan (bawaan 8 MB)"),
    )
    s.set_defaults(handler=serve)


def register(sub: argparse._SubParsersAction) -> None:
    register_serve(subcommands_of(sub, "central"))


def serve(args: argparse.Namespace) -> int:
    try:
        import fastapi  # noqa: F401, PLC0415 (the optional web stack, checked before anything starts)
        import uvicorn  # noqa: F401, PLC0415 (the optional web stack)

        from kinerja_desktop.sync.server.config import MB, ServerConfig  # noqa: PLC0415 (needs the web stack)
        from kinerja_desktop.sync.server.run import serve as run_server  # noqa: PLC0415 (needs the web stack)
    except ImportError as exc:  # the office installer leaves the server's web stack out
        raise UserError(
            _(
                "Server kantor pusat tidak termasuk dalam program terpasang ini ({missing}). Pasang Kinerja "
                "Desktop dengan pip di server BKPSDM (lihat docs/central-server.md)."
            ).format(missing=exc.name)
        ) from exc

    url = args.serve_db or args.db
    if not url:
        raise UnusableInput(_("Sebutkan basis data kantor pusat dengan --db postgresql://PENGGUNA@HOST/NAMA."))
    if "://" not in url:
        raise UnusableInput(
            _("Server kantor pusat memakai PostgreSQL: --db harus berupa URL postgresql://PENGGUNA@HOST/NAMA.")
        )
    if not 0 < args.port < 65536 or args.max_upload_mb <= 0 or args.max_chunk_mb <= 0:
        print(_("Port atau batas ukuran tidak sah."))
        return EXIT_USAGE
    config = ServerConfig(
        db_url=url,
        max_upload_bytes=args.max_upload_mb * MB,
        max_chunk_bytes=min(args.max_chunk_mb, args.max_upload_mb) * MB,
    )

    def ready(state) -> None:
        print(
            _(
                "Server sinkronisasi {site} ({name}) mendengarkan di http://{host}:{port} (basis data {db}). "
                "Hentikan dengan Ctrl+C."
            ).format(site=state.site_id, name=state.site_name or "-", host=args.host, port=args.port, db=state.db.url),
            flush=True,
        )

    run_server(config, args.host, args.port, on_ready=ready)
    return EXIT_OK
