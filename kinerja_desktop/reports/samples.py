"""Example documents for the self-test, the benchmark and the tests.

Realistic Batanghari data, written out here so the forms can be rendered and signed
without a database.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from kinerja_desktop.domain.angka_kredit import SOURCE_KEBUTUHAN, SOURCE_KONVERSI
from kinerja_desktop.domain.berakhlak import BERAKHLAK
from kinerja_desktop.domain.distribution import check_distribution, reference_bands, reference_rules
from kinerja_desktop.domain.predikat import Predikat, parse_capaian
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.views import (
    DetailedFormView,
    DistributionView,
    JpRecapView,
    JpRow,
    Letterhead,
    PakRow,
    PakView,
    PenetapanView,
    PerilakuRow,
    PersonIdentity,
    RecapRow,
    RecapView,
    ReferenceCurveView,
    RhkGroup,
    RhkRow,
    ShortFormView,
    SkpRhkGroup,
    SkpRhkRow,
    SkpView,
)

UNIT = "Dinas Kesehatan"
LETTERHEAD = Letterhead(
    government="PEMERINTAH KABUPATEN BATANGHARI",
    unit_name="DINAS KESEHATAN",
    address_lines=("Jl. Jenderal Sudirman No. 1, Muara Bulian 36613", "Provinsi Jambi"),
)

PEJABAT = PersonIdentity(
    name="dr. Siti Aminah, M.Kes",
    nip="19750312 200212 2 004",
    pangkat_gol="Pembina, IV/a",
    jabatan="Kepala Bidang Pelayanan Kesehatan",
    unit=UNIT,
    nip_raw="197503122002122004",
)
ATASAN = PersonIdentity(
    name="Drs. H. Ahmad Fauzi, M.M.",
    nip="19680105 199403 1 007",
    pangkat_gol="Pembina Utama Muda, IV/c",
    jabatan="Kepala Dinas Kesehatan",
    unit=UNIT,
    nip_raw="196801051994031007",
)


def sample_pegawai(i: int = 0) -> PersonIdentity:
    seq = i % 999 + 1
    nip = f"19860926201505{1 + i % 2}{seq:03d}"
    return PersonIdentity(
        name=f"Rahmat Hidayat Nasution {i + 1}, S.K.M." if i else "Rahmat Hidayat, S.K.M.",
        nip=f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}",
        pangkat_gol="Penata Muda Tingkat I, III/b",
        jabatan="Epidemiolog Kesehatan Ahli Pertama",
        unit=UNIT,
        nip_raw=nip,
    )


def sample_pppk() -> PersonIdentity:
    """A PPPK: the NI PPPK and the golongan PPPK print where a PNS has NIP and pangkat."""
    return PersonIdentity(
        name="Nurhayati, A.Md.Keb.",
        nip="19920314 2023 21 2 005",
        pangkat_gol="VII",
        jabatan="Bidan Terampil",
        unit=UNIT,
        nip_raw="199203142023212005",
        status="PPPK",
    )


BUPATI = PersonIdentity(
    name="H. Muhammad Fadhil Arief, S.E., M.M.",
    jabatan="Bupati Batanghari",
    unit="Pemerintah Kabupaten Batanghari",
    status="KDH",
)
SEKDA = PersonIdentity(
    name="Ir. Azan, M.Si.",
    nip="19690817 199503 1 002",
    pangkat_gol="Pembina Utama Madya, IV/d",
    jabatan="Sekretaris Daerah",
    unit="Sekretariat Daerah",
    nip_raw="196908171995031002",
)


def sample_short_form(i: int = 0, **changes) -> ShortFormView:
    values = dict(
        period_label="TRIWULAN I",
        instansi="Pemerintah Kabupaten Batanghari",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        pegawai=sample_pegawai(i),
        pejabat=PEJABAT,
        atasan=ATASAN,
        capaian_organisasi="Baik",
        predikat="Baik",
        catatan=(
            "Pertahankan ketepatan waktu pelaporan surveilans mingguan; tingkatkan koordinasi "
            "dengan puskesmas Bajubang dan Muara Tembesi untuk verifikasi kasus."
        ),
        place="Muara Bulian",
        date=date(2026, 4, 8),
        document_id=f"EV-2026-TW1-{i + 1:05d}",
        letterhead=LETTERHEAD,
        year=2026,
    )
    values.update(changes)
    return ShortFormView(**values)


def sample_distribution() -> DistributionView:
    counts = {
        Predikat.SANGAT_BAIK: 3,
        Predikat.BAIK: 14,
        Predikat.BUTUH_PERBAIKAN: 2,
        Predikat.KURANG: 1,
        Predikat.SANGAT_KURANG: 0,
    }
    return distribution_view("Baik", counts)


def distribution_view(capaian: str, counts: dict) -> DistributionView:
    report = check_distribution(capaian, counts)
    return DistributionView(
        capaian=report.capaian.label,
        counts=tuple((p.label, report.counts[p]) for p in Predikat),
        rules=tuple((r.text, r.ok, r.actual_text()) for r in report.rules),
        summary=report.summary_text(),
    )


def _perilaku(with_feedback: bool = True) -> tuple[PerilakuRow, ...]:
    rows = []
    for value in BERAKHLAK:
        rows.append(
            PerilakuRow(
                no=value.number,
                value=_(value.name),
                indicators=tuple(_(i) for i in value.indicators),
                ekspektasi=_("Menjadi teladan dalam {value} di lingkungan bidang.").format(value=_(value.name).lower()),
                umpan_balik=("Sudah sesuai ekspektasi; pertahankan." if with_feedback else ""),
            )
        )
    return tuple(rows)


_RHK = [
    (
        "Meningkatnya cakupan deteksi dini penyakit menular di Kabupaten Batanghari",
        "Tersusunnya laporan surveilans epidemiologi mingguan seluruh puskesmas",
        [
            ("Kuantitas", "Jumlah laporan surveilans mingguan yang tersusun", "52 laporan", "13 laporan"),
            ("Kualitas", "Persentase laporan yang lengkap dan tepat", "95 %", "96 %"),
            ("Waktu", "Laporan disampaikan paling lambat hari Senin minggu berikutnya", "12 bulan", "3 bulan"),
        ],
    ),
    (
        "Menurunnya angka kejadian luar biasa (KLB) penyakit menular",
        "Terlaksananya penyelidikan epidemiologi setiap sinyal kewaspadaan dini dalam waktu 24 jam",
        [
            ("Kuantitas", "Jumlah penyelidikan epidemiologi yang dilaksanakan", "100 %", "100 %"),
            ("Waktu", "Penyelidikan dimulai paling lambat 24 jam setelah sinyal diterima", "24 jam", "18 jam"),
        ],
    ),
]


def sample_detailed_form(i: int = 0, rhk_repeat: int = 1) -> DetailedFormView:
    short = sample_short_form(i)
    utama = []
    n = 0
    for _rep in range(rhk_repeat):
        for leader, rhk, ikis in _RHK:
            n += 1
            for aspek, iki, target, real in ikis:
                utama.append(
                    RhkRow(
                        str(n),
                        leader,
                        rhk,
                        aspek,
                        iki,
                        target,
                        real,
                        "Capaian sesuai target; dokumentasi bukti dukung lengkap di aplikasi.",
                    )
                )
    tambahan = [
        RhkRow(
            "1",
            "-",
            "Menjadi narasumber orientasi kader posyandu di Kecamatan Pemayung",
            "Kuantitas",
            "Jumlah kegiatan orientasi",
            "2 kegiatan",
            "1 kegiatan",
            "Baik.",
        ),
    ]
    return DetailedFormView(
        period_label=short.period_label,
        instansi=short.instansi,
        period_start=short.period_start,
        period_end=short.period_end,
        pegawai=short.pegawai,
        pejabat=short.pejabat,
        atasan=short.atasan,
        capaian_organisasi=short.capaian_organisasi,
        predikat=short.predikat,
        catatan=short.catatan,
        place=short.place,
        date=short.date,
        document_id=short.document_id.replace("EV-", "EVR-"),
        rhk_groups=(RhkGroup(_("A. UTAMA"), tuple(utama)), RhkGroup(_("B. TAMBAHAN"), tuple(tambahan))),
        rating_hasil_kerja="Sesuai Ekspektasi",
        perilaku=_perilaku(),
        rating_perilaku="Sesuai Ekspektasi",
        reference=sample_reference("Baik"),
        letterhead=LETTERHEAD,
        year=2026,
        record_date=date(2026, 4, 8),
    )


def sample_reference(capaian: str) -> ReferenceCurveView:

    level = parse_capaian(capaian)
    return ReferenceCurveView(
        level.label,
        tuple((b.predikat.label, b.low, b.high, b.text()) for b in reference_bands(level)),
        tuple(reference_rules(level)),
    )


_JPT_RHK = [
    (
        "Penerima Layanan",
        "Meningkatnya derajat kesehatan masyarakat Kabupaten Batanghari",
        [
            ("Kuantitas", "Angka kematian ibu per 100.000 kelahiran hidup", "≤ 90", "84"),
            ("Kualitas", "Persentase puskesmas terakreditasi paripurna", "60 %", "62 %"),
        ],
    ),
    (
        "Proses Bisnis",
        "Terselenggaranya pelayanan kesehatan dasar yang bermutu di 18 puskesmas",
        [("Kuantitas", "Cakupan pelayanan kesehatan sesuai standar pelayanan minimal", "100 %", "97 %")],
    ),
    (
        "Anggaran",
        "Terkelolanya anggaran dinas secara akuntabel",
        [("Kualitas", "Realisasi anggaran terhadap pagu", "95 %", "93 %")],
    ),
]


def sample_jpt_form(*, kualitatif: bool = False) -> DetailedFormView:
    """A Kepala Dinas (JPT): perspektif columns; the Sekda evaluates, the Bupati is the atasan."""
    base = sample_detailed_form()
    rows = []
    for n, (perspektif, rhk, ikis) in enumerate(_JPT_RHK, start=1):
        for aspek, iki, target, real in ikis:
            rows.append(
                RhkRow(
                    str(n),
                    perspektif,
                    rhk,
                    aspek,
                    iki,
                    target,
                    real,
                    "Sesuai target; pertahankan koordinasi lintas sektor.",
                )
            )
    kadis = PersonIdentity(
        name=ATASAN.name,
        nip=ATASAN.nip,
        pangkat_gol=ATASAN.pangkat_gol,
        jabatan=ATASAN.jabatan,
        unit=UNIT,
        nip_raw=ATASAN.nip_raw,
    )
    return replace(
        base,
        pegawai=kadis,
        pejabat=SEKDA,
        atasan=BUPATI,
        is_jpt=True,
        kualitatif=kualitatif,
        rhk_groups=(RhkGroup(_("A. UTAMA"), tuple(rows)), RhkGroup(_("B. TAMBAHAN"), ())),
        document_id="EVR-2026-AKHIR-196801051994031007-R0",
        period_label="AKHIR",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )


def sample_kualitatif_form() -> DetailedFormView:
    """A pelaksana with a kualitatif SKP: the indicator and target in one column, no aspek."""
    base = sample_detailed_form()
    rows = [
        RhkRow(
            "1",
            "Terselenggaranya layanan administrasi kepegawaian yang tertib",
            "Tersusunnya usulan kenaikan pangkat pegawai dinas tepat waktu",
            "",
            "Usulan kenaikan pangkat periode April dan Oktober lengkap dan diterima BKPSDM tanpa perbaikan",
            "Seluruh usulan diterima tanpa perbaikan",
            "Usulan April diterima tanpa perbaikan",
            "Sudah sesuai ekspektasi.",
        )
    ]
    return replace(
        base, kualitatif=True, rhk_groups=(RhkGroup(_("A. UTAMA"), tuple(rows)), RhkGroup(_("B. TAMBAHAN"), ()))
    )


def sample_skp(i: int = 0) -> SkpView:
    groups = []
    rows = []
    for n, (leader, rhk, ikis) in enumerate(_RHK, start=1):
        for aspek, iki, target, _real in ikis:
            rows.append(SkpRhkRow(str(n), leader, rhk, aspek, iki, target))
    groups.append(SkpRhkGroup(_("A. UTAMA"), tuple(rows)))
    groups.append(
        SkpRhkGroup(
            _("B. TAMBAHAN"),
            (
                SkpRhkRow(
                    "1",
                    "-",
                    "Menjadi narasumber orientasi kader posyandu",
                    "Kuantitas",
                    "Jumlah kegiatan",
                    "2 kegiatan",
                ),
            ),
        )
    )
    return SkpView(
        year=2026,
        instansi="Pemerintah Kabupaten Batanghari",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        pendekatan="Kuantitatif",
        pegawai=sample_pegawai(i),
        pejabat=PEJABAT,
        atasan=ATASAN,
        rhk_groups=tuple(groups),
        perilaku=_perilaku(with_feedback=False),
        dukungan_sumber_daya=("Kendaraan operasional untuk penyelidikan epidemiologi", "Akses aplikasi SKDR"),
        skema_pertanggungjawaban=("Laporan bulanan kepada Kepala Bidang", "Rekapitulasi triwulanan"),
        konsekuensi=("Sesuai ketentuan peraturan perundang-undangan tentang penilaian kinerja PNS",),
        place="Muara Bulian",
        date=date(2026, 1, 9),
        document_id=f"SKP-2026-{i + 1:05d}",
        letterhead=LETTERHEAD,
    )


_NAMES = [
    "Rahmat Hidayat",
    "Dewi Sartika",
    "Muhammad Iqbal",
    "Sri Wahyuni",
    "Andi Saputra",
    "Fitri Handayani",
    "Budi Santoso",
    "Yuliana Siregar",
    "Hendra Gunawan",
    "Nur Aisyah",
    "Agus Salim",
    "Rina Marlina",
]


def sample_recap(n: int = 20) -> RecapView:
    order = [Predikat.SANGAT_BAIK] * 3 + [Predikat.BAIK] * 14 + [Predikat.BUTUH_PERBAIKAN] * 2 + [Predikat.KURANG]
    rows = []
    for i in range(n):
        p = sample_pegawai(i)
        rows.append(
            RecapRow(
                i + 1, f"{_NAMES[i % len(_NAMES)]}, S.K.M.", p.nip, p.jabatan, order[i].label if i < len(order) else ""
            )
        )
    return RecapView(
        unit_code="1.02.01",
        unit_name=UNIT,
        year=2026,
        period_label="AKHIR",
        rows=tuple(rows),
        distribution=sample_distribution(),
        place="Muara Bulian",
        date=date(2027, 1, 15),
        document_id="RP-2026-1.02.01",
        signer=ATASAN,
        letterhead=LETTERHEAD,
    )


def sample_jp_recap(n: int = 15) -> JpRecapView:
    rows = []
    for i in range(n):
        p = sample_pegawai(i)
        pppk = i % 5 == 4
        kl = Decimal(8 * (i % 4))
        nk = Decimal(6 + i % 3 * 2)
        total = kl + nk
        rows.append(
            JpRow(
                i + 1,
                f"{_NAMES[i % len(_NAMES)]}",
                "" if pppk else p.nip,
                "PPPK" if pppk else "PNS",
                p.jabatan,
                kl,
                nk,
                Decimal(0),
                total,
                None if pppk else total >= 20,
                Decimal(0) if pppk else max(Decimal(0), 20 - total),
            )
        )
    return JpRecapView(
        unit_code="1.02.01",
        unit_name=UNIT,
        year=2026,
        rows=tuple(rows),
        minimum=20,
        place="Muara Bulian",
        date=date(2026, 12, 30),
        document_id="JP-2026-1.02.01",
        signer=ATASAN,
        letterhead=LETTERHEAD,
    )


def sample_penetapan(n: int = 20) -> PenetapanView:
    """The Bupati's penetapan for Dinas Kesehatan, Akhir 2026 (the head not counted)."""
    recap = sample_recap(n)
    return PenetapanView(
        unit_name=UNIT,
        unit_code="1.02.01",
        year=2026,
        period_label="AKHIR",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        capaian="Baik",
        basis="perjanjian kinerja dan ekspektasi organisasi",
        basis_note="Realisasi 11 dari 12 indikator perjanjian kinerja 2026 mencapai target (91,7 %).",
        recommendation="Unit pengawasan (Inspektorat): Baik",
        decision_reference="Keputusan Bupati Nomor 800/15/BKPSDM/2027",
        decided_on=date(2027, 1, 14),
        head=ATASAN.name,
        headcount=n,
        not_final=sum(1 for r in recap.rows if not r.predikat),
        distribution=recap.distribution,
        reference=sample_reference("Baik"),
        rows=recap.rows,
        signer=BUPATI,
        signer_title="BUPATI BATANGHARI",
        place="Muara Bulian",
        date=date(2027, 1, 15),
        document_id="PCK-2026-AKHIR-1.02.01",
        letterhead=Letterhead(LETTERHEAD.government, "", LETTERHEAD.address_lines),
    )


