"""Importing a roster file: choose → preview (changes, columns, supervisor chain, rejected rows)
→ import → summary.

Both the preview (a dry run) and the import run off the UI thread behind a progress dialog;
nothing here opens a database session.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from kinerja_desktop.errors import UserError
from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.roster.importer import import_roster
from kinerja_desktop.services.roster.summary import counts_lines, group_lines
from kinerja_desktop.ui.dialogs.import_preview import (
    PREVIEW_LIMIT,
    chain_view,
    changes_tree,
    columns_view,
    rejected_table,
)
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.progress import run_job
from kinerja_desktop.ui.theme import MessageLabel, scaled_font
from kinerja_desktop.ui.widgets import prepare_wizard, wrapped_label

FILE_FILTER = N_("Daftar pegawai dan unduhan SIASN (*.xlsx *.xlsm *.csv *.txt *.tsv)")

__all__ = ["ImportWizard", "rejected_table", "summary_text"]


def summary_text(report) -> str:
    return "\n".join(counts_lines(report) + group_lines(report))


def preview_text(report) -> str:
    """The preview's summary in two lines, so the tabs below keep their room."""
    parts = [
        _("akan ditambahkan: {n} pegawai").format(n=number_text(report.created)),
        _("akan diperbarui: {n} pegawai").format(n=number_text(report.updated)),
        _("tidak berubah: {n}").format(n=number_text(report.unchanged)),
        _("ditolak: {n} baris").format(n=number_text(report.rejected_rows)),
    ]
    if report.units_created or report.units_updated:
        parts.append(_("unit kerja baru: {n}, diperbarui: {m}").format(n=report.units_created, m=report.units_updated))
    if report.positions_created:
        parts.append(_("jabatan baru: {n}").format(n=report.positions_created))
    head = _("{name} ({rows} baris dibaca): ").format(name=Path(report.path).name, rows=number_text(report.rows_read))
    return head + "; ".join(parts) + ".\n" + "\n".join(group_lines(report))


class ChooseFilePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(_("Pilih berkas daftar pegawai"))
        self.setSubTitle(
            _(
                "Unduhan data ASN dari SIASN (berkas teks dengan pemisah |), atau berkas Excel (.xlsx) "
                "atau CSV dengan satu baris per pegawai."
            )
        )
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped_label(
                _(
                    "Kolom wajib: NIP dan Nama (di SIASN: NIP BARU dan NAMA). Kolom SIASN seperti GOL AKHIR NAMA, "
                    "JABATAN NAMA, UNOR NAMA dan SATUAN KERJA KERJA NAMA dikenali langsung, begitu pula judul yang ditulis "
                    "Ekspor program ini. Pratinjau menyebut setiap kolom: yang dipakai dan yang diabaikan beserta "
                    "alasannya. Data pribadi yang tidak diperlukan (NIK, NPWP, telepon, e-mail, alamat, agama) tidak "
                    "disimpan."
                )
            )
        )
        layout.addWidget(
            wrapped_label(
                _(
                    "Tulis NIP sebagai teks: Excel mengubah angka 18 digit menjadi 1,98609E+17 dan digit yang hilang "
                    "tidak dapat dipulihkan; baris seperti itu akan ditolak."
                )
            )
        )
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setObjectName("importPath")
        self.path.setPlaceholderText(_("Lokasi berkas…"))
        browse = QPushButton(_("Pilih berkas…"))
        browse.setToolTip(_("Pilih berkas (Ctrl+O)"))
        browse.clicked.connect(self.browse)
        QShortcut(QKeySequence.StandardKey.Open, self, activated=self.browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        self.complete_box = QCheckBox(
            _(
                "Berkas ini unduhan lengkap seluruh ASN instansi: pegawai aktif yang tidak "
                "tercantum di dalamnya dinonaktifkan (tidak dihapus)"
            )
        )
        self.complete_box.setObjectName("completeDownload")
        self.complete_box.setToolTip(
            _(
                "Biarkan kosong untuk berkas sebagian (misalnya satu perangkat daerah): "
                "pegawai yang tidak tercantum tidak diubah."
            )
        )
        layout.addWidget(self.complete_box)
        layout.addStretch(1)
        self.path.textChanged.connect(lambda _t: self.completeChanged.emit())

    def browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Pilih berkas daftar pegawai"), self.path.text(), _(FILE_FILTER)
        )
        if chosen:
            self.path.setText(chosen)

    def isComplete(self) -> bool:  # noqa: N802
        text = self.path.text().strip()
        return bool(text) and Path(text).is_file()


