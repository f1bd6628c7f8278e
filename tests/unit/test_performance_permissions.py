"""Who may see and do what in performance management."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_desktop.domain.predikat import Predikat
from kinerja_desktop.errors import PermissionDenied
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.performance import evaluations as ev_svc
from kinerja_desktop.services.performance.dashboard import dashboard
from kinerja_desktop.services.performance.evaluation_grid import evaluation_grid
from kinerja_desktop.services.performance.periods import create_year
from kinerja_desktop.services.training.development_plan import mark_done


@pytest.fixture
def draft(db, office, perf):
    with db.transaction() as s:
        perf.agreed_skp(s, SYSTEM, office.staf1)
        ev = ev_svc.start_evaluation(s, office.kabid_p, office.staf1, perf.period_id(s))
    return ev.id


def test_evaluating_someone_outside_your_chain_is_refused(db, office, perf, draft):
    with db.transaction() as s:
        with pytest.raises(PermissionDenied, match=r"Staf Satu \(NIP \d{18}\).*tidak berada di bawah Anda"):
            ev_svc.get_evaluation(s, office.outsider_p, draft)
        with pytest.raises(PermissionDenied, match="tidak berada di bawah Anda"):
            ev_svc.save_evaluation(
                s, office.outsider_p, draft, ev_svc.EvaluationForm("di atas", "di atas"), expected_hlc=None
            )
        with pytest.raises(PermissionDenied):
            ev_svc.start_evaluation(s, office.outsider_p, office.staf2, perf.period_id(s))
        # one's own supervisor is not below one in the chain
        with pytest.raises(PermissionDenied):
            ev_svc.start_evaluation(s, office.kabid_p, office.kadis, perf.period_id(s))


def test_only_the_direct_supervisor_finalizes_and_revises(db, office, perf, draft):
    with db.transaction() as s:
        ev = s.get(ev_svc.Evaluation, draft)
        # the supervisor's supervisor may help fill the draft ...
        ev = ev_svc.save_evaluation(
            s,
            office.kadis_p,
            draft,
            ev_svc.EvaluationForm("sesuai", "sesuai", perf.fill_realisasi(s, draft)),
            expected_hlc=ev.updated_hlc,
        )
        # ... but only the pejabat penilai finalizes
        with pytest.raises(PermissionDenied, match="Hanya pejabat penilai langsung Staf Satu"):
            ev_svc.finalize_evaluation(s, office.kadis_p, draft, expected_hlc=ev.updated_hlc)
        ev_svc.finalize_evaluation(s, office.kabid_p, draft, expected_hlc=ev.updated_hlc, today=date(2027, 1, 2))
        with pytest.raises(PermissionDenied):
            ev_svc.revise_evaluation(s, office.kadis_p, draft, "koreksi")
        with pytest.raises(PermissionDenied):
            ev_svc.revise_evaluation(s, office.hr, draft, "koreksi")


def test_hr_sees_everything_and_writes_no_evaluation(db, office, perf, draft):
    with db.transaction() as s:
        view = ev_svc.evaluation_view(s, office.hr, draft)
        assert not view.editable and not view.can_finalize
        assert view.identities["pejabat_penilai"]["nama"] == "Kepala Bidang"
        with pytest.raises(PermissionDenied, match="hanya dapat melihatnya"):
            ev_svc.save_evaluation(s, office.hr, draft, ev_svc.EvaluationForm(), expected_hlc=None)
        with pytest.raises(PermissionDenied):
            ev_svc.finalize_evaluation(s, office.hr, draft, expected_hlc=None)
        with pytest.raises(PermissionDenied):
            ev_svc.start_evaluation(s, office.hr, office.staf2, perf.period_id(s))
        assert len(ev_svc.history(s, office.hr, office.staf1, perf.period_id(s))) == 1


def test_the_penilaian_grid_is_scoped(db, office, perf, draft):
    with db.session() as s:

        def names(actor, **kw):
            return [r.name for r in evaluation_grid(s, actor, 2026, today=date(2026, 5, 1), **kw).rows]

        assert names(office.kabid_p) == ["Staf Dua", "Staf Satu"]
        assert names(office.kadis_p) == ["Kepala Bidang"]
        assert names(office.kadis_p, direct_only=False) == ["Kepala Bidang", "Staf Dua", "Staf Satu"]
        assert names(office.hr) == ["Kepala Bidang", "Staf Dua", "Staf Satu", "Kepala Dinas", "Orang Luar"]
        assert names(office.outsider_p) == []
        assert names(office.hr, unit_id=office.bidang, search="satu") == ["Staf Satu"]
        assert dashboard(s, office.outsider_p, 2026).employees == 0
        assert dashboard(s, office.hr, 2026).employees == 5


def test_grid_cells_show_status_and_overdue(db, office, perf, draft):
    with db.session() as s:
        grid = evaluation_grid(s, office.kabid_p, 2026, today=date(2026, 4, 11))
        staf2, staf1 = grid.rows
        tw1, tw2, _tw3, _tw4, akhir = grid.periods
        assert staf1.skp_status == "agreed" and staf2.skp_status == "belum"
        assert staf1.cells[akhir.id].status == "draf" and staf1.cells[akhir.id].evaluation_id == draft
        assert not staf1.cells[akhir.id].overdue
        assert staf1.cells[tw1.id].status == "belum" and staf1.cells[tw1.id].overdue  # due 10 April
        assert not staf1.cells[tw2.id].overdue
        page = evaluation_grid(s, office.hr, 2026, offset=1, limit=2, today=date(2026, 4, 11))
        assert page.total == 5 and [r.name for r in page.rows] == ["Staf Dua", "Staf Satu"]
        assert page.rows[1].cells[akhir.id].status == "draf"


def test_the_supervisor_dashboard(db, office, perf, draft):
    with db.transaction() as s:
        perf.agreed_skp(s, SYSTEM, office.staf2)
        ev = ev_svc.start_evaluation(s, office.kabid_p, office.staf2, perf.period_id(s, "triwulan", 1))
        ev = ev_svc.save_evaluation(
            s,
            office.kabid_p,
            ev.id,
            ev_svc.EvaluationForm("di bawah", "sesuai", perf.fill_realisasi(s, ev.id)),
            expected_hlc=ev.updated_hlc,
        )
        ev_svc.finalize_evaluation(s, office.kabid_p, ev.id, expected_hlc=ev.updated_hlc, today=date(2026, 4, 2))
    with db.session() as s:
        d = dashboard(s, office.kabid_p, 2026, today=date(2026, 4, 11))
        assert (d.scope, d.employees, d.skp_counts) == ("supervisor", 2, {"belum": 0, "draft": 0, "agreed": 2})
        assert [(x.label, x.not_final, x.overdue) for x in d.overdue] == [("Triwulan I 2026", 1, True)]
        assert d.overdue_count == 1
        assert [x.label for x in d.due] == []  # Triwulan II ends 30 June: not due yet
        assert d.latest_label == "Triwulan I 2026"  # the newest period that has ended
        assert d.predikat_latest[Predikat.BUTUH_PERBAIKAN] == 1 and sum(d.predikat_latest.values()) == 1
        assert sum(d.predikat_annual.values()) == 0  # the annual draft has no ratings yet
        d = dashboard(s, office.kabid_p, 2026, today=date(2026, 6, 20))
        assert [(x.label, x.not_final) for x in d.due] == [("Triwulan II 2026", 2)]
        d = dashboard(s, office.kabid_p, 2026, today=date(2026, 2, 1))
        assert d.latest_label == "Triwulan I 2026" and d.overdue == [] and d.due == []


def test_periods_are_master_data_for_hr(db, office):
    with db.transaction() as s, pytest.raises(PermissionDenied):
        create_year(s, office.kabid_p, 2030, "semester")


def test_plan_items_are_closed_by_hr_or_the_chain(db, office, perf):
    from kinerja_desktop.services.training.development_plan import add_item

    with db.transaction() as s:
        item = add_item(s, office.kabid_p, office.staf1, "evaluasi", "Coaching penulisan laporan")
        with pytest.raises(PermissionDenied):
            mark_done(s, office.outsider_p, item.id)
        assert mark_done(s, office.hr, item.id, training_id="t-1").status == "selesai"


def test_grid_unit_filter_includes_sub_units(db, office, perf):
    with db.session() as s:
        rows = evaluation_grid(s, office.hr, 2026, unit_id=office.dinas).rows
        assert sorted(r.name for r in rows) == ["Kepala Bidang", "Kepala Dinas", "Staf Dua", "Staf Satu"]
        from kinerja_desktop.services.performance.evaluation_grid import count_grid

        assert count_grid(s, office.hr, unit_id=office.bidang, search="staf") == 2
