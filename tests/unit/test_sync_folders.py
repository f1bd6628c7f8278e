"""The shared-folder transport: outbox to inbox, acks back, refused files stay put."""

from __future__ import annotations

import shutil

from sqlalchemy import select

from kinerja_desktop.services.access.principal import SYSTEM
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.sync.folders import (
    DONE_FOLDER,
    get_shared_folders,
    pick_up_inbox,
    send_to_outbox,
    set_shared_folders,
)
from kinerja_desktop.sync.sandbox import enroll_office, make_site, seed_org, synced_rows


def test_outbox_inbox_round_trip(tmp_path):
    central = make_site(tmp_path / "c", "1504-BKPSDM", "BKPSDM", central=True)
    office = make_site(tmp_path / "o", "1504-KEC-A", "A")
    try:
        seed_org(central.db, units=1, employees_per_unit=3)
        enroll_office(central, office)
        with office.db.transaction() as s:
            set_shared_folders(s, SYSTEM, tmp_path / "share" / "ke-pusat", tmp_path / "share" / "dari-pusat")
        with office.db.session() as s:
            folders = get_shared_folders(s)
        assert folders.configured
        with office.db.transaction() as s:
            s.scalars(select(Employee)).first().name = "Lewat folder bersama"
        kw = dict(keys_dir=office.keys_dir, blobs_dir=office.blobs_dir)
        [sent] = send_to_outbox(office.db, folders.outbox, **kw)
        assert sent.path.parent == folders.outbox
        # The central office reads the offices' outbox as its inbox and answers into the office's inbox.
        (folders.outbox / "sampah.kinerja").write_bytes(b"bukan bundel")
        picked = pick_up_inbox(
            central.db, folders.outbox, folders.inbox, keys_dir=central.keys_dir, blobs_dir=central.blobs_dir
        )
        by_name = {p.path.name: p for p in picked}
        assert by_name[sent.path.name].result.status == "applied"
        assert (folders.outbox / DONE_FOLDER / sent.path.name).exists()
        assert by_name["sampah.kinerja"].error and (folders.outbox / "sampah.kinerja").exists()
        acks = list(folders.inbox.glob("*.kinerja"))
        assert len(acks) == 1
        picked = pick_up_inbox(office.db, folders.inbox, folders.outbox, **kw)
        assert [p.result.kind for p in picked] == ["ack"]
        assert synced_rows(central.db, "employees") == synced_rows(office.db, "employees")
        shutil.rmtree(tmp_path / "share")
    finally:
        central.close()
        office.close()
