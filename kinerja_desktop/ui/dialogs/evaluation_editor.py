"""The evaluation editor: realisasi per IKI, ratings, the predikat shown live, finalize, revise.

Loads and saves are small (one evaluation); they run on the UI thread. Every save passes
the version the editor opened (``expected_hlc``): when someone else saved in between,
the person is told and may reload; nothing is silently overwritten.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.berakhlak import BERAKHLAK
from kinerja_desktop.domain.dates import format_date_id
from kinerja_desktop.domain.pengaduan import is_complaint_iki
from kinerja_desktop.domain.predikat import Rating
from kinerja_desktop.formatting import date_words
from kinerja_desktop.i18n import _
from kinerja_desktop.services.optimistic import ConcurrentEdit
from kinerja_desktop.services.pengaduan.docs import fill_complaint_realisasi
from kinerja_desktop.services.performance import evaluations as svc
from kinerja_desktop.services.performance.periods import period_label
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.ui.operations import show_error
from kinerja_desktop.ui.pages.penilaian.chart import predikat_color
from kinerja_desktop.ui.saved import announce_saved, saved_at
from kinerja_desktop.ui.theme import error_text, muted_text, scaled_font

EDITABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
# Columns of the hasil kerja table.
H_NO, H_RHK, H_ASPEK, H_IKI, H_TARGET, H_REALISASI, H_UMPAN = range(7)
# Columns of the perilaku table.
P_VALUE, P_INDICATORS, P_EXPECT, P_UMPAN = range(4)


def _item(text: str, editable: bool = False, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(EDITABLE if editable else READ_ONLY)
    if tooltip:
        item.setToolTip(tooltip)
    return item


def rating_combo() -> QComboBox:
    combo = QComboBox()
    combo.addItem(_("— belum dinilai —"), None)
    for r in Rating:
        combo.addItem(r.label, r.value)
    return combo


def _set_combo(combo: QComboBox, value) -> None:
    i = combo.findData(value)
    combo.setCurrentIndex(i if i >= 0 else 0)


def person_text(identity: dict | None) -> str:
    if not identity:
        return _("(tidak ada)")
    nip = identity.get("nip") or "-"
    return (
        f"{identity['nama']} · NIP {nip} · {identity.get('pangkat_golongan') or '-'}\n"
        f"{identity.get('jabatan') or '-'} · {identity.get('unit_kerja') or '-'}"
    )


class EvaluationEditor(QDialog):
    def __init__(self, ctx, evaluation_id: str, parent: QWidget | None = None, *, view=None) -> None:  # noqa: PLR0915 (long: builds the widgets top to bottom, one field or button a line)
        super().__init__(parent)
        self.ctx = ctx
        self.evaluation_id = evaluation_id
        self.view = None
        self.hlc = ""
        self.dirty = False
        self._loading = False
        self.setWindowTitle(_("Evaluasi Kinerja"))
        self.resize(1180, 700)
        root = QVBoxLayout(self)

        self.title = QLabel()
        self.title.setFont(scaled_font(self.title, 1.3, bold=True))
        self.title.setWordWrap(True)
        root.addWidget(self.title)
        people = QFormLayout()
        self.pegawai_label, self.penilai_label, self.atasan_label = QLabel(), QLabel(), QLabel()
        for label in (self.pegawai_label, self.penilai_label, self.atasan_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        people.addRow(_("Pegawai yang dinilai"), self.pegawai_label)
        people.addRow(_("Pejabat penilai kinerja"), self.penilai_label)
        people.addRow(_("Atasan pejabat penilai"), self.atasan_label)
        root.addLayout(people)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        root.addWidget(self.status_label)

        self.tabs = QTabWidget()
        root.addWidget(self.tabs, 1)
        self.tabs.addTab(self._hasil_tab(), _("Hasil kerja"))
        self.tabs.addTab(self._perilaku_tab(), _("Perilaku kerja"))
        self.catatan = QPlainTextEdit()
        self.catatan.setPlaceholderText(_("Catatan dan rekomendasi pejabat penilai"))
        self.tabs.addTab(self.catatan, _("Catatan/Rekomendasi"))
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.history.setTextFormat(Qt.TextFormat.RichText)
        self.tabs.addTab(self.history, _("Riwayat versi"))

        # The predikat, live, and what is still missing.
        bottom = QHBoxLayout()
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box_layout = QHBoxLayout(box)
        box_layout.addWidget(QLabel(_("Predikat kinerja:")))
        self.predikat_label = QLabel()
        self.predikat_label.setObjectName("predikatLive")
        self.predikat_label.setFont(scaled_font(self.predikat_label, 1.4, bold=True))
        box_layout.addWidget(self.predikat_label)
        box_layout.addStretch(1)
        bottom.addWidget(box, 2)
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        bottom.addWidget(self.missing_label, 3)
        root.addLayout(bottom)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(_("Simpan draf"))
        self.save_button.setToolTip(_("Simpan (Ctrl+S)"))
        self.final_button = QPushButton(_("Finalkan…"))
        self.revise_button = QPushButton(_("Buat revisi…"))
        self.reload_button = QPushButton(_("Muat ulang"))
        self.close_button = QPushButton(_("Tutup"))
        for b in (self.save_button, self.final_button, self.revise_button, self.reload_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        root.addLayout(buttons)
        self.save_button.clicked.connect(lambda: self.save())  # not save(checked)
        self.final_button.clicked.connect(self.finalize)
        self.revise_button.clicked.connect(self.revise)
        self.reload_button.clicked.connect(self.reload)
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        if view is not None:
            self._loaded(view)
        else:
            self.load()

    # -- tabs --------------------------------------------------------------------------
    def _hasil_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        self.hasil_table = QTableWidget(0, 7)
        self.hasil_table.setHorizontalHeaderLabels(
            [
                _("No."),
                _("Rencana hasil kerja"),
                _("Aspek"),
                _("Indikator kinerja individu"),
                _("Target"),
                _("Realisasi berdasarkan bukti dukung"),
                _("Umpan balik"),
            ]
        )
        self.hasil_table.verticalHeader().setVisible(False)
        self.hasil_table.setWordWrap(True)
        self.hasil_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        header = self.hasil_table.horizontalHeader()
        for col, width in ((H_NO, 44), (H_RHK, 230), (H_ASPEK, 80), (H_IKI, 210), (H_TARGET, 100), (H_REALISASI, 220)):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        box.addWidget(self.hasil_table, 1)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        box.addWidget(self.notes_label)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Rating hasil kerja")))
        self.hasil_combo = rating_combo()
        row.addWidget(self.hasil_combo)
        self.head_note = QLabel()
        self.head_note.setWordWrap(True)
        row.addWidget(self.head_note, 1)
        # IKI measured by the complaint register ("persentase pengaduan ditindaklanjuti tepat waktu").
        self.complaints_button = QPushButton(_("Isi dari register pengaduan"))
        self.complaints_button.setObjectName("complaintRealisasi")
        self.complaints_button.setToolTip(
            _(
                "Realisasi IKI tentang pengaduan dari register pengaduan periode ini, "
                "dengan daftar pengaduannya sebagai bukti dukung"
            )
        )
        self.complaints_button.setVisible(False)
        self.complaints_button.clicked.connect(self.fill_from_complaints)
        row.addWidget(self.complaints_button)
        box.addLayout(row)
        self.hasil_table.itemChanged.connect(self._changed)
        self.hasil_table.currentCellChanged.connect(lambda r, _c, _pr, _pc: self._show_notes(r))
        self.hasil_combo.currentIndexChanged.connect(self._changed)
        return tab

    def _perilaku_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        self.perilaku_table = QTableWidget(len(BERAKHLAK), 4)
        self.perilaku_table.setHorizontalHeaderLabels(
            [_("Nilai BerAKHLAK"), _("Panduan perilaku"), _("Ekspektasi khusus pimpinan"), _("Umpan balik")]
        )
        self.perilaku_table.verticalHeader().setVisible(False)
        self.perilaku_table.setWordWrap(True)
        header = self.perilaku_table.horizontalHeader()
        for col, width in ((P_VALUE, 160), (P_INDICATORS, 380), (P_EXPECT, 240)):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        box.addWidget(self.perilaku_table, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Rating perilaku kerja")))
        self.perilaku_combo = rating_combo()
        row.addWidget(self.perilaku_combo)
        row.addStretch(1)
        box.addLayout(row)
        self.perilaku_table.itemChanged.connect(self._changed)
        self.perilaku_combo.currentIndexChanged.connect(self._changed)
        return tab

    # -- loading -----------------------------------------------------------------------
    def load(self) -> None:
        """Read the evaluation again (off the UI thread); the tables are filled when it arrives."""
        principal, evaluation_id = self.ctx.principal, self.evaluation_id
        self.ctx.query(
            lambda s: svc.evaluation_view(s, principal, evaluation_id),
            self._loaded,
            owner=self,
            key=f"evaluation-{id(self)}",
        )

    def _loaded(self, view) -> None:
        self.view = view
        self._loading = True
        try:
            self._fill()
        finally:
            self._loading = False
        self.dirty = False
        self._update_live()

    def reload(self) -> None:
        if self.dirty and not self._confirm(_("Perubahan yang belum disimpan akan hilang. Muat ulang?")):
            return
        self.load()

    def _fill(self) -> None:  # noqa: PLR0915 (long: builds the widgets top to bottom, one field or button a line)
        v = self.view
        ev = v.evaluation
        self.hlc = ev.updated_hlc
        kind = _("Evaluasi tahunan") if ev.kind == "tahunan" else _("Evaluasi periodik")
        self.title.setText(f"{kind} · {v.period_label} · {v.employee.full_name}")
        self.setWindowTitle(_("Evaluasi Kinerja — {name}").format(name=v.employee.full_name))
        ids = v.identities
        self.pegawai_label.setText(person_text(ids.get("pegawai")))
        self.penilai_label.setText(person_text(ids.get("pejabat_penilai")))
        self.atasan_label.setText(person_text(ids.get("atasan_pejabat_penilai")))
        status = [
            _("Periode {start} s.d. {end}; batas pengisian {deadline}.").format(
                start=date_words(v.period.start), end=date_words(v.period.end), deadline=date_words(v.period.deadline)
            )
        ]
        if ev.status == "final":
            status.append(
                _("FINAL sejak {day} oleh {user}; tidak dapat diubah (koreksi melalui revisi).").format(
                    day=date_words(ev.finalized_on) if ev.finalized_on else "-", user=ev.finalized_by or "-"
                )
            )
        else:
            status.append(_("DRAF") + (" · " + _("disimpan {user}").format(user=ev.saved_by) if ev.saved_by else ""))
        if ev.revision_no:
            status.append(_("Revisi ke-{n}: {reason}").format(n=ev.revision_no, reason=ev.revision_reason))
        if v.period.closed:
            status.append(_("Periode ini sudah ditutup (hanya baca)."))
        cap = v.unit_capaian.label if v.unit_capaian else _("belum ditetapkan")
        status.append(_("Capaian kinerja organisasi periode ini: {capaian}.").format(capaian=cap))
        if ev.kind == "penugasan":
            status.append(_("Evaluasi akhir penugasan: SKP ini berakhir di tengah periode (mutasi/promosi)."))
        for earlier in v.earlier:  # the annual predikat weighs the earlier assignments of the year
            results = "; ".join(f"{label}: {pred or '-'}" for label, pred, _st in earlier.results) or "-"
            status.append(
                _("Penugasan sebelumnya ({start} s.d. {end}, {jabatan}, {unit}, dinilai {penilai}): {results}.").format(
                    start=format_date_id(earlier.start),
                    end=format_date_id(earlier.end),
                    jabatan=earlier.jabatan,
                    unit=earlier.unit,
                    penilai=earlier.penilai or "-",
                    results=results,
                )
            )
        self.status_label.setText(" ".join(status))

        # hasil kerja
        self.hasil_table.setRowCount(len(v.ikis))
        rhk_numbers: dict[str, str] = {}
        groups = {"utama": "A", "tambahan": "B"}
        counters = {"A": 0, "B": 0}
        realisasi = ev.realisasi or {}
        for row, (_n, rhk, iki) in enumerate(v.ikis):
            if rhk.id not in rhk_numbers:
                g = groups.get(rhk.group, "A")
                counters[g] += 1
                rhk_numbers[rhk.id] = f"{g}.{counters[g]}"
            if rhk.perspektif:
                context = _("Perspektif: {p}").format(p=rhk.perspektif)
            else:
                parent = v.skp.parent_texts.get(rhk.parent_rhk_id) if v.skp and rhk.parent_rhk_id else None
                context = _("RHK pimpinan yang diintervensi: {t}").format(t=parent or "-")
            notes = v.feedback_by_rhk.get(rhk.id, [])
            tip = context + (
                "\n\n"
                + _("Umpan balik berkelanjutan:")
                + "\n"
                + "\n".join(f"{date_words(n.noted_on)}: {n.text}" for n in notes)
                if notes
                else ""
            )
            entry = realisasi.get(iki.id, {})
            cells = [
                _item(rhk_numbers[rhk.id]),
                _item(rhk.text, tooltip=tip),
                _item(iki.aspek),
                _item(iki.indicator),
                _item(iki.target),
                _item(entry.get("realisasi", ""), v.editable),
                _item(entry.get("umpan_balik", ""), v.editable),
            ]
            cells[H_REALISASI].setData(Qt.ItemDataRole.UserRole, iki.id)
            for col, cell in enumerate(cells):
                self.hasil_table.setItem(row, col, cell)
        self.hasil_table.clearSpans()
        start = 0
        for row in range(1, len(v.ikis) + 1):  # one merged No/RHK cell per RHK, as on the form
            if row == len(v.ikis) or v.ikis[row][1].id != v.ikis[start][1].id:
                if row - start > 1:
                    self.hasil_table.setSpan(start, H_NO, row - start, 1)
                    self.hasil_table.setSpan(start, H_RHK, row - start, 1)
                start = row
        self.hasil_table.resizeRowsToContents()
        self._show_notes(0)

        # perilaku kerja
        expectations = v.skp.expectations if v.skp else {}
        feedback = ev.perilaku_feedback or {}
        for row, value in enumerate(BERAKHLAK):
            notes = v.feedback_by_value.get(value.code, [])
            tip = "\n".join(f"{date_words(n.noted_on)}: {n.text}" for n in notes)
            name = _item(_(value.name), tooltip=tip)
            name.setData(Qt.ItemDataRole.UserRole, value.code)
            self.perilaku_table.setItem(row, P_VALUE, name)
            self.perilaku_table.setItem(
                row, P_INDICATORS, _item("\n".join(f"{i}. {_(text)}" for i, text in enumerate(value.indicators, 1)))
            )
            self.perilaku_table.setItem(row, P_EXPECT, _item(expectations.get(value.code, "")))
            self.perilaku_table.setItem(row, P_UMPAN, _item(feedback.get(value.code, ""), v.editable))
        self.perilaku_table.resizeRowsToContents()

        _set_combo(self.hasil_combo, ev.rating_hasil_kerja)
        _set_combo(self.perilaku_combo, ev.rating_perilaku_kerja)
        self.hasil_combo.setEnabled(v.editable and not v.head_rule)
        self.perilaku_combo.setEnabled(v.editable)
        if v.head_rule:
            cap = v.capaian.label if v.capaian else _("belum ditetapkan")
            self.head_note.setText(
                _(
                    "Kepala unit: rating hasil kerja mengikuti capaian kinerja organisasi ({capaian}) "
                    "dan tidak dapat diubah."
                ).format(capaian=cap)
            )
        else:
            self.head_note.setText("")
        self.catatan.setPlainText(ev.catatan_rekomendasi or "")
        self.catatan.setReadOnly(not v.editable)
        self.save_button.setEnabled(v.editable)
        self.complaints_button.setVisible(v.editable and any(is_complaint_iki(iki.indicator) for _n, _r, iki in v.ikis))
        self.final_button.setEnabled(v.can_finalize)
        self.final_button.setVisible(ev.status == "draft")
        newest = v.versions[-1].id == ev.id if v.versions else True
        self.revise_button.setVisible(ev.status == "final" and newest and not v.period.closed)
        self._fill_history()

    def _fill_history(self) -> None:
        lines = []
        for version in self.view.versions:
            state = (
                _("final {day}").format(day=date_words(version.finalized_on))
                if version.status == "final" and version.finalized_on
                else _("draf")
            )
            reason = f" — {version.revision_reason}" if version.revision_reason else ""
            mark = " ◀" if version.id == self.view.evaluation.id else ""
            lines.append(
                _("Versi {n}: {state}, predikat {predikat}{reason}{mark}").format(
                    n=version.revision_no, state=state, predikat=version.predikat or "-", reason=reason, mark=mark
                )
            )
        self.history.setText("<br>".join(lines))

    def _show_notes(self, row: int) -> None:
        if self.view is None or not (0 <= row < len(self.view.ikis)):
            self.notes_label.setText("")
            return
        rhk = self.view.ikis[row][1]
        notes = self.view.feedback_by_rhk.get(rhk.id, [])
        if notes:
            self.notes_label.setText(
                _("Umpan balik berkelanjutan untuk RHK ini: {notes}").format(
                    notes="; ".join(f"{date_words(n.noted_on)}: {n.text}" for n in notes[-3:])
                )
            )
        else:
            self.notes_label.setText(_("Belum ada umpan balik berkelanjutan untuk RHK ini."))

    # -- live predikat -----------------------------------------------------------------
    def _changed(self, *_args) -> None:
        if self._loading:
            return
        self.dirty = True
        self._update_live()

    def _update_live(self) -> None:
        p = svc.live_predikat(self.hasil_combo.currentData(), self.perilaku_combo.currentData())
        if p is None:
            self.predikat_label.setText(_("— (lengkapi kedua rating)"))
            self.predikat_label.setStyleSheet(f"color: {muted_text().name()}")
        else:
            self.predikat_label.setText(p.label)
            self.predikat_label.setStyleSheet(f"color: {predikat_color(p).name()}")
        missing = self._missing_now()
        if self.view is not None and self.view.evaluation.status == "draft":
            if missing:
                self.missing_label.setText(_("Belum diisi untuk final: {items}.").format(items="; ".join(missing)))
                self.missing_label.setStyleSheet(f"color: {error_text().name()}")
            else:
                self.missing_label.setText(_("Lengkap: siap difinalkan oleh pejabat penilai."))
                self.missing_label.setStyleSheet("")
        else:
            self.missing_label.setText("")

    def _missing_now(self) -> list[str]:
        """What finalizing would still ask for, from what is on screen now."""
        if self.view is None:
            return []
        out = []
        if self.view.head_rule:
            if self.view.capaian is None:
                out.append(_("capaian kinerja organisasi unit (rating hasil kerja kepala unit)"))
        elif self.hasil_combo.currentData() is None:
            out.append(_("rating hasil kerja"))
        if self.perilaku_combo.currentData() is None:
            out.append(_("rating perilaku kerja"))
        for row, (n, _rhk, iki) in enumerate(self.view.ikis):
            item = self.hasil_table.item(row, H_REALISASI)
            if item is None or not item.text().strip():
                out.append(_('realisasi IKI "{iki}" (RHK nomor {n})').format(iki=iki.indicator, n=n))
        return out

    def predikat_text(self) -> str:
        return self.predikat_label.text()

    # -- saving ------------------------------------------------------------------------
    def form(self) -> svc.EvaluationForm:
        realisasi = {}
        for row in range(self.hasil_table.rowCount()):
            item = self.hasil_table.item(row, H_REALISASI)
            iki_id = item.data(Qt.ItemDataRole.UserRole)
            umpan = self.hasil_table.item(row, H_UMPAN)
            realisasi[iki_id] = {"realisasi": item.text(), "umpan_balik": umpan.text() if umpan else ""}
        feedback = {}
        for row in range(self.perilaku_table.rowCount()):
            code = self.perilaku_table.item(row, P_VALUE).data(Qt.ItemDataRole.UserRole)
            text = self.perilaku_table.item(row, P_UMPAN).text()
            if text.strip():
                feedback[code] = text
        hasil = None if self.view.head_rule else self.hasil_combo.currentData()
        return svc.EvaluationForm(
            hasil, self.perilaku_combo.currentData(), realisasi, feedback, self.catatan.toPlainText()
        )

    def save(self, then=None) -> None:
        """Save what is typed (off the UI thread); ``then()`` runs once it is saved."""
        if self.view is None or not self.view.editable:
            return
        principal, evaluation_id, form, hlc = self.ctx.principal, self.evaluation_id, self.form(), self.hlc

        def saved(new_hlc: str) -> None:
            self.hlc = new_hlc
            self.dirty = False
            self.load()
            announce_saved(self, saved_at(_("Evaluasi tersimpan.")))
            if then is not None:
                then()

        self.ctx.write(
            lambda s: svc.save_evaluation(s, principal, evaluation_id, form, expected_hlc=hlc).updated_hlc,
            saved,
            changes={"evaluations"},
            on_error=self._failed,
            owner=self,
        )

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ConcurrentEdit):
            self._told_concurrent(exc)
        else:
            show_error(exc, self)

    def _saved_first(self, then) -> None:
        """``then()`` now, or after saving what is typed."""
        if self.dirty:
            self.save(then)
        else:
            then()

    def fill_from_complaints(self) -> None:
        """Save what is typed, then take the complaint figures as realisasi (and the list as evidence)."""

        self._saved_first(self._fill_from_complaints)

    def _fill_from_complaints(self) -> None:

        principal, evaluation_id, hlc = self.ctx.principal, self.evaluation_id, self.hlc
        self.complaints_button.setEnabled(False)

        def done(_offers) -> None:
            self.complaints_button.setEnabled(True)
            self.load()

        def failed(exc: BaseException) -> None:
            self.complaints_button.setEnabled(True)
            self._failed(exc)

        self.ctx.write(
            lambda s: fill_complaint_realisasi(s, principal, evaluation_id, expected_hlc=hlc),
            done,
            changes={"evaluations", "skp"},
            on_error=failed,
            owner=self,
        )

    def _told_concurrent(self, exc: ConcurrentEdit) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Disimpan oleh orang lain"))
        box.setText(exc.message)
        reload_button = box.addButton(_("Muat ulang"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Tetap di sini"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is reload_button:
            self.dirty = False
            self.load()

    def finalize(self) -> None:
        if not self._confirm(
            _(
                "Setelah final, evaluasi tidak dapat diubah lagi; koreksi dilakukan dengan revisi. "
                "Identitas pegawai, pejabat penilai dan atasannya dibekukan per hari ini. Finalkan?"
            )
        ):
            return
        self._saved_first(self._finalize_now)

    def _finalize_now(self) -> None:
        principal, evaluation_id, hlc = self.ctx.principal, self.evaluation_id, self.hlc
        self.ctx.write(
            lambda s: svc.finalize_evaluation(s, principal, evaluation_id, expected_hlc=hlc),
            lambda _r: self.load(),
            changes={"evaluations"},
            on_error=self._failed,
            owner=self,
        )

    def revise(self) -> None:
        reason, ok = QInputDialog.getMultiLineText(
            self,
            _("Buat revisi"),
            _("Alasan revisi (wajib). Versi final yang sekarang tetap tersimpan; revisi dimulai sebagai draf baru:"),
        )
        if not ok:
            return
        principal, evaluation_id = self.ctx.principal, self.evaluation_id
        self.ctx.write(
            lambda s: svc.revise_evaluation(s, principal, evaluation_id, reason).id,
            self._revised,
            changes={"evaluations"},
            owner=self,
        )

    def _revised(self, new_id: str) -> None:
        self.evaluation_id = new_id
        self.load()

    def _confirm(self, text: str) -> bool:
        return QMessageBox.question(self, _("Evaluasi Kinerja"), text) == QMessageBox.StandardButton.Yes

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.dirty and self.view is not None and self.view.editable:
            answer = QMessageBox.question(
                self,
                _("Evaluasi Kinerja"),
                _("Simpan perubahan sebelum menutup?"),
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


def open_evaluation_editor(ctx, evaluation_id: str, parent: QWidget | None = None) -> None:
    """Read the evaluation, then open its editor (a refusal is shown instead)."""
    principal = ctx.principal

    def opened(view) -> None:
        EvaluationEditor(ctx, evaluation_id, parent, view=view).exec()

    ctx.query(lambda s: svc.evaluation_view(s, principal, evaluation_id), opened, owner=parent)


def start_evaluation_here(ctx, employee_id: str, period, parent: QWidget | None = None, on_started=None) -> None:
    """Ask, then start the employee's evaluation for ``period``; ``on_started(new_id)`` after."""

    def name_of(s) -> str:
        emp = s.get(Employee, employee_id)
        return emp.full_name if emp else "-"

    def ask(name: str) -> None:
        answer = QMessageBox.question(
            parent,
            _("Mulai evaluasi"),
            _("Belum ada evaluasi {period} untuk {name}. Mulai sekarang?").format(
                period=period_label(period), name=name
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        principal = ctx.principal
        ctx.write(
            lambda s: svc.start_evaluation(s, principal, employee_id, period.id).id,
            on_started,
            changes={"evaluations"},
            owner=parent,
        )

    ctx.query(name_of, ask, owner=parent)
