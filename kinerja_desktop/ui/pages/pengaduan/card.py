"""The Beranda card of complaints: open ones past their deadline (the person's own, their
unit's, or the office's), and the unit's figures this year."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kinerja_desktop.domain.pengaduan import format_hours, format_percent
from kinerja_desktop.i18n import _
from kinerja_desktop.services.pengaduan.figures import beranda_figures
from kinerja_desktop.ui.context import handles_complaints
from kinerja_desktop.ui.pages.home import Card, CardSpec, register_card


class ComplaintCard(Card):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(_("Pengaduan masyarakat lewat batas waktu"), parent)
        self.ctx = ctx
        self.setObjectName("complaintCard")
        self.summary = None

    def refresh(self) -> None:

        principal = self.ctx.principal
        self.ctx.query(lambda s: beranda_figures(s, principal), self._show, owner=self, key="pengaduan-card")

    def _show(self, result) -> None:

        summary, figures, label = result
        self.summary = summary
        lines = [_("{open} pengaduan masih terbuka.").format(open=summary.open)]
        if summary.mine:
            lines.append(_("{n} di antaranya ditugaskan kepada Anda.").format(n=summary.mine))
        if figures is not None:
            lines.append(
                _("{label}: {handled} ditangani, {pct} tepat waktu, median tanggapan pertama {median}.").format(
                    label=label,
                    handled=figures.handled,
                    pct=format_percent(figures.on_time_share),
                    median=format_hours(figures.median_response_hours),
                )
            )
        self.set_value(f"{summary.overdue:,}".replace(",", "."), " ".join(lines))

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - a click opens the overdue list
        window = self.ctx.window
        if window is not None:
            page = window.show_page("pengaduan")
            if page is not None and hasattr(page, "register"):
                status = page.register.status
                status.setCurrentIndex(max(0, status.findData("terlambat")))
        super().mouseReleaseEvent(event)


register_card(CardSpec("pengaduan", ComplaintCard, allowed=handles_complaints, order=60))
