"""Pengaturan › Sertifikat: one's own signing certificate, and (administrators) trust and the district CA.

Everyone: make a key and a certificate request on this computer (the key never leaves
it), bring the CA's answer back, or import an existing .p12. Administrators also see the
trusted CAs (add a CA certificate or a CRL, remove one), the signing policy (a timestamp
server; whether certificates outside the trusted CAs may sign, never as official files)
and the district CA (make it, issue a certificate from a request, revoke one). Every
read and write goes through the operation layer (``services.certificates``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.errors import UnusableInput, UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.reports import ca, cert_requests, certs, trust
from kinerja_desktop.reports.ca import read_request
from kinerja_desktop.reports.certs import write_public
from kinerja_desktop.reports.trust import common_name, fingerprint, fingerprint_text
from kinerja_desktop.services.documents.certificates import (
    accept_certificate,
    add_trust_anchor,
    create_ca,
    district_ca_certificate,
    import_crl,
    import_p12,
    issue_certificate,
    remove_trust_anchor,
    request_certificate,
    revoke_certificate,
    set_signing_policy,
    signing_policy,
)
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.ui.context import is_administrator
from kinerja_desktop.ui.dialogs.certificate_dialogs import (
    AnchorDialog,
    IssueDialog,
    PassphraseDialog,
    RequestDialog,
    RevokeDialog,
)
from kinerja_desktop.ui.errors import handle_exception
from kinerja_desktop.ui.theme import MessageLabel
from kinerja_desktop.ui.widgets import wrapped_label

MAX_FILE_BYTES = 1024 * 1024
CERT_FILTER = N_("Sertifikat atau CRL (*.pem *.crt *.cer *.der *.crl);;Semua berkas (*)")


@dataclass
class Snapshot:
    mine: list = field(default_factory=list)
    pending: list = field(default_factory=list)
    anchors: list = field(default_factory=list)
    issued: list = field(default_factory=list)
    ca_cert: object | None = None
    allow_untrusted: bool = False
    tsa_url: str = ""
    my_nip: str = ""
    my_name: str = ""


def load_snapshot(session, principal) -> Snapshot:

    policy = signing_policy(session)
    me = session.get(Employee, principal.employee_id) if principal.employee_id else None
    return Snapshot(
        certs.stored_certificates(),
        cert_requests.pending_requests(),
        trust.anchors(),
        ca.issued_certificates(),
        district_ca_certificate(),
        policy.allow_untrusted,
        policy.tsa_url,
        me.nip if me else "",
        me.full_name if me else "",
    )


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    row = table.verticalHeader().defaultSectionSize()
    table.setMinimumHeight(row * 2 + table.horizontalHeader().sizeHint().height() + 4)
    table.setMaximumHeight(row * 5 + table.horizontalHeader().sizeHint().height() + 4)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)


def _short(fpr: str) -> str:

    return fingerprint_text(fpr)[:19] + "…"


class CertificatesTab(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.snapshot = Snapshot()
        self.admin = is_administrator(ctx.principal)
        layout = QVBoxLayout(self)
        layout.addWidget(self._mine_box())
        self.trust_box = self._trust_box()
        self.policy_box = self._policy_box()
        self.ca_box = self._ca_box()
        for box in (self.trust_box, self.policy_box, self.ca_box):
            box.setVisible(self.admin)
            layout.addWidget(box)
        layout.addStretch(1)
        ctx.bus.subscribe({"certificates", "settings"}, self.reload, owner=self)
        self.reload()

    # -- layout ---------------------------------------------------------------------------
    def _mine_box(self) -> QGroupBox:
        box = QGroupBox(_("Sertifikat penanda tangan di komputer ini"))
        v = QVBoxLayout(box)
        v.addWidget(
            wrapped_label(
                _(
                    "Untuk menandatangani dokumen Anda memerlukan sertifikat. Buat permintaan di sini (kunci Anda dibuat dan "
                    "tetap di komputer ini), serahkan berkas permintaannya ke CA kabupaten, lalu simpan jawabannya di sini."
                )
            )
        )
        self.mine = _table([_("Nama"), _("NIP"), _("Keadaan"), _("Berlaku sampai"), _("Sidik jari")])
        v.addWidget(self.mine)
        row = QHBoxLayout()
        self.request_button = QPushButton(_("Buat permintaan…"))
        self.request_button.clicked.connect(lambda: self.make_request())
        self.import_button = QPushButton(_("Simpan jawaban CA atau impor .p12…"))
        self.import_button.clicked.connect(lambda: self.import_file())
        row.addWidget(self.request_button)
        row.addWidget(self.import_button)
        row.addStretch(1)
        v.addLayout(row)
        self.mine_message = MessageLabel(self)
        v.addWidget(self.mine_message)
        return box

    def _trust_box(self) -> QGroupBox:
        box = QGroupBox(_("CA terpercaya (administrator)"))
        v = QVBoxLayout(box)
        v.addWidget(
            wrapped_label(
                _(
                    "Tanda tangan dipercaya hanya bila rantai sertifikatnya berakhir di salah satu CA ini; sebuah dokumen "
                    "disebut BSrE hanya bila berakhir di root yang diimpor sebagai BSrE, apa pun nama penerbitnya."
                )
            )
        )
        self.anchors = _table([_("Nama"), _("BSrE"), _("Berlaku sampai"), _("Sidik jari")])
        v.addWidget(self.anchors)
        row = QHBoxLayout()
        add = QPushButton(_("Tambah CA atau CRL…"))
        add.clicked.connect(lambda: self.add_anchor())
        self.remove_anchor_button = QPushButton(_("Hapus"))
        self.remove_anchor_button.clicked.connect(lambda: self.remove_anchor())
        row.addWidget(add)
        row.addWidget(self.remove_anchor_button)
        row.addStretch(1)
        v.addLayout(row)
        self.trust_message = MessageLabel(self)
        v.addWidget(self.trust_message)
        return box

    def _policy_box(self) -> QGroupBox:
        box = QGroupBox(_("Kebijakan penandatanganan (administrator)"))
        v = QVBoxLayout(box)
        row = QHBoxLayout()
        self.tsa_url = QLineEdit()
        self.tsa_url.setPlaceholderText(_("mis. http://tsa.contoh.go.id/tsr (kosong: tanpa cap waktu)"))
        row.addWidget(wrapped_label(_("Server cap waktu (RFC 3161)")))
        row.addWidget(self.tsa_url, 1)
        v.addLayout(row)
        v.addWidget(
            wrapped_label(
                _(
                    "Dengan server cap waktu, setiap tanda tangan diberi cap waktu (PAdES B-T) dan cap waktu arsip (B-LTA), "
                    "sehingga tetap dapat diverifikasi setelah sertifikatnya kedaluwarsa. Tanpa itu tanda tangan tetap "
                    "memuat rantai sertifikat dan CRL (B-LT)."
                )
            )
        )
        self.allow_untrusted = QCheckBox(
            _(
                "Izinkan menandatangani dengan sertifikat dari CA yang tidak terpercaya (berkasnya dicatat sebagai bukan "
                "berkas resmi)"
            )
        )
        v.addWidget(self.allow_untrusted)
        row = QHBoxLayout()
        row.addStretch(1)
        save = QPushButton(_("Simpan kebijakan"))
        save.clicked.connect(lambda: self.save_policy())
        row.addWidget(save)
        v.addLayout(row)
        self.policy_message = MessageLabel(self)
        v.addWidget(self.policy_message)
        return box

    def _ca_box(self) -> QGroupBox:
        box = QGroupBox(_("CA kabupaten (administrator)"))
        v = QVBoxLayout(box)
        self.ca_state = wrapped_label("")
        v.addWidget(self.ca_state)
        self.issued = _table([_("Nomor seri"), _("NIP"), _("Nama"), _("Keadaan")])
        v.addWidget(self.issued)
        row = QHBoxLayout()
        self.create_ca_button = QPushButton(_("Buat CA kabupaten…"))
        self.create_ca_button.clicked.connect(lambda: self.create_ca())
        self.issue_button = QPushButton(_("Terbitkan dari permintaan…"))
        self.issue_button.clicked.connect(lambda: self.issue())
        self.revoke_button = QPushButton(_("Cabut…"))
        self.revoke_button.clicked.connect(lambda: self.revoke())
        for b in (self.create_ca_button, self.issue_button, self.revoke_button):
            row.addWidget(b)
        row.addStretch(1)
        v.addLayout(row)
        self.ca_message = MessageLabel(self)
        v.addWidget(self.ca_message)
        return box

    # -- data -----------------------------------------------------------------------------
    def reload(self) -> None:
        principal = self.ctx.principal
        self.ctx.query(lambda s: load_snapshot(s, principal), self.show_snapshot, owner=self, key="certificates")

    def show_snapshot(self, snap: Snapshot) -> None:
        self.snapshot = snap
        rows = [
            [
                c.name or "-",
                c.nip,
                _("siap dipakai"),
                c.cert.not_valid_after_utc.strftime("%d-%m-%Y") if c.cert is not None else "-",
                _short(_fpr(c.cert)) if c.cert is not None else "-",
            ]
            for c in snap.mine
        ]
        rows += [[p.name, p.nip, _("menunggu jawaban CA"), "-", "-"] for p in snap.pending]
        _fill(self.mine, rows)
        _fill(
            self.anchors,
            [
                [
                    a.name,
                    _("ya") if a.bsre else _("tidak"),
                    a.cert.not_valid_after_utc.strftime("%d-%m-%Y"),
                    _short(a.fingerprint),
                ]
                for a in snap.anchors
            ],
        )
        self.tsa_url.setText(snap.tsa_url)
        self.allow_untrusted.setChecked(snap.allow_untrusted)
        have_ca = snap.ca_cert is not None
        self.ca_state.setText(
            _("CA kabupaten di komputer ini: {name}, berlaku sampai {until}, sidik jari {fpr}.").format(
                name=_common_name(snap.ca_cert),
                until=snap.ca_cert.not_valid_after_utc.strftime("%d-%m-%Y"),
                fpr=_short(_fpr(snap.ca_cert)),
            )
            if have_ca
            else _("Komputer ini tidak memegang CA kabupaten. Buat di sini hanya di komputer CA (biasanya di BKPSDM).")
        )
        self.create_ca_button.setVisible(not have_ca)
        self.issue_button.setEnabled(have_ca)
        self.revoke_button.setEnabled(have_ca and bool(snap.issued))
        _fill(
            self.issued,
            [
                [
                    c.serial[:16],
                    c.nip,
                    c.name,
                    _("dicabut {when}").format(when=c.revoked_at[:10])
                    if c.revoked
                    else _("berlaku sampai {when}").format(when=c.not_after[:10]),
                ]
                for c in snap.issued
            ],
        )

    # -- actions ---------------------------------------------------------------------------
    def _ask_file(self, title: str, filters: str, *, save: bool = False, name: str = "") -> str:
        if save:
            path, _f = QFileDialog.getSaveFileName(self, title, name, filters)
        else:
            path, _f = QFileDialog.getOpenFileName(self, title, "", filters)
        return path

    def make_request(self, *, dialog=None, target: str | None = None) -> None:

        dlg = dialog or RequestDialog(self.snapshot.my_nip, self.snapshot.my_name, self)
        if not dlg.exec():
            return
        nip, name, passphrase = dlg.nip.text().strip(), dlg.name.text().strip(), dlg.value
        target = target or self._ask_file(
            _("Simpan berkas permintaan"), _("Permintaan sertifikat (*.csr)"), save=True, name=f"permintaan-{nip}.csr"
        )
        if not target:
            return

        def work(_s):
            write_public(Path(target), request_certificate(nip, name, passphrase))
            return target

        self.ctx.query(
            work,
            lambda path: self._done(
                self.mine_message,
                _(
                    "Permintaan disimpan di {path}. Serahkan berkas itu ke CA kabupaten; kunci Anda tetap di komputer ini."
                ).format(path=path),
            ),
            on_error=lambda e: self._error(self.mine_message, e),
            owner=self,
        )

    def import_file(self, *, path: str | None = None, passphrase: str | None = None) -> None:

        path = path or self._ask_file(
            _("Pilih jawaban CA atau berkas .p12"), _("Sertifikat (*.pem *.crt *.cer *.p12 *.pfx);;Semua berkas (*)")
        )
        if not path:
            return
        if passphrase is None:
            dlg = PassphraseDialog(
                _("Kata sandi kunci"),
                _("Kata sandi yang Anda pakai saat membuat permintaan (atau kata sandi berkas .p12)."),
                parent=self,
            )
            if not dlg.exec():
                return
            passphrase = dlg.value

        def work(_s):
            data = _read(path)
            if b"-----BEGIN CERTIFICATE-----" in data:
                return accept_certificate(data, passphrase)[0]
            return import_p12(path, None, passphrase)

        self.ctx.write(
            work,
            lambda target: self._done(
                self.mine_message,
                _("Sertifikat disimpan di komputer ini ({path}); dokumen kini dapat ditandatangani.").format(
                    path=target
                ),
            ),
            changes={"certificates"},
            on_error=lambda e: self._error(self.mine_message, e),
            owner=self,
        )

    def add_anchor(self, *, path: str | None = None, dialog_factory=None) -> None:

        path = path or self._ask_file(_("Pilih sertifikat CA atau CRL"), _(CERT_FILTER))
        if not path:
            return
        principal = self.ctx.principal
        try:
            data = _read(path)
            if trust.looks_like_crl(data):
                self.ctx.write(
                    lambda s: import_crl(s, principal, data),
                    lambda p: self._done(self.trust_message, _("CRL disimpan; verifikasi di komputer ini memakainya.")),
                    changes={"certificates"},
                    on_error=lambda e: self._error(self.trust_message, e),
                    owner=self,
                )
                return
            cert = trust.read_certificates(data)[-1]
        except Exception as exc:  # said in a sentence below
            self._error(self.trust_message, exc)
            return
        dlg = (dialog_factory or AnchorDialog)(
            _common_name(cert), trust.fingerprint_text(_fpr(cert)), cert.not_valid_after_utc.strftime("%d-%m-%Y"), self
        )
        if not dlg.exec():
            return
        label, bsre = dlg.label.text(), dlg.bsre.isChecked()
        self.ctx.write(
            lambda s: add_trust_anchor(s, principal, data, label=label, bsre=bsre),
            lambda a: self._done(
                self.trust_message,
                _("{name} kini dipercaya{bsre}.").format(name=a.name, bsre=_(" sebagai BSrE") if a.bsre else ""),
            ),
            changes={"certificates"},
            on_error=lambda e: self._error(self.trust_message, e),
            owner=self,
        )

    def remove_anchor(self) -> None:

        rows = self.anchors.selectionModel().selectedRows()
        if not rows:
            self.trust_message.show_message(_("Pilih CA yang akan dihapus dari daftar."), MessageLabel.ERROR)
            return
        anchor = self.snapshot.anchors[rows[0].row()]
        principal = self.ctx.principal
        self.ctx.write(
            lambda s: remove_trust_anchor(s, principal, anchor.fingerprint),
            lambda a: self._done(self.trust_message, _("{name} tidak lagi dipercaya.").format(name=a.name)),
            changes={"certificates"},
            on_error=lambda e: self._error(self.trust_message, e),
            owner=self,
        )

    def save_policy(self) -> None:

        principal, allow, url = self.ctx.principal, self.allow_untrusted.isChecked(), self.tsa_url.text()
        self.ctx.write(
            lambda s: set_signing_policy(s, principal, allow_untrusted=allow, tsa_url=url),
            lambda p: self._done(self.policy_message, _("Kebijakan penandatanganan tersimpan.")),
            changes={"settings", "certificates"},
            on_error=lambda e: self._error(self.policy_message, e),
            owner=self,
        )

    def create_ca(self, *, passphrase: str | None = None) -> None:

        if passphrase is None:
            dlg = PassphraseDialog(
                _("Buat CA kabupaten"),
                _(
                    "Kunci CA disimpan terenkripsi dengan kata sandi ini; simpan kata sandinya di tempat aman. CA ini "
                    "langsung dipercaya di komputer ini; komputer lain mengimpor sertifikatnya."
                ),
                confirm=True,
                parent=self,
            )
            if not dlg.exec():
                return
            passphrase = dlg.value
        principal = self.ctx.principal
        self.ctx.write(
            lambda s: create_ca(s, principal, passphrase),
            lambda c: self._done(self.ca_message, _("CA kabupaten dibuat.")),
            changes={"certificates"},
            on_error=lambda e: self._error(self.ca_message, e),
            owner=self,
        )

    def issue(self, *, path: str | None = None, target: str | None = None, dialog_factory=None) -> None:

        path = path or self._ask_file(
            _("Pilih berkas permintaan"), _("Permintaan sertifikat (*.csr *.pem);;Semua berkas (*)")
        )
        if not path:
            return
        try:
            data = _read(path)
            request = read_request(data)
        except Exception as exc:
            self._error(self.ca_message, exc)
            return
        dlg = (dialog_factory or IssueDialog)(request.name, request.nip, self)
        if not dlg.exec():
            return
        target = target or self._ask_file(
            _("Simpan sertifikat untuk pemohon"),
            _("Sertifikat (*.pem)"),
            save=True,
            name=f"sertifikat-{request.nip}.pem",
        )
        if not target:
            return
        principal, passphrase, days = self.ctx.principal, dlg.value, dlg.days.value()

        def work(s):
            _req, cert, bundle = issue_certificate(s, principal, data, passphrase, days=days)
            write_public(Path(target), bundle)
            return cert

        self.ctx.write(
            work,
            lambda cert: self._done(
                self.ca_message,
                _("Sertifikat untuk {name} diterbitkan dan disimpan di {path}; serahkan berkas itu ke pemohon.").format(
                    name=request.name, path=target
                ),
            ),
            changes={"certificates"},
            on_error=lambda e: self._error(self.ca_message, e),
            owner=self,
        )

    def revoke(self, *, dialog_factory=None) -> None:

        rows = self.issued.selectionModel().selectedRows()
        if not rows:
            self.ca_message.show_message(_("Pilih sertifikat yang akan dicabut."), MessageLabel.ERROR)
            return
        target = self.snapshot.issued[rows[0].row()]
        dlg = (dialog_factory or RevokeDialog)(target.name, target.serial, self)
        if not dlg.exec():
            return
        principal, passphrase, reason = self.ctx.principal, dlg.value, dlg.reason.currentData()
        self.ctx.write(
            lambda s: revoke_certificate(s, principal, target.serial, passphrase, reason=reason),
            lambda c: self._done(
                self.ca_message,
                _("Sertifikat {name} dicabut; CRL baru diterbitkan dan dibawa sinkronisasi ke setiap kantor.").format(
                    name=c.name
                ),
            ),
            changes={"certificates"},
            on_error=lambda e: self._error(self.ca_message, e),
            owner=self,
        )

    def _done(self, label: MessageLabel, text: str) -> None:
        label.show_message(text, MessageLabel.OK)
        self.reload()

    @staticmethod
    def _error(label: MessageLabel, exc: BaseException) -> None:

        if isinstance(exc, UserError):
            label.show_message(exc.message, MessageLabel.ERROR)
            return

        handle_exception(type(exc), exc, exc.__traceback__, label)


def _read(path: str) -> bytes:

    p = Path(path)
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            raise UnusableInput(_("Berkas {path} terlalu besar untuk sebuah sertifikat.").format(path=p))
        return p.read_bytes()
    except OSError as exc:
        raise UnusableInput(
            _("Berkas {path} tidak dapat dibaca ({reason}).").format(path=p, reason=exc.strerror or exc)
        ) from None


def _fpr(cert) -> str:

    return fingerprint(cert)


def _common_name(cert) -> str:

    return common_name(cert.subject)
