"""Reading the audit trail for the administrators' viewer: filtered, newest first, in pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, String, cast, func, or_, select
from sqlalchemy.orm import Session

from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.permissions import require_role
from kinerja_desktop.services.access.principal import ADMINISTRATOR, Principal
from kinerja_desktop.store.audit import AuditEntry

MAX_PAGE = 5000

#: Indonesian names of the actions written by the services (others are shown as they are).
ACTION_LABELS: dict[str, str] = {
    "create": N_("tambah"),
    "update": N_("ubah"),
    "delete": N_("hapus"),
    "login": N_("masuk"),
    "login_failed": N_("gagal masuk"),
    "locked": N_("akun dikunci"),
    "change_password": N_("ganti kata sandi"),
    "reset_password": N_("atur ulang kata sandi"),
    "import": N_("impor"),
    "finalize": N_("finalkan"),
    "agree": N_("sepakati"),
    "reopen": N_("buka kembali"),
    "revise": N_("revisi"),
    "retract": N_("tarik kembali"),
    "sign": N_("tanda tangan"),
    "close": N_("tutup"),
    "demo": N_("buat data contoh"),
    "demo_training": N_("buat data contoh pelatihan"),
}


def action_label(action: str) -> str:
    return _(ACTION_LABELS[action]) if action in ACTION_LABELS else action.replace("_", " ")


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None  # user name, exact
    action: str | None = None  # exact ("update", "login_failed", ...)
    table: str | None = None  # exact table name ("employees", "users", ...)
    text: str | None = None  # anywhere in the row id, the actor, or the before/after images
    date_from: date | datetime | None = None  # local date (inclusive), or an exact moment
    date_to: date | datetime | None = None  # local date (inclusive), or an exact moment (exclusive)


def _utc_naive(moment: datetime) -> datetime:
    """A moment as naive UTC, how ``audit_log.at`` is stored (naive input is local time)."""
    if moment.tzinfo is None:
        moment = moment.astimezone()  # naive: this computer's local time
    return moment.astimezone(UTC).replace(tzinfo=None)


def _bound(value: date | datetime, *, end: bool) -> datetime:
    if isinstance(value, datetime):
        return _utc_naive(value)
    start = datetime.combine(value + timedelta(days=1) if end else value, time.min)
    return _utc_naive(start)


def _conditions(flt: AuditFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if flt.actor:
        conds.append(AuditEntry.actor == flt.actor)
    if flt.action:
        conds.append(AuditEntry.action == flt.action)
    if flt.table:
        conds.append(AuditEntry.table_name == flt.table)
    if flt.date_from is not None:
        conds.append(AuditEntry.at >= _bound(flt.date_from, end=False))
    if flt.date_to is not None:
        conds.append(AuditEntry.at < _bound(flt.date_to, end=True))
    text = (flt.text or "").strip()
    if text:
        conds.append(
            or_(
                AuditEntry.row_id.icontains(text, autoescape=True),
                AuditEntry.actor.icontains(text, autoescape=True),
                cast(AuditEntry.before, String).icontains(text, autoescape=True),
                cast(AuditEntry.after, String).icontains(text, autoescape=True),
            )
        )
    return conds


def count_audit(session: Session, principal: Principal, flt: AuditFilter) -> int:
    """How many entries match ``flt``; administrator only."""
    require_role(principal, ADMINISTRATOR)
    return session.scalar(select(func.count()).select_from(AuditEntry).where(*_conditions(flt))) or 0


def list_audit(
    session: Session, principal: Principal, flt: AuditFilter, *, offset: int = 0, limit: int = 200
) -> list[AuditEntry]:
    """One page of matching entries, newest first; administrator only."""
    require_role(principal, ADMINISTRATOR)
    limit = max(0, min(int(limit), MAX_PAGE))
    return list(
        session.scalars(
            select(AuditEntry)
            .where(*_conditions(flt))
            .order_by(AuditEntry.seq.desc())
            .offset(max(0, int(offset)))
            .limit(limit)
        )
    )


def audit_actors(session: Session, principal: Principal) -> list[str]:
    """The user names found in the log (for the viewer's filter)."""
    require_role(principal, ADMINISTRATOR)
    return list(session.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)))


def audit_actions(session: Session, principal: Principal) -> list[str]:
    require_role(principal, ADMINISTRATOR)
    return list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def audit_tables(session: Session, principal: Principal) -> list[str]:
    require_role(principal, ADMINISTRATOR)
    return list(
        session.scalars(
            select(AuditEntry.table_name).where(AuditEntry.table_name != "").distinct().order_by(AuditEntry.table_name)
        )
    )


def local_time(entry: AuditEntry) -> datetime:
    """When the entry was written, in this computer's local time (stored as UTC)."""
    return entry.at.replace(tzinfo=UTC).astimezone()
