"""The regulation's step of ``kinerja selftest``: its rules and documents work in this build.

In a throwaway database under ``workdir``: the capaian of a Bidang is set by its Kepala
Dinas and refused to the Bidang's own head; the distribution counts the head's
subordinates; a jabatan fungsional's final predikat converts to angka kredit; the
penetapan and the PAK konversi render with every font embedded. Raises on any failure.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from kinerja_desktop.domain.angka_kredit import Jenjang, konversi
from kinerja_desktop.domain.distribution import check_distribution
from kinerja_desktop.domain.nip import make_pns_nip
from kinerja_desktop.domain.predikat import Predikat
from kinerja_desktop.errors import PermissionDenied
from kinerja_desktop.reports.render import render_view
from kinerja_desktop.services.access.principal import PEJABAT_PENILAI, SYSTEM, Principal
from kinerja_desktop.services.performance import evaluations as ev_svc
from kinerja_desktop.services.performance import skp as skp_svc
from kinerja_desktop.services.performance.angka_kredit import angka_kredit, pak_view
from kinerja_desktop.services.performance.capaian import set_capaian
from kinerja_desktop.services.performance.penetapan import penetapan_view
from kinerja_desktop.services.performance.periods import annual_period, create_year
from kinerja_desktop.store.database import open_database
from kinerja_desktop.store.models import Employee, Position, Unit

YEAR = 2026


def _fonts_embedded(pdf: bytes) -> bool:
    """Every font dictionary of the PDF has an embedded font program (a TrueType subset)."""
    fonts = len(re.findall(rb"/Type\s*/Font\b", pdf))
    programs = len(re.findall(rb"/FontFile2\b", pdf))
    return fonts > 0 and not re.search(rb"/BaseFont\s*/(Helvetica|Times|Courier)", pdf) and programs > 0


def _office(s) -> dict:
    dinas = Unit(code="ST-DINAS", name="Dinas Uji", kind="opd")
    s.add(dinas)
    s.flush()
    bidang = Unit(code="ST-BIDANG", name="Bidang Uji", kind="bidang", parent_id=dinas.id)
    head = Position(name="Kepala Dinas Uji", kind="jpt", is_unit_head=True)
    kabid = Position(name="Kepala Bidang Uji", kind="administrator", is_unit_head=True)
    jf = Position(name="Perawat Ahli Pertama", kind="fungsional")
    s.add_all([bidang, head, kabid, jf])
    s.flush()

    def person(n: int, name: str, unit, pos, sup=None) -> str:
        emp = Employee(
            nip=make_pns_nip(date(1980, 1, n), date(2005, 3, 1), "L", n),
            name=name,
            gender="L",
            status="PNS",
            golongan="III/a",
            unit_id=unit.id,
            position_id=pos.id,
            supervisor_id=sup,
        )
        s.add(emp)
        s.flush()
        return emp.id

    kadis = person(1, "Kepala Dinas Uji", dinas, head)
    kabid_id = person(2, "Kepala Bidang Uji", bidang, kabid, kadis)
    perawat = person(3, "Perawat Uji", bidang, jf, kabid_id)
    create_year(s, SYSTEM, YEAR, None)
    return {"dinas": dinas.id, "bidang": bidang.id, "kadis": kadis, "kabid": kabid_id, "perawat": perawat}


def run_regulation_selftest(workdir: str | Path) -> str:
    if konversi(Predikat.BAIK, Jenjang.AHLI_PERTAMA, 2) != Decimal("2.08"):
        raise RuntimeError("the periodic angka kredit example (2 months at Baik, Ahli Pertama) is not 2,08")
    if check_distribution("Istimewa", {Predikat.BAIK: 5}).ok:
        raise RuntimeError("an Istimewa unit without a majority of Sangat Baik passed the distribution check")
    db = open_database(Path(workdir) / "regulasi.sqlite3")
    try:
        with db.transaction() as s:
            o = _office(s)
            kadis = Principal("kadis", PEJABAT_PENILAI, o["kadis"])
            kabid = Principal("kabid", PEJABAT_PENILAI, o["kabid"])
            try:
                set_capaian(s, kabid, o["bidang"], YEAR, "Istimewa")
            except PermissionDenied:
                pass
            else:
                raise RuntimeError("the head of a unit could set the unit's own capaian")
            set_capaian(s, kadis, o["bidang"], YEAR, "Baik")
            skp = skp_svc.create_skp(s, kabid, o["perawat"], YEAR)
            content = skp_svc.SkpContent(
                rhks=[skp_svc.RhkInput("Asuhan keperawatan", ikis=[skp_svc.IkiInput("Pasien terlayani", "40 pasien")])]
            )
            skp = skp_svc.save_skp(s, kabid, skp.id, content, expected_hlc=skp.updated_hlc)
            skp_svc.agree_skp(s, kabid, skp.id, date(YEAR, 1, 10), expected_hlc=skp.updated_hlc)
            ev = ev_svc.start_evaluation(s, kabid, o["perawat"], annual_period(s, YEAR).id)
            iki = ev_svc.skp_ikis(s, skp.id)[0][2]
            ev = ev_svc.save_evaluation(
                s,
                kabid,
                ev.id,
                ev_svc.EvaluationForm("Sesuai Ekspektasi", "Sesuai Ekspektasi", {iki.id: {"realisasi": "40 pasien"}}),
                expected_hlc=ev.updated_hlc,
            )
            ev_svc.finalize_evaluation(s, kabid, ev.id, expected_hlc=ev.updated_hlc, today=date(YEAR + 1, 1, 5))
        with db.session() as s:
            ak = angka_kredit(s, SYSTEM, o["perawat"])
            if ak.total != Decimal("12.50"):
                raise RuntimeError(f"a year at Baik for an Ahli Pertama gave {ak.total} angka kredit, not 12,50")
            period = annual_period(s, YEAR).id
            docs = [
                render_view(penetapan_view(s, SYSTEM, o["bidang"], period)),
                render_view(pak_view(s, SYSTEM, o["perawat"])),
            ]
    finally:
        db.close()
    for rendered in docs:
        if rendered.page_count < 1 or not _fonts_embedded(rendered.pdf):
            raise RuntimeError(f"the {rendered.title} was not rendered with embedded fonts")
    return (
        f"capaian oleh pimpinan di atasnya, angka kredit {ak.total}, penetapan dan PAK "
        f"({sum(d.page_count for d in docs)} halaman) dibuat"
    )
