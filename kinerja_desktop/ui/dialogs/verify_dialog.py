"""Verifikasi dokumen: open a PDF and see, per signature, whether it can be trusted.

For each signature: who signed (name, NIP), when, whether the document is intact,
whether it was changed after signing, whether the certificate chains to a trusted CA,
and how much of the file it covers. Below: the one-sentence verdict and, when this
computer has the database, whether the file is the one recorded for its evaluation.
The check runs off the UI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.verify import field_title

OK_COLOUR = QColor("#1e7b34")
BAD_COLOUR = QColor("#b3261e")


def check_file(session, path: str, trust_files: list[str] | None = None):
    """Verify ``path`` and compare it with the database's record (runs in a worker)."""
    from kinerja_desktop.services import document_views as collect
    from kinerja_desktop.reports.verify import verify_pdf

    report = verify_pdf(path, trust_files=trust_files)
    if session is not None:
        message = collect.record_for_file(session, report.file_sha256)
        if message:
            report.record_match, report.record_message = True, message
        elif report.verification and collect.document_id_known(session, report.verification.document_id):
            report.record_match = False
            report.record_message = _(
                "Berkas ini TIDAK sama dengan berkas bertanda tangan yang tercatat untuk dokumen {id}.").format(
                id=report.verification.document_id)
    return report


#: What is shown for each signature, one row each (signatures are the columns).
ROWS = ("Kolom", "Penanda tangan", "NIP", "Penerbit sertifikat", "Waktu", "Utuh",
        "Tidak diubah setelah ditandatangani", "Sertifikat dari CA terpercaya", "Cakupan")
ROW_SIGNER, ROW_INTACT, ROW_UNCHANGED, ROW_TRUSTED = 1, 5, 6, 7


class VerifyDialog(QDialog):

    def __init__(self, ctx=None, path: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report = None
        self.error: str | None = None
        self.setWindowTitle(_("Verifikasi dokumen bertanda tangan"))
        self.resize(980, 420)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.file_label = QLabel(_("Belum ada berkas dipilih."))
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.file_label, 1)
        self.open_button = QPushButton(_("Buka PDF…"))
        self.open_button.clicked.connect(self.choose_file)
        row.addWidget(self.open_button)
        layout.addLayout(row)

        self.table = QTableWidget(len(ROWS), 0)
        self.table.setVerticalHeaderLabels([_(r) for r in ROWS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

        self.verdict = QLabel("")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.verdict)
        self.details = QLabel("")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        close = QPushButton(_("Tutup"))
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        if path:
            self.check(path)

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Pilih PDF yang akan diverifikasi"), "",
                                                    _("Dokumen PDF (*.pdf);;Semua berkas (*)"))
        if path:
            self.check(path)

    def check(self, path: str) -> None:
        """Verify ``path`` (in a worker when the window's task runner is there)."""
        self.file_label.setText(str(Path(path)))
        self.verdict.setText(_("Memeriksa tanda tangan…"))
        self.table.setColumnCount(0)
        self.details.setText("")
        if self.ctx is not None and getattr(self.ctx, "runner", None) is not None:
            self.ctx.runner.submit(lambda s: check_file(s, path), self.show_report, self.show_error, owner=self)
        else:
            try:
                self.show_report(check_file(None, path))
            except Exception as exc:  # noqa: BLE001 - shown as a sentence
                self.show_error(exc)

    def show_error(self, exc: BaseException) -> None:
        self.report = None
        self.error = exc.message if isinstance(exc, UserError) else str(exc)
        self.verdict.setText(self.error)
        self.verdict.setStyleSheet(f"color: {BAD_COLOUR.name()}; font-weight: bold;")

    def show_report(self, report) -> None:
        self.report = report
        self.error = None
        self.table.setColumnCount(len(report.signatures))
        self.table.setHorizontalHeaderLabels(
            [_("Tanda tangan {n}").format(n=i) for i in range(1, len(report.signatures) + 1)])

        def yes_no(value: bool) -> QTableWidgetItem:
            item = QTableWidgetItem(_("ya") if value else _("TIDAK"))
            item.setForeground(OK_COLOUR if value else BAD_COLOUR)
            return item

        for c, sig in enumerate(report.signatures):
            when = sig.signing_time.strftime("%d-%m-%Y %H:%M:%S %z") if sig.signing_time else "-"
            issuer = sig.issuer + (_(" (BSrE)") if sig.bsre else _(" (bukan BSrE)"))
            cells = [QTableWidgetItem(field_title(sig.field_name)), QTableWidgetItem(sig.signer_name or "-"),
                     QTableWidgetItem(sig.signer_nip or "-"), QTableWidgetItem(issuer), QTableWidgetItem(when),
                     yes_no(sig.intact), yes_no(sig.unchanged), yes_no(sig.trusted), QTableWidgetItem(sig.coverage)]
            for r, item in enumerate(cells):
                if sig.problem:
                    item.setToolTip(sig.problem)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        self.verdict.setText(report.reason)
        colour = OK_COLOUR if report.ok else BAD_COLOUR
        self.verdict.setStyleSheet(f"color: {colour.name()}; font-weight: bold;")
        lines = []
        if report.verification:
            lines.append(_("Kode verifikasi: dokumen {id}; isi {h}…").format(
                id=report.verification.document_id, h=report.verification.content_sha256[:16]))
        for name in report.empty_fields:
            lines.append(_("Kolom tanda tangan {field} belum ditandatangani.").format(field=field_title(name)))
        if report.record_message:
            lines.append(report.record_message)
        self.details.setText("\n".join(lines))
