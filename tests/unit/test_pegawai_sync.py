"""The pegawai cycle across sites with real signed bundles: the office holding the employee
does the employee's part and the evaluation; the atasan decides the keberatan at central;
the decision and the new final revision come back to the office."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from kinerja_desktop.errors import UserError
from kinerja_desktop.services.access.principal import (
    ATASAN_PEJABAT_PENILAI,
    PEGAWAI,
    PEJABAT_PENILAI,
    SYSTEM,
    Principal,
)
from kinerja_desktop.store.models import Employee, Evaluation
from kinerja_desktop.store.pegawai import Acknowledgement, Keberatan, RealisasiReport, SkpProposal
from kinerja_desktop.sync.sandbox import enroll_office, make_site, seed_org, synced_rows

YEAR = 2026


@pytest.fixture
def sites(tmp_path):
    from kinerja_desktop.services.performance.periods import create_year

    central = make_site(tmp_path / "central", "1504-BKPSDM", "BKPSDM", central=True)
    office = make_site(tmp_path / "office", "1504-KEC-A", "Kecamatan A")
    org = seed_org(central.db, units=1, employees_per_unit=3)
    top, pejabat, pegawai = org["employees"]
    with central.db.transaction() as s:
        s.get(Employee, pegawai).supervisor_id = pejabat  # a chain of three
        create_year(s, SYSTEM, YEAR, "triwulan")
    enroll_office(central, office)
    send(central, office)
    yield central, office, (top, pejabat, pegawai)
    central.close()
    office.close()


def send(src, dst):
    result = dst.import_bundle(src.export(dst.site_id).data)
    if result.ack is not None:
        src.import_bundle(result.ack)


def test_the_cycle_travels_between_the_office_and_central(sites, tmp_path):
    from kinerja_desktop.services.pegawai import acknowledge as ack_svc
    from kinerja_desktop.services.pegawai import keberatan as kb
    from kinerja_desktop.services.pegawai import work
    from kinerja_desktop.services.performance import evaluations as ev_svc
    from kinerja_desktop.services.performance import skp as skp_svc
    from kinerja_desktop.services.performance.periods import find_period

    central, office, (top, pejabat_id, pegawai_id) = sites
    pejabat = Principal("pejabat", PEJABAT_PENILAI, pejabat_id)
    pegawai = Principal("pegawai", PEGAWAI, pegawai_id)
    atasan = Principal("atasan", ATASAN_PEJABAT_PENILAI, top)
    evidence = tmp_path / "bukti.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    with office.db.transaction() as s:  # the office holds the employee: the whole first part happens there
        skp = skp_svc.create_skp(s, pejabat, pegawai_id, YEAR)
        proposal = work.propose(
            s,
            pegawai,
            skp.id,
            [work.ProposedRhk("Mengolah arsip", "utama", None, [work.ProposedIki("Arsip terolah", "100 berkas")])],
        )
        work.decide_proposal(s, pejabat, proposal.id, agree=True)
        skp_svc.agree_skp(s, pejabat, skp.id, date(YEAR, 1, 15), expected_hlc=skp.updated_hlc)
        iki = ev_svc.skp_ikis(s, skp.id)[0][2].id
        work.report_realisasi(s, pegawai, skp.id, find_period(s, YEAR, "TW1").id, iki, "30 berkas", evidence=evidence)
        period = find_period(s, YEAR, "AKHIR")
        ev = ev_svc.start_evaluation(s, pejabat, pegawai_id, period.id)
        ev = ev_svc.save_evaluation(
            s,
            pejabat,
            ev.id,
            ev_svc.EvaluationForm(
                "Sesuai Ekspektasi", "Di Bawah Ekspektasi", {iki: {"realisasi": "100 berkas", "umpan_balik": "-"}}
            ),
            expected_hlc=ev.updated_hlc,
        )
        ev = ev_svc.finalize_evaluation(s, pejabat, ev.id, expected_hlc=ev.updated_hlc, today=date(2027, 1, 4))
        ev_id = ev.id
        ack_svc.acknowledge(s, pegawai, ev_id, today=date(2027, 1, 5))
        kid = kb.lodge(
            s, pegawai, ev_id, "Perilaku saya tidak pernah dinilai kurang", evidence=evidence, today=date(2027, 1, 12)
        ).id
    send(office, central)
    for table in ("skp_proposals", "realisasi_reports", "evaluation_acknowledgements", "keberatan"):
        assert synced_rows(office.db, table) == synced_rows(central.db, table), table
    with central.db.transaction() as s:  # the atasan's office decides
        assert s.get(Keberatan, kid).atasan_id == top
        kb.record_explanations(s, atasan, kid, pegawai="Tidak ada catatan perilaku", penilai="Catatan lisan saja")
        kb.decide(
            s,
            atasan,
            kid,
            kb.Decision("diubah", "Tidak ada bukti perilaku kurang", None, "Sesuai Ekspektasi"),
            today=date(2027, 1, 20),
        )
    send(central, office)
    with office.db.session() as s:
        row = s.get(Keberatan, kid)
        assert (row.status, row.decision, row.decided_by) == ("diputus", "diubah", "atasan")
        new = s.get(Evaluation, row.new_evaluation_id)
        assert (new.status, new.predikat, new.revision_of_id) == ("final", "Baik", ev_id)
        assert ev_svc.current_evaluation(s, pegawai_id, new.period_id).id == new.id
        assert s.scalar(select(SkpProposal.status)) == "disetujui"
        assert s.scalar(select(RealisasiReport.text)) == "30 berkas"
        assert s.scalar(select(Acknowledgement.acknowledged_on)) == date(2027, 1, 5)
    with office.db.transaction() as s:
        with pytest.raises(UserError, match="satu kali"):
            kb.lodge(s, pegawai, ev_id, "lagi", today=date(2027, 1, 13))
