"""The public complaint page on the central server (real PostgreSQL, real HTTP on 127.0.0.1):
intake, lookup that discloses nothing on a wrong phone suffix, escaping, flooding, size limits."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.pengaduan.catalog import save_service
from kinerja_desktop.store.audit import AuditEntry
from kinerja_desktop.store.pengaduan import Complaint
from kinerja_desktop.sync.sandbox import seed_org
from kinerja_desktop.sync.server.public import PublicLimits, RateLimiter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server_harness import ServerThread, make_central, server_config

pytestmark = pytest.mark.postgres
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> "kutip" & \'petik\''


@pytest.fixture
def served(tmp_path, pg_url):
    central = make_central(tmp_path / "pusat", pg_url)
    org = seed_org(central.db, units=2, employees_per_unit=2, prefix="DISTRIK")
    with central.db.transaction() as s:
        service = save_service(s, SYSTEM, unit_id=org["units"][0], code="KTP-EL", name="KTP-el").id
    srv = ServerThread(server_config(central, pg_url, tmp_path / "srv")).start()
    yield srv, central, service
    srv.stop()
    central.close()


def _submit(srv, service, **kw):
    data = {
        "layanan": service,
        "uraian": "KTP-el belum jadi sejak Januari",
        "lokasi": "Muara Bulian",
        "telepon": "0812 3456 7890",
    }
    data.update(kw)
    return httpx.post(srv.url + "/pengaduan/kirim", data=data, timeout=20)


def _ticket(html: str) -> str:
    start = html.index('id="nomor-tiket">') + len('id="nomor-tiket">')
    return html[start : html.index("<", start)]


def test_intake_then_lookup_and_a_wrong_suffix_tells_nothing(served):
    srv, central, service = served
    page = httpx.get(srv.url + "/pengaduan", timeout=20)
    assert page.status_code == 200 and "KTP-el" in page.text and 'lang="id"' in page.text
    assert "script-src" not in page.headers["content-security-policy"]  # no script allowed at all
    r = _submit(srv, service)
    assert r.status_code == 201
    number = _ticket(r.text)
    assert "0812" not in r.text and "7890" not in r.text  # the phone is never shown
    ok = httpx.post(srv.url + "/pengaduan/status", data={"tiket": number.lower(), "hp4": "7890"}, timeout=20)
    assert ok.status_code == 200 and "Diterima" in ok.text and "Dinas DISTRIK" not in ok.text
    wrong = httpx.post(srv.url + "/pengaduan/status", data={"tiket": number, "hp4": "7891"}, timeout=20)
    missing = httpx.post(srv.url + "/pengaduan/status", data={"tiket": "P26-ZZZZ-ZZZZ", "hp4": "7890"}, timeout=20)
    # The same page, byte for byte: nothing says whether the ticket exists.
    assert wrong.status_code == missing.status_code == 200
    assert wrong.text == missing.text and number not in wrong.text and "tidak cocok" in wrong.text
    with central.db.session() as s:
        row = s.scalar(select(Complaint).where(Complaint.number == number))
        assert (row.channel, row.status, row.contact) == ("web", "diterima", "081234567890")
        assert row.origin_site == central.site_id
        actors = {a for (a,) in s.execute(select(AuditEntry.actor).where(AuditEntry.row_id == row.id))}
        assert actors == {"web-publik"}


def test_markup_in_every_field_is_shown_as_text(served):
    srv, central, service = served
    r = _submit(srv, service, uraian=HOSTILE, lokasi=HOSTILE)
    assert r.status_code == 201
    # A refused form comes back with what was typed, escaped.
    again = _submit(srv, "bukan-layanan", uraian=HOSTILE, lokasi=HOSTILE)
    assert again.status_code == 422 and "Pilih layanan" in again.text
    for body in (r.text, again.text):
        assert "<script>" not in body and "<img" not in body
    assert "&lt;script&gt;alert(" in again.text and "&lt;img src=x onerror=alert(1)&gt;" in again.text
    bad_ticket = httpx.get(srv.url + "/pengaduan", params={"tiket": '"><script>x</script>'}, timeout=20)
    assert "<script>x" not in bad_ticket.text


def test_flooding_from_one_address_is_refused_and_stores_nothing_more(served):
    srv, central, service = served
    srv.app.state.public_limits = PublicLimits(intake_per_hour=3, intake_per_day=10, lookups_per_10min=4)
    codes = [_submit(srv, service, uraian=f"Pengaduan nomor {i} tentang KTP").status_code for i in range(8)]
    assert codes == [201] * 3 + [429] * 5
    refused = _submit(srv, service)
    assert "Terlalu banyak pengaduan" in refused.text and int(refused.headers["retry-after"]) > 0
    with central.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Complaint)) == 3
    lookups = [
        httpx.post(
            srv.url + "/pengaduan/status", data={"tiket": "P26-AAAA-AAAA", "hp4": f"{i:04d}"}, timeout=20
        ).status_code
        for i in range(6)
    ]
    assert lookups == [200] * 4 + [429] * 2


def test_oversized_and_bot_forms_are_refused(served):
    srv, central, service = served
    big = _submit(srv, service, uraian="x" * 20_000)
    assert big.status_code == 413 and "terlalu besar" in big.text
    bot = _submit(srv, service, situs="http://spam.example")
    assert bot.status_code == 400
    short = _submit(srv, service, uraian="tolong")
    assert short.status_code == 422 and "terlalu singkat" in short.text
    phone = _submit(srv, service, telepon="12")
    assert phone.status_code == 422 and "Nomor telepon tidak sah" in phone.text
    with central.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Complaint)) == 0


def test_rate_limiter_window_slides():
    lim = RateLimiter(2, 10, max_keys=3)
    assert lim.hit("a", 0) is None and lim.hit("a", 1) is None
    assert lim.hit("a", 2) == 8
    assert lim.hit("a", 10.5) is None  # the first event left the window
    for k in "bcdef":
        lim.hit(k, 20)
    assert len(lim._events) <= 3


def test_the_recap_counts_the_same_on_postgresql(tmp_path, pg_url):
    """unit_recap's SQL aggregates (dates, hours) on PostgreSQL agree with the rules row by row."""
    from datetime import date, datetime, timedelta

    from kinerja_desktop.services.pengaduan import cases as reg
    from kinerja_desktop.services.pengaduan.figures import figures, unit_recap

    central = make_central(tmp_path / "pusat", pg_url)
    org = seed_org(central.db, units=1, employees_per_unit=3, prefix="PGR")
    try:
        with central.db.transaction() as s:
            service = save_service(s, SYSTEM, unit_id=org["units"][0], code="KTP-EL", name="KTP-el").id
            for n, (days, who) in enumerate(((2, 1), (30, 1), (5, 2), (0, 2), (40, None))):
                received = datetime(2026, 2, 2 + n, 8, 30)
                row = reg.create_complaint(
                    s,
                    SYSTEM,
                    reg.ComplaintInput(
                        channel="loket",
                        description="Uji rekap",
                        service_id=service,
                        received_at=received,
                        assignee_id=org["employees"][who] if who is not None else None,
                    ),
                )
                if days:
                    reg.advance(s, SYSTEM, row.id, "diverifikasi", at=received + timedelta(hours=3))
                    reg.advance(s, SYSTEM, row.id, "ditindaklanjuti", at=received + timedelta(hours=20 + n))
                    reg.advance(s, SYSTEM, row.id, "selesai", at=received + timedelta(days=days), note="ok")
        today = date(2026, 6, 1)
        with central.db.session() as s:
            recap = unit_recap(s, SYSTEM, "PGR-000", "2026-TW1", today=today)
            assert (recap.unit.handled, recap.unit.on_time, recap.unit.open_overdue) == (4, 2, 1)
            for row in recap.rows:
                assert row.figures == figures(
                    s, SYSTEM, date(2026, 1, 1), date(2026, 3, 31), employee_id=row.employee_id, today=today
                )
    finally:
        central.close()
