"""The roster table's queries: filters, search, every sort in both directions, windows, scope."""

from __future__ import annotations

import random
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect

from kinerja_desktop.domain.golongan import PNS_GOLONGAN, PPPK_GOLONGAN
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.roster import query as rq
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from roster_factory import build_roster, pns_nip, pppk_nip

ALL = rq.RosterFilter(active=None)


@pytest.fixture
def roster(db):
    return build_roster(db)


def _names(rows) -> list[str]:
    return [r.full_name for r in rows]


def _fetch(db, principal, flt, **kw):
    with db.session() as s:
        return rq.fetch_employees(s, principal, flt, **kw), rq.count_employees(s, principal, flt)


def test_rows_carry_what_the_table_shows(db, roster):
    rows, n = _fetch(db, SYSTEM, rq.RosterFilter(text="Hendra"))
    assert n == 1
    (row,) = rows
    assert row.full_name == "Drs. Hendra Saputra, M.Si"
    assert row.nip == roster.nips["kadis"] and row.nip_grouped == "19850314 201004 1 001"
    assert (row.status, row.golongan, row.gender, row.active) == ("PNS", "IV/c", "L", True)
    assert row.unit_name == "Dinas Kependudukan dan Pencatatan Sipil"
    assert row.position_name == "Kepala Dinas Kependudukan dan Pencatatan Sipil"
    assert row.supervisor_name == "" and row.updated_hlc
    (kasi,) = _fetch(db, SYSTEM, rq.RosterFilter(text="dewi"))[0]
    assert kasi.supervisor_name == "Budi Harahap, S.H."


def test_text_search_on_name_is_case_insensitive_and_per_word(db, roster):
    assert _names(_fetch(db, SYSTEM, rq.RosterFilter(text="SITI"))[0]) == ["Siti Aminah, S.E."]
    assert _names(_fetch(db, SYSTEM, rq.RosterFilter(text="aminah siti"))[0]) == ["Siti Aminah, S.E."]
    assert _fetch(db, SYSTEM, rq.RosterFilter(text="100%"))[1] == 0  # wildcards are literal


def test_text_search_on_nip_with_or_without_spaces(db, roster):
    nip = roster.nips["kasi"]
    for text in (nip, nip[8:], "19850314 201004 2 006", nip[-4:]):
        rows, n = _fetch(db, SYSTEM, rq.RosterFilter(text=text, active=None))
        assert roster.kasi in [r.id for r in rows], text
    assert _fetch(db, SYSTEM, rq.RosterFilter(text="19850314 201004 2 006"))[1] == 1


def test_filters(db, roster):
    assert _fetch(db, SYSTEM, rq.RosterFilter())[1] == 10  # active only by default
    assert _fetch(db, SYSTEM, ALL)[1] == 11
    assert _names(_fetch(db, SYSTEM, rq.RosterFilter(active=False))[0]) == ["Agus Salim"]
    assert _names(_fetch(db, SYSTEM, rq.RosterFilter(status="PPPK"))[0]) == ["Nur Aisyah, A.Md"]
    assert _names(_fetch(db, SYSTEM, rq.RosterFilter(golongan="IV/a"))[0]) == [
        "Irwan Lubis, S.STP",
        "Siti Aminah, S.E.",
    ]
    dinas = roster.units["DUKCAPIL"]
    assert _fetch(db, SYSTEM, rq.RosterFilter(unit_id=dinas))[1] == 8  # with its bidang
    assert _names(_fetch(db, SYSTEM, rq.RosterFilter(unit_id=dinas, include_subunits=False))[0]) == [
        "Drs. Hendra Saputra, M.Si",
        "Siti Aminah, S.E.",
    ]
    assert _fetch(db, SYSTEM, rq.RosterFilter(unit_id=roster.units["DUKCAPIL-SEK"]))[1] == 2


