"""Signing in, and changing one's own password."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.passwords import MIN_PASSWORD_LENGTH
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.access.users import (
    AuthError,
    authenticate,
    change_password,
    must_change_password,
    practice_accounts,
)
from kinerja_desktop.ui.operations import operations_for, save_dialog
from kinerja_desktop.ui.theme import MessageLabel, scaled_font
from kinerja_desktop.ui.widgets import form_layout, wrapped_label


def password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class SignInDialog(QDialog):
    """User name and password; on a demo database, the practice accounts to try."""

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)

        self.db = db
        self.ops = operations_for(db, self)
        self.principal: Principal | None = None
        self.must_change_password = False
        self.setWindowTitle(_("Masuk — Kinerja Desktop"))
        layout = QVBoxLayout(self)
        layout.setSpacing(10)

        title = QLabel(_("Kinerja Desktop"))
        title.setFont(scaled_font(title, 1.6, bold=True))
        layout.addWidget(title)
        layout.addWidget(wrapped_label(_("Masuk dengan nama pengguna dan kata sandi Anda.")))

        form = form_layout()
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = password_field()
        self.password.setObjectName("password")
        form.addRow(_("Nama pengguna"), self.username)
        form.addRow(_("Kata sandi"), self.password)
        layout.addLayout(form)

        self.error = MessageLabel(self)
        self.error.setObjectName("signInError")
        layout.addWidget(self.error)

        self.accounts: list = []
        self.practice_table: QTableWidget | None = None
        self.ops.query(practice_accounts, self._show_practice, owner=self)

        buttons = QDialogButtonBox()
        self.sign_in_button = buttons.addButton(_("Masuk"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Batal"))
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.username.setFocus()
        self.setMinimumWidth(420)

    def _show_practice(self, accounts: list) -> None:
        """A demo database lists its practice accounts above the buttons."""
        self.accounts = accounts
        if accounts:
            layout = self.layout()
            layout.insertWidget(layout.count() - 1, self._practice_box())
            self.setMinimumWidth(860)
            self.adjustSize()

    def _practice_box(self) -> QGroupBox:
        box = QGroupBox(_("Akun latihan (basis data demo)"))
        inner = QVBoxLayout(box)
        inner.addWidget(
            wrapped_label(
                _(
                    "Basis data ini berisi data contoh. Klik salah satu akun untuk mencoba peran tersebut; "
                    "basis data sungguhan tidak memiliki akun ini."
                )
            )
        )
        table = QTableWidget(len(self.accounts), 4)
        table.setObjectName("practiceAccounts")
        table.setHorizontalHeaderLabels([_("Nama pengguna"), _("Kata sandi"), _("Peran"), _("Untuk apa")])
        table.verticalHeader().setVisible(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(True)
        for row, acc in enumerate(self.accounts):
            for col, text in enumerate((acc.username, acc.password, acc.role_label, acc.description)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, col, item)
        header = table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        table.resizeRowsToContents()
        table.setFixedHeight(
            table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(table.rowCount())) + 4
        )
        table.cellClicked.connect(self.use_practice_account)
        table.setTabKeyNavigation(False)
        self.practice_table = table
        inner.addWidget(table)
        return box

    def use_practice_account(self, row: int, _column: int = 0) -> None:
        acc = self.accounts[row]
        self.username.setText(acc.username)
        self.password.setText(acc.password)
        self.error.clear_message()
        self.sign_in_button.setFocus()

    def try_sign_in(self) -> None:

        username = self.username.text().strip()
        if not username:
            self.error.show_message(_("Isi nama pengguna Anda."))
            self.username.setFocus()
            return
        password = self.password.text()

        def write(s):
            principal = authenticate(s, username, password)
            return principal, must_change_password(s, principal)

        def refused(exc: UserError) -> bool:
            if not isinstance(exc, AuthError):
                return False
            self.error.show_message(exc.message)
            self.password.clear()
            self.password.setFocus()
            return True

        save_dialog(self.ops, self, write, changes=(), on_saved=self._signed_in, on_user_error=refused)

    def _signed_in(self, answer) -> None:
        self.principal, self.must_change_password = answer


class ChangePasswordDialog(QDialog):
    """The signed-in user chooses a new password (``forced`` after an administrator's reset)."""

    def __init__(
        self, db, principal: Principal, *, forced: bool = False, parent: QWidget | None = None, ops=None
    ) -> None:
        super().__init__(parent)
        self.db = db
        #: The signed-in window's operation layer when there is one (else one of its own).
        self.ops = ops if ops is not None else operations_for(db, self)
        self.principal = principal
        self.setWindowTitle(_("Ganti kata sandi"))
        layout = QVBoxLayout(self)
        if forced:
            layout.addWidget(
                wrapped_label(
                    _(
                        "Kata sandi Anda baru saja diatur ulang oleh administrator. Pilih kata sandi baru "
                        "sebelum melanjutkan."
                    )
                )
            )
        form = form_layout()
        self.old = password_field()
        self.new = password_field()
        self.repeat = password_field()
        form.addRow(_("Kata sandi lama"), self.old)
        form.addRow(_("Kata sandi baru"), self.new)
        form.addRow(_("Ulangi kata sandi baru"), self.repeat)
        layout.addLayout(form)

        hint = MessageLabel(self, MessageLabel.HINT)
        hint.show_message(
            _("Minimal {n} karakter; campuran huruf dan angka yang tidak berurutan.").format(n=MIN_PASSWORD_LENGTH)
        )
        layout.addWidget(hint)
        self.error = MessageLabel(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        save = buttons.addButton(_("Simpan"), QDialogButtonBox.ButtonRole.AcceptRole)
        save.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Keluar") if forced else _("Batal"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def save(self) -> None:

        if self.new.text() != self.repeat.text():
            self.error.show_message(_("Kata sandi baru dan ulangannya tidak sama. Ketik ulang keduanya."))
            self.repeat.clear()
            self.repeat.setFocus()
            return
        principal, old, new = self.principal, self.old.text(), self.new.text()

        def refused(exc: UserError) -> bool:
            self.error.show_message(exc.message)
            return True

        save_dialog(
            self.ops, self, lambda s: change_password(s, principal, old, new), changes={"users"}, on_user_error=refused
        )


def ensure_password_changed(db, principal: Principal, must_change: bool, parent: QWidget | None = None) -> bool:
    """When the account must choose a new password, ask for it; False when the person declined."""
    if not must_change:
        return True
    dialog = ChangePasswordDialog(db, principal, forced=True, parent=parent)
    return dialog.exec() == QDialog.DialogCode.Accepted
