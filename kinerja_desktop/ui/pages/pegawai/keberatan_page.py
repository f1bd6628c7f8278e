"""Keberatan: the objections the signed-in person may see (theirs, on their ratings, to decide; HR all).

The atasan pejabat penilai decides here (``ui.dialogs.keberatan.DecideKeberatanDialog``);
anyone who sees a decided keberatan may save its Keputusan atas Keberatan as PDF.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QWidget

from kinerja_desktop import files
from kinerja_desktop.i18n import _
from kinerja_desktop.services.pegawai.decision_doc import keputusan_pdf
from kinerja_desktop.services.pegawai.keberatan import get
from kinerja_desktop.services.pegawai.mine import keberatan_rows
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.ui.context import AppContext
from kinerja_desktop.ui.dialogs.keberatan import DecideKeberatanDialog
from kinerja_desktop.ui.pages.base import Page
from kinerja_desktop.ui.pages.pegawai.page import CHANGES, _fill, _table


class KeberatanPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = self.page_layout(
            _("Keberatan"),
            _(
                "Keberatan atas hasil penilaian kinerja (PP 30/2019 Pasal 59): diajukan pegawai dalam batas waktu sejak "
                "membaca evaluasinya (bawaan 14 hari) dan diputus oleh atasan pejabat penilai; keputusannya final."
            ),
        )
        self.rows = []
        self.table = _table(
            [_("Pegawai"), _("Periode"), _("Predikat"), _("Diajukan"), _("Alasan"), _("Status"), _("Keputusan")],
            stretch=4,
        )
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.decide_button = QPushButton(_("Putuskan…"))
        self.print_button = QPushButton(_("Simpan Keputusan atas Keberatan…"))
        row.addWidget(self.decide_button)
        row.addWidget(self.print_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.decide_button.clicked.connect(self.decide)
        self.print_button.clicked.connect(self.save_decision)
        self.table.itemSelectionChanged.connect(self._buttons)
        ctx.bus.subscribe(CHANGES, self.refresh, owner=self)
        self._loaded = False
        self._buttons()

    def activated(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:

        principal = self.ctx.principal
        self.ctx.query(lambda s: keberatan_rows(s, principal), self._show, owner=self, key="keberatan")

    def _show(self, rows) -> None:
        self._loaded = True
        self.rows = rows
        _fill(
            self.table,
            [
                [
                    r.pegawai,
                    r.period,
                    r.predikat or "–",
                    r.lodged_on.strftime("%d-%m-%Y"),
                    r.reasons,
                    r.status,
                    r.decision or "–",
                ]
                for r in rows
            ],
        )
        self._buttons()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _buttons(self) -> None:
        line = self.selected()
        self.decide_button.setEnabled(bool(line and line.may_decide))
        self.print_button.setEnabled(bool(line and line.decision))

    def decide(self) -> None:

        line = self.selected()
        if line is None:
            return
        principal = self.ctx.principal
        self.ctx.query(
            lambda s: _detached(get(s, principal, line.keberatan_id), s),
            lambda got: DecideKeberatanDialog(self.ctx, got[0], got[1], self).exec(),
            owner=self,
        )

    def save_decision(self) -> None:

        line = self.selected()
        if line is None:
            return
        name, _f = QFileDialog.getSaveFileName(
            self, _("Simpan Keputusan atas Keberatan"), _("keputusan-keberatan.pdf"), _("PDF (*.pdf)")
        )
        if not name:
            return
        principal = self.ctx.principal

        def work(s):
            files.write_atomic(name, keputusan_pdf(s, principal, line.keberatan_id))
            return name

        self.ctx.query(
            work,
            lambda path: (
                self.ctx.window and self.ctx.window.flash(_("Keputusan tersimpan di {path}.").format(path=path))
            ),
            owner=self,
        )


def _detached(row, session):
    """The keberatan (detached from the session) and the ratings of the evaluation it objects to."""

    ev = session.get(Evaluation, row.evaluation_id)
    session.expunge(row)
    return row, (ev.rating_hasil_kerja, ev.rating_perilaku_kerja)
