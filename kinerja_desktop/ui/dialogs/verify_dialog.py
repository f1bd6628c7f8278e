"""Verifikasi dokumen: open a signed PDF and get one verdict, with the facts behind it.

Per signature (a column each): the field and whose it is on record, who signed, the
trusted CA it chains to (and whether that is BSrE), when (proven by a timestamp or only
as the signer's computer said), the PAdES profile, whether it is intact and unchanged.
Below: exactly one verdict line (SAH / TIDAK SAH and why), then whether the file is the
one on record. The check runs off the UI thread through ``services.documents.verify``.
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
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.reports.verify import field_title
from kinerja_desktop.services.documents.registry import verify
from kinerja_desktop.ui.errors import handle_exception

OK_COLOUR = QColor("#1e7b34")
BAD_COLOUR = QColor("#b3261e")


def check_file(session, path: str, trust_files: list[str] | None = None):
    """Verify ``path`` and match it to the record (runs in a worker)."""

    return verify(session, path, trust_files=trust_files or ())


#: What is shown for each signature, one row each (signatures are the columns).
ROWS = (
    N_("Kolom"),
    N_("Pemilik kolom (tercatat)"),
    N_("Penanda tangan"),
    N_("CA terpercaya"),
    N_("Waktu"),
    N_("Profil"),
    N_("Utuh"),
    N_("Tidak diubah setelah ditandatangani"),
    N_("Cakupan"),
)
ROW_OWNER, ROW_SIGNER, ROW_ANCHOR, ROW_INTACT, ROW_UNCHANGED = 1, 2, 3, 6, 7


def _person(name: str, nip: str) -> str:
    return f"{name} (NIP {nip})" if nip else (name or "-")


class VerifyDialog(QDialog):
    def __init__(self, ctx=None, path: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report = None
        self.error: str | None = None
        self.setWindowTitle(_("Verifikasi dokumen bertanda tangan"))
        self.resize(1000, 440)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.file_label = QLabel(_("Belum ada berkas dipilih."))
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.file_label, 1)
        self.open_button = QPushButton(_("Buka PDF…"))
        self.open_button.setShortcut("Ctrl+O")
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
        self.verdict.setObjectName("verdict")
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
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Pilih PDF yang akan diverifikasi"), "", _("Dokumen PDF (*.pdf);;Semua berkas (*)")
        )
        if path:
            self.check(path)

    def check(self, path: str) -> None:
        """Verify ``path`` (in a worker when the window's context is there)."""
        self.file_label.setText(str(Path(path)))
        self.verdict.setText(_("Memeriksa tanda tangan…"))
        self.verdict.setStyleSheet("")
        self.table.setColumnCount(0)
        self.details.setText("")
        self.report, self.error = None, None
        if self.ctx is not None:
            self.ctx.query(
                lambda s: check_file(s, path),
                self.show_report,
                on_error=self.show_error,
                owner=self,
                key="verify-dialog",
            )
        else:
            try:
                self.show_report(check_file(None, path))
            except UserError as exc:
                self.show_error(exc)

    def show_error(self, exc: BaseException) -> None:
        self.report = None
        if not isinstance(exc, UserError):
            handle_exception(type(exc), exc, exc.__traceback__, self)
            return
        self.error = _("TIDAK SAH: {problem}").format(problem=exc.message)
        self.verdict.setText(self.error)
        self.verdict.setStyleSheet(f"color: {BAD_COLOUR.name()}; font-weight: bold;")

    def show_report(self, report) -> None:
        self.report = report
        self.error = None
        self.table.setColumnCount(len(report.signatures))
        self.table.setHorizontalHeaderLabels(
            [_("Tanda tangan {n}").format(n=i) for i in range(1, len(report.signatures) + 1)]
        )
        for c, sig in enumerate(report.signatures):
            for r, item in enumerate(self._cells(sig)):
                if sig.problem:
                    item.setToolTip(sig.problem)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        self.verdict.setText(report.reason)
        colour = OK_COLOUR if report.ok else BAD_COLOUR
        self.verdict.setStyleSheet(f"color: {colour.name()}; font-weight: bold;")
        self.details.setText("\n".join(self._details(report)))

    @staticmethod
    def _yes_no(value: bool | None) -> QTableWidgetItem:
        if value is None:
            return QTableWidgetItem("-")
        item = QTableWidgetItem(_("ya") if value else _("TIDAK"))
        item.setForeground(OK_COLOUR if value else BAD_COLOUR)
        return item

    def _cells(self, sig) -> list[QTableWidgetItem]:
        expected = sig.expected.person if sig.expected is not None else None
        signer = QTableWidgetItem(_person(sig.signer_name, sig.signer_nip) if sig.signer_name else "-")
        if sig.identity_ok is False:
            signer.setForeground(BAD_COLOUR)
        anchor = QTableWidgetItem(
            (sig.anchor + (_(" (BSrE)") if sig.bsre else _(" (bukan BSrE)")))
            if sig.anchor
            else _("tidak ada (CA tidak terpercaya)")
        )
        if not sig.trusted:
            anchor.setForeground(BAD_COLOUR)
        when = sig.signing_time.strftime("%d-%m-%Y %H:%M") if sig.signing_time else "-"
        how = _("cap waktu tepercaya") if sig.time_proven else _("menurut komputer penanda tangan")
        intact = sig.intact if sig.signer_name else None
        return [
            QTableWidgetItem(sig.title),
            QTableWidgetItem(_person(expected.name, expected.nip_raw) if expected else "-"),
            signer,
            anchor,
            QTableWidgetItem(f"{when} ({how})"),
            QTableWidgetItem(f"PAdES {sig.profile}"),
            self._yes_no(intact),
            self._yes_no(sig.unchanged if sig.intact else None),
            QTableWidgetItem(sig.coverage),
        ]

    @staticmethod
    def _details(report) -> list[str]:

        lines = []
        if report.verification:
            lines.append(
                _("Kode verifikasi: dokumen {id}; isi {h}…").format(
                    id=report.verification.document_id, h=report.verification.content_sha256[:16]
                )
            )
        for name in report.empty_fields:
            lines.append(
                _("Kolom tanda tangan {field} belum ditandatangani.").format(
                    field=field_title(name, report.field_titles.get(name, ""))
                )
            )
        if report.record_message and report.record_match is not False:
            lines.append(report.record_message)
        return lines
