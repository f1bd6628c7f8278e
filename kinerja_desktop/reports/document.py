"""The page machinery every document shares: A4 page templates (portrait and
landscape), the footer with the verification QR code and "Halaman X dari Y", the
signature blocks whose positions are recorded for the visible PDF signatures.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Paragraph, Table
from reportlab.platypus.doctemplate import LayoutError

from kinerja_desktop import __version__
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.fonts import FONT, register_fonts
from kinerja_desktop.reports.qr import VerificationCode, draw_qr, qr_matrix
from kinerja_desktop.reports.styles import markup, para, styles, text
from kinerja_desktop.reports.views import ROLE_PEGAWAI, ROLE_PEJABAT, PersonIdentity, content_sha256

PORTRAIT = "portrait"
LANDSCAPE = "landscape"

MARGIN_LEFT = 20 * mm
MARGIN_RIGHT = 15 * mm
MARGIN_TOP = 12 * mm
MARGIN_BOTTOM = 27 * mm
QR_SIZE = 17 * mm

#: Size of the empty space in a signature block (wet signature or visible PAdES stamp).
SIGN_SPACE_WIDTH = 62 * mm
SIGN_SPACE_HEIGHT = 22 * mm

#: The PDF signature field of each role.
FIELD_NAMES = {ROLE_PEJABAT: "TTE_PejabatPenilai", ROLE_PEGAWAI: "TTE_Pegawai"}


@dataclass(frozen=True)
class SignatureMark:
    """Printed on a document that is being signed electronically (and only then).

    ``bsre`` is True only when the certificate's chain ends at a trust anchor imported
    as BSrE's (never because of a name); the footer then names BSrE, otherwise it says
    plainly that the certificate is not BSrE's. ``trusted`` is False when an administrator
    allowed signing with a certificate outside the trusted anchors: the footer says so.
    """

    signer_nip: str
    signer_name: str
    issuer: str
    bsre: bool = False
    fingerprint: str = ""
    trusted: bool = True


@dataclass
class RenderedDocument:
    """A rendered PDF and where its signature blocks are (page index 0-based, box in points)."""

    pdf: bytes
    document_id: str
    content_sha256: str
    page_count: int
    title: str
    boxes: dict[str, tuple[int, tuple[float, float, float, float]]] = field(default_factory=dict)
    signed_notice: bool = False
    verification: VerificationCode | None = None


class SignatureSpace(Flowable):
    """The empty space where a person signs; records its position on the page."""

    def __init__(self, role: str, registry: dict, width: float = SIGN_SPACE_WIDTH,
                 height: float = SIGN_SPACE_HEIGHT) -> None:
        super().__init__()
        self.role = role
        self.registry = registry
        self.width = width
        self.height = height

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self):
        canv = self.canv
        x1, y1 = canv.absolutePosition(0, 0)
        x2, y2 = canv.absolutePosition(self.width, self.height)
        self.registry[self.role] = (canv.getPageNumber() - 1, (x1, y1, x2, y2))


class _Canvas(Canvas):
    """Defines the forms the footers refer to ahead (page count, QR) when saved."""

    footer_qr: list[list[bool]] = []

    def save(self):
        total = self.getPageNumber() - 1
        self.beginForm("kinerja_pagecount")
        self.setFont(FONT, 7.5)
        self.drawString(0, 0, str(total))
        self.endForm()
        self.beginForm("kinerja_qr", 0, 0, QR_SIZE, QR_SIZE)
        draw_qr(self, self.footer_qr, 0, 0, QR_SIZE)
        self.endForm()
        self._kinerja_pages = total
        super().save()


def _footer_notice(mark: SignatureMark | None) -> str:
    if mark is None:
        return _(
            "Dicetak dari Kinerja Desktop. Dokumen ini belum ditandatangani secara elektronik; "
            "tanda tangan dibubuhkan secara basah pada kolom yang tersedia."
        )
    if not mark.trusted:
        return _(
            "Dokumen ini ditandatangani secara elektronik dengan sertifikat dari {issuer} yang TIDAK berasal dari CA "
            "terpercaya; dokumen ini bukan berkas resmi. Keaslian dapat diperiksa dengan Kinerja Desktop."
        ).format(issuer=mark.issuer)
    if mark.bsre:
        return _(
            "Dokumen ini ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan "
            "oleh Balai Besar Sertifikasi Elektronik (BSrE), BSSN. Keaslian dapat diperiksa dengan Kinerja Desktop."
        )
    return _(
        "Dokumen ini ditandatangani secara elektronik menggunakan sertifikat elektronik yang diterbitkan oleh "
        "{issuer} (bukan sertifikat BSrE). Keaslian dapat diperiksa dengan Kinerja Desktop "
        "(menu Verifikasi Dokumen atau perintah kinerja report verify)."
    ).format(issuer=mark.issuer)


class KinerjaDocTemplate(BaseDocTemplate):
    def __init__(self, buffer, *, title: str, code: VerificationCode, mark: SignatureMark | None, **kw):
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=title,
            author="Kinerja Desktop",
            creator=f"Kinerja Desktop {__version__}",
            subject=title,
            keywords=code.payload(),
            initialFontName=FONT,  # otherwise every page names Helvetica, a font that is not embedded
            **kw,
        )
        self.code = code
        self.mark = mark
        self.notice = _footer_notice(mark)
        portrait_size = A4
        landscape_size = landscape(A4)
        self.addPageTemplates(
            [
                PageTemplate(PORTRAIT, [self._frame(portrait_size)], onPage=self._footer, pagesize=portrait_size),
                PageTemplate(LANDSCAPE, [self._frame(landscape_size)], onPage=self._footer, pagesize=landscape_size),
            ]
        )

    @staticmethod
    def _frame(size) -> Frame:
        width, height = size
        left = MARGIN_LEFT if width < height else 15 * mm
        return Frame(
            left, MARGIN_BOTTOM, width - left - MARGIN_RIGHT, height - MARGIN_TOP - MARGIN_BOTTOM,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
        )

    def _footer(self, canv: Canvas, doc) -> None:
        width, _height = canv._pagesize
        left = MARGIN_LEFT if width < _height else 15 * mm
        right = width - MARGIN_RIGHT
        bottom = 7 * mm
        canv.saveState()
        canv.setStrokeColorRGB(0.6, 0.6, 0.6)
        canv.setLineWidth(0.4)
        canv.line(left, bottom + QR_SIZE + 2 * mm, right, bottom + QR_SIZE + 2 * mm)
        canv.translate(left, bottom)
        canv.doForm("kinerja_qr")
        canv.restoreState()
        # Notice and verification code beside the QR code.
        page_text_width = 30 * mm
        text_left = left + QR_SIZE + 3 * mm
        text_width = right - text_left - page_text_width - 3 * mm
        lines = [
            text(self.notice),
            text(_("Kode verifikasi: {code}").format(code=self.code.short())),
        ]
        p = Paragraph("<br/>".join(lines), styles()["footer"])
        _w, h = p.wrap(text_width, QR_SIZE)
        p.drawOn(canv, text_left, bottom + QR_SIZE - h)
        # "Halaman X dari Y": Y is a form defined when the document is saved.
        canv.saveState()
        canv.setFont(FONT, 7.5)
        label = _("Halaman {page} dari ").format(page=canv.getPageNumber())
        x = right - page_text_width + 2 * mm
        canv.drawString(x, bottom + QR_SIZE - 8, label)
        canv.translate(x + canv.stringWidth(label, FONT, 7.5), bottom + QR_SIZE - 8)
        canv.doForm("kinerja_pagecount")
        canv.restoreState()


def build_document(
    flowables: list,
    *,
    view,
    title: str,
    registry: dict,
    mark: SignatureMark | None = None,
    first_template: str = PORTRAIT,
) -> RenderedDocument:
    """Lay out ``flowables`` into a PDF; ``registry`` is filled by the SignatureSpace flowables."""
    register_fonts()
    digest = content_sha256(view)
    code = VerificationCode(view.document_id, digest, mark.signer_nip if mark else "",
                            mark.fingerprint if mark else "")
    buffer = io.BytesIO()
    doc = KinerjaDocTemplate(buffer, title=title, code=code, mark=mark)
    if first_template != PORTRAIT:
        # The first page uses the first template in the list.
        doc.pageTemplates.sort(key=lambda t: t.id != first_template)
    matrix = qr_matrix(code.payload())

    def make_canvas(*args, **kwargs):
        canv = _Canvas(*args, **kwargs)
        canv.footer_qr = matrix
        doc._kinerja_canvas = canv
        return canv

    doc.build(flowables, canvasmaker=make_canvas)
    pages = getattr(doc._kinerja_canvas, "_kinerja_pages", 0)
    return RenderedDocument(
        pdf=buffer.getvalue(),
        document_id=view.document_id,
        content_sha256=digest,
        page_count=pages,
        title=title,
        boxes=dict(registry),
        signed_notice=mark is not None,
        verification=code,
    )


def build_with_row_split_fallback(make_story, *, view, title: str, mark: SignatureMark | None = None,
                                  first_template: str = PORTRAIT) -> RenderedDocument:
    """Build ``make_story(registry, split_rows)``; rows split across pages only when one must.

    Table rows normally move whole to the next page. A single row taller than a page
    (a very long umpan balik) cannot, so the document is built again with rows allowed
    to split inside, rather than failing or cutting the text off.
    """
    registry: dict = {}
    try:
        story = make_story(registry, False)
        return build_document(story, view=view, title=title, registry=registry, mark=mark,
                              first_template=first_template)
    except LayoutError:
        registry = {}
        story = make_story(registry, True)
        return build_document(story, view=view, title=title, registry=registry, mark=mark,
                              first_template=first_template)


# --- building blocks ----------------------------------------------------------------------


def person_label_nip(person: PersonIdentity | None) -> str:
    if person is None or not person.nip:
        return _("NIP. ")
    return _("NIP. {nip}").format(nip=person.nip)


def signature_blocks(
    registry: dict,
    *,
    place_date: str,
    left: tuple[str, str, PersonIdentity | None],
    right: tuple[str, str, PersonIdentity | None],
    width: float,
) -> Flowable:
    """Two signature blocks side by side: (role, heading, person) each.

    The place and date stand above the right block. Unsigned prints keep the empty
    space for a wet signature; a signed one gets the visible PAdES stamp there.
    """
    col = width / 2
    rows = [
        ["", para(place_date, "sign")],
        [markup(text(left[1]), "sign"), markup(text(right[1]), "sign")],
        [SignatureSpace(left[0], registry), SignatureSpace(right[0], registry)],
        [
            markup(f"<u>{text(left[2].name if left[2] else '')}</u>", "sign_name"),
            markup(f"<u>{text(right[2].name if right[2] else '')}</u>", "sign_name"),
        ],
        [para(person_label_nip(left[2]), "sign"), para(person_label_nip(right[2]), "sign")],
    ]
    table = Table(rows, colWidths=[col, col])
    table.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]
    )
    return KeepTogether([table])


def single_signature_block(registry: dict, *, role: str, heading: str, person: PersonIdentity | None,
                           place_date: str, width: float) -> Flowable:
    """One signature block on the right (recaps are signed by the head of the unit)."""
    col = width / 2
    rows = [
        ["", para(place_date, "sign")],
        ["", markup(text(heading), "sign")],
        ["", SignatureSpace(role, registry)],
        ["", markup(f"<u>{text(person.name if person else '')}</u>", "sign_name")],
        ["", para(person_label_nip(person), "sign")],
    ]
    table = Table(rows, colWidths=[col, col])
    table.setStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])
    return KeepTogether([table])
