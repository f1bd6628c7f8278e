"""Fixtures for the performance-management tests: a small office with a supervisor chain."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import pytest

from kinerja_desktop.domain.nip import make_pns_nip
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, PEJABAT_PENILAI, SYSTEM, Principal

YEAR = 2026


@dataclass
class Office:
    """Dinas (head: kadis, JPT) > Bidang (kabid) > staf1, staf2; plus an outsider elsewhere."""

    dinas: str
    bidang: str
    other_unit: str
    kadis: str
    kabid: str
    staf1: str
    staf2: str
    outsider: str
    kadis_p: Principal
    kabid_p: Principal
    hr: Principal
    outsider_p: Principal


_seq = itertools.cycle(range(1, 999))  # each test has its own database: numbers may repeat across tests


def add_employee(s, name, unit_id, position_id, supervisor_id=None, *, golongan="III/a", gender="L"):
    from kinerja_desktop.store.models import Employee

    n = next(_seq)
    emp = Employee(
        nip=make_pns_nip(date(1980, 1, 1 + n % 27), date(2005, 3, 1), gender, n),
        name=name,
        gender=gender,
        status="PNS",
        golongan=golongan,
        unit_id=unit_id,
        position_id=position_id,
        supervisor_id=supervisor_id,
        active=True,
    )
    s.add(emp)
    s.flush()
    return emp.id


@pytest.fixture
def office(db) -> Office:
    from kinerja_desktop.services.performance.periods import create_year
    from kinerja_desktop.store.models import Position, Unit

    with db.transaction() as s:
        dinas = Unit(code="DINAS-X", name="Dinas Contoh", kind="opd")
        other = Unit(code="KEC-LAIN", name="Kecamatan Lain", kind="kecamatan")
        s.add_all([dinas, other])
        s.flush()
        bidang = Unit(code="DINAS-X-B1", name="Bidang Satu", kind="bidang", parent_id=dinas.id)
        s.add(bidang)
        head = Position(name="Kepala Dinas Contoh", kind="jpt", is_unit_head=True)
        kabid_pos = Position(name="Kepala Bidang Satu", kind="administrator", is_unit_head=False)
        staf_pos = Position(name="Analis Kebijakan", kind="pelaksana", is_unit_head=False)
        camat = Position(name="Camat Lain", kind="administrator", is_unit_head=True)
        s.add_all([head, kabid_pos, staf_pos, camat])
        s.flush()
        kadis = add_employee(s, "Kepala Dinas", dinas.id, head.id, golongan="IV/b")
        kabid = add_employee(s, "Kepala Bidang", bidang.id, kabid_pos.id, kadis, golongan="IV/a")
        staf1 = add_employee(s, "Staf Satu", bidang.id, staf_pos.id, kabid)
        staf2 = add_employee(s, "Staf Dua", bidang.id, staf_pos.id, kabid, gender="P")
        outsider = add_employee(s, "Orang Luar", other.id, camat.id)
        create_year(s, SYSTEM, YEAR, "triwulan")
        ids = dinas.id, bidang.id, other.id
    return Office(
        dinas=ids[0],
        bidang=ids[1],
        other_unit=ids[2],
        kadis=kadis,
        kabid=kabid,
        staf1=staf1,
        staf2=staf2,
        outsider=outsider,
        kadis_p=Principal("kadis", PEJABAT_PENILAI, kadis),
        kabid_p=Principal("kabid", PEJABAT_PENILAI, kabid),
        hr=Principal("hr", ADMIN_KEPEGAWAIAN),
        outsider_p=Principal("luar", PEJABAT_PENILAI, outsider),
    )


def period_id(s, kind="akhir", number=0, year=YEAR):
    from sqlalchemy import select

    from kinerja_desktop.store.models import Period

    return s.scalar(select(Period.id).where(Period.year == year, Period.kind == kind, Period.number == number))


def agreed_skp(s, actor, employee_id, *, year=YEAR, rhks=1, ikis=2, parent_rhk_id=None, perspektif=None):
    """Create, fill and agree an SKP; returns its id."""
    from kinerja_desktop.services.performance import skp as skp_service

    skp = skp_service.create_skp(s, actor, employee_id, year)
    content = skp_service.SkpContent(
        approach="kuantitatif",
        rhks=[
            skp_service.RhkInput(
                text=f"RHK {n} pegawai",
                group="utama" if n == 1 else "tambahan",
                parent_rhk_id=parent_rhk_id,
                perspektif=perspektif if skp.model == "jpt" else None,
                ikis=[
                    skp_service.IkiInput(
                        f"IKI {n}.{m}", target=f"{10 * m} dokumen", aspek="Kuantitas" if m == 1 else "Kualitas"
                    )
                    for m in range(1, ikis + 1)
                ],
            )
            for n in range(1, rhks + 1)
        ],
        expectations={"AKUNTABEL": "Tepat waktu"},
        lampiran={"dukungan_sumber_daya": ["Laptop"]},
    )
    skp = skp_service.save_skp(s, actor, skp.id, content, expected_hlc=skp.updated_hlc)
    skp_service.agree_skp(s, actor, skp.id, date(year, 1, 15), expected_hlc=skp.updated_hlc)
    return skp.id


def fill_realisasi(s, evaluation_id):
    """A realisasi for every IKI of the evaluation's SKP, as the editor would send it."""
    from kinerja_desktop.services.performance.evaluations import skp_ikis
    from kinerja_desktop.store.models import Evaluation

    ev = s.get(Evaluation, evaluation_id)
    return {
        iki.id: {"realisasi": f"tercapai {iki.target}", "umpan_balik": "baik"} for _n, _r, iki in skp_ikis(s, ev.skp_id)
    }


