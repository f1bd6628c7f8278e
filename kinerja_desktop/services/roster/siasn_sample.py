"""A SIASN data download of an imaginary Kabupaten Batanghari: for tests, benchmarks, the
self-test and practice.

BKN's SIASN gives each BKPSDM its roster as a pipe-separated (``|``) text file with one
row per ASN and the columns of :data:`SIASN_COLUMNS` (SIASN's own names). This module
writes such a file with realistic content and no real people: names drawn from the demo
district's material, valid NIPs and NI PPPK, the perangkat daerah of a kabupaten with
their UNOR (sekretariat, bidang, bagian, schools, puskesmas, kelurahan), structural heads
(some units deliberately without one, as in real life), PNS and PPPK, golongan that fit
the years of service, and the personal fields a real download carries (NIK, telephone,
e-mail, address, NPWP, religion) filled with values that cannot belong to anyone
(reserved ``example`` domains, ``0800`` numbers, NIKs with a ``00`` birth day).

``generate(n)`` gives the rows; ``write_download`` writes them as SIASN does (pipe text)
or as XLSX; ``later_download`` makes the next month's download with a share of changes
(mutasi, kenaikan pangkat, pensiun, new staff, corrected titles).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from openpyxl import Workbook

from kinerja_desktop.domain.golongan import PNS_GOLONGAN
from kinerja_desktop.domain.nip import make_pns_nip, make_pppk_nip
from kinerja_desktop.domain.positions import is_unit_head_title
from kinerja_desktop.services.demo import names as demo_names

#: SIASN's column names, in the download's order.
SIASN_COLUMNS: tuple[str, ...] = (
    "PNS ID",
    "NIP BARU",
    "NIP LAMA",
    "NAMA",
    "GELAR DEPAN",
    "GELAR BELAKANG",
    "TEMPAT LAHIR ID",
    "TEMPAT LAHIR NAMA",
    "TANGGAL LAHIR",
    "JENIS KELAMIN",
    "AGAMA ID",
    "AGAMA NAMA",
    "JENIS KAWIN ID",
    "JENIS KAWIN NAMA",
    "NIK",
    "NOMOR HP",
    "EMAIL",
    "EMAIL GOV",
    "ALAMAT",
    "NPWP NOMOR",
    "BPJS",
    "JENIS PEGAWAI ID",
    "JENIS PEGAWAI NAMA",
    "KEDUDUKAN HUKUM ID",
    "KEDUDUKAN HUKUM NAMA",
    "STATUS CPNS PNS",
    "KARTU ASN VIRTUAL",
    "NOMOR SK CPNS",
    "TANGGAL SK CPNS",
    "TMT CPNS",
    "NOMOR SK PNS",
    "TANGGAL SK PNS",
    "TMT PNS",
    "GOL AWAL ID",
    "GOL AWAL NAMA",
    "GOL AKHIR ID",
    "GOL AKHIR NAMA",
    "TMT GOLONGAN",
    "MK TAHUN",
    "MK BULAN",
    "JENIS JABATAN ID",
    "JENIS JABATAN NAMA",
    "JABATAN ID",
    "JABATAN NAMA",
    "TMT JABATAN",
    "TINGKAT PENDIDIKAN ID",
    "TINGKAT PENDIDIKAN NAMA",
    "PENDIDIKAN ID",
    "PENDIDIKAN NAMA",
    "TAHUN LULUS",
    "KPKN ID",
    "KPKN NAMA",
    "LOKASI KERJA ID",
    "LOKASI KERJA NAMA",
    "UNOR ID",
    "UNOR NAMA",
    "INSTANSI INDUK ID",
    "INSTANSI INDUK NAMA",
    "INSTANSI KERJA ID",
    "INSTANSI KERJA NAMA",
    "SATUAN KERJA INDUK ID",
    "SATUAN KERJA INDUK NAMA",
    "SATUAN KERJA KERJA ID",
    "SATUAN KERJA KERJA NAMA",
    "IS VALID NIK",
    "NAMA SEKOLAH",
    "FLAG IKD",
)
INSTANSI = "Pemerintah Kab. Batanghari"
KECAMATAN = (
    "Bajubang",
    "Batin XXIV",
    "Maro Sebo Ilir",
    "Maro Sebo Ulu",
    "Mersam",
    "Muara Bulian",
    "Muara Tembesi",
    "Pemayung",
)
KELURAHAN = {
    "Muara Bulian": ("Rengas Condong", "Muara Bulian", "Teratai", "Sridadi", "Pasar Baru"),
    "Muara Tembesi": ("Pasar Muara Tembesi",),
    "Bajubang": ("Bajubang",),
}
BIRTH_PLACES = (
    "MUARA BULIAN",
    "JAMBI",
    "MUARA TEMBESI",
    "BAJUBANG",
    "MERSAM",
    "PEMAYUNG",
    "SAROLANGUN",
    "PADANG",
    "PALEMBANG",
    "MEDAN",
    "YOGYAKARTA",
    "KERINCI",
)
RELIGIONS = (("1", "Islam", 92), ("2", "Kristen", 5), ("3", "Katholik", 2), ("4", "Hindu", 1))

STRUKTURAL, FUNGSIONAL, PELAKSANA = ("1", "Struktural"), ("2", "Fungsional"), ("4", "Pelaksana")
_GOL_IDS = {g: str(10 * (i // 4 + 1) + i % 4 + 1) for i, g in enumerate(PNS_GOLONGAN)}

#: Staff positions by kind of unit: (JABATAN NAMA, jenis, education field, PPPK share, weight).
_STAFF: dict[str, tuple[tuple[str, tuple[str, str], str, float, int], ...]] = {
    "umum": (
        ("Pengadministrasi Perkantoran", PELAKSANA, "sma", 0.0, 30),
        ("Penata Layanan Operasional", PELAKSANA, "umum", 0.0, 25),
        ("Pengolah Data dan Informasi", PELAKSANA, "umum", 0.0, 12),
        ("Operator Layanan Operasional", PELAKSANA, "d3", 0.0, 10),
        ("Analis Kebijakan Ahli Pertama", FUNGSIONAL, "umum", 0.0, 8),
        ("Pranata Komputer Ahli Pertama", FUNGSIONAL, "komputer", 0.2, 5),
        ("Arsiparis Terampil", FUNGSIONAL, "d3", 0.0, 4),
        ("Pengelola Pengadaan Barang/Jasa Ahli Pertama", FUNGSIONAL, "ekonomi", 0.0, 3),
    ),
    "sekolah": (
        ("Guru Ahli Pertama", FUNGSIONAL, "pendidikan", 0.55, 45),
        ("Guru Ahli Muda", FUNGSIONAL, "pendidikan", 0.0, 30),
        ("Guru Ahli Madya", FUNGSIONAL, "pendidikan", 0.0, 15),
        ("Pengadministrasi Perkantoran", PELAKSANA, "sma", 0.0, 5),
    ),
    "puskesmas": (
        ("Perawat Terampil", FUNGSIONAL, "keperawatan_d3", 0.3, 28),
        ("Perawat Ahli Pertama", FUNGSIONAL, "ners", 0.3, 14),
        ("Bidan Terampil", FUNGSIONAL, "kebidanan_d3", 0.3, 26),
        ("Dokter Ahli Pertama", FUNGSIONAL, "kedokteran", 0.1, 6),
        ("Nutrisionis Terampil", FUNGSIONAL, "gizi_d3", 0.2, 4),
        ("Sanitarian Terampil", FUNGSIONAL, "sanitasi_d3", 0.2, 4),
        ("Pranata Laboratorium Kesehatan Terampil", FUNGSIONAL, "lab_d3", 0.2, 4),
        ("Pengadministrasi Perkantoran", PELAKSANA, "sma", 0.0, 6),
    ),
    "rsud": (
        ("Perawat Ahli Pertama", FUNGSIONAL, "ners", 0.3, 30),
        ("Perawat Terampil", FUNGSIONAL, "keperawatan_d3", 0.3, 25),
        ("Dokter Ahli Madya", FUNGSIONAL, "kedokteran", 0.0, 6),
        ("Apoteker Ahli Pertama", FUNGSIONAL, "farmasi", 0.0, 4),
        ("Perekam Medis Terampil", FUNGSIONAL, "rekam_medis_d3", 0.2, 6),
        ("Pengadministrasi Perkantoran", PELAKSANA, "sma", 0.0, 10),
    ),
    "inspektorat": (
        ("Auditor Ahli Pertama", FUNGSIONAL, "ekonomi", 0.0, 40),
        ("Auditor Ahli Muda", FUNGSIONAL, "ekonomi", 0.0, 20),
        ("Pengadministrasi Perkantoran", PELAKSANA, "sma", 0.0, 20),
    ),
    "satpol": (
        ("Polisi Pamong Praja Terampil", FUNGSIONAL, "sma", 0.0, 60),
        ("Pengadministrasi Perkantoran", PELAKSANA, "sma", 0.0, 15),
    ),
}


@dataclass
class _Unit:
    satker: str
    satker_id: str
    name: str
    unor_id: str
    head: str | None  # JABATAN NAMA of the head; None: no head (a vacancy, or a school without one)
    head_jenis: tuple[str, str]
    head_gol: tuple[str, str]  # lowest and highest golongan of the head
    staff: str  # key of _STAFF
    weight: float  # share of the staff
    members: list = field(default_factory=list)


def _hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032X}"


def _organisation(n: int, rng: random.Random) -> list[_Unit]:
    """The perangkat daerah and their UNOR, scaled to ``n`` ASN.

    Long because it is the district's organisation chart written out, one unit a line;
    splitting it would scatter the chart."""
    units: list[_Unit] = []

    def satker(name: str, head: str, head_jenis=STRUKTURAL, gol=("IV/c", "IV/d"), staff="umum", weight=1.0) -> str:
        sid = _hex(rng)
        units.append(_Unit(name, sid, name, sid, head, head_jenis, gol, staff, weight))
        return sid

    def unor(
        sat: str, name: str, head: str | None, jenis=STRUKTURAL, gol=("IV/a", "IV/b"), staff="umum", weight=1.0
    ) -> None:
        sid = next(u.satker_id for u in units if u.satker == sat)
        units.append(_Unit(sat, sid, name, _hex(rng), head, jenis, gol, staff, weight))

    setda = "Sekretariat Daerah"
    satker(setda, "Sekretaris Daerah", gol=("IV/d", "IV/e"), weight=0.6)
    for bagian in ("Tata Pemerintahan", "Hukum", "Organisasi", "Umum", "Perekonomian", "Kesejahteraan Rakyat"):
        unor(setda, f"Bagian {bagian}", f"Kepala Bagian {bagian}", gol=("IV/a", "IV/b"), weight=0.5)
    satker("Sekretariat DPRD", "Sekretaris DPRD", weight=0.6)
    unor(
        "Sekretariat DPRD",
        "Bagian Persidangan dan Perundang-undangan",
        "Kepala Bagian Persidangan dan Perundang-undangan",
        weight=0.4,
    )
    satker("Inspektorat Daerah", "Inspektur", staff="inspektorat", weight=0.4)
    for wilayah in ("I", "II", "III"):
        unor(
            "Inspektorat Daerah",
            f"Inspektur Pembantu Wilayah {wilayah}",
            f"Inspektur Pembantu Wilayah {wilayah}",
            staff="inspektorat",
            weight=0.5,
        )
    for name, bidang in (
        ("Badan Perencanaan Pembangunan Daerah", ("Perencanaan Ekonomi", "Perencanaan Infrastruktur")),
        ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", ("Mutasi dan Promosi", "Pengembangan Kompetensi")),
        ("Badan Pengelolaan Keuangan dan Aset Daerah", ("Anggaran", "Perbendaharaan", "Aset")),
        ("Badan Pendapatan Daerah", ("Pendataan dan Penetapan",)),
        ("Dinas Kependudukan dan Pencatatan Sipil", ("Pelayanan Pendaftaran Penduduk",)),
        ("Dinas Pekerjaan Umum dan Penataan Ruang", ("Bina Marga", "Sumber Daya Air", "Cipta Karya")),
        ("Dinas Sosial", ("Rehabilitasi Sosial",)),
        ("Dinas Komunikasi dan Informatika", ("Aplikasi Informatika",)),
        ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", ("Pelayanan Perizinan",)),
        ("Dinas Pertanian", ("Tanaman Pangan", "Penyuluhan")),
        ("Dinas Perhubungan", ("Lalu Lintas",)),
        ("Dinas Lingkungan Hidup", ("Pengelolaan Sampah",)),
    ):
        head = ("Kepala " + name) if name.startswith("Badan") else ("Kepala " + name)
        satker(name, head, weight=0.4)
        unor(name, f"Sekretariat {name}", "Sekretaris", gol=("III/d", "IV/b"), weight=0.7)
        for b in bidang:
            unor(name, f"Bidang {b}", f"Kepala Bidang {b}", gol=("III/d", "IV/b"), weight=0.5)
    satker("Satuan Polisi Pamong Praja", "Kepala Satuan Polisi Pamong Praja", staff="satpol", weight=1.5)

    pendidikan = "Dinas Pendidikan dan Kebudayaan"
    satker(pendidikan, "Kepala Dinas Pendidikan dan Kebudayaan", weight=0.4)
    unor(pendidikan, f"Sekretariat {pendidikan}", "Sekretaris", gol=("IV/a", "IV/b"), weight=0.8)
    unor(pendidikan, "Bidang Pembinaan Sekolah Dasar", "Kepala Bidang Pembinaan Sekolah Dasar", weight=0.4)
    schools = max(2, round(n * 0.45 / 16))
    for i in range(schools):
        kec = KECAMATAN[i % len(KECAMATAN)]
        kind, number = ("SD Negeri", i // len(KECAMATAN) + 1) if i % 5 else ("SMP Negeri", i // 40 + 1)
        school = f"{kind} {number}/I {kec}" if kind == "SD Negeri" else f"{kind} {number} {kec}"
        school_head = None if rng.random() < 0.1 else f"Kepala Sekolah {school}"
        unor(pendidikan, school, school_head, jenis=FUNGSIONAL, gol=("III/d", "IV/b"), staff="sekolah", weight=1.0)

    kesehatan = "Dinas Kesehatan"
    satker(kesehatan, "Kepala Dinas Kesehatan", weight=0.4)
    unor(kesehatan, f"Sekretariat {kesehatan}", "Sekretaris", weight=0.8)
    unor(kesehatan, "Bidang Pelayanan Kesehatan", "Kepala Bidang Pelayanan Kesehatan", weight=0.4)
    unor(
        kesehatan,
        "Bidang Pencegahan dan Pengendalian Penyakit",
        "Kepala Bidang Pencegahan dan Pengendalian Penyakit",
        weight=0.4,
    )
    for i in range(max(2, round(n * 0.14 / 42))):
        kec = KECAMATAN[i % len(KECAMATAN)]
        name = f"Puskesmas {kec}" if i < len(KECAMATAN) else f"Puskesmas {kec} {i // len(KECAMATAN) + 1}"
        unor(kesehatan, name, f"Kepala {name}", gol=("III/c", "IV/a"), staff="puskesmas", weight=2.6)
    satker("RSUD Hamba", "Direktur RSUD Hamba", gol=("IV/b", "IV/c"), staff="rsud", weight=0.6)
    for bagian, head in (
        ("Bidang Pelayanan Medik", "Kepala Bidang Pelayanan Medik"),
        ("Bidang Keperawatan", "Kepala Bidang Keperawatan"),
        ("Bagian Tata Usaha", "Kepala Bagian Tata Usaha"),
    ):
        unor("RSUD Hamba", bagian, head, staff="rsud", weight=max(1.0, n / 1500))

    for kec in KECAMATAN:
        name = f"Kecamatan {kec}"
        satker(name, f"Camat {kec}", gol=("IV/a", "IV/b"), weight=0.2)
        unor(name, f"Sekretariat Kecamatan {kec}", f"Sekretaris Camat {kec}", gol=("III/c", "IV/a"), weight=0.5)
        unor(
            name,
            f"Seksi Pemerintahan Kecamatan {kec}",
            None if kec == "Mersam" else f"Kepala Seksi Pemerintahan Kecamatan {kec}",
            gol=("III/b", "III/d"),
            weight=0.3,
        )
        for kel in KELURAHAN.get(kec, ()):
            unor(name, f"Kelurahan {kel}", f"Lurah {kel}", gol=("III/c", "III/d"), weight=0.3)
    return units


@dataclass
class _People:
    rng: random.Random
    today: date
    used: set = field(default_factory=set)

    def nip(self, birth: date, gender: str, tmt: date | None, pppk_year: int | None) -> str:
        while True:
            seq = self.rng.randint(1, 999)
            g: Literal["L", "P"] = "L" if gender == "M" else "P"
            if pppk_year:
                nip = make_pppk_nip(birth, pppk_year, g, seq)
            else:
                assert tmt is not None, "a PNS has a TMT"
                nip = make_pns_nip(birth, tmt, g, seq)
            if nip not in self.used:
                self.used.add(nip)
                return nip


def _dmy(d: date) -> str:
    return d.strftime("%d-%m-%Y")


def _golongan_between(rng: random.Random, low: str, high: str, years: int, entry: str) -> str:
    start = PNS_GOLONGAN.index(entry)
    by_years = min(start + years // 4, len(PNS_GOLONGAN) - 1)
    lo, hi = PNS_GOLONGAN.index(low), PNS_GOLONGAN.index(high)
    return PNS_GOLONGAN[max(lo, min(hi, by_years)) if hi >= lo else by_years]


def _person(
    people: _People,
    unit: _Unit,
    position: str,
    jenis: tuple[str, str],
    field: str,
    pppk: bool,
    gol_range: tuple[str, str] | None,
) -> dict[str, str]:
    """One row of the download. Long because the row has SIASN's 67 columns, each set once."""
    rng, today = people.rng, people.today
    gender = rng.choice("MF")
    if pppk:
        birth = date(rng.randint(1980, 1998), rng.randint(1, 12), rng.randint(1, 28))
        year = rng.randint(max(2021, birth.year + 21), 2024)
        tmt, nip = date(year, 3, 1), people.nip(birth, gender, None, year)
    else:  # heads (a golongan range) are older than staff
        birth = date(rng.randint(1966, 1980 if gol_range else 1997), rng.randint(1, 12), rng.randint(1, 28))
        tmt = date(min(today.year - 1, birth.year + rng.randint(22, 30)), rng.choice((1, 3, 4, 12)), 1)
        nip = people.nip(birth, gender, tmt, None)
    years = max(0, today.year - tmt.year)
    degree = demo_names.bachelor(rng, field if field in demo_names.BACHELOR else "umum")
    entry = "II/a" if field in ("sma",) or field.endswith("_d3") or field == "d3" else "III/a"
    if pppk:
        golongan, gol_id = ("VII", "7") if entry == "II/a" else ("IX", "9")
    else:
        golongan = _golongan_between(rng, *(gol_range or (entry, "IV/b")), years, entry)
        gol_id = _GOL_IDS[golongan]
    front = "dr." if field == "kedokteran" else ""
    if not front and not pppk and birth.year < 1972 and rng.random() < 0.3:
        front = demo_names.haji("L" if gender == "M" else "P")
    back = degree
    if gol_range and not pppk and rng.random() < 0.5:
        back = demo_names.join_back(degree or "S.Sos.", demo_names.master(rng, "umum"))
    name = demo_names.given_name(rng, "L" if gender == "M" else "P", birth.year).upper()
    religion = rng.choices(RELIGIONS, weights=[r[2] for r in RELIGIONS])[0]
    status = "" if pppk else ("C" if years < 1 else "P")
    # Day 00 (40 for women): a NIK no one can have.
    nik = (
        f"1504{rng.randint(1, 9):02d}{40 if gender == 'F' else 0:02d}{birth.month:02d}{birth.year % 100:02d}"
        f"{rng.randint(1, 9999):04d}"
    )
    place = rng.choice(BIRTH_PLACES)
    return {
        "PNS ID": _hex(rng),
        "NIP BARU": nip,
        "NIP LAMA": "" if pppk or tmt.year > 2000 else f"01{rng.randint(0, 9999999):07d}",
        "NAMA": name,
        "GELAR DEPAN": front,
        "GELAR BELAKANG": back,
        "TEMPAT LAHIR ID": f"{rng.getrandbits(64):016X}",
        "TEMPAT LAHIR NAMA": place,
        "TANGGAL LAHIR": _dmy(birth),
        "JENIS KELAMIN": gender,
        "AGAMA ID": religion[0],
        "AGAMA NAMA": religion[1],
        "JENIS KAWIN ID": "2",
        "JENIS KAWIN NAMA": "Menikah",
        "NIK": nik,
        "NOMOR HP": f"0800{rng.randint(10_000_000, 99_999_999)}",
        "EMAIL": f"{name.split()[0].lower()}{rng.randint(10, 99)}@example.com",
        "EMAIL GOV": f"{name.split()[0].lower()}.{nip[-6:]}@batangharikab.example",
        "ALAMAT": f"JL. {rng.choice(('GAJAH MADA', 'SULTAN THAHA', 'JEND. SUDIRMAN', 'LINTAS TIMUR'))} "
        f"NO. {rng.randint(1, 120)}, RT {rng.randint(1, 20):02d}, {rng.choice(KECAMATAN).upper()}",
        "NPWP NOMOR": f"00.{rng.randint(0, 999):03d}.{rng.randint(0, 999):03d}.0-000.000",
        "BPJS": f"0000{rng.randint(0, 999_999_999):09d}",
        "JENIS PEGAWAI ID": "71" if pppk else "4",
        "JENIS PEGAWAI NAMA": "PPPK" if pppk else "PNS Daerah Kabupaten/Kota",
        "KEDUDUKAN HUKUM ID": "01",
        "KEDUDUKAN HUKUM NAMA": "Aktif",
        "STATUS CPNS PNS": status,
        "KARTU ASN VIRTUAL": "",
        "NOMOR SK CPNS": "" if pppk else f"813/{rng.randint(1, 999)}/BKD/{tmt.year}",
        "TANGGAL SK CPNS": "" if pppk else _dmy(date(tmt.year, tmt.month, 1)),
        "TMT CPNS": _dmy(tmt),
        "NOMOR SK PNS": "" if pppk or years < 1 else f"821.13/{rng.randint(1, 999)}/BKD/{tmt.year + 1}",
        "TANGGAL SK PNS": "" if pppk or years < 1 else _dmy(date(tmt.year + 1, 3, 1)),
        "TMT PNS": "" if pppk or years < 1 else _dmy(date(tmt.year + 1, 3, 1)),
        "GOL AWAL ID": gol_id if pppk else _GOL_IDS[entry],
        "GOL AWAL NAMA": golongan if pppk else entry,
        "GOL AKHIR ID": gol_id,
        "GOL AKHIR NAMA": golongan,
        "TMT GOLONGAN": _dmy(date(max(tmt.year, today.year - rng.randint(0, 3)), rng.choice((4, 10)), 1)),
        "MK TAHUN": str(years),
        "MK BULAN": str(rng.randint(0, 11)),
        "JENIS JABATAN ID": jenis[0],
        "JENIS JABATAN NAMA": jenis[1],
        "JABATAN ID": _hex(rng),
        "JABATAN NAMA": position,
        "TMT JABATAN": _dmy(date(max(tmt.year, today.year - rng.randint(0, 6)), 1, 2)),
        "TINGKAT PENDIDIKAN ID": "40" if degree else "20",
        "TINGKAT PENDIDIKAN NAMA": "S-1/Sarjana" if degree else "SLTA",
        "PENDIDIKAN ID": f"{rng.getrandbits(64):016X}",
        "PENDIDIKAN NAMA": degree or "SMA IPA",
        "TAHUN LULUS": str(birth.year + 22),
        "KPKN ID": "3B",
        "KPKN NAMA": "JAMBI",
        "LOKASI KERJA ID": "1504",
        "LOKASI KERJA NAMA": "KAB. BATANGHARI",
        "UNOR ID": unit.unor_id,
        "UNOR NAMA": unit.name,
        "INSTANSI INDUK ID": "A5EB03E23BBFF6A0E040640A040252AD",
        "INSTANSI INDUK NAMA": INSTANSI,
        "INSTANSI KERJA ID": "A5EB03E23BBFF6A0E040640A040252AD",
        "INSTANSI KERJA NAMA": INSTANSI,
        "SATUAN KERJA INDUK ID": "A5EB03E23BBFF6A0E040640A040252AD",
        "SATUAN KERJA INDUK NAMA": INSTANSI,
        "SATUAN KERJA KERJA ID": unit.satker_id,
        "SATUAN KERJA KERJA NAMA": unit.satker,
        "IS VALID NIK": "true",
        "NAMA SEKOLAH": "UNIVERSITAS JAMBI" if degree else "SMA NEGERI 1 BATANGHARI",
        "FLAG IKD": "",
    }


