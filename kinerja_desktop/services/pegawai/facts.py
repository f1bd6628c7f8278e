"""The people of a record, as the role rules want them: owner, evaluator, atasan."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.errors import NotFound, PermissionDenied
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import PEGAWAI, Principal
from kinerja_desktop.services.access.role_rules import allows, refusal
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation
from kinerja_desktop.store.pegawai import EvaluationShare
from kinerja_desktop.store.skp import Skp


def employee(session: Session, employee_id: str | None) -> Employee:
    emp = session.get(Employee, employee_id) if employee_id else None
    if emp is None or emp.deleted:
        raise NotFound(_("Data pegawai yang diminta tidak ada (mungkin sudah dihapus)."))
    return emp


def supervisor_of(session: Session, employee_id: str | None) -> str | None:
    if not employee_id:
        return None
    emp = session.get(Employee, employee_id)
    return emp.supervisor_id if emp is not None and not emp.deleted else None


def people(session: Session, owner_id: str, evaluator_id: str | None = None) -> dict:
    """owner, evaluator (given, else the direct supervisor) and atasan (the evaluator's supervisor)."""
    evaluator = evaluator_id or supervisor_of(session, owner_id)
    return {"owner": owner_id, "evaluator": evaluator, "atasan": supervisor_of(session, evaluator)}


def evaluation_people(session: Session, ev: Evaluation) -> dict:
    return people(session, ev.employee_id, ev.evaluator_id)


def skp_people(session: Session, skp: Skp) -> dict:
    return people(session, skp.employee_id, skp.evaluator_id)


def require(actor: Principal, action: str, facts: dict) -> None:
    if not allows(actor, action, facts):
        raise PermissionDenied(refusal(action))


def get_skp(session: Session, skp_id: str) -> Skp:
    skp = session.get(Skp, skp_id)
    if skp is None or skp.deleted:
        raise NotFound(_("SKP yang diminta tidak ada (mungkin sudah dihapus)."))
    return skp


def get_evaluation(session: Session, evaluation_id: str) -> Evaluation:
    ev = session.get(Evaluation, evaluation_id)
    if ev is None or ev.deleted:
        raise NotFound(_("Evaluasi yang diminta tidak ada (mungkin sudah dihapus)."))
    return ev


def is_shared(session: Session, ev: Evaluation) -> bool:
    """A draft the pejabat penilai has shared with the pegawai (a final one is always open to them)."""
    if ev.status == "final":
        return True
    return (
        session.scalar(
            select(EvaluationShare.id)
            .where(EvaluationShare.evaluation_id == ev.id, EvaluationShare.deleted.is_(False))
            .limit(1)
        )
        is not None
    )


def require_draft_visible(session: Session, actor: Principal, ev: Evaluation) -> None:
    """A pegawai sees their own draft only once the pejabat penilai has shared it."""
    if actor.role != PEGAWAI or ev.status == "final":
        return
    require(actor, "evaluation.view_draft", {**evaluation_people(session, ev), "shared": is_shared(session, ev)})
