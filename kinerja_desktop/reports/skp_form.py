"""Sasaran Kinerja Pegawai (the plan) with its lampiran, A4 portrait."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, Table

from kinerja_desktop.domain.dates import format_date_id
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.detailed_form import perilaku_table
from kinerja_desktop.reports.document import (
    MARGIN_LEFT,
    MARGIN_RIGHT,
    RenderedDocument,
    SignatureMark,
    build_with_row_split_fallback,
    signature_blocks,
)
from kinerja_desktop.reports.letterhead import letterhead_flowables
from kinerja_desktop.reports.short_form import heading_flowables, period_range_text
from kinerja_desktop.reports.styles import GROUP_BG, para, table_style_grid
from kinerja_desktop.reports.views import ROLE_PEGAWAI, ROLE_PEJABAT, PersonIdentity, SkpView

TITLE = "SASARAN KINERJA PEGAWAI"


def _pair_table(left: PersonIdentity, right: PersonIdentity, width: float) -> Table:
    """PEGAWAI YANG DINILAI beside PEJABAT PENILAI KINERJA, as on the SKP form."""
    half = width / 2
    widths = [7 * mm, 24 * mm, half - 31 * mm] * 2
    rows = [[para(_("NO"), "cell_head"), para(_("PEGAWAI YANG DINILAI"), "cell_head"), "",
             para(_("NO"), "cell_head"), para(_("PEJABAT PENILAI KINERJA"), "cell_head"), ""]]
    labels = (_("NAMA"), _("NIP"), _("PANGKAT/GOL. RUANG"), _("JABATAN"), _("UNIT KERJA"))
    for i, label in enumerate(labels, start=1):
        values = []
        for person in (left, right):
            value = (person.name, person.nip, person.pangkat_gol, person.jabatan, person.unit)[i - 1]
            values.append((para(str(i), "cell_center"), para(label), para(value)))
        rows.append([*values[0], *values[1]])
    table = Table(rows, colWidths=widths)
    table.setStyle(table_style_grid() + [("SPAN", (1, 0), (2, 0)), ("SPAN", (4, 0), (5, 0))])
    return table


def skp_hasil_kerja_table(view: SkpView, width: float, split_rows: bool = False) -> Table:
    first_col = _("PERSPEKTIF") if view.is_jpt else _("RHK PIMPINAN YANG DIINTERVENSI")
    widths_mm = [8, 40, 42, 18, 42]
    col_widths = [w * mm for w in widths_mm] + [width - sum(widths_mm) * mm]
    rows = [[para(_("NO"), "cell_head"), para(first_col, "cell_head"), para(_("RENCANA HASIL KERJA"), "cell_head"),
             para(_("ASPEK"), "cell_head"), para(_("INDIKATOR KINERJA INDIVIDU"), "cell_head"),
             para(_("TARGET"), "cell_head")]]
    style = table_style_grid()
    for group in view.rhk_groups:
        start = len(rows)
        rows.append([para(group.title, "cell_bold")] + [""] * 5)
        style += [("SPAN", (0, start), (-1, start)), ("BACKGROUND", (0, start), (-1, start), GROUP_BG)]
        if not group.rows:
            rows.append([para("-", "cell_center"), para(_("Tidak ada")), "", "", "", ""])
        previous = None
        for row in group.rows:
            same = previous is not None and (row.no, row.rhk) == (previous.no, previous.rhk)
            rows.append([para("" if same else row.no, "cell_center"), para("" if same else row.rhk_pimpinan),
                         para("" if same else row.rhk), para(row.aspek), para(row.iki),
                         para(row.target, "cell_center")])
            if same:
                style.append(("LINEABOVE", (0, len(rows) - 1), (2, len(rows) - 1), 0.6, colors.white))
            previous = row
    table = Table(rows, colWidths=col_widths, repeatRows=1, splitInRow=int(split_rows))
    table.setStyle(style)
    return table


def _numbered(items: tuple[str, ...]) -> list:
    if not items:
        return [para("-", "base")]
    return [para(f"{i}. {item}", "base") for i, item in enumerate(items, start=1)]


def render_skp(view: SkpView, mark: SignatureMark | None = None) -> RenderedDocument:
    return build_with_row_split_fallback(lambda registry, split: _story(view, registry, split),
                                         view=view, title=_(TITLE), mark=mark)


def _story(view: SkpView, registry: dict, split_rows: bool) -> list:
    width = A4[0] - MARGIN_LEFT - MARGIN_RIGHT
    story: list = list(letterhead_flowables(view.letterhead, width))
    story += heading_flowables(
        _(TITLE),
        _("TAHUN {year}").format(year=view.year) + ("" if view.agreed else " (DRAF)"),
        view.instansi,
        period_range_text(view.period_start, view.period_end),
        width,
    )
    story += [
        para(_("PENDEKATAN HASIL KERJA: {approach}").format(approach=view.pendekatan.upper()), "cell_bold"),
        Spacer(1, 2 * mm),
        _pair_table(view.pegawai, view.pejabat, width),
        Spacer(1, 4 * mm),
        para(_("HASIL KERJA"), "section"),
        skp_hasil_kerja_table(view, width, split_rows),
        Spacer(1, 4 * mm),
        CondPageBreak(40 * mm),
        para(_("PERILAKU KERJA"), "section"),
        perilaku_table(view.perilaku, width, with_feedback=False, split_rows=split_rows),
        Spacer(1, 5 * mm),
        CondPageBreak(60 * mm),
        para(_("LAMPIRAN SASARAN KINERJA PEGAWAI"), "title"),
        Spacer(1, 2 * mm),
    ]
    for heading, items in (
        (_("DUKUNGAN SUMBER DAYA"), view.dukungan_sumber_daya),
        (_("SKEMA PERTANGGUNGJAWABAN"), view.skema_pertanggungjawaban),
        (_("KONSEKUENSI"), view.konsekuensi),
    ):
        story.append(KeepTogether([para(heading, "section"), *_numbered(items)]))
    story.append(Spacer(1, 6 * mm))
    story.append(
        signature_blocks(
            registry,
            place_date=f"{view.place}, {format_date_id(view.date)}",
            left=(ROLE_PEGAWAI, _("PEGAWAI YANG DINILAI"), view.pegawai),
            right=(ROLE_PEJABAT, _("PEJABAT PENILAI KINERJA"), view.pejabat),
            width=width,
        )
    )
    return story
