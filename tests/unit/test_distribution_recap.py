"""Distribution recap per unit and year: every rule at its edges, units of 1-5 people, warnings only."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_desktop.domain.distribution import check_distribution
from kinerja_desktop.domain.predikat import Predikat, Rating
from kinerja_desktop.errors import PermissionDenied
from kinerja_desktop.services import evaluations as ev_svc
from kinerja_desktop.services.capaian import set_capaian
from kinerja_desktop.services.distribution_recap import all_recaps, unit_recap
from kinerja_desktop.services.principal import PEJABAT_PENILAI, SYSTEM, Principal
from kinerja_desktop.store.models import Position, Unit

SB, B, BP, K, SK = "SB", "B", "BP", "K", "SK"
PREDIKAT = {SB: Predikat.SANGAT_BAIK, B: Predikat.BAIK, BP: Predikat.BUTUH_PERBAIKAN, K: Predikat.KURANG,
            SK: Predikat.SANGAT_KURANG}
#: ratings (hasil, perilaku) giving each predikat
RATINGS = {SB: (Rating.DI_ATAS, Rating.DI_ATAS), B: (Rating.SESUAI, Rating.SESUAI),
           BP: (Rating.DI_BAWAH, Rating.SESUAI), K: (Rating.SESUAI, Rating.DI_BAWAH),
           SK: (Rating.DI_BAWAH, Rating.DI_BAWAH)}

_units = iter(range(1, 10_000))


def make_unit(db, perf, spec: dict[str, int], capaian: str | None, *, finalize: bool = True,
              unrated: int = 0) -> str:
    """A unit whose employees get the predikat in ``spec`` through the evaluation service.

    The pejabat penilai sits in the parent unit, so the unit holds exactly these people.
    """
    n = next(_units)
    with db.transaction() as s:
        parent = Unit(code=f"INDUK-{n}", name=f"Induk {n}", kind="opd")
        s.add(parent)
        s.flush()
        unit = Unit(code=f"UNIT-{n}", name=f"Unit {n}", kind="bidang", parent_id=parent.id)
        pos = Position(name=f"Pelaksana {n}", kind="pelaksana")
        boss_pos = Position(name=f"Kepala {n}", kind="administrator")
        s.add_all([unit, pos, boss_pos])
        s.flush()
        boss = perf.add_employee(s, f"Atasan {n}", parent.id, boss_pos.id)
        actor = Principal(f"atasan{n}", PEJABAT_PENILAI, boss)
        period = perf.period_id(s)
        for code, count in spec.items():
            for i in range(count):
                emp = perf.add_employee(s, f"Pegawai {code} {i}", unit.id, pos.id, boss)
                perf.agreed_skp(s, actor, emp, ikis=1)
                ev = ev_svc.start_evaluation(s, actor, emp, period)
                hasil, perilaku = RATINGS[code]
                ev = ev_svc.save_evaluation(s, actor, ev.id, ev_svc.EvaluationForm(
                    hasil, perilaku, perf.fill_realisasi(s, ev.id)), expected_hlc=ev.updated_hlc)
                if finalize:
                    ev_svc.finalize_evaluation(s, actor, ev.id, expected_hlc=ev.updated_hlc, today=date(2027, 1, 5))
        for i in range(unrated):
            perf.add_employee(s, f"Belum dinilai {i}", unit.id, pos.id, boss)
        if capaian:
            set_capaian(s, SYSTEM, unit.id, perf.YEAR, capaian)
        return unit.id


def recap(db, unit_id, **kw):
    with db.session() as s:
        return unit_recap(s, SYSTEM, unit_id, 2026, **kw)


EDGES = [
    # Istimewa: at most 70 % Sangat Baik
    ("Istimewa", {SB: 7, B: 3}, []),
    ("Istimewa", {SB: 8, B: 2}, ["Paling banyak 70% Sangat Baik"]),
    # Baik: at most 70 % Baik; some Butuh Perbaikan and/or Kurang/Misconduct
    ("Baik", {B: 7, BP: 3}, []),
    ("Baik", {B: 7, K: 1, SB: 2}, []),
    ("Baik", {B: 8, BP: 2}, ["Paling banyak 70% Baik"]),
    ("Baik", {B: 7, SB: 2, SK: 1}, ["Harus ada pegawai dengan predikat Butuh Perbaikan dan/atau Kurang/Misconduct"]),
    # Butuh Perbaikan: at least 60 % Butuh Perbaikan; at most 10 % Sangat Baik
    ("Butuh Perbaikan", {BP: 6, SB: 1, B: 3}, []),
    ("Butuh Perbaikan", {BP: 5, SB: 1, B: 4}, ["Paling sedikit 60% Butuh Perbaikan"]),
    ("Butuh Perbaikan", {BP: 6, SB: 2, B: 2}, ["Paling banyak 10% Sangat Baik"]),
    # Kurang: at least 60 % Kurang; at least 10 % Butuh Perbaikan; at most 10 % Sangat Baik
    ("Kurang", {K: 6, BP: 1, SB: 1, B: 2}, []),
    ("Kurang", {K: 5, BP: 1, SB: 1, B: 3}, ["Paling sedikit 60% Kurang/Misconduct"]),
    ("Kurang", {K: 6, SB: 1, B: 3}, ["Paling sedikit 10% Butuh Perbaikan"]),
    ("Kurang", {K: 6, BP: 1, SB: 2, B: 1}, ["Paling banyak 10% Sangat Baik"]),
    # Sangat Kurang: at least 60 % Sangat Kurang; at least 10 % Kurang and/or BP; no Sangat Baik
    ("Sangat Kurang", {SK: 6, K: 1, B: 3}, []),
    ("Sangat Kurang", {SK: 6, BP: 1, B: 3}, []),
    ("Sangat Kurang", {SK: 5, K: 1, B: 4}, ["Paling sedikit 60% Sangat Kurang"]),
    ("Sangat Kurang", {SK: 6, B: 4}, ["Paling sedikit 10% Kurang/Misconduct dan/atau Butuh Perbaikan"]),
    ("Sangat Kurang", {SK: 6, K: 1, SB: 1, B: 2}, ["Tidak boleh ada Sangat Baik"]),
]


@pytest.mark.parametrize("capaian,spec,off", EDGES,
                         ids=[f"{c}-{'-'.join(f'{k}{v}' for k, v in sp.items())}" for c, sp, _o in EDGES])
def test_each_rule_at_its_edges_through_the_recap(db, office, perf, capaian, spec, off):
    unit_id = make_unit(db, perf, spec, capaian)
    r = recap(db, unit_id)
    assert r.capaian.value == capaian and r.capaian_unit_id == unit_id
    assert r.headcount == r.rated == sum(spec.values()) == r.final
    assert r.counts == {p: spec.get(code, 0) for code, p in PREDIKAT.items()}
    assert [v.text for v in r.report.violations] == off
    assert r.report.ok is (not off)
    if off:
        assert "belum sesuai pola distribusi" in r.summary_text() and "data tetap dapat disimpan" in r.summary_text()


SMALL = [
    (1, {B: 1}, "Baik", False),  # 100 % Baik and nobody below: both Baik rules are off
    (1, {BP: 1}, "Baik", True),
    (1, {SB: 1}, "Istimewa", False),
    (2, {B: 1, BP: 1}, "Baik", True),
    (2, {SB: 1, B: 1}, "Istimewa", True),
    (3, {SB: 2, B: 1}, "Istimewa", True),  # 66.7 %
    (3, {SB: 3}, "Istimewa", False),
    (3, {BP: 2, B: 1}, "Butuh Perbaikan", True),  # 66.7 %
    (3, {BP: 1, B: 2}, "Butuh Perbaikan", False),
    (4, {K: 3, BP: 1}, "Kurang", True),  # 75 %, 25 %
    (4, {K: 2, BP: 1, B: 1}, "Kurang", False),  # 50 %
    (5, {SK: 3, K: 1, B: 1}, "Sangat Kurang", True),  # 60 %, 20 %
    (5, {SK: 3, B: 1, SB: 1}, "Sangat Kurang", False),
    (5, {B: 3, BP: 1, SB: 1}, "Baik", True),  # 60 % Baik
    (5, {B: 4, K: 1}, "Baik", False),  # 80 % Baik
]


@pytest.mark.parametrize("size,spec,capaian,ok", SMALL,
                         ids=[f"{n}-{c}-{'-'.join(f'{k}{v}' for k, v in sp.items())}" for n, sp, c, _ok in SMALL])
def test_units_of_one_to_five_people(db, office, perf, size, spec, capaian, ok):
    assert sum(spec.values()) == size
    unit_id = make_unit(db, perf, spec, capaian)
    r = recap(db, unit_id)
    counts = {PREDIKAT[code]: n for code, n in spec.items()}
    assert r.report.ok is ok
    assert r.report == check_distribution(capaian, counts)
    assert sum(r.percentages().values()) == pytest.approx(100.0)


def test_without_capaian_counts_are_shown_and_nothing_is_checked(db, office, perf):
    unit_id = make_unit(db, perf, {B: 2}, None, unrated=1)
    r = recap(db, unit_id)
    assert r.report is None and r.capaian is None
    assert (r.headcount, r.rated, r.not_rated) == (3, 2, 1)
    assert r.summary_text().startswith("Capaian kinerja organisasi Unit ")


def test_drafts_count_unless_final_only_and_parents_include_sub_units(db, office, perf):
    unit_id = make_unit(db, perf, {SB: 2, B: 1}, None, finalize=False)
    with db.transaction() as s:
        parent_id = s.get(Unit, unit_id).parent_id
        set_capaian(s, SYSTEM, parent_id, 2026, "Istimewa")  # the sub-unit inherits the parent's capaian
    r = recap(db, unit_id)
    assert (r.rated, r.final) == (3, 0)
    assert r.capaian.value == "Istimewa" and r.capaian_unit_id == parent_id
    assert recap(db, unit_id, final_only=True).rated == 0
    parent = recap(db, parent_id)
    assert parent.headcount == 4 and parent.rated == 3  # the pejabat penilai has no evaluation


def test_periodic_recap_and_all_units(db, office, perf):
    unit_id = make_unit(db, perf, {B: 1}, "Baik")
    with db.session() as s:
        q1 = unit_recap(s, SYSTEM, unit_id, 2026, period_id=perf.period_id(s, "triwulan", 1))
        assert q1.rated == 0 and q1.report.ok and q1.period_label == "Triwulan I 2026"
        names = [r.unit_name for r in all_recaps(s, SYSTEM, 2026)]
        assert "Unit" not in names and "Dinas Contoh" in names and "Bidang Satu" in names


def test_a_supervisor_sees_the_recap_of_their_own_unit_only(db, office, perf):
    with db.session() as s:
        assert unit_recap(s, office.kadis_p, office.bidang, 2026).headcount == 3
        with pytest.raises(PermissionDenied):
            unit_recap(s, office.kabid_p, office.other_unit, 2026)
        assert {r.unit_id for r in all_recaps(s, office.kabid_p, 2026)} == {office.bidang}
