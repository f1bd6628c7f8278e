"""Complaints as performance: figures per ASN and unit, the IKI realisasi with its evidence list,
the receipt PDF (markup printed as typed), the chart data."""

from __future__ import annotations

import subprocess
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.pengaduan import cases as reg
from kinerja_desktop.services.pengaduan.catalog import save_service
from kinerja_desktop.services.pengaduan.docs import complaint_ikis, fill_complaint_realisasi, receipt_pdf
from kinerja_desktop.services.pengaduan.figures import monthly_by_service, unit_recap
from kinerja_desktop.services.pengaduan.query import RegisterFilter, count_complaints, overdue_summary, register_page
from kinerja_desktop.services.performance import skp as skp_service
from kinerja_desktop.services.performance.evaluations import start_evaluation
from kinerja_desktop.store.feedback import EvidenceFile
from kinerja_desktop.store.models import Evaluation
from kinerja_desktop.store.site import Site

HOSTILE = '<script>alert("x")</script><b>tebal</b> & <img src=x onerror=alert(1)>'


@pytest.fixture
def desk(db, office):
    with db.transaction() as s:
        s.scalar(select(Site).where(Site.is_local.is_(True))).unit_code = "DINAS-X"
        office.service = save_service(s, office.hr, unit_id=office.bidang, code="KTP-EL", name="KTP-el").id
        office.service2 = save_service(s, office.hr, unit_id=office.bidang, code="KK", name="Kartu Keluarga").id
    return office


def _complaint(s, desk, received, *, service=None, assignee=None, steps=(), description="Antrean lama"):
    row = reg.create_complaint(
        s,
        desk.hr,
        reg.ComplaintInput(
            channel="loket",
            description=description,
            service_id=service or desk.service,
            received_at=received,
            contact="081234567890",
            assignee_id=assignee,
        ),
    )
    for target, at in steps:
        reg.advance(s, desk.hr, row.id, target, at=at, note="ok", resolution="Sudah selesai")
    return row


def _handled(received, days_to_close):
    return (
        ("diverifikasi", received.replace(hour=13)),
        ("ditindaklanjuti", received.replace(day=received.day + 1)),
        ("selesai", received.replace(day=received.day + days_to_close)),
    )


