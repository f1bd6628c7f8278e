"""The catalogue of competency-development activity types (Peraturan LAN 10/2018).

The codes and categories of ``domain.training`` are the standard; the catalogue table
lets the agency rename a type for its own forms, switch off a type it does not use, and
add local types (each in one of the three categories). Until a domain type has a row,
it is offered with its standard name (no write is needed to read the catalogue).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.domain.training import ACTIVITY_TYPES, CATEGORY_LABELS, activity_type
from kinerja_desktop.errors import NotFound, UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.permissions import require_role
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, Principal
from kinerja_desktop.services.audit.chain import record, snapshot
from kinerja_desktop.store.training import TrainingType, natural_id

CATEGORIES = tuple(CATEGORY_LABELS)
_FIELDS = ("code", "name", "category", "active")
_LOCAL_CODE = re.compile(r"^[A-Z][A-Z0-9.\-]{1,19}$")


@dataclass(frozen=True)
class TypeRow:
    code: str
    name: str
    category: str  # klasikal / nonklasikal / pendidikan
    active: bool = True
    standard: bool = True  # one of the codes of Peraturan LAN 10/2018

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


def type_id(code: str) -> str:
    return natural_id("training_type", code)


def category_label(category: str) -> str:
    return _(CATEGORY_LABELS[category]) if category in CATEGORY_LABELS else category


def normalize_code(code: str) -> str:
    """``kl3`` -> ``KL03`` for standard codes; other codes upper-cased and trimmed."""
    text = "".join(str(code or "").split()).upper()
    try:
        return activity_type(text).code
    except ValueError:
        return text


def _rows(session: Session) -> dict[str, TrainingType]:
    return {t.code: t for t in session.scalars(select(TrainingType).where(TrainingType.deleted.is_(False)))}


def list_types(session: Session, *, include_inactive: bool = False) -> list[TypeRow]:
    """The catalogue in the standard order (KL, NKL, Pendidikan), then local types by code."""
    rows = _rows(session)
    out: list[TypeRow] = []
    for std in ACTIVITY_TYPES:
        row = rows.pop(std.code, None)
        if row is None:
            out.append(TypeRow(std.code, _(std.name), std.category))
        else:
            name = _(std.name) if row.name == std.name else row.name  # renamed locally: as typed
            out.append(TypeRow(std.code, name, std.category, bool(row.active)))
    for code in sorted(rows):
        row = rows[code]
        out.append(TypeRow(code, row.name, row.category, bool(row.active), standard=False))
    return [t for t in out if include_inactive or t.active]


def resolve_type(session: Session, code: str) -> TypeRow:
    """The active catalogue entry for ``code``; :class:`UserError` when unknown or switched off."""
    key = normalize_code(code)
    if not key:
        raise UserError(_("Jenis kegiatan pengembangan kompetensi belum dipilih."))
    for t in list_types(session, include_inactive=True):
        if t.code == key:
            if not t.active:
                raise UserError(
                    _("Jenis kegiatan {code} sudah tidak dipakai di katalog; pilih jenis yang lain.").format(
                        code=t.code
                    )
                )
            return t
    raise UserError(
        _(
            "Jenis kegiatan pengembangan kompetensi '{value}' tidak dikenal. Pilih dari katalog "
            "(KL01-KL12, NKL01-NKL13, PENDIDIKAN)."
        ).format(value=code)
    )


def seed_catalog(session: Session) -> int:
    """Give every standard type a row (same ids on every site); returns how many were added."""
    have = set(session.scalars(select(TrainingType.code)))
    added = 0
    for std in ACTIVITY_TYPES:
        if std.code not in have:
            session.add(
                TrainingType(id=type_id(std.code), code=std.code, name=std.name, category=std.category, active=True)
            )
            added += 1
    if added:
        session.flush()
    return added


def _row_for_update(session: Session, code: str) -> TrainingType:
    key = normalize_code(code)
    seed_catalog(session)
    row = session.scalar(select(TrainingType).where(TrainingType.code == key))
    if row is None or row.deleted:
        raise NotFound(_("Jenis kegiatan {code} tidak ada di katalog.").format(code=code))
    return row


def update_type(
    session: Session, actor: Principal, code: str, *, name: str | None = None, active: bool | None = None
) -> TypeRow:
    """Rename a type or switch it on/off (admin kepegawaian). Records keep their code."""
    require_role(actor, ADMIN_KEPEGAWAIAN)
    row = _row_for_update(session, code)
    before = snapshot(row, _FIELDS)
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise UserError(_("Nama jenis kegiatan tidak boleh kosong."))
        row.name = name[:200]
    if active is not None:
        row.active = bool(active)
    session.flush()
    record(session, actor, "update", TrainingType.__tablename__, row.id, before, snapshot(row, _FIELDS))
    return TypeRow(row.code, row.name, row.category, row.active, standard=row.code in {t.code for t in ACTIVITY_TYPES})


def add_type(session: Session, actor: Principal, code: str, name: str, category: str) -> TypeRow:
    """Add a local type (e.g. ``KL03-SIPD``) in one of the three categories."""
    require_role(actor, ADMIN_KEPEGAWAIAN)
    key = "".join(str(code or "").split()).upper()
    if not _LOCAL_CODE.match(key):
        raise UserError(
            _(
                "Kode jenis kegiatan '{code}' tidak sah: 2-20 huruf besar, angka, titik atau tanda hubung, "
                "diawali huruf."
            ).format(code=code)
        )
    if category not in CATEGORIES:
        raise UserError(_("Kategori harus klasikal, nonklasikal, atau pendidikan."))
    name = " ".join((name or "").split())
    if not name:
        raise UserError(_("Nama jenis kegiatan tidak boleh kosong."))
    seed_catalog(session)
    existing = session.get(TrainingType, type_id(key))
    if existing is not None and not existing.deleted:
        raise UserError(_("Kode jenis kegiatan {code} sudah ada di katalog.").format(code=key))
    if existing is None:
        existing = TrainingType(id=type_id(key), code=key)
        session.add(existing)
    before = None if existing.name is None else snapshot(existing, _FIELDS)
    existing.name, existing.category, existing.active, existing.deleted = name[:200], category, True, False
    session.flush()
    record(session, actor, "create", TrainingType.__tablename__, existing.id, before, snapshot(existing, _FIELDS))
    return TypeRow(key, existing.name, category, True, standard=False)
