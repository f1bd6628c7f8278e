"""The training record form (one person) and group entry (one activity, many participants).

Errors are shown as the service words them; warnings (more than 10 JP a day, an
overlapping activity) are shown in a question box, and the save goes ahead only when
the person confirms.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.errors import UserError
from kinerja_desktop.formatting import nip_text, number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.documents.evidence import safe_copy
from kinerja_desktop.services.roster.query import RosterFilter, employee_row, fetch_employees, search_employees
from kinerja_desktop.services.training import records as tr
from kinerja_desktop.services.training.catalog import list_types
from kinerja_desktop.services.training.records import (
    ActivityInput,
    NeedsConfirmation,
    certificate_path,
    check_certificate,
    create_group,
    get_record,
)
from kinerja_desktop.store.training import TrainingRecord
from kinerja_desktop.ui.open_files import open_with_system
from kinerja_desktop.ui.operations import save_dialog
from kinerja_desktop.ui.pickers import EmployeePicker, UnitPicker
from kinerja_desktop.ui.theme import MessageLabel
from kinerja_desktop.ui.training_tables import jp_text
from kinerja_desktop.ui.unit_source import UnitSource
from kinerja_desktop.ui.widgets import Throttle, form_layout, wrapped_label

ID_ROLE = Qt.ItemDataRole.UserRole + 1
DATE_FORMAT = "dd-MM-yyyy"


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def ask_to_confirm(parent: QWidget, message: str) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Periksa kembali"))
    box.setText(message)
    yes = box.addButton(_("Simpan juga"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Periksa dulu"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes)
    box.exec()
    return box.clickedButton() is yes


class ActivityFields(QWidget):
    """Title, type, organiser, dates and JP of an activity."""

    def __init__(self, types, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = form_layout()
        form.setContentsMargins(0, 0, 0, 0)
        self.setLayout(form)
        self.title = QLineEdit()
        self.title.setMaxLength(300)
        self.title.setPlaceholderText(_("mis. Pelatihan Teknis Pengelolaan Keuangan Daerah"))
        self.type = QComboBox()
        self.type.setMaxVisibleItems(20)
        for t in types:
            self.type.addItem(f"{t.code} — {t.name}", t.code)
        self.organiser = QLineEdit()
        self.organiser.setMaxLength(200)
        self.organiser.setPlaceholderText(_("mis. BPSDM Provinsi Jambi"))
        today = date.today()
        self.start = QDateEdit(_qdate(today))
        self.end = QDateEdit(_qdate(today))
        for d in (self.start, self.end):
            d.setCalendarPopup(True)
            d.setDisplayFormat(DATE_FORMAT)
        self.jp = QLineEdit()
        self.jp.setPlaceholderText(_("mis. 24 atau 2,5"))
        self.jp.setMaxLength(12)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel(_("sampai")))
        dates.addWidget(self.end)
        dates.addStretch(1)
        form.addRow(_("Nama kegiatan"), self.title)
        form.addRow(_("Jenis kegiatan"), self.type)
        form.addRow(_("Penyelenggara"), self.organiser)
        form.addRow(_("Tanggal"), dates)
        form.addRow(_("Jumlah JP"), self.jp)
        self.start.dateChanged.connect(self._start_moved)

    def _start_moved(self, value: QDate) -> None:
        if self.end.date() < value:
            self.end.setDate(value)

    def set_values(self, title: str, code: str, organiser: str, start: date, end: date, jp: str) -> None:
        self.title.setText(title)
        i = self.type.findData(code)
        if i < 0:
            self.type.addItem(code, code)
            i = self.type.count() - 1
        self.type.setCurrentIndex(i)
        self.organiser.setText(organiser)
        self.start.setDate(_qdate(start))
        self.end.setDate(_qdate(end))
        self.jp.setText(jp)

    def value(self, jp: str | None = None):

        return ActivityInput(
            self.title.text(),
            self.type.currentData() or "",
            _pydate(self.start.date()),
            _pydate(self.end.date()),
            self.jp.text() if jp is None else jp,
            organiser=self.organiser.text(),
        )

    def set_read_only(self, read_only: bool) -> None:
        for w in (self.title, self.organiser, self.jp):
            w.setReadOnly(read_only)
        for w in (self.type, self.start, self.end):
            w.setEnabled(not read_only)


class TrainingRecordDialog(QDialog):
    """Add one person's training, or open a record to change it (HR) or see it."""

    def __init__(
        self,
        ctx,
        record_id: str | None = None,
        *,
        employee_id: str | None = None,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)

        self.ctx = ctx
        self.record_id = record_id
        self.read_only = read_only
        self.saved = False
        self.certificate_file: Path | None = None
        self.remove_certificate = False
        self.setWindowTitle(_("Catatan pelatihan") if record_id else _("Tambah catatan pelatihan"))
        self.setMinimumWidth(620)
        self.loaded = False
        principal = ctx.principal

        def read(s):

            return (
                list_types(s),
                get_record(s, principal, record_id) if record_id else None,
                employee_row(s, principal, employee_id) if employee_id and not record_id else None,
            )

        ctx.query(read, lambda got: self._build(*got), owner=self)

    def _build(self, types, detail, row) -> None:  # noqa: PLR0915 (long: builds the widgets top to bottom, one field or button a line)

        ctx, read_only = self.ctx, self.read_only
        self.detail = detail
        outer = QVBoxLayout(self)
        form = form_layout()
        outer.addLayout(form)
        if self.detail is None:
            self.employee = EmployeePicker(ctx.runner, lambda s, text: search_employees(s, ctx.principal, text))
            if row is not None:
                self.employee.set_employee(row.id, EmployeePicker.label(row))
            form.addRow(_("Pegawai"), self.employee)
        else:
            r = self.detail.row
            self.employee = None
            form.addRow(_("Pegawai"), QLabel(f"{r.name} — {nip_text(r.nip)}"))
        self.fields = ActivityFields(types)
        outer.addWidget(self.fields)
        cert_form = form_layout()
        self.cert_number = QLineEdit()
        self.cert_number.setMaxLength(100)
        self.cert_number.setPlaceholderText(_("nomor pada sertifikat (boleh kosong)"))
        cert_form.addRow(_("Nomor sertifikat"), self.cert_number)
        file_row = QHBoxLayout()
        self.cert_label = QLabel(_("(belum ada berkas)"))
        self.cert_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton(_("Pilih berkas…"))
        self.choose_button.setToolTip(_("PDF, JPG atau PNG, paling besar 20 MB"))
        self.open_button = QPushButton(_("Buka"))
        self.drop_button = QPushButton(_("Lepas"))
        file_row.addWidget(self.cert_label, 1)
        for b in (self.choose_button, self.open_button, self.drop_button):
            file_row.addWidget(b)
        cert_form.addRow(_("Berkas sertifikat"), file_row)
        outer.addLayout(cert_form)
        self.note = wrapped_label("")
        self.note.setVisible(False)
        outer.addWidget(self.note)
        self.message = MessageLabel(self)
        outer.addWidget(self.message)
        outer.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Simpan"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Tutup") if read_only else _("Batal"))
        outer.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.choose_button.clicked.connect(self.choose_file)
        self.open_button.clicked.connect(self.open_certificate)
        self.drop_button.clicked.connect(self.drop_certificate)

        if self.detail is not None:
            r = self.detail.row
            self.fields.set_values(r.title, r.activity_code, r.organiser, r.start_date, r.end_date, jp_text(r.jp))
            self.cert_number.setText(r.certificate_number)
            if self.detail.certificate_name:
                self.cert_label.setText(self.detail.certificate_name)
            if r.participants > 1:
                self.note.setText(
                    _(
                        "Kegiatan ini diikuti {n} pegawai. Perubahan nama, jenis, penyelenggara dan "
                        "tanggal berlaku bagi semua peserta; JP di sini hanya JP pegawai ini."
                    ).format(n=r.participants)
                )
                self.note.setVisible(True)
        if read_only:
            self.fields.set_read_only(True)
            self.cert_number.setReadOnly(True)
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setVisible(False)
        self._update_file_buttons()
        self.loaded = True

    # -- the certificate file --------------------------------------------------------------
    def _has_stored(self) -> bool:
        return bool(self.detail and self.detail.row.has_certificate and not self.remove_certificate)

    def _update_file_buttons(self) -> None:
        self.choose_button.setVisible(not self.read_only)
        self.drop_button.setVisible(not self.read_only and (self.certificate_file is not None or self._has_stored()))
        self.open_button.setVisible(self._has_stored() and self.certificate_file is None)

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Pilih berkas sertifikat"), "", _("Sertifikat (*.pdf *.jpg *.jpeg *.png)")
        )
        if path:
            self.set_certificate_file(Path(path))

    def set_certificate_file(self, path: Path | None) -> None:

        if path is not None:
            try:
                check_certificate(path)
            except UserError as exc:
                self.message.show_message(exc.message, MessageLabel.ERROR)
                return
        self.certificate_file = path
        self.message.clear_message()
        self.cert_label.setText(path.name if path else _("(belum ada berkas)"))
        self._update_file_buttons()

    def drop_certificate(self) -> None:
        if self.certificate_file is not None:
            self.set_certificate_file(None)
            if self._has_stored():
                self.cert_label.setText(self.detail.certificate_name)
            return
        self.remove_certificate = True
        self.cert_label.setText(_("(berkas akan dilepas saat disimpan)"))
        self._update_file_buttons()

    def open_certificate(self, *, opener=None) -> None:
        """Open the certificate file: a private copy, checked again, under a name of ours (services.evidence)."""

        principal, record_id = self.ctx.principal, self.record_id

        def copy(s):
            path = certificate_path(s, principal, record_id)
            return safe_copy(path, s.get(TrainingRecord, record_id).certificate_media_type)

        self.ctx.query(
            copy, lambda path: open_with_system(path, self, opener=opener), owner=self, key="open-certificate"
        )

    # -- saving ------------------------------------------------------------------------------
    def _writer(self, confirm: bool):
        """The write as a function of the session, with the form's values read here (UI thread)."""

        p, number, file = self.ctx.principal, self.cert_number.text(), self.certificate_file
        if self.detail is None:
            employee_id = self.employee.employee_id if self.employee else None
            if not employee_id:
                raise UserError(_("Pilih pegawai dari daftar (ketik nama atau NIP)."))
            value = self.fields.value()
            return lambda s: tr.create_record(
                s, p, employee_id, value, certificate_number=number, certificate_file=file, confirm=confirm
            )
        r, detail, remove = self.detail.row, self.detail, self.remove_certificate
        shared = r.participants > 1
        typed_jp = self.fields.jp.text()
        activity = self.fields.value(jp=jp_text_of(detail.activity_jp) if shared else typed_jp)
        personal = typed_jp if shared and tr.clean_jp(typed_jp) != tr.clean_jp(str(r.jp)) else None

        def write(s) -> None:
            tr.update_activity(s, p, r.activity_id, activity, expected_hlc=detail.activity_hlc, confirm=confirm)
            tr.update_record(
                s,
                p,
                r.id,
                jp=personal,
                certificate_number=number,
                certificate_file=file,
                remove_certificate=remove,
                confirm=confirm,
            )

        return write

    def save(self, confirm: bool = False) -> None:
        if self.read_only or not self.loaded:
            return
        try:
            write = self._writer(confirm)
        except UserError as exc:
            self.message.show_message(exc.message, MessageLabel.ERROR)
            return
        save_dialog(
            self.ctx,
            self,
            write,
            changes={"training"},
            on_saved=lambda _r: setattr(self, "saved", True),
            on_user_error=lambda exc: _refused(self, exc, confirm),
        )


