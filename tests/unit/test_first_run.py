"""The first run: the office's identity, the site id, the first administrator, once only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kinerja_desktop.errors import UserError
from kinerja_desktop.services import first_run as svc
from kinerja_desktop.services.access.principal import ADMINISTRATOR, SYSTEM
from kinerja_desktop.services.access.users import authenticate
from kinerja_desktop.services.roster.employees import ValidationError
from kinerja_desktop.services.settings import DEMO, get_letterhead, set_setting
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.org import Unit
from kinerja_desktop.store.site import Site


def _input(**overrides) -> svc.FirstRunInput:
    values = dict(
        office_name="Dinas Kependudukan dan Pencatatan Sipil",
        unit_code="DUKCAPIL",
        site_code="1504-dukcapil",
        admin_username="admin",
        admin_display_name="Rina Lestari",
        admin_password="Kopi-Susu-2026",
    )
    values.update(overrides)
    return svc.FirstRunInput(**values)


def _local(db) -> Site:
    with db.session() as s:
        return s.scalar(select(Site).where(Site.is_local.is_(True)))


def test_first_run_sets_the_identity_and_the_first_administrator(db):
    with db.session() as s:
        assert not svc.is_first_run_done(s)
    with db.transaction() as s:
        admin = svc.complete_first_run(s, _input())
    assert admin.role == ADMINISTRATOR and admin.username == "admin" and admin.user_id
    site = _local(db)
    assert site.id.startswith("1504-DUKCAPIL-") and len(site.id) == len("1504-DUKCAPIL-") + 4
    assert (site.name, site.unit_code) == ("Dinas Kependudukan dan Pencatatan Sipil", "DUKCAPIL")
    assert db.site_id == site.id  # the clock followed the new id when the transaction committed
    with db.transaction() as s:
        assert svc.is_first_run_done(s)
        assert authenticate(s, "admin", "Kopi-Susu-2026").user_id == admin.user_id
        assert get_letterhead(s).unit_name == "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
        unit = Unit(code="X", name="Unit Baru", kind="opd")
        s.add(unit)
    assert unit.origin_site == site.id and unit.updated_hlc.endswith(site.id)


def test_first_run_is_refused_once_done(db):
    with db.transaction() as s:
        svc.complete_first_run(s, _input())
    with db.transaction() as s, pytest.raises(UserError, match="sudah pernah"):
        svc.complete_first_run(s, _input(admin_username="admin2"))


def test_a_demo_database_counts_as_done(db):
    with db.transaction() as s:
        set_setting(s, SYSTEM, DEMO, True)
        assert svc.is_first_run_done(s)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("site_code", "15 04"),
        ("site_code", "AB"),
        ("site_code", "1504-" + "X" * 30),
        ("site_code", "1504_DUKCAPIL"),
        ("office_name", "  "),
        ("admin_username", "A"),
        ("admin_password", "12345678"),
        ("admin_password", "pendek"),
    ],
)
def test_bad_first_run_input_names_the_field(db, field, value):
    with db.transaction() as s, pytest.raises(ValidationError) as exc:
        svc.complete_first_run(s, _input(**{field: value}))
    assert set(exc.value.errors) == {field}
    with db.session() as s:
        assert not svc.is_first_run_done(s)


def test_the_site_id_stays_once_synced_rows_exist(db):
    old = db.site_id
    with db.transaction() as s:
        s.add(Unit(code="PRE", name="Diimpor sebelum penyiapan", kind="opd"))
    with db.transaction() as s:
        svc.complete_first_run(s, _input())
    site = _local(db)
    assert site.id == old and site.name == "Dinas Kependudukan dan Pencatatan Sipil"


def test_apply_site_identity_updates_another_holder(db, data_home):
    other = open_database(data_home / "kinerja.sqlite3")
    try:
        with db.transaction() as s:
            svc.complete_first_run(s, _input(unit_code=""))
        assert other.site_id != db.site_id
        svc.apply_site_identity(other)
        assert other.site_id == db.site_id
        assert _local(db).unit_code is None
    finally:
        other.close()
