"""Building the document views (``reports.views``) from the database (Session + NIP/unit, year, period).

Final evaluations print the identities frozen when they were finalized; drafts print
today's identities and are marked as drafts. NIP and pangkat are blank for non-PNS.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.berakhlak import BERAKHLAK
from kinerja_desktop.domain.dates import month_name_id
from kinerja_desktop.domain.golongan import GolonganError, pangkat_golongan_label
from kinerja_desktop.domain.nip import NipError, parse_nip
from kinerja_desktop.domain.predikat import Predikat
from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.reports.views import (
    DetailedFormView,
    DistributionView,
    JpRecapView,
    JpRow,
    Letterhead,
    PerilakuRow,
    PersonIdentity,
    RecapRow,
    RecapView,
    RhkGroup,
    RhkRow,
    ShortFormView,
    SkpRhkGroup,
    SkpRhkRow,
    SkpView,
)
from kinerja_desktop.services.principal import SYSTEM, Principal
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Unit

DEFAULT_PLACE = "Muara Bulian"
ROMAN = ("I", "II", "III", "IV")


# --- small pieces ----------------------------------------------------------------------------


def letterhead(session: Session, unit_name: str | None = None) -> Letterhead:
    from kinerja_desktop.services.settings import get_letterhead

    lh = Letterhead.from_settings(get_letterhead(session))
    if not lh.unit_name and unit_name:
        lh = Letterhead(lh.government, unit_name, lh.address_lines, lh.logo_path)
    return lh


def instansi(lh: Letterhead) -> str:
    return lh.government.strip()


def document_place(session: Session) -> str:
    from kinerja_desktop.services.settings import get_setting

    return get_setting(session, "document_place", DEFAULT_PLACE) or DEFAULT_PLACE


def grouped_nip(nip: str, status: str) -> str:
    """The NIP as printed: grouped for PNS, blank for non-PNS."""
    if str(status).upper() != "PNS" or not nip:
        return ""
    try:
        return parse_nip(nip, kind="PNS").grouped()
    except NipError:
        return nip


def person_from_identity(data: dict | None) -> PersonIdentity | None:
    """From the identities JSON of an evaluation ({"nama", "nip", "status", ...})."""
    if not data:
        return None
    status = data.get("status", "PNS")
    return PersonIdentity(
        name=data.get("nama", ""),
        nip=grouped_nip(data.get("nip", ""), status),
        pangkat_gol=data.get("pangkat_golongan", "") if str(status).upper() == "PNS" else "",
        jabatan=data.get("jabatan", ""),
        unit=data.get("unit_kerja", ""),
        nip_raw=data.get("nip", ""),
    )


def person_of(session: Session, employee: Employee | None) -> PersonIdentity | None:
    if employee is None:
        return None
    from kinerja_desktop.store.org import Position

    pos = session.get(Position, employee.position_id) if employee.position_id else None
    unit = session.get(Unit, employee.unit_id) if employee.unit_id else None
    pangkat = ""
    if employee.status == "PNS":
        try:
            pangkat = pangkat_golongan_label(employee.golongan, "PNS")
        except GolonganError:
            pangkat = employee.golongan or ""
    return PersonIdentity(
        name=employee.full_name,
        nip=grouped_nip(employee.nip, employee.status),
        pangkat_gol=pangkat,
        jabatan=pos.name if pos else "",
        unit=unit.name if unit else "",
        nip_raw=employee.nip,
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
    from kinerja_desktop.services.periods import annual_period, find_period

    return find_period(session, year, period) if period else annual_period(session, year)


def distribution_view(session: Session, actor: Principal, unit_id: str | None, year: int,
                      period_id: str | None) -> DistributionView | None:
    if not unit_id:
        return None
    from kinerja_desktop.services.distribution_recap import unit_recap

    recap = unit_recap(session, actor, unit_id, year, period_id=period_id)
    if recap.report is None:
        return None
    report = recap.report
    return DistributionView(
        capaian=report.capaian.label,
        counts=tuple((p.label, report.counts[p]) for p in Predikat),
        rules=tuple((r.text, r.ok, r.actual_text()) for r in report.rules),
        summary=report.summary_text(),
    )


# --- evaluations -----------------------------------------------------------------------------


def evaluation_for(session: Session, nip: str, year: int, period: str | None):
    """(employee, period, current evaluation); :class:`UserError` when there is none."""
    from kinerja_desktop.services.evaluations import current_evaluation
    from kinerja_desktop.services.periods import period_label

    emp = employee_by_nip(session, nip)
    per = resolve_period(session, year, period)
    ev = current_evaluation(session, emp.id, per.id)
    if ev is None:
        raise UserError(_("Belum ada evaluasi kinerja {name} untuk periode {period}.").format(
            name=emp.full_name, period=period_label(per)))
    return emp, per, ev


def _identities(session: Session, ev, emp) -> dict:
    if ev.status == "final" and ev.identities:
        return ev.identities
    from kinerja_desktop.services.evaluations import identities_now

    return identities_now(session, emp.id)


def evaluation_document_id(year: int, period, nip: str, revision: int) -> str:
    from kinerja_desktop.services.periods import period_code

    return f"EV-{year}-{period_code(period)}-{nip}-R{revision}"


def _capaian_text(session: Session, ev, emp, year: int) -> str:
    if ev.capaian:
        return ev.capaian
    from kinerja_desktop.services.capaian import effective_capaian

    capaian, _unit = effective_capaian(session, emp.unit_id, year) if emp.unit_id else (None, None)
    return capaian.label if capaian else _("Belum ditetapkan")


def short_form_view(session: Session, nip: str, year: int, period: str | None = None, *,
                    actor: Principal = SYSTEM) -> ShortFormView:
    emp, per, ev = evaluation_for(session, nip, year, period)
    return _short_from(session, emp, per, ev)


def _short_from(session: Session, emp, per, ev) -> ShortFormView:
    ids = _identities(session, ev, emp)
    unit = session.get(Unit, emp.unit_id) if emp.unit_id else None
    lh = letterhead(session, unit.name if unit else None)
    label = form_period_label(per)
    if ev.status != "final":
        label = f"{label} (DRAF)"
    when = ev.finalized_on or date.today()
    return ShortFormView(
        period_label=label,
        instansi=instansi(lh),
        period_start=per.start,
        period_end=per.end,
        pegawai=person_from_identity(ids.get("pegawai")) or PersonIdentity(name=emp.full_name),
        pejabat=person_from_identity(ids.get("pejabat_penilai")) or PersonIdentity(name=""),
        atasan=person_from_identity(ids.get("atasan_pejabat_penilai")),
        capaian_organisasi=_capaian_text(session, ev, emp, per.year),
        predikat=ev.predikat or _("Belum ditetapkan"),
        catatan=ev.catatan_rekomendasi or "",
        place=document_place(session),
        date=when,
        document_id=evaluation_document_id(per.year, per, emp.nip, ev.revision_no),
        letterhead=lh,
        year=per.year,
    )


def _frozen_rows(session: Session, ev) -> list[dict]:
    if ev.status == "final" and ev.frozen_skp:
        return list(ev.frozen_skp.get("rows", []))
    from kinerja_desktop.services import evaluations

    frozen = evaluations._frozen_skp(session, ev.skp_id)  # the same rows finalizing would freeze
    return list((frozen or {}).get("rows", []))


def _expectations(session: Session, skp_id: str | None) -> dict[str, str]:
    if not skp_id:
        return {}
    from kinerja_desktop.store.skp import SkpExpectation

    rows = session.scalars(select(SkpExpectation).where(SkpExpectation.skp_id == skp_id,
                                                         SkpExpectation.deleted.is_(False)))
    return {r.value_code: r.text for r in rows}


def _is_jpt(session: Session, skp_id: str | None) -> bool:
    if not skp_id:
        return False
    from kinerja_desktop.store.skp import Skp

    skp = session.get(Skp, skp_id)
    return bool(skp and skp.model == "jpt")


def detailed_form_view(session: Session, nip: str, year: int, period: str | None = None, *,
                       actor: Principal = SYSTEM) -> DetailedFormView:
    emp, per, ev = evaluation_for(session, nip, year, period)
    return _detailed_from(session, actor, emp, per, ev)


def _detailed_from(session: Session, actor: Principal, emp, per, ev) -> DetailedFormView:
    short = _short_from(session, emp, per, ev)
    jpt = _is_jpt(session, ev.skp_id)
    realisasi = ev.realisasi or {}
    groups = []
    for group, title in (("utama", _("A. UTAMA")), ("tambahan", _("B. TAMBAHAN"))):
        rows = []
        numbers: dict[str, int] = {}
        for row in _frozen_rows(session, ev):
            if row.get("group", "utama") != group:
                continue
            n = numbers.setdefault(row.get("rhk_id") or row.get("rhk"), len(numbers) + 1)
            done = realisasi.get(row.get("iki_id"), {})
            rows.append(RhkRow(
                no=str(n),
                rhk_pimpinan=(row.get("perspektif") if jpt else row.get("rhk_pimpinan")) or "-",
                rhk=row.get("rhk", ""),
                aspek=row.get("aspek", ""),
                iki=row.get("iki", ""),
                target=row.get("target", ""),
                realisasi=done.get("realisasi", ""),
                umpan_balik=done.get("umpan_balik", ""),
            ))
        groups.append(RhkGroup(title, tuple(rows)))
    expectations = _expectations(session, ev.skp_id)
    feedback = ev.perilaku_feedback or {}
    perilaku = tuple(
        PerilakuRow(v.number, _(v.name), tuple(_(i) for i in v.indicators), expectations.get(v.code, ""),
                    feedback.get(v.code, ""))
        for v in BERAKHLAK
    )
    return DetailedFormView(
        period_label=short.period_label, instansi=short.instansi, period_start=short.period_start,
        period_end=short.period_end, pegawai=short.pegawai, pejabat=short.pejabat, atasan=short.atasan,
        capaian_organisasi=short.capaian_organisasi, predikat=short.predikat, catatan=short.catatan,
        place=short.place, date=short.date, document_id=short.document_id.replace("EV-", "EVR-", 1),
        rhk_groups=tuple(groups), rating_hasil_kerja=ev.rating_hasil_kerja or "-", perilaku=perilaku,
        rating_perilaku=ev.rating_perilaku_kerja or "-",
        distribution=distribution_view(session, actor, emp.unit_id, per.year, per.id),
        is_jpt=jpt, letterhead=short.letterhead, year=per.year,
    )


# --- SKP -------------------------------------------------------------------------------------


def skp_view(session: Session, nip: str, year: int, *, actor: Principal = SYSTEM) -> SkpView:
    from kinerja_desktop.services.skp import load_skp, skp_for
    from kinerja_desktop.store.skp import LAMPIRAN_KEYS

    emp = employee_by_nip(session, nip)
    skp = skp_for(session, emp.id, year)
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
            for iki in ikis or [None]:
                rows.append(SkpRhkRow(str(n), leader, rhk.text, iki.aspek if iki else "",
                                      iki.indicator if iki else "", iki.target if iki else ""))
        groups.append(SkpRhkGroup(title, tuple(rows)))
    perilaku = tuple(
        PerilakuRow(v.number, _(v.name), tuple(_(i) for i in v.indicators), loaded.expectations.get(v.code, ""))
        for v in BERAKHLAK
    )
    lampiran = skp.lampiran or {}
    supervisor = session.get(Employee, skp.evaluator_id or emp.supervisor_id) \
        if (skp.evaluator_id or emp.supervisor_id) else None
    atasan = session.get(Employee, supervisor.supervisor_id) if supervisor and supervisor.supervisor_id else None
    unit = session.get(Unit, emp.unit_id) if emp.unit_id else None
    lh = letterhead(session, unit.name if unit else None)
    return SkpView(
        year=year, instansi=instansi(lh), period_start=skp.start, period_end=skp.end,
        pendekatan=(skp.approach or "kuantitatif").capitalize(),
        pegawai=person_of(session, emp), pejabat=person_of(session, supervisor) or PersonIdentity(name=""),
        atasan=person_of(session, atasan), rhk_groups=tuple(groups), perilaku=perilaku,
        dukungan_sumber_daya=tuple(lampiran.get(LAMPIRAN_KEYS[0], [])),
        skema_pertanggungjawaban=tuple(lampiran.get(LAMPIRAN_KEYS[1], [])),
        konsekuensi=tuple(lampiran.get(LAMPIRAN_KEYS[2], [])),
        place=document_place(session), date=skp.agreed_on or date.today(),
        document_id=f"SKP-{year}-{emp.nip}", is_jpt=jpt, letterhead=lh, agreed=skp.status == "agreed",
    )


# --- recaps ----------------------------------------------------------------------------------


def _unit_employees(session: Session, unit: Unit) -> list[Employee]:
    from kinerja_desktop.services.distribution_recap import _subtree, _tree

    _units, children = _tree(session)
    ids = _subtree(children, unit.id)
    return list(session.scalars(select(Employee).where(
        Employee.unit_id.in_(ids), Employee.deleted.is_(False), Employee.active.is_(True)
    ).order_by(Employee.name)))


def unit_head(session: Session, unit: Unit, people: list[Employee]) -> PersonIdentity | None:
    """The head of ``unit`` among ``people`` (the signer of the unit's recaps), or None."""
    from kinerja_desktop.store.org import Position

    for emp in people:
        pos = session.get(Position, emp.position_id) if emp.position_id else None
        if pos is not None and pos.is_unit_head and emp.unit_id == unit.id:
            return person_of(session, emp)
    return None


_unit_head = unit_head  # the name the training recap (services/jp_recap_view.py) imports


def recap_view(session: Session, unit_code: str, year: int, period: str | None = None, *,
               actor: Principal = SYSTEM, members: set[str] | None = None) -> RecapView:
    """``members``: only these employees (a pejabat penilai's chain); the curve then counts only them."""
    from kinerja_desktop.services.evaluations import current_evaluation

    unit = unit_by_code(session, unit_code)
    per = resolve_period(session, year, period)
    everyone = _unit_employees(session, unit)
    people = everyone if members is None else [e for e in everyone if e.id in members]
    rows = []
    for i, emp in enumerate(people, start=1):
        ev = current_evaluation(session, emp.id, per.id)
        pred = Predikat(ev.predikat).label if ev is not None and ev.predikat else ""
        p = person_of(session, emp)
        rows.append(RecapRow(i, p.name, p.nip, p.jabatan, pred))
    dist = distribution_view(session, actor, unit.id, year, per.id) if members is None else \
        _distribution_of_rows(session, unit, year, rows)
    if dist is None:
        from kinerja_desktop.domain.distribution import count_predikat

        counts = count_predikat(r.predikat for r in rows if r.predikat)
        dist = DistributionView(
            capaian=_("Belum ditetapkan"), counts=tuple((p.label, counts[p]) for p in Predikat), rules=(),
            summary=_("Capaian kinerja organisasi {unit} tahun {year} belum ditetapkan; pola distribusi belum "
                      "dapat diperiksa.").format(unit=unit.name, year=year))
    return RecapView(
        unit_code=unit.code, unit_name=unit.name, year=year, period_label=form_period_label(per), rows=tuple(rows),
        distribution=dist, place=document_place(session), date=date.today(),
        document_id=f"RP-{year}-{unit.code}", signer=unit_head(session, unit, everyone),
        letterhead=letterhead(session, unit.name),
    )


def _distribution_of_rows(session: Session, unit: Unit, year: int, rows: list) -> DistributionView | None:
    """The curve over the listed rows only (a recap limited to a pejabat penilai's chain)."""
    from kinerja_desktop.domain.distribution import check_distribution, count_predikat
    from kinerja_desktop.services.capaian import effective_capaian

    capaian, _unit = effective_capaian(session, unit.id, year)
    if capaian is None:
        return None
    counts = count_predikat(r.predikat for r in rows if r.predikat)
    report = check_distribution(capaian, counts)
    return DistributionView(
        capaian=report.capaian.label, counts=tuple((p.label, report.counts[p]) for p in Predikat),
        rules=tuple((r.text, r.ok, r.actual_text()) for r in report.rules), summary=report.summary_text())


def jp_recap_view(session: Session, unit_code: str, year: int, *, actor: Principal = SYSTEM,
                  members: set[str] | None = None) -> JpRecapView:
    """JP per employee of a unit for a year, from the training records (``services.training``).

    The rows are the employees ``actor`` may see (``members`` is that same set)."""
    training_service = _training_service()
    if hasattr(training_service, "jp_recap"):  # one aggregate query for the whole unit
        return training_service.jp_recap(session, unit_code, year, actor=actor)
    from kinerja_desktop.domain.training import MIN_JP_PER_YEAR, jp_compliance

    unit = unit_by_code(session, unit_code)
    people = _unit_employees(session, unit)
    rows = []
    for i, emp in enumerate(people, start=1):
        summary = jp_compliance(training_service.jp_records(session, emp.id, year))
        p = person_of(session, emp)
        pns = emp.status == "PNS"
        rows.append(JpRow(i, p.name, p.nip, emp.status, p.jabatan, summary.klasikal, summary.nonklasikal,
                          summary.pendidikan, summary.total, summary.meets if pns else None,
                          summary.shortfall if pns else Decimal(0)))
    return JpRecapView(
        unit_code=unit.code, unit_name=unit.name, year=year, rows=tuple(rows), minimum=MIN_JP_PER_YEAR,
        place=document_place(session), date=date.today(), document_id=f"JP-{year}-{unit.code}",
        signer=unit_head(session, unit, people), letterhead=letterhead(session, unit.name),
    )


def _training_service():
    """``services.training`` (jp_recap / jp_records) of the training feature."""
    try:
        from kinerja_desktop.services import training as training_service
    except ImportError:
        training_service = None
    if training_service is None or not (hasattr(training_service, "jp_recap")
                                        or hasattr(training_service, "jp_records")):
        raise UserError(_("Data pengembangan kompetensi (JP) belum tersedia pada versi program ini."))
    return training_service
