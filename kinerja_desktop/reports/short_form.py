"""Dokumen Evaluasi Kinerja Pegawai: the short form (PermenPANRB 6/2022), A4 portrait.

The identity rows name the number by its kind (NIP, or NI PPPK for a PPPK) and the
golongan PPPK for a PPPK; the kepala daerah prints without NIP. The date above the
signatures is the day of issue; the day the evaluation became final is stated in the
body, so a form signed later never looks back-dated.
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
    KeepLastRows,
    RenderedDocument,
    SignatureMark,
    build_with_row_split_fallback,
    signature_blocks,
    signature_or_draft_note,
)
from kinerja_desktop.reports.fonts import FONT, FONT_BOLD
from kinerja_desktop.reports.letterhead import letterhead_flowables
from kinerja_desktop.reports.styles import GROUP_BG, cell, markup, para, table_style_grid, text
from kinerja_desktop.reports.views import ROLE_PEGAWAI, ROLE_PEJABAT, PersonIdentity, ShortFormView

TITLE = "DOKUMEN EVALUASI KINERJA PEGAWAI"


def period_range_text(start, end) -> str:
    """ "1 Januari s.d. 31 Maret 2026" (upper-cased on the form)."""
    return _("{start} s.d. {end}").format(start=format_date_id(start), end=format_date_id(end))


LABEL_WIDTH = 58 * mm


def identity_rows(number: str, heading: str, person: PersonIdentity | None, value_width: float) -> tuple[list, int]:
    """Rows of one identity group (heading + 5 fields) for a 3-column table.

    The heading row is drawn bold by the caller's table style (``FONTNAME`` on that row).
    """
    p = person or PersonIdentity(name="")
    rows = [
        [number, heading, ""],
        ["", _("NAMA"), cell(p.name, value_width)],
        ["", _(p.nip_label), cell(p.nip_text, value_width)],
        ["", _(p.golongan_label), cell(p.pangkat_gol or ("-" if p.status == "KDH" else ""), value_width)],
        ["", _("JABATAN"), cell(p.jabatan, value_width)],
        ["", _("UNIT KERJA"), cell(p.unit, value_width)],
    ]
    return rows, len(rows)


def identity_groups(view, value_width: float) -> tuple[list, list]:
    """Rows and style of the three identity groups (pegawai, pejabat penilai, atasan)."""
    rows: list = []
    style = table_style_grid(header_rows=0)
    for number, heading, person in (
        ("1", _("PEGAWAI YANG DINILAI"), view.pegawai),
        ("2", _("PEJABAT PENILAI KINERJA"), view.pejabat),
        ("3", _("ATASAN PEJABAT PENILAI KINERJA"), view.atasan),
    ):
        start = len(rows)
        group, n = identity_rows(number, heading, person, value_width)
        rows += group
        style += heading_row_style(start) + [("SPAN", (0, start + 1), (0, start + n - 1))]
    return rows, style


def heading_row_style(row: int) -> list[tuple]:
    """A group heading row of an identity table: bold, shaded, the title spanning two columns."""
    return [
        ("SPAN", (1, row), (2, row)),
        ("BACKGROUND", (0, row), (-1, row), GROUP_BG),
        ("FONTNAME", (0, row), (-1, row), FONT_BOLD),
    ]


def heading_flowables(title: str, period_label: str, instansi: str, period_text: str, width: float) -> list:
    head = Table(
        [
            [
                markup(text(_("PEMERINTAH/INSTANSI:")) + "<br/>" + text(instansi.upper()), "cell"),
                markup(text(_("PERIODE PENILAIAN:")) + "<br/>" + text(period_text.upper()), "cell_right"),
            ],
        ],
        colWidths=[width * 0.55, width * 0.45],
    )
    head.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return [
        Spacer(1, 4 * mm),
        para(title, "title"),
        para(_("PERIODE: {period}").format(period=period_label.upper()), "subtitle"),
        Spacer(1, 3 * mm),
        head,
        Spacer(1, 2 * mm),
    ]


def render_short_form(view: ShortFormView, mark: SignatureMark | None = None) -> RenderedDocument:
    return build_with_row_split_fallback(
        lambda registry, split: _story(view, registry, split), view=view, title=_(TITLE), mark=mark
    )


def _story(view: ShortFormView, registry: dict, split_rows: bool) -> list:
    width = A4[0] - MARGIN_LEFT - MARGIN_RIGHT
    story: list = list(letterhead_flowables(view.letterhead, width))
    story += heading_flowables(
        _(TITLE), view.period_label, view.instansi, period_range_text(view.period_start, view.period_end), width
    )

    value_width = width - 8 * mm - LABEL_WIDTH
    rows, style = identity_groups(view, value_width)
    start = len(rows)
    rows += [
        ["4", _("EVALUASI KINERJA"), ""],
        ["", _("CAPAIAN KINERJA ORGANISASI"), cell(view.capaian_organisasi.upper(), value_width, "cell_bold")],
        ["", _("PREDIKAT KINERJA PEGAWAI"), cell(view.predikat.upper(), value_width, "cell_bold")],
    ]
    style += heading_row_style(start) + [
        ("SPAN", (0, start + 1), (0, start + 2)),
        ("FONTNAME", (2, start + 1), (2, start + 2), FONT_BOLD),
    ]
    start = len(rows)
    rows.append(["5", _("CATATAN/REKOMENDASI"), ""])
    style += heading_row_style(start)
    if not split_rows:
        rows.append(["", para(view.catatan or "-"), ""])
        style.append(("SPAN", (1, start + 1), (2, start + 1)))
    table = Table(rows, colWidths=[8 * mm, LABEL_WIDTH, value_width])
    table.setStyle(style)
    after: list = []
    if view.record_date and not view.draft:
        after += [
            Spacer(1, 2 * mm),
            para(_("Evaluasi ini ditetapkan final pada {day}.").format(day=format_date_id(view.record_date)), "small"),
        ]
    if view.read_on and not view.draft:
        after.append(para(_("Telah dibaca oleh pegawai pada {day}.").format(day=format_date_id(view.read_on)), "small"))
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
    if split_rows:
        # A catatan longer than a page: a plain paragraph under the heading flows across pages, and
        # its last lines go with the signature blocks.
        story += [
            table,
            Spacer(1, 2 * mm),
            KeepLastRows(para(view.catatan, "base"), [*after, Spacer(1, 6 * mm), *signature], rows=3),
        ]
    else:
        story.append(KeepLastRows(table, [*after, Spacer(1, 6 * mm), *signature], rows=2))
    return story
