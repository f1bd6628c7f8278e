"""Building the document views (``reports.views``) from the database (Session + NIP/unit, year, period).

Final evaluations print the identities frozen when they were finalized; drafts print
today's identities and are marked as drafts (watermark, no signature blocks). A PPPK
prints the NI PPPK and the golongan PPPK; the kepala daerah prints without NIP. The
letterhead names the perangkat daerah of the document's subject, not a Bidang. The date
of a document is the day it is issued (in WIB); the day it became final or was agreed
is stated in its body.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.berakhlak import BERAKHLAK
from kinerja_desktop.domain.dates import WIB, format_date_id, month_name_id
from kinerja_desktop.domain.distribution import check_distribution, count_predikat, reference_bands, reference_rules
from kinerja_desktop.domain.frozen_skp import FrozenSkpRow, frozen_rows
from kinerja_desktop.domain.golongan import GolonganError, pangkat_golongan_label
from kinerja_desktop.domain.nip import NipError, parse_nip
from kinerja_desktop.domain.predikat import Predikat, parse_capaian
from kinerja_desktop.domain.predikat import Predikat as P  # noqa: N817 (the distribution tables read like the regulation's)
from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.short_form import period_range_text
from kinerja_desktop.reports.views import (
    DetailedFormView,
    DistributionView,
    EarlierAssignmentRow,
    Letterhead,
    PerilakuRow,
    PersonIdentity,
    RecapRow,
    RecapView,
    ReferenceCurveView,
    RhkGroup,
    RhkRow,
    ShortFormView,
    SkpRhkGroup,
    SkpRhkRow,
    SkpView,
)
from kinerja_desktop.services.access.principal import SYSTEM, Principal
from kinerja_desktop.services.pegawai.acknowledge import acknowledged_on
from kinerja_desktop.services.performance import evaluations
from kinerja_desktop.services.performance.capaian import effective_capaian
from kinerja_desktop.services.performance.distribution_recap import unit_recap
from kinerja_desktop.services.performance.evaluations import current_evaluation, earlier_assignments, identities_now
from kinerja_desktop.services.performance.periods import annual_period, find_period, period_code, period_label
from kinerja_desktop.services.performance.skp import load_skp, skps_for_year
from kinerja_desktop.services.roster.org_tree import unit_ids_under
from kinerja_desktop.services.settings import get_letterhead, get_setting
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.lookup import referenced
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.store.skp import LAMPIRAN_KEYS, Skp, SkpExpectation

DEFAULT_PLACE = "Muara Bulian"
ROMAN = ("I", "II", "III", "IV")


# --- small pieces ----------------------------------------------------------------------------


def is_government_root(unit: Unit | None) -> bool:
    """The unit standing for the whole Pemerintah Kabupaten (the top of a tree, named "Pemerintah ...")."""
    return unit is not None and not unit.parent_id and unit.name.strip().lower().startswith("pemerintah ")


def perangkat_daerah(session: Session, unit_id: str | None) -> Unit | None:
    """The perangkat daerah a unit belongs to: the top of its branch, below a government root if there is one.

    None for the government root itself (its letterhead names the government only).
    """
    unit = session.get(Unit, unit_id) if unit_id else None
    seen = set()
    while unit is not None and unit.parent_id and unit.parent_id not in seen:
        seen.add(unit.id)
        parent = session.get(Unit, unit.parent_id)
        if parent is None or parent.deleted or is_government_root(parent):
            break
        unit = parent
    return None if is_government_root(unit) else unit


def letterhead(session: Session, unit_name: str | None = None, *, unit_id: str | None = None) -> Letterhead:
    """The kop surat: the settings' government, address and logo; the unit line is the perangkat
    daerah of ``unit_id`` (never a Bidang), else the settings' unit, else ``unit_name``."""

    lh = Letterhead.from_settings(get_letterhead(session))
    pd = perangkat_daerah(session, unit_id)
    if pd is not None:
        name = pd.name
    elif unit_id:  # the government root itself: the government line says it all
        name = ""
    else:
        name = lh.unit_name or unit_name or ""
    return Letterhead(lh.government, name, lh.address_lines, lh.logo_path)


