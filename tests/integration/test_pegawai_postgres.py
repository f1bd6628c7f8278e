"""The keberatan cycle and the pegawai's own-data rule on PostgreSQL (the central office)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from kinerja_desktop.errors import PermissionDenied, UserError
from kinerja_desktop.services.access.principal import ATASAN_PEJABAT_PENILAI, PEGAWAI, SYSTEM, Principal
from kinerja_desktop.store.database import open_database

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from roster_factory import build_roster

pytestmark = pytest.mark.postgres
YEAR = 2026


@pytest.fixture
def pg_db(pg_url):
    db = open_database(pg_url)
    yield db
    db.close()


def test_keberatan_decided_by_the_atasan_on_postgresql(pg_db):
    from kinerja_desktop.services.pegawai import acknowledge as ack
    from kinerja_desktop.services.pegawai import keberatan as kb
    from kinerja_desktop.services.pegawai.waiting import waiting_for
    from kinerja_desktop.services.performance import evaluations as ev_svc
    from kinerja_desktop.services.performance import skp as skp_svc
    from kinerja_desktop.services.performance.periods import create_year, find_period
    from kinerja_desktop.services.roster.query import RosterFilter, count_employees

    db = pg_db
    assert db.engine.dialect.name == "postgresql"
    r = build_roster(db)
    pejabat = r.penilai("kasi")
    atasan = Principal("kabid", ATASAN_PEJABAT_PENILAI, r.kabid)
    me, colleague = Principal("staf1", PEGAWAI, r.staf1), Principal("staf2", PEGAWAI, r.staf2)
    with db.transaction() as s:
        create_year(s, SYSTEM, YEAR, "triwulan")
        skp = skp_svc.create_skp(s, pejabat, r.staf1, YEAR)
        content = skp_svc.SkpContent(
            rhks=[skp_svc.RhkInput("Melayani KTP-el", "utama", [skp_svc.IkiInput("KTP-el terbit", "100")])]
        )
        skp = skp_svc.save_skp(s, pejabat, skp.id, content, expected_hlc=skp.updated_hlc)
        skp_svc.agree_skp(s, pejabat, skp.id, date(YEAR, 1, 10), expected_hlc=skp.updated_hlc)
        ev = ev_svc.start_evaluation(s, pejabat, r.staf1, find_period(s, YEAR, "AKHIR").id)
        real = {i.id: {"realisasi": "100", "umpan_balik": "-"} for _n, _r, i in ev_svc.skp_ikis(s, skp.id)}
        ev = ev_svc.save_evaluation(
            s,
            pejabat,
            ev.id,
            ev_svc.EvaluationForm("Di Bawah Ekspektasi", "Sesuai Ekspektasi", real),
            expected_hlc=ev.updated_hlc,
        )
        ev_id = ev_svc.finalize_evaluation(s, pejabat, ev.id, expected_hlc=ev.updated_hlc, today=date(2027, 1, 4)).id
        assert count_employees(s, me, RosterFilter(active=None)) == 1
        with pytest.raises(PermissionDenied):
            ev_svc.get_evaluation(s, colleague, ev_id)
        ack.acknowledge(s, me, ev_id, today=date(2027, 1, 5))
        with pytest.raises(UserError, match="19-01-2027"):
            kb.lodge(s, me, ev_id, "terlambat", today=date(2027, 1, 20))
        kid = kb.lodge(s, me, ev_id, "Target tercapai penuh", today=date(2027, 1, 19)).id
    with db.transaction() as s:
        assert [w.record_id for w in waiting_for(s, atasan, date(2027, 1, 20))] == [kid]
        with pytest.raises(PermissionDenied):
            kb.decide(s, pejabat, kid, kb.Decision("diubah", "x", "Sesuai Ekspektasi"))
        kb.record_explanations(s, atasan, kid, pegawai="100 dari 100", penilai="Benar")
        row = kb.decide(
            s, atasan, kid, kb.Decision("diubah", "Target tercapai", "Sesuai Ekspektasi"), today=date(2027, 1, 22)
        )
        new_id = row.new_evaluation_id
    with db.session() as s:
        from kinerja_desktop.store.models import Evaluation

        new = s.get(Evaluation, new_id)
        assert (new.status, new.predikat, new.revision_no) == ("final", "Baik", 1)
