"""Importing a roster file: choose → preview (rejected rows and why) → import → summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QBrush, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget, QWizard, QWizardPage,
)

from kinerja_desktop.errors import UserError
from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.progress import run_job
from kinerja_desktop.ui.theme import MessageLabel, error_background, scaled_font
from kinerja_desktop.ui.widgets import prepare_wizard, wrapped_label

FILE_FILTER = N_("Daftar pegawai (*.xlsx *.xlsm *.csv *.txt *.tsv)")
PREVIEW_LIMIT = 500


def summary_text(report) -> str:
    if report.dry_run:
        lines = [_("Hasil pemeriksaan {name} ({rows} baris dibaca):").format(
            name=Path(report.path).name, rows=report.rows_read)]
        lines.append(_("• akan ditambahkan: {n} pegawai").format(n=number_text(report.created)))
        lines.append(_("• akan diperbarui: {n} pegawai").format(n=number_text(report.updated)))
    else:
        lines = [_("Impor {name} selesai ({rows} baris dibaca):").format(
            name=Path(report.path).name, rows=report.rows_read)]
        lines.append(_("• ditambahkan: {n} pegawai").format(n=number_text(report.created)))
        lines.append(_("• diperbarui: {n} pegawai").format(n=number_text(report.updated)))
    lines.append(_("• tidak berubah: {n} pegawai").format(n=number_text(report.unchanged)))
    if report.units_created:
        lines.append(_("• unit kerja baru: {n}").format(n=report.units_created))
    if report.positions_created:
        lines.append(_("• jabatan baru: {n}").format(n=report.positions_created))
    lines.append(_("• ditolak: {n} baris").format(n=number_text(report.rejected_rows)))
    return "\n".join(lines)


def rejected_table(report, parent: QWidget | None = None) -> QTableWidget:
    """The rejected rows with their reasons, each tinted as an error."""
    errors = report.rejected[:PREVIEW_LIMIT]
    table = QTableWidget(len(errors), 4, parent)
    table.setObjectName("rejectedRows")
    table.setHorizontalHeaderLabels([_("Baris"), _("Kolom"), _("Nilai"), _("Alasan")])
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    tint = QBrush(error_background(table.palette()))
    for row, err in enumerate(errors):
        for col, text in enumerate((str(err.row), err.column, err.value, err.reason)):
            item = QTableWidgetItem(text)
            item.setBackground(tint)
            item.setToolTip(text)
            table.setItem(row, col, item)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
    header.resizeSection(2, 170)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    table.resizeRowsToContents()
    # Row heights follow the reason column's width (wrapped text), also after resizing.
    header.sectionResized.connect(lambda *_a: table.resizeRowsToContents())
    return table


class ChooseFilePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(_("Pilih berkas daftar pegawai"))
        self.setSubTitle(_("Berkas Excel (.xlsx) atau CSV dengan satu baris per pegawai."))
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped_label(_(
            "Kolom wajib: NIP dan Nama. Kolom lain yang dikenali: Gelar Depan, Gelar Belakang, Jenis Kelamin, "
            "Tanggal Lahir, Status (PNS/PPPK), Golongan, Jabatan, Jenis Jabatan, Kode Unit, Unit Kerja dan "
            "NIP Atasan. Berkas hasil Ekspor dapat diimpor kembali apa adanya.")))
        layout.addWidget(wrapped_label(_(
            "Tulis NIP sebagai teks: Excel mengubah angka 18 digit menjadi 1,98609E+17 dan digit yang hilang "
            "tidak dapat dipulihkan; baris seperti itu akan ditolak.")))
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setObjectName("importPath")
        self.path.setPlaceholderText(_("Lokasi berkas…"))
        browse = QPushButton(_("Pilih berkas…"))
        browse.clicked.connect(self.browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        layout.addStretch(1)
        self.path.textChanged.connect(lambda _t: self.completeChanged.emit())

    def browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, _("Pilih berkas daftar pegawai"), self.path.text(),
                                                      _(FILE_FILTER))
        if chosen:
            self.path.setText(chosen)

    def isComplete(self) -> bool:  # noqa: N802
        text = self.path.text().strip()
        return bool(text) and Path(text).is_file()


class PreviewPage(QWizardPage):
    """A dry run: what would change, and every rejected row with its reason."""

    def __init__(self, wizard: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(_("Pratinjau"))
        self.setSubTitle(_("Belum ada data yang diubah. Periksa hasilnya, lalu klik Impor."))
        self.layout_ = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("previewSummary")
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        self.problem = MessageLabel(self)
        self.layout_.addWidget(self.problem)
        self.rejected_label = QLabel()
        self.rejected_label.setWordWrap(True)
        self.layout_.addWidget(self.rejected_label)
        self.table: QTableWidget | None = None
        self.report = None
        self.setButtonText(QWizard.WizardButton.NextButton, _("Impor"))

    def initializePage(self) -> None:  # noqa: N802
        from kinerja_desktop.services.roster_import import import_roster

        path = Path(self.wiz.choose.path.text().strip())
        self.report = None
        self.problem.clear_message()
        self.summary.clear()
        self.rejected_label.clear()
        if self.table is not None:
            self.table.deleteLater()
            self.table = None
        dialog = run_job(self.wiz.ctx.runner,
                         lambda db: import_roster(db, path, dry_run=True, actor=self.wiz.ctx.principal),
                         title=_("Memeriksa berkas"), text=_("Memeriksa {name}…").format(name=path.name),
                         parent=self)
        if dialog.cancelled:
            self.problem.show_message(_("Pemeriksaan dibatalkan. Klik Kembali untuk memilih berkas lagi."))
        elif isinstance(dialog.error, UserError):
            self.problem.show_message(dialog.error.message)
        elif dialog.error is not None:
            handle_exception(type(dialog.error), dialog.error, dialog.error.__traceback__, self)
        else:
            self.show_report(dialog.result)
        self.completeChanged.emit()

    def show_report(self, report) -> None:
        self.report = report
        self.summary.setText(summary_text(report))
        if report.rejected:
            shown = min(len(report.rejected), PREVIEW_LIMIT)
            text = _("Baris yang ditolak (ditandai merah) tidak akan diimpor; baris lainnya tetap diimpor. "
                     "Perbaiki di berkas lalu impor lagi bila perlu.")
            if shown < len(report.rejected):
                text += " " + _("Ditampilkan {shown} masalah pertama dari {total}; semuanya ada di berkas galat.").format(
                    shown=number_text(shown), total=number_text(len(report.rejected)))
            self.rejected_label.setText(text)
            self.table = rejected_table(report, self)
            self.layout_.addWidget(self.table, 1)
        elif report.imported == 0:
            self.rejected_label.setText(_("Berkas ini tidak berisi baris pegawai."))
        elif report.created + report.updated == 0:
            self.rejected_label.setText(_("Tidak ada yang perlu diimpor: data pegawai di berkas ini sudah sama "
                                          "dengan data di program."))
        else:
            self.rejected_label.setText(_("Semua baris dapat diimpor."))

    def isComplete(self) -> bool:  # noqa: N802
        return self.report is not None and (self.report.created + self.report.updated) > 0


class ResultPage(QWizardPage):
    def __init__(self, wizard: "ImportWizard") -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(_("Hasil impor"))
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.summary.setFont(scaled_font(self.summary, 1.05))
        layout.addWidget(self.summary)
        self.problem = MessageLabel(self)
        layout.addWidget(self.problem)
        self.error_file_button = QPushButton(_("Buka berkas galat"))
        self.error_file_button.setVisible(False)
        self.error_file_button.clicked.connect(self.open_error_file)
        self.error_file_label = QLabel()
        self.error_file_label.setWordWrap(True)
        layout.addWidget(self.error_file_label)
        row = QHBoxLayout()
        row.addWidget(self.error_file_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.report = None

    def initializePage(self) -> None:  # noqa: N802
        from kinerja_desktop.services.roster_import import import_roster

        path = Path(self.wiz.choose.path.text().strip())
        dialog = run_job(self.wiz.ctx.runner,
                         lambda db: import_roster(db, path, dry_run=False, actor=self.wiz.ctx.principal),
                         title=_("Mengimpor pegawai"), text=_("Mengimpor {name}…").format(name=path.name),
                         parent=self)
        if dialog.cancelled:
            self.problem.show_message(_("Impor dibatalkan; tidak ada data yang diubah."))
            return
        if isinstance(dialog.error, UserError):
            self.problem.show_message(dialog.error.message)
            return
        if dialog.error is not None:
            handle_exception(type(dialog.error), dialog.error, dialog.error.__traceback__, self)
            return
        self.report = dialog.result
        self.wiz.imported = True
        self.summary.setText(summary_text(self.report))
        if self.report.error_file:
            self.error_file_label.setText(_("Baris yang ditolak beserta alasannya tersimpan di {path}.").format(
                path=self.report.error_file))
            self.error_file_button.setVisible(True)

    def open_error_file(self) -> None:
        if self.report is not None and self.report.error_file:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report.error_file)))


class ImportWizard(QWizard):
    def __init__(self, ctx, parent: QWidget | None = None, path: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.imported = False
        prepare_wizard(self, _("Impor daftar pegawai"), _("Selesai"))
        self.choose = ChooseFilePage()
        self.preview = PreviewPage(self)
        self.result_page = ResultPage(self)
        self.addPage(self.choose)
        self.addPage(self.preview)
        self.addPage(self.result_page)
        self.preview.setCommitPage(True)
        self.preview.setButtonText(QWizard.WizardButton.CommitButton, _("Impor"))
        if path:
            self.choose.path.setText(str(path))
        self.resize(860, 600)
