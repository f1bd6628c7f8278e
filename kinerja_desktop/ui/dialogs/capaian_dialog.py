"""Setting (or recording) a unit's capaian kinerja organisasi for one period.

The leader of the organisation above sets it himself; admin kepegawaian records that
leader's decision, naming the leader and the reference of the decision. The unit's own
head cannot (the service refuses with the reason; the dialog says who may). The basis
follows the period: rencana aksi progress for a periodic period, the perjanjian kinerja
for Akhir.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.predikat import CapaianOrganisasi
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import PEJABAT_PENILAI
from kinerja_desktop.services.performance.capaian import (
    BASIS_LABELS,
    RECOMMENDATION_LABELS,
    CapaianDecision,
    authority,
    basis_for,
    own_capaian,
    set_capaian,
)
from kinerja_desktop.services.performance.periods import get_period, period_label
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.theme import MessageLabel
from kinerja_desktop.ui.widgets import form_layout, wrapped_label


@dataclass
class CapaianContext:
    """What the dialog shows, read in a worker."""

    unit_id: str
    unit_name: str
    period_id: str
    period_label: str
    basis_label: str
    deciders: list[tuple[str, str, str]]  # (kind "employee"/"kdh", id, label)
    authority_text: str
    current: dict | None  # the values set before, if any


def load_context(session, actor, unit_id: str, period_id: str) -> CapaianContext:
    """Everything the dialog needs (worker side)."""
    period = get_period(session, period_id)
    auth = authority(session, unit_id, date.today())
    deciders = [
        ("employee", e.id, f"{e.full_name} ({e.position.name if e.position else ''})".replace(" ()", ""))
        for e in auth.employees
    ]
    if auth.kepala_daerah is not None:
        deciders.append(
            ("kdh", auth.kepala_daerah.id, f"{auth.kepala_daerah.full_name} ({auth.kepala_daerah.jabatan})")
        )
    row = own_capaian(session, unit_id, period)
    current = None
    if row is not None:
        current = {
            "capaian": row.capaian,
            "basis_note": row.basis_note,
            "source": row.recommendation_source,
            "recommended": row.recommended_capaian,
            "reference": row.decision_reference,
            "decider": row.decider_employee_id or row.decider_kepala_daerah_id,
            "decided_on": row.decided_on,
            "hlc": row.updated_hlc,
        }
    return CapaianContext(
        unit_id,
        auth.unit.name,
        period.id,
        period_label(period),
        _(BASIS_LABELS[basis_for(period)]),
        deciders,
        auth.describe(),
        current,
    )


class CapaianDialog(QDialog):
    # long: builds the widgets top to bottom, one field or button a line
    def __init__(self, ctx, data: CapaianContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.data = ctx, data
        self.saved = False
        self.setWindowTitle(_("Capaian kinerja organisasi"))
        self.setMinimumWidth(560)
        box = QVBoxLayout(self)
        box.addWidget(
            wrapped_label(
                _(
                    "<b>{unit}</b>, periode {period}. Ditetapkan oleh pimpinan organisasi di "
                    "atasnya ({who}); tidak oleh kepala unit itu sendiri."
                ).format(unit=data.unit_name, period=data.period_label, who=data.authority_text)
            )
        )
        form = form_layout()
        self.value = QComboBox()
        for c in CapaianOrganisasi:
            self.value.addItem(c.label, c.value)
        form.addRow(_("Capaian"), self.value)
        form.addRow(_("Dasar"), QLabel(data.basis_label))
        self.basis_note = QPlainTextEdit()
        self.basis_note.setPlaceholderText(_("Misalnya: 8 dari 10 rencana aksi berjalan sesuai jadwal"))
        self.basis_note.setFixedHeight(64)
        form.addRow(_("Keterangan dasar"), self.basis_note)
        self.source = QComboBox()
        for key, label in RECOMMENDATION_LABELS.items():
            self.source.addItem(_(label), key)
        self.recommended = QComboBox()
        for c in CapaianOrganisasi:
            self.recommended.addItem(c.label, c.value)
        form.addRow(_("Rekomendasi dari"), self.source)
        form.addRow(_("Rekomendasi capaian"), self.recommended)
        self.own = ctx.principal.role == PEJABAT_PENILAI
        self.decider = QComboBox()
        for kind, ident, label in data.deciders:
            self.decider.addItem(label, (kind, ident))
        self.decider.setEnabled(not self.own)
        if self.own:
            self.decider.clear()
            self.decider.addItem(_("Anda sendiri"), ("employee", ctx.principal.employee_id))
        form.addRow(_("Ditetapkan oleh"), self.decider)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText(_("Nomor dan tanggal surat/keputusan pimpinan"))
        self.reference.setMaxLength(120)
        form.addRow(_("Nomor keputusan"), self.reference)
        self.decided_on = QDateEdit(QDate.currentDate())
        self.decided_on.setCalendarPopup(True)
        self.decided_on.setDisplayFormat("dd-MM-yyyy")
        form.addRow(_("Tanggal keputusan"), self.decided_on)
        box.addLayout(form)
        self.message = MessageLabel(self)
        box.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Simpan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Batal"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.source.currentIndexChanged.connect(self._source_changed)
        self._fill(data.current)
        self._source_changed()

    def _fill(self, current: dict | None) -> None:
        if not current:
            return
        self.value.setCurrentIndex(max(0, self.value.findData(current["capaian"])))
        self.basis_note.setPlainText(current["basis_note"] or "")
        self.source.setCurrentIndex(max(0, self.source.findData(current["source"] or "")))
        if current["recommended"]:
            self.recommended.setCurrentIndex(max(0, self.recommended.findData(current["recommended"])))
        self.reference.setText(current["reference"] or "")
        for i in range(self.decider.count()):
            if self.decider.itemData(i)[1] == current["decider"]:
                self.decider.setCurrentIndex(i)
        if current["decided_on"]:
            d = current["decided_on"]
            self.decided_on.setDate(QDate(d.year, d.month, d.day))

    def _source_changed(self) -> None:
        self.recommended.setEnabled(bool(self.source.currentData()))

    def decision(self) -> CapaianDecision:
        kind, ident = self.decider.currentData() or (None, None)
        d = self.decided_on.date()
        return CapaianDecision(
            capaian=self.value.currentData(),
            basis_note=self.basis_note.toPlainText(),
            recommendation_source=self.source.currentData() or "",
            recommended_capaian=self.recommended.currentData() if self.source.currentData() else None,
            decider_employee_id=ident if kind == "employee" and not self.own else None,
            decider_kepala_daerah_id=ident if kind == "kdh" else None,
            decision_reference=self.reference.text(),
            decided_on=date(d.year(), d.month(), d.day()),
        )

    def save(self) -> None:
        if not self.own and self.decider.count() == 0:
            self.message.show_message(
                _(
                    "Belum ada pimpinan berwenang yang tercatat untuk unit ini; lengkapi data "
                    "kepala unit induk atau kepala daerah lebih dulu."
                )
            )
            return
        principal, data, decision = self.ctx.principal, self.data, self.decision()
        expected = data.current["hlc"] if data.current else None

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                self.message.show_message(exc.message)
                return

            handle_exception(type(exc), exc, exc.__traceback__, self)

        def done(_row) -> None:
            self.saved = True
            self.accept()

        self.ctx.write(
            lambda s: set_capaian(s, principal, data.unit_id, data.period_id, decision, expected_hlc=expected),
            done,
            changes={"capaian", "evaluations"},
            on_error=failed,
            owner=self,
        )
