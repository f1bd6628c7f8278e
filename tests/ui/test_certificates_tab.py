"""Pengaturan › Sertifikat from the window: request, issue, import, trust, policy, revoke — no command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinerja_desktop.services.access.principal import ADMINISTRATOR, PEJABAT_PENILAI, Principal


class Accepting:
    """A dialog the person filled in and confirmed (the real dialog class, already answered)."""

    def __init__(self, dialog) -> None:
        self.dialog = dialog

    def __call__(self, *args):
        return self.dialog


def _tab(qtbot, ctx_for, db, principal):
    from kinerja_desktop.ui.pages.settings.certificates import CertificatesTab

    tab = CertificatesTab(ctx_for(db, principal))
    qtbot.addWidget(tab)
    tab.resize(1100, 900)
    tab.show()
    qtbot.waitUntil(lambda: tab.ca_state.text() != "", timeout=5000)
    return tab


def _wait_ok(qtbot, label, text):
    qtbot.waitUntil(lambda: text in label.text(), timeout=15000)


@pytest.fixture
def kabid(demo_db):
    from sqlalchemy import select

    from kinerja_desktop.store.models import Employee

    with demo_db.session() as s:
        emp = s.scalar(select(Employee).where(Employee.supervisor_id.is_not(None)).order_by(Employee.nip).limit(1))
        return emp.id, emp.nip, emp.full_name


def test_the_whole_certificate_life_from_the_window(qtbot, ctx_for, demo_db, kabid, tmp_path, data_home):
    from kinerja_desktop.reports import certs
    from kinerja_desktop.ui.dialogs.certificate_dialogs import IssueDialog, RequestDialog, RevokeDialog

    admin = _tab(qtbot, ctx_for, demo_db, Principal("admin", ADMINISTRATOR))
    assert admin.trust_box.isVisible() and admin.ca_box.isVisible() and admin.create_ca_button.isVisible()
    admin.create_ca(passphrase="sandi-ca-kabupaten")
    _wait_ok(qtbot, admin.ca_message, "CA kabupaten dibuat")
    qtbot.waitUntil(lambda: admin.snapshot.ca_cert is not None and admin.anchors.rowCount() == 1, timeout=5000)

    employee_id, nip, name = kabid
    signer = _tab(qtbot, ctx_for, demo_db, Principal("pejabat", PEJABAT_PENILAI, employee_id))
    assert not signer.trust_box.isVisible() and not signer.ca_box.isVisible()
    qtbot.waitUntil(lambda: signer.snapshot.my_nip == nip, timeout=5000)
    request = RequestDialog(signer.snapshot.my_nip, signer.snapshot.my_name, signer)
    qtbot.addWidget(request)
    assert request.nip.text() == nip and request.name.text() == name  # prefilled from the roster
    request.first.setText("sandi-pejabat")
    request.second.setText("sandi-pejabat")
    csr = tmp_path / "permintaan.csr"
    request.exec = lambda: True
    signer.make_request(dialog=request, target=str(csr))
    _wait_ok(qtbot, signer.mine_message, "Permintaan disimpan")
    assert csr.read_bytes().startswith(b"-----BEGIN CERTIFICATE REQUEST-----")
    qtbot.waitUntil(lambda: signer.mine.rowCount() == 1, timeout=5000)
    assert signer.mine.item(0, 2).text() == "menunggu jawaban CA"

    issue = IssueDialog(name, nip, admin)
    qtbot.addWidget(issue)
    issue.first.setText("sandi-ca-kabupaten")
    issue.exec = lambda: True
    answer = tmp_path / "sertifikat.pem"
    admin.issue(path=str(csr), target=str(answer), dialog_factory=Accepting(issue))
    _wait_ok(qtbot, admin.ca_message, "diterbitkan")
    qtbot.waitUntil(lambda: admin.issued.rowCount() == 1, timeout=5000)

    signer.import_file(path=str(answer), passphrase="sandi-pejabat")
    _wait_ok(qtbot, signer.mine_message, "dokumen kini dapat ditandatangani")
    qtbot.waitUntil(
        lambda: signer.mine.rowCount() == 1 and signer.mine.item(0, 2).text() == "siap dipakai", timeout=5000
    )
    assert certs.user_p12_path(nip).exists()

    admin.reload()
    qtbot.waitUntil(lambda: admin.issued.rowCount() == 1, timeout=5000)
    admin.issued.selectRow(0)
    revoke = RevokeDialog(name, "x", admin)
    qtbot.addWidget(revoke)
    revoke.first.setText("sandi-ca-kabupaten")
    revoke.reason.setCurrentIndex(revoke.reason.findData("key_compromise"))
    revoke.exec = lambda: True
    admin.revoke(dialog_factory=Accepting(revoke))
    _wait_ok(qtbot, admin.ca_message, "dicabut")
    qtbot.waitUntil(lambda: admin.issued.item(0, 3).text().startswith("dicabut"), timeout=5000)
    from sqlalchemy import select

    from kinerja_desktop.store.documents import RevocationList

    with demo_db.session() as s:
        assert s.scalar(select(RevocationList)) is not None  # sync carries it to every office


def test_a_wrong_ca_passphrase_is_said_and_nothing_is_issued(qtbot, ctx_for, demo_db, kabid, tmp_path, data_home):
    from kinerja_desktop.services.documents.certificates import request_certificate
    from kinerja_desktop.ui.dialogs.certificate_dialogs import IssueDialog

    admin = _tab(qtbot, ctx_for, demo_db, Principal("admin", ADMINISTRATOR))
    admin.create_ca(passphrase="sandi-ca-kabupaten")
    _wait_ok(qtbot, admin.ca_message, "CA kabupaten dibuat")
    _id, nip, name = kabid
    csr = tmp_path / "p.csr"
    csr.write_bytes(request_certificate(nip, name, "sandi-pejabat"))
    issue = IssueDialog(name, nip, admin)
    qtbot.addWidget(issue)
    issue.first.setText("salah-sekali")
    issue.exec = lambda: True
    admin.issue(path=str(csr), target=str(tmp_path / "x.pem"), dialog_factory=Accepting(issue))
    _wait_ok(qtbot, admin.ca_message, "Kata sandi kunci CA salah")
    assert not (tmp_path / "x.pem").exists()


def test_trust_and_policy_are_for_administrators_and_bsre_is_declared(qtbot, ctx_for, demo_db, tmp_path, data_home):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from pki_support import make_root

    from kinerja_desktop.reports import certs
    from kinerja_desktop.ui.dialogs.certificate_dialogs import AnchorDialog

    admin = _tab(qtbot, ctx_for, demo_db, Principal("admin", ADMINISTRATOR))
    root, _key = make_root("Root CA Uji", "Lembaga Uji")
    pem = tmp_path / "root.pem"
    pem.write_bytes(certs.cert_pem(root))
    made = []

    def confirm(*args):
        dialog = AnchorDialog(*args)
        qtbot.addWidget(dialog)
        dialog.bsre.setChecked(True)
        dialog.exec = lambda: True
        made.append(dialog)
        return dialog

    admin.add_anchor(path=str(pem), dialog_factory=confirm)
    _wait_ok(qtbot, admin.trust_message, "sebagai BSrE")
    assert len(made) == 1
    qtbot.waitUntil(lambda: admin.anchors.rowCount() == 1 and admin.anchors.item(0, 1).text() == "ya", timeout=5000)
    admin.tsa_url.setText("bukan alamat")
    admin.save_policy()
    _wait_ok(qtbot, admin.policy_message, "http://")
    admin.tsa_url.setText("http://127.0.0.1:9/tsr")
    admin.allow_untrusted.setChecked(True)
    admin.save_policy()
    _wait_ok(qtbot, admin.policy_message, "tersimpan")

    from kinerja_desktop.errors import PermissionDenied
    from kinerja_desktop.services.documents.certificates import add_trust_anchor, set_signing_policy

    with demo_db.transaction() as s:
        with pytest.raises(PermissionDenied):
            add_trust_anchor(s, Principal("pejabat", PEJABAT_PENILAI), pem.read_bytes())
        with pytest.raises(PermissionDenied):
            set_signing_policy(s, Principal("kepeg", "admin_kepegawaian"), allow_untrusted=True, tsa_url="")
