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

from kinerja_desktop.i18n import N_, _

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
    def from_settings(cls, lh) -> Letterhead:
        """From anything with the same attributes (a stored letterhead, a sample)."""
        return cls(
            government=lh.government,
            unit_name=lh.unit_name or "",
            address_lines=tuple(lh.address_lines or ()),
            logo_path=lh.logo_path,
        )


#: ``PersonIdentity.status`` of the kepala daerah (not an ASN: no NIP, no pangkat).
STATUS_KDH = "KDH"


@dataclass(frozen=True)
class PersonIdentity:
    """One person's identity block, frozen as of the document date.

    ``nip`` is the grouped NIP of a PNS or the grouped NI PPPK of a PPPK, blank for the
    kepala daerah; ``pangkat_gol`` is "Penata Muda, III/a" for a PNS and the golongan
    PPPK ("IX") for a PPPK. ``nip_raw`` keeps the 18 digits (file names, QR code).
    """

    name: str
    nip: str = ""
    pangkat_gol: str = ""
    jabatan: str = ""
    unit: str = ""
    nip_raw: str = ""
    status: str = "PNS"  # "PNS", "PPPK" or STATUS_KDH

    @property
    def nip_label(self) -> str:
        """What the number is called on the form: "NI PPPK" for a PPPK, else "NIP"."""
        return N_("NI PPPK") if self.status == "PPPK" else N_("NIP")

    @property
    def golongan_label(self) -> str:
        """ "GOLONGAN" for a PPPK (no pangkat), else "PANGKAT/GOL. RUANG"."""
        return N_("GOLONGAN") if self.status == "PPPK" else N_("PANGKAT/GOL. RUANG")

    @property
    def nip_text(self) -> str:
        return "-" if self.status == STATUS_KDH else self.nip


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
    #: A draft prints a DRAF watermark and no signature blocks; it cannot be signed.
    draft: bool = False
    #: The day the evaluation became final (printed in the body; ``date`` is the day of issue).
    record_date: date | None = None
    #: The day the pegawai acknowledged it ("telah dibaca oleh pegawai"), None until then.
    read_on: date | None = None

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
    """ "A. UTAMA" or "B. TAMBAHAN" with its rows."""

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
class ReferenceCurveView:
    """The reference curve for a capaian level: the share each predikat may have (never results)."""

    capaian: str
    bands: tuple[tuple[str, int, int, str], ...]  # (predikat label, low %, high %, the band in words)
    rules: tuple[str, ...]

    @property
    def title_text(self) -> str:
        return _("Kurva acuan untuk capaian organisasi {capaian}").format(capaian=self.capaian)


@dataclass(frozen=True)
class EarlierAssignmentRow:
    """An earlier assignment of the year on the annual form (a mutasi)."""

    span: str  # "1 Januari s.d. 14 Mei 2026"
    jabatan: str
    unit: str
    penilai: str
    results: str  # "Triwulan I 2026: Baik; Triwulan II 2026 (akhir penugasan): Sangat Baik"


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
    #: The reference curve for the capaian level (the official form's pola distribusi).
    reference: ReferenceCurveView | None = None
    is_jpt: bool = False
    letterhead: Letterhead = field(default_factory=Letterhead)
    year: int = 0
    kualitatif: bool = False
    draft: bool = False
    record_date: date | None = None
    earlier: tuple[EarlierAssignmentRow, ...] = ()
    read_on: date | None = None

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
    agreed: bool = True  # False: a draft SKP: DRAF watermark, no signature blocks, cannot be signed
    kualitatif: bool = False
    record_date: date | None = None  # the day the SKP was agreed (printed in the body)
    assignment: str = ""  # "Penugasan 2 dari 2 (mutasi, mulai 15 Mei 2026)" when the year has more SKP

    form_code = "skp"
    period_label = "TAHUNAN"

    @property
    def draft(self) -> bool:
        return not self.agreed


@dataclass(frozen=True)
class RecapRow:
    no: int
    name: str
    nip: str  # grouped NIP, or grouped NI PPPK
    jabatan: str
    predikat: str  # "" when not rated yet
    status: str = "PNS"
    golongan: str = ""  # "Penata, III/c" or the golongan PPPK


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
    nip: str  # grouped NIP, or grouped NI PPPK
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


@dataclass(frozen=True)
class PenetapanView:
    """Penetapan Capaian Kinerja Organisasi dan Distribusi Predikat, per unit and period.

    Signed by the leader who decided the capaian (``signer``, heading ``signer_title``).
    The distribution counts only final evaluations of the head's subordinates.
    """

    unit_name: str
    unit_code: str
    year: int
    period_label: str  # "TRIWULAN I", "AKHIR"
    period_start: date
    period_end: date
    capaian: str
    basis: str  # in words: "progres rencana aksi" / "perjanjian kinerja dan ekspektasi organisasi"
    basis_note: str
    recommendation: str  # "Inspektorat: Baik", or "" when none was taken
    decision_reference: str
    decided_on: date | None
    head: str  # the head of the organisation (not counted)
    headcount: int
    not_final: int  # employees without a final evaluation (not counted)
    distribution: DistributionView
    reference: ReferenceCurveView
    rows: tuple[RecapRow, ...]
    signer: PersonIdentity | None
    signer_title: str  # "BUPATI BATANGHARI", "SEKRETARIS DAERAH", "KEPALA DINAS KESEHATAN"
    place: str
    date: date
    document_id: str
    letterhead: Letterhead = field(default_factory=Letterhead)

    form_code = "penetapan-capaian"


@dataclass(frozen=True)
class PakRow:
    no: int
    period: str  # "Akhir 2026", "Triwulan II 2026 (akhir penugasan)"
    months: str  # "Januari – Desember 2026 (12 bulan)"
    predikat: str
    persentase: str  # "100%"
    jenjang: str
    koefisien: str  # "12,50"
    ak: str  # "12,50"


@dataclass(frozen=True)
class PakView:
    """Penetapan Angka Kredit (konversi predikat kinerja) of a jabatan fungsional."""

    pegawai: PersonIdentity
    jenjang: str
    ak_awal: str  # "37,50" or "0,00"
    ak_awal_source: str  # "PAK 800/123/2026 per 31 Desember 2025", or "" when none
    rows: tuple[PakRow, ...]
    total_konversi: str
    total: str
    next_pangkat: str  # "Penata Muda Tingkat I, III/b: kebutuhan 50; memenuhi" or a sentence
    next_jenjang: str
    notes: tuple[str, ...]
    sources: tuple[str, ...]
    pejabat: PersonIdentity | None  # the pejabat penilai kinerja, who sets the PAK
    place: str
    date: date
    document_id: str
    letterhead: Letterhead = field(default_factory=Letterhead)
    year: int = 0

    form_code = "pak-konversi"


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
