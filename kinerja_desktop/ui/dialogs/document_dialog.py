"""A document made by a service, previewed in the window: save, print, open, sign in its one block.

Used for the penetapan of capaian and distribution and for the PAK konversi: ``make_view``
runs in a worker with a session (the service function), the PDF is rendered and drawn
there too, and the dialog shows the pages. Signing uses the signer's own .p12 and the
signature block of the document's signer (the deciding leader, the pejabat penilai).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.raster import page_images
from kinerja_desktop.reports.render import produce, signer_of, write_pdf
from kinerja_desktop.reports.signing import NameMismatch
from kinerja_desktop.ui.dialogs.sign_dialog import SignDialog
from kinerja_desktop.ui.errors import handle_exception, show_user_error
from kinerja_desktop.ui.pdf_preview import PdfPreview, open_in_viewer, print_pdf


def _render(view, key=None, confirm: bool = False):

    produced = produce(view, key, confirm_name_mismatch=confirm)
    return produced.pdf, page_images(produced.pdf, 110)


class DocumentDialog(QDialog):
    """Preview of one document; Simpan PDF, Cetak, Buka, Tandatangani."""

    def __init__(self, ctx, title: str, make_view: Callable, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.make_view, self.file_name = ctx, make_view, file_name
        self.view = None
        self.pdf: bytes | None = None
        self.signed = False
        self.setWindowTitle(title)
        self.resize(980, 720)
        box = QVBoxLayout(self)
        self.status = QLabel(_("Menyiapkan dokumen…"))
        self.status.setWordWrap(True)
        box.addWidget(self.status)
        self.preview = PdfPreview(self)
        box.addWidget(self.preview, 1)
        row = QHBoxLayout()
        self.sign_button = QPushButton(_("Tandatangani…"))
        self.save_button = QPushButton(_("Simpan PDF…"))
        self.save_button.setToolTip(_("Simpan PDF (Ctrl+S)"))
        self.print_button = QPushButton(_("Cetak…"))
        self.open_button = QPushButton(_("Buka di penampil PDF"))
        close = QPushButton(_("Tutup"))
        for b in (self.sign_button, self.save_button, self.print_button, self.open_button):
            b.setEnabled(False)
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(close)
        box.addLayout(row)
        self.sign_button.clicked.connect(self.sign)
        self.save_button.clicked.connect(lambda: self.save())
        self.print_button.clicked.connect(lambda: print_pdf(self.pdf, self) if self.pdf else None)
        self.open_button.clicked.connect(lambda: open_in_viewer(self.pdf, self.file_name) if self.pdf else None)
        close.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        make = self.make_view

        def work(session):
            view = make(session)
            return (view, *_render(view))

        ctx.query(work, self._shown, on_error=self._failed, owner=self, key="document-dialog")

    def _shown(self, result) -> None:
        self.view, pdf, images = result
        self._show(pdf, images)
        self.status.setText(
            _(
                "Pratinjau {pages} halaman; belum ditandatangani (kolom tanda tangan kosong untuk tanda tangan basah)."
            ).format(pages=len(images))
        )

    def _show(self, pdf: bytes, images) -> None:
        self.pdf = pdf
        self.preview.set_pdf(pdf, images)
        for b in (self.save_button, self.print_button, self.open_button):
            b.setEnabled(True)
        self.sign_button.setEnabled(not self.signed and not getattr(self.view, "draft", False))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.status.setText(exc.message)
            show_user_error(exc, self)
            return

        handle_exception(type(exc), exc, exc.__traceback__, self)

    def sign(self, *, dialog_factory=None, confirm=None) -> None:

        if self.view is None:
            return
        person = signer_of(self.view)
        dialog = (dialog_factory or SignDialog)(person.nip_raw if person else None, self)
        if not dialog.exec():
            return
        self._run_sign(dialog.key, confirm_name_mismatch=False, confirm=confirm)

    def _run_sign(self, key, *, confirm_name_mismatch: bool, confirm=None) -> None:
        view = self.view
        self.status.setText(_("Menandatangani…"))

        def done(result) -> None:
            self.signed = True
            self._show(*result)
            self.status.setText(
                _("Ditandatangani secara elektronik oleh {name}. Simpan PDF untuk menyimpannya.").format(name=key.name)
            )

        def failed(exc: BaseException) -> None:

            if isinstance(exc, NameMismatch):
                ask = confirm or (
                    lambda text: QMessageBox.question(self, _("Nama berbeda"), text) == QMessageBox.StandardButton.Yes
                )
                if ask(exc.message + "\n\n" + _("Tetap tandatangani?")):
                    self._run_sign(key, confirm_name_mismatch=True, confirm=confirm)
                else:
                    self.status.setText(_("Tidak ditandatangani."))
                return
            self._failed(exc)

        self.ctx.query(
            lambda _s: _render(view, key, confirm_name_mismatch),
            done,
            on_error=failed,
            owner=self,
            key="document-dialog-sign",
        )

    def save(self, path: str | None = None) -> Path | None:
        if self.pdf is None:
            return None
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Simpan PDF"), self.file_name, _("Dokumen PDF (*.pdf)"))
            if not path:
                return None

        try:
            target = write_pdf(path, self.pdf)
        except UserError as exc:
            show_user_error(exc, self)
            return None
        self.status.setText(_("Disimpan ke {path}.").format(path=target))
        return target
