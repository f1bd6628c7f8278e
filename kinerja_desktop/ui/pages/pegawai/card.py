"""The Beranda card "Menunggu tindakan Anda": what is waiting for the signed-in person.

Registered for every role; the list is the service's (``services.pegawai.waiting``), read
through ``ctx.query``. Overdue items are marked in words and colour (not colour alone).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kinerja_desktop.i18n import _
from kinerja_desktop.services.pegawai.waiting import waiting_for
from kinerja_desktop.ui.pages.home import CardSpec, register_card
from kinerja_desktop.ui.theme import error_text, scaled_font

MAX_SHOWN = 8


class WaitingCard(QFrame):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("waitingCard")
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(14, 10, 14, 12)
        self.title = QLabel(_("Menunggu tindakan Anda"))
        self.title.setFont(scaled_font(self.title, 1.1, bold=True))
        self.box.addWidget(self.title)
        self.rows = QVBoxLayout()
        self.box.addLayout(self.rows)
        #: The waiting items once read (None until then).
        self.items = None
        #: "Today" for overdue marks (tests and screenshots set a fixed day).
        self.today_fn = date.today
        ctx.bus.subscribe({"evaluations", "skp", "keberatan"}, self.refresh, owner=self)

    def refresh(self) -> None:

        principal, today = self.ctx.principal, self.today_fn()
        self.ctx.query(lambda s: waiting_for(s, principal, today), self._show, owner=self, key="waiting")

    def _show(self, items) -> None:
        self.items = items
        while self.rows.count():
            widget = self.rows.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        if not items:
            self.rows.addWidget(QLabel(_("Tidak ada yang menunggu tindakan Anda.")))
            return
        for item in items[:MAX_SHOWN]:
            self.rows.addWidget(self._row(item))
        if len(items) > MAX_SHOWN:
            self.rows.addWidget(QLabel(_("… dan {n} lainnya.").format(n=len(items) - MAX_SHOWN)))

    def _row(self, item) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 2, 0, 2)
        when = item.due.strftime("%d-%m-%Y") if item.due else ""
        mark = _("TERLAMBAT") if item.overdue else ""
        label = QLabel(item.text)
        label.setWordWrap(True)
        date_label = QLabel(f"{mark} {when}".strip())
        if item.overdue:
            date_label.setStyleSheet(f"color: {error_text().name()}; font-weight: bold;")
        button = QPushButton(_("Buka"))
        button.clicked.connect(lambda _c=False, page=item.page: self._open(page))
        line.addWidget(label, 1)
        line.addWidget(date_label)
        line.addWidget(button)
        return row

    def _open(self, page: str) -> None:
        window = self.ctx.window
        if window is not None:
            window.show_page(page)


register_card(CardSpec("waiting", WaitingCard, order=5))