def test_a_pejabat_penilai_lists_only_their_subordinates(db, roster):
    rows, n = _fetch(db, roster.penilai("kabid"), ALL)
    assert n == 4
    assert {r.id for r in rows} == {roster.kasi, roster.staf1, roster.staf2, roster.staf3}
    assert _fetch(db, roster.penilai("kabid"), rq.RosterFilter(text="Maya"))[1] == 0  # outsider
    assert _fetch(db, roster.penilai("staf1"), ALL) == ([], 0)
    with db.session() as s:
        assert rq.employee_row(s, roster.penilai("kabid"), roster.outsider) is None
        assert rq.employee_row(s, roster.penilai("kabid"), roster.staf1).full_name == "Ahmad Fauzi"
        assert [r.full_name for r in rq.search_employees(s, roster.penilai("kasi"), "a")] == [
            "Ahmad Fauzi",
            "Nur Aisyah, A.Md",
        ]  # active only


# --- sorting and windows over a larger roster ------------------------------------------------

FIRST = ("Ahmad", "Siti", "Budi", "Dewi", "Rizki", "Nur", "Agus", "Rina")
LAST = ("Saputra", "Lubis", "Harahap", "Nasution")


def _bulk(db, n=240, seed=7):
    """``n`` more employees with repeated names, every golongan, several units and positions."""
    rnd = random.Random(seed)
    with db.transaction() as s:
        units = [
            Unit(code=f"U{i}", name=name, kind="opd")
            for i, name in enumerate(("Puskesmas Bajubang", "Bappeda", "RSUD Hamba", "Dinas Sosial"))
        ]
        positions = [Position(name=name, kind="pelaksana") for name in ("Perawat", "Analis", "Bendahara")]
        s.add_all(units + positions)
        s.flush()
        for i in range(n):
            pppk = i % 5 == 0
            gol = PPPK_GOLONGAN[i % 17] if pppk else PNS_GOLONGAN[i % 17]
            birth = date(1970 + i % 25, 1 + i % 12, 1 + i % 28)
            nip = (
                pppk_nip(i + 1, birth=birth, gender="L") if pppk else pns_nip(i + 1, birth=birth, tmt=date(2015, 1, 1))
            )
            s.add(
                Employee(
                    nip=nip,
                    name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
                    gender="L",
                    birth_date=birth,
                    status="PPPK" if pppk else "PNS",
                    golongan="" if i % 23 == 0 else gol,
                    unit_id=None if i % 19 == 0 else rnd.choice(units).id,
                    position_id=None if i % 17 == 0 else rnd.choice(positions).id,
                    active=i % 11 != 0,
                )
            )


def _golongan_rank(g: str) -> tuple:
    if g in PNS_GOLONGAN:
        return (0, PNS_GOLONGAN.index(g))
    if g in PPPK_GOLONGAN:
        return (1, PPPK_GOLONGAN.index(g))
    return (9, 0)


def _expected(db, sort: str, descending: bool) -> list[str]:
    """The order the table must show, computed in Python from every row."""
    with db.session() as s:
        rows = rq.fetch_employees(s, SYSTEM, ALL, limit=5000)
        units = {u.id: u.name for u in s.query(Unit)}
        positions = {p.id: p.name for p in s.query(Position)}
        emps = {e.id: e for e in s.query(Employee)}

    def name_id(r):
        return (emps[r.id].name, r.id)

    def group(value, names):  # empty last, then by name, one block per unit/position
        return (1, "", "") if value is None else (0, names[value].casefold(), value)

    keys = {
        "name": name_id,
        "nip": lambda r: (r.nip,),
        "golongan": lambda r: (_golongan_rank(r.golongan), *name_id(r)),
        "status": lambda r: (r.status, *name_id(r)),
        "unit": lambda r: (group(emps[r.id].unit_id, units), *name_id(r)),
        "position": lambda r: (group(emps[r.id].position_id, positions), *name_id(r)),
    }
    return [r.id for r in sorted(rows, key=keys[sort], reverse=descending)]


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("sort", rq.SORT_KEYS)
def test_every_sort_in_windows_matches_the_full_order(db, roster, sort, descending):
    _bulk(db)
    expected = _expected(db, sort, descending)
    assert len(expected) == 251
    got = []
    with db.session() as s:
        for offset in range(0, 260, 37):  # windows that cut through groups
            got += [
                r.id
                for r in rq.fetch_employees(s, SYSTEM, ALL, offset=offset, limit=37, sort=sort, descending=descending)
            ]
    assert got == expected


