"""The evidence step of ``kinerja selftest``: attachments cannot be turned against their readers.

In the step's own data folder: a name with a right-to-left override is refused, an
executable named ``.pdf`` is refused, a received ``.exe`` is refused by the sync check,
and a stored PDF opens as a copy with a generated name in the private folder.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from kinerja_desktop.services.documents import evidence, received_files

PDF = b"%PDF-1.7\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 60


def run_evidence_selftest(tmpdir: str | os.PathLike) -> str:

    folder = Path(tmpdir)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in (("laporan\u202efdp.exe", PDF), ("laporan.pdf", EXE)):
        path = folder / name
        path.write_bytes(data)
        try:
            evidence.check_file(path)
        except evidence.EvidenceRefused:
            continue
        raise RuntimeError(f"an unsafe attachment was accepted: {name!r}")
    good = folder / "laporan.hta (final).pdf"
    good.write_bytes(PDF)
    evidence.check_file(good)
    sha, _size = evidence.store_blob(good)
    copy = evidence.safe_copy(evidence.blob_path(sha), "application/pdf")
    if copy.suffix != ".pdf" or not copy.name.startswith("bukti-") or copy.parent != evidence.private_temp_dir():
        raise RuntimeError("an attachment did not open as a private copy under a generated name")

    class _Info:
        name, blob_columns = "evidence_files", ["sha256"]

    exe_sha = hashlib.sha256(EXE).hexdigest()
    change = {
        "table": "evidence_files",
        "id": "x",
        "deleted": False,
        "row": {"sha256": exe_sha, "file_name": "bukti.exe", "media_type": "application/pdf"},
    }
    kept, blobs, refused = received_files.screen([_Info()], [change], {exe_sha: EXE}, folder / "blobs")
    if kept or blobs or not refused:
        raise RuntimeError("an executable arriving by sync was not refused")
    return "nama dan isi berkas diperiksa; lampiran dibuka sebagai salinan pribadi; kiriman .exe ditolak"
