"""Dokumen: print, preview, sign and verify the official documents; batch export.

Top: one employee's document (Dokumen Evaluasi, Evaluasi Kinerja rinci, or SKP) for a
year and period, previewed inside the window before anything is signed or saved; then
sign (Pejabat Penilai block first, the employee's block second), save, print through
the system print dialog, or open in the system viewer. Below: batch export of a unit
for a period, in the background with progress and cancel. "Verifikasi PDF…" checks
any signed file. Every database read, rendering and signing runs off the UI thread.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
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
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.ui.errors import show_user_error
from kinerja_desktop.ui.pages.base import Page
from kinerja_desktop.ui.pdf_preview import PdfPreview, open_in_viewer, print_pdf
from kinerja_desktop.ui.pickers import EmployeePicker, UnitPicker

FORMS = (("short", "Dokumen Evaluasi Kinerja Pegawai"), ("detailed", "Evaluasi Kinerja Pegawai (rinci)"),
         ("skp", "Sasaran Kinerja Pegawai (SKP)"))


def build_document(session, employee_id: str, year: int, period: str | None, form: str):
    """(view, evaluation id or None, evaluation final?) for one employee's document (worker side)."""
    from kinerja_desktop.services import document_views as collect
    from kinerja_desktop.store.employee import Employee

    emp = session.get(Employee, employee_id)
    if emp is None:
        raise UserError(_("Pegawai itu tidak ada lagi di data."))
    if form == "skp":
        view = collect.skp_view(session, emp.nip, year)
        return view, None, view.agreed
    _emp, _per, ev = collect.evaluation_for(session, emp.nip, year, period)
    if form == "short":
        view = collect.short_form_view(session, emp.nip, year, period)
    else:
        view = collect.detailed_form_view(session, emp.nip, year, period)
    return view, ev.id, ev.status == "final"


def render_preview(pdf: bytes, dpi: int = 110):
    from kinerja_desktop.reports.raster import page_images

    return page_images(pdf, dpi)