def test_figures_per_asn_and_unit_and_the_iki_realisasi_with_evidence(db, desk, perf):
    with db.transaction() as s:
        # staf1: two settled on time, one late (close_by of 2 March is 20 March).
        _complaint(s, desk, datetime(2026, 3, 2, 8), assignee=desk.staf1, steps=_handled(datetime(2026, 3, 2, 8), 3))
        _complaint(s, desk, datetime(2026, 3, 2, 9), assignee=desk.staf1, steps=_handled(datetime(2026, 3, 2, 9), 5))
        _complaint(s, desk, datetime(2026, 3, 2, 10), assignee=desk.staf1, steps=_handled(datetime(2026, 3, 2, 10), 26))
        # staf2: one still open and overdue.
        _complaint(s, desk, datetime(2026, 3, 3, 8), assignee=desk.staf2, service=desk.service2)
        recap = unit_recap(s, desk.hr, "DINAS-X-B1", "2026-TW1", today=date(2026, 4, 10))
    rows = {r.name: r.figures for r in recap.rows}
    assert (rows["Staf Satu"].handled, rows["Staf Satu"].on_time) == (3, 2)
    assert rows["Staf Satu"].median_response_hours == 24.0
    assert rows["Staf Dua"].open_overdue == 1 and rows["Staf Dua"].handled == 0
    assert (recap.unit.handled, recap.unit.on_time, recap.unit.open_overdue) == (3, 2, 1)

    with db.transaction() as s:
        skp = skp_service.create_skp(s, SYSTEM, desk.staf1, 2026)
        content = skp_service.SkpContent(
            approach="kuantitatif",
            rhks=[
                skp_service.RhkInput(
                    text="Pengaduan KTP-el tertangani",
                    group="utama",
                    ikis=[
                        skp_service.IkiInput(
                            "Persentase pengaduan ditindaklanjuti tepat waktu", target="90 %", aspek="Waktu"
                        ),
                        skp_service.IkiInput("Jumlah KTP-el dicetak", target="500 keping", aspek="Kuantitas"),
                    ],
                )
            ],
            expectations={"AKUNTABEL": "Tepat waktu"},
            lampiran={"dukungan_sumber_daya": ["Laptop"]},
        )
        skp = skp_service.save_skp(s, SYSTEM, skp.id, content, expected_hlc=skp.updated_hlc)
        skp_service.agree_skp(s, SYSTEM, skp.id, date(2026, 1, 15), expected_hlc=skp.updated_hlc)
        ev = start_evaluation(s, desk.kabid_p, desk.staf1, perf.period_id(s, "triwulan", 1))
        ev_id = ev.id
    with db.transaction() as s:
        offers = complaint_ikis(s, desk.kabid_p, ev_id, today=date(2026, 4, 10))
        assert [o.indicator for o in offers] == ["Persentase pengaduan ditindaklanjuti tepat waktu"]
        hlc = s.get(Evaluation, ev_id).updated_hlc
        fill_complaint_realisasi(s, desk.kabid_p, ev_id, expected_hlc=hlc, today=date(2026, 4, 10))
    with db.session() as s:
        ev = s.get(Evaluation, ev_id)
        texts = [v["realisasi"] for v in ev.realisasi.values()]
        assert texts == ["66,7 % (2 dari 3 pengaduan selesai tepat waktu; median tanggapan pertama 24,0 jam)"]
        evidence = s.scalars(select(EvidenceFile).where(EvidenceFile.skp_id == ev.skp_id)).all()
        assert len(evidence) == 1 and evidence[0].media_type == "application/pdf"
        from kinerja_desktop.services.documents.evidence import blob_path

        pdf_text = "".join(p.extract_text() for p in PdfReader(blob_path(evidence[0].sha256)).pages)
        assert "DAFTAR PENGADUAN YANG DITANGANI" in pdf_text and "Staf Satu" in pdf_text
        assert pdf_text.count("P26-") == 3


def test_receipt_prints_markup_as_typed_and_masks_the_contact(db, desk, tmp_path):
    with db.transaction() as s:
        row = _complaint(s, desk, datetime(2026, 3, 2, 8), description=HOSTILE)
        pdf = receipt_pdf(s, desk.hr, row.id)
        number = row.number
    path = tmp_path / "tanda-terima.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(out.split())
    assert number in flat and "TANDA TERIMA PENGADUAN" in flat
    assert '<script>alert("x")</script><b>tebal</b> &' in out
    assert "0812****7890" in flat and "081234567890" not in flat


def test_register_search_filters_overdue_and_chart(db, desk):
    with db.transaction() as s:
        _complaint(s, desk, datetime(2026, 3, 2, 8), description="Petugas loket tidak ramah")
        _complaint(s, desk, datetime(2026, 4, 6, 8), service=desk.service2, description="Blangko KK habis")
        done = _complaint(s, desk, datetime(2026, 4, 7, 8), steps=_handled(datetime(2026, 4, 7, 8), 2))
    with db.session() as s:
        assert count_complaints(s, desk.hr, RegisterFilter(search="ramah")) == 1
        assert count_complaints(s, desk.hr, RegisterFilter(search=done.number[:8].lower())) >= 1
        page = register_page(s, desk.hr, RegisterFilter(status="terlambat"), today=date(2026, 4, 20))
        assert [r.description for r in page] == ["Blangko KK habis", "Petugas loket tidak ramah"]
        assert all(r.overdue for r in page)
        assert overdue_summary(s, desk.hr, today=date(2026, 4, 20)).overdue == 2
        # A pejabat penilai with no complaints in their chain sees none.
        assert count_complaints(s, desk.outsider_p) == 0
        names, series = monthly_by_service(s, desk.hr, 2026)
        assert dict(zip(names, series, strict=False))["KTP-el"][2:4] == [1, 1]
        assert dict(zip(names, series, strict=False))["Kartu Keluarga"][3] == 1


