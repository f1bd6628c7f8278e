"""Signed documents on record and revocation lists travel by sync; a record is changed only by its site."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from kinerja_desktop.store.documents import RevocationList, SignedDocument
from kinerja_desktop.store.sync_models import SyncConflict
from kinerja_desktop.sync.sandbox import enroll_office, make_site, seed_org


@pytest.fixture
def sites(tmp_path):
    central = make_site(tmp_path / "central", "1504-BKPSDM", "BKPSDM", central=True)
    office = make_site(tmp_path / "office", "1504-KEC-A", "Kecamatan A")
    org = seed_org(central.db, units=1, employees_per_unit=2)
    enroll_office(central, office)
    yield central, office, org
    central.close()
    office.close()


def send(src, dst):
    result = dst.import_bundle(src.export(dst.site_id).data)
    if result.ack is not None:
        src.import_bundle(result.ack)


def test_a_record_travels_and_another_site_cannot_rewrite_it(sites):
    central, office, org = sites
    with office.db.transaction() as s:
        row = SignedDocument(
            kind="evaluasi",
            document_id="EV-2026-TW1-X-R0",
            employee_id=org["employees"][0],
            file_digest="a" * 64,
            expected={},
            signers=[],
            signed_at=datetime(2026, 4, 6),
        )
        s.add(row)
        s.flush()
        row_id = row.id
        s.add(
            RevocationList(
                issuer_key_hash="b" * 64,
                crl_number=1,
                this_update=datetime(2026, 4, 6),
                crl_der=b"\x30\x00",
                published_at=datetime(2026, 4, 6),
            )
        )
    send(office, central)
    with central.db.session() as s:
        assert s.get(SignedDocument, row_id).file_digest == "a" * 64
        assert s.scalar(select(RevocationList)).crl_der == b"\x30\x00"
    with central.db.transaction() as s:
        s.get(SignedDocument, row_id).file_digest = "c" * 64  # a forged record from elsewhere
    send(central, office)
    with office.db.session() as s:
        assert s.get(SignedDocument, row_id).file_digest == "a" * 64
        [conflict] = s.scalars(select(SyncConflict)).all()
    assert conflict.reason == "protected" and conflict.table_name == "signed_documents"
