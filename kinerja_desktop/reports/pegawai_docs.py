"""Documents of the pegawai cycle: sign-in slips and the Keputusan atas Keberatan.

Everything typed by people is escaped (``styles.para``) before it reaches a Paragraph.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, SimpleDocTemplate, Spacer, Table

from kinerja_desktop import __version__
from kinerja_desktop.domain.dates import format_date_id
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.document import RenderedDocument
from kinerja_desktop.reports.fonts import register_fonts
from kinerja_desktop.reports.letterhead import letterhead_flowables
from kinerja_desktop.reports.styles import para, table_style_grid
from kinerja_desktop.reports.views import Letterhead

WIDTH = A4[0] - 24 * mm


@dataclass(frozen=True)
class Slip:
    name: str
    nip: str
    unit: str
    username: str
    password: str


@dataclass(frozen=True)
class SlipsView:
    """Slips with one-time passwords, three to a page, to cut and hand out."""

    unit: str
    issued_on: date
    slips: tuple[Slip, ...]
    letterhead: Letterhead = field(default_factory=Letterhead)

    @property
    def document_id(self) -> str:
        digest = hashlib.sha256("|".join(s.username for s in self.slips).encode()).hexdigest()[:10]
        return f"SLIP-{self.issued_on:%Y%m%d}-{digest}"


@dataclass(frozen=True)
class KeputusanView:
    """Keputusan atas Keberatan: the objection, the explanations heard, the decision."""

    number: str
    pegawai: str
    pegawai_nip: str
    pejabat: str
    atasan: str
    atasan_nip: str
    period_label: str
    predikat_before: str
    predikat_after: str
    lodged_on: date
    reasons: str
    explanation_pegawai: str
    explanation_penilai: str
    decision_label: str
    decision_text: str
    decided_on: date
    place: str
    letterhead: Letterhead = field(default_factory=Letterhead)

    @property
    def document_id(self) -> str:
        return f"KKB-{self.number}"


def _pdf(story: list, title: str) -> bytes:
    register_fonts()
    buf = io.BytesIO()
    margin = 12 * mm
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
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


def _slip(view: SlipsView, slip: Slip) -> KeepTogether:
    label_w = 45 * mm
    rows = [
        (_("Nama"), slip.name),
        (_("NIP"), slip.nip),
        (_("Unit kerja"), slip.unit),
        (_("Nama pengguna"), slip.username),
        (_("Kata sandi sekali pakai"), slip.password),
    ]
    table = Table([[para(k, "cell_bold"), para(v)] for k, v in rows], colWidths=[label_w, WIDTH - label_w])
    table.setStyle(table_style_grid(header_rows=0))
    how = _(
        "Masuk ke Kinerja Desktop dengan nama pengguna dan kata sandi ini. Saat pertama masuk Anda wajib "
        "mengganti kata sandi. Jangan berikan slip ini kepada orang lain; setelah kata sandi diganti, "
        "musnahkan slip ini. Dicetak {day}."
    ).format(day=format_date_id(view.issued_on))
    return KeepTogether(
        [
            para(_("SLIP MASUK KINERJA DESKTOP"), "subtitle"),
            Spacer(1, 2 * mm),
            table,
            Spacer(1, 2 * mm),
            para(how, "small"),
            Spacer(1, 10 * mm),
        ]
    )


def render_slips(view: SlipsView) -> RenderedDocument:
    story: list = letterhead_flowables(view.letterhead, WIDTH)
    story.append(Spacer(1, 3 * mm))
    for slip in view.slips:
        story += [CondPageBreak(70 * mm), _slip(view, slip)]
    pdf = _pdf(story, _("Slip masuk {unit}").format(unit=view.unit))
    return RenderedDocument(
        pdf=pdf,
        document_id=view.document_id,
        content_sha256=hashlib.sha256(pdf).hexdigest(),
        page_count=max(1, (len(view.slips) + 2) // 3),
        title=_("Slip masuk"),
    )


def render_keputusan(view: KeputusanView) -> RenderedDocument:
    story: list = letterhead_flowables(view.letterhead, WIDTH)
    story += [
        Spacer(1, 3 * mm),
        para(_("KEPUTUSAN ATAS KEBERATAN"), "title"),
        para(_("Nomor: {number}").format(number=view.number), "subtitle"),
        Spacer(1, 3 * mm),
    ]
    label_w = 55 * mm
    rows = [
        (_("Pegawai yang mengajukan"), f"{view.pegawai} (NIP {view.pegawai_nip})"),
        (_("Pejabat penilai kinerja"), view.pejabat),
        (_("Periode penilaian"), view.period_label),
        (_("Predikat yang diajukan keberatan"), view.predikat_before or "–"),
        (_("Tanggal keberatan"), format_date_id(view.lodged_on)),
        (_("Alasan keberatan"), view.reasons),
        (_("Penjelasan pegawai"), view.explanation_pegawai or "–"),
        (_("Penjelasan pejabat penilai"), view.explanation_penilai or "–"),
        (_("Keputusan"), view.decision_label),
        (_("Predikat setelah keputusan"), view.predikat_after or "–"),
        (_("Pertimbangan"), view.decision_text),
    ]
    table = Table([[para(k, "cell_bold"), para(v)] for k, v in rows], colWidths=[label_w, WIDTH - label_w])
    table.setStyle(table_style_grid(header_rows=0))
    story += [
        table,
        Spacer(1, 4 * mm),
        para(_("Keputusan ini bersifat final (PP 30/2019 Pasal 59)."), "small"),
        Spacer(1, 8 * mm),
    ]
    sign = Table(
        [
            ["", para(f"{view.place}, {format_date_id(view.decided_on)}")],
            ["", para(_("Atasan Pejabat Penilai Kinerja"), "cell_bold")],
            ["", Spacer(1, 18 * mm)],
            ["", para(view.atasan, "cell_bold")],
            ["", para(_("NIP {nip}").format(nip=view.atasan_nip))],
        ],
        colWidths=[WIDTH - 75 * mm, 75 * mm],
    )
    story.append(KeepTogether([sign]))
    pdf = _pdf(story, _("Keputusan atas Keberatan {number}").format(number=view.number))
    return RenderedDocument(
        pdf=pdf,
        document_id=view.document_id,
        content_sha256=hashlib.sha256(pdf).hexdigest(),
        page_count=1,
        title=_("Keputusan atas Keberatan"),
    )
