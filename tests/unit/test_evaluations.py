"""Evaluations: the nine matrix cells, the head-of-unit rule, finalize, revisions, bad input."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from kinerja_desktop.domain.predikat import CapaianOrganisasi, Predikat, Rating
from kinerja_desktop.errors import UserError
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.optimistic import ConcurrentEdit
from kinerja_desktop.services.performance import evaluations as svc
from kinerja_desktop.services.performance.capaian import set_capaian
from kinerja_desktop.services.performance.periods import PeriodClosed, set_closed
from kinerja_desktop.services.training.development_plan import list_items
from kinerja_desktop.store.models import AuditEntry, Employee, Evaluation

A, S, B = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH
NINE = [
    (A, B, "Kurang/Misconduct"),
    (A, S, "Baik"),
    (A, A, "Sangat Baik"),
    (S, B, "Kurang/Misconduct"),
    (S, S, "Baik"),
    (S, A, "Baik"),
    (B, B, "Sangat Kurang"),
    (B, S, "Butuh Perbaikan"),
    (B, A, "Butuh Perbaikan"),
]


@pytest.fixture
def staf_eval(db, office, perf):
    """A draft annual evaluation of staf1 (SKP agreed: 1 RHK with 2 IKI)."""
    with db.transaction() as s:
        perf.agreed_skp(s, SYSTEM, office.staf1)
        ev = svc.start_evaluation(s, office.kabid_p, office.staf1, perf.period_id(s))
    return ev.id


def _save(s, actor, ev_id, hasil, perilaku, realisasi=None, **kw):
    ev = s.get(Evaluation, ev_id)
    form = svc.EvaluationForm(hasil, perilaku, realisasi if realisasi is not None else {}, **kw)
    return svc.save_evaluation(s, actor, ev_id, form, expected_hlc=ev.updated_hlc)


@pytest.mark.parametrize("hasil,perilaku,expected", NINE, ids=[f"{h.name}-{p.name}" for h, p, _e in NINE])
def test_all_nine_cells_of_the_matrix_through_the_service(db, office, perf, staf_eval, hasil, perilaku, expected):
    assert svc.live_predikat(hasil.value, perilaku.value).value == expected
    with db.transaction() as s:
        ev = _save(s, office.kabid_p, staf_eval, hasil.value, perilaku, perf.fill_realisasi(s, staf_eval))
        assert (ev.rating_hasil_kerja, ev.rating_perilaku_kerja, ev.predikat) == (hasil.value, perilaku.value, expected)
        svc.finalize_evaluation(s, office.kabid_p, staf_eval, expected_hlc=ev.updated_hlc, today=date(2027, 1, 5))
    with db.session() as s:
        ev = s.get(Evaluation, staf_eval)
        assert (ev.status, ev.predikat) == ("final", expected)
        items = list_items(s, SYSTEM, office.staf1)
        below_baik = Predikat(expected).rank > Predikat.BAIK.rank
        assert len(items) == (1 if below_baik else 0)
        if below_baik:
            assert items[0].source == "evaluasi" and items[0].source_id == staf_eval
            assert items[0].status == "terbuka" and items[0].suggested_activity_codes


def test_live_predikat_waits_for_both_ratings():
    assert svc.live_predikat(None, "Sesuai Ekspektasi") is None
    assert svc.live_predikat("di atas", "") is None
    assert svc.live_predikat("di atas", "di atas") is Predikat.SANGAT_BAIK


def test_predikat_is_recomputed_on_every_save(db, office, staf_eval):
    with db.transaction() as s:
        assert _save(s, office.kabid_p, staf_eval, A, A).predikat == "Sangat Baik"
        assert _save(s, office.kabid_p, staf_eval, A, None).predikat is None
        assert _save(s, office.kabid_p, staf_eval, B, S).predikat == "Butuh Perbaikan"
        with pytest.raises(UserError, match="Rating perilaku kerja: Rating 'luar biasa' tidak dikenal"):
            _save(s, office.kabid_p, staf_eval, A, "luar biasa")


@pytest.mark.parametrize(
    "capaian,rating", [("Istimewa", A), ("Baik", S), ("Butuh Perbaikan", B), ("Kurang", B), ("Sangat Kurang", B)]
)
def test_head_of_unit_rating_hasil_kerja_follows_the_capaian(db, office, perf, capaian, rating):
    with db.transaction() as s:
        perf.agreed_skp(s, SYSTEM, office.kadis, perspektif="Penerima Layanan")
        set_capaian(s, SYSTEM, office.dinas, perf.YEAR, capaian)
        ev = svc.start_evaluation(s, SYSTEM, office.kadis, perf.period_id(s))
        assert ev.hasil_from_capaian and ev.rating_hasil_kerja == rating.value and ev.capaian == capaian
        ev = _save(s, SYSTEM, ev.id, None, S, perf.fill_realisasi(s, ev.id))
        assert ev.rating_hasil_kerja == rating.value
        assert ev.predikat == svc.live_predikat(rating, S).value
        other = next(r for r in (A, S, B) if r is not rating)
        with pytest.raises(
            UserError,
            match=f"kepala unit: rating hasil kerjanya mengikuti capaian kinerja "
            f"organisasi \\({capaian}\\) dan tidak dapat diubah",
        ):
            _save(s, SYSTEM, ev.id, other, S)
        view = svc.evaluation_view(s, SYSTEM, ev.id)
        assert view.head_rule and view.capaian is CapaianOrganisasi(capaian)


def test_head_rule_applies_in_every_period_with_that_periods_capaian(db, office, perf):
    with db.transaction() as s:
        perf.agreed_skp(s, SYSTEM, office.kadis, perspektif="Anggaran")
        set_capaian(s, SYSTEM, office.dinas, perf.YEAR, "Istimewa")  # Akhir only
        periodic = svc.start_evaluation(s, SYSTEM, office.kadis, perf.period_id(s, "triwulan", 1))
        assert periodic.hasil_from_capaian and periodic.rating_hasil_kerja is None  # no capaian for Triwulan I yet
        with pytest.raises(UserError, match="mengikuti capaian kinerja organisasi \\(belum ditetapkan\\)"):
            _save(s, SYSTEM, periodic.id, B, S)
        assert (
            "capaian kinerja organisasi Dinas Contoh periode Triwulan I 2026" in svc.missing_for_final(s, periodic)[0]
        )
        set_capaian(s, SYSTEM, office.dinas, perf.period_id(s, "triwulan", 1), "Butuh Perbaikan")
        periodic = _save(s, SYSTEM, periodic.id, None, S)
        assert (periodic.rating_hasil_kerja, periodic.capaian) == (B.value, "Butuh Perbaikan")
        assert periodic.predikat == "Butuh Perbaikan"
        # kabid is not a unit head: rates freely even though the dinas has a capaian
        kadis_rhk = svc.evaluation_view(s, SYSTEM, periodic.id).ikis[0][1].id
        perf.agreed_skp(s, SYSTEM, office.kabid, parent_rhk_id=kadis_rhk)
        ev = svc.start_evaluation(s, SYSTEM, office.kabid, perf.period_id(s))
        assert not ev.hasil_from_capaian
        assert _save(s, SYSTEM, ev.id, B, B).predikat == "Sangat Kurang"


def test_a_head_without_capaian_cannot_be_finalized_and_capaian_set_later_applies(db, office, perf):
    with db.transaction() as s:
        perf.agreed_skp(s, SYSTEM, office.kadis, perspektif="Anggaran")
        ev = svc.start_evaluation(s, SYSTEM, office.kadis, perf.period_id(s))
        ev = _save(s, SYSTEM, ev.id, None, A, perf.fill_realisasi(s, ev.id))
        with pytest.raises(UserError, match="capaian kinerja organisasi Dinas Contoh periode Akhir 2026"):
            svc.finalize_evaluation(s, SYSTEM, ev.id, expected_hlc=ev.updated_hlc)
        set_capaian(s, SYSTEM, office.dinas, perf.YEAR, "Baik")
        svc.finalize_evaluation(s, SYSTEM, ev.id, expected_hlc=ev.updated_hlc, today=date(2027, 1, 4))
        assert (ev.rating_hasil_kerja, ev.predikat) == ("Sesuai Ekspektasi", "Baik")


def test_finalizing_with_missing_rating_and_realisasi_lists_what(db, office, perf, staf_eval):
    with db.transaction() as s:
        some = dict(list(perf.fill_realisasi(s, staf_eval).items())[:1])
        ev = _save(s, office.kabid_p, staf_eval, None, None, some)
        with pytest.raises(UserError) as err:
            svc.finalize_evaluation(s, office.kabid_p, staf_eval, expected_hlc=ev.updated_hlc)
    message = err.value.message
    assert message.startswith("Evaluasi Staf Satu belum dapat difinalkan; yang belum diisi: ")
    assert "rating hasil kerja" in message and "rating perilaku kerja" in message
    assert 'realisasi IKI "IKI 1.2" (RHK nomor 1)' in message
    assert "IKI 1.1" not in message
    with db.session() as s:
        assert s.get(Evaluation, staf_eval).status == "draft"


def test_finalize_freezes_identities_and_a_final_evaluation_cannot_be_edited(db, office, perf, staf_eval):
    with db.transaction() as s:
        ev = _save(s, office.kabid_p, staf_eval, S, S, perf.fill_realisasi(s, staf_eval), catatan_rekomendasi="OK")
        svc.finalize_evaluation(s, office.kabid_p, staf_eval, expected_hlc=ev.updated_hlc, today=date(2027, 1, 6))
        ids = ev.identities
        assert ids["pegawai"]["nama"] == "Staf Satu" and ids["pegawai"]["pangkat_golongan"] == "Penata Muda, III/a"
        assert ids["pejabat_penilai"]["nama"] == "Kepala Bidang"
        assert ids["pejabat_penilai"]["jabatan"] == "Kepala Bidang Satu"
        assert ids["atasan_pejabat_penilai"]["nama"] == "Kepala Dinas"
        assert ids["atasan_pejabat_penilai"]["pangkat_golongan"] == "Pembina Tingkat I, IV/b"
        assert ids["tanggal"] == "2027-01-06"
        assert ev.finalized_on == date(2027, 1, 6) and ev.finalized_by == "kabid"
        assert [r["iki"] for r in ev.frozen_skp["rows"]] == ["IKI 1.1", "IKI 1.2"]
    with db.transaction() as s:  # the roster changes later ...
        emp = s.get(Employee, office.staf1)
        emp.name, emp.golongan = "Staf Satu Baru", "III/b"
    with db.transaction() as s:  # ... the final evaluation keeps what was true that day
        view = svc.evaluation_view(s, office.kabid_p, staf_eval)
        assert view.identities["pegawai"]["nama"] == "Staf Satu"
        assert not view.editable and not view.can_finalize
        ev = s.get(Evaluation, staf_eval)
        with pytest.raises(UserError, match="sudah final dan tidak dapat diubah. Untuk membetulkannya, buat revisi"):
            _save(s, office.kabid_p, staf_eval, A, A)
        with pytest.raises(UserError, match="sudah final"):
            svc.finalize_evaluation(s, office.kabid_p, staf_eval, expected_hlc=ev.updated_hlc)


def test_a_correction_is_a_revision_and_both_versions_remain(db, office, perf, staf_eval):
    with db.transaction() as s:
        ev = _save(s, office.kabid_p, staf_eval, B, S, perf.fill_realisasi(s, staf_eval))
        svc.finalize_evaluation(s, office.kabid_p, staf_eval, expected_hlc=ev.updated_hlc, today=date(2027, 1, 6))
        assert len(list_items(s, SYSTEM, office.staf1, "terbuka")) == 1
        with pytest.raises(UserError, match="alasan revisi"):
            svc.revise_evaluation(s, office.kabid_p, staf_eval, "  ")
        rev = svc.revise_evaluation(s, office.kabid_p, staf_eval, "Realisasi IKI 1.2 salah ketik")
        assert (rev.status, rev.revision_no, rev.revision_of_id) == ("draft", 1, staf_eval)
        assert rev.realisasi == ev.realisasi and rev.predikat == "Butuh Perbaikan"
        with pytest.raises(UserError, match="sudah direvisi"):
            svc.revise_evaluation(s, office.kabid_p, staf_eval, "lagi")
        with pytest.raises(UserError, match="masih draf"):
            svc.revise_evaluation(s, office.kabid_p, rev.id, "lagi")
        assert svc.current_evaluation(s, office.staf1, ev.period_id).id == rev.id
        rev = _save(s, office.kabid_p, rev.id, S, S, rev.realisasi)
        svc.finalize_evaluation(s, office.kabid_p, rev.id, expected_hlc=rev.updated_hlc, today=date(2027, 1, 9))
    with db.session() as s:
        versions = svc.history(s, office.hr, office.staf1, s.get(Evaluation, staf_eval).period_id)
        assert [(v.revision_no, v.status, v.predikat) for v in versions] == [
            (0, "final", "Butuh Perbaikan"),
            (1, "final", "Baik"),
        ]
        assert versions[1].revision_reason == "Realisasi IKI 1.2 salah ketik"
        # the development plan of the corrected predikat is withdrawn
        assert list_items(s, SYSTEM, office.staf1) == []
        actions = [
            a
            for (a,) in s.execute(
                select(AuditEntry.action).where(AuditEntry.table_name == "evaluations").order_by(AuditEntry.seq)
            )
        ]
        assert actions == ["create", "update", "finalize", "revise", "update", "finalize"]


def test_two_people_editing_the_same_draft_the_later_save_is_told(db, office, perf, staf_eval):
    with db.session() as s:
        opened_by_kabid = opened_by_kadis = s.get(Evaluation, staf_eval).updated_hlc
    with db.transaction() as s:
        svc.save_evaluation(s, office.kabid_p, staf_eval, svc.EvaluationForm(A, A), expected_hlc=opened_by_kabid)
    with db.transaction() as s, pytest.raises(ConcurrentEdit) as err:
        svc.save_evaluation(s, office.kadis_p, staf_eval, svc.EvaluationForm(B, B), expected_hlc=opened_by_kadis)
    assert err.value.message.startswith("Evaluasi ini telah disimpan oleh orang lain pada ")
    assert err.value.message.endswith("; muat ulang untuk melihat perubahan mereka.")
    assert " 20" in err.value.message  # the day and time of the other save
    with db.session() as s:
        assert s.get(Evaluation, staf_eval).predikat == "Sangat Baik"  # the first save stands


def test_writing_an_evaluation_in_a_closed_period_is_refused(db, office, perf, staf_eval):
    with db.transaction() as s:
        ev = s.get(Evaluation, staf_eval)
        set_closed(s, SYSTEM, ev.period_id, True)
    with db.transaction() as s:
        with pytest.raises(PeriodClosed, match="Akhir 2026 sudah ditutup; datanya hanya dapat dibaca"):
            _save(s, office.kabid_p, staf_eval, A, A)
        with pytest.raises(PeriodClosed):
            svc.start_evaluation(s, office.kabid_p, office.staf2, s.get(Evaluation, staf_eval).period_id)
        assert not svc.evaluation_view(s, office.kabid_p, staf_eval).editable


def test_an_evaluation_needs_an_agreed_skp_and_is_made_once(db, office, perf, staf_eval):
    from kinerja_desktop.services.performance.skp import create_skp

    with db.transaction() as s:
        with pytest.raises(UserError, match="sudah ada"):
            svc.start_evaluation(s, office.kabid_p, office.staf1, perf.period_id(s))
        with pytest.raises(UserError, match="belum memiliki SKP untuk periode Akhir 2026"):
            svc.start_evaluation(s, office.kabid_p, office.staf2, perf.period_id(s))
        create_skp(s, office.kabid_p, office.staf2, perf.YEAR)
        with pytest.raises(UserError, match="belum disepakati"):
            svc.start_evaluation(s, office.kabid_p, office.staf2, perf.period_id(s))


def test_realisasi_only_for_the_skps_iki(db, office, perf, staf_eval):
    with db.transaction() as s, pytest.raises(UserError, match="IKI yang tidak ada dalam SKP ini"):
        _save(s, office.kabid_p, staf_eval, A, A, {"bukan-iki": {"realisasi": "x"}})


def test_evaluation_view_shows_feedback_up_to_the_period_end(db, office, perf, staf_eval):
    from kinerja_desktop.services.performance.feedback import add_feedback

    with db.transaction() as s:
        ev = s.get(Evaluation, staf_eval)
        tw1 = svc.start_evaluation(s, office.kabid_p, office.staf1, perf.period_id(s, "triwulan", 1))
        rhk_id = svc.evaluation_view(s, office.kabid_p, staf_eval).ikis[0][1].id
        add_feedback(s, office.kabid_p, ev.skp_id, "Maret", date(2026, 3, 20), rhk_id=rhk_id)
        add_feedback(s, office.kabid_p, ev.skp_id, "Mei", date(2026, 5, 20), rhk_id=rhk_id)
        add_feedback(s, office.kabid_p, ev.skp_id, "Jujur", date(2026, 2, 1), value_code="AKUNTABEL")
        annual = svc.evaluation_view(s, office.kabid_p, staf_eval)
        q1 = svc.evaluation_view(s, office.kabid_p, tw1.id)
        assert [n.text for n in annual.feedback_by_rhk[rhk_id]] == ["Maret", "Mei"]
        assert [n.text for n in q1.feedback_by_rhk[rhk_id]] == ["Maret"]
        assert [n.text for n in q1.feedback_by_value["AKUNTABEL"]] == ["Jujur"]
        assert q1.period_label == "Triwulan I 2026" and q1.evaluation.kind == "periodik"
        assert annual.evaluation.kind == "tahunan"
        assert annual.editable and annual.can_finalize
        assert "rating hasil kerja" in annual.missing
