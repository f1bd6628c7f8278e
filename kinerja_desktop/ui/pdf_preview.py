"""Showing, printing and opening PDFs made by the program.

:class:`PdfPreview` shows the pages inside the window before anything is signed or
saved. It uses QtPdf when this Qt has it (PySide6-Addons); otherwise it shows the pages
as images drawn by PDFium (``reports.raster``), which also draws the signature stamps.
:func:`print_pdf` prints through the system print dialog; :func:`open_in_viewer` hands
a copy to the system's PDF viewer.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, Qt
from PySide6.QtGui import QImage, QPageLayout, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from kinerja_desktop import files, paths
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.raster import page_count, page_images
from kinerja_desktop.ui.open_files import open_with_system

try:  # QtPdf ships in PySide6-Addons; the program works without it.
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

    HAVE_QTPDF = True
except ImportError:  # pragma: no cover - depends on the installed Qt modules
    HAVE_QTPDF = False


def pil_to_qimage(image) -> QImage:
    rgb = image.convert("RGB")
    data = rgb.tobytes("raw", "RGB")
    qimage = QImage(data, rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888)
    return qimage.copy()  # own the pixels: ``data`` goes away


class PdfPreview(QScrollArea):
    """The pages of a PDF, one under the other, scaled to the width of the area."""

    def __init__(self, parent: QWidget | None = None, dpi: int = 110) -> None:
        super().__init__(parent)
        self.dpi = dpi
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pdf: bytes | None = None
        self.page_labels: list[QLabel] = []
        self._pdf_view = None
        self._empty()

    def _empty(self) -> None:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        hint = QLabel(_("Pratinjau dokumen akan tampil di sini."))
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(hint)
        self.setWidget(holder)
        self.page_labels = []

    def clear(self) -> None:
        self.pdf = None
        self._empty()

    @property
    def page_count(self) -> int:
        return len(self.page_labels)

    def set_pdf(self, pdf: bytes, images=None) -> None:
        """Show ``pdf``; ``images`` (PIL, drawn in a worker) avoid drawing here."""
        self.pdf = pdf
        if HAVE_QTPDF and images is None:
            self._show_with_qtpdf(pdf)
            return
        if images is None:
            images = page_images(pdf, self.dpi)
        holder = QWidget()
        holder.setStyleSheet("background: #808080;")
        layout = QVBoxLayout(holder)
        layout.setSpacing(12)
        layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.page_labels = []
        self._images = [pil_to_qimage(image) for image in images]
        for _image in self._images:
            label = QLabel()
            label.setStyleSheet("background: white; border: 1px solid #555;")
            layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self.setWidget(holder)
        self._fit()

    def _fit(self) -> None:
        """Scale the pages to the visible width (never above their drawn size)."""
        images = getattr(self, "_images", None)
        if not images or not self.page_labels:
            return
        width = max(200, self.viewport().width() - 40)
        for label, image in zip(self.page_labels, images, strict=False):
            w = min(width, image.width())
            label.setPixmap(QPixmap.fromImage(image.scaledToWidth(w, Qt.TransformationMode.SmoothTransformation)))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def _show_with_qtpdf(self, pdf: bytes) -> None:  # pragma: no cover - needs PySide6-Addons
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document = QPdfDocument(self)
        document.load(self._buffer)
        view = QPdfView()
        view.setDocument(document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._pdf_view = view
        self.page_labels = [QLabel() for _i in range(document.pageCount())]
        self.setWidget(view)


def print_pdf(pdf: bytes, parent: QWidget | None = None, *, printer=None, ask: bool = True) -> bool:
    """Print through the system print dialog; True when it was sent to the printer."""

    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(_("Dokumen Kinerja Desktop"))
    if ask:
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(_("Cetak dokumen"))
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return False

    dpi = min(300, max(150, printer.resolution()))
    total = page_count(pdf)

    def orient(image) -> None:
        landscape = image.width > image.height
        printer.setPageOrientation(QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait)

    painter = QPainter()
    first = None
    for i in range(total):
        (image,) = page_images(pdf, dpi, [i])  # one page at a time: little memory
        orient(image)  # landscape pages (the HASIL KERJA table) print landscape
        if first is None:
            first = image
            if not painter.begin(printer):
                return False
        else:
            printer.newPage()
        target = painter.viewport()
        qimage = pil_to_qimage(image)
        scaled = qimage.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
        painter.drawImage(QRect(target.x(), target.y(), scaled.width(), scaled.height()), qimage)
    if first is not None:
        painter.end()
    return True


def viewer_copy(pdf: bytes, name: str = "dokumen.pdf") -> Path:
    """A copy in the exports folder (a new name each time) for the system's PDF viewer."""
    folder = paths.locations().exports / "pratinjau"
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=Path(name).stem + "-", suffix=".pdf")
    os.close(fd)  # a fresh unique name; the content goes in through the one file writer
    files.write_atomic(tmp, pdf)
    return Path(tmp)


def open_in_viewer(pdf: bytes, name: str = "dokumen.pdf", parent=None) -> Path:
    """Write a copy and open it with the system's PDF viewer (a message when there is none)."""

    copy = viewer_copy(pdf, name)
    open_with_system(copy, parent)
    return copy
