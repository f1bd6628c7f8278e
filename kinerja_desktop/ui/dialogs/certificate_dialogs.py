"""Small dialogs of Pengaturan › Sertifikat: a request, a passphrase, a new anchor, issuing, revoking."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.nip import NipError, parse_nip
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.ui.widgets import form_layout, wrapped_label

MIN_PASSPHRASE = 8
REASONS = (
    ("unspecified", N_("Tidak disebutkan")),
    ("key_compromise", N_("Kunci bocor atau hilang")),
    ("affiliation_changed", N_("Pindah tugas / berhenti")),
    ("superseded", N_("Diganti sertifikat baru")),
    ("cessation_of_operation", N_("Tidak dipakai lagi")),
)


class _FormDialog(QDialog):
    """A titled form with an explanation, a red message line and OK/Cancel in Indonesian."""

    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.layout_ = QVBoxLayout(self)
        if intro:
            self.layout_.addWidget(wrapped_label(intro))
        self.form = form_layout()
        self.layout_.addLayout(self.form)
        self.message = wrapped_label("")
        self.message.setStyleSheet("color: #b3261e;")
        self.layout_.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Batal"))
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        self.layout_.addWidget(buttons)

    def try_accept(self) -> None:
        problem = self.problem()
        if problem:
            self.message.setText(problem)
            return
        self.accept()

    def problem(self) -> str | None:
        return None


def _password_field() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class PassphraseDialog(_FormDialog):
    """One passphrase (twice when ``confirm``): :attr:`value` after ``exec()``."""

    def __init__(self, title: str, prompt: str, *, confirm: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(title, prompt, _("Lanjut"), parent)
        self.confirm = confirm
        self.first = _password_field()
        self.form.addRow(_("Kata sandi"), self.first)
        self.second = _password_field()
        if confirm:
            self.form.addRow(_("Ulangi kata sandi"), self.second)

    @property
    def value(self) -> str:
        return self.first.text()

    def problem(self) -> str | None:
        if not self.first.text():
            return _("Kata sandi tidak boleh kosong.")
        if self.confirm and len(self.first.text()) < MIN_PASSPHRASE:
            return _("Kata sandi paling sedikit {n} karakter.").format(n=MIN_PASSPHRASE)
        if self.confirm and self.first.text() != self.second.text():
            return _("Kedua kata sandi tidak sama.")
        return None


class RequestDialog(PassphraseDialog):
    """NIP, name and a new passphrase for a key made on this computer."""

    def __init__(self, nip: str = "", name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(
            _("Buat permintaan sertifikat"),
            _(
                "Kunci tanda tangan Anda dibuat di komputer ini dan tidak pernah meninggalkannya; yang diserahkan ke CA "
                "kabupaten hanya berkas permintaan. Kata sandi melindungi kunci itu dan tidak disimpan."
            ),
            confirm=True,
            parent=parent,
        )
        self.nip = QLineEdit(nip)
        self.nip.setPlaceholderText(_("18 digit"))
        self.name = QLineEdit(name)
        self.form.insertRow(0, _("NIP"), self.nip)
        self.form.insertRow(1, _("Nama (seperti di data pegawai)"), self.name)

    def problem(self) -> str | None:

        try:
            parse_nip(self.nip.text())
        except NipError as exc:
            return str(exc)
        if not self.name.text().strip():
            return _("Nama pemilik sertifikat belum diisi.")
        return super().problem()


class AnchorDialog(_FormDialog):
    """Confirm a CA to trust: its name and fingerprint shown, a label, and whether it is BSrE's root."""

    def __init__(self, name: str, fingerprint: str, valid_until: str, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Percayai sertifikat CA"),
            _(
                "Dokumen yang rantai sertifikatnya berakhir di CA ini akan dianggap terpercaya di komputer ini. Cocokkan "
                "sidik jari di bawah dengan yang diumumkan penerbitnya sebelum melanjutkan."
            ),
            _("Percayai"),
            parent,
        )
        self.form.addRow(_("Nama di sertifikat"), wrapped_label(name))
        self.form.addRow(_("Sidik jari SHA-256"), wrapped_label(fingerprint))
        self.form.addRow(_("Berlaku sampai"), wrapped_label(valid_until))
        self.label = QLineEdit(name)
        self.form.addRow(_("Nama yang ditampilkan"), self.label)
        self.bsre = QCheckBox(_("Ini root CA BSrE (Balai Besar Sertifikasi Elektronik, BSSN)"))
        self.form.addRow("", self.bsre)


class IssueDialog(PassphraseDialog):
    """Issue a certificate for a request: who asked, for how long, the CA passphrase."""

    def __init__(self, name: str, nip: str, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Terbitkan sertifikat"),
            _(
                "Periksa bahwa permintaan ini benar dari orang tersebut (mis. diserahkan langsung) sebelum "
                "menerbitkannya."
            ),
            parent=parent,
        )
        self.form.insertRow(0, _("Pemohon"), wrapped_label(f"{name} (NIP {nip})"))
        self.days = QSpinBox()
        self.days.setRange(1, 5 * 366)
        self.days.setValue(730)
        self.days.setSuffix(_(" hari"))
        self.form.insertRow(1, _("Masa berlaku"), self.days)
        self.form.labelForField(self.first).setText(_("Kata sandi kunci CA"))


class RevokeDialog(PassphraseDialog):
    def __init__(self, name: str, serial: str, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Cabut sertifikat"),
            _(
                "Sertifikat yang dicabut tidak dapat dipakai menandatangani lagi, dan tanda tangan yang waktunya tidak "
                "dibuktikan cap waktu tidak lagi sah. Daftar pencabutan (CRL) baru diterbitkan dan dibawa sinkronisasi ke "
                "setiap kantor."
            ),
            parent=parent,
        )
        self.form.insertRow(0, _("Sertifikat"), wrapped_label(f"{name} — {serial}"))
        self.reason = QComboBox()
        for code, text in REASONS:
            self.reason.addItem(_(text), code)
        self.form.insertRow(1, _("Alasan"), self.reason)
        self.form.labelForField(self.first).setText(_("Kata sandi kunci CA"))
