"""Distribution recap per organisation and period: every rule at its edges, units of 1-5 people, the
organisation whose capaian is used, the head not counted, finals only (drafts apart), warnings only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from kinerja_desktop.domain.distribution import check_distribution
from kinerja_desktop.domain.predikat import Predikat, Rating
from kinerja_desktop.errors import PermissionDenied
from kinerja_desktop.services.access.principal import PEJABAT_PENILAI, SYSTEM, Principal
from kinerja_desktop.services.performance import evaluations as ev_svc
from kinerja_desktop.services.performance.capaian import set_capaian
from kinerja_desktop.services.performance.distribution_recap import all_recaps, unit_recap
from kinerja_desktop.store.models import Position, Unit

SB, B, BP, K, SK = "SB", "B", "BP", "K", "SK"
PREDIKAT = {
    SB: Predikat.SANGAT_BAIK,
    B: Predikat.BAIK,
    BP: Predikat.BUTUH_PERBAIKAN,
    K: Predikat.KURANG,
    SK: Predikat.SANGAT_KURANG,
}
#: ratings (hasil, perilaku) giving each predikat
RATINGS = {
    SB: (Rating.DI_ATAS, Rating.DI_ATAS),
    B: (Rating.SESUAI, Rating.SESUAI),
    BP: (Rating.DI_BAWAH, Rating.SESUAI),
    K: (Rating.SESUAI, Rating.DI_BAWAH),
    SK: (Rating.DI_BAWAH, Rating.DI_BAWAH),
}

_units = iter(range(1, 10_000))


def make_unit(db, perf, spec: dict[str, int], capaian: str | None, *, finalize: bool = True, unrated: int = 0) -> str:
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
                ev = ev_svc.save_evaluation(
                    s,
                    actor,
                    ev.id,
                    ev_svc.EvaluationForm(hasil, perilaku, perf.fill_realisasi(s, ev.id)),
                    expected_hlc=ev.updated_hlc,
                )
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
    # Istimewa: a majority but at most 70 % Sangat Baik
    ("Istimewa", {SB: 7, B: 3}, []),
    ("Istimewa", {B: 3, BP: 1}, ["Sebagian besar (lebih dari 50%) Sangat Baik"]),  # 0 % Sangat Baik
    ("Istimewa", {SB: 2, B: 2}, ["Sebagian besar (lebih dari 50%) Sangat Baik"]),  # half is not a majority
    ("Istimewa", {SB: 8, B: 2}, ["Paling banyak 70% Sangat Baik"]),
    # Baik: at most 70 % Baik; some Butuh Perbaikan and/or Kurang/Misconduct
    ("Baik", {B: 7, BP: 3}, []),
    ("Baik", {B: 7, K: 1, SB: 2}, []),
    ("Baik", {B: 8, BP: 2}, ["Paling banyak 70% Baik"]),
    ("Baik", {B: 2, BP: 1, SB: 2}, ["Sebagian besar (lebih dari 50%) Baik"]),
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


@pytest.mark.parametrize(
    "capaian,spec,off", EDGES, ids=[f"{c}-{'-'.join(f'{k}{v}' for k, v in sp.items())}" for c, sp, _o in EDGES]
)
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
    (1, {BP: 1}, "Baik", False),  # nobody Baik: no majority of Baik
    (1, {SB: 1}, "Istimewa", False),
    (2, {B: 1, BP: 1}, "Baik", False),  # 50 % is not a majority
    (2, {SB: 1, B: 1}, "Istimewa", False),
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


@pytest.mark.parametrize(
    "size,spec,capaian,ok",
    SMALL,
    ids=[f"{n}-{c}-{'-'.join(f'{k}{v}' for k, v in sp.items())}" for n, sp, c, _ok in SMALL],
)
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
    # A Bidang without a capaian of its own is counted with its organisation (the Induk):
    # its 3 staff and the Induk's pejabat penilai (not the head of the Induk).
    assert r.requested_unit_id == unit_id and r.unit_name.startswith("Induk ")
    assert (r.headcount, r.rated, r.not_rated) == (4, 2, 2)
    assert r.summary_text().startswith("Capaian kinerja organisasi Induk ")


def test_the_check_uses_final_evaluations_and_drafts_are_shown_apart(db, office, perf):
    unit_id = make_unit(db, perf, {SB: 2, B: 1}, None, finalize=False)
    with db.transaction() as s:
        parent_id = s.get(Unit, unit_id).parent_id
        set_capaian(s, SYSTEM, parent_id, 2026, "Istimewa")  # the Bidang's organisation is the Induk
    r = recap(db, unit_id)
    assert r.unit_id == r.capaian_unit_id == parent_id and r.capaian.value == "Istimewa"
    assert (r.final, r.drafts, r.rated, r.headcount) == (0, 3, 3, 4)
    assert r.draft_counts[Predikat.SANGAT_BAIK] == 2 and sum(r.counts.values()) == 0
    assert r.report.total == 0  # documents count only final evaluations
    assert r.projected.total == 3 and r.projected.ok  # 2 of 3 Sangat Baik: a majority, under 70 %
    assert recap(db, parent_id).headcount == 4


def test_a_bidang_is_counted_with_its_dinas_and_the_head_is_not_counted(db, office, perf):
    """The issue's case: the capaian is the Dinas's, so the Dinas's staff are counted, the head left out."""
    with db.transaction() as s:
        set_capaian(s, SYSTEM, office.dinas, 2026, "Baik")
        from kinerja_desktop.store.models import Rhk, Skp

        for emp, actor in (
            (office.kadis, SYSTEM),
            (office.kabid, office.kadis_p),
            (office.staf1, office.kabid_p),
            (office.staf2, office.kabid_p),
        ):
            boss = {office.kabid: office.kadis, office.staf1: office.kabid, office.staf2: office.kabid}.get(emp)
            parent_rhk = (
                s.scalar(select(Rhk.id).join(Skp, Skp.id == Rhk.skp_id).where(Skp.employee_id == boss).limit(1))
                if boss
                else None
            )
            perf.agreed_skp(
                s, actor, emp, ikis=1, perspektif="Anggaran" if emp == office.kadis else None, parent_rhk_id=parent_rhk
            )
            ev = ev_svc.start_evaluation(s, actor, emp, perf.period_id(s))
            hasil, perilaku = RATINGS[BP if emp == office.staf2 else B]
            if emp == office.kadis:
                hasil = None  # the head's rating hasil kerja is the capaian
            ev = ev_svc.save_evaluation(
                s,
                actor,
                ev.id,
                ev_svc.EvaluationForm(hasil, perilaku, perf.fill_realisasi(s, ev.id)),
                expected_hlc=ev.updated_hlc,
            )
            ev_svc.finalize_evaluation(
                s, actor if actor is not SYSTEM else SYSTEM, ev.id, expected_hlc=ev.updated_hlc, today=date(2027, 1, 5)
            )
    with db.session() as s:
        r = unit_recap(s, SYSTEM, office.bidang, 2026)
        assert r.unit_id == office.dinas and r.head_names == ("Kepala Dinas",)
        assert r.headcount == 3  # kabid, staf1, staf2: the kadis is not counted
        assert r.counts[Predikat.BAIK] == 2 and r.counts[Predikat.BUTUH_PERBAIKAN] == 1
        assert r.report.ok  # 66.7 % Baik and one Butuh Perbaikan
        assert unit_recap(s, SYSTEM, office.dinas, 2026).counts == r.counts


