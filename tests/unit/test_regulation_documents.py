"""The penetapan and the PAK konversi collected from the database, printed, signed in the right
block, and through the command line (``kinerja report penetapan|pak``, ``kinerja capaian``)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from sqlalchemy import select

from kinerja_desktop.cli import main
from kinerja_desktop.errors import PermissionDenied, UserError
from kinerja_desktop.reports.render import produce
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.performance import evaluations as ev_svc
from kinerja_desktop.services.performance.angka_kredit import pak_view, set_angka_kredit_awal
from kinerja_desktop.services.performance.capaian import CapaianDecision, set_capaian
from kinerja_desktop.services.performance.kepala_daerah import kepala_daerah_on
from kinerja_desktop.services.performance.penetapan import penetapan_view
from kinerja_desktop.store.models import Employee, Position, Rhk, Skp, UnitCapaian

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

RATINGS = {
    "B": ("Sesuai Ekspektasi", "Sesuai Ekspektasi"),
    "BP": ("Di Bawah Ekspektasi", "Sesuai Ekspektasi"),
    "SB": ("Di Atas Ekspektasi", "Di Atas Ekspektasi"),
}


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())


@pytest.fixture
def dinas_year(db, office, setda, perf):
    """The Sekda sets the Dinas's Akhir capaian; kabid and staf1 final (B, B), staf2 a draft (BP)."""
    with db.transaction() as s:
        set_capaian(
            s,
            setda.sekda_p,
            office.dinas,
            perf.YEAR,
            CapaianDecision(
                "Baik",
                basis_note="Perjanjian kinerja tercapai 92 %",
                recommendation_source="perencanaan",
                recommended_capaian="Baik",
                decided_on=date(2027, 1, 10),
            ),
        )
        for emp, actor, code, final in (
            (office.kadis, setda.sekda_p, "B", True),
            (office.kabid, office.kadis_p, "B", True),
            (office.staf1, office.kabid_p, "B", True),
            (office.staf2, office.kabid_p, "BP", False),
        ):
            boss = s.get(Employee, emp).supervisor_id
            parent = s.scalar(select(Rhk.id).join(Skp, Skp.id == Rhk.skp_id).where(Skp.employee_id == boss).limit(1))
            perf.agreed_skp(
                s,
                actor,
                emp,
                ikis=1,
                perspektif="Anggaran" if emp == office.kadis else None,
                parent_rhk_id=parent if emp != office.kadis else None,
            )
            ev = ev_svc.start_evaluation(s, actor, emp, perf.period_id(s))
            hasil, perilaku = RATINGS[code]
            ev = ev_svc.save_evaluation(
                s,
                actor,
                ev.id,
                ev_svc.EvaluationForm(None if emp == office.kadis else hasil, perilaku, perf.fill_realisasi(s, ev.id)),
                expected_hlc=ev.updated_hlc,
            )
            if final:
                ev_svc.finalize_evaluation(s, actor, ev.id, expected_hlc=ev.updated_hlc, today=date(2027, 1, 12))
    return perf.YEAR


def test_the_penetapan_is_the_deciding_leaders_with_final_evaluations_only(
    db, office, setda, perf, dinas_year, tmp_path
):
    with db.session() as s:
        akhir = perf.period_id(s)
        view = penetapan_view(s, office.hr, office.bidang, akhir)  # a Bidang: its organisation is the Dinas
        assert view.unit_name == "Dinas Contoh" and view.capaian == "Baik"
        assert view.signer.name == "Sekretaris Daerah Contoh" and view.signer_title == "SEKRETARIS DAERAH"
        assert view.letterhead.unit_name == "Sekretariat Daerah"  # issued by the Sekda's office
        assert (view.headcount, view.not_final) == (3, 1)  # kabid, staf1, staf2; the kadis is the head
        counts = dict(view.distribution.counts)
        assert counts["Baik"] == 2 and counts["Butuh Perbaikan"] == 0  # staf2's draft is not counted
        assert sorted(r.predikat for r in view.rows) == ["Baik", "Baik", "draf (belum final)"]
        assert view.recommendation == "unit perencanaan (Bappeda): Baik"
        with pytest.raises(PermissionDenied):
            penetapan_view(s, office.kabid_p, office.bidang, akhir)
        with pytest.raises(UserError, match="belum ditetapkan"):
            penetapan_view(s, SYSTEM, office.dinas, perf.period_id(s, "triwulan", 1))
    produced = produce(view)
    text = pdf_text(produced.pdf, tmp_path)
    assert "PENETAPAN CAPAIAN KINERJA ORGANISASI DAN DISTRIBUSI PREDIKAT" in text
    assert "Perjanjian kinerja tercapai 92 %" in text and "SEKRETARIS DAERAH" in text
    assert set(produced.rendered.boxes) == {"pejabat"}


