"""Open the desktop program (``kinerja`` with no command).

The main window paints first, before the data layer is even imported: ``launch`` makes the
QApplication and shows the window's frame (menus, navigation, status bar, a page saying
"Membuka basis data…" with a busy indicator). A worker thread then imports the store and
the services (SQLAlchemy and the models take most of a second), opens the database
(backing up and migrating when needed) and reads the settings. Back on the UI thread:
the display language from the settings, the first-run wizard (once) or the sign-in dialog
on top of the window, then the window is filled for the person who signed in. "Keluar
akun" empties the window and asks for a sign-in again.

Nothing here imports the store, the services or SQLAlchemy at module level.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kinerja_desktop import __version__
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _

if TYPE_CHECKING:  # pragma: no cover
    from kinerja_desktop.services.access.principal import Principal
    from kinerja_desktop.store.database import Database
    from kinerja_desktop.ui.window import MainWindow

log = logging.getLogger("kinerja")

#: The language of the last start, kept in ui.ini so the frame shown before the database is
#: open (which holds the real setting) already speaks it.
KEY_LANGUAGE = "ui/language"

#: Imported by the worker that opens the database, so that neither the sign-in nor the
#: first page waits for them on the UI thread (Qt-free modules only: no widgets off the UI thread).
WARM_MODULES = (
    "kinerja_desktop.store.models",
    "kinerja_desktop.services.access.users",
    "kinerja_desktop.services.access.permissions",
    "kinerja_desktop.services.roster.query",
)

#: Imported in the background shortly after sign-in: the PDF, signing and spreadsheet
#: stacks (reportlab, pyHanko, openpyxl) that the Penilaian, Dokumen and Pengaduan pages
#: import, so that a page's first show does not wait for them (Qt-free modules only).
LATER_MODULES = (
    "kinerja_desktop.reports.raster",
    "kinerja_desktop.services.documents.batch",
    "kinerja_desktop.services.documents.registry",
    "kinerja_desktop.services.documents.views",
    "kinerja_desktop.services.pengaduan.cases",
    "kinerja_desktop.services.pengaduan.figures",
    "kinerja_desktop.services.pengaduan.importer",
    "kinerja_desktop.services.performance.distribution_recap",
    "kinerja_desktop.services.performance.evaluation_export",
    "kinerja_desktop.services.performance.evaluation_grid",
    "kinerja_desktop.services.performance.penetapan",
    "kinerja_desktop.services.roster.export",
    "kinerja_desktop.services.table_export",
)
#: How long after sign-in the background import starts: the first page is shown first.
LATER_DELAY_MS = 1500


def create_app():
    """The QApplication, styled with Fusion over the system palette (light or dark)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Kinerja Desktop")
    app.setOrganizationName("Pemkab Batanghari")
    app.setApplicationVersion(__version__)
    # Fusion draws every widget from the palette, and Qt 6 gives it the system's light or
    # dark palette, so the whole window follows the system; no colour is hardcoded.
    app.setStyle("Fusion")
    # Qt's own texts (standard buttons, file dialogs, ...) follow the program's language.
    from kinerja_desktop.ui import qt_language

    qt_language.install()
    return app


def open_main_window(db, principal, *, page: str | None = None, show: bool = True):
    """A main window for ``principal`` on ``db``, filled at once (tests, screenshots, self-test)."""
    from kinerja_desktop.ui.context import AppContext
    from kinerja_desktop.ui.tasks import TaskRunner
    from kinerja_desktop.ui.window import MainWindow

    create_app()
    runner = TaskRunner(db)
    ctx = AppContext(db=db, principal=principal, runner=runner)
    window = MainWindow(ctx, initial_page=page)
    runner.setParent(window)
    if show:
        window.show()
    return window


