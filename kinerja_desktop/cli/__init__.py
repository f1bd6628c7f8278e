"""The command line: the same services as the window, for scripts and scheduled tasks.

``kinerja [--data-dir DIR] [--db PATH_OR_URL] [COMMAND ...]``; with no command it opens
the program. Exit codes: 0 done; 3 done but some rows rejected; 2 usage error or unusable
file (nothing changed); 1 any other failure.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from kinerja_desktop import __version__, paths
from kinerja_desktop.cli.argparse_text import argparse_language
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import LANGUAGES, _, set_language

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3

#: Modules under ``kinerja_desktop.cli`` that add command groups (each has ``register``).
COMMAND_MODULES = (
    "demo",
    "db",
    "roster",
    "audit",
    "selftest",
    "export",
    "site",
    "sync",
    "central",
    "report",
    "certs",
    "capaian",
    "sync_http",
    "central_serve",
    "pengaduan",
)

log = logging.getLogger("kinerja")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors exit 2 with a sentence
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, _("kinerja: kesalahan: {message}\n").format(message=message))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kinerja",
        description=_("Kinerja Desktop: manajemen kinerja ASN Kabupaten Batanghari."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"Kinerja Desktop {__version__}",
        help=_("tampilkan versi program lalu keluar"),
    )
    parser.add_argument("--data-dir", metavar="DIR", help=_("folder data (juga: variabel KINERJA_HOME)"))
    parser.add_argument("--db", metavar="PATH_OR_URL", help=_("berkas SQLite atau URL basis data"))
    parser.add_argument("--lang", choices=sorted(LANGUAGES), help=_("bahasa tampilan (id atau en)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"kinerja_desktop.cli.{name}").register(sub)
    return parser


def _unlock_from_terminal() -> None:
    """Commands print a new database's recovery code once, and ask a key file's passphrase
    on a terminal (``KINERJA_DB_PASSPHRASE`` where there is none: CI, scheduled tasks)."""
    from kinerja_desktop.store import database, keystore

    def announce(report) -> None:
        if report.recovery_code:
            print(
                _(
                    "Basis data {path} terenkripsi. KODE PEMULIHAN (ditampilkan sekali): {code}. Simpan kode ini di "
                    "tempat terkunci: dengan kode ini basis data dapat dibuka di PC lain."
                ).format(path=report.path, code=report.recovery_code),
                file=sys.stderr,
            )

    def ask(new: bool) -> str | None:
        if not (sys.stdin and sys.stdin.isatty()):
            return None
        import getpass

        prompt = (
            _("Frasa sandi baru untuk berkas kunci basis data: ") if new else _("Frasa sandi berkas kunci basis data: ")
        )
        return getpass.getpass(prompt) or None

    database.add_announcer(announce)
    keystore.set_passphrase_provider(ask)


def database_target(args: argparse.Namespace) -> str:
    return args.db or str(paths.default_database())


def main(argv: list[str] | None = None) -> int:
    """Run the command line; without a console (the windowed Windows program started by a
    file association) what a command prints is shown in a message box instead."""
    if sys.stdout is None or sys.stderr is None:
        return _main_without_console(argv)
    return _main(argv)


_ran_command = False


def _main_without_console(argv: list[str] | None) -> int:
    import io

    global _ran_command
    _ran_command = False
    captured = io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = captured
    try:
        try:
            code = _main(argv)
        except SystemExit as exc:  # argparse: usage errors and --help
            _ran_command = True
            code = exc.code if isinstance(exc.code, int) else EXIT_USAGE
    finally:
        sys.stdout, sys.stderr = saved
    text = captured.getvalue().strip()
    if text and _ran_command:
        from kinerja_desktop.cli.no_console import show_result

        show_result(text, code)
    return code


def _main(argv: list[str] | None = None) -> int:
    global _ran_command
    argv = list(sys.argv[1:] if argv is None else argv)
    # The language must be known before the parser's help texts are built.
    if "--lang" in argv:
        i = argv.index("--lang")
        if i + 1 < len(argv) and argv[i + 1] in LANGUAGES:
            set_language(argv[i + 1])
    with argparse_language():  # "usage:", "the following arguments are required", ... translated
        parser = build_parser()
        args = parser.parse_args(argv)
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    from kinerja_desktop.logs import setup_logging

    setup_logging(console=args.command is not None)
    if args.command is None:
        from kinerja_desktop.ui.launch import launch

        return launch(args)
    _ran_command = True
    _unlock_from_terminal()
    try:
        return int(args.handler(args) or 0)
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(_("Dibatalkan."), file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:  # an unexpected failure: one sentence here, details in the log
        log.exception("command failed")
        print(
            _("Terjadi kesalahan yang tidak terduga: {error}. Rincian ada di {log}.").format(
                error=exc, log=paths.locations().logs / "kinerja.log"
            ),
            file=sys.stderr,
        )
        return EXIT_FAILURE
