"""Everything listed is everything: lists load page after page with a count, never stop at a
silent cap, and the development-plan list follows the year filter."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, select

from tests.ui.conftest import sign_in_as

PLANS = 2416


def _add_plans(db, n: int = PLANS) -> None:
    """``n`` open or done plan items, targets spread over 2025-2027."""
    from kinerja_desktop.store.development import DevelopmentPlanItem
    from kinerja_desktop.store.employee import Employee

    rng = random.Random(15)
    with db.transaction() as s:
        people = s.scalars(select(Employee.id).where(Employee.deleted.is_(False))).all()
        s.add_all(
            DevelopmentPlanItem(
                employee_id=rng.choice(people),
                source="kompetensi",
                description=f"Rencana uji {i}",
                competency_code="M.1",
                suggested_activity_codes=["NKL01"],
                target_date=date(2025, 1, 1) + timedelta(days=rng.randrange(3 * 365)),
                status="selesai" if i % 5 == 0 else "terbuka",
            )
            for i in range(n)
        )


def _expected_plans(db, year: int | None, status: str | None) -> int:
    from kinerja_desktop.store.development import DevelopmentPlanItem

    with db.session() as s:
        items = s.execute(
            select(DevelopmentPlanItem.target_date, DevelopmentPlanItem.status).where(
                DevelopmentPlanItem.deleted.is_(False)
            )
        ).all()

    def wanted(target, item_status):
        if status and item_status != status:
            return False
        if year is None:
            return True
        carried = item_status == "terbuka" and (target is None or target.year < year)
        return (target is not None and target.year == year) or carried

    return sum(1 for target, item_status in items if wanted(target, item_status))


def _scroll_to_end(qtbot, model, table) -> None:
    while model.canFetchMore():
        model.fetchMore()
        qtbot.waitUntil(lambda: not getattr(model, "_fetching", False), timeout=10000)
    table.scrollToBottom()


def test_the_plan_list_shows_every_item_of_the_year_with_its_count(qtbot, make_window, demo_db):
    from kinerja_desktop.formatting import number_text

    _add_plans(demo_db)
    window = make_window(demo_db, sign_in_as(demo_db, "kepegawaian"), page="pelatihan")
    page = window.pages["pelatihan"]
    page.year.setValue(2026)
    page.plan_status.setCurrentIndex(page.plan_status.findData(None))  # open and done
    page.tabs.setCurrentIndex(2)
    expected = _expected_plans(demo_db, 2026, None)
    assert 200 < expected < PLANS + 100  # more than a page, fewer than all items (the year filters)
    qtbot.waitUntil(lambda: not page.plan.busy and page.plan.total == expected, timeout=15000)
    assert page.plan_count.text() == f"{number_text(expected)} rencana (dimuat 200; gulir untuk memuat sisanya)"
    _scroll_to_end(qtbot, page.plan, page.plan_table)
    assert page.plan.rowCount() == expected
    assert page.plan_count.text() == f"{number_text(expected)} rencana"
    assert len({r.id for r in page.plan.rows}) == expected
    assert all(
        r.target_date.year == 2026 or (r.status == "terbuka" and r.target_date.year < 2026) for r in page.plan.rows
    )

    page.year.setValue(2027)
    expected_2027 = _expected_plans(demo_db, 2027, None)
    qtbot.waitUntil(lambda: not page.plan.busy and page.plan.total == expected_2027, timeout=15000)
    assert expected_2027 != expected
    page.plan_status.setCurrentIndex(page.plan_status.findData("selesai"))
    done_2027 = _expected_plans(demo_db, 2027, "selesai")
    qtbot.waitUntil(lambda: not page.plan.busy and page.plan.total == done_2027, timeout=15000)
    assert all(r.status == "selesai" and r.target_date.year == 2027 for r in page.plan.rows)


def test_the_standard_table_pages_through_every_position(qtbot, make_window, demo_db, monkeypatch):
    from kinerja_desktop.store.org import Position
    from kinerja_desktop.ui.pages import kompetensi

    monkeypatch.setattr(kompetensi, "PAGE", 40)
    with demo_db.transaction() as s:
        s.add_all(Position(name=f"Jabatan Uji {i:03d}", kind="pelaksana") for i in range(120))
    with demo_db.session() as s:
        total = s.scalar(select(func.count()).select_from(Position).where(Position.deleted.is_(False)))
    window = make_window(demo_db, sign_in_as(demo_db, "kepegawaian"), page="kompetensi")
    page = window.pages["kompetensi"]
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: not page.standard_loading and page.requirements.total == total, timeout=15000)
    assert len(page.requirements.rows) == 40
    assert "dimuat 40" in page.standard_count.text()
    _scroll_to_end(qtbot, page.requirements, page.standard_table)
    assert len(page.requirements.rows) == total
    assert len({r.position_id for r in page.requirements.rows}) == total
    qtbot.keyClicks(page.position_search, "Jabatan Uji")
    page.position_throttle.flush()
    qtbot.waitUntil(lambda: not page.standard_loading and page.requirements.total == 120, timeout=15000)
    assert page.standard_count.text().startswith("120 jabatan")


def test_the_gap_map_pages_through_everyone(qtbot, make_window, demo_db, monkeypatch):
    from kinerja_desktop.services.access.principal import SYSTEM
    from kinerja_desktop.services.training.competency import unit_gaps
    from kinerja_desktop.ui.pages import kompetensi

    monkeypatch.setattr(kompetensi, "PAGE", 50)
    window = make_window(demo_db, sign_in_as(demo_db, "kepegawaian"), page="kompetensi")
    page = window.pages["kompetensi"]
    page.only_gaps.setChecked(False)
    page.tabs.setCurrentIndex(2)
    with demo_db.session() as s:
        everyone = unit_gaps(s, SYSTEM).total
    qtbot.waitUntil(lambda: not page.gaps_loading and page.gaps.total == everyone, timeout=15000)
    assert everyone > 50 and len(page.gaps.rows) == 50
    _scroll_to_end(qtbot, page.gaps, page.gap_table)
    assert len({r.employee_id for r in page.gaps.rows}) == everyone
    assert page.gap_count.text() == f"{everyone} pegawai"


def test_the_conflict_list_says_how_many_are_waiting(qtbot, make_window, demo_db, monkeypatch):
    from kinerja_desktop.store.sync_models import SyncConflict
    from kinerja_desktop.ui.pages.sync import conflicts as conflicts_page

    monkeypatch.setattr(conflicts_page, "SHOWN", 3)
    with demo_db.transaction() as s:
        s.add_all(
            SyncConflict(
                table_name="employees",
                row_id=f"row-{i}",
                reason="concurrent",
                winner="local",
                local_image={"row": {"name": f"Pegawai {i}"}},
                incoming_image={"row": {}},
                incoming_site="1504-LAIN",
            )
            for i in range(5)
        )
    window = make_window(demo_db, sign_in_as(demo_db, "kepegawaian"), page="conflicts")
    page = window.pages["conflicts"]
    qtbot.waitUntil(lambda: not page.loading and page.list.rowCount() == 3, timeout=10000)
    assert page.count_label.text().startswith("3 dari 5 konflik terbuka ditampilkan")


def test_an_employee_search_says_when_it_shows_only_the_first_matches(qtbot, ctx_for, demo_db):
    from kinerja_desktop.services.roster.query import search_employees
    from kinerja_desktop.ui.pickers import SEARCH_SHOWN, EmployeePicker

    ctx = ctx_for(demo_db, sign_in_as(demo_db, "kepegawaian"))
    picker = EmployeePicker(ctx.runner, lambda s, text: search_employees(s, ctx.principal, text))
    qtbot.addWidget(picker)
    picker.show()
    qtbot.keyClicks(picker, "a")
    picker.throttle.flush()
    qtbot.waitUntil(lambda: len(picker.last_results) == SEARCH_SHOWN, timeout=10000)
    last = picker.model.item(picker.model.rowCount() - 1)
    assert "ketik lebih lengkap" in last.text() and not last.isEnabled()
    picker._chosen(last.index())
    assert picker.employee_id is None
