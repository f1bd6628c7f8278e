"""A small bar chart of predikat counts, drawn with QPainter (QtCharts is not in Essentials)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from kinerja_desktop.domain.predikat import Predikat
from kinerja_desktop.i18n import _
from kinerja_desktop.ui.theme import is_dark

#: One colour per predikat, best (green) to worst (red); a lighter set on dark palettes.
_LIGHT = ("#2e7d32", "#558b2f", "#f9a825", "#ef6c00", "#c62828")
_DARK = ("#81c784", "#aed581", "#fff176", "#ffb74d", "#e57373")


def predikat_color(p: Predikat) -> QColor:
    colors = _DARK if is_dark() else _LIGHT
    return QColor(colors[list(Predikat).index(p)])


def percent_text(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + "%"


class DistributionChart(QWidget):
    """Vertical bars: count and percentage of each predikat; an optional limit line per bar.

    ``set_data(counts, limits)``: ``limits`` maps a predikat to (percent, "max"|"min") and is
    drawn as a dashed line across that bar (e.g. "at most 70 % Baik").
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts: dict[Predikat, int] = {p: 0 for p in Predikat}
        self.limits: dict[Predikat, tuple[int, str]] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(200)
        self.setAccessibleName(_("Grafik distribusi predikat"))

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(520, 260)

    def set_data(self, counts: dict[Predikat, int], limits: dict[Predikat, tuple[int, str]] | None = None) -> None:
        self.counts = {p: int(counts.get(p, 0)) for p in Predikat}
        self.limits = dict(limits or {})
        total = sum(self.counts.values())
        self.setToolTip(
            "\n".join(
                f"{p.label}: {self.counts[p]} ({percent_text(self.counts[p] * 100 / total if total else 0)})"
                for p in Predikat
            )
        )
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text_color = pal.color(QPalette.ColorRole.WindowText)
        fm = self.fontMetrics()
        line = fm.height()
        w, h = self.width(), self.height()
        top, bottom = line * 2 + 4, line * 2 + 8  # room for values above, labels below
        left, right = 8, 8
        plot_h = max(10, h - top - bottom)
        total = sum(self.counts.values())
        n = len(Predikat)
        slot = (w - left - right) / n
        bar_w = min(slot * 0.6, 90)
        base_y = top + plot_h
        painter.setPen(text_color)
        painter.drawLine(int(left), int(base_y), int(w - right), int(base_y))
        for i, p in enumerate(Predikat):
            count = self.counts[p]
            share = count / total if total else 0.0
            x = left + slot * i + (slot - bar_w) / 2
            bar_h = plot_h * share
            rect = QRectF(x, base_y - bar_h, bar_w, bar_h)
            painter.fillRect(rect, predikat_color(p))
            painter.setPen(text_color)
            value = f"{count} · {percent_text(share * 100)}" if total else "0"
            painter.drawText(
                QRectF(left + slot * i, base_y - bar_h - line - 2, slot, line),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                value,
            )
            label_rect = QRectF(left + slot * i + 2, base_y + 4, slot - 4, line * 2 + 4)
            painter.drawText(
                label_rect,
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                p.label,
            )
            if p in self.limits:
                percent, kind = self.limits[p]
                y = base_y - plot_h * percent / 100
                pen = painter.pen()
                pen.setStyle(Qt.PenStyle.DashLine)
                pen.setColor(text_color)
                painter.setPen(pen)
                painter.drawLine(int(x - 6), int(y), int(x + bar_w + 6), int(y))
                painter.drawText(
                    QRectF(x + bar_w + 8, y - line / 2, (slot - bar_w) / 2 + 20, line),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    ("≤ " if kind == "max" else "≥ ") + f"{percent}%",
                )
        painter.end()
