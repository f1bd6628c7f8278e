"""Competency requirements, assessments, gaps, development-plan items and their fulfilment."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from kinerja_desktop.errors import PermissionDenied, UserError
from kinerja_desktop.services.access.principal import ADMINISTRATOR, SYSTEM, Principal
from kinerja_desktop.services.training import competency as comp
from kinerja_desktop.services.training import development_competency as dc
from kinerja_desktop.services.training import records as tr
from kinerja_desktop.services.training.development_plan import add_item, list_items
from kinerja_desktop.store.models import DevelopmentPlanItem, Employee

TODAY = date(2026, 11, 28)


def A(code="M.3", level=2, on=date(2026, 3, 1), **kw):
    kw.setdefault("assessor_name", "UPT Penilaian Kompetensi")
    return comp.AssessmentInput(code, level, on, **kw)


def coaching(code, level, on, reason="Perlu latihan berbicara di rapat.", **kw):
    return comp.AssessmentInput(code, level, on, reason=reason, kind="bimbingan_kinerja", **kw)


def staff_position(s, office) -> str:
    return s.get(Employee, office.staf1).position_id


def items(s, employee_id, status=None):
    return list_items(s, SYSTEM, employee_id, status)


# --- requirements ---------------------------------------------------------------------------


def test_requirement_table_is_edited_per_position(db, office):
    with db.transaction() as s:
        pos = staff_position(s, office)
        assert comp.set_requirements(s, office.hr, pos, {"m3": 3, "M.1": "4", "SK1": 2}) == {
            "M.3": 3,
            "M.1": 4,
            "SK.1": 2,
        }
        assert comp.set_requirements(s, office.hr, pos, {"M.1": None, "M.3": 2}) == {"M.3": 2, "SK.1": 2}
        assert comp.set_requirements(s, office.hr, pos, {"M.1": 5}) == {"M.3": 2, "SK.1": 2, "M.1": 5}
        table = {r.position_name: r for r in comp.requirement_table(s)}
        assert table["Analis Kebijakan"].levels == {"M.3": 2, "SK.1": 2, "M.1": 5}
        assert table["Analis Kebijakan"].holders == 2
        assert table["Kepala Dinas Contoh"].levels == {}


@pytest.mark.parametrize("level", [0, 6, "tiga", 2.5, True, "-1"])
def test_requirement_level_outside_1_to_5_is_refused(db, office, level):
    with db.transaction() as s:
        with pytest.raises(UserError, match="Level kompetensi"):
            comp.set_requirements(s, office.hr, staff_position(s, office), {"M.3": level})
        assert comp.position_requirements(s, [staff_position(s, office)])[staff_position(s, office)] == {}


def test_unknown_competency_is_refused_until_registered_as_teknis(db, office):
    with db.transaction() as s:
        pos = staff_position(s, office)
        with pytest.raises(UserError, match="tidak dikenal"):
            comp.set_requirements(s, office.hr, pos, {"T.01": 3})
        comp.add_technical(s, office.hr, "t.01", "Pengelolaan Keuangan Daerah")
        assert comp.set_requirements(s, office.hr, pos, {"T.01": 3}) == {"T.01": 3}
        with pytest.raises(UserError, match="sudah terdaftar"):
            comp.add_technical(s, office.hr, "T.01", "Lagi")
        with pytest.raises(UserError, match="manajerial"):
            comp.add_technical(s, office.hr, "M.3", "Bukan teknis")
        assert [c.code for c in comp.list_competencies(s)][-1] == "T.01"


def test_only_admin_kepegawaian_edits_requirements(db, office):
    with db.transaction() as s:
        for actor in (office.kabid_p, Principal("admin", ADMINISTRATOR)):
            with pytest.raises(PermissionDenied):
                comp.set_requirements(s, actor, staff_position(s, office), {"M.3": 3})


# --- assessments -----------------------------------------------------------------------------


def test_assessment_bad_input(db, office):
    with db.transaction() as s:
        for bad, text in (
            (A(level=0), "Level kompetensi"),
            (A(level="lima"), "Level kompetensi"),
            (A(code="X.9"), "tidak dikenal"),
            (A(on=None), "Tanggal"),
            (A(on=date(2026, 12, 1)), "sesudah hari ini"),
            (A(assessor_name=""), "penilai"),
            (coaching("M.3", 2, date(2026, 3, 1), reason="", assessor_id=office.kabid), "alasan"),
        ):
            with pytest.raises(UserError, match=text):
                comp.add_assessment(s, office.hr, office.staf1, bad, today=TODAY)
        with pytest.raises(UserError, match="dua kali"):
            comp.add_assessments(s, office.hr, office.staf1, [A(), A(level=3)], today=TODAY)
        assert comp.list_assessments(s, office.hr, office.staf1) == []


def test_pejabat_penilai_rates_after_coaching_only_the_people_below(db, office):
    with db.transaction() as s:
        rows = comp.add_assessments(
            s,
            office.kabid_p,
            office.staf1,
            [coaching("M.3", 2, date(2026, 4, 2)), coaching("M.4", 4, date(2026, 4, 2), reason="Target tercapai.")],
            today=TODAY,
        )
        assert {r.assessor_id for r in rows} == {office.kabid}  # the supervisor is the assessor
        listed = comp.list_assessments(s, office.kabid_p, office.staf1)
        assert {(a.competency_code, a.level, a.kind) for a in listed} == {
            ("M.3", 2, "bimbingan_kinerja"),
            ("M.4", 4, "bimbingan_kinerja"),
        }
        assert listed[0].assessor == "Kepala Bidang"
        with pytest.raises(PermissionDenied, match="asesmen"):
            comp.add_assessment(s, office.kabid_p, office.staf1, A(), today=TODAY)
        with pytest.raises(PermissionDenied):
            comp.add_assessment(s, office.kabid_p, office.outsider, coaching("M.3", 2, date(2026, 4, 2)), today=TODAY)
        with pytest.raises(PermissionDenied):  # a pejabat penilai does not rate their own supervisor
            comp.add_assessment(s, office.kabid_p, office.kadis, coaching("M.3", 2, date(2026, 4, 2)), today=TODAY)
        with pytest.raises(PermissionDenied):
            comp.add_assessment(s, Principal("admin", ADMINISTRATOR), office.staf1, A(), today=TODAY)
        with pytest.raises(PermissionDenied):
            comp.list_assessments(s, office.outsider_p, office.staf1)


def test_profile_uses_the_newest_rating(db, office):
    with db.transaction() as s:
        comp.set_requirements(s, office.hr, staff_position(s, office), {"M.3": 3, "M.5": 2})
        comp.add_assessment(s, office.hr, office.staf1, A("M.3", 4, date(2026, 1, 5)), today=TODAY)
        comp.add_assessment(s, office.hr, office.staf1, A("M.3", 2, date(2026, 6, 5)), today=TODAY)
        comp.add_assessment(s, office.hr, office.staf1, A("M.3", 5, date(2025, 6, 5)), today=TODAY)  # older
        comp.add_assessment(s, office.hr, office.staf1, A("M.5", 3, date(2026, 6, 5)), today=TODAY)
        p = comp.profile(s, office.kabid_p, office.staf1)
    rows = {r.code: r for r in p.rows}
    assert [r.code for r in p.rows] == ["M.1", "M.2", "M.3", "M.4", "M.5", "M.6", "M.7", "M.8", "SK.1"]
    assert (rows["M.3"].required, rows["M.3"].assessed, rows["M.3"].gap) == (3, 2, 1)
    assert rows["M.5"].gap == -1 and not rows["M.5"].has_gap
    assert rows["M.1"].gap is None and rows["M.1"].required is None
    assert [g.code for g in p.gaps] == ["M.3"]


def test_unit_gap_heat_map(db, office):
    with db.transaction() as s:
        comp.set_requirements(s, office.hr, staff_position(s, office), {"M.3": 3, "M.2": 3})
        comp.add_assessments(s, office.hr, office.staf1, [A("M.3", 1), A("M.2", 3)], today=TODAY)
        comp.add_assessments(s, office.hr, office.staf2, [A("M.3", 2)], today=TODAY)
        comp.add_assessments(s, office.hr, office.outsider, [A("M.3", 1)], today=TODAY)
        m = comp.unit_gaps(s, office.hr, office.bidang)
        only = comp.unit_gaps(s, office.hr, office.dinas, only_gaps=True)
        theirs = comp.unit_gaps(s, office.kabid_p)
    assert m.total == 3  # kabid, staf1, staf2
    rows = {r.name: r for r in m.rows}
    assert rows["Staf Satu"].gaps["M.3"] == 2 and rows["Staf Satu"].gaps["M.2"] == 0
    assert rows["Staf Dua"].gaps["M.3"] == 1 and rows["Staf Dua"].gaps["M.2"] is None
    assert rows["Kepala Bidang"].gaps["M.3"] is None
    summary = {g.code: g for g in m.summary}
    assert (summary["M.3"].assessed, summary["M.3"].with_gap, summary["M.3"].mean_gap) == (2, 2, 1.5)
    assert {r.name for r in only.rows} == {"Staf Satu", "Staf Dua"}
    assert {r.name for r in theirs.rows} == {"Staf Satu", "Staf Dua"}


# --- development plan from gaps --------------------------------------------------------------


def test_a_gap_creates_one_plan_item_with_suggested_types(db, office):
    with db.transaction() as s:
        comp.set_requirements(s, office.hr, staff_position(s, office), {"M.3": 3})
        comp.add_assessment(s, office.hr, office.staf1, A("M.3", 2, date(2026, 3, 1)), today=TODAY)
        comp.add_assessment(s, office.hr, office.staf1, A("M.3", 1, date(2026, 4, 1)), today=TODAY)  # still a gap
        open_ = items(s, office.staf1, "terbuka")
        assert len(open_) == 1
        item = open_[0]
        assert (item.source, item.competency_code, item.suggested_activity_codes) == (
            "kompetensi",
            "M.3",
            ["KL07", "NKL01"],
        )
        assert item.target_date == date(2026, 8, 30) and "Komunikasi" in item.description
        assert items(s, office.staf2) == []


def test_a_newer_rating_without_gap_closes_the_item(db, office):
    with db.transaction() as s:
        comp.set_requirements(s, office.hr, staff_position(s, office), {"M.3": 3})
        comp.add_assessment(s, office.hr, office.staf1, A("M.3", 2, date(2026, 3, 1)), today=TODAY)
        comp.add_assessment(s, office.kabid_p, office.staf1, coaching("M.3", 3, date(2026, 9, 1)), today=TODAY)
        assert items(s, office.staf1, "terbuka") == []
        assert len(items(s, office.staf1, "selesai")) == 1


def test_raising_the_standard_creates_items_for_the_holders(db, office):
    with db.transaction() as s:
        comp.add_assessment(s, office.hr, office.staf1, A("M.5", 2), today=TODAY)
        comp.add_assessment(s, office.hr, office.staf2, A("M.5", 4), today=TODAY)
        assert items(s, office.staf1) == []
        comp.set_requirements(s, office.hr, staff_position(s, office), {"M.5": 3})
        assert [i.competency_code for i in items(s, office.staf1, "terbuka")] == ["M.5"]
        assert items(s, office.staf2) == []


def test_edited_suggestions_are_used(db, office):
    with db.transaction() as s:
        assert dc.set_suggestions(s, office.hr, "M.3", ["kl6", "NKL02", "KL06"]) == ["KL06", "NKL02"]
        with pytest.raises(UserError):
            dc.set_suggestions(s, office.hr, "M.3", [])
        with pytest.raises(UserError):
            dc.set_suggestions(s, office.hr, "M.3", ["ZZ1"])
        with pytest.raises(PermissionDenied):
            dc.set_suggestions(s, office.kabid_p, "M.3", ["KL06"])
        comp.set_requirements(s, office.hr, staff_position(s, office), {"M.3": 3})
        comp.add_assessment(s, office.hr, office.staf1, A("M.3", 2), today=TODAY)
        assert items(s, office.staf1)[0].suggested_activity_codes == ["KL06", "NKL02"]
        table = {code: codes for code, _name, codes in dc.suggestion_table(s)}
        assert table["M.3"] == ["KL06", "NKL02"] and table["M.2"] == ["NKL06", "NKL10"]


# --- fulfilment --------------------------------------------------------------------------------


def _gap_item(s, office, on=date(2026, 3, 1)):
    comp.set_requirements(s, office.hr, staff_position(s, office), {"M.3": 3})
    comp.add_assessment(s, office.hr, office.staf1, A("M.3", 2, on), today=TODAY)
    return items(s, office.staf1, "terbuka")[0]


def train(s, office, code, start, title="Kegiatan", who=None):
    return tr.create_record(
        s, office.hr, who or office.staf1, tr.ActivityInput(title, code, start, start, "4"), confirm=True
    )


def test_a_training_of_a_suggested_type_after_the_gap_fulfils_the_item(db, office):
    with db.transaction() as s:
        item = _gap_item(s, office)
        assert train(s, office, "KL03", date(2026, 5, 1), "Teknis").fulfilled_items == ()  # not suggested
        assert train(s, office, "NKL01", date(2026, 2, 1), "Coaching lama").fulfilled_items == ()  # before the gap
        assert train(s, office, "NKL01", date(2026, 5, 1), "Coaching", who=office.staf2).fulfilled_items == ()
        res = train(s, office, "NKL01", date(2026, 5, 2), "Coaching komunikasi")
        assert res.fulfilled_items == (item.id,)
        s.refresh(item)
        assert item.status == "selesai" and item.fulfilled_by_training_id == res.record_ids[0]
        row = dc.plan_rows(s, office.hr, employee_id=office.staf1)[0]
        assert row.fulfilled_by == "Coaching komunikasi" and row.suggested[0] == ("KL07", "Workshop/Lokakarya")


def test_training_saved_before_the_item_existed_fulfils_it_at_once(db, office):
    with db.transaction() as s:
        rec = train(s, office, "KL07", date(2026, 6, 1), "Workshop komunikasi")
        comp.set_requirements(s, office.hr, staff_position(s, office), {"M.3": 3})
        comp.add_assessment(s, office.hr, office.staf1, A("M.3", 2, date(2026, 3, 1)), today=TODAY)
        done = items(s, office.staf1, "selesai")
        assert len(done) == 1 and done[0].fulfilled_by_training_id == rec.record_ids[0]


def test_deleting_the_fulfilling_record_reopens_the_item(db, office):
    with db.transaction() as s:
        item = _gap_item(s, office)
        res = train(s, office, "NKL01", date(2026, 5, 2))
        tr.delete_record(s, office.hr, res.record_ids[0])
        s.refresh(item)
        assert item.status == "terbuka" and item.fulfilled_by_training_id is None


def test_an_evaluation_item_is_fulfilled_by_training_after_the_evaluation(db, office, perf):
    from kinerja_desktop.services.performance import evaluations as ev_svc

    with db.transaction() as s:
        perf.agreed_skp(s, SYSTEM, office.staf2)
        ev = ev_svc.start_evaluation(s, office.kabid_p, office.staf2, perf.period_id(s, "triwulan", 1))
        ev = ev_svc.save_evaluation(
            s,
            office.kabid_p,
            ev.id,
            ev_svc.EvaluationForm("Di Bawah Ekspektasi", "Sesuai Ekspektasi", perf.fill_realisasi(s, ev.id)),
            expected_hlc=ev.updated_hlc,
        )
        ev_svc.finalize_evaluation(s, office.kabid_p, ev.id, expected_hlc=ev.updated_hlc, today=date(2026, 4, 10))
        item = s.scalar(select(DevelopmentPlanItem).where(DevelopmentPlanItem.employee_id == office.staf2))
        assert item is not None and item.source == "evaluasi"
        assert dc.item_created_on(s, item) == date(2026, 4, 10)
        code = item.suggested_activity_codes[0]
        assert train(s, office, code, date(2026, 4, 1), "Sebelum evaluasi", who=office.staf2).fulfilled_items == ()
        assert train(s, office, code, date(2026, 4, 20), "Sesudah evaluasi", who=office.staf2).fulfilled_items == (
            item.id,
        )


def test_a_hand_made_item_uses_the_time_it_was_saved(db, office):
    with db.transaction() as s:
        item = add_item(
            s,
            office.hr,
            office.staf1,
            "kompetensi",
            "Belajar Excel",
            competency_code="T.09",
            suggested_activity_codes=["NKL03"],
            target_date=date(2027, 1, 1),
        )
        assert dc.item_created_on(s, item) == date.today()


def test_plan_rows_scope(db, office):
    with db.transaction() as s:
        comp.set_requirements(s, office.hr, staff_position(s, office), {"M.3": 3})
        for emp in (office.staf1, office.staf2):
            comp.add_assessment(s, office.hr, emp, A("M.3", 1), today=TODAY)
        assert len(dc.plan_rows(s, office.hr)) == 2
        assert len(dc.plan_rows(s, office.kabid_p, unit_id=office.bidang)) == 2
        assert dc.plan_rows(s, office.outsider_p) == []
        assert dc.plan_unit(s, office.hr, office.dinas).created == ()  # nothing new to plan
