"""Registers the Penilaian Kinerja page and its Beranda card.

The card shows, for the year: what is due (periods whose evaluations can be made now),
what is overdue (past the batas pengisian, not final), SKP progress and the counts per
predikat. A pejabat penilai sees their direct subordinates, HR everyone.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kinerja_desktop.domain.predikat import Predikat
from kinerja_desktop.formatting import date_words, number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.performance.dashboard import dashboard
from kinerja_desktop.services.performance.periods import years_with_periods
from kinerja_desktop.ui.context import allows
from kinerja_desktop.ui.pages.home import CardSpec, register_card
from kinerja_desktop.ui.theme import error_text, scaled_font


class PenilaianCard(QFrame):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("penilaianCard")
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 10, 14, 12)
        top = QHBoxLayout()
        self.title = QLabel(_("Penilaian kinerja"))
        self.title.setFont(scaled_font(self.title, 1.1, bold=True))
        top.addWidget(self.title)
        top.addStretch(1)
        self.open_button = QPushButton(_("Buka Penilaian Kinerja"))
        top.addWidget(self.open_button)
        box.addLayout(top)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        self.due_label = QLabel()
        self.overdue_label = QLabel()
        self.skp_label = QLabel()
        self.predikat_label = QLabel()
        for label in (self.due_label, self.overdue_label, self.skp_label, self.predikat_label):
            label.setWordWrap(True)
        heads = (_("Perlu diselesaikan"), _("Terlambat"), _("SKP"), _("Predikat"))
        for col, (head, label) in enumerate(
            zip(heads, (self.due_label, self.overdue_label, self.skp_label, self.predikat_label), strict=False)
        ):
            h = QLabel(f"<b>{head}</b>")
            grid.addWidget(h, 0, col)
            grid.addWidget(label, 1, col, Qt.AlignmentFlag.AlignTop)
            grid.setColumnStretch(col, 1)
        box.addLayout(grid)
        self.open_button.clicked.connect(self._open)
        self.data = None
        #: "Today" for what is due (tests and screenshots set a fixed day).
        self.today_fn = date.today

    def _open(self) -> None:
        window = self.ctx.window
        if window is not None:
            window.show_page("penilaian")

    def refresh(self) -> None:

        principal = self.ctx.principal
        today = self.today_fn()

        def work(session):
            years = years_with_periods(session)
            if not years:
                return None
            year = (
                today.year
                if today.year in years
                else max(y for y in years if y <= today.year)
                if any(y <= today.year for y in years)
                else years[0]
            )
            return dashboard(session, principal, year, today=today)

        self.ctx.runner.submit(work, self.show_data, owner=self)

    def show_data(self, d) -> None:
        self.data = d
        if d is None:
            self.due_label.setText(_("Periode penilaian belum dibuat."))
            for label in (self.overdue_label, self.skp_label, self.predikat_label):
                label.setText("")
            return
        count = (_("{n} bawahan langsung") if d.scope == "supervisor" else _("{n} pegawai")).format(
            n=number_text(d.employees)
        )
        self.title.setText(_("Penilaian kinerja {year} · {count}").format(year=d.year, count=count))
        if d.due:
            self.due_label.setText(
                "\n".join(
                    _("{period}: {n} belum final (batas {deadline})").format(
                        period=x.label, n=x.not_final, deadline=date_words(x.deadline)
                    )
                    for x in d.due
                )
            )
        else:
            self.due_label.setText(_("Tidak ada yang jatuh tempo."))
        if d.overdue:
            self.overdue_label.setText(
                "\n".join(_("{period}: {n} belum final").format(period=x.label, n=x.not_final) for x in d.overdue)
            )
            self.overdue_label.setStyleSheet(f"color: {error_text().name()}")
        else:
            self.overdue_label.setText(_("Tidak ada."))
            self.overdue_label.setStyleSheet("")
        c = d.skp_counts
        self.skp_label.setText(
            _("Disepakati: {a}\nDraf: {d}\nBelum dibuat: {b}").format(a=c["agreed"], d=c["draft"], b=c["belum"])
        )
        counts, label = (d.predikat_annual, _("Akhir {year} (final dan draf)").format(year=d.year))
        if not sum(counts.values()) and d.latest_label:
            counts, label = d.predikat_latest, d.latest_label
        lines = [label + ":"] + [f"{p.label}: {counts.get(p, 0)}" for p in Predikat]
        self.predikat_label.setText("\n".join(lines))


def _card_allowed(principal) -> bool:
    return allows(principal, "card.penilaian")


register_card(CardSpec("penilaian", PenilaianCard, _card_allowed, order=10))
