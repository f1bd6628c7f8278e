"""The SKP's continuous feedback: dated notes (per RHK or BerAKHLAK value), dialog kinerja
meetings and evidence files. Each entry is saved at once (it is not part of the SKP document)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.domain.berakhlak import BERAKHLAK
from kinerja_desktop.formatting import date_words
from kinerja_desktop.i18n import _
from kinerja_desktop.services.documents import evidence
from kinerja_desktop.services.performance import feedback
from kinerja_desktop.ui.open_files import open_with_system


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class FeedbackPanel(QWidget):
    def __init__(self, ctx, skp_id: str, parent: QWidget | None = None) -> None:  # noqa: PLR0915 (long: builds the widgets top to bottom, one field or button a line)
        super().__init__(parent)
        self.ctx, self.skp_id = ctx, skp_id
        self.rhks: list[tuple[str, str]] = []
        grid = QGridLayout(self)

        notes = QGroupBox(_("Umpan balik berkelanjutan"))
        nbox = QVBoxLayout(notes)
        self.notes = QListWidget()
        self.notes.setWordWrap(True)
        nbox.addWidget(self.notes, 1)
        row = QHBoxLayout()
        self.note_day = QDateEdit(_qdate(date.today()))
        self.note_day.setCalendarPopup(True)
        self.note_day.setDisplayFormat("dd-MM-yyyy")
        self.note_about = QComboBox()
        self.note_about.setMinimumContentsLength(18)
        self.note_about.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        row.addWidget(self.note_day)
        row.addWidget(self.note_about, 1)
        nbox.addLayout(row)
        row = QHBoxLayout()
        self.note_text = QLineEdit()
        self.note_text.setPlaceholderText(_("Tulis umpan balik…"))
        self.note_add = QPushButton(_("Tambah"))
        row.addWidget(self.note_text, 1)
        row.addWidget(self.note_add)
        nbox.addLayout(row)
        grid.addWidget(notes, 0, 0, 2, 1)

        dialogs = QGroupBox(_("Dialog kinerja"))
        dbox = QVBoxLayout(dialogs)
        self.dialogs = QListWidget()
        self.dialogs.setWordWrap(True)
        dbox.addWidget(self.dialogs, 1)
        row = QHBoxLayout()
        self.dialog_day = QDateEdit(_qdate(date.today()))
        self.dialog_day.setCalendarPopup(True)
        self.dialog_day.setDisplayFormat("dd-MM-yyyy")
        self.dialog_stage = QComboBox()
        for key, label in feedback.DIALOG_STAGES.items():
            self.dialog_stage.addItem(_(label), key)
        self.dialog_stage.setCurrentIndex(1)
        self.dialog_topic = QLineEdit()
        self.dialog_topic.setPlaceholderText(_("Topik"))
        self.dialog_add = QPushButton(_("Catat"))
        for w in (self.dialog_day, self.dialog_stage):
            row.addWidget(w)
        row.addWidget(self.dialog_topic, 1)
        row.addWidget(self.dialog_add)
        dbox.addLayout(row)
        grid.addWidget(dialogs, 0, 1)

        files = QGroupBox(_("Bukti dukung (PDF, JPG, PNG, DOCX, XLSX; paling besar 20 MB)"))
        fbox = QVBoxLayout(files)
        self.files = QListWidget()
        fbox.addWidget(self.files, 1)
        row = QHBoxLayout()
        self.file_add = QPushButton(_("Tambah berkas…"))
        self.file_open = QPushButton(_("Buka"))
        row.addWidget(self.file_add)
        row.addWidget(self.file_open)
        row.addStretch(1)
        fbox.addLayout(row)
        grid.addWidget(files, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        grid.addWidget(self.status, 2, 0, 1, 2)

        self.note_add.clicked.connect(self.add_note)
        self.note_text.returnPressed.connect(self.add_note)
        self.dialog_add.clicked.connect(self.add_dialog)
        self.file_add.clicked.connect(self.add_file)
        self.file_open.clicked.connect(self.open_file)
        self.files.itemDoubleClicked.connect(lambda _i: self.open_file())

    def set_rhks(self, rhks: list[tuple[str, str]], writable: bool) -> None:
        self.rhks = rhks
        self.note_about.clear()
        for n, (rid, text) in enumerate(rhks, start=1):
            self.note_about.addItem(_("RHK {n}: {text}").format(n=n, text=text), ("rhk", rid))
        for value in BERAKHLAK:
            self.note_about.addItem(_("Perilaku: {value}").format(value=_(value.name)), ("value", value.code))
        for w in (self.note_add, self.note_text, self.dialog_add, self.dialog_topic, self.file_add):
            w.setEnabled(writable)
        self.reload()

    def reload(self) -> None:
        names = {rid: f"RHK {n}" for n, (rid, _t) in enumerate(self.rhks, start=1)}
        values = {v.code: _(v.name) for v in BERAKHLAK}
        principal, skp_id = self.ctx.principal, self.skp_id

        def read(s):
            return (
                feedback.list_feedback(s, principal, skp_id),
                feedback.list_dialogs(s, principal, skp_id),
                evidence.list_evidence(s, principal, skp_id),
            )

        self.ctx.query(read, lambda got: self._show(names, values, *got), owner=self, key=f"feedback-{id(self)}")

    def _show(self, names: dict, values: dict, notes, meetings, files) -> None:
        self.notes.clear()
        for note in notes:
            about = names.get(note.rhk_id, "RHK") if note.rhk_id else values.get(note.value_code, "")
            self.notes.addItem(f"{date_words(note.noted_on)} · {about}: {note.text}")
        self.dialogs.clear()
        for m in meetings:
            self.dialogs.addItem(f"{date_words(m.held_on)} · {_(feedback.DIALOG_STAGES[m.stage])} · {m.topic}")
        self.files.clear()
        for f in files:
            item = QListWidgetItem(f"{f.file_name} ({f.size / 1024:.0f} KB) · {f.added_at:%d-%m-%Y}")
            item.setData(256, f.id)
            self.files.addItem(item)

    def _run(self, fn, then=None) -> None:
        """Write ``fn(session)`` off the UI thread, then read the lists again and run ``then()``."""

        def done(_result) -> None:
            self.reload()
            if then is not None:
                then()

        self.ctx.write(fn, done, changes={"skp"}, owner=self)

    def add_note(self) -> None:
        kind, key = self.note_about.currentData() or (None, None)
        text, day = self.note_text.text(), _pydate(self.note_day.date())
        principal, skp_id = self.ctx.principal, self.skp_id
        self._run(
            lambda s: feedback.add_feedback(
                s,
                principal,
                skp_id,
                text,
                day,
                rhk_id=key if kind == "rhk" else None,
                value_code=key if kind == "value" else None,
            ),
            self.note_text.clear,
        )

    def add_dialog(self) -> None:
        topic, day, stage = self.dialog_topic.text(), _pydate(self.dialog_day.date()), self.dialog_stage.currentData()
        principal, skp_id = self.ctx.principal, self.skp_id
        self._run(lambda s: feedback.add_dialog(s, principal, skp_id, day, topic, "", stage), self.dialog_topic.clear)

    def add_file(self) -> None:
        chosen, _f = QFileDialog.getOpenFileName(
            self, _("Pilih bukti dukung"), str(Path.home()), _("Bukti dukung (*.pdf *.jpg *.jpeg *.png *.docx *.xlsx)")
        )
        if chosen:
            self.add_path(Path(chosen))

    def add_path(self, path: Path) -> None:
        principal, skp_id = self.ctx.principal, self.skp_id
        self._run(
            lambda s: evidence.add_evidence(s, principal, skp_id, path),
            lambda: self.status.setText(_("{name} disimpan sebagai bukti dukung.").format(name=path.name)),
        )

    def open_file(self, *, opener=None) -> None:
        """Open the chosen file: a private copy, checked again, under a name of ours (services.evidence)."""

        item = self.files.currentItem()
        if item is None:
            return
        evidence_id, principal = item.data(256), self.ctx.principal
        self.ctx.query(
            lambda s: evidence.open_evidence(s, principal, evidence_id),
            lambda path: open_with_system(path, self, opener=opener),
            owner=self,
            key="open-evidence",
        )
