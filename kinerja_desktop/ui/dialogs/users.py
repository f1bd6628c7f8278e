"""Account dialogs for administrators: add or edit a user, reset a password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from kinerja_desktop.errors import UserError
from kinerja_desktop.formatting import nip_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, ADMINISTRATOR, PEJABAT_PENILAI
from kinerja_desktop.services.access.users import create_user, list_users, reset_password, update_user
from kinerja_desktop.services.roster.query import search_employees
from kinerja_desktop.ui.context import role_label
from kinerja_desktop.ui.operations import save_dialog
from kinerja_desktop.ui.pickers import EmployeePicker
from kinerja_desktop.ui.signin import password_field
from kinerja_desktop.ui.theme import MessageLabel
from kinerja_desktop.ui.widgets import FieldWithMessage, form_layout

ROLES = (ADMINISTRATOR, ADMIN_KEPEGAWAIAN, PEJABAT_PENILAI)


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox()
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setDefault(True)
    cancel = box.addButton(QDialogButtonBox.StandardButton.Cancel)
    cancel.setText(_("Batal"))
    box.rejected.connect(dialog.reject)
    return box


@dataclass(frozen=True)
class UserInfo:
    """An account as the settings page lists it (plain values, no database session)."""

    id: str
    username: str
    display_name: str
    role: str
    employee_id: str | None
    employee_label: str
    active: bool
    locked: bool
    must_change_password: bool


def load_users(session, actor) -> list[UserInfo]:

    now = datetime.now(UTC).replace(tzinfo=None)
    out = []
    for u in list_users(session, actor):
        emp = u.employee
        out.append(
            UserInfo(
                id=u.id,
                username=u.username,
                display_name=u.display_name,
                role=u.role,
                employee_id=u.employee_id,
                employee_label=f"{emp.full_name} — {nip_text(emp.nip)}" if emp is not None else "",
                active=u.active,
                locked=bool(u.locked_until and u.locked_until > now),
                must_change_password=u.must_change_password,
            )
        )
    return out


class UserDialog(QDialog):
    """A new account (``user`` None) or changes to an existing one."""

    def __init__(self, ctx, user=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)

        self.ctx = ctx
        self.user = user
        self.setWindowTitle(
            _("Tambah pengguna") if user is None else _("Ubah pengguna {name}").format(name=user.username)
        )
        layout = QVBoxLayout(self)
        form = form_layout()
        self.username = QLineEdit()
        self.username.setPlaceholderText(_("huruf kecil, mis. siti.aminah"))
        self.display_name = QLineEdit()
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(role_label(role), role)
        principal = ctx.principal
        self.employee = EmployeePicker(ctx.runner, lambda s, text: search_employees(s, principal, text))
        self.employee_row = FieldWithMessage(self.employee)
        self.employee_row.set_hint(_("Wajib untuk Pejabat Penilai: ia melihat pegawai di bawahnya."))
        form.addRow(_("Nama pengguna"), self.username)
        form.addRow(_("Nama tampilan"), self.display_name)
        form.addRow(_("Peran"), self.role)
        form.addRow(_("Data pegawai"), self.employee_row)
        self.password = password_field()
        self.repeat = password_field()
        if user is None:
            form.addRow(_("Kata sandi"), self.password)
            form.addRow(_("Ulangi kata sandi"), self.repeat)
        else:
            self.username.setText(user.username)
            self.username.setEnabled(False)
            self.display_name.setText(user.display_name)
            self.role.setCurrentIndex(max(0, self.role.findData(user.role)))
            if user.employee_id:
                self.employee.set_employee(user.employee_id, user.employee_label)
        layout.addLayout(form)
        self.error = MessageLabel(self)
        layout.addWidget(self.error)
        buttons = _buttons(self, _("Simpan"))
        buttons.accepted.connect(self.save)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def save(self) -> None:

        if self.user is None and self.password.text() != self.repeat.text():
            self.error.show_message(_("Kata sandi dan ulangannya tidak sama. Ketik ulang keduanya."))
            return
        principal, user = self.ctx.principal, self.user
        values = {
            "display_name": self.display_name.text(),
            "role": self.role.currentData(),
            "employee_id": self.employee.employee_id,
        }
        if user is None:
            username, password = self.username.text(), self.password.text()

            def write(s) -> None:
                create_user(s, principal, username=username, password=password, **values)
        else:

            def write(s) -> None:
                update_user(s, principal, user.id, **values)

        save_dialog(self.ctx, self, write, changes={"users"}, on_user_error=self._refused)

    def _refused(self, exc: UserError) -> bool:
        self.error.show_message(exc.message)
        return True


class ResetPasswordDialog(QDialog):
    def __init__(self, ctx, user, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user = user
        self.setWindowTitle(_("Atur ulang kata sandi {name}").format(name=user.username))
        layout = QVBoxLayout(self)
        hint = MessageLabel(self, MessageLabel.HINT)
        hint.show_message(
            _(
                "Pengguna harus mengganti kata sandi ini saat masuk berikutnya. "
                "Kunci akun karena salah kata sandi juga dibuka."
            )
        )
        layout.addWidget(hint)
        form = form_layout()
        self.password = password_field()
        self.repeat = password_field()
        form.addRow(_("Kata sandi baru"), self.password)
        form.addRow(_("Ulangi kata sandi"), self.repeat)
        layout.addLayout(form)
        self.error = MessageLabel(self)
        layout.addWidget(self.error)
        buttons = _buttons(self, _("Atur ulang"))
        buttons.accepted.connect(self.save)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def save(self) -> None:

        if self.password.text() != self.repeat.text():
            self.error.show_message(_("Kata sandi dan ulangannya tidak sama. Ketik ulang keduanya."))
            return
        principal, user_id, password = self.ctx.principal, self.user.id, self.password.text()

        def refused(exc: UserError) -> bool:
            self.error.show_message(exc.message)
            return True

        save_dialog(
            self.ctx,
            self,
            lambda s: reset_password(s, principal, user_id, password),
            changes={"users"},
            on_user_error=refused,
        )