def today_wib() -> date:
    """The day of issue of a document, in WIB (Jambi's zone) whatever the PC's zone."""

    return datetime.now(WIB).date()


def instansi(lh: Letterhead) -> str:
    return lh.government.strip()


def document_place(session: Session) -> str:

    return get_setting(session, "document_place", DEFAULT_PLACE) or DEFAULT_PLACE


def grouped_nip(nip: str, status: str) -> str:
    """The number as printed: the NIP of a PNS or the NI PPPK of a PPPK, grouped by its parts."""
    kind = str(status).upper()
    if kind not in ("PNS", "PPPK") or not nip:
        return ""
    try:
        return parse_nip(nip, kind="PNS" if kind == "PNS" else "PPPK").grouped()
    except NipError:
        return nip


def _golongan_text(golongan: str | None, status: str) -> str:
    """ "Penata Muda, III/a" for a PNS, the golongan PPPK ("IX") for a PPPK."""
    if str(status).upper() not in ("PNS", "PPPK") or not golongan:
        return ""
    try:
        return pangkat_golongan_label(golongan, str(status).upper())
    except GolonganError:
        return golongan or ""


def person_from_identity(data: dict | None) -> PersonIdentity | None:
    """From the identities JSON of an evaluation ({"nama", "nip", "status", ...})."""
    if not data:
        return None
    status = str(data.get("status", "PNS")).upper()
    return PersonIdentity(
        name=data.get("nama", ""),
        nip=grouped_nip(data.get("nip", ""), status),
        pangkat_gol=data.get("pangkat_golongan", "") if status in ("PNS", "PPPK") else "",
        jabatan=data.get("jabatan", ""),
        unit=data.get("unit_kerja", ""),
        nip_raw=data.get("nip", ""),
        status=status,
    )


def person_of(session: Session, employee: Employee | None) -> PersonIdentity | None:
    if employee is None:
        return None

    pos = session.get(Position, employee.position_id) if employee.position_id else None
    unit = session.get(Unit, employee.unit_id) if employee.unit_id else None
    return PersonIdentity(
        name=employee.full_name,
        nip=grouped_nip(employee.nip, employee.status),
        pangkat_gol=_golongan_text(employee.golongan, employee.status),
        jabatan=pos.name if pos else "",
        unit=unit.name if unit else "",
        nip_raw=employee.nip,
        status=employee.status,
    )


def employee_by_nip(session: Session, nip: str) -> Employee:
    digits = "".join(ch for ch in str(nip) if ch.isdigit())
    emp = session.scalar(select(Employee).where(Employee.nip == digits, Employee.deleted.is_(False)))
    if emp is None:
        raise NotFound(_("Pegawai dengan NIP {nip} tidak ada di data.").format(nip=nip))
    return emp


def unit_by_code(session: Session, code: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.code == str(code).strip(), Unit.deleted.is_(False)))
    if unit is None:
        raise NotFound(_("Unit kerja dengan kode {code} tidak ada di data.").format(code=code))
    return unit


def form_period_label(period) -> str:
    """What the forms print after "PERIODE:": TRIWULAN I, SEMESTER II, AKHIR, BULAN MARET."""
    if period.kind == "akhir":
        return "AKHIR"
    if period.kind == "triwulan":
        return f"TRIWULAN {ROMAN[period.number - 1]}"
    if period.kind == "semester":
        return f"SEMESTER {ROMAN[period.number - 1]}"
    return f"BULAN {month_name_id(period.number).upper()}"


def resolve_period(session: Session, year: int, period: str | None):

    return find_period(session, year, period) if period else annual_period(session, year)


def distribution_view(
    session: Session, actor: Principal, unit_id: str | None, year: int, period_id: str | None
) -> DistributionView | None:
    if not unit_id:
        return None

    recap = unit_recap(session, actor, unit_id, year, period_id=period_id)
    if recap.report is None:
        return None
    return distribution_of(recap.report)


