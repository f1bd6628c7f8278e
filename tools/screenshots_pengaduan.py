"""Render the Pengaduan page, its dialogs, the Beranda card and the tanda terima into docs/screenshots/.

    .venv/bin/python tools/screenshots_pengaduan.py [NAME ...]   # all, or only the named pictures

Builds a 300-employee demo district (with its complaint register) in a temporary folder and
signs in as the practice account "kepegawaian". The public page's pictures come from the
browser test: ``KINERJA_SCREENSHOT_DIR=docs/screenshots pytest tests/integration/test_pengaduan_path.py``.
"""

import os
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
from kinerja_desktop import i18n  # noqa: E402

i18n.set_language("id")
from kinerja_desktop.services.access.users import authenticate  # noqa: E402
from kinerja_desktop.services.demo.district import build_demo  # noqa: E402
from kinerja_desktop.services.progress import run  # noqa: E402
from kinerja_desktop.store.database import open_database  # noqa: E402
from kinerja_desktop.ui.launch import create_app, open_main_window  # noqa: E402

app = create_app()
db = open_database(home / "data" / "kinerja.sqlite3")
run(build_demo(db, employees=300, seed=1504, year=date.today().year))
out = ROOT / "docs" / "screenshots"
only = set(sys.argv[1:])


def settle(runner, seconds=0.6):
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
    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.services.pengaduan.docs import set_public_url

    set_public_url(s, SYSTEM, "https://pengaduan.batangharikab.go.id/pengaduan")
win = open_main_window(db, hr, page="home", show=False)
win.resize(1366, 768)
win.show()
settle(win.ctx.runner, 1.0)
home_page = win.show_page("home")
settle(win.ctx.runner, 1.0)
save(win, "pengaduan-beranda")
page = win.show_page("pengaduan")
settle(win.ctx.runner, 1.0)
page.register.table.selectRow(2)
settle(win.ctx.runner, 0.6)
save(win, "pengaduan-register")
page.register.status.setCurrentIndex(page.register.status.findData("terlambat"))
settle(win.ctx.runner, 0.6)
save(win, "pengaduan-terlambat")
page.tabs.setCurrentIndex(1)
settle(win.ctx.runner, 1.0)
units = page.figures.unit
units.setCurrentIndex(
    max(0, next((i for i in range(units.count()) if units.itemText(i).startswith("Dinas Kesehatan")), 0))
)
settle(win.ctx.runner, 1.0)
save(win, "pengaduan-kinerja")
page.tabs.setCurrentIndex(2)
settle(win.ctx.runner, 1.0)
save(win, "pengaduan-layanan")
from kinerja_desktop.ui.dialogs.pengaduan_form import ComplaintDialog  # noqa: E402

d = ComplaintDialog(win.ctx, win)
d.show()
settle(win.ctx.runner, 0.8)
d.description.setPlainText("KTP-el sudah direkam sejak Agustus tetapi belum dicetak; sudah tiga kali datang.")
d.contact.setText("0812 3456 7890")
settle(win.ctx.runner, 0.3)
save(d, "pengaduan-catat")
d.close()
# The tanda terima of the first complaint, rendered as it prints.
from kinerja_desktop.services.pengaduan.docs import receipt_pdf  # noqa: E402
from kinerja_desktop.services.pengaduan.query import register_page  # noqa: E402

with db.session() as s:
    first = register_page(s, hr, limit=1)[0]
    pdf = receipt_pdf(s, hr, first.id)
if not only or "pengaduan-tanda-terima" in only:
    tmp = home / "tanda-terima.pdf"
    tmp.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-singlefile", str(tmp), str(out / "pengaduan-tanda-terima")], check=True
    )
    print(out / "pengaduan-tanda-terima.png")
win.close()
db.close()
