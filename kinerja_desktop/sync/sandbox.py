"""Sites in temporary folders, each with its own database, keys and blobs.

Used by the self-test step, the benchmark and the tests: everything lives under the given
folder, never in the user's data folder.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from kinerja_desktop.store.database import Database, open_database
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.models import Base
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.sync.enrollment import enroll, init_site, make_request, parse_request
from kinerja_desktop.sync.export import ExportResult, export_bundle
from kinerja_desktop.sync.importer import ImportResult, import_bundle
from kinerja_desktop.sync.keys import load_keys
from kinerja_desktop.sync.tables import sync_schema


@dataclass
class SandboxSite:
    folder: Path
    db: Database

    @property
    def keys_dir(self) -> Path:
        return self.folder / "keys"

    @property
    def blobs_dir(self) -> Path:
        return self.folder / "blobs"

    @property
    def site_id(self) -> str:
        return self.db.site_id

    def export(self, to: str | None = None, **kw) -> ExportResult:
        return export_bundle(self.db, to, keys_dir=self.keys_dir, blobs_dir=self.blobs_dir, **kw)

    def import_bundle(self, data: bytes, **kw) -> ImportResult:
        return import_bundle(self.db, data, keys_dir=self.keys_dir, blobs_dir=self.blobs_dir, **kw)

    def close(self) -> None:
        self.db.close()


def make_site(folder: Path, code: str, name: str, *, central: bool = False) -> SandboxSite:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    db = open_database(folder / "kinerja.sqlite3")
    site = SandboxSite(folder, db)
    init_site(db, code, name, central=central, keys_dir=site.keys_dir)
    return site


def enroll_office(
    central: SandboxSite, office: SandboxSite, *, unit_code: str | None = None, whole_district: bool = True
) -> ImportResult:
    """Register ``office`` at ``central``, apply the enrollment there, deliver the ack back."""

    req = parse_request(json.dumps(make_request(office.db, office.keys_dir)).encode())
    bundle = enroll(
        central.db,
        req,
        unit_code=unit_code,
        whole_district=whole_district and unit_code is None,
        keys_dir=central.keys_dir,
    )

    # The person at the office compares the fingerprint BKPSDM reads out (here: the real one).
    result = office.import_bundle(bundle.data, fingerprint=load_keys(central.site_id, central.keys_dir).fingerprint)
    central.import_bundle(result.ack)
    return result


def seed_org(
    db: Database, *, units: int = 3, employees_per_unit: int = 5, prefix: str = "U", position_id: str | None = None
) -> dict:
    """A small organisation written through the ORM (so it is stamped and logged like real work).

    Positions are district-wide master data: at an office, pass the ``position_id`` of one
    that came from the central office (an office's own position would be refused there).
    Returns ``{"root": unit id, "units": [unit ids], "employees": [employee ids], "position": id}``.
    """

    out: dict = {"units": [], "employees": []}
    with db.transaction() as s:
        root = Unit(code=f"{prefix}-ROOT", name=f"Dinas {prefix}", kind="opd")
        s.add(root)
        s.flush()
        out["root"] = root.id
        if position_id is None:
            pos = Position(name=f"Pelaksana {prefix}", kind="pelaksana")
            s.add(pos)
            s.flush()
            position_id = pos.id
        out["position"] = position_id
        head = None
        for u in range(units):
            unit = Unit(code=f"{prefix}-{u:03d}", name=f"Bidang {prefix} {u}", kind="bidang", parent_id=root.id)
            s.add(unit)
            s.flush()
            out["units"].append(unit.id)
            for _e in range(employees_per_unit):
                n = len(out["employees"])
                tag = zlib.crc32(prefix.encode()) % (28 * 12)  # birth day and TMT month differ per prefix
                # Valid NIPs (birth date, TMT 20 to 25 years later, gender, number 001-999),
                # distinct for the first 6 million employees of a prefix.
                k = n // 1998
                born = 1980 + k % 20
                nip = (
                    f"{born}01{(tag + k // 120) % 28 + 1:02d}{born + 20 + k // 20 % 6}{tag // 28 + 1:02d}"
                    f"{n // 999 % 2 + 1}{n % 999 + 1:03d}"
                )
                emp = Employee(
                    nip=nip,
                    name=f"Pegawai {prefix} {n}",
                    gender="L" if n % 2 else "P",
                    status="PNS",
                    golongan="III/a",
                    position_id=position_id,
                    unit_id=unit.id,
                    supervisor_id=head.id if head is not None else None,
                )
                s.add(emp)
                s.flush()
                head = head or emp
                out["employees"].append(emp.id)
    return out


#: The tables whose content an import may change (a refused import must leave all of them alone).
BOOKKEEPING = ("change_log", "sync_conflicts", "sync_received", "sync_acks", "site_keys", "sites", "settings")


def content_digest(db: Database, *, data_only: bool = False) -> str:
    """A hash of the synced tables (and, unless ``data_only``, the sync bookkeeping)."""

    h = hashlib.sha256()
    with db.engine.connect() as conn:
        tables = [i.table for i in sync_schema(conn)]
        if not data_only:
            tables += [Base.metadata.tables[n] for n in BOOKKEEPING]
        for t in tables:
            pk = list(t.primary_key.columns)
            for row in conn.execute(select(t).order_by(*pk)):
                h.update(repr((t.name, tuple(row))).encode())
    return h.hexdigest()


def synced_rows(db: Database, table: str) -> dict[str, tuple]:
    """id -> (every column) of a synced table, to compare sites."""

    with db.engine.connect() as conn:
        info = next(i for i in sync_schema(conn) if i.name == table)
        return {r.id: tuple(r) for r in conn.execute(select(info.table))}
