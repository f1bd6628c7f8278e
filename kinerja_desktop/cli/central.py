"""``kinerja central enroll|revoke``: the central office registers and revokes offices."""

from __future__ import annotations

import argparse

from kinerja_desktop.cli import EXIT_OK, database_target
from kinerja_desktop.i18n import _
from kinerja_desktop.store.database import open_database
from kinerja_desktop.sync.enrollment import enroll as do_enroll
from kinerja_desktop.sync.enrollment import read_request, revoke_site


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("central", help=_("kantor pusat: pendaftaran dan pencabutan kantor"))
    csub = p.add_subparsers(dest="central_command", metavar="SUBCOMMAND", required=True)
    e = csub.add_parser("enroll", help=_("daftarkan kantor dan tulis bundel pendaftarannya"))
    e.add_argument("request", metavar="REQUEST.json")
    e.add_argument("-o", "--output", required=True, metavar="ENROLLMENT.kinerja")
    e.add_argument("--unit", metavar="KODE", help=_("kode unit kantor itu (bawaan: dari permintaan)"))
    e.add_argument("--semua", action="store_true", help=_("kirim data seluruh kabupaten (tanpa batas unit)"))
    e.add_argument("--server", metavar="URL", help=_("alamat server sinkronisasi yang dicatat di bundel"))
    e.set_defaults(handler=enroll)
    r = csub.add_parser("revoke", help=_("cabut situs: bundelnya tidak diterima lagi"))
    r.add_argument("site", metavar="SITE")
    r.set_defaults(handler=revoke)


def enroll(args: argparse.Namespace) -> int:

    req = read_request(args.request)
    db = open_database(database_target(args), create=False)
    try:
        result = do_enroll(
            db, req, path=args.output, server_url=args.server, unit_code=args.unit, whole_district=args.semua
        )
    finally:
        db.close()
    print(
        _(
            "Situs {site} ({name}) terdaftar; sidik jari kuncinya {fp}. Bundel pendaftaran berisi {n} baris "
            "ditulis ke {path}."
        ).format(site=req.site_id, name=req.name, fp=req.fingerprint, n=result.total, path=result.path)
    )
    return EXIT_OK


def revoke(args: argparse.Namespace) -> int:

    db = open_database(database_target(args), create=False)
    try:
        revoke_site(db, args.site)
    finally:
        db.close()
    print(_("Situs {site} dicabut; bundel darinya tidak akan diterima lagi.").format(site=args.site))
    return EXIT_OK
