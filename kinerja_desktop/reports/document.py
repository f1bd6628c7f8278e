"""The page machinery every document shares: A4 page templates (portrait and
landscape), the footer with the verification QR code and "Halaman X dari Y", the
signature blocks whose positions are recorded for the visible PDF signatures.

- A draft carries a DRAF watermark on every page and no signature blocks (it cannot be
  signed): :func:`signature_or_draft_note`.
- Signature blocks never stand alone on a page: :class:`KeepLastRows` moves the last
  rows of the table before them along, and a short ending is kept together with them.
- A person without a NIP (the kepala daerah) gets no "NIP." line; a PPPK's reads "NI PPPK.".
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Paragraph, Spacer, Table
from reportlab.platypus.doctemplate import LayoutError

from kinerja_desktop import __version__
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.fonts import FONT, FONT_BOLD, register_fonts
from kinerja_desktop.reports.qr import VerificationCode, draw_qr, qr_matrix
from kinerja_desktop.reports.styles import markup, para, styles, text
from kinerja_desktop.reports.views import ROLE_PEGAWAI, ROLE_PEJABAT, STATUS_KDH, PersonIdentity, content_sha256

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

    def __init__(
        self, role: str, registry: dict, width: float = SIGN_SPACE_WIDTH, height: float = SIGN_SPACE_HEIGHT
    ) -> None:
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


def draw_draft_watermark(canv: Canvas) -> None:
    """A large light "DRAF" across the page, under the content."""
    width, height = canv._pagesize
    canv.saveState()
    canv.setFillColorRGB(0.85, 0.85, 0.85)
    canv.setFont(FONT_BOLD, 110)
    canv.translate(width / 2, height / 2)
    canv.rotate(35)
    canv.drawCentredString(0, -38, _("DRAF"))
    canv.restoreState()


class KinerjaDocTemplate(BaseDocTemplate):
    def __init__(
        self, buffer, *, title: str, code: VerificationCode, mark: SignatureMark | None, draft: bool = False, **kw
    ):
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
        self.draft = draft
        self.notice = (
            _footer_notice(mark)
            if not draft
            else _("DRAF dari Kinerja Desktop: bukan dokumen resmi dan tidak untuk ditandatangani.")
        )
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
            left,
            MARGIN_BOTTOM,
            width - left - MARGIN_RIGHT,
            height - MARGIN_TOP - MARGIN_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    def _footer(self, canv: Canvas, doc) -> None:
        if self.draft:
            draw_draft_watermark(canv)
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
    code = VerificationCode(view.document_id, digest, mark.signer_nip if mark else "", mark.fingerprint if mark else "")
    buffer = io.BytesIO()
    draft = bool(getattr(view, "draft", False))
    if draft and mark is not None:
        raise UserError(_("Dokumen draf tidak dapat ditandatangani; finalkan atau sepakati dulu, lalu cetak ulang."))
    doc = KinerjaDocTemplate(buffer, title=title, code=code, mark=mark, draft=draft)
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


def build_with_row_split_fallback(
    make_story, *, view, title: str, mark: SignatureMark | None = None, first_template: str = PORTRAIT
) -> RenderedDocument:
    """Build ``make_story(registry, split_rows)``; rows split across pages only when one must.

    Table rows normally move whole to the next page. A single row taller than a page
    (a very long umpan balik) cannot, so the document is built again with rows allowed
    to split inside, rather than failing or cutting the text off.
    """
    registry: dict = {}
    try:
        story = make_story(registry, False)
        return build_document(
            story, view=view, title=title, registry=registry, mark=mark, first_template=first_template
        )
    except LayoutError:
        registry = {}
        story = make_story(registry, True)
        return build_document(
            story, view=view, title=title, registry=registry, mark=mark, first_template=first_template
        )


# --- building blocks ----------------------------------------------------------------------


def person_label_nip(person: PersonIdentity | None) -> str:
    """ "NIP. 19750312 200212 2 004", "NI PPPK. ...", or "" for the kepala daerah (no NIP)."""
    if person is not None and person.status == STATUS_KDH:
        return ""
    label = person.nip_label if person is not None else "NIP"
    if person is None or not person.nip:
        return f"{label}. "
    return f"{label}. {person.nip}"


class KeepLastRows(Flowable):
    """A table (or a long paragraph) and the flowables that must follow it (the signature blocks).

    What follows never starts a page alone: when it does not fit after the table, the
    table's last ``rows`` rows (a paragraph's last lines) move to the next page with it,
    under the repeated header, and the rest stays. Content that splits across pages
    splits as usual.
    """

    def __init__(self, content: Flowable, following: list[Flowable], rows: int = 2) -> None:
        super().__init__()
        self.content, self.following, self.rows = content, list(following), rows
        self.width = self.height = 0

    def _wrap_all(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        _w, ch = self.content.wrap(avail_width, avail_height)
        fh = sum(f.wrap(avail_width, avail_height)[1] for f in self.following)
        return ch, fh

    def wrap(self, avail_width, avail_height):
        ch, fh = self._wrap_all(avail_width, avail_height)
        self.width, self.height = avail_width, ch + fh
        return self.width, self.height

    def draw(self):
        y = self.height
        for flowable in [self.content, *self.following]:
            _w, h = flowable.wrap(self.width, self.height)
            y -= h
            flowable.drawOn(self.canv, 0, y)

    def _cut_before_tail(self, content_height: float) -> float | None:
        """The height at which to split so that the tail moves along (None: nothing would stay)."""
        if isinstance(self.content, Table):
            n = len(self.content._cellvalues)
            repeat = self.content.repeatRows
            header = repeat if isinstance(repeat, int) else len(repeat)
            keep = min(self.rows, n - header)
            if n - keep <= header:
                return None
            return sum(self.content._rowHeights[: n - keep]) + 0.01
        leading = getattr(getattr(self.content, "style", None), "leading", 12)
        cut = content_height - self.rows * leading
        return cut if cut > 2 * leading else None

    def split(self, avail_width, avail_height):
        ch, fh = self._wrap_all(avail_width, avail_height)
        if ch + fh <= avail_height:
            return [self.content, *self.following]
        if ch <= avail_height:  # the content fits, what follows does not: its tail goes along
            cut = self._cut_before_tail(ch)
            parts = self.content.split(avail_width, cut) if cut is not None else []
            if len(parts) < 2:
                return []
            return [parts[0], KeepTogether([parts[1], *self.following])]
        parts = self.content.split(avail_width, avail_height)
        if len(parts) < 2:
            return list(parts)
        return [parts[0], KeepLastRows(parts[1], self.following, self.rows)]


def keep_with_signature(before: list[Flowable], signature: Flowable | list[Flowable]) -> list[Flowable]:
    """``before`` (a short ending: rating boxes, a note) kept on one page with the signature blocks."""
    tail = signature if isinstance(signature, list) else [signature]
    return [KeepTogether([*before, *tail])]


def signature_or_draft_note(draft: bool, make_blocks) -> list[Flowable]:
    """The signature blocks, or for a draft a line saying it is not for signing (no blocks at all)."""
    if draft:
        return [
            Spacer(1, 4 * mm),
            para(
                _(
                    "Dokumen ini masih DRAF: belum final, tidak memuat kolom tanda tangan dan "
                    "tidak dapat ditandatangani."
                ),
                "cell_bold",
            ),
        ]
    return [make_blocks()]


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
    return table


def single_signature_block(
    registry: dict, *, role: str, heading: str, person: PersonIdentity | None, place_date: str, width: float
) -> Flowable:
    """One signature block on the right (recaps by the head of the unit, a penetapan by the leader)."""
    col = width / 2
    rows = [
        ["", para(place_date, "sign")],
        ["", markup(text(heading), "sign")],
        ["", SignatureSpace(role, registry)],
        ["", markup(f"<u>{text(person.name if person else '')}</u>", "sign_name")],
        ["", para(person_label_nip(person), "sign")],
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
    return table
