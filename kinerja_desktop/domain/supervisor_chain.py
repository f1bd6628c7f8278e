"""Who evaluates whom, derived from the units and the positions when a file names no supervisor.

SIASN's download has no "NIP Atasan". The chain follows the organisation (PermenPANRB
6/2022: the pejabat penilai kinerja is the direct superior):

1. The **head of a unit** is the holder of its highest jabatan struktural (JPT, then
   administrator, then pengawas; a "Kepala Sekolah/Puskesmas/..." position counts as a
   head even when it is fungsional). When two holders share the highest level, the one
   whose position is titled as the unit's head wins; otherwise the unit has **two heads**
   and nobody is guessed: its staff are left without a pejabat penilai.
2. The head is the pejabat penilai of the unit's staff.
3. The head of a sub-unit reports to the head of the nearest unit above that has one.
4. Heads of perangkat daerah (top units) report to the **Sekda**; the Sekda is evaluated
   by the Bupati, who is not in the roster.
5. A unit **without a head**: its staff go to the head of the nearest unit above, and the
   result says so for that unit (the rule is shown, never applied silently).

Pure: plain values in, a :class:`Chain` out. Every person without a pejabat penilai comes
with the reason.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from kinerja_desktop.domain.positions import PositionKind

#: Rank of a position for finding a unit's head (0: not a head).
RANKS = {PositionKind.JPT.value: 3, PositionKind.ADMINISTRATOR.value: 2, PositionKind.PENGAWAS.value: 1}

# Why a person has no derived pejabat penilai.
SEKDA = "sekda"  # the top of the chain: evaluated by the Bupati
NO_UNIT = "no_unit"
TWO_HEADS = "two_heads"  # their unit has two equally ranked heads
NO_HEAD = "no_head"  # no head in their unit nor in any unit above
NO_SEKDA = "no_sekda"  # a head of a perangkat daerah, and the file names no (single) Sekda

# How the staff of a unit got their pejabat penilai.
HEAD = "head"  # the unit's own head
HEAD_ABOVE = "head_above"  # the unit has no head: the head of the unit above


@dataclass(frozen=True)
class Person:
    key: Hashable
    unit: Hashable | None
    kind: str = ""  # PositionKind value of the position
    head_title: bool = False  # the position is named as a unit's head ("Kepala Dinas ...", "Camat ...")
    sekda: bool = False  # the position is Sekretaris Daerah


@dataclass
class UnitChain:
    unit: Hashable
    head: Hashable | None = None
    heads: tuple = ()  # two or more equally ranked heads (none chosen)
    rule: str = HEAD  # HEAD, HEAD_ABOVE, TWO_HEADS or NO_HEAD, for the unit's staff
    evaluator: Hashable | None = None  # who evaluates the unit's staff
    via: Hashable | None = None  # HEAD_ABOVE: the unit whose head that is
    staff: int = 0


@dataclass
class Chain:
    supervisor: dict = field(default_factory=dict)  # person key -> pejabat penilai key (or None)
    reasons: dict = field(default_factory=dict)  # person key -> why they have none
    units: dict = field(default_factory=dict)  # unit -> UnitChain
    sekda: Hashable | None = None


def _rank(p: Person) -> int:
    rank = RANKS.get(p.kind, 0)
    return rank if rank else (1 if p.head_title else 0)


def _unit_heads(members: list[Person]) -> tuple[Person | None, tuple[Person, ...]]:
    """(the head, or None; and the equally ranked candidates when there is no single one)."""
    ranked = [(p, _rank(p)) for p in members]
    top = max((r for _p, r in ranked), default=0)
    if top == 0:
        return None, ()
    tops = [p for p, r in ranked if r == top]
    if len(tops) == 1:
        return tops[0], ()
    titled = [p for p in tops if p.head_title]
    if len(titled) == 1:
        return titled[0], ()
    return None, tuple(tops)


def derive_chain(units: dict, people: Iterable[Person]) -> Chain:
    """The chain for ``people`` in ``units`` (unit -> parent unit or None)."""
    people = list(people)
    chain = Chain()
    members: dict = {}
    for p in people:
        if p.unit is not None:
            members.setdefault(p.unit, []).append(p)
    heads: dict = {}
    for unit, group in members.items():
        head, tied = _unit_heads(group)
        info = UnitChain(unit, head.key if head else None, tuple(p.key for p in tied), staff=len(group))
        chain.units[unit] = info
        if head is not None:
            heads[unit] = head.key
    sekdas = [p.key for p in people if p.sekda]
    chain.sekda = sekdas[0] if len(sekdas) == 1 else None

    above: dict = {}

    def head_above(unit, seen=()) -> tuple[Hashable | None, Hashable | None]:
        """(head, unit) of the nearest unit at or above ``unit`` with a head."""
        if unit is None or unit in seen:
            return None, None
        if unit in above:
            return above[unit]
        if unit in heads:
            found = (heads[unit], unit)
        elif unit in chain.units and chain.units[unit].heads:
            found = (None, None)  # two heads: nothing above it is guessed either
        else:
            found = head_above(units.get(unit), (*seen, unit))
        above[unit] = found
        return found

    for info in chain.units.values():
        if info.head is not None:
            info.rule, info.evaluator = HEAD, info.head
        elif info.heads:
            info.rule = TWO_HEADS
        else:
            info.evaluator, info.via = head_above(units.get(info.unit))
            info.rule = HEAD_ABOVE if info.evaluator is not None else NO_HEAD

    for p in people:
        _assign(chain, p, units, head_above)
    return chain


def _assign(chain: Chain, p: Person, units: dict, head_above) -> None:
    if p.key == chain.sekda:
        chain.supervisor[p.key], chain.reasons[p.key] = None, SEKDA
        return
    if p.unit is None or p.unit not in chain.units:
        chain.supervisor[p.key], chain.reasons[p.key] = None, NO_UNIT
        return
    info = chain.units[p.unit]
    if p.key == info.head or p.key in info.heads:  # a head: to the head above, or the Sekda at the top
        parent = units.get(p.unit)
        if parent is None:
            sup, reason = chain.sekda, NO_SEKDA
        else:
            sup, _via = head_above(parent)
            reason = NO_HEAD
    elif info.rule == TWO_HEADS:
        sup, reason = None, TWO_HEADS
    else:
        sup, reason = info.evaluator, NO_HEAD
    if sup == p.key:
        sup = None
    chain.supervisor[p.key] = sup
    if sup is None:
        chain.reasons[p.key] = reason
