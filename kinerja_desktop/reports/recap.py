"""Rekapitulasi predikat kinerja of a unit against the distribution curve, A4 portrait."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer, Table

from kinerja_desktop.domain.dates import format_date_id
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.detailed_form import distribution_flowables, rating_box
from kinerja_desktop.reports.document import (
    MARGIN_LEFT,
    MARGIN_RIGHT,
    RenderedDocument,
    SignatureMark,
    build_with_row_split_fallback,
    keep_with_signature,
    single_signature_block,
)
from kinerja_desktop.reports.letterhead import letterhead_flowables
from kinerja_desktop.reports.styles import para, row_split, table_style_grid
from kinerja_desktop.reports.views import ROLE_PEJABAT, RecapView

TITLE = "REKAPITULASI PREDIKAT KINERJA PEGAWAI"


def counts_table(counts: tuple[tuple[str, int], ...], width: float, not_rated: int = 0) -> Table:
    total = sum(c for _l, c in counts)
    rows = [[para(_("PREDIKAT"), "cell_head"), para(_("JUMLAH"), "cell_head"), para(_("PERSENTASE"), "cell_head")]]
    for label, count in counts:
        share = f"{count * 100 / total:.1f}".replace(".", ",") + "%" if total else "0,0%"
        rows.append([para(label), para(str(count), "cell_right"), para(share, "cell_right")])
    rows.append(
        [
            para(_("JUMLAH"), "cell_bold"),
            para(str(total), "cell_right"),
            para("100,0%" if total else "0,0%", "cell_right"),
        ]
    )
    if not_rated:
        rows.append(
            [
                para(_("Belum dinilai atau belum final (tidak dihitung)")),
                para(str(not_rated), "cell_right"),
                para("-", "cell_right"),
            ]
        )
    table = Table(rows, colWidths=[width - 50 * mm, 22 * mm, 28 * mm])
    table.setStyle(table_style_grid())
    return table


def render_recap(view: RecapView, mark: SignatureMark | None = None) -> RenderedDocument:
    return build_with_row_split_fallback(
        lambda registry, split: _story(view, registry, split), view=view, title=_(TITLE), mark=mark
    )


def _story(view: RecapView, registry: dict, split_rows: bool) -> list:
    width = A4[0] - MARGIN_LEFT - MARGIN_RIGHT
    story: list = list(letterhead_flowables(view.letterhead, width))
    story += [
        Spacer(1, 4 * mm),
        para(_(TITLE), "title"),
        para(_("PERIODE: {period} TAHUN {year}").format(period=view.period_label.upper(), year=view.year), "subtitle"),
        para(_("UNIT KERJA: {unit} ({code})").format(unit=view.unit_name.upper(), code=view.unit_code), "subtitle"),
        Spacer(1, 4 * mm),
        rating_box(_("CAPAIAN KINERJA ORGANISASI"), view.distribution.capaian, width),
        Spacer(1, 3 * mm),
    ]
    widths = [9 * mm, 44 * mm, 38 * mm, 27 * mm, width - 9 * mm - 44 * mm - 38 * mm - 27 * mm - 27 * mm, 27 * mm]
    rows = [
        [
            para(_("NO"), "cell_head"),
            para(_("NAMA"), "cell_head"),
            para(_("NIP / NI PPPK"), "cell_head"),
            para(_("PANGKAT/GOL."), "cell_head"),
            para(_("JABATAN"), "cell_head"),
            para(_("PREDIKAT KINERJA"), "cell_head"),
        ]
    ]
    for row in view.rows:
        number = row.nip + ("\n" + _("(PPPK)") if row.status == "PPPK" and row.nip else "")
        rows.append(
            [
                para(str(row.no), "cell_center"),
                para(row.name),
                para(number),
                para(row.golongan),
                para(row.jabatan),
                para(row.predikat or _("belum dinilai"), "cell_center"),
            ]
        )
    if not view.rows:
        rows.append([para("-", "cell_center"), para(_("Belum ada pegawai")), "", "", "", ""])
    table = Table(rows, colWidths=widths, repeatRows=1, **row_split(split_rows))
    table.setStyle(table_style_grid())
    not_final = sum(1 for r in view.rows if not r.predikat or r.predikat == _("draf (belum final)"))
    story += [table, Spacer(1, 4 * mm), CondPageBreak(95 * mm)]
    story += [
        para(_("JUMLAH PER PREDIKAT (EVALUASI FINAL)"), "section"),
        counts_table(view.distribution.counts, width, not_final),
        Spacer(1, 3 * mm),
        para(_("POLA DISTRIBUSI"), "section"),
    ]
    ending = distribution_flowables(view.distribution, width)
    signature = single_signature_block(
        registry,
        role=ROLE_PEJABAT,
        heading=_("KEPALA {unit}").format(unit=view.unit_name.upper()),
        person=view.signer,
        place_date=f"{view.place}, {format_date_id(view.date)}",
        width=width,
    )
    story += keep_with_signature(ending, [Spacer(1, 6 * mm), signature])
    return story
