"""What each printed document shows, as plain data (no database, no Qt).

``collect.py`` fills these from the database; tests and the benchmark build them
directly. Every text is already in the form the document prints (Indonesian labels,
grouped NIP, "Penata Muda, III/a"); the renderers only lay them out.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date
from decimal import Decimal

#: Signature roles: the field names in the PDF and the blocks on the page.
ROLE_PEJABAT = "pejabat"
ROLE_PEGAWAI = "pegawai"
ROLES = (ROLE_PEJABAT, ROLE_PEGAWAI)


@dataclass(frozen=True)
class Letterhead:
    """The kop surat: government, unit, address lines, logo (PNG/JPG path or None)."""

    government: str = "PEMERINTAH KABUPATEN BATANGHARI"
    unit_name: str = ""
    address_lines: tuple[str, ...] = ("Jl. Jenderal Sudirman No. 1, Muara Bulian 36613",)
    logo_path: str | None = None

    @classmethod
    def from_settings(cls, lh) -> "Letterhead":
        """From ``services.settings.Letterhead`` (or anything with the same attributes)."""
        return cls(
            government=lh.government,
            unit_name=lh.unit_name or "",
            address_lines=tuple(lh.address_lines or ()),
            logo_path=lh.logo_path,
        )


@dataclass(frozen=True)
class PersonIdentity:
    """One person's identity block, frozen as of the document date.

    ``nip`` is the grouped NIP for PNS and blank for non-PNS; ``pangkat_gol`` likewise
    ("Penata Muda, III/a" or ""). ``nip_raw`` keeps the 18 digits (file names, QR code).
    """

    name: str
    nip: str = ""
    pangkat_gol: str = ""
    jabatan: str = ""
    unit: str = ""
    nip_raw: str = ""


@dataclass(frozen=True)
class ShortFormView:
    """Dokumen Evaluasi Kinerja Pegawai (the short form)."""

    period_label: str  # "TRIWULAN I", "SEMESTER II", "AKHIR"
    instansi: str
    period_start: date
    period_end: date
    pegawai: PersonIdentity
    pejabat: PersonIdentity
    atasan: PersonIdentity | None
    capaian_organisasi: str
    predikat: str
    catatan: str
    place: str
    date: date
    document_id: str
    letterhead: Letterhead = field(default_factory=Letterhead)
    year: int = 0

    form_code = "evaluasi"


@dataclass(frozen=True)
class RhkRow:
    """One IKI line of the HASIL KERJA table (the RHK texts repeat per IKI of one RHK)."""

    no: str
    rhk_pimpinan: str  # "RHK pimpinan yang diintervensi", or the perspektif for JPT
    rhk: str
    aspek: str
    iki: str
    target: str
    realisasi: str = ""
    umpan_balik: str = ""


@dataclass(frozen=True)
class RhkGroup:
    """"A. UTAMA" or "B. TAMBAHAN" with its rows."""

    title: str
    rows: tuple[RhkRow, ...] = ()


@dataclass(frozen=True)
class PerilakuRow:
    """One BerAKHLAK value with its indicators, the leader's expectation and feedback."""

    no: int
    value: str
    indicators: tuple[str, ...]
    ekspektasi: str = ""
    umpan_balik: str = ""


@dataclass(frozen=True)
class DistributionView:
    """Predikat counts of the unit, in the order of ``domain.predikat.Predikat``."""

    capaian: str
    counts: tuple[tuple[str, int], ...]  # (predikat label, count)
    rules: tuple[tuple[str, bool, str], ...] = ()  # (rule text, holds, actual text)
    summary: str = ""


@dataclass(frozen=True)
class DetailedFormView:
    """Evaluasi Kinerja Pegawai (the detailed form)."""

    period_label: str
    instansi: str
    period_start: date
    period_end: date
    pegawai: PersonIdentity
    pejabat: PersonIdentity
    atasan: PersonIdentity | None
    capaian_organisasi: str
    predikat: str
    catatan: str
    place: str
    date: date
    document_id: str
    rhk_groups: tuple[RhkGroup, ...]
    rating_hasil_kerja: str
    perilaku: tuple[PerilakuRow, ...]
    rating_perilaku: str
    distribution: DistributionView | None = None
    is_jpt: bool = False
    letterhead: Letterhead = field(default_factory=Letterhead)
    year: int = 0

    form_code = "evaluasi-rinci"


@dataclass(frozen=True)
class SkpRhkRow:
    no: str
    rhk_pimpinan: str
    rhk: str
    aspek: str
    iki: str
    target: str


@dataclass(frozen=True)
class SkpRhkGroup:
    title: str
    rows: tuple[SkpRhkRow, ...] = ()


@dataclass(frozen=True)
class SkpView:
    """Sasaran Kinerja Pegawai (the plan) with its lampiran."""

    year: int
    instansi: str
    period_start: date
    period_end: date
    pendekatan: str  # "Kuantitatif" / "Kualitatif"
    pegawai: PersonIdentity
    pejabat: PersonIdentity
    atasan: PersonIdentity | None
    rhk_groups: tuple[SkpRhkGroup, ...]
    perilaku: tuple[PerilakuRow, ...]
    dukungan_sumber_daya: tuple[str, ...]
    skema_pertanggungjawaban: tuple[str, ...]
    konsekuensi: tuple[str, ...]
    place: str
    date: date
    document_id: str
    is_jpt: bool = False
    letterhead: Letterhead = field(default_factory=Letterhead)
    agreed: bool = True  # False: a draft SKP, marked as such and not signed

    form_code = "skp"
    period_label = "TAHUNAN"


@dataclass(frozen=True)
class RecapRow:
    no: int
    name: str
    nip: str
    jabatan: str
    predikat: str  # "" when not rated yet


@dataclass(frozen=True)
class RecapView:
    """Predikat of every employee of a unit against the distribution curve."""

    unit_code: str
    unit_name: str
    year: int
    period_label: str
    rows: tuple[RecapRow, ...]
    distribution: DistributionView
    place: str
    date: date
    document_id: str
    signer: PersonIdentity | None = None  # the head of unit, who signs the recap
    letterhead: Letterhead = field(default_factory=Letterhead)

    form_code = "rekap-predikat"


@dataclass(frozen=True)
class JpRow:
    no: int
    name: str
    nip: str
    status: str  # "PNS" / "PPPK"
    jabatan: str
    klasikal: Decimal
    nonklasikal: Decimal
    pendidikan: Decimal
    total: Decimal
    meets: bool | None  # None: the 20 JP rule does not apply (PPPK)
    shortfall: Decimal = Decimal(0)


@dataclass(frozen=True)
class JpRecapView:
    """JP of competency development per employee of a unit for a year."""

    unit_code: str
    unit_name: str
    year: int
    rows: tuple[JpRow, ...]
    minimum: int
    place: str
    date: date
    document_id: str
    signer: PersonIdentity | None = None
    letterhead: Letterhead = field(default_factory=Letterhead)

    form_code = "rekap-jp"


def _plain(value):
    if is_dataclass(value):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value


def content_sha256(view) -> str:
    """SHA-256 of the document's content (its data, canonical JSON), hex.

    The same data always gives the same hash, whatever the rendering; the QR code
    carries it so a printed copy can be compared with the record.
    """
    data = _plain(view)
    data.pop("letterhead", None)
    data["form"] = getattr(view, "form_code", type(view).__name__)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
