"""Sasaran Kinerja Pegawai (the plan) with its lampiran, A4 portrait.

The HASIL KERJA table has the lampiran's columns for this kind of SKP (JPT with
PERSPEKTIF, kualitatif with the indicator and target in one column). The date above the
signatures is the day of issue; the day the SKP was agreed is stated in the body. A
draft SKP carries a DRAF watermark and no signature blocks.
"""

from __future__ import annotations

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
    keep_with_signature,
    signature_blocks,
    signature_or_draft_note,
)
from kinerja_desktop.reports.hasil_kerja import hasil_kerja_table
from kinerja_desktop.reports.letterhead import letterhead_flowables
from kinerja_desktop.reports.short_form import heading_flowables, period_range_text
from kinerja_desktop.reports.styles import para, table_style_grid
from kinerja_desktop.reports.views import ROLE_PEGAWAI, ROLE_PEJABAT, PersonIdentity, SkpView

TITLE = "SASARAN KINERJA PEGAWAI"


def _pair_table(left: PersonIdentity, right: PersonIdentity, width: float) -> Table:
    """PEGAWAI YANG DINILAI beside PEJABAT PENILAI KINERJA, as on the SKP form."""
    half = width / 2
    widths = [7 * mm, 24 * mm, half - 31 * mm] * 2
    rows = [
        [
            para(_("NO"), "cell_head"),
            para(_("PEGAWAI YANG DINILAI"), "cell_head"),
            "",
            para(_("NO"), "cell_head"),
            para(_("PEJABAT PENILAI KINERJA"), "cell_head"),
            "",
        ]
    ]
    for i in range(1, 6):
        values = []
        for person in (left, right):
            label = (_("NAMA"), _(person.nip_label), _(person.golongan_label), _("JABATAN"), _("UNIT KERJA"))[i - 1]
            value = (person.name, person.nip_text, person.pangkat_gol, person.jabatan, person.unit)[i - 1]
            values.append((para(str(i), "cell_center"), para(label), para(value)))
        rows.append([*values[0], *values[1]])
    table = Table(rows, colWidths=widths)
    table.setStyle(table_style_grid() + [("SPAN", (1, 0), (2, 0)), ("SPAN", (4, 0), (5, 0))])
    return table


def _numbered(items: tuple[str, ...]) -> list:
    if not items:
        return [para("-", "base")]
    return [para(f"{i}. {item}", "base") for i, item in enumerate(items, start=1)]


def render_skp(view: SkpView, mark: SignatureMark | None = None) -> RenderedDocument:
    return build_with_row_split_fallback(
        lambda registry, split: _story(view, registry, split), view=view, title=_(TITLE), mark=mark
    )


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
    approach = _("KUALITATIF") if view.kualitatif else _("KUANTITATIF")
    story += [para(_("PENDEKATAN HASIL KERJA: {approach}").format(approach=approach), "cell_bold")]
    if view.assignment:
        story.append(para(view.assignment, "small"))
    story += [
        Spacer(1, 2 * mm),
        _pair_table(view.pegawai, view.pejabat, width),
        Spacer(1, 4 * mm),
        para(_("HASIL KERJA"), "section"),
        hasil_kerja_table(
            view.rhk_groups,
            width,
            is_jpt=view.is_jpt,
            kualitatif=view.kualitatif,
            with_realisasi=False,
            split_rows=split_rows,
        ),
        Spacer(1, 4 * mm),
        CondPageBreak(40 * mm),
        para(_("PERILAKU KERJA"), "section"),
        perilaku_table(view.perilaku, width, with_feedback=False, split_rows=split_rows),
        Spacer(1, 5 * mm),
        CondPageBreak(60 * mm),
        para(_("LAMPIRAN SASARAN KINERJA PEGAWAI"), "title"),
        Spacer(1, 2 * mm),
    ]
    parts = [
        (_("DUKUNGAN SUMBER DAYA"), view.dukungan_sumber_daya),
        (_("SKEMA PERTANGGUNGJAWABAN"), view.skema_pertanggungjawaban),
        (_("KONSEKUENSI"), view.konsekuensi),
    ]
    for heading, items in parts[:-1]:
        story.append(KeepTogether([para(heading, "section"), *_numbered(items)]))
    ending = [para(parts[-1][0], "section"), *_numbered(parts[-1][1]), Spacer(1, 3 * mm)]
    if view.record_date and view.agreed:
        ending.append(para(_("SKP ini disepakati pada {day}.").format(day=format_date_id(view.record_date)), "small"))
    signature = signature_or_draft_note(
        view.draft,
        lambda: signature_blocks(
            registry,
            place_date=f"{view.place}, {format_date_id(view.date)}",
            left=(ROLE_PEGAWAI, _("PEGAWAI YANG DINILAI"), view.pegawai),
            right=(ROLE_PEJABAT, _("PEJABAT PENILAI KINERJA"), view.pejabat),
            width=width,
        ),
    )
    story += keep_with_signature(ending, [Spacer(1, 3 * mm), *signature])
    return story
