"""What every window and page of a signed-in session shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from kinerja_desktop import paths
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import (
    ADMIN_KEPEGAWAIAN,
    ADMINISTRATOR,
    SUPERVISOR_ROLES,
    SYSTEM_ROLE,
    Principal,
)
from kinerja_desktop.ui.operations import DataBus, Operations

if TYPE_CHECKING:  # pragma: no cover
    from kinerja_desktop.store.database import Database
    from kinerja_desktop.ui.tasks import TaskRunner
from kinerja_desktop.services.access.role_rules import allows as rule_allows


def ui_settings() -> QSettings:
    """Window size, position and last page: an INI file in the data folder."""
    folder = paths.locations().data
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat)


def role_label(role: str) -> str:
    """The role as people call it (translated)."""
    if role == SYSTEM_ROLE:
        return _("Sistem")
    from kinerja_desktop.services.access.permissions import (  # noqa: PLC0415 (the frame paints before SQLAlchemy loads)
        role_label as label,
    )

    return label(role)


def allows(p: Principal, action: str) -> bool:
    """The role rules' answer for ``action`` in general (which pages and buttons to show)."""

    return rule_allows(p, action)


def is_administrator(p: Principal) -> bool:
    return p.role in (ADMINISTRATOR, SYSTEM_ROLE)


def manages_roster(p: Principal) -> bool:
    """May add, edit, import employees (the services enforce it; the UI hides the buttons)."""
    return p.role in (ADMINISTRATOR, ADMIN_KEPEGAWAIAN, SYSTEM_ROLE)


def handles_complaints(p: Principal) -> bool:
    """May open the complaint register (services.pengaduan_access decides what they see in it)."""
    return manages_roster(p) or (p.role in SUPERVISOR_ROLES and bool(p.employee_id))


@dataclass
class AppContext:
    db: Database
    principal: Principal
    runner: TaskRunner
    settings: QSettings = field(default_factory=ui_settings)
    window: object | None = None
    bus: DataBus = field(default_factory=DataBus)

    def query(self, fn, on_done=None, **kw) -> int:
        """Run ``fn(session)`` off the UI thread (see :mod:`kinerja_desktop.ui.operations`)."""
        return Operations(self.runner, self.bus).query(fn, on_done, **kw)

    def write(self, fn, on_done=None, **kw) -> int:
        """Run ``fn(session)`` in a transaction off the UI thread, then tell the pages
        that show the changed kinds (see :mod:`kinerja_desktop.ui.operations`)."""
        return Operations(self.runner, self.bus).write(fn, on_done, **kw)
