"""Render the regulation's screens and documents into docs/screenshots/ (window at 1366x768).

    .venv/bin/python tools/screenshots_regulation.py [NAME ...]   # all, or only the named pictures

Builds a 600-employee demo district (a year of work as of 28 November 2026) in a
temporary folder and grabs: the distribution tab with the periodic capaian and who set
it, the capaian dialog, a second SKP after a mutasi, the old pejabat penilai's list, the
Angka Kredit page, the kepala daerah in Pengaturan; and pages of the penetapan, a JPT
detailed form and a PAK konversi (rendered with pdftoppm). Look at every picture.
"""

import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
home = Path(tempfile.mkdtemp(prefix="kinerja-shots-"))
os.environ["KINERJA_HOME"] = str(home / "data")
os.environ["XDG_CONFIG_HOME"] = str(home / "config")
sys.path.insert(0, str(ROOT))
from sqlalchemy import select  # noqa: E402

from kinerja_desktop import i18n  # noqa: E402

i18n.set_language("id")
from kinerja_desktop.reports.render import render_view  # noqa: E402
from kinerja_desktop.services.access.principal import PEJABAT_PENILAI, SYSTEM, Principal  # noqa: E402
from kinerja_desktop.services.access.users import authenticate  # noqa: E402
from kinerja_desktop.services.demo.district import build_demo  # noqa: E402
from kinerja_desktop.services.demo.performance import add_performance_demo  # noqa: E402
from kinerja_desktop.services.documents import views as collect  # noqa: E402
from kinerja_desktop.services.performance.angka_kredit import functional_employees, pak_view  # noqa: E402
from kinerja_desktop.services.performance.penetapan import penetapan_view  # noqa: E402
from kinerja_desktop.services.progress import run  # noqa: E402
from kinerja_desktop.store.database import open_database  # noqa: E402
from kinerja_desktop.store.models import Employee, Evaluation, Position, Skp  # noqa: E402
from kinerja_desktop.ui.launch import create_app, open_main_window  # noqa: E402

TODAY = date(2026, 11, 28)
app = create_app()
db = open_database(home / "data" / "kinerja.sqlite3")
import kinerja_desktop.services.demo.district as demo_module  # noqa: E402

wired = demo_module.add_performance_demo
demo_module.add_performance_demo = lambda *_a, **_k: None  # the year below, as of TODAY
run(build_demo(db, employees=600, seed=1504, year=2026))
demo_module.add_performance_demo = wired
with db.transaction() as s:
    add_performance_demo(s, random.Random(1504), 2026, today=TODAY)
out = ROOT / "docs" / "screenshots"
only = set(sys.argv[1:])


def settle(runner, seconds=0.6):
    end = time.monotonic() + seconds
    while time.monotonic() < end or runner.active:
        app.processEvents()
        time.sleep(0.01)
        if time.monotonic() > end + 20:
            break


def save(w, name):
    if only and name not in only:
        return
    p = out / f"{name}.png"
    w.grab().save(str(p))
    print(p)


def save_pdf_page(view, name, page=1, dpi=80, pdf_bytes=None):
    if only and name not in only:
        return
    pdf = home / f"{name}.pdf"
    pdf.write_bytes(pdf_bytes if pdf_bytes is not None else render_view(view).pdf)
    prefix = home / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(prefix)],
        check=True,
    )
    target = out / f"{name}.png"
    target.write_bytes(prefix.with_suffix(".png").read_bytes())
    print(target)


with db.transaction() as s:
    hr = authenticate(s, "kepegawaian", "latihan123")
win = open_main_window(db, hr, page="penilaian", show=False)
win.resize(1366, 768)
win.show()
page = win.pages["penilaian"]
page.today_fn = lambda: TODAY
page.refresh()
settle(win.ctx.runner, 1.5)
page.tabs.setCurrentIndex(1)
settle(win.ctx.runner, 1.0)
tab = page.distribution
tab.period.setCurrentIndex(tab.period.findText("Triwulan III 2026"))
settle(win.ctx.runner, 1.0)
best = max(range(len(tab.recaps)), key=lambda i: (tab.recaps[i][0].report is not None, tab.recaps[i][0].final))
tab.unit.setCurrentIndex(best)
settle(win.ctx.runner, 0.5)
save(win, "penilaian-distribusi")
from kinerja_desktop.ui.dialogs.capaian_dialog import CapaianDialog, load_context  # noqa: E402

recap = tab.current()[0]
with db.session() as s:
    data = load_context(s, hr, recap.unit_id, recap.period_id)
dialog = CapaianDialog(win.ctx, data, win)
dialog.show()
settle(win.ctx.runner, 0.4)
save(dialog, "penilaian-tetapkan-capaian")
dialog.close()

