"""Documents built from the database: identities, period and predikat as recorded; bad input."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest

from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.performance import evaluations as svc
from kinerja_desktop.services.performance.capaian import set_capaian
from kinerja_desktop.store.models import Employee, Evaluation

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def finished(db, office, perf):
    """staf1: agreed SKP, a final TW1 evaluation (Baik) and a draft annual one; capaian Baik."""
    with db.transaction() as s:
        set_capaian(s, SYSTEM, office.dinas, perf.YEAR, "Baik")
        perf.agreed_skp(s, SYSTEM, office.staf1, rhks=2, ikis=2)
        tw1 = perf.period_id(s, "triwulan", 1)
        set_capaian(s, SYSTEM, office.dinas, tw1, "Istimewa")  # each period has its own capaian
        ev = svc.start_evaluation(s, office.kabid_p, office.staf1, tw1)
        form = svc.EvaluationForm(
            "Sesuai Ekspektasi",
            "Di Atas Ekspektasi",
            perf.fill_realisasi(s, ev.id),
            {"AKUNTABEL": "Selalu tepat waktu"},
            "Pertahankan kinerja; ikuti pelatihan SIG.",
        )
        ev = svc.save_evaluation(s, office.kabid_p, ev.id, form, expected_hlc=ev.updated_hlc)
        svc.finalize_evaluation(s, office.kabid_p, ev.id, expected_hlc=ev.updated_hlc, today=date(2026, 4, 7))
        annual = svc.start_evaluation(s, office.kabid_p, office.staf1, perf.period_id(s))
        staf = s.get(Employee, office.staf1)
        kabid = s.get(Employee, office.kabid)
        return {
            "evaluation": ev.id,
            "annual": annual.id,
            "nip": staf.nip,
            "name": staf.full_name,
            "kabid": kabid.full_name,
            "kabid_nip": kabid.nip,
        }


def test_short_form_from_the_database_shows_identities_period_and_predikat(db, finished, tmp_path):
    from kinerja_desktop.reports.render import produce, write_pdf
    from kinerja_desktop.services.documents import views as collect

    with db.session() as s:
        view = collect.short_form_view(s, finished["nip"], 2026, "TW1")
    assert view.period_label == "TRIWULAN I" and view.predikat == "Baik"
    assert view.capaian_organisasi == "Istimewa"  # the capaian of Triwulan I, not the year-end one
    assert view.date == collect.today_wib() and view.record_date == date(2026, 4, 7)
    out = write_pdf(tmp_path / "short.pdf", produce(view).pdf)
    text = pdf_text(out)
    for expected in (
        finished["name"],
        finished["kabid"],
        "Kepala Dinas",
        "TRIWULAN I",
        "BAIK",
        "ISTIMEWA",
        "1 JANUARI 2026 S.D. 31 MARET 2026",
        "ditetapkan final pada 7 April 2026",
        "DINAS CONTOH",  # the perangkat daerah, not the Bidang, in the letterhead
        f"{finished['nip'][:8]} {finished['nip'][8:14]}",
        "Pertahankan kinerja",
    ):
        assert expected in text, expected


def test_detailed_form_and_skp_from_the_database(db, finished, tmp_path):
    from kinerja_desktop.reports.render import produce, write_pdf
    from kinerja_desktop.services.documents import views as collect

    with db.session() as s:
        detailed = collect.detailed_form_view(s, finished["nip"], 2026, "TW1")
        skp = collect.skp_view(s, finished["nip"], 2026)
    text = pdf_text(write_pdf(tmp_path / "d.pdf", produce(detailed).pdf))
    for expected in (
        "EVALUASI KINERJA PEGAWAI",
        "RHK 1 pegawai",
        "IKI 1.1",
        "tercapai 10 dokumen",
        "Selalu tepat waktu",
        "Tepat waktu",
        "SESUAI EKSPEKTASI",
        "DI ATAS EKSPEKTASI",
        "BAIK",
        finished["name"],
        "A. UTAMA",
        "B. TAMBAHAN",
        "Kurva acuan untuk capaian organisasi Istimewa",
        "Paling banyak 70% Sangat Baik",
    ):
        assert expected in text, expected
    # the reference curve, never colleagues' results: no "Saat ini" column, no counts or shares of people
    assert "Saat ini" not in text and "DISTRIBUSI PREDIKAT" not in text.upper().replace("KURVA", "")
    text = pdf_text(write_pdf(tmp_path / "skp.pdf", produce(skp).pdf))
    for expected in (
        "SASARAN KINERJA PEGAWAI",
        "TAHUN 2026",
        "RHK 2 pegawai",
        "Laptop",
        "KUANTITATIF",
        finished["name"],
        finished["kabid"],
    ):
        assert expected in text, expected


def test_a_draft_is_marked_and_a_missing_evaluation_or_employee_is_said(db, finished, office):
    from kinerja_desktop.services.documents import views as collect

    with db.session() as s:
        assert collect.short_form_view(s, finished["nip"], 2026).period_label == "AKHIR (DRAF)"
        with pytest.raises(UserError, match="Belum ada evaluasi"):
            collect.short_form_view(s, finished["nip"], 2026, "TW2")
        with pytest.raises(NotFound, match="NIP 199001012015011001"):
            collect.short_form_view(s, "199001012015011001", 2026)
        with pytest.raises(UserError, match="Periode 'TW9'"):
            collect.short_form_view(s, finished["nip"], 2026, "TW9")


def test_recap_of_a_unit_counts_the_predikat(db, finished, tmp_path):
    from kinerja_desktop.reports.render import produce, write_pdf
    from kinerja_desktop.services.documents import views as collect

    with db.session() as s:
        view = collect.recap_view(s, "DINAS-X", 2026, "TW1")
    assert [r.predikat for r in view.rows if r.name == finished["name"]] == ["Baik"]
    text = pdf_text(write_pdf(tmp_path / "r.pdf", produce(view).pdf))
    assert "REKAPITULASI PREDIKAT KINERJA PEGAWAI" in text and finished["name"] in text
    assert "TRIWULAN I TAHUN 2026" in text and "belum dinilai" in text


def test_pppk_identity_prints_the_ni_pppk_and_golongan_pppk(db, finished):
    from kinerja_desktop.services.documents import views as collect

    with db.transaction() as s:
        emp = s.get(Employee, s.get(Evaluation, finished["evaluation"]).employee_id)
        person = collect.person_of(s, emp)
        assert person.nip and person.pangkat_gol and person.nip_label == "NIP"
        emp.status, emp.golongan, emp.nip = "PPPK", "IX", "199203142023212005"
        person = collect.person_of(s, emp)
        assert (person.nip, person.pangkat_gol, person.nip_label) == ("19920314 2023 21 2 005", "IX", "NI PPPK")
        assert person.nip_raw == emp.nip and person.golongan_label == "GOLONGAN"


def test_the_letterhead_names_the_perangkat_daerah_below_a_government_root(db, office):
    from kinerja_desktop.services.documents import views as collect
    from kinerja_desktop.store.models import Unit

    with db.transaction() as s:
        assert collect.letterhead(s, unit_id=office.bidang).unit_name == "Dinas Contoh"  # never the Bidang
        root = Unit(code="PEMKAB", name="Pemerintah Kabupaten Batanghari", kind="opd")
        s.add(root)
        s.flush()
        s.get(Unit, office.dinas).parent_id = root.id
        s.flush()
        assert collect.letterhead(s, unit_id=office.bidang).unit_name == "Dinas Contoh"
        assert collect.letterhead(s, unit_id=root.id).unit_name == ""
