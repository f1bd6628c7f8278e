"""What is waiting for me: the Beranda's list for every role, with dates and overdue marks.

- pegawai: their draft SKP to propose for, realisasi to report (periods of the year that
  have ended, until their batas pengisian), final evaluations to acknowledge, a keberatan
  window still open, decisions made on their keberatan;
- pejabat penilai: proposals of their staff to agree or return, keberatan on their ratings;
- atasan pejabat penilai: keberatan to decide;
- HR: every keberatan not yet decided.

Every query goes by the person's own id through indexes (the pegawai's list costs the
same with 100 or 100,000 employees in the database).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import PEGAWAI, Principal
from kinerja_desktop.services.access.role_rules import HR, SUPERVISORS
from kinerja_desktop.services.pegawai.policy import keberatan_days
from kinerja_desktop.services.performance.periods import period_label
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.store.pegawai import Acknowledgement, Keberatan, RealisasiReport, SkpProposal
from kinerja_desktop.store.periods import Period
from kinerja_desktop.store.skp import Iki, Rhk, Skp

#: A keberatan the atasan has not decided after this many days is marked late.
DECIDE_WITHIN_DAYS = 14


@dataclass(frozen=True)
class Waiting:
    kind: str  # skp, realisasi, acknowledge, keberatan_open, keberatan_decided, proposal, decide
    text: str
    due: date | None
    overdue: bool
    #: The record to open (SKP, evaluation, keberatan or proposal id).
    record_id: str
    #: The page that opens it.
    page: str


def waiting_for(session: Session, actor: Principal, today: date | None = None) -> list[Waiting]:
    today = today or date.today()
    items: list[Waiting] = []
    if actor.role == PEGAWAI and actor.employee_id:
        items += _pegawai(session, actor.employee_id, today)
    if actor.role in SUPERVISORS and actor.employee_id:
        items += _proposals(session, actor.employee_id)
        items += _keberatan_to_decide(session, Keberatan.atasan_id == actor.employee_id, today)
    if actor.role in HR or actor.is_system:
        items += _keberatan_to_decide(session, true(), today)
    return sorted(items, key=lambda w: (not w.overdue, w.due or date.max, w.text))


def _pegawai(session: Session, me: str, today: date) -> list[Waiting]:
    out: list[Waiting] = []
    skps = list(
        session.scalars(select(Skp).where(Skp.employee_id == me, Skp.deleted.is_(False), Skp.year == today.year))
    )
    for skp in skps:
        if skp.status == "draft":
            out.append(
                Waiting(
                    "skp",
                    _("SKP {year} masih draf: usulkan RHK/IKI Anda kepada pejabat penilai.").format(year=skp.year),
                    skp.start,
                    False,
                    skp.id,
                    "pegawai_saya",
                )
            )
        out += _realisasi_due(session, skp, today)
    out += _to_acknowledge(session, me, today)
    for row in session.scalars(
        select(Keberatan).where(
            Keberatan.employee_id == me, Keberatan.deleted.is_(False), Keberatan.status == "diputus"
        )
    ):
        out.append(
            Waiting(
                "keberatan_decided",
                _("Keberatan Anda telah diputus: {decision}.").format(
                    decision=_("penilaian diubah") if row.decision == "diubah" else _("penilaian tetap")
                ),
                row.decided_on,
                False,
                row.id,
                "keberatan",
            )
        )
    return out


def _realisasi_due(session: Session, skp: Skp, today: date) -> list[Waiting]:
    periods = list(
        session.scalars(
            select(Period).where(
                Period.year == skp.year,
                Period.deleted.is_(False),
                Period.kind != "akhir",
                Period.end <= today,
                Period.deadline >= today - timedelta(days=30),
                Period.end >= skp.start,
            )
        )
    )
    if not periods:
        return []
    ikis = set(
        session.scalars(
            select(Iki.id)
            .join(Rhk, Rhk.id == Iki.rhk_id)
            .where(Rhk.skp_id == skp.id, Rhk.deleted.is_(False), Iki.deleted.is_(False))
        )
    )
    out = []
    for period in periods:
        done = set(
            session.scalars(
                select(RealisasiReport.iki_id).where(
                    RealisasiReport.skp_id == skp.id,
                    RealisasiReport.period_id == period.id,
                    RealisasiReport.deleted.is_(False),
                )
            )
        )
        missing = len(ikis - done)
        if missing:
            out.append(
                Waiting(
                    "realisasi",
                    _("Laporkan realisasi {n} IKI untuk {period}.").format(n=missing, period=period_label(period)),
                    period.deadline,
                    today > period.deadline,
                    skp.id,
                    "pegawai_saya",
                )
            )
    return out


def _to_acknowledge(session: Session, me: str, today: date) -> list[Waiting]:
    out = []
    finals = session.execute(
        select(Evaluation, Period)
        .join(Period, Period.id == Evaluation.period_id)
        .where(Evaluation.employee_id == me, Evaluation.status == "final", Evaluation.deleted.is_(False))
    ).all()
    acks = {
        a.evaluation_id: a
        for a in session.scalars(
            select(Acknowledgement).where(Acknowledgement.employee_id == me, Acknowledgement.deleted.is_(False))
        )
    }
    lodged: set[str] = set()
    for old, new in session.execute(
        select(Keberatan.evaluation_id, Keberatan.new_evaluation_id).where(
            Keberatan.employee_id == me, Keberatan.deleted.is_(False)
        )
    ):
        lodged.add(old)
        if new:
            lodged.add(new)
    days = keberatan_days(session)
    for ev, period in finals:
        ack = acks.get(ev.id)
        if ack is None:
            out.append(
                Waiting(
                    "acknowledge",
                    _("Baca dan nyatakan telah membaca evaluasi {period} (predikat {predikat}).").format(
                        period=period_label(period), predikat=ev.predikat or "-"
                    ),
                    ev.finalized_on,
                    False,
                    ev.id,
                    "pegawai_saya",
                )
            )
        elif ev.id not in lodged:
            due = ack.acknowledged_on + timedelta(days=days)
            if today <= due:
                out.append(
                    Waiting(
                        "keberatan_open",
                        _("Anda dapat mengajukan keberatan atas evaluasi {period} sampai {day}.").format(
                            period=period_label(period), day=due.strftime("%d-%m-%Y")
                        ),
                        due,
                        False,
                        ev.id,
                        "pegawai_saya",
                    )
                )
    return out


def _proposals(session: Session, me: str) -> list[Waiting]:
    rows = session.execute(
        select(SkpProposal, Employee)
        .join(Skp, Skp.id == SkpProposal.skp_id)
        .join(Employee, Employee.id == SkpProposal.employee_id)
        .where(
            SkpProposal.status == "diusulkan",
            SkpProposal.deleted.is_(False),
            (Skp.evaluator_id == me) | (Employee.supervisor_id == me),
        )
    ).all()
    return [
        Waiting(
            "proposal",
            _("Usulan RHK/IKI dari {name} menunggu persetujuan.").format(name=emp.full_name),
            row.proposed_at.date(),
            False,
            row.id,
            "pegawai_saya",
        )
        for row, emp in rows
    ]


def _keberatan_to_decide(session: Session, condition, today: date) -> list[Waiting]:
    rows = session.execute(
        select(Keberatan, Employee)
        .join(Employee, Employee.id == Keberatan.employee_id)
        .where(condition, Keberatan.status == "diajukan", Keberatan.deleted.is_(False))
    ).all()
    out = []
    for row, emp in rows:
        due = row.lodged_on + timedelta(days=DECIDE_WITHIN_DAYS)
        out.append(
            Waiting(
                "decide",
                _("Keberatan {name} menunggu keputusan (diajukan {day}).").format(
                    name=emp.full_name, day=row.lodged_on.strftime("%d-%m-%Y")
                ),
                due,
                today > due,
                row.id,
                "keberatan",
            )
        )
    return out
