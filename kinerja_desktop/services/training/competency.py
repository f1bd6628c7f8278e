"""Competency profiles: the standard per position, assessments, and gaps (PermenPANRB 38/2017).

- Competencies: the managerial M.1-M.8 and socio-cultural SK.1 of ``domain.competency``,
  plus kompetensi teknis that the agency defines (:func:`add_technical`).
- Requirements: the level (1-5) a position requires of each competency, an editable
  table (admin kepegawaian). A position without a level for a competency has no
  standard for it: no gap is computed there.
- Assessments: the level an employee showed, with date, assessor and reason, either
  from an assessment (``asesmen``: admin kepegawaian records it) or the supervisor's
  rating after a coaching session (``bimbingan_kinerja``, format B.1.9: a pejabat
  penilai for the people below them, or admin kepegawaian on their behalf).
- Profile and gaps: the newest assessment of each competency against the position's
  level; gap = required - assessed (positive: below the standard). Per unit, a matrix
  employee x competency (the heat map), read with one query per part.

Saving an assessment or a position's requirements updates the development-plan items
of the people concerned (``services.development_competency``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.competency import MAX_LEVEL, MIN_LEVEL, competency, gap, validate_level
from kinerja_desktop.errors import NotFound, PermissionDenied, UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.permissions import (
    chain_of,
    employee_scope,
    require_employee_access,
    require_role,
)
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, SUPERVISOR_ROLES, Principal
from kinerja_desktop.services.audit.chain import Change, record, record_many, snapshot
from kinerja_desktop.services.roster.org_tree import units_below
from kinerja_desktop.services.training.competency_levels import (
    EARLIEST,
    CompetencyInfo,
    Latest,
    latest_levels,
    list_competencies,
    normalize_code,
    position_requirements,
    requirement_id,
    resolve_competency,
)
from kinerja_desktop.services.training.development_competency import sync_gap_items
from kinerja_desktop.store.employee import Employee, full_name_of
from kinerja_desktop.store.lookup import referenced
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.store.training import (
    ASSESSMENT_KINDS,
    CompetencyAssessment,
    CompetencyRequirement,
    TechnicalCompetency,
    natural_id,
)

GROUP_LABELS = {"manajerial": N_("Manajerial"), "sosial_kultural": N_("Sosial Kultural"), "teknis": N_("Teknis")}
KIND_LABELS = {"asesmen": N_("Asesmen"), "bimbingan_kinerja": N_("Bimbingan kinerja")}
_CODE = re.compile(r"^[A-Z][A-Z0-9.\-]{1,19}$")
_TECH_FIELDS = ("code", "name", "description", "active")
_REQ_FIELDS = ("position_id", "competency_code", "required_level")
_ASSESS_FIELDS = (
    "employee_id",
    "assessed_on",
    "assessor_id",
    "assessor_name",
    "competency_code",
    "level",
    "reason",
    "kind",
)


# --- the list of competencies ------------------------------------------------------------


def add_technical(session: Session, actor: Principal, code: str, name: str, description: str = "") -> CompetencyInfo:
    """Register a kompetensi teknis (admin kepegawaian)."""
    require_role(actor, ADMIN_KEPEGAWAIAN)
    key = "".join(str(code or "").split()).upper()
    if not _CODE.match(key):
        raise UserError(
            _(
                "Kode kompetensi teknis '{code}' tidak sah: 2-20 huruf besar, angka, titik atau tanda "
                "hubung, diawali huruf (misalnya T.01)."
            ).format(code=code)
        )
    try:
        competency(key)
        taken = True
    except ValueError:
        taken = False
    name = " ".join((name or "").split())
    if taken:
        raise UserError(
            _(
                "Kode {code} adalah kompetensi manajerial/sosial kultural; beri kode lain untuk kompetensi teknis."
            ).format(code=key)
        )
    if not name:
        raise UserError(_("Nama kompetensi teknis tidak boleh kosong."))
    row = session.get(TechnicalCompetency, natural_id("technical_competency", key))
    if row is not None and not row.deleted:
        raise UserError(_("Kode kompetensi {code} sudah terdaftar.").format(code=key))
    before = None
    if row is None:
        row = TechnicalCompetency(id=natural_id("technical_competency", key), code=key)
        session.add(row)
    else:
        before = snapshot(row, _TECH_FIELDS)
    row.name, row.description, row.active, row.deleted = name[:200], (description or "").strip(), True, False
    session.flush()
    record(session, actor, "create", TechnicalCompetency.__tablename__, row.id, before, snapshot(row, _TECH_FIELDS))
    return CompetencyInfo(key, row.name, "teknis", True, standard=False)


def update_technical(
    session: Session,
    actor: Principal,
    code: str,
    *,
    name: str | None = None,
    description: str | None = None,
    active: bool | None = None,
) -> CompetencyInfo:
    require_role(actor, ADMIN_KEPEGAWAIAN)
    key = normalize_code(code)
    row = session.get(TechnicalCompetency, natural_id("technical_competency", key))
    if row is None or row.deleted:
        raise NotFound(_("Kompetensi teknis {code} tidak terdaftar.").format(code=code))
    before = snapshot(row, _TECH_FIELDS)
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise UserError(_("Nama kompetensi teknis tidak boleh kosong."))
        row.name = name[:200]
    if description is not None:
        row.description = description.strip()
    if active is not None:
        row.active = bool(active)
    session.flush()
    record(session, actor, "update", TechnicalCompetency.__tablename__, row.id, before, snapshot(row, _TECH_FIELDS))
    return CompetencyInfo(row.code, row.name, "teknis", row.active, standard=False)


# --- requirements per position -----------------------------------------------------------


# long: validates every line, then writes and audits them in one transaction
def set_requirements(
    session: Session, actor: Principal, position_id: str, levels: dict[str, int | str | None]
) -> dict[str, int]:
    """Set the required levels of one position: ``{code: level}``; None or "" removes one.

    Codes not named are left as they are. Returns the position's levels afterwards and
    updates the development-plan items of its holders.
    """
    require_role(actor, ADMIN_KEPEGAWAIAN)
    pos = session.get(Position, position_id)
    if pos is None or pos.deleted:
        raise NotFound(_("Jabatan yang diminta tidak ada."))
    clean: dict[str, int | None] = {}
    for code, level in levels.items():
        info = resolve_competency(session, code)
        if level is None or (isinstance(level, str) and not level.strip()):
            clean[info.code] = None
            continue
        try:
            clean[info.code] = validate_level(level)
        except ValueError as exc:
            raise UserError(
                _("{competency} untuk jabatan {position}: {error}").format(
                    competency=info.label, position=pos.name, error=exc
                )
            ) from None
    changes: list[tuple[str, CompetencyRequirement, dict | None]] = []
    for code, level in clean.items():
        rid = requirement_id(pos.id, code)
        row = session.get(CompetencyRequirement, rid)
        if row is None:
            if level is None:
                continue
            row = CompetencyRequirement(id=rid, position_id=pos.id, competency_code=code, required_level=level)
            session.add(row)
            changes.append(("create", row, None))
            continue
        before = snapshot(row, _REQ_FIELDS) if not row.deleted else None
        if level is None:
            if not row.deleted:
                row.deleted = True
                changes.append(("delete", row, before))
            continue
        if row.deleted or row.required_level != level:
            row.deleted, row.required_level = False, level
            changes.append(("update" if before else "create", row, before))
    session.flush()
    record_many(
        session,
        actor,
        [
            Change(
                action,
                CompetencyRequirement.__tablename__,
                row.id,
                before,
                None if action == "delete" else snapshot(row, _REQ_FIELDS),
            )
            for action, row, before in changes
        ],
    )
    if changes:
        holders = list(
            session.scalars(
                select(Employee.id).where(
                    Employee.position_id == pos.id, Employee.deleted.is_(False), Employee.active.is_(True)
                )
            )
        )
        sync_gap_items(session, actor, holders)
    return position_requirements(session, [pos.id])[pos.id]


@dataclass(frozen=True)
class RequirementRow:
    position_id: str
    position_name: str
    position_kind: str
    holders: int
    levels: dict[str, int]


def _position_conditions(text: str, kind: str | None) -> list:
    conds: list[ColumnElement[bool]] = [Position.deleted.is_(False)]
    for word in (text or "").split():
        conds.append(Position.name.icontains(word, autoescape=True))
    if kind:
        conds.append(Position.kind == kind)
    return conds


def count_requirement_positions(session: Session, *, text: str = "", kind: str | None = None) -> int:
    """How many positions :func:`requirement_table` lists (all pages)."""
    return session.scalar(select(func.count()).select_from(Position).where(*_position_conditions(text, kind))) or 0


def requirement_table(
    session: Session, *, text: str = "", kind: str | None = None, offset: int = 0, limit: int | None = None
) -> list[RequirementRow]:
    """Positions (by name) with their required levels and how many active people hold each;
    a page of them with ``offset``/``limit`` (all when ``limit`` is None)."""
    holders = (
        select(Employee.position_id, func.count().label("n"))
        .where(Employee.deleted.is_(False), Employee.active.is_(True))
        .group_by(Employee.position_id)
        .subquery()
    )
    q = (
        select(Position.id, Position.name, Position.kind, func.coalesce(holders.c.n, 0))
        .outerjoin(holders, holders.c.position_id == Position.id)
        .where(*_position_conditions(text, kind))
        .order_by(Position.name, Position.id)
        .offset(max(0, int(offset)))
    )
    if limit is not None:
        q = q.limit(max(0, int(limit)))
    rows = session.execute(q).all()
    levels = position_requirements(session, [r[0] for r in rows])
    return [RequirementRow(r[0], r[1], r[2], int(r[3]), levels.get(r[0], {})) for r in rows]


# --- assessments -------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentInput:
    competency_code: str
    level: int | str
    assessed_on: date | None
    reason: str = ""
    kind: str = "asesmen"
    assessor_id: str | None = None
    assessor_name: str = ""


@dataclass(frozen=True)
class AssessmentRow:
    id: str
    employee_id: str
    competency_code: str
    competency_name: str
    level: int
    assessed_on: date
    kind: str
    assessor: str
    reason: str
    recorded_by: str


def _require_assessor(session: Session, actor: Principal, employee_id: str, kind: str) -> None:
    if actor.is_system or actor.role == ADMIN_KEPEGAWAIAN:
        require_employee_access(session, actor, employee_id)
        return
    require_employee_access(session, actor, employee_id)
    if actor.role not in SUPERVISOR_ROLES or not actor.employee_id:
        raise PermissionDenied(
            _(
                "Penilaian kompetensi dicatat oleh admin kepegawaian atau pejabat penilai; akun "
                "Anda hanya dapat melihatnya."
            )
        )
    if kind != "bimbingan_kinerja":
        raise PermissionDenied(
            _(
                "Pejabat penilai mencatat penilaian kompetensi setelah bimbingan kinerja; hasil "
                "asesmen dicatat oleh admin kepegawaian."
            )
        )
    if actor.employee_id not in chain_of(session, employee_id):
        raise PermissionDenied(_("Anda hanya dapat menilai kompetensi pegawai yang berada di bawah Anda."))


def _clean_assessment(session: Session, actor: Principal, employee_id: str, data: AssessmentInput, today: date) -> dict:
    kind = data.kind or "asesmen"
    if kind not in ASSESSMENT_KINDS:
        raise UserError(_("Jenis penilaian harus asesmen atau bimbingan kinerja."))
    info = resolve_competency(session, data.competency_code)
    try:
        level = validate_level(data.level)
    except ValueError as exc:
        raise UserError(_("{competency}: {error}").format(competency=info.label, error=exc)) from None
    if data.assessed_on is None:
        raise UserError(_("Tanggal penilaian kompetensi harus diisi."))
    if data.assessed_on > today:
        raise UserError(_("Tanggal penilaian kompetensi tidak boleh sesudah hari ini."))
    if data.assessed_on < EARLIEST:
        raise UserError(_("Tanggal penilaian kompetensi terlalu lampau."))
    reason = (data.reason or "").strip()
    assessor_id = data.assessor_id
    assessor_name = " ".join((data.assessor_name or "").split())[:200]
    if actor.role in SUPERVISOR_ROLES and not actor.is_system:
        assessor_id, assessor_name = actor.employee_id, ""
    if kind == "bimbingan_kinerja":
        if not reason:
            raise UserError(
                _("Tuliskan alasan penilaian {competency} setelah bimbingan kinerja (format B.1.9).").format(
                    competency=info.label
                )
            )
        if not assessor_id:
            raise UserError(_("Pilih atasan yang melakukan bimbingan kinerja."))
    if assessor_id:
        sup = session.get(Employee, assessor_id)
        if sup is None or sup.deleted:
            raise NotFound(_("Penilai yang dipilih tidak ada di data pegawai."))
        if assessor_id == employee_id:
            raise UserError(_("Pegawai tidak dapat menilai kompetensinya sendiri."))
    elif not assessor_name:
        raise UserError(_("Isi penilai: pilih pegawai penilai atau tulis nama lembaga asesor."))
    return {
        "employee_id": employee_id,
        "assessed_on": data.assessed_on,
        "assessor_id": assessor_id,
        "assessor_name": assessor_name,
        "competency_code": info.code,
        "level": level,
        "reason": reason,
        "kind": kind,
        "recorded_by": actor.username[:60],
    }


def add_assessments(
    session: Session, actor: Principal, employee_id: str, items: Sequence[AssessmentInput], *, today: date | None = None
) -> list[CompetencyAssessment]:
    """Record several ratings at once (one coaching session rates several competencies)."""
    today = today or date.today()
    if not items:
        raise UserError(_("Belum ada kompetensi yang dinilai."))
    for kind in {i.kind or "asesmen" for i in items}:
        _require_assessor(session, actor, employee_id, kind)
    rows = [CompetencyAssessment(**_clean_assessment(session, actor, employee_id, i, today)) for i in items]
    codes = [r.competency_code for r in rows]
    if len(set(codes)) != len(codes):
        raise UserError(_("Satu kompetensi dinilai dua kali dalam satu penilaian; periksa kembali daftarnya."))
    session.add_all(rows)
    session.flush()
    record_many(
        session,
        actor,
        [Change("create", CompetencyAssessment.__tablename__, r.id, None, snapshot(r, _ASSESS_FIELDS)) for r in rows],
    )

    sync_gap_items(session, actor, [employee_id], today=today)
    return rows


def add_assessment(
    session: Session, actor: Principal, employee_id: str, data: AssessmentInput, *, today: date | None = None
) -> CompetencyAssessment:
    return add_assessments(session, actor, employee_id, [data], today=today)[0]


def delete_assessment(session: Session, actor: Principal, assessment_id: str, *, today: date | None = None) -> None:
    """Withdraw a rating entered by mistake (who may record it may withdraw it)."""
    row = session.get(CompetencyAssessment, assessment_id)
    if row is None or row.deleted:
        raise NotFound(_("Penilaian kompetensi yang diminta tidak ada."))
    _require_assessor(session, actor, row.employee_id, row.kind)
    before = snapshot(row, _ASSESS_FIELDS)
    row.deleted = True
    session.flush()
    record(session, actor, "delete", CompetencyAssessment.__tablename__, row.id, before, None)

    sync_gap_items(session, actor, [row.employee_id], today=today)


def list_assessments(session: Session, actor: Principal, employee_id: str) -> list[AssessmentRow]:
    """Every rating of an employee, newest first."""
    require_employee_access(session, actor, employee_id)
    names = {c.code: c.name for c in list_competencies(session, include_inactive=True)}
    assessor = Employee.__table__.alias("assessor")
    rows = session.execute(
        select(CompetencyAssessment, assessor.c.name, assessor.c.front_title, assessor.c.back_title)
        .outerjoin(assessor, assessor.c.id == CompetencyAssessment.assessor_id)
        .where(CompetencyAssessment.employee_id == employee_id, CompetencyAssessment.deleted.is_(False))
        .order_by(CompetencyAssessment.assessed_on.desc(), CompetencyAssessment.competency_code)
    ).all()
    out = []
    for a, name, front, back in rows:
        who = a.assessor_name
        if name:
            who = full_name_of(name, front or "", back or "")
        out.append(
            AssessmentRow(
                a.id,
                a.employee_id,
                a.competency_code,
                names.get(a.competency_code, ""),
                a.level,
                a.assessed_on,
                a.kind,
                who,
                a.reason,
                a.recorded_by,
            )
        )
    return out


# --- profiles and gaps -------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileRow:
    code: str
    name: str
    group: str
    required: int | None
    assessed: int | None
    assessed_on: date | None
    kind: str | None
    gap: int | None  # required - assessed, when both are known

    @property
    def has_gap(self) -> bool:
        return self.gap is not None and self.gap > 0


@dataclass(frozen=True)
class Profile:
    employee_id: str
    name: str
    nip: str
    position_id: str | None
    position_name: str
    unit_name: str
    rows: tuple[ProfileRow, ...] = field(default_factory=tuple)
    supervisor_id: str | None = None

    @property
    def gaps(self) -> list[ProfileRow]:
        return [r for r in self.rows if r.has_gap]


def _profile_rows(
    comps: Sequence[CompetencyInfo],
    required: dict[str, int],
    latest: dict[tuple[str, str], Latest],
    employee_id: str,
    *,
    all_rows: bool,
) -> list[ProfileRow]:
    rows = []
    for c in comps:
        req = required.get(c.code)
        got = latest.get((employee_id, c.code))
        if not all_rows and req is None and got is None:
            continue
        rows.append(
            ProfileRow(
                c.code,
                c.name,
                c.group,
                req,
                got.level if got else None,
                got.assessed_on if got else None,
                got.kind if got else None,
                gap(req, got.level) if req is not None and got is not None else None,
            )
        )
    return rows


def profile(session: Session, actor: Principal, employee_id: str) -> Profile:
    """The competencies of one employee: M.1-M.8 and SK.1 always, teknis when required or rated."""
    require_employee_access(session, actor, employee_id)
    emp = referenced(session, Employee, employee_id)
    pos = session.get(Position, emp.position_id) if emp.position_id else None
    unit = session.get(Unit, emp.unit_id) if emp.unit_id else None
    comps = list_competencies(session, include_inactive=True)
    required = position_requirements(session, [emp.position_id]).get(emp.position_id, {}) if emp.position_id else {}
    latest = latest_levels(session, [emp.id])
    rows = [
        r
        for r in _profile_rows(comps, required, latest, emp.id, all_rows=True)
        if r.group != "teknis" or r.required is not None or r.assessed is not None
    ]
    return Profile(
        emp.id,
        emp.full_name,
        emp.nip,
        emp.position_id,
        pos.name if pos else "",
        unit.name if unit else "",
        tuple(rows),
        emp.supervisor_id,
    )


@dataclass(frozen=True)
class GapRow:
    employee_id: str
    name: str
    nip: str
    position_name: str
    #: code -> gap (required - assessed), None when either is unknown
    gaps: dict[str, int | None]
    required: dict[str, int]
    assessed: dict[str, int]


@dataclass(frozen=True)
class GapSummary:
    code: str
    assessed: int  # people with a standard and a rating
    with_gap: int
    mean_gap: float  # over ``assessed``; 0 when nobody


@dataclass(frozen=True)
class GapMatrix:
    competencies: tuple[CompetencyInfo, ...]
    rows: tuple[GapRow, ...]
    summary: tuple[GapSummary, ...]
    total: int  # employees in scope
    #: rows that match (``only_gaps``): ``rows`` is the page [offset, offset + limit) of them
    matching: int = 0


def unit_gaps(
    session: Session,
    actor: Principal,
    unit_id: str | None = None,
    *,
    include_subunits: bool = True,
    only_gaps: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> GapMatrix:
    """The heat map: active employees of a unit (or all in scope) x competencies.

    The summary counts everyone in scope; ``rows`` holds the page ``[offset, offset + limit)``
    of the matching people (all of them when ``limit`` is None), ``matching`` their number.
    """
    q = (
        select(
            Employee.id,
            Employee.name,
            Employee.front_title,
            Employee.back_title,
            Employee.nip,
            Employee.position_id,
            Position.name,
        )
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(Employee.deleted.is_(False), Employee.active.is_(True), employee_scope(actor))
    )
    if unit_id:
        if include_subunits:
            tree = units_below(unit_id)
            q = q.where(Employee.unit_id.in_(select(tree.c.id)))
        else:
            q = q.where(Employee.unit_id == unit_id)
    people = session.execute(q.order_by(Employee.name, Employee.id)).all()
    ids = [p[0] for p in people]
    required = position_requirements(session, [p[5] for p in people if p[5]])
    latest = latest_levels(session, ids)
    comps_all = list_competencies(session, include_inactive=True)
    used = {code for levels in required.values() for code in levels} | {code for _e, code in latest}
    comps = tuple(c for c in comps_all if c.standard or c.code in used)
    rows: list[GapRow] = []
    matching = 0
    end = None if limit is None else max(0, int(offset)) + max(0, int(limit))
    sums = {c.code: [0, 0, 0] for c in comps}  # assessed, with gap, sum of gaps
    for emp_id, name, front, back, nip, pos_id, pos_name in people:
        req = required.get(pos_id, {}) if pos_id else {}
        gaps: dict[str, int | None] = {}
        assessed: dict[str, int] = {}
        for c in comps:
            got = latest.get((emp_id, c.code))
            if got is not None:
                assessed[c.code] = got.level
            value = gap(req[c.code], got.level) if got is not None and c.code in req else None
            gaps[c.code] = value
            if value is not None:
                s = sums[c.code]
                s[0] += 1
                s[1] += value > 0
                s[2] += value
        if only_gaps and not any(v is not None and v > 0 for v in gaps.values()):
            continue
        if matching >= offset and (end is None or matching < end):
            rows.append(
                GapRow(
                    emp_id, full_name_of(name, front or "", back or ""), nip, pos_name or "", gaps, dict(req), assessed
                )
            )
        matching += 1
    summary = tuple(GapSummary(code, n, k, (total / n) if n else 0.0) for code, (n, k, total) in sums.items())
    return GapMatrix(comps, tuple(rows), summary, len(people), matching)


__all__ = [
    "AssessmentInput",
    "AssessmentRow",
    "CompetencyInfo",
    "GapMatrix",
    "GapRow",
    "GapSummary",
    "Latest",
    "MAX_LEVEL",
    "MIN_LEVEL",
    "Profile",
    "ProfileRow",
    "RequirementRow",
    "add_assessment",
    "add_assessments",
    "add_technical",
    "count_requirement_positions",
    "delete_assessment",
    "latest_levels",
    "list_assessments",
    "list_competencies",
    "position_requirements",
    "profile",
    "requirement_table",
    "resolve_competency",
    "set_requirements",
    "unit_gaps",
    "update_technical",
]
