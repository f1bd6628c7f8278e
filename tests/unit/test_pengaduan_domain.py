"""Complaint rules: working days with holidays, steps, tickets, the phone suffix, the figures."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kinerja_desktop.domain import pengaduan as rules


def test_working_days_skip_weekends_and_holidays():
    holidays = {date(2026, 8, 17)}  # Monday
    # Friday 14 August + 3 working days: Tue 18, Wed 19, Thu 20 (Monday 17 is a holiday).
    assert rules.add_working_days(date(2026, 8, 14), 3, holidays) == date(2026, 8, 20)
    # Received on a Saturday: counting starts on the Monday.
    assert rules.add_working_days(date(2026, 8, 1), 1, set()) == date(2026, 8, 3)
    assert rules.working_days_between(date(2026, 8, 14), date(2026, 8, 20), holidays) == 3
    assert rules.add_working_days(date(2026, 8, 14), 0, holidays) == date(2026, 8, 14)


def test_due_dates_respond_counts_from_verification():
    days = rules.StepDays(3, 5, 14)
    v, r, c = rules.due_dates(date(2026, 3, 2), days, set())
    assert (v, r, c) == (date(2026, 3, 5), date(2026, 3, 12), date(2026, 3, 20))
    _v, r2, _c = rules.due_dates(date(2026, 3, 2), days, set(), verified=date(2026, 3, 3))
    assert r2 == date(2026, 3, 10)


def test_steps_follow_the_register_and_final_states_stay_final():
    rules.check_transition("diterima", "diverifikasi")
    rules.check_transition("diverifikasi", "ditindaklanjuti")
    rules.check_transition("ditindaklanjuti", "selesai")
    with pytest.raises(rules.TransitionRefused, match="tidak dapat langsung"):
        rules.check_transition("diterima", "selesai")
    with pytest.raises(rules.TransitionRefused, match="alasan"):
        rules.check_transition("diterima", "ditolak", "  ")
    rules.check_transition("diterima", "ditolak", "bukan kewenangan")
    with pytest.raises(rules.TransitionRefused, match="sudah Selesai"):
        rules.check_transition("selesai", "selesai")


def test_tickets_are_random_and_typed_forgivingly():
    a, b = rules.new_ticket(2026), rules.new_ticket(2026)
    assert rules.TICKET.match(a) and a != b and a.startswith("P26-")
    assert rules.normalize_ticket(" p26-7q2k-m9xa ") == "P26-7Q2K-M9XA"
    assert rules.normalize_ticket("P26-OOIL-0000") == "P26-0011-0000"


def test_phone_suffix_key_and_mask():
    key = rules.lookup_key("P26-AAAA-BBBB", "+62 812-3456-7890")
    assert key == rules.suffix_key("P26-AAAA-BBBB", "7890")
    assert key != rules.suffix_key("P26-AAAA-BBBB", "7891")
    assert rules.phone_digits("+62 812 3456 7890") == "081234567890"
    assert rules.mask_contact("081234567890") == "0812****7890"
    assert rules.mask_contact("siti@contoh.id") == "s***@contoh.id"
    assert not rules.valid_phone("123")


def test_figures_on_time_share_and_median_first_response():
    t = datetime(2026, 3, 2, 8, 0)
    outcomes = [
        rules.Outcome(t, datetime(2026, 3, 2, 12, 0), datetime(2026, 3, 5, 9, 0), date(2026, 3, 20), "selesai"),
        rules.Outcome(t, datetime(2026, 3, 3, 8, 0), datetime(2026, 3, 25, 9, 0), date(2026, 3, 20), "selesai"),
        rules.Outcome(t, datetime(2026, 3, 4, 8, 0), None, date(2026, 3, 20), "ditindaklanjuti"),
        rules.Outcome(t, None, None, date(2026, 3, 10), "diterima"),
    ]
    f = rules.compute_figures(outcomes, date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 2))
    assert (f.handled, f.on_time, f.responded) == (2, 1, 3)
    assert f.open_overdue == 2
    assert f.median_response_hours == 24.0
    assert f.on_time_share == 0.5
    assert "50,0 %" in f.realisasi_text() and "1 dari 2" in f.realisasi_text()


def test_spans_as_people_write_them():
    assert rules.parse_span("2026-TW1")[:2] == (date(2026, 1, 1), date(2026, 3, 31))
    assert rules.parse_span("2026-S2")[:2] == (date(2026, 7, 1), date(2026, 12, 31))
    assert rules.parse_span("2026-02")[:2] == (date(2026, 2, 1), date(2026, 2, 28))
    assert rules.parse_span("2026")[:2] == (date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(ValueError, match="tidak dikenali"):
        rules.parse_span("triwulan satu")
