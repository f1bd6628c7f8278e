"""The kepala daerah (Bupati): pejabat penilai of the Sekda, atasan pejabat penilai of the JPT, no NIP."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_desktop.errors import PermissionDenied, UserError
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.performance import evaluations as ev_svc
from kinerja_desktop.services.performance.kepala_daerah import (
    KepalaDaerahInput,
    atasan_pejabat_penilai_of,
    kepala_daerah_on,
    pejabat_penilai_of,
    save_kepala_daerah,
    set_reports_to_kepala_daerah,
)
from kinerja_desktop.store.models import Employee, Position


def test_the_bupati_in_office_on_a_day(db, setda):
    with db.session() as s:
        assert kepala_daerah_on(s, date(2026, 2, 25)).id == setda.bupati
        assert kepala_daerah_on(s, date(2026, 2, 26)).name == "Ahmad Bupati"
        assert kepala_daerah_on(s, date(2020, 1, 1)) is None


def test_terms_may_not_overlap_and_names_are_required(db, setda, office):
    with db.transaction() as s:
        with pytest.raises(UserError, match="bertumpang tindih"):
            save_kepala_daerah(
                s, SYSTEM, KepalaDaerahInput(name="Pj. Lain", term_start=date(2025, 1, 1), term_end=date(2025, 12, 31))
            )
        with pytest.raises(UserError, match="Nama kepala daerah belum diisi"):
            save_kepala_daerah(s, SYSTEM, KepalaDaerahInput(name="  ", term_start=date(2030, 1, 1)))
        with pytest.raises(UserError, match="tidak boleh sebelum awalnya"):
            save_kepala_daerah(
                s, SYSTEM, KepalaDaerahInput(name="X", term_start=date(2030, 1, 1), term_end=date(2029, 1, 1))
            )
        with pytest.raises(PermissionDenied):
            save_kepala_daerah(s, office.kabid_p, KepalaDaerahInput(name="X", term_start=date(2040, 1, 1)))


@pytest.mark.parametrize(
    ("who", "penilai", "atasan"),
    [
        ("sekda", "Ahmad Bupati, S.H.", None),  # the Bupati evaluates the Sekda
        ("kadis", "Sekretaris Daerah Contoh", "Ahmad Bupati, S.H."),  # JPT: atasan is the Bupati
        ("kabid", "Kepala Dinas", "Sekretaris Daerah Contoh"),
        ("staf1", "Kepala Bidang", "Kepala Dinas"),
    ],
)
def test_the_chain(db, office, setda, who, penilai, atasan):
    ids = {"sekda": setda.sekda, "kadis": office.kadis, "kabid": office.kabid, "staf1": office.staf1}
    with db.session() as s:
        emp = s.get(Employee, ids[who])
        first = pejabat_penilai_of(s, emp, date(2026, 6, 1))
        second = atasan_pejabat_penilai_of(s, emp, date(2026, 6, 1))
        assert first.name == penilai
        assert (second.name if second else None) == atasan


def test_forms_of_the_sekda_and_a_jpt_name_the_bupati_without_nip(db, office, setda):
    with db.session() as s:
        sekda = ev_svc.identities_now(s, setda.sekda, day=date(2026, 6, 1))
        assert sekda["pejabat_penilai"] == {
            "id": None,
            "kepala_daerah_id": sekda["pejabat_penilai"]["kepala_daerah_id"],
            "nama": "Ahmad Bupati, S.H.",
            "nip": "",
            "status": "KDH",
            "pangkat_golongan": "",
            "jabatan": "Bupati Batanghari",
            "unit_kerja": "Pemerintah Kabupaten Batanghari",
        }
        assert sekda["atasan_pejabat_penilai"] is None
        kadis = ev_svc.identities_now(s, office.kadis, day=date(2026, 6, 1))
        assert kadis["pejabat_penilai"]["nama"] == "Sekretaris Daerah Contoh"
        assert kadis["atasan_pejabat_penilai"]["nama"] == "Ahmad Bupati, S.H."
        assert kadis["atasan_pejabat_penilai"]["nip"] == ""


def test_hr_records_the_bupatis_evaluation_of_the_sekda(db, office, setda, perf):
    with db.transaction() as s:
        perf.agreed_skp(s, office.hr, setda.sekda, perspektif="Proses Bisnis")
        ev = ev_svc.start_evaluation(s, office.hr, setda.sekda, perf.period_id(s))
        ev = ev_svc.save_evaluation(
            s,
            office.hr,
            ev.id,
            ev_svc.EvaluationForm(None, "Sesuai Ekspektasi", perf.fill_realisasi(s, ev.id)),
            expected_hlc=ev.updated_hlc,
        )
        with pytest.raises(UserError, match="capaian kinerja organisasi Sekretariat Daerah"):
            ev_svc.finalize_evaluation(s, office.hr, ev.id, expected_hlc=ev.updated_hlc)
        # the Setda's capaian: only the Bupati (HR records it)
        from kinerja_desktop.services.performance.capaian import CapaianDecision, set_capaian

        bupati = kepala_daerah_on(s, date(2027, 1, 8))
        set_capaian(
            s,
            office.hr,
            setda.unit,
            2026,
            CapaianDecision(
                "Baik",
                decider_kepala_daerah_id=bupati.id,
                decision_reference="Kep. Bupati 100/2027",
                decided_on=date(2027, 1, 8),
            ),
        )
        ev = ev_svc.finalize_evaluation(s, office.hr, ev.id, expected_hlc=ev.updated_hlc, today=date(2027, 1, 8))
        assert ev.status == "final" and ev.evaluator_id is None
        assert ev.identities["pejabat_penilai"]["jabatan"] == "Bupati Batanghari"
        # a pejabat penilai elsewhere may not
        with pytest.raises(PermissionDenied):
            ev_svc.start_evaluation(s, office.kadis_p, setda.sekda, perf.period_id(s, "triwulan", 1))


def test_hr_does_not_record_for_people_the_bupati_does_not_evaluate(db, office, setda, perf):
    with db.transaction() as s:
        perf.agreed_skp(s, setda.sekda_p, office.kadis, perspektif="Anggaran")
        with pytest.raises(PermissionDenied):
            ev_svc.start_evaluation(s, office.hr, office.kadis, perf.period_id(s))


def test_only_a_flagged_position_without_supervisor_reports_to_the_bupati(db, office, setda):
    with db.transaction() as s:
        kadis = s.get(Employee, office.kadis)
        pos = s.get(Position, kadis.position_id)
        set_reports_to_kepala_daerah(s, SYSTEM, pos.id, True)
        # the Kadis still has a supervisor (the Sekda): the supervisor comes first
        assert pejabat_penilai_of(s, kadis).employee.id == setda.sekda
        kadis.supervisor_id = None
        assert pejabat_penilai_of(s, kadis).is_kepala_daerah
        with pytest.raises(PermissionDenied):
            set_reports_to_kepala_daerah(s, office.kabid_p, pos.id, False)
