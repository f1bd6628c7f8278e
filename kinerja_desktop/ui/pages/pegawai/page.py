"""Kinerja Saya: the signed-in person's own SKP, realisasi and evaluations.

Everything is read through ``services.pegawai.mine`` (own record only, shared drafts only)
with ``ctx.query``; acknowledging, proposing, reporting and lodging a keberatan write with
``ctx.write`` from the dialogs of ``ui.dialogs.keberatan``. A pejabat penilai also sees the
proposals of their staff here and agrees or returns them.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from kinerja_desktop.i18n import _
from kinerja_desktop.services.pegawai.acknowledge import acknowledge
from kinerja_desktop.services.pegawai.mine import mine
from kinerja_desktop.services.pegawai.work import (
    confirm_dialog,
    decide_proposal,
    drafts_to_share,
    pending_proposals,
    reply_feedback,
    share_evaluation,
)
from kinerja_desktop.ui.context import AppContext, allows
from kinerja_desktop.ui.dialogs.keberatan import LodgeKeberatanDialog, ProposeDialog, RealisasiDialog
from kinerja_desktop.ui.pages.base import Page
from kinerja_desktop.ui.theme import scaled_font

CHANGES = {"evaluations", "keberatan", "skp"}


def _table(headers: list[str], stretch: int | None = None) -> QTableWidget:
    """A read-only table; ``stretch``: the column of long text that takes the width left and wraps
    (otherwise the last one), so no column is pushed out of sight."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeRowsToContents()


def _section(title: str) -> QLabel:
    label = QLabel(title)
    label.setFont(scaled_font(label, 1.15, bold=True))
    return label


class KinerjaSayaPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:  # noqa: PLR0915 (long: builds the widgets top to bottom, one field or button a line)
        super().__init__(ctx, parent)
        layout = self.page_layout(
            _("Kinerja Saya"),
            _(
                "SKP, realisasi dan evaluasi Anda sendiri. Evaluasi final dapat Anda nyatakan telah dibaca; sejak itu "
                "keberatan dapat diajukan dalam batas waktunya."
            ),
        )
        self.year_fn = lambda: date.today().year
        self.data = None
        self.skp_label = QLabel("")
        self.skp_label.setWordWrap(True)
        layout.addWidget(_section(_("SKP dan realisasi")))
        layout.addWidget(self.skp_label)
        self.iki_table = _table([_("RHK"), _("Indikator"), _("Target"), _("Realisasi yang Anda laporkan")], 0)
        layout.addWidget(self.iki_table, 2)
        row = QHBoxLayout()
        self.propose_button = QPushButton(_("Usulkan RHK/IKI…"))
        self.report_button = QPushButton(_("Laporkan realisasi…"))
        for button in (self.propose_button, self.report_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(_section(_("Umpan balik dan dialog kinerja")))
        self.note_table = _table([_("Tanggal"), _("Jenis"), _("Isi"), _("Tanggapan Anda")], 2)
        layout.addWidget(self.note_table, 1)
        row = QHBoxLayout()
        self.reply_button = QPushButton(_("Tanggapi umpan balik…"))
        self.held_button = QPushButton(_("Tandai dialog telah dilaksanakan"))
        for button in (self.reply_button, self.held_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(_section(_("Evaluasi kinerja")))
        self.ev_table = _table(
            [
                _("Periode"),
                _("Status"),
                _("Predikat"),
                _("Revisi"),
                _("Telah dibaca"),
                _("Batas keberatan"),
                _("Keberatan"),
            ]
        )
        layout.addWidget(self.ev_table, 2)
        row = QHBoxLayout()
        self.ack_button = QPushButton(_("Nyatakan telah membaca"))
        self.lodge_button = QPushButton(_("Ajukan keberatan…"))
        for button in (self.ack_button, self.lodge_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.proposal_title = _section(_("Usulan RHK/IKI dari staf Anda"))
        self.proposal_table = _table([_("Pegawai"), _("Diusulkan"), _("Usulan")], 2)
        row = QHBoxLayout()
        self.agree_button = QPushButton(_("Setujui"))
        self.return_button = QPushButton(_("Kembalikan dengan catatan…"))
        row.addWidget(self.agree_button)
        row.addWidget(self.return_button)
        row.addStretch(1)
        self.share_button = QPushButton(_("Bagikan draf evaluasi…"))
        row.addWidget(self.share_button)
        supervisor = allows(ctx.principal, "skp.decide_proposal")
        for widget in (
            self.proposal_title,
            self.proposal_table,
            self.agree_button,
            self.return_button,
            self.share_button,
        ):
            widget.setVisible(supervisor)
        layout.addWidget(self.proposal_title)
        layout.addWidget(self.proposal_table, 1)
        layout.addLayout(row)
        self.drafts = []
        self.share_button.clicked.connect(self.share_draft)
        self.propose_button.clicked.connect(self.propose)
        self.report_button.clicked.connect(self.report)
        self.ack_button.clicked.connect(self.acknowledge)
        self.lodge_button.clicked.connect(self.lodge)
        self.agree_button.clicked.connect(lambda: self.decide_proposal(True))
        self.return_button.clicked.connect(lambda: self.decide_proposal(False))
        self.ev_table.itemSelectionChanged.connect(self._buttons)
        self.note_table.itemSelectionChanged.connect(self._buttons)
        self.reply_button.clicked.connect(self.reply)
        self.held_button.clicked.connect(self.mark_held)
        ctx.bus.subscribe(CHANGES, self.refresh, owner=self)
        self._buttons()

    def activated(self) -> None:
        if self.data is None:
            self.refresh()

    def refresh(self) -> None:

        principal, year = self.ctx.principal, self.year_fn()
        self.ctx.query(
            lambda s: (mine(s, principal, year), pending_proposals(s, principal), drafts_to_share(s, principal)),
            self._show,
            owner=self,
            key="mine",
        )

    def _show(self, data) -> None:
        self.data, self.proposals, self.drafts = data
        d = self.data
        if d.skp_id is None:
            self.skp_label.setText(_("SKP tahun ini belum dibuat oleh pejabat penilai Anda."))
        else:
            status = (
                _("sudah disepakati") if d.skp_status == "agreed" else _("masih draf: Anda dapat mengusulkan RHK/IKI")
            )
            self.skp_label.setText(_("SKP {name}: {status}.").format(name=d.name, status=status))
        _fill(self.iki_table, [[i.rhk, i.indicator, i.target, i.reported or "–"] for i in d.ikis])
        _fill(
            self.ev_table,
            [
                [
                    e.period,
                    _("final") if e.status == "final" else _("draf (dibagikan)"),
                    e.predikat or "–",
                    str(e.revision_no),
                    e.acknowledged_on.strftime("%d-%m-%Y") if e.acknowledged_on else "–",
                    e.keberatan_due.strftime("%d-%m-%Y") if e.keberatan_due else "–",
                    e.keberatan or "–",
                ]
                for e in d.evaluations
            ],
        )
        kinds = {"umpan_balik": _("umpan balik"), "dialog": _("dialog kinerja")}
        _fill(self.note_table, [[n.day.strftime("%d-%m-%Y"), kinds[n.kind], n.text, n.answer or "–"] for n in d.notes])
        _fill(self.proposal_table, [[p.employee, p.proposed_on, p.summary] for p in self.proposals])
        self._buttons()

    def _selected_evaluation(self):
        rows = self.ev_table.selectionModel().selectedRows() if self.data else []
        return self.data.evaluations[rows[0].row()] if rows else None

    def _buttons(self) -> None:
        d = self.data
        ev = self._selected_evaluation()
        self.propose_button.setEnabled(bool(d and d.skp_id and d.skp_status == "draft"))
        self.report_button.setEnabled(bool(d and d.ikis))
        self.ack_button.setEnabled(bool(ev and ev.status == "final" and ev.acknowledged_on is None))
        self.lodge_button.setEnabled(bool(ev and ev.acknowledged_on and not ev.keberatan))
        note = self._selected_note()
        self.reply_button.setEnabled(bool(note and note.kind == "umpan_balik"))
        self.held_button.setEnabled(bool(note and note.kind == "dialog" and not note.answer))

    def _selected_note(self):
        rows = self.note_table.selectionModel().selectedRows() if self.data else []
        return self.data.notes[rows[0].row()] if rows else None

    def reply(self) -> None:

        note = self._selected_note()
        if note is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, _("Tanggapi umpan balik"), note.text)
        if not ok:
            return
        principal = self.ctx.principal
        self.ctx.write(
            lambda s: reply_feedback(s, principal, note.record_id, text).id, None, changes=CHANGES, owner=self
        )

    def mark_held(self) -> None:

        note = self._selected_note()
        if note is None:
            return
        principal = self.ctx.principal
        self.ctx.write(lambda s: confirm_dialog(s, principal, note.record_id).id, None, changes=CHANGES, owner=self)

    def propose(self) -> None:

        ProposeDialog(self.ctx, self.data.skp_id, self).exec()

    def report(self) -> None:

        RealisasiDialog(self.ctx, self.data.skp_id, self.data.ikis, self.data.periods, self).exec()

    def acknowledge(self) -> None:

        ev = self._selected_evaluation()
        if ev is None:
            return
        principal = self.ctx.principal
        self.ctx.write(lambda s: acknowledge(s, principal, ev.evaluation_id).id, None, changes=CHANGES, owner=self)

    def lodge(self) -> None:

        ev = self._selected_evaluation()
        if ev is None:
            return
        due = ev.keberatan_due.strftime("%d-%m-%Y") if ev.keberatan_due else "–"
        LodgeKeberatanDialog(self.ctx, ev.evaluation_id, ev.period, due, self).exec()

    def share_draft(self) -> None:
        """Let a staff member see a draft evaluation (chosen from the drafts not shared yet)."""

        if not self.drafts:
            self.ctx.window and self.ctx.window.flash(_("Tidak ada draf evaluasi staf yang belum dibagikan."))
            return
        labels = [f"{d.employee} — {d.period}" for d in self.drafts]
        choice, ok = QInputDialog.getItem(
            self, _("Bagikan draf evaluasi"), _("Draf yang dibagikan kepada pegawai:"), labels, 0, False
        )
        if not ok:
            return
        evaluation_id = self.drafts[labels.index(choice)].evaluation_id
        principal = self.ctx.principal
        self.ctx.write(lambda s: share_evaluation(s, principal, evaluation_id).id, None, changes=CHANGES, owner=self)

    def decide_proposal(self, agree: bool) -> None:

        rows = self.proposal_table.selectionModel().selectedRows()
        if not rows:
            return
        proposal_id = self.proposals[rows[0].row()].proposal_id
        note = ""
        if not agree:
            note, ok = QInputDialog.getMultiLineText(self, _("Kembalikan usulan"), _("Catatan untuk pegawai:"))
            if not ok:
                return
        principal = self.ctx.principal
        self.ctx.write(
            lambda s: decide_proposal(s, principal, proposal_id, agree=agree, note=note).id,
            None,
            changes=CHANGES,
            owner=self,
        )