def distribution_of(report) -> DistributionView:
    """A printable distribution from a ``domain.distribution.DistributionReport`` (final evaluations)."""
    return DistributionView(
        capaian=report.capaian.label,
        counts=tuple((p.label, report.counts[p]) for p in Predikat),
        rules=tuple((r.text, r.ok, r.actual_text()) for r in report.rules),
        summary=report.summary_text(),
    )


def reference_view(capaian) -> ReferenceCurveView | None:
    """The reference curve of a capaian level (bands and rules), or None without a capaian."""
    if capaian is None:
        return None

    return ReferenceCurveView(
        capaian=capaian.label,
        bands=tuple((b.predikat.label, b.low, b.high, b.text()) for b in reference_bands(capaian)),
        rules=tuple(reference_rules(capaian)),
    )


# --- evaluations -----------------------------------------------------------------------------


def evaluation_for(session: Session, nip: str, year: int, period: str | None):
    """(employee, period, current evaluation); :class:`UserError` when there is none."""

    emp = employee_by_nip(session, nip)
    per = resolve_period(session, year, period)
    ev = current_evaluation(session, emp.id, per.id)
    if ev is None:
        raise UserError(
            _("Belum ada evaluasi kinerja {name} untuk periode {period}.").format(
                name=emp.full_name, period=period_label(per)
            )
        )
    return emp, per, ev


def _identities(session: Session, ev, emp) -> dict:
    if ev.status == "final" and ev.identities:
        return ev.identities

    return identities_now(session, emp.id, ev.skp_id)


def evaluation_document_id(year: int, period, nip: str, revision: int) -> str:

    return f"EV-{year}-{period_code(period)}-{nip}-R{revision}"


def _capaian_of(session: Session, ev, emp, period):
    """The capaian kinerja organisasi of the evaluation's period (the head's own, else the unit's)."""

    if ev.capaian:
        return parse_capaian(ev.capaian)
    skp = session.get(Skp, ev.skp_id) if ev.skp_id else None
    unit_id = skp.unit_id if skp is not None and skp.unit_id else emp.unit_id
    capaian, _unit = effective_capaian(session, unit_id, period) if unit_id else (None, None)
    return capaian


def _capaian_text(session: Session, ev, emp, period) -> str:
    capaian = _capaian_of(session, ev, emp, period)
    return capaian.label if capaian else _("Belum ditetapkan")


def short_form_view(
    session: Session, nip: str, year: int, period: str | None = None, *, actor: Principal = SYSTEM
) -> ShortFormView:
    emp, per, ev = evaluation_for(session, nip, year, period)
    return short_from(session, emp, per, ev)


def _subject_unit(session: Session, ev, emp) -> str | None:
    """The unit of the evaluated assignment (the SKP's, else the employee's)."""

    skp = session.get(Skp, ev.skp_id) if ev.skp_id else None
    return skp.unit_id if skp is not None and skp.unit_id else emp.unit_id


def short_from(session: Session, emp, per, ev) -> ShortFormView:
    ids = _identities(session, ev, emp)
    lh = letterhead(session, unit_id=_subject_unit(session, ev, emp))
    label = form_period_label(per)
    draft = ev.status != "final"
    if draft:
        label = f"{label} (DRAF)"
    return ShortFormView(
        period_label=label,
        instansi=instansi(lh),
        period_start=per.start,
        period_end=per.end,
        pegawai=person_from_identity(ids.get("pegawai")) or PersonIdentity(name=emp.full_name),
        pejabat=person_from_identity(ids.get("pejabat_penilai")) or PersonIdentity(name=""),
        atasan=person_from_identity(ids.get("atasan_pejabat_penilai")),
        capaian_organisasi=_capaian_text(session, ev, emp, per),
        predikat=ev.predikat or _("Belum ditetapkan"),
        catatan=ev.catatan_rekomendasi or "",
        place=document_place(session),
        date=today_wib(),
        document_id=evaluation_document_id(per.year, per, emp.nip, ev.revision_no),
        letterhead=lh,
        year=per.year,
        draft=draft,
        record_date=ev.finalized_on if not draft else None,
        read_on=acknowledged_on(session, ev.id) if not draft else None,
    )


