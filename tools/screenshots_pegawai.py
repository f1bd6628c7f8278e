"""Render the pegawai's Beranda, Kinerja Saya, a keberatan and its decision into docs/screenshots/.

    .venv/bin/python tools/screenshots_pegawai.py

Builds a small office in a temporary folder (a kepala dinas, a kepala bidang, two staff),
walks the cycle through the services up to a lodged keberatan, then signs in as the pegawai
and as the atasan pejabat penilai at 1366×768. Also writes the Keputusan atas Keberatan and
the sign-in slips as PNG (pdftoppm) next to them.
"""

import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KINERJA_DB_KEY", "be" * 32)
ROOT = Path(__file__).resolve().parent.parent
home = Path(tempfile.mkdtemp(prefix="kinerja-shots-"))
os.environ["KINERJA_HOME"] = str(home / "data")
os.environ["XDG_CONFIG_HOME"] = str(home / "config")
sys.path.insert(0, str(ROOT))
from kinerja_desktop import i18n  # noqa: E402

i18n.set_language("id")
from kinerja_desktop.domain.nip import make_pns_nip  # noqa: E402
from kinerja_desktop.services.access.principal import (  # noqa: E402
    ATASAN_PEJABAT_PENILAI,
    PEGAWAI,
    PEJABAT_PENILAI,
    SYSTEM,
    Principal,
)
from kinerja_desktop.services.access.users import create_user  # noqa: E402
from kinerja_desktop.services.pegawai import acknowledge as ack  # noqa: E402
from kinerja_desktop.services.pegawai import keberatan as kb  # noqa: E402
from kinerja_desktop.services.pegawai import work  # noqa: E402
from kinerja_desktop.services.performance import evaluations as ev_svc  # noqa: E402
from kinerja_desktop.services.performance import skp as skp_svc  # noqa: E402
from kinerja_desktop.services.performance.periods import create_year, find_period  # noqa: E402
from kinerja_desktop.store.database import open_database  # noqa: E402
from kinerja_desktop.store.models import Employee, Position, Unit  # noqa: E402
from kinerja_desktop.ui.launch import create_app, open_main_window  # noqa: E402

app = create_app()
db = open_database(home / "data" / "kinerja.sqlite3")
out = ROOT / "docs" / "screenshots"
TODAY = date.today()
YEAR = TODAY.year
PASSWORD = "kantor-batanghari-7"


def settle(runner, seconds=0.8):
    end = time.monotonic() + seconds
    while time.monotonic() < end or runner.active:
        app.processEvents()
        time.sleep(0.01)
        if time.monotonic() > end + 15:
            break


def save(w, name):
    p = out / f"{name}.png"
    w.grab().save(str(p))
    print(p)


def pdf_png(pdf: bytes, name: str) -> None:
    path = home / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", str(path), str(out / name)], check=True)
    print(out / f"{name}.png")


def build():
    with db.transaction() as s:
        dinas = Unit(code="DISKOMINFO", name="Dinas Komunikasi dan Informatika", kind="opd")
        s.add(dinas)
        s.flush()
        bidang = Unit(code="DISKOMINFO-APT", name="Bidang Aplikasi Informatika", kind="bidang", parent_id=dinas.id)
        head = Position(name="Kepala Dinas Komunikasi dan Informatika", kind="jpt", is_unit_head=True)
        kabid_pos = Position(name="Kepala Bidang Aplikasi Informatika", kind="administrator")
        staf_pos = Position(name="Pranata Komputer Ahli Pertama", kind="fungsional")
        s.add_all([bidang, head, kabid_pos, staf_pos])
        s.flush()

        def emp(name, front, back, unit, pos, sup, n, gender):
            e = Employee(
                nip=make_pns_nip(date(1978 + n, 3, n + 2), date(2004 + n, 3, 1), gender, n),
                name=name,
                front_title=front,
                back_title=back,
                gender=gender,
                status="PNS",
                golongan="III/b",
                unit_id=unit,
                position_id=pos,
                supervisor_id=sup,
                active=True,
            )
            s.add(e)
            s.flush()
            return e.id

        kadis = emp("Ahmad Fauzi", "Drs. H.", "M.Si.", dinas.id, head.id, None, 1, "L")
        kabid = emp("Rina Marlina", "", "S.Kom., M.T.", bidang.id, kabid_pos.id, kadis, 2, "P")
        staf = emp("Siti Nurhaliza", "", "S.Kom.", bidang.id, staf_pos.id, kabid, 3, "P")
        emp("Budi Santoso", "", "A.Md.", bidang.id, staf_pos.id, kabid, 4, "L")
        create_year(s, SYSTEM, YEAR, "triwulan")
        create_user(s, SYSTEM, username="siti", display_name="Siti", password=PASSWORD, role=PEGAWAI, employee_id=staf)
        create_user(
            s,
            SYSTEM,
            username="ahmad",
            display_name="Ahmad",
            password=PASSWORD,
            role=ATASAN_PEJABAT_PENILAI,
            employee_id=kadis,
        )
    pejabat, pegawai = Principal("rina", PEJABAT_PENILAI, kabid), Principal("siti", PEGAWAI, staf)
    with db.transaction() as s:
        skp = skp_svc.create_skp(s, pejabat, staf, YEAR)
        content = skp_svc.SkpContent(
            rhks=[
                skp_svc.RhkInput(
                    "Terselenggaranya layanan aplikasi kepegawaian yang andal",
                    "utama",
                    [
                        skp_svc.IkiInput("Persentase waktu layanan aplikasi berjalan", "99%"),
                        skp_svc.IkiInput("Jumlah gangguan yang diselesaikan dalam 1 hari", "90%", "Waktu"),
                    ],
                )
            ]
        )
        skp = skp_svc.save_skp(s, pejabat, skp.id, content, expected_hlc=skp.updated_hlc)
        prop = work.propose(
            s,
            pegawai,
            skp.id,
            [
                work.ProposedRhk(
                    "Tersusunnya dasbor kinerja pegawai Kabupaten Batanghari",
                    "tambahan",
                    None,
                    [work.ProposedIki("Dasbor terbit dan diperbarui tiap bulan", "1 dasbor")],
                )
            ],
        )
        work.decide_proposal(s, pejabat, prop.id, agree=True)
        skp_svc.agree_skp(s, pejabat, skp.id, date(YEAR, 1, 15), expected_hlc=skp.updated_hlc)
        from kinerja_desktop.services.performance import feedback as fb

        note = fb.add_feedback(
            s,
            pejabat,
            skp.id,
            "Laporan gangguan sudah rapi; tambahkan waktu pemulihan.",
            date(YEAR, 2, 3),
            value_code="AKUNTABEL",
        )
        work.reply_feedback(s, pegawai, note.id, "Baik, mulai Maret waktu pemulihan saya catat.")
        meeting = fb.add_dialog(s, pejabat, skp.id, date(YEAR, 5, 6), "Pemantauan triwulan II")
        work.confirm_dialog(s, pegawai, meeting.id)
        ids = [i.id for _n, _r, i in ev_svc.skp_ikis(s, skp.id)]
        for code, hasil, day in (
            ("TW1", "Sesuai Ekspektasi", date(YEAR, 4, 8)),
            ("TW2", "Sesuai Ekspektasi", date(YEAR, 7, 8)),
            ("TW3", "Di Bawah Ekspektasi", TODAY - timedelta(days=4)),
        ):
            period = find_period(s, YEAR, code)
            for iki in ids:
                work.report_realisasi(s, pegawai, skp.id, period.id, iki, "Tercapai sesuai target")
            e = ev_svc.start_evaluation(s, pejabat, staf, period.id)
            real = {i: {"realisasi": "tercapai", "umpan_balik": "baik"} for i in ids}
            e = ev_svc.save_evaluation(
                s, pejabat, e.id, ev_svc.EvaluationForm(hasil, "Sesuai Ekspektasi", real), expected_hlc=e.updated_hlc
            )
            e = ev_svc.finalize_evaluation(s, pejabat, e.id, expected_hlc=e.updated_hlc, today=day)
            if code != "TW2":
                ack.acknowledge(s, pegawai, e.id, today=day + timedelta(days=1))
            if code == "TW1":
                tw1 = e.id
        kid = kb.lodge(
            s,
            pegawai,
            tw1,
            "Gangguan server pada Maret di luar kendali saya dan telah dilaporkan ke "
            "Dinas; dasbor kinerja terbit lebih cepat dari target.",
            today=date(YEAR, 4, 12),
        ).id
    return kid


