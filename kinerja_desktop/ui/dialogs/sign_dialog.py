"""Choosing the signing certificate and typing its passphrase (never stored).

The certificate is one imported into this computer's keys folder (by NIP) or a
.p12/.pfx file chosen now. The dialog only opens the file when OK is pressed, so a
wrong passphrase, an expired certificate or one without the digital-signature key
usage is said right there.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.ui.widgets import form_layout


def imported_certificates() -> list[Path]:
    from kinerja_desktop.reports.certs import user_p12_path

    folder = user_p12_path("x").parent
    return sorted(folder.glob("*.p12")) if folder.is_dir() else []


class SignDialog(QDialog):
    """After ``exec()`` accepted: :attr:`p12` (bytes), :attr:`passphrase`, :attr:`key`."""

    def __init__(self, signer_nip: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Tanda tangani secara elektronik"))
        self.p12: bytes | None = None
        self.passphrase: str | None = None
        self.key = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_(
            "Pilih sertifikat penanda tangan (.p12/.pfx) dan ketik kata sandinya. Kata sandi tidak disimpan.")))
        form = form_layout()
        row = QHBoxLayout()
        self.certificate = QComboBox()
        for path in imported_certificates():
            self.certificate.addItem(_("Sertifikat tersimpan NIP {nip}").format(nip=path.stem), str(path))
            if signer_nip and path.stem == signer_nip:
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
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Tanda tangani"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Batal"))
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Pilih sertifikat"), "",
                                                    _("Sertifikat PKCS#12 (*.p12 *.pfx);;Semua berkas (*)"))
        if path:
            self.set_file(path)

    def set_file(self, path: str) -> None:
        self.certificate.addItem(Path(path).name, path)
        self.certificate.setCurrentIndex(self.certificate.count() - 1)

    def try_accept(self) -> None:
        from kinerja_desktop.reports.signing import load_signing_key

        path = self.certificate.currentData()
        if not path:
            self.message.setText(_("Pilih sertifikat lebih dulu."))
            return
        try:
            data = Path(path).read_bytes()
            key = load_signing_key(data, self.passphrase_edit.text())
        except OSError as exc:
            self.message.setText(_("Berkas sertifikat tidak dapat dibaca ({reason}).").format(reason=exc.strerror))
            return
        except UserError as exc:
            self.message.setText(exc.message)
            self.passphrase_edit.selectAll()
            return
        self.p12, self.passphrase, self.key = data, self.passphrase_edit.text(), key
        self.passphrase_edit.clear()
        self.accept()
