"""The same authority over HTTP: central on the real PostgreSQL server, the sync server on
127.0.0.1, offices on SQLite pushing and pulling through it."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position
from kinerja_desktop.sync.conflicts import list_conflicts
from kinerja_desktop.sync.http_client import Outbox, ServerClient, _upload, pull, push
from kinerja_desktop.sync.keys import load_keys
from kinerja_desktop.sync.sandbox import synced_rows
from kinerja_desktop.sync.status import sync_status

sys.path.insert(0, str(Path(__file__).parent))
from server_harness import ServerThread, fast_policy, make_central, office_kw, server_config
from sync_attack import change, district, employee_name, forged_bundle

pytestmark = pytest.mark.postgres


@pytest.fixture
def sites(tmp_path, pg_url):
    central, a, b, org_a, org_b = district(tmp_path, make_central(tmp_path / "pusat", pg_url))
    yield central, a, b, org_a, org_b
    for s in (central, a, b):
        s.close()


def _upload_bytes(url: str, sender, data: bytes, folder: Path) -> dict:
    meta = {"sha256": hashlib.sha256(data).hexdigest(), "bundle_id": "x"}
    with ServerClient(url, load_keys(sender.site_id, sender.keys_dir), fast_policy()) as client:
        job = _upload(client, Outbox(folder), data, meta)
        try:
            while True:
                next(job)
        except StopIteration as stop:
            return stop.value[0]


def test_an_office_pushing_beyond_its_authority_over_http(sites, tmp_path, pg_url):
    central, a, b, org_a, org_b = sites
    with central.db.session() as s:
        position_id = s.scalar(select(Position.id))
        position_name = s.get(Position, position_id).name
    with a.db.transaction() as s:  # the office's own program, rows it has
        s.get(Position, position_id).name = "Jabatan dari kantor A"
        s.get(Employee, org_a["employees"][0]).name = "Jujur lewat server"
    theirs = org_b["employees"][0]
    before_theirs = synced_rows(central.db, "employees")[theirs]
    with ServerThread(server_config(central, pg_url, tmp_path / "srv")) as srv:
        report = push(a.db, srv.url, **office_kw(a))
        assert report.status == "applied"
        # A modified program uploads an edit of office B's employee, with one honest edit.
        forged = forged_bundle(
            a,
            central,
            [
                change(central, a, "employees", theirs, name="Disusupkan"),
                change(central, a, "employees", org_a["employees"][1], name="Juga jujur"),
            ],
        )
        assert _upload_bytes(srv.url, a, forged, tmp_path / "outbox")["state"] == "applied"
        assert pull(b.db, srv.url, **office_kw(b)).status in ("applied", "nothing")
    with central.db.session() as s:
        assert s.get(Position, position_id).name == position_name
        refused = {(c.table_name, c.row_id, c.reason) for c in list_conflicts(s)}
    assert refused == {("positions", position_id, "unauthorized"), ("employees", theirs, "unauthorized")}
    assert synced_rows(central.db, "employees")[theirs] == before_theirs
    assert employee_name(central, org_a["employees"][0]) == "Jujur lewat server"
    assert employee_name(central, org_a["employees"][1]) == "Juga jujur"
    assert sync_status(central.db).refused_by_site == {a.site_id: 2}
    assert employee_name(b, theirs) != "Disusupkan"
    with b.db.session() as s:
        assert s.get(Position, position_id).name == position_name


def test_a_bundle_from_a_clock_decades_ahead_is_refused_over_http_and_never_recorded_as_sent(sites, tmp_path, pg_url):
    import time

    from kinerja_desktop.store.sync_models import SentBundle
    from kinerja_desktop.sync.http_client import ServerRefused
    from kinerja_desktop.sync.sandbox import content_digest

    central, a, _b, org_a, _org_b = sites
    a.db.clock._wall = lambda: int(time.time() * 1000) + 30 * 365 * 24 * 3600 * 1000  # a wrong BIOS date
    with a.db.transaction() as s:
        s.get(Employee, org_a["employees"][0]).name = "Dari tahun depan sekali"
    before = content_digest(central.db, data_only=True)
    with ServerThread(server_config(central, pg_url, tmp_path / "srv")) as srv:
        with pytest.raises(ServerRefused) as info:
            push(a.db, srv.url, **office_kw(a))
    assert "Jam komputer kantor" in info.value.message and a.site_id in info.value.message
    assert content_digest(central.db, data_only=True) == before
    with a.db.session() as s:
        assert (
            s.scalar(
                select(SentBundle.bundle_id).where(
                    SentBundle.target_site == central.site_id, SentBundle.kind == "changes"
                )
            )
            is None
        )
