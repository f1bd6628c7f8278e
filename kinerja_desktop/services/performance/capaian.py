"""Capaian kinerja organisasi: a unit's achievement for one period (Istimewa ... Sangat Kurang).

PermenPANRB 6/2022 (lampiran, evaluasi kinerja organisasi):

- It is set **per period**: each periodic period from the progress of the rencana aksi
  (basis ``rencana_aksi``), and Akhir from the perjanjian kinerja and the organisation's
  expectations (basis ``perjanjian_kinerja``). The forms print it for every period.
- It is set by **the leader of the organisation above** ("pimpinan organisasi di atasnya"),
  who may take a recommendation from the units for planning, HR or supervision
  (perencanaan, kepegawaian, pengawasan/inspektorat). For a perangkat daerah (a unit with
  no parent) that leader is the Sekretaris Daerah or the kepala daerah; for the
  Sekretariat Daerah itself only the kepala daerah.
- **Never by the head of the unit itself**: the value becomes the head's own rating
  hasil kerja. The service refuses, with the reason and who may decide.
- Admin kepegawaian may **record the leader's decision**, naming the leader and the
  reference of the decision (nomor surat/keputusan).

It shapes the distribution curve of the unit's predikat and is the rating hasil kerja
of the unit's head in every period (``services.evaluations``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.predikat import CapaianOrganisasi, parse_capaian
from kinerja_desktop.errors import NotFound, PermissionDenied, UserError
from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, PEJABAT_PENILAI, Principal
from kinerja_desktop.services.audit.chain import record, snapshot
from kinerja_desktop.services.optimistic import check_version, row_changed_message
from kinerja_desktop.services.performance.kepala_daerah import kepala_daerah_on, sekda_holders
from kinerja_desktop.services.performance.periods import annual_period, ensure_open, get_period, period_label
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.evaluation import RECOMMENDATION_SOURCES, UnitCapaian
from kinerja_desktop.store.kepala_daerah import KepalaDaerah
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.store.periods import Period

_FIELDS = (
    "unit_id",
    "year",
    "period_id",
    "capaian",
    "basis",
    "basis_note",
    "recommendation_source",
    "recommended_capaian",
    "decider_employee_id",
    "decider_kepala_daerah_id",
    "decision_reference",
    "decided_on",
    "set_by",
    "set_on",
)

BASIS_LABELS = {
    "rencana_aksi": N_("progres rencana aksi"),
    "perjanjian_kinerja": N_("perjanjian kinerja dan ekspektasi organisasi"),
}
RECOMMENDATION_LABELS = {
    "": N_("tanpa rekomendasi"),
    "perencanaan": N_("unit perencanaan (Bappeda)"),
    "kepegawaian": N_("unit kepegawaian (BKPSDM)"),
    "pengawasan": N_("unit pengawasan (Inspektorat)"),
}
MAX_NOTE = 2000
MAX_REFERENCE = 120


def is_unit_head(session: Session, employee: Employee) -> bool:
    """True when ``employee`` holds the head position of their own unit."""
    if not employee.position_id or not employee.unit_id:
        return False
    pos = session.get(Position, employee.position_id)
    return bool(pos is not None and pos.is_unit_head)


def heads_of(session: Session, unit_id: str) -> list[Employee]:
    """Active holders of a head position in ``unit_id`` (normally one; none when vacant)."""
    return list(
        session.scalars(
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .where(
                Employee.unit_id == unit_id,
                Employee.deleted.is_(False),
                Employee.active.is_(True),
                Position.is_unit_head.is_(True),
            )
            .order_by(Employee.name)
        )
    )


def basis_for(period: Period) -> str:
    """``rencana_aksi`` for a periodic period, ``perjanjian_kinerja`` for Akhir."""
    return "perjanjian_kinerja" if period.is_annual else "rencana_aksi"


def _period(session: Session, period: str | int | Period) -> Period:
    if isinstance(period, Period):
        return period
    if isinstance(period, int):
        return annual_period(session, period)
    return get_period(session, period)


# --- reading ------------------------------------------------------------------------------


def own_capaian(session: Session, unit_id: str, period: str | int | Period) -> UnitCapaian | None:
    """The capaian set for exactly this unit and period (an int means that year's Akhir)."""
    per = _period(session, period)
    return session.scalar(
        select(UnitCapaian)
        .where(UnitCapaian.unit_id == unit_id, UnitCapaian.period_id == per.id, UnitCapaian.deleted.is_(False))
        .order_by(UnitCapaian.updated_hlc.desc())
        .limit(1)
    )


def effective_capaian(
    session: Session, unit_id: str, period: str | int | Period
) -> tuple[CapaianOrganisasi | None, str | None]:
    """(capaian, unit id it was set on) for the period: the unit's own, else the nearest parent's."""
    per = _period(session, period)
    seen = set()
    current: str | None = unit_id
    while current and current not in seen:
        seen.add(current)
        row = own_capaian(session, current, per)
        if row is not None:
            return parse_capaian(row.capaian), current
        unit = session.get(Unit, current)
        current = unit.parent_id if unit is not None else None
    return None, None


def capaian_by_unit(session: Session, period: str | int | Period) -> dict[str, CapaianOrganisasi]:
    """unit id -> own capaian for the period (one query)."""
    per = _period(session, period)
    rows = session.execute(
        select(UnitCapaian.unit_id, UnitCapaian.capaian)
        .where(UnitCapaian.period_id == per.id, UnitCapaian.deleted.is_(False))
        .order_by(UnitCapaian.updated_hlc)
    )
    return {unit_id: parse_capaian(value) for unit_id, value in rows}


def capaian_rows(session: Session, unit_id: str, year: int) -> dict[str, UnitCapaian]:
    """period id -> the unit's own capaian row, for every period of ``year`` that has one."""
    rows = session.scalars(
        select(UnitCapaian)
        .where(UnitCapaian.unit_id == unit_id, UnitCapaian.year == year, UnitCapaian.deleted.is_(False))
        .order_by(UnitCapaian.updated_hlc)
    )
    return {row.period_id: row for row in rows if row.period_id}


def decider_name(session: Session, row: UnitCapaian) -> str:
    """Who decided the capaian (the leader, or the kepala daerah), for the screen and documents."""
    if row.decider_kepala_daerah_id:
        kdh = session.get(KepalaDaerah, row.decider_kepala_daerah_id)
        return f"{kdh.full_name} ({kdh.jabatan})" if kdh else "-"
    if row.decider_employee_id:
        emp = session.get(Employee, row.decider_employee_id)
        if emp is None:
            return "-"
        pos = session.get(Position, emp.position_id) if emp.position_id else None
        return f"{emp.full_name} ({pos.name})" if pos else emp.full_name
    return _("tidak tercatat (ditetapkan sebelum aturan penetapan berlaku)")


# --- who may decide ------------------------------------------------------------------------


@dataclass(frozen=True)
class Authority:
    """Who may decide a unit's capaian, and in words why."""

    unit: Unit
    employees: tuple[Employee, ...]  # heads of the organisation above, or the Sekda
    kepala_daerah: KepalaDaerah | None  # for a perangkat daerah
    unit_heads: tuple[Employee, ...]  # the unit's own head(s): never

    def allows_employee(self, employee_id: str | None) -> bool:
        return (
            bool(employee_id)
            and any(e.id == employee_id for e in self.employees)
            and not any(h.id == employee_id for h in self.unit_heads)
        )

    def describe(self) -> str:
        names = [f"{e.full_name}" for e in self.employees]
        if self.kepala_daerah is not None:
            names.append(f"{self.kepala_daerah.full_name} ({self.kepala_daerah.jabatan})")
        return ", ".join(names) or _("belum ada pimpinan yang tercatat")


def authority(session: Session, unit_id: str, day: date | None = None) -> Authority:
    """Who may decide the capaian of ``unit_id``: the leader of the organisation above.

    A unit with a parent: the head of the nearest ancestor that has one (a vacant parent
    passes the decision up). A perangkat daerah (no parent): the Sekda, or the kepala
    daerah; the Sekretariat Daerah itself: only the kepala daerah.
    """
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted:
        raise NotFound(_("Unit kerja yang diminta tidak ada."))
    own_heads = tuple(heads_of(session, unit.id))
    leaders: list[Employee] = []
    kdh = None
    seen = {unit.id}
    parent = session.get(Unit, unit.parent_id) if unit.parent_id else None
    while parent is not None and not parent.deleted and parent.id not in seen and not leaders:
        seen.add(parent.id)
        leaders = heads_of(session, parent.id)
        parent = session.get(Unit, parent.parent_id) if parent.parent_id else None
    if not leaders:  # a perangkat daerah (or no head anywhere above): the Sekda or the kepala daerah
        leaders = [e for e in sekda_holders(session) if e.unit_id != unit.id]
        kdh = kepala_daerah_on(session, day or date.today())
    own_ids = {h.id for h in own_heads}
    return Authority(unit, tuple(e for e in leaders if e.id not in own_ids), kdh, own_heads)


def _refuse_head(unit: Unit, auth: Authority) -> PermissionDenied:
    return PermissionDenied(
        _(
            "Capaian kinerja organisasi {unit} tidak dapat ditetapkan oleh kepala unit itu sendiri: nilai itu menjadi "
            "rating hasil kerja kepala unit. Yang berwenang menetapkannya adalah pimpinan organisasi di atasnya: "
            "{who}."
        ).format(unit=unit.name, who=auth.describe())
    )


@dataclass
class CapaianDecision:
    """What is recorded with a capaian: the leader's decision and what it rested on."""

    capaian: CapaianOrganisasi | str
    basis_note: str = ""
    recommendation_source: str = ""
    recommended_capaian: CapaianOrganisasi | str | None = None
    decider_employee_id: str | None = None
    decider_kepala_daerah_id: str | None = None
    decision_reference: str = ""
    decided_on: date | None = None


def _decider(
    session: Session, actor: Principal, unit: Unit, auth: Authority, d: CapaianDecision
) -> tuple[str | None, str | None]:
    """(decider employee id, decider kepala daerah id) after checking ``actor`` may record it."""
    if actor.role == PEJABAT_PENILAI:
        if actor.employee_id in {h.id for h in auth.unit_heads}:
            raise _refuse_head(unit, auth)
        if not auth.allows_employee(actor.employee_id):
            raise PermissionDenied(
                _(
                    "Anda tidak berwenang menetapkan capaian kinerja organisasi {unit}. Yang berwenang: {who}; admin "
                    "kepegawaian dapat mencatat keputusan mereka."
                ).format(unit=unit.name, who=auth.describe())
            )
        return actor.employee_id, None
    if not (actor.is_system or actor.role == ADMIN_KEPEGAWAIAN):
        raise PermissionDenied(
            _(
                "Capaian kinerja organisasi ditetapkan oleh pimpinan organisasi di atasnya; admin "
                "kepegawaian dapat mencatat keputusannya. Masuk dengan akun yang berwenang."
            )
        )
    if d.decider_kepala_daerah_id:
        if auth.kepala_daerah is None or auth.kepala_daerah.id != d.decider_kepala_daerah_id:
            raise PermissionDenied(
                _(
                    "Kepala daerah hanya menetapkan capaian perangkat daerah (unit tanpa unit induk), "
                    "dan harus sedang menjabat pada tanggal keputusan. Yang berwenang untuk {unit}: "
                    "{who}."
                ).format(unit=unit.name, who=auth.describe())
            )
        return None, d.decider_kepala_daerah_id
    if d.decider_employee_id:
        if d.decider_employee_id in {h.id for h in auth.unit_heads}:
            raise _refuse_head(unit, auth)
        if not auth.allows_employee(d.decider_employee_id):
            raise PermissionDenied(
                _(
                    "Pejabat yang dipilih tidak berwenang menetapkan capaian kinerja organisasi "
                    "{unit}. Yang berwenang: {who}."
                ).format(unit=unit.name, who=auth.describe())
            )
        return d.decider_employee_id, None
    if actor.is_system:  # the command line and demo data: the leader found from the organisation
        if auth.employees:
            return auth.employees[0].id, None
        if auth.kepala_daerah is not None:
            return None, auth.kepala_daerah.id
        return None, None
    raise UserError(
        _("Pilih pimpinan yang menetapkan capaian kinerja organisasi {unit} ({who}).").format(
            unit=unit.name, who=auth.describe()
        )
    )


def _clean_decision(actor: Principal, d: CapaianDecision) -> dict:
    try:
        value = parse_capaian(d.capaian)
        recommended = parse_capaian(d.recommended_capaian) if d.recommended_capaian else None
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if d.recommendation_source not in RECOMMENDATION_SOURCES:
        raise UserError(_("Sumber rekomendasi harus perencanaan, kepegawaian, pengawasan, atau kosong."))
    if recommended is not None and not d.recommendation_source:
        raise UserError(
            _("Sebutkan unit yang memberi rekomendasi capaian (perencanaan, kepegawaian, atau pengawasan).")
        )
    reference = " ".join((d.decision_reference or "").split())
    if len(reference) > MAX_REFERENCE:
        raise UserError(_("Nomor keputusan terlalu panjang (paling banyak {n} karakter).").format(n=MAX_REFERENCE))
    if actor.role == ADMIN_KEPEGAWAIAN and not reference:
        raise UserError(
            _(
                "Tuliskan nomor dan tanggal surat/keputusan pimpinan yang menetapkan capaian ini; admin "
                "kepegawaian mencatat keputusan itu, tidak menetapkannya sendiri."
            )
        )
    note = (d.basis_note or "").strip()
    if len(note) > MAX_NOTE:
        raise UserError(
            _("Keterangan dasar penetapan terlalu panjang (paling banyak {n} karakter).").format(n=MAX_NOTE)
        )
    return {
        "capaian": value.value,
        "basis_note": note,
        "recommendation_source": d.recommendation_source,
        "recommended_capaian": recommended.value if recommended else None,
        "decision_reference": reference,
    }


def set_capaian(
    session: Session,
    actor: Principal,
    unit_id: str,
    period: str | int | Period,
    capaian: CapaianOrganisasi | str | CapaianDecision,
    *,
    expected_hlc: str | None = None,
    today: date | None = None,
) -> UnitCapaian:
    """Set (or change) a unit's capaian for a period; only the authorised leader (or HR recording it).

    ``period`` is a period id (an int means that year's Akhir). ``capaian`` is a value or a
    :class:`CapaianDecision` with the basis, the recommendation and the decider. Audited.
    """
    decision = capaian if isinstance(capaian, CapaianDecision) else CapaianDecision(capaian)
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted:
        raise NotFound(_("Unit kerja yang diminta tidak ada."))
    per = _period(session, period)
    ensure_open(per)
    today = today or date.today()
    decided_on = decision.decided_on or today
    auth = authority(session, unit_id, decided_on)
    decider_emp, decider_kdh = _decider(session, actor, unit, auth, decision)
    values = _clean_decision(actor, decision)
    values.update(
        basis=basis_for(per),
        decider_employee_id=decider_emp,
        decider_kepala_daerah_id=decider_kdh,
        decided_on=decided_on,
        set_by=actor.username,
        set_on=today,
    )
    row = own_capaian(session, unit_id, per)
    if row is None:
        row = UnitCapaian(unit_id=unit_id, year=per.year, period_id=per.id, **values)
        session.add(row)
        session.flush()
        record(session, actor, "create", UnitCapaian.__tablename__, row.id, None, snapshot(row, _FIELDS))
        return row
    check_version(row, expected_hlc, row_changed_message())
    before = snapshot(row, _FIELDS)
    for key, value in values.items():
        setattr(row, key, value)
    session.flush()
    record(session, actor, "update", UnitCapaian.__tablename__, row.id, before, snapshot(row, _FIELDS))
    return row


def may_decide(session: Session, actor: Principal, unit_id: str) -> bool:
    """True when ``actor`` may set (or, for HR, record) the unit's capaian: for hiding buttons."""
    if actor.is_system or actor.role == ADMIN_KEPEGAWAIAN:
        return True
    if actor.role != PEJABAT_PENILAI:
        return False
    return authority(session, unit_id).allows_employee(actor.employee_id)


def capaian_text(session: Session, row: UnitCapaian | None) -> str:
    """A line for the screen: value, basis, recommendation, decider and reference."""
    if row is None:
        return _("belum ditetapkan")
    per = session.get(Period, row.period_id) if row.period_id else None
    parts = [
        _("{capaian} ({period}, dasar: {basis})").format(
            capaian=parse_capaian(row.capaian).label,
            period=period_label(per) if per else row.year,
            basis=_(BASIS_LABELS.get(row.basis, row.basis)),
        )
    ]
    if row.recommendation_source:
        rec = parse_capaian(row.recommended_capaian).label if row.recommended_capaian else "-"
        parts.append(
            _("rekomendasi {source}: {value}").format(
                source=_(RECOMMENDATION_LABELS[row.recommendation_source]), value=rec
            )
        )
    parts.append(_("ditetapkan oleh {who}").format(who=decider_name(session, row)))
    if row.decision_reference:
        parts.append(_("keputusan {ref}").format(ref=row.decision_reference))
    return "; ".join(parts)
