"""Development-plan items from competency gaps, and their fulfilment by training records.

Extends ``services.development_plan`` (which creates the items of evaluations below
Baik and owns the item model):

- an editable mapping competency -> suggested activity types (seeded with sensible
  defaults, e.g. M.3 Komunikasi -> KL07 Workshop, NKL01 Coaching);
- :func:`sync_gap_items`: for each competency whose newest rating is below the level
  the employee's position requires, one open item (source ``kompetensi``) naming the
  gap and the suggested types, due :data:`TARGET_AFTER` after the rating; an open item
  whose gap a newer rating closed is marked done;
- :func:`fulfil_by_records`: an open item (of any source) is done when a training
  record of the same employee, of one of the suggested types, starts on or after the
  day the item was created (:func:`item_created_on`). Training saved before the item
  existed counts too, so the order of entry does not matter.

The item model has no creation date of its own; :func:`item_created_on` takes the date
of what created it: the rating behind a ``kompetensi`` item, the finalization of the
evaluation behind an ``evaluasi`` item, else the hybrid-clock time of the item's last
save (never earlier than the truth).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.permissions import employee_scope, require_employee_access, require_role
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, Principal
from kinerja_desktop.services.audit.chain import record, snapshot
from kinerja_desktop.services.roster.org_tree import units_below
from kinerja_desktop.services.training.catalog import list_types, resolve_type
from kinerja_desktop.services.training.competency_levels import (
    latest_levels,
    list_competencies,
    position_requirements,
    resolve_competency,
)
from kinerja_desktop.services.training.development_plan import PLAN_FIELDS, TARGET_AFTER, add_item, mark_done
from kinerja_desktop.store.development import DevelopmentPlanItem
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.store.hlc import Timestamp
from kinerja_desktop.store.training import (
    CompetencyAssessment,
    CompetencySuggestion,
    TrainingActivity,
    TrainingRecord,
    natural_id,
)

#: Suggested activity types per competency (Peraturan LAN 10/2018 codes).
DEFAULT_SUGGESTIONS: dict[str, list[str]] = {
    "M.1": ["KL02", "NKL02"],  # Integritas: pelatihan manajerial, mentoring
    "M.2": ["NKL06", "NKL10"],  # Kerja Sama: outbound, komunitas belajar
    "M.3": ["KL07", "NKL01"],  # Komunikasi: workshop, coaching
    "M.4": ["NKL01", "NKL11"],  # Orientasi pada Hasil: coaching, bimbingan di tempat kerja
    "M.5": ["KL03", "NKL07"],  # Pelayanan Publik: pelatihan teknis, patok banding
    "M.6": ["NKL02", "NKL03"],  # Pengembangan Diri dan Orang Lain: mentoring, e-learning
    "M.7": ["KL02", "NKL07"],  # Mengelola Perubahan: pelatihan manajerial, patok banding
    "M.8": ["KL01", "NKL01"],  # Pengambilan Keputusan: pelatihan kepemimpinan, coaching
    "SK.1": ["KL05", "NKL10"],  # Perekat Bangsa: pelatihan sosial kultural, komunitas belajar
}
#: For a kompetensi teknis without a mapping of its own.
TECHNICAL_DEFAULT = ["KL03", "KL10", "NKL11"]


def suggestion_id(code: str) -> str:
    return natural_id("competency_suggestion", code)


# --- the mapping -------------------------------------------------------------------------


def _stored(session: Session) -> dict[str, list[str]]:
    return {
        s.competency_code: list(s.activity_codes or [])
        for s in session.scalars(select(CompetencySuggestion).where(CompetencySuggestion.deleted.is_(False)))
    }


def suggestions_for(session: Session, code: str, *, stored: dict[str, list[str]] | None = None) -> list[str]:
    """The activity codes suggested for a gap in ``code``."""
    stored = _stored(session) if stored is None else stored
    if code in stored:
        return stored[code]
    return list(DEFAULT_SUGGESTIONS.get(code, TECHNICAL_DEFAULT))


def suggestion_table(session: Session) -> list[tuple[str, str, list[str]]]:
    """(competency code, its name, suggested codes) for every competency."""

    stored = _stored(session)
    return [(c.code, c.name, suggestions_for(session, c.code, stored=stored)) for c in list_competencies(session)]


def set_suggestions(session: Session, actor: Principal, code: str, activity_codes: Sequence[str]) -> list[str]:
    """Change the suggested activity types of one competency (admin kepegawaian)."""

    require_role(actor, ADMIN_KEPEGAWAIAN)
    info = resolve_competency(session, code)
    codes = list(dict.fromkeys(resolve_type(session, c).code for c in activity_codes if str(c).strip()))
    if not codes:
        raise UserError(
            _("Pilih paling sedikit satu jenis kegiatan untuk kompetensi {competency}.").format(competency=info.label)
        )
    row = session.get(CompetencySuggestion, suggestion_id(info.code))
    before = None
    if row is None:
        row = CompetencySuggestion(id=suggestion_id(info.code), competency_code=info.code)
        session.add(row)
    else:
        before = {"competency_code": row.competency_code, "activity_codes": list(row.activity_codes or [])}
    row.activity_codes, row.deleted = codes, False
    session.flush()
    record(
        session,
        actor,
        "update" if before else "create",
        CompetencySuggestion.__tablename__,
        row.id,
        before,
        {"competency_code": info.code, "activity_codes": codes},
    )
    return codes


# --- when an item was created ------------------------------------------------------------


def _hlc_date(hlc: str) -> date | None:
    try:
        return datetime.fromtimestamp(Timestamp.parse(hlc).wall_ms / 1000).date()
    except (ValueError, OverflowError, OSError):
        return None


def item_created_on(session: Session, item: DevelopmentPlanItem) -> date:
    """The day the item came to be (see the module doc)."""
    if item.source_id:
        if item.source == "kompetensi":
            a = session.get(CompetencyAssessment, item.source_id)
            if a is not None:
                return a.assessed_on
        elif item.source == "evaluasi":
            ev = session.get(Evaluation, item.source_id)
            if ev is not None and ev.finalized_on:
                return ev.finalized_on
            if ev is not None and ev.finalized_at:
                return ev.finalized_at.date()
    return _hlc_date(item.updated_hlc) or date.today()


# --- items from gaps ---------------------------------------------------------------------


@dataclass(frozen=True)
class GapSync:
    created: tuple[str, ...] = ()
    closed: tuple[str, ...] = ()  # gaps closed by a newer rating
    fulfilled: tuple[str, ...] = ()  # new items already fulfilled by earlier training


def _describe(name: str, code: str, required: int, assessed: int) -> str:
    return _(
        "Kesenjangan kompetensi {name} ({code}): level {assessed}, standar jabatan level {required}. "
        "Ikuti kegiatan pengembangan yang disarankan."
    ).format(name=name, code=code, assessed=assessed, required=required)


def sync_gap_items(
    session: Session, actor: Principal, employee_ids: Iterable[str], *, today: date | None = None
) -> GapSync:
    """Bring the ``kompetensi`` items of these employees in line with their gaps."""

    today = today or date.today()
    ids = list(dict.fromkeys(employee_ids))
    if not ids:
        return GapSync()
    positions: dict[str, str | None] = {}
    for chunk in (ids[i : i + 900] for i in range(0, len(ids), 900)):
        positions.update(
            session.execute(
                select(Employee.id, Employee.position_id).where(Employee.id.in_(chunk), Employee.deleted.is_(False))
            ).all()
        )
    required = position_requirements(session, [p for p in positions.values() if p])
    latest = latest_levels(session, list(positions))
    names = {c.code: c.name for c in list_competencies(session, include_inactive=True)}
    stored = _stored(session)
    open_items: dict[tuple[str, str], DevelopmentPlanItem] = {}
    for chunk in (list(positions)[i : i + 900] for i in range(0, len(positions), 900)):
        for item in session.scalars(
            select(DevelopmentPlanItem).where(
                DevelopmentPlanItem.employee_id.in_(chunk),
                DevelopmentPlanItem.source == "kompetensi",
                DevelopmentPlanItem.status == "terbuka",
                DevelopmentPlanItem.deleted.is_(False),
            )
        ):
            if item.competency_code:
                open_items.setdefault((item.employee_id, item.competency_code), item)
    created: list[str] = []
    closed: list[str] = []
    for emp_id, pos_id in positions.items():
        req = required.get(pos_id, {}) if pos_id else {}
        for code, level in req.items():
            got = latest.get((emp_id, code))
            planned = open_items.pop((emp_id, code), None)
            if got is None:
                continue
            if got.level >= level:
                if planned is not None:
                    mark_done(session, actor, planned.id, None)
                    closed.append(planned.id)
                continue
            if planned is not None:
                continue  # already planned
            new = add_item(
                session,
                actor,
                emp_id,
                "kompetensi",
                _describe(names.get(code, code), code, level, got.level),
                source_id=got.assessment_id,
                competency_code=code,
                suggested_activity_codes=suggestions_for(session, code, stored=stored),
                target_date=got.assessed_on + TARGET_AFTER,
            )
            created.append(new.id)
        # Items left over: the position no longer requires that competency; leave them to people.
    fulfilled = fulfil_items(session, actor, created)
    return GapSync(tuple(created), tuple(closed), tuple(fulfilled))


def plan_unit(session: Session, actor: Principal, unit_id: str | None = None, *, today: date | None = None) -> GapSync:
    """Sync the gap items of every active employee of a unit (and below) that ``actor`` may see."""
    q = select(Employee.id).where(Employee.deleted.is_(False), Employee.active.is_(True), employee_scope(actor))
    if unit_id:
        tree = units_below(unit_id)
        q = q.where(Employee.unit_id.in_(select(tree.c.id)))
    return sync_gap_items(session, actor, list(session.scalars(q)), today=today)


# --- fulfilment --------------------------------------------------------------------------


def _matching_record(
    session: Session, item: DevelopmentPlanItem, since: date, record_ids: Sequence[str] | None = None
) -> str | None:
    codes = list(item.suggested_activity_codes or [])
    if not codes:
        return None
    q = (
        select(TrainingRecord.id)
        .join(TrainingActivity, TrainingActivity.id == TrainingRecord.activity_id)
        .where(
            TrainingRecord.employee_id == item.employee_id,
            TrainingRecord.deleted.is_(False),
            TrainingActivity.deleted.is_(False),
            TrainingActivity.activity_code.in_(codes),
            TrainingActivity.start_date >= since,
        )
        .order_by(TrainingActivity.start_date, TrainingRecord.id)
        .limit(1)
    )
    if record_ids is not None:
        q = q.where(TrainingRecord.id.in_(record_ids))
    return session.scalar(q)


def fulfil_items(session: Session, actor: Principal, item_ids: Sequence[str]) -> list[str]:
    """Close those of these open items that an existing training record fulfils."""
    done = []
    for item_id in item_ids:
        item = session.get(DevelopmentPlanItem, item_id)
        if item is None or item.deleted or item.status != "terbuka":
            continue
        rec = _matching_record(session, item, item_created_on(session, item))
        if rec is not None:
            mark_done(session, actor, item.id, rec)
            done.append(item.id)
    return done


def fulfil_by_records(session: Session, actor: Principal, record_ids: Sequence[str]) -> list[str]:
    """Close the open items (any source) that these just-saved training records fulfil."""
    if not record_ids:
        return []
    done = []
    employees: dict[str, list[str]] = {}
    for chunk in (list(record_ids)[i : i + 900] for i in range(0, len(record_ids), 900)):
        for rid, emp in session.execute(
            select(TrainingRecord.id, TrainingRecord.employee_id).where(
                TrainingRecord.id.in_(chunk), TrainingRecord.deleted.is_(False)
            )
        ):
            employees.setdefault(emp, []).append(rid)
    emp_ids = list(employees)
    for chunk in (emp_ids[i : i + 900] for i in range(0, len(emp_ids), 900)):
        items = list(
            session.scalars(
                select(DevelopmentPlanItem).where(
                    DevelopmentPlanItem.employee_id.in_(chunk),
                    DevelopmentPlanItem.status == "terbuka",
                    DevelopmentPlanItem.deleted.is_(False),
                )
            )
        )
        for item in items:
            rec = _matching_record(session, item, item_created_on(session, item), employees[item.employee_id])
            if rec is not None:
                mark_done(session, actor, item.id, rec)
                done.append(item.id)
    return done


def reopen_for_record(session: Session, actor: Principal, record_id: str) -> list[str]:
    """Reopen the items a (now deleted) record had fulfilled, unless another record fulfils them."""
    reopened = []
    for item in session.scalars(
        select(DevelopmentPlanItem).where(
            DevelopmentPlanItem.fulfilled_by_training_id == record_id, DevelopmentPlanItem.deleted.is_(False)
        )
    ):
        other = _matching_record(session, item, item_created_on(session, item))
        before = snapshot(item, PLAN_FIELDS)
        if other is not None:
            item.fulfilled_by_training_id = other
        else:
            item.status, item.fulfilled_by_training_id = "terbuka", None
            reopened.append(item.id)
        session.flush()
        record(
            session, actor, "update", DevelopmentPlanItem.__tablename__, item.id, before, snapshot(item, PLAN_FIELDS)
        )
    return reopened


# --- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    id: str
    employee_id: str
    name: str
    nip: str
    source: str
    description: str
    competency_code: str
    suggested: tuple[tuple[str, str], ...]  # (code, name)
    target_date: date | None
    status: str
    fulfilled_by: str  # the training's title, when done by one

    @property
    def overdue(self) -> bool:
        return self.status == "terbuka" and self.target_date is not None and self.target_date < date.today()


@dataclass(frozen=True)
class PlanFilter:
    """Which development-plan items a list shows.

    ``year``: items whose target date falls in that year, plus the ones still open from
    before it (their target has passed) and open ones without a target date.
    """

    employee_id: str | None = None
    unit_id: str | None = None
    status: str | None = None  # "terbuka" | "selesai" | None for both
    source: str | None = None  # "evaluasi" | "kompetensi" | None for both
    year: int | None = None


def _plan_conditions(actor: Principal, flt: PlanFilter) -> list:
    conds = [DevelopmentPlanItem.deleted.is_(False), Employee.deleted.is_(False), employee_scope(actor)]
    if flt.employee_id:
        conds.append(DevelopmentPlanItem.employee_id == flt.employee_id)
    if flt.unit_id:
        tree = units_below(flt.unit_id)
        conds.append(Employee.unit_id.in_(select(tree.c.id)))
    if flt.status:
        conds.append(DevelopmentPlanItem.status == flt.status)
    if flt.source:
        conds.append(DevelopmentPlanItem.source == flt.source)
    if flt.year:
        first, next_first = date(flt.year, 1, 1), date(flt.year + 1, 1, 1)
        target = DevelopmentPlanItem.target_date
        carried = and_(DevelopmentPlanItem.status == "terbuka", or_(target.is_(None), target < first))
        conds.append(or_(and_(target >= first, target < next_first), carried))
    return conds


def _plan_filter(flt: PlanFilter | None, **fields) -> PlanFilter:
    return flt if flt is not None else PlanFilter(**fields)


def count_plans(session: Session, actor: Principal, flt: PlanFilter) -> int:
    """How many items :func:`plan_rows` lists for ``flt`` (all pages)."""
    if flt.employee_id:
        require_employee_access(session, actor, flt.employee_id)
    q = (
        select(func.count())
        .select_from(DevelopmentPlanItem)
        .join(Employee, Employee.id == DevelopmentPlanItem.employee_id)
        .where(*_plan_conditions(actor, flt))
    )
    return session.scalar(q) or 0


def plan_rows(
    session: Session,
    actor: Principal,
    flt: PlanFilter | None = None,
    *,
    employee_id: str | None = None,
    unit_id: str | None = None,
    status: str | None = None,
    source: str | None = None,
    year: int | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[PlanRow]:
    """Development-plan items of one employee or of a unit (and below), open ones first, then by
    target date; a page of them with ``offset``/``limit`` (every one when ``limit`` is None)."""
    flt = _plan_filter(flt, employee_id=employee_id, unit_id=unit_id, status=status, source=source, year=year)
    if flt.employee_id:
        require_employee_access(session, actor, flt.employee_id)
    q = (
        select(
            DevelopmentPlanItem,
            Employee.name,
            Employee.front_title,
            Employee.back_title,
            Employee.nip,
            TrainingActivity.title,
        )
        .join(Employee, Employee.id == DevelopmentPlanItem.employee_id)
        .outerjoin(TrainingRecord, TrainingRecord.id == DevelopmentPlanItem.fulfilled_by_training_id)
        .outerjoin(TrainingActivity, TrainingActivity.id == TrainingRecord.activity_id)
        .where(*_plan_conditions(actor, flt))
        .order_by(
            DevelopmentPlanItem.status.desc(), DevelopmentPlanItem.target_date, Employee.name, DevelopmentPlanItem.id
        )
        .offset(max(0, int(offset)))
    )
    if limit is not None:
        q = q.limit(max(0, int(limit)))
    type_names = {t.code: t.name for t in list_types(session, include_inactive=True)}
    out = []
    for item, name, front, back, nip, title in session.execute(q):
        full = f"{front} {name}".strip() if front else name
        full = f"{full}, {back}" if back else full
        out.append(
            PlanRow(
                item.id,
                item.employee_id,
                full,
                nip,
                item.source,
                item.description,
                item.competency_code or "",
                tuple((c, type_names.get(c, c)) for c in (item.suggested_activity_codes or [])),
                item.target_date,
                item.status,
                title or "",
            )
        )
    return out
