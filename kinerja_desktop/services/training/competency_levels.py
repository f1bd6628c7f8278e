"""The competency catalogue, what each position requires and the latest assessed levels: the
reads the competency writes and the development plan's gap items both build on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.competency import COMPETENCIES, competency
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.store.training import (
    CompetencyAssessment,
    CompetencyRequirement,
    TechnicalCompetency,
    natural_id,
)

EARLIEST = date(2000, 1, 1)


CHUNK = 900


@dataclass(frozen=True)
class CompetencyInfo:
    code: str
    name: str
    group: str  # manajerial / sosial_kultural / teknis
    active: bool = True
    standard: bool = True

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


def _chunks(items: Sequence, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def list_competencies(session: Session, *, include_inactive: bool = False) -> list[CompetencyInfo]:
    """M.1-M.8, SK.1, then the agency's kompetensi teknis by code."""
    out = [CompetencyInfo(c.code, _(c.name), c.group) for c in COMPETENCIES]
    for t in session.scalars(
        select(TechnicalCompetency).where(TechnicalCompetency.deleted.is_(False)).order_by(TechnicalCompetency.code)
    ):
        if include_inactive or t.active:
            out.append(CompetencyInfo(t.code, t.name, "teknis", bool(t.active), standard=False))
    return out


def normalize_code(code: str) -> str:
    text = "".join(str(code or "").split()).upper()
    try:
        return competency(text).code
    except ValueError:
        return text


def resolve_competency(session: Session, code: str) -> CompetencyInfo:
    key = normalize_code(code)
    for c in list_competencies(session, include_inactive=True):
        if c.code == key:
            return c
    raise UserError(
        _(
            "Kompetensi '{value}' tidak dikenal. Pilih M.1-M.8, SK.1, atau kompetensi teknis yang sudah didaftarkan."
        ).format(value=code)
    )


def requirement_id(position_id: str, code: str) -> str:
    return natural_id("competency_requirement", position_id, code)


def position_requirements(session: Session, position_ids: Iterable[str]) -> dict[str, dict[str, int]]:
    """position id -> {competency code: required level}."""
    ids = list(dict.fromkeys(i for i in position_ids if i))
    out: dict[str, dict[str, int]] = {i: {} for i in ids}
    for chunk in _chunks(ids):
        for pid, code, level in session.execute(
            select(
                CompetencyRequirement.position_id,
                CompetencyRequirement.competency_code,
                CompetencyRequirement.required_level,
            ).where(CompetencyRequirement.position_id.in_(chunk), CompetencyRequirement.deleted.is_(False))
        ):
            out[pid][code] = int(level)
    return out


@dataclass
class Named:
    name: str
    front_title: str
    back_title: str


@dataclass(frozen=True)
class Latest:
    level: int
    assessed_on: date
    assessment_id: str
    kind: str


def latest_levels(session: Session, employee_ids: Sequence[str]) -> dict[tuple[str, str], Latest]:
    """(employee id, code) -> the newest assessment (by date, then by when it was saved)."""
    out: dict[tuple[str, str], Latest] = {}
    ids = list(dict.fromkeys(employee_ids))
    for chunk in _chunks(ids):
        ranked = (
            select(
                CompetencyAssessment.employee_id,
                CompetencyAssessment.competency_code,
                CompetencyAssessment.level,
                CompetencyAssessment.assessed_on,
                CompetencyAssessment.id,
                CompetencyAssessment.kind,
                func.row_number()
                .over(
                    partition_by=(CompetencyAssessment.employee_id, CompetencyAssessment.competency_code),
                    order_by=(CompetencyAssessment.assessed_on.desc(), CompetencyAssessment.updated_hlc.desc()),
                )
                .label("rn"),
            )
            .where(CompetencyAssessment.employee_id.in_(chunk), CompetencyAssessment.deleted.is_(False))
            .subquery()
        )
        for emp, code, level, on, aid, kind in session.execute(
            select(
                ranked.c.employee_id,
                ranked.c.competency_code,
                ranked.c.level,
                ranked.c.assessed_on,
                ranked.c.id,
                ranked.c.kind,
            ).where(ranked.c.rn == 1)
        ):
            out[(emp, code)] = Latest(int(level), on, aid, kind)
    return out
