"""The main window: navigation on the left, the current page on the right, a status bar.

The window is built in two steps so that it paints at once (see ``ui.launch``): the *frame*
(menus, empty navigation, a page saying the database is being opened, the status bar) needs
nothing but Qt; :meth:`MainWindow.attach` then fills it for a signed-in person once the data
layer is loaded. Nothing here imports the store, the services or SQLAlchemy at module level,
and page modules are imported only when their page is first shown.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop import __version__
from kinerja_desktop.i18n import _
from kinerja_desktop.ui.context import role_label, ui_settings
from kinerja_desktop.ui.nav_icons import nav_icon
from kinerja_desktop.ui.pages import PageSpec, pages_for

if TYPE_CHECKING:  # pragma: no cover
    from kinerja_desktop.ui.context import AppContext

log = logging.getLogger("kinerja.ui")

KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
#: The last page, per account (``window/page/<user id>``): each person comes back to theirs.
KEY_PAGE = "window/page"
#: The first start's size: the common office laptop screen (1366x768), or the whole
#: available screen when it is smaller; the pages' columns are fitted to it.
DEFAULT_SIZE = QSize(1366, 768)


def default_size(screen) -> QSize:
    if screen is None:
        return DEFAULT_SIZE
    available = screen.availableGeometry().size()
    return QSize(min(DEFAULT_SIZE.width(), available.width()), min(DEFAULT_SIZE.height(), available.height()))


class WaitingPage(QWidget):
    """What the frame shows before anyone is signed in: a sentence and a busy indicator."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waitingPage")
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        self.label = QLabel()
        self.label.setObjectName("waitingText")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.label.setFont(font)
        layout.addWidget(self.label)
        self.busy = QProgressBar()
        self.busy.setObjectName("waitingBusy")
        self.busy.setRange(0, 0)  # busy: the bar runs back and forth
        self.busy.setTextVisible(False)
        self.busy.setFixedWidth(260)
        layout.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def set_text(self, text: str, busy: bool) -> None:
        self.label.setText(text)
        self.busy.setVisible(busy)
        self.label.setAccessibleName(text)


