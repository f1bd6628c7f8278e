"""The Beranda card of the 20 JP rule: PNS still below 20 JP this year, and time left."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QWidget

from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.training.jp_compliance import jp_alert
from kinerja_desktop.ui.pages.home import Card, CardSpec, register_card


class JpCard(Card):
    """ "PNS belum 20 JP (2026)": a number, and "sisa waktu 1 bulan lagi (34 hari)"."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(_("PNS yang belum memenuhi 20 JP tahun {year}").format(year=date.today().year), parent)
        self.ctx = ctx
        self.setObjectName("jpCard")
        self.alert = None

    def refresh(self) -> None:

        principal = self.ctx.principal
        self.ctx.runner.submit(lambda s: jp_alert(s, principal), self._show, owner=self)

    def _show(self, alert) -> None:
        self.alert = alert
        value = number_text(alert.below)
        note = _("dari {pns} PNS. {left}").format(pns=number_text(alert.pns), left=alert.text)
        self.set_value(value, note)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - a click opens the compliance list
        window = self.ctx.window
        if window is not None:
            page = window.show_page("pelatihan")
            if page is not None and hasattr(page, "tabs"):
                page.tabs.setCurrentIndex(1)
        super().mouseReleaseEvent(event)


register_card(CardSpec("jp", JpCard, order=50))
