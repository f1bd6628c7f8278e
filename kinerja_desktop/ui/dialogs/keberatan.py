"""Dialogs of the pegawai cycle: lodge a keberatan, record explanations and decide, propose
RHK/IKI, report realisasi. Each writes through ``ctx.write``; a refusal is shown in the
dialog in one sentence and the dialog stays open with what was typed.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.predikat import Rating
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.pegawai import keberatan as kb
from kinerja_desktop.services.pegawai import work
from kinerja_desktop.services.pegawai.keberatan import lodge
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.theme import error_text
from kinerja_desktop.ui.widgets import form_layout, wrapped_label

CHANGES = {"evaluations", "keberatan", "skp"}


class _WriteDialog(QDialog):
    """A dialog with OK/Cancel, a message line, and a write that closes it when it succeeds."""

    def __init__(self, ctx, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(wrapped_label(intro))
        self.form = form_layout()
        self.layout_.addLayout(self.form)
        self.message = wrapped_label("")
        self.message.setStyleSheet(f"color: {error_text().name()};")
        self.message.hide()
        self.layout_.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        self.result_value = None

    def text_box(self, placeholder: str = "") -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setPlaceholderText(placeholder)
        box.setMinimumHeight(90)
        return box

    def file_row(self) -> tuple[QWidget, QLineEdit]:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        path = QLineEdit()
        path.setPlaceholderText(_("(tidak ada)"))
        choose = QPushButton(_("Pilih berkas…"))
        choose.clicked.connect(lambda: self._choose(path))
        line.addWidget(path, 1)
        line.addWidget(choose)
        return row, path

    def _choose(self, target: QLineEdit) -> None:
        name, _f = QFileDialog.getOpenFileName(
            self, _("Pilih bukti dukung"), "", _("Bukti dukung (*.pdf *.png *.jpg *.jpeg *.docx *.xlsx)")
        )
        if name:
            target.setText(name)

    def run(self, fn) -> None:
        self.buttons.setEnabled(False)
        self.ctx.write(fn, self._done, changes=CHANGES, on_error=self._failed, owner=self)

    def _done(self, value) -> None:
        self.result_value = value
        self.buttons.setEnabled(True)
        self.accept()

    def _failed(self, exc) -> None:
        self.buttons.setEnabled(True)
        if not isinstance(exc, UserError):
            handle_exception(type(exc), exc, exc.__traceback__, self)
            return
        self.message.setText(str(exc))
        self.message.show()

    def submit(self) -> None:  # pragma: no cover - every dialog defines it
        raise NotImplementedError


class LodgeKeberatanDialog(_WriteDialog):
    def __init__(self, ctx, evaluation_id: str, period: str, due: str, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            _("Ajukan keberatan"),
            _(
                "Keberatan atas evaluasi {period} diajukan kepada atasan pejabat penilai paling lambat {due}, dengan "
                "alasan dan bila ada bukti dukung. Keberatan hanya dapat diajukan satu kali; keputusannya final."
            ).format(period=period, due=due),
            parent,
        )
        self.evaluation_id = evaluation_id
        self.reasons = self.text_box(_("Tuliskan alasan keberatan Anda"))
        row, self.evidence = self.file_row()
        self.form.addRow(_("Alasan"), self.reasons)
        self.form.addRow(_("Bukti dukung"), row)

    def submit(self) -> None:

        principal, ev_id = self.ctx.principal, self.evaluation_id
        reasons, evidence = self.reasons.toPlainText(), self.evidence.text().strip() or None
        self.run(lambda s: lodge(s, principal, ev_id, reasons, evidence=evidence).id)


class DecideKeberatanDialog(_WriteDialog):
    """The atasan pejabat penilai: explanations of both sides, then kept or changed."""

    def __init__(
        self, ctx, keberatan, ratings: tuple[str | None, str | None] = (None, None), parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ctx,
            _("Putuskan keberatan"),
            _(
                "Catat penjelasan yang diminta dari pegawai dan dari pejabat penilai, lalu putuskan. Bila penilaian "
                "diubah, dibuat revisi evaluasi baru yang final dengan keputusan ini sebagai alasannya."
            ),
            parent,
        )
        self.keberatan_id = keberatan.id
        self.form.addRow(_("Alasan pegawai"), wrapped_label(keberatan.reasons))
        self.pegawai = self.text_box()
        self.pegawai.setPlainText(keberatan.explanation_pegawai)
        self.penilai = self.text_box()
        self.penilai.setPlainText(keberatan.explanation_penilai)
        self.decision = QComboBox()
        self.decision.addItem(_("Penilaian tetap"), "tetap")
        self.decision.addItem(_("Penilaian diubah"), "diubah")
        self.hasil, self.perilaku = QComboBox(), QComboBox()
        for box, current in zip((self.hasil, self.perilaku), ratings, strict=True):
            for rating in Rating:
                box.addItem(rating.value, rating.value)
            if current:  # the rating as it stands: changing it is a deliberate choice
                box.setCurrentIndex(box.findData(current))
        self.reason = self.text_box(_("Pertimbangan keputusan"))
        self.form.addRow(_("Penjelasan pegawai"), self.pegawai)
        self.form.addRow(_("Penjelasan pejabat penilai"), self.penilai)
        self.form.addRow(_("Keputusan"), self.decision)
        self.form.addRow(_("Rating hasil kerja baru"), self.hasil)
        self.form.addRow(_("Rating perilaku kerja baru"), self.perilaku)
        self.form.addRow(_("Pertimbangan"), self.reason)
        self.decision.currentIndexChanged.connect(self._changed)
        self._changed()

    def _changed(self) -> None:
        changed = self.decision.currentData() == "diubah"
        self.hasil.setEnabled(changed)
        self.perilaku.setEnabled(changed)

    def submit(self) -> None:

        principal, kid = self.ctx.principal, self.keberatan_id
        pegawai, penilai = self.pegawai.toPlainText(), self.penilai.toPlainText()
        decision = kb.Decision(
            self.decision.currentData(),
            self.reason.toPlainText(),
            self.hasil.currentData(),
            self.perilaku.currentData(),
        )

        def write(s):
            kb.record_explanations(s, principal, kid, pegawai=pegawai, penilai=penilai)
            return kb.decide(s, principal, kid, decision).id

        self.run(write)


class ProposeDialog(_WriteDialog):
    def __init__(self, ctx, skp_id: str, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            _("Usulkan RHK dan IKI"),
            _(
                "Usulan Anda dikirim kepada pejabat penilai, yang menyetujuinya (masuk ke SKP) atau mengembalikannya "
                "dengan catatan."
            ),
            parent,
        )
        self.skp_id = skp_id
        self.rhk = QLineEdit()
        self.group = QComboBox()
        self.group.addItem(_("Tambahan"), "tambahan")
        self.group.addItem(_("Utama"), "utama")
        self.iki = QLineEdit()
        self.target = QLineEdit()
        self.form.addRow(_("Rencana hasil kerja"), self.rhk)
        self.form.addRow(_("Kelompok"), self.group)
        self.form.addRow(_("Indikator kinerja individu"), self.iki)
        self.form.addRow(_("Target"), self.target)

    def submit(self) -> None:

        principal, skp_id = self.ctx.principal, self.skp_id
        rhk = work.ProposedRhk(
            self.rhk.text(),
            self.group.currentData(),
            None,
            [work.ProposedIki(self.iki.text(), self.target.text())] if self.iki.text() else [],
        )
        self.run(lambda s: work.propose(s, principal, skp_id, [rhk]).id)


class RealisasiDialog(_WriteDialog):
    def __init__(self, ctx, skp_id: str, ikis, periods, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            _("Laporkan realisasi"),
            _(
                "Laporkan realisasi satu IKI untuk satu periode; bukti dukung diperiksa seperti biasa (PDF, gambar, "
                "Word atau Excel, paling besar 20 MB)."
            ),
            parent,
        )
        self.skp_id = skp_id
        self.iki = QComboBox()
        for line in ikis:
            self.iki.addItem(f"{line.indicator} ({line.target})", line.iki_id)
        self.period = QComboBox()
        for pid, label in periods:
            self.period.addItem(label, pid)
        self.text = self.text_box(_("Apa yang telah dicapai"))
        row, self.evidence = self.file_row()
        self.form.addRow(_("IKI"), self.iki)
        self.form.addRow(_("Periode"), self.period)
        self.form.addRow(_("Realisasi"), self.text)
        self.form.addRow(_("Bukti dukung"), row)

    def submit(self) -> None:

        principal, skp_id = self.ctx.principal, self.skp_id
        iki, period, text = self.iki.currentData(), self.period.currentData(), self.text.toPlainText()
        evidence = self.evidence.text().strip() or None
        self.run(lambda s: work.report_realisasi(s, principal, skp_id, period, iki, text, evidence=evidence).id)
