"""Akun Pegawai: HR creates the accounts of a unit's employees in one step and saves the slips.

The one-time passwords live only in this page's memory until the slips are saved (the page
and its data go at sign-out); the database keeps argon2id hashes only.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from kinerja_desktop import files
from kinerja_desktop.i18n import _
from kinerja_desktop.services.pegawai import policy
from kinerja_desktop.services.pegawai.accounts import create_for_unit, slips_pdf
from kinerja_desktop.services.pegawai.policy import idle_minutes, keberatan_days
from kinerja_desktop.services.roster.query import unit_tree
from kinerja_desktop.ui.context import AppContext, allows
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.pages.base import Page
from kinerja_desktop.ui.pages.pegawai.page import _fill, _table


def _flatten(nodes, depth=0):
    for node in nodes:
        yield node.id, "  " * depth + node.name
        yield from _flatten(node.children, depth + 1)


class AccountsPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = self.page_layout(
            _("Akun Pegawai"),
            _(
                "Buat akun untuk semua pegawai aktif suatu unit (dan sub-unitnya) yang belum memiliki akun, lalu simpan "
                "slip masuknya untuk dicetak. Nama pengguna adalah NIP; kata sandi sekali pakai wajib diganti saat "
                "pertama masuk. Pegawai yang tidak aktif tidak diberi akun."
            ),
        )
        row = QHBoxLayout()
        self.unit = QComboBox()
        self.unit.setMinimumContentsLength(40)
        self.create_button = QPushButton(_("Buat akun pegawai unit ini"))
        self.save_button = QPushButton(_("Simpan slip masuk (PDF)…"))
        self.save_button.setEnabled(False)
        row.addWidget(QLabel(_("Unit kerja")))
        row.addWidget(self.unit, 1)
        row.addWidget(self.create_button)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.skipped = _table([_("Nama"), _("NIP"), _("Tidak dibuatkan akun karena")], 2)
        layout.addWidget(self.skipped, 1)
        layout.addWidget(self._rules_box())
        self.result = None
        self.create_button.clicked.connect(self.create_accounts)
        self.save_button.clicked.connect(self.save_slips)
        self._loaded = False

    def _rules_box(self) -> QGroupBox:
        """The keberatan period and the idle sign-out of shared PCs (changed by an administrator)."""
        box = QGroupBox(_("Batas waktu keberatan dan komputer bersama"))
        row = QHBoxLayout(box)
        self.days = QSpinBox()
        self.days.setRange(1, 90)
        self.days.setSuffix(_(" hari"))
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 240)
        self.minutes.setSuffix(_(" menit"))
        self.rules_button = QPushButton(_("Simpan"))
        row.addWidget(QLabel(_("Keberatan diajukan paling lambat")))
        row.addWidget(self.days)
        row.addWidget(QLabel(_("sejak evaluasi dibaca; keluar otomatis setelah tidak dipakai")))
        row.addWidget(self.minutes)
        row.addWidget(self.rules_button)
        row.addStretch(1)
        may = allows(self.ctx.principal, "settings.change")
        for widget in (self.days, self.minutes, self.rules_button):
            widget.setEnabled(may)
        self.rules_button.clicked.connect(self.save_rules)
        return box

    def save_rules(self) -> None:

        principal, days, minutes = self.ctx.principal, self.days.value(), self.minutes.value()

        def write(s):
            policy.set_keberatan_days(s, principal, days)
            policy.set_idle_minutes(s, principal, minutes)

        self.ctx.write(write, lambda _r: self.summary.setText(_("Aturan tersimpan.")), changes={"settings"}, owner=self)

    def activated(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:

        self.ctx.query(
            lambda s: (list(_flatten(unit_tree(s))), keberatan_days(s), idle_minutes(s)),
            self._units,
            owner=self,
            key="units",
        )

    def _units(self, data) -> None:
        units, days, minutes = data
        self.days.setValue(days)
        self.minutes.setValue(minutes)
        self._loaded = True
        self.unit.clear()
        for uid, name in units:
            self.unit.addItem(name, uid)

    def create_accounts(self) -> None:

        principal, unit_id = self.ctx.principal, self.unit.currentData()
        if unit_id is None:
            return
        self.create_button.setEnabled(False)
        self.ctx.write(
            lambda s: create_for_unit(s, principal, unit_id),
            self._created,
            changes={"users"},
            on_error=self._failed,
            owner=self,
        )

    def _failed(self, exc) -> None:

        self.create_button.setEnabled(True)
        handle_exception(type(exc), exc, exc.__traceback__, self)

    def _created(self, result) -> None:
        self.create_button.setEnabled(True)
        self.result = result
        self.summary.setText(
            _(
                "{n} akun dibuat untuk {unit}; {m} pegawai dilewati. Simpan slip masuknya sekarang: "
                "kata sandi sekali pakai tidak dapat ditampilkan lagi."
            ).format(n=len(result.slips), unit=result.unit, m=len(result.skipped))
        )
        _fill(self.skipped, [list(row) for row in result.skipped])
        self.save_button.setEnabled(bool(result.slips))

    def save_slips(self) -> None:

        if self.result is None:
            return
        name, _f = QFileDialog.getSaveFileName(self, _("Simpan slip masuk"), _("slip-masuk.pdf"), _("PDF (*.pdf)"))
        if not name:
            return
        principal, result = self.ctx.principal, self.result

        def work(s):
            return files.write_atomic(name, slips_pdf(s, principal, result), private=True)

        self.ctx.query(
            work,
            lambda path: self.summary.setText(
                _("Slip masuk tersimpan di {path}. Cetak, bagikan, lalu hapus berkasnya.").format(path=path)
            ),
            owner=self,
        )
