"""``kinerja site init|request``: this installation's identity and its enrollment request."""

from __future__ import annotations

import argparse

from kinerja_desktop.cli import EXIT_OK, database_target
from kinerja_desktop.i18n import _
from kinerja_desktop.store.database import open_database
from kinerja_desktop.sync.enrollment import init_site, write_request
from kinerja_desktop.sync.keys import fingerprint, load_keys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("site", help=_("identitas situs ini (kode, kunci, permintaan pendaftaran)"))
    ssub = p.add_subparsers(dest="site_command", metavar="SUBCOMMAND", required=True)
    i = ssub.add_parser("init", help=_("beri situs ini kode, nama dan kunci"))
    i.add_argument("--code", required=True, help=_("kode situs, misalnya 1504-DUKCAPIL"))
    i.add_argument("--name", required=True, help=_("nama kantor"))
    i.add_argument("--central", action="store_true", help=_("situs ini kantor pusat (BKPSDM)"))
    i.set_defaults(handler=init)
    r = ssub.add_parser("request", help=_("tulis permintaan pendaftaran untuk kantor pusat"))
    r.add_argument("-o", "--output", required=True, metavar="REQUEST.json")
    r.set_defaults(handler=request)


def init(args: argparse.Namespace) -> int:

    db = open_database(database_target(args))
    try:
        site = init_site(db, args.code, args.name, central=args.central)
        fp = load_keys(site.id).fingerprint
    finally:
        db.close()
    role = _("kantor pusat") if site.is_central else _("kantor")
    print(
        _("Situs {site} ({name}, {role}) siap. Sidik jari kunci: {fp}").format(
            site=site.id, name=site.name, role=role, fp=fp
        )
    )
    return EXIT_OK


def request(args: argparse.Namespace) -> int:

    db = open_database(database_target(args), create=False)
    try:
        req = write_request(db, args.output)
    finally:
        db.close()
    print(
        _(
            "Permintaan pendaftaran situs {site} ditulis ke {path}. Kirim ke kantor pusat dan sebutkan sidik jari "
            "{fp} lewat telepon."
        ).format(site=req["site_id"], path=args.output, fp=fingerprint(req["sign_key"]))
    )
    return EXIT_OK