def sample_pak() -> PakView:
    """An Epidemiolog Kesehatan Ahli Pertama: AK awal, a year and a quarter converted."""

    return PakView(
        pegawai=sample_pegawai(0),
        jenjang="Ahli Pertama",
        ak_awal="25,00",
        ak_awal_source="PAK Nomor 800/123/BKPSDM/2025 per 31 Desember 2024",
        rows=(
            PakRow(
                1, "Akhir 2025", "Januari – Desember 2025 (12 bulan)", "Baik", "100%", "Ahli Pertama", "12,50", "12,50"
            ),
            PakRow(
                2,
                "Triwulan I 2026",
                "Januari – Maret 2026 (3 bulan)",
                "Sangat Baik",
                "150%",
                "Ahli Pertama",
                "12,50",
                "4,69",
            ),
        ),
        total_konversi="17,19",
        total="42,19",
        next_pangkat="Penata, III/c (dengan kenaikan jenjang ke Ahli Muda): kebutuhan 100,00; belum terpenuhi (kurang 57,81)",
        next_jenjang="Ahli Muda: kebutuhan 100,00; belum terpenuhi (kurang 57,81)",
        notes=("2026: predikat tahunan belum final; dipakai predikat periodik yang sudah final.",),
        sources=(SOURCE_KONVERSI, SOURCE_KEBUTUHAN),
        pejabat=PEJABAT,
        place="Muara Bulian",
        date=date(2026, 4, 20),
        document_id="PAK-2026-198609262015051001",
        letterhead=LETTERHEAD,
        year=2026,
    )
