"""Angka Kredit per employee from the final predikat: which months each predikat converts, the
AK awal, the total and the next kenaikan pangkat/jenjang."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kinerja_desktop.domain.angka_kredit import Jenjang
from kinerja_desktop.errors import PermissionDenied, UserError
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.performance import evaluations as ev_svc
from kinerja_desktop.services.performance import skp as skp_svc
from kinerja_desktop.services.performance.angka_kredit import angka_kredit, functional_employees, set_angka_kredit_awal
from kinerja_desktop.services.performance.periods import create_year
from kinerja_desktop.store.models import Employee, Position

RATINGS = {
    "Sangat Baik": ("Di Atas Ekspektasi", "Di Atas Ekspektasi"),
    "Baik": ("Sesuai Ekspektasi",) * 2,
    "Butuh Perbaikan": ("Di Bawah Ekspektasi", "Sesuai Ekspektasi"),
}


def _make_jf(s, office, name="Perawat Ahli Pertama", golongan="III/a"):
    pos = Position(name=name, kind="fungsional")
    s.add(pos)
    s.flush()
    emp = s.get(Employee, office.staf1)
    emp.position_id, emp.golongan = pos.id, golongan
    s.flush()
    return pos.id


def _evaluate(s, office, perf, period_id, predikat, *, skp_id=None):
    ev = ev_svc.start_evaluation(s, office.kabid_p, office.staf1, period_id, skp_id=skp_id)
    hasil, perilaku = RATINGS[predikat]
    ev = ev_svc.save_evaluation(
        s,
        office.kabid_p,
        ev.id,
        ev_svc.EvaluationForm(hasil, perilaku, perf.fill_realisasi(s, ev.id)),
        expected_hlc=ev.updated_hlc,
    )
    return ev_svc.finalize_evaluation(s, office.kabid_p, ev.id, expected_hlc=ev.updated_hlc, today=date(2027, 1, 6))


def test_the_regulations_example_two_months_at_baik_for_an_ahli_pertama(db, office, perf):
    """Appointed to the jabatan fungsional on 1 November: the annual predikat converts 2 months."""
    with db.transaction() as s:
        _make_jf(s, office)
        skp = skp_svc.create_skp(s, office.kabid_p, office.staf1, 2026, start=date(2026, 11, 1))
        content = skp_svc.SkpContent(
            rhks=[skp_svc.RhkInput("Asuhan keperawatan", ikis=[skp_svc.IkiInput("Pasien terlayani", "40 pasien")])]
        )
        skp = skp_svc.save_skp(s, office.kabid_p, skp.id, content, expected_hlc=skp.updated_hlc)
        skp_svc.agree_skp(s, office.kabid_p, skp.id, date(2026, 11, 2), expected_hlc=skp.updated_hlc)
        _evaluate(s, office, perf, perf.period_id(s), "Baik")
        ak = angka_kredit(s, SYSTEM, office.staf1)
    assert [(line.months, line.predikat.label, str(line.ak)) for line in ak.lines] == [(2, "Baik", "2.08")]
    assert (ak.lines[0].first_month, ak.lines[0].last_month) == (11, 12)
    assert ak.total == Decimal("2.08") and ak.jenjang is Jenjang.AHLI_PERTAMA


def test_a_year_at_baik_with_the_ak_awal_meets_the_next_pangkat(db, office, perf):
    with db.transaction() as s:
        _make_jf(s, office)
        perf.agreed_skp(s, office.kabid_p, office.staf1)
        _evaluate(s, office, perf, perf.period_id(s, "triwulan", 1), "Sangat Baik")  # ignored: the annual covers it
        _evaluate(s, office, perf, perf.period_id(s), "Baik")
        set_angka_kredit_awal(
            s,
            office.hr,
            office.staf1,
            as_of=date(2025, 12, 31),
            value="37,5",
            jenjang="Ahli Pertama",
            golongan="III/a",
            reference="PAK 800/123/2026",
        )
        ak = angka_kredit(s, SYSTEM, office.staf1)
    assert [(line.label, line.months, str(line.ak)) for line in ak.lines] == [("Akhir 2026", 12, "12.50")]
    assert ak.total == Decimal("50.00")
    step = ak.step
    assert (step.next_golongan, step.pangkat_needs.value) == ("III/b", 50)
    assert step.meets_pangkat(ak.total) is True and step.meets_jenjang(ak.total) is False


def test_without_a_final_annual_predikat_the_periodic_ones_convert_by_months(db, office, perf):
    with db.transaction() as s:
        _make_jf(s, office)
        perf.agreed_skp(s, office.kabid_p, office.staf1)
        _evaluate(s, office, perf, perf.period_id(s, "triwulan", 1), "Sangat Baik")
        _evaluate(s, office, perf, perf.period_id(s, "triwulan", 2), "Butuh Perbaikan")
        ev_svc.start_evaluation(s, office.kabid_p, office.staf1, perf.period_id(s, "triwulan", 3))  # a draft: no AK
        ak = angka_kredit(s, SYSTEM, office.staf1)
    # 3/12 x 150 % x 12,5 = 4,6875 -> 4,69; 3/12 x 75 % x 12,5 = 2,34375 -> 2,34
    assert [(line.label, line.months, str(line.ak)) for line in ak.lines] == [
        ("Triwulan I 2026", 3, "4.69"),
        ("Triwulan II 2026", 3, "2.34"),
    ]
    assert ak.total == Decimal("7.03")
    assert any("predikat tahunan belum final" in n for n in ak.notes)


def test_only_months_after_the_last_pak_count(db, office, perf):
    with db.transaction() as s:
        _make_jf(s, office)
        perf.agreed_skp(s, office.kabid_p, office.staf1)
        _evaluate(s, office, perf, perf.period_id(s, "triwulan", 1), "Baik")
        _evaluate(s, office, perf, perf.period_id(s, "triwulan", 2), "Baik")
        set_angka_kredit_awal(s, office.hr, office.staf1, as_of=date(2026, 3, 31), value=10, jenjang="Ahli Pertama")
        ak = angka_kredit(s, SYSTEM, office.staf1)
    assert [line.label for line in ak.lines] == ["Triwulan II 2026"] and ak.total == Decimal("13.13")


def test_a_mutasi_with_a_new_jenjang_converts_each_assignment_by_its_koefisien(db, office, perf):
    with db.transaction() as s:
        _make_jf(s, office)
        first = perf.agreed_skp(s, office.kabid_p, office.staf1)
        _evaluate(s, office, perf, perf.period_id(s, "triwulan", 1), "Baik")
        pos = Position(name="Perawat Ahli Muda", kind="fungsional")  # kenaikan jenjang on 1 May
        s.add(pos)
        s.flush()
        s.get(Employee, office.staf1).position_id = pos.id
        second = skp_svc.start_new_assignment(s, office.kabid_p, office.staf1, 2026, date(2026, 5, 1))
        content = skp_svc.SkpContent(
            rhks=[skp_svc.RhkInput("Asuhan keperawatan lanjut", ikis=[skp_svc.IkiInput("Kasus ditangani", "20 kasus")])]
        )
        second = skp_svc.save_skp(s, office.kabid_p, second.id, content, expected_hlc=second.updated_hlc)
        skp_svc.agree_skp(s, office.kabid_p, second.id, date(2026, 5, 2), expected_hlc=second.updated_hlc)
        _evaluate(s, office, perf, perf.period_id(s, "triwulan", 2), "Sangat Baik", skp_id=first)  # April
        _evaluate(s, office, perf, perf.period_id(s), "Baik")  # May..December on the new SKP
        ak = angka_kredit(s, SYSTEM, office.staf1)
    assert [(line.label, line.months, line.jenjang, str(line.ak)) for line in ak.lines] == [
        ("Triwulan I 2026", 3, Jenjang.AHLI_PERTAMA, "3.13"),  # 3/12 x 12,5
        ("Triwulan II 2026 (akhir penugasan)", 1, Jenjang.AHLI_PERTAMA, "1.56"),  # 1/12 x 1,5 x 12,5
        ("Akhir 2026", 8, Jenjang.AHLI_MUDA, "16.67"),  # 8/12 x 25
    ]
    assert sum(line.months for line in ak.lines) == 12 and ak.jenjang is Jenjang.AHLI_MUDA


def test_months_in_a_non_functional_position_convert_nothing(db, office, perf):
    with db.transaction() as s:
        perf.agreed_skp(s, office.kabid_p, office.staf1)  # Analis Kebijakan: no jenjang in the name
        _evaluate(s, office, perf, perf.period_id(s), "Baik")
        ak = angka_kredit(s, SYSTEM, office.staf1)
    assert ak.lines == [] and ak.jenjang is None and ak.step is None
    assert any("bukan jabatan fungsional" in n for n in ak.notes)


def test_the_ak_awal_is_recorded_by_hr_and_checked(db, office):
    with db.transaction() as s:
        with pytest.raises(PermissionDenied):
            set_angka_kredit_awal(s, office.kabid_p, office.staf1, as_of=date(2025, 1, 1), value=1, jenjang="Mahir")
        with pytest.raises(UserError, match="bukan angka"):
            set_angka_kredit_awal(s, office.hr, office.staf1, as_of=date(2025, 1, 1), value="dua", jenjang="Mahir")
        with pytest.raises(UserError, match="antara 0"):
            set_angka_kredit_awal(s, office.hr, office.staf1, as_of=date(2025, 1, 1), value=-1, jenjang="Mahir")
        with pytest.raises(UserError, match="tidak dikenal"):
            set_angka_kredit_awal(s, office.hr, office.staf1, as_of=date(2025, 1, 1), value=1, jenjang="Ahli Super")
        with pytest.raises(UserError, match="masa depan"):
            set_angka_kredit_awal(s, office.hr, office.staf1, as_of=date(2999, 1, 1), value=1, jenjang="Mahir")


def test_the_list_of_functional_employees_follows_the_actors_scope(db, office, perf):
    with db.transaction() as s:
        _make_jf(s, office)
        create_year(s, SYSTEM, 2027, None)
    with db.session() as s:
        assert [a.employee.id for a in functional_employees(s, office.kabid_p)] == [office.staf1]
        assert functional_employees(s, office.outsider_p) == []
        assert [a.employee.id for a in functional_employees(s, SYSTEM)] == [office.staf1]
