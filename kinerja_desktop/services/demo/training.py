"""Competency development for the demo district: a year of training, ratings, plans.

:func:`add_training_demo` runs after the roster of the demo exists. For the year it makes:

- the catalogue of activity types and the competency -> activity suggestions;
- the required levels of M.1-M.8 and SK.1 for every position (by kind: JPT 4-5,
  administrator 3-4, pengawas 3, fungsional and pelaksana 2-3) and two kompetensi
  teknis with levels for some positions;
- training activities over the year (until ``today`` when the year is running):
  district-wide courses with many participants (group entries), bimtek and
  sosialisasi, e-learning, coaching and mentoring in the units; each employee takes
  part until a personal target is reached, so most PNS meet 20 JP and about a quarter
  do not (yet); some records carry a certificate number;
- competency ratings: an assessment (asesmen) for about a third of the employees and
  the supervisor's rating after a coaching session (bimbingan kinerja) for some others;
- a development-plan item for each gap, marked done when one of the employee's
  trainings after the rating is of a suggested type; the items of evaluations below
  Baik (from the performance demo) are marked done the same way.

Everything random comes from ``rng``; rows go in with Core bulk inserts, stamped and
logged in the change log like any other write.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from kinerja_desktop.domain.competency import COMPETENCIES
from kinerja_desktop.domain.training import ACTIVITY_TYPES
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.audit.chain import record
from kinerja_desktop.services.training.catalog import type_id
from kinerja_desktop.services.training.development_competency import (
    DEFAULT_SUGGESTIONS,
    TECHNICAL_DEFAULT,
    suggestion_id,
)
from kinerja_desktop.services.training.development_plan import TARGET_AFTER
from kinerja_desktop.store.changes import clock_of, log_rows, stamp_rows
from kinerja_desktop.store.development import DevelopmentPlanItem
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.store.training import (
    CompetencyAssessment,
    CompetencyRequirement,
    CompetencySuggestion,
    TechnicalCompetency,
    TrainingActivity,
    TrainingRecord,
    TrainingType,
    natural_id,
)

DEMO_USER = "demo"
CATEGORY = {t.code: t.category for t in ACTIVITY_TYPES}
#: Required level range of the managerial/socio-cultural competencies by position kind.
LEVELS = {"jpt": (4, 5), "administrator": (3, 4), "pengawas": (3, 3), "fungsional": (2, 3), "pelaksana": (2, 3)}
TECHNICAL = (("T.01", "Pengelolaan Keuangan Daerah (SIPD)"), ("T.02", "Pelayanan Kesehatan Dasar"))
ORGANISERS = (
    "BKPSDM Kabupaten Batanghari",
    "BPSDM Provinsi Jambi",
    "Lembaga Administrasi Negara",
    "Kementerian Dalam Negeri",
    "Dinas Kesehatan Kabupaten Batanghari",
    "Dinas Pendidikan Kabupaten Batanghari",
    "Inspektorat Kabupaten Batanghari",
)
#: (title, code, JP, days, share of the district invited, organiser index)
DISTRICT_COURSES = (
    ("Pelatihan Kepemimpinan Pengawas", "KL01", 40, 5, 0.01, 1),
    ("Pelatihan Kepemimpinan Administrator", "KL01", 48, 6, 0.005, 2),
    ("Bimbingan Teknis Penyusunan SKP dan Evaluasi Kinerja", "KL10", 16, 2, 0.18, 0),
    ("Sosialisasi Manajemen Kinerja ASN", "KL11", 4, 1, 0.30, 0),
    ("Workshop Pelayanan Publik Prima", "KL07", 12, 2, 0.12, 0),
    ("Pelatihan Teknis Pengelolaan Keuangan Daerah", "KL03", 30, 4, 0.05, 3),
    ("Seminar Reformasi Birokrasi dan Zona Integritas", "KL06", 6, 1, 0.12, 6),
    ("Pelatihan Sosial Kultural: Moderasi dan Wawasan Kebangsaan", "KL05", 16, 2, 0.08, 1),
    ("Kursus Bahasa Inggris Dasar", "KL08", 24, 6, 0.02, 0),
    ("Bimbingan Teknis Kurikulum Merdeka", "KL10", 24, 3, 0.15, 5),
    ("Pelatihan Teknis Pelayanan Kesehatan Dasar", "KL03", 32, 4, 0.07, 4),
    ("Pelatihan Fungsional Penjenjangan", "KL04", 40, 5, 0.03, 1),
)
#: Activities people do on their own or in their unit: (title, code, JP low-high, days)
SMALL = (
    ("E-learning ASN Belajar: Etika Birokrasi", "NKL03", (4, 10), 5),
    ("E-learning: Literasi Digital ASN", "NKL03", (6, 12), 7),
    ("Coaching oleh atasan langsung", "NKL01", (2, 4), 1),
    ("Mentoring pengembangan karier", "NKL02", (2, 6), 1),
    ("Komunitas belajar unit kerja", "NKL10", (2, 4), 1),
    ("Bimbingan di tempat kerja", "NKL11", (4, 8), 2),
    ("Belajar mandiri: modul pelayanan publik", "NKL09", (4, 8), 5),
    ("Patok banding ke kabupaten tetangga", "NKL07", (8, 12), 2),
)
ASSESSORS = ("UPT Penilaian Kompetensi BKPSDM Provinsi Jambi", "Assessment Center BKN Regional VII")
COACHING_REASONS = {
    "up": (
        "Sudah menunjukkan perilaku ini secara konsisten setelah bimbingan.",
        "Menerapkan umpan balik bimbingan kinerja dengan baik.",
    ),
    "down": (
        "Masih perlu arahan untuk menerapkan perilaku ini dalam pekerjaan sehari-hari.",
        "Belum konsisten; perlu latihan dan contoh dari atasan.",
    ),
}


@dataclass(frozen=True)
class TrainingDemoSummary:
    activities: int
    records: int
    assessments: int
    requirements: int
    plan_items: int
    plan_items_done: int
    pns_below_20: int


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class _Writer:
    def __init__(self, session: Session) -> None:
        self.session, self.clock = session, clock_of(session)

    def write(self, model, rows: list[dict]) -> None:
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            stamp_rows(self.clock, chunk, new=True)
            self.session.execute(insert(model.__table__), chunk)
            log_rows(self.session, model.__tablename__, chunk)


def _day_in(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange(max(1, (last - first).days + 1)))


def add_training_demo(  # noqa: C901, PLR0915 (long: one pass over the roster writing a year of training rows in bulk)
    session: Session,
    rng: random.Random,
    year: int,
    *,
    today: date | None = None,
) -> TrainingDemoSummary:
    """Add a year of competency development to the demo roster in ``session``."""
    today = today or date.today()
    first = date(year, 1, 6)
    last = min(date(year, 12, 18), today - timedelta(days=1)) if today.year == year else date(year, 12, 18)
    if last < first:
        last = first
    w = _Writer(session)

    # Catalogue and suggestions (the ids are the same on every site).
    have = set(session.scalars(select(TrainingType.code)))
    w.write(
        TrainingType,
        [
            {"id": type_id(t.code), "code": t.code, "name": t.name, "category": t.category, "active": True}
            for t in ACTIVITY_TYPES
            if t.code not in have
        ],
    )
    have = set(session.scalars(select(CompetencySuggestion.competency_code)))
    w.write(
        CompetencySuggestion,
        [
            {"id": suggestion_id(c), "competency_code": c, "activity_codes": list(codes)}
            for c, codes in DEFAULT_SUGGESTIONS.items()
            if c not in have
        ],
    )
    have = set(session.scalars(select(TechnicalCompetency.code)))
    w.write(
        TechnicalCompetency,
        [
            {
                "id": natural_id("technical_competency", code),
                "code": code,
                "name": name,
                "description": "",
                "active": True,
            }
            for code, name in TECHNICAL
            if code not in have
        ],
    )

    # Requirements per position.
    positions = session.execute(
        select(Position.id, Position.name, Position.kind).where(Position.deleted.is_(False)).order_by(Position.name)
    ).all()
    existing = set(session.scalars(select(CompetencyRequirement.id)))
    req_rows: list[dict] = []
    required: defaultdict[str, dict[str, int]] = defaultdict(dict)
    for pid, pname, kind in positions:
        low, high = LEVELS.get(kind, (2, 3))
        levels = {c.code: rng.randint(low, high) for c in COMPETENCIES}
        lower = pname.lower()
        if "keuangan" in lower or "bendahara" in lower or "anggaran" in lower:
            levels["T.01"] = 3
        if any(k in lower for k in ("perawat", "bidan", "dokter", "puskesmas", "kesehatan")):
            levels["T.02"] = 3
        for code, level in levels.items():
            rid = natural_id("competency_requirement", pid, code)
            required[pid][code] = level
            if rid not in existing:
                req_rows.append({"id": rid, "position_id": pid, "competency_code": code, "required_level": level})
    w.write(CompetencyRequirement, req_rows)

    people = session.execute(
        select(Employee.id, Employee.status, Employee.unit_id, Employee.position_id, Employee.supervisor_id)
        .where(Employee.deleted.is_(False), Employee.active.is_(True))
        .order_by(Employee.nip)
    ).all()
    units = dict(session.execute(select(Unit.id, Unit.name).where(Unit.deleted.is_(False))).all())

    # Activities: district courses (group entries) and small ones per person.
    activities: list[dict] = []
    records: list[dict] = []
    busy: dict[str, list[tuple[date, date]]] = defaultdict(list)
    jp_of: dict[str, Decimal] = defaultdict(Decimal)
    codes_of: dict[str, list[tuple[str, date]]] = defaultdict(list)

    def free(emp: str, start: date, end: date) -> bool:
        return all(end < s or start > e for s, e in busy[emp])

    def add_record(emp: str, act: dict, numbered: bool) -> None:
        busy[emp].append((act["start_date"], act["end_date"]))
        jp_of[emp] += act["jp"]
        codes_of[emp].append((act["activity_code"], act["start_date"]))
        records.append(
            {
                "id": _uuid(rng),
                "activity_id": act["id"],
                "employee_id": emp,
                "jp": act["jp"],
                "certificate_number": (
                    f"{rng.randint(100, 999)}/{act['activity_code']}/BKPSDM/{year}" if numbered else ""
                ),
                "certificate_sha256": None,
                "certificate_name": "",
                "certificate_media_type": "",
                "certificate_size": None,
                "recorded_by": DEMO_USER,
            }
        )

    def new_activity(title: str, code: str, jp: int, start: date, days: int, organiser: str) -> dict:
        end = min(start + timedelta(days=days - 1), date(year, 12, 31))
        act = {
            "id": _uuid(rng),
            "title": title,
            "activity_code": code,
            "category": CATEGORY[code],
            "organiser": organiser,
            "start_date": start,
            "end_date": end,
            "jp": Decimal(jp),
            "notes": "",
            "created_by": DEMO_USER,
        }
        activities.append(act)
        return act

    # Each person's target for the year: about a quarter of them stay under 20 JP.
    target = {}
    for emp, *_rest in people:
        r = rng.random()
        target[emp] = Decimal(rng.choice((0, 4, 6, 8, 12, 16))) if r < 0.25 else Decimal(rng.randint(20, 56))
    order = [p[0] for p in people]
    for title, code, jp, days, share, org in DISTRICT_COURSES:
        for batch in range(1 + int(len(people) * share) // 60):
            start = _day_in(rng, first, last - timedelta(days=days))
            invited = [
                e
                for e in rng.sample(order, min(len(order), max(3, int(len(order) * share / (batch + 1)))))
                if jp_of[e] + jp <= target[e] + 8 and free(e, start, start + timedelta(days=days - 1))
            ]
            if not invited:
                continue
            name = title if batch == 0 else f"{title} Angkatan {batch + 1}"
            act = new_activity(name, code, jp, start, days, ORGANISERS[org])
            for emp in invited[:60]:
                add_record(emp, act, numbered=rng.random() < 0.7)
    by_unit: dict[str | None, list[str]] = defaultdict(list)
    for emp, _status, unit_id, _pos, _sup in people:
        by_unit[unit_id].append(emp)
    for unit_id, members in sorted(by_unit.items(), key=lambda kv: str(kv[0])):
        for emp in members:
            tries = 0
            while jp_of[emp] < target[emp] and tries < 12:
                tries += 1
                title, code, (lo, hi), days = rng.choice(SMALL)
                jp = rng.randint(lo, hi)
                start = _day_in(rng, first, last - timedelta(days=days))
                if not free(emp, start, start + timedelta(days=days - 1)):
                    continue
                where = units.get(unit_id or "", "")
                act = new_activity(title, code, jp, start, days, where or ORGANISERS[0])
                add_record(emp, act, numbered=code == "NKL03")
    w.write(TrainingActivity, activities)
    w.write(TrainingRecord, records)

    # Ratings: assessments for a third, coaching ratings for some others.
    assessments: list[dict] = []
    latest: dict[tuple[str, str], tuple[int, date, str]] = {}
    for emp, _status, _unit, pos, sup in people:
        req = required.get(pos or "", {})
        r = rng.random()
        if r < 0.33:
            on = _day_in(rng, date(year, 1, 10), min(date(year, 6, 30), last))
            who = rng.choice(ASSESSORS)
            for c in COMPETENCIES:
                need = req.get(c.code, 3)
                level = max(1, min(5, need + rng.choice((-2, -1, -1, 0, 0, 0, 1))))
                aid = _uuid(rng)
                assessments.append(
                    {
                        "id": aid,
                        "employee_id": emp,
                        "assessed_on": on,
                        "assessor_id": None,
                        "assessor_name": who,
                        "competency_code": c.code,
                        "level": level,
                        "reason": "",
                        "kind": "asesmen",
                        "recorded_by": DEMO_USER,
                    }
                )
                latest[(emp, c.code)] = (level, on, aid)
        elif r < 0.45 and sup:
            on = _day_in(rng, date(year, 2, 1), last)
            for c in rng.sample(COMPETENCIES, 3):
                need = req.get(c.code, 3)
                level = max(1, min(5, need + rng.choice((-1, -1, 0, 1))))
                aid = _uuid(rng)
                assessments.append(
                    {
                        "id": aid,
                        "employee_id": emp,
                        "assessed_on": on,
                        "assessor_id": sup,
                        "assessor_name": "",
                        "competency_code": c.code,
                        "level": level,
                        "reason": rng.choice(COACHING_REASONS["up" if level >= need else "down"]),
                        "kind": "bimbingan_kinerja",
                        "recorded_by": DEMO_USER,
                    }
                )
                latest[(emp, c.code)] = (level, on, aid)
    w.write(CompetencyAssessment, assessments)

    # A plan item for each gap; done when a later training of a suggested type exists.
    names = {c.code: c.name for c in COMPETENCIES}
    positions_of = {p[0]: p[3] for p in people}
    items: list[dict] = []
    trainings: dict[str, list[tuple[date, str, str]]] = defaultdict(list)  # employee -> (start, code, record)
    act_by_id = {a["id"]: a for a in activities}
    for rec in records:
        act = act_by_id[rec["activity_id"]]
        trainings[rec["employee_id"]].append((act["start_date"], act["activity_code"], rec["id"]))
    done = 0
    for (emp, code), (level, on, aid) in sorted(latest.items()):
        needed = required.get(positions_of.get(emp) or "", {}).get(code)
        if needed is None or level >= needed:
            continue
        suggested = list(DEFAULT_SUGGESTIONS.get(code, TECHNICAL_DEFAULT))
        match = sorted((start, rid) for start, c, rid in trainings[emp] if c in suggested and start >= on)
        fulfilled = match[0][1] if match else None
        done += fulfilled is not None
        items.append(
            {
                "id": _uuid(rng),
                "employee_id": emp,
                "source": "kompetensi",
                "source_id": aid,
                "description": (
                    f"Kesenjangan kompetensi {names[code]} ({code}): level {level}, standar jabatan "
                    f"level {need}. Ikuti kegiatan pengembangan yang disarankan."
                ),
                "competency_code": code,
                "suggested_activity_codes": suggested,
                "target_date": on + TARGET_AFTER,
                "status": "selesai" if fulfilled else "terbuka",
                "fulfilled_by_training_id": fulfilled,
            }
        )
    w.write(DevelopmentPlanItem, items)

    # Items of evaluations below Baik (made by the performance demo) that a later training of
    # a suggested type fulfils.
    evaluated = session.execute(
        select(
            DevelopmentPlanItem.id,
            DevelopmentPlanItem.employee_id,
            DevelopmentPlanItem.suggested_activity_codes,
            Evaluation.finalized_on,
        )
        .join(Evaluation, Evaluation.id == DevelopmentPlanItem.source_id)
        .where(
            DevelopmentPlanItem.source == "evaluasi",
            DevelopmentPlanItem.status == "terbuka",
            DevelopmentPlanItem.deleted.is_(False),
            Evaluation.finalized_on.is_not(None),
        )
    ).all()
    updates = []
    for item_id, emp, suggested, since in evaluated:
        match = sorted(
            (start, rid) for start, c, rid in trainings.get(emp, ()) if c in (suggested or ()) and start >= since
        )
        if match:
            updates.append({"id": item_id, "status": "selesai", "fulfilled_by_training_id": match[0][1]})
    if updates:
        stamp_rows(w.clock, updates, new=False)
        session.execute(
            update(cast(Table, DevelopmentPlanItem.__table__)).where(
                DevelopmentPlanItem.__table__.c.id == bindparam("b_id")
            ),
            [
                {
                    "b_id": u["id"],
                    "status": u["status"],
                    "fulfilled_by_training_id": u["fulfilled_by_training_id"],
                    "updated_hlc": u["updated_hlc"],
                }
                for u in updates
            ],
        )
        log_rows(session, DevelopmentPlanItem.__tablename__, updates)
    done += len(updates)

    below = sum(1 for emp, status, *_r in people if status == "PNS" and jp_of[emp] < 20)
    summary = TrainingDemoSummary(
        len(activities), len(records), len(assessments), len(req_rows), len(items), done, below
    )
    record(
        session,
        SYSTEM,
        "demo_training",
        "",
        "",
        None,
        {
            "year": year,
            "activities": summary.activities,
            "records": summary.records,
            "assessments": summary.assessments,
            "plan_items": summary.plan_items,
        },
    )
    return summary
