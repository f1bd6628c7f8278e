"""Performance data for the demo district: SKP, feedback, evaluations, capaian.

:func:`add_performance_demo` runs after the roster of the demo exists (``services.demo``
calls it in the same transaction). For the year it makes:

- the periods (Akhir + the periodic scheme, triwulan by default);
- a capaian kinerja organisasi for every unit except bidang (which share their OPD's), for
  every period that has begun and for Akhir, each decided by the leader of the
  organisation above (the head of the parent unit; for a perangkat daerah the Sekda, for
  the Setda the Bupati), with its basis and now and then a recommendation;
- the kepala daerah (a Bupati, no NIP) when none is recorded;
- one mutasi in July: the employee gets a second SKP from the TMT under the new pejabat
  penilai, the first SKP's periods stay with the old one;
- an AK awal (last PAK) for the jabatan fungsional PNS;
- SKP for most employees (some belum dibuat, some draf, most disepakati), cascading:
  each non-JPT RHK supports an RHK of the supervisor's SKP, JPT RHK carry a perspektif;
  IKI with aspek and target, ekspektasi khusus pimpinan, lampiran;
- feedback notes and dialog kinerja meetings for part of the SKP;
- evaluations of the periods that have ended (most final, some draf, some belum
  dibuat, so overdue cells show), the annual one as drafts while the year runs;
  ratings spread over all nine cells of the matrix (the first nine are forced, so even
  a tiny demo has each), the head-of-unit rule applied, a few corrections made as
  revisions, and a development-plan item for each final predikat below Baik.

Everything random comes from ``rng``; rows go in with Core bulk inserts, stamped and
logged in the change log like any other write.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.angka_kredit import KEBUTUHAN_PANGKAT, jenjang_of_position
from kinerja_desktop.domain.berakhlak import BERAKHLAK
from kinerja_desktop.domain.frozen_skp import FrozenSkpRow, freeze
from kinerja_desktop.domain.golongan import GolonganError, pangkat_golongan_label
from kinerja_desktop.domain.predikat import CapaianOrganisasi, Rating, predikat, rating_hasil_kerja_for_head
from kinerja_desktop.services.performance.periods import SCHEMES, period_label, planned_periods
from kinerja_desktop.services.training.development_plan import SUGGESTIONS, TARGET_AFTER
from kinerja_desktop.store.angka_kredit import AngkaKreditAwal
from kinerja_desktop.store.changes import clock_of, log_rows, stamp_rows
from kinerja_desktop.store.development import DevelopmentPlanItem
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation, UnitCapaian
from kinerja_desktop.store.feedback import DialogMeeting, FeedbackNote
from kinerja_desktop.store.kepala_daerah import KepalaDaerah
from kinerja_desktop.store.lookup import referenced
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.store.periods import Period
from kinerja_desktop.store.skp import LAMPIRAN_KEYS, PERSPEKTIF, Iki, Rhk, Skp, SkpExpectation

DEMO_USER = "demo"
CAPAIAN_WEIGHTS = (
    (CapaianOrganisasi.ISTIMEWA, 20),
    (CapaianOrganisasi.BAIK, 55),
    (CapaianOrganisasi.BUTUH_PERBAIKAN, 15),
    (CapaianOrganisasi.KURANG, 7),
    (CapaianOrganisasi.SANGAT_KURANG, 3),
)
HASIL_WEIGHTS = ((Rating.DI_ATAS, 25), (Rating.SESUAI, 65), (Rating.DI_BAWAH, 10))
PERILAKU_WEIGHTS = ((Rating.DI_ATAS, 25), (Rating.SESUAI, 68), (Rating.DI_BAWAH, 7))
#: How often a period's rating repeats the person's usual one (people are fairly steady),
#: and how often rating perilaku follows rating hasil kerja.
STEADY, ALIKE = 0.7, 0.6
NINE = [(h, p) for h in Rating for p in Rating]

_RESULTS = {
    "jpt": (
        "Meningkatnya kualitas layanan {unit}",
        "Meningkatnya akuntabilitas kinerja {unit}",
        "Terwujudnya tata kelola anggaran {unit} yang tertib",
    ),
    "administrator": (
        "Terlaksananya program kerja {unit} sesuai rencana",
        "Meningkatnya capaian indikator kinerja {unit}",
        "Tersusunnya laporan kinerja {unit} tepat waktu",
    ),
    "pengawas": (
        "Tersusunnya rencana dan laporan kegiatan {unit}",
        "Terkendalinya administrasi kegiatan {unit}",
        "Terlaksananya pembinaan staf {unit}",
    ),
    "pelaksana": (
        "Terselesaikannya administrasi dan surat-menyurat {unit}",
        "Tersedianya data {unit} yang mutakhir",
        "Terdukungnya pelaksanaan kegiatan {unit}",
    ),
    "fungsional": (
        "Terlaksananya tugas jabatan fungsional di {unit} sesuai standar",
        "Meningkatnya mutu layanan profesi di {unit}",
        "Terlaksananya pengembangan profesi",
    ),
}
_TAMBAHAN = (
    "Menjadi anggota tim penyusunan laporan tahunan",
    "Menjadi narasumber sosialisasi internal",
    "Membantu pelaksanaan kegiatan peringatan hari besar nasional",
)
_IKI = (
    ("Kuantitas", "Jumlah dokumen/kegiatan yang diselesaikan", "{n} dokumen"),
    ("Kualitas", "Persentase hasil kerja yang sesuai standar", "{p} %"),
    ("Waktu", "Ketepatan waktu penyelesaian", "12 bulan"),
    ("Biaya", "Persentase penyerapan anggaran kegiatan", "{p} %"),
)
_EXPECT = {
    "BERORIENTASI_PELAYANAN": "Melayani masyarakat dengan ramah dan cepat",
    "AKUNTABEL": "Hadir tepat waktu dan melaporkan pekerjaan dengan jujur",
    "KOMPETEN": "Mengikuti paling sedikit satu pelatihan tahun ini",
    "HARMONIS": "Menjaga suasana kerja yang kondusif",
    "LOYAL": "Menjaga rahasia jabatan",
    "ADAPTIF": "Mencoba cara kerja baru yang lebih cepat",
    "KOLABORATIF": "Aktif membantu rekan satu tim",
}
_NOTES_RHK = (
    "Progres sesuai rencana; lanjutkan.",
    "Laporan bulan ini terlambat tiga hari; perbaiki jadwal.",
    "Hasil kerja rapi dan lengkap.",
    "Perlu koordinasi lebih awal dengan bidang lain.",
)
_NOTES_VALUE = (
    "Sangat membantu masyarakat yang datang.",
    "Beberapa kali terlambat apel pagi.",
    "Aktif berbagi pengetahuan dengan rekan.",
    "Perlu lebih terbuka terhadap masukan.",
)
_REALISASI = {
    Rating.DI_ATAS: "Melampaui target: {t}",
    Rating.SESUAI: "Sesuai target: {t}",
    Rating.DI_BAWAH: "Di bawah target (baru sebagian dari {t})",
}


@dataclass(frozen=True)
class PerformanceDemoSummary:
    periods: int
    skp: int
    rhk: int
    iki: int
    feedback: int
    evaluations: int
    final: int
    revisions: int
    capaian: int
    plan_items: int


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _pick(rng: random.Random, weighted) -> Any:  # one of the weighted keys (a Rating, a capaian, ...)
    items = [k for k, _w in weighted]
    return rng.choices(items, weights=[w for _k, w in weighted])[0]


class _Writer:
    def __init__(self, session: Session) -> None:
        self.session, self.clock = session, clock_of(session)
        self.counts: dict[str, int] = defaultdict(int)

    def write(self, model, rows: list[dict]) -> None:
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            stamp_rows(self.clock, chunk, new=True)
            self.session.execute(insert(model.__table__), chunk)
            log_rows(self.session, model.__tablename__, chunk)
        self.counts[model.__tablename__] += len(rows)


def _periods(session: Session, w: _Writer, rng: random.Random, year: int, scheme: str) -> list[dict]:
    have = session.execute(select(Period.__table__).where(Period.year == year, Period.deleted.is_(False))).mappings()
    rows = [dict(r) for r in have]
    if rows:
        return rows
    rows = [dict(p, id=_uuid(rng), closed=False) for p in planned_periods(year, scheme)]
    w.write(Period, rows)
    return rows


def _label(p: dict) -> str:
    return period_label(Period(**{k: p[k] for k in ("year", "kind", "number")}))


def add_performance_demo(  # noqa: C901, PLR0915 (long: one pass over the roster writing a year of SKP, evaluations and feedback in bulk rows)
    session: Session,
    rng: random.Random,
    year: int,
    *,
    scheme: str = "triwulan",
    today: date | None = None,
    complete: bool = False,
) -> PerformanceDemoSummary:
    """Add a year of performance data to the demo roster already in ``session``.

    Does nothing (and returns zero counts) when the year already has SKP.
    ``complete`` (benchmarks): every employee gets an agreed SKP and a final evaluation
    for every period of the year, as if the year were over.
    """
    if scheme not in SCHEMES:
        raise ValueError(scheme)
    if session.scalar(select(Skp.id).where(Skp.year == year).limit(1)) is not None:
        return PerformanceDemoSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)  # the year has its data already
    today = today or date.today()
    if complete:
        today = date(year + 1, 2, 15)
    w = _Writer(session)
    periods = _periods(session, w, rng, year, scheme)
    annual = next(p for p in periods if p["kind"] == "akhir")

    units = {u.id: u for u in session.scalars(select(Unit).where(Unit.deleted.is_(False)))}
    positions = {p.id: p for p in session.scalars(select(Position))}
    people = session.execute(
        select(
            Employee.id,
            Employee.nip,
            Employee.front_title,
            Employee.name,
            Employee.back_title,
            Employee.status,
            Employee.golongan,
            Employee.position_id,
            Employee.unit_id,
            Employee.supervisor_id,
        )
        .where(Employee.deleted.is_(False), Employee.active.is_(True))
        .order_by(Employee.nip)
    ).all()
    by_id = {p.id: p for p in people}

    # Capaian for every unit but bidang (a bidang shares its OPD's), per period, by the leader above.
    # The regulation's additions draw from their own stream, so the rest of the demo stays as it was.
    reg = random.Random(f"regulation-{year}")
    kdh_id = _kepala_daerah(session, w, reg, year)
    kdh = referenced(session, KepalaDaerah, kdh_id)
    kdh_identity = {
        "id": None,
        "kepala_daerah_id": kdh_id,
        "nama": kdh.full_name,
        "nip": "",
        "status": "KDH",
        "pangkat_golongan": "",
        "jabatan": kdh.jabatan,
        "unit_kerja": "Pemerintah Kabupaten Batanghari",
    }

    def reports_to_kdh(p) -> bool:
        return not p.supervisor_id and bool(getattr(positions.get(p.position_id), "reports_to_kepala_daerah", False))

    capaian, capaian_rows = _capaian(w, rng, reg, year, periods, today, units, positions, people, kdh_id)

    # Supervisors before their staff, so each RHK can name the supervisor's RHK.
    depth: dict[str, int] = {}

    def depth_of(eid: str) -> int:
        chain: list[str] = []
        current: str | None = eid
        while current is not None and current in by_id and current not in depth and len(chain) < 64:
            chain.append(current)
            current = by_id[current].supervisor_id
        base = depth.get(current, -1) if current is not None else -1
        for k, e in enumerate(reversed(chain), start=1):
            depth[e] = base + k
        return depth[eid]

    order = sorted(people, key=lambda p: (depth_of(p.id), p.nip))

    skp_rows, rhk_rows, iki_rows, exp_rows, note_rows, dialog_rows = [], [], [], [], [], []
    skp_of: dict[str, dict] = {}
    rhks_of: dict[str, list[dict]] = {}
    ikis_of: dict[str, list[tuple[dict, dict]]] = {}
    for person in order:
        roll = rng.random()
        status = "agreed" if complete or roll < 0.84 else ("draft" if roll < 0.93 else None)
        if status is None:
            continue
        pos = positions.get(person.position_id)
        kind = pos.kind if pos else "pelaksana"
        unit_name = units[person.unit_id].name if person.unit_id in units else ""
        model = "jpt" if kind == "jpt" else "non_jpt"
        skp = {
            "id": _uuid(rng),
            "employee_id": person.id,
            "year": year,
            "period_id": annual["id"],
            "evaluator_id": person.supervisor_id,
            "start": date(year, 1, 1),
            "end": date(year, 12, 31),
            "position_id": person.position_id,
            "unit_id": person.unit_id,
            "previous_skp_id": None,
            "assignment_note": "",
            "model": model,
            "approach": "kuantitatif" if rng.random() < 0.85 else "kualitatif",
            "status": status,
            "agreed_on": date(year, 1, rng.randint(5, 31)) if status == "agreed" else None,
            "lampiran": {
                LAMPIRAN_KEYS[0]: ["Komputer dan jaringan internet kantor"],
                LAMPIRAN_KEYS[1]: ["Laporan bulanan kepada atasan langsung"],
                LAMPIRAN_KEYS[2]: ["Predikat kinerja menjadi dasar pengembangan karier"],
            },
            "copied_from_id": None,
            "saved_at": datetime(year, 1, 10, 9, 0),
            "saved_by": DEMO_USER,
        }
        skp_rows.append(skp)
        skp_of[person.id] = skp
        parents = rhks_of.get(person.supervisor_id, [])
        texts = _RESULTS.get(kind, _RESULTS["pelaksana"])
        mine, mine_ikis = [], []
        for n, (group, text) in enumerate(
            [("utama", texts[0]), ("utama", texts[1]), ("tambahan", rng.choice(_TAMBAHAN))], start=1
        ):
            rhk = {
                "id": _uuid(rng),
                "skp_id": skp["id"],
                "group": group,
                "position": n if n < 3 else 1,
                "text": text.format(unit=unit_name),
                "parent_rhk_id": None,
                "perspektif": None,
            }
            if model == "jpt":
                rhk["perspektif"] = PERSPEKTIF[(n - 1) % len(PERSPEKTIF)]
            elif parents and group == "utama":
                rhk["parent_rhk_id"] = rng.choice(parents)["id"]
            elif parents:
                rhk["parent_rhk_id"] = parents[0]["id"]
            rhk_rows.append(rhk)
            mine.append(rhk)
            for m, (aspek, indicator, target) in enumerate(rng.sample(_IKI[:3], 2 if group == "utama" else 1), 1):
                iki = {
                    "id": _uuid(rng),
                    "rhk_id": rhk["id"],
                    "position": m,
                    "aspek": aspek,
                    "indicator": indicator,
                    "target": target.format(n=rng.choice((4, 6, 12, 24)), p=rng.choice((80, 90, 100))),
                }
                iki_rows.append(iki)
                mine_ikis.append((rhk, iki))
        rhks_of[person.id] = [r for r in mine if r["group"] == "utama"]
        ikis_of[person.id] = mine_ikis
        for value in rng.sample(BERAKHLAK, 3):
            exp_rows.append(
                {"id": _uuid(rng), "skp_id": skp["id"], "value_code": value.code, "text": _EXPECT[value.code]}
            )
        if status == "agreed" and rng.random() < 0.35:
            dialog_rows.append(
                {
                    "id": _uuid(rng),
                    "skp_id": skp["id"],
                    "held_on": skp["agreed_on"],
                    "stage": "perencanaan",
                    "topic": "Penyusunan dan penetapan SKP",
                    "notes": "SKP dibahas bersama dan disepakati.",
                    "recorded_by": DEMO_USER,
                }
            )
            last = min(today, date(year, 12, 31))
            for _k in range(rng.randint(1, 3)):
                day = date(year, 2, 1) + timedelta(days=rng.randrange(max(1, (last - date(year, 2, 1)).days)))
                if rng.random() < 0.6:
                    note = {"rhk_id": rng.choice(mine)["id"], "value_code": None, "text": rng.choice(_NOTES_RHK)}
                else:
                    note = {"rhk_id": None, "value_code": rng.choice(BERAKHLAK).code, "text": rng.choice(_NOTES_VALUE)}
                note_rows.append(dict(note, id=_uuid(rng), skp_id=skp["id"], noted_on=day, author=DEMO_USER))
    mutasi = _mutasi(reg, year, today, order, skp_of, rhks_of, ikis_of, positions, skp_rows, rhk_rows, iki_rows)
    w.write(Skp, skp_rows)
    w.write(Rhk, rhk_rows)
    rhk_text = {r["id"]: r["text"] for r in rhk_rows}  # frozen into final evaluations
    w.write(Iki, iki_rows)
    w.write(SkpExpectation, exp_rows)
    w.write(FeedbackNote, note_rows)
    w.write(DialogMeeting, dialog_rows)

    # Identities as of the final day (the roster does not change during the demo).
    def identity(eid: str | None) -> dict | None:
        p = by_id.get(eid) if eid else None
        if p is None:
            return None
        try:
            pangkat = pangkat_golongan_label(p.golongan, p.status)
        except GolonganError:
            pangkat = p.golongan or ""
        name = f"{p.front_title} {p.name}".strip() if p.front_title else p.name
        pos = positions.get(p.position_id)
        return {
            "id": p.id,
            "nama": f"{name}, {p.back_title}" if p.back_title else name,
            "nip": p.nip,
            "status": p.status,
            "pangkat_golongan": pangkat,
            "jabatan": pos.name if pos else "",
            "unit_kerja": units[p.unit_id].name if p.unit_id in units else "",
        }

    ev_rows, plan_rows = [], []
    forced = iter(NINE)
    usual: dict[str, tuple[Rating, Rating]] = {}

    def ratings_of(eid: str) -> tuple[Rating, Rating]:
        def draw() -> tuple[Rating, Rating]:
            hasil = _pick(rng, HASIL_WEIGHTS)
            return hasil, hasil if rng.random() < ALIKE else _pick(rng, PERILAKU_WEIGHTS)

        if eid not in usual:
            usual[eid] = draw()
        return usual[eid] if rng.random() < STEADY else draw()

    finals = revisions = 0
    for period in sorted(periods, key=lambda p: (p["kind"] == "akhir", p["start"])):
        ended = period["end"] < today
        running = period["start"] <= today <= period["end"]
        is_annual = period["kind"] == "akhir"
        label = _label(period)
        for person in order:
            skp = skp_of.get(person.id)  # type: ignore[assignment]  # None is skipped just below
            if skp is None or skp["status"] != "agreed":
                continue
            moved = mutasi.get(person.id)
            if moved is not None and period["start"] >= moved.start:
                skp = moved.skp  # the periods after the TMT are the new assignment's
            roll = rng.random()
            if complete:
                status = "final"
            elif ended:
                status = "final" if roll < 0.85 else ("draft" if roll < 0.93 else None)
            elif running or is_annual:
                status = "draft" if roll < (0.6 if is_annual else 0.25) else None
            else:
                status = None
            if status is None:
                continue
            pos = positions.get(person.position_id)
            cap = capaian.get((person.unit_id, period["id"]))
            head = bool(pos is not None and pos.is_unit_head and cap is not None)
            cap = cap if head else None
            pair = next(forced, None) if status == "final" and not head else None
            perilaku: Rating | None
            hasil, perilaku = pair or ratings_of(person.id)
            if status == "draft" and rng.random() < 0.3:
                perilaku = None  # still being rated
            if head:
                assert cap is not None  # a head is rated from the unit's capaian
                hasil = rating_hasil_kerja_for_head(cap)
            pred = predikat(hasil, perilaku).value if hasil and perilaku else None
            my_ikis = ikis_of[skp["id"]] if skp["id"] in ikis_of else ikis_of[person.id]
            realisasi = {
                iki["id"]: {"realisasi": _REALISASI[hasil].format(t=iki["target"]), "umpan_balik": ""}
                for _rhk, iki in my_ikis
            }
            row = {
                "id": _uuid(rng),
                "employee_id": person.id,
                "period_id": period["id"],
                "skp_id": skp["id"],
                "kind": "tahunan" if is_annual else "periodik",
                "evaluator_id": skp["evaluator_id"],
                "rating_hasil_kerja": hasil.value,
                "rating_perilaku_kerja": perilaku.value if perilaku else None,
                "predikat": pred,
                "hasil_from_capaian": head,
                "capaian": cap.value if cap else None,
                "realisasi": realisasi,
                "perilaku_feedback": {},
                "catatan_rekomendasi": "",
                "status": status,
                "finalized_at": None,
                "finalized_on": None,
                "finalized_by": None,
                "identities": None,
                "frozen_skp": None,
                "revision_of_id": None,
                "revision_no": 0,
                "revision_reason": "",
                "signed_file_sha256": None,
                "saved_at": datetime.combine(min(today, period["deadline"]), datetime.min.time()),
                "saved_by": DEMO_USER,
            }
            if status == "final":
                day = min(period["end"] + timedelta(days=rng.randint(1, 9)), today)
                sup = by_id.get(skp["evaluator_id"])
                pegawai = identity(person.id)
                assert pegawai is not None  # the person is in the roster
                if skp.get("previous_skp_id"):  # the new assignment after the mutasi
                    pos = positions.get(skp["position_id"])
                    pegawai.update(jabatan=pos.name if pos else "", unit_kerja=units[skp["unit_id"]].name)
                # the Bupati evaluates the Sekda, and is the atasan of those the Sekda evaluates
                penilai = identity(skp["evaluator_id"]) or (kdh_identity if reports_to_kdh(person) else None)
                atasan = (
                    identity(sup.supervisor_id)
                    if sup and sup.supervisor_id
                    else (kdh_identity if sup is not None and reports_to_kdh(sup) else None)
                )
                row.update(
                    finalized_on=day,
                    finalized_at=datetime.combine(day, datetime.min.time()) + timedelta(hours=9),
                    finalized_by=DEMO_USER,
                    identities={
                        "pegawai": pegawai,
                        "pejabat_penilai": penilai,
                        "atasan_pejabat_penilai": atasan,
                        "tanggal": day.isoformat(),
                    },
                    frozen_skp=freeze(
                        FrozenSkpRow(
                            group=r["group"],
                            rhk_id=r["id"],
                            rhk=r["text"],
                            perspektif=r["perspektif"],
                            rhk_pimpinan=rhk_text.get(r["parent_rhk_id"] or "", ""),
                            iki_id=i["id"],
                            aspek=i["aspek"],
                            iki=i["indicator"],
                            target=i["target"],
                        )
                        for r, i in my_ikis
                    ),
                )
                finals += 1
            ev_rows.append(row)
            final_row = row
            if status == "final" and not complete and (revisions == 0 or rng.random() < 0.015):  # a correction
                revisions += 1
                better = Rating.SESUAI if hasil is Rating.DI_BAWAH and not head else hasil
                assert perilaku is not None  # a final evaluation has both ratings
                rev = dict(
                    row,
                    id=_uuid(rng),
                    revision_of_id=row["id"],
                    revision_no=1,
                    revision_reason="Realisasi salah ketik; dibetulkan sesuai bukti dukung",
                    rating_hasil_kerja=better.value,
                    predikat=predikat(better, perilaku).value,
                    status="final" if rng.random() < 0.6 else "draft",
                )
                if rev["status"] == "draft":
                    rev.update(
                        finalized_on=None, finalized_at=None, finalized_by=None, identities=None, frozen_skp=None
                    )
                    final_row = row
                else:
                    final_row = rev
                ev_rows.append(rev)
            if (
                final_row["status"] == "final"
                and final_row["predikat"]
                and any(p.value == final_row["predikat"] for p in SUGGESTIONS)
            ):
                suggested = next(v for p, v in SUGGESTIONS.items() if p.value == final_row["predikat"])
                plan_rows.append(
                    {
                        "id": _uuid(rng),
                        "employee_id": person.id,
                        "source": "evaluasi",
                        "source_id": final_row["id"],
                        "description": f"Predikat {final_row['predikat']} pada periode {label}: perbaiki hasil kerja "
                        "dan perilaku kerja sesuai catatan pejabat penilai.",
                        "competency_code": None,
                        "suggested_activity_codes": list(suggested),
                        "target_date": final_row["finalized_on"] + TARGET_AFTER,
                        "status": "terbuka",
                        "fulfilled_by_training_id": None,
                    }
                )
    w.write(Evaluation, ev_rows)
    w.write(DevelopmentPlanItem, plan_rows)
    _angka_kredit_awal(w, reg, year, people, positions)
    for person_id, moved in mutasi.items():  # the roster after the mutasi: the new unit, supervisor, jabatan
        emp = referenced(session, Employee, person_id)
        emp.unit_id, emp.supervisor_id, emp.position_id = (
            moved.skp["unit_id"],
            moved.skp["evaluator_id"],
            moved.skp["position_id"],
        )
    session.flush()
    return PerformanceDemoSummary(
        periods=len(periods),
        skp=len(skp_rows),
        rhk=len(rhk_rows),
        iki=len(iki_rows),
        feedback=len(note_rows),
        evaluations=len(ev_rows),
        final=finals + sum(1 for r in ev_rows if r["revision_no"] and r["status"] == "final"),
        revisions=revisions,
        capaian=len(capaian_rows),
        plan_items=len(plan_rows),
    )


_BASIS_NOTES = {
    "rencana_aksi": (
        "Progres rencana aksi sesuai jadwal.",
        "Sebagian rencana aksi terlambat dari jadwal.",
        "Seluruh rencana aksi periode ini selesai lebih awal.",
    ),
    "perjanjian_kinerja": ("Realisasi indikator perjanjian kinerja tahun ini.",),
}


def _kepala_daerah(session: Session, w: _Writer, reg: random.Random, year: int) -> str:
    """The Bupati in office during ``year`` (recorded now when none is)."""
    found = session.scalar(select(KepalaDaerah.id).where(KepalaDaerah.deleted.is_(False)).limit(1))
    if found is not None:
        return found
    row = {
        "id": _uuid(reg),
        "name": "Muhammad Fadhil Arief",
        "front_title": "H.",
        "back_title": "S.E., M.M.",
        "jabatan": "Bupati Batanghari",
        "term_start": date(year - 1, 2, 26),
        "term_end": None,
        "decree": "Keputusan Menteri Dalam Negeri (contoh)",
    }
    w.write(KepalaDaerah, [row])
    return str(row["id"])


def _capaian(
    w: _Writer,
    rng: random.Random,
    reg: random.Random,
    year: int,
    periods: list[dict],
    today: date,
    units: dict,
    positions: dict,
    people,
    kdh_id: str,
) -> tuple[dict, list[dict]]:
    """(unit id, period id) -> capaian, and the rows written: per period, by the leader above."""
    heads: dict[str, str] = {}
    sekda = None
    for p in people:
        pos = positions.get(p.position_id)
        if pos is not None and pos.is_unit_head and p.unit_id not in heads:
            heads[p.unit_id] = p.id
        if pos is not None and getattr(pos, "reports_to_kepala_daerah", False) and sekda is None:
            sekda = (p.id, p.unit_id)
    started = [p for p in periods if p["kind"] != "akhir" and p["start"] <= today]
    annual = next(p for p in periods if p["kind"] == "akhir")
    levels = [c for c, _w in CAPAIAN_WEIGHTS]
    capaian: dict[tuple[str, str], CapaianOrganisasi] = {}
    rows = []
    for uid, unit in sorted(units.items(), key=lambda kv: kv[1].code):
        if unit.kind == "bidang":
            continue
        value = _pick(rng, CAPAIAN_WEIGHTS)  # the year's value (the same draw as before per-period capaian)
        if not unit.parent_id and unit.name.lower().startswith("pemerintah "):
            continue  # the whole Pemerintah Kabupaten: no appraisal capaian of its own
        decider_emp = decider_kdh = None
        parent = units.get(unit.parent_id)
        while parent is not None and parent.id not in heads:
            parent = units.get(parent.parent_id)
        if parent is not None:
            decider_emp = heads[parent.id]
        elif sekda is not None and sekda[1] != uid:
            decider_emp = sekda[0]
        else:
            decider_kdh = kdh_id
        for period in started + [annual]:
            is_annual = period is annual
            level = value
            if not is_annual and reg.random() < 0.3:  # periodic progress wanders around the year's level
                level = levels[max(0, min(len(levels) - 1, levels.index(value) + reg.choice((-1, 1))))]
            capaian[(uid, period["id"])] = level
            basis = "perjanjian_kinerja" if is_annual else "rencana_aksi"
            source = reg.choice(("", "", "perencanaan", "pengawasan")) if is_annual else ""
            decided = min(today, period["deadline"]) if not is_annual else date(year, 1, 20)
            rows.append(
                {
                    "id": _uuid(reg),
                    "unit_id": uid,
                    "year": year,
                    "period_id": period["id"],
                    "capaian": level.value,
                    "basis": basis,
                    "basis_note": reg.choice(_BASIS_NOTES[basis]),
                    "recommendation_source": source,
                    "recommended_capaian": level.value if source else None,
                    "decider_employee_id": decider_emp,
                    "decider_kepala_daerah_id": decider_kdh,
                    "decision_reference": f"800/{reg.randint(10, 999)}/{unit.code}/{year}",
                    "decided_on": decided,
                    "set_by": DEMO_USER,
                    "set_on": decided,
                }
            )
    w.write(UnitCapaian, rows)
    return capaian, rows


def _angka_kredit_awal(w: _Writer, reg: random.Random, year: int, people, positions: dict) -> None:
    """The last PAK (31 December of the year before) of every jabatan fungsional PNS."""
    rows = []
    for p in people:
        pos = positions.get(p.position_id)
        jenjang = jenjang_of_position(pos.name if pos else "")
        if jenjang is None or p.status != "PNS":
            continue
        cited = KEBUTUHAN_PANGKAT[jenjang]
        assert cited is not None  # every jenjang has its need for the next pangkat
        need = cited.value
        value = (need * reg.randint(0, 36) / 40).quantize(Decimal("0.001"))
        rows.append(
            {
                "id": _uuid(reg),
                "employee_id": p.id,
                "as_of": date(year - 1, 12, 31),
                "value": value,
                "jenjang": jenjang.value,
                "golongan": p.golongan or "",
                "reference": f"PAK 800/{reg.randint(100, 999)}/BKPSDM/{year - 1}",
                "note": "",
                "set_by": DEMO_USER,
            }
        )
    w.write(AngkaKreditAwal, rows)


@dataclass(frozen=True)
class _Moved:
    start: date
    skp: dict


def _mutasi(
    reg: random.Random,
    year: int,
    today: date,
    order,
    skp_of: dict,
    rhks_of: dict,
    ikis_of: dict,
    positions: dict,
    skp_rows: list,
    rhk_rows: list,
    iki_rows: list,
) -> dict[str, _Moved]:
    """One pelaksana moves on 1 July to another unit under another supervisor: a second SKP from then.

    Only when the year has reached July; the first SKP ends on 30 June and keeps its periods.
    """
    start = date(year, 7, 1)
    if today < start:
        return {}
    agreed = [
        p
        for p in order
        if skp_of.get(p.id, {}).get("status") == "agreed"
        and p.supervisor_id
        and getattr(positions.get(p.position_id), "kind", "") == "pelaksana"
    ]
    for person in agreed:
        targets = [
            q
            for q in agreed
            if q.unit_id != person.unit_id and q.supervisor_id != person.supervisor_id and rhks_of.get(q.supervisor_id)
        ]
        if targets:
            break
    else:
        return {}
    target = reg.choice(targets)
    old = skp_of[person.id]
    old["end"] = start - timedelta(days=1)
    new = dict(
        old,
        id=_uuid(reg),
        start=start,
        end=date(year, 12, 31),
        evaluator_id=target.supervisor_id,
        unit_id=target.unit_id,
        position_id=target.position_id,
        previous_skp_id=old["id"],
        assignment_note="Mutasi per 1 Juli",
        agreed_on=start,
    )
    skp_rows.append(new)
    new_ikis: list[tuple[dict, dict]] = []
    for rhk, iki in ikis_of[person.id]:
        if not any(r["id"] == rhk["id"] for r, _i in new_ikis):
            parent = reg.choice(rhks_of[target.supervisor_id])["id"] if rhk["group"] == "utama" else None
            copy = dict(rhk, id=_uuid(reg), skp_id=new["id"], parent_rhk_id=parent)
            rhk_rows.append(copy)
        else:
            copy = next(r for r, _i in new_ikis if r["id"] == rhk["id"])
        iki_copy = dict(iki, id=_uuid(reg), rhk_id=copy["id"])
        iki_rows.append(iki_copy)
        new_ikis.append((copy, iki_copy))
    ikis_of[new["id"]] = new_ikis
    return {person.id: _Moved(start, new)}
