"""Who may write SKP, feedback and evaluations (on top of services.permissions).

- Viewing: :func:`services.permissions.require_employee_access` (HR sees all; a pejabat
  penilai sees the employees below them in the chain).
- Writing SKP, feedback and evaluation drafts: a pejabat penilai for the employees
  below them in the chain (HR views but does not write them).
- Finalizing and revising: only the pejabat penilai, i.e. the employee's direct supervisor.
- The kepala daerah does not use the program: for an employee the kepala daerah evaluates
  directly (the Sekda), admin kepegawaian records the Bupati's part (writes and finalizes),
  audited under the HR account.
- An SKP of an earlier assignment (before a mutasi within the year) is evaluated by the
  pejabat penilai of that assignment (``Skp.evaluator_id``), who may see and write that
  evaluation although the employee has left their chain.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kinerja_desktop.errors import NotFound, PermissionDenied
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.permissions import chain_of, require_employee_access
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, SUPERVISOR_ROLES, Principal
from kinerja_desktop.services.performance.kepala_daerah import reports_to_kepala_daerah
from kinerja_desktop.store.employee import Employee


def employee_or_404(session: Session, employee_id: str) -> Employee:
    emp = session.get(Employee, employee_id)
    if emp is None or emp.deleted:
        raise NotFound(_("Data pegawai yang diminta tidak ada (mungkin sudah dihapus)."))
    return emp


def require_view(session: Session, actor: Principal, employee_id: str) -> None:
    require_employee_access(session, actor, employee_id)


def require_write(session: Session, actor: Principal, employee_id: str) -> Employee:
    """The employee, if ``actor`` may write their SKP, feedback or evaluation drafts."""
    emp = employee_or_404(session, employee_id)
    if actor.is_system:
        return emp
    if actor.role in SUPERVISOR_ROLES and actor.employee_id and actor.employee_id in chain_of(session, employee_id):
        return emp
    if records_for_kepala_daerah(session, actor, emp):
        return emp
    require_employee_access(session, actor, employee_id)  # names the employee when not visible at all
    raise PermissionDenied(
        _(
            "Hanya pejabat penilai (atasan dalam rantai) yang dapat mengisi SKP, umpan balik, dan evaluasi "
            "{name}; akun Anda hanya dapat melihatnya."
        ).format(name=emp.full_name)
    )


def require_evaluator(session: Session, actor: Principal, employee_id: str) -> Employee:
    """The employee, if ``actor`` is their pejabat penilai (direct supervisor)."""
    emp = employee_or_404(session, employee_id)
    if actor.is_system:
        return emp
    require_write(session, actor, employee_id)
    if records_for_kepala_daerah(session, actor, emp):
        return emp
    if actor.employee_id != emp.supervisor_id:
        raise PermissionDenied(
            _(
                "Hanya pejabat penilai langsung {name} (atasan langsungnya) yang dapat memfinalkan atau "
                "merevisi evaluasinya."
            ).format(name=emp.full_name)
        )
    return emp


def records_for_kepala_daerah(session: Session, actor: Principal, emp: Employee) -> bool:
    """True when ``actor`` is admin kepegawaian and the kepala daerah evaluates ``emp`` directly."""
    return actor.role == ADMIN_KEPEGAWAIAN and reports_to_kepala_daerah(session, emp)


def require_assignment_evaluator(session: Session, actor: Principal, skp) -> Employee:
    """The employee, if ``actor`` is the pejabat penilai of the assignment of ``skp`` (an earlier SKP)."""
    emp = employee_or_404(session, skp.employee_id)
    if actor.is_system or (actor.employee_id and actor.employee_id == skp.evaluator_id):
        return emp
    if actor.role == ADMIN_KEPEGAWAIAN and skp.evaluator_id is None:
        return emp  # the earlier assignment was evaluated by the kepala daerah: HR records it
    raise PermissionDenied(
        _(
            "Evaluasi penugasan {name} sebelum mutasi diisi dan difinalkan oleh pejabat penilai pada penugasan itu."
        ).format(name=emp.full_name)
    )
