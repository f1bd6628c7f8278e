"""The complaint register: recording, assigning, steps, scope, audit; the abuse cases."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from kinerja_desktop.errors import PermissionDenied
from kinerja_desktop.services.audit.chain import verify_chain
from kinerja_desktop.services.pengaduan import cases as reg
from kinerja_desktop.services.pengaduan.catalog import save_service, set_holiday
from kinerja_desktop.store.audit import AuditEntry
from kinerja_desktop.store.changes import ChangeLog
from kinerja_desktop.store.pengaduan import Complaint, ComplaintStep
from kinerja_desktop.store.site import Site


@pytest.fixture
def desk(db, office):
    """The office's site covers Dinas Contoh (and its bidang); a KTP-el service with 3/5/14 days."""
    with db.transaction() as s:
        site = s.scalar(select(Site).where(Site.is_local.is_(True)))
        site.unit_code = "DINAS-X"
        svc = save_service(s, office.hr, unit_id=office.bidang, code="KTP-EL", name="KTP-el")
        office.service = svc.id
    return office


def _new(db, desk, **kw):
    data = dict(
        channel="loket",
        description="KTP-el belum jadi setelah 3 bulan",
        service_id=desk.service,
        contact="0812-3456-7890",
        received_at=datetime(2026, 8, 14, 9, 30),
    )
    data.update(kw)
    with db.transaction() as s:
        row = reg.create_complaint(s, desk.hr, reg.ComplaintInput(**data))
        return row.id, row.number


def test_a_complaint_goes_through_its_steps_timed_audited_and_logged(db, desk):
    with db.transaction() as s:
        set_holiday(s, desk.hr, datetime(2026, 8, 17).date(), "Hari Kemerdekaan")
    cid, number = _new(db, desk)
    with db.transaction() as s:
        row = s.get(Complaint, cid)
        assert row.status == "diterima" and row.unit_id == desk.bidang
        # Friday 14 August + 3 working days, Monday 17 August is a holiday: Thursday 20.
        assert row.verify_by.isoformat() == "2026-08-20"
        assert row.close_by.isoformat() == "2026-09-04"
        reg.assign(s, desk.hr, cid, desk.staf1)
        reg.advance(s, desk.hr, cid, "diverifikasi", at=datetime(2026, 8, 18, 10, 0))
        reg.advance(
            s, desk.kabid_p, cid, "ditindaklanjuti", note="Berkas dicetak ulang", at=datetime(2026, 8, 19, 9, 0)
        )
        reg.advance(
            s, desk.kabid_p, cid, "selesai", resolution="KTP-el sudah dapat diambil", at=datetime(2026, 8, 21, 9, 0)
        )
    with db.session() as s:
        row = s.get(Complaint, cid)
        assert row.status == "selesai" and row.finished_at == datetime(2026, 8, 21, 9, 0)
        assert row.first_response_at == datetime(2026, 8, 19, 9, 0)
        assert row.respond_by.isoformat() == "2026-08-25"
        got = [
            st.to_state
            for st in s.scalars(
                select(ComplaintStep).where(ComplaintStep.complaint_id == cid).order_by(ComplaintStep.updated_hlc)
            )
        ]
        assert got == ["diterima", "diterima", "diverifikasi", "ditindaklanjuti", "selesai"]
        actions = [a for (a,) in s.execute(select(AuditEntry.action).where(AuditEntry.row_id == cid))]
        assert actions == ["create", "assign", "status", "status", "status"]
        # The contact never enters the audit trail.
        for (after,) in s.execute(select(AuditEntry.after).where(AuditEntry.row_id == cid)):
            assert "0812" not in str(after) and after["contact_given"] is True
        assert verify_chain(s).ok
        logged = {t for (t,) in s.execute(select(ChangeLog.table_name).where(ChangeLog.row_id == cid))}
        assert logged == {"complaints"}


def test_closing_twice_is_refused_and_changes_nothing(db, desk):
    cid, _n = _new(db, desk)
    with db.transaction() as s:
        reg.advance(s, desk.hr, cid, "diverifikasi")
        reg.advance(s, desk.hr, cid, "ditindaklanjuti")
        reg.advance(s, desk.hr, cid, "selesai", resolution="Selesai")
    with db.session() as s:
        hlc = s.get(Complaint, cid).updated_hlc
        with pytest.raises(reg.ComplaintRefused, match="sudah Selesai"):
            reg.advance(s, desk.hr, cid, "selesai", resolution="Lagi")
        s.rollback()
    with db.session() as s:
        assert s.get(Complaint, cid).updated_hlc == hlc
        assert (
            s.scalar(select(ComplaintStep.id).where(ComplaintStep.to_state == "selesai", ComplaintStep.note == "Lagi"))
            is None
        )


