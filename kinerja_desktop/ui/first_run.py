"""The first-run wizard: where the data lives, this office, the first administrator, and
optionally the roster. Shown once: afterwards the program opens on the sign-in dialog.

Like the window, the wizard never opens a database session on the UI thread: it reads and
saves through its own operation layer (:func:`~kinerja_desktop.ui.operations.operations_for`).
A page whose Next needs the database (checking the office, saving the administrator) uses an
asynchronous Next: ``validatePage`` starts the work and answers False; when the work passes,
the page remembers what passed and moves the wizard on itself, and ``validatePage`` then
answers True for exactly that input. While the work runs the wizard's buttons are off.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from kinerja_desktop import paths
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.passwords import MIN_PASSWORD_LENGTH
from kinerja_desktop.services.first_run import (
    FirstRunInput,
    apply_site_identity,
    complete_first_run,
    is_first_run_done,
    new_site_suffix,
    site_id_changes,
    validate_first_run,
)
from kinerja_desktop.services.roster.employees import ValidationError
from kinerja_desktop.services.roster.query import unit_tree
from kinerja_desktop.store.database import open_database
from kinerja_desktop.ui.context import AppContext
from kinerja_desktop.ui.data_location import remember_data_dir
from kinerja_desktop.ui.dialogs.import_wizard import ImportWizard, summary_text
from kinerja_desktop.ui.operations import operations_for, show_error, write_with_retry
from kinerja_desktop.ui.signin import password_field
from kinerja_desktop.ui.theme import MessageLabel
from kinerja_desktop.ui.widgets import FieldWithMessage, form_layout, prepare_wizard, wrapped_label

REGION_CODE = "1504"


def suggest_site_code(unit_code: str) -> str:
    """``"DINKES"`` -> ``"1504-DINKES"``: the region code of Batanghari and the unit code."""
    cleaned = re.sub(r"[^A-Z0-9]+", "-", (unit_code or "").upper()).strip("-")
    if not cleaned:
        return ""
    return cleaned if cleaned.startswith(REGION_CODE) else f"{REGION_CODE}-{cleaned}"


def _flatten(nodes, depth: int = 0):
    for node in nodes:
        yield node, depth
        yield from _flatten(node.children, depth + 1)


class DataFolderPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(_("Selamat datang di Kinerja Desktop"))
        self.setSubTitle(_("Beberapa langkah singkat untuk menyiapkan program di kantor ini."))
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped_label(
                _(
                    "Semua data tersimpan di komputer ini dan program bekerja tanpa internet. "
                    "Folder data berisi basis data, cadangan otomatis, kunci tanda tangan dan berkas log."
                )
            )
        )
        row = QHBoxLayout()
        self.folder = QLineEdit()
        self.folder.setObjectName("dataFolder")
        self.folder.setReadOnly(True)
        self.change_button = QPushButton(_("Ubah…"))
        self.change_button.clicked.connect(self.change_folder)
        row.addWidget(QLabel(_("Folder data:")))
        row.addWidget(self.folder, 1)
        row.addWidget(self.change_button)
        layout.addLayout(row)
        self.note = MessageLabel(self, MessageLabel.HINT)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        if self.wiz.db_fixed:
            self.folder.setText(str(self.wiz.db.path or self.wiz.db.url))
            self.change_button.setEnabled(False)
            self.note.show_message(_("Basis data dipilih dengan --db, jadi foldernya tidak dapat diubah di sini."))
        else:
            self.folder.setText(str(paths.locations().data))
            self.note.show_message(
                _(
                    "Pilih folder lain bila data harus disimpan di tempat lain, misalnya "
                    "di drive D: yang ikut dicadangkan."
                )
            )

    def isComplete(self) -> bool:  # noqa: N802 - not while another folder's database is being opened
        return not self.wiz.busy

    def change_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Pilih folder data"), self.folder.text())
        if chosen:
            self.wiz.move_to_folder(Path(chosen))


class OfficePage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(_("Identitas kantor"))
        self.setSubTitle(_("Nama kantor dan kode situs muncul di data yang dikirim ke BKPSDM."))
        layout = QVBoxLayout(self)
        form = form_layout()
        self.office_name = QLineEdit()
        self.office_name.setObjectName("officeName")
        self.office_name.setPlaceholderText(_("mis. Dinas Kesehatan Kabupaten Batanghari"))
        self.unit = QComboBox()
        self.unit.setObjectName("unitCode")
        self.unit.setEditable(True)
        self.unit.lineEdit().setPlaceholderText(_("kode unit, mis. DINKES"))
        self.site_code = QLineEdit()
        self.site_code.setObjectName("siteCode")
        self.site_code.setPlaceholderText(_("mis. 1504-DINKES"))
        self.name_row = FieldWithMessage(self.office_name)
        self.unit_row = FieldWithMessage(self.unit)
        self.site_row = FieldWithMessage(self.site_code)
        self.unit_row.set_hint(_("Pilih dari daftar bila unit kerja sudah ada, atau ketik kodenya."))
        self.site_row.set_hint(_("Kode unik kantor ini; huruf besar, angka dan tanda hubung."))
        self.saved_as = QLabel("")
        self.saved_as.setObjectName("siteIdPreview")
        self.saved_as.setWordWrap(True)
        self.saved_as.setTextFormat(Qt.TextFormat.RichText)
        self.saved_as.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(_("Nama kantor"), self.name_row)
        form.addRow(_("Unit kerja"), self.unit_row)
        form.addRow(_("Kode situs"), self.site_row)
        form.addRow(_("Disimpan sebagai"), self.saved_as)
        layout.addLayout(form)
        layout.addStretch(1)
        self._site_edited = False
        self.passed = None  # the input whose check passed (asynchronous Next)
        self.suffix = ""
        self.id_changes = True
        self.current_id = ""
        # A suggested code is selected when the field is entered, so typing replaces it
        # instead of adding to it ("1504-DINKES1504-DINKES").
        self.site_code.installEventFilter(self)
        self.site_code.textEdited.connect(self._site_typed)
        self.site_code.textChanged.connect(lambda _t: self._show_saved_as())
        self.unit.currentTextChanged.connect(self._unit_changed)
        self.office_name.textChanged.connect(lambda _t: self.completeChanged.emit())
        self.site_code.textChanged.connect(lambda _t: self.completeChanged.emit())

    def initializePage(self) -> None:  # noqa: N802

        self.current_id = self.wiz.db.site_id
        if not self.suffix:
            self.suffix = new_site_suffix()
        self._show_saved_as()
        self.wiz.ops.query(
            lambda s: (unit_tree(s), site_id_changes(s)), self._show_units, owner=self, key="first-run-units"
        )

    def _show_units(self, answer) -> None:
        nodes, self.id_changes = answer
        self._show_saved_as()
        current = self.unit.currentText()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem("", "")
        for node, depth in _flatten(nodes):
            self.unit.addItem("    " * depth + f"{node.name} ({node.code})", node.code)
        self.unit.setCurrentText(current)
        self.unit.blockSignals(False)

    def unit_code(self) -> str:
        index = self.unit.currentIndex()
        text = self.unit.currentText().strip()
        if index > 0 and self.unit.itemText(index) == self.unit.currentText():
            return self.unit.itemData(index) or ""
        return text

    def _site_typed(self, text: str) -> None:
        self._site_edited = True
        upper = text.upper()
        if upper != text:  # saved in capitals: show it so while typing
            position = self.site_code.cursorPosition()
            self.site_code.setText(upper)
            self.site_code.setCursorPosition(position)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802

        if watched is self.site_code and event.type() == QEvent.Type.FocusIn and not self._site_edited:
            QTimer.singleShot(0, self.site_code, self.site_code.selectAll)
        return super().eventFilter(watched, event)

    def site_id(self) -> str:
        """The site id that will be saved, as shown under the code."""
        code = self.site_code.text().strip().upper()
        if not self.id_changes or not code or self.current_id.startswith(code + "-"):
            return self.current_id
        return f"{code}-{self.suffix}"

    def _show_saved_as(self) -> None:
        code = self.site_code.text().strip().upper()
        if not code:
            self.saved_as.setText(_("(isi kode situs)"))
            return
        if not self.id_changes:
            text = _(
                "Identitas situs tetap {id}: basis data ini sudah berisi data yang tercatat dengan "
                "identitas itu. Kode situs {code} disimpan di pengaturan."
            ).format(id=f"<b>{escape(self.current_id)}</b>", code=escape(code))
        else:
            text = _(
                "Identitas situs {id}: kode situs ditambah empat tanda acak ({suffix}) agar tidak ada dua "
                "kantor dengan identitas yang sama. Identitas ini tercantum di setiap data yang dikirim ke "
                "BKPSDM."
            ).format(id=f"<b>{escape(self.site_id())}</b>", suffix=self.suffix)
        half = len(code) // 2
        if len(code) >= 6 and len(code) % 2 == 0 and code[:half] == code[half:]:
            text += " " + _("Periksa kode situs: {code} tampak diketik dua kali.").format(code=escape(code))
        self.saved_as.setText(text)

    def _unit_changed(self, _text: str) -> None:
        if not self._site_edited:
            self.site_code.setText(suggest_site_code(self.unit_code()))
        index = self.unit.currentIndex()
        if index > 0 and not self.office_name.text().strip():
            name = self.unit.itemText(index).strip()
            self.office_name.setText(name.rsplit(" (", 1)[0])

    def isComplete(self) -> bool:  # noqa: N802
        return not self.wiz.busy and bool(self.office_name.text().strip() and self.site_code.text().strip())

    def data(self, **admin):

        values = {"admin_username": "", "admin_display_name": "", "admin_password": ""} | admin
        return FirstRunInput(
            office_name=self.office_name.text().strip(),
            unit_code=self.unit_code() or None,
            site_code=self.site_code.text().strip(),
            site_suffix=self.suffix or None,
            **values,
        )

    def show_errors(self, errors: dict[str, str]) -> bool:
        """Show the office fields' errors under them; True when there were any."""
        self.name_row.set_error(errors.get("office_name"))
        if errors.get("unit_code"):
            self.unit_row.set_error(errors["unit_code"])
        else:
            self.unit_row.set_hint(_("Pilih dari daftar bila unit kerja sudah ada, atau ketik kodenya."))
        if errors.get("site_code"):
            self.site_row.set_error(errors["site_code"])
        else:
            self.site_row.set_hint(_("Kode unik kantor ini; huruf besar, angka dan tanda hubung."))
        return any(k in errors for k in ("office_name", "unit_code", "site_code"))

    def validatePage(self) -> bool:  # noqa: N802

        data = self.data()
        if self.passed is not None and self.passed == data:
            return True
        self.passed = None

        def checked(errors: dict[str, str]) -> None:
            if not self.show_errors(errors):
                self.passed = data
                self.wiz.next()

        self.wiz.step(lambda db: _read(db, lambda s: validate_first_run(s, data)), checked)
        return False


