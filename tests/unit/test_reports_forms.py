"""The printed forms: content, page numbers, repeated headers, wrapping, fonts, verification code."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kinerja_desktop.reports.qr import VerificationCode
from kinerja_desktop.reports.render import check_output_path, render_view, write_pdf
from kinerja_desktop.reports.samples import (
    sample_detailed_form,
    sample_jp_recap,
    sample_pppk,
    sample_recap,
    sample_short_form,
    sample_skp,
)
from kinerja_desktop.reports.views import content_sha256

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")


def save(tmp_path: Path, data: bytes, name: str = "doc.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def pages_text(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def test_short_form_shows_every_identity_period_and_predikat(tmp_path):
    view = sample_short_form(0, predikat="Butuh Perbaikan")
    rendered = render_view(view)
    (page,) = pages_text(save(tmp_path, rendered.pdf))
    for text in (
        "DOKUMEN EVALUASI KINERJA PEGAWAI",
        "PERIODE: TRIWULAN I",
        "PEGAWAI YANG DINILAI",
        "PEJABAT PENILAI KINERJA",
        "ATASAN PEJABAT PENILAI KINERJA",
        view.pegawai.name,
        view.pegawai.nip,
        view.pejabat.name,
        view.pejabat.nip,
        view.atasan.name,
        "Penata Muda Tingkat I, III/b",
        "BUTUH PERBAIKAN",
        "CAPAIAN KINERJA ORGANISASI",
        "1 JANUARI 2026 S.D. 31 MARET 2026",
        "Muara Bulian, 8 April 2026",
        "PEMERINTAH KABUPATEN BATANGHARI",
        "Halaman 1 dari 1",
    ):
        assert text in page, text
    assert rendered.page_count == 1
    assert set(rendered.boxes) == {"pegawai", "pejabat"}


def test_pppk_prints_the_ni_pppk_and_the_golongan_pppk(tmp_path):
    view = sample_short_form(0, pegawai=sample_pppk())
    (page,) = pages_text(save(tmp_path, render_view(view).pdf))
    row = next(line for line in page.splitlines() if "NI PPPK" in line and "NI PPPK." not in line)
    assert row.split("NI PPPK", 1)[1].strip() == "19920314 2023 21 2 005"
    assert re.search(r"GOLONGAN\s+VII", page)
    assert "NI PPPK. 19920314 2023 21 2 005" in page  # under the employee's signature block


def test_detailed_form_repeats_table_headers_and_numbers_pages(tmp_path):
    view = sample_detailed_form(0, rhk_repeat=6)
    rendered = render_view(view)
    pages = pages_text(save(tmp_path, rendered.pdf))
    assert rendered.page_count == len(pages) >= 4
    for i, page in enumerate(pages, start=1):
        assert f"Halaman {i} dari {len(pages)}" in page
    hasil_pages = [p for p in pages if "Kuantitas" in p]
    assert len(hasil_pages) >= 2
    assert all("INDIKATOR KINERJA" in p for p in hasil_pages)  # the header on every page of the table
    perilaku_pages = [p for p in pages if "Berorientasi Pelayanan" in p or "Kolaboratif" in p]
    assert all("EKSPEKTASI KHUSUS PIMPINAN" in p for p in perilaku_pages)
    assert "A. UTAMA" in "".join(pages) and "B. TAMBAHAN" in "".join(pages)


def test_long_text_wraps_and_is_never_cut_off(tmp_path):
    view = sample_detailed_form(0)
    group = view.rhk_groups[0]
    rows = list(group.rows)
    long_text = " ".join(f"kata{i:04d}" for i in range(1500)) + " AKHIRUMPANBALIK"
    rows[0] = dataclasses.replace(rows[0], umpan_balik=long_text)
    view = dataclasses.replace(view, rhk_groups=(dataclasses.replace(group, rows=tuple(rows)),) + view.rhk_groups[1:])
    text = "".join(pages_text(save(tmp_path, render_view(view).pdf)))
    words = set(re.findall(r"kata\d{4}", text))
    assert len(words) == 1500 and "AKHIRUMPANBALIK" in text
    short = sample_short_form(0, catatan="catatan " * 3000 + "AKHIRCATATAN")
    rendered = render_view(short)
    text = "".join(pages_text(save(tmp_path, rendered.pdf, "s.pdf")))
    assert text.count("catatan") >= 3000 and "AKHIRCATATAN" in text
    assert rendered.boxes["pejabat"][0] == rendered.page_count - 1  # signatures after the text


def test_skp_recap_and_jp_recap_content(tmp_path):
    skp = "".join(pages_text(save(tmp_path, render_view(sample_skp()).pdf, "skp.pdf")))
    for text in (
        "SASARAN KINERJA PEGAWAI",
        "LAMPIRAN SASARAN KINERJA PEGAWAI",
        "DUKUNGAN SUMBER DAYA",
        "SKEMA PERTANGGUNGJAWABAN",
        "KONSEKUENSI",
        "Akses aplikasi SKDR",
        "PIMPINAN YANG",
    ):
        assert text in skp, text
    recap = "".join(pages_text(save(tmp_path, render_view(sample_recap(30)).pdf, "r.pdf")))
    for text in (
        "REKAPITULASI PREDIKAT KINERJA PEGAWAI",
        "Paling banyak 70% Baik",
        "70,0%",
        "Kurang/",
        "belum dinilai",
        "Belum dinilai",
    ):
        assert text in recap, text
    jp = "".join(pages_text(save(tmp_path, render_view(sample_jp_recap()).pdf, "jp.pdf")))
    for text in ("REKAPITULASI JAM PELAJARAN", "Belum (kurang 14", "tidak berlaku", "(PPPK)", "MEMENUHI 20 JP"):
        assert text in jp, text


def test_the_font_is_embedded(tmp_path):
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts not installed")
    path = save(tmp_path, render_view(sample_short_form(0)).pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line for line in out.splitlines()[2:] if line.strip()]
    assert rows and all("DejaVuSans" in line for line in rows)
    assert all(re.search(r"\byes\s+yes\b", line) for line in rows)  # embedded, subset


def test_the_verification_code_carries_id_content_hash_and_signer(tmp_path):
    view = sample_short_form(3)
    rendered = render_view(view)
    assert rendered.verification == VerificationCode(view.document_id, content_sha256(view), "")
    assert rendered.verification.payload().encode() in rendered.pdf  # also in the PDF keywords
    changed = dataclasses.replace(view, predikat="Sangat Baik")
    assert content_sha256(changed) != content_sha256(view)
    if shutil.which("zbarimg") and shutil.which("pdftoppm"):
        path = save(tmp_path, rendered.pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "200", str(path), str(tmp_path / "p")], check=True)
        out = subprocess.run(
            ["zbarimg", "-q", "--raw", str(tmp_path / "p-1.png")], capture_output=True, text=True
        ).stdout
        assert out.strip() == rendered.verification.payload()


def test_an_unwritable_output_path_is_refused_before_any_work(tmp_path):
    from kinerja_desktop.errors import UserError

    with pytest.raises(UserError, match="tidak ada"):
        check_output_path(tmp_path / "no-such-folder" / "x.pdf")
    with pytest.raises(UserError, match="folder"):
        check_output_path(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        import os

        if os.access(locked, os.W_OK):  # running as root: permissions do not stop us
            pytest.skip("permission bits are not enforced for this user")
        with pytest.raises(UserError, match="izin menulis"):
            write_pdf(locked / "x.pdf", b"%PDF-1.4")
        assert not list(locked.iterdir())
    finally:
        locked.chmod(0o700)


def test_the_letterhead_logo_from_the_settings_is_printed_and_a_missing_one_falls_back(tmp_path):
    from PIL import Image

    from kinerja_desktop.reports.samples import LETTERHEAD

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 150), (10, 120, 40)).save(logo)
    with_logo = render_view(sample_short_form(0, letterhead=dataclasses.replace(LETTERHEAD, logo_path=str(logo))))
    assert b"/Subtype /Image" in with_logo.pdf
    missing = render_view(
        sample_short_form(0, letterhead=dataclasses.replace(LETTERHEAD, logo_path=str(tmp_path / "hilang.png")))
    )
    assert b"/Subtype /Image" not in missing.pdf  # the drawn placeholder instead, and no error
    (page,) = pages_text(save(tmp_path, missing.pdf))
    assert "Logo Pemkab" in page and "belum diatur" in page and "PEMERINTAH KABUPATEN BATANGHARI" in page
    (page,) = pages_text(save(tmp_path, with_logo.pdf, "with.pdf"))
    assert "Logo Pemkab" not in page
