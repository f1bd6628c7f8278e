"""Capaian kinerja organisasi per period, set only by the leader of the organisation above.

PermenPANRB 6/2022: set per period (rencana aksi progress periodically, perjanjian kinerja
for Akhir) by the leader above, never by the head of the unit itself; for a perangkat
daerah by the Sekda or the Bupati; admin kepegawaian may record that leader's decision
with its reference.
"""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_desktop.errors import PermissionDenied, UserError
from kinerja_desktop.services.access.principal import ADMINISTRATOR, SYSTEM, Principal
from kinerja_desktop.services.performance.capaian import (
    CapaianDecision,
    authority,
    capaian_text,
    effective_capaian,
    may_decide,
    own_capaian,
    set_capaian,
)
from kinerja_desktop.services.performance.periods import set_closed
from kinerja_desktop.store.models import AuditEntry, UnitCapaian


def test_who_may_decide_each_unit(db, office, setda):
    with db.session() as s:
        bidang = authority(s, office.bidang)
        assert [e.id for e in bidang.employees] == [office.kadis] and bidang.kepala_daerah is None
        dinas = authority(s, office.dinas, date(2026, 6, 1))  # a perangkat daerah: the Sekda or the Bupati
        assert [e.id for e in dinas.employees] == [setda.sekda]
        assert dinas.kepala_daerah.name == "Ahmad Bupati"  # in office on 1 June 2026
        assert authority(s, office.dinas, date(2025, 6, 1)).kepala_daerah.id == setda.bupati
        own = authority(s, setda.unit, date(2026, 6, 1))  # the Setda itself: only the Bupati
        assert own.employees == () and own.kepala_daerah is not None
        assert [h.id for h in dinas.unit_heads] == [office.kadis]


@pytest.mark.parametrize(
    ("who", "unit", "allowed"),
    [
        ("kadis", "bidang", True),  # the leader of the organisation above
        ("kabid", "bidang", False),  # not the leader above (and would be judged by it)
        ("sekda", "dinas", True),  # a perangkat daerah: the Sekda
        ("kadis", "dinas", False),  # the head of the unit itself: never
        ("sekda", "setda", False),  # the Sekda for his own Setda: never
        ("kabid", "dinas", False),
        ("outsider", "bidang", False),
    ],
)
def test_table_of_who_may_set_it(db, office, setda, who, unit, allowed):
    actors = {"kadis": office.kadis_p, "kabid": office.kabid_p, "sekda": setda.sekda_p, "outsider": office.outsider_p}
    units = {"bidang": office.bidang, "dinas": office.dinas, "setda": setda.unit}
    with db.transaction() as s:
        assert may_decide(s, actors[who], units[unit]) is allowed
        if allowed:
            row = set_capaian(s, actors[who], units[unit], 2026, "Baik")
            assert row.decider_employee_id == actors[who].employee_id
        else:
            with pytest.raises(PermissionDenied):
                set_capaian(s, actors[who], units[unit], 2026, "Baik")


def test_the_head_of_the_unit_is_refused_with_the_reason(db, office, setda):
    with db.transaction() as s, pytest.raises(PermissionDenied) as err:
        set_capaian(s, office.kadis_p, office.dinas, 2026, "Istimewa")
    message = str(err.value)
    assert "tidak dapat ditetapkan oleh kepala unit itu sendiri" in message
    assert "rating hasil kerja kepala unit" in message and "Sekretaris Daerah Contoh" in message
    with db.transaction() as s, pytest.raises(PermissionDenied, match="kepala unit itu sendiri"):
        # HR cannot record a decision by the head either
        set_capaian(
            s,
            office.hr,
            office.dinas,
            2026,
            CapaianDecision("Baik", decider_employee_id=office.kadis, decision_reference="800/1/2026"),
        )


