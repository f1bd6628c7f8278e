"""SKP per assignment: a mutasi within the year gives a second SKP; each is evaluated by its own
pejabat penilai; the annual evaluation is made on the SKP in force at the year's end and shows
the earlier assignment's results."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from kinerja_desktop.errors import PermissionDenied, UserError
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.performance import evaluations as ev_svc
from kinerja_desktop.services.performance import skp as skp_svc
from kinerja_desktop.services.performance.evaluation_grid import evaluation_grid
from kinerja_desktop.services.performance.periods import create_year
from kinerja_desktop.store.models import AuditEntry, Employee, Position, Skp

MUTASI = date(2026, 5, 15)


def _finalize(s, actor, ev_id, perf, hasil="Sesuai Ekspektasi", perilaku="Sesuai Ekspektasi"):
    ev = s.get(ev_svc.Evaluation, ev_id)
    ev = ev_svc.save_evaluation(
        s,
        actor,
        ev.id,
        ev_svc.EvaluationForm(hasil, perilaku, perf.fill_realisasi(s, ev.id)),
        expected_hlc=ev.updated_hlc,
    )
    return ev_svc.finalize_evaluation(s, actor, ev.id, expected_hlc=ev.updated_hlc, today=date(2026, 7, 3))


def _move(s, office, employee_id):
    """The roster after the mutasi: another unit, another position, another supervisor."""
    pos = Position(name="Pengadministrasi Kecamatan", kind="pelaksana")
    s.add(pos)
    s.flush()
    emp = s.get(Employee, employee_id)
    emp.unit_id, emp.position_id, emp.supervisor_id = office.other_unit, pos.id, office.outsider
    s.flush()
    return pos.id


@pytest.fixture
def moved(db, office, perf):
    """staf1: SKP 1 under the Kabid (TW I final), mutasi on 15 May to the Kecamatan, SKP 2 under the Camat."""
    with db.transaction() as s:
        first = perf.agreed_skp(s, office.kabid_p, office.staf1)
        tw1 = ev_svc.start_evaluation(s, office.kabid_p, office.staf1, perf.period_id(s, "triwulan", 1))
        _finalize(s, office.kabid_p, tw1.id, perf)
        _move(s, office, office.staf1)
        second = skp_svc.start_new_assignment(
            s, office.outsider_p, office.staf1, 2026, MUTASI, note="Mutasi ke Kecamatan Lain"
        )
        content = skp_svc.SkpContent(
            rhks=[
                skp_svc.RhkInput(
                    "Layanan administrasi kecamatan", ikis=[skp_svc.IkiInput("Dokumen terlayani", "100 dokumen")]
                )
            ]
        )
        second = skp_svc.save_skp(s, office.outsider_p, second.id, content, expected_hlc=second.updated_hlc)
        skp_svc.agree_skp(s, office.outsider_p, second.id, MUTASI, expected_hlc=second.updated_hlc)
        return first, second.id


def test_a_mutasi_gives_a_second_skp_and_ends_the_first(db, office, moved):
    first, second = moved
    with db.session() as s:
        skps = skp_svc.skps_for_year(s, office.staf1, 2026)
        assert [x.id for x in skps] == [first, second]
        a, b = skps
        assert (a.start, a.end) == (date(2026, 1, 1), date(2026, 5, 14))
        assert (b.start, b.end, b.previous_skp_id) == (MUTASI, date(2026, 12, 31), first)
        assert (a.unit_id, b.unit_id) == (office.bidang, office.other_unit)
        assert (a.evaluator_id, b.evaluator_id) == (office.kabid, office.outsider)
        assert b.assignment_note == "Mutasi ke Kecamatan Lain"
        assert skp_svc.skp_in_force(s, office.staf1, date(2026, 5, 14)).id == first
        assert skp_svc.skp_for(s, office.staf1, 2026).id == second
        actions = [e.action for e in s.scalars(select(AuditEntry).where(AuditEntry.table_name == "skp"))]
        assert "end_assignment" in actions


def test_no_second_skp_without_a_change_of_position_or_unit(db, office, perf):
    with db.transaction() as s:
        perf.agreed_skp(s, office.kabid_p, office.staf2)
        with pytest.raises(UserError, match="masih sama dengan SKP yang berlaku"):
            skp_svc.start_new_assignment(s, office.kabid_p, office.staf2, 2026, MUTASI)
        with pytest.raises(UserError, match="sudah memiliki SKP tahun 2026"):
            skp_svc.create_skp(s, office.kabid_p, office.staf2, 2026)
        _move(s, office, office.staf2)
        with pytest.raises(UserError, match="harus sesudah awal SKP yang berlaku"):
            skp_svc.start_new_assignment(s, office.outsider_p, office.staf2, 2026, date(2026, 1, 1))


def test_a_tmt_before_an_evaluated_period_is_refused(db, office, perf):
    with db.transaction() as s:
        perf.agreed_skp(s, office.kabid_p, office.staf2)
        ev_svc.start_evaluation(s, office.kabid_p, office.staf2, perf.period_id(s, "triwulan", 2))
        _move(s, office, office.staf2)
        with pytest.raises(UserError, match="sudah dievaluasi untuk periode Triwulan II 2026"):
            skp_svc.start_new_assignment(s, office.outsider_p, office.staf2, 2026, date(2026, 3, 1))


def test_each_assignment_is_evaluated_by_its_own_pejabat_penilai(db, office, perf, moved):
    first, second = moved
    with db.transaction() as s:
        tw2 = perf.period_id(s, "triwulan", 2)
        main, ended = ev_svc.skp_for_period(s, office.staf1, s.get(ev_svc.Period, tw2))
        assert main.id == second and [x.id for x in ended] == [first]
        assert ev_svc.closing_period(s, s.get(Skp, first)).id == tw2
        # the old pejabat penilai closes the first assignment; the new one evaluates the period
        with pytest.raises(PermissionDenied):
            ev_svc.start_evaluation(s, office.outsider_p, office.staf1, tw2, skp_id=first)
        closing = ev_svc.start_evaluation(s, office.kabid_p, office.staf1, tw2, skp_id=first)
        assert closing.kind == "penugasan" and closing.evaluator_id == office.kabid
        closing = _finalize(s, office.kabid_p, closing.id, perf, "Di Atas Ekspektasi", "Di Atas Ekspektasi")
        ids = closing.identities
        assert ids["pegawai"]["unit_kerja"] == "Bidang Satu" and ids["pegawai"]["jabatan"] == "Analis Kebijakan"
        assert ids["pejabat_penilai"]["nama"] == "Kepala Bidang"
        with pytest.raises(PermissionDenied):
            ev_svc.start_evaluation(s, office.kabid_p, office.staf1, tw2)
        main_ev = ev_svc.start_evaluation(s, office.outsider_p, office.staf1, tw2)
        assert main_ev.skp_id == second and main_ev.kind == "periodik"
        assert ev_svc.current_evaluation(s, office.staf1, tw2).id == main_ev.id
        assert ev_svc.assignment_evaluation(s, first, tw2).id == closing.id
        with pytest.raises(UserError, match="tidak berakhir di dalam periode Triwulan III"):
            ev_svc.start_evaluation(s, office.kabid_p, office.staf1, perf.period_id(s, "triwulan", 3), skp_id=first)
        # the grid's cell is the period's evaluation, never the closing one
        grid = evaluation_grid(s, SYSTEM, 2026)
        row = next(r for r in grid.rows if r.employee_id == office.staf1)
        assert row.cells[tw2].evaluation_id == main_ev.id


def test_the_old_pejabat_penilai_sees_what_the_assignment_still_owes(db, office, perf, moved):
    first, _second = moved
    with db.session() as s:
        items = ev_svc.assignments_to_close(s, office.kabid_p, 2026)
        assert [(i.period.number, i.closing, i.evaluation is not None) for i in items] == [
            (1, False, True),
            (2, True, False),
        ]
        assert ev_svc.assignments_to_close(s, office.outsider_p, 2026) == []
        view = ev_svc.evaluation_view(s, office.kabid_p, items[0].evaluation.id)  # still readable for him
        assert view.evaluation.skp_id == first and not view.editable


def test_the_annual_evaluation_is_on_the_last_skp_and_shows_the_earlier_assignment(db, office, perf, moved):
    first, second = moved
    with db.transaction() as s:
        closing = ev_svc.start_evaluation(
            s, office.kabid_p, office.staf1, perf.period_id(s, "triwulan", 2), skp_id=first
        )
        _finalize(s, office.kabid_p, closing.id, perf, "Di Atas Ekspektasi", "Di Atas Ekspektasi")
        annual = ev_svc.start_evaluation(s, office.outsider_p, office.staf1, perf.period_id(s))
        assert annual.skp_id == second and annual.kind == "tahunan"
        view = ev_svc.evaluation_view(s, office.outsider_p, annual.id)
        assert len(view.earlier) == 1
        earlier = view.earlier[0]
        assert (earlier.start, earlier.end, earlier.unit, earlier.penilai) == (
            date(2026, 1, 1),
            date(2026, 5, 14),
            "Bidang Satu",
            "Kepala Bidang",
        )
        assert earlier.results == (
            ("Triwulan I 2026", "Baik", "final"),
            ("Triwulan II 2026 (akhir penugasan)", "Sangat Baik", "final"),
        )


def test_without_periodic_periods_the_closing_evaluation_is_in_akhir(db, office, perf):
    with db.transaction() as s:
        create_year(s, SYSTEM, 2027, None)
        first = perf.agreed_skp(s, office.kabid_p, office.staf2, year=2027)
        _move(s, office, office.staf2)
        second = skp_svc.start_new_assignment(s, office.outsider_p, office.staf2, 2027, date(2027, 7, 1))
        akhir = perf.period_id(s, year=2027)
        assert ev_svc.closing_period(s, s.get(Skp, first)).id == akhir
        closing = ev_svc.start_evaluation(s, office.kabid_p, office.staf2, akhir, skp_id=first)
        assert closing.kind == "penugasan"
        assert ev_svc.skp_for_period(s, office.staf2, s.get(ev_svc.Period, akhir))[0].id == second.id


def test_evaluations_running_at_the_tmt_become_the_closing_one_or_are_withdrawn(db, office, perf):
    with db.transaction() as s:
        perf.agreed_skp(s, office.kabid_p, office.staf2)
        tw1 = ev_svc.start_evaluation(s, office.kabid_p, office.staf2, perf.period_id(s, "triwulan", 1))
        tw2 = ev_svc.start_evaluation(s, office.kabid_p, office.staf2, perf.period_id(s, "triwulan", 2))
        akhir = ev_svc.start_evaluation(s, office.kabid_p, office.staf2, perf.period_id(s))
        _move(s, office, office.staf2)
        skp_svc.start_new_assignment(s, office.outsider_p, office.staf2, 2026, MUTASI)
        assert (tw1.kind, tw2.kind, akhir.deleted) == ("periodik", "penugasan", True)
        assert ev_svc.assignment_evaluation(s, tw2.skp_id, tw2.period_id).id == tw2.id
        assert ev_svc.current_evaluation(s, office.staf2, tw2.period_id) is None  # the new SKP's is still to make
