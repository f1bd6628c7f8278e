"""The confirm step of a first enrollment: central's key fingerprint, large, to compare with
the one BKPSDM reads out (by phone) before anything is pinned."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from kinerja_desktop.i18n import _


class FingerprintDialog(QDialog):
    def __init__(self, fingerprint: str, central: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Cocokkan sidik jari kantor pusat"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Bundel ini mendaftarkan situs ini di kantor pusat {central}. Sebelum kuncinya disimpan, "
                "minta BKPSDM membacakan sidik jari kunci mereka (lewat telepon) dan cocokkan dengan yang di "
                "bawah ini, kelompok demi kelompok."
            ).format(central=central)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.fingerprint = QLabel(fingerprint)
        self.fingerprint.setObjectName("enrollmentFingerprint")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(max(20, font.pointSize() * 2))
        font.setWeight(QFont.Weight.Bold)
        self.fingerprint.setFont(font)
        self.fingerprint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.fingerprint)
        warn = QLabel(_("Jika satu huruf saja berbeda, pilih Batal: bundel itu bukan dari kantor pusat Anda."))
        warn.setWordWrap(True)
        warn.setStyleSheet("color: #b00020;")
        layout.addWidget(warn)
        buttons = QDialogButtonBox()
        self.confirm = buttons.addButton(_("Sidik jari cocok, daftarkan"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
