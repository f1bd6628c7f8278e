"""Recording a complaint (the register's form) and moving one a step (with its reason)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain import pengaduan as rules
from kinerja_desktop.i18n import _
from kinerja_desktop.services.pengaduan.access import unit_people
from kinerja_desktop.services.pengaduan.cases import ComplaintInput, ComplaintRefused, create_complaint, now_wib
from kinerja_desktop.services.pengaduan.catalog import list_services
from kinerja_desktop.ui.theme import MessageLabel
from kinerja_desktop.ui.widgets import FieldWithMessage, form_layout, wrapped_label


def _to_datetime(q: QDateTime) -> datetime:
    d, t = q.date(), q.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def _now_edit() -> QDateTimeEdit:

    now = now_wib()
    edit = QDateTimeEdit(QDateTime(now.year, now.month, now.day, now.hour, now.minute, 0))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd-MM-yyyy HH:mm")
    return edit


class ComplaintDialog(QDialog):
    """Catat pengaduan: channel, reference, time received, service, what happened, contact, ASN."""

    # long: builds the widgets top to bottom, one field or button a line
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Catat pengaduan"))
        self.setObjectName("complaintDialog")
        self.resize(620, 620)
        layout = QVBoxLayout(self)
        form = form_layout()
        self.channel = QComboBox()
        for code, label in rules.CHANNELS.items():
            if code != "web":
                self.channel.addItem(_(label), code)
        self.ref = QLineEdit()
        self.ref.setMaxLength(rules.MAX_REF)
        self.ref.setPlaceholderText(_("Tracking ID SP4N-LAPOR!, nomor surat… (boleh kosong)"))
        self.received = _now_edit()
        self.service = QComboBox()
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText(_("Apa yang terjadi, kapan, di mana"))
        self.description.setMaximumHeight(160)
        self.location = QLineEdit()
        self.location.setMaxLength(rules.MAX_LOCATION)
        self.contact = QLineEdit()
        self.contact.setMaxLength(rules.MAX_CONTACT)
        self.contact.setPlaceholderText(_("Satu nomor telepon atau e-mail untuk menjawab"))
        self.contact_name = QLineEdit()
        self.contact_name.setMaxLength(rules.MAX_NAME)
        self.contact_name.setPlaceholderText(_("Boleh kosong"))
        self.assignee = QComboBox()
        self.fields = {
            "channel": FieldWithMessage(self.channel),
            "channel_ref": FieldWithMessage(self.ref),
            "received_at": FieldWithMessage(self.received),
            "service_id": FieldWithMessage(self.service),
            "description": FieldWithMessage(self.description),
            "location": FieldWithMessage(self.location),
            "contact": FieldWithMessage(self.contact),
            "contact_name": FieldWithMessage(self.contact_name),
            "assignee_id": FieldWithMessage(self.assignee),
        }
        for label, key in (
            (_("Saluran"), "channel"),
            (_("Nomor rujukan"), "channel_ref"),
            (_("Diterima"), "received_at"),
            (_("Layanan"), "service_id"),
            (_("Uraian"), "description"),
            (_("Lokasi"), "location"),
            (_("Kontak pelapor"), "contact"),
            (_("Nama pelapor"), "contact_name"),
            (_("Ditugaskan kepada"), "assignee_id"),
        ):
            form.addRow(label, self.fields[key])
        layout.addLayout(form)
        layout.addWidget(
            wrapped_label(
                _(
                    "Simpan kontak sesedikit mungkin (UU PDP): cukup satu nomor atau e-mail "
                    "untuk menjawab. Kontak tidak dicetak utuh dan tidak diekspor."
                )
            )
        )
        self.message = MessageLabel()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Simpan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Batal"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.saved_id: str | None = None
        self.saved_number = ""
        self.service.currentIndexChanged.connect(lambda _i: self._load_people())
        self._load_services()

    def _load_services(self) -> None:

        def fill(rows) -> None:
            self.service.clear()
            for r in rows:
                self.service.addItem(f"{r.name} — {r.unit_name}", (r.id, r.unit_id))
            if not rows:
                self.fields["service_id"].set_error(_("Belum ada layanan di katalog; tambahkan di tab Layanan."))

        self.ctx.query(lambda s: list_services(s, active_only=True), fill, owner=self, key="pengaduan-services")

    def _load_people(self) -> None:

        data = self.service.currentData()
        if not data:
            return
        principal = self.ctx.principal

        def fill(people) -> None:
            self.assignee.clear()
            self.assignee.addItem(_("(belum ditugaskan)"), None)
            for eid, label in people:
                self.assignee.addItem(label, eid)

        self.ctx.query(lambda s: unit_people(s, principal, data[1]), fill, owner=self, key="pengaduan-people")

    def form(self):

        data = self.service.currentData()
        return ComplaintInput(
            channel=self.channel.currentData(),
            description=self.description.toPlainText(),
            service_id=data[0] if data else None,
            unit_id=data[1] if data else None,
            received_at=_to_datetime(self.received.dateTime()),
            location=self.location.text(),
            contact_name=self.contact_name.text(),
            contact=self.contact.text(),
            channel_ref=self.ref.text(),
            assignee_id=self.assignee.currentData(),
        )

    def save(self) -> None:

        for f in self.fields.values():
            f.set_error(None)
        principal, data = self.ctx.principal, self.form()

        def done(result) -> None:
            self.saved_id, self.saved_number = result
            self.accept()

        def failed(exc) -> None:
            if isinstance(exc, ComplaintRefused) and exc.field in self.fields:
                self.fields[exc.field].set_error(exc.message)
            self.message.show_message(getattr(exc, "message", str(exc)))

        def write(s):
            row = create_complaint(s, principal, data)
            return row.id, row.number

        self.ctx.write(write, done, changes={"complaints"}, on_error=failed, owner=self)


class StepDialog(QDialog):
    """One step: its time, and the reason (ditolak/dialihkan), the answer (selesai) or a note."""

    def __init__(self, number: str, target: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self.setWindowTitle(_("{number}: {state}").format(number=number, state=rules.state_label(target)))
        self.resize(520, 340)
        layout = QVBoxLayout(self)
        form = form_layout()
        self.at = _now_edit()
        form.addRow(_("Waktu"), self.at)
        self.forwarded = QLineEdit()
        self.forwarded.setMaxLength(200)
        if target == rules.DIALIHKAN:
            form.addRow(_("Dialihkan ke"), self.forwarded)
        self.note = QPlainTextEdit()
        label = {
            rules.SELESAI: _("Jawaban kepada pelapor"),
            rules.DITOLAK: _("Alasan ditolak"),
            rules.DIALIHKAN: _("Alasan dialihkan"),
        }.get(target, _("Catatan (boleh kosong)"))
        form.addRow(label, self.note)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(rules.state_label(target))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Batal"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.note.setFocus(Qt.FocusReason.OtherFocusReason)

    def values(self) -> dict:
        return {
            "at": _to_datetime(self.at.dateTime()),
            "note": self.note.toPlainText(),
            "forwarded_to": self.forwarded.text(),
            "resolution": self.note.toPlainText() if self.target == rules.SELESAI else "",
        }
