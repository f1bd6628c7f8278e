"""Every form kind as published, for PNS, PPPK, JPT and a kualitatif SKP: the lampiran's columns,
every font embedded (pdffonts), no page holding only a signature block, table headers once per
page, drafts watermarked without signature blocks. Checked with poppler on the real PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from kinerja_desktop.reports import samples as S  # noqa: N812 (short: used on every line)
from kinerja_desktop.reports.render import render_view
from kinerja_desktop.reports.views import PakRow, RhkGroup, RhkRow

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None, reason="poppler-utils not installed"
)

FOOTER = 80  # points at the bottom of every page holding the QR code and the page number


def _page_size(path: Path, page: int) -> tuple[float, float]:
    info = subprocess.run(
        ["pdfinfo", "-f", str(page), "-l", str(page), str(path)], capture_output=True, text=True, check=True
    ).stdout
    w, h = re.search(rf"Page\s+{page} size:\s+([\d.]+) x ([\d.]+)", info).groups()
    return float(w), float(h)


def text_of(path: Path, page: int, top: float = 0, height: float | None = None) -> str:
    w, h = _page_size(path, page)
    height = (h - FOOTER - top) if height is None else height
    args = [
        "pdftotext",
        "-r",
        "72",
        "-f",
        str(page),
        "-l",
        str(page),
        "-x",
        "0",
        "-y",
        str(int(top)),
        "-W",
        str(int(w)),
        "-H",
        str(max(1, int(height))),
        str(path),
        "-",
    ]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def fonts_embedded(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line for line in out.splitlines()[2:] if line.strip()]
    assert rows, "no fonts listed"
    return [line for line in rows if not re.search(r"\byes\s+yes\b", line)]


def check_layout(tmp_path: Path, view, header_marker: str | None = None) -> tuple[Path, object]:
    rendered = render_view(view)
    path = tmp_path / f"{view.form_code}.pdf"
    path.write_bytes(rendered.pdf)
    assert fonts_embedded(path) == [], "a font is not embedded"
    for role, (page_index, (_x1, _y1, _x2, y2)) in rendered.boxes.items():
        _w, h = _page_size(path, page_index + 1)
        above = h - y2 - 40  # the place/date line and the heading of the block sit just above its space
        content = text_of(path, page_index + 1, 0, above) if above > 1 else ""
        assert content.strip(), f"the {role} signature block stands alone on page {page_index + 1}"
    if header_marker:
        for page in range(1, rendered.page_count + 1):
            assert text_of(path, page).count(header_marker) <= 1, f"header twice on page {page}"
    return path, rendered


# --- each kind for PNS, PPPK, JPT, kualitatif -------------------------------------------------------


def test_jpt_forms_have_the_official_columns_in_order(tmp_path):
    path, rendered = check_layout(tmp_path, S.sample_jpt_form(), "REALISASI")
    page = text_of(path, 2)
    header = " ".join(page.split())
    order = [
        "NO",
        "RENCANA HASIL KERJA",
        "INDIKATOR KINERJA INDIVIDU",
        "TARGET",
        "PERSPEKTIF",
        "REALISASI",
        "UMPAN BALIK",
    ]
    positions = [header.find(word) for word in order]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), positions
    assert "ASPEK" not in page and "PIMPINAN YANG DIINTERVENSI" not in page
    first = text_of(path, 1)
    assert "Ir. Azan, M.Si." in first and "H. Muhammad Fadhil Arief" in first  # the Sekda evaluates, the Bupati atasan
    atasan = first.split("ATASAN PEJABAT PENILAI KINERJA", 1)[1]
    assert re.search(r"NIP\s*\n\s*-", atasan) or "NIP -" in " ".join(atasan.split())  # the Bupati has no NIP
    skp = replace(S.sample_skp(), is_jpt=True)
    path, _r = check_layout(tmp_path, skp, "PERSPEKTIF")
    text = " ".join(text_of(path, 1).split())
    assert text.find("TARGET") < text.find("PERSPEKTIF") and "ASPEK" not in text


def test_a_kualitatif_skp_prints_indicator_and_target_in_one_column(tmp_path):
    path, _r = check_layout(tmp_path, S.sample_kualitatif_form(), "REALISASI")
    page = " ".join(text_of(path, 2).split())
    assert "PENDEKATAN HASIL KERJA: KUALITATIF" in page
    assert "UKURAN KEBERHASILAN/ INDIKATOR KINERJA INDIVIDU, DAN TARGET" in page
    assert "ASPEK" not in page and "Target: Seluruh usulan diterima tanpa perbaikan" in page
    skp = replace(S.sample_skp(), kualitatif=True)
    path, _r = check_layout(tmp_path, skp)
    page = " ".join(text_of(path, 1).split())
    assert "UKURAN KEBERHASILAN" in page and "ASPEK" not in page and "KUALITATIF" in page


@pytest.mark.parametrize("who", ["pns", "pppk"])
def test_every_form_for_pns_and_pppk(tmp_path, who):
    pegawai = S.sample_pegawai(0) if who == "pns" else S.sample_pppk()
    views = [
        S.sample_short_form(0, pegawai=pegawai),
        replace(S.sample_detailed_form(), pegawai=pegawai),
        replace(S.sample_skp(), pegawai=pegawai),
    ]
    for view in views:
        path, rendered = check_layout(tmp_path, view)
        text = "".join(text_of(path, p) for p in range(1, rendered.page_count + 1))
        assert pegawai.nip in text
        if who == "pppk":
            assert "NI PPPK" in text and "GOLONGAN" in text and "VII" in text


def test_recaps_penetapan_and_pak(tmp_path):
    check_layout(tmp_path, S.sample_recap(30), "JABATAN")
    check_layout(tmp_path, S.sample_jp_recap(40), "NONKLASIKAL")
    path, rendered = check_layout(tmp_path, S.sample_penetapan(30), "JABATAN")
    text = "".join(text_of(path, p) for p in range(1, rendered.page_count + 1))
    for expected in (
        "PENETAPAN CAPAIAN KINERJA ORGANISASI DAN DISTRIBUSI PREDIKAT",
        "Keputusan Bupati Nomor",
        "Unit pengawasan (Inspektorat): Baik",
        "BUPATI BATANGHARI",
        "KURVA ACUAN",
        "kepala organisasi tidak dihitung",
    ):
        assert expected in " ".join(text.split()), expected
    path, _r = check_layout(tmp_path, S.sample_pak(), "KOEFISIEN")
    text = " ".join(text_of(path, 1).split())
    for expected in (
        "PENETAPAN ANGKA KREDIT",
        "AK awal",
        "25,00",
        "Akhir 2025",
        "12,50",
        "Triwulan I 2026",
        "4,69",
        "42,19",
        "Kenaikan jenjang berikutnya",
        "PermenPANRB 1/2023",
    ):
        assert expected in text, expected


# --- drafts ---------------------------------------------------------------------------------------


def test_drafts_carry_a_watermark_and_no_signature_blocks(tmp_path):
    for view in (
        S.sample_short_form(0, draft=True),
        replace(S.sample_detailed_form(), draft=True),
        replace(S.sample_skp(), agreed=False),
    ):
        rendered = render_view(view)
        assert rendered.boxes == {}
        path = tmp_path / "draft.pdf"
        path.write_bytes(rendered.pdf)
        text = "".join(text_of(path, p, 0, 842) for p in range(1, rendered.page_count + 1))
        assert "DRAF" in text and "tidak dapat ditandatangani" in text
        assert f"{view.place}, " not in text  # no place and date line: no signature blocks at all


# --- the signature never alone, headers once per page: sweeps across page breaks ----------------


def _words(n: int) -> str:
    return " ".join(f"kata{i}" for i in range(n))


@pytest.mark.parametrize("words", range(0, 1500, 75))
def test_short_form_signatures_are_never_alone(tmp_path, words):
    check_layout(tmp_path, S.sample_short_form(0, catatan=_words(words)))


@pytest.mark.parametrize("repeat", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("words", [0, 150, 400])
def test_detailed_form_signatures_are_never_alone(tmp_path, repeat, words):
    view = replace(S.sample_detailed_form(rhk_repeat=repeat), catatan=_words(words))
    check_layout(tmp_path, view, "REALISASI")


@pytest.mark.parametrize("lines", range(0, 40, 4))
def test_skp_signatures_are_never_alone(tmp_path, lines):
    view = replace(
        S.sample_skp(), konsekuensi=tuple(f"Konsekuensi nomor {i} bila target tidak tercapai" for i in range(lines))
    )
    check_layout(tmp_path, view, "ASPEK")


@pytest.mark.parametrize("n", range(8, 64, 4))
def test_recap_and_penetapan_signatures_are_never_alone(tmp_path, n):
    check_layout(tmp_path, S.sample_recap(n), "JABATAN")
    check_layout(tmp_path, S.sample_penetapan(n), "JABATAN")


@pytest.mark.parametrize("n", range(1, 40, 3))
def test_pak_signatures_are_never_alone(tmp_path, n):
    rows = tuple(
        PakRow(i, f"Triwulan {i}", "3 bulan", "Baik", "100%", "Ahli Pertama", "12,50", "3,13") for i in range(1, n + 1)
    )
    check_layout(tmp_path, replace(S.sample_pak(), rows=rows), "KOEFISIEN")


def test_a_tall_first_row_splits_without_a_second_header_on_the_page(tmp_path):
    base = S.sample_detailed_form()
    group = base.rhk_groups[0]
    rows = (replace(group.rows[0], umpan_balik="Umpan balik yang sangat panjang. " * 500),) + group.rows[1:]
    view = replace(base, rhk_groups=(RhkGroup(group.title, rows), base.rhk_groups[1]))
    path, rendered = check_layout(tmp_path, view, "REALISASI")
    assert rendered.page_count > 5
    header_pages = [p for p in range(1, rendered.page_count + 1) if "REALISASI" in text_of(path, p)]
    assert len(header_pages) >= 5  # repeated on every page of the table, once each


def test_a_single_huge_row_still_gets_its_signatures_after_it(tmp_path):
    row = RhkRow("1", "-", "RHK", "Kuantitas", "IKI", "1", "x", "Umpan balik. " * 900)
    view = replace(S.sample_detailed_form(), rhk_groups=(RhkGroup("A. UTAMA", (row,)), RhkGroup("B. TAMBAHAN", ())))
    _path, rendered = check_layout(tmp_path, view, "REALISASI")
    assert rendered.boxes["pejabat"][0] == rendered.page_count - 1


@pytest.mark.parametrize("words", [900, 1400, 2000, 2600])
def test_a_catatan_longer_than_a_page_keeps_its_last_lines_with_the_signatures(tmp_path, words):
    check_layout(tmp_path, replace(S.sample_detailed_form(), catatan=_words(words)), "REALISASI")
    check_layout(tmp_path, S.sample_short_form(0, catatan=_words(words * 2)))
