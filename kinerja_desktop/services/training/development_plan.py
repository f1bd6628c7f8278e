"""Rencana pengembangan: development-plan items (tindak lanjut of an evaluation).

A final evaluation whose predikat is below Baik creates an item (source "evaluasi");
the competency and training issues add items from competency gaps ("kompetensi") and
mark items fulfilled by a training record.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.predikat import Predikat
from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.performance_access import require_view, require_write
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, ADMINISTRATOR, Principal
from kinerja_desktop.services.audit.chain import record, snapshot
from kinerja_desktop.store.development import PLAN_SOURCES, DevelopmentPlanItem
from kinerja_desktop.store.evaluation import Evaluation

PLAN_FIELDS = (
    "employee_id",
    "source",
    "source_id",
    "description",
    "competency_code",
    "suggested_activity_codes",
    "target_date",
    "status",
    "fulfilled_by_training_id",
)
#: Predikat below Baik and the activities suggested for each (Peraturan LAN 10/2018 codes):
#: coaching and guidance at work first; mentoring and technical training for the lower ones.
SUGGESTIONS: dict[Predikat, list[str]] = {
    Predikat.BUTUH_PERBAIKAN: ["NKL01", "NKL11"],
    Predikat.KURANG: ["NKL01", "NKL02", "KL03"],
    Predikat.SANGAT_KURANG: ["NKL02", "NKL11", "KL03"],
}
#: A plan item is due this long after the evaluation was finalized.
TARGET_AFTER = timedelta(days=182)


def needs_plan(predikat: str | None) -> bool:
    return predikat is not None and Predikat(predikat) in SUGGESTIONS


def _chain_ids(session: Session, evaluation: Evaluation) -> list[str]:
    ids, current = [], evaluation
    while current is not None:
        ids.append(current.id)
        current = session.get(Evaluation, current.revision_of_id) if current.revision_of_id else None  # type: ignore[assignment]  # ends the walk
    return ids


def plan_for_evaluation(
    session: Session, actor: Principal, evaluation: Evaluation, period_label: str, today: date
) -> DevelopmentPlanItem | None:
    """Create, move or retract the item of a just-finalized evaluation (called by finalize)."""
    earlier = session.scalar(
        select(DevelopmentPlanItem)
        .where(
            DevelopmentPlanItem.source == "evaluasi",
            DevelopmentPlanItem.source_id.in_(_chain_ids(session, evaluation)),
            DevelopmentPlanItem.deleted.is_(False),
        )
        .limit(1)
    )
    if not needs_plan(evaluation.predikat):
        if earlier is not None and earlier.status == "terbuka":  # a revision lifted the predikat
            before = snapshot(earlier, PLAN_FIELDS)
            earlier.deleted = True
            session.flush()
            record(session, actor, "retract", DevelopmentPlanItem.__tablename__, earlier.id, before, None)
        return None
    predikat = Predikat(evaluation.predikat)
    description = _(
        "Predikat {predikat} pada periode {period}: perbaiki hasil kerja dan perilaku kerja sesuai "
        "catatan pejabat penilai."
    ).format(predikat=predikat.label, period=period_label)
    if earlier is not None:
        before = snapshot(earlier, PLAN_FIELDS)
        earlier.source_id, earlier.description = evaluation.id, description
        earlier.suggested_activity_codes = list(SUGGESTIONS[predikat])
        session.flush()
        record(
            session,
            actor,
            "update",
            DevelopmentPlanItem.__tablename__,
            earlier.id,
            before,
            snapshot(earlier, PLAN_FIELDS),
        )
        return earlier
    item = DevelopmentPlanItem(
        employee_id=evaluation.employee_id,
        source="evaluasi",
        source_id=evaluation.id,
        description=description,
        competency_code=None,
        suggested_activity_codes=list(SUGGESTIONS[predikat]),
        target_date=today + TARGET_AFTER,
        status="terbuka",
    )
    session.add(item)
    session.flush()
    record(session, actor, "create", DevelopmentPlanItem.__tablename__, item.id, None, snapshot(item, PLAN_FIELDS))
    return item


def _require_plan_write(session: Session, actor: Principal, employee_id: str) -> None:
    """HR (who records training) and the pejabat penilai chain may change plan items."""
    if actor.role in (ADMIN_KEPEGAWAIAN, ADMINISTRATOR):
        require_view(session, actor, employee_id)
    else:
        require_write(session, actor, employee_id)


def add_item(
    session: Session,
    actor: Principal,
    employee_id: str,
    source: str,
    description: str,
    *,
    source_id: str | None = None,
    competency_code: str | None = None,
    suggested_activity_codes: list[str] | None = None,
    target_date: date | None = None,
) -> DevelopmentPlanItem:
    """Add an item by hand or from another source (competency gaps)."""
    _require_plan_write(session, actor, employee_id)
    if source not in PLAN_SOURCES:
        raise UserError(_("Sumber rencana pengembangan harus evaluasi atau kompetensi."))
    if not description.strip():
        raise UserError(_("Uraian rencana pengembangan masih kosong."))
    item = DevelopmentPlanItem(
        employee_id=employee_id,
        source=source,
        source_id=source_id,
        description=description.strip(),
        competency_code=competency_code,
        suggested_activity_codes=list(suggested_activity_codes or []),
        target_date=target_date,
        status="terbuka",
    )
    session.add(item)
    session.flush()
    record(session, actor, "create", DevelopmentPlanItem.__tablename__, item.id, None, snapshot(item, PLAN_FIELDS))
    return item


def list_items(
    session: Session, actor: Principal, employee_id: str, status: str | None = None
) -> list[DevelopmentPlanItem]:
    require_view(session, actor, employee_id)
    q = select(DevelopmentPlanItem).where(
        DevelopmentPlanItem.employee_id == employee_id, DevelopmentPlanItem.deleted.is_(False)
    )
    if status:
        q = q.where(DevelopmentPlanItem.status == status)
    return list(session.scalars(q.order_by(DevelopmentPlanItem.target_date)))


def mark_done(session: Session, actor: Principal, item_id: str, training_id: str | None = None) -> DevelopmentPlanItem:
    """Close an item, optionally naming the training record that fulfilled it."""
    item = session.get(DevelopmentPlanItem, item_id)
    if item is None or item.deleted:
        raise NotFound(_("Rencana pengembangan yang diminta tidak ada."))
    _require_plan_write(session, actor, item.employee_id)
    before = snapshot(item, PLAN_FIELDS)
    item.status, item.fulfilled_by_training_id = "selesai", training_id
    session.flush()
    record(session, actor, "update", DevelopmentPlanItem.__tablename__, item.id, before, snapshot(item, PLAN_FIELDS))
    return item
