"""``kinerja export training FILE --year YYYY [--unit KODE]``: JP per employee (.csv or .xlsx)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import select

from kinerja_desktop.cli import EXIT_OK, database_target
from kinerja_desktop.cli.progress import run_with_progress
from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.table_export import check_target
from kinerja_desktop.services.training.export import export_training
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.org import Unit

MIN_YEAR, MAX_YEAR = 2000, 2100


def register_training(esub: argparse._SubParsersAction) -> None:
    p = esub.add_parser("training", help=_("JP pengembangan kompetensi satu tahun (satu baris per pegawai)"))
    p.add_argument("file", metavar="FILE", help=_("berkas tujuan .csv atau .xlsx"))
    p.add_argument("--year", type=int, required=True, metavar="YYYY", help=_("tahun kegiatan (tanggal selesai)"))
    p.add_argument("--unit", metavar="KODE", help=_("hanya satu unit kerja (dan unit di bawahnya), menurut kodenya"))
    p.set_defaults(handler=export_training_command)


def export_training_command(args: argparse.Namespace) -> int:

    if not MIN_YEAR <= args.year <= MAX_YEAR:
        raise UnusableInput(
            _("Tahun {year} di luar rentang {low}-{high}.").format(year=args.year, low=MIN_YEAR, high=MAX_YEAR)
        )
    target = Path(args.file).expanduser()
    check_target(target)
    db = open_database(database_target(args), create=False)
    try:
        with db.session() as s:
            unit_id = None
            if args.unit:
                unit_id = s.scalar(select(Unit.id).where(Unit.code == args.unit.strip(), Unit.deleted.is_(False)))
                if unit_id is None:
                    raise UnusableInput(
                        _("Unit kerja dengan kode {code} tidak ada; tidak ada yang diekspor.").format(code=args.unit)
                    )
            n = run_with_progress(export_training(s, SYSTEM, target, args.year, unit_id=unit_id))
    finally:
        db.close()
    print(_("JP {n} pegawai tahun {year} diekspor ke {path}.").format(n=n, year=args.year, path=target))
    return EXIT_OK
