"""``kinerja export ...``: write data files for other programs.

``kinerja export evaluations FILE --year YYYY [--period P]`` (.csv or .xlsx). Other
export subcommands (e.g. ``training``) register under the same group by adding a
function to :data:`SUBCOMMANDS`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kinerja_desktop.cli import EXIT_OK, database_target
from kinerja_desktop.cli.progress import run_with_progress
from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.performance.evaluation_export import export_evaluations
from kinerja_desktop.services.performance.periods import find_period, list_periods
from kinerja_desktop.store.database import open_database


def register_evaluations(esub: argparse._SubParsersAction) -> None:
    p = esub.add_parser("evaluations", help=_("evaluasi kinerja satu tahun (satu baris per evaluasi)"))
    p.add_argument("file", metavar="FILE", help=_("berkas tujuan .csv atau .xlsx"))
    p.add_argument("--year", type=int, required=True, metavar="YYYY", help=_("tahun penilaian"))
    p.add_argument(
        "--period", metavar="P", help=_("hanya satu periode: AKHIR, TW1..TW4, S1, S2, B01..B12 atau namanya")
    )
    p.set_defaults(handler=export_evaluations_command)


from kinerja_desktop.cli.export_training import register_training  # noqa: E402

#: Functions that add a subcommand to the ``export`` group.
SUBCOMMANDS = [register_evaluations, register_training]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help=_("ekspor data ke berkas CSV atau XLSX"))
    esub = p.add_subparsers(dest="export_command", metavar="SUBCOMMAND", required=True)
    for add in SUBCOMMANDS:
        add(esub)


def export_evaluations_command(args: argparse.Namespace) -> int:

    target = Path(args.file).expanduser()
    db = open_database(database_target(args), create=False)
    try:
        with db.session() as s:
            if not list_periods(s, args.year):
                raise UnusableInput(
                    _("Belum ada periode penilaian tahun {year}; tidak ada yang diekspor.").format(year=args.year)
                )
            try:
                period_id = find_period(s, args.year, args.period).id if args.period else None
            except UserError as exc:
                raise UnusableInput(exc.message) from None
            n = run_with_progress(export_evaluations(s, SYSTEM, target, args.year, period_id))
    finally:
        db.close()
    print(_("{n} evaluasi diekspor ke {path}.").format(n=number_text(n), path=target))
    return EXIT_OK
