"""The audit trail: services write it, ``kinerja audit verify`` detects direct edits, the viewer filters it."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from kinerja_desktop.cli import main
from kinerja_desktop.errors import PermissionDenied
from kinerja_desktop.services.access import users
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, ADMINISTRATOR, SYSTEM, Principal
from kinerja_desktop.services.audit import query as aq
from kinerja_desktop.services.audit.chain import entry_hash
from kinerja_desktop.services.roster import employees
from kinerja_desktop.store.audit import AuditEntry
from kinerja_desktop.store.encryption import open_raw

sys.path.insert(0, str(Path(__file__).resolve().parent))
from roster_factory import build_roster, valid_input

ADMIN = Principal("admin", ADMINISTRATOR)


@pytest.fixture
def trail(db):
    """A database whose audit log holds a few entries written through the services; closed."""
    r = build_roster(db)
    with db.transaction() as s:
        emp = employees.create_employee(s, r.hr, valid_input(unit_id=r.units["DUKCAPIL-PEL"]))
        employees.set_employee_active(s, r.hr, emp.id, False)
        employees.set_employee_active(s, r.hr, r.staf1, False)
        users.create_user(
            s, SYSTEM, username="admin", display_name="Admin", password="Kopi-Susu-2026", role=ADMINISTRATOR
        )
    with db.transaction() as s:
        users.authenticate(s, "admin", "Kopi-Susu-2026")
    with db.session() as s:
        seqs = list(s.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)))
    path = db.path
    db.close()
    return path, seqs


def _verify(path, capsys) -> tuple[int, str]:
    code = main(["--db", str(path), "audit", "verify"])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_an_intact_trail_verifies(trail, capsys):
    path, seqs = trail
    assert len(seqs) >= 6
    code, out = _verify(path, capsys)
    assert code == 0
    assert f"{len(seqs)} entri diperiksa" in out


def test_a_changed_value_is_detected_at_that_entry(trail, capsys):
    path, seqs = trail
    middle = seqs[len(seqs) // 2]
    con = open_raw(path)
    with con:
        after = json.loads(con.execute("SELECT after FROM audit_log WHERE seq = ?", (middle,)).fetchone()[0] or "{}")
        after["disusupkan"] = "nilai palsu"
        con.execute("UPDATE audit_log SET after = ? WHERE seq = ?", (json.dumps(after), middle))
    con.close()
    code, out = _verify(path, capsys)
    assert code == 1
    assert f"entri nomor {middle}" in out and "isi entri diubah" in out


def test_a_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link(trail, capsys):
    """Someone who also recomputes the edited entry's own hash is caught by the entry after it."""
    path, seqs = trail
    middle = seqs[len(seqs) // 2]
    con = open_raw(path)
    with con:
        prev, at, action, table, row_id, before, after = con.execute(
            "SELECT prev_hash, at, action, table_name, row_id, before, after FROM audit_log WHERE seq = ?", (middle,)
        ).fetchone()
        at_text = datetime.fromisoformat(at).isoformat(timespec="microseconds")
        forged = entry_hash(
            prev,
            at_text,
            "penyusup",
            action,
            table,
            row_id,
            json.loads(before) if before else None,
            json.loads(after) if after else None,
        )
        con.execute("UPDATE audit_log SET actor = 'penyusup', hash = ? WHERE seq = ?", (forged, middle))
    con.close()
    code, out = _verify(path, capsys)
    assert code == 1
    assert f"entri nomor {middle + 1}" in out and "rantai hash terputus" in out


def test_a_deleted_middle_entry_is_detected(trail, capsys):
    path, seqs = trail
    middle = seqs[len(seqs) // 2]
    con = open_raw(path)
    with con:
        con.execute("DELETE FROM audit_log WHERE seq = ?", (middle,))
    con.close()
    code, out = _verify(path, capsys)
    assert code == 1
    assert f"entri nomor {middle}" in out and "hilang" in out


# --- the viewer -----------------------------------------------------------------------------


def test_the_viewer_filters_and_pages(db):
    r = build_roster(db)
    with db.transaction() as s:
        employees.create_employee(s, r.hr, valid_input())
        employees.set_employee_active(s, r.hr, r.staf1, False)
        employees.set_employee_active(s, r.hr, r.staf2, False)
    with db.session() as s:
        everything = aq.count_audit(s, ADMIN, aq.AuditFilter())
        assert everything == 4  # the new position, the employee, two deactivations
        page = aq.list_audit(s, ADMIN, aq.AuditFilter(), limit=3)
        assert [e.seq for e in page] == sorted((e.seq for e in page), reverse=True)  # newest first
        assert len(aq.list_audit(s, ADMIN, aq.AuditFilter(), offset=3)) == 1
        assert aq.count_audit(s, ADMIN, aq.AuditFilter(action="update")) == 2
        assert aq.count_audit(s, ADMIN, aq.AuditFilter(table="positions")) == 1
        assert aq.count_audit(s, ADMIN, aq.AuditFilter(actor="kepegawaian")) == 4
        assert aq.count_audit(s, ADMIN, aq.AuditFilter(actor="orang-lain")) == 0
        (hit,) = aq.list_audit(s, ADMIN, aq.AuditFilter(text="fitri"))
        assert hit.after["name"] == "Fitri Rahmawati"
        assert aq.count_audit(s, ADMIN, aq.AuditFilter(text=r.staf2)) == 1
        today = aq.local_time(page[0]).date()
        assert aq.count_audit(s, ADMIN, aq.AuditFilter(date_from=today, date_to=today)) == 4
        assert aq.count_audit(s, ADMIN, aq.AuditFilter(date_to=today - timedelta(days=1))) == 0
        assert aq.count_audit(s, ADMIN, aq.AuditFilter(date_from=datetime.now() + timedelta(hours=1))) == 0
        assert aq.audit_actions(s, ADMIN) == ["create", "update"]
        assert aq.audit_tables(s, ADMIN) == ["employees", "positions"]
        assert aq.audit_actors(s, ADMIN) == ["kepegawaian"]
        assert aq.action_label("update") == "ubah"


def test_the_viewer_is_for_administrators(db):
    with db.session() as s:
        for who in (Principal("hr", ADMIN_KEPEGAWAIAN), Principal("p", "pejabat_penilai", "e")):
            with pytest.raises(PermissionDenied):
                aq.list_audit(s, who, aq.AuditFilter())
            with pytest.raises(PermissionDenied):
                aq.count_audit(s, who, aq.AuditFilter())
        assert aq.count_audit(s, SYSTEM, aq.AuditFilter(date_from=date(2000, 1, 1))) == 0
