"""The sync step of ``kinerja selftest``: two temporary sites exchange bundles twice."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from kinerja_desktop.store.employee import Employee
from kinerja_desktop.sync.sandbox import content_digest, enroll_office, make_site, seed_org, synced_rows


def run_sync_selftest(tmpdir: str | Path) -> None:
    """Export and import a bundle twice between two temporary sites; raises on any failure."""

    root = Path(tmpdir) / "sync-selftest"
    central = make_site(root / "pusat", "1504-UJI-PUSAT", "Uji Pusat", central=True)
    office = make_site(root / "kantor", "1504-UJI-KANTOR", "Uji Kantor")
    try:
        org = seed_org(central.db, units=2, employees_per_unit=3, prefix="UJI")
        enroll_office(central, office)
        for round_no in (1, 2):
            with office.db.transaction() as s:
                emp = s.scalar(select(Employee).where(Employee.id == org["employees"][round_no]))
                emp.name = f"Uji sinkronisasi {round_no}"
            bundle = office.export()
            if bundle.total < 1:
                raise AssertionError(f"round {round_no}: the export carried no change")
            result = central.import_bundle(bundle.data)
            if result.status != "applied" or result.stats.total_applied < 1:
                raise AssertionError(f"round {round_no}: the bundle was not applied ({result.status})")
            before = content_digest(central.db, data_only=True)
            if central.import_bundle(bundle.data).status != "duplicate":
                raise AssertionError(f"round {round_no}: a second import was not recognised")
            if content_digest(central.db, data_only=True) != before:
                raise AssertionError(f"round {round_no}: a second import changed data")
            office.import_bundle(result.ack)
            office.import_bundle(central.export(office.site_id).data)
        if synced_rows(central.db, "employees") != synced_rows(office.db, "employees"):
            raise AssertionError("the two sites differ after the exchange")
    finally:
        central.close()
        office.close()
