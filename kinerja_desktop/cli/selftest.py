"""``kinerja selftest [--json OUT]``: check that this installation works (exit 0 only if so)."""

from __future__ import annotations

import argparse

from kinerja_desktop.i18n import _
from kinerja_desktop.selftest import run_selftest


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "selftest",
        help=_("uji mandiri: migrasi, data contoh, terjemahan, jendela, dan setiap fitur"),
        description=_("Menjalankan setiap pemeriksaan di folder data sementara; data Anda tidak disentuh."),
    )
    p.add_argument("--json", metavar="OUT", help=_("tulis hasil setiap langkah ke berkas JSON ini"))
    p.add_argument("--screenshot", metavar="PNG", help=_("simpan gambar jendela utama ke berkas PNG ini"))
    p.set_defaults(handler=selftest)


def selftest(args: argparse.Namespace) -> int:

    return run_selftest(args.json, screenshot=args.screenshot)
