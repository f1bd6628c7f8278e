"""The kop surat at the top of the first page: logo, government, perangkat daerah, address, rule.

The unit line names the perangkat daerah (the Dinas, Badan, Kecamatan ...), never a Bidang
inside it (``services.document_views.letterhead``). Without a logo chosen in Pengaturan the logo's
place says so in words.
"""

from __future__ import annotations

import os
from functools import lru_cache

from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Table

from kinerja_desktop.i18n import _
from kinerja_desktop.reports.fonts import FONT, FONT_BOLD, register_fonts
from kinerja_desktop.reports.styles import para
from kinerja_desktop.reports.views import Letterhead

LOGO_SIZE = 22 * mm


class _Rule(Flowable):
    """The double line under a kop surat (thick over thin)."""

    def __init__(self, width: float) -> None:
        super().__init__()
        self.width = width
        self.height = 4

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.height

    def draw(self):
        c = self.canv
        c.setLineWidth(1.8)
        c.line(0, 3.2, self.width, 3.2)
        c.setLineWidth(0.5)
        c.line(0, 0.6, self.width, 0.6)


def placeholder_logo(size: float = LOGO_SIZE) -> Drawing:
    """Until a logo is chosen in Pengaturan: a short text saying so (no shape that looks like a logo)."""
    register_fonts()
    d = Drawing(size, size)
    lines = (_("Logo Pemkab"), _("belum diatur:"), _("Pengaturan >"), _("Kop surat"))
    top = size / 2 + 1.5 * 7.2
    for i, line in enumerate(lines):
        d.add(
            String(
                size / 2,
                top - i * 7.2,
                line,
                fontName=FONT_BOLD if i == 0 else FONT,
                fontSize=6.4,
                textAnchor="middle",
                fillColor=colors.Color(0.35, 0.35, 0.35),
            )
        )
    return d


@lru_cache(maxsize=8)
def _logo_reader(path: str, _mtime: float) -> ImageReader:
    # Read and decode the logo once per process (per version of the file), not per document.
    return ImageReader(path)


class _Logo(Flowable):
    """The logo image, decoded once per process and drawn at its aspect ratio."""

    def __init__(self, reader: ImageReader, width: float, height: float) -> None:
        super().__init__()
        self.reader, self.width, self.height = reader, width, height

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self):
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height, mask="auto")


def _logo(path: str | None):
    if path:
        try:
            reader = _logo_reader(path, os.path.getmtime(path))
            w, h = reader.getSize()
            scale = min(LOGO_SIZE / w, LOGO_SIZE / h)
            return _Logo(reader, w * scale, h * scale)
        except Exception:  # an unreadable logo prints the placeholder, never a broken page
            pass
    return placeholder_logo()


def letterhead_flowables(lh: Letterhead, width: float) -> list:
    """The kop surat as flowables (the logo left, the text centred over the page)."""
    lines = [para(lh.government.upper(), "lh_gov")]
    if lh.unit_name:
        lines.append(para(lh.unit_name.upper(), "lh_unit"))
    for line in lh.address_lines:
        lines.append(para(line, "lh_addr"))
    side = LOGO_SIZE + 4 * mm
    table = Table([[_logo(lh.logo_path), lines, ""]], colWidths=[side, width - 2 * side, side])
    table.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT_BOLD),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
    )
    return [table, _Rule(width)]