@pytest.fixture
def perf():
    """The helper functions above, for the test modules."""

    class Helpers:
        pass

    h = Helpers()
    h.YEAR, h.period_id, h.agreed_skp, h.fill_realisasi, h.add_employee = (
        YEAR,
        period_id,
        agreed_skp,
        fill_realisasi,
        add_employee,
    )
    return h


@dataclass
class Setda:
    """The Sekretariat Daerah over the office: the Sekda (evaluated by the Bupati) above the Kepala Dinas."""

    unit: str
    sekda: str
    bupati: str
    sekda_p: Principal


@pytest.fixture
def setda(db, office) -> Setda:
    from kinerja_desktop.services.performance.kepala_daerah import KepalaDaerahInput, save_kepala_daerah
    from kinerja_desktop.store.models import Employee, Position, Unit

    with db.transaction() as s:
        unit = Unit(code="SETDA", name="Sekretariat Daerah", kind="opd")
        s.add(unit)
        pos = Position(name="Sekretaris Daerah", kind="jpt", is_unit_head=True, reports_to_kepala_daerah=True)
        s.add(pos)
        s.flush()
        sekda = add_employee(s, "Sekretaris Daerah Contoh", unit.id, pos.id, golongan="IV/c")
        s.get(Employee, office.kadis).supervisor_id = sekda
        bupati = save_kepala_daerah(
            s,
            SYSTEM,
            KepalaDaerahInput(
                name="Muhammad Fadhil",
                front_title="H.",
                back_title="S.E., M.M.",
                jabatan="Bupati Batanghari",
                term_start=date(2021, 2, 26),
                term_end=date(2026, 2, 25),
            ),
        )
        save_kepala_daerah(
            s,
            SYSTEM,
            KepalaDaerahInput(
                name="Ahmad Bupati", back_title="S.H.", jabatan="Bupati Batanghari", term_start=date(2026, 2, 26)
            ),
        )
        ids = unit.id, sekda, bupati.id
    return Setda(unit=ids[0], sekda=ids[1], bupati=ids[2], sekda_p=Principal("sekda", PEJABAT_PENILAI, ids[1]))
