"""The first run: this office's identity and the first administrator, done once.

Site identity: the local site gets the office's name and unit code and, while no synced
row has been written yet, a new id made from the site code (``1504-DUKCAPIL-7Q2K``).
The database's clock stamps rows with the site id, so after the transaction commits the
clock must follow the new id: this module moves the session's clock on commit, and
:func:`apply_site_identity` (``Database.load_clock``) reloads it from the database for any
other holder of the ``Database``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.passwords import validate_new_password
from kinerja_desktop.services.access.principal import ADMINISTRATOR, SYSTEM, Principal
from kinerja_desktop.services.access.users import USERNAME_PATTERN, create_user, normalize_username, principal_of
from kinerja_desktop.services.audit.chain import record
from kinerja_desktop.services.roster.employees import ValidationError
from kinerja_desktop.services.settings import (
    FIRST_RUN_DONE,
    LETTERHEAD,
    get_setting,
    is_demo,
    write_setting,
)
from kinerja_desktop.store.base import Base
from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.database import make_site_id
from kinerja_desktop.store.site import Site
from kinerja_desktop.store.users import User

SITE_CODE_PATTERN = re.compile(r"^[A-Za-z0-9-]{3,30}$")
SITE_SUFFIX_PATTERN = re.compile(r"^[A-Z0-9]{4}$")
SITE_CODE = "site_code"


@dataclass
class FirstRunInput:
    office_name: str
    unit_code: str | None
    site_code: str  # e.g. "1504-DUKCAPIL"
    admin_username: str
    admin_display_name: str
    admin_password: str
    #: The four characters after the code in the new site id, as the wizard showed them
    #: (``None``: chosen now). See :func:`planned_site_id`.
    site_suffix: str | None = None


def new_site_suffix() -> str:
    """Four random characters for a new site id (the store's alphabet: no 0/O, 1/I)."""
    return make_site_id("S").rsplit("-", 1)[1]


def site_id_changes(session: Session) -> bool:
    """Whether the first run gives this site a new id (a fresh database: nothing synced yet)."""
    site = _local_site(session)
    written = session.scalar(select(func.count()).select_from(ChangeLog)) or 0
    return written == 0 and not _site_referenced(session, site.id)


def planned_site_id(session: Session, code: str, suffix: str) -> str:
    """The site id the first run will save for ``code``: ``1504-DINKES-7Q2K`` (the code in
    capitals, a dash, ``suffix``), or the current id when it can no longer change."""
    site = _local_site(session)
    code = (code or "").strip().upper()
    if not site_id_changes(session) or site.id.startswith(code + "-"):
        return site.id
    return f"{code}-{suffix}"


def is_first_run_done(session: Session) -> bool:
    """True once the first run was completed (a demo database counts as done)."""
    return bool(get_setting(session, FIRST_RUN_DONE, False)) or is_demo(session)


def validate_first_run(session: Session, data: FirstRunInput) -> dict[str, str]:
    """Field name -> Indonesian message for every wrong field of the first-run form."""
    errors: dict[str, str] = {}
    office = " ".join((data.office_name or "").split())
    if not office:
        errors["office_name"] = _("Nama kantor belum diisi, misalnya Dinas Kependudukan dan Pencatatan Sipil.")
    elif len(office) > 200:
        errors["office_name"] = _("Nama kantor terlalu panjang (paling banyak 200 karakter).")
    unit_code = (data.unit_code or "").strip()
    if len(unit_code) > 40:
        errors["unit_code"] = _("Kode unit terlalu panjang (paling banyak 40 karakter).")
    code = (data.site_code or "").strip()
    if not SITE_CODE_PATTERN.match(code):
        errors["site_code"] = _(
            "Kode situs '{code}' tidak dapat dipakai: gunakan 3–30 huruf, angka atau tanda hubung, "
            "misalnya 1504-DUKCAPIL."
        ).format(code=code)
    name = normalize_username(data.admin_username)
    if not USERNAME_PATTERN.match(name):
        errors["admin_username"] = _(
            "Nama pengguna '{name}' tidak dapat dipakai: gunakan 3–60 huruf kecil, angka, titik, "
            "garis bawah atau tanda hubung, diawali huruf atau angka."
        ).format(name=data.admin_username)
    elif session.scalar(select(User.id).where(User.username == name)) is not None:
        errors["admin_username"] = _("Nama pengguna '{name}' sudah dipakai. Pilih nama lain.").format(name=name)
    try:
        validate_new_password(data.admin_password)
    except UserError as exc:
        errors["admin_password"] = exc.message
    return errors


def _site_referenced(session: Session, site_id: str) -> bool:
    """True when any row (pinned keys, acknowledgements, ...) refers to the site by its id."""
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == Site.__tablename__ and fk.column.name == "id":
                if session.execute(select(fk.parent).where(fk.parent == site_id).limit(1)).first():
                    return True
    return False


def _local_site(session: Session) -> Site:
    site = session.scalar(select(Site).where(Site.is_local.is_(True)))
    if site is None:  # pragma: no cover - open_database always makes one
        raise UserError(_("Basis data ini tidak memiliki identitas situs; buka ulang program."))
    return site


def complete_first_run(session: Session, data: FirstRunInput) -> Principal:
    """Record the office's identity, create the first administrator, mark the first run done.

    Returns the new administrator (signed in). Raises :class:`ValidationError` (with the
    wrong fields) or :class:`UserError` when the first run was already done. Call inside
    ``Database.transaction()``; afterwards call :func:`apply_site_identity` (or reopen the
    database) so every holder of the ``Database`` stamps rows with the new site id.
    """
    if is_first_run_done(session):
        raise UserError(_("Penyiapan awal sudah pernah diselesaikan untuk basis data ini."))
    errors = validate_first_run(session, data)
    if errors:
        raise ValidationError(errors)

    code = data.site_code.strip().upper()
    site = _local_site(session)
    before = {"id": site.id, "name": site.name, "unit_code": site.unit_code}
    suffix = (data.site_suffix or "").strip().upper()
    planned = planned_site_id(session, code, suffix if SITE_SUFFIX_PATTERN.match(suffix) else new_site_suffix())
    site.name = " ".join(data.office_name.split())
    site.unit_code = (data.unit_code or "").strip() or None
    new_id = None
    if planned != site.id:
        new_id = planned
        site.id = new_id
    session.flush()

    user = create_user(
        session,
        SYSTEM,
        username=data.admin_username,
        display_name=data.admin_display_name,
        password=data.admin_password,
        role=ADMINISTRATOR,
    )
    admin = principal_of(user)
    record(
        session,
        admin,
        "update",
        "sites",
        site.id,
        before,
        {"id": site.id, "name": site.name, "unit_code": site.unit_code},
    )
    write_setting(session, admin, SITE_CODE, code)
    if get_setting(session, LETTERHEAD) is None:
        write_setting(
            session,
            admin,
            LETTERHEAD,
            {
                "government": "PEMERINTAH KABUPATEN BATANGHARI",
                "unit_name": site.name.upper(),
                "address_lines": ["Jl. Jenderal Sudirman No. 1, Muara Bulian 36613"],
                "logo": None,
            },
        )
    write_setting(session, admin, FIRST_RUN_DONE, True)

    if new_id is not None:
        clock = session.info.get("clock")
        if clock is not None:

            def _follow(_session) -> None:
                clock.site = new_id

            event.listen(session, "after_commit", _follow, once=True)
    return admin


def apply_site_identity(db) -> None:
    """Make ``db``'s clock use the local site's id as stored (after :func:`complete_first_run`)."""
    db.load_clock()
