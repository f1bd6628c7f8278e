"""The font every printed document uses: DejaVu Sans, shipped in ``resources/fonts``.

It is embedded (subset) in each PDF, so every PC prints the same letters, including
Indonesian names with accents. Registered once per process: parsing the TrueType
files is the slow part, so workers of a batch pay it once, not per document.
"""

from __future__ import annotations

from pathlib import Path

from reportlab import rl_config
from reportlab.graphics.shapes import STATE_DEFAULTS
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kinerja_desktop.paths import resources_dir

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"

_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
}

_registered = False


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def register_fonts() -> None:
    """Register the fonts with ReportLab (idempotent, cheap after the first call)."""
    global _registered
    if _registered:
        return
    # Compressed streams stay binary: ASCII85 on top only makes files bigger and slower.
    rl_config.useA85 = 0
    folder = fonts_dir()
    for name, filename in _FILES.items():
        path = folder / filename
        if not path.is_file():
            raise FileNotFoundError(f"font file missing from the installation: {path}")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    # <b> and <i> inside Paragraphs map to the bold and oblique faces.
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT_ITALIC)
    addMapping(FONT, 1, 1, FONT_BOLD)
    # Charts and drawings start from ReportLab's default graphics state, which names
    # Helvetica (a font that is never embedded); make it ours.

    STATE_DEFAULTS["fontName"] = FONT
    _registered = True
