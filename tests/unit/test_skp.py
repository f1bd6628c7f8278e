"""SKP: model by position kind, cascading RHK, perspektif, IKI, agreement, copying, concurrency."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from kinerja_desktop.errors import PermissionDenied, UserError
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.services.optimistic import ConcurrentEdit
from kinerja_desktop.services.performance import skp as svc
from kinerja_desktop.services.performance.periods import PeriodClosed, create_year, set_closed
from kinerja_desktop.store.models import AuditEntry, Rhk, Skp


def _content(rhks):
    return svc.SkpContent(rhks=rhks, expectations={}, lampiran={})


def test_model_follows_the_position_kind(db, office, perf):
    with db.transaction() as s:
        kadis_skp = svc.create_skp(s, SYSTEM, office.kadis, perf.YEAR)
        staf_skp = svc.create_skp(s, office.kabid_p, office.staf1, perf.YEAR)
        assert kadis_skp.model == "jpt" and staf_skp.model == "non_jpt"
        assert staf_skp.evaluator_id == office.kabid
        assert (staf_skp.start, staf_skp.end) == (date(2026, 1, 1), date(2026, 12, 31))


def test_non_jpt_rhk_cascades_only_from_the_direct_supervisors_skp(db, office, perf):
    with db.transaction() as s:
        kadis_skp = perf.agreed_skp(s, SYSTEM, office.kadis, perspektif="Proses Bisnis")
        kadis_rhk = s.scalar(select(Rhk.id).where(Rhk.skp_id == kadis_skp))
        kabid_skp = perf.agreed_skp(s, office.kadis_p, office.kabid, parent_rhk_id=kadis_rhk)
        kabid_rhk = s.scalar(select(Rhk.id).where(Rhk.skp_id == kabid_skp))
        assert [r.id for r in svc.supervisor_rhk_choices(s, office.staf1, perf.YEAR)] == [kabid_rhk]

        skp = svc.create_skp(s, office.kabid_p, office.staf1, perf.YEAR)
        # the supervisor's supervisor's RHK is not the direct supervisor's: refused
        with pytest.raises(UserError, match="tidak ada dalam SKP tahun 2026 atasan langsung"):
            svc.save_skp(
                s,
                office.kabid_p,
                skp.id,
                _content([svc.RhkInput("Laporan", parent_rhk_id=kadis_rhk)]),
                expected_hlc=skp.updated_hlc,
            )
        svc.save_skp(
            s,
            office.kabid_p,
            skp.id,
            _content(
                [svc.RhkInput("Laporan", parent_rhk_id=kabid_rhk, ikis=[svc.IkiInput("Jumlah laporan", "12 laporan")])]
            ),
            expected_hlc=skp.updated_hlc,
        )
        view = svc.load_skp(s, office.kabid_p, skp.id)
        assert view.parent_texts[kabid_rhk] == "RHK 1 pegawai"
        # perspektif is for JPT only
        with pytest.raises(UserError, match="hanya untuk SKP JPT"):
            svc.save_skp(
                s,
                office.kabid_p,
                skp.id,
                _content([svc.RhkInput("Laporan", perspektif="Anggaran")]),
                expected_hlc=skp.updated_hlc,
            )


def test_jpt_rhk_carries_a_perspektif_and_no_parent(db, office, perf):
    with db.transaction() as s:
        skp = svc.create_skp(s, SYSTEM, office.kadis, perf.YEAR)
        with pytest.raises(UserError, match="Perspektif RHK nomor 1 harus salah satu dari"):
            svc.save_skp(
                s,
                SYSTEM,
                skp.id,
                _content([svc.RhkInput("Pelayanan", perspektif="Lainnya")]),
                expected_hlc=skp.updated_hlc,
            )
        svc.save_skp(
            s,
            SYSTEM,
            skp.id,
            _content([svc.RhkInput("Pelayanan", ikis=[svc.IkiInput("Indeks", "80")])]),
            expected_hlc=skp.updated_hlc,
        )
        with pytest.raises(UserError, match="perspektif RHK nomor 1"):
            svc.agree_skp(s, SYSTEM, skp.id, date(2026, 1, 10), expected_hlc=skp.updated_hlc)


def test_agreeing_lists_what_is_missing_then_dates_the_agreement(db, office, perf):
    with db.transaction() as s:
        skp = svc.create_skp(s, SYSTEM, office.staf1, perf.YEAR)
        svc.save_skp(
            s,
            SYSTEM,
            skp.id,
            _content([svc.RhkInput("Tambahan saja", group="tambahan", ikis=[svc.IkiInput("Sesuatu", "")])]),
            expected_hlc=skp.updated_hlc,
        )
        with pytest.raises(UserError) as err:
            svc.agree_skp(s, SYSTEM, skp.id, date(2026, 1, 10), expected_hlc=skp.updated_hlc)
        assert "paling sedikit satu RHK Utama" in err.value.message
        assert "target IKI nomor 1 pada RHK nomor 1" in err.value.message
        svc.save_skp(
            s,
            SYSTEM,
            skp.id,
            _content([svc.RhkInput("Utama", ikis=[svc.IkiInput("Dokumen", "5 dokumen", "Kuantitas")])]),
            expected_hlc=skp.updated_hlc,
        )
        svc.agree_skp(s, SYSTEM, skp.id, date(2026, 1, 10), expected_hlc=skp.updated_hlc)
        assert (skp.status, skp.agreed_on) == ("agreed", date(2026, 1, 10))
        # an agreed SKP is changed only after reopening it
        with pytest.raises(UserError, match="sudah disepakati pada 10 Januari 2026"):
            svc.save_skp(s, SYSTEM, skp.id, _content([]), expected_hlc=skp.updated_hlc)
        svc.reopen_skp(s, SYSTEM, skp.id, expected_hlc=skp.updated_hlc)
        assert skp.status == "draft" and skp.agreed_on is None
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.row_id == skp.id)).all()
        assert actions == ["create", "update", "update", "agree", "reopen"]


def test_rhk_iki_and_expectations_are_updated_in_place(db, office, perf):
    with db.transaction() as s:
        skp = svc.create_skp(s, SYSTEM, office.staf1, perf.YEAR)
        svc.save_skp(
            s,
            SYSTEM,
            skp.id,
            svc.SkpContent(
                approach="kualitatif",
                rhks=[
                    svc.RhkInput("A", ikis=[svc.IkiInput("a1", "1"), svc.IkiInput("a2", "2")]),
                    svc.RhkInput("B", group="tambahan", ikis=[svc.IkiInput("b1", "1", "Waktu")]),
                ],
                expectations={"KOMPETEN": "Ikut pelatihan", "LOYAL": "Menjaga rahasia"},
                lampiran={"konsekuensi": ["Teguran", " ", "Insentif"]},
            ),
            expected_hlc=skp.updated_hlc,
        )
        view = svc.load_skp(s, SYSTEM, skp.id)
        content = view.content()
        assert [r.text for r in content.rhks] == ["A", "B"]
        assert content.lampiran["konsekuensi"] == ["Teguran", "Insentif"]
        a_id = content.rhks[0].id
        content.rhks[0].ikis.pop()  # drop a2
        content.rhks.pop()  # drop B
        content.expectations["KOMPETEN"] = "Belajar mandiri"
        svc.save_skp(s, SYSTEM, skp.id, content, expected_hlc=skp.updated_hlc)
        view = svc.load_skp(s, SYSTEM, skp.id)
        assert [(r.id, [i.indicator for i in ikis]) for r, ikis in view.rhks] == [(a_id, ["a1"])]
        assert view.expectations == {"KOMPETEN": "Belajar mandiri", "LOYAL": "Menjaga rahasia"}
        assert skp.approach == "kualitatif"
        with pytest.raises(UserError, match="Aspek IKI"):
            content.rhks[0].ikis[0].aspek = "Kecepatan"
            svc.save_skp(s, SYSTEM, skp.id, content, expected_hlc=skp.updated_hlc)


def test_an_rhk_that_subordinates_support_cannot_be_removed(db, office, perf):
    with db.transaction() as s:
        kabid_skp = perf.agreed_skp(s, SYSTEM, office.kabid)
        kabid_rhk = s.scalar(select(Rhk.id).where(Rhk.skp_id == kabid_skp))
        perf.agreed_skp(s, SYSTEM, office.staf1, parent_rhk_id=kabid_rhk)
        skp = svc.reopen_skp(s, SYSTEM, kabid_skp, expected_hlc=s.get(Skp, kabid_skp).updated_hlc)
        with pytest.raises(UserError, match="RHK pimpinan yang diintervensi dalam SKP bawahan"):
            svc.save_skp(s, SYSTEM, kabid_skp, _content([]), expected_hlc=skp.updated_hlc)


def test_an_skp_for_another_year_than_its_period_is_refused(db, office, perf):
    with db.transaction() as s:
        create_year(s, SYSTEM, 2025, None)
        with pytest.raises(UserError, match="harus berada pada periode Akhir tahun yang sama"):
            svc.create_skp(s, SYSTEM, office.staf1, 2026, period_id=perf.period_id(s, year=2025))
        with pytest.raises(UserError, match="harus berada di dalam tahun 2026"):
            svc.create_skp(s, SYSTEM, office.staf1, 2026, start=date(2025, 12, 1))
        with pytest.raises(UserError, match="harus berada pada periode Akhir"):
            svc.create_skp(s, SYSTEM, office.staf1, 2026, period_id=perf.period_id(s, "triwulan", 1))
        with pytest.raises(UserError, match="belum dibuat"):
            svc.create_skp(s, SYSTEM, office.staf1, 2031)
        svc.create_skp(s, SYSTEM, office.staf1, 2026)
        with pytest.raises(UserError, match="sudah memiliki SKP tahun 2026"):
            svc.create_skp(s, SYSTEM, office.staf1, 2026)


def test_writing_an_skp_in_a_closed_period_is_refused(db, office, perf):
    with db.transaction() as s:
        skp = svc.create_skp(s, SYSTEM, office.staf1, perf.YEAR)
        set_closed(s, SYSTEM, skp.period_id, True)
        with pytest.raises(PeriodClosed, match="Akhir 2026 sudah ditutup"):
            svc.save_skp(s, SYSTEM, skp.id, _content([]), expected_hlc=skp.updated_hlc)
        with pytest.raises(PeriodClosed):
            svc.create_skp(s, SYSTEM, office.staf2, perf.YEAR)


def test_start_from_last_years_skp(db, office, perf):
    with db.transaction() as s:
        create_year(s, SYSTEM, 2025, None)
        kabid_old = perf.agreed_skp(s, SYSTEM, office.kabid, year=2025)
        old_parent = s.scalar(select(Rhk.id).where(Rhk.skp_id == kabid_old))
        old = perf.agreed_skp(s, SYSTEM, office.staf1, year=2025, rhks=2, parent_rhk_id=old_parent)
        kabid_new = perf.agreed_skp(s, SYSTEM, office.kabid)  # same RHK text this year
        new_parent = s.scalar(select(Rhk.id).where(Rhk.skp_id == kabid_new))
        skp = svc.create_skp(s, office.kabid_p, office.staf1, 2026, copy_previous=True)
        view = svc.load_skp(s, SYSTEM, skp.id)
        assert skp.copied_from_id == old and skp.status == "draft"
        assert [r.text for r, _i in view.rhks] == ["RHK 1 pegawai", "RHK 2 pegawai"]
        assert [len(i) for _r, i in view.rhks] == [2, 2]
        # the link follows the supervisor's RHK of the new year (matched by text)
        assert {r.parent_rhk_id for r, _i in view.rhks} == {new_parent}
        assert view.expectations == {"AKUNTABEL": "Tepat waktu"}
        assert skp.lampiran["dukungan_sumber_daya"] == ["Laptop"]
        with pytest.raises(UserError, match="Tidak ada SKP tahun sebelumnya"):
            svc.create_skp(s, SYSTEM, office.staf2, 2026, copy_previous=True)


def test_two_people_saving_the_same_skp_the_later_is_told(db, office, perf):
    with db.transaction() as s:
        skp = svc.create_skp(s, office.kabid_p, office.staf1, perf.YEAR)
        opened = skp.updated_hlc
    with db.transaction() as s:  # the first person saves
        svc.save_skp(s, office.kabid_p, skp.id, _content([svc.RhkInput("Satu")]), expected_hlc=opened)
    with db.transaction() as s, pytest.raises(ConcurrentEdit, match="SKP ini telah disimpan oleh orang lain pada"):
        svc.save_skp(s, office.kadis_p, skp.id, _content([svc.RhkInput("Dua")]), expected_hlc=opened)
    with db.session() as s:
        assert [r.text for r, _i in svc.load_skp(s, SYSTEM, skp.id).rhks] == ["Satu"]


def test_who_may_write_an_skp(db, office, perf):
    with db.transaction() as s:
        skp = svc.create_skp(s, office.kadis_p, office.staf1, perf.YEAR)  # chain: kadis > kabid > staf1
        svc.get_skp(s, office.hr, skp.id)  # HR views
        with pytest.raises(PermissionDenied, match="hanya dapat melihatnya"):
            svc.save_skp(s, office.hr, skp.id, _content([]), expected_hlc=skp.updated_hlc)
        with pytest.raises(PermissionDenied, match="tidak berada di bawah"):
            svc.create_skp(s, office.outsider_p, office.staf2, perf.YEAR)
        with pytest.raises(PermissionDenied):
            svc.get_skp(s, office.outsider_p, skp.id)
        with pytest.raises(PermissionDenied):  # nobody writes their own SKP
            svc.create_skp(s, office.kabid_p, office.kabid, perf.YEAR)
