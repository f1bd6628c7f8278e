"""Property: random edits at three sites, bundles delivered in random order, duplicated or lost,
end with every site equal after a final exchange, and every overwritten write that nobody saw
is kept as a conflict."""

from __future__ import annotations

import shutil
import sys
import time
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position
from kinerja_desktop.store.sync_models import SyncConflict
from kinerja_desktop.sync.errors import BundleRefused
from kinerja_desktop.sync.sandbox import SandboxSite, enroll_office, make_site, seed_org, synced_rows

sys.path.insert(0, str(Path(__file__).parents[1] / "integration"))  # sync_attack: the misbehaving program

ROWS = 3
LINKS = [(1, 0), (2, 0), (0, 1), (0, 2)]  # office A -> central, B -> central, central -> A, central -> B


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    base = tmp_path_factory.mktemp("sync-template")
    central = make_site(base / "s0", "1504-BKPSDM", "BKPSDM", central=True)
    org = seed_org(central.db, units=1, employees_per_unit=ROWS)
    offices = [make_site(base / "s1", "1504-KEC-A", "A"), make_site(base / "s2", "1504-KEC-B", "B")]
    for o in offices:
        enroll_office(central, o)
    for s in [central, *offices]:
        s.close()
    return base, org["employees"]


def _open_copy(template_dir, tmp_root):
    root = tmp_root / uuid.uuid4().hex[:8]
    sites = []
    for i in range(3):
        folder = root / f"s{i}"
        shutil.copytree(template_dir / f"s{i}", folder)
        sites.append(SandboxSite(folder, open_database(folder / "kinerja.sqlite3")))
    return sites


op = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 2), st.integers(0, ROWS - 1)),
    st.tuples(st.just("export"), st.integers(0, len(LINKS) - 1), st.just(0)),
    st.tuples(st.just("deliver"), st.integers(0, 50), st.just(0)),
    st.tuples(st.just("drop"), st.integers(0, 50), st.just(0)),
)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(op, min_size=5, max_size=40))
def test_random_edits_and_deliveries_converge_without_silent_loss(template, tmp_path, ops):
    template_dir, employee_ids = template
    sites = _open_copy(template_dir, tmp_path)
    try:
        _run(sites, employee_ids, ops)
    finally:
        for s in sites:
            s.close()


def _run(sites, employee_ids, ops):
    in_flight: list[tuple[int, bytes]] = []  # (destination index, bundle bytes)
    writes: list[tuple[str, str]] = []  # (row id, value)
    superseded: set[str] = set()  # values a site overwrote while it had them (it saw them)
    counter = 0

    def deliver(dst: int, data: bytes) -> None:
        result = sites[dst].import_bundle(data)
        if result.ack is not None:
            src = next(i for i, s in enumerate(sites) if s.site_id == result.source_site)
            in_flight.append((src, result.ack))

    for kind, a, b in ops:
        if kind == "edit":
            counter += 1
            value = f"s{a}-w{counter}"
            row = employee_ids[b]
            with sites[a].db.transaction() as s:
                emp = s.get(Employee, row)
                superseded.add(emp.name)
                emp.name = value
            writes.append((row, value))
        elif kind == "export":
            src, dst = LINKS[a]
            in_flight.append((dst, sites[src].export(sites[dst].site_id).data))
        elif kind == "deliver" and in_flight:
            dst, data = in_flight[a % len(in_flight)]  # kept in flight: it may be delivered again
            deliver(dst, data)
        elif kind == "drop" and in_flight:
            in_flight.pop(a % len(in_flight))

    # A final full exchange: every link, with acks, until nothing is pending.
    for _round in range(2):
        for src, dst in LINKS:
            deliver(dst, sites[src].export(sites[dst].site_id).data)
            while in_flight:
                d, data = in_flight.pop()
                deliver(d, data)

    states = [synced_rows(s.db, "employees") for s in sites]
    assert states[0] == states[1] == states[2]

    final = {row: states[0][row] for row in employee_ids}
    kept_in_conflicts: set[str] = set()
    for s in sites:
        with s.db.session() as sess:
            for c in sess.scalars(select(SyncConflict)):
                for image in (c.local_image, c.incoming_image):
                    if image:
                        kept_in_conflicts.add(image["row"]["name"])
    with sites[0].db.session() as sess:
        final_names = {e.id: e.name for e in sess.scalars(select(Employee).where(Employee.id.in_(employee_ids)))}
    for row, value in writes:
        if final_names[row] == value or value in superseded:
            continue
        assert value in kept_in_conflicts, f"write {value} on {row} was lost without a conflict"
    assert final  # rows exist


# -- a misbehaving fourth site ----------------------------------------------------------------------

ATTACKS = ("scope", "forge", "master", "future", "own")


