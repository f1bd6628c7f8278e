"""Penetapan Capaian Kinerja Organisasi dan Distribusi Predikat Kinerja Pegawai, A4 portrait.

Issued per organisation and period by the leader who decided the capaian (the leader of
the organisation above, the Sekda or the Bupati): the capaian with its basis, the
recommendation it took and the decision's reference; the distribution of the final
predikat of the head's subordinates against the curve; the reference curve; and the
employees counted, as a lampiran. Signed in one block by that leader.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer, Table

from kinerja_desktop.domain.dates import format_date_id
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.detailed_form import distribution_flowables, reference_flowables
from kinerja_desktop.reports.document import (
    MARGIN_LEFT,
    MARGIN_RIGHT,
    KeepLastRows,
    RenderedDocument,
    SignatureMark,
    build_with_row_split_fallback,
    single_signature_block,
)
from kinerja_desktop.reports.letterhead import letterhead_flowables
from kinerja_desktop.reports.recap import counts_table
from kinerja_desktop.reports.short_form import LABEL_WIDTH, heading_row_style, period_range_text
from kinerja_desktop.reports.styles import cell, para, row_split, table_style_grid
from kinerja_desktop.reports.views import ROLE_PEJABAT, PenetapanView

TITLE = "PENETAPAN CAPAIAN KINERJA ORGANISASI DAN DISTRIBUSI PREDIKAT KINERJA PEGAWAI"


def render_penetapan(view: PenetapanView, mark: SignatureMark | None = None) -> RenderedDocument:
    return build_with_row_split_fallback(
        lambda registry, split: _story(view, registry, split), view=view, title=_(TITLE), mark=mark
    )


def _capaian_table(view: PenetapanView, width: float) -> Table:
    value_width = width - 8 * mm - LABEL_WIDTH
    decided = view.decision_reference or "-"
    if view.decided_on:
        decided += ", " + _("tanggal {day}").format(day=format_date_id(view.decided_on))
    rows = [
        ["1", _("CAPAIAN KINERJA ORGANISASI"), ""],
        ["", para(_("UNIT ORGANISASI")), cell(view.unit_name, value_width)],
        ["", para(_("PERIODE PENILAIAN")), cell(period_range_text(view.period_start, view.period_end), value_width)],
        ["", para(_("CAPAIAN KINERJA ORGANISASI")), cell(view.capaian.upper(), value_width, "cell_bold")],
        ["", para(_("DASAR PENETAPAN")), para(view.basis + (f": {view.basis_note}" if view.basis_note else ""))],
        ["", para(_("REKOMENDASI YANG DIPERTIMBANGKAN")), para(view.recommendation or _("tidak ada"))],
        ["", para(_("KEPUTUSAN")), para(decided)],
    ]
    style = table_style_grid(header_rows=0) + heading_row_style(0) + [("SPAN", (0, 1), (0, len(rows) - 1))]
    table = Table(rows, colWidths=[8 * mm, LABEL_WIDTH, value_width])
    table.setStyle(style)
    return table


def _members_table(view: PenetapanView, width: float, split_rows: bool) -> Table:
    widths = [9 * mm, 52 * mm, 40 * mm, width - 9 * mm - 52 * mm - 40 * mm - 30 * mm, 30 * mm]
    rows = [
        [para(h, "cell_head") for h in (_("NO"), _("NAMA"), _("NIP / NI PPPK"), _("JABATAN"), _("PREDIKAT KINERJA"))]
    ]
    for r in view.rows:  # plain strings where they fit on one line: a long lampiran lays out fast
        number = r.nip + ("\n" + _("(PPPK)") if r.status == "PPPK" and r.nip else "")
        rows.append(
            [
                str(r.no),
                cell(r.name, widths[1]),
                cell(number, widths[2]),
                cell(r.jabatan, widths[3]),
                cell(r.predikat or _("belum dinilai"), widths[4], "cell_center"),
            ]
        )
    if not view.rows:
        rows.append([para("-", "cell_center"), para(_("Tidak ada pegawai")), "", "", ""])
    table = Table(rows, colWidths=widths, repeatRows=1, **row_split(split_rows))
    table.setStyle(table_style_grid() + [("ALIGN", (0, 1), (0, -1), "CENTER"), ("ALIGN", (4, 1), (4, -1), "CENTER")])
    return table


def _story(view: PenetapanView, registry: dict, split_rows: bool) -> list:
    width = A4[0] - MARGIN_LEFT - MARGIN_RIGHT
    story: list = list(letterhead_flowables(view.letterhead, width))
    story += [
        Spacer(1, 4 * mm),
        para(_(TITLE), "title"),
        para(
            _("{unit} · PERIODE: {period} TAHUN {year}").format(
                unit=view.unit_name.upper(), period=view.period_label, year=view.year
            ),
            "subtitle",
        ),
        Spacer(1, 4 * mm),
        _capaian_table(view, width),
        Spacer(1, 4 * mm),
        para(_("2. DISTRIBUSI PREDIKAT KINERJA PEGAWAI"), "section"),
        para(
            _(
                "Dihitung atas {n} pegawai di bawah kepala organisasi ({head}) dengan evaluasi final; kepala organisasi "
                "tidak dihitung. {other} pegawai belum memiliki evaluasi final dan tidak dihitung."
            ).format(n=view.headcount - view.not_final, head=view.head or "-", other=view.not_final),
            "small",
        ),
        Spacer(1, 2 * mm),
        counts_table(view.distribution.counts, width, view.not_final),
        Spacer(1, 3 * mm),
    ]
    story += distribution_flowables(view.distribution, width)
    story += [CondPageBreak(70 * mm), para(_("3. KURVA ACUAN POLA DISTRIBUSI"), "section")]
    story += reference_flowables(view.reference, width)
    story += [CondPageBreak(50 * mm), para(_("LAMPIRAN: PREDIKAT KINERJA PEGAWAI"), "section")]
    signature = single_signature_block(
        registry,
        role=ROLE_PEJABAT,
        heading=view.signer_title,
        person=view.signer,
        place_date=_("Ditetapkan di {place}, {day}").format(place=view.place, day=format_date_id(view.date)),
        width=width,
    )
    story.append(KeepLastRows(_members_table(view, width, split_rows), [Spacer(1, 6 * mm), signature], rows=2))
    return story
