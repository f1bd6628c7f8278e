"""The role rules: one table of action -> roles allowed, plus who the action must concern.

Every service that acts for a person asks :func:`permissions.can` / :func:`permissions.require`
with the facts of the record (whose it is, who evaluates it, who supervises the evaluator);
the window asks the same table which pages and buttons to show. The tests read this table.

Facts a rule's ``who`` may need (employee ids, ``None`` when unknown):

- ``owner``: the employee the record belongs to;
- ``evaluator``: the pejabat penilai of that record;
- ``atasan``: the atasan pejabat penilai (the evaluator's own supervisor).

This module is pure data and small functions (no database): the window imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.principal import (
    ADMIN_KEPEGAWAIAN,
    ADMINISTRATOR,
    ATASAN_PEJABAT_PENILAI,
    PEGAWAI,
    PEJABAT_PENILAI,
    Principal,
)

HR = (ADMINISTRATOR, ADMIN_KEPEGAWAIAN)
SUPERVISORS = (PEJABAT_PENILAI, ATASAN_PEJABAT_PENILAI)
EVERYONE = (ADMINISTRATOR, ADMIN_KEPEGAWAIAN, PEJABAT_PENILAI, ATASAN_PEJABAT_PENILAI, PEGAWAI)


def anyone(_p: Principal, _f: dict) -> bool:
    return True


def is_owner(p: Principal, f: dict) -> bool:
    """The record is the person's own."""
    return bool(p.employee_id) and p.employee_id == f.get("owner")


def is_evaluator(p: Principal, f: dict) -> bool:
    return bool(p.employee_id) and p.employee_id == f.get("evaluator")


def is_atasan_not_evaluator(p: Principal, f: dict) -> bool:
    """The atasan pejabat penilai, who is not also the evaluator (nobody judges their own rating)."""
    return bool(p.employee_id) and p.employee_id == f.get("atasan") and p.employee_id != f.get("evaluator")


def is_party(p: Principal, f: dict) -> bool:
    """One of the three people of an evaluation: the pegawai, the pejabat penilai, the atasan."""
    return bool(p.employee_id) and p.employee_id in (f.get("owner"), f.get("evaluator"), f.get("atasan"))


@dataclass(frozen=True)
class Rule:
    roles: tuple[str, ...]
    #: HR roles pass ``who`` (they see every record of the site); other roles must satisfy it.
    who: Callable[[Principal, dict], bool] = anyone
    #: The sentence shown when refused (Indonesian source, translated when raised).
    refused: str = N_("Akun Anda tidak berwenang melakukan tindakan ini.")
    hr_bypass: bool = False


RULES: dict[str, Rule] = {
    # The employee's own part of the work.
    "skp.propose": Rule(
        (PEGAWAI,), is_owner, N_("Hanya pegawai pemilik SKP yang dapat mengusulkan RHK dan IKI untuk SKP ini.")
    ),
    "skp.decide_proposal": Rule(
        SUPERVISORS,
        is_evaluator,
        N_("Hanya pejabat penilai pegawai ini yang dapat menyetujui atau mengembalikan usulan RHK/IKI."),
    ),
    "realisasi.report": Rule(
        (PEGAWAI,), is_owner, N_("Hanya pegawai pemilik SKP yang dapat melaporkan realisasinya sendiri.")
    ),
    "feedback.reply": Rule(
        (PEGAWAI,), is_owner, N_("Hanya pegawai yang menerima umpan balik ini yang dapat menanggapinya.")
    ),
    "dialog.confirm": Rule(
        (PEGAWAI,),
        is_owner,
        N_("Hanya pegawai yang bersangkutan yang dapat menandai dialog kinerja ini telah dilaksanakan."),
    ),
    "evaluation.acknowledge": Rule(
        (PEGAWAI,), is_owner, N_("Hanya pegawai yang dinilai yang dapat menyatakan telah membaca evaluasi ini.")
    ),
    "evaluation.view_draft": Rule(
        EVERYONE,
        lambda p, f: not is_owner(p, f) or bool(f.get("shared")),
        N_("Draf evaluasi ini belum dibagikan oleh pejabat penilai."),
        hr_bypass=True,
    ),
    "evaluation.share": Rule(
        SUPERVISORS, is_evaluator, N_("Hanya pejabat penilai pegawai ini yang dapat membagikan draf evaluasinya.")
    ),
    # Keberatan (PP 30/2019 Pasal 59).
    "keberatan.lodge": Rule(
        (PEGAWAI,), is_owner, N_("Keberatan hanya dapat diajukan oleh pegawai yang dinilai, atas evaluasinya sendiri.")
    ),
    "keberatan.view": Rule(
        EVERYONE,
        is_party,
        N_(
            "Keberatan ini hanya dapat dilihat oleh pegawai yang bersangkutan, pejabat "
            "penilai, atasan pejabat penilai dan admin kepegawaian."
        ),
        hr_bypass=True,
    ),
    "keberatan.explain": Rule(
        SUPERVISORS,
        is_atasan_not_evaluator,
        N_("Hanya atasan pejabat penilai yang mencatat penjelasan para pihak atas keberatan ini."),
    ),
    "keberatan.decide": Rule(
        SUPERVISORS,
        is_atasan_not_evaluator,
        N_(
            "Keberatan diputus oleh atasan pejabat penilai; pejabat penilai tidak dapat "
            "memutus keberatan atas penilaiannya sendiri."
        ),
    ),
    # Accounts and the shared PC.
    "accounts.create_for_unit": Rule(HR, refused=N_("Akun pegawai dibuat oleh admin kepegawaian atau administrator.")),
    "settings.change": Rule((ADMINISTRATOR,), refused=N_("Pengaturan hanya dapat diubah oleh administrator.")),
    # Pages of the window (the services enforce the data; these only choose what is shown).
    "page.roster": Rule((*HR, *SUPERVISORS)),
    "page.penilaian": Rule((*HR, *SUPERVISORS)),
    "page.pegawai_saya": Rule((PEGAWAI, *SUPERVISORS)),
    "page.keberatan": Rule(EVERYONE),
    "card.penilaian": Rule((ADMIN_KEPEGAWAIAN, *SUPERVISORS)),  # the Beranda card of the evaluations
    "button.plan_from_gaps": Rule((PEJABAT_PENILAI,)),  # with HR's write access: Pelatihan's plan from the gaps
}


def allows(principal: Principal, action: str, facts: dict | None = None) -> bool:
    """True when the table lets ``principal`` do ``action`` given ``facts``; unknown actions: no."""
    if principal.is_system:
        return True
    rule = RULES.get(action)
    if rule is None or principal.role not in rule.roles:
        return False
    if rule.hr_bypass and principal.role in HR:
        return True
    if facts is None:  # asking about the action in general (the window)
        return True
    return rule.who(principal, facts)


def refusal(action: str) -> str:
    """The translated sentence for a refused ``action``."""
    rule = RULES.get(action)
    return _(rule.refused) if rule else _("Akun Anda tidak berwenang melakukan tindakan ini.")