def generate(n: int, seed: int = 1504, *, today: date | None = None) -> list[dict[str, str]]:
    """``n`` rows of a district's SIASN download (heads first in each unit, then staff, shuffled)."""
    rng = random.Random(seed)
    people = _People(rng, today or date(2026, 11, 30))
    units = _organisation(n, rng)
    rows: list[dict[str, str]] = []
    for unit in units:
        if unit.head is not None and len(rows) < n:
            rows.append(
                _person(
                    people,
                    unit,
                    unit.head,
                    unit.head_jenis,
                    "pemerintahan"
                    if unit.staff == "umum"
                    else {"sekolah": "pendidikan", "puskesmas": "kesmas", "rsud": "kesmas"}.get(unit.staff, "umum"),
                    False,
                    unit.head_gol,
                )
            )
    # Asisten Sekda: JPT in the Sekda's own unit (the Sekda is its head by title).
    setda = next(u for u in units if u.name == "Sekretariat Daerah")
    for title in ("Asisten Pemerintahan dan Kesejahteraan Rakyat", "Asisten Perekonomian dan Pembangunan"):
        if len(rows) < n:
            rows.append(_person(people, setda, title, STRUKTURAL, "pemerintahan", False, ("IV/b", "IV/c")))
    weights = [u.weight for u in units]
    while len(rows) < n:
        unit = rng.choices(units, weights=weights)[0]
        choices = _STAFF[unit.staff]
        position, jenis, field_name, pppk_share, _w = rng.choices(choices, weights=[c[4] for c in choices])[0]
        rows.append(_person(people, unit, position, jenis, field_name, rng.random() < pppk_share, None))
    rng.shuffle(rows)
    return rows