def test_golongan_sort_puts_pns_by_rank_then_pppk_then_empty(db, roster):
    _bulk(db)
    rows, _n = _fetch(db, SYSTEM, ALL, sort="golongan", limit=5000)
    ranks = [_golongan_rank(r.golongan) for r in rows]
    assert ranks == sorted(ranks)
    assert rows[0].golongan == "I/a" and rows[-1].golongan == ""


def test_windows_with_filters_and_a_pejabat_penilai(db, roster):
    _bulk(db)
    flt = rq.RosterFilter(text="siti", golongan=None)
    with db.session() as s:
        total = rq.count_employees(s, SYSTEM, flt)
        by_unit = [
            r.id
            for off in range(0, total, 7)
            for r in rq.fetch_employees(s, SYSTEM, flt, offset=off, limit=7, sort="unit")
        ]
        assert len(by_unit) == len(set(by_unit)) == total
        assert rq.fetch_employees(s, SYSTEM, flt, offset=total, limit=7) == []
        kasi = roster.penilai("kasi")
        assert [r.full_name for r in rq.fetch_employees(s, kasi, ALL, sort="golongan", descending=True)] == [
            "Nur Aisyah, A.Md",
            "Agus Salim",
            "Ahmad Fauzi",
        ]


def test_unknown_sort_key_is_refused(db, roster):
    with db.session() as s, pytest.raises(ValueError):
        rq.fetch_employees(s, SYSTEM, ALL, sort="umur")
    with db.session() as s, pytest.raises(ValueError):
        first = rq.fetch_employees(s, SYSTEM, ALL, limit=1)[0]
        rq.fetch_employees_after(s, SYSTEM, ALL, after=first, sort="umur")


# --- keyset (seek) paging ----------------------------------------------------------------------


def _awkward(db):
    """Rows that test the edges of an order: exact twins (same name in the same unit, position,
    golongan and status), lower-case names, two units whose names differ only in case, and a
    row with every sortable value empty."""
    with db.transaction() as s:
        twins_unit = Unit(code="TW", name="bappeda", kind="opd")  # "Bappeda" exists: a case twin
        s.add(twins_unit)
        s.flush()
        position = s.query(Position).filter_by(name="Analis").one()
        birth = date(1991, 3, 4)
        for i in range(6):
            s.add(
                Employee(
                    nip=pns_nip(900 + i, birth=birth, tmt=date(2016, 1, 1)),
                    name="Rina Lubis",
                    gender="P",
                    birth_date=birth,
                    status="PNS",
                    golongan="III/a",
                    unit_id=twins_unit.id,
                    position_id=position.id,
                )
            )
        for i, name in enumerate(("rina lubis", "agus", "Zainal", "Ahmad Saputra")):
            s.add(
                Employee(
                    nip=pns_nip(950 + i, birth=birth, tmt=date(2016, 1, 1)),
                    name=name,
                    gender="L",
                    birth_date=birth,
                    status="PNS",
                    golongan="",
                    unit_id=None,
                    position_id=None,
                )
            )


def _walk_after(s, principal, flt, *, sort, descending, limit):
    rows, after = [], None
    while True:
        page = rq.fetch_employees_after(s, principal, flt, after=after, limit=limit, sort=sort, descending=descending)
        assert len(page) <= limit
        if not page:
            return rows
        rows += page
        after = page[-1]
        assert len(rows) <= 2000, "keyset paging went round in circles"


def _walk_offset(s, principal, flt, *, sort, descending, limit):
    rows = []
    while True:
        page = rq.fetch_employees(s, principal, flt, offset=len(rows), limit=limit, sort=sort, descending=descending)
        if not page:
            return rows
        rows += page


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("sort", rq.SORT_KEYS)
def test_keyset_pages_equal_offset_windows(db, roster, sort, descending):
    """Every sort, both directions, with ties, empty golongan, rows without unit or position:
    paging on after the last row gives the same rows in the same order as windows at offsets,
    whatever the page size (1 puts a page boundary between every two rows)."""
    _bulk(db)
    _awkward(db)
    expected = _expected(db, sort, descending)
    assert len(expected) == 261
    with db.session() as s:
        by_offset = _walk_offset(s, SYSTEM, ALL, sort=sort, descending=descending, limit=37)
        assert [r.id for r in by_offset] == expected
        for limit in (1, 6, 37, 5000):
            assert _walk_after(s, SYSTEM, ALL, sort=sort, descending=descending, limit=limit) == by_offset, limit


