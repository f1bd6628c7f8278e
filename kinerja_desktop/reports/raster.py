"""PDF pages as images, for the preview inside the window and for printing.

PDFium (pypdfium2, wheels for Windows and Linux) draws the pages including the visible
signature stamps; where it is missing, poppler's ``pdftoppm`` is tried. Qt-free: the
window turns the images into QImages.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image


class RasterUnavailable(RuntimeError):
    """Neither PDFium nor pdftoppm is available to draw PDF pages."""


def page_count(pdf: bytes) -> int:
    try:
        import pypdfium2 as pdfium  # noqa: PLC0415 (its native library may fail to load: pypdf is the fallback)

        doc = pdfium.PdfDocument(pdf)
        try:
            return len(doc)
        finally:
            doc.close()
    except ImportError:
        from pypdf import PdfReader  # noqa: PLC0415 (the fallback)

        return len(PdfReader(io.BytesIO(pdf)).pages)


def page_images(pdf: bytes, dpi: float = 100, pages: list[int] | None = None):
    """PIL images of the pages (0-based ``pages``; all when None), drawn at ``dpi``."""
    try:
        import pypdfium2 as pdfium  # noqa: PLC0415 (its native library may fail to load: pypdf is the fallback)
    except ImportError:
        return _with_pdftoppm(pdf, dpi, pages)
    doc = pdfium.PdfDocument(pdf)
    try:
        doc.init_forms()  # so the signature stamps (form fields) are drawn too
        wanted = range(len(doc)) if pages is None else pages
        images = []
        for i in wanted:
            page = doc[i]
            try:
                bitmap = page.render(scale=dpi / 72, may_draw_forms=True)
                images.append(bitmap.to_pil().convert("RGB"))
            finally:
                page.close()
        return images
    finally:
        doc.close()


def _with_pdftoppm(pdf: bytes, dpi: float, pages: list[int] | None):
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise RasterUnavailable("no PDF renderer (pypdfium2 or pdftoppm) is installed")

    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder) / "doc.pdf"
        src.write_bytes(pdf)
        subprocess.run(
            [tool, "-png", "-r", str(int(dpi)), str(src), str(Path(folder) / "p")], check=True, capture_output=True
        )
        files = sorted(Path(folder).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        chosen = files if pages is None else [files[i] for i in pages]
        return [Image.open(f).convert("RGB") for f in chosen]
