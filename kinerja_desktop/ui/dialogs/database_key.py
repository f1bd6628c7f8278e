"""The database's key in the window: the recovery code shown once (and printed), the key
file's passphrase, and opening a database from another PC with its recovery code."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.i18n import N_, _

#: Said wherever the program writes a file the person asked for (exports, PDFs).
PLAIN_EXPORT_NOTE = N_(
    "Berkas ekspor tidak terenkripsi (berbeda dengan basis data): siapa pun yang memegang berkas itu dapat "
    "membacanya. Simpan di tempat yang aman dan hapus bila tidak diperlukan lagi."
)


def plain_export_note() -> str:
    return _(PLAIN_EXPORT_NOTE)


class RecoveryCodeDialog(QDialog):
    """Shows the recovery code once, large, with Print; closing needs a tick that it was kept."""

    def __init__(
        self, code: str, db_path: Path | str, *, upgraded: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.code, self.db_path = code, str(db_path)
        self.setWindowTitle(_("Kode pemulihan basis data"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = (
            _(
                "Basis data lama telah dienkripsi; cadangan lamanya ikut dienkripsi dan salinan polosnya ditimpa "
                "lalu dihapus."
            )
            if upgraded
            else _("Basis data ini terenkripsi.")
        )
        text = QLabel(
            intro
            + " "
            + _(
                "Kode di bawah ini membuka basis data di PC lain bila PC ini rusak atau hilang. Kode hanya "
                "ditampilkan sekali: cetak atau tulis, lalu simpan di tempat terkunci, terpisah dari PC ini."
            )
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        shown = QLineEdit(code)
        shown.setReadOnly(True)
        shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(18)
        shown.setFont(font)
        shown.setAccessibleName(_("Kode pemulihan"))
        layout.addWidget(shown)
        self.kept = QCheckBox(_("Saya sudah mencetak atau mencatat kode ini"))
        layout.addWidget(self.kept)
        row = QHBoxLayout()
        self.print_button = QPushButton(_("Cetak…"))
        self.print_button.clicked.connect(self.print_code)
        row.addWidget(self.print_button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(_("Tutup"))
        self.close_button.setEnabled(False)
        self.kept.toggled.connect(self.close_button.setEnabled)
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        layout.addLayout(row)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_code)

    def reject(self) -> None:  # Esc and the title bar close only once the code is kept
        if self.kept.isChecked():
            super().reject()

    def page_html(self) -> str:
        title = _("Kode pemulihan basis data Kinerja Desktop")
        where = _("Basis data: {path}").format(path=html.escape(self.db_path))
        printed = _("Dicetak: {date}").format(date=f"{date.today():%d-%m-%Y}")
        how = _(
            "Di PC baru: salin berkas basis data beserta berkas .kunci di sebelahnya, lalu jalankan "
            "kinerja db unlock --recovery-code KODE."
        )
        keep = _(
            "Simpan lembar ini di tempat terkunci. Siapa pun yang memegang kode ini dan salinan basis data "
            "dapat membacanya."
        )
        return (
            f"<h2>{title}</h2><p>{where}<br>{printed}</p>"
            f"<p style='font-size:20pt; font-family:monospace'><b>{self.code}</b></p>"
            f"<p>{html.escape(how)}</p><p>{keep}</p>"
        )

    def print_code(self) -> None:

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        doc = QTextDocument()
        doc.setHtml(self.page_html())
        doc.print_(printer)
        self.kept.setChecked(True)


def ask_passphrase(parent: QWidget | None, *, wrong: bool = False, new: bool = False) -> str | None:
    """The key file's passphrase, asked once per start; None when the person gives up."""
    label = _(
        "Komputer ini tidak punya penyimpanan kunci sistem operasi; kunci basis data ada dalam berkas "
        "kunci berfrasa sandi. Frasa sandi:"
    )
    if new:
        label = _(
            "Komputer ini tidak punya penyimpanan kunci sistem operasi, jadi kunci basis data disimpan dalam "
            "berkas kunci berfrasa sandi. Pilih frasa sandi (minimal 8 karakter) dan ingat baik-baik; frasa "
            "ini diminta setiap kali program dibuka:"
        )
    if wrong:
        label = _("Frasa sandi salah. Coba lagi:") + "\n" + label
    text, ok = QInputDialog.getText(parent, _("Buka kunci basis data"), label, QLineEdit.EchoMode.Password)
    return text if ok and text else None


def ask_recovery_code(parent: QWidget | None, message: str) -> str | None:
    text, ok = QInputDialog.getText(
        parent,
        _("Buka dengan kode pemulihan"),
        message + "\n\n" + _("Masukkan kode pemulihan basis data ini (lima kelompok lima huruf/angka):"),
    )
    return text.strip() if ok and text.strip() else None
