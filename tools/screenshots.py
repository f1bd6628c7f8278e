"""Render every page and dialog offscreen into docs/screenshots/ (main window at 1366×768).

    python tools/screenshots.py [--out docs/screenshots] [--lang id|en|both]

Builds a demo district in a temporary data folder, signs in with the practice accounts
and grabs each window with ``QWidget.grab()``: the README's pictures (English ones end in
``-en``), then every page of the navigation with each of its tabs, for each practice
account, into ``docs/screenshots/pages/<lang>/<account>-<page>[-<tab>].png``. Each picture
is also read for words of the other language (``ui.visible_text``); they are listed at
the end. Look at the pictures before calling a screen done: clipped labels, overflowing
tables and cramped spacing show up here.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 1366, 768


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", default="both", choices=("id", "en", "both"))
    parser.add_argument("--employees", type=int, default=600)
    parser.add_argument("--only", choices=("siasn",), help="render only one feature's pictures")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("KINERJA_DB_KEY", "5c" * 32)  # screenshot databases are throwaway: a scratch key
    sys.path.insert(0, str(ROOT))
    foreign: list[str] = []
    for lang in ("id", "en") if args.lang == "both" else (args.lang,):
        foreign += render(lang, args.out, args.employees, args.only)
    if foreign:
        print(f"{len(foreign)} words of the other language:")
        for line in foreign:
            print("  " + line)
    return 0


def render(lang: str, out: Path, employees: int, only: str | None = None) -> list[str]:
    """The pictures in ``lang``; returns the other language's words found on them."""
    home = Path(tempfile.mkdtemp(prefix="kinerja-screens-"))
    os.environ["KINERJA_HOME"] = str(home / "data")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")

    from kinerja_desktop import i18n, paths

    paths.set_data_dir(None)
    i18n.set_language(lang)
    from PySide6.QtWidgets import QWidget

    from kinerja_desktop.services.access.users import authenticate, create_practice_accounts
    from kinerja_desktop.services.demo.district import build_demo
    from kinerja_desktop.services.progress import run
    from kinerja_desktop.store.database import open_database
    from kinerja_desktop.ui.launch import create_app, open_main_window
    from kinerja_desktop.ui.visible_text import foreign_words, visible_texts

    app = create_app()
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if lang == "id" else "-en"
    written: list[Path] = []
    found: list[str] = []

    def settle(seconds: float = 0.4, runner=None) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end or (runner is not None and runner.active):
            app.processEvents()
            time.sleep(0.01)
            if time.monotonic() > end + 10:
                break

    def save(widget: QWidget, name: str, path: Path | None = None) -> None:
        path = path or out / f"{name}{suffix}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(path), "PNG", 0)  # 0: the smallest file
        written.append(path)
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        found.extend(f"{path.name}: “{word}” in “{text}”" for word, text in foreign_words(visible_texts(widget), lang))

    siasn_shots(home, settle, save)
    if only == "siasn":
        print(f"{len(written)} screenshots in {out}")
        return found

    # --- a fresh database: the first-run wizard -----------------------------------------
    from kinerja_desktop.ui.first_run import FirstRunWizard

    fresh = open_database(home / "baru" / "kinerja.sqlite3")
    wizard = FirstRunWizard(fresh, db_fixed=False)
    wizard.show()
    settle()
    save(wizard, "01-penyiapan-folder")
    wizard.next()
    wizard.office.office_name.setText("Dinas Kependudukan dan Pencatatan Sipil")
    wizard.office.unit.setEditText("DUKCAPIL")
    wizard.office.suffix = "7Q2K"  # the same picture every run
    wizard.office._show_saved_as()
    settle()
    save(wizard, "02-penyiapan-kantor")
    wizard.next()
    wizard.admin.username.setText("admin.dukcapil")
    wizard.admin.display_name.setText("Rahmat Hidayat")
    wizard.admin.password.setText("Dukcapil-2026")
    wizard.admin.repeat.setText("Dukcapil-2027")
    wizard.admin.validatePage()
    settle()
    save(wizard, "03-penyiapan-administrator")
    wizard.close()
    fresh.close()

    # --- the demo district ---------------------------------------------------------------
    db = open_database(home / "data" / "kinerja.sqlite3")
    run(build_demo(db, employees=employees))
    with db.transaction() as s:
        create_practice_accounts(s)

    from kinerja_desktop.ui.signin import ChangePasswordDialog, SignInDialog

    dialog = SignInDialog(db)
    dialog.show()
    settle()
    dialog.username.setText("kepegawaian")
    dialog.password.setText("salah")
    dialog.try_sign_in()
    settle()
    save(dialog, "04-masuk")
    dialog.close()

    def sign_in(username: str):
        with db.transaction() as s:
            return authenticate(s, username, "latihan123")

    hr = sign_in("kepegawaian")
    window = open_main_window(db, hr, page="home", show=False)
    window.resize(WIDTH, HEIGHT)
    window.show()
    settle(0.8, window.ctx.runner)
    save(window, "05-beranda")
    page = window.show_page("employees")
    settle(0.8, window.ctx.runner)
    page.table.selectRow(2)
    settle(0.2)
    save(window, "06-pegawai")
    page.search.setText("siti")
    page.search_throttle.flush()
    settle(0.6, window.ctx.runner)
    save(window, "07-pegawai-cari")
    page.search.clear()
    settle(0.5, window.ctx.runner)
    page.unit_filter.open_popup()
    page.unit_filter.popup.search.setText("puskesmas")
    settle(0.3)
    save(page.unit_filter.popup, "08-saring-unit")
    page.unit_filter.popup.close()

    from kinerja_desktop.ui.dialogs.employee_form import EmployeeForm

    form = EmployeeForm(window.ctx, parent=window)
    form.show()
    form.nip.setText("1.98609262015051E+17")  # a NIP Excel rounded: the two-line message
    form.name.setText("Siti Rahmawati")
    form.golongan.setCurrentText("III/b")
    form.touched.update({"nip", "name", "golongan"})
    form.validate()
    settle(0.3)
    save(form, "09-form-pegawai-galat")
    form.close()
    form = EmployeeForm(window.ctx, page.model.row_id(2), parent=window)
    form.show()
    settle(0.3)
    save(form, "10-form-pegawai-ubah")
    form.close()

    from kinerja_desktop.ui.dialogs.import_wizard import ImportWizard

    csv_path = home / "daftar-pegawai.csv"
    csv_path.write_text(
        "NIP;Nama;Golongan;Jabatan;Unit Kerja\n"
        "198609262015051001;Budi Santoso;III/b;Analis Kepegawaian Ahli Pertama;Badan Kepegawaian\n"
        "198609262015131002;Salah Bulan;III/a;Pengadministrasi Umum;Badan Kepegawaian\n"
        "1.98609262015051E+17;Angka Excel;III/a;Pengadministrasi Umum;Badan Kepegawaian\n"
        "199001152015052003;Siti Rahmawati;III/c;Analis Kepegawaian Ahli Muda;Badan Kepegawaian\n"
        "199001152015052004;;III/c;Analis Kepegawaian Ahli Muda;Badan Kepegawaian\n",
        encoding="utf-8",
    )
    importer = ImportWizard(window.ctx, parent=window, path=str(csv_path))
    importer.show()
    settle(0.2)
    save(importer, "11-impor-pilih")
    importer.next()
    settle(0.3)
    save(importer, "12-impor-pratinjau")
    importer.next()
    settle(0.3)
    save(importer, "13-impor-hasil")
    importer.close()

    from kinerja_desktop.ui.progress import JobDialog

    def slow_job(_db):
        from kinerja_desktop.services.progress import Progress

        for i in range(400):
            time.sleep(0.01)
            yield Progress(i, 400, "Menyimpan pegawai…")

    job = JobDialog(window.ctx.runner, slow_job, title="Mengimpor pegawai", parent=window)
    job.show()
    settle(1.5)
    save(job, "14-kemajuan")
    job.request_cancel()
    settle(0.5, window.ctx.runner)
    job.close()

    # Pages added by other features: every page the navigation offers gets a picture.
    from kinerja_desktop.ui.pages import pages_for

    own = {"home", "employees", "settings", "audit"}
    for spec in pages_for(hr):
        if spec.key not in own:
            window.show_page(spec.key)
            settle(1.0, window.ctx.runner)
            save(window, f"30-halaman-{spec.key}")
    page = window.show_page("settings")
    settle(0.3)
    save(window, "15-pengaturan-umum")
    change = ChangePasswordDialog(db, hr, forced=True, parent=window)
    change.show()
    settle(0.2)
    save(change, "16-ganti-kata-sandi")
    change.close()
    window.close()

    admin = sign_in("admin")
    window = open_main_window(db, admin, page="audit", show=False)
    window.resize(WIDTH, HEIGHT)
    window.show()
    settle(0.8, window.ctx.runner)
    page = window.pages["audit"]
    page.table.selectRow(0)
    settle(0.2)
    save(window, "17-jejak-audit")
    page = window.show_page("settings")
    page.tabs.setCurrentIndex(1)
    settle(0.3)
    save(window, "18-pengaturan-kop-surat")
    page.tabs.setCurrentIndex(2)
    settle(0.3)
    save(window, "19-pengaturan-pengguna")

    from kinerja_desktop.ui.dialogs.users import UserDialog

    user_dialog = UserDialog(window.ctx, parent=window)
    user_dialog.show()
    settle(0.2)
    save(user_dialog, "20-tambah-pengguna")
    user_dialog.close()
    window.close()

    penilai = sign_in("penilai")
    window = open_main_window(db, penilai, page="employees", show=False)
    window.resize(WIDTH, HEIGHT)
    window.show()
    settle(0.8, window.ctx.runner)
    save(window, "21-pegawai-pejabat-penilai")
    window.show_page("home")
    settle(0.6, window.ctx.runner)
    save(window, "22-beranda-pejabat-penilai")

    from kinerja_desktop.ui.errors import CrashDialog, crash_report

    try:
        raise RuntimeError("contoh kesalahan untuk tangkapan layar")
    except RuntimeError:
        report = crash_report(*sys.exc_info())
    crash = CrashDialog(report, window)
    crash.show()
    settle(0.2)
    save(crash, "23-kesalahan-tak-terduga")
    crash.close()

    about = window.about_box()
    about.show()
    settle(0.2)
    save(about, "24-tentang")
    about.close()
    window.show_guide()
    settle(0.5)
    save(window._guide, "25-panduan-pengguna")
    window._guide.close()
    window.close()

    # Every page of the navigation, each tab, for each practice account.
    for username in ("kepegawaian", "admin", "penilai"):
        person = sign_in(username)
        window = open_main_window(db, person, page="home", show=False)
        window.resize(WIDTH, HEIGHT)
        window.show()
        settle(0.8, window.ctx.runner)
        for spec in pages_for(person):
            page = window.show_page(spec.key)
            settle(0.8, window.ctx.runner)
            folder = out / "pages" / lang
            tabs = getattr(page, "tabs", None)
            if tabs is None or tabs.count() < 2:
                save(window, "", folder / f"{username}-{spec.key}.png")
                continue
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
                settle(0.8, window.ctx.runner)
                save(window, "", folder / f"{username}-{spec.key}-{i + 1}.png")
            tabs.setCurrentIndex(0)
        window.close()
        settle(0.2, window.ctx.runner)
    db.close()
    print(f"{len(written)} screenshots in {out}")
    return found


