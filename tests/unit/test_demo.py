"""The demo district: valid, consistent, deterministic, logged; the ``kinerja demo`` command."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja_desktop.cli import main
from kinerja_desktop.domain.golongan import golongan_rank, normalize_golongan, plausible_golongan_for_service
from kinerja_desktop.domain.nip import parse_nip
from kinerja_desktop.domain.positions import guess_position_kind, is_unit_head_title
from kinerja_desktop.services.demo import district as demo
from kinerja_desktop.services.demo import names as demo_names
from kinerja_desktop.services.progress import Progress, run
from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.encryption import open_raw
from kinerja_desktop.store.org import Position, Unit
from kinerja_desktop.store.site import Setting, Site
from kinerja_desktop.store.skp import Skp

YEAR = 2026
END_OF_YEAR = date(YEAR, 12, 31)


def build(db, employees=300, seed=1504, year=YEAR):
    return run(demo.build_demo(db, employees=employees, seed=seed, year=year))


def roster(db):
    """Employees as dicts with their position and unit, keyed by id."""
    with db.session() as s:
        rows = s.execute(
            select(Employee, Position, Unit)
            .join(Position, Employee.position_id == Position.id)
            .join(Unit, Employee.unit_id == Unit.id)
        ).all()
        return {
            e.id: {
                "nip": e.nip,
                "name": e.name,
                "front": e.front_title,
                "back": e.back_title,
                "gender": e.gender,
                "birth": e.birth_date,
                "status": e.status,
                "golongan": e.golongan,
                "supervisor": e.supervisor_id,
                "position": p.name,
                "kind": p.kind,
                "head": p.is_unit_head,
                "unit": u.name,
                "unit_kind": u.kind,
                "unit_id": u.id,
            }
            for e, p, u in rows
        }


def chain_lengths(people: dict) -> dict[str, int]:
    """Number of supervisors above each employee; fails on a cycle."""
    lengths = {}
    for start in people:
        seen, node, n = set(), start, 0
        while people[node]["supervisor"] is not None:
            assert node not in seen, f"cycle through {people[node]['name']}"
            seen.add(node)
            node = people[node]["supervisor"]
            n += 1
        lengths[start] = n
    return lengths


@pytest.fixture
def built(db):
    summary = build(db)
    return db, summary, roster(db)


def test_every_nip_parses_and_agrees_with_the_person(built):
    _db, summary, people = built
    assert len(people) == summary.employees == 300
    nips = [p["nip"] for p in people.values()]
    assert len(set(nips)) == len(nips)
    for p in people.values():
        nip = parse_nip(p["nip"], today=END_OF_YEAR)
        assert nip.kind == p["status"]
        assert nip.birth_date == p["birth"]
        assert nip.gender == p["gender"]
        assert 1966 <= p["birth"].year <= 2001
        if nip.kind == "PNS":
            age = nip.tmt.year - nip.birth_date.year - ((nip.tmt.month, 1) < (nip.birth_date.month, nip.birth_date.day))
            assert 20 <= age <= 35, p
            assert nip.tmt.year < YEAR
        else:
            assert 2019 <= nip.appointment_year <= YEAR


def test_golongan_fits_status_service_and_position(built):
    _db, _summary, people = built
    minimum = {"jpt": "IV/c", "administrator": "III/c", "pengawas": "III/b"}
    for p in people.values():
        assert normalize_golongan(p["golongan"], p["status"]) == p["golongan"]
        if p["status"] == "PPPK":
            assert p["golongan"] in ("V", "VII", "IX", "X")
            assert p["kind"] in ("fungsional", "pelaksana") and not p["head"]
            continue
        service = YEAR - parse_nip(p["nip"], today=END_OF_YEAR).tmt.year
        # Never above what the years of service allow from the highest entry golongan (III/b).
        assert golongan_rank(p["golongan"], "PNS") <= golongan_rank(
            plausible_golongan_for_service(service, "III/b"), "PNS"
        )
        assert golongan_rank(p["golongan"], "PNS") >= golongan_rank("II/a", "PNS")
        if p["kind"] in minimum:
            assert golongan_rank(p["golongan"], "PNS") >= golongan_rank(minimum[p["kind"]], "PNS"), p
        # The jenjang matches the golongan.
        if p["position"].endswith("Ahli Madya"):
            assert p["golongan"].startswith("IV/")
        if p["position"].endswith(("Ahli Pertama", "Mahir")):
            assert p["golongan"] in ("III/a", "III/b")
        if p["position"].endswith("Terampil"):
            assert p["golongan"].startswith("II/")


def test_pppk_share_is_realistic(built):
    _db, summary, people = built
    pppk = sum(p["status"] == "PPPK" for p in people.values())
    assert pppk == summary.pppk
    assert 0.05 <= pppk / len(people) <= 0.30


def test_supervisor_chains_are_three_to_four_deep_without_cycles(built):
    _db, summary, people = built
    lengths = chain_lengths(people)
    roots = [p for p in people.values() if p["supervisor"] is None]
    assert [r["position"] for r in roots] == ["Sekretaris Daerah"]
    assert 3 <= max(lengths.values()) <= 4
    assert summary.max_chain_depth == max(lengths.values())
    for p in people.values():
        boss = people.get(p["supervisor"])
        if p["unit_kind"] == "sekolah" and boss is not None and boss["position"] == "Kepala Sekolah":
            assert boss["unit_id"] == p["unit_id"]
        if p["position"] == "Kepala Puskesmas":
            assert boss["position"] == "Kepala Dinas Kesehatan"


@pytest.mark.slow
def test_full_size_chains_follow_the_structure(db):
    build(db, employees=2000)
    people = roster(db)
    lengths = chain_lengths(people)
    assert max(lengths.values()) == 4
    boss_of = {p["position"]: people[p["supervisor"]]["position"] for p in people.values() if p["supervisor"]}
    assert boss_of["Kepala Dinas Kesehatan"] == "Sekretaris Daerah"
    assert boss_of["Kepala Puskesmas"] == "Kepala Dinas Kesehatan"
    assert boss_of["Kepala Sekolah"] == "Kepala Dinas Pendidikan dan Kebudayaan"
    assert boss_of["Sekretaris Camat"] == "Camat"
    assert boss_of["Camat"] == "Sekretaris Daerah"
    assert boss_of["Kepala Seksi Surveilans dan Imunisasi"] == "Kepala Bidang Pencegahan dan Pengendalian Penyakit"
    teachers = [p for p in people.values() if p["position"].startswith("Guru ")]
    assert all(people[t["supervisor"]]["position"] == "Kepala Sekolah" for t in teachers)
    # Most employees are teachers, health workers and pelaksana.
    health = (
        "Dokter",
        "Perawat",
        "Bidan",
        "Apoteker",
        "Asisten Apoteker",
        "Sanitarian",
        "Nutrisionis",
        "Pranata Lab",
        "Perekam",
        "Radiografer",
        "Fisioterapis",
        "Penyuluh Kesehatan",
        "Epidemiolog",
        "Administrator Kes",
    )
    n_health = sum(p["position"].startswith(health) for p in people.values())
    n_pelaksana = sum(p["kind"] == "pelaksana" for p in people.values())
    assert len(teachers) > 0.3 * len(people)
    assert len(teachers) + n_health + n_pelaksana > 0.7 * len(people)


def test_every_unit_of_the_domain_list_is_present(built):
    db, _summary, _people = built
    with db.session() as s:
        units = {u.id: u for u in s.scalars(select(Unit))}
    by_name = {u.name: u for u in units.values()}
    tops = [u.name for u in units.values() if u.kind in ("opd", "rsud")]
    for name in (
        "Sekretariat Daerah",
        "Sekretariat DPRD",
        "Inspektorat",
        "Badan Perencanaan Pembangunan Daerah",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        "Dinas Pendidikan",
        "Dinas Kesehatan",
        "RSUD Hamba",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Dinas Sosial",
        "Dinas Komunikasi dan Informatika",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "Satuan Polisi Pamong Praja",
    ):
        assert any(t.startswith(name) for t in tops), name
    assert by_name["RSUD Hamba"].kind == "rsud"
    kecamatan = sorted(u.name for u in units.values() if u.kind == "kecamatan")
    assert kecamatan == sorted(
        f"Kecamatan {k}"
        for k in (
            "Bajubang",
            "Batin XXIV",
            "Maro Sebo Ilir",
            "Maro Sebo Ulu",
            "Mersam",
            "Muara Bulian",
            "Muara Tembesi",
            "Pemayung",
        )
    )
    puskesmas = [u for u in units.values() if u.kind == "puskesmas"]
    schools = [u for u in units.values() if u.kind == "sekolah"]
    assert len(puskesmas) >= 10 and len(schools) >= 8
    assert {units[u.parent_id].name for u in puskesmas} == {"Dinas Kesehatan"}
    assert {units[u.parent_id].name for u in schools} == {"Dinas Pendidikan dan Kebudayaan"}
    assert any(u.name.startswith("SD Negeri") for u in schools) and any(
        u.name.startswith("SMP Negeri") for u in schools
    )
    for u in units.values():
        if u.kind == "bidang":
            assert units[u.parent_id].kind in ("opd", "rsud")
        assert len(u.code) <= 40 and u.code == u.code.upper()
    assert by_name["Pemerintah Kabupaten Batanghari"].parent_id is None
    assert "KEC-BAJUBANG" in {u.code for u in units.values()} and "BKPSDM" in {u.code for u in units.values()}


def test_position_kinds_and_unit_heads(built):
    db, _summary, people = built
    with db.session() as s:
        positions = list(s.scalars(select(Position)))
    deliberate = {"Sekretaris Camat", "Kepala Puskesmas"}  # administrator; fungsional with tugas tambahan
    for pos in positions:
        assert pos.kind in ("jpt", "administrator", "pengawas", "pelaksana", "fungsional")
        assert pos.is_unit_head == is_unit_head_title(pos.name), pos.name
        if pos.name not in deliberate:
            assert guess_position_kind(pos.name).value == pos.kind, pos.name
    kinds = {pos.name: pos.kind for pos in positions}
    assert kinds["Sekretaris Daerah"] == kinds["Kepala Dinas Kesehatan"] == kinds["Inspektur"] == "jpt"
    assert kinds["Camat"] == kinds["Direktur RSUD Hamba"] == kinds["Kepala Bidang Anggaran"] == "administrator"
    assert kinds["Kepala Sekolah"] == kinds["Kepala Puskesmas"] == "fungsional"
    for p in people.values():
        if p["position"] == "Kepala Sekolah":
            assert p["unit_kind"] == "sekolah"
        if p["position"] == "Camat":
            assert p["unit_kind"] == "kecamatan"


@pytest.mark.slow
def test_titles_fit_positions(db):
    build(db, employees=1500)
    people = roster(db).values()
    for p in people:
        pos, front, back = p["position"], p["front"], p["back"]
        if pos.startswith("Guru "):
            assert any(t in back for t in ("S.Pd", "S.Si.", "S.S.", "S.Kom.")) or front.startswith(("Drs.", "Dra.")), p
        if pos.startswith("Dokter Gigi"):
            assert front.startswith("drg."), p
        elif pos.startswith("Dokter "):
            assert front.startswith("dr."), p
        if pos.startswith("Perawat ") and pos.endswith(("Terampil", "Mahir", "Penyelia")):
            assert back.startswith("A.Md.Kep."), p
        if pos.startswith("Perawat Ahli"):
            assert back.startswith("S.Kep., Ns."), p
        if pos.startswith("Bidan"):
            assert p["gender"] == "P"
            assert back.startswith(("A.Md.Keb.", "Amd.Keb.", "S.Tr.Keb.", "S.Keb.")), p
        if pos.startswith("Apoteker"):
            assert front.startswith("apt.") and "S.Farm." in back, p
        if p["kind"] == "jpt":
            assert front or back, p
        if "Hj." in front:
            assert p["gender"] == "P"
        if front.startswith("H.") or " H." in front:
            assert p["gender"] == "L"
    names_ = [p["name"] for p in people]
    assert all(n.strip() == n and "  " not in n for n in names_)
    assert len(set(names_)) > 0.5 * len(names_)


@pytest.mark.slow
def test_same_seed_same_database_other_seed_different(tmp_path):
    def dump(path, seed):
        database = open_database(path)
        try:
            build(database, employees=200, seed=seed)
        finally:
            database.close()
        conn = open_raw(path)
        try:
            out = {}
            for table in ("units", "positions", "employees"):
                cols = [
                    c[1]
                    for c in conn.execute(f"PRAGMA table_info({table})")
                    if c[1] not in ("updated_hlc", "origin_site")
                ]
                out[table] = conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id").fetchall()
            return out
        finally:
            conn.close()

    first = dump(tmp_path / "a.sqlite3", 1504)
    second = dump(tmp_path / "b.sqlite3", 1504)
    other = dump(tmp_path / "c.sqlite3", 42)
    assert first == second
    assert len(first["employees"]) == 200
    assert first["employees"] != other["employees"]


def test_change_log_has_one_entry_per_row_written(built):
    db, summary, _people = built
    with db.session() as s:
        for model in (Unit, Position, Employee):
            table = model.__tablename__
            ids = set(s.scalars(select(model.id)))
            logged = list(s.scalars(select(ChangeLog.row_id).where(ChangeLog.table_name == table)))
            # one entry per row written; the employee moved by the demo's mutasi is written twice
            moved = (
                1
                if model is Employee
                and s.scalar(select(func.count()).select_from(Skp).where(Skp.previous_skp_id.is_not(None)))
                else 0
            )
            assert len(logged) == len(ids) + moved and set(logged) == ids, table
            stamps = set(s.scalars(select(model.updated_hlc)))
            assert "" not in stamps and len(stamps) == len(ids)
        assert s.scalar(select(func.count()).select_from(Unit)) == summary.units


def test_marks_the_database_as_a_demo(built):
    db, _summary, _people = built
    with db.session() as s:
        assert s.get(Setting, "demo").value is True
        assert s.get(Setting, "demo_year").value == YEAR
        assert s.get(Site, db.site_id).name == "Demo Kabupaten Batanghari"


@pytest.mark.slow
def test_reports_progress_and_refuses_a_database_with_data(db):
    seen: list[Progress] = []
    summary = run(demo.build_demo(db, employees=12_000, year=YEAR), seen.append)
    assert seen[0].done == 0 and seen[-1].done == seen[-1].total
    assert any(0 < p.done < p.total for p in seen)
    with pytest.raises(demo.DatabaseNotEmpty):
        build(db)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Employee)) == summary.employees == 12_000


@pytest.mark.parametrize("employees", [1, 50])
def test_small_districts_keep_every_unit_and_one_root(db, employees):
    summary = build(db, employees=employees)
    people = roster(db)
    assert len(people) == employees
    assert [p["position"] for p in people.values() if p["supervisor"] is None] == ["Sekretaris Daerah"]
    chain_lengths(people)
    with db.session() as s:
        codes = set(s.scalars(select(Unit.code)))
    assert set(demo.DOMAIN_UNIT_CODES) <= codes
    assert summary.vacant_positions > 0


def test_rejects_sizes_and_years_it_cannot_make(db):
    for kwargs in ({"employees": 0}, {"employees": demo.MAX_EMPLOYEES + 1}, {"year": 2018}):
        with pytest.raises(demo.UnusableInput):
            run(demo.build_demo(db, **{"employees": 10, "year": YEAR, **kwargs}))


def test_names_stay_within_one_tradition():
    rng = random.Random(3)
    for _i in range(2000):
        style = demo_names.name_style(rng)
        gender = rng.choice("LP")
        name = demo_names.given_name(rng, gender, rng.randint(1966, 2001), style)
        words = name.split()
        assert len(words) == len(set(words)), name
        if style.key == "batak_toba":
            assert words[-1] in style.male_second
        assert not demo_names.bachelor(rng, "pendidikan", muslim=False).endswith(".I")


# --- the command -----------------------------------------------------------------------


def employee_count(path) -> int:
    conn = open_raw(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM employees").fetchone()[0]
    finally:
        conn.close()


def first_nip(path) -> str:
    conn = open_raw(path)
    try:
        return conn.execute("SELECT nip FROM employees ORDER BY nip LIMIT 1").fetchone()[0]
    finally:
        conn.close()


def test_cli_builds_refuses_then_rebuilds_with_force(tmp_path, capsys):
    home = tmp_path / "home"
    assert main(["--data-dir", str(home), "demo", "--employees", "100"]) == 0
    path = home / "kinerja.sqlite3"
    assert employee_count(path) == 100
    before = first_nip(path)
    capsys.readouterr()
    assert main(["--data-dir", str(home), "demo", "--employees", "100"]) == 2
    assert "--force" in capsys.readouterr().err
    assert employee_count(path) == 100 and first_nip(path) == before
    assert main(["--data-dir", str(home), "demo", "--employees", "80", "--seed", "9", "--force"]) == 0
    assert employee_count(path) == 80 and first_nip(path) != before
    assert not (home / "backups").exists() or not any((home / "backups").glob("*sebelum-demo*.sqlite3"))


def test_cli_force_backs_up_a_database_that_was_not_a_demo(tmp_path):
    path = tmp_path / "real.sqlite3"
    database = open_database(path)
    with database.transaction() as s:
        s.add(Employee(nip="198609262015051001", name="Siti Aminah", gender="P", status="PNS"))
    database.close()
    home = tmp_path / "home"
    assert main(["--data-dir", str(home), "--db", str(path), "demo", "--employees", "30", "--force"]) == 0
    backups = list((home / "backups").glob("*sebelum-demo*.sqlite3"))
    assert len(backups) == 1
    conn = open_raw(backups[0])
    assert conn.execute("SELECT name FROM employees").fetchall() == [("Siti Aminah",)]
    conn.close()
    assert employee_count(path) == 30


def test_cli_force_leaves_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "laporan.docx"
    path.write_bytes(b"PK\x03\x04 not a database")
    assert main(["--data-dir", str(tmp_path / "home"), "--db", str(path), "demo", "--force"]) == 2
    assert path.read_bytes() == b"PK\x03\x04 not a database"


def test_cli_rejects_bad_numbers(tmp_path):
    home = str(tmp_path / "home")
    assert main(["--data-dir", home, "demo", "--employees", "0"]) == 2
    assert main(["--data-dir", home, "demo", "--year", "2010"]) == 2
    assert not (tmp_path / "home" / "kinerja.sqlite3").exists()


def test_cli_defaults_are_the_service_defaults():
    from kinerja_desktop.cli import demo as cli_demo

    assert cli_demo.DEFAULT_EMPLOYEES == demo.DEFAULT_EMPLOYEES
    assert cli_demo.DEFAULT_SEED == demo.DEFAULT_SEED
