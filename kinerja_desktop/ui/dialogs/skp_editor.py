"""The SKP editor: RHK (Utama/Tambahan) with their IKI, cascading or perspektif,
ekspektasi khusus pimpinan per BerAKHLAK value, the lampiran, and continuous feedback.

The document is edited in memory and saved at once with the version it was opened at
(``expected_hlc``); a save over someone else's newer one is refused with a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from kinerja_desktop.domain.berakhlak import BERAKHLAK
from kinerja_desktop.errors import UserError
from kinerja_desktop.formatting import date_words, nip_text
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.performance_access import require_view, require_write
from kinerja_desktop.services.optimistic import ConcurrentEdit
from kinerja_desktop.services.performance import skp as svc
from kinerja_desktop.services.performance.periods import get_period
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.skp import IKI_ASPEK, LAMPIRAN_KEYS, PERSPEKTIF, Skp
from kinerja_desktop.ui.dialogs.skp_feedback import FeedbackPanel
from kinerja_desktop.ui.operations import save_dialog, show_error
from kinerja_desktop.ui.saved import announce_saved, saved_at
from kinerja_desktop.ui.theme import scaled_font

LAMPIRAN_TITLES = {
    "dukungan_sumber_daya": N_("Dukungan sumber daya"),
    "skema_pertanggungjawaban": N_("Skema pertanggungjawaban"),
    "konsekuensi": N_("Konsekuensi"),
}
STATUS_TEXT = {"draft": N_("Draf"), "agreed": N_("Disepakati")}


class SkpEditor(QDialog):
    def __init__(self, ctx, skp_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.skp_id = skp_id
        self.view: svc.SkpView | None = None
        self.editable = False  # until the SKP has been read
        self.content: svc.SkpContent | None = None
        self.current = -1
        self.dirty = False
        self._loading = False
        self.resize(1180, 700)
        root = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setFont(scaled_font(self.title, 1.3, bold=True))
        self.title.setWordWrap(True)
        root.addWidget(self.title)
        self.info = QLabel()
        self.info.setWordWrap(True)
        root.addWidget(self.info)
        head = QHBoxLayout()
        head.addWidget(QLabel(_("Pendekatan")))
        self.approach = QComboBox()
        self.approach.addItem(_("Kuantitatif"), "kuantitatif")
        self.approach.addItem(_("Kualitatif"), "kualitatif")
        head.addWidget(self.approach)
        head.addStretch(1)
        root.addLayout(head)

        self.tabs = QTabWidget()
        root.addWidget(self.tabs, 1)
        self.tabs.addTab(self._hasil_tab(), _("Hasil kerja"))
        self.tabs.addTab(self._perilaku_tab(), _("Perilaku kerja"))
        self.tabs.addTab(self._lampiran_tab(), _("Lampiran"))

        self.feedback = FeedbackPanel(ctx, skp_id, self)
        self.tabs.addTab(self.feedback, _("Umpan balik dan bukti"))

        buttons = QHBoxLayout()
        self.save_button = QPushButton(_("Simpan"))
        self.save_button.setToolTip(_("Simpan SKP (Ctrl+S)"))
        self.agree_button = QPushButton(_("Sepakati…"))
        self.reopen_button = QPushButton(_("Ubah ke draf"))
        self.close_button = QPushButton(_("Tutup"))
        for b in (self.save_button, self.agree_button, self.reopen_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        root.addLayout(buttons)
        self.save_button.clicked.connect(lambda: self.save())  # not save(checked)
        self.agree_button.clicked.connect(self.agree)
        self.reopen_button.clicked.connect(self.reopen)
        self.close_button.clicked.connect(self.close)
        self.approach.currentIndexChanged.connect(self._touched)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self.load()

    # -- tabs --------------------------------------------------------------------------
    def _hasil_tab(self) -> QWidget:  # noqa: PLR0915 (long: builds the widgets top to bottom, one field or button a line)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        lbox.addWidget(QLabel(_("Rencana hasil kerja (A. Utama, B. Tambahan)")))
        self.rhk_list = QListWidget()
        self.rhk_list.setWordWrap(True)
        lbox.addWidget(self.rhk_list, 1)
        row = QHBoxLayout()
        self.add_rhk = QPushButton(_("Tambah RHK"))
        self.remove_rhk = QPushButton(_("Hapus RHK"))
        row.addWidget(self.add_rhk)
        row.addWidget(self.remove_rhk)
        lbox.addLayout(row)
        split.addWidget(left)

        right = QWidget()
        form = QFormLayout(right)
        self.group = QComboBox()
        self.group.addItem(_("Utama"), "utama")
        self.group.addItem(_("Tambahan"), "tambahan")
        form.addRow(_("Kelompok"), self.group)
        self.rhk_text = QPlainTextEdit()
        self.rhk_text.setFixedHeight(self.fontMetrics().height() * 4)
        form.addRow(_("Rencana hasil kerja"), self.rhk_text)
        self.parent_combo = QComboBox()
        self.parent_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.parent_combo.setMinimumContentsLength(30)
        self.parent_label = QLabel(_("RHK pimpinan yang diintervensi"))
        form.addRow(self.parent_label, self.parent_combo)
        self.perspektif = QComboBox()
        self.perspektif.addItem(_("— pilih perspektif —"), None)
        for p in PERSPEKTIF:
            self.perspektif.addItem(_(p), p)
        self.perspektif_label = QLabel(_("Perspektif"))
        form.addRow(self.perspektif_label, self.perspektif)
        self.iki_table = QTableWidget(0, 3)
        self.iki_table.setHorizontalHeaderLabels([_("Aspek"), _("Indikator kinerja individu"), _("Target")])
        self.iki_table.verticalHeader().setVisible(False)
        header = self.iki_table.horizontalHeader()
        header.resizeSection(0, 110)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(2, 150)
        form.addRow(_("IKI dan target"), self.iki_table)
        iki_buttons = QHBoxLayout()
        self.add_iki = QPushButton(_("Tambah IKI"))
        self.remove_iki = QPushButton(_("Hapus IKI"))
        # The IKI whose realisasi the evaluation takes from the complaint register.
        self.add_complaint_iki = QPushButton(_("IKI pengaduan"))
        self.add_complaint_iki.setToolTip(
            _(
                'Tambahkan IKI "Persentase pengaduan ditindaklanjuti tepat waktu"; '
                "realisasinya diisi dari register pengaduan saat evaluasi"
            )
        )
        iki_buttons.addWidget(self.add_iki)
        iki_buttons.addWidget(self.add_complaint_iki)
        iki_buttons.addWidget(self.remove_iki)
        iki_buttons.addStretch(1)
        form.addRow("", iki_buttons)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)

        self.rhk_list.currentRowChanged.connect(self._select_rhk)
        self.add_rhk.clicked.connect(self._add_rhk)
        self.remove_rhk.clicked.connect(self._remove_rhk)
        self.add_iki.clicked.connect(lambda: self._add_iki_row("Kuantitas", "", ""))
        self.add_complaint_iki.clicked.connect(
            lambda: self._add_iki_row("Waktu", "Persentase pengaduan ditindaklanjuti tepat waktu", "100 %")
        )
        self.remove_iki.clicked.connect(self._remove_iki_row)
        for signal in (
            self.group.currentIndexChanged,
            self.parent_combo.currentIndexChanged,
            self.perspektif.currentIndexChanged,
            self.rhk_text.textChanged,
            self.iki_table.itemChanged,
        ):
            signal.connect(self._touched)
        return split

    def _perilaku_tab(self) -> QWidget:
        tab = QWidget()
        grid = QGridLayout(tab)
        grid.addWidget(QLabel(_("<b>Nilai BerAKHLAK</b>")), 0, 0)
        grid.addWidget(QLabel(_("<b>Ekspektasi khusus pimpinan</b>")), 0, 1)
        self.expectations: dict[str, QLineEdit] = {}
        for row, value in enumerate(BERAKHLAK, start=1):
            label = QLabel(_(value.name))
            label.setToolTip("\n".join(_(t) for t in value.indicators))
            edit = QLineEdit()
            edit.setPlaceholderText(_(value.indicators[0]))
            edit.textChanged.connect(self._touched)
            self.expectations[value.code] = edit
            grid.addWidget(label, row, 0)
            grid.addWidget(edit, row, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(BERAKHLAK) + 1, 1)
        return tab

    def _lampiran_tab(self) -> QWidget:
        tab = QWidget()
        box = QHBoxLayout(tab)
        self.lampiran: dict[str, QPlainTextEdit] = {}
        for key in LAMPIRAN_KEYS:
            col = QVBoxLayout()
            col.addWidget(QLabel(_(LAMPIRAN_TITLES[key])))
            edit = QPlainTextEdit()
            edit.setPlaceholderText(_("Satu butir per baris"))
            edit.textChanged.connect(self._touched)
            self.lampiran[key] = edit
            col.addWidget(edit)
            box.addLayout(col)
        return tab

    # -- loading -----------------------------------------------------------------------
    def load(self) -> None:
        """Read the SKP again (off the UI thread); the tabs are filled when it arrives."""
        principal, skp_id = self.ctx.principal, self.skp_id
        self.ctx.query(lambda s: read_skp(s, principal, skp_id), self._loaded, owner=self, key=f"skp-{id(self)}")

    def _loaded(self, got: LoadedSkp) -> None:
        self.view, self.choices, self.writable = got.view, got.choices, got.writable
        self.supervisor_name, self.position_name = got.supervisor_name, got.position_name
        self.content = got.content
        self._loading = True
        try:
            self._fill()
        finally:
            self._loading = False
        self.dirty = False
        self.feedback.set_rhks([(r.id, r.text) for r in self.content.rhks if r.id], self.writable)

    # long: fills the editor's widgets from the SKP, one section after another
    def _fill(self) -> None:
        skp, emp = self.view.skp, self.view.employee
        self.hlc = skp.updated_hlc
        model = _("JPT (perspektif)") if skp.model == "jpt" else _("non-JPT (RHK pimpinan yang diintervensi)")
        self.title.setText(_("SKP {year} · {name}").format(year=skp.year, name=emp.full_name))
        self.setWindowTitle(_("SKP {year} — {name}").format(year=skp.year, name=emp.full_name))
        status = _(STATUS_TEXT[skp.status])
        if skp.agreed_on:
            status += " " + _("pada {day}").format(day=date_words(skp.agreed_on))
        self.info.setText(
            _(
                "NIP {nip} · {position} · Pejabat penilai: {sup} · Model: {model} · Masa {start} s.d. "
                "{end} · Status: {status}"
            ).format(
                nip=nip_text(emp.nip),
                position=self.position_name,
                sup=self.supervisor_name,
                model=model,
                start=date_words(skp.start),
                end=date_words(skp.end),
                status=status,
            )
        )
        self.approach.setCurrentIndex(max(0, self.approach.findData(self.content.approach)))
        jpt = skp.model == "jpt"
        self.parent_combo.clear()
        self.parent_combo.addItem(
            _("— pilih RHK atasan langsung —") if self.choices else _("(atasan langsung belum punya SKP tahun ini)"),
            None,
        )
        for rid, text in self.choices:
            self.parent_combo.addItem(text, rid)
        for w in (self.parent_combo, self.parent_label):
            w.setVisible(not jpt)
        for w in (self.perspektif, self.perspektif_label):
            w.setVisible(jpt)
        for code, edit in self.expectations.items():
            edit.setText(self.content.expectations.get(code, ""))
        for key, edit in self.lampiran.items():
            edit.setPlainText("\n".join(self.content.lampiran.get(key, [])))
        editable = self.writable and skp.status == "draft"
        for w in [
            self.approach,
            self.add_rhk,
            self.remove_rhk,
            self.add_iki,
            self.add_complaint_iki,
            self.remove_iki,
            self.group,
            self.parent_combo,
            self.perspektif,
            self.save_button,
            *self.expectations.values(),
        ]:
            w.setEnabled(editable)
        self.rhk_text.setReadOnly(not editable)
        for edit in self.lampiran.values():
            edit.setReadOnly(not editable)
        self.agree_button.setVisible(skp.status == "draft")
        self.agree_button.setEnabled(self.writable)
        self.reopen_button.setVisible(skp.status == "agreed")
        self.reopen_button.setEnabled(self.writable)
        self.editable = editable
        self.current = -1
        self._refresh_list(0)

    def _rhk_label(self, index: int) -> str:
        rhks = self.content.rhks
        r = rhks[index]
        number = sum(1 for x in rhks[: index + 1] if x.group == r.group)
        prefix = "A" if r.group == "utama" else "B"
        return f"{prefix}.{number}  {r.text or _('(belum diisi)')}  [{len(r.ikis)} IKI]"

    def _refresh_list(self, select: int | None = None) -> None:
        self.content.rhks.sort(key=lambda r: r.group != "utama")
        self.rhk_list.blockSignals(True)
        self.rhk_list.clear()
        for i in range(len(self.content.rhks)):
            self.rhk_list.addItem(QListWidgetItem(self._rhk_label(i)))
        self.rhk_list.blockSignals(False)
        if self.content.rhks:
            row = min(select if select is not None else 0, len(self.content.rhks) - 1)
            self.current = -1
            self.rhk_list.setCurrentRow(row)
            self._select_rhk(row)
        else:
            self.current = -1
            self._show_rhk(None)

    def _select_rhk(self, row: int) -> None:
        if row == self.current:
            return
        self._commit()
        self.current = row
        self._show_rhk(self.content.rhks[row] if 0 <= row < len(self.content.rhks) else None)

    def _show_rhk(self, rhk: svc.RhkInput | None) -> None:
        was = self._loading
        self._loading = True
        try:
            enabled = rhk is not None and self.editable
            for w in (
                self.group,
                self.parent_combo,
                self.perspektif,
                self.add_iki,
                self.add_complaint_iki,
                self.remove_iki,
            ):
                w.setEnabled(enabled)
            # Read-only stays readable: no editing rather than a greyed-out table.
            self.iki_table.setEditTriggers(
                QTableWidget.EditTrigger.AllEditTriggers if enabled else QTableWidget.EditTrigger.NoEditTriggers
            )
            self.rhk_text.setReadOnly(not enabled)
            self.group.setCurrentIndex(0 if rhk is None or rhk.group == "utama" else 1)
            self.rhk_text.setPlainText(rhk.text if rhk else "")
            self.parent_combo.setCurrentIndex(max(0, self.parent_combo.findData(rhk.parent_rhk_id if rhk else None)))
            self.perspektif.setCurrentIndex(max(0, self.perspektif.findData(rhk.perspektif if rhk else None)))
            self.iki_table.setRowCount(0)
            for iki in rhk.ikis if rhk else []:
                self._add_iki_row(iki.aspek, iki.indicator, iki.target, iki.id)
        finally:
            self._loading = was

    def _add_iki_row(self, aspek: str, indicator: str, target: str, iki_id: str | None = None) -> None:
        row = self.iki_table.rowCount()
        self.iki_table.insertRow(row)
        combo = QComboBox()
        for a in IKI_ASPEK:
            combo.addItem(_(a), a)
        combo.setCurrentIndex(max(0, combo.findData(aspek)))
        combo.setEnabled(self.editable)
        combo.currentIndexChanged.connect(self._touched)
        self.iki_table.setCellWidget(row, 0, combo)
        item = QTableWidgetItem(indicator)
        item.setData(Qt.ItemDataRole.UserRole, iki_id)
        self.iki_table.setItem(row, 1, item)
        self.iki_table.setItem(row, 2, QTableWidgetItem(target))
        if not self._loading:
            self._touched()

    def _remove_iki_row(self) -> None:
        row = self.iki_table.currentRow()
        if row >= 0:
            self.iki_table.removeRow(row)
            self._touched()

    def _commit(self) -> None:
        """Write the form of the selected RHK back into the document in memory."""
        if self._loading or not (0 <= self.current < len(self.content.rhks)):
            return
        rhk = self.content.rhks[self.current]
        rhk.group = self.group.currentData()
        rhk.text = self.rhk_text.toPlainText().strip()
        jpt = self.view.skp.model == "jpt"
        rhk.parent_rhk_id = None if jpt else self.parent_combo.currentData()
        rhk.perspektif = self.perspektif.currentData() if jpt else None
        ikis = []
        for row in range(self.iki_table.rowCount()):
            combo = self.iki_table.cellWidget(row, 0)
            indicator = self.iki_table.item(row, 1)
            target = self.iki_table.item(row, 2)
            ikis.append(
                svc.IkiInput(
                    indicator.text() if indicator else "",
                    target.text() if target else "",
                    combo.currentData(),
                    indicator.data(Qt.ItemDataRole.UserRole) if indicator else None,
                )
            )
        rhk.ikis = ikis

    def _touched(self, *_args) -> None:
        if self._loading:
            return
        self.dirty = True
        if 0 <= self.current < len(self.content.rhks):
            self._commit()
            item = self.rhk_list.item(self.current)
            if item is not None:
                item.setText(self._rhk_label(self.current))

    def _add_rhk(self) -> None:
        self._commit()
        self.content.rhks.append(svc.RhkInput(text="", group="utama", ikis=[svc.IkiInput("", "", "Kuantitas")]))
        self.dirty = True
        self._refresh_list(sum(1 for r in self.content.rhks if r.group == "utama") - 1)
        self.rhk_text.setFocus()

    def _remove_rhk(self) -> None:
        if 0 <= self.current < len(self.content.rhks):
            del self.content.rhks[self.current]
            self.dirty = True
            self.current = -1
            self._refresh_list(0)

    # -- saving ------------------------------------------------------------------------
    def collect(self) -> svc.SkpContent:
        self._commit()
        self.content.approach = self.approach.currentData()
        self.content.expectations = {
            c: e.text() for c, e in self.expectations.items() if e.text().strip() or c in self.view.expectations
        }
        self.content.lampiran = {k: e.toPlainText().splitlines() for k, e in self.lampiran.items()}
        return self.content

    def save(self, then=None) -> None:
        """Save the SKP (off the UI thread); ``then()`` runs once it is saved."""
        if not self.editable:
            return
        principal, skp_id, content, hlc = self.ctx.principal, self.skp_id, self.collect(), self.hlc

        def saved(new_hlc: str) -> None:
            self.hlc = new_hlc
            self.dirty = False
            self.load()
            announce_saved(self, saved_at(_("SKP tersimpan.")))
            if then is not None:
                then()

        self.ctx.write(
            lambda s: svc.save_skp(s, principal, skp_id, content, expected_hlc=hlc).updated_hlc,
            saved,
            changes={"skp"},
            on_error=self._failed,
            owner=self,
        )

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ConcurrentEdit):
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(_("Disimpan oleh orang lain"))
            box.setText(exc.message)
            reload_button = box.addButton(_("Muat ulang"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(_("Tetap di sini"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is reload_button:
                self.load()
        else:
            show_error(exc, self)

    def agree(self) -> None:
        if self.dirty:
            self.save(self._agree_now)
        else:
            self._agree_now()

    def _agree_now(self) -> None:
        day = _ask_date(self, _("Sepakati SKP"), _("Tanggal SKP disepakati:"), date.today())
        if day is None:
            return
        principal, skp_id, hlc = self.ctx.principal, self.skp_id, self.hlc
        self.ctx.write(
            lambda s: svc.agree_skp(s, principal, skp_id, day, expected_hlc=hlc),
            lambda _r: self.load(),
            changes={"skp"},
            owner=self,
        )

    def reopen(self) -> None:
        if (
            QMessageBox.question(
                self,
                _("Ubah ke draf"),
                _(
                    "SKP yang sudah disepakati akan menjadi draf lagi agar dapat diubah, lalu perlu disepakati ulang. "
                    "Lanjutkan?"
                ),
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        principal, skp_id, hlc = self.ctx.principal, self.skp_id, self.hlc
        self.ctx.write(
            lambda s: svc.reopen_skp(s, principal, skp_id, expected_hlc=hlc),
            lambda _r: self.load(),
            changes={"skp"},
            owner=self,
        )

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.dirty and self.editable:
            answer = QMessageBox.question(
                self,
                _("SKP"),
                _("Simpan perubahan SKP sebelum menutup?"),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Save:
                event.ignore()  # closed once the save has succeeded
                self.save(self._close_saved)
                return
        super().closeEvent(event)

    def _close_saved(self) -> None:
        self.dirty = False
        self.close()


@dataclass
class LoadedSkp:
    """What the editor shows, read in one worker session."""

    view: object
    content: object
    choices: list
    writable: bool
    supervisor_name: str
    position_name: str


def read_skp(s, principal, skp_id: str) -> LoadedSkp:

    view = svc.load_skp(s, principal, skp_id)
    choices = [(r.id, r.text) for r in svc.supervisor_rhk_choices(s, view.skp.employee_id, view.skp.year)]
    try:
        require_write(s, principal, view.skp.employee_id)
        writable = not get_period(s, view.skp.period_id).closed
    except UserError:
        writable = False
    sup = view.employee.supervisor
    pos = view.employee.position
    return LoadedSkp(
        view,
        view.content(),
        choices,
        writable,
        sup.full_name if sup is not None else "-",
        pos.name if pos is not None else "-",
    )


def _ask_date(parent: QWidget, title: str, label: str, initial: date) -> date | None:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    box = QVBoxLayout(dialog)
    box.addWidget(QLabel(label))
    edit = QDateEdit(QDate(initial.year, initial.month, initial.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd-MM-yyyy")
    box.addWidget(edit)
    row = QHBoxLayout()
    ok, cancel = QPushButton(_("OK")), QPushButton(_("Batal"))
    ok.setDefault(True)
    row.addStretch(1)
    row.addWidget(ok)
    row.addWidget(cancel)
    box.addLayout(row)
    ok.clicked.connect(dialog.accept)
    cancel.clicked.connect(dialog.reject)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    d = edit.date()
    return date(d.year(), d.month(), d.day())


class NewSkpDialog(QDialog):
    """No SKP yet for the year: make one (optionally from last year's)."""

    def __init__(
        self,
        ctx,
        employee_id: str,
        year: int,
        parent: QWidget | None = None,
        *,
        known: tuple[str, int | None] | None = None,
    ) -> None:
        super().__init__(parent)

        self.ctx, self.employee_id, self.year = ctx, employee_id, year
        self.skp_id: str | None = None
        if known is None:

            def read(s):
                previous = s.scalar(
                    select(Skp.year)
                    .where(Skp.employee_id == employee_id, Skp.year < year, Skp.deleted.is_(False))
                    .order_by(Skp.year.desc())
                    .limit(1)
                )
                return s.get(Employee, employee_id).full_name, previous

            ctx.query(read, lambda got: self._build(*got), owner=self)
        else:
            self._build(*known)

    def _build(self, name: str, previous: int | None) -> None:
        year = self.year
        self.name = name
        self.setWindowTitle(_("SKP {year} — {name}").format(year=year, name=self.name))
        box = QVBoxLayout(self)
        box.addWidget(QLabel(_("{name} belum memiliki SKP tahun {year}.").format(name=self.name, year=year)))
        self.copy = QCheckBox(
            _("Mulai dari SKP tahun {prev}").format(prev=previous)
            if previous
            else _("Mulai dari SKP tahun lalu (tidak ada)")
        )
        self.copy.setChecked(previous is not None)
        self.copy.setEnabled(previous is not None)
        box.addWidget(self.copy)
        row = QHBoxLayout()
        self.create_button = QPushButton(_("Buat SKP"))
        self.create_button.setDefault(True)
        cancel = QPushButton(_("Batal"))
        row.addStretch(1)
        row.addWidget(self.create_button)
        row.addWidget(cancel)
        box.addLayout(row)
        self.create_button.clicked.connect(self.create)
        cancel.clicked.connect(self.reject)

    def create(self) -> None:
        principal, employee_id, year, copy = self.ctx.principal, self.employee_id, self.year, self.copy.isChecked()
        save_dialog(
            self.ctx,
            self,
            lambda s: svc.create_skp(s, principal, employee_id, year, copy_previous=copy).id,
            changes={"skp"},
            on_saved=lambda skp_id: setattr(self, "skp_id", skp_id),
        )


def open_skp_editor(ctx, employee_id: str, year: int, parent: QWidget | None = None) -> None:
    """Open the employee's SKP of ``year`` (offering to make it when there is none)."""

    principal = ctx.principal

    def find(s):
        require_view(s, principal, employee_id)
        skp = svc.skp_for(s, employee_id, year)
        return skp.id if skp else None

    def found(skp_id: str | None) -> None:
        if skp_id is None:
            dialog = NewSkpDialog(ctx, employee_id, year, parent)
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.skp_id is None:
                return
            skp_id = dialog.skp_id
        SkpEditor(ctx, skp_id, parent).exec()

    ctx.query(find, found, owner=parent)
