"""``kinerja roster import FILE [--dry-run] [--complete]`` and ``kinerja roster export FILE [--semicolon]``.

The import prints what changed by group, every column of the file with the field it fills
or why it is ignored ("diabaikan"), and the supervisor chain derived for a SIASN download.
"""

from __future__ import annotations

import argparse

from kinerja_desktop.cli import EXIT_OK, EXIT_PARTIAL, database_target
from kinerja_desktop.cli.progress import run_with_progress
from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.roster.export import export_roster
from kinerja_desktop.services.roster.importer import import_roster
from kinerja_desktop.services.roster.summary import chain_lines, column_lines, group_lines
from kinerja_desktop.store.database import open_database


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("roster", help=_("daftar pegawai: impor dan ekspor"))
    rsub = p.add_subparsers(dest="roster_command", metavar="SUBCOMMAND", required=True)
    imp = rsub.add_parser("import", help=_("impor daftar pegawai dari berkas CSV atau XLSX"))
    imp.add_argument("file", metavar="FILE", help=_("berkas .csv atau .xlsx"))
    imp.add_argument("--dry-run", action="store_true", help=_("periksa saja dan laporkan hasilnya tanpa menyimpan"))
    imp.add_argument(
        "--complete",
        action="store_true",
        help=_(
            "berkas memuat seluruh ASN instansi (unduhan lengkap SIASN): pegawai aktif yang tidak "
            "tercantum dinonaktifkan"
        ),
    )
    imp.set_defaults(handler=import_command)
    exp = rsub.add_parser("export", help=_("ekspor daftar pegawai ke berkas CSV atau XLSX"))
    exp.add_argument("file", metavar="FILE", help=_("berkas tujuan .csv atau .xlsx (menurut ekstensinya)"))
    exp.add_argument(
        "--semicolon", action="store_true", help=_("CSV dengan pemisah ; (Excel berbahasa Indonesia) alih-alih ,")
    )
    exp.set_defaults(handler=export_command)


def import_command(args: argparse.Namespace) -> int:

    db = open_database(database_target(args))
    try:
        report = run_with_progress(import_roster(db, args.file, dry_run=args.dry_run, complete=args.complete))
    finally:
        db.close()
    counts = dict(
        created=report.created, updated=report.updated, unchanged=report.unchanged, rejected=report.rejected_rows
    )
    if report.dry_run:
        print(
            _(
                "Uji coba selesai, tidak ada yang disimpan: {created} akan dibuat, {updated} akan diperbarui, "
                "{unchanged} tidak berubah, {rejected} ditolak."
            ).format(**counts)
        )
    else:
        print(
            _(
                "Impor selesai: {created} baru, {updated} diperbarui, {unchanged} tidak berubah, {rejected} ditolak."
            ).format(**counts)
        )
    if report.units_created or report.units_updated or report.positions_created:
        print(
            _("Unit kerja baru: {units}; unit kerja diperbarui: {changed}; jabatan baru: {positions}.").format(
                units=report.units_created, changed=report.units_updated, positions=report.positions_created
            )
        )
    for line in group_lines(report) + column_lines(report) + chain_lines(report):
        print(line)
    if report.rejected or report.warnings:
        print(_("Rincian baris yang ditolak atau diberi catatan: {path}").format(path=report.error_file))
        return EXIT_PARTIAL
    return EXIT_OK


def export_command(args: argparse.Namespace) -> int:

    db = open_database(database_target(args), create=False)
    try:
        report = run_with_progress(export_roster(db, args.file, delimiter=";" if args.semicolon else ","))
    finally:
        db.close()
    print(
        _("Ekspor selesai: {count} pegawai ditulis ke {path}.").format(count=number_text(report.rows), path=report.path)
    )
    return EXIT_OK
