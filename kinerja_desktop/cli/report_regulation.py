"""``kinerja report penetapan`` and ``kinerja report pak``: the documents of the regulation's own.

    kinerja report penetapan --unit CODE --year YYYY [--period P] -o OUT.pdf [--sign P12]
    kinerja report pak --nip NIP -o OUT.pdf [--sign P12]

The penetapan is signed by the leader who decided the capaian; the PAK konversi by the
employee's pejabat penilai kinerja. Collection is in the services
(``services.penetapan.penetapan_view``, ``services.angka_kredit.pak_view``).
"""

from __future__ import annotations

import argparse

from kinerja_desktop.cli import EXIT_OK
from kinerja_desktop.i18n import _


def register_documents(rsub, sign_args) -> None:
    """Add the two subcommands to ``kinerja report`` (``sign_args`` adds --sign and its options)."""
    p = rsub.add_parser("penetapan", help=_("penetapan capaian kinerja organisasi dan distribusi predikat"))
    p.add_argument("--unit", required=True, metavar="CODE")
    p.add_argument("--year", type=int, required=True, metavar="YYYY")
    p.add_argument("--period", metavar="P", help=_("AKHIR (bawaan), TW1..TW4, S1, S2, B01..B12"))
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    sign_args(p)
    p.set_defaults(handler=penetapan)

    k = rsub.add_parser("pak", help=_("penetapan angka kredit (konversi predikat kinerja) seorang pejabat fungsional"))
    k.add_argument("--nip", required=True)
    k.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    sign_args(k)
    k.set_defaults(handler=pak)


def _write(args, make_view) -> int:
    from kinerja_desktop.cli.report import _database, _load_key, _produce, _say_written
    from kinerja_desktop.reports.render import check_output_path, write_pdf

    target = check_output_path(args.output)
    key = _load_key(args.sign)[2] if args.sign else None
    db = _database(args)
    try:
        with db.session() as s:
            view = make_view(s)
    finally:
        db.close()
    produced = _produce(view, key, args.confirm_name_mismatch)
    write_pdf(target, produced.pdf)
    _say_written(target, produced)
    return EXIT_OK


def penetapan(args: argparse.Namespace) -> int:
    from kinerja_desktop.services import document_views as collect
    from kinerja_desktop.services.penetapan import penetapan_view
    from kinerja_desktop.services.principal import SYSTEM

    def make(s):
        unit = collect.unit_by_code(s, args.unit)
        period = collect.resolve_period(s, args.year, args.period)
        return penetapan_view(s, SYSTEM, unit.id, period.id)

    return _write(args, make)


def pak(args: argparse.Namespace) -> int:
    from kinerja_desktop.services import document_views as collect
    from kinerja_desktop.services.angka_kredit import pak_view
    from kinerja_desktop.services.principal import SYSTEM

    return _write(args, lambda s: pak_view(s, SYSTEM, collect.employee_by_nip(s, args.nip).id))
