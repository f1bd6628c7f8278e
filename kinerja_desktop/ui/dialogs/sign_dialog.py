"""Choosing the signing certificate and typing its passphrase (never stored).

The certificate is one kept on this computer (made with Pengaturan › Sertifikat or
``kinerja certs``) or a .p12/.pfx file chosen now. Pressing *Tanda tangani* opens and
judges it off the UI thread (``services.documents.signing_key``: wrong passphrase,
expired, revoked, or not from a trusted CA are said right here). Without any
certificate the dialog says where one comes from.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.reports.certs import stored_certificates as stored
from kinerja_desktop.services.documents.registry import signing_key
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.widgets import form_layout, wrapped_label

NO_CERTIFICATE = N_("Belum ada sertifikat — buat permintaan di Pengaturan › Sertifikat.")
MAX_P12_BYTES = 1024 * 1024


def stored_certificates():

    return stored()


def go_to_certificates(ctx) -> None:
    """Show Pengaturan › Sertifikat in the main window (when there is one)."""
    window = getattr(ctx, "window", None)
    if window is None:
        return
    page = window.show_page("settings")
    show = getattr(page, "show_tab", None)
    if show is not None:
        show("certificates")


class SignDialog(QDialog):
    """After ``exec()`` accepted: :attr:`p12` (bytes), :attr:`passphrase`, :attr:`key` (judged)."""

    def __init__(self, ctx=None, signer_nip: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Tanda tangani secara elektronik"))
        self.setMinimumWidth(560)
        self.p12: bytes | None = None
        self.passphrase: str | None = None
        self.key = None
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped_label(_("Pilih sertifikat penanda tangan dan ketik kata sandinya. Kata sandi tidak disimpan."))
        )
        form = form_layout()
        row = QHBoxLayout()
        self.certificate = QComboBox()
        for item in stored_certificates():
            label = (
                f"{item.name} — NIP {item.nip}"
                if item.name
                else _("Sertifikat tersimpan NIP {nip}").format(nip=item.nip)
            )
            self.certificate.addItem(label, str(item.path))
            if signer_nip and item.nip == signer_nip:
                self.certificate.setCurrentIndex(self.certificate.count() - 1)
        row.addWidget(self.certificate, 1)
        browse = QPushButton(_("Pilih berkas…"))
        browse.clicked.connect(self.choose_file)
        row.addWidget(browse)
        form.addRow(_("Sertifikat"), row)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Kata sandi"), self.passphrase_edit)
        layout.addLayout(form)
        self.guidance = QHBoxLayout()
        self.guidance_label = wrapped_label(_(NO_CERTIFICATE))
        self.guidance_button = QPushButton(_("Buka Pengaturan › Sertifikat"))
        self.guidance_button.clicked.connect(self._to_settings)
        self.guidance.addWidget(self.guidance_label, 1)
        self.guidance.addWidget(self.guidance_button)
        layout.addLayout(self.guidance)
        self.message = wrapped_label("")
        self.message.setStyleSheet("color: #b3261e;")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Tanda tangani"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Batal"))
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_guidance()

    def _update_guidance(self) -> None:
        none = self.certificate.count() == 0
        self.guidance_label.setVisible(none)
        self.guidance_button.setVisible(none and self.ctx is not None and getattr(self.ctx, "window", None) is not None)

    def _to_settings(self) -> None:
        self.reject()
        go_to_certificates(self.ctx)

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Pilih sertifikat"), "", _("Sertifikat PKCS#12 (*.p12 *.pfx);;Semua berkas (*)")
        )
        if path:
            self.set_file(path)

    def set_file(self, path: str) -> None:
        self.certificate.addItem(Path(path).name, path)
        self.certificate.setCurrentIndex(self.certificate.count() - 1)
        self._update_guidance()

    def try_accept(self) -> None:
        path = self.certificate.currentData()
        if not path:
            self.message.setText(_("Pilih sertifikat lebih dulu.") + " " + _(NO_CERTIFICATE))
            return
        try:
            if Path(path).stat().st_size > MAX_P12_BYTES:
                raise OSError(_("berkas terlalu besar untuk sebuah sertifikat"))
            data = Path(path).read_bytes()
        except OSError as exc:
            self.message.setText(
                _("Berkas sertifikat tidak dapat dibaca ({reason}).").format(reason=exc.strerror or exc)
            )
            return
        passphrase = self.passphrase_edit.text()
        self.message.setText(_("Memeriksa sertifikat…"))
        self.buttons.setEnabled(False)

        def judge(session):

            return signing_key(session, data, passphrase)

        def done(key) -> None:
            self.p12, self.passphrase, self.key = data, passphrase, key
            self.passphrase_edit.clear()
            self.accept()

        if self.ctx is None:
            try:
                done(judge(None))
            except UserError as exc:
                self._refused(exc)
            return
        self.ctx.query(judge, done, on_error=self._refused, owner=self, key="sign-dialog")

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, UserError):
            self.message.setText(exc.message)
            self.passphrase_edit.selectAll()
            return

        handle_exception(type(exc), exc, exc.__traceback__, self)
