"""Penetapan Angka Kredit (konversi predikat kinerja) of a jabatan fungsional, A4 portrait.

Lists the AK awal (the last PAK), each period's predikat, its persentase, the jenjang's
koefisien, the months and the AK, the total, and what the next kenaikan pangkat and
jenjang need; cites every number's source. Set by the pejabat penilai kinerja
(Peraturan BKN 3/2023).
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from kinerja_desktop.domain.dates import format_date_id
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.document import (
    MARGIN_LEFT,
    MARGIN_RIGHT,
    RenderedDocument,
    SignatureMark,
    build_with_row_split_fallback,
    keep_with_signature,
    single_signature_block,
)
from kinerja_desktop.reports.fonts import FONT_BOLD
from kinerja_desktop.reports.letterhead import letterhead_flowables
from kinerja_desktop.reports.short_form import LABEL_WIDTH, heading_row_style
from kinerja_desktop.reports.styles import GROUP_BG, cell, para, row_split, table_style_grid
from kinerja_desktop.reports.views import ROLE_PEJABAT, PakView

TITLE = "PENETAPAN ANGKA KREDIT"


def render_pak(view: PakView, mark: SignatureMark | None = None) -> RenderedDocument:
    return build_with_row_split_fallback(
        lambda registry, split: _story(view, registry, split), view=view, title=_(TITLE), mark=mark
    )


def _identity(view: PakView, width: float) -> Table:
    p = view.pegawai
    value_width = width - 8 * mm - LABEL_WIDTH
    rows = [
        ["I", _("KETERANGAN PERORANGAN"), ""],
        ["", _("NAMA"), cell(p.name, value_width)],
        ["", _(p.nip_label), cell(p.nip_text, value_width)],
        ["", _(p.golongan_label), cell(p.pangkat_gol, value_width)],
        ["", _("JABATAN FUNGSIONAL"), cell(p.jabatan, value_width)],
        ["", _("JENJANG"), cell(view.jenjang, value_width)],
        ["", _("UNIT KERJA"), cell(p.unit, value_width)],
    ]
    table = Table(rows, colWidths=[8 * mm, LABEL_WIDTH, value_width])
    table.setStyle(table_style_grid(header_rows=0) + heading_row_style(0) + [("SPAN", (0, 1), (0, len(rows) - 1))])
    return table


# long: lays out the table row by row as the regulation's form has it
def _konversi(view: PakView, width: float, split_rows: bool) -> Table:
    fixed = [8, 32, 36, 24, 23, 27]
    widths = [w * mm for w in fixed] + [width - sum(fixed) * mm]
    heads = (
        _("NO"),
        _("PERIODE"),
        _("MASA (BULAN)"),
        _("PREDIKAT"),
        _("PERSENTASE"),
        _("KOEFISIEN PER TAHUN"),
        _("ANGKA KREDIT"),
    )
    rows = [[para(h, "cell_head") for h in heads]]
    rows.append(
        [
            para("-", "cell_center"),
            para(_("AK awal")),
            para(view.ak_awal_source or _("belum ada PAK tercatat")),
            "",
            "",
            "",
            para(view.ak_awal, "cell_right"),
        ]
    )
    style = table_style_grid() + [("SPAN", (2, 1), (5, 1))]
    for r in view.rows:
        rows.append(
            [
                para(str(r.no), "cell_center"),
                para(r.period),
                para(r.months),
                para(r.predikat, "cell_center"),
                para(r.persentase, "cell_center"),
                para(f"{r.koefisien} ({r.jenjang})", "cell_center"),
                para(r.ak, "cell_right"),
            ]
        )
    if not view.rows:
        rows.append(
            [
                para("-", "cell_center"),
                para(_("Belum ada predikat final yang dapat dikonversi")),
                "",
                "",
                "",
                "",
                para("0,00", "cell_right"),
            ]
        )
        style.append(("SPAN", (1, len(rows) - 1), (5, len(rows) - 1)))
    n = len(rows)
    rows.append(
        [
            para(_("JUMLAH ANGKA KREDIT KONVERSI"), "cell_bold"),
            "",
            "",
            "",
            "",
            "",
            para(view.total_konversi, "cell_right"),
        ]
    )
    rows.append(
        [
            para(_("JUMLAH ANGKA KREDIT KUMULATIF (AK AWAL + KONVERSI)"), "cell_bold"),
            "",
            "",
            "",
            "",
            "",
            para(view.total, "cell_right"),
        ]
    )
    style += [
        ("SPAN", (0, n), (5, n)),
        ("SPAN", (0, n + 1), (5, n + 1)),
        ("BACKGROUND", (0, n), (-1, n + 1), GROUP_BG),
        ("FONTNAME", (6, n + 1), (6, n + 1), FONT_BOLD),
    ]
    table = Table(rows, colWidths=widths, repeatRows=1, **row_split(split_rows))
    table.setStyle(style)
    return table


def _story(view: PakView, registry: dict, split_rows: bool) -> list:
    width = A4[0] - MARGIN_LEFT - MARGIN_RIGHT
    story: list = list(letterhead_flowables(view.letterhead, width))
    story += [
        Spacer(1, 4 * mm),
        para(_(TITLE), "title"),
        para(
            _("KONVERSI PREDIKAT KINERJA KE ANGKA KREDIT · PER {day}").format(day=format_date_id(view.date).upper()),
            "subtitle",
        ),
        Spacer(1, 4 * mm),
        _identity(view, width),
        Spacer(1, 4 * mm),
        para(_("II. KONVERSI PREDIKAT KINERJA"), "section"),
        _konversi(view, width, split_rows),
        Spacer(1, 3 * mm),
        para(_("III. KEBUTUHAN ANGKA KREDIT"), "section"),
        para(_("Kenaikan pangkat berikutnya: {text}").format(text=view.next_pangkat), "base"),
        para(_("Kenaikan jenjang berikutnya: {text}").format(text=view.next_jenjang), "base"),
        Spacer(1, 2 * mm),
    ]
    for note in view.notes:
        story.append(para(f"- {note}", "small"))
    ending = [Spacer(1, 2 * mm), para(_("Dasar penghitungan:"), "small")]
    ending += [para(f"- {source}", "small") for source in view.sources]
    signature = single_signature_block(
        registry,
        role=ROLE_PEJABAT,
        heading=_("PEJABAT PENILAI KINERJA"),
        person=view.pejabat,
        place_date=_("Ditetapkan di {place}, {day}").format(place=view.place, day=format_date_id(view.date)),
        width=width,
    )
    story += keep_with_signature(ending, [Spacer(1, 5 * mm), signature])
    return story
