"""Periods of a year: Akhir plus periodic ones, deadlines, closing (read-only)."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_desktop.errors import PermissionDenied, UserError
from kinerja_desktop.services.access.principal import ADMIN_KEPEGAWAIAN, PEJABAT_PENILAI, SYSTEM, Principal
from kinerja_desktop.services.optimistic import ConcurrentEdit
from kinerja_desktop.services.performance import periods as svc

HR = Principal("hr", ADMIN_KEPEGAWAIAN)


@pytest.mark.parametrize("scheme,count", [("bulanan", 12), ("triwulan", 4), ("semester", 2), (None, 0)])
def test_a_year_gets_akhir_and_its_periodic_periods(db, scheme, count):
    with db.transaction() as s:
        made = svc.create_year(s, HR, 2027, scheme)
    assert len(made) == count + 1
    akhir = made[-1]
    assert (akhir.kind, akhir.start, akhir.end) == ("akhir", date(2027, 1, 1), date(2027, 12, 31))
    periodic = made[:-1]
    # periodic periods tile the year without gaps
    if periodic:
        assert periodic[0].start == date(2027, 1, 1) and periodic[-1].end == date(2027, 12, 31)
        for a, b in zip(periodic, periodic[1:], strict=False):
            assert (b.start - a.end).days == 1
        for p in periodic:
            assert p.deadline > p.end and p.deadline.day == svc.DEADLINE_DAY


def test_monthly_deadline_is_the_10th_of_the_next_month(db):
    with db.transaction() as s:
        made = svc.create_year(s, HR, 2026, "bulanan")
    assert [svc.period_label(p) for p in made[:2]] == ["Januari 2026", "Februari 2026"]
    assert made[0].deadline == date(2026, 2, 10)
    assert made[11].deadline == date(2027, 1, 10)  # December: the 10th of January next year


def test_labels_and_codes_find_periods(db):
    with db.transaction() as s:
        svc.create_year(s, HR, 2026, "triwulan")
        assert svc.period_label(svc.find_period(s, 2026, "tw2")) == "Triwulan II 2026"
        assert svc.find_period(s, 2026, "Triwulan II").number == 2
        assert svc.find_period(s, 2026, "akhir").kind == "akhir"
        with pytest.raises(UserError, match="TW1, TW2, TW3, TW4, AKHIR"):
            svc.find_period(s, 2026, "S1")


def test_a_year_cannot_be_made_twice_and_only_by_hr(db):
    with db.transaction() as s:
        svc.create_year(s, HR, 2026, "semester")
        with pytest.raises(UserError, match="sudah ada"):
            svc.create_year(s, HR, 2026, "semester")
        with pytest.raises(PermissionDenied):
            svc.create_year(s, Principal("x", PEJABAT_PENILAI, None), 2028, "semester")
        with pytest.raises(UserError):
            svc.create_year(s, HR, 1900, "semester")
        with pytest.raises(UserError, match="tidak dikenal"):
            svc.create_year(s, HR, 2029, "mingguan")


def test_closing_makes_a_period_read_only_and_reopening_undoes_it(db):
    with db.transaction() as s:
        p = svc.create_year(s, HR, 2026, "triwulan")[0]
        svc.set_closed(s, HR, p.id, True, expected_hlc=p.updated_hlc)
        with pytest.raises(svc.PeriodClosed, match="Triwulan I 2026 sudah ditutup"):
            svc.ensure_open(p)
        svc.set_closed(s, SYSTEM, p.id, False)
        svc.ensure_open(p)


def test_update_period_checks_dates_and_versions(db):
    with db.transaction() as s:
        p = svc.create_year(s, HR, 2026, "triwulan")[0]
        opened = p.updated_hlc
        svc.update_period(
            s, HR, p.id, start=date(2026, 1, 1), end=date(2026, 3, 31), deadline=date(2026, 4, 20), expected_hlc=opened
        )
        assert p.deadline == date(2026, 4, 20)
        with pytest.raises(ConcurrentEdit, match="disimpan oleh orang lain"):
            svc.update_period(
                s,
                HR,
                p.id,
                start=date(2026, 1, 1),
                end=date(2026, 3, 31),
                deadline=date(2026, 4, 25),
                expected_hlc=opened,
            )
        with pytest.raises(UserError, match="tidak boleh sebelum"):
            svc.update_period(
                s,
                HR,
                p.id,
                start=date(2026, 1, 1),
                end=date(2026, 3, 31),
                deadline=date(2026, 3, 1),
                expected_hlc=p.updated_hlc,
            )
        with pytest.raises(UserError, match="di dalam tahun"):
            svc.update_period(
                s,
                HR,
                p.id,
                start=date(2025, 12, 1),
                end=date(2026, 3, 31),
                deadline=date(2026, 4, 10),
                expected_hlc=p.updated_hlc,
            )


def test_overdue_after_the_deadline_only(db):
    with db.transaction() as s:
        p = svc.create_year(s, HR, 2026, "triwulan")[0]
    assert not svc.is_overdue(p, p.deadline)
    assert svc.is_overdue(p, date(2026, 4, 11))
