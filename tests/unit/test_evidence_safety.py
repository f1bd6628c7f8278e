"""Attachments cannot be turned against their readers: names, contents, opening, and sync."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.documents import evidence
from kinerja_desktop.services.documents.evidence import EvidenceRefused
from kinerja_desktop.store.feedback import EvidenceFile
from kinerja_desktop.store.periods import Period
from kinerja_desktop.store.skp import Skp
from kinerja_desktop.store.sync_models import SyncConflict
from kinerja_desktop.sync import blobs
from kinerja_desktop.sync.sandbox import enroll_office, make_site, seed_org

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize(
    "name",
    [
        "laporan\u202efdp.exe",  # right-to-left override: shows as "laporanexe.pdf"
        "laporan\u202egnp.pdf",
        "foto\u200b.pdf",  # zero-width space
        "bukti\u2066x\u2069.pdf",  # bidi isolates
        "nota\x07.pdf",  # a control character
        "nota\n.pdf",
    ],
)
def test_names_with_control_or_bidi_characters_are_refused(tmp_path, name):
    path = write(tmp_path, name, PDF)
    with pytest.raises(EvidenceRefused, match="karakter tersembunyi") as caught:
        evidence.check_file(path)
    assert "U+" in caught.value.message and "\u202e" not in caught.value.message


def test_content_must_be_what_the_name_says(tmp_path):
    assert evidence.check_file(write(tmp_path, "laporan.pdf", PDF)) == "application/pdf"
    assert evidence.check_file(write(tmp_path, "laporan.docx", docx())).endswith("document")
    for name, data in (("laporan.pdf", EXE), ("foto.png", PDF), ("surat.docx", b"PK\x03\x04 not a zip")):
        with pytest.raises(EvidenceRefused, match="bukan"):
            evidence.check_file(write(tmp_path, name, data))
    with pytest.raises(EvidenceRefused, match="hanya PDF"):
        evidence.check_file(write(tmp_path, "bukti.exe", EXE))


def test_a_polyglot_name_is_kept_but_never_decides_how_the_file_opens(db, office, perf, tmp_path):
    """``laporan.hta (final).pdf`` is a PDF (its content says so) and opens as a PDF with a name of ours."""
    with db.transaction() as s:
        skp_id = perf.agreed_skp(s, SYSTEM, office.staf1)
        row = evidence.add_evidence(s, office.kabid_p, skp_id, write(tmp_path, "laporan.hta (final).pdf", PDF))
        row_id = row.id
    with db.session() as s:
        opened = evidence.open_evidence(s, office.kabid_p, row_id)
        again = evidence.open_evidence(s, office.kabid_p, row_id)
    assert opened.suffix == ".pdf" and opened.name.startswith("bukti-") and "hta" not in opened.name
    assert opened != again and opened.read_bytes() == PDF
    folder = opened.parent
    assert folder == evidence.private_temp_dir() and folder.parent == Path(tempfile.gettempdir())
    assert folder.name.startswith("kinerja-") and len(folder.name) > len("kinerja-") + 6  # not guessable
    if os.name == "posix":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and folder.stat().st_uid == os.getuid()


def test_a_stored_file_whose_bytes_changed_is_not_opened(db, office, perf, tmp_path):
    with db.transaction() as s:
        skp_id = perf.agreed_skp(s, SYSTEM, office.staf1)
        row = evidence.add_evidence(s, office.kabid_p, skp_id, write(tmp_path, "nota.pdf", PDF))
        row_id, sha = row.id, row.sha256
    blob = evidence.blob_path(sha)
    os.chmod(blob, 0o600)
    blob.write_bytes(EXE)  # someone swapped the stored bytes
    with db.session() as s, pytest.raises(EvidenceRefused, match="tidak dibuka"):
        evidence.open_evidence(s, office.kabid_p, row_id)


@pytest.fixture
def sites(tmp_path):
    central = make_site(tmp_path / "central", "1504-BKPSDM", "BKPSDM", central=True)
    office = make_site(tmp_path / "office", "1504-KEC-A", "Kecamatan A")
    org = seed_org(central.db, units=1, employees_per_unit=2)
    enroll_office(central, office)
    yield central, office, org
    central.close()
    office.close()


def _skp(site, employee_id, central) -> str:
    """An SKP written at ``site`` in a period that came from ``central`` (periods are district-wide)."""
    with central.db.transaction() as s:
        period = Period(
            year=2026,
            kind="akhir",
            number=0,
            start=date(2026, 1, 1),
            end=date(2026, 12, 31),
            deadline=date(2027, 1, 31),
        )
        s.add(period)
        s.flush()
        period_id = period.id
    site.import_bundle(central.export(site.site_id).data)
    with site.db.transaction() as s:
        skp = Skp(
            employee_id=employee_id, year=2026, period_id=period_id, start=date(2026, 1, 1), end=date(2026, 12, 31)
        )
        s.add(skp)
        s.flush()
        return skp.id


def _attach(site, skp_id, name: str, data: bytes, media: str) -> str:
    """What a modified program at the other end could write: no checks at all."""
    sha = hashlib.sha256(data).hexdigest()
    blobs.store_blob(sha, data, site.blobs_dir)
    with site.db.transaction() as s:
        row = EvidenceFile(
            skp_id=skp_id,
            file_name=name,
            media_type=media,
            size=len(data),
            sha256=sha,
            added_at=datetime(2026, 5, 1),
            added_by="kantor",
        )
        s.add(row)
        s.flush()
        return row.id


def test_an_executable_arriving_by_sync_is_refused_with_a_reason_and_never_stored(sites):
    central, office, org = sites
    skp_id = _skp(office, org["employees"][0], central)
    good = _attach(office, skp_id, "laporan.pdf", PDF, "application/pdf")
    exe = _attach(office, skp_id, "bukti.exe", EXE, "application/pdf")
    disguised = _attach(office, skp_id, "laporan.pdf", EXE + b"unik", "application/pdf")
    bidi = _attach(office, skp_id, "foto\u202egnp.pdf", PDF + b"lain", "application/pdf")
    result = central.import_bundle(office.export(central.site_id).data)
    assert result is not None
    with central.db.session() as s:
        arrived = set(s.scalars(select(EvidenceFile.id)))
        refused = {c.row_id: c for c in s.scalars(select(SyncConflict))}
    assert arrived == {good}  # the valid part of the bundle is kept
    assert set(refused) == {exe, disguised, bidi}
    assert all(c.reason == "file_refused" and c.winner == "local" for c in refused.values())
    assert "hanya PDF" in refused[exe].incoming_image["refused"]
    assert "bukan PDF" in refused[disguised].incoming_image["refused"]
    assert "karakter tersembunyi" in refused[bidi].incoming_image["refused"]
    assert blobs.read_blob(hashlib.sha256(PDF).hexdigest(), central.blobs_dir) == PDF
    for data in (EXE, EXE + b"unik", PDF + b"lain"):
        assert blobs.read_blob(hashlib.sha256(data).hexdigest(), central.blobs_dir) is None
