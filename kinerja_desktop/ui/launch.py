"""Open the desktop program (``kinerja`` with no command).

Order: the data folder (``--data-dir``, ``KINERJA_HOME`` or the one chosen in the
first-run wizard) → the database → the display language from the settings → the
first-run wizard (once) or the sign-in dialog → the main window. "Keluar akun" in the
main window comes back to the sign-in dialog.
"""

from __future__ import annotations

import argparse
import logging
import sys

from kinerja_desktop import __version__
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _

log = logging.getLogger("kinerja")


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
    return app


def apply_language_setting(db, explicit: str | None = None) -> str:
    """Use the language saved in the settings (unless ``--lang`` was given)."""
    from kinerja_desktop import i18n
    from kinerja_desktop.services.settings import get_language

    if explicit:
        i18n.set_language(explicit)
        return explicit
    with db.session() as s:
        lang = get_language(s)
    i18n.set_language(lang)
    return lang


def open_main_window(db, principal, *, page: str | None = None, show: bool = True):
    """A main window for ``principal`` on ``db`` (also used by the benchmark and tests)."""
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


def run_first_run(db, *, db_fixed: bool):
    """Show the first-run wizard; returns ``(db, principal)`` or ``(db, None)`` when closed."""
    from kinerja_desktop.ui.first_run import FirstRunWizard

    wizard = FirstRunWizard(db, db_fixed=db_fixed)
    wizard.exec()
    # The administrator made in the wizard is signed in, even if the optional last page
    # was closed rather than finished. The wizard may have moved to another data folder.
    return wizard.db, wizard.principal


def sign_in(db):
    from PySide6.QtWidgets import QDialog

    from kinerja_desktop.ui.signin import SignInDialog, ensure_password_changed

    dialog = SignInDialog(db)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    principal = dialog.principal
    if not ensure_password_changed(db, principal, dialog.must_change_password):
        return None
    return principal


def launch(args: argparse.Namespace) -> int:
    from kinerja_desktop import paths
    from kinerja_desktop.cli import database_target
    from kinerja_desktop.services.first_run import is_first_run_done
    from kinerja_desktop.store.database import open_database
    from kinerja_desktop.ui.data_location import apply_chosen_data_dir
    from kinerja_desktop.ui.errors import install_excepthook, show_user_error
    from kinerja_desktop.ui.single_instance import acquire, bring_forward, instance_name

    apply_chosen_data_dir(getattr(args, "data_dir", None))
    app = create_app()
    install_excepthook()
    # One running program per data folder: a second launch brings the first forward.
    instance = acquire(instance_name(paths.locations().data), sys.argv[1:])
    if instance is None:
        return 0
    shown: dict[str, object] = {}

    def come_forward(_args) -> None:
        window = shown.get("window")
        target = window if window is not None and window.isVisible() else app.activeModalWidget()
        if target is not None:
            bring_forward(target)

    instance.activated.connect(come_forward)
    try:
        db = open_database(database_target(args))
    except UserError as exc:
        instance.release()
        show_user_error(exc, title=_("Basis data tidak dapat dibuka"))
        return exc.exit_code
    log.info("Kinerja Desktop %s started on %s", __version__, db.path or db.url)
    try:
        apply_language_setting(db, getattr(args, "lang", None))
        with db.session() as s:
            done = is_first_run_done(s)
        principal = None
        if not done:
            db, principal = run_first_run(db, db_fixed=bool(getattr(args, "db", None)))
            if principal is None:
                with db.session() as s:
                    if not is_first_run_done(s):
                        return 0
        while True:
            if principal is None:
                principal = sign_in(db)
                if principal is None:
                    return 0
            log.info("signed in: %s (%s)", principal.username, principal.role)
            window = open_main_window(db, principal)
            shown["window"] = window
            app.exec()
            shown.pop("window", None)
            if not window.signing_out:
                return 0
            window.deleteLater()
            principal = None
    finally:
        db.close()
        instance.release()
