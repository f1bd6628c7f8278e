"""Name material for the demo district: Indonesian names and academic titles.

Batanghari's civil servants are mostly Jambi Malay, with many Javanese (transmigration
villages in Bajubang, Mersam and Maro Sebo Ulu), Minang, Mandailing and Toba Batak
families; each person is named within one tradition (:data:`STYLES`), so a Javanese
given name comes with a Javanese second name and a Batak one with a marga. Given names
are split by generation, so a teacher born in 1968 is more often a *Zuraida* or
*Syamsul Bahri* and one born in 1996 a *Nabila* or *Rizky*.

Titles follow Indonesian custom: academic front titles (``dr.``, ``drg.``, ``apt.``,
``Ir.``, ``Drs.``/``Dra.``) and the religious ``H.``/``Hj.`` stand before the name;
degrees (``S.Pd.``, ``A.Md.Kep.``, ``M.Si.`` ...) after it. Which degree a person holds
is decided by :mod:`kinerja_desktop.services.demo.district` from the position; this module only
holds the material and picks from it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# --- names by tradition ----------------------------------------------------------------


@dataclass(frozen=True)
class NameStyle:
    """How one community names its children: given names by generation, second names.

    ``second`` holds what follows the given name: a Malay or Javanese second name, or a
    Batak marga (kept by women too). ``muslim`` decides whether H./Hj. and the Islamic
    degrees (S.Pd.I) can occur.
    """

    key: str
    weight: int
    male_older: tuple[str, ...]
    male_younger: tuple[str, ...]
    female_older: tuple[str, ...]
    female_younger: tuple[str, ...]
    male_second: tuple[str, ...]
    female_second: tuple[str, ...]
    second_share: float  # how often a second name follows
    muslim: bool = True
    male_prefix: tuple[str, ...] = ()
    female_prefix: tuple[str, ...] = ()


STYLES: tuple[NameStyle, ...] = (
    NameStyle(
        "melayu_jambi",
        52,
        male_older=(
            "Ahmad",
            "Abdul Rahman",
            "Abdul Hamid",
            "Amiruddin",
            "Amri",
            "Arsyad",
            "Asnawi",
            "Azhar",
            "Bahrum",
            "Burhanuddin",
            "Darmawan",
            "Darwis",
            "Fachrurrozi",
            "Hamdan",
            "Harun",
            "Hasan Basri",
            "Hasbullah",
            "Ibnu Hajar",
            "Idris",
            "Ismail",
            "Jamaluddin",
            "Junaidi",
            "Kamaruddin",
            "Khairul",
            "M. Yusuf",
            "Mahmud",
            "Mawardi",
            "Mukhlis",
            "Nazaruddin",
            "Nurdin",
            "Rasyid",
            "Ridwan",
            "Rusdi",
            "Rusli",
            "Sahrul",
            "Samsudin",
            "Sudirman",
            "Sulaiman",
            "Syahrial",
            "Syamsul Bahri",
            "Syarifuddin",
            "Taufik",
            "Usman",
            "Zainal Abidin",
            "Zulkifli",
            "Abdullah",
            "Azwar",
            "Hasanuddin",
        ),
        male_younger=(
            "Ardiansyah",
            "Arif",
            "Fadli",
            "Fahmi",
            "Fajar",
            "Fauzan",
            "Febri",
            "Ferdi",
            "Hendra",
            "Heri",
            "Ikhsan",
            "Ilham",
            "Irfan",
            "Irwan",
            "Jefri",
            "Luthfi",
            "M. Fadhil",
            "M. Rizki",
            "Muhammad Arif",
            "Muhammad Iqbal",
            "Muhammad Ridho",
            "Muhammad Syafii",
            "Nanda",
            "Rahmat",
            "Randi",
            "Reza",
            "Rian",
            "Ricky",
            "Rizky",
            "Roni",
            "Sandi",
            "Septian",
            "Taufan",
            "Zaki",
            "Alfarizi",
            "Riki",
            "Hafiz",
            "Habibi",
            "Ade",
            "Feri",
            "Yudi",
            "Edo",
            "Andre",
            "Dedi",
            "Doni",
        ),
        female_older=(
            "Asmawati",
            "Aisyah",
            "Darmawati",
            "Erni",
            "Fatimah",
            "Fauziah",
            "Halimah",
            "Hamidah",
            "Herlina",
            "Jamilah",
            "Juliana",
            "Khadijah",
            "Lismawati",
            "Mariani",
            "Marlina",
            "Maryam",
            "Nurhayati",
            "Nurhasanah",
            "Nurlela",
            "Nurbaiti",
            "Rahmawati",
            "Ratna",
            "Rosmiati",
            "Rosnani",
            "Rusmini",
            "Salmah",
            "Siti Aminah",
            "Siti Rohana",
            "Siti Zubaidah",
            "Suryani",
            "Syamsiah",
            "Zubaidah",
            "Zuraida",
            "Zulaikha",
            "Murni",
            "Rosdiana",
            "Evi",
            "Nelly",
        ),
        female_younger=(
            "Anggi",
            "Anisa",
            "Citra",
            "Desi",
            "Devi",
            "Dina",
            "Dinda",
            "Eka",
            "Elsa",
            "Eva",
            "Fitri",
            "Fitria",
            "Hana",
            "Indah",
            "Intan",
            "Juwita",
            "Lia",
            "Lina",
            "Lusi",
            "Maya",
            "Mega",
            "Mira",
            "Nabila",
            "Nadia",
            "Nia",
            "Nisa",
            "Nur Aini",
            "Novita",
            "Putri",
            "Rahma",
            "Reni",
            "Rina",
            "Risma",
            "Rizka",
            "Siska",
            "Siti Nurhaliza",
            "Tika",
            "Ulfa",
            "Vivi",
            "Yeni",
            "Yulia",
            "Yuliana",
            "Zahra",
            "Mutiara",
            "Syarifah",
            "Khairunnisa",
            "Amelia",
            "Febriani",
            "Winda",
            "Suci",
            "Tiara",
            "Yolanda",
        ),
        male_second=(
            "Saputra",
            "Syahputra",
            "Hidayat",
            "Hidayatullah",
            "Ramadhan",
            "Pratama",
            "Putra",
            "Efendi",
            "Hamzah",
            "Yusuf",
            "Fadillah",
            "Rahman",
            "Hakim",
            "Maulana",
            "Firmansyah",
            "Alamsyah",
            "Syafei",
            "Arifin",
            "Anwar",
            "Iskandar",
            "Habibullah",
            "Zulkarnain",
            "Akbar",
            "Ansori",
            "Kurniawan",
        ),
        female_second=(
            "Sari",
            "Safitri",
            "Ramadhani",
            "Oktaviani",
            "Septiani",
            "Novitasari",
            "Maharani",
            "Fitriani",
            "Nurjanah",
            "Hasanah",
            "Rahmadani",
            "Fauziah",
            "Aulia",
            "Khairani",
            "Hayati",
            "Rahmawati",
            "Andriani",
            "Marlina",
            "Agustina",
            "Zahara",
            "Yanti",
            "Anggraini",
        ),
        second_share=0.55,
        male_prefix=("Kemas", "Raden", "Masagus"),
        female_prefix=("Nyimas", "Raden Ayu"),
    ),
    NameStyle(
        "jawa",
        26,
        male_older=(
            "Agus",
            "Bambang",
            "Budi",
            "Djoko",
            "Eko",
            "Hadi",
            "Joko",
            "Mulyadi",
            "Parjo",
            "Paimin",
            "Slamet",
            "Sugeng",
            "Sukirman",
            "Sumarno",
            "Supardi",
            "Suparman",
            "Tukiman",
            "Wagiman",
            "Sutrisno",
            "Sugiyono",
            "Suyatno",
            "Sarno",
            "Wahyudi",
            "Purwanto",
            "Heru",
        ),
        male_younger=(
            "Adi",
            "Aditya",
            "Agung",
            "Bayu",
            "Dimas",
            "Dwi",
            "Galih",
            "Tri",
            "Teguh",
            "Wahyu",
            "Yoga",
            "Yudha",
            "Angga",
            "Gilang",
            "Eko",
            "Andi",
            "Rudi",
            "Fajar",
            "Anton",
            "Joko",
        ),
        female_older=(
            "Dewi",
            "Endang",
            "Lestari",
            "Ngatini",
            "Poniyem",
            "Sri Wahyuni",
            "Sri Mulyani",
            "Sumarni",
            "Suwarni",
            "Tuti",
            "Wartini",
            "Sumiati",
            "Kartini",
            "Sulastri",
            "Suyati",
            "Warsini",
            "Rukmini",
            "Siti Aminah",
            "Yuni",
        ),
        female_younger=(
            "Ayu",
            "Dewi",
            "Dwi",
            "Indah",
            "Puji",
            "Ratih",
            "Sinta",
            "Tri",
            "Wulan",
            "Septi",
            "Rani",
            "Dian",
            "Retno",
            "Eka",
            "Maya",
            "Putri",
            "Lina",
            "Novi",
            "Anik",
        ),
        male_second=(
            "Santoso",
            "Wibowo",
            "Prasetyo",
            "Susanto",
            "Purnomo",
            "Wahyudi",
            "Siswanto",
            "Supriyadi",
            "Sugiyanto",
            "Hartono",
            "Setiawan",
            "Nugroho",
            "Kurniawan",
            "Saputro",
            "Widodo",
            "Suryadi",
            "Gunawan",
            "Wijaya",
        ),
        female_second=(
            "Lestari",
            "Rahayu",
            "Handayani",
            "Wulandari",
            "Pratiwi",
            "Utami",
            "Purwanti",
            "Kurniasih",
            "Susanti",
            "Sari",
            "Yanti",
            "Wati",
            "Astuti",
            "Ningsih",
            "Puspita",
            "Permatasari",
            "Wahyuni",
        ),
        second_share=0.65,
    ),
    NameStyle(
        "minang",
        9,
        male_older=(
            "Afrizal",
            "Syafrizal",
            "Yusran",
            "Jasmadi",
            "Masrul",
            "Nasrul",
            "Efendi",
            "Zulfikar",
            "Firdaus",
            "Herman",
            "Erwin",
            "Amrizal",
            "Syafril",
            "Desmon",
            "Zulhendri",
        ),
        male_younger=("Rizal", "Fadli", "Fauzan", "Hafiz", "Rahmat", "Rifki", "Ilham", "Aldi", "Fikri", "Hendri"),
        female_older=(
            "Yusnidar",
            "Yulidar",
            "Elfida",
            "Yetti",
            "Nelly",
            "Yusnimar",
            "Rosmaini",
            "Asnimar",
            "Yenni",
            "Desmawati",
            "Nurmaini",
        ),
        female_younger=("Rahma", "Silvia", "Nadia", "Rizka", "Fitri", "Ghina", "Annisa", "Melati", "Yolanda"),
        male_second=("Putra", "Syafri", "Efendi", "Chaniago", "Yunus", "Malik"),
        female_second=("Putri", "Yanti", "Sari", "Fitri", "Dewita"),
        second_share=0.45,
    ),
    NameStyle(
        "mandailing",
        8,
        male_older=(
            "Ahmad",
            "Ridwan",
            "Khairul",
            "Syahrial",
            "Amiruddin",
            "Mukhlis",
            "Burhanuddin",
            "Irwansyah",
            "Sahdan",
            "Parlindungan",
        ),
        male_younger=("Fadli", "Rizky", "Ikhsan", "Hendra", "Arif", "Reza", "Ilham", "Rahmat", "Zulham"),
        female_older=("Nurhayati", "Rosmawati", "Masdalifah", "Nurhalimah", "Hotmaida", "Erna", "Siti Aminah"),
        female_younger=("Fitri", "Nur Aini", "Rahma", "Siti Hajar", "Indah", "Desi", "Nisa"),
        male_second=(
            "Nasution",
            "Lubis",
            "Harahap",
            "Siregar",
            "Hasibuan",
            "Pohan",
            "Daulay",
            "Rangkuti",
            "Batubara",
            "Pulungan",
        ),
        female_second=("Nasution", "Lubis", "Harahap", "Siregar", "Hasibuan", "Pohan", "Daulay", "Rangkuti"),
        second_share=0.95,
    ),
    NameStyle(
        "batak_toba",
        5,
        male_older=("Marulak", "Tigor", "Hotman", "Jonner", "Rudolf", "Bonar", "Maruli", "Poltak", "Binsar"),
        male_younger=("Andreas", "Samuel", "Daniel", "Roy", "Yosua", "Kevin", "Rio", "Hendrik", "Bastian"),
        female_older=("Tiurma", "Lasma", "Roida", "Rosmawati", "Tiominar", "Marintan", "Rugun"),
        female_younger=("Maria", "Friska", "Yosephine", "Debora", "Lusiana", "Grace", "Monika", "Ruth"),
        male_second=(
            "Simanjuntak",
            "Sitorus",
            "Hutapea",
            "Sinaga",
            "Simatupang",
            "Pardede",
            "Situmorang",
            "Manurung",
            "Silalahi",
            "Panjaitan",
        ),
        female_second=(
            "Simanjuntak",
            "Sitorus",
            "Hutapea",
            "Sinaga",
            "Simatupang",
            "Pardede",
            "Situmorang",
            "Manurung",
            "Silalahi",
            "Panjaitan",
        ),
        second_share=1.0,
        muslim=False,
    ),
)
_STYLE_WEIGHTS = tuple(style.weight for style in STYLES)

# --- academic and religious titles -----------------------------------------------------

#: Bachelor-level degrees (or professional diplomas) per education field, with weights.
BACHELOR: dict[str, tuple[tuple[str, int], ...]] = {
    "pendidikan": (("S.Pd.", 80), ("S.Pd.I", 10), ("S.Si.", 4), ("S.Pd.SD", 6)),
    "pendidikan_smp": (("S.Pd.", 82), ("S.Pd.I", 8), ("S.Si.", 5), ("S.Kom.", 2), ("S.S.", 3)),
    "umum": (
        ("S.Sos.", 30),
        ("S.E.", 20),
        ("S.H.", 12),
        ("S.IP", 12),
        ("S.AP", 8),
        ("S.Kom.", 6),
        ("S.Pd.", 4),
        ("S.Ak.", 4),
        ("S.T.", 4),
    ),
    "pemerintahan": (("S.STP", 45), ("S.IP", 25), ("S.Sos.", 20), ("S.H.", 10)),
    "hukum": (("S.H.", 1),),
    "ekonomi": (("S.E.", 65), ("S.Ak.", 35)),
    "komputer": (("S.Kom.", 80), ("S.T.", 20)),
    "komunikasi": (("S.I.Kom.", 60), ("S.Sos.", 40)),
    "teknik": (("S.T.", 1),),
    "pertanian": (("S.P.", 80), ("S.Pt.", 20)),
    "sosial": (("S.Sos.", 80), ("S.Psi.", 20)),
    "kesmas": (("S.K.M.", 1),),
    "ners": (("S.Kep., Ns.", 1),),
    "farmasi": (("S.Farm.", 1),),
    "kebidanan_d4": (("S.Tr.Keb.", 70), ("S.Keb., Bd.", 30)),
    "lingkungan": (("S.T.", 50), ("S.Si.", 50)),
    "budaya": (("S.S.", 60), ("S.Pd.", 40)),
    "perencanaan": (("S.E.", 30), ("S.T.", 25), ("S.Si.", 15), ("S.Sos.", 20), ("S.P.", 10)),
    "statistik": (("S.Si.", 50), ("S.Stat.", 50)),
    "veteriner": (),  # drh. is a front title
    "kedokteran": (),  # dr. and drg. are front titles
    # diploma III
    "keperawatan_d3": (("A.Md.Kep.", 1),),
    "kebidanan_d3": (("A.Md.Keb.", 75), ("Amd.Keb.", 25)),
    "farmasi_d3": (("A.Md.Farm.", 1),),
    "gizi_d3": (("A.Md.Gz.", 1),),
    "sanitasi_d3": (("A.Md.KL", 1),),
    "lab_d3": (("A.Md.AK", 1),),
    "rekam_medis_d3": (("A.Md.Kes.", 1),),
    "radiologi_d3": (("A.Md.Rad.", 1),),
    "fisioterapi_d3": (("A.Md.Ftr.", 1),),
    "komputer_d3": (("A.Md.Kom.", 1),),
    "d3": (("A.Md.", 70), ("A.Md.Ak.", 15), ("A.Md.Kom.", 15)),
    "pertanian_d3": (("A.Md.P.", 1),),
    # no degree (SMA/SMK entrants)
    "sma": (),
}

#: Master's degrees per field, with weights.
MASTER: dict[str, tuple[tuple[str, int], ...]] = {
    "pendidikan": (("M.Pd.", 85), ("M.Pd.I", 15)),
    "umum": (("M.Si.", 50), ("M.M.", 25), ("M.A.P.", 15), ("M.H.", 10)),
    "pemerintahan": (("M.Si.", 60), ("M.A.P.", 25), ("M.M.", 15)),
    "hukum": (("M.H.", 1),),
    "ekonomi": (("M.M.", 40), ("M.Si.", 30), ("M.E.", 30)),
    "komputer": (("M.Kom.", 70), ("M.T.", 30)),
    "teknik": (("M.T.", 70), ("M.Si.", 30)),
    "pertanian": (("M.Si.", 60), ("M.P.", 40)),
    "kesehatan": (("M.Kes.", 80), ("M.K.M.", 20)),
    "rumah_sakit": (("M.A.R.S.", 50), ("M.Kes.", 50)),
    "sosial": (("M.Si.", 1),),
}

#: Specialist titles of hospital doctors (after the name, after any other degree).
SPECIALIST = (
    "Sp.PD",
    "Sp.A",
    "Sp.OG",
    "Sp.B",
    "Sp.An",
    "Sp.Rad",
    "Sp.P",
    "Sp.JP",
    "Sp.M",
    "Sp.THT-KL",
    "Sp.N",
    "Sp.KJ",
    "Sp.PK",
    "Sp.DV",
)

#: Front titles that belong to a profession (the rest are decided by age and degree).
PROFESSION_FRONT = {"dokter": "dr.", "dokter_gigi": "drg.", "apoteker": "apt.", "veteriner": "drh."}


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    names = [name for name, _w in options]
    weights = [w for _n, w in options]
    return rng.choices(names, weights=weights, k=1)[0]


def name_style(rng: random.Random) -> NameStyle:
    """The naming tradition of one person, weighted by Batanghari's communities."""
    return rng.choices(STYLES, weights=_STYLE_WEIGHTS, k=1)[0]


