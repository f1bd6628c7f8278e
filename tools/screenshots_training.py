"""Render the Pelatihan and Kompetensi pages offscreen at 1366x768 into docs/screenshots/.

    .venv/bin/python tools/screenshots_training.py [NAME ...]   # all, or only the named pictures

Builds a 600-employee demo district (with its year of training) in a temporary folder,
signs in as the practice accounts "kepegawaian" and "penilai", and grabs each page and
dialog. Look at the pictures: clipped labels and squeezed columns show up here.
"""

# ruff: noqa: E402 (the environment and sys.path are set before the package is imported)
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KINERJA_DB_KEY", "5c" * 32)  # screenshot databases are throwaway: a scratch key
ROOT = Path(__file__).resolve().parent.parent
home = Path(tempfile.mkdtemp(prefix="kinerja-shots-"))
os.environ["KINERJA_HOME"] = str(home / "data")
os.environ["XDG_CONFIG_HOME"] = str(home / "config")
sys.path.insert(0, str(ROOT))
from kinerja_desktop import i18n

i18n.set_language("id")
from kinerja_desktop.services.access.users import authenticate, create_practice_accounts
from kinerja_desktop.services.demo.district import build_demo
from kinerja_desktop.services.progress import run
from kinerja_desktop.store.database import open_database
from kinerja_desktop.ui.launch import create_app, open_main_window

app = create_app()
db = open_database(home / "data" / "kinerja.sqlite3")
run(build_demo(db, employees=600, seed=1504, year=date.today().year))
with db.transaction() as s:
    create_practice_accounts(s)  # build_demo makes them too; this is a no-op then
out = ROOT / "docs" / "screenshots"
only = set(sys.argv[1:])


def settle(runner, seconds=0.5):
    end = time.monotonic() + seconds
    while time.monotonic() < end or runner.active:
        app.processEvents()
        time.sleep(0.01)
        if time.monotonic() > end + 15:
            break


def save(w, name):
    if only and name not in only:
        return
    p = out / f"{name}.png"
    w.grab().save(str(p))
    print(p)


with db.transaction() as s:
    hr = authenticate(s, "kepegawaian", "latihan123")
    pp = authenticate(s, "penilai", "latihan123")
win = open_main_window(db, hr, page="home", show=False)
win.resize(1366, 768)
win.show()
settle(win.ctx.runner, 1.0)
save(win, "pelatihan-beranda")
page = win.show_page("pelatihan")
settle(win.ctx.runner, 1.0)
page.records_table.selectRow(0)
save(win, "pelatihan-catatan")
page.tabs.setCurrentIndex(1)
settle(win.ctx.runner, 1.0)
save(win, "pelatihan-kepatuhan")
page.tabs.setCurrentIndex(2)
settle(win.ctx.runner, 1.0)
save(win, "pelatihan-rencana")
# dialogs
from kinerja_desktop.ui.dialogs.training_form import GroupEntryDialog, TrainingRecordDialog

d = TrainingRecordDialog(win.ctx, page.records.rows[0].id, parent=win)
d.show()
settle(win.ctx.runner)
save(d, "pelatihan-form-catatan")
d.close()
g = GroupEntryDialog(win.ctx, parent=win)
g.show()
settle(win.ctx.runner, 1.0)
g.fields.title.setText("Bimbingan Teknis Aplikasi e-Kinerja")
g.fields.jp.setText("16")
[g.picker.results.item(i).setSelected(True) for i in range(12)]
g.picker.add_selected()
settle(win.ctx.runner)
save(g, "pelatihan-entri-kelompok")
g.close()
k = win.show_page("kompetensi")
settle(win.ctx.runner)
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.training.competency import unit_gaps

with db.session() as s:
    m = unit_gaps(s, SYSTEM, None, only_gaps=True)
row = m.rows[0]
k.picker.set_employee(row.employee_id, row.name)
k.show_employee(row.employee_id)
settle(win.ctx.runner, 1.0)
save(win, "kompetensi-profil")
k.tabs.setCurrentIndex(1)
settle(win.ctx.runner, 1.0)
save(win, "kompetensi-standar")
k.tabs.setCurrentIndex(2)
settle(win.ctx.runner, 1.0)
save(win, "kompetensi-kesenjangan")
k.tabs.setCurrentIndex(3)
settle(win.ctx.runner, 1.0)
save(win, "kompetensi-saran")
from kinerja_desktop.ui.dialogs.competency_form import AssessmentDialog

a = AssessmentDialog(win.ctx, row.employee_id, parent=win)
a.show()
settle(win.ctx.runner)
save(a, "kompetensi-form-penilaian")
a.close()
win.close()
settle(win.ctx.runner)
win2 = open_main_window(db, pp, page="pelatihan", show=False)
win2.resize(1366, 768)
win2.show()
settle(win2.ctx.runner, 1.0)
win2.pages["pelatihan"].tabs.setCurrentIndex(1)
settle(win2.ctx.runner, 1.0)
save(win2, "pelatihan-kepatuhan-pejabat-penilai")
win2.show_page("home")
settle(win2.ctx.runner, 1.0)
save(win2, "pelatihan-beranda-pejabat-penilai")
win2.close()
settle(win2.ctx.runner)
