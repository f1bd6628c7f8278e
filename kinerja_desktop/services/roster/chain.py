"""The supervisor links of an import: checked, derived, protected, never circular.

After every row was checked (:mod:`roster_rows`):

1. **Derived chain** (a SIASN download, which has no NIP Atasan): the chain of
   :mod:`kinerja_desktop.domain.supervisor_chain` over the roster as it will be after the
   import (the file's rows and the active employees already in the database), applied to the
   file's rows. A row whose NIP Atasan cell is filled keeps that link: the file wins.
2. **Hand-set links** (``supervisor_manual``, set by HR in the window) are never changed by
   an import; what the import would have set is reported.
3. **Checks until stable**: a NIP Atasan that names nobody (or a rejected row) rejects the
   row; a loop through the file's own links rejects those rows; a derived link that would
   close a loop (for instance through a link HR set by hand) is not set, and says so.

The result per unit (who heads it, who evaluates its staff, who is left without) is kept for
the preview.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from kinerja_desktop.domain import supervisor_chain as sc
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.roster import columns as rc
from kinerja_desktop.services.roster.rows import ABSENT, Candidate, RowChecker, RowError
from kinerja_desktop.services.roster.write import COL, RosterState

#: Why someone has no pejabat penilai, in words (reason codes of domain.supervisor_chain).
REASON_TEXT = {
    sc.SEKDA: N_("Sekretaris Daerah: dinilai oleh Bupati, yang tidak ada di daftar ASN"),
    sc.NO_UNIT: N_("tidak memiliki unit kerja"),
    sc.TWO_HEADS: N_("unitnya memiliki lebih dari satu pejabat struktural setingkat; pilih penilainya secara manual"),
    sc.NO_HEAD: N_("tidak ada pejabat struktural di unitnya maupun di unit di atasnya"),
    sc.NO_SEKDA: N_("kepala perangkat daerah, tetapi Sekretaris Daerah tidak ditemukan (atau lebih dari satu)"),
}


def reason_text(code: str) -> str:
    return _(REASON_TEXT[code]) if code in REASON_TEXT else code


@dataclass
class UnitChainView:
    """One unit of the derived chain, as the preview shows it."""

    unit: str
    parent: str
    head: str  # "Nama (NIP)" or ""
    head_evaluator: str  # who evaluates the head
    evaluator: str  # who evaluates the staff
    rule: str  # a sentence
    staff: int
    without: int  # people of this unit left without a pejabat penilai
    problem: bool = False


@dataclass
class ChainReport:
    derived: bool = False  # the file has no (complete) NIP Atasan: the chain was derived
    units: list[UnitChainView] = field(default_factory=list)
    without: list[tuple[str, str, str, str]] = field(default_factory=list)  # (nip, name, unit, reason)
    kept_manual: list[tuple[str, str, str, str]] = field(default_factory=list)  # (nip, name, kept, proposed)
    dropped: list[tuple[str, str, str]] = field(default_factory=list)  # (nip, name, reason)
    assigned: int = 0


class ChainBuilder:
    def __init__(
        self, checker: RowChecker, valid: dict[str, Candidate], *, exclude: frozenset[str] | set[str] = frozenset()
    ) -> None:
        self.checker = checker
        self.state: RosterState = checker.state
        self.valid = valid
        self.exclude = exclude  # database NIPs that will not be active after the import
        self.report = ChainReport()
        self.warnings: list[RowError] = []
        self._names: dict[str, str] = {}

    # -- who is who ------------------------------------------------------------------------
    def _claimed(self) -> set[str]:
        return {c.existing for c in self.valid.values() if c.existing}

    def name_of(self, key: object) -> str:
        """ "Name (NIP)" of a NIP in the file or the roster; "" for none (keys are NIPs or None)."""
        if not key or not isinstance(key, str):
            return ""
        cand = self.valid.get(key)
        if cand is not None:
            name = cand.values.get("name") or (
                self.state.employees[cand.existing][COL["name"]] if cand.existing else ""
            )
        else:
            row = self.state.employees.get(key)
            name = row[COL["name"]] if row else ""
        return f"{name} ({key})"

    def _final(self, cand: Candidate, column: str, values_key: str):
        if values_key in cand.values:
            return cand.values[values_key]
        attr = {"unit_id": cand.unit_id, "position_id": cand.position_id}.get(values_key, ABSENT)
        if attr is not ABSENT:
            return attr
        return self.state.employees[cand.existing][COL[column]] if cand.existing else None

    def people(self) -> list[sc.Person]:
        out: list[sc.Person] = []
        for nip, cand in self.valid.items():
            active = self._final(cand, "active", "active")
            if active is False:
                continue
            unit = self._final(cand, "unit_id", "unit_id")
            kind, titled, sekda = self.checker.position_facts(self._final(cand, "position_id", "position_id"))
            out.append(sc.Person(nip, unit, kind, titled, sekda))
        claimed = self._claimed()
        for nip, row in self.state.employees.items():
            if nip in self.valid or nip in claimed or nip in self.exclude:
                continue
            if row[COL["deleted"]] or not row[COL["active"]]:
                continue
            kind, titled, sekda = self.checker.position_facts(row[COL["position_id"]])
            out.append(sc.Person(nip, row[COL["unit_id"]], kind, titled, sekda))
        return out

    # -- 1. the derived chain --------------------------------------------------------------
    def derive(self) -> None:
        units = self.checker.units
        chain = sc.derive_chain(units.tree(), self.people())
        report = self.report
        report.derived = True
        for nip, cand in self.valid.items():
            if cand.supervisor is not ABSENT or nip not in chain.supervisor:
                continue
            cand.supervisor = chain.supervisor[nip]
            cand.derived = True
            if cand.supervisor is not None:
                report.assigned += 1
            else:
                report.without.append(
                    (
                        nip,
                        str(cand.values.get("name", "")),
                        units.name_of(self._final(cand, "unit_id", "unit_id")),
                        reason_text(chain.reasons.get(nip, sc.NO_HEAD)),
                    )
                )
        in_file = {units.name_of(self._final(c, "unit_id", "unit_id")) for c in self.valid.values()}
        for info in chain.units.values():
            name = units.name_of(info.unit)
            if name not in in_file:
                continue
            report.units.append(self._unit_view(chain, info, name))
        report.units.sort(key=lambda v: (v.parent or v.unit, v.parent != "", v.unit))

    def _unit_view(self, chain: sc.Chain, info: sc.UnitChain, name: str) -> UnitChainView:
        units = self.checker.units
        parent = units.name_of(units.parent_of(info.unit)) if info.unit in units.tree() else ""
        head_sup = chain.supervisor.get(info.head) if info.head else None
        without = sum(
            1 for k, r in chain.reasons.items() if k in self.valid and r != sc.SEKDA and self._unit_key(k) == info.unit
        )
        if info.rule == sc.HEAD:
            rule = _("dinilai oleh kepala unit")
        elif info.rule == sc.HEAD_ABOVE:
            rule = _("unit tanpa pejabat struktural: stafnya dinilai oleh kepala {unit}").format(
                unit=units.name_of(cast("str | None", info.via))
            )
        elif info.rule == sc.TWO_HEADS:
            rule = _("dua pejabat struktural setingkat ({names}): stafnya belum punya penilai").format(
                names=", ".join(self.name_of(k) for k in info.heads)
            )
        else:
            rule = _("tidak ada pejabat struktural di unit ini maupun di atasnya")
        head_evaluator = (
            self.name_of(head_sup)
            if head_sup
            else (reason_text(chain.reasons[info.head]) if info.head in chain.reasons else "")
        )
        return UnitChainView(
            name,
            parent,
            self.name_of(info.head),
            head_evaluator,
            self.name_of(info.evaluator),
            rule,
            info.staff,
            without,
            info.rule in (sc.TWO_HEADS, sc.NO_HEAD, sc.HEAD_ABOVE),
        )

    def _unit_key(self, nip: str):
        cand = self.valid.get(nip)
        return self._final(cand, "unit_id", "unit_id") if cand else None

    # -- 2. links set by hand --------------------------------------------------------------
    def keep_manual(self) -> None:
        state = self.state
        kept: set[str] = set()
        for nip, cand in self.valid.items():
            if not cand.existing or cand.supervisor is ABSENT:
                continue
            row = state.employees[cand.existing]
            if not row[COL["supervisor_manual"]]:
                continue
            current = state.nip_by_id.get(row[COL["supervisor_id"]]) if row[COL["supervisor_id"]] else None
            proposed = cand.supervisor
            if proposed != current:
                self.report.kept_manual.append(
                    (
                        nip,
                        str(cand.values.get("name") or row[COL["name"]]),
                        self.name_of(current) or _("(kosong)"),
                        self.name_of(proposed) or _("(kosong)"),
                    )
                )
            if cand.derived and proposed is not None:
                self.report.assigned -= 1
            cand.supervisor = ABSENT
            cand.derived = False
            kept.add(nip)
        if kept:  # their pejabat penilai is HR's own, not missing
            self.report.without = [w for w in self.report.without if w[0] not in kept]

    # -- 3. checks until stable ------------------------------------------------------------
    def check(self) -> None:
        """Reject rows whose supervisor does not exist, was rejected, or closes a loop.

        Repeats until stable, because rejecting a supervisor's row rejects those under it.
        """
        live = {nip for nip, row in self.state.employees.items() if not row[COL["deleted"]]}
        while True:
            if self._check_exists(live):
                continue
            cycles = self._find_cycles()
            if not cycles:
                return
            for cycle in cycles:
                self._break(cycle)

    def _check_exists(self, live: set[str]) -> bool:
        changed = False
        checker = self.checker
        for nip in list(self.valid):
            cand = self.valid[nip]
            sup = cand.supervisor
            if sup is ABSENT or sup is None or sup in self.valid or sup in live:
                continue
            if cand.derived:  # the derived head was rejected: no pejabat penilai for now, say why
                cand.supervisor = None
                self._drop(cand, _("pejabat penilai turunannya ({nip}) ditolak").format(nip=sup))
                changed = True
                continue
            first = checker.first_row_of.get(cast(str, sup))  # a NIP here: ABSENT and None were skipped above
            if first is not None:
                reason = _("Atasan dengan NIP {nip} ada di baris {row}, tetapi baris itu ditolak.").format(
                    nip=sup, row=first
                )
                code = "supervisor:rejected"
            else:
                reason = _("Atasan dengan NIP {nip} tidak ada di berkas ini maupun di basis data.").format(nip=sup)
                code = "supervisor:missing"
            checker.reject(cand.row, rc.SUPERVISOR_NIP, sup, reason, code)
            del self.valid[nip]
            changed = True
        return changed

    def _break(self, cycle: list[str]) -> None:
        shown = cycle + [cycle[0]]
        chain = " → ".join(shown if len(shown) <= 6 else shown[:5] + ["…", shown[-1]])
        derived = [self.valid[n] for n in cycle if n in self.valid and self.valid[n].derived]
        if derived:  # never reject a row for a link the program derived: leave that link out
            for cand in derived:
                cand.supervisor = None
                cand.derived = False
                self._drop(cand, _("rantai atasan akan berputar: {chain}").format(chain=chain))
            return
        for nip in cycle:
            dropped = self.valid.pop(nip, None)
            if dropped is not None:
                cand = dropped
                self.checker.reject(
                    cand.row,
                    rc.SUPERVISOR_NIP,
                    cand.supervisor,
                    _("Rantai atasan membentuk lingkaran: {chain}.").format(chain=chain),
                    "supervisor:cycle",
                )

    def _drop(self, cand: Candidate, why: str) -> None:
        name = str(cand.values.get("name", ""))
        self.report.dropped.append((cand.nip, name, why))
        self.warnings.append(
            RowError(
                cand.row,
                _("Atasan (turunan)"),
                "",
                _(
                    "Pejabat penilai tidak dipasang karena {why}; baris ini tetap diimpor. Pilih penilainya di "
                    "formulir pegawai."
                ).format(why=why),
                "supervisor:derived_dropped",
            )
        )

    def _find_cycles(self) -> list[list[str]]:
        """Supervisor loops that pass through a row of the file, after the import."""
        state, valid = self.state, self.valid
        sup_col = COL["supervisor_id"]
        by_existing = {c.existing: n for n, c in valid.items() if c.existing}

        def supervisor_of(nip: str) -> str | None:
            cand = valid.get(nip)
            if cand is not None and cand.supervisor is not ABSENT:
                return cand.supervisor  # type: ignore[return-value]
            row = state.employees.get(cand.existing if cand is not None and cand.existing else nip)
            if row is None or row[sup_col] is None:
                return None
            sup = state.nip_by_id.get(row[sup_col])
            return by_existing.get(sup, sup) if sup is not None else None

        done: set[str] = set()
        cycles: list[list[str]] = []
        for start in valid:
            if start in done:
                continue
            path: list[str] = []
            where: dict[str, int] = {}
            node: str | None = start
            while node is not None and node not in done and node not in where:
                where[node] = len(path)
                path.append(node)
                node = supervisor_of(node)
            if node is not None and node in where:
                cycle = path[where[node] :]
                if any(n in valid for n in cycle):
                    cycles.append(cycle)
            done.update(path)
        return cycles
