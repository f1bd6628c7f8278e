"""The demo district: a realistic Kabupaten Batanghari to try the program with.

:func:`build_demo` fills an empty database with the organisation of the district (the
OPDs of the domain reference with their sekretariat and bidang, the 8 kecamatan offices
and some kelurahan, puskesmas, SD and SMP), the catalogue of positions and a roster of
``employees`` ASN:

- valid NIPs and NI PPPK (``domain.nip``) whose birth date, TMT CPNS (at age 20-35,
  before ``year``) and gender agree with the person; unique by their sequence number;
- PNS golongan that follows the years of service from the entry golongan of the
  education (II/a SMA, II/c D-III, III/a S1, III/b dokter/apoteker), capped at the
  ceiling of the position, and a jenjang (Ahli Pertama/Muda/Madya, Terampil/Mahir/
  Penyelia) that matches the golongan; structural positions held by people whose
  golongan fits them (JPT IV/c-IV/d, administrator III/d-IV/b, pengawas III/b-III/d);
- about 15 % PPPK (appointed 2019 or later; golongan V, VII, IX or X by education);
- supervisor chains three to four levels deep: Sekretaris Daerah -> Kepala Dinas ->
  Kepala Bidang/Sekretaris -> Kepala Seksi/Subbagian -> staff; Kepala Dinas Kesehatan
  -> Kepala Puskesmas -> staff; Kepala Dinas Pendidikan -> Kepala Sekolah -> guru;
  Camat -> Sekretaris Camat -> Kepala Subbagian -> staff. Every employee except the
  Sekretaris Daerah has a supervisor. With fewer employees than positions, some
  structural positions stay vacant and their staff report to the next filled one up;
- Indonesian names and titles that fit the position (guru S.Pd., perawat A.Md.Kep. or
  S.Kep., Ns., dokter dr., camat S.STP ...), see :mod:`demo_names`.

Everything random comes from one ``random.Random(seed)``, ids included, so the same
seed, size and year give the same database content (only the hybrid-clock stamps and
the site id differ). Rows are written with Core bulk inserts, stamped and logged in
the change log (:func:`stamp_rows`, :func:`log_rows`) like any other write.
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from kinerja_desktop import paths
from kinerja_desktop.domain.golongan import PNS_GOLONGAN, plausible_golongan_for_service
from kinerja_desktop.domain.nip import make_pns_nip, make_pppk_nip
from kinerja_desktop.domain.positions import PositionKind
from kinerja_desktop.errors import UnusableInput
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.access.users import create_practice_accounts
from kinerja_desktop.services.audit.chain import record
from kinerja_desktop.services.demo import names
from kinerja_desktop.services.demo.pengaduan import add_pengaduan_demo
from kinerja_desktop.services.demo.performance import add_performance_demo
from kinerja_desktop.services.demo.training import add_training_demo
from kinerja_desktop.services.progress import Job, Progress
from kinerja_desktop.services.settings import DEMO, set_setting
from kinerja_desktop.store.changes import clock_of, log_rows, stamp_rows
from kinerja_desktop.store.database import Database
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.store.site import Site

DEFAULT_SEED = 1504  # the region code of Kabupaten Batanghari
DEFAULT_EMPLOYEES = 2000
MAX_EMPLOYEES = 500_000
MIN_YEAR = 2019  # the first PPPK were appointed in 2019
MAX_YEAR = 2035
SITE_NAME = "Demo Kabupaten Batanghari"
DEMO_YEAR = "demo_year"
DEMO_SEED = "demo_seed"

BIRTH_FIRST, BIRTH_LAST = 1966, 2001
#: Share of the employees that fill structural positions, kepala sekolah and puskesmas.
HEAD_SHARE = 0.20
#: How the other employees divide between schools, health services and everything else.
STAFF_SHARES = (("guru", 0.47), ("kesehatan", 0.23), ("lainnya", 0.30))
CHUNK = 5000

JPT = PositionKind.JPT.value
ADMINISTRATOR = PositionKind.ADMINISTRATOR.value
PENGAWAS = PositionKind.PENGAWAS.value
PELAKSANA = PositionKind.PELAKSANA.value
FUNGSIONAL = PositionKind.FUNGSIONAL.value

# Golongan a holder of each kind of head position has.
G_JPT = ("IV/c", "IV/d")
G_ADMINISTRATOR = ("III/d", "IV/b")
G_PENGAWAS = ("III/b", "III/d")
G_KEPALA_SEKOLAH = ("III/c", "IV/b")
G_KEPALA_PUSKESMAS = ("III/c", "IV/a")


# --- careers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Family:
    """A career: its positions by golongan, the education behind it, who holds it.

    ``levels`` are (position name, lowest golongan, highest golongan), lowest first; an
    empty tuple marks a background used only for the holders of structural positions.
    """

    key: str
    kind: str
    levels: tuple[tuple[str, str, str], ...]
    entry: str = "III/a"  # PNS entry golongan of the education
    field: str = "umum"  # demo_names.BACHELOR key
    master: str | None = "umum"  # demo_names.MASTER key (None: no master's degree)
    front: str = ""  # profession title before the name (dr., drg., apt., drh.)
    pppk: str | None = "IX"  # PPPK golongan (None: not filled by PPPK)
    pppk_share: float = 0.05
    female: float = 0.5
    entry_age: tuple[int, int] = (23, 35)  # age (in years of birth) at TMT CPNS
    max_age: int = 57  # oldest age still in service in the demo year
    min_service: int = 1
    specialist: bool = False
    ceiling: str | None = None  # highest golongan reached (default: top of the last level)


def _ahli(base: str) -> tuple[tuple[str, str, str], ...]:
    return (
        (f"{base} Ahli Pertama", "III/a", "III/b"),
        (f"{base} Ahli Muda", "III/c", "III/d"),
        (f"{base} Ahli Madya", "IV/a", "IV/c"),
    )


def _terampil(base: str, pemula: bool = False) -> tuple[tuple[str, str, str], ...]:
    levels = (
        (f"{base} Terampil", "II/b" if pemula else "II/c", "II/d"),
        (f"{base} Mahir", "III/a", "III/b"),
        (f"{base} Penyelia", "III/c", "III/d"),
    )
    return (((f"{base} Pemula", "II/a", "II/a"),) + levels) if pemula else levels


def _one(name: str, low: str, high: str) -> tuple[tuple[str, str, str], ...]:
    return ((name, low, high),)


_D3: dict[str, Any] = dict(entry="II/c", master=None, pppk="VII", entry_age=(21, 35))
_SMA: dict[str, Any] = dict(entry="II/a", field="sma", master=None, pppk="V", entry_age=(21, 35))

FAMILIES: dict[str, Family] = {
    f.key: f
    for f in (
        # pelaksana
        Family("pengadm", PELAKSANA, _one("Pengadministrasi Perkantoran", "II/a", "III/b"), pppk_share=0.08, **_SMA),
        Family("pengadm_umum", PELAKSANA, _one("Pengadministrasi Umum", "II/a", "III/b"), **_SMA),
        Family(
            "operator_lo",
            PELAKSANA,
            _one("Operator Layanan Operasional", "II/a", "III/b"),
            female=0.35,
            pppk_share=0.1,
            **_SMA,
        ),
        Family("pengemudi", PELAKSANA, _one("Pengemudi", "II/a", "III/a"), female=0.02, **_SMA),
        Family(
            "pengelola_lo",
            PELAKSANA,
            _one("Pengelola Layanan Operasional", "II/c", "III/d"),
            field="d3",
            pppk_share=0.08,
            **_D3,
        ),
        Family("pengelola_data", PELAKSANA, _one("Pengelola Data", "II/c", "III/d"), field="d3", **_D3),
        Family(
            "pengelola_keuangan", PELAKSANA, _one("Pengelola Keuangan", "II/c", "III/d"), field="d3", female=0.65, **_D3
        ),
        Family("penata_lo", PELAKSANA, _one("Penata Layanan Operasional", "III/a", "III/d"), pppk_share=0.08),
        Family(
            "bendahara",
            PELAKSANA,
            _one("Bendahara", "III/a", "III/d"),
            field="ekonomi",
            master="ekonomi",
            pppk=None,
            female=0.65,
        ),
        Family(
            "penyusun_lk",
            PELAKSANA,
            _one("Penyusun Laporan Keuangan", "III/a", "III/d"),
            field="ekonomi",
            master="ekonomi",
            female=0.6,
        ),
        # fungsional, general
        Family("analis_kepeg", FUNGSIONAL, _ahli("Analis Kepegawaian"), female=0.55),
        Family("arsiparis", FUNGSIONAL, _terampil("Arsiparis"), field="d3", female=0.6, **_D3),
        Family(
            "pranata_komputer",
            FUNGSIONAL,
            _ahli("Pranata Komputer"),
            field="komputer",
            master="komputer",
            female=0.35,
            pppk_share=0.1,
        ),
        Family(
            "pranata_komputer_t", FUNGSIONAL, _terampil("Pranata Komputer"), field="komputer_d3", female=0.35, **_D3
        ),
        Family("pranata_humas", FUNGSIONAL, _ahli("Pranata Hubungan Masyarakat"), field="komunikasi", female=0.55),
        Family("perencana", FUNGSIONAL, _ahli("Perencana"), field="perencanaan", female=0.5),
        Family("auditor", FUNGSIONAL, _ahli("Auditor"), field="ekonomi", master="ekonomi", female=0.5),
        Family("p2upd", FUNGSIONAL, _ahli("Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah"), female=0.4),
        Family(
            "analis_keuangan",
            FUNGSIONAL,
            _ahli("Analis Keuangan Pusat dan Daerah"),
            field="ekonomi",
            master="ekonomi",
            female=0.6,
        ),
        Family("analis_kebijakan", FUNGSIONAL, _ahli("Analis Kebijakan"), female=0.45),
        Family(
            "perancang",
            FUNGSIONAL,
            _ahli("Perancang Peraturan Perundang-undangan"),
            field="hukum",
            master="hukum",
            female=0.5,
        ),
        Family("analis_hukum", FUNGSIONAL, _ahli("Analis Hukum"), field="hukum", master="hukum", female=0.5),
        Family("pengelola_pbj", FUNGSIONAL, _ahli("Pengelola Pengadaan Barang/Jasa"), field="perencanaan", female=0.4),
        Family(
            "polpp", FUNGSIONAL, _terampil("Polisi Pamong Praja", pemula=True), female=0.15, pppk_share=0.05, **_SMA
        ),
        Family(
            "pemadam", FUNGSIONAL, _terampil("Pemadam Kebakaran", pemula=True), female=0.03, pppk_share=0.05, **_SMA
        ),
        Family(
            "adminduk",
            FUNGSIONAL,
            _ahli("Administrator Database Kependudukan"),
            field="komputer",
            master="komputer",
            female=0.45,
        ),
        Family(
            "pekerja_sosial",
            FUNGSIONAL,
            _ahli("Pekerja Sosial"),
            field="sosial",
            master="sosial",
            female=0.6,
            pppk_share=0.1,
        ),
        Family("penyuluh_sosial", FUNGSIONAL, _ahli("Penyuluh Sosial"), field="sosial", master="sosial", female=0.55),
        Family(
            "teknik_jalan", FUNGSIONAL, _ahli("Teknik Jalan dan Jembatan"), field="teknik", master="teknik", female=0.2
        ),
        Family("teknik_pengairan", FUNGSIONAL, _ahli("Teknik Pengairan"), field="teknik", master="teknik", female=0.2),
        Family(
            "teknik_bangunan",
            FUNGSIONAL,
            _ahli("Teknik Tata Bangunan dan Perumahan"),
            field="teknik",
            master="teknik",
            female=0.25,
        ),
        Family("penata_ruang", FUNGSIONAL, _ahli("Penata Ruang"), field="teknik", master="teknik", female=0.35),
        Family(
            "penyuluh_pertanian",
            FUNGSIONAL,
            _ahli("Penyuluh Pertanian"),
            field="pertanian",
            master="pertanian",
            female=0.35,
            pppk_share=0.35,
        ),
        Family(
            "penyuluh_pertanian_t",
            FUNGSIONAL,
            _terampil("Penyuluh Pertanian"),
            field="pertanian_d3",
            female=0.3,
            pppk_share=0.35,
            entry="II/c",
            master=None,
            pppk="VII",
            entry_age=(21, 35),
        ),
        Family(
            "medik_veteriner",
            FUNGSIONAL,
            _ahli("Medik Veteriner"),
            entry="III/b",
            field="veteriner",
            master="pertanian",
            front="drh.",
            pppk="X",
            female=0.5,
            entry_age=(25, 35),
        ),
        Family("paramedik_veteriner", FUNGSIONAL, _terampil("Paramedik Veteriner"), field="d3", female=0.3, **_D3),
        Family(
            "penyuluh_kb", FUNGSIONAL, _ahli("Penyuluh Keluarga Berencana"), field="sosial", female=0.6, pppk_share=0.15
        ),
        Family(
            "pengendali_dampak",
            FUNGSIONAL,
            _ahli("Pengendali Dampak Lingkungan"),
            field="lingkungan",
            master="teknik",
            female=0.4,
        ),
        Family("penguji_kendaraan", FUNGSIONAL, _terampil("Penguji Kendaraan Bermotor"), field="d3", female=0.1, **_D3),
        Family("pamong_budaya", FUNGSIONAL, _ahli("Pamong Budaya"), field="budaya", female=0.5),
        Family("penilik", FUNGSIONAL, _ahli("Penilik"), field="pendidikan", master="pendidikan", female=0.6),
        Family("penata_perizinan", FUNGSIONAL, _ahli("Penata Perizinan"), female=0.5),
        Family("penata_bencana", FUNGSIONAL, _ahli("Penata Penanggulangan Bencana"), female=0.3),
        Family("statistisi", FUNGSIONAL, _ahli("Statistisi"), field="statistik", female=0.5),
        Family("sandiman", FUNGSIONAL, _ahli("Sandiman"), field="komputer", master="komputer", female=0.3),
        # guru (BUP 60)
        # few teachers pass IV/b: IV/c needs a publication
        Family(
            "guru_sd",
            FUNGSIONAL,
            _ahli("Guru"),
            field="pendidikan",
            master="pendidikan",
            female=0.7,
            pppk_share=0.27,
            max_age=59,
            ceiling="IV/b",
        ),
        Family(
            "guru_smp",
            FUNGSIONAL,
            _ahli("Guru"),
            field="pendidikan_smp",
            master="pendidikan",
            female=0.6,
            pppk_share=0.25,
            max_age=59,
            ceiling="IV/b",
        ),
        # health
        Family(
            "dokter",
            FUNGSIONAL,
            _ahli("Dokter"),
            entry="III/b",
            field="kedokteran",
            master="kesehatan",
            front="dr.",
            pppk="X",
            pppk_share=0.1,
            female=0.62,
            entry_age=(25, 35),
            max_age=59,
        ),
        Family(
            "dokter_spesialis",
            FUNGSIONAL,
            _ahli("Dokter"),
            entry="III/b",
            field="kedokteran",
            master=None,
            front="dr.",
            pppk=None,
            female=0.45,
            entry_age=(27, 35),
            max_age=59,
            min_service=4,
            specialist=True,
        ),
        Family(
            "dokter_gigi",
            FUNGSIONAL,
            _ahli("Dokter Gigi"),
            entry="III/b",
            field="kedokteran",
            master="kesehatan",
            front="drg.",
            pppk="X",
            pppk_share=0.1,
            female=0.72,
            entry_age=(25, 35),
            max_age=59,
        ),
        Family(
            "apoteker",
            FUNGSIONAL,
            _ahli("Apoteker"),
            entry="III/b",
            field="farmasi",
            master="kesehatan",
            front="apt.",
            pppk="X",
            pppk_share=0.15,
            female=0.75,
            entry_age=(24, 35),
        ),
        Family("ttk", FUNGSIONAL, _terampil("Asisten Apoteker"), field="farmasi_d3", female=0.8, pppk_share=0.2, **_D3),
        Family(
            "perawat_d3", FUNGSIONAL, _terampil("Perawat"), field="keperawatan_d3", female=0.68, pppk_share=0.22, **_D3
        ),
        Family(
            "perawat_ners", FUNGSIONAL, _ahli("Perawat"), field="ners", master="kesehatan", female=0.7, pppk_share=0.15
        ),
        Family("bidan_d3", FUNGSIONAL, _terampil("Bidan"), field="kebidanan_d3", female=1.0, pppk_share=0.22, **_D3),
        Family(
            "bidan_d4",
            FUNGSIONAL,
            _ahli("Bidan"),
            field="kebidanan_d4",
            master="kesehatan",
            female=1.0,
            pppk_share=0.15,
        ),
        Family(
            "sanitarian", FUNGSIONAL, _terampil("Sanitarian"), field="sanitasi_d3", female=0.6, pppk_share=0.15, **_D3
        ),
        Family(
            "nutrisionis", FUNGSIONAL, _terampil("Nutrisionis"), field="gizi_d3", female=0.85, pppk_share=0.15, **_D3
        ),
        Family(
            "pranata_lab",
            FUNGSIONAL,
            _terampil("Pranata Laboratorium Kesehatan"),
            field="lab_d3",
            female=0.7,
            pppk_share=0.15,
            **_D3,
        ),
        Family(
            "perekam_medis",
            FUNGSIONAL,
            _terampil("Perekam Medis"),
            field="rekam_medis_d3",
            female=0.6,
            pppk_share=0.15,
            **_D3,
        ),
        Family("radiografer", FUNGSIONAL, _terampil("Radiografer"), field="radiologi_d3", female=0.4, **_D3),
        Family("fisioterapis", FUNGSIONAL, _terampil("Fisioterapis"), field="fisioterapi_d3", female=0.6, **_D3),
        Family(
            "penyuluh_kesmas",
            FUNGSIONAL,
            _ahli("Penyuluh Kesehatan Masyarakat"),
            field="kesmas",
            master="kesehatan",
            female=0.7,
            pppk_share=0.1,
        ),
        Family(
            "epidemiolog", FUNGSIONAL, _ahli("Epidemiolog Kesehatan"), field="kesmas", master="kesehatan", female=0.6
        ),
        Family(
            "admin_kesehatan",
            FUNGSIONAL,
            _ahli("Administrator Kesehatan"),
            field="kesmas",
            master="kesehatan",
            female=0.6,
        ),
        # backgrounds of the holders of structural positions (no positions of their own)
        Family("mgr_umum", PELAKSANA, (), female=0.35),
        Family("mgr_pemerintahan", PELAKSANA, (), field="pemerintahan", master="pemerintahan", female=0.25),
        Family("mgr_hukum", PELAKSANA, (), field="hukum", master="hukum", female=0.4),
        Family("mgr_ekonomi", PELAKSANA, (), field="ekonomi", master="ekonomi", female=0.45),
        Family("mgr_teknik", PELAKSANA, (), field="teknik", master="teknik", female=0.15),
        Family("mgr_pertanian", PELAKSANA, (), field="pertanian", master="pertanian", female=0.3),
        Family("mgr_komputer", PELAKSANA, (), field="komputer", master="komputer", female=0.3),
        Family("mgr_sosial", PELAKSANA, (), field="sosial", master="sosial", female=0.5),
        Family("mgr_pendidikan", PELAKSANA, (), field="pendidikan", master="pendidikan", female=0.45),
        Family(
            "mgr_rumah_sakit",
            PELAKSANA,
            (),
            entry="III/b",
            field="kedokteran",
            master="rumah_sakit",
            front="dr.",
            female=0.4,
            entry_age=(25, 35),
        ),
    )
}

Menu = tuple[tuple[str, int], ...]

PELAKSANA_MENU: Menu = (
    ("pengadm", 5),
    ("operator_lo", 3),
    ("pengelola_lo", 4),
    ("pengelola_data", 2),
    ("penata_lo", 4),
    ("pengadm_umum", 1),
)
SEKRETARIAT_MENU: Menu = PELAKSANA_MENU + (
    ("pengelola_keuangan", 3),
    ("bendahara", 1),
    ("penyusun_lk", 1),
    ("analis_kepeg", 2),
    ("arsiparis", 1),
    ("perencana", 1),
    ("pengemudi", 1),
)
PUSKESMAS_MENU: Menu = (
    ("dokter", 5),
    ("dokter_gigi", 2),
    ("perawat_d3", 17),
    ("perawat_ners", 9),
    ("bidan_d3", 20),
    ("bidan_d4", 5),
    ("apoteker", 1),
    ("ttk", 3),
    ("sanitarian", 3),
    ("nutrisionis", 3),
    ("pranata_lab", 3),
    ("penyuluh_kesmas", 3),
    ("epidemiolog", 1),
    ("perekam_medis", 2),
    ("admin_kesehatan", 1),
    ("pengadm", 3),
    ("pengelola_keuangan", 1),
    ("pengemudi", 1),
)
SD_MENU: Menu = (("guru_sd", 1),)
SMP_MENU: Menu = (("guru_smp", 40), ("pengadm", 1), ("pengelola_lo", 1))

SEKRETARIAT_SUBBAG = ("Kepala Subbagian Umum dan Kepegawaian", "Kepala Subbagian Perencanaan dan Keuangan")

# Who holds structural positions, by kind of office.
BG_UMUM = (("mgr_umum", 5), ("mgr_pemerintahan", 2), ("mgr_ekonomi", 2), ("mgr_hukum", 1))
BG_KESEHATAN = (("admin_kesehatan", 5), ("dokter", 2), ("perawat_ners", 1), ("bidan_d4", 1))


# --- the organisation ------------------------------------------------------------------


@dataclass(frozen=True)
class Bidang:
    """A bidang/bagian: its code suffix, name, head, seksi/subbagian heads and staff."""

    code: str
    name: str
    seksi: tuple[str, ...] = ()
    menu: Menu = ()  # fungsional added to the pelaksana menu
    head: str = ""  # default "Kepala <name>"
    pelaksana: Menu = PELAKSANA_MENU

    @property
    def head_position(self) -> str:
        return self.head or f"Kepala {self.name}"


@dataclass(frozen=True)
class Opd:
    code: str
    name: str
    head: str
    bidang: tuple[Bidang, ...]
    background: tuple[tuple[str, int], ...] = BG_UMUM
    scale: float = 1.0


#: The organisation chart's tables live in a data file (resources/demo/org_chart.json).
ORG_CHART_FILE = ("demo", "org_chart.json")
_NAMED_MENUS: dict[str, Menu] = {"SEKRETARIAT_MENU": SEKRETARIAT_MENU}


def _menu(items) -> Menu:
    if isinstance(items, str):
        return _NAMED_MENUS[items]
    return tuple((key, int(count)) for key, count in items)


def _bidang(raw: dict) -> Bidang:
    return Bidang(
        raw["code"],
        raw["name"],
        tuple(raw.get("seksi", ())),
        _menu(raw.get("menu", ())),
        raw.get("head", ""),
        _menu(raw["pelaksana"]) if "pelaksana" in raw else PELAKSANA_MENU,
    )


def _opd(raw: dict) -> Opd:
    return Opd(
        raw["code"],
        raw["name"],
        raw["head"],
        tuple(_bidang(b) for b in raw["bidang"]),
        _menu(raw["background"]) if "background" in raw else BG_UMUM,
        float(raw.get("scale", 1.0)),
    )


def _read_org_chart() -> dict:
    return json.loads((paths.resources_dir().joinpath(*ORG_CHART_FILE)).read_text(encoding="utf-8"))


_CHART = _read_org_chart()
DINAS: tuple[Opd, ...] = tuple(_opd(o) for o in _CHART["dinas"])
SETDA_BAGIAN: tuple[tuple[str, tuple[Bidang, ...]], ...] = tuple(
    (a["asisten"], tuple(_bidang(b) for b in a["bagian"])) for a in _CHART["setda_bagian"]
)
SETWAN_BAGIAN: tuple[Bidang, ...] = tuple(_bidang(b) for b in _CHART["setwan_bagian"])
INSPEKTORAT_IRBAN: tuple[Bidang, ...] = tuple(_bidang(b) for b in _CHART["inspektorat_irban"])
RSUD_BIDANG: tuple[Bidang, ...] = tuple(_bidang(b) for b in _CHART["rsud_bidang"])
RSUD_MENUS: dict[str, Menu] = {k: _menu(v) for k, v in _CHART["rsud_menus"].items()}
#: The 8 kecamatan: (name, short code).
KECAMATAN: tuple[tuple[str, str], ...] = tuple((k["name"], k["code"]) for k in _CHART["kecamatan"])
#: Relative number of schools per kecamatan (Muara Bulian, the capital, has the most).
KECAMATAN_WEIGHT: dict[str, int] = {k["code"]: int(k["school_weight"]) for k in _CHART["kecamatan"]}
KECAMATAN_KASI: tuple[str, ...] = tuple(_CHART["kecamatan_kasi"])
KELURAHAN: tuple[tuple[str, str, str], ...] = tuple((k["code"], k["name"], k["kecamatan"]) for k in _CHART["kelurahan"])
PUSKESMAS: tuple[tuple[str, str], ...] = tuple((p["code"], p["name"]) for p in _CHART["puskesmas"])
del _CHART
ROOT_CODE = "PEMKAB-BTH"
ROOT_NAME = "Pemerintah Kabupaten Batanghari"
#: Unit codes of every office named in the domain reference (always present).
DOMAIN_UNIT_CODES = (
    "SETDA",
    "SETWAN",
    "INSPEKTORAT",
    "BAPPEDA",
    "BKPSDM",
    "BPKAD",
    "DISDIKBUD",
    "DINKES",
    "RSUD-HAMBA",
    "DUKCAPIL",
    "PUPR",
    "DINSOS",
    "DISKOMINFO",
    "DPMPTSP",
    "SATPOLPP",
) + tuple(f"KEC-{code}" for _name, code in KECAMATAN)

# PNS recruitment by TMT year (moratorium 2015-2017; mass appointments of honorer
# 2005-2010; large formations from 2019) and TMT months.
_TMT_MONTHS = (1, 2, 3, 4, 5, 6, 7, 10, 12)
_TMT_MONTH_WEIGHTS = (8, 3, 6, 3, 1, 2, 1, 1, 4)
_PPPK_YEAR_WEIGHTS = {2019: 1, 2020: 1, 2021: 4, 2022: 5, 2023: 6, 2024: 5, 2025: 3}


def _recruitment_weight(year: int) -> float:
    if 2015 <= year <= 2017:
        return 0.25
    if 2005 <= year <= 2010:
        return 1.5
    if year in (2019, 2021, 2024):
        return 1.4
    return 1.0


def _entry_age_weight(age: int) -> int:
    return max(1, 10 - abs(age - 26))


# --- the plan: units, head positions (slots) and staff pools ---------------------------


@dataclass
class _Slot:
    index: int
    unit: int  # index into plan.units
    position: str
    kind: str
    is_head: bool
    parent: int | None  # supervising slot
    tier: int  # 0 filled first
    golongan: tuple[str, str]
    background: tuple[tuple[str, int], ...]
    filled: bool = False


@dataclass
class _Pool:
    unit: int
    slot: int
    group: str
    weight: float
    menu: Menu


@dataclass
class _Plan:
    units: list[dict] = field(default_factory=list)  # code, name, kind, parent (index)
    slots: list[_Slot] = field(default_factory=list)
    pools: list[_Pool] = field(default_factory=list)
    positions: dict[str, tuple[str, bool]] = field(default_factory=dict)  # name -> (kind, is head)

    def unit(self, code: str, name: str, kind: str, parent: int | None) -> int:
        self.units.append({"code": code, "name": name, "kind": kind, "parent": parent})
        return len(self.units) - 1

    def position(self, name: str, kind: str, is_head: bool = False) -> None:
        known = self.positions.get(name)
        if known is not None and known != (kind, is_head):
            raise AssertionError(f"position {name!r} defined twice differently")  # a bug in the tables
        self.positions[name] = (kind, is_head)

    def slot(
        self,
        unit: int,
        position: str,
        kind: str,
        parent: int | None,
        tier: int,
        golongan: tuple[str, str],
        background,
        is_head: bool = False,
    ) -> int:
        self.position(position, kind, is_head)
        index = len(self.slots)
        self.slots.append(_Slot(index, unit, position, kind, is_head, parent, tier, golongan, tuple(background)))
        return index

    def pool(self, unit: int, slot: int, group: str, weight: float, menu: Menu) -> None:
        if menu and weight > 0:
            self.pools.append(_Pool(unit, slot, group, weight, menu))


def _bidang_slots(
    plan: _Plan, bidang: Bidang, parent_unit: int, parent_code: str, head_slot: int, background, scale: float
) -> None:
    """A bidang/bagian unit with its head (administrator), its seksi/subbagian heads and their staff.

    Without seksi the staff report to the head of the bidang (fungsional-heavy bidang such
    as Bappeda's); with seksi they report to a Kepala Seksi/Subbagian, and the fungsional
    of the bidang's own menu also directly to the head.
    """
    unit = plan.unit(f"{parent_code}-{bidang.code}", bidang.name, "bidang", parent_unit)
    kabid = plan.slot(unit, bidang.head_position, ADMINISTRATOR, head_slot, 1, G_ADMINISTRATOR, background)
    menu = bidang.pelaksana + bidang.menu
    if not bidang.seksi:
        plan.pool(unit, kabid, "lainnya", 6 * scale, menu)
        return
    plan.pool(unit, kabid, "lainnya", 1 * scale, bidang.menu)
    for seksi in bidang.seksi:
        kasi = plan.slot(unit, seksi, PENGAWAS, kabid, 2, G_PENGAWAS, background)
        plan.pool(unit, kasi, "lainnya", 3 * scale, menu)


def _sekretariat(plan: _Plan, opd: Opd, opd_unit: int, head_slot: int, title: str) -> None:
    unit = plan.unit(f"{opd.code}-SEKRE", f"Sekretariat {opd.name}", "bidang", opd_unit)
    sekretaris = plan.slot(unit, title, ADMINISTRATOR, head_slot, 1, G_ADMINISTRATOR, BG_UMUM)
    for subbag in SEKRETARIAT_SUBBAG:
        kasubbag = plan.slot(unit, subbag, PENGAWAS, sekretaris, 2, G_PENGAWAS, BG_UMUM)
        plan.pool(unit, kasubbag, "lainnya", 3 * opd.scale, SEKRETARIAT_MENU)


def _school_counts(employees: int) -> tuple[int, int]:
    teachers = employees * (1 - HEAD_SHARE) * STAFF_SHARES[0][1]
    sd = min(250, max(6, round(teachers * 0.65 / 9)))
    smp = min(60, max(2, round(teachers * 0.35 / 20)))
    return sd, smp


def build_plan(employees: int, rng: random.Random) -> _Plan:  # noqa: C901 (long: the district's organisation laid out unit by unit)
    """The organisation for a district of ``employees`` (schools scale with it)."""
    plan = _Plan()
    root = plan.unit(ROOT_CODE, ROOT_NAME, "opd", None)

    # Sekretariat Daerah: Sekda, three asisten, nine bagian.
    setda = plan.unit("SETDA", "Sekretariat Daerah", "opd", root)
    sekda = plan.slot(
        setda, "Sekretaris Daerah", JPT, None, 0, G_JPT, (("mgr_pemerintahan", 3), ("mgr_umum", 2)), is_head=True
    )
    for asisten_name, bagian in SETDA_BAGIAN:
        asisten = plan.slot(setda, asisten_name, JPT, sekda, 1, G_JPT, BG_UMUM)
        for b in bagian:
            _bidang_slots(plan, b, setda, "SETDA", asisten, BG_UMUM, 1.0)

    setwan = plan.unit("SETWAN", "Sekretariat DPRD", "opd", root)
    sekwan = plan.slot(setwan, "Sekretaris DPRD", JPT, sekda, 0, G_JPT, BG_UMUM, is_head=True)
    for b in SETWAN_BAGIAN:
        _bidang_slots(plan, b, setwan, "SETWAN", sekwan, BG_UMUM, 1.0)

    insp_opd = Opd(
        "INSPEKTORAT",
        "Inspektorat Daerah",
        "Inspektur",
        INSPEKTORAT_IRBAN,
        background=(("mgr_ekonomi", 3), ("mgr_umum", 2), ("mgr_hukum", 1)),
    )
    insp = plan.unit("INSPEKTORAT", insp_opd.name, "opd", root)
    inspektur = plan.slot(insp, "Inspektur", JPT, sekda, 0, G_JPT, insp_opd.background, is_head=True)
    _sekretariat(plan, insp_opd, insp, inspektur, "Sekretaris Inspektorat")
    for b in INSPEKTORAT_IRBAN:
        _bidang_slots(plan, b, insp, "INSPEKTORAT", inspektur, (("auditor", 3), ("mgr_ekonomi", 1)), 1.0)

    heads: dict[str, tuple[int, int]] = {}
    for opd in DINAS:
        unit = plan.unit(opd.code, opd.name, "opd", root)
        head = plan.slot(unit, opd.head, JPT, sekda, 0, G_JPT, opd.background, is_head=True)
        heads[opd.code] = (unit, head)
        _sekretariat(plan, opd, unit, head, f"Sekretaris {opd.name}")
        for b in opd.bidang:
            _bidang_slots(plan, b, unit, opd.code, head, opd.background, opd.scale)

    # RSUD Hamba: a director (administrator) with a bagian and two bidang.
    rsud = plan.unit("RSUD-HAMBA", "RSUD Hamba", "rsud", root)
    direktur = plan.slot(
        rsud, "Direktur RSUD Hamba", ADMINISTRATOR, sekda, 0, ("IV/a", "IV/b"), (("mgr_rumah_sakit", 1),), is_head=True
    )
    for b in RSUD_BIDANG:
        unit = plan.unit(f"RSUD-HAMBA-{b.code}", b.name, "bidang", rsud)
        kabid = plan.slot(
            unit,
            b.head_position,
            ADMINISTRATOR,
            direktur,
            1,
            G_ADMINISTRATOR,
            BG_UMUM if b.code == "TU" else BG_KESEHATAN,
        )
        for seksi in b.seksi:
            kasi = plan.slot(unit, seksi, PENGAWAS, kabid, 2, G_PENGAWAS, BG_UMUM if b.code == "TU" else BG_KESEHATAN)
            menu = RSUD_MENUS.get(seksi, b.pelaksana + b.menu)
            plan.pool(unit, kasi, "kesehatan", 4 if b.code == "TU" else 14, menu)

    # Kecamatan offices and kelurahan.
    camat_slots: dict[str, tuple[int, int]] = {}
    for name, short in KECAMATAN:
        unit = plan.unit(f"KEC-{short}", f"Kecamatan {name}", "kecamatan", root)
        camat = plan.slot(
            unit,
            "Camat",
            ADMINISTRATOR,
            sekda,
            0,
            ("III/d", "IV/a"),
            (("mgr_pemerintahan", 4), ("mgr_umum", 1)),
            is_head=True,
        )
        camat_slots[short] = (unit, camat)
        sekcam = plan.slot(
            unit,
            "Sekretaris Camat",
            ADMINISTRATOR,
            camat,
            1,
            ("III/c", "IV/a"),
            (("mgr_pemerintahan", 2), ("mgr_umum", 2)),
        )
        for subbag in SEKRETARIAT_SUBBAG:
            kasubbag = plan.slot(unit, subbag, PENGAWAS, sekcam, 2, G_PENGAWAS, BG_UMUM)
            plan.pool(unit, kasubbag, "lainnya", 2, SEKRETARIAT_MENU)
        for kasi_name in KECAMATAN_KASI:
            kasi = plan.slot(unit, kasi_name, PENGAWAS, camat, 2, G_PENGAWAS, (("mgr_pemerintahan", 1),))
            plan.pool(unit, kasi, "lainnya", 1.5, PELAKSANA_MENU + (("analis_kebijakan", 1),))
    for code, name, kec in KELURAHAN:
        kec_unit, camat = camat_slots[kec]
        unit = plan.unit(code, name, "kelurahan", kec_unit)
        lurah = plan.slot(unit, "Lurah", PENGAWAS, camat, 2, G_PENGAWAS, (("mgr_pemerintahan", 1),), is_head=True)
        plan.pool(unit, lurah, "lainnya", 3, PELAKSANA_MENU)

    # Puskesmas under Dinas Kesehatan, schools under Dinas Pendidikan.
    dinkes_unit, kadinkes = heads["DINKES"]
    for code, name in PUSKESMAS:
        unit = plan.unit(code, name, "puskesmas", dinkes_unit)
        kapus = plan.slot(
            unit,
            "Kepala Puskesmas",
            FUNGSIONAL,
            kadinkes,
            1,
            G_KEPALA_PUSKESMAS,
            (("dokter", 4), ("admin_kesehatan", 5), ("perawat_ners", 1)),
            is_head=True,
        )
        plan.pool(unit, kapus, "kesehatan", 10, PUSKESMAS_MENU)

    disdik_unit, kadisdik = heads["DISDIKBUD"]
    n_sd, n_smp = _school_counts(employees)
    numbers = sorted(rng.sample(range(1, max(260, n_sd) + 1), n_sd))
    kec_codes = [short for _name, short in KECAMATAN]
    kec_names = dict((short, name) for name, short in KECAMATAN)
    kec_weights = [KECAMATAN_WEIGHT[c] for c in kec_codes]
    for number in numbers:
        kec = rng.choices(kec_codes, weights=kec_weights, k=1)[0]
        unit = plan.unit(f"SDN-{number:03d}-{kec}", f"SD Negeri {number}/I {kec_names[kec]}", "sekolah", disdik_unit)
        kepsek = plan.slot(
            unit, "Kepala Sekolah", FUNGSIONAL, kadisdik, 1, G_KEPALA_SEKOLAH, (("guru_sd", 1),), is_head=True
        )
        plan.pool(unit, kepsek, "guru", 8, SD_MENU)
    for number in range(1, n_smp + 1):
        unit = plan.unit(f"SMPN-{number:02d}-BTH", f"SMP Negeri {number} Batanghari", "sekolah", disdik_unit)
        kepsek = plan.slot(
            unit, "Kepala Sekolah", FUNGSIONAL, kadisdik, 1, G_KEPALA_SEKOLAH, (("guru_smp", 1),), is_head=True
        )
        plan.pool(unit, kepsek, "guru", 18, SMP_MENU)

    # Every career level is in the catalogue, filled or not.
    for fam in FAMILIES.values():
        for name, _low, _high in fam.levels:
            plan.position(name, fam.kind)
    return plan


# --- people ----------------------------------------------------------------------------


def _gol_index(golongan: str) -> int:
    return PNS_GOLONGAN.index(golongan)


def _service_range(entry: str, golongan: tuple[str, str]) -> tuple[int, int]:
    """Years of service that give a golongan within ``golongan`` from ``entry``."""
    low = max(0, _gol_index(golongan[0]) - _gol_index(entry))
    high = max(low, _gol_index(golongan[1]) - _gol_index(entry))
    return max(1, 4 * low), 4 * high + 3


class _People:
    """Makes consistent people: dates, NIP, golongan, position, name and titles."""

    def __init__(self, rng: random.Random, year: int) -> None:
        self.rng = rng
        self.year = year
        self._pns_cache: dict[tuple, tuple[list, list]] = {}
        self._used: dict[str, set[int]] = {}
        years = [y for y in range(2019, year + 1)]
        self._pppk_years = years
        self._pppk_cum = list(itertools.accumulate(_PPPK_YEAR_WEIGHTS.get(y, 2) for y in years))

    # dates ---------------------------------------------------------------------------
    def _pns_table(self, entry_age: tuple[int, int], max_age: int, service: tuple[int, int]):
        key = (entry_age, max_age, service)
        table = self._pns_cache.get(key)
        if table is None:
            table = self._make_pns_table(entry_age, max_age, service)
            if not table[0]:  # no one fits: relax the service range, then the age limit
                table = self._make_pns_table(entry_age, max_age, (1, 60))
            if not table[0]:
                table = self._make_pns_table(entry_age, 64, (1, 60))
            self._pns_cache[key] = table
        return table

    def _make_pns_table(self, entry_age, max_age, service):
        year = self.year
        rows, cum, total = [], [], 0.0
        for tmt_year in range(year - service[1], year - service[0] + 1):
            ages = [
                a
                for a in range(entry_age[0], entry_age[1] + 1)
                if BIRTH_FIRST <= tmt_year - a <= BIRTH_LAST and year - (tmt_year - a) <= max_age
            ]
            if not ages:
                continue
            age_cum = list(itertools.accumulate(_entry_age_weight(a) for a in ages))
            total += _recruitment_weight(tmt_year) * age_cum[-1]
            rows.append((tmt_year, ages, age_cum))
            cum.append(total)
        return rows, cum

    def _birth_in(self, birth_year: int) -> date:
        start = date(birth_year, 1, 1)
        days = (date(birth_year + 1, 1, 1) - start).days
        return start + timedelta(days=self.rng.randrange(days))

    def pns_dates(self, entry_age, max_age, service) -> tuple[date, date]:
        rng = self.rng
        rows, cum = self._pns_table(entry_age, max_age, service)
        tmt_year, ages, age_cum = rows[bisect.bisect_right(cum, rng.random() * cum[-1])]
        age = ages[bisect.bisect_right(age_cum, rng.random() * age_cum[-1])]
        month = rng.choices(_TMT_MONTHS, weights=_TMT_MONTH_WEIGHTS, k=1)[0]
        return self._birth_in(tmt_year - age), date(tmt_year, month, 1)

    def pppk_dates(self, max_age: int) -> tuple[date, int]:
        rng = self.rng
        years = self._pppk_years
        appointed = years[bisect.bisect_right(self._pppk_cum, rng.random() * self._pppk_cum[-1])]
        age = int(rng.triangular(21, 56, 33))
        low = max(BIRTH_FIRST, self.year - max_age)
        high = min(BIRTH_LAST, appointed - 20)
        birth_year = min(max(appointed - age, low), high)
        return self._birth_in(birth_year), appointed

    # identity ------------------------------------------------------------------------
    def sequence(self, prefix: str) -> int:
        used = self._used.setdefault(prefix, set())
        if len(used) >= 999:  # pragma: no cover - a thousand people born and appointed alike
            raise RuntimeError(f"no NIP sequence number left for {prefix}")
        seq = 1 + min(998, int(self.rng.expovariate(0.3)))
        while seq in used:
            seq = seq % 999 + 1
        used.add(seq)
        return seq

    def gender(self, female_share: float) -> Literal["L", "P"]:
        return "P" if self.rng.random() < female_share else "L"

    def titles(
        self, fam: Family, gender: str, birth_year: int, master_chance: float, haji_chance: float, muslim: bool
    ) -> tuple[str, str]:
        rng = self.rng
        degree = names.bachelor(rng, fam.field, muslim)
        front = fam.front
        old = names.old_style_front(degree, gender, birth_year) if degree and not front else None
        if old and rng.random() < 0.7:
            front, degree = old, ""
        specialist = rng.choice(names.SPECIALIST) if fam.specialist else ""
        master = ""
        if fam.master and rng.random() < master_chance:
            master = names.master(rng, fam.master, muslim)
        haji = ""
        if muslim and birth_year <= 1980 and rng.random() < haji_chance:
            haji = names.haji(gender)
        return names.join_front(front, haji), names.join_back(degree, specialist, master)


def _master_chance(kind: str, level: int, levels: int) -> float:
    if kind == JPT:
        return 0.9
    if kind == ADMINISTRATOR:
        return 0.6
    if kind == PENGAWAS:
        return 0.3
    if levels >= 3 and level == levels - 1:  # Ahli Madya, Penyelia
        return 0.35
    if level >= 1:
        return 0.12
    return 0.04


_HEAD_FEMALE_FACTOR = {JPT: 0.55, ADMINISTRATOR: 0.65, PENGAWAS: 0.8, FUNGSIONAL: 0.85}


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _employee_row(
    people: _People,
    *,
    fam: Family,
    kind: str | None,
    position: str | None,
    golongan_range: tuple[str, str] | None,
    female: float,
    pppk: bool,
    master_chance: float | None,
    haji_chance: float,
) -> tuple[dict, str]:
    """One person as a row of ``employees`` (ids filled in by the caller) and their position."""
    rng = people.rng
    gender = people.gender(female)
    if pppk:
        birth, appointed = people.pppk_dates(fam.max_age)
        status, golongan = "PPPK", fam.pppk
        position = position or fam.levels[0][0]
        level = 0
        prefix = make_pppk_nip(birth, appointed, gender, 1)[:15]
    else:
        entry = fam.entry
        if golongan_range is not None:
            service = _service_range(entry, golongan_range)
        else:
            service = (fam.min_service, 60)
        birth, tmt = people.pns_dates(fam.entry_age, fam.max_age, service)
        golongan = plausible_golongan_for_service(people.year - tmt.year, entry)
        level = 0
        if fam.levels:
            ceiling = fam.ceiling or fam.levels[-1][2]
            if golongan_range is None and _gol_index(golongan) > _gol_index(ceiling):
                golongan = ceiling
            for i, (name, low, high) in enumerate(fam.levels):
                if _gol_index(low) <= _gol_index(golongan) <= _gol_index(high):
                    level = i
                    if position is None:
                        position = name
                    break
            else:  # below the first level (cannot happen with the tables above)
                position = position or fam.levels[0][0]
        status = "PNS"
        prefix = make_pns_nip(birth, tmt, gender, 1)[:15]
    seq = people.sequence(prefix)
    nip = f"{prefix}{seq:03d}"
    chance = master_chance if master_chance is not None else _master_chance(kind or fam.kind, level, len(fam.levels))
    style = names.name_style(rng)
    front, back = people.titles(fam, gender, birth.year, chance, haji_chance, style.muslim)
    row = {
        "nip": nip,
        "name": names.given_name(rng, gender, birth.year, style),
        "front_title": front,
        "back_title": back,
        "gender": gender,
        "birth_date": birth,
        "status": status,
        "golongan": golongan,
        "active": True,
    }
    assert position is not None  # every family has at least one level
    return row, position


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`build_demo` made."""

    units: int
    positions: int
    employees: int
    pppk: int
    vacant_positions: int
    max_chain_depth: int
    seed: int
    year: int


class DatabaseNotEmpty(UnusableInput):
    """The database already holds an organisation or a roster; the demo is not written over it."""

    def __init__(self, message: str, employees: int, units: int) -> None:
        super().__init__(message)
        self.employees = employees
        self.units = units


def check_parameters(employees: int, year: int) -> None:
    """Raise :class:`UnusableInput` for a size or year the demo cannot be made with."""
    if not 1 <= employees <= MAX_EMPLOYEES:
        raise UnusableInput(
            _("Jumlah pegawai demo harus antara 1 dan {max}, bukan {n}.").format(max=MAX_EMPLOYEES, n=employees)
        )
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UnusableInput(
            _("Tahun demo harus antara {low} dan {high}, bukan {year}.").format(low=MIN_YEAR, high=MAX_YEAR, year=year)
        )


def _check_empty(session: Session) -> None:
    employees = session.scalar(select(func.count()).select_from(Employee)) or 0
    units = session.scalar(select(func.count()).select_from(Unit)) or 0
    positions = session.scalar(select(func.count()).select_from(Position)) or 0
    if employees or units or positions:
        raise DatabaseNotEmpty(
            _(
                "Basis data ini sudah berisi {employees} pegawai dan {units} unit kerja; "
                "data demo hanya dibuat di basis data yang kosong."
            ).format(employees=employees, units=units),
            employees,
            units,
        )


def _fill_order(plan: _Plan, budget: int, rng: random.Random) -> None:
    """Mark which head positions are filled: tier by tier, in a seeded order within a tier."""
    order: list[_Slot] = []
    for tier in sorted({s.tier for s in plan.slots}):
        in_tier = [s for s in plan.slots if s.tier == tier]
        if tier == 0:  # the Sekretaris Daerah first, always
            in_tier.sort(key=lambda s: s.parent is not None)
            head, rest = in_tier[:1], in_tier[1:]
            rng.shuffle(rest)
            in_tier = head + rest
        else:
            rng.shuffle(in_tier)
        order.extend(in_tier)
    for s in order[:budget]:
        s.filled = True


def _staff_counts(plan: _Plan, staff: int, rng: random.Random) -> list[int]:
    """How many staff each pool gets: shares per group, then a seeded draw by weight."""
    counts = [0] * len(plan.pools)
    remaining = staff
    groups = [g for g, _share in STAFF_SHARES]
    for i, (group, share) in enumerate(STAFF_SHARES):
        pools = [k for k, p in enumerate(plan.pools) if p.group == group]
        n = remaining if i == len(groups) - 1 else round(staff * share)
        n = min(n, remaining)
        remaining -= n
        if not pools or n <= 0:
            continue
        cum = list(itertools.accumulate(plan.pools[k].weight for k in pools))
        for _i in range(n):
            counts[pools[bisect.bisect_right(cum, rng.random() * cum[-1])]] += 1
    return counts


def build_demo(  # noqa: PLR0915 (long: the demo job's steps in order, each yielding progress)
    db: Database,
    *,
    employees: int = DEFAULT_EMPLOYEES,
    seed: int = DEFAULT_SEED,
    year: int | None = None,
    activity: bool = True,
) -> Job[DemoSummary]:
    """Fill the empty database ``db`` with the demo district (a job yielding progress).

    Raises :class:`DatabaseNotEmpty` when the database already holds units, positions
    or employees, :class:`UnusableInput` for a size or year out of range. Everything is
    written in one transaction: a cancelled or failed build leaves the database empty.
    """
    year = year if year is not None else date.today().year
    check_parameters(employees, year)
    total = employees + 1
    yield Progress(0, total, _("Menyusun unit kerja dan jabatan"))
    rng = random.Random(seed)
    with db.transaction() as session:
        _check_empty(session)
        clock = clock_of(session)
        plan = build_plan(employees, rng)

        # Units (parents before children) and positions.
        unit_ids = [_uuid(rng) for _u in plan.units]
        unit_rows = [
            {
                "id": unit_ids[i],
                "code": u["code"],
                "name": u["name"],
                "kind": u["kind"],
                "parent_id": unit_ids[u["parent"]] if u["parent"] is not None else None,
            }
            for i, u in enumerate(plan.units)
        ]
        _write(session, clock, Unit, unit_rows)
        position_ids = {}
        position_rows = []
        for name, (kind, is_head) in plan.positions.items():
            position_ids[name] = _uuid(rng)
            position_rows.append(
                {
                    "id": position_ids[name],
                    "name": name,
                    "kind": kind,
                    "is_unit_head": is_head,
                    "reports_to_kepala_daerah": name == "Sekretaris Daerah",
                }
            )
        _write(session, clock, Position, position_rows)

        # Heads: as many as the size allows, the rest of the structure stays vacant.
        budget = min(len(plan.slots), max(1, int(employees * HEAD_SHARE)))
        _fill_order(plan, budget, rng)
        people = _People(rng, year)
        slot_employee: dict[int, str] = {}
        depth: dict[str, int] = {}
        rows: list[dict] = []
        written = pppk = 0

        def supervisor_of(slot_index: int | None) -> str | None:
            while slot_index is not None:
                if slot_index in slot_employee:
                    return slot_employee[slot_index]
                slot_index = plan.slots[slot_index].parent
            return None

        def add(row: dict, position: str, unit: int, supervisor: str | None) -> None:
            nonlocal pppk
            row["id"] = _uuid(rng)
            row["position_id"] = position_ids[position]
            row["unit_id"] = unit_ids[unit]
            row["supervisor_id"] = supervisor
            depth[row["id"]] = 0 if supervisor is None else depth[supervisor] + 1
            pppk += row["status"] == "PPPK"
            rows.append(row)

        for s in plan.slots:
            if not s.filled:
                continue
            fam = FAMILIES[rng.choices([k for k, _w in s.background], weights=[w for _k, w in s.background])[0]]
            female = fam.female * _HEAD_FEMALE_FACTOR[s.kind]
            master_chance = 0.3 if s.kind == FUNGSIONAL else None
            row, position = _employee_row(
                people,
                fam=fam,
                kind=s.kind,
                position=s.position,
                golongan_range=s.golongan,
                female=female,
                pppk=False,
                master_chance=master_chance,
                haji_chance=0.22,
            )
            supervisor = supervisor_of(s.parent)
            add(row, position, s.unit, supervisor)
            slot_employee[s.index] = row["id"]
        heads = len(rows)

        counts = _staff_counts(plan, employees - heads, rng)
        for pool, count in zip(plan.pools, counts, strict=False):
            if not count:
                continue
            supervisor = supervisor_of(pool.slot)
            keys = [k for k, _w in pool.menu]
            cum = list(itertools.accumulate(w for _k, w in pool.menu))
            for _i in range(count):
                fam = FAMILIES[keys[bisect.bisect_right(cum, rng.random() * cum[-1])]]
                is_pppk = fam.pppk is not None and rng.random() < fam.pppk_share
                row, position = _employee_row(
                    people,
                    fam=fam,
                    kind=None,
                    position=None,
                    golongan_range=None,
                    female=fam.female,
                    pppk=is_pppk,
                    master_chance=None,
                    haji_chance=0.07,
                )
                add(row, position, pool.unit, supervisor)
                if len(rows) >= CHUNK:
                    written += _write(session, clock, Employee, rows)
                    rows = []
                    yield Progress(written, total, _("Menyimpan pegawai"))
        written += _write(session, clock, Employee, rows)
        rows = []

        site = session.get(Site, db.site_id)
        if site is not None:
            site.name = SITE_NAME
        set_setting(session, SYSTEM, DEMO, True)
        set_setting(session, SYSTEM, DEMO_YEAR, year)
        set_setting(session, SYSTEM, DEMO_SEED, seed)
        if activity:  # a year of work; load tests of the roster alone leave it out
            yield Progress(written, total, _("Menyusun SKP, umpan balik dan evaluasi"))
            add_performance_demo(session, rng, year)
            yield Progress(written, total, _("Menyusun catatan pelatihan dan kompetensi"))
            add_training_demo(session, rng, year)
            yield Progress(written, total, _("Menyusun register pengaduan masyarakat"))
            add_pengaduan_demo(session, rng, year)
        # One practice account per role, listed on the sign-in screen of a demo database.
        create_practice_accounts(session)
        summary = DemoSummary(
            units=len(unit_rows),
            positions=len(position_rows),
            employees=written,
            pppk=pppk,
            vacant_positions=sum(1 for s in plan.slots if not s.filled),
            max_chain_depth=max(depth.values(), default=0),
            seed=seed,
            year=year,
        )
        record(
            session,
            SYSTEM,
            "demo",
            "",
            "",
            None,
            {
                "employees": written,
                "units": summary.units,
                "positions": summary.positions,
                "seed": seed,
                "year": year,
            },
        )
    yield Progress(total, total, _("Selesai"))
    return summary


def _write(session: Session, clock, model, rows: list[dict]) -> int:
    """Bulk-insert ``rows`` into ``model``'s table, stamped and logged in the change log."""
    if not rows:
        return 0
    stamp_rows(clock, rows, new=True)
    session.execute(insert(model.__table__), rows)
    log_rows(session, model.__tablename__, rows)
    return len(rows)
