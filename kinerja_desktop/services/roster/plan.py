"""What an import will write, and the changes grouped as HR reads them.

:func:`build_plan` turns the accepted rows (:class:`~kinerja_desktop.services.roster.rows.Candidate`)
into a :class:`~kinerja_desktop.services.roster.write.RosterWrite` and sorts every change
into a group: **baru** (new staff), **pindah** (mutasi: another unit or position),
**naik pangkat** (a higher golongan), **nonaktif** (KEDUDUKAN HUKUM other than Aktif, or
absent from a complete download), **aktif kembali**, **atasan** (another pejabat penilai)
and **lainnya** (names, titles, ids). The preview shows the groups before anything is
written; each list keeps its first :data:`LIST_LIMIT` entries and the full count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kinerja_desktop.domain.golongan import GolonganError, golongan_rank
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.roster.rows import ABSENT, Candidate, RowChecker
from kinerja_desktop.services.roster.write import COL, EMPLOYEE_DATA, RosterWrite
from kinerja_desktop.store.base import new_id

LIST_LIMIT = 1000

NEW = "baru"
MOVED = "pindah"
PROMOTED = "naik_pangkat"
DEACTIVATED = "nonaktif"
REACTIVATED = "aktif_kembali"
SUPERVISOR = "atasan"
OTHER = "lainnya"
GROUPS = (NEW, MOVED, PROMOTED, DEACTIVATED, REACTIVATED, SUPERVISOR, OTHER)
GROUP_LABELS = {
    NEW: N_("Baru"),
    MOVED: N_("Pindah (mutasi)"),
    PROMOTED: N_("Naik pangkat"),
    DEACTIVATED: N_("Nonaktif"),
    REACTIVATED: N_("Aktif kembali"),
    SUPERVISOR: N_("Pejabat penilai berubah"),
    OTHER: N_("Data lain berubah"),
}
_FIELD_WORDS = {
    "nip": N_("NIP"),
    "name": N_("nama"),
    "front_title": N_("gelar depan"),
    "back_title": N_("gelar belakang"),
    "gender": N_("jenis kelamin"),
    "birth_date": N_("tanggal lahir"),
    "status": N_("status"),
    "siasn_id": N_("PNS ID"),
    "kedudukan_hukum": N_("kedudukan hukum"),
    "deleted": N_("dipulihkan"),
}
_NEW_EMPLOYEE_DEFAULTS = (
    ("front_title", ""),
    ("back_title", ""),
    ("golongan", ""),
    ("position_id", None),
    ("unit_id", None),
    ("supervisor_id", None),
    ("active", True),
    ("deleted", False),
    ("siasn_id", None),
    ("kedudukan_hukum", ""),
    ("supervisor_manual", False),
)


@dataclass(frozen=True)
class ChangeItem:
    nip: str
    name: str
    detail: str


@dataclass
class Changes:
    """The changes of an import by group: a count and the first entries of each."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))
    items: dict[str, list[ChangeItem]] = field(default_factory=lambda: {g: [] for g in GROUPS})

    def add(self, group: str, nip: str, name: str, detail: str = "") -> None:
        self.counts[group] += 1
        if len(self.items[group]) < LIST_LIMIT:
            self.items[group].append(ChangeItem(nip, name, detail))


@dataclass
class PlanCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    units_created: int = 0
    units_updated: int = 0
    positions_created: int = 0