# the old pejabat penilai of the demo's July mutasi, and the new one's "Penugasan baru"
from kinerja_desktop.ui.dialogs.assignment_dialogs import EarlierAssignmentsDialog, NewAssignmentDialog  # noqa: E402

with db.session() as s:
    second = s.scalar(select(Skp).where(Skp.previous_skp_id.is_not(None)))
    old = s.get(Skp, second.previous_skp_id).evaluator_id
old_ctx = open_main_window(db, Principal("lama", PEJABAT_PENILAI, old), page="home", show=False).ctx
earlier = EarlierAssignmentsDialog(old_ctx, 2026, win)
earlier.show()
settle(old_ctx.runner, 0.8)
save(earlier, "penilaian-penugasan-sebelumnya")
earlier.close()
with db.transaction() as s:
    pp = authenticate(s, "penilai", "latihan123")
    emp = s.scalar(
        select(Employee)
        .join(Skp, Skp.employee_id == Employee.id)
        .where(Employee.supervisor_id == pp.employee_id, Skp.status == "agreed", Skp.previous_skp_id.is_(None))
        .limit(1)
    )
    pos = Position(name="Pengelola Data Kepegawaian", kind="pelaksana")
    s.add(pos)
    s.flush()
    emp.position_id = pos.id
    employee_id = emp.id
pp_win = open_main_window(db, pp, page="home", show=False)
new = NewAssignmentDialog(pp_win.ctx, employee_id, 2026, win)
new.note.setText("Promosi per 16 November 2026 (SK Bupati Nomor 821/45/BKPSDM/2026)")
new.start.setDate(new.start.date().fromString("16-11-2026", "dd-MM-yyyy"))
new.show()
settle(pp_win.ctx.runner, 0.8)
save(new, "penilaian-penugasan-baru")
new.close()

ak = win.show_page("angka_kredit")
settle(win.ctx.runner, 1.5)
row = max(range(len(ak.rows)), key=lambda i: len(ak.rows[i]["lines"]))
ak.table.selectRow(row)
settle(win.ctx.runner, 0.3)
save(win, "angka-kredit")
settings = win.show_page("settings")
settings.tabs.setCurrentIndex(settings.tabs.count() - 1)
settle(win.ctx.runner, 1.0)
save(win, "pengaturan-kepala-daerah")

# documents from the demo's data
with db.session() as s:
    tw3 = next(
        p
        for p in __import__("kinerja_desktop.services.performance.periods", fromlist=["list_periods"]).list_periods(
            s, 2026
        )
        if p.kind == "triwulan" and p.number == 3
    )
    save_pdf_page(penetapan_view(s, SYSTEM, recap.unit_id, tw3.id), "dokumen-penetapan")
    jpt = s.scalar(
        select(Evaluation)
        .join(Skp, Skp.id == Evaluation.skp_id)
        .where(
            Skp.model == "jpt",
            Skp.approach == "kuantitatif",
            Evaluation.status == "final",
            Evaluation.kind == "periodik",
        )
        .limit(1)
    )
    emp = s.get(Employee, jpt.employee_id)
    view = collect.detailed_form_view(s, emp.nip, 2026, "TW1")
    save_pdf_page(view, "dokumen-jpt-hasil-kerja", page=2)
    jf = max(functional_employees(s, SYSTEM), key=lambda a: (a.baseline is not None, len(a.lines)))
    save_pdf_page(pak_view(s, SYSTEM, jf.employee.id), "dokumen-pak-konversi")
    # a final evaluation: the detailed form's HASIL KERJA, and the short form signed by its pejabat penilai
    ev = s.scalar(
        select(Evaluation)
        .join(Skp, Skp.id == Evaluation.skp_id)
        .where(
            Skp.model == "non_jpt",
            Skp.approach == "kuantitatif",
            Evaluation.status == "final",
            Evaluation.kind == "periodik",
        )
        .limit(1)
    )
    emp = s.get(Employee, ev.employee_id)
    save_pdf_page(collect.detailed_form_view(s, emp.nip, 2026, "TW1"), "form-detailed-p2", page=2)
    short = collect.short_form_view(s, emp.nip, 2026, "TW1")
from kinerja_desktop.reports import certs  # noqa: E402
from kinerja_desktop.reports.render import produce  # noqa: E402
from kinerja_desktop.reports.signing import load_signing_key  # noqa: E402

ca, ca_key = certs.create_ca("CA Kabupaten Batanghari (contoh, bukan BSrE)", years=1)
cert, key = certs.issue_user_certificate(ca, ca_key, nip=short.pejabat.nip_raw, name=short.pejabat.name, days=30)
signing = load_signing_key(certs.make_p12(cert, key, ca, "contoh"), "contoh")
save_pdf_page(short, "signed-form", pdf_bytes=produce(short, signing).pdf)
