"""The demo district's organisation chart is data (resources/demo/org_chart.json) the program ships."""

from __future__ import annotations

import json
from pathlib import Path

from kinerja_desktop import paths
from kinerja_desktop.services.demo import district

ROOT = Path(__file__).resolve().parents[2]


def _menus(chart: dict):
    for opd in chart["dinas"]:
        yield opd.get("background", [])
        for b in opd["bidang"]:
            yield b.get("menu", [])
            yield b.get("pelaksana", [])
    for group in ("setwan_bagian", "inspektorat_irban", "rsud_bidang"):
        for b in chart[group]:
            yield b.get("menu", [])
            yield b.get("pelaksana", [])
    yield from chart["rsud_menus"].values()


def test_every_menu_names_a_position_family_and_codes_are_unique():
    chart = json.loads(paths.resources_dir().joinpath(*district.ORG_CHART_FILE).read_text(encoding="utf-8"))
    for menu in _menus(chart):
        if isinstance(menu, str):
            assert menu in district._NAMED_MENUS
            continue
        for key, count in menu:
            assert key in district.FAMILIES, key
            assert isinstance(count, int) and count > 0
    codes = [o["code"] for o in chart["dinas"]]
    assert len(codes) == len(set(codes))
    kecamatan = {k["code"] for k in chart["kecamatan"]}
    assert all(k["kecamatan"] in kecamatan for k in chart["kelurahan"])


def test_the_loaded_chart_keeps_the_domain_offices():
    codes = {o.code for o in district.DINAS}
    assert {"BAPPEDA", "BKPSDM", "BPKAD", "DISDIKBUD", "DINKES", "PUPR", "SATPOLPP"} <= codes
    assert len(district.KECAMATAN) == 8 and set(district.KECAMATAN_WEIGHT) == {c for _n, c in district.KECAMATAN}
    assert district.KECAMATAN_KASI[0] == "Kepala Seksi Pemerintahan"


def test_the_frozen_program_ships_the_data_file():
    spec = (ROOT / "packaging" / "kinerja.spec").read_text(encoding="utf-8")
    assert 'data_tree(ROOT / "resources", "resources")' in spec
    assert (ROOT / "resources" / "demo" / "org_chart.json").is_file()