def test_a_sub_unit_with_its_own_capaian_is_its_own_organisation(db, office, perf):
    with db.transaction() as s:
        pos = Position(name="Kepala Puskesmas Contoh", kind="pengawas", is_unit_head=True)
        staff = Position(name="Perawat Terampil", kind="fungsional")
        pkm = Unit(code="PKM-X", name="Puskesmas Contoh", kind="puskesmas", parent_id=office.dinas)
        s.add_all([pos, staff, pkm])
        s.flush()
        kapus = perf.add_employee(s, "Kepala Puskesmas", pkm.id, pos.id, office.kadis)
        perf.add_employee(s, "Perawat Satu", pkm.id, staff.id, kapus)
        set_capaian(s, SYSTEM, office.dinas, 2026, "Baik")
        set_capaian(s, SYSTEM, pkm.id, 2026, "Istimewa")
        pkm_id = pkm.id
    with db.session() as s:
        assert unit_recap(s, SYSTEM, pkm_id, 2026).headcount == 1  # the perawat; the kapus counts in the Dinas
        assert unit_recap(s, SYSTEM, office.dinas, 2026).headcount == 4  # kabid, staf1, staf2, kapus


def test_periodic_recap_and_all_organisations(db, office, perf):
    unit_id = make_unit(db, perf, {B: 1}, "Baik")
    with db.session() as s:
        q1 = unit_recap(s, SYSTEM, unit_id, 2026, period_id=perf.period_id(s, "triwulan", 1))
        assert q1.rated == 0 and q1.report is None and q1.period_label == "Triwulan I 2026"  # capaian is per period
        names = [r.unit_name for r in all_recaps(s, SYSTEM, 2026)]
        assert "Dinas Contoh" in names and "Bidang Satu" not in names  # one recap per organisation
        assert len(names) == len(set(names))


def test_who_sees_a_recap(db, office, perf, setda):
    with db.session() as s:
        assert unit_recap(s, office.kadis_p, office.bidang, 2026).headcount == 3
        with pytest.raises(PermissionDenied, match="kepala organisasi itu"):
            unit_recap(s, office.kadis_p, office.other_unit, 2026)
        with pytest.raises(PermissionDenied):  # the Kabid heads no organisation
            unit_recap(s, office.kabid_p, office.bidang, 2026)
        assert all_recaps(s, office.kabid_p, 2026) == []
        assert office.dinas in {r.unit_id for r in all_recaps(s, setda.sekda_p, 2026)}  # a perangkat daerah
