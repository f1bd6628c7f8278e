"""Evaluasi Kinerja Pegawai: the detailed form.

Page 1 (portrait): letterhead, identities, capaian organisasi and the distribution
curve. Then landscape pages: the HASIL KERJA table (headers repeated on every page),
rating hasil kerja, the PERILAKU KERJA table, rating perilaku, predikat, signatures.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, NextPageTemplate, PageBreak, Spacer, Table

from kinerja_desktop.domain.dates import format_date_id
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.chart import distribution_chart
from kinerja_desktop.reports.document import (
    LANDSCAPE,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    RenderedDocument,
    SignatureMark,
    build_with_row_split_fallback,
    signature_blocks,
)
from kinerja_desktop.reports.fonts import FONT
from kinerja_desktop.reports.letterhead import letterhead_flowables
from kinerja_desktop.reports.short_form import LABEL_WIDTH, heading_flowables, identity_groups, period_range_text
from kinerja_desktop.reports.styles import GROUP_BG, markup, para, table_style_grid, text
from kinerja_desktop.reports.views import ROLE_PEGAWAI, ROLE_PEJABAT, DetailedFormView, DistributionView, PerilakuRow

TITLE = "EVALUASI KINERJA PEGAWAI"


def identities_table(view, width: float) -> Table:
    value_width = width - 8 * mm - LABEL_WIDTH
    rows, style = identity_groups(view, value_width)
    table = Table(rows, colWidths=[8 * mm, LABEL_WIDTH, value_width])
    table.setStyle(style)
    return table


def distribution_flowables(dist: DistributionView | None, width: float) -> list:
    """The curve of the unit: bar chart and the rules of the pola distribusi."""
    if dist is None:
        return [para(_("Pola distribusi belum tersedia (capaian kinerja organisasi belum ditetapkan)."))]
    chart = distribution_chart(dist, width * 0.52, 62 * mm, _("Distribusi predikat kinerja pegawai unit"))
    rule_rows = [[para(_("Ketentuan pola distribusi"), "cell_head"), para(_("Saat ini"), "cell_head"),
                  para(_("Sesuai"), "cell_head")]]
    for rule_text, holds, actual in dist.rules:
        verdict = text(_("Ya")) if holds else f'<font color="#b3261e"><b>{text(_("Tidak"))}</b></font>'
        rule_rows.append([para(rule_text), para(actual, "cell_center"), markup(verdict, "cell_center")])
    right_width = width * 0.46
    rules = Table(rule_rows, colWidths=[right_width - 36 * mm, 20 * mm, 16 * mm], repeatRows=1)
    rules.setStyle(table_style_grid())
    side = Table([[chart, [rules, Spacer(1, 2 * mm), para(dist.summary, "small")]]],
                 colWidths=[width * 0.54, width * 0.46])
    side.setStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    return [side]


def rating_box(label: str, value: str, width: float) -> Table:
    t = Table([[para(label, "cell_bold"), markup(f"<b>{text(value.upper() if value else '-')}</b>")]],
              colWidths=[70 * mm, width - 70 * mm])
    t.setStyle(table_style_grid(header_rows=0) + [("BACKGROUND", (0, 0), (0, 0), GROUP_BG)])
    return t


def hasil_kerja_table(view: DetailedFormView, width: float, split_rows: bool = False) -> Table:
    first_col = _("PERSPEKTIF") if view.is_jpt else _("RHK PIMPINAN YANG DIINTERVENSI")
    widths_mm = [8, 40, 45, 18, 45, 22, 40]
    fixed = sum(widths_mm) * mm
    col_widths = [w * mm for w in widths_mm] + [width - fixed]
    header = [
        para(_("NO"), "cell_head"), para(first_col, "cell_head"), para(_("RENCANA HASIL KERJA"), "cell_head"),
        para(_("ASPEK"), "cell_head"), para(_("INDIKATOR KINERJA INDIVIDU"), "cell_head"),
        para(_("TARGET"), "cell_head"), para(_("REALISASI BERDASARKAN BUKTI DUKUNG"), "cell_head"),
        para(_("UMPAN BALIK BERKELANJUTAN BERDASARKAN BUKTI DUKUNG"), "cell_head"),
    ]
    numbers = [para(str(i), "cell_center") for i in range(1, 9)]
    rows = [header, numbers]
    style = table_style_grid(header_rows=2)
    for group in view.rhk_groups:
        start = len(rows)
        rows.append([para(group.title, "cell_bold")] + [""] * 7)
        style += [("SPAN", (0, start), (-1, start)), ("BACKGROUND", (0, start), (-1, start), GROUP_BG)]
        if not group.rows:
            rows.append([para("-", "cell_center"), para(_("Tidak ada")), "", "", "", "", "", ""])
        previous = None
        for row in group.rows:
            same_rhk = previous is not None and (row.no, row.rhk) == (previous.no, previous.rhk)
            rows.append([
                para("" if same_rhk else row.no, "cell_center"),
                para("" if same_rhk else row.rhk_pimpinan),
                para("" if same_rhk else row.rhk),
                para(row.aspek),
                para(row.iki),
                para(row.target, "cell_center"),
                para(row.realisasi),
                para(row.umpan_balik),
            ])
            if same_rhk:
                r = len(rows) - 1
                # Continuation of the same RHK: no line between its IKI rows in the RHK columns.
                style.append(("LINEABOVE", (0, r), (2, r), 0.6, colors.white))
            previous = row
    table = Table(rows, colWidths=col_widths, repeatRows=2, splitInRow=int(split_rows))
    table.setStyle(style)
    return table


def perilaku_table(rows_in: tuple[PerilakuRow, ...], width: float, *, with_feedback: bool = True,
                   split_rows: bool = False) -> Table:
    widths = [8 * mm, 95 * mm]
    rest = width - sum(widths)
    if with_feedback:
        widths += [rest / 2, rest / 2]
        header = [para(_("NO"), "cell_head"), para(_("PERILAKU KERJA"), "cell_head"),
                  para(_("EKSPEKTASI KHUSUS PIMPINAN"), "cell_head"),
                  para(_("UMPAN BALIK BERKELANJUTAN BERDASARKAN BUKTI DUKUNG"), "cell_head")]
    else:
        widths += [rest]
        header = [para(_("NO"), "cell_head"), para(_("PERILAKU KERJA"), "cell_head"),
                  para(_("EKSPEKTASI KHUSUS PIMPINAN"), "cell_head")]
    rows = [header]
    for item in rows_in:
        indicators = "<br/>".join(f"- {text(i)}" for i in item.indicators)
        value_cell = markup(f"<b>{text(item.value)}</b><br/>{indicators}")
        row = [para(str(item.no), "cell_center"), value_cell, para(item.ekspektasi)]
        if with_feedback:
            row.append(para(item.umpan_balik))
        rows.append(row)
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=int(split_rows))
    table.setStyle(table_style_grid())
    return table


def render_detailed_form(view: DetailedFormView, mark: SignatureMark | None = None) -> RenderedDocument:
    return build_with_row_split_fallback(lambda registry, split: _story(view, registry, split),
                                         view=view, title=_(TITLE), mark=mark)


def _story(view: DetailedFormView, registry: dict, split_rows: bool) -> list:
    width = A4[0] - MARGIN_LEFT - MARGIN_RIGHT
    wide = landscape(A4)[0] - 15 * mm - MARGIN_RIGHT
    story: list = list(letterhead_flowables(view.letterhead, width))
    story += heading_flowables(
        _(TITLE), view.period_label, view.instansi, period_range_text(view.period_start, view.period_end), width
    )
    story += [identities_table(view, width), Spacer(1, 4 * mm)]
    story += [
        rating_box(_("CAPAIAN KINERJA ORGANISASI"), view.capaian_organisasi, width),
        Spacer(1, 3 * mm),
        para(_("POLA DISTRIBUSI"), "section"),
    ]
    story += distribution_flowables(view.distribution, width)
    story += [NextPageTemplate(LANDSCAPE), PageBreak()]
    story += [para(_("HASIL KERJA"), "section"), hasil_kerja_table(view, wide, split_rows), Spacer(1, 3 * mm)]
    story += [rating_box(_("RATING HASIL KERJA"), view.rating_hasil_kerja, wide), Spacer(1, 4 * mm)]
    story += [CondPageBreak(40 * mm), para(_("PERILAKU KERJA"), "section"), perilaku_table(view.perilaku, wide, split_rows=split_rows),
              Spacer(1, 3 * mm)]
    story += [
        KeepTogether([
            rating_box(_("RATING PERILAKU KERJA"), view.rating_perilaku, wide),
            Spacer(1, 2 * mm),
            rating_box(_("PREDIKAT KINERJA PEGAWAI"), view.predikat, wide),
        ]),
        Spacer(1, 3 * mm),
    ]
    if view.catatan:
        story += [KeepTogether([para(_("CATATAN/REKOMENDASI"), "section"), para(view.catatan, "base")]),
                  Spacer(1, 4 * mm)]
    story.append(
        signature_blocks(
            registry,
            place_date=f"{view.place}, {format_date_id(view.date)}",
            left=(ROLE_PEGAWAI, _("PEGAWAI YANG DINILAI"), view.pegawai),
            right=(ROLE_PEJABAT, _("PEJABAT PENILAI KINERJA"), view.pejabat),
            width=wide,
        )
    )
    return story