class DocumentsPage(Page):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.view = None
        self.evaluation_id: str | None = None
        self.evaluation_final = False
        self.pdf: bytes | None = None
        self.signed_roles: list[str] = []
        self._units_cache = None
        layout = self.page_layout(
            _("Dokumen"),
            _("Cetak, pratinjau, tandatangani dan verifikasi dokumen penilaian kinerja; ekspor massal per unit."),
        )
        split = QSplitter(Qt.Orientation.Horizontal)
        layout.addWidget(split, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self._single_box())
        left_layout.addWidget(self._batch_box())
        self.verify_button = QPushButton(_("Verifikasi PDF…"))
        self.verify_button.clicked.connect(lambda: self.open_verify())
        left_layout.addWidget(self.verify_button)
        left_layout.addStretch(1)
        split.addWidget(left)
        self.preview = PdfPreview()
        split.addWidget(self.preview)
        split.setStretchFactor(1, 1)
        split.setSizes([380, 820])
        self._update_buttons()

    # -- layout ---------------------------------------------------------------------------
    def _single_box(self) -> QGroupBox:
        from kinerja_desktop.services.roster_query import search_employees

        box = QGroupBox(_("Dokumen seorang pegawai"))
        v = QVBoxLayout(box)
        principal = self.ctx.principal
        self.employee = EmployeePicker(self.ctx.runner, lambda s, text: search_employees(s, principal, text))
        v.addWidget(QLabel(_("Pegawai")))
        v.addWidget(self.employee)
        row = QHBoxLayout()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.valueChanged.connect(self.load_periods)
        row.addWidget(QLabel(_("Tahun")))
        row.addWidget(self.year)
        self.period = QComboBox()
        row.addWidget(QLabel(_("Periode")))
        row.addWidget(self.period, 1)
        v.addLayout(row)
        self.form = QComboBox()
        for code, label in FORMS:
            self.form.addItem(_(label), code)
        v.addWidget(self.form)
        grid = QHBoxLayout()
        self.preview_button = QPushButton(_("Pratinjau"))
        self.preview_button.clicked.connect(lambda: self.make_preview())
        self.sign_button = QPushButton(_("Tanda tangani…"))
        self.sign_button.clicked.connect(lambda: self.sign())
        grid.addWidget(self.preview_button)
        grid.addWidget(self.sign_button)
        v.addLayout(grid)
        grid2 = QHBoxLayout()
        self.save_button = QPushButton(_("Simpan PDF…"))
        self.save_button.clicked.connect(lambda: self.save())
        self.print_button = QPushButton(_("Cetak…"))
        self.print_button.clicked.connect(lambda: self.print_document())
        self.open_button = QPushButton(_("Buka di penampil"))
        self.open_button.clicked.connect(lambda: self.open_viewer())
        for b in (self.save_button, self.print_button, self.open_button):
            grid2.addWidget(b)
        v.addLayout(grid2)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        v.addWidget(self.status)
        return box

    def _batch_box(self) -> QGroupBox:
        box = QGroupBox(_("Ekspor massal satu unit"))
        v = QVBoxLayout(box)
        self.unit = UnitPicker(self._units, all_text=_("Pilih unit kerja…"))
        v.addWidget(self.unit)
        self.batch_form = QComboBox()
        for code, label in FORMS[:2]:
            self.batch_form.addItem(_(label), code)
        v.addWidget(self.batch_form)
        row = QHBoxLayout()
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(_("Folder tujuan"))
        browse = QPushButton(_("Pilih…"))
        browse.clicked.connect(lambda: self.choose_folder())
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        v.addLayout(row)
        self.batch_sign = QCheckBox(_("Tandatangani setiap dokumen (hanya evaluasi final)"))
        self.batch_combined = QCheckBox(_("Juga satu PDF gabungan untuk dicetak"))
        v.addWidget(self.batch_sign)
        v.addWidget(self.batch_combined)
        self.batch_button = QPushButton(_("Ekspor…"))
        self.batch_button.clicked.connect(lambda: self.export_batch())
        v.addWidget(self.batch_button)
        self.batch_status = QLabel("")
        self.batch_status.setWordWrap(True)
        v.addWidget(self.batch_status)
        return box

    def _units(self):
        from kinerja_desktop.services.roster_query import unit_tree

        if self._units_cache is None:
            with self.ctx.session() as s:
                self._units_cache = unit_tree(s)
        return self._units_cache

    # -- state ----------------------------------------------------------------------------
    def activated(self) -> None:
        if self.period.count() == 0:
            self.load_periods()

    def refresh(self) -> None:
        self._units_cache = None
        self.load_periods()

    def load_periods(self) -> None:
        from kinerja_desktop.services.periods import list_periods, period_code, period_label

        year = self.year.value()

        def work(s):
            return [(period_code(p), period_label(p)) for p in list_periods(s, year)]

        def fill(rows) -> None:
            current = self.period.currentData()
            self.period.clear()
            for code, label in rows:
                self.period.addItem(label, code)
            index = self.period.findData(current)
            self.period.setCurrentIndex(index if index >= 0 else max(0, self.period.findData("AKHIR")))

        self.ctx.runner.submit(work, fill, key="documents-periods", owner=self)

    def _update_buttons(self) -> None:
        have = self.pdf is not None
        for b in (self.save_button, self.print_button, self.open_button):
            b.setEnabled(have)
        self.sign_button.setEnabled(have and len(self.signed_roles) < 2)

    def _say(self, text: str) -> None:
        self.status.setText(text)

    # -- one document ---------------------------------------------------------------------
    def make_preview(self) -> None:
        employee_id = self.employee.employee_id
        if not employee_id:
            show_user_error(_("Pilih pegawai lebih dulu (ketik nama atau NIP lalu pilih dari daftar)."), self)
            return
        year, period, form = self.year.value(), self.period.currentData(), self.form.currentData()
        self._say(_("Menyiapkan pratinjau…"))

        def work(s):
            from kinerja_desktop.reports.render import produce

            view, ev_id, final = build_document(s, employee_id, year, period, form)
            produced = produce(view)
            return view, ev_id, final, produced.pdf, render_preview(produced.pdf)

        self.ctx.runner.submit(work, self._show_unsigned, self._failed, key="documents-preview", owner=self)

    def _show_unsigned(self, result) -> None:
        self.view, self.evaluation_id, self.evaluation_final, pdf, images = result
        self.signed_roles = []
        self._show(pdf, images)
        self._say(_("Pratinjau {pages} halaman; belum ditandatangani (kolom tanda tangan kosong untuk tanda tangan "
                    "basah).").format(pages=len(images)))

    def _show(self, pdf: bytes, images) -> None:
        self.pdf = pdf
        self.preview.set_pdf(pdf, images)
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self._say(exc.message)
            show_user_error(exc, self)
            return
        from kinerja_desktop.ui.errors import handle_exception

        handle_exception(type(exc), exc, exc.__traceback__, self)

    def sign(self, *, dialog_factory=None, confirm=None) -> None:
        """Sign the previewed document: the Pejabat Penilai block, then the employee's."""
        from kinerja_desktop.ui.dialogs.sign_dialog import SignDialog

        if self.pdf is None or self.view is None:
            return
        if not self.evaluation_final:
            if self.evaluation_id is None:
                show_user_error(_("SKP ini belum disepakati; sepakati dulu sebelum menandatanganinya."), self)
            else:
                show_user_error(_("Evaluasi ini masih draf; finalkan dulu sebelum menandatanganinya."), self)
            return
        role = "pejabat" if not self.signed_roles else "pegawai"
        person = self.view.pejabat if role == "pejabat" else self.view.pegawai
        dialog = (dialog_factory or SignDialog)(person.nip_raw if person else None, self)
        if not dialog.exec():
            return
        key = dialog.key
        self._run_sign(key, role, confirm_name_mismatch=False, confirm=confirm)

    def _run_sign(self, key, role: str, *, confirm_name_mismatch: bool, confirm=None) -> None:
        view, current = self.view, self.pdf
        self._say(_("Menandatangani…"))

        def work(_s):
            from kinerja_desktop.reports.render import produce
            from kinerja_desktop.reports.signing import check_signer_name, countersign

            if role == "pejabat":
                pdf = produce(view, key, confirm_name_mismatch=confirm_name_mismatch).pdf
            else:
                check_signer_name(key, view.pegawai.name, confirm_name_mismatch=confirm_name_mismatch)
                pdf = countersign(current, key)
            return pdf, render_preview(pdf)

        def done(result) -> None:
            pdf, images = result
            self.signed_roles.append(role)
            self._show(pdf, images)
            who = _("Pejabat Penilai Kinerja") if role == "pejabat" else _("Pegawai yang Dinilai")
            self._say(_("Ditandatangani secara elektronik oleh {name} ({who}). Simpan PDF untuk menyimpannya.").format(
                name=key.name, who=who))

        def failed(exc: BaseException) -> None:
            from kinerja_desktop.reports.signing import NameMismatch

            if isinstance(exc, NameMismatch):
                ask = confirm or (lambda text: QMessageBox.question(self, _("Nama berbeda"), text) ==
                                  QMessageBox.StandardButton.Yes)
                if ask(exc.message + "\n\n" + _("Tetap tandatangani?")):
                    self._run_sign(key, role, confirm_name_mismatch=True, confirm=confirm)
                else:
                    self._say(_("Tidak ditandatangani."))
                return
            self._failed(exc)

        self.ctx.runner.submit(work, done, failed, key="documents-sign", owner=self)

    def default_name(self) -> str:
        from kinerja_desktop.reports.batch import batch_filename

        if self.view is None:
            return "dokumen.pdf"
        form = {"short": "evaluasi", "detailed": "evaluasi-rinci", "skp": "skp"}[self.form.currentData()]
        period = f"{self.period.currentData() or 'AKHIR'}-{self.year.value()}" if form != "skp" else str(
            self.year.value())
        return batch_filename(self.view.pegawai.nip_raw or "pegawai", form, period)

    def save(self, path: str | None = None) -> Path | None:
        if self.pdf is None:
            return None
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Simpan PDF"), self.default_name(),
                                                        _("Dokumen PDF (*.pdf)"))
            if not path:
                return None
        from kinerja_desktop.reports.render import write_pdf

        try:
            target = write_pdf(path, self.pdf)
        except UserError as exc:
            show_user_error(exc, self)
            return None
        if self.signed_roles and self.evaluation_id and self.evaluation_final:
            import hashlib

            from kinerja_desktop.services.document_views import record_signed_file

            digest = hashlib.sha256(self.pdf).hexdigest()
            with self.ctx.transaction() as s:
                record_signed_file(s, self.ctx.principal, self.evaluation_id, digest)
        self._say(_("Disimpan ke {path}.").format(path=target))
        return target

    def print_document(self) -> None:
        if self.pdf is not None:
            print_pdf(self.pdf, self)

    def open_viewer(self) -> None:
        if self.pdf is not None:
            open_in_viewer(self.pdf, self.default_name())

    def open_verify(self, path: str | None = None):
        from kinerja_desktop.ui.dialogs.verify_dialog import VerifyDialog

        dialog = VerifyDialog(self.ctx, path, self)
        dialog.show()
        return dialog

    # -- batch ----------------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Folder tujuan ekspor"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def export_batch(self, *, sign_dialog_factory=None, run=None):
        from kinerja_desktop.ui.dialogs.sign_dialog import SignDialog
        from kinerja_desktop.ui.progress import run_job

        unit_id = self.unit.unit_id
        folder = self.folder.text().strip()
        if not unit_id or not folder:
            show_user_error(_("Pilih unit kerja dan folder tujuan lebih dulu."), self)
            return None
        node = self._find_unit(unit_id)
        year, period, form = self.year.value(), self.period.currentData(), self.batch_form.currentData()
        p12 = passphrase = None
        if self.batch_sign.isChecked():
            dialog = (sign_dialog_factory or SignDialog)(None, self)
            if not dialog.exec():
                return None
            p12, passphrase = dialog.p12, dialog.passphrase
        combined = self.batch_combined.isChecked()
        principal = self.ctx.principal

        def make_job(db):
            from kinerja_desktop.services import document_views as collect
            from kinerja_desktop.reports.batch import export_batch

            with db.session() as s:
                items, missing = collect.batch_items(s, node.code, year, period, form=form, actor=principal,
                                                     final_only=p12 is not None)
            if not items:
                raise UserError(_("Tidak ada evaluasi yang dapat dicetak untuk unit ini pada periode itu."))
            name = f"gabungan_{node.code}_{items[0].filename.split('_', 1)[1]}" if combined else None
            result = yield from export_batch(items, folder, p12=p12, passphrase=passphrase, combined_name=name)
            if p12 is not None:
                by_name = {item.filename: item.record_id for item in items}
                with db.transaction() as s:
                    for filename, digest in result.sha256.items():
                        if by_name.get(filename):
                            collect.record_signed_file(s, principal, by_name[filename], digest)
            return result, missing

        dialog = (run or run_job)(self.ctx.runner, make_job, title=_("Ekspor massal"),
                                  text=_("Menyiapkan dokumen {unit}…").format(unit=node.name), parent=self)
        if dialog.cancelled:
            self.batch_status.setText(_("Dibatalkan; berkas yang sudah dibuat dihapus."))
        elif dialog.error is not None:
            self._failed(dialog.error)
        elif dialog.result is not None:
            result, missing = dialog.result
            text = _("{n} dokumen ditulis ke {folder}.").format(n=len(result.files), folder=result.folder)
            if result.signed:
                text += " " + _("{n} ditandatangani.").format(n=result.signed)
            if missing:
                text += " " + _("Tanpa evaluasi: {names}.").format(names=", ".join(missing[:10]))
            if result.rejected:
                text += " " + _("Ditolak: {n}.").format(n=len(result.rejected))
            self.batch_status.setText(text)
        return dialog

    def _find_unit(self, unit_id: str):
        from kinerja_desktop.ui.pickers import find_unit

        return find_unit(self._units(), unit_id)
