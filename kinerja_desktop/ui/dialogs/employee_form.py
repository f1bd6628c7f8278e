"""The employee form: inline validation under each field, searchable unit and supervisor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.golongan import PNS_GOLONGAN, PPPK_GOLONGAN
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.roster.employees import (
    EmployeeInput,
    ValidationError,
    create_employee,
    get_employee,
    input_from_employee,
    position_names,
    update_employee,
    validate_employee,
)
from kinerja_desktop.services.roster.query import employee_row, search_employees, unit_tree
from kinerja_desktop.ui.operations import save_dialog
from kinerja_desktop.ui.pickers import EmployeePicker, UnitPicker, find_unit, unit_label
from kinerja_desktop.ui.theme import MessageLabel
from kinerja_desktop.ui.unit_source import UnitSource
from kinerja_desktop.ui.widgets import Debounce, FieldWithMessage, form_layout

FIELDS = (
    "nip",
    "front_title",
    "name",
    "back_title",
    "status",
    "gender",
    "birth_date",
    "golongan",
    "position_name",
    "unit_id",
    "supervisor_id",
    "supervisor_manual",
    "active",
)


class EmployeeForm(QDialog):
    """Add (``employee_id`` None) or edit an employee. ``saved_id`` is set after saving."""

    def __init__(  # noqa: PLR0915 (long: builds the widgets top to bottom, one field or button a line)
        self,
        ctx,
        employee_id: str | None = None,
        *,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)

        self.ctx = ctx
        self.employee_id = employee_id
        self.read_only = read_only
        self.saved_id: str | None = None
        self.expected_hlc: str | None = None
        self.touched: set[str] = set()
        self.errors: dict[str, str] = {}
        self.setWindowTitle(_("Tambah pegawai") if employee_id is None else _("Data pegawai"))

        self.units = UnitSource(ctx, self)
        #: False until the employee being edited has been read (saving waits for it).
        self.loaded = employee_id is None

        outer = QVBoxLayout(self)
        form = form_layout()
        outer.addLayout(form)
        outer.addStretch(1)

        self.nip = QLineEdit()
        self.nip.setPlaceholderText(_("18 digit, mis. 198609262015051001"))
        self.nip.setMaxLength(30)
        self.front_title = QLineEdit()
        self.front_title.setPlaceholderText(_("mis. dr., Ir., Drs."))
        self.name = QLineEdit()
        self.back_title = QLineEdit()
        self.back_title.setPlaceholderText(_("mis. S.Kom, M.Kes"))
        self.status = QComboBox()
        self.status.addItem(_("(sesuai NIP)"), None)
        self.status.addItem("PNS", "PNS")
        self.status.addItem("PPPK", "PPPK")
        self.gender = QComboBox()
        self.gender.addItem(_("(sesuai NIP)"), None)
        self.gender.addItem(_("Laki-laki"), "L")
        self.gender.addItem(_("Perempuan"), "P")
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText(_("(sesuai NIP) mis. 26-09-1986"))
        self.golongan = QComboBox()
        self.golongan.setEditable(True)
        self.golongan.addItem("")
        self.golongan.addItems(list(PNS_GOLONGAN) + list(PPPK_GOLONGAN))
        self.golongan.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.position = QLineEdit()
        completer = QCompleter([], self.position)
        ctx.query(position_names, lambda names: completer.model().setStringList(names), owner=self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.position.setCompleter(completer)
        self.unit = UnitPicker(self.units, all_text=_("(belum dipilih)"))
        principal = ctx.principal
        self.supervisor = EmployeePicker(ctx.runner, lambda s, text: search_employees(s, principal, text))
        self.supervisor_manual = QCheckBox(_("Ditetapkan manual: impor berikutnya tidak mengubah atasan ini"))
        self.supervisor_manual.setToolTip(
            _(
                "Tercentang sendiri saat atasan dipilih di sini. Kosongkan agar impor (misalnya unduhan SIASN) kembali "
                "menentukan pejabat penilai dari unit dan jabatan."
            )
        )
        self.active = QCheckBox(_("Pegawai aktif"))
        self.active.setChecked(True)

        self.rows: dict[str, FieldWithMessage] = {}
        for key, label, widget in (
            ("nip", _("NIP / NI PPPK"), self.nip),
            ("front_title", _("Gelar depan"), self.front_title),
            ("name", _("Nama (tanpa gelar)"), self.name),
            ("back_title", _("Gelar belakang"), self.back_title),
            ("status", _("Status"), self.status),
            ("gender", _("Jenis kelamin"), self.gender),
            ("birth_date", _("Tanggal lahir"), self.birth_date),
            ("golongan", _("Golongan"), self.golongan),
            ("position_name", _("Nama jabatan"), self.position),
            ("unit_id", _("Unit kerja"), self.unit),
            ("supervisor_id", _("Atasan langsung"), self.supervisor),
            ("supervisor_manual", "", self.supervisor_manual),
            ("active", "", self.active),
        ):
            row = FieldWithMessage(widget)
            row.setObjectName(f"field_{key}")
            self.rows[key] = row
            form.addRow(label, row)

        self.form_error = MessageLabel(self)
        outer.addWidget(self.form_error)
        self.buttons = QDialogButtonBox()
        if read_only:
            close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
            close.setText(_("Tutup"))
        else:
            self.save_button = self.buttons.addButton(_("Simpan"), QDialogButtonBox.ButtonRole.AcceptRole)
            self.save_button.setDefault(True)
            self.save_button.setEnabled(self.loaded)
            cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            cancel.setText(_("Batal"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        if employee_id is not None:
            self._load(employee_id)
        if read_only:
            for key in FIELDS:
                self.rows[key].field.setEnabled(False)

        self.revalidate = Debounce(self.validate, 400, self)
        for key, widget in (
            ("nip", self.nip),
            ("front_title", self.front_title),
            ("name", self.name),
            ("back_title", self.back_title),
            ("birth_date", self.birth_date),
            ("position_name", self.position),
        ):
            widget.textEdited.connect(lambda _t, k=key: self._changed(k))
            widget.editingFinished.connect(lambda k=key: self._left(k))
        self.status.currentIndexChanged.connect(lambda _i: self._left("status"))
        self.gender.currentIndexChanged.connect(lambda _i: self._left("gender"))
        self.golongan.currentTextChanged.connect(lambda _t: self._changed("golongan"))
        self.golongan.lineEdit().editingFinished.connect(lambda: self._left("golongan"))
        self.unit.changed.connect(lambda _u: self._left("unit_id"))
        self.supervisor.changed.connect(lambda _u: self._supervisor_picked())
        self.setMinimumWidth(640)
        self.resize(700, self.sizeHint().height())
        self.nip.setFocus()

    # -- loading and reading the fields --------------------------------------------------
    def _load(self, employee_id: str) -> None:

        principal = self.ctx.principal

        def read(s):
            emp = get_employee(s, principal, employee_id)
            supervisor_text = ""
            if emp.supervisor_id:
                sup = employee_row(s, principal, emp.supervisor_id)
                supervisor_text = EmployeePicker.label(sup) if sup else emp.supervisor.full_name
            return (
                input_from_employee(emp),
                emp.updated_hlc,
                supervisor_text,
                bool(emp.supervisor_manual),
                emp.full_name,
                unit_tree(s),
            )

        self.ctx.query(read, lambda got: self._fill(*got), owner=self)

    def _fill(self, data, expected_hlc, supervisor_text, supervisor_manual, full_name, units) -> None:
        self.expected_hlc = expected_hlc
        self.nip.setText(data.nip)
        self.front_title.setText(data.front_title)
        self.name.setText(data.name)
        self.back_title.setText(data.back_title)
        self.status.setCurrentIndex(max(0, self.status.findData(data.status)))
        self.gender.setCurrentIndex(max(0, self.gender.findData(data.gender)))
        self.birth_date.setText(data.birth_date.strftime("%d-%m-%Y") if data.birth_date else "")
        self.golongan.setCurrentText(data.golongan)
        self.position.setText(data.position_name)
        node = find_unit(units, data.unit_id)
        self.unit.set_unit(data.unit_id, unit_label(node) if node else None)
        self.supervisor.set_employee(data.supervisor_id, supervisor_text)
        self.supervisor_manual.setChecked(supervisor_manual)
        self.active.setChecked(data.active)
        self.setWindowTitle(
            _("Ubah data pegawai: {name}").format(name=full_name)
            if not self.read_only
            else _("Data pegawai: {name}").format(name=full_name)
        )
        self.loaded = True
        if not self.read_only:
            self.save_button.setEnabled(True)

    def input(self):

        return EmployeeInput(
            nip=self.nip.text(),
            name=self.name.text(),
            front_title=self.front_title.text(),
            back_title=self.back_title.text(),
            gender=self.gender.currentData(),
            birth_date=self.birth_date.text().strip() or None,  # the service reads typed dates
            status=self.status.currentData(),
            golongan=self.golongan.currentText(),
            position_name=self.position.text(),
            unit_id=self.unit.unit_id,
            supervisor_id=self.supervisor.employee_id,
            active=self.active.isChecked(),
            supervisor_manual=self.supervisor_manual.isChecked(),
        )

    def _supervisor_picked(self) -> None:
        """A supervisor chosen by hand is HR's own link: imports leave it alone."""
        self.supervisor_manual.setChecked(self.supervisor.employee_id is not None)
        self._left("supervisor_id")

    # -- validation ----------------------------------------------------------------------
    def _changed(self, key: str) -> None:
        # Checked as the person types (after a short pause), and again on leaving the field.
        self.touched.add(key)
        self.revalidate.trigger()

    def _left(self, key: str) -> None:
        self.touched.add(key)
        self.validate()

    def validate(self, *, all_fields: bool = False) -> None:
        """Run the service's checks (off the UI thread) and show each message under its field."""

        if self.read_only:
            return
        data, employee_id = self.input(), self.employee_id
        self.ctx.query(
            lambda s: validate_employee(s, data, employee_id=employee_id),
            lambda errors: self._validated(errors, all_fields),
            owner=self,
            key=f"validate-{id(self)}",
        )

    def _validated(self, errors: dict[str, str], all_fields: bool) -> None:
        self.errors = errors
        self._show(errors, all_fields)

    def _show(self, errors: dict[str, str], all_fields: bool) -> None:
        for key, row in self.rows.items():
            if all_fields or key in self.touched:
                row.set_error(errors.get(key))
            else:
                row.set_error(None)

    def save(self) -> None:
        """Check every field and save in one write; the form stays open on any error."""

        if not self.loaded:
            return
        self.touched.update(FIELDS)
        self.ctx.runner.cancel(f"validate-{id(self)}")  # the save's own check is the newest
        principal, employee_id, data, expected = self.ctx.principal, self.employee_id, self.input(), self.expected_hlc

        def write(s) -> str:
            if employee_id is None:
                return create_employee(s, principal, data).id
            return update_employee(s, principal, employee_id, data, expected_hlc=expected).id

        save_dialog(self.ctx, self, write, changes={"employees"}, on_saved=self._saved, on_user_error=self._refused)

    def _saved(self, employee_id: str) -> None:
        self.saved_id = employee_id

    def _refused(self, exc: UserError) -> bool:

        if not isinstance(exc, ValidationError):
            return False
        self.errors = exc.errors
        self._show(exc.errors, True)
        self.form_error.show_message(_("Periksa kembali isian yang ditandai."))
        self._focus_first_error()
        return True

    def _focus_first_error(self) -> None:
        for key in FIELDS:
            if key in self.errors:
                self.rows[key].field.setFocus()
                return
