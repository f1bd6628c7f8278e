"""Render the Dokumen page, its dialogs and Pengaturan › Sertifikat offscreen into docs/screenshots/.

    .venv/bin/python tools/screenshots_documents.py [NAME ...]   # all, or only the named pictures

Builds a demo district in a temporary folder, makes a district CA and certificates the way
an office would (key and request on the signer's side, issued by the CA), signs a final
evaluation from the page, and grabs: the page with the signed form, the verification of
that file, of a changed copy and of a form signed by someone other than its pejabat
penilai, the sign dialog without certificates, the Sertifikat tab, and the first page of
the signed form itself (pdftoppm). Look at every picture before calling a screen done.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 1366, 768
PASS = "sandi-contoh-penanda-tangan"


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = Path(tempfile.mkdtemp(prefix="kinerja-shots-"))
    os.environ["KINERJA_HOME"] = str(home / "data")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    sys.path.insert(0, str(ROOT))
    from kinerja_desktop import i18n

    i18n.set_language("id")
    from sqlalchemy import select

    from kinerja_desktop.reports import certs
    from kinerja_desktop.reports.render import produce
    from kinerja_desktop.reports.views import PersonIdentity
    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.services.access.users import authenticate
    from kinerja_desktop.services.demo.district import build_demo
    from kinerja_desktop.services.documents import certificates
    from kinerja_desktop.services.documents import registry as documents
    from kinerja_desktop.services.progress import run
    from kinerja_desktop.store.database import open_database
    from kinerja_desktop.store.models import Employee, Evaluation
    from kinerja_desktop.ui.launch import create_app, open_main_window

    app = create_app()
    out = ROOT / "docs" / "screenshots"
    only = set(argv)
    db = open_database(home / "data" / "kinerja.sqlite3")
    run(build_demo(db, employees=600, seed=1504, year=date.today().year))

    def settle(runner=None, seconds: float = 0.5) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end or (runner is not None and runner.active):
            app.processEvents()
            time.sleep(0.01)
            if time.monotonic() > end + 20:
                break

    def save(widget, name: str) -> None:
        if only and name not in only:
            return
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        print(path.relative_to(ROOT))

    # A final evaluation, its pejabat penilai and someone else of the office.
    with db.session() as s:
        ev = next(
            e
            for e in s.scalars(
                select(Evaluation)
                .where(Evaluation.status == "final", Evaluation.identities.is_not(None))
                .order_by(Evaluation.id)
            )
            if e.evaluator_id
        )
        emp, pejabat = s.get(Employee, ev.employee_id), s.get(Employee, ev.evaluator_id)
        other = s.scalar(
            select(Employee).where(Employee.unit_id == emp.unit_id, Employee.id.not_in([emp.id, pejabat.id])).limit(1)
        )
        from kinerja_desktop.services.performance.periods import get_period, period_code

        period = period_code(get_period(s, ev.period_id))
        employee = (emp.id, emp.full_name)
        pejabat_nip, pejabat_name = pejabat.nip, pejabat.full_name
        other_nip, other_name = other.nip, other.full_name
    with db.transaction() as s:
        certificates.create_ca(s, SYSTEM, "sandi-ca-kabupaten")
        for nip, name in ((pejabat_nip, pejabat_name), (other_nip, other_name)):
            request = certificates.request_certificate(nip, name, PASS)
            _r, _c, bundle = certificates.issue_certificate(s, SYSTEM, request, "sandi-ca-kabupaten")
            certificates.accept_certificate(bundle, PASS)

    with db.transaction() as s:
        hr = authenticate(s, "kepegawaian", "latihan123")
        admin = authenticate(s, "admin", "latihan123")
    window = open_main_window(db, hr, page="documents", show=False)
    window.resize(WIDTH, HEIGHT)
    window.show()
    settle(window.ctx.runner, 1.0)
    page = window.pages["documents"]
    page.employee.set_employee(*employee)
    page.period.setCurrentIndex(page.period.findData(period))
    page.make_preview()
    settle(window.ctx.runner, 1.5)
    key = documents.signing_key(None, certs.user_p12_path(pejabat_nip).read_bytes(), PASS)

    class Chosen:
        def __init__(self, *_args) -> None:
            self.key = key

        def exec(self) -> bool:
            return True

    page.sign(dialog_factory=Chosen)
    settle(window.ctx.runner, 2.0)
    save(window, "dokumen-ditandatangani")
    signed = home / "evaluasi-ditandatangani.pdf"
    page.save(str(signed))
    if not only or "signed-form" in only:
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(signed),
                str(out / "signed-form"),
            ],
            check=True,
        )
        print((out / "signed-form.png").relative_to(ROOT))

    def verification(path: Path, name: str) -> None:
        dialog = page.open_verify(str(path))
        settle(window.ctx.runner, 1.0)
        save(dialog, name)
        dialog.close()

    verification(signed, "verify-dialog")
    changed = home / "diubah.pdf"
    changed.write_bytes(signed.read_bytes() + b"\n% diubah setelah ditandatangani\n")
    verification(changed, "verify-dialog-changed")
    # The same form signed by someone else who named himself the pejabat penilai.
    with db.session() as s:
        prepared = documents.prepare(
            s, SYSTEM, documents.DocumentRequest("evaluasi", employee[0], page.year.value(), period)
        )
    forged_view = dataclasses.replace(
        prepared.view, pejabat=PersonIdentity(name=other_name, nip=other_nip, nip_raw=other_nip)
    )
    other_key = documents.signing_key(None, certs.user_p12_path(other_nip).read_bytes(), PASS)
    forged = home / "penanda-tangan-lain.pdf"
    forged.write_bytes(produce(forged_view, other_key).pdf)
    verification(forged, "verify-dialog-wrong-signer")
    window.close()

    window = open_main_window(db, admin, page="settings", show=False)
    window.resize(WIDTH, HEIGHT)
    window.show()
    settings = window.show_page("settings")
    settings.show_tab("certificates")
    settle(window.ctx.runner, 1.0)
    settings.certificates.issued.selectRow(0)
    save(window, "pengaturan-sertifikat")
    for item in certs.stored_certificates():
        item.path.unlink()
    from kinerja_desktop.ui.dialogs.sign_dialog import SignDialog

    dialog = SignDialog(window.ctx, None, window)
    dialog.show()
    settle(window.ctx.runner, 0.3)
    save(dialog, "tanda-tangan-tanpa-sertifikat")
    dialog.close()
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
