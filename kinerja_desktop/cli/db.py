"""``kinerja db status|encrypt|rekey|recovery|unlock``: the database file, its key and backups.

``status`` says whether the file is encrypted, where its key is kept and which backups
exist; ``encrypt`` encrypts a plain database in place (after a backup, which is then
overwritten); ``rekey`` gives it a new key and recovery code; ``recovery`` a new recovery
code (the previous one stops working); ``unlock --recovery-code`` opens on this PC a
database brought from another one.
"""

from __future__ import annotations

import argparse
import stat
from pathlib import Path

from kinerja_desktop import paths
from kinerja_desktop.cli import EXIT_OK, EXIT_USAGE, database_target
from kinerja_desktop.cli.progress import TerminalProgress
from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.store import keystore, rekey
from kinerja_desktop.store.backup import list_backups
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.encryption import WrongRecoveryCode, is_plain, key_opens, read_keyinfo


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "db",
        help=_("enkripsi, kunci dan cadangan basis data"),
        description=_("Enkripsi basis data, kuncinya, kode pemulihan dan cadangannya."),
    )
    cmds = p.add_subparsers(dest="db_command", metavar="PERINTAH", required=True)
    s = cmds.add_parser("status", help=_("terenkripsi atau tidak, tempat kunci, cadangan"))
    s.set_defaults(handler=run_status)
    e = cmds.add_parser("encrypt", help=_("enkripsi basis data polos di tempatnya (setelah dicadangkan)"))
    e.set_defaults(handler=run_encrypt)
    r = cmds.add_parser("rekey", help=_("kunci baru dan kode pemulihan baru"))
    r.set_defaults(handler=run_rekey)
    c = cmds.add_parser("recovery", help=_("kode pemulihan baru (kode lama tidak berlaku lagi)"))
    c.set_defaults(handler=run_recovery)
    u = cmds.add_parser("unlock", help=_("buka basis data dari PC lain dengan kode pemulihannya"))
    u.add_argument("--recovery-code", required=True, metavar="KODE", help=_("kode pemulihan yang dicetak"))
    u.set_defaults(handler=run_unlock)


def _sqlite_path(args: argparse.Namespace) -> Path:
    target = database_target(args)
    if "://" in target:
        raise UnusableInput(
            _(
                "Basis data pusat di PostgreSQL tidak dienkripsi oleh program ini; lindungi disk server dan pakai TLS "
                "PostgreSQL (lihat docs/central-server.md)."
            )
        )
    path = Path(target).expanduser().resolve()
    if not path.exists():
        raise UnusableInput(_("Basis data {path} tidak ditemukan.").format(path=path))
    return path


def _mode(path: Path) -> str:
    try:
        return stat.filemode(path.stat().st_mode)
    except OSError:
        return "?"


def _key_source(path: Path, key_id: str) -> str:

    for store in keystore.candidate_stores():
        try:
            key = store.get(key_id)
        except keystore.KeyStoreError as exc:
            return _("tidak terbaca: {reason}").format(reason=exc.message)
        if key is not None and key_opens(path, key):
            return store.describe()
    return _("TIDAK ADA di komputer ini (pakai 'kinerja db unlock --recovery-code')")


def run_status(args: argparse.Namespace) -> int:

    path = _sqlite_path(args)
    print(
        _("Basis data: {path} ({size:,} bita, izin {mode})").format(
            path=path, size=path.stat().st_size, mode=_mode(path)
        )
    )
    if is_plain(path):
        print(_("Enkripsi: TIDAK (berkas SQLite polos). Jalankan 'kinerja db encrypt'."))
    else:
        info = read_keyinfo(path)
        print(_("Enkripsi: ya (SQLCipher 4, AES-256)"))
        if info is not None:
            print(
                _("Kunci: {key_id}, disimpan di {source}").format(
                    key_id=info.key_id, source=_key_source(path, info.key_id)
                )
            )
            made = (info.recovery or {}).get("created", "?")
            print(
                _("Kode pemulihan: dibuat {when}; {n} kode lama tidak berlaku").format(
                    when=made, n=len(info.retired_codes)
                )
            )
    backups = list_backups(paths.locations().backups, path.stem)
    plain = [b for b in backups if is_plain(b)]
    print(
        _("Cadangan: {n} di {folder} ({plain} polos)").format(
            n=len(backups), folder=paths.locations().backups, plain=len(plain)
        )
    )
    for b in backups[-3:]:
        print(f"  {b.name}  {'polos' if b in plain else 'terenkripsi'}")
    return EXIT_OK


def _show_code(code: str) -> None:
    print(_("KODE PEMULIHAN (ditampilkan sekali): {code}").format(code=code))
    print(
        _(
            "Cetak atau tulis kode ini dan simpan di tempat terkunci, terpisah dari komputer ini. Dengan kode ini "
            "basis data dapat dibuka di PC lain ('kinerja db unlock --recovery-code KODE')."
        )
    )


def run_encrypt(args: argparse.Namespace) -> int:

    path = _sqlite_path(args)
    if not is_plain(path):
        print(_("Basis data {path} sudah terenkripsi.").format(path=path))
        return EXIT_OK
    open_database(path, encrypt=False).close()  # refuses a newer or foreign file; upgrades an older one
    bar = TerminalProgress()
    report = rekey.encrypt_in_place(path, on_progress=bar)
    bar.finish()
    print(
        _(
            "Basis data {path} dienkripsi dalam {seconds:.1f} detik; {n} cadangan lama ikut dienkripsi, salinan "
            "polosnya ditimpa lalu dihapus."
        ).format(path=path, seconds=report.seconds, n=len(report.backups_encrypted))
    )
    _show_code(report.recovery_code)
    return EXIT_OK


def run_rekey(args: argparse.Namespace) -> int:

    path = _sqlite_path(args)
    if is_plain(path):
        raise UserError(_("Basis data {path} belum terenkripsi; jalankan 'kinerja db encrypt'.").format(path=path))
    bar = TerminalProgress()
    report = rekey.rekey(path, on_progress=bar)
    bar.finish()
    print(
        _(
            "Basis data {path} memakai kunci baru ({n} cadangan ikut diganti kuncinya); kode pemulihan lama tidak "
            "berlaku lagi."
        ).format(path=path, n=len(report.backups_encrypted))
    )
    _show_code(report.recovery_code)
    return EXIT_OK


def run_recovery(args: argparse.Namespace) -> int:

    path = _sqlite_path(args)
    code = rekey.new_recovery(path)
    print(_("Kode pemulihan baru dibuat untuk {path}; kode sebelumnya tidak berlaku lagi.").format(path=path))
    _show_code(code)
    return EXIT_OK


def run_unlock(args: argparse.Namespace) -> int:

    path = _sqlite_path(args)
    if is_plain(path):
        print(_("Basis data {path} tidak terenkripsi; tidak perlu dibuka dengan kode.").format(path=path))
        return EXIT_OK
    try:
        where = rekey.unlock(path, args.recovery_code)
    except WrongRecoveryCode as exc:
        print(exc.message)
        return EXIT_USAGE
    print(
        _(
            "Basis data {path} terbuka di komputer ini; kuncinya disimpan di {where}. Buat kode pemulihan baru "
            "dengan 'kinerja db recovery' bila kode ini pernah terlihat orang lain."
        ).format(path=path, where=where)
    )
    return EXIT_OK