class PlanBuilder:
    def __init__(self, checker: RowChecker, valid: dict[str, Candidate], deactivate: list[str]) -> None:
        self.checker = checker
        self.state = checker.state
        self.valid = valid
        self.deactivate = deactivate  # database NIPs absent from a complete download
        self.changes = Changes()
        self.counts = PlanCounts()
        self.new_ids = {nip: new_id() for nip, c in valid.items() if c.existing is None}

    def id_of(self, nip: str) -> str:
        """The employee id of a supervisor key: a row of the file (new or matched) or the database."""
        if nip in self.new_ids:
            return self.new_ids[nip]
        cand = self.valid.get(nip)
        existing = cand.existing if cand is not None and cand.existing else nip
        return self.state.employees[existing][COL["id"]]

    def build(self) -> RosterWrite:
        plan = RosterWrite()
        used_units: set[str] = set()
        used_positions: set[str] = set()
        new_rows: dict[str, dict] = {}
        for nip, cand in self.valid.items():
            target = self._target(cand)
            if cand.existing is None:
                new_rows[nip] = self._new_row(nip, target)
            else:
                self._changed_row(plan, cand, target)
            if target.get("unit_id"):
                used_units.add(target["unit_id"])
            if target.get("position_id"):
                used_positions.add(target["position_id"])
        for nip in self.deactivate:
            self._deactivate(plan, nip)
        plan.new_employees = supervisors_first(new_rows, self.valid)
        units = self.checker.units
        plan.new_units, plan.changed_units, plan.changed_unit_images = units.finish(used_units)
        plan.new_positions = [row for pid, row in self.checker.new_positions.items() if pid in used_positions]
        plan.existing_employees = len(self.state.employees)
        plan.position_names = dict(self.state.position_name_by_id)
        plan.position_names.update((row["id"], row["name"]) for row in plan.new_positions)
        self.counts.units_created = len(plan.new_units)
        self.counts.units_updated = len(plan.changed_units)
        self.counts.positions_created = len(plan.new_positions)
        return plan

    def _target(self, cand: Candidate) -> dict:
        target = cand.values  # reused as the new row: the candidate is not needed afterwards
        if cand.unit_id is not ABSENT:
            target["unit_id"] = cand.unit_id
        if cand.position_id is not ABSENT:
            target["position_id"] = cand.position_id
        if cand.supervisor is not ABSENT:
            target["supervisor_id"] = self.id_of(cand.supervisor) if cand.supervisor else None  # type: ignore[arg-type]
        return target

    def _new_row(self, nip: str, row: dict) -> dict:
        for key, default in _NEW_EMPLOYEE_DEFAULTS:
            if key not in row:
                row[key] = default
        row["id"], row["nip"] = self.new_ids[nip], nip
        self.counts.created += 1
        detail = self._unit_name(row["unit_id"])
        if row["active"] is False:
            detail = _("{unit} (tidak aktif: {kedudukan})").format(unit=detail, kedudukan=row["kedudukan_hukum"])
        self.changes.add(NEW, nip, str(row["name"]), detail)
        return row

    def _changed_row(self, plan: RosterWrite, cand: Candidate, target: dict) -> None:
        old = self.state.employees[cand.existing]  # type: ignore[index]
        before, after = {}, {}
        for key, value in target.items():
            current = old[COL[key]]
            if current != value:
                before[key], after[key] = current, value
        if old[COL["deleted"]]:
            before["deleted"], after["deleted"] = True, False
        if not after:
            self.counts.unchanged += 1
            return
        row = {key: old[COL[key]] for key in EMPLOYEE_DATA}
        row.update(target)
        row["id"] = old[COL["id"]]
        row["deleted"] = False
        plan.changed_employees.append(row)
        plan.changed_images.append((before, after))
        self.counts.updated += 1
        self._classify(cand.nip, str(row["name"]), before, after)

    def _deactivate(self, plan: RosterWrite, nip: str) -> None:
        old = self.state.employees[nip]
        row = {key: old[COL[key]] for key in EMPLOYEE_DATA}
        row.update(id=old[COL["id"]], deleted=False, active=False)
        plan.changed_employees.append(row)
        plan.changed_images.append(({"active": True}, {"active": False}))
        self.counts.updated += 1
        self.changes.add(DEACTIVATED, nip, str(old[COL["name"]]), _("tidak ada di unduhan lengkap"))

    # -- groups ----------------------------------------------------------------------------
    def _classify(self, nip: str, name: str, before: dict, after: dict) -> None:
        moved = [k for k in ("unit_id", "position_id") if k in after]
        if moved:
            parts = []
            if "unit_id" in after:
                parts.append(
                    f"{self._unit_name(before['unit_id']) or '-'} → {self._unit_name(after['unit_id']) or '-'}"
                )
            if "position_id" in after:
                parts.append(
                    f"{self._position_name(before['position_id']) or '-'} → "
                    f"{self._position_name(after['position_id']) or '-'}"
                )
            self.changes.add(MOVED, nip, name, "; ".join(parts))
        if "golongan" in after:
            group = PROMOTED if self._higher(before["golongan"], after["golongan"]) else OTHER
            self.changes.add(group, nip, name, f"{before['golongan'] or '-'} → {after['golongan'] or '-'}")
        if "active" in after:
            if after["active"]:
                self.changes.add(REACTIVATED, nip, name, str(after.get("kedudukan_hukum") or _("Aktif")))
            else:
                self.changes.add(
                    DEACTIVATED, nip, name, str(after.get("kedudukan_hukum", "") or before.get("kedudukan_hukum", ""))
                )
        if "supervisor_id" in after:
            self.changes.add(
                SUPERVISOR,
                nip,
                name,
                f"{self._employee_name(before['supervisor_id']) or '-'} → "
                f"{self._employee_name(after['supervisor_id']) or '-'}",
            )
        others = [k for k in after if k in _FIELD_WORDS and not (k == "kedudukan_hukum" and "active" in after)]
        if others:
            self.changes.add(OTHER, nip, name, ", ".join(_(_FIELD_WORDS[k]) for k in others))

    @staticmethod
    def _higher(old: str, new: str) -> bool:
        try:
            return bool(old) and golongan_rank(new) > golongan_rank(old)
        except GolonganError:
            return False

    def _unit_name(self, unit_id) -> str:
        return self.checker.units.name_of(unit_id)

    def _position_name(self, position_id) -> str:
        if not position_id:
            return ""
        row = self.checker.new_positions.get(position_id)
        return row["name"] if row else self.state.position_name_by_id.get(position_id, "")

    def _employee_name(self, employee_id) -> str:
        if not employee_id:
            return ""
        if not hasattr(self, "_nip_by_new_id"):
            self._nip_by_new_id = {new: nip for nip, new in self.new_ids.items()}
        nip = self._nip_by_new_id.get(employee_id)
        if nip is not None:
            return str(self.valid[nip].values.get("name", nip))
        nip = self.state.nip_by_id.get(employee_id)
        return str(self.state.employees[nip][COL["name"]]) if nip else ""


def supervisors_first(new_rows: dict[str, dict], valid: dict[str, Candidate]) -> list[dict]:
    """New employees ordered so each supervisor is inserted before those reporting to them."""
    depth: dict[str, int] = {}
    for start in new_rows:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in new_rows and node not in depth:
            chain.append(node)
            sup = valid[node].supervisor
            node = sup if isinstance(sup, str) else None
        base = depth.get(node, -1) if node is not None else -1
        for nip in reversed(chain):
            base += 1
            depth[nip] = base
    return sorted(new_rows.values(), key=lambda r: depth[r["nip"]])
