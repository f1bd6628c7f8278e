"""Sinkronisasi and Konflik pages: a bundle saved and opened through the page, a conflict
shown side by side and resolved by HR (the choice travels), rendered at 1366x768."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from kinerja_desktop.store.employee import Employee
from kinerja_desktop.sync.enrollment import init_site
from kinerja_desktop.sync.sandbox import SandboxSite, enroll_office, make_site
from tests.ui.conftest import sign_in_as


def _screenshot(window, name: str, tmp_path: Path) -> Path:
    target_dir = Path(os.environ.get("KINERJA_SCREENSHOTS", tmp_path))
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / name
    assert window.grab().save(str(path))
    return path


@pytest.fixture
def district(demo_db, data_home, tmp_path):
    init_site(demo_db, "1504-BKPSDM", "BKPSDM Kabupaten Batanghari", central=True)
    central = SandboxSite(data_home, demo_db)
    office = make_site(tmp_path / "kantor", "1504-KEC-BAJUBANG", "Kantor Camat Bajubang")
    enroll_office(central, office)
    yield central, office
    office.close()


def _rename(db, emp_id, name):
    with db.transaction() as s:
        s.get(Employee, emp_id).name = name


def test_bundles_through_the_sync_page_and_a_conflict_resolved_on_the_conflicts_page(
    qtbot, make_window, district, tmp_path
):
    central, office = district
    with central.db.session() as s:
        emp_id = s.scalars(select(Employee.id).order_by(Employee.nip)).first()
    _rename(office.db, emp_id, "Nama Versi Kantor")
    _rename(central.db, emp_id, "Nama Versi Pusat")
    incoming = tmp_path / "dari-kantor.kinerja"
    incoming.write_bytes(office.export().data)

    window = make_window(central.db, sign_in_as(central.db, "admin"), page="sync")
    page = window.show_page("sync")
    qtbot.waitUntil(lambda: page.status is not None and page.target.count() == 1, timeout=10000)
    assert page.site_label.text().startswith(central.site_id)
    assert page.peers.rowCount() == 1 and page.peers.item(0, 0).text() == office.site_id

    page.import_from(str(incoming))
    qtbot.waitUntil(lambda: "diterapkan" in page.message.text() and not page.busy, timeout=10000)
    assert "1 konflik" in page.message.text()
    assert (tmp_path / "dari-kantor.ack.kinerja").exists()
    qtbot.waitUntil(lambda: page.history.rowCount() >= 3, timeout=10000)

    outgoing = tmp_path / "ke-kantor.kinerja"
    page.export_to(str(outgoing), office.site_id)
    qtbot.waitUntil(lambda: "disimpan" in page.message.text() and not page.busy, timeout=10000)
    assert outgoing.exists()
    qtbot.waitUntil(lambda: page.history.rowCount() >= 5, timeout=10000)
    _screenshot(window, "sync-page.png", tmp_path)

    conflicts = window.show_page("conflicts")
    qtbot.waitUntil(lambda: conflicts.list.rowCount() == 1 and conflicts.current() is not None, timeout=10000)
    shown = {conflicts.diff.item(r, c).text() for r in range(conflicts.diff.rowCount()) for c in (1, 2)}
    assert {"Nama Versi Kantor", "Nama Versi Pusat"} <= shown
    assert conflicts.keep_incoming.isEnabled()
    _screenshot(window, "sync-conflicts.png", tmp_path)
    c = conflicts.current()
    keep = "incoming" if c.winner == "local" else "local"
    kept_name = (c.incoming if keep == "incoming" else c.local)["row"]["name"]
    (conflicts.keep_incoming if keep == "incoming" else conflicts.keep_local).click()
    qtbot.waitUntil(
        lambda: "diselesaikan" in conflicts.message.text() and conflicts.list.rowCount() == 0, timeout=10000
    )
    window.ctx.runner.wait(5000)
    # The choice is a change: the next bundle carries it to the office.
    office.import_bundle(central.export(office.site_id).data)
    with office.db.session() as s:
        assert s.get(Employee, emp_id).name == kept_name


def test_a_refused_bundle_is_one_sentence_on_the_page(qtbot, make_window, district, tmp_path):
    central, _office = district
    bad = tmp_path / "rusak.kinerja"
    bad.write_bytes(b"age-encryption.org/v1\n-> X25519 bukan bundel\n")
    window = make_window(central.db, sign_in_as(central.db, "admin"), page="sync")
    page = window.show_page("sync")
    qtbot.waitUntil(lambda: page.status is not None, timeout=10000)
    page.import_from(str(bad))
    qtbot.waitUntil(lambda: "rusak" in page.message.text() and not page.busy, timeout=10000)
    assert bad.exists()


def test_an_office_enrolls_from_the_window_after_confirming_the_fingerprint(
    qtbot, make_window, demo_db, data_home, tmp_path
):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kinerja_desktop.sync.enrollment import enroll, parse_request
    from kinerja_desktop.sync.keys import load_keys
    from kinerja_desktop.ui.dialogs.enrollment_fingerprint import FingerprintDialog

    init_site(demo_db, "1504-KEC-BAJUBANG", "Kantor Camat Bajubang")
    central = make_site(tmp_path / "pusat", "1504-BKPSDM", "BKPSDM", central=True)
    try:
        window = make_window(demo_db, sign_in_as(demo_db, "admin"), page="sync")
        page = window.show_page("sync")
        qtbot.waitUntil(lambda: page.status is not None and not page.busy, timeout=10000)
        assert page.request_button.isVisible() and "belum terdaftar" in page.enrolled_label.text()
        request = tmp_path / "permintaan.json"
        page.request_enrollment(str(request))
        qtbot.waitUntil(lambda: "Permintaan pendaftaran" in page.message.text() and not page.busy, timeout=10000)
        bundle = enroll(central.db, parse_request(request.read_bytes()), whole_district=True, keys_dir=central.keys_dir)
        path = tmp_path / "pendaftaran.kinerja"
        path.write_bytes(bundle.data)
        real = load_keys(central.site_id, central.keys_dir).fingerprint
        seen = {}

        def confirm():
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, FingerprintDialog):
                QTimer.singleShot(50, confirm)
                return
            seen["fingerprint"] = dialog.fingerprint.text()
            seen["shot"] = _screenshot(dialog, "sync-enrollment-fingerprint.png", tmp_path)
            dialog.confirm.click()

        QTimer.singleShot(50, confirm)
        page.import_from(str(path))
        qtbot.waitUntil(lambda: "diterapkan" in page.message.text() and not page.busy, timeout=20000)
        assert seen["fingerprint"] == real
        qtbot.waitUntil(lambda: "terdaftar di" in page.enrolled_label.text(), timeout=10000)
        assert not page.request_button.isVisible()
        _screenshot(window, "sync-page-enrolled.png", tmp_path)
    finally:
        central.close()
