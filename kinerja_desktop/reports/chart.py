"""Charts drawn with ReportLab graphics: the distribution of a unit's predikat (recaps and the
penetapan), and the reference curve of a capaian level (the detailed form)."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from kinerja_desktop.reports.fonts import FONT, FONT_BOLD, register_fonts
from kinerja_desktop.reports.views import DistributionView, ReferenceCurveView

#: Best to worst, the colours of the five predikat.
BAR_COLOURS = (
    colors.Color(0.16, 0.50, 0.30),
    colors.Color(0.35, 0.65, 0.40),
    colors.Color(0.93, 0.70, 0.20),
    colors.Color(0.90, 0.45, 0.20),
    colors.Color(0.75, 0.20, 0.20),
)


def _percent(count: int, total: int) -> str:
    if not total:
        return "0%"
    return f"{count * 100 / total:.1f}".replace(".", ",") + "%"


def distribution_chart(dist: DistributionView, width: float, height: float, title: str = "") -> Drawing:
    """Bars for the five predikat; each labelled with its count and percentage."""
    register_fonts()
    labels = [label for label, _count in dist.counts]
    values = [count for _label, count in dist.counts]
    total = sum(values)
    d = Drawing(width, height)
    top = 14 if title else 0
    if title:
        d.add(String(width / 2, height - 10, title, fontName=FONT_BOLD, fontSize=8.5, textAnchor="middle"))
    chart = VerticalBarChart()
    chart.x = 32
    chart.y = 34
    chart.width = width - 42
    chart.height = height - 34 - 16 - top
    chart.data = [values]
    chart.barSpacing = 2
    chart.groupSpacing = 12
    chart.bars.strokeWidth = 0
    for i, colour in enumerate(BAR_COLOURS[: len(values)]):
        chart.bars[(0, i)].fillColor = colour
    chart.valueAxis.valueMin = 0
    peak = max(values) if values else 0
    chart.valueAxis.valueMax = max(1, peak + max(1, peak // 5))
    chart.valueAxis.valueStep = max(1, (peak + 4) // 5)
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    # Two short lines per label, so "Kurang/Misconduct" and "Sangat Kurang" do not collide.
    chart.categoryAxis.categoryNames = [label.replace("/", "/\n").replace(" ", "\n", 1) for label in labels]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -3
    chart.barLabelFormat = lambda v: f"{int(v)} ({_percent(int(v), total)})"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 7
    d.add(chart)
    return d


def reference_chart(ref: ReferenceCurveView, width: float, height: float) -> Drawing:
    """The reference curve: for each predikat the band of shares the capaian level allows (0-100 %)."""

    register_fonts()
    d = Drawing(width, height)
    label_w, text_w = 78, 74
    left, right = label_w, width - text_w
    scale = (right - left) / 100
    top = height - 14
    row_h = (top - 14) / max(1, len(ref.bands))
    d.add(String(width / 2, height - 9, ref.title_text, fontName=FONT_BOLD, fontSize=8, textAnchor="middle"))
    for pct in (0, 25, 50, 75, 100):
        x = left + pct * scale
        d.add(Line(x, 12, x, top, strokeColor=colors.Color(0.85, 0.85, 0.85), strokeWidth=0.4))
        d.add(String(x, 3, f"{pct}%", fontName=FONT, fontSize=6.5, textAnchor="middle"))
    for i, (label, low, high, words) in enumerate(ref.bands):
        y = top - (i + 1) * row_h + row_h * 0.2
        h = row_h * 0.6
        d.add(String(label_w - 4, y + h / 2 - 2.5, label, fontName=FONT, fontSize=7, textAnchor="end"))
        if high > 0:
            d.add(
                Rect(
                    left + low * scale,
                    y,
                    max(1.2, (high - low) * scale),
                    h,
                    strokeWidth=0.4,
                    strokeColor=BAR_COLOURS[i % len(BAR_COLOURS)],
                    fillColor=BAR_COLOURS[i % len(BAR_COLOURS)],
                    fillOpacity=0.55,
                )
            )
        d.add(String(right + 4, y + h / 2 - 2.5, words, fontName=FONT, fontSize=7))
    return d