def later_download(rows: list[dict[str, str]], share: float = 0.05, seed: int = 2027) -> list[dict[str, str]]:
    """The next download: ``share`` of the rows changed (mutasi, naik pangkat, pensiun, a title
    added) and new staff, the rest exactly as before."""
    rng = random.Random(seed)
    out = [dict(r) for r in rows]
    count = max(5, round(len(rows) * share))
    targets = rng.sample(range(len(out)), min(count, len(out)))
    units = {(r["UNOR ID"], r["UNOR NAMA"], r["SATUAN KERJA KERJA ID"], r["SATUAN KERJA KERJA NAMA"]) for r in rows}
    units_list = sorted(units)
    people = _People(rng, date(2027, 1, 31), used={r["NIP BARU"] for r in rows})
    for k, index in enumerate(targets):
        row = out[index]
        what = k % 5
        head = row["JENIS JABATAN NAMA"] == "Struktural" or is_unit_head_title(row["JABATAN NAMA"])
        if what == 0 and not head:  # mutasi
            unor_id, unor, sid, satker = rng.choice(units_list)
            row.update(
                {"UNOR ID": unor_id, "UNOR NAMA": unor, "SATUAN KERJA KERJA ID": sid, "SATUAN KERJA KERJA NAMA": satker}
            )
        elif what == 1 and row["GOL AKHIR NAMA"] in PNS_GOLONGAN[:-1]:  # kenaikan pangkat
            higher = PNS_GOLONGAN[PNS_GOLONGAN.index(row["GOL AKHIR NAMA"]) + 1]
            row.update({"GOL AKHIR NAMA": higher, "GOL AKHIR ID": _GOL_IDS[higher], "TMT GOLONGAN": "01-04-2027"})
        elif what == 2 and not head:  # pensiun
            row.update({"KEDUDUKAN HUKUM ID": "99", "KEDUDUKAN HUKUM NAMA": "Pensiun"})
        elif what == 3:  # a corrected title
            row["GELAR BELAKANG"] = demo_names.join_back(row["GELAR BELAKANG"] or "S.E.", "M.M.")
        else:  # new staff in the same unit
            unit = _Unit(
                row["SATUAN KERJA KERJA NAMA"],
                row["SATUAN KERJA KERJA ID"],
                row["UNOR NAMA"],
                row["UNOR ID"],
                None,
                PELAKSANA,
                ("II/a", "III/b"),
                "umum",
                1.0,
            )
            out.append(_person(people, unit, "Penata Layanan Operasional", PELAKSANA, "umum", False, None))
    return out


def write_download(
    path: str | Path, rows: list[dict[str, str]], *, columns: tuple[str, ...] = SIASN_COLUMNS, encoding: str = "utf-8"
) -> Path:
    """Write ``rows`` as SIASN does: ``|``-separated text (``.txt``/``.csv``), or ``.xlsx``."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Data ASN")
        ws.append(list(columns))
        for r in rows:
            ws.append([r.get(c, "") for c in columns])
        wb.save(path)
        return path
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter="|", lineterminator="\r\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([r.get(c, "") for c in columns])
    return path
