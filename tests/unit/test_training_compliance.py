"""20 JP compliance: per employee, per unit, Beranda count, 10:20:70 mix, export, recap view."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from kinerja_desktop.cli import main
from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.progress import run
from kinerja_desktop.services.training import jp_compliance as jc
from kinerja_desktop.services.training import records as tr
from kinerja_desktop.services.training.export import COLUMNS, export_training
from kinerja_desktop.store.encryption import open_raw
from kinerja_desktop.store.models import Employee

FIRST = ["nip", "nama", "unit", "jp_total", "jp_klasikal", "jp_nonklasikal", "memenuhi_20jp"]
XLSX_FIRST = ["NIP", "Nama", "Unit Kerja", "JP Total", "JP Klasikal", "JP Nonklasikal", "Memenuhi 20 JP"]


def add(s, actor, people, title, code, start, end, jp):
    return tr.create_group(s, actor, people, tr.ActivityInput(title, code, start, end, jp), confirm=True)


@pytest.fixture
def trained(db, office):
    """staf1 24 JP (16 klasikal + 8 coaching), staf2 19.5 JP, kabid 20 JP of which pendidikan 20, kadis 0.

    Plus records outside 2026 that must not count, and an outsider (PPPK) with 4 JP.
    """
    with db.transaction() as s:
        s.get(Employee, office.outsider).status = "PPPK"
        add(s, office.hr, [office.staf1, office.staf2], "Bimtek SKP", "KL10", date(2026, 2, 3), date(2026, 2, 4), "16")
        add(s, office.hr, [office.staf1], "Coaching atasan", "NKL01", date(2026, 5, 6), date(2026, 5, 6), "8")
        add(s, office.hr, [office.staf2], "E-learning etika", "NKL03", date(2026, 6, 1), date(2026, 6, 7), "3,5")
        add(s, office.hr, [office.kabid], "Tugas belajar S2", "PENDIDIKAN", date(2025, 9, 1), date(2026, 1, 31), "20")
        # ends in 2027: counts for 2027, not 2026; ended in 2025: counts for 2025
        add(s, office.hr, [office.staf2], "Pelatihan akhir tahun", "KL03", date(2026, 12, 30), date(2027, 1, 2), "30")
        add(s, office.hr, [office.kadis], "Seminar 2025", "KL06", date(2025, 12, 1), date(2025, 12, 1), "6")
        add(s, office.hr, [office.outsider], "Sosialisasi", "KL11", date(2026, 3, 3), date(2026, 3, 3), "4")
        # a deleted record does not count
        gone = add(s, office.hr, [office.kadis], "Dibatalkan", "KL03", date(2026, 4, 1), date(2026, 4, 3), "30")
        tr.delete_record(s, office.hr, gone.record_ids[0])


def by_id(rows):
    return {r.employee_id: r for r in rows}


def test_compliance_per_employee(db, office, trained):
    with db.session() as s:
        rows = by_id(jc.compliance_rows(s, office.hr, 2026))
    assert set(rows) == {office.kadis, office.kabid, office.staf1, office.staf2, office.outsider}
    s1, s2, kb, kd, out = (rows[i] for i in (office.staf1, office.staf2, office.kabid, office.kadis, office.outsider))
    assert (s1.total, s1.klasikal, s1.nonklasikal, s1.pendidikan, s1.activities) == (24, 16, 8, 0, 2)
    assert s1.meets and s1.status_text == "memenuhi"
    assert (s2.total, s2.klasikal, s2.nonklasikal) == (Decimal("19.5"), 16, Decimal("3.5"))
    assert not s2.meets and s2.shortfall == Decimal("0.5") and s2.status_text == "kurang 0,5 JP"
    assert (kb.total, kb.pendidikan, kb.meets) == (20, 20, True)  # counted in the year it ended
    assert (kd.total, kd.activities, kd.status_text) == (0, 0, "kurang 20 JP")
    assert not out.applies and out.status_text == "tidak wajib (PPPK)"
    with db.session() as s:
        assert by_id(jc.compliance_rows(s, office.hr, 2027))[office.staf2].total == 30
        assert by_id(jc.compliance_rows(s, office.hr, 2025))[office.kadis].total == 6
        below = jc.compliance_rows(s, office.hr, 2026, only_below=True)
        assert {r.employee_id for r in below} == {office.staf2, office.kadis}  # PNS only
        one = jc.employee_compliance(s, office.kabid_p, office.staf2, 2026)
        assert one.total == Decimal("19.5") and one.activities == 2


def test_pejabat_penilai_sees_the_people_below_only(db, office, trained):
    with db.session() as s:
        rows = jc.compliance_rows(s, office.kabid_p, 2026)
        assert {r.employee_id for r in rows} == {office.staf1, office.staf2}
        alert = jc.jp_alert(s, office.kabid_p, 2026, today=date(2026, 11, 28))
        assert (alert.pns, alert.below) == (2, 1)


def test_beranda_count_and_months_left(db, office, trained):
    with db.session() as s:
        alert = jc.jp_alert(s, office.hr, 2026, today=date(2026, 11, 28))
    assert (alert.pns, alert.below) == (4, 2)  # staf2 and kadis; the PPPK outsider is not counted
    assert (alert.months_left, alert.days_left) == (1, 34)
    assert "1 bulan" in alert.text and "34 hari" in alert.text
    assert jc.time_left(2026, date(2026, 12, 31)) == (0, 1)
    assert jc.time_left(2026, date(2027, 1, 1)) == (0, 0)
    assert jc.time_left(2026, date(2025, 6, 1)) == (12, 365)
    assert jc.time_left(2026, date(2026, 1, 1)) == (11, 365)


def test_unit_summary_rolls_up_the_tree(db, office, trained):
    with db.session() as s:
        units = {u.code: u for u in jc.unit_summary(s, office.hr, 2026)}
        assert set(units) == {"DINAS-X", "KEC-LAIN"}
        dinas = units["DINAS-X"]
        assert (dinas.employees, dinas.pns, dinas.pns_meeting, dinas.pns_below) == (4, 4, 2, 2)
        assert dinas.total_jp == Decimal("63.5")
        inside = {u.code: u for u in jc.unit_summary(s, office.hr, 2026, parent_unit_id=office.dinas)}
        assert set(inside) == {"DINAS-X", "DINAS-X-B1"}  # the head sits in the dinas itself
        assert inside["DINAS-X-B1"].employees == 3 and inside["DINAS-X"].employees == 1


def test_mix_10_20_70(db, office, trained):
    with db.session() as s:
        m = jc.mix(s, office.hr, 2026)
    # formal: bimtek 32 + e-learning 3.5 + pendidikan 20 + sosialisasi 4; from others: coaching 8
    assert m.jp == {"10": Decimal("59.5"), "20": Decimal("8"), "70": Decimal(0)}
    assert round(m.percent("20"), 1) == round(8 / 67.5 * 100, 1)


def _csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _raw_totals(db) -> dict[str, float]:
    """JP of 2026 per NIP straight from the database file (no program code)."""
    con = open_raw(db.path)
    try:
        return dict(
            con.execute(
                "SELECT e.nip, COALESCE(SUM(r.jp), 0) FROM employees e LEFT JOIN training_records r "
                "ON r.employee_id = e.id AND r.deleted = 0 AND r.activity_id IN (SELECT id FROM training_activities "
                "WHERE deleted = 0 AND end_date BETWEEN '2026-01-01' AND '2026-12-31') GROUP BY e.nip"
            ).fetchall()
        )
    finally:
        con.close()


def test_csv_export_agrees_with_the_records(db, office, trained, tmp_path):
    target = tmp_path / "jp.csv"
    with db.session() as s:
        n = run(export_training(s, SYSTEM, target, 2026))
    rows = _csv(target)
    assert rows[0][:7] == FIRST and tuple(rows[0]) == COLUMNS
    body = [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]
    assert n == len(body) == 5
    raw = _raw_totals(db)
    for r in body:
        assert float(r["jp_total"]) == pytest.approx(raw[r["nip"]])
        assert float(r["jp_total"]) == pytest.approx(
            float(r["jp_klasikal"]) + float(r["jp_nonklasikal"]) + float(r["jp_pendidikan"])
        )
        assert r["memenuhi_20jp"] == ("ya" if raw[r["nip"]] >= 20 else "tidak")
    staf2 = next(r for r in body if r["nama"] == "Staf Dua")
    assert (staf2["jp_total"], staf2["jp_nonklasikal"], staf2["kekurangan_jp"]) == ("19.5", "3.5", "0.5")
    outsider = next(r for r in body if r["nama"] == "Orang Luar")
    assert (outsider["status_asn"], outsider["wajib_20jp"], outsider["memenuhi_20jp"]) == ("PPPK", "tidak", "tidak")


def test_xlsx_export_keeps_nip_as_text(db, office, trained, tmp_path):
    target = tmp_path / "jp.xlsx"
    with db.session() as s:
        run(export_training(s, office.kabid_p, target, 2026))
    ws = openpyxl.load_workbook(target).active
    values = list(ws.values)
    assert list(values[0][:7]) == XLSX_FIRST and len(values) == 3  # header + staf1, staf2
    raw = _raw_totals(db)
    for row in values[1:]:
        assert isinstance(row[0], str) and len(row[0]) == 18
        assert row[3] == pytest.approx(raw[row[0]])
        assert row[6] in ("ya", "tidak")


def test_export_refuses_a_wrong_file_name(db, office, tmp_path):
    with db.session() as s:
        with pytest.raises(UnusableInput):
            run(export_training(s, SYSTEM, tmp_path / "jp.pdf", 2026))
        with pytest.raises(UnusableInput):
            run(export_training(s, SYSTEM, tmp_path / "missing" / "jp.csv", 2026))


def test_cli_export_training(db, office, trained, tmp_path, capsys):
    target = tmp_path / "jp.csv"
    db_path = str(db.path)
    db.close()
    assert main(["--db", db_path, "export", "training", str(target), "--year", "2026"]) == 0
    assert "5 pegawai" in capsys.readouterr().out
    assert _csv(target)[0][:7] == FIRST
    assert main(["--db", db_path, "export", "training", str(tmp_path / "x.txt"), "--year", "2026"]) == 2
    assert main(["--db", db_path, "export", "training", str(target), "--year", "2026", "--unit", "TIDAK-ADA"]) == 2
    assert (
        main(["--db", db_path, "export", "training", str(tmp_path / "b.csv"), "--year", "2026", "--unit", "DINAS-X"])
        == 0
    )
    assert len(_csv(tmp_path / "b.csv")) == 1 + 4
    with pytest.raises(SystemExit) as exit_:
        main(["--db", db_path, "export", "training", str(target)])  # --year is required
    assert exit_.value.code == 2


def test_jp_recap_view_for_the_documents(db, office, trained):
    from kinerja_desktop.reports.render import render_view
    from kinerja_desktop.services.documents.kinds.recaps import jp_recap as documents_jp_recap
    from kinerja_desktop.services.training.jp_recap_view import jp_recap

    with db.session() as s:
        view = jp_recap(s, "DINAS-X", 2026, today=date(2026, 12, 30))
        theirs = documents_jp_recap(s, "DINAS-X", 2026)  # what the documents' JP kind builds from
    assert view.unit_code == "DINAS-X" and view.minimum == 20 and view.document_id == "JP-2026-DINAS-X"
    rows = {r.name: r for r in view.rows}
    assert [r.no for r in view.rows] == [1, 2, 3, 4]
    assert rows["Staf Dua"].total == Decimal("19.5") and rows["Staf Dua"].meets is False
    assert rows["Staf Dua"].shortfall == Decimal("0.5") and " " in rows["Staf Dua"].nip  # grouped NIP
    assert view.signer is not None and view.signer.name == "Kepala Dinas"
    assert [(r.name, r.total, r.meets) for r in view.rows] == [(r.name, r.total, r.meets) for r in theirs.rows]
    doc = render_view(view)
    assert doc.pdf[:5] == b"%PDF-" and doc.page_count >= 1


def test_large_scopes_read_the_whole_year_once_with_the_same_answer(db, office, trained, monkeypatch):
    with db.session() as s:
        small = [(r.employee_id, r.total, r.klasikal) for r in jc.compliance_rows(s, office.kabid_p, 2026)]
        alert = jc.jp_alert(s, office.kabid_p, 2026, today=date(2026, 11, 28))
        monkeypatch.setattr(jc, "SMALL_SCOPE", 0)
        assert [(r.employee_id, r.total, r.klasikal) for r in jc.compliance_rows(s, office.kabid_p, 2026)] == small
        assert jc.jp_alert(s, office.kabid_p, 2026, today=date(2026, 11, 28)) == alert
        assert set(jc.jp_totals(s, office.kabid_p, 2026)) == {office.staf1, office.staf2}
