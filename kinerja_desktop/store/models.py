"""Import every model so the mappers and the metadata are complete."""

from kinerja_desktop.store.audit import AuditEntry
from kinerja_desktop.store.base import Base, Synced, synced_tables
from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.store.site import Setting, Site
from kinerja_desktop.store.users import User

__all__ = [
    "AuditEntry", "Base", "ChangeLog", "Employee", "Position", "Setting", "Site", "Synced",
    "Unit", "User", "synced_tables",
]
