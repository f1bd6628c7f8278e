"""Performance data for the demo district: SKP, feedback, evaluations, capaian.

:func:`add_performance_demo` runs after the roster of the demo exists (``services.demo``
calls it in the same transaction). For the year it makes:

- the periods (Akhir + the periodic scheme, triwulan by default);
- a capaian kinerja organisasi for every unit except bidang (which share their OPD's);
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

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.berakhlak import BERAKHLAK
from kinerja_desktop.domain.golongan import GolonganError, pangkat_golongan_label
from kinerja_desktop.domain.predikat import CapaianOrganisasi, Rating, predikat, rating_hasil_kerja_for_head
from kinerja_desktop.services.development_plan import SUGGESTIONS, TARGET_AFTER
from kinerja_desktop.services.periods import SCHEMES, period_label, planned_periods
from kinerja_desktop.store.changes import clock_of, log_rows, stamp_rows
from kinerja_desktop.store.development import DevelopmentPlanItem
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import Evaluation, UnitCapaian
from kinerja_desktop.store.feedback import DialogMeeting, FeedbackNote
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.store.periods import Period
from kinerja_desktop.store.skp import LAMPIRAN_KEYS, PERSPEKTIF, Iki, Rhk, Skp, SkpExpectation

DEMO_USER = "demo"
CAPAIAN_WEIGHTS = ((CapaianOrganisasi.ISTIMEWA, 20), (CapaianOrganisasi.BAIK, 55),
                   (CapaianOrganisasi.BUTUH_PERBAIKAN, 15), (CapaianOrganisasi.KURANG, 7),
                   (CapaianOrganisasi.SANGAT_KURANG, 3))
HASIL_WEIGHTS = ((Rating.DI_ATAS, 25), (Rating.SESUAI, 65), (Rating.DI_BAWAH, 10))
PERILAKU_WEIGHTS = ((Rating.DI_ATAS, 25), (Rating.SESUAI, 68), (Rating.DI_BAWAH, 7))
#: How often a period's rating repeats the person's usual one (people are fairly steady),
#: and how often rating perilaku follows rating hasil kerja.
STEADY, ALIKE = 0.7, 0.6
NINE = [(h, p) for h in Rating for p in Rating]

_RESULTS = {
    "jpt": ("Meningkatnya kualitas layanan {unit}", "Meningkatnya akuntabilitas kinerja {unit}",
            "Terwujudnya tata kelola anggaran {unit} yang tertib"),
    "administrator": ("Terlaksananya program kerja {unit} sesuai rencana",
                      "Meningkatnya capaian indikator kinerja {unit}",
                      "Tersusunnya laporan kinerja {unit} tepat waktu"),
    "pengawas": ("Tersusunnya rencana dan laporan kegiatan {unit}", "Terkendalinya administrasi kegiatan {unit}",
                 "Terlaksananya pembinaan staf {unit}"),
    "pelaksana": ("Terselesaikannya administrasi dan surat-menyurat {unit}", "Tersedianya data {unit} yang mutakhir",
                  "Terdukungnya pelaksanaan kegiatan {unit}"),
    "fungsional": ("Terlaksananya tugas jabatan fungsional di {unit} sesuai standar",
                   "Meningkatnya mutu layanan profesi di {unit}", "Terlaksananya pengembangan profesi"),
}
_TAMBAHAN = ("Menjadi anggota tim penyusunan laporan tahunan", "Menjadi narasumber sosialisasi internal",
             "Membantu pelaksanaan kegiatan peringatan hari besar nasional")
_IKI = (("Kuantitas", "Jumlah dokumen/kegiatan yang diselesaikan", "{n} dokumen"),
        ("Kualitas", "Persentase hasil kerja yang sesuai standar", "{p} %"),
        ("Waktu", "Ketepatan waktu penyelesaian", "12 bulan"),
        ("Biaya", "Persentase penyerapan anggaran kegiatan", "{p} %"))
_EXPECT = {"BERORIENTASI_PELAYANAN": "Melayani masyarakat dengan ramah dan cepat",
           "AKUNTABEL": "Hadir tepat waktu dan melaporkan pekerjaan dengan jujur",
           "KOMPETEN": "Mengikuti paling sedikit satu pelatihan tahun ini",
           "HARMONIS": "Menjaga suasana kerja yang kondusif", "LOYAL": "Menjaga rahasia jabatan",
           "ADAPTIF": "Mencoba cara kerja baru yang lebih cepat", "KOLABORATIF": "Aktif membantu rekan satu tim"}
_NOTES_RHK = ("Progres sesuai rencana; lanjutkan.", "Laporan bulan ini terlambat tiga hari; perbaiki jadwal.",
              "Hasil kerja rapi dan lengkap.", "Perlu koordinasi lebih awal dengan bidang lain.")
_NOTES_VALUE = ("Sangat membantu masyarakat yang datang.", "Beberapa kali terlambat apel pagi.",
                "Aktif berbagi pengetahuan dengan rekan.", "Perlu lebih terbuka terhadap masukan.")
_REALISASI = {Rating.DI_ATAS: "Melampaui target: {t}", Rating.SESUAI: "Sesuai target: {t}",
              Rating.DI_BAWAH: "Di bawah target (baru sebagian dari {t})"}


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


def _pick(rng: random.Random, weighted) -> object:
    items = [k for k, _w in weighted]
    return rng.choices(items, weights=[w for _k, w in weighted])[0]


class _Writer:
    def __init__(self, session: Session) -> None:
        self.session, self.clock = session, clock_of(session)
        self.counts: dict[str, int] = defaultdict(int)

    def write(self, model, rows: list[dict]) -> None:
        for start in range(0, len(rows), 5000):
            chunk = rows[start:start + 5000]
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


def add_performance_demo(session: Session, rng: random.Random, year: int, *, scheme: str = "triwulan",
                         today: date | None = None, complete: bool = False) -> PerformanceDemoSummary:
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
    people = session.execute(select(
        Employee.id, Employee.nip, Employee.front_title, Employee.name, Employee.back_title, Employee.status,
        Employee.golongan, Employee.position_id, Employee.unit_id, Employee.supervisor_id,
    ).where(Employee.deleted.is_(False), Employee.active.is_(True)).order_by(Employee.nip)).all()
    by_id = {p.id: p for p in people}

    # Capaian for every unit but bidang (a bidang shares its OPD's).
    capaian: dict[str, CapaianOrganisasi] = {}
    capaian_rows = []
    for uid, unit in sorted(units.items(), key=lambda kv: kv[1].code):
        if unit.kind == "bidang":
            continue
        value = _pick(rng, CAPAIAN_WEIGHTS)
        capaian[uid] = value
        capaian_rows.append({"id": _uuid(rng), "unit_id": uid, "year": year, "capaian": value.value,
                             "set_by": DEMO_USER, "set_on": date(year, 1, 20)})
    w.write(UnitCapaian, capaian_rows)

    # Supervisors before their staff, so each RHK can name the supervisor's RHK.
    depth: dict[str, int] = {}

    def depth_of(eid: str) -> int:
        chain, current = [], eid
        while current in by_id and current not in depth and len(chain) < 64:
            chain.append(current)
            current = by_id[current].supervisor_id
        base = depth.get(current, -1)
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
        skp = {"id": _uuid(rng), "employee_id": person.id, "year": year, "period_id": annual["id"],
               "evaluator_id": person.supervisor_id, "start": date(year, 1, 1), "end": date(year, 12, 31),
               "model": model, "approach": "kuantitatif" if rng.random() < 0.85 else "kualitatif", "status": status,
               "agreed_on": date(year, 1, rng.randint(5, 31)) if status == "agreed" else None,
               "lampiran": {LAMPIRAN_KEYS[0]: ["Komputer dan jaringan internet kantor"],
                            LAMPIRAN_KEYS[1]: ["Laporan bulanan kepada atasan langsung"],
                            LAMPIRAN_KEYS[2]: ["Predikat kinerja menjadi dasar pengembangan karier"]},
               "copied_from_id": None, "saved_at": datetime(year, 1, 10, 9, 0), "saved_by": DEMO_USER}
        skp_rows.append(skp)
        skp_of[person.id] = skp
        parents = rhks_of.get(person.supervisor_id, [])
        texts = _RESULTS.get(kind, _RESULTS["pelaksana"])
        mine, mine_ikis = [], []
        for n, (group, text) in enumerate([("utama", texts[0]), ("utama", texts[1]),
                                           ("tambahan", rng.choice(_TAMBAHAN))], start=1):
            rhk = {"id": _uuid(rng), "skp_id": skp["id"], "group": group, "position": n if n < 3 else 1,
                   "text": text.format(unit=unit_name), "parent_rhk_id": None, "perspektif": None}
            if model == "jpt":
                rhk["perspektif"] = PERSPEKTIF[(n - 1) % len(PERSPEKTIF)]
            elif parents and group == "utama":
                rhk["parent_rhk_id"] = rng.choice(parents)["id"]
            elif parents:
                rhk["parent_rhk_id"] = parents[0]["id"]
            rhk_rows.append(rhk)
            mine.append(rhk)
            for m, (aspek, indicator, target) in enumerate(rng.sample(_IKI[:3], 2 if group == "utama" else 1), 1):
                iki = {"id": _uuid(rng), "rhk_id": rhk["id"], "position": m, "aspek": aspek, "indicator": indicator,
                       "target": target.format(n=rng.choice((4, 6, 12, 24)), p=rng.choice((80, 90, 100)))}
                iki_rows.append(iki)
                mine_ikis.append((rhk, iki))
        rhks_of[person.id] = [r for r in mine if r["group"] == "utama"]
        ikis_of[person.id] = mine_ikis
        for value in rng.sample(BERAKHLAK, 3):
            exp_rows.append({"id": _uuid(rng), "skp_id": skp["id"], "value_code": value.code,
                             "text": _EXPECT[value.code]})
        if status == "agreed" and rng.random() < 0.35:
            dialog_rows.append({"id": _uuid(rng), "skp_id": skp["id"], "held_on": skp["agreed_on"],
                                "stage": "perencanaan", "topic": "Penyusunan dan penetapan SKP",
                                "notes": "SKP dibahas bersama dan disepakati.", "recorded_by": DEMO_USER})
            last = min(today, date(year, 12, 31))
            for _k in range(rng.randint(1, 3)):
                day = date(year, 2, 1) + timedelta(days=rng.randrange(max(1, (last - date(year, 2, 1)).days)))
                if rng.random() < 0.6:
                    note = {"rhk_id": rng.choice(mine)["id"], "value_code": None, "text": rng.choice(_NOTES_RHK)}
                else:
                    note = {"rhk_id": None, "value_code": rng.choice(BERAKHLAK).code,
                            "text": rng.choice(_NOTES_VALUE)}
                note_rows.append(dict(note, id=_uuid(rng), skp_id=skp["id"], noted_on=day, author=DEMO_USER))
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
        return {"id": p.id, "nama": f"{name}, {p.back_title}" if p.back_title else name, "nip": p.nip,
                "status": p.status, "pangkat_golongan": pangkat, "jabatan": pos.name if pos else "",
                "unit_kerja": units[p.unit_id].name if p.unit_id in units else ""}

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
            skp = skp_of.get(person.id)
            if skp is None or skp["status"] != "agreed":
                continue
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
            head = bool(is_annual and pos is not None and pos.is_unit_head and person.unit_id in capaian)
            cap = capaian.get(person.unit_id) if head else None
            pair = next(forced, None) if status == "final" and not head else None
            hasil, perilaku = pair or ratings_of(person.id)
            if status == "draft" and rng.random() < 0.3:
                perilaku = None  # still being rated
            if head:
                hasil = rating_hasil_kerja_for_head(cap)
            pred = predikat(hasil, perilaku).value if hasil and perilaku else None
            realisasi = {iki["id"]: {"realisasi": _REALISASI[hasil].format(t=iki["target"]), "umpan_balik": ""}
                         for _rhk, iki in ikis_of[person.id]}
            row = {"id": _uuid(rng), "employee_id": person.id, "period_id": period["id"], "skp_id": skp["id"],
                   "kind": "tahunan" if is_annual else "periodik", "evaluator_id": person.supervisor_id,
                   "rating_hasil_kerja": hasil.value, "rating_perilaku_kerja": perilaku.value if perilaku else None,
                   "predikat": pred, "hasil_from_capaian": head, "capaian": cap.value if cap else None,
                   "realisasi": realisasi, "perilaku_feedback": {}, "catatan_rekomendasi": "",
                   "status": status, "finalized_at": None, "finalized_on": None, "finalized_by": None,
                   "identities": None, "frozen_skp": None, "revision_of_id": None, "revision_no": 0,
                   "revision_reason": "", "signed_file_sha256": None,
                   "saved_at": datetime.combine(min(today, period["deadline"]), datetime.min.time()),
                   "saved_by": DEMO_USER}
            if status == "final":
                day = min(period["end"] + timedelta(days=rng.randint(1, 9)), today)
                sup = by_id.get(person.supervisor_id)
                row.update(
                    finalized_on=day, finalized_at=datetime.combine(day, datetime.min.time()) + timedelta(hours=9),
                    finalized_by=DEMO_USER,
                    identities={"pegawai": identity(person.id), "pejabat_penilai": identity(person.supervisor_id),
                                "atasan_pejabat_penilai": identity(sup.supervisor_id if sup else None),
                                "tanggal": day.isoformat()},
                    frozen_skp={"rows": [
                        {"rhk_id": r["id"], "rhk": r["text"], "group": r["group"], "iki_id": i["id"],
                         "perspektif": r["perspektif"],
                         "rhk_pimpinan": rhk_text.get(r["parent_rhk_id"] or "", ""),
                         "aspek": i["aspek"], "iki": i["indicator"], "target": i["target"]}
                        for r, i in ikis_of[person.id]]},
                )
                finals += 1
            ev_rows.append(row)
            final_row = row
            if status == "final" and not complete and (revisions == 0 or rng.random() < 0.015):  # a correction
                revisions += 1
                better = Rating.SESUAI if hasil is Rating.DI_BAWAH and not head else hasil
                rev = dict(row, id=_uuid(rng), revision_of_id=row["id"], revision_no=1,
                           revision_reason="Realisasi salah ketik; dibetulkan sesuai bukti dukung",
                           rating_hasil_kerja=better.value, predikat=predikat(better, perilaku).value,
                           status="final" if rng.random() < 0.6 else "draft")
                if rev["status"] == "draft":
                    rev.update(finalized_on=None, finalized_at=None, finalized_by=None, identities=None,
                               frozen_skp=None)
                    final_row = row
                else:
                    final_row = rev
                ev_rows.append(rev)
            if final_row["status"] == "final" and final_row["predikat"] and \
                    any(p.value == final_row["predikat"] for p in SUGGESTIONS):
                suggested = next(v for p, v in SUGGESTIONS.items() if p.value == final_row["predikat"])
                plan_rows.append({
                    "id": _uuid(rng), "employee_id": person.id, "source": "evaluasi", "source_id": final_row["id"],
                    "description": f"Predikat {final_row['predikat']} pada periode {label}: perbaiki hasil kerja "
                                   "dan perilaku kerja sesuai catatan pejabat penilai.",
                    "competency_code": None, "suggested_activity_codes": list(suggested),
                    "target_date": final_row["finalized_on"] + TARGET_AFTER, "status": "terbuka",
                    "fulfilled_by_training_id": None})
    w.write(Evaluation, ev_rows)
    w.write(DevelopmentPlanItem, plan_rows)
    return PerformanceDemoSummary(
        periods=len(periods), skp=len(skp_rows), rhk=len(rhk_rows), iki=len(iki_rows), feedback=len(note_rows),
        evaluations=len(ev_rows), final=finals + sum(1 for r in ev_rows if r["revision_no"] and r["status"] == "final"),
        revisions=revisions, capaian=len(capaian_rows), plan_items=len(plan_rows))