def _frozen_rows(session: Session, ev) -> list[FrozenSkpRow]:
    if ev.status == "final" and ev.frozen_skp:
        return frozen_rows(ev.frozen_skp)
    return frozen_rows(evaluations.frozen_skp(session, ev.skp_id))  # the same rows finalizing would freeze


def _expectations(session: Session, skp_id: str | None) -> dict[str, str]:
    if not skp_id:
        return {}

    rows = session.scalars(
        select(SkpExpectation).where(SkpExpectation.skp_id == skp_id, SkpExpectation.deleted.is_(False))
    )
    return {r.value_code: r.text for r in rows}


def _is_jpt(session: Session, skp_id: str | None) -> bool:
    if not skp_id:
        return False

    skp = session.get(Skp, skp_id)
    return bool(skp and skp.model == "jpt")


def _is_kualitatif(session: Session, skp_id: str | None) -> bool:
    if not skp_id:
        return False

    skp = session.get(Skp, skp_id)
    return bool(skp and skp.approach == "kualitatif")


def _earlier_rows(session: Session, ev) -> tuple[EarlierAssignmentRow, ...]:

    out = []
    for a in earlier_assignments(session, ev):
        results = (
            "; ".join(
                f"{label}: {P(pred).label if pred else '-'}" + ("" if status == "final" else " (draf)")
                for label, pred, status in a.results
            )
            or "-"
        )
        out.append(EarlierAssignmentRow(period_range_text(a.start, a.end), a.jabatan, a.unit, a.penilai, results))
    return tuple(out)


def detailed_form_view(
    session: Session, nip: str, year: int, period: str | None = None, *, actor: Principal = SYSTEM
) -> DetailedFormView:
    emp, per, ev = evaluation_for(session, nip, year, period)
    return detailed_from(session, actor, emp, per, ev)


# long: fills the form's view field by field, in the order of the form
def detailed_from(session: Session, actor: Principal, emp, per, ev) -> DetailedFormView:
    short = short_from(session, emp, per, ev)
    jpt = _is_jpt(session, ev.skp_id)
    realisasi = ev.realisasi or {}
    groups = []
    for group, title in (("utama", _("A. UTAMA")), ("tambahan", _("B. TAMBAHAN"))):
        rows = []
        numbers: dict[str, int] = {}
        for row in _frozen_rows(session, ev):
            if row.group != group:
                continue
            n = numbers.setdefault(row.rhk_id, len(numbers) + 1)
            done = realisasi.get(row.iki_id, {})
            rows.append(
                RhkRow(
                    no=str(n),
                    rhk_pimpinan=(row.perspektif if jpt else row.rhk_pimpinan) or "-",
                    rhk=row.rhk,
                    aspek=row.aspek,
                    iki=row.iki,
                    target=row.target,
                    realisasi=done.get("realisasi", ""),
                    umpan_balik=done.get("umpan_balik", ""),
                )
            )
        groups.append(RhkGroup(title, tuple(rows)))
    expectations = _expectations(session, ev.skp_id)
    feedback = ev.perilaku_feedback or {}
    perilaku = tuple(
        PerilakuRow(
            v.number,
            _(v.name),
            tuple(_(i) for i in v.indicators),
            expectations.get(v.code, ""),
            feedback.get(v.code, ""),
        )
        for v in BERAKHLAK
    )
    return DetailedFormView(
        period_label=short.period_label,
        instansi=short.instansi,
        period_start=short.period_start,
        period_end=short.period_end,
        pegawai=short.pegawai,
        pejabat=short.pejabat,
        atasan=short.atasan,
        capaian_organisasi=short.capaian_organisasi,
        predikat=short.predikat,
        catatan=short.catatan,
        place=short.place,
        date=short.date,
        document_id=short.document_id.replace("EV-", "EVR-", 1),
        rhk_groups=tuple(groups),
        rating_hasil_kerja=ev.rating_hasil_kerja or "-",
        perilaku=perilaku,
        rating_perilaku=ev.rating_perilaku_kerja or "-",
        reference=reference_view(_capaian_of(session, ev, emp, per)),
        is_jpt=jpt,
        letterhead=short.letterhead,
        year=per.year,
        kualitatif=_is_kualitatif(session, ev.skp_id),
        draft=short.draft,
        record_date=short.record_date,
        earlier=_earlier_rows(session, ev),
        read_on=short.read_on,
    )


