"""Who may change what: the authorization of every incoming change (docs/sync.md, "Wewenang").

``AUTHORITY`` has one line per synced table:

- ``CENTRAL``: district-wide master data; only the central office originates changes.
- ``ANY``: any enrolled site; the row proves itself (a revocation list is signed by its CA
  and checked against the issuer wherever it is used).
- ``SCOPED``: an office may change a row when the stored row (if any) *and* the incoming row
  are in the office's enrolled scope, by the same rules that decide what it receives
  (``sync.scope``: a row is in scope when one of its foreign keys points into scope; the
  ``units`` in scope are the office's unit and everything under it).

Besides the table rule, a change an office sends must be its own: its stamp ends with the
office's site id, a new row names the office as its origin, and an update keeps the stored
origin (``forged`` otherwise). Offices never relay other sites' changes; the central office
relays everyone's, so changes from central are not screened here (they were screened when
central received them).

A refused change is never applied: it is kept in ``sync_conflicts`` with reason
``unauthorized`` or ``forged`` (only the stored version can be kept), and the rest of the
bundle applies. A table without a line here is refused whole (``unauthorized``), and
``tests/unit/test_sync_authority.py`` fails, so a new synced table gets a line deliberately.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.engine import Connection

from kinerja_desktop.store.org import Unit
from kinerja_desktop.store.site import Site
from kinerja_desktop.sync.scope import scope_selects
from kinerja_desktop.sync.tables import UNIT_TABLE, TableInfo, site_of

CENTRAL = "central"
SCOPED = "scoped"
ANY = "any"

#: Synced table -> who may originate its changes. One line per table; keep it sorted.
AUTHORITY: dict[str, str] = {
    "angka_kredit_awal": SCOPED,
    "capaian_organisasi": CENTRAL,
    "competency_activity_suggestions": CENTRAL,
    "competency_assessments": SCOPED,
    "competency_requirements": CENTRAL,
    "complaint_services": SCOPED,
    "complaint_steps": SCOPED,
    "complaints": SCOPED,
    "development_plan_items": SCOPED,
    "dialog_confirmations": SCOPED,
    "dialog_meetings": SCOPED,
    "employees": SCOPED,
    "evaluation_acknowledgements": SCOPED,
    "evaluation_shares": SCOPED,
    "evaluations": SCOPED,
    "evidence_files": SCOPED,
    "feedback_notes": SCOPED,
    "feedback_replies": SCOPED,
    "holidays": CENTRAL,
    "iki": SCOPED,
    "keberatan": SCOPED,
    "kepala_daerah": CENTRAL,
    "periods": CENTRAL,
    "positions": CENTRAL,
    "realisasi_reports": SCOPED,
    "revocation_lists": ANY,
    "rhk": SCOPED,
    "signed_documents": SCOPED,
    "skp": SCOPED,
    "skp_expectations": SCOPED,
    "skp_proposals": SCOPED,
    "technical_competencies": CENTRAL,
    "training_activities": CENTRAL,
    "training_records": SCOPED,
    "training_types": CENTRAL,
    "units": SCOPED,
}

#: Conflict reasons this module gives (only the stored version can be kept).
UNAUTHORIZED = "unauthorized"
FORGED = "forged"


class Authority:
    """Screens the changes of one bundle from one source site, table by table (parents first)."""

    def __init__(
        self,
        conn: Connection,
        schema: list[TableInfo],
        source: Site | None,
        root_unit_id: str | None,
        *,
        whole_district: bool,
    ) -> None:
        self.conn = conn
        self.source_id = source.id if source is not None else ""
        self.trusted = source is not None and bool(source.is_central)
        self.whole_district = whole_district
        self.root = root_unit_id
        self.selects = {} if whole_district or root_unit_id is None else scope_selects(schema, root_unit_id)
        self._in_scope: dict[str, set[str]] = {}

    def in_scope(self, table: str) -> set[str]:
        """Ids of ``table`` in the source's scope: stored ones, plus incoming ones accepted so far."""
        ids = self._in_scope.get(table)
        if ids is None:
            q = self.selects.get(table)
            ids = set(self.conn.scalars(q)) if q is not None else set()
            self._in_scope[table] = ids
        return ids

    def _forged(self, c: dict, stored: tuple[str, str] | None) -> bool:
        if site_of(c["hlc"]) != self.source_id:
            return True
        if stored is None:
            return c["origin_site"] != self.source_id
        return c["origin_site"] != stored[1]

    def _row_in_scope(self, info: TableInfo, row: dict) -> bool:
        if info.name == UNIT_TABLE and row.get("_id") == self.root:
            return True
        for col, ref in info.fks:
            if ref == info.name and info.name != UNIT_TABLE:
                continue
            value = row.get(col)
            if value is not None and value in self.in_scope(ref):
                return True
        return False

    def _authorized(self, info: TableInfo, c: dict, stored: tuple[str, str] | None, stored_row: dict | None) -> bool:
        rule = AUTHORITY.get(info.name)
        if rule == ANY:
            return True
        if rule != SCOPED:
            return False
        if self.whole_district:
            return True
        if info.name not in self.selects:
            return False
        mine = self.in_scope(info.name)
        if stored is not None and c["id"] not in mine:
            return False
        incoming = {**c["row"], "_id": c["id"]}
        if info.name == UNIT_TABLE and c["id"] == self.root:
            # The office's own unit: it may rename it, not hang it elsewhere in the district tree.
            return stored_row is not None and incoming.get("parent_id") == stored_row.get("parent_id")
        return self._row_in_scope(info, incoming)

    def screen(
        self, info: TableInfo, items: Iterable[dict], existing: dict[str, tuple[str, str]], stored_rows
    ) -> tuple[list[dict], list[tuple[dict, str]]]:
        """(allowed changes, [(refused change, reason)]) for one table's changes.

        ``existing``: id -> (hlc, origin) of the stored rows; ``stored_rows(ids)``: id -> row of
        the stored rows (called only when a rule needs the stored values).
        """
        if self.trusted:
            return list(items), []
        items = list(items)
        roots = [c["id"] for c in items if info.name == UNIT_TABLE and c["id"] == self.root and c["id"] in existing]
        full = stored_rows(roots) if roots else {}
        allowed, refused = [], []
        pending = items
        accepted = self.in_scope(info.name) if info.name in self.selects else set()
        # Rows of a self-referencing table (units) may refer to one another within the bundle:
        # retry until no more can be placed in scope.
        while pending:
            later = []
            for c in pending:
                stored = existing.get(c["id"])
                if self._forged(c, stored):
                    refused.append((c, FORGED))
                elif self._authorized(info, c, stored, full.get(c["id"])):
                    allowed.append(c)
                    accepted.add(c["id"])
                else:
                    later.append(c)
            if len(later) == len(pending) or info.name != UNIT_TABLE:
                refused.extend((c, UNAUTHORIZED) for c in later)
                break
            pending = later
        return allowed, refused


def authority_for(session, schema: list[TableInfo], source_id: str) -> Authority:
    """The screen for a bundle from ``source_id``, with that site's enrolled scope as known here."""

    source = session.get(Site, source_id)
    code = source.unit_code if source is not None else None
    root = session.scalar(select(Unit.id).where(Unit.code == code)) if code else None
    return Authority(session.connection(), schema, source, root, whole_district=code is None)
