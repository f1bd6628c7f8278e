"""Complaint documents: the citizen's tanda terima (ticket number and a QR code to the status
page) and the list of complaints an ASN handled (evidence for an IKI).

Everything a citizen or an officer typed is escaped before it reaches a Paragraph, so
markup or script in a complaint prints as the characters typed. The receipt carries the
contact only masked (``0812****7890``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table

from kinerja_desktop import __version__
from kinerja_desktop.domain.dates import format_date_id
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.fonts import FONT, FONT_BOLD, register_fonts
from kinerja_desktop.reports.letterhead import letterhead_flowables
from kinerja_desktop.reports.qr import draw_qr, qr_matrix
from kinerja_desktop.reports.styles import para, styles, table_style_grid, text
from kinerja_desktop.reports.views import Letterhead


@dataclass(frozen=True)
class ReceiptView:
    number: str
    received_at: datetime
    channel: str
    service: str
    unit: str
    description: str
    contact_masked: str
    verify_by: date | None
    respond_by: date | None
    close_by: date | None
    status_url: str
    letterhead: Letterhead = field(default_factory=Letterhead)
    officer: str = ""

    @property
    def document_id(self) -> str:
        return f"TTP-{self.number}"


@dataclass(frozen=True)
class HandledItem:
    number: str
    received_at: datetime
    service: str
    status: str
    close_by: date | None
    finished_at: datetime | None
    on_time: bool
    summary: str


@dataclass(frozen=True)
class HandledListView:
    employee_name: str
    employee_nip: str
    unit: str
    span_label: str
    realisasi: str
    items: list[HandledItem]
    letterhead: Letterhead = field(default_factory=Letterhead)


class _Qr(Flowable):
    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.matrix = qr_matrix(payload)
        self.size = size

    def wrap(self, _w, _h):
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.matrix, 0, 0, self.size)


def _when(d: datetime | date | None) -> str:
    if d is None:
        return "–"
    if isinstance(d, datetime):
        return f"{format_date_id(d.date())}, {d:%H.%M} WIB"
    return format_date_id(d)


def _pdf(story: list, pagesize, title: str) -> bytes:
    register_fonts()
    buf = io.BytesIO()
    margin = 12 * mm
    doc = SimpleDocTemplate(
        buf,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=title,
        author="Kinerja Desktop",
        creator=f"Kinerja Desktop {__version__}",
    )
    doc.build(story)
    return buf.getvalue()


def render_receipt(view: ReceiptView) -> bytes:
    """The tanda terima pengaduan (A5 portrait)."""
    width = A5[0] - 24 * mm
    st = styles()
    story: list = letterhead_flowables(view.letterhead, width)
    story += [Spacer(1, 3 * mm), para(_("TANDA TERIMA PENGADUAN"), "title"), Spacer(1, 2 * mm)]
    ticket = Paragraph(f'<font name="{FONT_BOLD}" size="16">{text(view.number)}</font>', st["subtitle"])
    ticket_box = [
        [
            _Qr(view.status_url or view.number, 28 * mm),
            [
                para(_("Nomor tiket"), "subtitle"),
                Spacer(1, 2 * mm),
                ticket,
                Spacer(1, 2 * mm),
                para(_("Simpan nomor ini untuk melihat status pengaduan."), "small"),
            ],
        ]
    ]
    box = Table(ticket_box, colWidths=[32 * mm, width - 32 * mm])
    box.setStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("BOX", (0, 0), (-1, -1), 0.8, "black")])
    story += [box, Spacer(1, 3 * mm)]
    rows = [
        (_("Diterima"), _when(view.received_at)),
        (_("Saluran"), view.channel),
        (_("Layanan"), view.service or "–"),
        (_("Unit kerja"), view.unit),
        (_("Kontak pelapor"), view.contact_masked or "–"),
        (_("Uraian"), view.description),
        (_("Batas verifikasi"), _when(view.verify_by)),
        (_("Batas tanggapan"), _when(view.respond_by)),
        (_("Batas penyelesaian"), _when(view.close_by)),
    ]
    label_w = 36 * mm
    table = Table([[para(k, "cell_bold"), para(v)] for k, v in rows], colWidths=[label_w, width - label_w])
    table.setStyle(table_style_grid(header_rows=0))
    story += [table, Spacer(1, 3 * mm)]
    if view.status_url:
        how = _(
            "Cek status pengaduan di {url} dengan nomor tiket dan 4 angka terakhir nomor telepon yang Anda "
            "berikan. Batas waktu dihitung dalam hari kerja."
        ).format(url=view.status_url)
    else:
        how = _(
            "Tanyakan status pengaduan di loket pengaduan dengan menunjukkan nomor tiket ini. Batas waktu "
            "dihitung dalam hari kerja."
        )
    story.append(para(how, "small"))
    if view.officer:
        story += [Spacer(1, 4 * mm), para(_("Petugas penerima: {name}").format(name=view.officer), "small")]
    return _pdf(story, A5, _("Tanda terima pengaduan {number}").format(number=view.number))


def render_handled_list(view: HandledListView) -> bytes:
    """Daftar pengaduan yang ditangani: the evidence behind a complaint IKI's realisasi (A4)."""
    width = A4[0] - 24 * mm
    story: list = letterhead_flowables(view.letterhead, width)
    story += [
        Spacer(1, 3 * mm),
        para(_("DAFTAR PENGADUAN YANG DITANGANI"), "title"),
        para(view.span_label, "subtitle"),
        Spacer(1, 3 * mm),
    ]
    who = Table(
        [
            [para(_("Nama"), "cell_bold"), para(view.employee_name)],
            [para(_("NIP"), "cell_bold"), para(view.employee_nip)],
            [para(_("Unit kerja"), "cell_bold"), para(view.unit)],
            [para(_("Realisasi"), "cell_bold"), para(view.realisasi)],
        ],
        colWidths=[30 * mm, width - 30 * mm],
    )
    who.setStyle(table_style_grid(header_rows=0))
    story += [who, Spacer(1, 4 * mm)]
    head = [
        para(h, "cell_head")
        for h in (
            _("No"),
            _("Nomor tiket"),
            _("Diterima"),
            _("Layanan"),
            _("Ringkasan"),
            _("Status"),
            _("Batas"),
            _("Selesai"),
            _("Tepat waktu"),
        )
    ]
    widths = [8 * mm, 25 * mm, 20 * mm, 24 * mm, width - 151 * mm, 20 * mm, 18 * mm, 20 * mm, 16 * mm]
    data = [head]
    for n, it in enumerate(view.items, start=1):
        data.append(
            [
                str(n),
                para(it.number),
                para(f"{it.received_at:%d-%m-%Y}"),
                para(it.service),
                para(it.summary),
                para(it.status),
                para(f"{it.close_by:%d-%m-%Y}" if it.close_by else "–"),
                para(f"{it.finished_at:%d-%m-%Y}" if it.finished_at else "–"),
                para(_("ya") if it.on_time else _("tidak"), "cell_center"),
            ]
        )
    if not view.items:
        data.append(
            ["", para(_("Tidak ada pengaduan yang selesai ditangani pada periode ini.")), "", "", "", "", "", "", ""]
        )
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(table_style_grid(header_rows=1) + [("FONTNAME", (0, 0), (-1, -1), FONT)])
    story.append(table)
    return _pdf(story, A4, _("Daftar pengaduan yang ditangani"))