def test_a_step_seen_stale_is_refused(db, desk):
    cid, _n = _new(db, desk)
    with db.transaction() as s:
        reg.advance(s, desk.hr, cid, "diverifikasi")
    with db.session() as s, pytest.raises(reg.ComplaintRefused, match="diubah orang lain"):
        reg.advance(s, desk.hr, cid, "ditolak", note="duplikat", expected_status="diterima")


def test_assignment_outside_the_office_or_the_chain_is_refused(db, desk):
    cid, _n = _new(db, desk)
    with db.session() as s:
        with pytest.raises(PermissionDenied, match="bukan pegawai kantor ini"):
            reg.assign(s, desk.hr, cid, desk.outsider)
        reg.assign(s, desk.hr, cid, desk.staf1)
        s.flush()
        # A pejabat penilai assigns only within their chain.
        with pytest.raises(PermissionDenied, match="di bawah Anda"):
            reg.assign(s, desk.kabid_p, cid, desk.kadis)
        # And sees only complaints assigned to their chain.
        with pytest.raises(PermissionDenied):
            reg.steps(s, desk.outsider_p, cid)


def test_bad_input_gets_a_sentence_naming_the_field(db, desk):
    with db.session() as s:
        with pytest.raises(reg.ComplaintRefused) as e:
            reg.create_complaint(
                s, desk.hr, reg.ComplaintInput(channel="loket", description=" ", service_id=desk.service)
            )
        assert e.value.field == "description"
        future = reg.now_wib() + timedelta(days=2)
        with pytest.raises(reg.ComplaintRefused, match="masa depan"):
            reg.create_complaint(
                s,
                desk.hr,
                reg.ComplaintInput(channel="loket", description="x", service_id=desk.service, received_at=future),
            )
        with pytest.raises(reg.ComplaintRefused, match="telepon"):
            reg.create_complaint(
                s, desk.hr, reg.ComplaintInput(channel="loket", description="x", contact="12", service_id=desk.service)
            )
        with pytest.raises(PermissionDenied, match="bukan bagian dari kantor"):
            reg.create_complaint(
                s, desk.hr, reg.ComplaintInput(channel="loket", description="x", unit_id=desk.other_unit)
            )
        with pytest.raises(PermissionDenied):
            reg.create_complaint(
                s, desk.kabid_p, reg.ComplaintInput(channel="loket", description="x", service_id=desk.service)
            )
        with pytest.raises(reg.ComplaintRefused, match="terlalu panjang"):
            reg.create_complaint(
                s, desk.hr, reg.ComplaintInput(channel="loket", description="x" * 5000, service_id=desk.service)
            )
        assert s.scalar(select(Complaint.id)) is None


def test_rejected_and_forwarded_need_a_reason(db, desk):
    cid, _n = _new(db, desk)
    with db.transaction() as s:
        with pytest.raises(reg.ComplaintRefused, match="alasan"):
            reg.advance(s, desk.hr, cid, "dialihkan")
        reg.advance(s, desk.hr, cid, "dialihkan", note="Kewenangan Dinas PUPR", forwarded_to="Dinas PUPR")
    with db.session() as s:
        row = s.get(Complaint, cid)
        assert (row.status, row.forwarded_to, row.status_reason) == ("dialihkan", "Dinas PUPR", "Kewenangan Dinas PUPR")
        assert row.first_response_at is not None and row.finished_at is not None


def test_contacts_are_erased_after_the_keeping_time_and_the_lookup_still_works(db, desk):
    from kinerja_desktop.services.pengaduan.web import lookup

    cid, number = _new(db, desk)
    with db.transaction() as s:
        for target in ("diverifikasi", "ditindaklanjuti", "selesai"):
            reg.advance(s, desk.hr, cid, target, at=datetime(2026, 8, 18, 10), resolution="ok")
        assert reg.erase_old_contacts(s, desk.hr, now=datetime(2026, 9, 1)) == 0  # still within 90 days
        with pytest.raises(PermissionDenied):
            reg.erase_old_contacts(s, desk.kabid_p)
        assert reg.erase_old_contacts(s, desk.hr, now=datetime(2026, 12, 1)) == 1
    with db.session() as s:
        row = s.get(Complaint, cid)
        assert (row.contact, row.contact_name) == ("", "")
        assert lookup(s, number, "7890") is not None and lookup(s, number, "7891") is None
        assert reg.erase_old_contacts(s, desk.hr, now=datetime(2026, 12, 1)) == 0
