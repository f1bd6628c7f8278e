"""Paragraph and table styles shared by every document."""

from __future__ import annotations

from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from kinerja_desktop.reports.fonts import FONT, FONT_BOLD, register_fonts

GRID = colors.black
HEADER_BG = colors.Color(0.88, 0.90, 0.93)
GROUP_BG = colors.Color(0.95, 0.95, 0.95)
MUTED = colors.Color(0.35, 0.35, 0.35)


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=11.5, alignment=TA_LEFT)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "cell_center": ParagraphStyle("cell_center", parent=base, fontSize=8, leading=10, alignment=TA_CENTER),
        "cell_right": ParagraphStyle("cell_right", parent=base, fontSize=8, leading=10, alignment=TA_RIGHT),
        "cell_head": ParagraphStyle(
            "cell_head", parent=base, fontName=FONT_BOLD, fontSize=8, leading=10, alignment=TA_CENTER
        ),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=FONT_BOLD, fontSize=8, leading=10),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=12, leading=15, alignment=TA_CENTER),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=9.5, leading=12, alignment=TA_CENTER),
        "section": ParagraphStyle(
            "section", parent=base, fontName=FONT_BOLD, fontSize=9, leading=12, spaceBefore=6, spaceAfter=3
        ),
        "lh_gov": ParagraphStyle(
            "lh_gov", parent=base, fontName=FONT_BOLD, fontSize=13, leading=16, alignment=TA_CENTER
        ),
        "lh_unit": ParagraphStyle(
            "lh_unit", parent=base, fontName=FONT_BOLD, fontSize=11.5, leading=14, alignment=TA_CENTER
        ),
        "lh_addr": ParagraphStyle("lh_addr", parent=base, fontSize=8.5, leading=10.5, alignment=TA_CENTER),
        "sign": ParagraphStyle("sign", parent=base, fontSize=9, leading=11.5, alignment=TA_CENTER),
        "sign_name": ParagraphStyle(
            "sign_name", parent=base, fontName=FONT_BOLD, fontSize=9, leading=11.5, alignment=TA_CENTER
        ),
        "footer": ParagraphStyle("footer", parent=base, fontSize=7, leading=8.5, textColor=MUTED),
    }


def text(value: object) -> str:
    """Escape a value for a Paragraph, keeping line breaks."""
    if value is None:
        return ""
    return escape(str(value)).replace("\n", "<br/>")


def para(value: object, style: str = "cell") -> Paragraph:
    """A wrapped cell: long text breaks into lines instead of overflowing the column."""
    return Paragraph(text(value), styles()[style])


def markup(value: str, style: str = "cell") -> Paragraph:
    """A Paragraph from trusted markup (``<b>``, ``<br/>``) written by this package."""
    return Paragraph(value, styles()[style])


def cell(value: object, width: float, style: str = "cell"):
    """A plain string when it fits on one line of ``width`` points, else a wrapped Paragraph.

    Plain strings are drawn directly by the table, several times faster than a
    Paragraph; long text still wraps (never cut off, never overflowing).
    """
    value = "" if value is None else str(value)
    st = styles()[style]
    if "\n" not in value and stringWidth(value, st.fontName, st.fontSize) <= width - CELL_PADDING:
        return value
    return para(value, style)


CELL_PADDING = 6.5  # LEFTPADDING + RIGHTPADDING of table_style_grid, with a little room


def table_style_grid(header_rows: int = 1) -> list[tuple]:
    cmds: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("LEADING", (0, 0), (-1, -1), 10),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        cmds += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_BG),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
        ]
    return cmds


def row_split(split_rows: bool) -> dict:
    """Table options for how rows break across pages.

    Normally a row moves whole to the next page. In the fallback for a row taller than a
    page, rows split inside, and ReportLab is asked to try that first (``splitByRow=0``):
    splitting between rows first would leave the header and a group title alone at the
    bottom of a page and print the repeated header a second time on the same page.
    """
    if split_rows:
        return {"splitByRow": 0, "splitInRow": 1}
    return {"splitByRow": 1, "splitInRow": 0}
