"""Pengaturan: language, letterhead, export folder, and user accounts (administrators)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop import i18n
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.users import person_name, set_user_active
from kinerja_desktop.services.settings import (
    Letterhead,
    get_export_folder,
    get_language,
    get_letterhead,
    set_export_folder,
    set_language,
    set_letterhead,
)
from kinerja_desktop.ui.context import is_administrator, manages_roster, role_label
from kinerja_desktop.ui.dialogs.users import ResetPasswordDialog, UserDialog, load_users
from kinerja_desktop.ui.operations import show_error
from kinerja_desktop.ui.pages.base import Page
from kinerja_desktop.ui.pages.settings.certificates import CertificatesTab
from kinerja_desktop.ui.pages.settings.kepala_daerah import KepalaDaerahTab
from kinerja_desktop.ui.saved import announce_saved
from kinerja_desktop.ui.signin import ChangePasswordDialog
from kinerja_desktop.ui.sync_auto import ServerAddressBox
from kinerja_desktop.ui.theme import MessageLabel
from kinerja_desktop.ui.widgets import form_layout, wrapped_label

LOGO_FILTER = N_("Gambar (*.png *.jpg *.jpeg)")
LOGO_PREVIEW = 96


def _scrolled(widget: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(widget)
    return scroll


class GeneralTab(QWidget):
    # long: builds the widgets top to bottom, one field or button a line
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)

        self.ctx = ctx
        layout = QVBoxLayout(self)

        lang_box = QGroupBox(_("Bahasa tampilan"))
        lang_layout = QVBoxLayout(lang_box)
        row = QHBoxLayout()
        self.language = QComboBox()
        self.language.setObjectName("languageCombo")
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.language())))
        self.save_language_button = QPushButton(_("Simpan bahasa"))
        row.addWidget(self.language)
        row.addWidget(self.save_language_button)
        row.addStretch(1)
        lang_layout.addLayout(row)
        self.language_note = MessageLabel(self, MessageLabel.HINT)
        self.language_note.show_message(_("Bahasa baru berlaku setelah program ditutup dan dibuka kembali."))
        lang_layout.addWidget(self.language_note)
        self.save_language_button.clicked.connect(self.save_language)
        layout.addWidget(lang_box)

        self.folder_box = QGroupBox(_("Folder ekspor bawaan"))
        folder_layout = QVBoxLayout(self.folder_box)
        row = QHBoxLayout()
        self.export_folder = QLineEdit()
        self.export_folder.setObjectName("exportFolder")
        browse = QPushButton(_("Pilih…"))
        browse.clicked.connect(self.browse_folder)
        self.save_folder_button = QPushButton(_("Simpan folder"))
        self.save_folder_button.clicked.connect(self.save_folder)
        row.addWidget(self.export_folder, 1)
        row.addWidget(browse)
        row.addWidget(self.save_folder_button)
        folder_layout.addLayout(row)
        folder_layout.addWidget(wrapped_label(_("Berkas hasil ekspor dan cetak disarankan disimpan di sini.")))
        self.folder_message = MessageLabel(self)
        folder_layout.addWidget(self.folder_message)
        self.folder_box.setVisible(is_administrator(ctx.principal))
        layout.addWidget(self.folder_box)
        ctx.query(lambda s: (get_language(s), get_export_folder(s)), lambda got: self._show_saved(*got), owner=self)

        self.server_box = ServerAddressBox(ctx)
        self.server_box.setVisible(is_administrator(ctx.principal))
        layout.addWidget(self.server_box)

        account_box = QGroupBox(_("Akun Anda"))
        account_layout = QHBoxLayout(account_box)
        principal = ctx.principal
        self.account_label = QLabel(
            _("{user} — {role}").format(user=principal.username, role=role_label(principal.role))
        )
        self.account_label.setObjectName("accountLabel")
        account_layout.addWidget(self.account_label)

        def person(session) -> str:

            return person_name(session, principal)

        ctx.query(
            person,
            lambda name: self.account_label.setText(
                _("{name} (nama pengguna {user}) — {role}").format(
                    name=name, user=principal.username, role=role_label(principal.role)
                )
            ),
            owner=self.account_label,
        )
        account_layout.addStretch(1)
        change = QPushButton(_("Ganti kata sandi…"))
        change.clicked.connect(self.change_password)
        account_layout.addWidget(change)
        layout.addWidget(account_box)
        layout.addStretch(1)

    def _show_saved(self, language: str, folder) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.export_folder.setText(str(folder))

    def save_language(self) -> None:

        lang, principal = self.language.currentData(), self.ctx.principal
        self.ctx.write(
            lambda s: set_language(s, principal, lang),
            lambda _r: self._language_saved(lang),
            changes={"settings"},
            owner=self,
        )

    def _language_saved(self, lang: str) -> None:
        if lang == i18n.language():
            self.language_note.show_message(_("Bahasa tersimpan."), MessageLabel.OK)
        else:
            self.language_note.show_message(
                _("Bahasa tersimpan. Tutup dan buka kembali program agar bahasa baru berlaku."), MessageLabel.OK
            )

    def browse_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Pilih folder ekspor"), self.export_folder.text())
        if chosen:
            self.export_folder.setText(chosen)

    def save_folder(self) -> None:

        principal, typed = self.ctx.principal, self.export_folder.text().strip()

        def write(s):
            set_export_folder(s, principal, typed)
            return get_export_folder(s)

        self.ctx.write(
            write,
            self._folder_saved,
            changes={"settings"},
            owner=self,
            on_error=lambda exc: _in_label(exc, self.folder_message, self),
        )

    def _folder_saved(self, folder) -> None:
        self.export_folder.setText(str(folder))
        self.folder_message.show_message(_("Folder ekspor tersimpan."), MessageLabel.OK)

    def change_password(self) -> None:

        ChangePasswordDialog(self.ctx.db, self.ctx.principal, parent=self, ops=self.ctx).exec()


def _in_label(exc: BaseException, label: MessageLabel, owner: QWidget) -> None:
    """A refusal in the form's own message line; anything else goes to the one error display."""
    if isinstance(exc, UserError):
        label.show_message(exc.message, MessageLabel.ERROR)
    else:
        show_error(exc, owner)