@pytest.mark.parametrize("sort", ["name", "unit", "golongan"])
def test_keyset_with_filters_and_a_pejabat_penilai(db, roster, sort):
    _bulk(db)
    _awkward(db)
    kasi = roster.penilai("kasi")
    with db.session() as s:
        for principal, flt in (
            (SYSTEM, rq.RosterFilter(text="lubis")),
            (SYSTEM, rq.RosterFilter(status="PPPK")),
            (SYSTEM, rq.RosterFilter(unit_id=roster.units["DUKCAPIL"])),
            (kasi, ALL),
        ):
            for descending in (False, True):
                want = _walk_offset(s, principal, flt, sort=sort, descending=descending, limit=5)
                assert want, (flt, principal.username)
                assert _walk_after(s, principal, flt, sort=sort, descending=descending, limit=5) == want


def test_keyset_continues_after_a_row_deleted_meanwhile(db, roster):
    """The cursor is the last row as shown: paging goes on from its place even when it is gone,
    where an offset would skip the row that moved up into the gap."""
    _bulk(db)
    with db.session() as s:
        everyone = _walk_offset(s, SYSTEM, ALL, sort="unit", descending=False, limit=500)
        first = rq.fetch_employees(s, SYSTEM, ALL, limit=10, sort="unit")
    with db.transaction() as s:
        s.get(Employee, first[-1].id).deleted = True
    with db.session() as s:
        rest = rq.fetch_employees_after(s, SYSTEM, ALL, after=first[-1], limit=10, sort="unit")
        skipped = rq.fetch_employees(s, SYSTEM, ALL, offset=10, limit=10, sort="unit")
    assert [r.id for r in rest] == [r.id for r in everyone[10:20]]
    assert skipped[0].id == everyone[11].id, "an offset skips a row here; the keyset does not"


def test_keyset_cursor_without_sort_values_is_read_by_id(db, roster):
    from dataclasses import replace

    _bulk(db)
    with db.session() as s:
        first = rq.fetch_employees(s, SYSTEM, ALL, limit=20, sort="position", descending=True)
        bare = replace(first[-1], name=None, unit_id=None, position_id=None)
        assert rq.fetch_employees_after(
            s, SYSTEM, ALL, after=bare, limit=20, sort="position", descending=True
        ) == rq.fetch_employees(s, SYSTEM, ALL, offset=20, limit=20, sort="position", descending=True)
        assert rq.fetch_employees_after(s, SYSTEM, ALL, after=first[-1], limit=0) == []
        with pytest.raises(ValueError):
            rq.fetch_employees_after(s, SYSTEM, ALL, after=replace(bare, id="tidak-ada"), limit=20)


# --- pickers and filters -----------------------------------------------------------------------


def test_unit_tree_is_sorted_by_name(db, roster):
    with db.session() as s:
        tree = rq.unit_tree(s)
    assert [n.name for n in tree] == ["Dinas Kependudukan dan Pencatatan Sipil", "Kecamatan Bajubang"]
    assert [c.name for c in tree[0].children] == ["Bidang Pelayanan", "Sekretariat"]
    assert tree[0].children[0].parent_id == tree[0].id and tree[1].children == ()


def test_golongan_values_in_rank_order(db, roster):
    with db.session() as s:
        assert rq.golongan_values(s) == ["II/a", "II/b", "II/c", "II/d", "III/b", "III/c", "III/d", "IV/a", "IV/c", "V"]


def test_search_for_pickers_is_limited(db, roster):
    _bulk(db)
    with db.session() as s:
        rows = rq.search_employees(s, SYSTEM, "siti", limit=5)
    assert len(rows) == 5 and all("Siti" in r.full_name and r.active for r in rows)


def test_the_roster_indexes_are_in_the_schema(db):
    """The migration must create the covering indexes the roster queries rely on at 10^5 rows."""
    have = {ix["name"] for ix in inspect(db.engine).get_indexes("employees")}
    wanted = {ix.name for ix in Employee.__table__.indexes}
    assert wanted - have == set()