@pytest.fixture(scope="module")
def template4(tmp_path_factory):
    """Central, honest offices A and B (whole district), and office M enrolled for its own unit tree."""
    base = tmp_path_factory.mktemp("sync-template4")
    central = make_site(base / "s0", "1504-BKPSDM", "BKPSDM", central=True)
    org = seed_org(central.db, units=1, employees_per_unit=ROWS)
    org_m = seed_org(central.db, units=1, employees_per_unit=2, prefix="M")
    offices = [make_site(base / "s1", "1504-KEC-A", "A"), make_site(base / "s2", "1504-KEC-B", "B")]
    for o in offices:
        enroll_office(central, o)
    rogue = make_site(base / "s3", "1504-KEC-M", "M")
    enroll_office(central, rogue, unit_code="M-ROOT")
    for s in [central, *offices, rogue]:
        s.close()
    return base, org["employees"], org_m["employees"]


def _open4(template_dir, tmp_root):
    root = tmp_root / uuid.uuid4().hex[:8]
    sites = []
    tick = iter(range(10**9))
    start = int(time.time() * 1000)
    for i in range(4):
        folder = root / f"s{i}"
        shutil.copytree(template_dir / f"s{i}", folder)
        site = SandboxSite(folder, open_database(folder / "kinerja.sqlite3"))
        # One shared, deterministic clock: the same honest operations stamp in the same order in
        # both runs, so which concurrent edit wins does not depend on the machine's timing.
        site.db.clock._wall = lambda: start + next(tick)
        sites.append(site)
    return sites


def _attack(sites, kind: str, row: str, own_row: str) -> None:
    from sync_attack import change, forged_bundle, stamp

    central, a, rogue = sites[0], sites[1], sites[3]
    if kind == "scope":
        changes = [change(central, rogue, "employees", row, name="dari M")]
    elif kind == "forge":
        changes = [change(central, rogue, "employees", row, hlc=stamp(rogue, as_site=a.site_id), name="M sebagai A")]
    elif kind == "master":
        with central.db.session() as s:
            pos = s.scalar(select(Position.id))
        changes = [change(central, rogue, "positions", pos, name="jabatan dari M")]
    elif kind == "future":
        ahead = stamp(rogue, ahead_ms=30 * 365 * 24 * 3600 * 1000)
        changes = [change(central, rogue, "employees", own_row, hlc=ahead, name="masa depan")]
        with pytest.raises(BundleRefused):
            central.import_bundle(forged_bundle(rogue, central, changes, created_hlc=ahead))
        return
    else:  # "own": an honest edit in its own scope (outside what the comparison looks at)
        changes = [change(central, rogue, "employees", own_row, name=f"M sendiri {uuid.uuid4().hex[:4]}")]
    central.import_bundle(forged_bundle(rogue, central, changes))


def _honest_outcome(sites, employee_ids) -> list[dict]:
    out = []
    for s in sites[:3]:
        with s.db.session() as sess:
            emps = {
                e.id: (e.name, e.unit_id, e.deleted)
                for e in sess.scalars(select(Employee).where(Employee.id.in_(employee_ids)))
            }
            positions = {p.id: p.name for p in sess.scalars(select(Position))}
        out.append({"employees": emps, "positions": positions})
    return out


def _run4(template, tmp_path, ops, attacks: bool):
    template_dir, employee_ids, m_ids = template
    sites = _open4(template_dir, tmp_path)
    try:
        in_flight: list[tuple[int, bytes]] = []

        def deliver(dst: int, data: bytes) -> None:
            result = sites[dst].import_bundle(data)
            if result.ack is not None:
                src = next(i for i, s in enumerate(sites) if s.site_id == result.source_site)
                in_flight.append((src, result.ack))

        for n, (kind, a, b) in enumerate(ops):
            if kind == "edit":
                with sites[a].db.transaction() as s:
                    s.get(Employee, employee_ids[b]).name = f"s{a}-w{n}"
            elif kind == "export":
                src, dst = LINKS[a]
                in_flight.append((dst, sites[src].export(sites[dst].site_id).data))
            elif kind == "deliver" and in_flight:
                deliver(*in_flight[a % len(in_flight)])
            elif kind == "attack" and attacks:
                _attack(sites, ATTACKS[a % len(ATTACKS)], employee_ids[b], m_ids[0])
        for _round in range(2):
            for src, dst in LINKS:
                deliver(dst, sites[src].export(sites[dst].site_id).data)
                while in_flight:
                    deliver(*in_flight.pop())
        return _honest_outcome(sites, employee_ids)
    finally:
        for s in sites:
            s.close()


op4 = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 2), st.integers(0, ROWS - 1)),
    st.tuples(st.just("export"), st.integers(0, len(LINKS) - 1), st.just(0)),
    st.tuples(st.just("deliver"), st.integers(0, 50), st.just(0)),
    st.tuples(st.just("attack"), st.integers(0, len(ATTACKS) - 1), st.integers(0, ROWS - 1)),
)


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(op4, min_size=5, max_size=24))
def test_a_misbehaving_fourth_site_never_changes_what_the_honest_sites_converge_to(template4, tmp_path, ops):
    honest = _run4(template4, tmp_path, ops, attacks=False)
    attacked = _run4(template4, tmp_path, ops, attacks=True)
    assert honest[0] == honest[1] == honest[2]
    assert attacked == honest
