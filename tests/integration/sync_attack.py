"""A district of three sites for the authority tests, and a modified office program that
writes whatever it likes into a bundle signed with its own (real) keys."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.hlc import Timestamp
from kinerja_desktop.sync.bundle_writer import BundleContent, pack, seal
from kinerja_desktop.sync.keys import load_keys
from kinerja_desktop.sync.sandbox import SandboxSite, enroll_office, make_site, seed_org
from kinerja_desktop.sync.tables import sync_schema


def district(tmp: Path, central: SandboxSite | None = None):
    """(central, office A, office B, org A, org B): each office enrolled for its own unit tree."""
    central = central or make_site(tmp / "pusat", "1504-BKPSDM", "BKPSDM", central=True)
    org_a = seed_org(central.db, units=2, employees_per_unit=3, prefix="A")
    org_b = seed_org(central.db, units=2, employees_per_unit=3, prefix="B")
    a = make_site(tmp / "kec-a", "1504-KEC-A", "Kecamatan A")
    b = make_site(tmp / "kec-b", "1504-KEC-B", "Kecamatan B")
    enroll_office(central, a, unit_code="A-ROOT")
    enroll_office(central, b, unit_code="B-ROOT")
    return central, a, b, org_a, org_b


def send(src: SandboxSite, dst: SandboxSite):
    result = dst.import_bundle(src.export(dst.site_id).data)
    if result.ack is not None:
        src.import_bundle(result.ack)
    return result


def stamp(site: SandboxSite, *, ahead_ms: int = 0, as_site: str | None = None) -> str:
    """A clock stamp of ``site`` (or one claiming to be ``as_site``), ``ahead_ms`` in the future."""
    ts = Timestamp.parse(site.db.clock.now())
    return str(Timestamp(ts.wall_ms + ahead_ms, ts.counter, as_site or site.site_id))


def row_image(site: SandboxSite, table: str, row_id: str) -> dict:
    """The stored row as a bundle carries it (from any site that has it)."""
    with site.db.engine.connect() as conn:
        info = next(i for i in sync_schema(conn) if i.name == table)
        row = conn.execute(select(info.table).where(info.table.c.id == row_id)).one()._mapping
        return {
            "table": table,
            "id": row_id,
            "hlc": row["updated_hlc"],
            "origin_site": row["origin_site"],
            "deleted": bool(row["deleted"]),
            "row": info.encode(row),
        }


def change(
    site_with_row: SandboxSite, sender: SandboxSite, table: str, row_id: str, *, hlc: str | None = None, **values
) -> dict:
    """An edit of a stored row, as ``sender``'s program would write it (stamped by the sender)."""
    c = row_image(site_with_row, table, row_id)
    c["row"].update(values)
    c["hlc"] = hlc or stamp(sender)
    return c


def forged_bundle(
    sender: SandboxSite, receiver: SandboxSite, changes: list[dict], *, created_hlc: str | None = None
) -> bytes:
    """A bundle with exactly ``changes``, signed with ``sender``'s real keys, for ``receiver``."""
    counts: dict[str, int] = {}
    for c in changes:
        counts[c["table"]] = counts.get(c["table"], 0) + 1
    lines = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in changes).encode()
    content = BundleContent(
        kind="changes",
        source_site=sender.site_id,
        target_site=receiver.site_id,
        created_hlc=created_hlc or sender.db.clock.now(),
        counts=counts,
        changes=lines,
    )
    _m, plain = pack(content, load_keys(sender.site_id, sender.keys_dir))
    return seal(plain, load_keys(receiver.site_id, receiver.keys_dir).age_recipient)


def employee_name(site: SandboxSite, emp_id: str) -> str | None:
    with site.db.session() as s:
        e = s.get(Employee, emp_id)
        return e.name if e is not None else None
