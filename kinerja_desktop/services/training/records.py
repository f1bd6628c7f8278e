"""Training records: activities (title, type, organiser, dates, JP) and their participants.

One activity has one or more participants (group entry: one course, many people picked
from the roster); each participant's record carries the JP they earned and their own
certificate (number and file). A record counts for the year its activity ends in.

Bad input is refused with a sentence saying what to fix (:class:`UserError`), nothing
written: JP empty, not a number, zero or negative, or with more than two decimals; end
before start; a certificate that is not PDF/JPG/PNG or larger than 20 MB; a duplicate
(the same person already has an activity with the same title and the same dates).

Two things are probably mistakes but may be right, so they are *warnings*: more than
10 JP per day of the activity, and an activity overlapping another one of the same
person. A save with warnings raises :class:`NeedsConfirmation` (carrying them) unless
the caller passes ``confirm=True`` after showing them to the person.

Who: admin kepegawaian records training for anyone of the site (the system too); a
pejabat penilai and the administrator may view (the pejabat penilai: the people below
them). Saving a record closes the open development-plan items it fulfils.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from kinerja_desktop.domain.training import ACTIVITY_TYPES, jp_per_day_warning, validate_dates, validate_jp
from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.formatting import date_words
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.permissions import employee_scope, require_employee_access, require_role
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, Principal
from kinerja_desktop.services.audit.chain import Change, record, record_many
from kinerja_desktop.services.audit.chain import snapshot as _snapshot
from kinerja_desktop.services.documents import evidence
from kinerja_desktop.services.optimistic import check_version, row_changed_message
from kinerja_desktop.services.roster.org_tree import units_below
from kinerja_desktop.services.training.catalog import resolve_type
from kinerja_desktop.services.training.development_competency import fulfil_by_records, reopen_for_record
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Unit
from kinerja_desktop.store.training import TrainingActivity, TrainingRecord

#: Certificates: PDF, JPG or PNG, at most 20 MB (the limit of evidence files).
CERTIFICATE_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
MAX_CERTIFICATE_BYTES = evidence.MAX_BYTES
MAX_JP = Decimal("99999.99")
MAX_TITLE = 300
MAX_GROUP = 5000

_ACTIVITY_FIELDS = ("title", "activity_code", "category", "organiser", "start_date", "end_date", "jp", "notes")
_RECORD_FIELDS = (
    "activity_id",
    "employee_id",
    "jp",
    "certificate_number",
    "certificate_sha256",
    "certificate_name",
    "certificate_media_type",
    "certificate_size",
)


def snapshot(obj, fields) -> dict:
    """The audit image of a row; JP (a Decimal) as text, e.g. "2.50"."""
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in _snapshot(obj, fields).items()}


# --- inputs and results ------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityInput:
    """What the record form holds about the activity (JP as typed: "2,5" works)."""

    title: str
    activity_code: str
    start_date: date | None
    end_date: date | None
    jp: object
    organiser: str = ""
    notes: str = ""


@dataclass(frozen=True)
class RecordWarning:
    kind: str  # "jp_per_day" | "overlap"
    message: str
    employee_id: str | None = None


class NeedsConfirmation(UserError):
    """The save has warnings the person must see and accept (save again with ``confirm=True``)."""

    def __init__(self, warnings: Sequence[RecordWarning]) -> None:
        self.warnings = tuple(warnings)
        shown = [w.message for w in self.warnings[:5]]
        if len(self.warnings) > 5:
            shown.append(_("... dan {n} peringatan lainnya.").format(n=len(self.warnings) - 5))
        super().__init__("\n".join(shown + [_("Simpan juga?")]))


class CertificateRefused(UserError):
    """The certificate file cannot be kept (type, size or content)."""


@dataclass(frozen=True)
class SaveResult:
    activity_id: str
    record_ids: tuple[str, ...]
    warnings: tuple[RecordWarning, ...] = ()
    #: Development-plan items this save fulfilled (closed).
    fulfilled_items: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Clean:
    title: str
    activity_code: str
    category: str
    start_date: date
    end_date: date
    jp: Decimal
    organiser: str
    notes: str


# --- validation --------------------------------------------------------------------------


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def clean_jp(value: object) -> Decimal:
    """JP as stored: more than 0, a number, at most two decimals (``UserError`` otherwise)."""
    try:
        jp = validate_jp(value)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    try:
        exact = jp.quantize(Decimal("0.01"))
    except InvalidOperation:
        exact = None
    if exact is None or exact != jp:
        raise UserError(
            _("Jumlah JP {value} terlalu rinci; tulis paling banyak dua angka di belakang koma (misalnya 2,5).").format(
                value=value
            )
        )
    if exact > MAX_JP:
        raise UserError(_("Jumlah JP {value} terlalu besar.").format(value=value))
    return exact


def validate_activity(session: Session, data: ActivityInput) -> _Clean:
    """The activity as it will be stored; ``UserError`` naming the first thing to fix."""
    title = " ".join((data.title or "").split())
    if not title:
        raise UserError(_("Nama kegiatan pengembangan kompetensi belum diisi."))
    if len(title) > MAX_TITLE:
        raise UserError(_("Nama kegiatan terlalu panjang (paling banyak {n} karakter).").format(n=MAX_TITLE))
    kind = resolve_type(session, data.activity_code)
    jp = clean_jp(data.jp)
    if data.start_date is None or data.end_date is None:
        raise UserError(_("Tanggal mulai dan tanggal selesai kegiatan harus diisi."))
    try:
        validate_dates(data.start_date, data.end_date)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    return _Clean(
        title,
        kind.code,
        kind.category,
        data.start_date,
        data.end_date,
        jp,
        " ".join((data.organiser or "").split())[:200],
        (data.notes or "").strip(),
    )


def check_certificate(path: str | Path) -> str:
    """The media type of a certificate file; :class:`CertificateRefused` when it cannot be kept."""
    path = Path(path)
    if not path.is_file():
        raise CertificateRefused(_("Berkas sertifikat {name} tidak ditemukan.").format(name=path.name))
    ext = path.suffix.lower()
    if ext not in CERTIFICATE_TYPES:
        raise CertificateRefused(
            _(
                "Berkas {name} tidak dapat dijadikan sertifikat: hanya PDF, JPG, atau PNG yang "
                "diterima. Pindai atau simpan ulang sertifikat dalam salah satu format itu."
            ).format(name=path.name)
        )
    size = path.stat().st_size
    if size > MAX_CERTIFICATE_BYTES:
        raise CertificateRefused(
            _(
                "Berkas sertifikat {name} terlalu besar ({size:.1f} MB); paling besar {limit} MB. "
                "Perkecil resolusi pindaiannya."
            ).format(name=path.name, size=size / 1024 / 1024, limit=MAX_CERTIFICATE_BYTES // (1024 * 1024))
        )
    try:
        evidence.check_file(path)  # the content must be what the name says (magic bytes)
    except evidence.EvidenceRefused as exc:
        raise CertificateRefused(exc.message) from None
    return CERTIFICATE_TYPES[ext]


def _employees(session: Session, employee_ids: Iterable[str]) -> dict[str, Employee]:
    ids = list(dict.fromkeys(employee_ids))
    found: dict[str, Employee] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for emp in session.scalars(select(Employee).where(Employee.id.in_(chunk), Employee.deleted.is_(False))):
            found[emp.id] = emp
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(_("Data pegawai yang dipilih tidak ada (mungkin sudah dihapus); muat ulang daftar pegawai."))
    return {i: found[i] for i in ids}


def _other_records(session: Session, employee_ids: Sequence[str], exclude_activity_id: str | None):
    """(employee id, activity) of the other live records of these people, in chunks."""
    for start in range(0, len(employee_ids), 900):
        chunk = list(employee_ids[start : start + 900])
        q = (
            select(TrainingRecord.employee_id, TrainingActivity)
            .join(TrainingActivity, TrainingActivity.id == TrainingRecord.activity_id)
            .where(
                TrainingRecord.employee_id.in_(chunk),
                TrainingRecord.deleted.is_(False),
                TrainingActivity.deleted.is_(False),
            )
        )
        if exclude_activity_id:
            q = q.where(TrainingActivity.id != exclude_activity_id)
        yield from session.execute(q)


def _check_people(
    session: Session, people: dict[str, Employee], clean: _Clean, exclude_activity_id: str | None
) -> list[RecordWarning]:
    """Refuse duplicates; return the overlap warnings."""
    duplicates: list[Employee] = []
    overlaps: list[RecordWarning] = []
    key = _title_key(clean.title)
    seen_dup: set[str] = set()
    for employee_id, act in _other_records(session, list(people), exclude_activity_id):
        if act.end_date < clean.start_date or act.start_date > clean.end_date:
            continue
        if _title_key(act.title) == key and act.start_date == clean.start_date and act.end_date == clean.end_date:
            if employee_id not in seen_dup:
                seen_dup.add(employee_id)
                duplicates.append(people[employee_id])
            continue
        emp = people[employee_id]
        overlaps.append(
            RecordWarning(
                "overlap",
                _(
                    '{name} sudah tercatat mengikuti "{other}" ({start} - {end}) yang waktunya bertumpang tindih dengan '
                    "kegiatan ini."
                ).format(
                    name=emp.full_name, other=act.title, start=date_words(act.start_date), end=date_words(act.end_date)
                ),
                employee_id,
            )
        )
    if duplicates:
        names = ", ".join(f"{e.full_name} (NIP {e.nip})" for e in duplicates[:5])
        more = len(duplicates) - 5
        raise UserError(
            _(
                'Catatan ganda: {names} sudah tercatat mengikuti "{title}" dengan tanggal yang sama '
                "({start} - {end}).{more} Buka catatan yang sudah ada bila perlu diubah."
            ).format(
                names=names,
                title=clean.title,
                start=date_words(clean.start_date),
                end=date_words(clean.end_date),
                more=_(" Dan {n} pegawai lainnya.").format(n=more) if more > 0 else "",
            )
        )
    return overlaps


def _plain(jp: Decimal) -> Decimal:
    """12.00 -> 12, 2.50 -> 2.5 (for messages)."""
    return Decimal(int(jp)) if jp == jp.to_integral_value() else jp.normalize()


def _jp_warning(jp: Decimal, start: date, end: date) -> list[RecordWarning]:
    text = jp_per_day_warning(_plain(Decimal(jp)), start, end)
    return [RecordWarning("jp_per_day", text)] if text else []


def _require_writer(actor: Principal) -> None:
    require_role(actor, ADMIN_KEPEGAWAIAN)


def _confirm_or_raise(warnings: list[RecordWarning], confirm: bool) -> None:
    if warnings and not confirm:
        raise NeedsConfirmation(warnings)


def check_entry(
    session: Session,
    actor: Principal,
    employee_ids: Sequence[str],
    data: ActivityInput,
    *,
    exclude_activity_id: str | None = None,
) -> list[RecordWarning]:
    """Validate without writing: raises for errors, returns the warnings (for a form's preview)."""
    _require_writer(actor)
    clean = validate_activity(session, data)
    people = _employees(session, employee_ids)
    return _jp_warning(clean.jp, clean.start_date, clean.end_date) + _check_people(
        session, people, clean, exclude_activity_id
    )


# --- writing -----------------------------------------------------------------------------


def _fulfil(session: Session, actor: Principal, record_ids: Sequence[str]) -> tuple[str, ...]:

    return tuple(fulfil_by_records(session, actor, record_ids))


def _store_certificate(path: Path | None) -> dict:
    if path is None:
        return {}
    media_type = check_certificate(path)
    sha, size = evidence.store_blob(path)
    return {
        "certificate_sha256": sha,
        "certificate_name": Path(path).name[:255],
        "certificate_media_type": media_type,
        "certificate_size": size,
    }


def create_record(
    session: Session,
    actor: Principal,
    employee_id: str,
    data: ActivityInput,
    *,
    certificate_number: str = "",
    certificate_file: str | Path | None = None,
    confirm: bool = False,
) -> SaveResult:
    """Record one person's activity (with an optional certificate)."""
    if certificate_file is not None:
        check_certificate(certificate_file)  # refuse before anything else is asked
    return create_group(
        session,
        actor,
        [employee_id],
        data,
        confirm=confirm,
        certificates={employee_id: (certificate_number, certificate_file)},
    )


def create_group(
    session: Session,
    actor: Principal,
    employee_ids: Sequence[str],
    data: ActivityInput,
    *,
    confirm: bool = False,
    certificates: dict[str, tuple[str, str | Path | None]] | None = None,
) -> SaveResult:
    """Group entry: one activity, many participants (each gets the activity's JP).

    ``certificates``: employee id -> (certificate number, file or None), optional.
    """
    _require_writer(actor)
    ids = list(dict.fromkeys(employee_ids))
    if not ids:
        raise UserError(_("Pilih paling sedikit satu peserta."))
    if len(ids) > MAX_GROUP:
        raise UserError(_("Paling banyak {n} peserta dalam satu kegiatan.").format(n=MAX_GROUP))
    clean = validate_activity(session, data)
    certificates = certificates or {}
    for _number, path in certificates.values():
        if path is not None:
            check_certificate(path)
    people = _employees(session, ids)
    warnings = _jp_warning(clean.jp, clean.start_date, clean.end_date) + _check_people(session, people, clean, None)
    _confirm_or_raise(warnings, confirm)

    activity = TrainingActivity(
        title=clean.title,
        activity_code=clean.activity_code,
        category=clean.category,
        organiser=clean.organiser,
        start_date=clean.start_date,
        end_date=clean.end_date,
        jp=clean.jp,
        notes=clean.notes,
        created_by=actor.username[:60],
    )
    session.add(activity)
    session.flush()
    records = []
    for employee_id in ids:
        number, path = certificates.get(employee_id, ("", None))
        rec = TrainingRecord(
            activity_id=activity.id,
            employee_id=employee_id,
            jp=clean.jp,
            certificate_number=(number or "").strip()[:100],
            recorded_by=actor.username[:60],
            **_store_certificate(Path(path) if path is not None else None),
        )
        session.add(rec)
        records.append(rec)
    session.flush()
    changes = [
        Change("create", TrainingActivity.__tablename__, activity.id, None, snapshot(activity, _ACTIVITY_FIELDS))
    ]
    changes += [
        Change("create", TrainingRecord.__tablename__, r.id, None, snapshot(r, _RECORD_FIELDS)) for r in records
    ]
    record_many(session, actor, changes)
    record_ids = tuple(r.id for r in records)
    return SaveResult(activity.id, record_ids, tuple(warnings), _fulfil(session, actor, record_ids))


def _activity(session: Session, activity_id: str) -> TrainingActivity:
    act = session.get(TrainingActivity, activity_id)
    if act is None or act.deleted:
        raise NotFound(_("Kegiatan pengembangan kompetensi yang diminta tidak ada (mungkin sudah dihapus)."))
    return act


def _record(session: Session, record_id: str) -> TrainingRecord:
    rec = session.get(TrainingRecord, record_id)
    if rec is None or rec.deleted:
        raise NotFound(_("Catatan pelatihan yang diminta tidak ada (mungkin sudah dihapus)."))
    return rec


def _live_records(session: Session, activity_id: str) -> list[TrainingRecord]:
    return list(
        session.scalars(
            select(TrainingRecord).where(TrainingRecord.activity_id == activity_id, TrainingRecord.deleted.is_(False))
        )
    )


def update_activity(
    session: Session,
    actor: Principal,
    activity_id: str,
    data: ActivityInput,
    *,
    expected_hlc: str | None = None,
    confirm: bool = False,
) -> SaveResult:
    """Change the activity for all its participants; a participant whose JP was the
    activity's JP gets the new JP (a JP changed for one person stays)."""
    _require_writer(actor)
    act = _activity(session, activity_id)
    check_version(act, expected_hlc, row_changed_message())
    clean = validate_activity(session, data)
    records = _live_records(session, act.id)
    people = _employees(session, [r.employee_id for r in records])
    warnings = _check_people(session, people, clean, act.id)
    jp_after = {r.id: (clean.jp if r.jp == act.jp else Decimal(r.jp)) for r in records}
    warnings = _jp_warning(max(jp_after.values(), default=clean.jp), clean.start_date, clean.end_date) + warnings
    _confirm_or_raise(warnings, confirm)
    before = snapshot(act, _ACTIVITY_FIELDS)
    act.title, act.activity_code, act.category = clean.title, clean.activity_code, clean.category
    act.organiser, act.start_date, act.end_date = clean.organiser, clean.start_date, clean.end_date
    act.jp, act.notes = clean.jp, clean.notes
    changes = []
    for r in records:
        if r.jp != jp_after[r.id]:
            r_before = snapshot(r, _RECORD_FIELDS)
            r.jp = jp_after[r.id]
            changes.append((r, r_before))
    session.flush()
    entries = [Change("update", TrainingActivity.__tablename__, act.id, before, snapshot(act, _ACTIVITY_FIELDS))]
    entries += [
        Change("update", TrainingRecord.__tablename__, r.id, b, snapshot(r, _RECORD_FIELDS)) for r, b in changes
    ]
    record_many(session, actor, entries)
    record_ids = tuple(r.id for r in records)
    return SaveResult(act.id, record_ids, tuple(warnings), _fulfil(session, actor, record_ids))


def update_record(
    session: Session,
    actor: Principal,
    record_id: str,
    *,
    jp: object | None = None,
    certificate_number: str | None = None,
    certificate_file: str | Path | None = None,
    remove_certificate: bool = False,
    expected_hlc: str | None = None,
    confirm: bool = False,
) -> SaveResult:
    """Change one participant's JP or certificate."""
    _require_writer(actor)
    rec = _record(session, record_id)
    check_version(rec, expected_hlc, row_changed_message())
    act = _activity(session, rec.activity_id)
    warnings: list[RecordWarning] = []
    new_jp = None
    if jp is not None:
        new_jp = clean_jp(jp)
        warnings = _jp_warning(new_jp, act.start_date, act.end_date)
    if certificate_file is not None:
        check_certificate(certificate_file)
    _confirm_or_raise(warnings, confirm)
    before = snapshot(rec, _RECORD_FIELDS)
    if new_jp is not None:
        rec.jp = new_jp
    if certificate_number is not None:
        rec.certificate_number = certificate_number.strip()[:100]
    if remove_certificate:
        rec.certificate_sha256, rec.certificate_name, rec.certificate_media_type, rec.certificate_size = (
            None,
            "",
            "",
            None,
        )
    if certificate_file is not None:
        for k, v in _store_certificate(Path(certificate_file)).items():
            setattr(rec, k, v)
    session.flush()
    record(session, actor, "update", TrainingRecord.__tablename__, rec.id, before, snapshot(rec, _RECORD_FIELDS))
    return SaveResult(act.id, (rec.id,), tuple(warnings), _fulfil(session, actor, (rec.id,)))


def add_participants(
    session: Session, actor: Principal, activity_id: str, employee_ids: Sequence[str], *, confirm: bool = False
) -> SaveResult:
    """Add people to an existing activity (those already in it are skipped)."""
    _require_writer(actor)
    act = _activity(session, activity_id)
    have = {r.employee_id for r in _live_records(session, act.id)}
    ids = [i for i in dict.fromkeys(employee_ids) if i not in have]
    if not ids:
        return SaveResult(act.id, ())
    clean = _Clean(
        act.title,
        act.activity_code,
        act.category,
        act.start_date,
        act.end_date,
        Decimal(act.jp),
        act.organiser,
        act.notes,
    )
    people = _employees(session, ids)
    warnings = _jp_warning(clean.jp, clean.start_date, clean.end_date) + _check_people(session, people, clean, act.id)
    _confirm_or_raise(warnings, confirm)
    records = [
        TrainingRecord(activity_id=act.id, employee_id=i, jp=clean.jp, recorded_by=actor.username[:60]) for i in ids
    ]
    session.add_all(records)
    session.flush()
    record_many(
        session,
        actor,
        [Change("create", TrainingRecord.__tablename__, r.id, None, snapshot(r, _RECORD_FIELDS)) for r in records],
    )
    record_ids = tuple(r.id for r in records)
    return SaveResult(act.id, record_ids, tuple(warnings), _fulfil(session, actor, record_ids))


def delete_record(session: Session, actor: Principal, record_id: str, *, expected_hlc: str | None = None) -> None:
    """Remove one participant (a tombstone); the activity goes too when nobody is left."""
    _require_writer(actor)
    rec = _record(session, record_id)
    check_version(rec, expected_hlc, row_changed_message())
    before = snapshot(rec, _RECORD_FIELDS)
    rec.deleted = True
    session.flush()
    record(session, actor, "delete", TrainingRecord.__tablename__, rec.id, before, None)

    reopen_for_record(session, actor, rec.id)
    if not _live_records(session, rec.activity_id):
        act = _activity(session, rec.activity_id)
        a_before = snapshot(act, _ACTIVITY_FIELDS)
        act.deleted = True
        session.flush()
        record(session, actor, "delete", TrainingActivity.__tablename__, act.id, a_before, None)


# --- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordFilter:
    year: int | None = None
    unit_id: str | None = None
    include_subunits: bool = True
    employee_id: str | None = None
    activity_id: str | None = None
    text: str = ""  # words of the title, the person's name, or digits of the NIP
    activity_code: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class RecordRow:
    id: str
    activity_id: str
    employee_id: str
    nip: str
    name: str
    unit_name: str
    title: str
    activity_code: str
    category: str
    organiser: str
    start_date: date
    end_date: date
    jp: Decimal
    certificate_number: str
    has_certificate: bool
    participants: int
    updated_hlc: str


@dataclass(frozen=True)
class RecordDetail:
    row: RecordRow
    notes: str
    certificate_name: str
    activity_hlc: str
    activity_jp: Decimal
    participant_ids: tuple[str, ...] = field(default_factory=tuple)


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _record_conditions(session: Session, actor: Principal, flt: RecordFilter) -> list:
    conds = [
        TrainingRecord.deleted.is_(False),
        TrainingActivity.deleted.is_(False),
        Employee.deleted.is_(False),
        employee_scope(actor),
    ]
    if flt.year:
        start, end = _year_bounds(flt.year)
        conds.append(TrainingActivity.end_date.between(start, end))
    if flt.employee_id:
        conds.append(TrainingRecord.employee_id == flt.employee_id)
    if flt.activity_id:
        conds.append(TrainingRecord.activity_id == flt.activity_id)
    if flt.activity_code:
        conds.append(TrainingActivity.activity_code == flt.activity_code)
    if flt.category:
        conds.append(TrainingActivity.category == flt.category)
    if flt.unit_id:
        if flt.include_subunits:
            tree = units_below(flt.unit_id)
            conds.append(Employee.unit_id.in_(select(tree.c.id)))
        else:
            conds.append(Employee.unit_id == flt.unit_id)
    words = (flt.text or "").split()
    if words:
        compact = "".join(words)
        if compact.isdigit():
            conds.append(Employee.nip.contains(compact, autoescape=True))
        else:
            for w in words:
                conds.append(
                    or_(
                        Employee.name.icontains(w, autoescape=True),
                        TrainingActivity.title.icontains(w, autoescape=True),
                    )
                )
    return conds


def _base_query(*cols):
    return (
        select(*cols)
        .select_from(TrainingRecord)
        .join(TrainingActivity, TrainingActivity.id == TrainingRecord.activity_id)
        .join(Employee, Employee.id == TrainingRecord.employee_id)
    )


def count_records(session: Session, actor: Principal, flt: RecordFilter) -> int:
    return session.scalar(_base_query(func.count()).where(*_record_conditions(session, actor, flt))) or 0


def list_records(
    session: Session, actor: Principal, flt: RecordFilter, *, offset: int = 0, limit: int = 200
) -> list[RecordRow]:
    """A window of records, newest activity first (then name)."""
    other = aliased(TrainingRecord)
    participants = (
        select(func.count())
        .select_from(other)
        .where(other.activity_id == TrainingActivity.id, other.deleted.is_(False))
        .correlate(TrainingActivity)
        .scalar_subquery()
    )
    q = (
        _base_query(
            TrainingRecord.id,
            TrainingRecord.activity_id,
            TrainingRecord.employee_id,
            Employee.nip,
            Employee.name,
            Employee.front_title,
            Employee.back_title,
            Unit.name,
            TrainingActivity.title,
            TrainingActivity.activity_code,
            TrainingActivity.category,
            TrainingActivity.organiser,
            TrainingActivity.start_date,
            TrainingActivity.end_date,
            TrainingRecord.jp,
            TrainingRecord.certificate_number,
            TrainingRecord.certificate_sha256,
            participants,
            TrainingRecord.updated_hlc,
        )
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .where(*_record_conditions(session, actor, flt))
        .order_by(TrainingActivity.end_date.desc(), TrainingActivity.title, Employee.name, TrainingRecord.id)
        .offset(max(0, offset))
        .limit(max(0, min(limit, 5000)))
    )
    return [_row(r) for r in session.execute(q)]


def _full_name(name: str, front: str, back: str) -> str:
    text = f"{front} {name}".strip() if front else name
    return f"{text}, {back}" if back else text


def _row(r) -> RecordRow:
    return RecordRow(
        id=r[0],
        activity_id=r[1],
        employee_id=r[2],
        nip=r[3],
        name=_full_name(r[4], r[5] or "", r[6] or ""),
        unit_name=r[7] or "",
        title=r[8],
        activity_code=r[9],
        category=r[10],
        organiser=r[11] or "",
        start_date=r[12],
        end_date=r[13],
        jp=Decimal(r[14]).quantize(Decimal("0.01")),
        certificate_number=r[15] or "",
        has_certificate=bool(r[16]),
        participants=int(r[17] or 0),
        updated_hlc=r[18],
    )


def get_record(session: Session, actor: Principal, record_id: str) -> RecordDetail:
    rec = _record(session, record_id)
    require_employee_access(session, actor, rec.employee_id)
    rows = list_records(session, actor, RecordFilter(activity_id=rec.activity_id, employee_id=rec.employee_id))
    if not rows:
        raise NotFound(_("Catatan pelatihan yang diminta tidak ada (mungkin sudah dihapus)."))
    act = _activity(session, rec.activity_id)
    ids = tuple(r.employee_id for r in _live_records(session, act.id))
    return RecordDetail(
        rows[0], act.notes, rec.certificate_name, act.updated_hlc, Decimal(act.jp).quantize(Decimal("0.01")), ids
    )


def certificate_path(session: Session, actor: Principal, record_id: str) -> Path:
    """The stored certificate of a record (to open or copy), after a permission check."""
    rec = _record(session, record_id)
    require_employee_access(session, actor, rec.employee_id)
    if not rec.certificate_sha256:
        raise NotFound(_("Catatan ini belum memiliki berkas sertifikat."))
    path = evidence.blob_path(rec.certificate_sha256)
    if not path.exists():
        raise NotFound(
            _("Isi berkas {name} belum ada di komputer ini (belum tersinkron).").format(name=rec.certificate_name)
        )
    return path


def jp_records(session: Session, employee_id: str, year: int) -> list[tuple[str, Decimal]]:
    """(activity code, JP) of one employee's records counting for ``year`` (no permission check:
    for documents built by callers that checked already)."""
    start, end = _year_bounds(year)
    rows = session.execute(
        select(TrainingActivity.activity_code, TrainingActivity.category, TrainingRecord.jp)
        .join(TrainingActivity, TrainingActivity.id == TrainingRecord.activity_id)
        .where(
            TrainingRecord.employee_id == employee_id,
            TrainingRecord.deleted.is_(False),
            TrainingActivity.deleted.is_(False),
            TrainingActivity.end_date.between(start, end),
        )
    ).all()
    return [
        (code if code in _STANDARD else _OTHER_CODE.get(category, code), Decimal(jp).quantize(Decimal("0.01")))
        for code, category, jp in rows
    ]


_STANDARD = {t.code for t in ACTIVITY_TYPES}
#: A local type is reported under the "lainnya" code of its category.
_OTHER_CODE = {"klasikal": "KL12", "nonklasikal": "NKL13", "pendidikan": "PENDIDIKAN"}


__all__ = [
    "ActivityInput",
    "CertificateRefused",
    "NeedsConfirmation",
    "RecordDetail",
    "RecordFilter",
    "RecordRow",
    "RecordWarning",
    "SaveResult",
    "add_participants",
    "certificate_path",
    "check_certificate",
    "check_entry",
    "clean_jp",
    "count_records",
    "create_group",
    "create_record",
    "delete_record",
    "get_record",
    "jp_records",
    "list_records",
    "update_activity",
    "update_record",
    "validate_activity",
]
