"""Importing complaints: choose the file and its channel → map its columns → import → summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from kinerja_desktop.domain import pengaduan as rules
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.pengaduan.importer import FIELDS, REQUIRED, import_complaints, preview
from kinerja_desktop.services.pengaduan.query import office_units
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.progress import run_job
from kinerja_desktop.ui.theme import MessageLabel
from kinerja_desktop.ui.widgets import prepare_wizard, wrapped_label

FILE_FILTER = N_("Ekspor SP4N-LAPOR! atau lembar kerja (*.xlsx *.xlsm *.csv *.txt *.tsv)")


class ChoosePage(QWizardPage):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(_("Pilih berkas"))
        self.setSubTitle(_("Ekspor SP4N-LAPOR! atau lembar kerja lain (CSV/XLSX) berisi pengaduan."))
        layout = QFormLayout(self)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setObjectName("complaintImportPath")
        browse = QPushButton(_("Telusuri…"))
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.channel = QComboBox()
        for code, label in rules.CHANNELS.items():
            if code != "web":
                self.channel.addItem(_(label), code)
        self.unit = QComboBox()
        self.unit.addItem(_("(tidak ada: baris tanpa layanan/unit dikenal ditolak)"), None)
        layout.addRow(_("Berkas"), row)
        layout.addRow(_("Saluran (bila berkas tidak menyebutnya)"), self.channel)
        layout.addRow(_("Unit bawaan"), self.unit)
        self.message = MessageLabel()
        layout.addRow(self.message)
        browse.clicked.connect(self.browse)
        self.path.textChanged.connect(lambda _t: self.completeChanged.emit())

        def fill(units) -> None:
            for uid, name in units:
                self.unit.addItem(name, uid)

        ctx.query(office_units, fill, owner=self)

    def browse(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Pilih berkas pengaduan"), "", _(FILE_FILTER))
        if path:
            self.path.setText(path)

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:  # noqa: N802

        try:
            self.wizard().preview = preview(self.path.text().strip())
        except UserError as exc:
            self.message.show_message(exc.message)
            return False
        return True


class MappingPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(_("Pemetaan kolom"))
        self.setSubTitle(
            _(
                "Tentukan isi setiap kolom. Kolom yang tidak dikenal diabaikan; nomor rujukan, tanggal "
                "dan uraian wajib ada."
            )
        )
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("columnMapping")
        self.table.setHorizontalHeaderLabels([_("Kolom di berkas"), _("Contoh isi"), _("Diimpor sebagai")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.message = MessageLabel()
        layout.addWidget(self.message)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:  # noqa: N802

        p = self.wizard().preview
        self.table.setRowCount(len(p.headers))
        self.combos = []
        for i, header in enumerate(p.headers):
            self.table.setItem(i, 0, QTableWidgetItem(header or _("(tanpa judul)")))
            sample = next((r[i] for r in p.sample if i < len(r) and r[i]), "")
            self.table.setItem(i, 1, QTableWidgetItem(str(sample)[:80]))
            combo = QComboBox()
            combo.addItem(_("(abaikan)"), None)
            for key, label in FIELDS.items():
                combo.addItem(_(label), key)
            combo.setCurrentIndex(max(0, combo.findData(p.mapping.get(i))))
            self.table.setCellWidget(i, 2, combo)
            self.combos.append(combo)

    def mapping(self) -> dict[int, str]:
        return {i: c.currentData() for i, c in enumerate(self.combos) if c.currentData()}

    def validatePage(self) -> bool:  # noqa: N802

        chosen = list(self.mapping().values())
        twice = sorted({f for f in chosen if chosen.count(f) > 1})
        missing = [f for f in REQUIRED if f not in chosen]
        if twice:
            self.message.show_message(
                _("Isian {f} dipilih untuk lebih dari satu kolom.").format(f=", ".join(_(FIELDS[f]) for f in twice))
            )
            return False
        if missing:
            self.message.show_message(
                _("Tentukan kolom untuk: {f}.").format(f=", ".join(_(FIELDS[f]) for f in missing))
            )
            return False
        return True


class ResultPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(_("Hasil impor"))
        layout = QVBoxLayout(self)
        self.summary = wrapped_label("")
        self.summary.setObjectName("complaintImportSummary")
        layout.addWidget(self.summary)
        self.rejected = QTableWidget(0, 4)
        self.rejected.setHorizontalHeaderLabels([_("Baris"), _("Kolom"), _("Nilai"), _("Alasan")])
        self.rejected.verticalHeader().setVisible(False)
        self.rejected.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.rejected.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.rejected, 1)

    def initializePage(self) -> None:  # noqa: N802
        wizard = self.wizard()
        report = wizard.run_import()
        if report is None:
            self.summary.setText(_("Impor tidak dijalankan; tidak ada yang diubah."))
            return
        lines = [
            _("Pengaduan dicatat: {n}").format(n=report.created),
            _("Baris ditolak: {n}").format(n=report.rejected_rows),
        ]
        if report.ignored_columns:
            lines.append(_("Kolom diabaikan: {cols}").format(cols=", ".join(report.ignored_columns)))
        if report.error_file:
            lines.append(_("Rincian baris yang ditolak: {path}").format(path=report.error_file))
        self.summary.setText("\n".join(lines))
        errors = report.rejected[:500]
        self.rejected.setRowCount(len(errors))
        for r, e in enumerate(errors):
            for c, v in enumerate((e.row, e.column, e.value, e.reason)):
                self.rejected.setItem(r, c, QTableWidgetItem(str(v)))


class ComplaintImportWizard(QWizard):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.preview = None
        self.report = None
        prepare_wizard(self, _("Impor pengaduan"), _("Selesai"))
        self.choose = ChoosePage(ctx)
        self.mapping_page = MappingPage()
        self.result_page = ResultPage()
        for page in (self.choose, self.mapping_page, self.result_page):
            self.addPage(page)
        self.resize(820, 560)

    def run_import(self):

        principal, path = self.ctx.principal, str(Path(self.choose.path.text().strip()))
        mapping, channel = self.mapping_page.mapping(), self.choose.channel.currentData()
        unit_id = self.choose.unit.currentData()

        def make_job(db):
            def job():
                with db.transaction() as s:
                    return (
                        yield from import_complaints(
                            s, principal, path, mapping=mapping, channel=channel, default_unit_id=unit_id
                        )
                    )

            return job()

        dialog = run_job(
            self.ctx.runner, make_job, title=_("Impor pengaduan"), text=_("Mengimpor pengaduan…"), parent=self
        )
        if dialog.error is not None:
            handle_exception(type(dialog.error), dialog.error, dialog.error.__traceback__)
        self.report = dialog.result if dialog.error is None else None
        if self.report is not None:
            self.ctx.bus.notify({"complaints"})
        return self.report
