"""The "Distribusi predikat" tab of Penilaian Kinerja: one organisation, one period.

Shows the capaian kinerja organisasi of the period with who set it (basis,
recommendation, the deciding leader, the decision's reference), the distribution of the
**final** predikat of the head's subordinates against the curve, and the drafts apart
(with what the check would say if they became final as they stand). The leader above
(or HR recording the decision) sets the capaian here; the penetapan prints from here.
Every read and write goes through the operation layer (``ctx.query``/``ctx.write``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from kinerja_desktop.domain.distribution import RULES
from kinerja_desktop.domain.pengaduan import format_hours, format_percent
from kinerja_desktop.domain.predikat import CapaianOrganisasi, Predikat
from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.pengaduan.figures import unit_period_figures
from kinerja_desktop.services.performance.capaian import capaian_text, may_decide, own_capaian
from kinerja_desktop.services.performance.distribution_recap import all_recaps
from kinerja_desktop.services.performance.penetapan import penetapan_view
from kinerja_desktop.services.performance.periods import period_label
from kinerja_desktop.ui.dialogs.capaian_dialog import CapaianDialog, load_context
from kinerja_desktop.ui.dialogs.document_dialog import DocumentDialog
from kinerja_desktop.ui.pages.penilaian.chart import DistributionChart, percent_text
from kinerja_desktop.ui.theme import error_text, ok_text


def chart_limits(capaian: CapaianOrganisasi | None) -> dict:
    """Dashed lines for the single-predikat percentage rules of ``capaian``."""
    if capaian is None:
        return {}
    out = {}
    for rule in RULES[capaian]:
        if len(rule.group) == 1 and rule.op in ("at_most", "at_least"):
            out[rule.group[0]] = (rule.percent, "max" if rule.op == "at_most" else "min")
    return out


def load_recaps(session, principal, year: int, period_id: str | None) -> list[tuple]:
    """(recap, capaian in words, may the actor set it) of every organisation the actor may see."""

    out = []
    for r in all_recaps(session, principal, year, period_id=period_id):
        row = own_capaian(session, r.unit_id, r.period_id)
        out.append((r, capaian_text(session, row), may_decide(session, principal, r.unit_id)))
    return out


class DistributionTab(QWidget):
    def __init__(
        self, ctx, parent: QWidget | None = None
    ) -> None:  # long: builds the widgets top to bottom, one field or button a line
        super().__init__(parent)
        self.ctx = ctx
        self.year: int | None = None
        self.periods: list = []
        self.recaps: list[tuple] = []
        box = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Organisasi")))
        self.unit = QComboBox()
        self.unit.setObjectName("distributionUnit")
        self.unit.setMinimumContentsLength(30)
        self.unit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        row.addWidget(self.unit, 2)
        row.addWidget(QLabel(_("Periode")))
        self.period = QComboBox()
        self.period.setObjectName("distributionPeriod")
        row.addWidget(self.period, 1)
        self.capaian_button = QPushButton(_("Tetapkan capaian…"))
        self.capaian_button.setToolTip(
            _("Tetapkan (atau catat keputusan pimpinan tentang) capaian kinerja organisasi periode ini")
        )
        self.penetapan_button = QPushButton(_("Cetak penetapan…"))
        self.penetapan_button.setToolTip(_("Penetapan capaian kinerja organisasi dan distribusi predikat (Ctrl+P)"))
        row.addWidget(self.capaian_button)
        row.addWidget(self.penetapan_button)
        box.addLayout(row)
        self.capaian_label = QLabel()
        self.capaian_label.setObjectName("capaianLabel")
        self.capaian_label.setWordWrap(True)
        self.capaian_label.setTextFormat(Qt.TextFormat.RichText)
        box.addWidget(self.capaian_label)
        split = QHBoxLayout()
        self.chart = DistributionChart()
        split.addWidget(self.chart, 3)
        side = QWidget()
        side_box = QVBoxLayout(side)
        side_box.setContentsMargins(8, 0, 0, 0)
        self.counts_label = QLabel()
        self.rules_label = QLabel()
        self.rules_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label = QLabel()
        self.drafts_label = QLabel()
        self.drafts_label.setObjectName("draftsLabel")
        # The unit's public complaints in the same period (service performance, beside the predikat).
        self.complaints_label = QLabel()
        self.complaints_label.setObjectName("distributionComplaints")
        for w in (self.counts_label, self.rules_label, self.summary_label, self.drafts_label, self.complaints_label):
            w.setWordWrap(True)
            side_box.addWidget(w)
        side_box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(side)
        scroll.setMinimumWidth(380)
        split.addWidget(scroll, 2)
        box.addLayout(split, 1)
        self.unit.currentIndexChanged.connect(lambda _i: self.show_current())
        self.period.currentIndexChanged.connect(lambda _i: self.load())
        self.capaian_button.clicked.connect(self.set_capaian)
        self.penetapan_button.clicked.connect(self.print_penetapan)
        QShortcut(QKeySequence("Ctrl+P"), self, activated=self.print_penetapan)
        ctx.bus.subscribe({"capaian", "evaluations"}, self.load, owner=self)

    # -- loading ------------------------------------------------------------------------------
    def set_year(self, year: int | None, periods: list) -> None:
        """The page's year and its periods (Akhir listed first)."""

        self.year, self.periods = year, periods
        keep = self.period.currentData()
        self.period.blockSignals(True)
        self.period.clear()
        for p in [p for p in periods if p.is_annual] + [p for p in periods if not p.is_annual]:
            self.period.addItem(period_label(p), p.id)
        index = self.period.findData(keep)
        self.period.setCurrentIndex(index if index >= 0 else 0)
        self.period.blockSignals(False)

    def load(self) -> None:
        if self.year is None or self.period.currentData() is None:
            return
        principal, year, period_id = self.ctx.principal, self.year, self.period.currentData()
        self.ctx.query(
            lambda s: load_recaps(s, principal, year, period_id), self._loaded, owner=self, key="penilaian-distribution"
        )

    def _loaded(self, recaps: list[tuple]) -> None:
        keep = self.unit.currentData()
        self.recaps = recaps
        self.unit.blockSignals(True)
        self.unit.clear()
        for r, _text, _may in recaps:
            self.unit.addItem(_("{unit} ({n} pegawai)").format(unit=r.unit_name, n=number_text(r.headcount)), r.unit_id)
        index = self.unit.findData(keep)
        self.unit.setCurrentIndex(index if index >= 0 else 0)
        self.unit.blockSignals(False)
        self.show_current()

    def current(self) -> tuple | None:
        i = self.unit.currentIndex()
        return self.recaps[i] if 0 <= i < len(self.recaps) else None

    # -- showing ------------------------------------------------------------------------------
    def show_current(self) -> None:
        item = self.current()
        self.capaian_button.setEnabled(bool(item and item[2]))
        self.penetapan_button.setEnabled(bool(item and item[0].capaian is not None))
        if item is None:
            self.chart.set_data({})
            for w in (
                self.capaian_label,
                self.counts_label,
                self.rules_label,
                self.summary_label,
                self.drafts_label,
                self.complaints_label,
            ):
                w.setText("")
            self.capaian_label.setText(_("Tidak ada organisasi yang dapat Anda lihat distribusinya."))
            return
        r, capaian_text, _may = item
        self.chart.set_data(r.counts, chart_limits(r.capaian))
        heads = ", ".join(r.head_names) or _("belum tercatat")
        self.capaian_label.setText(
            _("Capaian kinerja organisasi <b>{unit}</b>, {period}: {text}").format(
                unit=r.unit_name, period=r.period_label, text=capaian_text
            )
        )
        pct = r.percentages()
        parts = [f"{p.label}: {r.counts[p]} ({percent_text(pct[p])})" for p in Predikat]
        self.counts_label.setText(
            _(
                "Evaluasi final: {final} dari {heads} pegawai di bawah kepala organisasi ({head}; tidak dihitung)."
            ).format(final=number_text(r.final), heads=number_text(r.headcount), head=heads)
            + "\n"
            + "\n".join(parts)
        )
        if r.report is not None and r.final:
            ok, bad = ok_text().name(), error_text().name()
            lines = []
            for rule in r.report.rules:
                mark = f"<span style='color:{ok}'>✓</span>" if rule.ok else f"<span style='color:{bad}'>✗</span>"
                lines.append(
                    _("{mark} {rule} (saat ini {actual})").format(mark=mark, rule=rule.text, actual=rule.actual_text())
                )
            self.rules_label.setText("<br>".join(lines))
        else:
            self.rules_label.setText("")
        self.summary_label.setText(r.summary_text() if r.final or r.report is None else _("Belum ada evaluasi final."))
        if r.drafts:
            drafts = ", ".join(f"{p.label} {n}" for p, n in r.draft_counts.items() if n)
            projected = ""
            if r.projected is not None:
                projected = " " + (
                    _("Bila semua draf difinalkan seperti sekarang, distribusi sesuai pola.")
                    if r.projected.ok
                    else _("Bila semua draf difinalkan seperti sekarang, masih ada ketentuan yang belum terpenuhi.")
                )
            self.drafts_label.setText(
                _("Draf (tidak dihitung pada dokumen): {n} — {drafts}.").format(n=r.drafts, drafts=drafts) + projected
            )
        else:
            self.drafts_label.setText(_("Tidak ada draf."))
        self._show_complaints(r)

    def _show_complaints(self, r) -> None:
        principal, period_id = self.ctx.principal, r.period_id

        def show(f) -> None:
            if not (f.handled or f.open_overdue or f.responded):
                self.complaints_label.setText(_("Pengaduan masyarakat: tidak ada pada periode ini."))
                return
            self.complaints_label.setText(
                _(
                    "Pengaduan masyarakat: {handled} ditangani, {pct} tepat waktu, {late} "
                    "terbuka lewat batas, median tanggapan pertama {median}."
                ).format(
                    handled=f.handled,
                    pct=format_percent(f.on_time_share),
                    late=f.open_overdue,
                    median=format_hours(f.median_response_hours),
                )
            )

        self.complaints_label.setText("")
        self.ctx.query(
            lambda s: unit_period_figures(s, principal, r.unit_id, period_id, r.year),
            show,
            owner=self,
            key="penilaian-complaints",
        )

    # -- actions ------------------------------------------------------------------------------
    def set_capaian(self) -> None:

        item = self.current()
        if item is None:
            return
        principal, unit_id, period_id = self.ctx.principal, item[0].unit_id, item[0].period_id

        def show(data) -> None:
            CapaianDialog(self.ctx, data, self).exec()

        self.ctx.query(lambda s: load_context(s, principal, unit_id, period_id), show, owner=self, key="capaian-dialog")

    def print_penetapan(self):

        item = self.current()
        if item is None or item[0].capaian is None:
            return None

        principal, unit_id, period_id = self.ctx.principal, item[0].unit_id, item[0].period_id
        dialog = DocumentDialog(
            self.ctx,
            _("Penetapan capaian dan distribusi predikat"),
            lambda s: penetapan_view(s, principal, unit_id, period_id),
            f"penetapan-{item[0].unit_name}-{item[0].period_label}.pdf".replace(" ", "-"),
            self,
        )
        dialog.show()
        return dialog
