"""The pegawai adds their own signature to the signed form they acknowledged (documents service,
an incremental update): both signatures hold in pyHanko and in poppler's pdfsig."""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from kinerja_desktop.cli import main
from kinerja_desktop.errors import PermissionDenied, UserError
from kinerja_desktop.services.access.principal import PEGAWAI, Principal
from kinerja_desktop.services.documents import registry as documents
from kinerja_desktop.services.pegawai import acknowledge as ack_svc
from kinerja_desktop.store.pegawai import Acknowledgement

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_document_trust import PASS, _trust_tsa, appraisal, certificate, office_data, pdfsig_valid, tsa  # noqa: F401

pytestmark = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) not installed")


def test_the_pegawai_signs_the_form_they_acknowledged(db, office, office_data, tmp_path, tsa):  # noqa: F811 (pytest fixtures imported above)
    from sqlalchemy import select

    from kinerja_desktop.store.models import Evaluation

    kabid = certificate(tmp_path, *office_data["kabid"])
    staf = certificate(tmp_path, *office_data["staf1"])
    other = certificate(tmp_path, *office_data["staf2"])
    _trust_tsa(tmp_path, tsa)
    assert main(["certs", "policy", "--tsa-url", tsa.url]) == 0
    first = tmp_path / "first.pdf"
    assert appraisal(office_data, first, str(kabid)) == 0
    me, colleague = Principal("staf1", PEGAWAI, office.staf1), Principal("staf2", PEGAWAI, office.staf2)
    with db.transaction() as s:
        ev_id = s.scalar(select(Evaluation.id).where(Evaluation.employee_id == office.staf1))
        key = documents.signing_key(s, staf.read_bytes(), PASS)
        with pytest.raises(UserError, match="telah membaca"):
            ack_svc.sign_acknowledged(s, me, ev_id, first.read_bytes(), key)
        ack_svc.acknowledge(s, me, ev_id, today=date(2026, 4, 7))
        with pytest.raises(PermissionDenied):
            ack_svc.sign_acknowledged(
                s, colleague, ev_id, first.read_bytes(), documents.signing_key(s, other.read_bytes(), PASS)
            )
        signed = ack_svc.sign_acknowledged(s, me, ev_id, first.read_bytes(), key)
    both = tmp_path / "both.pdf"
    both.write_bytes(signed.pdf)
    assert pdfsig_valid(both) == [True, True]
    with db.session() as s:
        assert s.query(Acknowledgement).one().signed_sha256 == signed.sha256
        report = documents.verify(s, both)
        assert report.record_match is True and len(report.signatures) == 2
