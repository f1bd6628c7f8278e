"""Evaluasi Kinerja Pegawai: the detailed form (PermenPANRB 6/2022, lampiran).

Page 1 (portrait): letterhead, identities, the capaian kinerja organisasi of the period and
the **reference curve** for that capaian level (the pola distribusi as the rules allow it:
never the actual results of colleagues). Then landscape pages: the HASIL KERJA table with
the lampiran's columns for this kind of SKP (JPT, kualitatif), rating hasil kerja, the
PERILAKU KERJA table, rating perilaku, predikat, the earlier assignments of the year (after
a mutasi), catatan, and the signature blocks, which never stand alone on a page. A draft
carries a DRAF watermark and no signature blocks.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, NextPageTemplate, PageBreak, Spacer, Table

from kinerja_desktop.domain.dates import format_date_id
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.chart import distribution_chart, reference_chart
from kinerja_desktop.reports.document import (
    LANDSCAPE,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    KeepLastRows,
    RenderedDocument,
    SignatureMark,
    build_with_row_split_fallback,
    keep_with_signature,
    signature_blocks,
    signature_or_draft_note,
)
from kinerja_desktop.reports.fonts import FONT
from kinerja_desktop.reports.hasil_kerja import hasil_kerja_table
from kinerja_desktop.reports.letterhead import letterhead_flowables
from kinerja_desktop.reports.short_form import LABEL_WIDTH, heading_flowables, identity_groups, period_range_text
from kinerja_desktop.reports.styles import GROUP_BG, markup, para, row_split, table_style_grid, text
from kinerja_desktop.reports.views import (
    ROLE_PEGAWAI,
    ROLE_PEJABAT,
    DetailedFormView,
    DistributionView,
    EarlierAssignmentRow,
    PerilakuRow,
    ReferenceCurveView,
)

TITLE = "EVALUASI KINERJA PEGAWAI"


def identities_table(view, width: float) -> Table:
    value_width = width - 8 * mm - LABEL_WIDTH
    rows, style = identity_groups(view, value_width)
    table = Table(rows, colWidths=[8 * mm, LABEL_WIDTH, value_width])
    table.setStyle(style)
    return table


def reference_flowables(ref: ReferenceCurveView | None, width: float) -> list:
    """The reference curve of the capaian level: bands per predikat and the rules, never results."""
    if ref is None:
        return [para(_("Kurva acuan belum tersedia: capaian kinerja organisasi periode ini belum ditetapkan."))]
    chart = reference_chart(ref, width * 0.62, 52 * mm)
    rules = [[para(_("Ketentuan pola distribusi"), "cell_head")]] + [[para(rule)] for rule in ref.rules]
    table = Table(rules, colWidths=[width * 0.36], repeatRows=1)
    table.setStyle(table_style_grid())
    side = Table([[chart, table]], colWidths=[width * 0.63, width * 0.37])
    side.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    note = para(
        _(
            "Kurva acuan menurut PermenPANRB 6/2022 untuk tingkat capaian organisasi ini; hasil pegawai lain "
            "tidak dicantumkan."
        ),
        "small",
    )
    return [side, Spacer(1, 1.5 * mm), note]


def distribution_flowables(dist: DistributionView | None, width: float) -> list:
    """The actual distribution of a unit (recaps and the penetapan): chart and the rules checked."""
    if dist is None:
        return [para(_("Pola distribusi belum tersedia (capaian kinerja organisasi belum ditetapkan)."))]
    chart = distribution_chart(dist, width * 0.52, 62 * mm, _("Distribusi predikat kinerja pegawai"))
    rule_rows = [
        [
            para(_("Ketentuan pola distribusi"), "cell_head"),
            para(_("Saat ini"), "cell_head"),
            para(_("Sesuai"), "cell_head"),
        ]
    ]
    for rule_text, holds, actual in dist.rules:
        verdict = text(_("Ya")) if holds else f'<font color="#b3261e"><b>{text(_("Tidak"))}</b></font>'
        rule_rows.append([para(rule_text), para(actual, "cell_center"), markup(verdict, "cell_center")])
    right_width = width * 0.46
    rules = Table(rule_rows, colWidths=[right_width - 36 * mm, 20 * mm, 16 * mm], repeatRows=1)
    rules.setStyle(table_style_grid())
    side = Table(
        [[chart, [rules, Spacer(1, 2 * mm), para(dist.summary, "small")]]], colWidths=[width * 0.54, width * 0.46]
    )
    side.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return [side]


def rating_box(label: str, value: str, width: float) -> Table:
    t = Table(
        [[para(label, "cell_bold"), markup(f"<b>{text(value.upper() if value else '-')}</b>")]],
        colWidths=[70 * mm, width - 70 * mm],
    )
    t.setStyle(table_style_grid(header_rows=0) + [("BACKGROUND", (0, 0), (0, 0), GROUP_BG)])
    return t


def perilaku_table(
    rows_in: tuple[PerilakuRow, ...], width: float, *, with_feedback: bool = True, split_rows: bool = False
) -> Table:
    widths = [8 * mm, 95 * mm]
    rest = width - sum(widths)
    if with_feedback:
        widths += [rest / 2, rest / 2]
        header = [
            para(_("NO"), "cell_head"),
            para(_("PERILAKU KERJA"), "cell_head"),
            para(_("EKSPEKTASI KHUSUS PIMPINAN"), "cell_head"),
            para(_("UMPAN BALIK BERKELANJUTAN BERDASARKAN BUKTI DUKUNG"), "cell_head"),
        ]
    else:
        widths += [rest]
        header = [
            para(_("NO"), "cell_head"),
            para(_("PERILAKU KERJA"), "cell_head"),
            para(_("EKSPEKTASI KHUSUS PIMPINAN"), "cell_head"),
        ]
    rows = [header]
    for item in rows_in:
        indicators = "<br/>".join(f"- {text(i)}" for i in item.indicators)
        value_cell = markup(f"<b>{text(item.value)}</b><br/>{indicators}")
        row = [para(str(item.no), "cell_center"), value_cell, para(item.ekspektasi)]
        if with_feedback:
            row.append(para(item.umpan_balik))
        rows.append(row)
    table = Table(rows, colWidths=widths, repeatRows=1, **row_split(split_rows))
    table.setStyle(table_style_grid())
    return table


def earlier_table(rows: tuple[EarlierAssignmentRow, ...], width: float) -> Table:
    head = [
        para(h, "cell_head")
        for h in (_("MASA PENUGASAN"), _("JABATAN"), _("UNIT KERJA"), _("PEJABAT PENILAI KINERJA"), _("HASIL EVALUASI"))
    ]
    widths = [45 * mm, 50 * mm, 45 * mm, 45 * mm]
    widths.append(width - sum(widths))
    table = Table(
        [head] + [[para(r.span), para(r.jabatan), para(r.unit), para(r.penilai), para(r.results)] for r in rows],
        colWidths=widths,
        repeatRows=1,
    )
    table.setStyle(table_style_grid())
    return table


def render_detailed_form(view: DetailedFormView, mark: SignatureMark | None = None) -> RenderedDocument:
    return build_with_row_split_fallback(
        lambda registry, split: _story(view, registry, split), view=view, title=_(TITLE), mark=mark
    )


# long: lays out the document top to bottom, one block a section
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
    story += reference_flowables(view.reference, width)
    story += [NextPageTemplate(LANDSCAPE), PageBreak()]
    approach = _("PENDEKATAN HASIL KERJA: {approach}").format(
        approach=_("KUALITATIF") if view.kualitatif else _("KUANTITATIF")
    )
    story += [
        para(_("HASIL KERJA"), "section"),
        para(approach, "small"),
        Spacer(1, 1 * mm),
        hasil_kerja_table(
            view.rhk_groups,
            wide,
            is_jpt=view.is_jpt,
            kualitatif=view.kualitatif,
            with_realisasi=True,
            split_rows=split_rows,
            numbered=True,
        ),
        Spacer(1, 3 * mm),
    ]
    story += [rating_box(_("RATING HASIL KERJA"), view.rating_hasil_kerja, wide), Spacer(1, 4 * mm)]
    story += [
        CondPageBreak(40 * mm),
        para(_("PERILAKU KERJA"), "section"),
        perilaku_table(view.perilaku, wide, split_rows=split_rows),
        Spacer(1, 3 * mm),
    ]
    blocks = [
        [
            rating_box(_("RATING PERILAKU KERJA"), view.rating_perilaku, wide),
            Spacer(1, 2 * mm),
            rating_box(_("PREDIKAT KINERJA PEGAWAI"), view.predikat, wide),
            Spacer(1, 3 * mm),
        ]
    ]
    if view.earlier:
        blocks.append(
            [
                para(_("PENUGASAN SEBELUMNYA PADA TAHUN INI (dipertimbangkan dalam predikat tahunan)"), "section"),
                earlier_table(view.earlier, wide),
                Spacer(1, 3 * mm),
            ]
        )
    following: list = []
    if view.record_date and not view.draft:
        following.append(
            para(_("Evaluasi ini ditetapkan final pada {day}.").format(day=format_date_id(view.record_date)), "small")
        )
    if view.read_on and not view.draft:
        following.append(
            para(_("Telah dibaca oleh pegawai pada {day}.").format(day=format_date_id(view.read_on)), "small")
        )
    following += [
        Spacer(1, 2 * mm),
        *signature_or_draft_note(
            view.draft,
            lambda: signature_blocks(
                registry,
                place_date=f"{view.place}, {format_date_id(view.date)}",
                left=(ROLE_PEGAWAI, _("PEGAWAI YANG DINILAI"), view.pegawai),
                right=(ROLE_PEJABAT, _("PEJABAT PENILAI KINERJA"), view.pejabat),
                width=wide,
            ),
        ),
    ]
    if view.catatan:
        # the catatan may be long: its last lines go with the signature blocks
        story += [KeepTogether(block) for block in blocks]
        story += [
            KeepTogether([para(_("CATATAN/REKOMENDASI"), "section")]),
            KeepLastRows(para(view.catatan, "base"), [Spacer(1, 3 * mm), *following], rows=3),
        ]
    else:
        story += [KeepTogether(block) for block in blocks[:-1]]
        story += keep_with_signature(blocks[-1], following)
    return story