class AdminPage(QWizardPage):
    """The first administrator; saving here completes the first run."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()

        self.wiz = wizard
        self.setTitle(_("Administrator pertama"))
        self.setSubTitle(_("Akun ini mengatur pengguna lain, pengaturan dan jejak audit."))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Simpan dan lanjutkan"))
        layout = QVBoxLayout(self)
        form = form_layout()
        self.username = QLineEdit()
        self.username.setObjectName("adminUsername")
        self.username.setPlaceholderText(_("huruf kecil, mis. admin.dinkes"))
        self.display_name = QLineEdit()
        self.display_name.setObjectName("adminDisplayName")
        self.password = password_field()
        self.password.setObjectName("adminPassword")
        self.repeat = password_field()
        self.repeat.setObjectName("adminPasswordRepeat")
        self.username_row = FieldWithMessage(self.username)
        self.password_row = FieldWithMessage(self.password)
        self.password_row.set_hint(
            _("Minimal {n} karakter; campuran huruf dan angka yang tidak berurutan.").format(n=MIN_PASSWORD_LENGTH)
        )
        self.repeat_row = FieldWithMessage(self.repeat)
        form.addRow(_("Nama pengguna"), self.username_row)
        form.addRow(_("Nama lengkap"), self.display_name)
        form.addRow(_("Kata sandi"), self.password_row)
        form.addRow(_("Ulangi kata sandi"), self.repeat_row)
        layout.addLayout(form)
        self.error = MessageLabel(self)
        self.error.setObjectName("adminError")
        layout.addWidget(self.error)
        layout.addStretch(1)
        for field in (self.username, self.password, self.repeat):
            field.textChanged.connect(lambda _t: self.completeChanged.emit())
        self.repeat.editingFinished.connect(self._check_repeat)

    def _check_repeat(self) -> None:
        if self.repeat.text() and self.repeat.text() != self.password.text():
            self.repeat_row.set_error(_("Kata sandi dan ulangannya tidak sama."))
        else:
            self.repeat_row.set_error(None)

    def isComplete(self) -> bool:  # noqa: N802
        return not self.wiz.busy and bool(self.username.text().strip() and self.password.text() and self.repeat.text())

    def validatePage(self) -> bool:  # noqa: N802
        if self.wiz.principal is not None:  # saved: the asynchronous Next moves on
            return True
        self.error.clear_message()
        self.password_row.set_error(None)
        self.username_row.set_error(None)
        if self.password.text() != self.repeat.text():
            self.repeat_row.set_error(_("Kata sandi dan ulangannya tidak sama."))
            self.repeat.setFocus()
            return False
        data = self.wiz.office.data(
            admin_username=self.username.text().strip(),
            admin_display_name=self.display_name.text().strip(),
            admin_password=self.password.text(),
        )
        self.wiz.step(lambda db: _save_first_run(db, data), self._saved, self._refused, write=True)
        return False

    def _saved(self, principal) -> None:
        self.wiz.principal = principal
        self.wiz.ready = True
        self.wiz.next()

    def _refused(self, exc: BaseException) -> None:

        if isinstance(exc, ValidationError):
            self.username_row.set_error(exc.errors.get("admin_username"))
            self.password_row.set_error(exc.errors.get("admin_password"))
            if self.wiz.office.show_errors(exc.errors):
                self.error.show_message(_("Periksa kembali identitas kantor (klik Kembali)."))
        elif isinstance(exc, UserError):
            self.error.show_message(exc.message)
        else:
            show_error(exc, self)


def _read(db, fn):
    """Runs in a worker: ``fn(session)`` in a session that is closed afterwards."""
    with db.session() as s:
        return fn(s)


def _save_first_run(db, data):
    """Runs in the write lane: complete the first run, then make the clock use the new site id."""

    principal = write_with_retry(db, lambda s: complete_first_run(s, data))
    apply_site_identity(db)
    return principal


def _open_folder(folder: Path):
    """Runs in a worker: open (create, migrate) the database in ``folder``; whether its
    first run is already done."""

    new_db = open_database(folder / paths.DB_FILENAME)
    try:
        return new_db, _read(new_db, is_first_run_done)
    except BaseException:
        new_db.close()
        raise


class ImportPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(_("Daftar pegawai (opsional)"))
        self.setSubTitle(_("Impor daftar pegawai sekarang, atau nanti dari halaman Pegawai."))
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped_label(
                _(
                    "Program sudah siap dipakai. Bila Anda memiliki daftar pegawai dalam berkas Excel atau CSV "
                    "(mis. dari SIMPEG atau hasil ekspor kantor lain), impor sekarang. Anda juga dapat "
                    "melewati langkah ini."
                )
            )
        )
        row = QHBoxLayout()
        self.import_button = QPushButton(_("Impor daftar pegawai…"))
        self.import_button.clicked.connect(self.run_import)
        row.addWidget(self.import_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.result = MessageLabel(self, MessageLabel.OK)
        layout.addWidget(self.result)
        layout.addStretch(1)

    def run_import(self) -> None:

        ops = self.wiz.ops
        ctx = AppContext(db=self.wiz.db, principal=self.wiz.principal, runner=ops.runner, bus=ops.bus)
        wizard = ImportWizard(ctx, parent=self)
        wizard.exec()
        report = wizard.result_page.report
        if report is not None:
            self.result.show_message(summary_text(report), MessageLabel.OK)


class FirstRunWizard(QWizard):
    """After :meth:`exec`: ``principal`` is the new administrator (signed in), ``db`` the
    database in use (another one if the person changed the data folder)."""

    def __init__(self, db, *, db_fixed: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.db_fixed = db_fixed
        self.principal = None
        #: True once the database in use has its first run done (saved here, or found in a folder)
        self.ready = False
        self.ops = operations_for(db, self)
        self.busy = 0
        prepare_wizard(self, _("Penyiapan Kinerja Desktop"), _("Mulai"))
        self.folder_page = DataFolderPage(self)
        self.office = OfficePage(self)
        self.admin = AdminPage(self)
        self.import_page = ImportPage(self)
        for page in (self.folder_page, self.office, self.admin, self.import_page):
            self.addPage(page)
        self.resize(720, 520)

    def step(self, fn, on_done, on_error=None, *, write: bool = False) -> None:
        """Run ``fn(db)`` off the UI thread with the buttons off (an asynchronous Next)."""
        self._set_busy(+1)

        def done(result) -> None:
            self._set_busy(-1)
            on_done(result)

        def failed(exc: BaseException) -> None:
            self._set_busy(-1)
            (on_error or (lambda e: show_error(e, self)))(exc)

        self.ops.runner.submit(fn, done, failed, owner=self, pass_db=True, write=write)

    def _set_busy(self, change: int) -> None:
        self.busy += change
        page = self.currentPage()
        if page is not None:
            page.completeChanged.emit()  # Next / commit follow isComplete, which is off while busy
        # after the wizard's own update of its buttons, which would turn Back on again
        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
            self.button(which).setEnabled(not self.busy)

    def move_to_folder(self, folder: Path) -> None:
        """Use ``folder`` as the data folder from now on (remembered for the next start).

        The database there is opened (created, migrated) off the UI thread."""
        folder = folder.expanduser().resolve()
        if folder == paths.locations().data:
            return

        def refused(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                QMessageBox.warning(self, _("Folder tidak dapat dipakai"), exc.message)
            else:
                show_error(exc, self)

        self.step(lambda _db: _open_folder(folder), lambda opened: self._moved(folder, *opened), refused)

    def _moved(self, folder: Path, new_db, ready: bool) -> None:

        remember_data_dir(folder)
        paths.set_data_dir(folder)
        paths.locations().ensure()
        self.ops.runner.wait(10000)  # nothing of the old database still running
        self.db.close()
        self.db = new_db
        self.ops = operations_for(new_db, self)
        self.ready = ready
        self.folder_page.refresh()
        if ready:
            QMessageBox.information(
                self,
                _("Basis data ditemukan"),
                _(
                    "Folder {path} sudah berisi basis data Kinerja Desktop yang siap dipakai. "
                    "Silakan masuk dengan akun Anda."
                ).format(path=folder),
            )
            self.accept()
