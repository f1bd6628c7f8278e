"""``kinerja sync push|pull``: exchanging bundles with the central server over HTTP.

Adds ``push`` and ``pull`` to the ``sync`` group that ``cli/sync.py`` builds (this module
is listed after it in ``COMMAND_MODULES``).
"""

from __future__ import annotations

import argparse

from kinerja_desktop.cli import EXIT_OK, database_target
from kinerja_desktop.cli.central_serve import subcommands_of
from kinerja_desktop.cli.progress import run_with_progress
from kinerja_desktop.i18n import _
from kinerja_desktop.store.database import open_database
from kinerja_desktop.sync.http_client import pull_job, push_job


def register(sub: argparse._SubParsersAction) -> None:
    ssub = subcommands_of(sub, "sync")
    p = ssub.add_parser("push", help=_("kirim perubahan ke server kantor pusat (HTTP)"))
    p.add_argument("--server", metavar="URL", help=_("alamat server (bawaan: dari pendaftaran/pengaturan)"))
    p.set_defaults(handler=push)
    q = ssub.add_parser("pull", help=_("ambil data baru dari server kantor pusat (HTTP)"))
    q.add_argument("--server", metavar="URL", help=_("alamat server (bawaan: dari pendaftaran/pengaturan)"))
    q.set_defaults(handler=pull)


def _open(args):

    return open_database(database_target(args), create=False)


def push(args: argparse.Namespace) -> int:

    db = _open(args)
    try:
        report = run_with_progress(push_job(db, args.server))
    finally:
        db.close()
    print(report.message)
    return EXIT_OK


def pull(args: argparse.Namespace) -> int:

    db = _open(args)
    try:
        report = run_with_progress(pull_job(db, args.server))
    finally:
        db.close()
    print(report.message)
    return EXIT_OK
