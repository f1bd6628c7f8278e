"""Rekapitulasi JP pengembangan kompetensi per pegawai of a unit, A4 landscape."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from kinerja_desktop.domain.dates import format_date_id
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.document import (
    LANDSCAPE,
    MARGIN_RIGHT,
    KeepLastRows,
    RenderedDocument,
    SignatureMark,
    build_with_row_split_fallback,
    single_signature_block,
)
from kinerja_desktop.reports.letterhead import letterhead_flowables
from kinerja_desktop.reports.styles import GROUP_BG, para, row_split, table_style_grid
from kinerja_desktop.reports.views import ROLE_PEJABAT, JpRecapView

TITLE = "REKAPITULASI JAM PELAJARAN (JP) PENGEMBANGAN KOMPETENSI"


def jp_text(value: Decimal) -> str:
    """JP as printed: "20", "2,5"."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize()}".replace(".", ",")


def render_jp_recap(view: JpRecapView, mark: SignatureMark | None = None) -> RenderedDocument:
    return build_with_row_split_fallback(
        lambda registry, split: _story(view, registry, split),
        view=view,
        title=_(TITLE),
        mark=mark,
        first_template=LANDSCAPE,
    )


# long: lays out the document top to bottom, one block a section
def _story(view: JpRecapView, registry: dict, split_rows: bool) -> list:
    width = landscape(A4)[0] - 15 * mm - MARGIN_RIGHT
    story: list = list(letterhead_flowables(view.letterhead, width))
    story += [
        Spacer(1, 3 * mm),
        para(_(TITLE), "title"),
        para(
            _("TAHUN {year} · UNIT KERJA: {unit} ({code})").format(
                year=view.year, unit=view.unit_name.upper(), code=view.unit_code
            ),
            "subtitle",
        ),
        Spacer(1, 3 * mm),
    ]
    fixed = [9, 45, 38, 16, 0, 20, 27, 25, 18, 30]
    rest = width - sum(fixed) * mm
    widths = [w * mm if w else rest for w in fixed]
    rule = _("MEMENUHI {n} JP").format(n=view.minimum)
    head = [
        _("NO"),
        _("NAMA"),
        _("NIP"),
        _("STATUS"),
        _("JABATAN"),
        _("KLASIKAL"),
        _("NONKLASIKAL"),
        _("PENDIDIKAN"),
        _("TOTAL JP"),
        rule,
    ]
    rows = [[para(h, "cell_head") for h in head]]
    style = table_style_grid()
    met = short = 0
    for row in view.rows:
        if row.meets is None:
            verdict = _("tidak berlaku (PPPK)")
        elif row.meets:
            verdict = _("Ya")
            met += 1
        else:
            verdict = _("Belum (kurang {jp} JP)").format(jp=jp_text(row.shortfall))
            short += 1
        rows.append(
            [
                para(str(row.no), "cell_center"),
                para(row.name),
                para(row.nip),
                para(row.status, "cell_center"),
                para(row.jabatan),
                para(jp_text(row.klasikal), "cell_right"),
                para(jp_text(row.nonklasikal), "cell_right"),
                para(jp_text(row.pendidikan), "cell_right"),
                para(jp_text(row.total), "cell_right"),
                para(verdict, "cell_center"),
            ]
        )
        if row.meets is False:
            style.append(("BACKGROUND", (9, len(rows) - 1), (9, len(rows) - 1), GROUP_BG))
    if not view.rows:
        rows.append([para("-", "cell_center"), para(_("Belum ada pegawai"))] + [""] * 8)
    table = Table(rows, colWidths=widths, repeatRows=1, **row_split(split_rows))
    table.setStyle(style)
    summary = para(
        _(
            "PNS yang memenuhi paling sedikit {n} JP: {met} orang; belum memenuhi: {short} orang. Ketentuan paling "
            "sedikit {n} JP setahun berlaku bagi PNS (PP 11/2017 jo. PP 17/2020 Pasal 203 ayat 4)."
        ).format(n=view.minimum, met=met, short=short),
        "small",
    )
    signature = single_signature_block(
        registry,
        role=ROLE_PEJABAT,
        heading=_("KEPALA {unit}").format(unit=view.unit_name.upper()),
        person=view.signer,
        place_date=f"{view.place}, {format_date_id(view.date)}",
        width=width,
    )
    story.append(KeepLastRows(table, [Spacer(1, 3 * mm), summary, Spacer(1, 5 * mm), signature], rows=2))
    return story
