"""The SKP rows an evaluation freezes when it is finalized (``Evaluation.frozen_skp``).

A final evaluation keeps the RHK and IKI it was judged against, even when the SKP is
changed later. One builder makes those rows for the service that finalizes, for the demo
that writes final evaluations directly, and for the documents that print a draft the way
finalizing would freeze it; one reader gives them back typed (old rows lack some keys).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any


@dataclass(frozen=True)
class FrozenSkpRow:
    """One IKI of the SKP with its RHK, as the evaluation form prints it."""

    group: str  # utama / tambahan
    rhk_id: str
    rhk: str
    perspektif: str | None  # JPT: the perspective; others: None
    rhk_pimpinan: str  # the leader's RHK this one supports ("" when none)
    iki_id: str
    aspek: str
    iki: str
    target: str
    no: int = 0  # the RHK's number on the form, set by freeze()


def freeze(rows: Iterable[FrozenSkpRow]) -> dict[str, list[dict[str, Any]]]:
    """The ``frozen_skp`` value of ``rows`` (in form order): RHKs numbered 1, 2, ... in order."""
    numbers: dict[str, int] = {}
    out = []
    for row in rows:
        number = numbers.setdefault(row.rhk_id, len(numbers) + 1)
        out.append(asdict(replace(row, no=number)))
    return {"rows": out}


def frozen_rows(value: Mapping[str, Any] | None) -> list[FrozenSkpRow]:
    """The rows of a stored ``frozen_skp`` value (missing keys of older rows read as empty)."""
    rows = []
    for i, raw in enumerate((value or {}).get("rows", []), start=1):
        rows.append(
            FrozenSkpRow(
                group=raw.get("group") or "utama",
                rhk_id=raw.get("rhk_id") or raw.get("rhk") or str(i),
                rhk=raw.get("rhk") or "",
                perspektif=raw.get("perspektif"),
                rhk_pimpinan=raw.get("rhk_pimpinan") or "",
                iki_id=raw.get("iki_id") or "",
                aspek=raw.get("aspek") or "",
                iki=raw.get("iki") or "",
                target=raw.get("target") or "",
                no=int(raw.get("no") or 0),
            )
        )
    return rows
