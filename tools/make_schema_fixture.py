"""Write a fixture database at a given schema revision (run once per released revision).

    .venv/bin/python tools/make_schema_fixture.py 0001

The file lands in tests/fixtures/schemas/<rev>.sqlite3 and holds a small roster written
with plain SQL of that revision, so the upgrade test proves old data survives migration.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from sqlalchemy import create_engine

from kinerja_desktop.store import migrate

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "schemas"

SAMPLE = [
    "INSERT INTO sites (id, name, unit_code, is_local, is_central, revoked, last_hlc, created_at) "
    "VALUES ('1504-FIXTURE-AAAA', 'Kantor Camat Bajubang', 'KEC-BAJUBANG', 1, 0, 0, "
    "'1764300000000-00002-1504-FIXTURE-AAAA', '2025-11-28 08:00:00')",
    "INSERT INTO units (id, code, name, kind, parent_id, origin_site, updated_hlc, deleted) VALUES "
    "('00000000-0000-4000-8000-000000000001', 'KEC-BAJUBANG', 'Kecamatan Bajubang', 'kecamatan', NULL, "
    "'1504-FIXTURE-AAAA', '1764300000000-00000-1504-FIXTURE-AAAA', 0)",
    "INSERT INTO positions (id, name, kind, is_unit_head, origin_site, updated_hlc, deleted) VALUES "
    "('00000000-0000-4000-8000-000000000002', 'Camat', 'administrator', 1, '1504-FIXTURE-AAAA', "
    "'1764300000000-00001-1504-FIXTURE-AAAA', 0)",
    "INSERT INTO employees (id, nip, name, front_title, back_title, gender, birth_date, status, golongan, "
    "position_id, unit_id, supervisor_id, active, origin_site, updated_hlc, deleted) VALUES "
    "('00000000-0000-4000-8000-000000000003', '197503122000031002', 'Ahmad Fauzi', '', 'S.Sos., M.Si.', 'L', "
    "'1975-03-12', 'PNS', 'IV/a', '00000000-0000-4000-8000-000000000002', "
    "'00000000-0000-4000-8000-000000000001', NULL, 1, '1504-FIXTURE-AAAA', "
    "'1764300000000-00002-1504-FIXTURE-AAAA', 0)",
    "INSERT INTO change_log (table_name, row_id, hlc) VALUES "
    "('units', '00000000-0000-4000-8000-000000000001', '1764300000000-00000-1504-FIXTURE-AAAA'), "
    "('positions', '00000000-0000-4000-8000-000000000002', '1764300000000-00001-1504-FIXTURE-AAAA'), "
    "('employees', '00000000-0000-4000-8000-000000000003', '1764300000000-00002-1504-FIXTURE-AAAA')",
]


def make(revision: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"{revision}.sqlite3"
    target.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{target}")
    migrate.upgrade(engine, revision)
    engine.dispose()
    con = sqlite3.connect(target)
    for statement in SAMPLE:
        con.execute(statement)
    con.commit()
    con.execute("VACUUM")
    con.close()
    return target


if __name__ == "__main__":
    for rev in sys.argv[1:] or migrate.known_revisions():
        print(make(rev))
