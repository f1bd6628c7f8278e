"""The whole path, with real parts: a citizen files a complaint on the public page in headless
Chromium -> the central server (PostgreSQL) -> the office by HTTP sync -> assigned and followed
up by an ASN -> closed on time -> the citizen sees "Selesai" -> realisasi and evidence in that
ASN's evaluation."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait
from sqlalchemy import select

from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, SYSTEM, Principal
from kinerja_desktop.services.pengaduan import cases as reg
from kinerja_desktop.services.pengaduan import web
from kinerja_desktop.services.pengaduan.catalog import save_service
from kinerja_desktop.services.pengaduan.docs import fill_complaint_realisasi
from kinerja_desktop.services.performance import skp as skp_service
from kinerja_desktop.services.performance.evaluations import start_evaluation
from kinerja_desktop.services.performance.periods import create_year, list_periods, period_for_day
from kinerja_desktop.store.feedback import EvidenceFile
from kinerja_desktop.store.models import Evaluation
from kinerja_desktop.store.pengaduan import Complaint
from kinerja_desktop.store.site import Site
from kinerja_desktop.sync.http_client import pull, push
from kinerja_desktop.sync.sandbox import enroll_office, make_site, seed_org

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import browser  # noqa: F401 - the fixture
from server_harness import ServerThread, make_central, office_kw, server_config

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
HR = Principal("hr-kantor", ADMIN_KEPEGAWAIAN)


def _shot(driver, name: str) -> None:
    folder = os.environ.get("KINERJA_SCREENSHOT_DIR")
    if folder:
        driver.save_screenshot(str(Path(folder) / name))


def _click_and_wait(driver, element_id: str) -> None:
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.ID, element_id).click()
    WebDriverWait(driver, 30).until(ec.staleness_of(old))


def _file_complaint(driver, url: str, text: str) -> str:
    driver.get(url + "/pengaduan")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "id"
    Select(driver.find_element(By.ID, "layanan")).select_by_visible_text("KTP-el")
    driver.find_element(By.ID, "uraian").send_keys(text)
    driver.find_element(By.ID, "lokasi").send_keys("Kantor Camat, loket 2")
    driver.find_element(By.ID, "telepon").send_keys("0812-3456-7890")
    _shot(driver, "pengaduan-web-form.png")
    _click_and_wait(driver, "kirim")
    number = driver.find_element(By.ID, "nomor-tiket").text
    _shot(driver, "pengaduan-web-diterima.png")
    return number


def _status(driver, url: str, number: str, suffix: str) -> str:
    driver.get(url + "/pengaduan?tiket=" + number)
    assert driver.find_element(By.ID, "tiket").get_attribute("value") == number
    driver.find_element(By.ID, "hp4").send_keys(suffix)
    _click_and_wait(driver, "cek")
    return driver.find_element(By.TAG_NAME, "main").text


def test_web_complaint_reaches_the_office_is_closed_on_time_and_counts_in_the_evaluation(tmp_path, pg_url, browser):  # noqa: F811
    today = reg.today_wib()
    central = make_central(tmp_path / "pusat", pg_url)
    org = seed_org(central.db, units=2, employees_per_unit=3, prefix="DISTRIK")
    with central.db.transaction() as s:
        create_year(s, SYSTEM, today.year, "triwulan")
    office = make_site(tmp_path / "kantor", "1504-KEC-A", "Kecamatan A")
    enroll_office(central, office, unit_code="DISTRIK-000", whole_district=False)
    with office.db.transaction() as s:
        s.scalar(select(Site).where(Site.is_local.is_(True))).unit_code = "DISTRIK-000"
        save_service(s, HR, unit_id=org["units"][0], code="KTP-EL", name="KTP-el")
    asn = org["employees"][1]  # in DISTRIK-000, below its head
    try:
        with ServerThread(server_config(central, pg_url, tmp_path / "srv")) as srv:
            assert push(office.db, srv.url, **office_kw(office)).status == "applied"  # the catalogue goes up
            hostile = 'KTP-el belum jadi <script>alert("x")</script> sejak Januari'
            number = _file_complaint(browser, srv.url, hostile)
            assert reg.rules.TICKET.match(number)
            assert "<script>" not in browser.page_source.split("<body>", 1)[1]
            wrong = _status(browser, srv.url, number, "0000")
            assert "tidak cocok" in wrong and number not in wrong
            assert "Diterima" in _status(browser, srv.url, number, "7890")

            # A web complaint about another unit's service stays out of this office.
            with central.db.transaction() as s:
                other = save_service(s, SYSTEM, unit_id=org["units"][1], code="KK", name="Kartu Keluarga")
                elsewhere = web.submit(
                    s,
                    service_id=other.id,
                    description="Kartu Keluarga belum selesai",
                    location="",
                    phone="081200001111",
                ).number
            # The office receives its own at its next sync.
            assert pull(office.db, srv.url, **office_kw(office)).status == "applied"
            with office.db.transaction() as s:
                assert s.scalar(select(Complaint.id).where(Complaint.number == elsewhere)) is None
                row = s.scalar(select(Complaint).where(Complaint.number == number))
                assert row is not None and row.channel == "web" and row.description == hostile
                reg.assign(s, HR, row.id, asn)
                reg.advance(s, HR, row.id, "diverifikasi")
                reg.advance(s, HR, row.id, "ditindaklanjuti", note="Dokumen dicek di Dukcapil")
                reg.advance(s, HR, row.id, "selesai", resolution="KTP-el sudah dicetak dan dapat diambil")
                cid = row.id
            assert push(office.db, srv.url, **office_kw(office)).status == "applied"
            done = _status(browser, srv.url, number, "7890")
            _shot(browser, "pengaduan-web-status.png")
            assert "Selesai" in done and "Ditindaklanjuti" in done
            assert "0812" not in done and "Pegawai DISTRIK" not in done  # no person on the page

        # That ASN's evaluation takes the figures as realisasi, with the list as evidence.
        with office.db.transaction() as s:
            skp = skp_service.create_skp(s, SYSTEM, asn, today.year)
            content = skp_service.SkpContent(
                approach="kuantitatif",
                rhks=[
                    skp_service.RhkInput(
                        text="Pengaduan layanan KTP-el tertangani",
                        group="utama",
                        ikis=[
                            skp_service.IkiInput(
                                "Persentase pengaduan ditindaklanjuti tepat waktu", target="90 %", aspek="Waktu"
                            )
                        ],
                    )
                ],
                expectations={"AKUNTABEL": "Tepat waktu"},
                lampiran={"dukungan_sumber_daya": ["Komputer"]},
            )
            skp = skp_service.save_skp(s, SYSTEM, skp.id, content, expected_hlc=skp.updated_hlc)
            skp_service.agree_skp(s, SYSTEM, skp.id, date(today.year, 1, 15), expected_hlc=skp.updated_hlc)
            period = period_for_day([p for p in list_periods(s, today.year) if not p.is_annual], today)
            ev = start_evaluation(s, SYSTEM, asn, period.id)
            fill_complaint_realisasi(s, SYSTEM, ev.id, expected_hlc=ev.updated_hlc)
            ev_id, skp_id = ev.id, skp.id
        with office.db.session() as s:
            ev = s.get(Evaluation, ev_id)
            (entry,) = ev.realisasi.values()
            assert entry["realisasi"].startswith("100,0 % (1 dari 1 pengaduan selesai tepat waktu")
            evidence = s.scalars(select(EvidenceFile).where(EvidenceFile.skp_id == skp_id)).all()
            assert [e.media_type for e in evidence] == ["application/pdf"]
            assert s.get(Complaint, cid).finished_at.date() <= s.get(Complaint, cid).close_by
    finally:
        office.close()
        central.close()
