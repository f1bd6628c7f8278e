"""Competency standards (PermenPANRB 38/2017): managerial and socio-cultural, levels 1-5.

Teknis competencies are defined per position by the agency and are not listed here.
A position requires a level per competency; gap = required - assessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kinerja_desktop.i18n import N_, _

CompetencyGroup = Literal["manajerial", "sosial_kultural", "teknis"]
MIN_LEVEL = 1
MAX_LEVEL = 5


@dataclass(frozen=True)
class Competency:
    """A competency from the national standard."""

    code: str
    name: str
    group: CompetencyGroup


MANAGERIAL: tuple[Competency, ...] = (
    Competency("M.1", N_("Integritas"), "manajerial"),
    Competency("M.2", N_("Kerja Sama"), "manajerial"),
    Competency("M.3", N_("Komunikasi"), "manajerial"),
    Competency("M.4", N_("Orientasi pada Hasil"), "manajerial"),
    Competency("M.5", N_("Pelayanan Publik"), "manajerial"),
    Competency("M.6", N_("Pengembangan Diri dan Orang Lain"), "manajerial"),
    Competency("M.7", N_("Mengelola Perubahan"), "manajerial"),
    Competency("M.8", N_("Pengambilan Keputusan"), "manajerial"),
)
SOCIOCULTURAL: tuple[Competency, ...] = (Competency("SK.1", N_("Perekat Bangsa"), "sosial_kultural"),)
COMPETENCIES: tuple[Competency, ...] = MANAGERIAL + SOCIOCULTURAL

_BY_CODE = {c.code: c for c in COMPETENCIES}


def competency(code: str) -> Competency:
    """The competency for ``code``; "M.1", "m1", "M 1" and "SK1" all work."""
    key = "".join(str(code).upper().split()).replace(".", "")
    for prefix in ("SK", "M"):
        if key.startswith(prefix) and key[len(prefix) :].isdigit():
            key = f"{prefix}.{int(key[len(prefix) :])}"
            break
    found = _BY_CODE.get(key)
    if found is None:
        raise ValueError(_("Kompetensi '{value}' tidak dikenal.").format(value=code))
    return found


def validate_level(n: object) -> int:
    """A competency level 1-5 (an int or a digit string); raises ``ValueError`` (Indonesian)."""
    if isinstance(n, bool):
        level = None
    elif isinstance(n, int):
        level = n
    elif isinstance(n, str) and n.strip().isdigit():
        level = int(n.strip())
    else:
        level = None
    if level is None or not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ValueError(
            _("Level kompetensi harus bilangan bulat {low} sampai {high}, bukan {value}.").format(
                low=MIN_LEVEL, high=MAX_LEVEL, value=n
            )
        )
    return level


def gap(required: int, assessed: int) -> int:
    """Signed gap: required - assessed (positive = below the standard, negative = above)."""
    return validate_level(required) - validate_level(assessed)


def has_gap(required: int, assessed: int) -> bool:
    """True when the assessed level is below the required level."""
    return gap(required, assessed) > 0
