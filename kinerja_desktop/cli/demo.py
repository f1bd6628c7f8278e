"""``kinerja demo``: build the demo district (Kabupaten Batanghari) in a fresh database.

``kinerja [--data-dir DIR] [--db PATH] demo [--employees N] [--seed S] [--year YYYY] [--force]``

Without ``--force`` a database that already holds data is left alone (exit 2); with it
the SQLite file (and its ``-wal``/``-shm`` companions) is deleted and built again. A
database that was not itself a demo is backed up first, in case ``--db`` pointed at the
wrong file.
"""

from __future__ import annotations

import argparse
import shutil
from datetime import date
from pathlib import Path

from kinerja_desktop import files, paths
from kinerja_desktop.cli import EXIT_OK, database_target
from kinerja_desktop.cli.progress import run_with_progress
from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.demo.district import DatabaseNotEmpty, build_demo, check_parameters
from kinerja_desktop.store import dblock
from kinerja_desktop.store.backup import backup_database
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.encryption import KeyMissing, is_plain, open_raw, sidecar_path, sqlcipher

# Kept here (not imported from the service) so that building the parser stays light.
DEFAULT_EMPLOYEES = 2000
DEFAULT_SEED = 1504
COMPANIONS = ("-wal", "-shm", "-journal")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help=_("buat basis data contoh Kabupaten Batanghari"),
        description=_(
            "Membuat basis data contoh Kabupaten Batanghari: unit kerja, jabatan dan pegawai "
            "dengan NIP yang sah. Seed yang sama menghasilkan isi yang sama."
        ),
    )
    p.add_argument(
        "--employees", type=int, default=DEFAULT_EMPLOYEES, metavar="N", help=_("jumlah pegawai (bawaan: %(default)s)")
    )
    p.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, metavar="S", help=_("bilangan acak awal (bawaan: %(default)s)")
    )
    p.add_argument(
        "--year", type=int, default=None, metavar="YYYY", help=_("tahun berjalan data demo (bawaan: tahun ini)")
    )
    p.add_argument(
        "--roster-only",
        action="store_true",
        help=_("hanya unit kerja, jabatan dan pegawai (tanpa SKP, evaluasi dan pelatihan)"),
    )
    p.add_argument("--force", action="store_true", help=_("hapus basis data yang ada lalu buat ulang"))
    p.set_defaults(handler=run_demo)


def _was_demo_or_empty(path: Path) -> bool:
    """True when the file is a demo database or holds no employees (no backup needed)."""

    errors = sqlcipher().Error
    try:
        conn = open_raw(path)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except (errors, UserError):
        return False
    try:
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'demo'").fetchone()
            if row is not None and row[0] in ("true", "1"):
                return True
        except errors:
            pass
        try:
            return conn.execute("SELECT COUNT(*) FROM employees").fetchone()[0] == 0
        except errors:  # no roster table at all: nothing worth keeping
            return True
    finally:
        conn.close()


def _backup(path: Path) -> Path:

    try:
        return backup_database(path, paths.locations().backups, label="sebelum-demo")
    except KeyMissing:  # unreadable here: keep the file as it is, with its key file
        target = paths.locations().backups / f"{path.stem}-sebelum-demo-tanpa-kunci.sqlite3"
        shutil.copyfile(path, target)
        shutil.copyfile(sidecar_path(path), sidecar_path(target))
        return target


def remove_database(path: Path) -> Path | None:
    """Delete the SQLite file at ``path`` and its companions; returns the backup made, if any.

    Refused while another program has the database open (an import still running would
    otherwise be lost without a word).
    """

    if path.is_dir():
        raise UnusableInput(_("{path} adalah folder, bukan berkas basis data.").format(path=path))
    if not is_plain(path) and not sidecar_path(path).exists():
        raise UnusableInput(
            _(
                "Berkas {path} bukan basis data Kinerja Desktop (bukan berkas SQLite), jadi tidak dihapus. "
                "Pilih berkas lain dengan --db."
            ).format(path=path)
        )
    with dblock.exclusive(path):
        backup = None if _was_demo_or_empty(path) else _backup(path)
        try:
            for suffix in COMPANIONS:
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            if is_plain(path):
                files.shred(path)
            else:
                path.unlink()
            sidecar_path(path).unlink(missing_ok=True)
        except OSError as exc:
            raise UserError(
                _(
                    "Berkas {path} tidak dapat dihapus ({reason}). Tutup Kinerja Desktop yang sedang memakainya "
                    "lalu coba lagi."
                ).format(path=path, reason=exc.strerror or exc)
            ) from exc
    return backup


def run_demo(args: argparse.Namespace) -> int:

    year = args.year if args.year is not None else date.today().year
    check_parameters(args.employees, year)
    target = database_target(args)
    if "://" in target:
        if args.force:
            raise UnusableInput(
                _("--force hanya dapat dipakai untuk berkas SQLite; basis data {url} tidak dihapus.").format(url=target)
            )
    else:
        path = Path(target).expanduser().resolve()
        if args.force and path.exists():
            backup = remove_database(path)
            if backup is not None:
                print(_("Basis data lama disalin ke {path} sebelum dihapus.").format(path=backup))
        target = str(path)

    db = open_database(target)
    try:
        try:
            summary = run_with_progress(
                build_demo(db, employees=args.employees, seed=args.seed, year=year, activity=not args.roster_only)
            )
        except DatabaseNotEmpty as exc:
            raise UnusableInput(
                _(
                    "Basis data {path} sudah berisi {employees} pegawai dan {units} unit kerja; data demo tidak "
                    "ditulis di atasnya. Tambahkan --force untuk menghapusnya dan membuat demo baru, atau pilih "
                    "berkas lain dengan --db."
                ).format(path=db.path or db.url, employees=exc.employees, units=exc.units)
            ) from exc
        where = db.path or db.url
    finally:
        db.close()
    print(
        _(
            "Demo Kabupaten Batanghari dibuat di {path}: {employees} pegawai ({pppk} PPPK), {units} unit kerja, "
            "{positions} jabatan; tahun {year}, seed {seed}."
        ).format(
            path=where,
            employees=summary.employees,
            pppk=summary.pppk,
            units=summary.units,
            positions=summary.positions,
            year=summary.year,
            seed=summary.seed,
        )
    )
    return EXIT_OK
