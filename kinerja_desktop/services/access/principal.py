"""Who is acting: the signed-in user (or the system for command-line and batch work)."""

from __future__ import annotations

from dataclasses import dataclass

ADMINISTRATOR = "administrator"
ADMIN_KEPEGAWAIAN = "admin_kepegawaian"
PEJABAT_PENILAI = "pejabat_penilai"
ATASAN_PEJABAT_PENILAI = "atasan_pejabat_penilai"
PEGAWAI = "pegawai"
SYSTEM_ROLE = "system"

#: Roles that see and evaluate the employees below their own record in the supervisor chain.
SUPERVISOR_ROLES = (PEJABAT_PENILAI, ATASAN_PEJABAT_PENILAI)


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