def given_name(rng: random.Random, gender: str, birth_year: int, style: NameStyle | None = None) -> str:
    """A person's name (no titles): one to three words, fitting tradition, gender and generation."""
    style = style or name_style(rng)
    male = gender == "L"
    older = style.male_older if male else style.female_older
    younger = style.male_younger if male else style.female_younger
    # Born before 1975: mostly the older names; after 1988 mostly the younger ones.
    if birth_year < 1975:
        p_older = 0.85
    elif birth_year > 1988:
        p_older = 0.12
    else:
        p_older = 0.5
    words = rng.choice(older if rng.random() < p_older else younger).split()
    if rng.random() < style.second_share:
        for word in rng.choice(style.male_second if male else style.female_second).split():
            if word not in words:  # never "Sari Sari"
                words.append(word)
    prefixes = style.male_prefix if male else style.female_prefix
    if prefixes and rng.random() < 0.04:
        words.insert(0, rng.choice(prefixes))
    return " ".join(words)


def _islamic(degree: str) -> bool:
    return degree.endswith(".I")  # S.Pd.I, M.Pd.I: from an Islamic institute


def bachelor(rng: random.Random, field: str, muslim: bool = True) -> str:
    """A first degree for ``field`` ("" for SMA entrants and front-title professions)."""
    options = tuple(o for o in BACHELOR[field] if muslim or not _islamic(o[0]))
    return _weighted(rng, options) if options else ""


def master(rng: random.Random, field: str, muslim: bool = True) -> str:
    """A master's degree for ``field`` (falls back to the general list)."""
    options = tuple(o for o in MASTER.get(field, MASTER["umum"]) if muslim or not _islamic(o[0]))
    return _weighted(rng, options)


def old_style_front(degree: str, gender: str, birth_year: int) -> str | None:
    """``Drs.``/``Dra.``/``Ir.``: how graduates before the mid-1990s wrote their degree.

    Returns the front title that replaces ``degree`` for a person born early enough,
    or None when the modern back title stays.
    """
    if birth_year > 1970:
        return None
    if degree in ("S.Sos.", "S.E.", "S.IP", "S.Pd.", "S.Si."):
        return "Drs." if gender == "L" else "Dra."
    if degree in ("S.T.", "S.P.", "S.Pt."):
        return "Ir."
    return None


def haji(gender: str) -> str:
    """The title of a Muslim who has made the hajj: ``H.`` (men), ``Hj.`` (women)."""
    return "H." if gender == "L" else "Hj."


def join_front(*titles: str) -> str:
    return " ".join(t for t in titles if t)


def join_back(*titles: str) -> str:
    return ", ".join(t for t in titles if t)
