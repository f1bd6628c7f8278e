"""The window and the central server: "Sinkronkan sekarang" on the Sinkronisasi page pushes and
pulls over HTTP in the background, the status bar says online/offline, last sync and pending
changes; offline the window stays responsive and the next try waits longer. The district view:
the same program opened on the central PostgreSQL database lists every office on *Kantor*."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from kinerja_desktop import paths
from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.sync import peers
from kinerja_desktop.sync.enrollment import revoke_site
from kinerja_desktop.sync.sandbox import seed_org
from kinerja_desktop.ui.sync_auto import SyncIndicator, SyncNowBox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server_harness import ServerThread, a_position, make_district, rename, server_config

from tests.ui.conftest import no_session_on_ui_thread  # noqa: F401 - the window's guard, used below

# The window here, too, never opens a database session on the UI thread (tests/ui/conftest.py).
pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("no_session_on_ui_thread")]


def _screenshot(window, name: str, tmp_path: Path) -> Path:
    target_dir = Path(os.environ.get("KINERJA_SCREENSHOTS", tmp_path))
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / name
    assert window.grab().save(str(path))
    return path


@pytest.fixture
def district(tmp_path, pg_url):
    central, offices, org = make_district(tmp_path, pg_url, offices=2)
    yield central, offices, org
    for s in (central, *offices):
        s.close()


def open_window(qtbot, db, page):
    from kinerja_desktop.ui.launch import open_main_window

    window = open_main_window(db, SYSTEM, page=page, show=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def test_sync_now_in_the_window_then_offline_then_the_district_view(qtbot, district, tmp_path, pg_url):
    central, (a, b), org = district
    with ServerThread(server_config(central, pg_url, tmp_path / "srv")) as srv:
        with a.db.transaction() as s:
            peers.set_server_url(s, srv.url)  # as the enrollment bundle would have
        paths.set_data_dir(a.folder)  # the office's keys and outbox live in its data folder
        rename(a, org["employees"][:4], "dari-jendela")
        seed_org(a.db, units=1, employees_per_unit=5, prefix="KANTORA", position_id=a_position(a.db))  # new: 2 units
        window = open_window(qtbot, a.db, "sync")
        auto = window.ctx.auto_sync
        auto.timer.stop()  # the test presses the button itself
        indicator = window.statusBar().findChild(SyncIndicator, "syncIndicator")
        qtbot.waitUntil(lambda: auto.state.applicable and auto.state.pending == 4 + 7, timeout=15000)
        assert indicator.isVisible() and "11 perubahan tertunda" in indicator.text()
        page = window.show_page("sync")
        box = page.findChild(SyncNowBox, "syncNowBox")
        assert srv.url in box.server.text()
        assert box.button.isEnabled()
        qtbot.mouseClick(box.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: auto.state.online is True and not auto.state.running, timeout=60000)
        assert auto.state.pending == 0, auto.state
        assert "Daring" in indicator.text() and "0 perubahan tertunda" in indicator.text()
        assert "Terkirim ke kantor pusat" in box.state_label.text()
        with central.db.session() as s:
            assert s.scalar(select(func.count()).select_from(Employee).where(Employee.name.like("%~dari-jendela"))) == 4
        _screenshot(window, "sinkronisasi-server.png", tmp_path)

        srv_url = srv.url
    # The server is gone: the click answers at once, the window keeps working, the next try waits longer.
    rename(a, org["employees"][4:5], "saat-luring")
    auto.refresh_info()
    qtbot.waitUntil(lambda: auto.state.pending == 1, timeout=15000)
    assert auto.run_now()
    qtbot.waitUntil(lambda: auto.state.online is False and not auto.state.running, timeout=60000)
    assert "Luring" in indicator.text() and "1 perubahan tertunda" in indicator.text()
    assert auto.failures == 1 and auto.wait_after_failure() == 2 * auto.interval_s
    assert auto.timer.isActive() and auto.timer.remainingTime() > auto.interval_s * 1000
    assert srv_url in box.server.text() and "tidak dapat dihubungi" in box.state_label.text()
    window.close()
    assert auto.stopped

    # The district view: the program opened on the central PostgreSQL database.
    revoke_site(central.db, b.site_id)
    paths.set_data_dir(central.folder)
    window = open_window(qtbot, central.db, "offices")
    offices = window.show_page("offices")
    qtbot.waitUntil(lambda: offices.table.rowCount() == 2, timeout=15000)
    rows = {
        offices.table.item(r, 0).text(): [offices.table.item(r, c).text() for c in range(8)]
        for r in range(offices.table.rowCount())
    }
    assert rows[a.site_id][3] == "aktif" and rows[a.site_id][4] != "belum pernah"
    assert rows[b.site_id][3] == "dicabut"
    assert "1 kantor aktif, 1 dicabut" in offices.summary.text()
    assert not window.ctx.auto_sync.state.applicable  # the central site does not sync with itself
    _screenshot(window, "kantor.png", tmp_path)
    employees = window.show_page("employees")
    with central.db.session() as s:
        total = s.scalar(select(func.count()).select_from(Employee).where(Employee.deleted.is_(False)))
    qtbot.waitUntil(lambda: employees.model.total == total, timeout=15000)
    assert total == 12 + 5  # every office's employees, not one office's
    window.close()
