"""The visible signature stamp: who signed, their NIP, the role and the time in WIB.

Drawn with ReportLab in the documents' own font (DejaVu Sans, embedded as a subset), then
handed to pyHanko as the static appearance of the signature field, so the stamp prints
the same on every PC and never names a font the reader must have. The time is the
signing time pyHanko records, shown in WIB (UTC+07:00) whatever the PC's zone.
"""

from __future__ import annotations

import binascii
import io
import uuid
from datetime import datetime

from pyhanko.pdf_utils.content import ImportedPdfPage
from pyhanko.pdf_utils.layout import AxisAlignment, BoxConstraints, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.stamp import StaticStampStyle
from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from kinerja_desktop.domain.dates import WIB
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.fonts import FONT, FONT_BOLD, register_fonts

STAMP_FONT_SIZE = 7


def wib_time_text(moment: datetime) -> str:
    """``"04-12-2026 23:40:12 WIB"``: the signing time as the stamp prints it."""
    return moment.astimezone(WIB).strftime("%d-%m-%Y %H:%M:%S") + " WIB"


def stamp_pdf(width: float, height: float, *, signer: str, nip_line: str, role: str, moment: datetime) -> bytes:
    """A one-page PDF of ``width`` x ``height`` points holding the stamp's text and border."""
    register_fonts()
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=(width, height), initialFontName=FONT)
    canv.setStrokeColor(Color(0.15, 0.3, 0.55))
    canv.setLineWidth(0.8)
    canv.rect(0.5, 0.5, width - 1, height - 1)
    lines = [(FONT, _("Ditandatangani secara elektronik oleh:")), (FONT_BOLD, signer)]
    if nip_line:
        lines.append((FONT, nip_line))
    lines += [(FONT, role), (FONT, _("Waktu: {time}").format(time=wib_time_text(moment)))]
    leading = STAMP_FONT_SIZE + 1.6
    y = height - 4 - STAMP_FONT_SIZE
    for font, line in lines:
        size = STAMP_FONT_SIZE
        while size > 4.5 and canv.stringWidth(line, font, size) > width - 8:
            size -= 0.25
        canv.setFont(font, size)
        canv.drawString(4, y, line)
        y -= leading
    canv.showPage()
    canv.save()
    return buf.getvalue()


class _PdfPageFromBytes(ImportedPdfPage):
    """pyHanko's imported page, read from memory instead of a file."""

    def __init__(self, data: bytes) -> None:
        super().__init__(file_name="")
        self.data = data

    def render(self) -> bytes:
        writer = self._ensure_writer
        reader = PdfFileReader(io.BytesIO(self.data))
        xobj = writer.import_page_as_xobject(reader, page_ix=0)
        name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
        self.resources.xobject[name.decode("ascii")] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name + b" Do"


def stamp_style(data: bytes) -> StaticStampStyle:
    """A pyHanko stamp style whose appearance is the page ``data`` (see :func:`stamp_pdf`)."""
    layout = SimpleBoxLayoutRule(
        x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID, margins=Margins.uniform(0)
    )
    return StaticStampStyle(
        background=_PdfPageFromBytes(data), border_width=0, background_opacity=1.0, background_layout=layout
    )
