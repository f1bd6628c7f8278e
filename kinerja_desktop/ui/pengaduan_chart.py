"""The chart of complaints per service per month: stacked columns, one colour per service."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from kinerja_desktop.domain.dates import MONTHS_ID
from kinerja_desktop.i18n import _

PALETTE = ("#1b7f5a", "#d98e04", "#2f6db5", "#b5452f", "#7a5bb5", "#4a9aa8", "#8c8c3a", "#b55a8c", "#777777")


class MonthlyServiceChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names: list[str] = []
        self.series: list[list[int]] = []
        self.setMinimumHeight(240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(_("Grafik pengaduan per layanan per bulan"))

    def set_data(self, names: list[str], series: list[list[int]]) -> None:
        self.names, self.series = list(names), [list(s) for s in series]
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(640, 280)

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        fm = QFontMetrics(self.font())
        totals = [sum(s[m] for s in self.series) for m in range(12)]
        top = max(totals) if totals else 0
        if not top:
            p.setPen(text)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _("Belum ada pengaduan pada tahun ini."))
            return
        legend_w = min(260, int(self.width() * 0.3))
        left, bottom, top_pad = fm.horizontalAdvance("0000") + 8, fm.height() + 8, 10
        plot_w = self.width() - left - legend_w - 16
        plot_h = self.height() - bottom - top_pad
        col_w = plot_w / 12
        p.setPen(self.palette().color(QPalette.ColorRole.Mid))
        for tick in sorted({0, top // 2, top}):
            y = top_pad + plot_h * (1 - tick / top)
            p.drawLine(int(left), int(y), int(left + plot_w), int(y))
            p.drawText(QRectF(0, y - fm.height() / 2, left - 4, fm.height()), Qt.AlignmentFlag.AlignRight, str(tick))
        for m in range(12):
            x = left + m * col_w + col_w * 0.15
            y = top_pad + plot_h
            for i, s in enumerate(self.series):
                h = plot_h * s[m] / top
                if h <= 0:
                    continue
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor(PALETTE[i % len(PALETTE)]))
                p.drawRect(QRectF(x, y - h, col_w * 0.7, h))
                y -= h
            p.setPen(text)
            p.drawText(
                QRectF(left + m * col_w, top_pad + plot_h + 2, col_w, fm.height() + 4),
                Qt.AlignmentFlag.AlignHCenter,
                MONTHS_ID[m][:3],
            )
        y = top_pad
        lx = self.width() - legend_w
        for i, name in enumerate(self.names):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(PALETTE[i % len(PALETTE)]))
            p.drawRect(QRectF(lx, y + 3, 12, 12))
            p.setPen(text)
            label = fm.elidedText(f"{name} ({sum(self.series[i])})", Qt.TextElideMode.ElideRight, legend_w - 20)
            p.drawText(QRectF(lx + 18, y, legend_w - 18, 18), Qt.AlignmentFlag.AlignVCenter, label)
            y += 20
        p.end()
