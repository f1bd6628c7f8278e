"""Who is acting: the signed-in user (or the system for command-line and batch work)."""

from __future__ import annotations

from dataclasses import dataclass

ADMINISTRATOR = "administrator"
ADMIN_KEPEGAWAIAN = "admin_kepegawaian"
PEJABAT_PENILAI = "pejabat_penilai"
SYSTEM_ROLE = "system"


@dataclass(frozen=True)
class Principal:
    username: str
    role: str
    employee_id: str | None = None
    user_id: str | None = None

    @property
    def is_system(self) -> bool:
        return self.role == SYSTEM_ROLE


#: The command line and background jobs act as the system (full rights, audited as such).
SYSTEM = Principal("system", SYSTEM_ROLE)