class LetterheadTab(QWidget):
    """The kop surat of printed documents, with the logo shown as it will be used."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)

        self.ctx = ctx
        lh = Letterhead(government="", unit_name="", address_lines=(), logo_path=None)
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped_label(_("Kop surat dicetak di bagian atas setiap dokumen resmi.")))
        form = form_layout()
        self.government = QLineEdit(lh.government)
        self.unit_name = QLineEdit(lh.unit_name)
        self.unit_name.setPlaceholderText(_("mis. BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA"))
        self.address = QPlainTextEdit("\n".join(lh.address_lines))
        self.address.setPlaceholderText(_("Satu baris alamat per baris (paling banyak 4)"))
        self.address.setFixedHeight(self.address.fontMetrics().lineSpacing() * 5 + 12)
        form.addRow(_("Pemerintah"), self.government)
        form.addRow(_("Nama unit"), self.unit_name)
        form.addRow(_("Alamat"), self.address)
        logo_row = QHBoxLayout()
        self.logo_preview = QLabel()
        self.logo_preview.setObjectName("logoPreview")
        self.logo_preview.setFixedSize(LOGO_PREVIEW, LOGO_PREVIEW)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setFrameShape(QLabel.Shape.StyledPanel)
        logo_buttons = QVBoxLayout()
        self.logo_path = QLineEdit(lh.logo_path or "")
        self.logo_path.setReadOnly(True)
        self.logo_path.setPlaceholderText(_("(tanpa logo)"))
        choose = QPushButton(_("Pilih logo…"))
        choose.clicked.connect(self.choose_logo)
        remove = QPushButton(_("Hapus logo"))
        remove.clicked.connect(lambda: self.set_logo(""))
        logo_buttons.addWidget(self.logo_path)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(choose)
        buttons_row.addWidget(remove)
        buttons_row.addStretch(1)
        logo_buttons.addLayout(buttons_row)
        logo_buttons.addWidget(wrapped_label(_("PNG atau JPG, paling besar 2 MB.")))
        logo_row.addWidget(self.logo_preview)
        logo_row.addLayout(logo_buttons, 1)
        form.addRow(_("Logo"), logo_row)
        layout.addLayout(form)
        self.message = MessageLabel(self)
        layout.addWidget(self.message)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        self.save_button = QPushButton(_("Simpan kop surat"))
        self.save_button.clicked.connect(self.save)
        save_row.addWidget(self.save_button)
        layout.addLayout(save_row)
        layout.addStretch(1)
        self.set_logo("")
        ctx.query(get_letterhead, self._fill, owner=self)

    def _fill(self, lh) -> None:
        self.government.setText(lh.government)
        self.unit_name.setText(lh.unit_name)
        self.address.setPlainText("\n".join(lh.address_lines))
        self.set_logo(lh.logo_path or "")

    def choose_logo(self) -> None:
        chosen, _f = QFileDialog.getOpenFileName(self, _("Pilih logo"), self.logo_path.text(), _(LOGO_FILTER))
        if chosen:
            self.set_logo(chosen)

    def set_logo(self, path: str) -> None:
        self.logo_path.setText(path)
        pixmap = QPixmap(path) if path else QPixmap()
        if pixmap.isNull():
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(_("(tanpa logo)") if not path else _("(tidak terbaca)"))
        else:
            self.logo_preview.setText("")
            self.logo_preview.setPixmap(
                pixmap.scaled(
                    LOGO_PREVIEW - 8,
                    LOGO_PREVIEW - 8,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def save(self) -> None:

        lines = tuple(line for line in self.address.toPlainText().splitlines() if line.strip())
        lh = Letterhead(
            government=self.government.text(),
            unit_name=self.unit_name.text(),
            address_lines=lines,
            logo_path=self.logo_path.text() or None,
        )
        principal = self.ctx.principal

        def write(s):
            set_letterhead(s, principal, lh)
            return get_letterhead(s)

        self.ctx.write(
            write,
            self._saved,
            changes={"settings"},
            owner=self,
            on_error=lambda exc: _in_label(exc, self.message, self),
        )

    def _saved(self, saved) -> None:
        self.set_logo(saved.logo_path or "")
        self.message.show_message(_("Kop surat tersimpan."), MessageLabel.OK)


class UsersTab(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(_("Tambah pengguna…"))
        self.edit_button = QPushButton(_("Ubah…"))
        self.reset_button = QPushButton(_("Atur ulang kata sandi…"))
        self.toggle_button = QPushButton(_("Nonaktifkan"))
        for b in (self.add_button, self.edit_button, self.reset_button, self.toggle_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels(
            [_("Nama pengguna"), _("Nama tampilan"), _("Peran"), _("Data pegawai"), _("Keadaan")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setWordWrap(False)  # one line per account; the full text is in the tooltip
        for col, width in enumerate((150, 220, 150, 480)):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.users: list = []
        self.add_button.clicked.connect(self.add_user)
        self.edit_button.clicked.connect(self.edit_user)
        self.reset_button.clicked.connect(self.reset_user)
        self.toggle_button.clicked.connect(self.toggle_user)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.edit_user())
        ctx.bus.subscribe({"users", "employees"}, self.reload, owner=self)
        self.reload()

    def reload(self) -> None:

        principal = self.ctx.principal
        self.ctx.query(lambda s: load_users(s, principal), self._show_users, owner=self, key=f"users-{id(self)}")

    def _show_users(self, users: list) -> None:
        self.users = users
        self.table.setRowCount(len(self.users))
        for row, u in enumerate(self.users):
            state = _("aktif") if u.active else _("nonaktif")
            if u.locked:
                state += ", " + _("terkunci")
            if u.must_change_password:
                state += ", " + _("harus ganti kata sandi")
            for col, text in enumerate((u.username, u.display_name, role_label(u.role), u.employee_label, state)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        self._update_buttons()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        user = self.selected()
        for b in (self.edit_button, self.reset_button, self.toggle_button):
            b.setEnabled(user is not None)
        if user is not None:
            self.toggle_button.setText(_("Nonaktifkan") if user.active else _("Aktifkan"))

    def add_user(self) -> None:

        if UserDialog(self.ctx, parent=self).exec():  # its write told this tab to reload
            announce_saved(self, _("Pengguna baru tersimpan."))

    def edit_user(self) -> None:

        user = self.selected()
        if user is not None and UserDialog(self.ctx, user, parent=self).exec():
            announce_saved(self, _("Data pengguna tersimpan."))

    def reset_user(self) -> None:

        user = self.selected()
        if user is not None and ResetPasswordDialog(self.ctx, user, parent=self).exec():
            announce_saved(self, _("Kata sandi baru tersimpan."))

    def toggle_user(self) -> None:

        user = self.selected()
        if user is None:
            return
        principal = self.ctx.principal
        self.ctx.write(lambda s: set_user_active(s, principal, user.id, not user.active), changes={"users"}, owner=self)


class SettingsPage(Page):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = self.page_layout(_("Pengaturan"))
        self.tabs = QTabWidget()
        self.general = GeneralTab(ctx)
        self.tabs.addTab(_scrolled(self.general), _("Umum"))
        self.letterhead: LetterheadTab | None = None
        self.users: UsersTab | None = None
        self.kepala_daerah = None
        if is_administrator(ctx.principal):
            self.letterhead = LetterheadTab(ctx)
            self.tabs.addTab(_scrolled(self.letterhead), _("Kop surat"))
            self.users = UsersTab(ctx)
            self.tabs.addTab(self.users, _("Pengguna"))
        if is_administrator(ctx.principal) or manages_roster(ctx.principal):
            self.kepala_daerah = KepalaDaerahTab(ctx)
            self.tabs.addTab(_scrolled(self.kepala_daerah), _("Kepala daerah"))
        self.certificates = CertificatesTab(ctx)
        self.certificates_index = self.tabs.addTab(_scrolled(self.certificates), _("Sertifikat"))
        layout.addWidget(self.tabs, 1)

    def show_tab(self, name: str) -> None:
        """Bring a tab to the front (``"certificates"``), e.g. from a guidance button elsewhere."""
        if name == "certificates":
            self.tabs.setCurrentIndex(self.certificates_index)

    def refresh(self) -> None:
        if self.users is not None:
            self.users.reload()
