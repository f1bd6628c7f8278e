"""In the English window an incoming bundle is "incoming", not "sign-in" (both are "masuk")."""

from __future__ import annotations

from kinerja_desktop import i18n
from kinerja_desktop.sync.enrollment import init_site
from kinerja_desktop.sync.sandbox import SandboxSite, enroll_office, make_site
from tests.ui.conftest import sign_in_as


def test_bundle_directions_in_english(qtbot, make_window, demo_db, data_home, tmp_path):
    init_site(demo_db, "1504-BKPSDM", "BKPSDM Kabupaten Batanghari", central=True)
    central = SandboxSite(data_home, demo_db)
    office = make_site(tmp_path / "kantor", "1504-KEC-BAJUBANG", "Kantor Camat Bajubang")
    try:
        enroll_office(central, office)
        incoming = tmp_path / "dari-kantor.kinerja"
        incoming.write_bytes(office.export().data)
        i18n.set_language("en")
        window = make_window(central.db, sign_in_as(central.db, "admin"), page="sync")
        page = window.show_page("sync")
        qtbot.waitUntil(lambda: page.status is not None and not page.busy, timeout=10000)
        page.import_from(str(incoming))
        qtbot.waitUntil(lambda: page.history.rowCount() >= 2 and not page.busy, timeout=10000)
        directions = {page.history.item(r, 1).text() for r in range(page.history.rowCount())}
        assert "↓ incoming" in directions
        assert directions <= {"↓ incoming", "↑ outgoing"}
        headers = [page.peers.horizontalHeaderItem(c).text() for c in range(page.peers.columnCount())]
        assert "Office name" in headers
    finally:
        office.close()