# --- SKP -------------------------------------------------------------------------------------


# long: fills the form's view field by field, in the order of the form
def skp_view(session: Session, nip: str, year: int, *, actor: Principal = SYSTEM, skp_id: str | None = None) -> SkpView:
    """The SKP of ``year`` (the latest assignment's, or ``skp_id`` for an earlier one)."""

    emp = employee_by_nip(session, nip)
    skps = skps_for_year(session, emp.id, year)
    skp = next((x for x in skps if x.id == skp_id), None) if skp_id else (skps[-1] if skps else None)
    if skp is None:
        raise UserError(_("{name} belum memiliki SKP tahun {year}.").format(name=emp.full_name, year=year))
    loaded = load_skp(session, actor, skp.id)
    jpt = skp.model == "jpt"
    groups = []
    for group, title in (("utama", _("A. UTAMA")), ("tambahan", _("B. TAMBAHAN"))):
        rows = []
        n = 0
        for rhk, ikis in loaded.rhks:
            if rhk.group != group:
                continue
            n += 1
            leader = (rhk.perspektif if jpt else loaded.parent_texts.get(rhk.parent_rhk_id or "", "")) or "-"
            for iki in ikis or [None]:  # type: ignore[list-item]  # an RHK without IKI still prints its row
                rows.append(
                    SkpRhkRow(
                        str(n),
                        leader,
                        rhk.text,
                        iki.aspek if iki else "",
                        iki.indicator if iki else "",
                        iki.target if iki else "",
                    )
                )
        groups.append(SkpRhkGroup(title, tuple(rows)))
    perilaku = tuple(
        PerilakuRow(v.number, _(v.name), tuple(_(i) for i in v.indicators), loaded.expectations.get(v.code, ""))
        for v in BERAKHLAK
    )
    lampiran = skp.lampiran or {}
    ids = identities_now(session, emp.id, skp.id)
    pegawai = person_from_identity(ids["pegawai"]) or PersonIdentity(name="")
    lh = letterhead(session, unit_id=skp.unit_id or emp.unit_id)
    number = [x.id for x in skps].index(skp.id) + 1
    assignment = ""
    if len(skps) > 1:
        assignment = _("Penugasan {n} dari {total} pada tahun {year}: {start} s.d. {end}").format(
            n=number, total=len(skps), year=year, start=format_date_id(skp.start), end=format_date_id(skp.end)
        )
        if skp.assignment_note:
            assignment += f" ({skp.assignment_note})"
    return SkpView(
        year=year,
        instansi=instansi(lh),
        period_start=skp.start,
        period_end=skp.end,
        pendekatan=(skp.approach or "kuantitatif").capitalize(),
        pegawai=pegawai,
        pejabat=person_from_identity(ids["pejabat_penilai"]) or PersonIdentity(name=""),
        atasan=person_from_identity(ids["atasan_pejabat_penilai"]),
        rhk_groups=tuple(groups),
        perilaku=perilaku,
        dukungan_sumber_daya=tuple(lampiran.get(LAMPIRAN_KEYS[0], [])),
        skema_pertanggungjawaban=tuple(lampiran.get(LAMPIRAN_KEYS[1], [])),
        konsekuensi=tuple(lampiran.get(LAMPIRAN_KEYS[2], [])),
        place=document_place(session),
        date=today_wib(),
        document_id=f"SKP-{year}-{emp.nip}" + (f"-P{number}" if number > 1 else ""),
        is_jpt=jpt,
        letterhead=lh,
        agreed=skp.status == "agreed",
        kualitatif=skp.approach == "kualitatif",
        record_date=skp.agreed_on if skp.status == "agreed" else None,
        assignment=assignment,
    )