def siasn_shots(home: Path, settle, save) -> None:
    """The import wizard on a district's SIASN download, then next month's download, and the
    export choices (a fresh database, an HR principal)."""
    from PySide6.QtWidgets import QCheckBox

    from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, Principal
    from kinerja_desktop.services.roster.query import RosterFilter
    from kinerja_desktop.services.roster.siasn_sample import generate, later_download, write_download
    from kinerja_desktop.store.database import open_database
    from kinerja_desktop.ui.context import AppContext
    from kinerja_desktop.ui.dialogs.export import ExportOptionsDialog, roster_scope
    from kinerja_desktop.ui.dialogs.import_wizard import ImportWizard
    from kinerja_desktop.ui.tasks import TaskRunner

    db = open_database(home / "siasn" / "kinerja.sqlite3")
    runner = TaskRunner(db)
    ctx = AppContext(db=db, principal=Principal("kepegawaian", ADMIN_KEPEGAWAIAN), runner=runner)
    rows = generate(2000, seed=9)
    first = write_download(home / "siasn" / "SIASN_Batanghari_2026-11.txt", rows)
    wizard = ImportWizard(ctx, path=str(first))
    wizard.show()
    settle(0.2)
    save(wizard, "11-impor-siasn-pilih")
    wizard.next()
    settle(0.5, runner)
    tabs = wizard.preview.tabs
    for index, name in ((1, "12-impor-siasn-kolom"), (2, "12-impor-siasn-rantai")):
        tabs.setCurrentIndex(index)
        settle(0.2)
        save(wizard, name)
    wizard.next()
    settle(0.5, runner)
    save(wizard, "13-impor-siasn-hasil")
    wizard.close()
    later = write_download(home / "siasn" / "SIASN_Batanghari_2026-12.txt", later_download(rows))
    wizard = ImportWizard(ctx, path=str(later))
    wizard.show()
    settle(0.2)
    wizard.next()
    settle(0.5, runner)
    tree = wizard.preview.tabs.widget(0)
    tree.collapseAll()
    for i in (1, 2, 3):  # pindah, naik pangkat, nonaktif
        tree.topLevelItem(i).setExpanded(True)
    settle(0.2)
    save(wizard, "12-impor-siasn-perubahan")
    wizard.preview.tabs.setCurrentIndex(2)
    wizard.preview.tabs.widget(2).findChild(QCheckBox, "onlyProblems").setChecked(True)
    settle(0.2)
    save(wizard, "12-impor-siasn-rantai-periksa")
    wizard.close()
    bad = [dict(r) for r in rows[:40]]
    bad[3]["NIP BARU"] = "1.98609262015051E+17"  # what Excel makes of an 18-digit number
    bad[7]["TANGGAL LAHIR"] = "31-02-1980"
    bad[9]["NIP BARU"] = bad[8]["NIP BARU"]
    bad[12]["GOL AKHIR NAMA"] = "III/f"
    wizard = ImportWizard(ctx, path=str(write_download(home / "siasn" / "SIASN_salah.txt", bad)))
    wizard.show()
    settle(0.2)
    wizard.next()
    settle(0.5, runner)
    save(wizard, "12-impor-siasn-galat")
    wizard.close()
    options = ExportOptionsDialog(
        "Ekspor daftar pegawai", roster_scope(266, RosterFilter(unit_id="x", status="PNS"), "Dinas Kesehatan")
    )
    options.csv.setChecked(True)
    options.delimiter.setCurrentIndex(1)
    options.show()
    settle(0.2)
    save(options, "25-ekspor-pilihan")
    options.close()
    runner.wait(5000)
    db.close()


if __name__ == "__main__":
    sys.exit(main())
