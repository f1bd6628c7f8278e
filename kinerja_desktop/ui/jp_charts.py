"""Small charts drawn with QPainter: 20 JP compliance per unit, and the 10:20:70 mix."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.ui.theme import is_dark


def met_colour() -> QColor:
    return QColor("#5cb85c") if is_dark() else QColor("#2e7d32")


def short_colour() -> QColor:
    return QColor("#ffab66") if is_dark() else QColor("#e65100")


MIX_COLOURS = {"10": "#1565c0", "20": "#6a1b9a", "70": "#00838f"}


class UnitBarChart(QWidget):
    """One horizontal bar per unit: the PNS meeting 20 JP (green) and below (orange).

    Clicking a bar emits :attr:`unit_clicked` with the unit id (to drill down).
    """

    unit_clicked = Signal(str)
    ROW = 26
    LABEL_SHARE = 0.38

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.units: list = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setAccessibleName(_("Grafik kepatuhan 20 JP per unit kerja"))

    def set_units(self, units: Sequence) -> None:
        self.units = list(units)
        self.updateGeometry()
        self.setMinimumHeight(self._height())
        self.update()

    def _height(self) -> int:
        return max(1, len(self.units)) * self.ROW + 30

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(480, self._height())

    def _rects(self):
        w = self.width()
        label_w = int(w * self.LABEL_SHARE)
        value_w = 150
        bar_x = label_w + 8
        bar_w = max(40, w - bar_x - value_w - 8)
        return label_w, bar_x, bar_w, value_w

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        fm = QFontMetrics(self.font())
        label_w, bar_x, bar_w, value_w = self._rects()
        if not self.units:
            p.setPen(text)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _("Belum ada data."))
            return
        for i, u in enumerate(self.units):
            y = i * self.ROW + 4
            h = self.ROW - 8
            p.setPen(text)
            name = fm.elidedText(u.name, Qt.TextElideMode.ElideRight, label_w)
            p.drawText(
                QRectF(0, y - 2, label_w, h + 4), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name
            )
            share = u.share_meeting if u.pns else 0.0
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(short_colour() if u.pns else pal.color(QPalette.ColorRole.Mid))
            p.drawRoundedRect(QRectF(bar_x, y, bar_w, h), 3, 3)
            if share > 0:
                p.setBrush(met_colour())
                p.drawRoundedRect(QRectF(bar_x, y, max(4.0, bar_w * share), h), 3, 3)
            p.setPen(text)
            value = (
                _("{met}/{pns} PNS ({pct:.0f}%)").format(
                    met=number_text(u.pns_meeting), pns=number_text(u.pns), pct=share * 100
                )
                if u.pns
                else _("tanpa PNS")
            )
            p.drawText(QRectF(bar_x + bar_w + 8, y - 2, value_w, h + 4), Qt.AlignmentFlag.AlignVCenter, value)
        # Legend.
        y = len(self.units) * self.ROW + 8
        x = min(bar_x, max(0, self.width() - 360))
        for colour, label in ((met_colour(), _("memenuhi 20 JP")), (short_colour(), _("belum memenuhi"))):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawRect(QRectF(x, y + 3, 12, 12))
            p.setPen(text)
            p.drawText(QRectF(x + 16, y, 200, 18), Qt.AlignmentFlag.AlignVCenter, label)
            x += 16 + fm.horizontalAdvance(label) + 24
        p.end()

    def unit_at(self, y: float) -> str | None:
        i = int(y // self.ROW)
        return self.units[i].unit_id if 0 <= i < len(self.units) else None

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        uid = self.unit_at(event.position().y())
        if uid:
            self.unit_clicked.emit(uid)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        uid = self.unit_at(event.position().y())
        self.setCursor(Qt.CursorShape.PointingHandCursor if uid else Qt.CursorShape.ArrowCursor)
        unit = next((u for u in self.units if u.unit_id == uid), None)
        self.setToolTip(
            _(
                "{name}: {below} PNS belum memenuhi 20 JP; rata-rata {mean} JP per pegawai. Klik untuk "
                "melihat unit di bawahnya."
            ).format(name=unit.name, below=unit.pns_below, mean=str(unit.mean_jp).replace(".", ","))
            if unit
            else ""
        )


class MixBar(QWidget):
    """The 10:20:70 mix as one stacked bar, with the model's targets marked underneath."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.percent = {"10": 0.0, "20": 0.0, "70": 0.0}
        self.total = 0.0
        self.setMinimumHeight(64)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(_("Komposisi 10:20:70"))

    def set_mix(self, mix) -> None:
        self.total = float(mix.total)
        self.percent = {k: mix.percent(k) for k in ("10", "20", "70")}
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, 64)

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        w = self.width() - 2
        bar = QRectF(1, 4, w, 24)
        if self.total <= 0:
            p.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid)))
            p.drawRect(bar)
            p.setPen(text)
            p.drawText(bar, Qt.AlignmentFlag.AlignCenter, _("Belum ada JP tahun ini."))
            return
        x = bar.left()
        labels = {"10": _("formal"), "20": _("dari orang lain"), "70": _("di tempat kerja")}
        for key in ("10", "20", "70"):
            width = w * self.percent[key] / 100
            if width <= 0:
                continue
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(MIX_COLOURS[key]))
            p.drawRect(QRectF(x, bar.top(), width, bar.height()))
            p.setPen(QColor("white"))
            caption = f"{self.percent[key]:.0f}%"
            if QFontMetrics(self.font()).horizontalAdvance(caption) + 6 < width:
                p.drawText(QRectF(x, bar.top(), width, bar.height()), Qt.AlignmentFlag.AlignCenter, caption)
            x += width
        # Target marks (10 %, 30 %) and the legend.
        p.setPen(QPen(text, 1, Qt.PenStyle.DashLine))
        for at in (0.10, 0.30):
            p.drawLine(int(1 + w * at), int(bar.top() - 3), int(1 + w * at), int(bar.bottom() + 3))
        fm = QFontMetrics(self.font())
        lx, ly = 1.0, bar.bottom() + 6
        entries = [(QColor(MIX_COLOURS[k]), f"{k}: {labels[k]} {self.percent[k]:.0f}%") for k in ("10", "20", "70")]
        entries.append((None, _("garis putus: batas 10% dan 30% model 10:20:70")))
        for colour, label in entries:
            need = (16 if colour else 0) + fm.horizontalAdvance(label) + 4
            if lx > 1 and lx + need > w:
                lx, ly = 1.0, ly + 20
            if colour is not None:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(colour)
                p.drawRect(QRectF(lx, ly + 4, 12, 12))
            p.setPen(text)
            start = lx + (16 if colour else 0)
            p.drawText(QRectF(start, ly, need, 20), Qt.AlignmentFlag.AlignVCenter, label)
            lx += need + 16
        if ly + 20 > self.height():
            self.setMinimumHeight(int(ly + 22))
        p.end()
