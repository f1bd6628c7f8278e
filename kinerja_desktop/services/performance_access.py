"""Who may write SKP, feedback and evaluations (on top of services.permissions).

- Viewing: :func:`services.permissions.require_employee_access` (HR sees all; a pejabat
  penilai sees the employees below them in the chain).
- Writing SKP, feedback and evaluation drafts: a pejabat penilai for the employees
  below them in the chain (HR views but does not write them).
- Finalizing and revising: only the pejabat penilai, i.e. the employee's direct supervisor.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kinerja_desktop.errors import NotFound, PermissionDenied
from kinerja_desktop.i18n import _
from kinerja_desktop.services.permissions import chain_of, require_employee_access
from kinerja_desktop.services.principal import PEJABAT_PENILAI, Principal
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
    if actor.role == PEJABAT_PENILAI and actor.employee_id and actor.employee_id in chain_of(session, employee_id):
        return emp
    require_employee_access(session, actor, employee_id)  # names the employee when not visible at all
    raise PermissionDenied(
        _("Hanya pejabat penilai (atasan dalam rantai) yang dapat mengisi SKP, umpan balik, dan evaluasi "
          "{name}; akun Anda hanya dapat melihatnya.").format(name=emp.full_name)
    )


def require_evaluator(session: Session, actor: Principal, employee_id: str) -> Employee:
    """The employee, if ``actor`` is their pejabat penilai (direct supervisor)."""
    emp = employee_or_404(session, employee_id)
    if actor.is_system:
        return emp
    require_write(session, actor, employee_id)
    if actor.employee_id != emp.supervisor_id:
        raise PermissionDenied(
            _("Hanya pejabat penilai langsung {name} (atasan langsungnya) yang dapat memfinalkan atau "
              "merevisi evaluasinya.").format(name=emp.full_name)
        )
    return emp