class MainWindow(QMainWindow):
    #: The person chose "Keluar akun": the launcher shows the sign-in dialog again.
    sign_out_requested = Signal()
    #: The window has been painted for the first time (start-up is measured to here).
    first_painted = Signal()

    def __init__(self, ctx: AppContext | None = None, initial_page: str | None = None) -> None:
        super().__init__()
        self.ctx: AppContext | None = None
        self.signing_out = False
        #: When the window was first painted (``time.time()``), for the log and the benchmark.
        self.first_painted_at: float | None = None
        self._paint_pending = False
        #: Set by the launcher: "Keluar akun" empties the window and asks for a sign-in,
        #: instead of closing it.
        self.keep_open_on_sign_out = False
        self.settings = ctx.settings if ctx is not None else ui_settings()
        self.specs: list[PageSpec] = []
        self.pages: dict[str, QWidget] = {}

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setSpacing(2)
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        self.nav.setFixedWidth(170)
        self.nav.setAutoFillBackground(True)
        self.nav.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self.stack = QStackedWidget()
        self.waiting = WaitingPage()
        self.stack.addWidget(self.waiting)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._show_row)

        self._build_actions()
        self._build_status_bar()
        self.retranslate()
        self.set_waiting(_("Membuka basis data…"), busy=True)

        geometry = self.settings.value(KEY_GEOMETRY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(default_size(self.screen()))
        state = self.settings.value(KEY_STATE)
        if state is not None:
            self.restoreState(state)
        if ctx is not None:
            self.attach(ctx, initial_page)

    # -- the frame and the signed-in session -------------------------------------------
    def set_waiting(self, text: str, *, busy: bool = False) -> None:
        """Show ``text`` on the waiting page (before sign-in, or while opening the database)."""
        self.waiting.set_text(text, busy)
        self.stack.setCurrentWidget(self.waiting)
        self.status_message.setText(text)

    def show_database(self, db) -> None:
        """The status bar names the open database and this site (before anyone signs in)."""
        self.site_label.setText(_("Situs: {site}").format(site=db.site_id))
        db_text = str(db.path) if db.path else db.url
        self.db_label.setText(_("Basis data: {path}").format(path=_elide_path(db_text)))
        self.db_label.setToolTip(db_text)
        self.site_label.show()
        self.db_label.show()

    def attach(self, ctx: AppContext, initial_page: str | None = None) -> None:
        """Fill the window for ``ctx``'s signed-in person: navigation, pages, status bar."""
        self.ctx = ctx
        ctx.window = self
        self.settings = ctx.settings
        self.signing_out = False
        self.specs = pages_for(ctx.principal)
        self.nav.blockSignals(True)
        self.nav.clear()
        for spec in self.specs:
            item = QListWidgetItem(_(spec.title))
            if spec.icon:
                item.setIcon(nav_icon(spec.icon, self.style()))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setSizeHint(QSize(0, 36))
            self.nav.addItem(item)
        self.nav.blockSignals(False)
        # Wide enough for the longest title in this language, next to its icon.
        widest = max((self.nav.fontMetrics().horizontalAdvance(_(s.title)) for s in self.specs), default=0)
        self.nav.setFixedWidth(max(150, widest + self.nav.iconSize().width() + 34))
        p = ctx.principal
        self.user_label.setText(_("{name} ({role})").format(name=p.username, role=role_label(p.role)))
        self.user_label.setToolTip(_("Masuk dengan nama pengguna {user}").format(user=p.username))
        self.user_label.show()
        self.sign_out_button.show()
        from kinerja_desktop.ui.idle import attach_idle_sign_out  # automatic sign-out when idle

        self.signed_out_idle = False
        attach_idle_sign_out(self, ctx)
        ctx.query(_person_name(p), self._show_person, owner=self.user_label)
        ctx.bus.waiting.connect(self._show_write_waiting)
        self.show_database(ctx.db)
        from kinerja_desktop.ui.sync_auto import attach_auto_sync  # automatic sync + status bar indicator

        attach_auto_sync(self, ctx)
        self.status_message.setText("")
        for action in (self.action_password, self.action_sign_out, self.action_refresh):
            action.setEnabled(True)
        wanted = initial_page or self.settings.value(self._page_key()) or "home"
        self.show_page(wanted if any(s.key == wanted for s in self.specs) else self.specs[0].key)

    def _page_key(self) -> str:
        """Where the last page of the signed-in account is remembered (by id, not by name)."""
        p = self.ctx.principal if self.ctx is not None else None
        who = (p.user_id or p.role) if p is not None else "none"
        return f"{KEY_PAGE}/{who}"

    def flash(self, text: str, seconds: int = 8) -> None:
        """Show ``text`` in the status bar for a while ("Data pegawai tersimpan.")."""
        self.status_message.setText(text)
        self._flash_timer.start(seconds * 1000)

    def _show_write_waiting(self, waiting: bool) -> None:
        """A save is waiting for the database (another program, e.g. a sync import, holds it)."""
        self.write_waiting.setVisible(waiting)

    def _show_person(self, name: str) -> None:
        if self.ctx is not None:
            self.user_label.setText(_("{name} ({role})").format(name=name, role=role_label(self.ctx.principal.role)))

    def detach(self) -> None:
        """Forget the signed-in person: pages closed, their work awaited, the frame stays."""
        ctx = self.ctx
        if ctx is None:
            return
        self._remember()
        try:
            ctx.bus.waiting.disconnect(self._show_write_waiting)
        except (RuntimeError, TypeError):  # never connected
            pass
        self.write_waiting.hide()
        self.nav.blockSignals(True)
        self.nav.clear()
        self.nav.blockSignals(False)
        self.set_waiting(_("Silakan masuk untuk melanjutkan."))
        for widget in self.pages.values():
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.pages.clear()
        self.specs = []
        ctx.runner.wait(5000)
        ctx.runner.deleteLater()
        ctx.window = None
        self.ctx = None
        self.user_label.hide()
        self.user_label.clear()  # a shared PC: no name left behind, not even hidden
        self.user_label.setToolTip("")
        self.sign_out_button.hide()
        idle = getattr(self, "idle", None)
        if idle is not None:
            idle.stop()
            self.idle = None
        for action in (
            self.action_password,
            self.action_sign_out,
            self.action_search,
            self.action_new,
            self.action_refresh,
        ):
            action.setEnabled(False)

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.first_painted_at is None and not self._paint_pending:
            # Noted when this paint pass (the children's included) is over.
            self._paint_pending = True
            QTimer.singleShot(0, self, self._note_first_paint)

    def _note_first_paint(self) -> None:
        self.first_painted_at = time.time()
        self.first_painted.emit()

    # -- pages -------------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page widget for ``key``, created (and its module imported) on first use."""
        widget = self.pages.get(key)
        if widget is None:
            spec = next(s for s in self.specs if s.key == key)
            widget = spec.factory(self.ctx)
            self.pages[key] = widget
            self.stack.addWidget(widget)
        return widget

    def show_page(self, key: str) -> QWidget | None:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                if self.nav.currentRow() != row:
                    self.nav.setCurrentRow(row)  # emits currentRowChanged -> _show_row
                else:
                    self._show_row(row)
                break
        return self.pages.get(key)

    def current_key(self) -> str:
        item = self.nav.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else ""

    def current_page(self):
        key = self.current_key()
        return self.pages.get(key)

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        key = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
        self.settings.setValue(self._page_key(), key)
        self.action_search.setEnabled(getattr(widget, "has_search", False))
        self.action_new.setEnabled(getattr(widget, "has_new", False))
        activated = getattr(widget, "show_page", None) or getattr(widget, "activated", None)
        if activated:
            activated()

    # -- actions and menus -------------------------------------------------------------
    def _build_actions(self) -> None:
        self.action_search = QAction(self)
        self.action_search.setShortcut(QKeySequence.StandardKey.Find)
        self.action_search.triggered.connect(lambda: self._forward("focus_search"))
        self.action_new = QAction(self)
        self.action_new.setShortcut(QKeySequence.StandardKey.New)
        self.action_new.triggered.connect(lambda: self._forward("new_item"))
        self.action_refresh = QAction(self)
        self.action_refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        if QKeySequence(QKeySequence.StandardKey.Refresh).isEmpty():
            self.action_refresh.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.action_refresh.triggered.connect(lambda: self._forward("refresh"))

        self.menu_file = self.menuBar().addMenu("")
        self.action_password = self.menu_file.addAction("")
        self.action_password.triggered.connect(self.change_password)
        self.action_sign_out = self.menu_file.addAction("")
        self.action_sign_out.triggered.connect(self.sign_out)
        self.menu_file.addSeparator()
        self.action_quit = self.menu_file.addAction("")
        self.action_quit.setShortcut(QKeySequence.StandardKey.Quit)
        self.action_quit.triggered.connect(self.close)

        self.menu_view = self.menuBar().addMenu("")
        for action in (self.action_search, self.action_new, self.action_refresh):
            self.menu_view.addAction(action)
            self.addAction(action)

        self.menu_help = self.menuBar().addMenu("")
        self.action_guide = self.menu_help.addAction("")
        self.action_guide.setShortcut(QKeySequence.StandardKey.HelpContents)
        if QKeySequence(QKeySequence.StandardKey.HelpContents).isEmpty():
            self.action_guide.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.action_guide.triggered.connect(self.show_guide)
        self.menu_help.addSeparator()
        self.action_log = self.menu_help.addAction("")
        self.action_log.triggered.connect(self.open_log_folder)
        self.action_about = self.menu_help.addAction("")
        self.action_about.triggered.connect(self.about)
        # Nothing to search, create, refresh or sign out of until someone has signed in.
        for action in (
            self.action_password,
            self.action_sign_out,
            self.action_search,
            self.action_new,
            self.action_refresh,
        ):
            action.setEnabled(False)

    def retranslate(self) -> None:
        """Set the frame's texts in the current language (again after it changed at start-up)."""
        self.setWindowTitle(_("Kinerja Desktop"))
        self.nav.setAccessibleName(_("Navigasi"))
        self.write_waiting.setText(_("Menunggu basis data… perubahan disimpan begitu basis data bebas."))
        self.write_waiting.setToolTip(
            _(
                "Program lain (misalnya impor sinkronisasi) sedang memakai basis data. "
                "Perubahan Anda disimpan begitu basis data bebas; bila masih terkunci "
                "setelah dua menit, Anda diberi tahu dan perubahan tidak disimpan."
            )
        )
        for action, text in (
            (self.action_search, _("Cari")),
            (self.action_new, _("Baru")),
            (self.action_refresh, _("Muat ulang")),
            (self.action_password, _("Ganti kata sandi…")),
            (self.action_sign_out, _("Keluar akun")),
            (self.action_quit, _("Tutup program")),
            (self.action_log, _("Buka folder log")),
            (self.action_guide, _("Panduan pengguna")),
            (self.action_about, _("Tentang Kinerja Desktop")),
        ):
            action.setText(text)
        self.sign_out_button.setText(_("Keluar"))
        self.sign_out_button.setToolTip(_("Keluar akun dan kembali ke layar masuk (komputer bersama)"))
        self.menu_file.setTitle(_("&Berkas"))
        self.menu_view.setTitle(_("&Tampilan"))
        self.menu_help.setTitle(_("Ba&ntuan"))

    def _forward(self, method: str) -> None:
        page = self.current_page()
        if page is not None and hasattr(page, method):
            getattr(page, method)()

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_message = QLabel()
        self.status_message.setObjectName("statusMessage")
        self.status_message.setContentsMargins(6, 0, 6, 0)
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self.status_message.clear)
        bar.addWidget(self.status_message, 1)
        self.write_waiting = QLabel()
        self.write_waiting.setObjectName("writeWaiting")
        self.write_waiting.setContentsMargins(6, 0, 6, 0)
        self.write_waiting.hide()
        bar.addPermanentWidget(self.write_waiting)
        self.user_label = QLabel()
        self.site_label = QLabel()
        self.db_label = QLabel()
        for label in (self.user_label, self.site_label, self.db_label):
            label.setContentsMargins(6, 0, 6, 0)
            label.hide()
            bar.addPermanentWidget(label)
        # Shared office PCs: one click back to the sign-in screen.
        self.sign_out_button = QPushButton()
        self.sign_out_button.setObjectName("signOutButton")
        self.sign_out_button.clicked.connect(self.sign_out)
        self.sign_out_button.hide()
        bar.addPermanentWidget(self.sign_out_button)

    # -- account -----------------------------------------------------------------------
    def change_password(self) -> None:
        if self.ctx is None:
            return
        from kinerja_desktop.ui.signin import ChangePasswordDialog

        ChangePasswordDialog(self.ctx.db, self.ctx.principal, parent=self, ops=self.ctx).exec()

    def sign_out(self) -> None:
        if self.ctx is None:
            return
        self.signing_out = True
        if self.keep_open_on_sign_out:
            self.detach()
            self.sign_out_requested.emit()
            return
        self.sign_out_requested.emit()
        self.close()

    def open_log_folder(self) -> None:
        from kinerja_desktop.logs import log_file

        folder = log_file().parent
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def show_guide(self) -> None:
        """Bantuan › Panduan pengguna (F1): the user guide of the README, in a window of its own."""
        from kinerja_desktop.ui.dialogs.user_guide import UserGuideDialog

        guide = getattr(self, "_guide", None)
        if guide is None:
            guide = self._guide = UserGuideDialog(self)
        guide.show()
        guide.raise_()
        guide.activateWindow()

    def about_box(self) -> QMessageBox:
        from PySide6 import __version__ as pyside_version

        from kinerja_desktop.logs import log_file

        box = QMessageBox(self)
        box.setWindowTitle(_("Tentang Kinerja Desktop"))
        box.setIconPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(48, 48))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            _(
                "<h3>Kinerja Desktop {version}</h3>"
                "<p>Manajemen kinerja ASN Pemerintah Kabupaten Batanghari: SKP, umpan balik, "
                "evaluasi dan pengembangan kompetensi.</p>"
                "<p>Berkas log: {log}<br>Qt for Python {qt}</p>"
            ).format(version=__version__, log=log_file(), qt=pyside_version)
        )
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        return box

    def about(self) -> None:
        self.about_box().exec()

    # -- closing -----------------------------------------------------------------------
    def _remember(self) -> None:
        settings = self.settings
        settings.setValue(KEY_GEOMETRY, self.saveGeometry())
        settings.setValue(KEY_STATE, self.saveState())
        if self.current_key():
            settings.setValue(self._page_key(), self.current_key())
        settings.sync()

    def closeEvent(self, event) -> None:  # noqa: N802
        self._remember()
        if self.ctx is not None:
            self.ctx.runner.wait(5000)
        super().closeEvent(event)


def _person_name(principal):
    def work(session) -> str:
        from kinerja_desktop.services.access.users import person_name

        return person_name(session, principal)

    return work


def _elide_path(text: str, limit: int = 60) -> str:
    if len(text) <= limit:
        return text
    p = Path(text)
    return f"…/{p.parent.name}/{p.name}" if p.parent.name else text[-limit:]