def test_hr_records_the_leaders_decision_with_its_reference(db, office, setda):
    with db.transaction() as s:
        with pytest.raises(UserError, match="Pilih pimpinan"):
            set_capaian(s, office.hr, office.dinas, 2026, CapaianDecision("Baik", decision_reference="1/2027"))
        with pytest.raises(UserError, match="nomor dan tanggal surat/keputusan"):
            set_capaian(s, office.hr, office.dinas, 2026, CapaianDecision("Baik", decider_employee_id=setda.sekda))
        row = set_capaian(
            s,
            office.hr,
            office.dinas,
            2026,
            CapaianDecision(
                "Baik",
                basis_note="Realisasi perjanjian kinerja 92 %",
                recommendation_source="pengawasan",
                recommended_capaian="Baik",
                decider_kepala_daerah_id=setda.bupati,
                decision_reference="Kep. Bupati No. 800/12/2027",
                decided_on=date(2026, 1, 10),
            ),
            today=date(2027, 1, 12),
        )
        assert (row.decider_kepala_daerah_id, row.decider_employee_id) == (setda.bupati, None)
        assert row.basis == "perjanjian_kinerja" and row.set_by == "hr" and row.set_on == date(2027, 1, 12)
        text = capaian_text(s, row)
        assert "Baik (Akhir 2026, dasar: perjanjian kinerja" in text
        assert "rekomendasi unit pengawasan (Inspektorat): Baik" in text
        assert "H. Muhammad Fadhil, S.E., M.M. (Bupati Batanghari)" in text and "Kep. Bupati No. 800/12/2027" in text
        with pytest.raises(PermissionDenied, match="Kepala daerah hanya menetapkan capaian perangkat daerah"):
            set_capaian(
                s,
                office.hr,
                office.bidang,
                2026,
                CapaianDecision("Baik", decider_kepala_daerah_id=setda.bupati, decision_reference="x"),
            )
        with pytest.raises(UserError, match="Sebutkan unit yang memberi rekomendasi"):
            set_capaian(
                s,
                office.hr,
                office.bidang,
                2026,
                CapaianDecision(
                    "Baik", recommended_capaian="Baik", decider_employee_id=office.kadis, decision_reference="x"
                ),
            )
        with pytest.raises(PermissionDenied):
            set_capaian(s, Principal("it", ADMINISTRATOR), office.bidang, 2026, "Baik")


def test_capaian_is_per_period_with_its_basis(db, office, perf):
    with db.transaction() as s:
        q1 = perf.period_id(s, "triwulan", 1)
        row = set_capaian(
            s,
            office.kadis_p,
            office.bidang,
            q1,
            CapaianDecision("Butuh Perbaikan", basis_note="3 dari 10 rencana aksi belum berjalan"),
        )
        assert row.basis == "rencana_aksi" and row.period_id == q1
        set_capaian(s, office.kadis_p, office.bidang, 2026, "Istimewa")
        assert own_capaian(s, office.bidang, q1).capaian == "Butuh Perbaikan"
        assert own_capaian(s, office.bidang, 2026).capaian == "Istimewa"
        assert own_capaian(s, office.bidang, perf.period_id(s, "triwulan", 2)) is None
        assert effective_capaian(s, office.bidang, q1)[0].label == "Butuh Perbaikan"
        # a change is audited and keeps one row per unit and period
        set_capaian(s, office.kadis_p, office.bidang, q1, "Baik")
        rows = s.query(UnitCapaian).filter_by(unit_id=office.bidang, period_id=q1).all()
        assert len(rows) == 1 and rows[0].capaian == "Baik"
        actions = [e.action for e in s.query(AuditEntry).filter_by(table_name="capaian_organisasi")]
        assert actions == ["create", "create", "update"]


def test_a_closed_period_refuses_a_capaian(db, office, perf):
    with db.transaction() as s:
        set_closed(s, SYSTEM, perf.period_id(s), True)
        with pytest.raises(UserError, match="sudah ditutup"):
            set_capaian(s, office.kadis_p, office.bidang, 2026, "Baik")


def test_a_vacant_parent_passes_the_decision_up(db, office, setda, perf):
    from kinerja_desktop.store.models import Position, Unit

    with db.transaction() as s:
        seksi = Unit(code="SEKSI", name="Seksi Satu", kind="bidang", parent_id=office.bidang)
        s.add(seksi)
        s.flush()
        # the Bidang has no head position holder: the Kadis, head of the next organisation up, decides
        assert [e.id for e in authority(s, seksi.id).employees] == [office.kadis]
        pos = Position(name="Kepala Bidang Definitif", kind="administrator", is_unit_head=True)
        s.add(pos)
        s.flush()
        head = perf.add_employee(s, "Kabid Definitif", office.bidang, pos.id, office.kadis)
        assert [e.id for e in authority(s, seksi.id).employees] == [head]