# --- recaps ----------------------------------------------------------------------------------


def _unit_employees(session: Session, unit: Unit) -> list[Employee]:
    ids = unit_ids_under(session, unit.id)
    return list(
        session.scalars(
            select(Employee)
            .where(Employee.unit_id.in_(ids), Employee.deleted.is_(False), Employee.active.is_(True))
            .order_by(Employee.name)
        )
    )


def unit_head(session: Session, unit: Unit, people: list[Employee]) -> PersonIdentity | None:
    """The head of ``unit`` among ``people`` (the signer of the unit's recaps), or None."""

    for emp in people:
        pos = session.get(Position, emp.position_id) if emp.position_id else None
        if pos is not None and pos.is_unit_head and emp.unit_id == unit.id:
            return person_of(session, emp)
    return None


def recap_view(
    session: Session,
    unit_code: str,
    year: int,
    period: str | None = None,
    *,
    actor: Principal = SYSTEM,
    members: set[str] | None = None,
) -> RecapView:
    """The predikat of an organisation's employees (the head not counted) against its curve; finals only.

    ``members``: only these employees (a pejabat penilai's chain); the curve then counts only them.
    """

    unit = unit_by_code(session, unit_code)
    per = resolve_period(session, year, period)
    # A recap limited to ``members`` was authorized by the caller (the documents service
    # hands a pejabat penilai's chain); the organisation-wide one is the recap service's to allow.
    recap = unit_recap(session, SYSTEM if members is not None else actor, unit.id, year, period_id=per.id)
    org = referenced(session, Unit, recap.unit_id)
    ids = [i for i in recap.member_ids if members is None or i in members]
    people = sorted((referenced(session, Employee, i) for i in ids), key=lambda e: (e.name, e.nip))
    rows = []
    for i, emp in enumerate(people, start=1):
        ev = current_evaluation(session, emp.id, per.id)
        pred = ""
        if ev is not None and ev.predikat:
            pred = Predikat(ev.predikat).label if ev.status == "final" else _("draf (belum final)")
        p = person_of(session, emp)
        assert p is not None
        rows.append(RecapRow(i, p.name, p.nip, p.jabatan, pred, p.status, p.pangkat_gol))
    if members is None and recap.report is not None:
        dist = distribution_of(recap.report)
    elif members is not None and recap.capaian is not None:
        dist = _distribution_of_rows(recap.capaian, rows)
    else:
        counts = (
            count_predikat(r.predikat for r in rows if r.predikat in _FINAL_LABELS)
            if members is not None
            else recap.counts
        )
        dist = DistributionView(
            capaian=_("Belum ditetapkan"),
            counts=tuple((p.label, counts[p]) for p in Predikat),
            rules=(),
            summary=recap.summary_text() if members is None else "",
        )
    heads = [referenced(session, Employee, i) for i in recap.head_ids]
    return RecapView(
        unit_code=org.code,
        unit_name=org.name,
        year=year,
        period_label=form_period_label(per),
        rows=tuple(rows),
        distribution=dist,
        place=document_place(session),
        date=today_wib(),
        document_id=f"RP-{year}-{period_code_of(per)}-{org.code}",
        signer=unit_head(session, org, heads),
        letterhead=letterhead(session, unit_id=org.id),
    )


def period_code_of(period) -> str:

    return period_code(period)


def _distribution_of_rows(capaian, rows: list) -> DistributionView:
    """The curve over the listed rows only (a recap limited to a pejabat penilai's chain), final only."""
    counts = count_predikat(r.predikat for r in rows if r.predikat in _FINAL_LABELS)
    report = check_distribution(capaian, counts)
    return DistributionView(
        capaian=report.capaian.label,
        counts=tuple((p.label, report.counts[p]) for p in Predikat),
        rules=tuple((r.text, r.ok, r.actual_text()) for r in report.rules),
        summary=report.summary_text(),
    )


_FINAL_LABELS = frozenset(p.label for p in Predikat)
