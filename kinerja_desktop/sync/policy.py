"""Per-table rules the merge obeys beyond ``(hlc, site)``.

``PROTECTED_WHEN[table](row_image) -> bool``: while the stored row satisfies the predicate,
a change coming from a site other than the row's owner (``origin_site``) is not applied;
it goes to ``sync_conflicts`` for a person to look at.

``IMMUTABLE_WHEN[table](row_image) -> bool``: while the stored row satisfies the predicate,
no incoming change is applied, whoever sends it. A final evaluation is immutable: a
correction is a new revision row (``revision_of_id``), never a change of the final one.

Who may originate a change at all is ``sync.authority``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

PROTECTED_WHEN: dict[str, Callable[[Mapping], bool]] = {
    # A signed file on record is changed only by the site that recorded it (services.documents).
    "signed_documents": lambda row: True,
}

IMMUTABLE_WHEN: dict[str, Callable[[Mapping], bool]] = {
    "evaluations": lambda row: row.get("status") == "final",
}


def is_protected(table: str, row: Mapping | None) -> bool:
    rule = PROTECTED_WHEN.get(table) or IMMUTABLE_WHEN.get(table)
    return bool(rule and row is not None and rule(row))
