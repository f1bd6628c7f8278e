"""The demo's performance data: made on the demo roster, usable by every service."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja_desktop.services.access.principal import PEJABAT_PENILAI, SYSTEM, Principal
from kinerja_desktop.services.demo.district import build_demo
from kinerja_desktop.services.demo.performance import add_performance_demo
from kinerja_desktop.services.performance import evaluations as ev_svc
from kinerja_desktop.services.performance.dashboard import dashboard
from kinerja_desktop.services.performance.distribution_recap import all_recaps
from kinerja_desktop.services.performance.evaluation_grid import evaluation_grid
from kinerja_desktop.services.progress import run
from kinerja_desktop.store.models import Employee, Evaluation, Rhk, Skp, Unit, UnitCapaian

TODAY = date(2026, 11, 28)


@pytest.fixture
def demo(db):
    """The demo district of 2026 with its performance data (build_demo adds it; a second call is a no-op)."""
    run(build_demo(db, employees=150, year=2026))
    with db.transaction() as s:
        add_performance_demo(s, random.Random(3), 2026, today=TODAY)
        again = add_performance_demo(s, random.Random(4), 2026, today=TODAY)
    assert again.skp == again.evaluations == 0


def test_the_demo_is_reproducible_and_complete_mode_fills_everything(db):
    from kinerja_desktop.services.demo.performance import PerformanceDemoSummary
    from kinerja_desktop.store.models import Position
    from kinerja_desktop.store.models import Unit as UnitModel

    with db.transaction() as s:
        unit = UnitModel(code="U", name="Unit", kind="opd")
        pos = Position(name="Pelaksana", kind="pelaksana")
        s.add_all([unit, pos])
        s.flush()
        from kinerja_desktop.domain.nip import make_pns_nip

        boss = Employee(
            nip=make_pns_nip(date(1980, 1, 1), date(2005, 1, 1), "L", 1),
            name="Atasan",
            gender="L",
            unit_id=unit.id,
            position_id=pos.id,
        )
        s.add(boss)
        s.flush()
        for i in range(2, 7):
            s.add(
                Employee(
                    nip=make_pns_nip(date(1990, 1, i), date(2015, 1, 1), "P", i),
                    name=f"Staf {i}",
                    gender="P",
                    unit_id=unit.id,
                    position_id=pos.id,
                    supervisor_id=boss.id,
                )
            )
        s.flush()
        summary = add_performance_demo(s, random.Random(9), 2026, complete=True)
    assert isinstance(summary, PerformanceDemoSummary)
    assert (summary.skp, summary.evaluations, summary.final) == (6, 30, 30)  # 6 people x (4 triwulan + Akhir)
    with db.session() as s:
        assert s.scalar(select(func.count()).where(Evaluation.status == "draft")) == 0


def test_demo_covers_the_nine_cells_statuses_revisions_and_capaian(db, demo):
    from kinerja_desktop.store.models import DevelopmentPlanItem

    with db.session() as s:
        cells = set(
            s.execute(
                select(Evaluation.rating_hasil_kerja, Evaluation.rating_perilaku_kerja).where(
                    Evaluation.status == "final"
                )
            ).all()
        )
        assert len(cells) == 9
        for hasil, perilaku, pred in s.execute(
            select(Evaluation.rating_hasil_kerja, Evaluation.rating_perilaku_kerja, Evaluation.predikat)
        ):
            assert pred == (ev_svc.live_predikat(hasil, perilaku).value if hasil and perilaku else None)
        assert s.scalar(select(func.count()).where(Evaluation.revision_no == 1)) >= 1
        skp_status = dict(s.execute(select(Skp.status, func.count()).group_by(Skp.status)).all())
        assert skp_status["draft"] and skp_status["agreed"]
        assert s.scalar(select(func.count()).select_from(Skp)) < s.scalar(select(func.count()).select_from(Employee))
        with_capaian = set(s.scalars(select(UnitCapaian.unit_id)))
        assert with_capaian == set(
            s.scalars(
                select(Unit.id).where(
                    Unit.kind != "bidang", ~(Unit.parent_id.is_(None) & Unit.name.like("Pemerintah %"))
                )
            )
        )
        # cascading: every non-JPT utama RHK of someone whose supervisor has an SKP names one of its RHK
        linked = s.scalar(select(func.count()).select_from(Rhk).where(Rhk.parent_rhk_id.is_not(None)))
        assert linked > 0
        recaps = all_recaps(s, SYSTEM, 2026)
        assert any(r.report is not None and r.rated for r in recaps)
        assert s.scalar(select(func.count()).select_from(DevelopmentPlanItem)) > 0


def test_demo_data_is_usable_by_the_pages_and_the_editor(db, demo):
    with db.transaction() as s:
        grid = evaluation_grid(s, SYSTEM, 2026, today=TODAY)
        statuses = {c.status for r in grid.rows for c in r.cells.values()}
        assert statuses == {"belum", "draf", "final"}
        assert any(c.overdue for r in grid.rows for c in r.cells.values())
        d = dashboard(s, SYSTEM, 2026, today=TODAY)
        assert d.employees == len(grid.rows) and sum(d.predikat_latest.values()) > 0
        # a supervisor of the demo finishes one of the drafts through the service
        draft = s.scalar(
            select(Evaluation)
            .join(Employee, Employee.id == Evaluation.employee_id)
            .where(
                Evaluation.status == "draft",
                Evaluation.rating_perilaku_kerja.is_not(None),
                Evaluation.kind == "periodik",
                Employee.supervisor_id.is_not(None),
            )
            .limit(1)
        )
        boss = Principal("atasan", PEJABAT_PENILAI, s.get(Employee, draft.employee_id).supervisor_id)
        view = ev_svc.evaluation_view(s, boss, draft.id)
        assert view.editable and view.can_finalize and view.missing == []
        ev_svc.finalize_evaluation(s, boss, draft.id, expected_hlc=draft.updated_hlc, today=TODAY)
        final = s.scalar(select(Evaluation).where(Evaluation.status == "final", Evaluation.revision_no == 0).limit(1))
        assert ev_svc.evaluation_view(s, SYSTEM, final.id).identities["pegawai"]["nip"]


def test_the_demo_follows_the_regulation(db, demo):
    from kinerja_desktop.services.performance.angka_kredit import functional_employees
    from kinerja_desktop.services.performance.capaian import authority
    from kinerja_desktop.store.models import AngkaKreditAwal, KepalaDaerah, Period

    with db.session() as s:
        # capaian for every period that has begun and Akhir, never decided by the unit's own head
        periods = {p.id: p for p in s.scalars(select(Period).where(Period.year == 2026))}
        rows = s.scalars(select(UnitCapaian)).all()
        assert {r.period_id for r in rows} == {p.id for p in periods.values() if p.start <= TODAY or p.is_annual}
        for row in rows[:80]:
            auth = authority(s, row.unit_id)
            assert row.decider_employee_id not in {h.id for h in auth.unit_heads}
            assert row.decider_employee_id or row.decider_kepala_daerah_id
            assert row.basis == ("perjanjian_kinerja" if periods[row.period_id].is_annual else "rencana_aksi")
        assert s.scalar(select(func.count()).select_from(KepalaDaerah)) == 1
        # the head-of-unit rule in periodic evaluations too
        assert (
            s.scalar(select(func.count()).where(Evaluation.hasil_from_capaian.is_(True), Evaluation.kind == "periodik"))
            > 0
        )
        # one mutasi: two SKP, the second from 1 July under another pejabat penilai
        second = s.scalar(select(Skp).where(Skp.previous_skp_id.is_not(None)))
        first = s.get(Skp, second.previous_skp_id)
        assert (first.end, second.start) == (date(2026, 6, 30), date(2026, 7, 1))
        assert first.evaluator_id != second.evaluator_id and first.unit_id != second.unit_id
        mover = s.get(Employee, second.employee_id)
        assert (mover.unit_id, mover.supervisor_id) == (second.unit_id, second.evaluator_id)
        q3 = next(p for p in periods.values() if p.kind == "triwulan" and p.number == 3)
        ev = ev_svc.current_evaluation(s, mover.id, q3.id)
        assert ev is None or ev.skp_id == second.id
        # the AK awal of the jabatan fungsional PNS, and their conversions
        assert s.scalar(select(func.count()).select_from(AngkaKreditAwal)) > 0
        summaries = functional_employees(s, SYSTEM)
        assert summaries and any(a.lines for a in summaries)


def test_the_demo_names_the_bupati_as_atasan_of_those_the_sekda_evaluates(db, demo):
    from kinerja_desktop.store.models import Position

    with db.session() as s:
        sekda = s.scalar(
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .where(Position.reports_to_kepala_daerah.is_(True))
        )
        finals = s.scalars(
            select(Evaluation).where(Evaluation.evaluator_id == sekda.id, Evaluation.status == "final")
        ).all()
        assert finals
        assert all(e.identities["atasan_pejabat_penilai"]["status"] == "KDH" for e in finals)
        own = s.scalars(
            select(Evaluation).where(Evaluation.employee_id == sekda.id, Evaluation.status == "final")
        ).all()
        assert all(e.identities["pejabat_penilai"]["jabatan"] == "Bupati Batanghari" for e in own)
