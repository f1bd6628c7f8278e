"""The main window: navigation on the left, the current page on the right, a status bar."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox,
    QStackedWidget, QStyle, QWidget,
)

from kinerja_desktop import __version__
from kinerja_desktop.i18n import _
from kinerja_desktop.logs import log_file
from kinerja_desktop.ui.context import AppContext, role_label
from kinerja_desktop.ui.pages import PageSpec, pages_for

log = logging.getLogger("kinerja.ui")

KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
KEY_PAGE = "window/page"
DEFAULT_SIZE = QSize(1280, 740)


class MainWindow(QMainWindow):
    #: The person chose "Keluar akun": the launcher shows the sign-in dialog again.
    sign_out_requested = Signal()

    def __init__(self, ctx: AppContext, initial_page: str | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        ctx.window = self
        self.signing_out = False
        self.setWindowTitle(_("Kinerja Desktop"))
        self.specs: list[PageSpec] = pages_for(ctx.principal)
        self.pages: dict[str, QWidget] = {}

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(_("Navigasi"))
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setSpacing(2)
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        for spec in self.specs:
            item = QListWidgetItem(_(spec.title))
            if spec.icon:
                item.setIcon(self.style().standardIcon(getattr(QStyle.StandardPixmap, spec.icon)))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setSizeHint(QSize(0, 36))
            self.nav.addItem(item)
        width = max(170, self.nav.sizeHintForColumn(0) + 32)
        self.nav.setFixedWidth(width)
        self.nav.setAutoFillBackground(True)
        self.nav.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self.stack = QStackedWidget()
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._show_row)

        self._build_actions()
        self._build_status_bar()

        settings = ctx.settings
        geometry = settings.value(KEY_GEOMETRY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(DEFAULT_SIZE)
        state = settings.value(KEY_STATE)
        if state is not None:
            self.restoreState(state)
        wanted = initial_page or settings.value(KEY_PAGE) or "home"
        self.show_page(wanted if any(s.key == wanted for s in self.specs) else self.specs[0].key)

    # -- pages -------------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page widget for ``key``, created on first use."""
        widget = self.pages.get(key)
        if widget is None:
            spec = next(s for s in self.specs if s.key == key)
            widget = spec.factory(self.ctx)
            self.pages[key] = widget
            self.stack.addWidget(widget)
        return widget

    def show_page(self, key: str) -> QWidget:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                if self.nav.currentRow() != row:
                    self.nav.setCurrentRow(row)  # emits currentRowChanged -> _show_row
                else:
                    self._show_row(row)
                break
        return self.pages[key]

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
        self.ctx.settings.setValue(KEY_PAGE, key)
        self.action_search.setEnabled(getattr(widget, "has_search", False))
        self.action_new.setEnabled(getattr(widget, "has_new", False))
        activated = getattr(widget, "activated", None)
        if activated:
            activated()

    # -- actions and menus -------------------------------------------------------------
    def _build_actions(self) -> None:
        self.action_search = QAction(_("Cari"), self)
        self.action_search.setShortcut(QKeySequence.StandardKey.Find)
        self.action_search.triggered.connect(lambda: self._forward("focus_search"))
        self.action_new = QAction(_("Baru"), self)
        self.action_new.setShortcut(QKeySequence.StandardKey.New)
        self.action_new.triggered.connect(lambda: self._forward("new_item"))
        self.action_refresh = QAction(_("Muat ulang"), self)
        self.action_refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        if QKeySequence(QKeySequence.StandardKey.Refresh).isEmpty():
            self.action_refresh.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.action_refresh.triggered.connect(lambda: self._forward("refresh"))

        menu_file = self.menuBar().addMenu(_("&Berkas"))
        self.action_password = menu_file.addAction(_("Ganti kata sandi…"))
        self.action_password.triggered.connect(self.change_password)
        self.action_sign_out = menu_file.addAction(_("Keluar akun"))
        self.action_sign_out.triggered.connect(self.sign_out)
        menu_file.addSeparator()
        self.action_quit = menu_file.addAction(_("Tutup program"))
        self.action_quit.setShortcut(QKeySequence.StandardKey.Quit)
        self.action_quit.triggered.connect(self.close)

        menu_view = self.menuBar().addMenu(_("&Tampilan"))
        for action in (self.action_search, self.action_new, self.action_refresh):
            menu_view.addAction(action)
            self.addAction(action)

        menu_help = self.menuBar().addMenu(_("Ba&ntuan"))
        self.action_log = menu_help.addAction(_("Buka folder log"))
        self.action_log.triggered.connect(self.open_log_folder)
        self.action_about = menu_help.addAction(_("Tentang Kinerja Desktop"))
        self.action_about.triggered.connect(self.about)

    def _forward(self, method: str) -> None:
        page = self.current_page()
        if page is not None and hasattr(page, method):
            getattr(page, method)()

    def _build_status_bar(self) -> None:
        p = self.ctx.principal
        bar = self.statusBar()
        self.user_label = QLabel(_("Pengguna: {user} ({role})").format(user=p.username, role=role_label(p.role)))
        self.site_label = QLabel(_("Situs: {site}").format(site=self.ctx.db.site_id))
        db_text = str(self.ctx.db.path) if self.ctx.db.path else self.ctx.db.url
        self.db_label = QLabel(_("Basis data: {path}").format(path=_elide_path(db_text)))
        self.db_label.setToolTip(db_text)
        for label in (self.user_label, self.site_label, self.db_label):
            label.setContentsMargins(6, 0, 6, 0)
            bar.addPermanentWidget(label)

    # -- account -----------------------------------------------------------------------
    def change_password(self) -> None:
        from kinerja_desktop.ui.signin import ChangePasswordDialog

        ChangePasswordDialog(self.ctx.db, self.ctx.principal, parent=self).exec()

    def sign_out(self) -> None:
        self.signing_out = True
        self.sign_out_requested.emit()
        self.close()

    def open_log_folder(self) -> None:
        folder = log_file().parent
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def about_box(self) -> QMessageBox:
        from PySide6 import __version__ as pyside_version

        box = QMessageBox(self)
        box.setWindowTitle(_("Tentang Kinerja Desktop"))
        box.setIconPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(48, 48))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(_("<h3>Kinerja Desktop {version}</h3>"
                      "<p>Manajemen kinerja ASN Pemerintah Kabupaten Batanghari: SKP, umpan balik, "
                      "evaluasi dan pengembangan kompetensi.</p>"
                      "<p>Berkas log: {log}<br>Qt for Python {qt}</p>").format(
                        version=__version__, log=log_file(), qt=pyside_version))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        return box

    def about(self) -> None:
        self.about_box().exec()

    # -- closing -----------------------------------------------------------------------
    def closeEvent(self, event) -> None:  # noqa: N802
        settings = self.ctx.settings
        settings.setValue(KEY_GEOMETRY, self.saveGeometry())
        settings.setValue(KEY_STATE, self.saveState())
        if self.current_key():
            settings.setValue(KEY_PAGE, self.current_key())
        settings.sync()
        self.ctx.runner.wait(5000)
        super().closeEvent(event)


def _elide_path(text: str, limit: int = 60) -> str:
    if len(text) <= limit:
        return text
    p = Path(text)
    return f"…/{p.parent.name}/{p.name}" if p.parent.name else text[-limit:]

