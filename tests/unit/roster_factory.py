"""A small roster for service tests: units, positions and a four-level supervisor chain.

Dinas Kependudukan dan Pencatatan Sipil (OPD)
  Kepala Dinas ............................ kadis       (top, no supervisor)
    Sekretaris ............................ sekretaris
      Kepala Subbagian Umum ............... kasubbag
        Pengadministrasi Umum ............. staf_umum
    Kepala Bidang Pelayanan ............... kabid       (bidang "Bidang Pelayanan")
      Kepala Seksi Pendaftaran ............ kasi
        Pengolah Data (PNS) ............... staf1
        Pengolah Data (PPPK) .............. staf2
        Pengolah Data, inactive ........... staf3
Kecamatan Bajubang (a separate unit, another chain)
  Camat Bajubang .......................... camat       (top)
    Pengadministrasi Umum ................. outsider

Import with ``sys.path`` pointing at this folder (the tests do that themselves).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kinerja_desktop.domain.nip import make_pns_nip, make_pppk_nip
from kinerja_desktop.services.access.principal import (
    ADMIN_KEPEGAWAIAN,
    ADMINISTRATOR,
    PEJABAT_PENILAI,
    Principal,
)
from kinerja_desktop.services.roster.employees import EmployeeInput
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit


def pns_nip(seq: int, *, gender: str = "L", birth: date = date(1985, 3, 14), tmt: date = date(2010, 4, 1)) -> str:
    return make_pns_nip(birth, tmt, gender, seq)


def pppk_nip(seq: int, *, gender: str = "P", birth: date = date(1990, 7, 2), year: int = 2022) -> str:
    return make_pppk_nip(birth, year, gender, seq)


@dataclass
class Roster:
    units: dict[str, str] = field(default_factory=dict)  # code -> id
    positions: dict[str, str] = field(default_factory=dict)  # name -> id
    people: dict[str, str] = field(default_factory=dict)  # key -> employee id
    nips: dict[str, str] = field(default_factory=dict)  # key -> NIP
    names: dict[str, str] = field(default_factory=dict)  # key -> name

    def __getattr__(self, key: str) -> str:
        people = self.__dict__.get("people", {})
        if key in people:
            return people[key]
        raise AttributeError(key)

    # principals
    @property
    def hr(self) -> Principal:
        return Principal("kepegawaian", ADMIN_KEPEGAWAIAN)

    @property
    def admin(self) -> Principal:
        return Principal("admin", ADMINISTRATOR)

    def penilai(self, key: str) -> Principal:
        return Principal(f"penilai-{key}", PEJABAT_PENILAI, self.people[key])


_PEOPLE = (
    # key, name, titles, unit code, position, supervisor key, gender, status, golongan, active
    (
        "kadis",
        "Hendra Saputra",
        ("Drs.", "M.Si"),
        "DUKCAPIL",
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
        None,
        "L",
        "PNS",
        "IV/c",
        True,
    ),
    (
        "sekretaris",
        "Siti Aminah",
        ("", "S.E."),
        "DUKCAPIL",
        "Sekretaris Dinas Kependudukan dan Pencatatan Sipil",
        "kadis",
        "P",
        "PNS",
        "IV/a",
        True,
    ),
    (
        "kasubbag",
        "Rina Lestari",
        ("", "S.Kom"),
        "DUKCAPIL-SEK",
        "Kepala Subbagian Umum dan Kepegawaian",
        "sekretaris",
        "P",
        "PNS",
        "III/c",
        True,
    ),
    (
        "staf_umum",
        "Joko Susilo",
        ("", ""),
        "DUKCAPIL-SEK",
        "Pengadministrasi Umum",
        "kasubbag",
        "L",
        "PNS",
        "II/c",
        True,
    ),
    (
        "kabid",
        "Budi Harahap",
        ("", "S.H."),
        "DUKCAPIL-PEL",
        "Kepala Bidang Pelayanan Pendaftaran Penduduk",
        "kadis",
        "L",
        "PNS",
        "III/d",
        True,
    ),
    (
        "kasi",
        "Dewi Nasution",
        ("", "S.Sos"),
        "DUKCAPIL-PEL",
        "Kepala Seksi Identitas Penduduk",
        "kabid",
        "P",
        "PNS",
        "III/b",
        True,
    ),
    ("staf1", "Ahmad Fauzi", ("", ""), "DUKCAPIL-PEL", "Pengolah Data", "kasi", "L", "PNS", "II/a", True),
    ("staf2", "Nur Aisyah", ("", "A.Md"), "DUKCAPIL-PEL", "Pengolah Data", "kasi", "P", "PPPK", "V", True),
    ("staf3", "Agus Salim", ("", ""), "DUKCAPIL-PEL", "Pengolah Data", "kasi", "L", "PNS", "II/b", False),
    ("camat", "Irwan Lubis", ("", "S.STP"), "KEC-BAJUBANG", "Camat Bajubang", None, "L", "PNS", "IV/a", True),
    ("outsider", "Maya Sari", ("", ""), "KEC-BAJUBANG", "Pengadministrasi Umum", "camat", "P", "PNS", "II/d", True),
)


def build_roster(db) -> Roster:
    """Write the roster above through the ORM (so the change log sees every row)."""
    r = Roster()
    with db.transaction() as s:
        dinas = Unit(code="DUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil", kind="opd")
        kec = Unit(code="KEC-BAJUBANG", name="Kecamatan Bajubang", kind="kecamatan")
        s.add_all([dinas, kec])
        s.flush()
        sek = Unit(code="DUKCAPIL-SEK", name="Sekretariat", kind="bidang", parent_id=dinas.id)
        pel = Unit(code="DUKCAPIL-PEL", name="Bidang Pelayanan", kind="bidang", parent_id=dinas.id)
        s.add_all([sek, pel])
        s.flush()
        for u in (dinas, kec, sek, pel):
            r.units[u.code] = u.id
        seq = 0
        for key, name, (front, back), unit, position, sup, gender, status, gol, active in _PEOPLE:
            if position not in r.positions:
                pos = Position(name=position, kind="pelaksana", is_unit_head=False)
                s.add(pos)
                s.flush()
                r.positions[position] = pos.id
            seq += 1
            nip = pns_nip(seq, gender=gender) if status == "PNS" else pppk_nip(seq, gender=gender)
            emp = Employee(
                nip=nip,
                name=name,
                front_title=front,
                back_title=back,
                gender=gender,
                birth_date=date(1985, 3, 14) if status == "PNS" else date(1990, 7, 2),
                status=status,
                golongan=gol,
                position_id=r.positions[position],
                unit_id=r.units[unit],
                supervisor_id=r.people[sup] if sup else None,
                active=active,
            )
            s.add(emp)
            s.flush()
            r.people[key] = emp.id
            r.nips[key] = nip
            r.names[key] = name
    return r


def valid_input(**overrides) -> EmployeeInput:
    """A valid new employee (NIP not used by the roster above)."""
    values = dict(
        nip=pns_nip(901, gender="P", birth=date(1992, 5, 17), tmt=date(2019, 3, 1)),
        name="Fitri Rahmawati",
        front_title="",
        back_title="S.Kom",
        gender="P",
        birth_date=date(1992, 5, 17),
        status="PNS",
        golongan="III/a",
        position_name="Pranata Komputer Ahli Pertama",
        unit_id=None,
        supervisor_id=None,
        active=True,
    )
    values.update(overrides)
    return EmployeeInput(**values)
