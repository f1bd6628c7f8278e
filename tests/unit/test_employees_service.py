"""The employee form: one test per invalid field, then create/update/deactivate and their audit."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from kinerja_desktop.domain.nip import NipError, parse_nip
from kinerja_desktop.errors import PermissionDenied
from kinerja_desktop.services.access.principal import ADMINISTRATOR, Principal
from kinerja_desktop.services.roster import employees as svc
from kinerja_desktop.store.audit import AuditEntry
from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position

sys.path.insert(0, str(Path(__file__).resolve().parent))
from roster_factory import build_roster, pppk_nip, valid_input


@pytest.fixture
def roster(db):
    return build_roster(db)


def _errors(db, data, employee_id=None) -> dict[str, str]:
    with db.session() as s:
        return svc.validate_employee(s, data, employee_id=employee_id)


def test_a_valid_form_has_no_errors(db, roster):
    assert _errors(db, valid_input(unit_id=roster.units["DUKCAPIL-PEL"], supervisor_id=roster.kasi)) == {}
    # Gender, birth date and status may be left empty: the NIP gives them.
    assert _errors(db, valid_input(gender=None, birth_date=None, status=None)) == {}


# --- one test per invalid field -------------------------------------------------------------

BAD_NIPS = [
    ("", "empty", "belum diisi"),
    ("1.98609262015051E+17", "excel_number", "Excel"),
    ("19860926201505100A", "digits", "selain angka"),
    ("19860926201505100", "length", "18 digit"),
    ("198613262015051001", "birth_date", "tanggal lahir"),
    ("198609262015131001", "tmt", "TMT CPNS"),
    ("198609262015053001", "gender", "jenis kelamin"),
    ("198609262015051000", "sequence", "nomor urut"),
]


@pytest.mark.parametrize(("nip", "part", "words"), BAD_NIPS, ids=[b[1] for b in BAD_NIPS])
def test_nip_error_names_the_wrong_part(db, roster, nip, part, words):
    with pytest.raises(NipError) as exc:
        parse_nip(nip)
    assert exc.value.part == part
    errors = _errors(db, valid_input(nip=nip, gender=None, birth_date=None))
    assert set(errors) == {"nip"}
    assert errors["nip"] == exc.value.message
    assert words.lower() in errors["nip"].lower()


def test_duplicate_nip(db, roster):
    errors = _errors(db, valid_input(nip=roster.nips["staf1"], gender="L", birth_date=date(1985, 3, 14)))
    assert set(errors) == {"nip"}
    assert "sudah dipakai oleh Ahmad Fauzi" in errors["nip"]
    # Its own NIP is not a duplicate when editing.
    own = valid_input(
        nip=roster.nips["staf1"], name="Ahmad Fauzi", gender="L", birth_date=date(1985, 3, 14), golongan="II/a"
    )
    assert _errors(db, own, roster.staf1) == {}


def test_name_is_required(db, roster):
    assert _errors(db, valid_input(name="   ")) == {"name": "Nama pegawai belum diisi."}


def test_gender_must_agree_with_the_nip(db, roster):
    errors = _errors(db, valid_input(gender="L"))
    assert set(errors) == {"gender"}
    assert "perempuan" in errors["gender"] and "digit ke-15" in errors["gender"]
    assert set(_errors(db, valid_input(gender="X"))) == {"gender"}


def test_birth_date_must_agree_with_the_nip(db, roster):
    errors = _errors(db, valid_input(birth_date=date(1992, 5, 18)))
    assert set(errors) == {"birth_date"}
    assert "17-05-1992" in errors["birth_date"] and "18-05-1992" in errors["birth_date"]  # dd-mm-yyyy, like the field
    # Typed dates are read as people write them.
    assert _errors(db, valid_input(birth_date="17-05-1992")) == {}
    assert set(_errors(db, valid_input(birth_date="17/13/1992"))) == {"birth_date"}


def test_golongan_must_exist_for_the_status(db, roster):
    errors = _errors(db, valid_input(golongan="IX"))  # a PPPK golongan on a PNS
    assert set(errors) == {"golongan"} and "I/a sampai IV/e" in errors["golongan"]
    pppk = valid_input(nip=pppk_nip(77, gender="P"), birth_date=None, status="PPPK", golongan="III/a")
    errors = _errors(db, pppk)
    assert set(errors) == {"golongan"} and "I sampai XVII" in errors["golongan"]
    assert _errors(db, valid_input(golongan="3a")) == {}  # written another common way


def test_status_must_match_the_kind_of_number(db, roster):
    errors = _errors(db, valid_input(status="PPPK"))
    assert set(errors) == {"status"} and "NIP PNS" in errors["status"]
    errors = _errors(db, valid_input(nip=pppk_nip(78, gender="P"), birth_date=None, status="PNS", golongan=""))
    assert set(errors) == {"status"} and "NI PPPK" in errors["status"]
    assert set(_errors(db, valid_input(status="Honorer"))) == {"status"}


def test_unit_must_exist(db, roster):
    assert set(_errors(db, valid_input(unit_id="no-such-unit"))) == {"unit_id"}


def test_supervisor_must_exist(db, roster):
    assert set(_errors(db, valid_input(supervisor_id="no-such-employee"))) == {"supervisor_id"}


def test_supervisor_cannot_be_the_employee(db, roster):
    errors = _errors(
        db,
        valid_input(
            nip=roster.nips["kasi"], name="Dewi", gender="P", birth_date=date(1985, 3, 14), supervisor_id=roster.kasi
        ),
        roster.kasi,
    )
    assert set(errors) == {"supervisor_id"} and "dirinya sendiri" in errors["supervisor_id"]


def test_supervisor_cannot_make_a_loop(db, roster):
    data = valid_input(
        nip=roster.nips["kabid"],
        name="Budi Harahap",
        gender="L",
        birth_date=date(1985, 3, 14),
        golongan="III/d",
        supervisor_id=roster.staf1,
    )
    errors = _errors(db, data, roster.kabid)
    assert set(errors) == {"supervisor_id"}
    assert "Ahmad Fauzi" in errors["supervisor_id"] and "berputar" in errors["supervisor_id"]


def test_validation_error_carries_every_field(db, roster):
    with db.transaction() as s, pytest.raises(svc.ValidationError) as exc:
        svc.create_employee(s, roster.hr, valid_input(nip="123", name="", unit_id="x"))
    assert set(exc.value.errors) == {"nip", "name", "unit_id"}
    assert exc.value.message == " ".join(exc.value.errors.values())


# --- writing --------------------------------------------------------------------------------


def test_create_employee_writes_the_row_its_position_and_the_audit(db, roster):
    with db.transaction() as s:
        emp = svc.create_employee(
            s,
            roster.hr,
            valid_input(
                nip="19920517 201903 2 901",
                gender=None,
                birth_date=None,
                status=None,
                unit_id=roster.units["DUKCAPIL-PEL"],
                supervisor_id=roster.kasi,
            ),
        )
        emp_id = emp.id
    with db.session() as s:
        emp = s.get(Employee, emp_id)
        assert (emp.nip, emp.gender, emp.birth_date, emp.status) == (
            "199205172019032901",
            "P",
            date(1992, 5, 17),
            "PNS",
        )
        assert emp.position.name == "Pranata Komputer Ahli Pertama" and emp.position.kind == "fungsional"
        assert emp.updated_hlc and s.scalar(select(ChangeLog).where(ChangeLog.row_id == emp_id))
        entry = s.scalars(select(AuditEntry).where(AuditEntry.row_id == emp_id)).one()
        assert (entry.actor, entry.action, entry.table_name, entry.before) == (
            "kepegawaian",
            "create",
            "employees",
            None,
        )
        assert entry.after["nip"] == "199205172019032901" and entry.after["position_name"] == emp.position.name
        assert s.scalars(select(AuditEntry).where(AuditEntry.table_name == "positions")).one().action == "create"


@pytest.mark.parametrize("who", ["administrator", "penilai"])
def test_only_admin_kepegawaian_writes_the_roster(db, roster, who):
    actor = Principal("adm", ADMINISTRATOR) if who == "administrator" else roster.penilai("kadis")
    with db.transaction() as s:
        with pytest.raises(PermissionDenied):
            svc.create_employee(s, actor, valid_input())
        with pytest.raises(PermissionDenied):
            svc.set_employee_active(s, actor, roster.staf1, False)


def test_update_audits_only_changed_fields(db, roster):
    with db.session() as s:
        emp = s.get(Employee, roster.staf1)
        data = svc.input_from_employee(emp)
        opened_hlc = emp.updated_hlc
    data.golongan = "II/b"
    data.position_name = "Pengadministrasi Umum"
    with db.transaction() as s:
        svc.update_employee(s, roster.hr, roster.staf1, data, expected_hlc=opened_hlc)
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.row_id == roster.staf1)).one()
        assert entry.action == "update"
        assert entry.before == {"golongan": "II/a", "position_name": "Pengolah Data"}
        assert entry.after == {"golongan": "II/b", "position_name": "Pengadministrasi Umum"}
        assert s.get(Employee, roster.staf1).updated_hlc > opened_hlc


def test_a_stale_form_is_refused(db, roster):
    with db.session() as s:
        emp = s.get(Employee, roster.staf1)
        data = svc.input_from_employee(emp)
        opened_hlc = emp.updated_hlc
    with db.transaction() as s:  # someone else saves first
        svc.set_employee_active(s, roster.hr, roster.staf1, False)
    data.name = "Ahmad Fauzi Rahman"
    with db.transaction() as s, pytest.raises(svc.ConcurrentEdit) as exc:
        svc.update_employee(s, roster.hr, roster.staf1, data, expected_hlc=opened_hlc)
    assert exc.value.message.startswith("Data pegawai ini telah diubah oleh orang lain sejak Anda membukanya")
    with db.session() as s:
        assert s.get(Employee, roster.staf1).name == "Ahmad Fauzi"


def test_deactivate_never_deletes_and_is_audited(db, roster):
    with db.transaction() as s:
        svc.set_employee_active(s, roster.hr, roster.staf2, False)
        svc.set_employee_active(s, roster.hr, roster.staf2, False)  # already: nothing written
    with db.session() as s:
        emp = s.get(Employee, roster.staf2)
        assert emp is not None and not emp.active and not emp.deleted
        entries = s.scalars(select(AuditEntry).where(AuditEntry.row_id == roster.staf2)).all()
        assert [(e.before, e.after) for e in entries] == [({"active": True}, {"active": False})]


def test_positions_are_reused_by_name(db, roster):
    with db.transaction() as s:
        svc.create_employee(s, roster.hr, valid_input(position_name="pengolah  DATA"))
    with db.session() as s:
        assert s.scalars(select(Position).where(Position.name.ilike("pengolah data"))).all()[0].name == "Pengolah Data"
        assert len(s.scalars(select(Position).where(Position.name.ilike("pengolah data"))).all()) == 1
        assert svc.position_names(s)[0] == "Camat Bajubang"