def test_overdue_reaches_the_assignee_the_head_of_unit_and_hr(db, desk):
    from kinerja_desktop.services.access.principal import PEJABAT_PENILAI, Principal

    with db.transaction() as s:
        _complaint(s, desk, datetime(2026, 3, 2, 8), assignee=desk.kabid)  # overdue by April
        _complaint(s, desk, datetime(2026, 3, 2, 9))  # unassigned, overdue too
    today = date(2026, 4, 20)
    with db.session() as s:
        kabid = overdue_summary(s, desk.kabid_p, today=today)
        assert (kabid.overdue, kabid.mine) == (1, 1)  # their own; the unassigned one is not in their chain
        kadis = overdue_summary(s, desk.kadis_p, today=today)  # head of the unit above: both
        assert (kadis.overdue, kadis.mine) == (2, 0)
        assert overdue_summary(s, desk.hr, today=today).overdue == 2
        staff = Principal("staf", PEJABAT_PENILAI, desk.staf1)
        assert overdue_summary(s, staff, today=today).overdue == 0


def test_the_recap_counted_in_sql_agrees_with_the_rules(db, desk):
    """unit_recap counts in SQL; figures() applies domain.pengaduan.compute_figures row by row."""
    import random

    from kinerja_desktop.services.pengaduan.figures import figures

    rng = random.Random(7)
    with db.transaction() as s:
        for _n in range(40):
            received = datetime(2026, rng.randint(1, 5), rng.randint(1, 28), rng.randint(7, 12))
            who = rng.choice((desk.staf1, desk.staf2, desk.kabid, None))
            close = received + timedelta(days=rng.randint(1, 45))  # some late, some in the next quarter
            steps = (
                ("diverifikasi", received + timedelta(hours=5)),
                ("ditindaklanjuti", received + timedelta(days=1, hours=rng.randint(0, 30))),
                ("selesai", max(close, received + timedelta(days=3))),
            )
            _complaint(s, desk, received, assignee=who, steps=steps[: rng.randint(0, 3)])
    for span, start, end in (
        ("2026-TW1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
    ):
        with db.session() as s:
            recap = unit_recap(s, desk.hr, "DINAS-X", span, today=date(2026, 4, 10))
            assert sum(r.figures.handled for r in recap.rows) > 5 and sum(r.figures.open_overdue for r in recap.rows)
            assert recap.unit.on_time < recap.unit.handled  # some were late
            for row in recap.rows:
                assert row.figures == figures(
                    s, desk.hr, start, end, employee_id=row.employee_id, today=date(2026, 4, 10)
                ), (span, row.name)
            assert recap.unit == figures(
                s, desk.hr, start, end, unit_ids={desk.dinas, desk.bidang}, today=date(2026, 4, 10)
            )


def test_search_pages_are_the_same_whether_probed_or_read_whole(db, desk, monkeypatch):
    """The search looks at the newest complaints first (growing the window once); every path must
    give exactly the newest matching page."""
    import random

    from kinerja_desktop.services.pengaduan import query as pq

    rng = random.Random(3)
    words = ("ktp", "antrean", "dokter", "langka")
    with db.transaction() as s:
        for n in range(60):
            w = "langka" if n in (3, 41) else rng.choice(words[:3])
            _complaint(s, desk, datetime(2026, 1, 5) + timedelta(hours=7 * n), description=f"nomor {n} {w}")
    monkeypatch.setattr(pq, "PROBE", 6)
    monkeypatch.setattr(pq, "MAX_PROBE", 40)
    with db.session() as s:
        everything = pq.register_page(s, desk.hr, limit=1000, today=date(2026, 4, 1))
        for word in words:
            for limit in (3, 5, 20):
                expected = [r.id for r in everything if word in r.description][:limit]
                got = [
                    r.id
                    for r in pq.register_page(
                        s, desk.hr, RegisterFilter(search=word), limit=limit, today=date(2026, 4, 1)
                    )
                ]
                assert got == expected, (word, limit)