def main() -> None:
    kid = build()
    with db.transaction() as s:
        from kinerja_desktop.services.access.users import authenticate

        siti = authenticate(s, "siti", PASSWORD)
        ahmad = authenticate(s, "ahmad", PASSWORD)
    w = open_main_window(db, siti, page="home")
    w.resize(1366, 768)
    settle(w.ctx.runner, 1.5)
    save(w, "60-pegawai-beranda")
    w.show_page("pegawai_saya")
    settle(w.ctx.runner, 1.2)
    save(w, "61-kinerja-saya")
    w.ctx.runner.wait(5000)
    w.close()

    w = open_main_window(db, ahmad, page="keberatan")
    w.resize(1366, 768)
    settle(w.ctx.runner, 1.2)
    page = w.current_page()
    page.table.selectRow(0)
    save(w, "62-keberatan-atasan")
    from kinerja_desktop.ui.dialogs.keberatan import DecideKeberatanDialog

    with db.session() as s:
        row = kb.get(s, ahmad, kid)
        s.expunge(row)
    dialog = DecideKeberatanDialog(w.ctx, row, ("Sesuai Ekspektasi", "Sesuai Ekspektasi"), w)
    dialog.pegawai.setPlainText("Gangguan server 3–5 Maret akibat pemadaman listrik PLN; laporan gangguan terlampir.")
    dialog.penilai.setPlainText("Benar ada pemadaman; dasbor memang terbit September, lebih cepat dari target.")
    dialog.decision.setCurrentIndex(dialog.decision.findData("diubah"))
    dialog.hasil.setCurrentIndex(dialog.hasil.findData("Di Atas Ekspektasi"))
    dialog.perilaku.setCurrentIndex(dialog.perilaku.findData("Di Atas Ekspektasi"))
    dialog.reason.setPlainText("Gangguan di luar kendali pegawai; capaian dasbor melampaui target waktu.")
    dialog.show()
    dialog.adjustSize()
    settle(w.ctx.runner, 0.5)
    save(dialog, "63-keberatan-putuskan")
    dialog.submit()
    settle(w.ctx.runner, 1.0)
    page.refresh()
    settle(w.ctx.runner, 1.0)
    page.table.selectRow(0)
    save(w, "64-keberatan-diputus")
    from kinerja_desktop.services.pegawai.decision_doc import keputusan_pdf

    with db.session() as s:
        pdf_png(keputusan_pdf(s, ahmad, kid), "65-keputusan-keberatan")
    w.ctx.runner.wait(5000)
    w.close()
    from kinerja_desktop.services.pegawai.accounts import create_for_unit, slips_pdf

    with db.transaction() as s:
        unit = s.query(Unit).filter_by(code="DISKOMINFO").one().id
        result = create_for_unit(s, Principal("hr", "admin_kepegawaian"), unit)
        pdf_png(slips_pdf(s, Principal("hr", "admin_kepegawaian"), result), "66-slip-masuk")


main()
