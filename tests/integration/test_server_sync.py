"""Three offices (SQLite, each its own folder) and the central server (real PostgreSQL, real HTTP
on 127.0.0.1) converge; the same bundle uploaded twice at once is applied once; a line that
drops every few kilobytes still converges."""

from __future__ import annotations

import hashlib
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.sync_models import ReceivedBundle, SyncConflict
from kinerja_desktop.sync.http_client import Outbox, ServerClient, _upload, pull, push, sync
from kinerja_desktop.sync.keys import load_keys
from kinerja_desktop.sync.sandbox import seed_org, synced_rows
from kinerja_desktop.sync.server.locks import ServerLocks

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server_harness import (
    CuttingProxy,
    ServerThread,
    a_position,
    fast_policy,
    make_district,
    office_kw,
    rename,
    server_config,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def district(tmp_path, pg_url):
    central, offices, org = make_district(tmp_path, pg_url)
    yield central, offices, org
    for s in (central, *offices):
        s.close()


def all_equal(*sites, tables=("employees", "units", "positions")) -> bool:
    for t in tables:
        first = synced_rows(sites[0].db, t)
        if any(synced_rows(s.db, t) != first for s in sites[1:]):
            return False
    return True


def test_three_offices_and_the_server_converge_over_http(district, tmp_path, pg_url):
    central, offices, org = district
    emps = org["employees"]
    a, b, c = offices
    rename(a, emps[0:3], "a")
    rename(b, emps[3:6], "b")
    rename(c, emps[6:9], "c")
    rename(a, [emps[11]], "a-juga")  # the same employee at two offices: a conflict, nothing lost
    rename(b, [emps[11]], "b-juga")
    with ServerThread(server_config(central, pg_url, tmp_path / "srv")) as srv:
        with ThreadPoolExecutor(3) as pool:  # three offices push at the same moment
            reports = list(pool.map(lambda o: push(o.db, srv.url, **office_kw(o)), offices))
        assert [r.status for r in reports] == ["applied"] * 3
        assert all(r.changes >= 3 for r in reports)
        pulled = [pull(o.db, srv.url, **office_kw(o)) for o in offices]
        assert all(p.status == "applied" and p.ack_sent for p in pulled)
        assert all_equal(central, *offices)
        # Quiet afterwards: the next round echoes at most once, then nothing is left to move.
        for _round in range(2):
            for o in offices:
                sync(o.db, srv.url, **office_kw(o))
        final = [sync(o.db, srv.url, **office_kw(o)) for o in offices]
        assert [(r.push.status, r.pull.status) for r in final] == [("nothing", "nothing")] * 3
    assert all_equal(central, *offices)
    names = {r[0]: r for r in synced_rows(central.db, "employees").values()}
    with central.db.session() as s:
        assert s.scalar(select(func.count()).select_from(ReceivedBundle)) >= 6
        conflicts = list(s.scalars(select(SyncConflict)))
    assert {c.row_id for c in conflicts} == {emps[11]}
    assert names  # the synced rows are there
    with a.db.session() as s:  # every office's work reached office A
        from kinerja_desktop.store.employee import Employee

        got = {e.id: e.name for e in s.scalars(select(Employee).where(Employee.id.in_(emps[:9])))}
    assert [got[e].rsplit("~", 1)[1] for e in emps[:9]] == ["a"] * 3 + ["b"] * 3 + ["c"] * 3


@pytest.mark.parametrize("with_locks", [True, False], ids=["advisory-locks", "database-only"])
def test_the_same_bundle_uploaded_twice_at_once_to_two_servers_is_applied_once(
    district, tmp_path, pg_url, monkeypatch, caplog, with_locks
):
    """Two server processes behind one proxy (same database) get the same bundle at the same time.

    With the advisory locks the second waits and finds it recorded; without them (as if the
    locks failed) REPEATABLE READ, the bundle id's primary key and the retry still apply it once.
    """
    central, offices, org = district
    a = offices[0]
    rename(a, org["employees"], "dua-kali")
    bundle = a.export(central.site_id)
    if not with_locks:
        from contextlib import nullcontext

        monkeypatch.setattr(ServerLocks, "importing", lambda self, site: nullcontext())
    caplog.set_level("INFO", logger="kinerja.server")
    monkeypatch.setenv("KINERJA_TEST_PAUSE_APPLY", "0.5")  # both applies are inside their transactions together
    cfg1 = server_config(central, pg_url, tmp_path / "srv1")
    cfg2 = server_config(central, pg_url, tmp_path / "srv2")
    with ServerThread(cfg1) as s1, ServerThread(cfg2) as s2:
        keys = load_keys(a.site_id, a.keys_dir)
        meta = {"sha256": hashlib.sha256(bundle.data).hexdigest(), "bundle_id": bundle.bundle_id}
        barrier = threading.Barrier(2)

        def upload(url, folder):
            with ServerClient(url, keys, fast_policy()) as client:
                barrier.wait()
                job = _upload(client, Outbox(folder), bundle.data, dict(meta))
                try:
                    while True:
                        next(job)
                except StopIteration as stop:
                    return stop.value[0]

        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(upload, (s1.url, s2.url), (tmp_path / "o1", tmp_path / "o2")))
    assert sorted(r["state"] for r in results) == ["applied", "duplicate"]
    clashed = any("clashed with a concurrent one" in r.getMessage() for r in caplog.records)
    assert clashed is not with_locks  # without the locks the database refused the second, which then retried
    with central.db.session() as s:
        assert (
            s.scalar(
                select(func.count()).select_from(ReceivedBundle).where(ReceivedBundle.bundle_id == bundle.bundle_id)
            )
            == 1
        )
        logged = s.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.hlc.endswith("-" + a.site_id)))
    assert logged == len(org["employees"])
    assert synced_rows(central.db, "employees") == synced_rows(a.db, "employees")


def test_a_line_that_drops_every_few_kilobytes_still_converges(district, tmp_path, pg_url):
    central, offices, org = district
    a, b = offices[0], offices[1]
    rename(a, org["employees"], "putus-putus")
    seed_org(
        a.db, units=3, employees_per_unit=100, prefix="KECA", position_id=a_position(a.db)
    )  # tens of kilobytes each way
    policy = dict(policy=fast_policy(attempts=10, chunk_bytes=64 * 1024))
    with (
        ServerThread(server_config(central, pg_url, tmp_path / "srv")) as srv,
        CuttingProxy(srv.port, budget=4 * 1024) as proxy,
    ):
        report = push(a.db, proxy.url, **office_kw(a, **policy))
        assert report.status == "applied" and report.size > 3 * 4 * 1024
        pulled = pull(b.db, proxy.url, **office_kw(b, **policy))
        assert pulled.status == "applied"
        sync(a.db, proxy.url, **office_kw(a, **policy))
        assert proxy.cuts > 3  # the line really dropped, many times
    assert all_equal(central, a, b)