class PreviewPage(QWizardPage):
    """A dry run: what would change by group, every column, the chain, every rejected row."""

    def __init__(self, wizard: ImportWizard) -> None:
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
        self.tabs: QTabWidget | None = None
        self.table = None
        self.report = None
        self.setButtonText(QWizard.WizardButton.NextButton, _("Impor"))

    def initializePage(self) -> None:  # noqa: N802
        path = Path(self.wiz.choose.path.text().strip())
        complete = self.wiz.choose.complete_box.isChecked()
        principal = self.wiz.ctx.principal
        self.report = None
        self.problem.clear_message()
        self.summary.clear()
        self.rejected_label.clear()
        if self.tabs is not None:
            self.tabs.deleteLater()
            self.tabs, self.table = None, None
        dialog = run_job(
            self.wiz.ctx.runner,
            lambda db: import_roster(db, path, dry_run=True, actor=principal, complete=complete),
            title=_("Memeriksa berkas"),
            text=_("Memeriksa {name}…").format(name=path.name),
            parent=self,
        )
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
        self.summary.setText(preview_text(report))
        self.rejected_label.setText(self._verdict(report))
        tabs = QTabWidget(self)
        tabs.setObjectName("previewTabs")
        tabs.addTab(changes_tree(report, tabs), _("Perubahan"))
        tabs.addTab(columns_view(report, tabs), _("Kolom ({n})").format(n=len(report.columns)))
        if report.chain.derived or report.chain.kept_manual or report.chain.dropped:
            flagged = sum(1 for u in report.chain.units if u.problem)
            tabs.addTab(
                chain_view(report, tabs),
                _("Rantai atasan ({n} unit perlu diperiksa)").format(n=flagged) if flagged else _("Rantai atasan"),
            )
        problems = report.rejected + report.warnings
        if problems:
            self.table = rejected_table(report, tabs)
            index = tabs.addTab(self.table, _("Ditolak ({n})").format(n=number_text(report.rejected_rows)))
            tabs.setCurrentIndex(index)
        self.tabs = tabs
        self.layout_.addWidget(tabs, 1)

    @staticmethod
    def _verdict(report) -> str:
        if report.rejected or report.warnings:
            text = _(
                "Baris yang ditolak (ditandai merah) tidak akan diimpor; baris lainnya tetap diimpor. "
                "Perbaiki di berkas lalu impor lagi bila perlu."
            )
            total = len(report.rejected) + len(report.warnings)
            if total > PREVIEW_LIMIT:
                text += " " + _(
                    "Ditampilkan {shown} masalah pertama dari {total}; semuanya ada di berkas galat."
                ).format(shown=PREVIEW_LIMIT, total=number_text(total))
            return text
        if report.imported == 0:
            return _("Berkas ini tidak berisi baris pegawai.")
        if report.created + report.updated == 0:
            return _("Tidak ada yang perlu diimpor: data pegawai di berkas ini sudah sama dengan data di program.")
        return _("Semua baris dapat diimpor.")

    def isComplete(self) -> bool:  # noqa: N802
        return self.report is not None and (self.report.created + self.report.updated) > 0


class ResultPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
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
        self.chain_label = QLabel()
        self.chain_label.setWordWrap(True)
        layout.addWidget(self.chain_label)
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
        path = Path(self.wiz.choose.path.text().strip())
        complete = self.wiz.choose.complete_box.isChecked()
        principal = self.wiz.ctx.principal
        dialog = run_job(
            self.wiz.ctx.runner,
            lambda db: import_roster(db, path, dry_run=False, actor=principal, complete=complete),
            title=_("Mengimpor pegawai"),
            text=_("Mengimpor {name}…").format(name=path.name),
            parent=self,
        )
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
        bus = getattr(self.wiz.ctx, "bus", None)
        if bus is not None:
            bus.notify({"employees", "units"})
        self.summary.setText(summary_text(self.report))
        chain = self.report.chain
        if chain.derived or chain.kept_manual:
            self.chain_label.setText(
                _(
                    "Pejabat penilai: {assigned} pegawai mendapatkannya dari rantai unit dan jabatan, {without} tanpa, "
                    "{kept} ditetapkan manual dan tidak diubah. Perbaiki satu tautan di halaman Pegawai › Ubah…; "
                    "impor berikutnya tidak akan mengubahnya."
                ).format(
                    assigned=number_text(chain.assigned),
                    without=number_text(len(chain.without)),
                    kept=number_text(len(chain.kept_manual)),
                )
            )
        if self.report.error_file:
            self.error_file_label.setText(
                _("Baris yang ditolak beserta alasannya tersimpan di {path}.").format(path=self.report.error_file)
            )
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
        self.resize(1040, 660)