def run_first_run(db, *, db_fixed: bool, parent=None):
    """Show the first-run wizard; returns ``(db, principal, ready)``: the database in use,
    the new administrator or None, and whether that database's first run is done."""
    from kinerja_desktop.ui.first_run import FirstRunWizard

    wizard = FirstRunWizard(db, db_fixed=db_fixed, parent=parent)
    wizard.exec()
    # The administrator made in the wizard is signed in, even if the optional last page
    # was closed rather than finished. The wizard may have moved to another data folder,
    # whose database may already be set up (then the person signs in).
    wizard.ops.runner.wait(10000)
    return wizard.db, wizard.principal, wizard.ready


def sign_in(db, parent=None):
    from PySide6.QtWidgets import QDialog

    from kinerja_desktop.ui.signin import SignInDialog, ensure_password_changed

    dialog = SignInDialog(db, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    principal = dialog.principal
    if not ensure_password_changed(db, principal, dialog.must_change_password, parent):
        return None
    return principal


@dataclass
class Opened:
    """What the worker found: the open database and what decides the next step."""

    db: Any
    language: str
    first_run_done: bool


def import_modules(names: tuple[str, ...]) -> None:
    """Import ``names`` (in a worker, so that the UI thread later finds them loaded)."""
    for name in names:
        importlib.import_module(name)


def open_in_background(target: str, warm: tuple[str, ...] = WARM_MODULES, on_progress=None) -> Opened:
    """Runs in a worker: import the data layer, open ``target``, read the settings."""
    from kinerja_desktop.services.first_run import is_first_run_done
    from kinerja_desktop.services.settings import get_language
    from kinerja_desktop.store.database import open_database

    db = open_database(target, on_progress=on_progress)
    try:
        with db.session() as s:
            opened = Opened(db, get_language(s), is_first_run_done(s))
        import_modules(warm)
    except BaseException:
        db.close()
        raise
    return opened


class Startup:
    """Takes the window from its frame to a signed-in person (see the module doc)."""

    def __init__(
        self,
        app,
        window: MainWindow,
        args: argparse.Namespace,
        account: Callable[[Database], Principal | None] | None = None,
    ) -> None:
        from kinerja_desktop.ui.tasks import TaskRunner

        self.app = app
        self.window = window
        self.args = args
        self.account = account
        self.db: Database | None = None
        self.exit_code = 0
        self.started = time.monotonic()
        # Its own pool: the database is not open yet, so the task gets no session.
        self.opener = TaskRunner(None, window, max_threads=1)
        self._late: list[Any] = []  # a database opened after the window was closed
        window.keep_open_on_sign_out = True
        window.sign_out_requested.connect(self._signed_out)
        window.first_painted.connect(
            lambda: log.info("window painted %.0f ms after launch", (time.monotonic() - self.started) * 1000)
        )

    def begin(self) -> None:
        from kinerja_desktop.cli import database_target

        target = database_target(self.args)
        late = self._late
        relay = self._progress_relay()

        def work(_none) -> Opened:
            opened = open_in_background(target, on_progress=relay)
            late.append(opened.db)  # closed by finish() if the UI never takes it
            return opened

        self.opener.submit(work, self._opened, self._failed, pass_db=True)

    def _progress_relay(self):
        """A callable for the worker that shows encryption progress in the window's frame."""
        from PySide6.QtCore import QObject, Signal

        class Relay(QObject):
            text = Signal(str)

        relay = Relay(self.window)
        relay.text.connect(self.window.set_waiting)  # queued: emitted from the worker thread

        def report(p) -> None:
            percent = int(100 * (p.fraction or 0))
            relay.text.emit(_("{what}: {percent}% — jangan matikan komputer.").format(what=p.message, percent=percent))

        return report

    # -- on the UI thread ----------------------------------------------------------------
    def _unlock_and_retry(self, exc: BaseException) -> bool:
        """A missing passphrase or key: ask for it, then open again. False: not such an error."""
        from kinerja_desktop.cli import database_target
        from kinerja_desktop.store import keystore, rekey
        from kinerja_desktop.store.encryption import KeyMissing, WrongRecoveryCode
        from kinerja_desktop.ui.dialogs.database_key import ask_passphrase, ask_recovery_code
        from kinerja_desktop.ui.errors import show_user_error

        if isinstance(exc, (keystore.PassphraseNeeded, keystore.WrongPassphrase)):
            passphrase = ask_passphrase(
                self.window, wrong=isinstance(exc, keystore.WrongPassphrase), new=getattr(exc, "new", False)
            )
            if passphrase is None:
                return False
            keystore.set_session_passphrase(passphrase)
            self.begin()
            return True
        if isinstance(exc, KeyMissing):
            code = ask_recovery_code(self.window, exc.message)
            if code is None:
                return False
            try:
                rekey.unlock(Path(database_target(self.args)).expanduser().resolve(), code)
            except (WrongRecoveryCode, UserError) as again:
                show_user_error(again, self.window, title=_("Kode pemulihan tidak dapat dipakai"))
                return self._unlock_and_retry(exc)
            self.begin()
            return True
        return False

    def _failed(self, exc: BaseException) -> None:
        from kinerja_desktop.ui.errors import handle_exception, show_user_error

        if self._unlock_and_retry(exc):
            return
        self.window.set_waiting(_("Basis data tidak dapat dibuka."))
        if isinstance(exc, UserError):
            show_user_error(exc, self.window, title=_("Basis data tidak dapat dibuka"))
            self.exit_code = exc.exit_code
        else:
            handle_exception(type(exc), exc, exc.__traceback__, parent=self.window)
            self.exit_code = 1
        self.window.close()

    def _opened(self, opened: Opened) -> None:
        from PySide6.QtCore import QTimer

        from kinerja_desktop import i18n

        self.db = opened.db
        self._late.clear()
        db = opened.db
        log.info("Kinerja Desktop %s started on %s", __version__, db.path or db.url)
        lang = getattr(self.args, "lang", None) or opened.language
        if lang != i18n.language():
            i18n.set_language(lang)
            self.window.retranslate()
        if not getattr(self.args, "lang", None):
            self.window.settings.setValue(KEY_LANGUAGE, opened.language)
        self.window.show_database(db)
        self.window.set_waiting(_("Silakan masuk untuk melanjutkan."))
        # The dialogs run their own event loop: start them from a fresh turn of this one.
        QTimer.singleShot(0, self.window, lambda: self._sign_in(first_run=not opened.first_run_done))

    def _sign_in(self, first_run: bool = False) -> None:
        window = self.window
        if not window.isVisible():  # closed meanwhile
            return
        principal = None
        if first_run:
            self.db, principal, ready = run_first_run(
                self.db, db_fixed=bool(getattr(self.args, "db", None)), parent=window
            )
            if not ready:  # closed before the first run was done
                window.close()
                return
            window.show_database(self.db)
        if principal is None:
            principal = self.account(self.db) if self.account is not None else sign_in(self.db, window)
        if principal is None:
            window.close()
            return
        self._enter(principal)

    def _enter(self, principal: Principal) -> None:
        from PySide6.QtCore import QTimer

        from kinerja_desktop.ui.context import AppContext
        from kinerja_desktop.ui.tasks import TaskRunner

        log.info("signed in: %s (%s)", principal.username, principal.role)
        runner = TaskRunner(self.db)
        runner.setParent(self.window)
        self.window.attach(AppContext(db=self.db, principal=principal, runner=runner))
        self._warn_about_the_clock()
        self._show_new_recovery_code(principal)
        QTimer.singleShot(LATER_DELAY_MS, self.window, self._import_later_modules)

    def _import_later_modules(self) -> None:
        def work(_db) -> None:
            import_modules(LATER_MODULES)

        self.opener.submit(
            work, None, lambda exc: log.warning("background import failed: %s", type(exc).__name__), pass_db=True
        )

    def _warn_about_the_clock(self) -> None:
        """At start: a PC clock behind what this site has seen, or before the release, is said
        in the status bar (bundles and documents take their time from it)."""
        from kinerja_desktop.sync.hlc_guard import clock_warning

        warning = clock_warning(self.db.clock)
        if warning:
            log.warning("the PC clock looks wrong at start")
            self.window.status_message.setStyleSheet("color: #b00020;")
            self.window.status_message.setText(warning)

    def _show_new_recovery_code(self, principal: Principal) -> None:
        """Once, after the first sign-in that follows a new key: the code to an
        administrator; anyone else is told to ask one for a new code."""
        from PySide6.QtWidgets import QMessageBox

        from kinerja_desktop.services.access.permissions import ADMINISTRATOR
        from kinerja_desktop.ui.dialogs.database_key import RecoveryCodeDialog

        report = getattr(self.db, "encryption", None)
        if report is None or not report.recovery_code:
            return
        self.db.encryption = None  # shown once, never again
        upgraded = bool(report.backups_encrypted) or report.seconds > 0
        if principal.role == ADMINISTRATOR:
            RecoveryCodeDialog(report.recovery_code, report.path, upgraded=upgraded, parent=self.window).exec()
        elif upgraded:
            QMessageBox.information(
                self.window,
                _("Basis data dienkripsi"),
                _(
                    "Basis data telah dienkripsi dan salinan polosnya ditimpa lalu dihapus. Minta administrator membuat "
                    "kode pemulihan baru (kinerja db recovery) dan menyimpannya."
                ),
            )

    def _signed_out(self) -> None:
        from PySide6.QtCore import QTimer

        log.info("signed out")
        QTimer.singleShot(0, self.window, self._sign_in)

    def come_forward(self, _args=None) -> None:
        from kinerja_desktop.ui.single_instance import bring_forward

        modal = self.app.activeModalWidget()
        target = modal if modal is not None else self.window
        if target is not None and target.isVisible():
            bring_forward(target)

    def finish(self) -> None:
        """After the event loop: wait for the opener, close whatever database is open."""
        self.opener.wait(60_000)
        for db in [self.db, *self._late]:
            if db is not None:
                db.close()
        self.db = None
        self._late.clear()


def launch(args: argparse.Namespace, *, account: Callable[[Database], Principal | None] | None = None) -> int:
    """Run the program until its window closes; the exit code.

    ``account`` is for benchmarks and tests only: called with the open database instead of
    showing the sign-in dialog, it returns the person to sign in (or None to quit). The
    program itself never passes it (no option or environment variable leads here).
    """
    from kinerja_desktop import i18n, paths
    from kinerja_desktop.ui.platform_check import check as check_platform

    # On a fresh Linux, Qt aborts with a list of plugin names when its display libraries are
    # missing; say instead which package to install.
    platform = check_platform(quick=True)
    if not platform.ok:
        log.error("Qt platform libraries missing: %s", ", ".join(platform.missing))
        print(platform.message(), file=sys.stderr)
        return 1

    from kinerja_desktop.ui.context import ui_settings
    from kinerja_desktop.ui.data_location import apply_chosen_data_dir
    from kinerja_desktop.ui.errors import install_excepthook
    from kinerja_desktop.ui.single_instance import acquire, instance_name
    from kinerja_desktop.ui.window import MainWindow

    apply_chosen_data_dir(getattr(args, "data_dir", None))
    app = create_app()
    install_excepthook()
    # One running program per data folder: a second launch brings the first forward.
    instance = acquire(instance_name(paths.locations().data), sys.argv[1:])
    if instance is None:
        return 0
    lang = getattr(args, "lang", None) or ui_settings().value(KEY_LANGUAGE)
    if lang in i18n.LANGUAGES:
        i18n.set_language(lang)
    window = MainWindow()
    startup = Startup(app, window, args, account)
    instance.activated.connect(startup.come_forward)
    window.show()
    startup.begin()
    try:
        app.exec()
    finally:
        startup.finish()
        window.deleteLater()
        instance.release()
    return startup.exit_code