def test_a_penetapan_by_the_bupati_prints_no_nip(db, office, setda, perf, tmp_path):
    with db.transaction() as s:
        assert s.scalar(select(UnitCapaian).limit(1)) is None
        kdh = kepala_daerah_on(s, date(2027, 1, 10))
        set_capaian(
            s,
            office.hr,
            office.dinas,
            perf.YEAR,
            CapaianDecision(
                "Istimewa",
                decider_kepala_daerah_id=kdh.id,
                decision_reference="Kep. Bupati 800/2/2027",
                decided_on=date(2027, 1, 10),
            ),
        )
        view = penetapan_view(s, office.hr, office.dinas, perf.period_id(s))
    assert view.signer_title == "BUPATI BATANGHARI" and view.letterhead.unit_name == ""
    text = pdf_text(produce(view).pdf, tmp_path)
    assert "Ahmad Bupati, S.H." in text and "Kep. Bupati 800/2/2027" in text
    tail = text.split("BUPATI BATANGHARI")[-1]
    assert "NIP." not in tail


def test_the_pak_konversi_of_a_jabatan_fungsional(db, office, perf, tmp_path):
    with db.transaction() as s:
        pos = Position(name="Perawat Ahli Pertama", kind="fungsional")
        s.add(pos)
        s.flush()
        emp = s.get(Employee, office.staf1)
        emp.position_id = pos.id
        perf.agreed_skp(s, office.kabid_p, office.staf1)
        ev = ev_svc.start_evaluation(s, office.kabid_p, office.staf1, perf.period_id(s))
        ev = ev_svc.save_evaluation(
            s,
            office.kabid_p,
            ev.id,
            ev_svc.EvaluationForm(*RATINGS["SB"], perf.fill_realisasi(s, ev.id)),
            expected_hlc=ev.updated_hlc,
        )
        ev_svc.finalize_evaluation(s, office.kabid_p, ev.id, expected_hlc=ev.updated_hlc, today=date(2027, 1, 5))
        set_angka_kredit_awal(
            s,
            office.hr,
            office.staf1,
            as_of=date(2025, 12, 31),
            value="40",
            jenjang="Ahli Pertama",
            reference="PAK 800/9/2026",
        )
        view = pak_view(s, office.kabid_p, office.staf1)
        with pytest.raises(UserError, match="bukan|tidak menduduki jabatan fungsional"):
            pak_view(s, SYSTEM, office.staf2)
    assert view.ak_awal == "40,00" and view.total == "58,75" and view.rows[0].ak == "18,75"
    assert view.pejabat.name == "Kepala Bidang"
    assert "Golongan III/b" in view.next_pangkat and "terpenuhi" in view.next_pangkat
    text = pdf_text(produce(view).pdf, tmp_path)
    for expected in (
        "PENETAPAN ANGKA KREDIT",
        "PAK 800/9/2026",
        "Sangat Baik",
        "150%",
        "18,75",
        "58,75",
        "Peraturan BKN 3/2023",
    ):
        assert expected in text, expected


def test_the_command_line(db, office, setda, perf, dinas_year, tmp_path, capsys):
    db.close()
    out = tmp_path / "penetapan.pdf"
    assert main(["report", "penetapan", "--unit", "DINAS-X", "--year", "2026", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    sekda_nip = _nip(db, setda.sekda)
    assert (
        main(
            [
                "capaian",
                "set",
                "--unit",
                "DINAS-X",
                "--year",
                "2026",
                "--period",
                "TW1",
                "--value",
                "Baik",
                "--decider",
                sekda_nip,
                "--reference",
                "ND 800/5/2026",
                "--recommendation",
                "pengawasan=Baik",
            ]
        )
        == 0
    )
    assert "rekomendasi unit pengawasan (Inspektorat): Baik" in capsys.readouterr().out
    assert (
        main(
            [
                "capaian",
                "set",
                "--unit",
                "DINAS-X",
                "--year",
                "2026",
                "--value",
                "Baik",
                "--decider",
                _nip(db, office.kadis),
                "--reference",
                "x",
            ]
        )
        == 1
    )  # the head of the unit itself: refused
    assert "kepala unit itu sendiri" in capsys.readouterr().err
    assert main(["capaian", "list", "--year", "2026", "--period", "TW1"]) == 0
    assert "DINAS-X" in capsys.readouterr().out


def _nip(db, employee_id):
    with db.session() as s:
        return s.get(Employee, employee_id).nip


def test_the_selftest_step_of_the_regulation(tmp_path):
    from kinerja_desktop.selftest import OK, STEPS, run_step

    step = next(s for s in STEPS if s.name == "regulasi")
    result = run_step(step)
    assert result.status == OK, result.message
    assert "angka kredit 12.50" in result.detail
