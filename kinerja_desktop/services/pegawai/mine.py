"""What the Kinerja Saya page shows: the person's own SKP, evaluations and keberatan.

Read through the services that check the viewer (``load_skp``, ``history``), so a pegawai
only ever gets their own record and only shared drafts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.access.role_rules import HR, allows
from kinerja_desktop.services.pegawai import keberatan as kb
from kinerja_desktop.services.pegawai.acknowledge import acknowledged_on
from kinerja_desktop.services.performance.evaluations import history
from kinerja_desktop.services.performance.feedback import list_dialogs, list_feedback
from kinerja_desktop.services.performance.periods import period_label
from kinerja_desktop.services.performance.skp import load_skp, skps_for_year
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.store.pegawai import DialogConfirmation, FeedbackReply, Keberatan, RealisasiReport
from kinerja_desktop.store.periods import Period


@dataclass(frozen=True)
class IkiLine:
    iki_id: str
    rhk: str
    indicator: str
    target: str
    reported: str  # the newest realisasi the pegawai reported ("" none)


@dataclass(frozen=True)
class EvaluationLine:
    evaluation_id: str
    period: str
    status: str
    predikat: str
    revision_no: int
    acknowledged_on: date | None
    keberatan_due: date | None
    keberatan: str  # "" none, else its state in words


@dataclass(frozen=True)
class NoteLine:
    """A feedback note (``kind`` "umpan_balik") or a dialog kinerja meeting ("dialog") of the SKP."""

    kind: str
    record_id: str
    day: date
    text: str
    answer: str  # the pegawai's reply, or "" / the day they marked the meeting held


@dataclass
class Mine:
    name: str
    skp_id: str | None = None
    skp_status: str = ""
    ikis: list[IkiLine] = field(default_factory=list)
    periods: list[tuple[str, str]] = field(default_factory=list)  # (id, label) to report realisasi for
    evaluations: list[EvaluationLine] = field(default_factory=list)
    notes: list[NoteLine] = field(default_factory=list)


def _keberatan_words(row: Keberatan | None) -> str:
    if row is None:
        return ""
    if row.status == "diajukan":
        return _("diajukan {day}, menunggu keputusan").format(day=row.lodged_on.strftime("%d-%m-%Y"))
    return _("diputus {day}: {decision}").format(
        day=row.decided_on.strftime("%d-%m-%Y") if row.decided_on else "-",
        decision=_(kb.DECISIONS.get(row.decision or "", "–")),
    )


def mine(session: Session, actor: Principal, year: int) -> Mine:
    if not actor.employee_id:
        raise UserError(_("Akun ini tidak terhubung dengan data pegawai."))
    skps = skps_for_year(session, actor.employee_id, year)
    view = load_skp(session, actor, skps[-1].id) if skps else None
    out = Mine(name=view.employee.full_name if view else "")
    if view is not None:
        out.skp_id, out.skp_status = view.skp.id, view.skp.status
        reported = {
            r.iki_id: r.text
            for r in session.scalars(
                select(RealisasiReport)
                .where(RealisasiReport.skp_id == view.skp.id, RealisasiReport.deleted.is_(False))
                .order_by(RealisasiReport.reported_at)
            )
        }
        out.ikis = [
            IkiLine(i.id, r.text, i.indicator, i.target, reported.get(i.id, "")) for r, ikis in view.rhks for i in ikis
        ]
        out.notes = _notes(session, actor, view.skp.id)
    periods = list(
        session.scalars(
            select(Period).where(Period.year == year, Period.deleted.is_(False)).order_by(Period.start, Period.kind)
        )
    )
    out.periods = [(p.id, period_label(p)) for p in periods if not p.closed]
    for period in periods:
        for ev in history(session, actor, actor.employee_id, period.id):
            out.evaluations.append(_line(session, ev, period))
    return out


def _notes(session: Session, actor: Principal, skp_id: str) -> list[NoteLine]:

    notes = list_feedback(session, actor, skp_id)
    replies: dict[str, str] = {}
    for r in session.scalars(
        select(FeedbackReply)
        .where(FeedbackReply.feedback_id.in_([n.id for n in notes] or [""]), FeedbackReply.deleted.is_(False))
        .order_by(FeedbackReply.replied_at)
    ):
        replies[r.feedback_id] = r.text
    meetings = list_dialogs(session, actor, skp_id)
    held = {
        c.dialog_id: c.confirmed_at
        for c in session.scalars(
            select(DialogConfirmation).where(
                DialogConfirmation.dialog_id.in_([m.id for m in meetings] or [""]),
                DialogConfirmation.deleted.is_(False),
            )
        )
    }
    out = [NoteLine("umpan_balik", n.id, n.noted_on, n.text, replies.get(n.id, "")) for n in notes]
    out += [
        NoteLine(
            "dialog",
            m.id,
            m.held_on,
            m.topic or m.notes,
            _("ditandai dilaksanakan {day}").format(day=held[m.id].strftime("%d-%m-%Y")) if m.id in held else "",
        )
        for m in meetings
    ]
    return sorted(out, key=lambda n: n.day)


def _line(session: Session, ev: Evaluation, period: Period) -> EvaluationLine:
    row = kb.existing_for(session, ev)
    return EvaluationLine(
        ev.id,
        period_label(period),
        ev.status,
        ev.predikat or "",
        ev.revision_no,
        acknowledged_on(session, ev.id),
        kb.due_date(session, ev) if ev.status == "final" else None,
        _keberatan_words(row),
    )


@dataclass(frozen=True)
class KeberatanLine:
    keberatan_id: str
    pegawai: str
    period: str
    predikat: str
    lodged_on: date
    reasons: str
    status: str
    decision: str
    #: May the viewer record explanations and decide (the atasan, not the evaluator)?
    may_decide: bool


def keberatan_rows(session: Session, actor: Principal) -> list[KeberatanLine]:
    """The keberatan ``actor`` may see (the three people and HR), newest first."""

    out = []
    for row in kb.visible(session, actor):
        ev = session.get(Evaluation, row.evaluation_id)
        if ev is None:  # its evaluation has not arrived by sync yet
            continue
        period = session.get(Period, ev.period_id)
        emp = session.get(Employee, row.employee_id)
        people = {"owner": row.employee_id, "evaluator": row.evaluator_id, "atasan": row.atasan_id}
        may = row.status == "diajukan" and (
            allows(actor, "keberatan.decide", people) or (row.atasan_id is None and actor.role in HR)
        )
        out.append(
            KeberatanLine(
                row.id,
                emp.full_name if emp else "–",
                period_label(period) if period else "–",
                ev.predikat or "",
                row.lodged_on,
                row.reasons,
                _("menunggu keputusan") if row.status == "diajukan" else _("diputus"),
                _keberatan_words(row) if row.status == "diputus" else "",
                may,
            )
        )
    return out