def _refused(dialog, exc: UserError, confirmed: bool) -> bool:
    """A refusal in the dialog's message line; a question (NeedsConfirmation) is asked and,
    when the person agrees, the save runs again confirmed."""

    if isinstance(exc, NeedsConfirmation):
        if not confirmed and ask_to_confirm(dialog, exc.message):
            dialog.save(confirm=True)
        return True
    dialog.message.show_message(exc.message, MessageLabel.ERROR)
    return True


def jp_text_of(value) -> str:

    return jp_text(value)


class ParticipantPicker(QWidget):
    """Pick many people from the roster: search (name or NIP) and a unit, then add."""

    LIMIT = 500

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.chosen: dict[str, str] = {}  # id -> label, in the order picked
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Cari nama atau NIP…"))
        self.search.setClearButtonEnabled(True)
        self.unit = UnitPicker(UnitSource(ctx, self), all_text=_("Semua unit kerja"))
        self.results = QListWidget()
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.results.setAccessibleName(_("Hasil pencarian pegawai"))
        self.found_label = QLabel("")
        left.addWidget(QLabel(_("Daftar pegawai")))
        left.addWidget(self.search)
        left.addWidget(self.unit)
        left.addWidget(self.results, 1)
        left.addWidget(self.found_label)
        middle = QVBoxLayout()
        middle.addStretch(1)
        self.add_button = QPushButton(_("Tambah →"))
        self.add_all_button = QPushButton(_("Tambah semua →"))
        self.remove_button = QPushButton(_("← Keluarkan"))
        for b in (self.add_button, self.add_all_button, self.remove_button):
            middle.addWidget(b)
        middle.addStretch(1)
        right = QVBoxLayout()
        self.count_label = QLabel(_("Peserta terpilih: 0"))
        self.selected = QListWidget()
        self.selected.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.selected.setAccessibleName(_("Peserta terpilih"))
        right.addWidget(self.count_label)
        right.addWidget(self.selected, 1)
        row.addLayout(left, 1)
        row.addLayout(middle)
        row.addLayout(right, 1)
        self.throttle = Throttle(self.run_search, 150, self)
        self.search.textChanged.connect(lambda _t: self.throttle.trigger())
        self.unit.changed.connect(lambda _u: self.run_search())
        self.add_button.clicked.connect(self.add_selected)
        self.add_all_button.clicked.connect(self.add_all)
        self.remove_button.clicked.connect(self.remove_selected)
        self.results.itemDoubleClicked.connect(lambda _i: self.add_selected())
        self.selected.itemDoubleClicked.connect(lambda _i: self.remove_selected())
        self.searching = False

    def run_search(self) -> None:

        flt = RosterFilter(text=self.search.text().strip(), unit_id=self.unit.unit_id, active=True)
        principal, limit = self.ctx.principal, self.LIMIT
        self.searching = True
        self.ctx.runner.submit(
            lambda s: fetch_employees(s, principal, flt, limit=limit),
            self._show,
            key=f"participants-{id(self)}",
            owner=self,
        )

    def _show(self, rows) -> None:
        self.searching = False
        self.results.clear()
        for r in rows:
            item = QListWidgetItem(f"{r.full_name} — {r.nip_grouped}")
            item.setData(ID_ROLE, r.id)
            item.setToolTip(f"{r.position_name}, {r.unit_name}")
            self.results.addItem(item)
        more = _(" (paling banyak {n}; persempit pencarian)").format(n=self.LIMIT) if len(rows) >= self.LIMIT else ""
        self.found_label.setText(_("{n} pegawai ditemukan").format(n=number_text(len(rows))) + more)

    def _add(self, items) -> None:
        for item in items:
            eid = item.data(ID_ROLE)
            if eid not in self.chosen:
                self.chosen[eid] = item.text()
                new = QListWidgetItem(item.text())
                new.setData(ID_ROLE, eid)
                self.selected.addItem(new)
        self._count()

    def add_selected(self) -> None:
        self._add(self.results.selectedItems())

    def add_all(self) -> None:
        self._add([self.results.item(i) for i in range(self.results.count())])

    def remove_selected(self) -> None:
        for item in self.selected.selectedItems():
            self.chosen.pop(item.data(ID_ROLE), None)
            self.selected.takeItem(self.selected.row(item))
        self._count()

    def _count(self) -> None:
        self.count_label.setText(_("Peserta terpilih: {n}").format(n=number_text(len(self.chosen))))

    def employee_ids(self) -> list[str]:
        return list(self.chosen)


class GroupEntryDialog(QDialog):
    """One activity for many participants picked from the roster."""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)

        self.ctx = ctx
        self.saved_count = 0
        self.setWindowTitle(_("Entri kelompok: satu kegiatan, banyak peserta"))
        self.resize(900, 640)
        self.loaded = False
        ctx.query(list_types, self._build, owner=self)

    def _build(self, types) -> None:
        ctx = self.ctx
        outer = QVBoxLayout(self)
        self.fields = ActivityFields(types)
        outer.addWidget(self.fields)
        self.picker = ParticipantPicker(ctx)
        outer.addWidget(self.picker, 1)
        self.message = MessageLabel(self)
        outer.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Simpan untuk semua peserta"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Batal"))
        outer.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.picker.run_search()
        self.loaded = True

    def save(self, confirm: bool = False) -> None:

        if not self.loaded:
            return
        principal, ids, value = self.ctx.principal, self.picker.employee_ids(), self.fields.value()
        save_dialog(
            self.ctx,
            self,
            lambda s: len(create_group(s, principal, ids, value, confirm=confirm).record_ids),
            changes={"training"},
            on_saved=lambda n: setattr(self, "saved_count", n),
            on_user_error=lambda exc: _refused(self, exc, confirm),
        )
