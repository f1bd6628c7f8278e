"""Demo complaints: a service catalogue for the kecamatan offices, puskesmas and schools, the
national holidays, and a year of complaints in every state, through the register's own
services (so they are timed, audited and logged like real ones)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain import pengaduan as rules
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.pengaduan.cases import ComplaintInput, advance, create_complaint, now_wib
from kinerja_desktop.services.pengaduan.catalog import seed_starter_services, set_holiday
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.pengaduan import ComplaintService

#: Libur nasional and cuti bersama with a fixed date in the demo year (the moving feasts are
#: set by decree each year; the demo takes typical dates).
HOLIDAYS = (
    (1, 1, "Tahun Baru Masehi"),
    (5, 1, "Hari Buruh Internasional"),
    (6, 1, "Hari Lahir Pancasila"),
    (8, 17, "Hari Kemerdekaan Republik Indonesia"),
    (12, 25, "Hari Raya Natal"),
    (12, 26, "Cuti bersama Hari Raya Natal"),
)
TEXTS = {
    "KTP-EL": (
        "KTP-el sudah direkam sejak tiga bulan lalu tetapi belum juga dicetak.",
        "Blangko KTP-el dikatakan habis, diminta kembali minggu depan tanpa kepastian.",
    ),
    "KK": (
        "Perubahan data KK setelah pindah datang belum selesai lebih dari dua minggu.",
        "Nama anak salah ketik di Kartu Keluarga, perbaikan diminta datang berulang kali.",
    ),
    "AKTA-LAHIR": ("Akta kelahiran anak belum terbit padahal berkas lengkap sejak bulan lalu.",),
    "SURAT-PENGANTAR": ("Petugas loket tidak ada di tempat pada jam pelayanan.",),
    "RAWAT-JALAN": (
        "Puskesmas tidak ada dokter saat jam pelayanan pagi.",
        "Antrean rawat jalan sangat lama, nomor antrean tidak dipanggil berurutan.",
    ),
    "KIA": ("Jadwal imunisasi anak berubah tanpa pemberitahuan.",),
    "OBAT": ("Obat yang diresepkan kosong dan pasien diminta membeli sendiri.",),
    "PPDB": ("Pengumuman hasil PPDB tidak dipasang di papan sekolah.",),
    "PEMBELAJARAN": ("Guru kelas sering tidak hadir, murid dipulangkan lebih awal.",),
}
DEFAULT_TEXT = ("Petugas kurang ramah saat melayani di loket.",)


def add_pengaduan_demo(
    session: Session, rng: random.Random, year: int, *, per_service: int = 6, limit: int = 600
) -> int:
    """Services, holidays and up to ``limit`` complaints of ``year`` (until today at the latest)."""
    for month, day, name in HOLIDAYS:
        set_holiday(session, SYSTEM, date(year, month, day), name)
    seed_starter_services(session, SYSTEM)
    services = list(
        session.scalars(
            select(ComplaintService)
            .where(ComplaintService.deleted.is_(False))
            .order_by(ComplaintService.unit_id, ComplaintService.code)
        )
    )
    staff: dict[str, list[str]] = {}
    for eid, unit_id in session.execute(select(Employee.id, Employee.unit_id).where(Employee.active.is_(True))):
        if unit_id is not None:
            staff.setdefault(unit_id, []).append(eid)
    now = now_wib()
    end = min(datetime(year, 12, 31, 16, 0), now - timedelta(hours=2))
    start = datetime(year, 1, 2, 8, 0)
    if end <= start:
        return 0
    made = 0
    for svc in services:
        people = staff.get(svc.unit_id) or []
        for _i in range(rng.randint(1, per_service)):
            if made >= limit:
                return made
            received = start + timedelta(seconds=rng.randrange(int((end - start).total_seconds())))
            received = received.replace(hour=rng.randint(7, 15), second=0, microsecond=0)
            if received > end:
                received = end
            text = rng.choice(TEXTS.get(svc.code, DEFAULT_TEXT))
            channel = rng.choice(("loket", "loket", "telepon", "whatsapp", "lapor", "web", "surat"))
            row = create_complaint(
                session,
                SYSTEM,
                ComplaintInput(
                    channel=channel,
                    description=text,
                    service_id=svc.id,
                    received_at=received,
                    contact=f"08{rng.randint(11, 99)}{rng.randint(10_000_000, 99_999_999)}",
                    channel_ref=f"LAPOR-{year}{made:05d}" if channel == "lapor" else "",
                    assignee_id=rng.choice(people) if people else None,
                ),
                now=now,
            )
            _walk(session, rng, row, received, now)
            made += 1
    return made


def _walk(session: Session, rng: random.Random, row, received: datetime, now: datetime) -> None:
    """Move a demo complaint along: older ones further, a few late, a few refused or forwarded."""
    age_days = (now - received).days
    at = received
    roll = rng.random()
    plan = [rules.DIVERIFIKASI, rules.DITINDAKLANJUTI, rules.SELESAI]
    if roll < 0.06:
        plan = [rules.DITOLAK]
    elif roll < 0.11:
        plan = [rules.DIVERIFIKASI, rules.DIALIHKAN]
    steps = 3 if age_days > 30 else (2 if age_days > 10 else (1 if age_days > 3 else 0))
    slow = rng.random() < 0.15
    for target in plan[:steps]:
        at = at + timedelta(hours=rng.randint(3, 40) * (6 if slow else 1))
        if at >= now:
            return
        note = {
            rules.DITOLAK: "Bukan pengaduan pelayanan publik (permintaan informasi).",
            rules.DIALIHKAN: "Kewenangan instansi lain.",
            rules.DITINDAKLANJUTI: "Sudah dikoordinasikan dengan petugas layanan.",
        }.get(target, "")
        advance(
            session,
            SYSTEM,
            row.id,
            target,
            at=at,
            note=note,
            forwarded_to="Dinas terkait",
            resolution="Layanan sudah diselesaikan dan pelapor sudah dihubungi.",
        )
