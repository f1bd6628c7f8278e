"""Dokumen: print, preview, sign and verify the official documents; batch export per unit.

A thin page over ``services.documents``: the document kinds come from its registry (an
employee's evaluation forms and SKP, a unit's recaps), the units offered are only those
of the signed-in person (``documents.units_for``), and everything (reading, rendering,
signing, recording) runs off the UI thread through the operation layer. Sign the
Pejabat Penilai block first, the employee's block second; save, print, open in the
system viewer (or be told there is none). Batch export of a unit runs in the background
with progress and cancel; *Verifikasi PDF…* checks any signed file.

Keys: Ctrl+Enter preview, Ctrl+Shift+S sign, Ctrl+S save, Ctrl+P print, Ctrl+Shift+V verify.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.errors import UserError
from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.batch import batch_filename
from kinerja_desktop.reports.certs import stored_certificates
from kinerja_desktop.reports.raster import page_images
from kinerja_desktop.reports.render import write_pdf
from kinerja_desktop.reports.signing import NameMismatch
from kinerja_desktop.services.documents import registry as documents
from kinerja_desktop.services.documents.batch import batch
from kinerja_desktop.services.documents.registry import UNIT_SUBJECT, DocumentRequest, kind, kinds, units_for
from kinerja_desktop.services.documents.registry import kind as kind_of
from kinerja_desktop.services.performance.periods import list_periods, period_code, period_label
from kinerja_desktop.services.roster.query import search_employees
from kinerja_desktop.ui.dialogs.sign_dialog import SignDialog, go_to_certificates
from kinerja_desktop.ui.dialogs.verify_dialog import VerifyDialog
from kinerja_desktop.ui.errors import handle_exception, show_user_error
from kinerja_desktop.ui.open_files import open_with_system
from kinerja_desktop.ui.pages.base import Page
from kinerja_desktop.ui.pdf_preview import PdfPreview, print_pdf, viewer_copy
from kinerja_desktop.ui.pickers import EmployeePicker, UnitPicker, find_unit
from kinerja_desktop.ui.progress import run_job

ROLE_PEJABAT, ROLE_PEGAWAI = "pejabat", "pegawai"
BATCH_KINDS = ("evaluasi", "evaluasi-rinci", "skp")
STATUS_LINES = 4


def render_preview(pdf: bytes, dpi: int = 110):

    return page_images(pdf, dpi)


def _status_label() -> QLabel:
    """A status line with room for a few lines, so the buttons above it never jump."""
    label = QLabel("")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setMinimumHeight(label.fontMetrics().lineSpacing() * STATUS_LINES + 4)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class DocumentsPage(Page):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.prepared = None
        self.pdf: bytes | None = None
        self.signed_roles: list[str] = []
        self.units: list = []
        self.have_certificates = True
        layout = self.page_layout(
            _("Dokumen"),
            _("Cetak, pratinjau, tandatangani dan verifikasi dokumen; ekspor massal per unit."),
        )
        split = QSplitter(Qt.Orientation.Horizontal)
        layout.addWidget(split, 1)
        column = QWidget()
        left = QVBoxLayout(column)
        left.setContentsMargins(0, 0, 6, 0)
        left.addWidget(self._single_box())
        left.addWidget(self._batch_box())
        self.verify_button = QPushButton(_("Verifikasi PDF…"))
        self.verify_button.setToolTip("Ctrl+Shift+V")
        self.verify_button.clicked.connect(lambda: self.open_verify())
        left.addWidget(self.verify_button)
        left.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(column)
        scroll.setMinimumWidth(420)
        split.addWidget(scroll)
        self.preview = PdfPreview()
        split.addWidget(self.preview)
        split.setStretchFactor(1, 1)
        split.setSizes([440, 820])
        self._shortcuts()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self._update_buttons()
        ctx.bus.subscribe({"documents", "certificates", "units", "evaluations", "skp"}, self.refresh, owner=self)

    # -- layout ---------------------------------------------------------------------------
    def _single_box(self) -> QGroupBox:  # long: builds the widgets top to bottom, one field or button a line

        box = QGroupBox(_("Satu dokumen"))
        v = QVBoxLayout(box)
        self.kind = QComboBox()
        for k in kinds():
            self.kind.addItem(_(k.title), k.code)
        v.addWidget(QLabel(_("Jenis dokumen")))
        v.addWidget(self.kind)
        principal = self.ctx.principal
        self.employee = EmployeePicker(self.ctx.runner, lambda s, text: search_employees(s, principal, text))
        self.unit_subject = UnitPicker(lambda: self.units, all_text=_("Pilih unit kerja…"))
        self.subject_label = QLabel(_("Pegawai"))
        self.subject = QStackedWidget()
        self.subject.addWidget(self.employee)
        self.subject.addWidget(self.unit_subject)
        self.subject.setFixedHeight(self.employee.sizeHint().height())
        v.addWidget(self.subject_label)
        v.addWidget(self.subject)
        row = QHBoxLayout()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.valueChanged.connect(self.load_periods)
        row.addWidget(QLabel(_("Tahun")))
        row.addWidget(self.year)
        self.period_label = QLabel(_("Periode"))
        self.period = QComboBox()
        row.addWidget(self.period_label)
        row.addWidget(self.period, 1)
        v.addLayout(row)
        first = QHBoxLayout()
        self.preview_button = QPushButton(_("Pratinjau"))
        self.preview_button.setToolTip("Ctrl+Enter")
        self.preview_button.clicked.connect(lambda: self.make_preview())
        self.sign_button = QPushButton(_("Tanda tangani…"))
        self.sign_button.setToolTip("Ctrl+Shift+S")
        self.sign_button.clicked.connect(lambda: self.sign())
        first.addWidget(self.preview_button)
        first.addWidget(self.sign_button)
        v.addLayout(first)
        second = QHBoxLayout()
        self.save_button = QPushButton(_("Simpan PDF…"))
        self.save_button.clicked.connect(lambda: self.save())
        self.print_button = QPushButton(_("Cetak…"))
        self.print_button.clicked.connect(lambda: self.print_document())
        self.open_button = QPushButton(_("Buka di penampil"))
        self.open_button.clicked.connect(lambda: self.open_viewer())
        for b in (self.save_button, self.print_button, self.open_button):
            second.addWidget(b)
        v.addLayout(second)
        self.certificate_hint = QHBoxLayout()
        self.no_certificate = QLabel(_("Belum ada sertifikat — buat permintaan di Pengaturan › Sertifikat."))
        self.no_certificate.setWordWrap(True)
        self.to_certificates = QPushButton(_("Buka"))
        self.to_certificates.clicked.connect(self.go_to_certificates)
        self.certificate_hint.addWidget(self.no_certificate, 1)
        self.certificate_hint.addWidget(self.to_certificates)
        v.addLayout(self.certificate_hint)
        self.status = _status_label()
        v.addWidget(self.status)
        return box

    def _batch_box(self) -> QGroupBox:

        box = QGroupBox(_("Ekspor massal satu unit"))
        v = QVBoxLayout(box)
        self.unit = UnitPicker(lambda: self.units, all_text=_("Pilih unit kerja…"))
        v.addWidget(self.unit)
        self.batch_form = QComboBox()
        for code in BATCH_KINDS:
            self.batch_form.addItem(_(kind_of(code).title), code)
        v.addWidget(self.batch_form)
        row = QHBoxLayout()
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(_("Folder tujuan"))
        browse = QPushButton(_("Pilih…"))
        browse.clicked.connect(lambda: self.choose_folder())
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        v.addLayout(row)
        self.batch_sign = QCheckBox(_("Tandatangani setiap dokumen (hanya yang final/disepakati)"))
        self.batch_combined = QCheckBox(_("Juga satu PDF gabungan untuk dicetak"))
        v.addWidget(self.batch_sign)
        v.addWidget(self.batch_combined)
        self.batch_button = QPushButton(_("Ekspor…"))
        self.batch_button.clicked.connect(lambda: self.export_batch())
        v.addWidget(self.batch_button)
        self.batch_status = _status_label()
        v.addWidget(self.batch_status)
        return box

    def _shortcuts(self) -> None:
        for keys, action in (
            ("Ctrl+Return", self.make_preview),
            ("Ctrl+Shift+S", self.sign),
            (QKeySequence.StandardKey.Save, self.save),
            (QKeySequence.StandardKey.Print, self.print_document),
            ("Ctrl+Shift+V", self.open_verify),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda a=action: a())

    # -- state ----------------------------------------------------------------------------
    def activated(self) -> None:
        if self.period.count() == 0:
            self.load_periods()
        self.refresh()

    def refresh(self) -> None:

        principal = self.ctx.principal
        self.ctx.query(lambda s: units_for(s, principal), self._set_units, owner=self, key="documents-units")
        self.ctx.query(lambda _s: bool(_stored()), self._set_certificates, owner=self, key="documents-certs")

    def _set_units(self, units) -> None:
        self.units = list(units)

    def _set_certificates(self, have: bool) -> None:
        self.have_certificates = have
        self.no_certificate.setVisible(not have)
        self.to_certificates.setVisible(not have and getattr(self.ctx, "window", None) is not None)

    def go_to_certificates(self) -> None:

        go_to_certificates(self.ctx)

    def load_periods(self) -> None:

        year = self.year.value()

        def fill(rows) -> None:
            current = self.period.currentData()
            self.period.clear()
            for code, label in rows:
                self.period.addItem(label, code)
            index = self.period.findData(current)
            self.period.setCurrentIndex(index if index >= 0 else max(0, self.period.findData("AKHIR")))

        self.ctx.query(
            lambda s: [(period_code(p), period_label(p)) for p in list_periods(s, year)],
            fill,
            owner=self,
            key="documents-periods",
        )

    def _kind_changed(self) -> None:

        k = kind(self.kind.currentData())
        unit = k.subject.code == UNIT_SUBJECT
        self.subject.setCurrentIndex(1 if unit else 0)
        self.subject_label.setText(_("Unit kerja") if unit else _("Pegawai"))
        periodic = k.code not in ("skp", "rekap-jp")
        self.period.setEnabled(periodic)
        self.period_label.setEnabled(periodic)

    def _update_buttons(self) -> None:
        have = self.pdf is not None
        for b in (self.save_button, self.print_button, self.open_button):
            b.setEnabled(have)
        roles = list(self.prepared.fields) if self.prepared is not None else []
        self.sign_button.setEnabled(have and len(self.signed_roles) < len(roles))

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self._say(exc.message)
            show_user_error(exc, self)
            return

        handle_exception(type(exc), exc, exc.__traceback__, self)

    def request(self):
        """The document asked for on screen, or None after saying what is missing."""

        k = kind(self.kind.currentData())
        subject = self.unit_subject.unit_id if k.subject.code == UNIT_SUBJECT else self.employee.employee_id
        if not subject:
            show_user_error(
                _("Pilih unit kerja lebih dulu.")
                if k.subject.code == UNIT_SUBJECT
                else _("Pilih pegawai lebih dulu (ketik nama atau NIP lalu pilih dari daftar)."),
                self,
            )
            return None
        period = self.period.currentData() if self.period.isEnabled() else None
        return DocumentRequest(k.code, subject, self.year.value(), period)

    # -- one document ---------------------------------------------------------------------
    def make_preview(self) -> None:

        request = self.request()
        if request is None:
            return
        principal = self.ctx.principal
        self._say(_("Menyiapkan pratinjau…"))

        def work(s):
            prepared = documents.prepare(s, principal, request)
            pdf = documents.render(prepared)
            return prepared, pdf, render_preview(pdf)

        self.ctx.query(work, self._show_unsigned, on_error=self._failed, owner=self, key="documents-preview")

    def _show_unsigned(self, result) -> None:
        self.prepared, pdf, images = result
        self.signed_roles = []
        self._show(pdf, images)
        text = _(
            "Pratinjau {pages} halaman; belum ditandatangani (kolom tanda tangan kosong untuk tanda tangan basah)."
        ).format(pages=len(images))
        if self.prepared.not_signable:
            text += " " + self.prepared.not_signable
        self._say(text)

    def _show(self, pdf: bytes, images) -> None:
        self.pdf = pdf
        self.preview.set_pdf(pdf, images)
        self._update_buttons()

    def sign(self, *, dialog_factory=None, confirm=None) -> None:
        """Sign the previewed document: the Pejabat Penilai block, then the employee's."""

        if self.pdf is None or self.prepared is None:
            return
        if self.prepared.not_signable:
            show_user_error(self.prepared.not_signable, self)
            return
        role = next(
            (r for r in (ROLE_PEJABAT, ROLE_PEGAWAI) if r in self.prepared.fields and r not in self.signed_roles), None
        )
        if role is None:
            return
        owner = self.prepared.fields[role]
        nip = owner.person.nip_raw if owner.person else None
        dialog = (dialog_factory or (lambda n, p: SignDialog(self.ctx, n, p)))(nip, self)
        if not dialog.exec():
            return
        self._run_sign(dialog.key, role, confirm_name_mismatch=False, confirm=confirm)

    def _run_sign(self, key, role: str, *, confirm_name_mismatch: bool, confirm=None) -> None:

        prepared, current, principal = self.prepared, self.pdf, self.ctx.principal
        self._say(_("Menandatangani…"))

        def work(s):
            if role == ROLE_PEJABAT:
                signed = documents.sign(
                    s, principal, prepared, key, role=role, confirm_name_mismatch=confirm_name_mismatch
                )
            else:
                signed = documents.countersign(
                    s, principal, current, key, role=role, confirm_name_mismatch=confirm_name_mismatch
                )
            return signed, render_preview(signed.pdf)

        def done(result) -> None:
            signed, images = result
            self.signed_roles.append(role)
            self._show(signed.pdf, images)
            text = _(
                "Ditandatangani secara elektronik oleh {name} ({who}) dan dicatat. Simpan PDF untuk menyimpan "
                "berkasnya."
            ).format(name=key.name, who=self.prepared.fields[role].title)
            if not signed.official:
                text += " " + _("Sertifikatnya tidak berasal dari CA terpercaya: berkas ini bukan berkas resmi.")
            self._say(text)

        def failed(exc: BaseException) -> None:

            if isinstance(exc, NameMismatch):
                ask = confirm or (
                    lambda text: QMessageBox.question(self, _("Nama berbeda"), text) == QMessageBox.StandardButton.Yes
                )
                if ask(exc.message + "\n\n" + _("Tetap tandatangani?")):
                    self._run_sign(key, role, confirm_name_mismatch=True, confirm=confirm)
                else:
                    self._say(_("Tidak ditandatangani."))
                return
            self._failed(exc)

        self.ctx.write(work, done, changes={"documents"}, on_error=failed, owner=self)

    def default_name(self) -> str:

        if self.prepared is None:
            return "dokumen.pdf"
        request = self.prepared.request
        person = getattr(self.prepared.view, "pegawai", None)
        subject = (
            person.nip_raw
            if person is not None and person.nip_raw
            else getattr(self.prepared.view, "unit_code", "dokumen")
        )
        period = f"{request.period or 'AKHIR'}-{request.year}" if request.period else str(request.year)
        return batch_filename(subject, self.prepared.kind.file_code or self.prepared.kind.code, period)

    def save(self, path: str | None = None) -> Path | None:
        if self.pdf is None:
            return None
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(
                self,
                _("Simpan PDF (tidak terenkripsi: simpan di tempat aman)"),
                self.default_name(),
                _("Dokumen PDF (*.pdf)"),
            )
            if not path:
                return None

        try:
            target = write_pdf(path, self.pdf)
        except UserError as exc:
            show_user_error(exc, self)
            return None
        self._say(_("Disimpan ke {path}.").format(path=target))
        return target

    def print_document(self) -> None:
        if self.pdf is not None:
            print_pdf(self.pdf, self)

    def open_viewer(self, *, opener=None) -> Path | None:
        """Open a copy in the system's PDF viewer; say so plainly when there is none."""

        if self.pdf is None:
            return None
        copy = viewer_copy(self.pdf, self.default_name())
        if not open_with_system(copy, self, opener=opener):
            self._say(_("Tidak ada penampil PDF di komputer ini; gunakan Simpan PDF atau Cetak."))
        return copy

    def open_verify(self, path: str | None = None):

        dialog = VerifyDialog(self.ctx, path, self)
        dialog.show()
        return dialog

    # -- batch ----------------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Folder tujuan ekspor"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def export_batch(self, *, sign_dialog_factory=None, run=None):

        unit_id = self.unit.unit_id
        folder = self.folder.text().strip()
        if not unit_id or not folder:
            show_user_error(_("Pilih unit kerja dan folder tujuan lebih dulu."), self)
            return None
        node = find_unit(self.units, unit_id)
        name = node.name if node is not None else self.unit.currentText()
        year, period, kind = self.year.value(), self.period.currentData(), self.batch_form.currentData()
        p12 = passphrase = None
        if self.batch_sign.isChecked():
            dialog = (sign_dialog_factory or (lambda n, p: SignDialog(self.ctx, n, p)))(None, self)
            if not dialog.exec():
                return None
            p12, passphrase = dialog.p12, dialog.passphrase
        combined, principal = self.batch_combined.isChecked(), self.ctx.principal

        def make_job(db):

            return (
                yield from batch(
                    db,
                    principal,
                    kind,
                    unit_id,
                    year,
                    None if kind == "skp" else period,
                    folder,
                    p12=p12,
                    passphrase=passphrase,
                    combined=combined,
                )
            )

        dialog = (run or run_job)(
            self.ctx.runner,
            make_job,
            title=_("Ekspor massal"),
            text=_("Menyiapkan dokumen {unit}…").format(unit=name),
            parent=self,
        )
        if dialog.cancelled:
            self.batch_status.setText(_("Dibatalkan; berkas yang sudah dibuat dihapus."))
        elif dialog.error is not None:
            self._failed(dialog.error)
        elif dialog.result is not None:
            self.batch_status.setText(_batch_summary(dialog.result))
            if dialog.result.recorded:
                self.ctx.bus.notify({"documents"})
        return dialog


def _batch_summary(outcome) -> str:
    result = outcome.result
    text = _("{n} dokumen ditulis ke {folder}.").format(n=number_text(len(result.files)), folder=result.folder)
    if result.signed:
        text += " " + _("{n} ditandatangani dan dicatat.").format(n=number_text(result.signed))
    if outcome.missing:
        shown = ", ".join(outcome.missing[:10])
        more = len(outcome.missing) - 10
        text += " " + _("Tanpa dokumen ({n}): {names}.").format(
            n=number_text(len(outcome.missing)),
            names=shown + (_(" dan {n} lainnya").format(n=number_text(more)) if more > 0 else ""),
        )
    if result.rejected:
        text += " " + _("Ditolak: {n} ({first}).").format(
            n=number_text(len(result.rejected)), first=result.rejected[0][1]
        )
    return text


def _stored():

    return stored_certificates()
