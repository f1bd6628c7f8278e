"""The demo's year of competency development (``build_demo`` runs ``add_training_demo``)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, select

from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.demo.district import build_demo
from kinerja_desktop.services.demo.training import add_training_demo
from kinerja_desktop.services.progress import run
from kinerja_desktop.services.training import jp_compliance as jc
from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.models import DevelopmentPlanItem
from kinerja_desktop.store.training import (
    CompetencyAssessment,
    CompetencyRequirement,
    TrainingActivity,
    TrainingRecord,
)

YEAR = 2025  # a year that is over: the demo fills all of it


def check_year(s, year: int, today: date) -> None:
    rows = jc.compliance_rows(s, SYSTEM, year)
    pns = [r for r in rows if r.applies]
    below = [r for r in pns if not r.meets]
    assert 0.1 * len(pns) < len(below) < 0.5 * len(pns)  # some below 20 JP, most not
    assert any(r.klasikal for r in rows) and any(r.nonklasikal for r in rows)
    first, last = s.execute(select(func.min(TrainingActivity.start_date), func.max(TrainingActivity.end_date))).one()
    assert date(year, 1, 1) <= first and last <= min(date(year, 12, 31), today)
    biggest = s.scalar(
        select(func.count())
        .select_from(TrainingRecord)
        .group_by(TrainingRecord.activity_id)
        .order_by(func.count().desc())
        .limit(1)
    )
    assert biggest > 10  # group entries
    assert s.scalar(select(func.count()).select_from(CompetencyRequirement)) > 0
    assert set(s.scalars(select(CompetencyAssessment.kind))) == {"asesmen", "bimbingan_kinerja"}
    items = list(s.scalars(select(DevelopmentPlanItem).where(DevelopmentPlanItem.source == "kompetensi")))
    done = [i for i in items if i.status == "selesai"]
    assert items and done and len(done) < len(items)
    for item in done[:25]:  # fulfilled by a later training of a suggested type, of the same person
        rec = s.get(TrainingRecord, item.fulfilled_by_training_id)
        act = s.get(TrainingActivity, rec.activity_id)
        rating = s.get(CompetencyAssessment, item.source_id)
        assert rec.employee_id == item.employee_id
        assert act.activity_code in item.suggested_activity_codes and act.start_date >= rating.assessed_on
    for item in [i for i in items if i.status == "terbuka"][:25]:  # and open ones have no such training
        rating = s.get(CompetencyAssessment, item.source_id)
        later = s.scalar(
            select(func.count())
            .select_from(TrainingRecord)
            .join(TrainingActivity, TrainingActivity.id == TrainingRecord.activity_id)
            .where(
                TrainingRecord.employee_id == item.employee_id,
                TrainingActivity.activity_code.in_(item.suggested_activity_codes),
                TrainingActivity.start_date >= rating.assessed_on,
            )
        )
        assert later == 0
    from kinerja_desktop.store.models import Evaluation

    evaluated = list(
        s.scalars(
            select(DevelopmentPlanItem).where(
                DevelopmentPlanItem.source == "evaluasi", DevelopmentPlanItem.status == "selesai"
            )
        )
    )
    assert evaluated  # items of evaluations below Baik fulfilled by training after the evaluation
    for item in evaluated[:25]:
        act = s.get(TrainingActivity, s.get(TrainingRecord, item.fulfilled_by_training_id).activity_id)
        assert act.activity_code in item.suggested_activity_codes
        assert act.start_date >= s.get(Evaluation, item.source_id).finalized_on
    records = s.scalar(select(func.count()).select_from(TrainingRecord))
    logged = s.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.table_name == "training_records"))
    assert logged == records  # every row written is in the change log


def test_the_demo_district_has_a_year_of_training(db):
    run(build_demo(db, employees=300, seed=1504, year=YEAR))
    with db.session() as s:
        check_year(s, YEAR, date.today())


def test_add_training_demo_on_a_running_year_stops_before_today(db):
    """Called on its own (as build_demo does), for a year still running."""
    run(build_demo(db, employees=200, seed=7, year=YEAR))
    today = date(2026, 6, 15)
    with db.transaction() as s:
        summary = add_training_demo(s, random.Random(3), 2026, today=today)
    with db.session() as s:
        last = s.scalar(
            select(func.max(TrainingActivity.end_date)).where(TrainingActivity.end_date >= date(2026, 1, 1))
        )
        assert last < today
        rows = jc.compliance_rows(s, SYSTEM, 2026)
        assert summary.pns_below_20 == sum(1 for r in rows if r.applies and not r.meets)
        assert summary.records == s.scalar(
            select(func.count())
            .select_from(TrainingRecord)
            .join(TrainingActivity, TrainingActivity.id == TrainingRecord.activity_id)
            .where(TrainingActivity.end_date >= date(2026, 1, 1))
        )
    assert today - timedelta(days=1) >= last


def test_the_demo_is_repeatable(tmp_path, data_home):
    from kinerja_desktop.store.database import open_database

    out = []
    for n in (1, 2):
        db = open_database(tmp_path / f"d{n}.sqlite3")
        try:
            run(build_demo(db, employees=120, seed=7, year=YEAR))
            with db.session() as s:
                out.append(sorted((r.nip, r.total, r.klasikal) for r in jc.compliance_rows(s, SYSTEM, YEAR)))
        finally:
            db.close()
    assert out[0] == out[1] and any(total for _nip, total, _k in out[0])
