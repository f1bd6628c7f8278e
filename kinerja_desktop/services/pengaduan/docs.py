"""Complaint documents and the complaint figures as an IKI's realisasi.

- :func:`receipt_pdf`: the tanda terima of one complaint (``reports.pengaduan``);
- :func:`complaint_ikis`: the IKI of an evaluation that measure complaints ("persentase
  pengaduan ditindaklanjuti tepat waktu", any indicator naming *pengaduan*), each with the
  figures of the evaluated ASN for the evaluation's period;
- :func:`fill_complaint_realisasi`: writes those figures as the realisasi and keeps the list
  of the complaints behind them as bukti dukung of the RHK.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain import pengaduan as rules
from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.pengaduan import HandledItem, HandledListView, ReceiptView, render_handled_list
from kinerja_desktop.services.access.principal import Principal
from kinerja_desktop.services.documents import registry as documents
from kinerja_desktop.services.documents.evidence import add_evidence
from kinerja_desktop.services.pengaduan.access import get_visible
from kinerja_desktop.services.pengaduan.figures import figures, handled_list
from kinerja_desktop.services.performance.evaluations import EvaluationForm, get_evaluation, save_evaluation, skp_ikis
from kinerja_desktop.services.performance.periods import get_period, period_label
from kinerja_desktop.services.settings import get_letterhead, get_setting, set_setting
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Unit
from kinerja_desktop.store.pengaduan import ComplaintService
from kinerja_desktop.store.site import server_url

PUBLIC_URL_SETTING = "pengaduan.public_url"
PUBLIC_PATH = "/pengaduan"


def public_status_url(session: Session, number: str | None = None) -> str:
    """The public status page (the setting, else the sync server's address + /pengaduan)."""
    base = str(get_setting(session, PUBLIC_URL_SETTING, "") or "").strip().rstrip("/")
    if not base:
        server = server_url(session).strip().rstrip("/")
        base = server + PUBLIC_PATH if server else ""
    if base and number:
        return f"{base}/status?tiket={number}"
    return base


def set_public_url(session: Session, actor: Principal, url: str) -> None:
    """Store the public page's address (administrator); ``http(s)://`` only, or empty for the default."""
    url = " ".join(str(url or "").split())
    if url and (not url.startswith(("http://", "https://")) or len(url) > 200 or " " in url):
        raise UserError(_("Alamat halaman pengaduan harus diawali http:// atau https:// (paling banyak 200 karakter)."))
    set_setting(session, actor, PUBLIC_URL_SETTING, url.rstrip("/"))


def receipt_view(session: Session, actor: Principal, complaint_id: str) -> ReceiptView:
    row = get_visible(session, actor, complaint_id)
    service = session.get(ComplaintService, row.service_id) if row.service_id else None
    unit = session.get(Unit, row.unit_id)
    return ReceiptView(
        number=row.number,
        received_at=row.received_at,
        channel=rules.channel_label(row.channel),
        service=service.name if service else "",
        unit=unit.name if unit else "",
        description=row.description,
        contact_masked=rules.mask_contact(row.contact) if row.contact else "",
        verify_by=row.verify_by,
        respond_by=row.respond_by,
        close_by=row.close_by,
        status_url=public_status_url(session, row.number),
        letterhead=get_letterhead(session),
        officer=row.created_by if row.channel != "web" else "",
    )


def receipt_pdf(session: Session, actor: Principal, complaint_id: str) -> bytes:
    """The tanda terima as PDF bytes, through the documents service (kind ``tanda-terima-pengaduan``)."""

    row = get_visible(session, actor, complaint_id)
    request = documents.DocumentRequest("tanda-terima-pengaduan", row.id, row.received_at.year)
    return documents.render(documents.prepare(session, actor, request))


@dataclass(frozen=True)
class ComplaintIki:
    iki_id: str
    rhk_id: str
    indicator: str
    figures: rules.Figures
    text: str


def _span(session: Session, period_id: str) -> tuple[date, date, str]:
    period = get_period(session, period_id)
    return period.start, period.end, period_label(period)


def complaint_ikis(
    session: Session, actor: Principal, evaluation_id: str, *, today: date | None = None
) -> list[ComplaintIki]:
    """The complaint IKI of an evaluation with the evaluated ASN's figures for its period."""
    ev = get_evaluation(session, actor, evaluation_id)
    start, end, _label = _span(session, ev.period_id)
    out = []
    for _n, rhk, iki in skp_ikis(session, ev.skp_id):
        if rules.is_complaint_iki(iki.indicator):
            f = figures(session, actor, start, end, employee_id=ev.employee_id, today=today)
            out.append(ComplaintIki(iki.id, rhk.id, iki.indicator, f, f.realisasi_text()))
    return out


def handled_list_pdf(
    session: Session, actor: Principal, employee_id: str, start: date, end: date, span_label: str, realisasi: str
) -> bytes:
    emp = session.get(Employee, employee_id)
    unit = session.get(Unit, emp.unit_id) if emp and emp.unit_id else None
    services = dict(session.execute(select(ComplaintService.id, ComplaintService.name)).all())
    items = [
        HandledItem(
            c.number,
            c.received_at,
            services.get(c.service_id or "", ""),
            rules.state_label(c.status),
            c.close_by,
            c.finished_at,
            c.close_by is None or (c.finished_at is not None and c.finished_at.date() <= c.close_by),
            c.description[:200],
        )
        for c in handled_list(session, actor, employee_id, start, end)
    ]
    view = HandledListView(
        emp.full_name if emp else "",
        emp.nip if emp else "",
        unit.name if unit else "",
        span_label,
        realisasi,
        items,
        get_letterhead(session),
    )
    return render_handled_list(view)


def fill_complaint_realisasi(
    session: Session, actor: Principal, evaluation_id: str, *, expected_hlc: str | None, today: date | None = None
) -> list[ComplaintIki]:
    """Write the complaint figures as the realisasi of the evaluation's complaint IKI and keep the
    list of complaints as bukti dukung of each such RHK. Other realisasi stay as they were."""
    ev = get_evaluation(session, actor, evaluation_id)
    offers = complaint_ikis(session, actor, evaluation_id, today=today)
    if not offers:
        raise UserError(
            _(
                'SKP ini tidak punya IKI tentang pengaduan (misalnya "persentase pengaduan '
                'ditindaklanjuti tepat waktu"); tidak ada yang diisi.'
            )
        )
    start, end, label = _span(session, ev.period_id)
    realisasi = {k: dict(v) for k, v in (ev.realisasi or {}).items()}
    for offer in offers:
        entry = realisasi.setdefault(offer.iki_id, {"realisasi": "", "umpan_balik": ""})
        entry["realisasi"] = offer.text
    form = EvaluationForm(
        ev.rating_hasil_kerja,
        ev.rating_perilaku_kerja,
        realisasi,
        dict(ev.perilaku_feedback or {}),
        ev.catatan_rekomendasi,
    )
    save_evaluation(session, actor, evaluation_id, form, expected_hlc=expected_hlc)
    pdf = handled_list_pdf(session, actor, ev.employee_id, start, end, label, offers[0].text)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"daftar-pengaduan-{label.replace(' ', '-').lower()}.pdf"
        path.write_bytes(pdf)
        for rhk_id in dict.fromkeys(o.rhk_id for o in offers):
            add_evidence(
                session,
                actor,
                ev.skp_id or "",
                path,
                rhk_id=rhk_id,
                description=_("Daftar pengaduan yang ditangani, {label} (dari register pengaduan)").format(label=label),
            )
    return offers
