"""Sinkronisasi: this site's identity and enrollment, what is waiting for each peer, the
history of bundles sent and received, bundle files to and from a folder or USB stick, and
the shared-folder outbox/inbox. Every export and import runs off the UI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.errors import UserError
from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.sync.enrollment import write_request
from kinerja_desktop.sync.errors import FingerprintNeeded
from kinerja_desktop.sync.export import export_bundle
from kinerja_desktop.sync.folders import (
    bundle_file_name,
    get_shared_folders,
    pick_up_inbox,
    send_to_outbox,
    set_shared_folders,
)
from kinerja_desktop.sync.hlc_guard import clock_warning
from kinerja_desktop.sync.importer import import_bundle_file
from kinerja_desktop.sync.keys import fingerprint
from kinerja_desktop.sync.status import sync_status
from kinerja_desktop.ui.dialogs.enrollment_fingerprint import FingerprintDialog
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.pages.base import Page
from kinerja_desktop.ui.sync_auto import SyncNowBox

KIND_LABELS = {
    "changes": N_("perubahan"),
    "ack": N_("tanda terima"),
    "enrollment": N_("pendaftaran"),
    "snapshot": N_("salinan"),
}
RESULT_LABELS = {"dikirim": N_("dikirim"), "applied": N_("diterapkan")}
PEER_COLUMNS = (
    N_("Situs"),
    N_("Nama kantor"),
    N_("Peran"),
    N_("Perubahan tertunda"),
    N_("Tanda terima terakhir"),
    N_("Bundel terakhir diterima"),
)
#: The newest bundles the history shows (its title says so).
HISTORY_SHOWN = 50
HISTORY_COLUMNS = (
    N_("Waktu"),
    N_("Arah"),
    N_("Situs"),
    N_("Jenis"),
    N_("Bundel"),
    N_("Baris"),
    N_("Ukuran"),
    N_("Hasil"),
)


def _when(dt) -> str:
    return dt.strftime("%d-%m-%Y %H:%M") if dt else "—"


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _table(columns) -> QTableWidget:
    t = QTableWidget(0, len(columns))
    t.setHorizontalHeaderLabels([_(c) for c in columns])
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setAlternatingRowColors(True)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setStretchLastSection(True)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return t


def _fill(table: QTableWidget, rows: list[tuple]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(str(value))
            if isinstance(value, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


class SyncPage(Page):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:  # noqa: PLR0915 (long: builds the widgets top to bottom, one field or button a line)
        super().__init__(ctx, parent)
        self.status = None
        self.refresh_on("sync")
        layout = self.page_layout(
            _("Sinkronisasi"),
            _("Kirim data ke kantor pusat dan terima data darinya dengan berkas bundel (USB, surel, folder bersama)."),
        )
        top = QHBoxLayout()
        ident = QGroupBox(_("Identitas situs ini"))
        form = QFormLayout(ident)
        self.site_label = QLabel("…")
        self.role_label = QLabel("…")
        self.enrolled_label = QLabel("…")
        self.fingerprint_label = QLabel("…")
        self.server_label = QLabel("…")
        self.enrolled_label.setWordWrap(True)
        for w in (self.site_label, self.fingerprint_label):
            w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(_("Situs:"), self.site_label)
        form.addRow(_("Peran:"), self.role_label)
        form.addRow(_("Pendaftaran:"), self.enrolled_label)
        form.addRow(_("Sidik jari kunci:"), self.fingerprint_label)
        form.addRow(_("Server:"), self.server_label)
        self.clock_label = QLabel("")
        self.clock_label.setObjectName("clockWarning")
        self.clock_label.setWordWrap(True)
        self.clock_label.setStyleSheet("color: #b00020;")
        form.addRow(self.clock_label)
        top.addWidget(ident, 2)

        files = QGroupBox(_("Berkas bundel"))
        fl = QVBoxLayout(files)
        target_row = QHBoxLayout()
        target_row.addWidget(QLabel(_("Tujuan:")))
        self.target = QComboBox()
        self.target.setObjectName("syncTarget")
        self.target.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.target.setMinimumContentsLength(26)
        target_row.addWidget(self.target, 1)
        fl.addLayout(target_row)
        self.export_button = QPushButton(_("Simpan bundel ke folder/USB…"))
        self.export_button.setObjectName("syncExport")
        self.import_button = QPushButton(_("Buka bundel yang diterima…"))
        self.import_button.setObjectName("syncImport")
        self.request_button = QPushButton(_("Buat permintaan pendaftaran…"))
        self.request_button.setObjectName("syncRequest")
        self.request_button.hide()
        fl.addWidget(self.export_button)
        fl.addWidget(self.import_button)
        fl.addWidget(self.request_button)
        fl.addStretch(1)
        top.addWidget(files, 1)

        shared = QGroupBox(_("Folder bersama"))
        sl = QFormLayout(shared)
        self.outbox = QLineEdit()
        self.outbox.setPlaceholderText(_("mis. \\\\server\\kinerja\\ke-pusat"))
        self.inbox = QLineEdit()
        self.inbox.setPlaceholderText(_("mis. \\\\server\\kinerja\\dari-pusat"))
        sl.addRow(_("Folder kirim:"), self._with_browse(self.outbox))
        sl.addRow(_("Folder terima:"), self._with_browse(self.inbox))
        buttons = QHBoxLayout()
        self.save_folders = QPushButton(_("Simpan folder"))
        self.exchange_button = QPushButton(_("Kirim dan ambil sekarang"))
        self.exchange_button.setObjectName("syncExchange")
        buttons.addWidget(self.save_folders)
        buttons.addWidget(self.exchange_button)
        sl.addRow(buttons)
        top.addWidget(shared, 2)
        layout.addLayout(top)

        layout.addWidget(SyncNowBox(ctx))

        self.message = QLabel("")
        self.message.setObjectName("syncMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self.peers = _table(PEER_COLUMNS)
        self.peers.setObjectName("syncPeers")
        self.history = _table(HISTORY_COLUMNS)
        self.history.setObjectName("syncHistory")
        splitter = QSplitter(Qt.Orientation.Vertical)
        history_title = _("Riwayat bundel ({n} terakhir)").format(n=HISTORY_SHOWN)
        for title, table in ((_("Situs terdaftar"), self.peers), (history_title, self.history)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(table)
            splitter.addWidget(box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

        self.export_button.clicked.connect(self.save_bundle)
        self.import_button.clicked.connect(self.open_bundle)
        self.request_button.clicked.connect(lambda: self.request_enrollment())
        self.save_folders.clicked.connect(self.store_folders)
        self.exchange_button.clicked.connect(self.exchange)
        self.busy = False
        self.refresh()

    def _with_browse(self, edit: QLineEdit) -> QWidget:
        w = QWidget()
        row = QHBoxLayout(w)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        button = QPushButton(_("Pilih…"))
        button.clicked.connect(lambda: self._browse(edit))
        row.addWidget(button)
        return w

    def _browse(self, edit: QLineEdit) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Pilih folder"), edit.text())
        if folder:
            edit.setText(folder)

    # -- reading -----------------------------------------------------------------------------
    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        def load(db):

            with db.session() as s:
                folders = get_shared_folders(s)
            return sync_status(db, history_limit=HISTORY_SHOWN), folders

        self.ctx.runner.submit(load, self._show, self._failed, key="sync-status", owner=self, pass_db=True)

    # long: fills the status panel, one line of figures after another
    def _show(self, payload) -> None:
        st, folders = payload
        self.status = st
        self.site_label.setText(f"{st.site_id} — {st.name or '—'}")
        self.role_label.setText(_("kantor pusat") if st.is_central else _("kantor"))
        if st.is_central:
            self.enrolled_label.setText(_("{n} kantor terdaftar").format(n=len(st.peers)))
        elif st.enrolled:
            central = next((p for p in st.peers if p.is_central), None)
            self.enrolled_label.setText(_("terdaftar di {site}").format(site=central.site_id if central else "—"))
        else:
            self.enrolled_label.setText(
                _(
                    "belum terdaftar: buat permintaan pendaftaran, kirim ke BKPSDM, lalu buka "
                    "bundel pendaftaran yang dikirim kembali"
                )
            )
        self.request_button.setVisible(not st.is_central and not st.enrolled and st.initialized)
        self.fingerprint_label.setText(st.fingerprint or _("belum ada kunci"))
        self.server_label.setText(st.server_url or "—")
        self.clock_label.setText(st.clock_warning or "")
        self.clock_label.setVisible(bool(st.clock_warning))
        current = self.target.currentData()
        self.target.clear()
        for p in st.peers:
            if not p.revoked:
                self.target.addItem(f"{p.site_id} — {p.name}", p.site_id)
        if current:
            i = self.target.findData(current)
            if i >= 0:
                self.target.setCurrentIndex(i)
        ready = st.initialized and self.target.count() > 0
        self.export_button.setEnabled(ready and not self.busy)
        self.exchange_button.setEnabled(ready and folders.configured and not self.busy)
        if not self.outbox.text() and folders.outbox:
            self.outbox.setText(str(folders.outbox))
        if not self.inbox.text() and folders.inbox:
            self.inbox.setText(str(folders.inbox))
        roles = {True: _("kantor pusat"), False: _("kantor")}
        _fill(
            self.peers,
            [
                (
                    p.site_id,
                    p.name,
                    _("dicabut") if p.revoked else roles[p.is_central],
                    p.pending,
                    _when(p.acked_at),
                    _when(p.received_at),
                )
                for p in st.peers
            ],
        )
        _fill(
            self.history,
            [
                (
                    _when(h.at),
                    _("↑ keluar") if h.direction == "out" else _("↓ masuk"),
                    h.peer,
                    _(KIND_LABELS.get(h.kind, h.kind)),
                    h.bundle_id[:8],
                    h.total,
                    _size(h.size),
                    _(RESULT_LABELS.get(h.result, h.result))
                    + (_(", {n} konflik").format(n=number_text(h.conflicts)) if h.conflicts else ""),
                )
                for h in st.history
            ],
        )

    def _failed(self, exc: BaseException) -> None:

        self.busy = False
        self._set_busy(False)
        if isinstance(exc, FingerprintNeeded):
            self._confirm_fingerprint(exc)
        elif isinstance(exc, UserError):
            self._say(exc.message, error=True)
        else:
            handle_exception(type(exc), exc, exc.__traceback__, parent=self)

    def _confirm_fingerprint(self, exc) -> None:
        """A first enrollment: show central's fingerprint large; import again once confirmed."""

        dialog = FingerprintDialog(exc.fingerprint, exc.central, self)
        if dialog.exec() == FingerprintDialog.DialogCode.Accepted:
            self.import_from(self._import_path, fingerprint=exc.fingerprint)
        else:
            self._say(_("Pendaftaran dibatalkan; tidak ada yang diubah."), error=True)

    def request_enrollment(self, path: str | None = None) -> None:
        """Write this office's enrollment request (to send to BKPSDM with its fingerprint)."""
        if not path:
            path, _filter = QFileDialog.getSaveFileName(
                self,
                _("Simpan permintaan pendaftaran"),
                str(Path.home() / "permintaan-pendaftaran.json"),
                _("Permintaan pendaftaran (*.json)"),
            )
            if not path:
                return

        def work(db):

            req = write_request(db, path)
            return req["site_id"], fingerprint(req["sign_key"])

        def done(result) -> None:
            site, fp = result
            self._set_busy(False)
            self._say(
                _(
                    "Permintaan pendaftaran situs {site} disimpan di {path}. Kirim ke BKPSDM dan bacakan sidik "
                    "jari {fp} lewat telepon."
                ).format(site=site, path=path, fp=fp)
            )

        self._set_busy(True)
        self.ctx.runner.submit(work, done, self._failed, owner=self, pass_db=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.message.setText(text)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for b in (self.export_button, self.import_button, self.exchange_button, self.request_button):
            b.setEnabled(not busy)
        if not busy:
            self.refresh()

    # -- actions -----------------------------------------------------------------------------
    def save_bundle(self, path: str | None = None) -> None:
        target = self.target.currentData()
        if not target:
            return
        if not path:
            suggested = str(Path.home() / bundle_file_name(self.ctx.db.site_id, target))
            path, _filter = QFileDialog.getSaveFileName(
                self, _("Simpan bundel"), suggested, _("Bundel Kinerja (*.kinerja)")
            )
            if not path:
                return
        self.export_to(path, target)

    def export_to(self, path: str, target: str) -> None:
        def work(db):

            result = export_bundle(db, target, path=path)
            result.clock_warning = clock_warning(db.clock)
            return result

        self._set_busy(True)
        self._say(_("Menulis bundel…"))
        self.ctx.runner.submit(work, self._exported, self._failed, owner=self, pass_db=True)

    def _exported(self, result) -> None:
        text = _("Bundel untuk {site} disimpan di {path}: {n} perubahan, {size}.").format(
            site=result.target_site, path=result.path, n=result.total, size=_size(result.size)
        )
        warning = getattr(result, "clock_warning", None)
        self._say(text + (" " + warning if warning else ""), error=bool(warning))
        self._set_busy(False)

    def open_bundle(self, path: str | None = None) -> None:
        if not path:
            path, _filter = QFileDialog.getOpenFileName(
                self, _("Buka bundel"), str(Path.home()), _("Bundel Kinerja (*.kinerja)")
            )
            if not path:
                return
        self.import_from(path)

    def import_from(self, path: str, fingerprint: str | None = None) -> None:
        self._import_path = path

        def work(db):

            return import_bundle_file(db, path, fingerprint=fingerprint)

        self._set_busy(True)
        self._say(_("Memeriksa dan menerapkan bundel…"))
        self.ctx.runner.submit(work, self._imported, self._failed, owner=self, pass_db=True)

    def _imported(self, result) -> None:
        text = result.message
        if result.ack_path:
            text += " " + _("Tanda terima ditulis ke {path}; kirimkan ke {site}.").format(
                path=result.ack_path, site=result.source_site
            )
        self._say(text)
        self._set_busy(False)

    def store_folders(self) -> None:
        outbox, inbox = self.outbox.text().strip(), self.inbox.text().strip()

        def work(session):

            with session.begin():
                set_shared_folders(session, self.ctx.principal, outbox, inbox)

        def done(_result):
            self._say(_("Folder bersama disimpan."))
            self.refresh()

        self.ctx.runner.submit(work, done, self._failed, owner=self)

    def exchange(self) -> None:
        outbox, inbox = Path(self.outbox.text().strip()), Path(self.inbox.text().strip())

        def work(db):

            picked = pick_up_inbox(db, inbox, outbox)
            sent = send_to_outbox(db, outbox)
            return picked, sent

        self._set_busy(True)
        self._say(_("Mengambil dan mengirim bundel…"))
        self.ctx.runner.submit(work, self._exchanged, self._failed, owner=self, pass_db=True)

    def _exchanged(self, payload) -> None:
        picked, sent = payload
        refused = [p for p in picked if p.error]
        text = _("{n} bundel diterima, {k} bundel dikirim.").format(n=len(picked) - len(refused), k=len(sent))
        if refused:
            text += " " + " ".join(f"{p.path.name}: {p.error}" for p in refused)
        self._say(text, error=bool(refused))
        self._set_busy(False)
