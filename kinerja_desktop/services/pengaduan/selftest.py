"""The complaint step of ``kinerja selftest``: a temporary office records a complaint, follows it
up to *selesai*, prints its tanda terima, counts it, and imports a small SP4N-LAPOR! file."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader

from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.pengaduan import cases as reg
from kinerja_desktop.services.pengaduan.catalog import save_service
from kinerja_desktop.services.pengaduan.docs import receipt_pdf
from kinerja_desktop.services.pengaduan.figures import figures
from kinerja_desktop.services.pengaduan.importer import import_complaints
from kinerja_desktop.services.progress import run
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Unit


def run_pengaduan_selftest(workdir: str | Path) -> str:
    root = Path(workdir) / "pengaduan-selftest"
    root.mkdir(parents=True, exist_ok=True)
    db = open_database(root / "kinerja.sqlite3")
    try:
        with db.transaction() as s:
            unit = Unit(code="UJI-KEC", name="Kecamatan Uji", kind="kecamatan")
            s.add(unit)
            s.flush()
            asn = Employee(nip="198001012005031001", name="Pegawai Uji", gender="L", unit_id=unit.id, active=True)
            s.add(asn)
            s.flush()
            service = save_service(s, SYSTEM, unit_id=unit.id, code="KTP-EL", name="KTP-el")
            received = reg.now_wib() - timedelta(hours=3)
            row = reg.create_complaint(
                s,
                SYSTEM,
                reg.ComplaintInput(
                    channel="loket",
                    description="<b>Uji</b> KTP-el belum jadi",
                    service_id=service.id,
                    received_at=received,
                    contact="081234567890",
                    assignee_id=asn.id,
                ),
            )
            for target in ("diverifikasi", "ditindaklanjuti", "selesai"):
                reg.advance(s, SYSTEM, row.id, target, resolution="Sudah selesai")
            pdf = receipt_pdf(s, SYSTEM, row.id)
            text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
            if row.number not in text or "<b>Uji</b>" not in text:
                raise AssertionError("the tanda terima does not carry the ticket or the text as typed")
            today = reg.today_wib()
            f = figures(s, SYSTEM, today - timedelta(days=1), today, employee_id=asn.id)
            if (f.handled, f.on_time) != (1, 1):
                raise AssertionError(f"the figures count {f.handled} handled, {f.on_time} on time (expected 1, 1)")
            number = row.number
        lapor = root / "lapor.csv"
        lapor.write_text(
            "Tracking ID;Tanggal Laporan;Isi Laporan;Kategori\n"
            "UJI-1;02/03/2026 09:00;Antrean lama;KTP-el\nUJI-1;02/03/2026 09:00;Dobel;KTP-el\n",
            encoding="utf-8",
        )
        with db.transaction() as s:
            report = run(import_complaints(s, SYSTEM, lapor))
        if report.created != 1 or report.rejected_rows != 1:
            raise AssertionError(f"the import made {report.created} and refused {report.rejected_rows} (expected 1, 1)")
    finally:
        db.close()
    return f"{number}: diterima → selesai, tanda terima, rekap, impor"
