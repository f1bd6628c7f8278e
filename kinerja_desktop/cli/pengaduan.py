"""``kinerja pengaduan import FILE``, ``export FILE --year YYYY``, ``recap --unit CODE --period P``."""

from __future__ import annotations

import argparse
from pathlib import Path

from kinerja_desktop.cli import EXIT_OK, EXIT_PARTIAL, database_target
from kinerja_desktop.cli.progress import run_with_progress
from kinerja_desktop.domain.pengaduan import format_hours, format_percent
from kinerja_desktop.errors import NotFound, UnusableInput
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.pengaduan.cases import erase_old_contacts
from kinerja_desktop.services.pengaduan.export import export_register
from kinerja_desktop.services.pengaduan.figures import unit_by_code, unit_recap
from kinerja_desktop.services.pengaduan.importer import import_complaints
from kinerja_desktop.services.table_export import check_target
from kinerja_desktop.store.database import open_database

MIN_YEAR, MAX_YEAR = 2000, 2100


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pengaduan", help=_("pengaduan masyarakat: impor, ekspor, rekap kinerja"))
    psub = p.add_subparsers(dest="pengaduan_command", metavar="SUBCOMMAND", required=True)
    imp = psub.add_parser("import", help=_("impor pengaduan dari ekspor SP4N-LAPOR! atau lembar kerja (.csv/.xlsx)"))
    imp.add_argument("file", metavar="FILE", help=_("berkas .csv atau .xlsx"))
    imp.add_argument(
        "--channel", default="lapor", metavar="SALURAN", help=_("saluran bila berkas tidak menyebutnya (bawaan: lapor)")
    )
    imp.add_argument("--unit", metavar="KODE", help=_("unit kerja bawaan untuk baris tanpa layanan/unit yang dikenal"))
    imp.add_argument("--dry-run", action="store_true", help=_("periksa saja tanpa menyimpan"))
    imp.set_defaults(handler=import_command)
    exp = psub.add_parser("export", help=_("ekspor register pengaduan satu tahun (.csv atau .xlsx)"))
    exp.add_argument("file", metavar="FILE", help=_("berkas tujuan .csv atau .xlsx"))
    exp.add_argument("--year", type=int, required=True, metavar="YYYY", help=_("tahun diterima"))
    exp.set_defaults(handler=export_command)
    rec = psub.add_parser("recap", help=_("rekap kinerja penanganan pengaduan per ASN satu unit"))
    rec.add_argument("--unit", required=True, metavar="KODE", help=_("kode unit kerja (termasuk unit di bawahnya)"))
    rec.add_argument("--period", required=True, metavar="P", help=_("2026, 2026-TW1, 2026-S2 atau 2026-03"))
    rec.set_defaults(handler=recap_command)
    era = psub.add_parser("erase-contacts", help=_("hapus kontak pelapor pengaduan yang sudah lama selesai (UU PDP)"))
    era.add_argument(
        "--days",
        type=int,
        default=90,
        metavar="N",
        help=_("simpan kontak N hari setelah pengaduan selesai (bawaan 90)"),
    )
    era.set_defaults(handler=erase_command)


def _unit_id(session, code: str | None) -> str | None:

    if not code:
        return None
    try:
        return unit_by_code(session, code).id
    except NotFound as exc:
        raise UnusableInput(exc.message) from None


def import_command(args: argparse.Namespace) -> int:

    db = open_database(database_target(args), create=False)
    try:
        with db.session() as s:
            unit_id = _unit_id(s, args.unit)
            report = run_with_progress(
                import_complaints(
                    s, SYSTEM, args.file, channel=args.channel, default_unit_id=unit_id, dry_run=args.dry_run
                )
            )
            if args.dry_run:
                s.rollback()
            else:
                s.commit()
    finally:
        db.close()
    if report.dry_run:
        print(
            _("Uji coba selesai, tidak ada yang disimpan: {created} akan dicatat, {rejected} baris ditolak.").format(
                created=report.created, rejected=report.rejected_rows
            )
        )
    else:
        print(
            _("Impor selesai: {created} pengaduan dicatat, {rejected} baris ditolak.").format(
                created=report.created, rejected=report.rejected_rows
            )
        )
    if report.ignored_columns:
        print(_("Kolom yang tidak dikenal dan diabaikan: {cols}").format(cols=", ".join(report.ignored_columns)))
    if report.rejected:
        print(_("Rincian baris yang ditolak: {path}").format(path=report.error_file))
        return EXIT_PARTIAL
    return EXIT_OK


def export_command(args: argparse.Namespace) -> int:

    if not MIN_YEAR <= args.year <= MAX_YEAR:
        raise UnusableInput(
            _("Tahun {year} di luar rentang {low}-{high}.").format(year=args.year, low=MIN_YEAR, high=MAX_YEAR)
        )
    target = Path(args.file).expanduser()
    check_target(target)
    db = open_database(database_target(args), create=False)
    try:
        with db.session() as s:
            n = run_with_progress(export_register(s, SYSTEM, target, args.year))
    finally:
        db.close()
    print(_("{n} pengaduan tahun {year} diekspor ke {path}.").format(n=n, year=args.year, path=target))
    return EXIT_OK


def recap_command(args: argparse.Namespace) -> int:

    db = open_database(database_target(args), create=False)
    try:
        with db.session() as s:
            try:
                recap = unit_recap(s, SYSTEM, args.unit, args.period)
            except ValueError as exc:
                raise UnusableInput(str(exc)) from None
            except NotFound as exc:
                raise UnusableInput(exc.message) from None
    finally:
        db.close()
    head = (
        _("NIP"),
        _("Nama"),
        _("Ditangani"),
        _("Tepat waktu"),
        _("% tepat waktu"),
        _("Terlambat"),
        _("Median tanggapan"),
    )
    rows = [
        (
            r.nip,
            r.name,
            str(r.figures.handled),
            str(r.figures.on_time),
            format_percent(r.figures.on_time_share),
            str(r.figures.open_overdue),
            format_hours(r.figures.median_response_hours),
        )
        for r in recap.rows
    ]
    u = recap.unit
    total = (
        "",
        _("Unit {name}").format(name=recap.unit_name),
        str(u.handled),
        str(u.on_time),
        format_percent(u.on_time_share),
        str(u.open_overdue),
        format_hours(u.median_response_hours),
    )
    print(
        _("Rekap penanganan pengaduan {unit} ({code}), {label}").format(
            unit=recap.unit_name, code=recap.unit_code, label=recap.label
        )
    )
    widths = [max(len(str(r[i])) for r in [head, total, *rows]) for i in range(len(head))]
    for line in [head, *rows, total]:
        print("  ".join(str(v).ljust(w) for v, w in zip(line, widths, strict=False)).rstrip())
    return EXIT_OK


def erase_command(args: argparse.Namespace) -> int:

    db = open_database(database_target(args), create=False)
    try:
        with db.transaction() as s:
            n = erase_old_contacts(s, SYSTEM, keep_days=args.days)
    finally:
        db.close()
    print(
        _("Kontak pelapor dihapus dari {n} pengaduan yang selesai lebih dari {days} hari lalu.").format(
            n=n, days=args.days
        )
    )
    return EXIT_OK
