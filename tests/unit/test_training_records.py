"""Training records: every bad input of the issue, group entry, certificates, permissions."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from kinerja_desktop import paths
from kinerja_desktop.errors import NotFound, PermissionDenied, UserError
from kinerja_desktop.services.access.principal import ADMINISTRATOR, SYSTEM, Principal
from kinerja_desktop.services.training import records as tr
from kinerja_desktop.services.training.catalog import list_types, resolve_type, update_type
from kinerja_desktop.store.training import TrainingActivity, TrainingRecord

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"


def act(title="Pelatihan Teknis SIPD", code="KL03", start=date(2026, 3, 2), end=date(2026, 3, 4), jp="24", **kw):
    return tr.ActivityInput(title, code, start, end, jp, **kw)


def count(s, model=TrainingRecord) -> int:
    return s.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False)))


# --- JP ------------------------------------------------------------------------------------


@pytest.mark.parametrize("jp", ["0", 0, "-4", -2.5, "dua", "", None, "nan", float("inf"), "1,234"])
def test_jp_zero_negative_or_not_a_number_is_refused_and_nothing_is_written(db, office, jp):
    with db.transaction() as s:
        with pytest.raises(UserError) as err:
            tr.create_record(s, office.hr, office.staf1, act(jp=jp))
        assert "JP" in err.value.message
        assert count(s) == 0 and count(s, TrainingActivity) == 0


def test_jp_with_indonesian_decimal_comma_is_accepted(db, office):
    with db.transaction() as s:
        res = tr.create_record(s, office.hr, office.staf1, act(jp="2,5", end=date(2026, 3, 2), start=date(2026, 3, 2)))
        assert s.get(TrainingRecord, res.record_ids[0]).jp == Decimal("2.50")


def test_more_than_ten_jp_per_day_is_a_warning_that_needs_confirmation(db, office):
    one_day = act(start=date(2026, 5, 5), end=date(2026, 5, 5), jp="12")
    with db.transaction() as s:
        with pytest.raises(tr.NeedsConfirmation) as err:
            tr.create_record(s, office.hr, office.staf1, one_day)
        assert [w.kind for w in err.value.warnings] == ["jp_per_day"]
        assert "10 JP per hari" in err.value.message
        assert count(s) == 0  # nothing written until confirmed
        res = tr.create_record(s, office.hr, office.staf1, one_day, confirm=True)
        assert [w.kind for w in res.warnings] == ["jp_per_day"]
        assert count(s) == 1
    with db.transaction() as s:  # exactly 10 per day is fine: 30 JP over three days
        res = tr.create_record(s, office.hr, office.staf2, act(jp="30"))
        assert res.warnings == ()


def test_end_before_start_is_an_error(db, office):
    with db.transaction() as s:
        with pytest.raises(UserError) as err:
            tr.create_record(s, office.hr, office.staf1, act(start=date(2026, 3, 4), end=date(2026, 3, 2)))
        assert "sebelum tanggal mulai" in err.value.message
        with pytest.raises(UserError):
            tr.create_record(s, office.hr, office.staf1, act(start=None))
        assert count(s) == 0


def test_unknown_or_switched_off_activity_type_is_an_error(db, office):
    with db.transaction() as s:
        with pytest.raises(UserError, match="tidak dikenal"):
            tr.create_record(s, office.hr, office.staf1, act(code="KL99"))
        update_type(s, office.hr, "KL09", active=False)
        with pytest.raises(UserError, match="tidak dipakai"):
            tr.create_record(s, office.hr, office.staf1, act(code="KL09"))
        assert resolve_type(s, "nkl1").code == "NKL01"
        assert "KL09" not in {t.code for t in list_types(s)}


def test_empty_title_is_an_error(db, office):
    with db.transaction() as s:
        with pytest.raises(UserError, match="Nama kegiatan"):
            tr.create_record(s, office.hr, office.staf1, act(title="   "))


# --- duplicates and overlaps -----------------------------------------------------------------


def test_duplicate_record_same_person_title_and_dates_is_an_error(db, office):
    with db.transaction() as s:
        tr.create_record(s, office.hr, office.staf1, act())
    with db.transaction() as s:
        with pytest.raises(UserError) as err:
            tr.create_record(s, office.hr, office.staf1, act(title="  pelatihan teknis   SIPD "))
        assert "Catatan ganda" in err.value.message and "Staf Satu" in err.value.message
        with pytest.raises(UserError, match="Catatan ganda"):  # also when confirming warnings
            tr.create_record(s, office.hr, office.staf1, act(title="PELATIHAN TEKNIS SIPD"), confirm=True)
        assert count(s) == 1
        # the same course for someone else, or on other dates, is not a duplicate
        tr.create_record(s, office.hr, office.staf2, act())
        tr.create_record(s, office.hr, office.staf1, act(start=date(2026, 9, 1), end=date(2026, 9, 3)))
        assert count(s) == 3


def test_overlapping_record_of_the_same_person_is_a_warning(db, office):
    with db.transaction() as s:
        tr.create_record(s, office.hr, office.staf1, act())
    with db.transaction() as s:
        other = act(
            title="Workshop Pelayanan Publik", code="KL07", start=date(2026, 3, 4), end=date(2026, 3, 5), jp="8"
        )
        with pytest.raises(tr.NeedsConfirmation) as err:
            tr.create_record(s, office.hr, office.staf1, other)
        assert [w.kind for w in err.value.warnings] == ["overlap"]
        assert "Pelatihan Teknis SIPD" in err.value.warnings[0].message
        assert err.value.warnings[0].employee_id == office.staf1
        # another person has no overlap; the next day does not overlap either
        assert tr.create_record(s, office.hr, office.staf2, other).warnings == ()
        later = act(
            title="Workshop Pelayanan Publik", code="KL07", start=date(2026, 3, 5), end=date(2026, 3, 5), jp="8"
        )
        assert tr.create_record(s, office.hr, office.staf1, later).warnings == ()
        tr.create_record(s, office.hr, office.staf1, other, confirm=True)
        assert count(s) == 4


# --- certificates ----------------------------------------------------------------------------


def test_certificate_is_kept_by_content_hash_like_evidence(db, office, tmp_path):
    cert = tmp_path / "sertifikat.png"
    cert.write_bytes(PNG)
    with db.transaction() as s:
        res = tr.create_record(
            s, office.hr, office.staf1, act(), certificate_number="123/KL03/2026", certificate_file=cert
        )
        rec = s.get(TrainingRecord, res.record_ids[0])
        sha = hashlib.sha256(PNG).hexdigest()
        assert rec.certificate_sha256 == sha and rec.certificate_media_type == "image/png"
        assert rec.certificate_name == "sertifikat.png" and rec.certificate_size == len(PNG)
        stored = paths.locations().blobs / sha[:2] / sha
        assert stored.read_bytes() == PNG
        assert tr.certificate_path(s, office.kabid_p, rec.id) == stored
        with pytest.raises(PermissionDenied):
            tr.certificate_path(s, office.outsider_p, rec.id)


def test_certificate_too_big_is_refused(db, office, tmp_path):
    big = tmp_path / "besar.pdf"
    with big.open("wb") as fh:
        fh.write(PDF)
        fh.truncate(tr.MAX_CERTIFICATE_BYTES + 1)
    with db.transaction() as s:
        with pytest.raises(tr.CertificateRefused, match="terlalu besar"):
            tr.create_record(s, office.hr, office.staf1, act(), certificate_file=big)
        assert count(s) == 0
    assert not (paths.locations().blobs).exists() or not any(paths.locations().blobs.rglob("*"))


@pytest.mark.parametrize(
    "name,content",
    [
        ("sertifikat.docx", b"PK\x03\x04" + b"\x00" * 40),
        ("sertifikat.exe", b"MZ" + b"\x00" * 40),
        ("sertifikat.pdf", b"GIF89a not a pdf at all"),  # the name says PDF, the content does not
        ("sertifikat.jpg", PNG),
    ],
)
def test_certificate_of_another_type_is_refused(db, office, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with db.transaction() as s:
        with pytest.raises(tr.CertificateRefused):
            tr.create_record(s, office.hr, office.staf1, act(), certificate_file=path)
        assert count(s) == 0


def test_certificate_replaced_and_removed_on_update(db, office, tmp_path):
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(PDF)
    with db.transaction() as s:
        rid = tr.create_record(s, office.hr, office.staf1, act()).record_ids[0]
        tr.update_record(s, office.hr, rid, certificate_file=pdf, certificate_number="9/2026")
        rec = s.get(TrainingRecord, rid)
        assert rec.certificate_media_type == "application/pdf" and rec.certificate_number == "9/2026"
        tr.update_record(s, office.hr, rid, remove_certificate=True)
        assert rec.certificate_sha256 is None and rec.certificate_name == ""


# --- group entry -----------------------------------------------------------------------------


def test_group_entry_one_activity_many_participants(db, office):
    people = [office.staf1, office.staf2, office.kabid, office.staf1]  # a person picked twice counts once
    with db.transaction() as s:
        res = tr.create_group(
            s,
            office.hr,
            people,
            act(
                title="Sosialisasi Manajemen Kinerja",
                code="KL11",
                start=date(2026, 2, 10),
                end=date(2026, 2, 10),
                jp="4",
            ),
        )
        assert len(res.record_ids) == 3 and count(s, TrainingActivity) == 1
        rows = tr.list_records(s, SYSTEM, tr.RecordFilter(activity_id=res.activity_id))
        assert {r.employee_id for r in rows} == {office.staf1, office.staf2, office.kabid}
        assert all(r.participants == 3 and r.jp == Decimal("4.00") for r in rows)


def test_group_entry_with_one_duplicate_writes_nothing(db, office):
    with db.transaction() as s:
        tr.create_record(s, office.hr, office.staf2, act())
    with db.transaction() as s:
        with pytest.raises(UserError, match="Staf Dua"):
            tr.create_group(s, office.hr, [office.staf1, office.staf2, office.kabid], act())
        assert count(s) == 1


def test_group_entry_needs_participants(db, office):
    with db.transaction() as s:
        with pytest.raises(UserError, match="peserta"):
            tr.create_group(s, office.hr, [], act())


def test_update_activity_changes_every_participant_but_keeps_a_personal_jp(db, office):
    with db.transaction() as s:
        res = tr.create_group(s, office.hr, [office.staf1, office.staf2], act(jp="24"))
        a, b = res.record_ids
        tr.update_record(s, office.hr, b, jp="12")  # staf2 attended half
        activity = s.get(TrainingActivity, res.activity_id)
        tr.update_activity(
            s,
            office.hr,
            res.activity_id,
            act(title="Pelatihan Teknis SIPD Lanjutan", jp="27"),
            expected_hlc=activity.updated_hlc,
        )
        assert s.get(TrainingRecord, a).jp == Decimal("27.00") and s.get(TrainingRecord, b).jp == Decimal("12.00")
        assert activity.title == "Pelatihan Teknis SIPD Lanjutan"


def test_update_with_an_old_version_is_refused(db, office):
    from kinerja_desktop.services.optimistic import ConcurrentEdit

    with db.transaction() as s:
        res = tr.create_record(s, office.hr, office.staf1, act())
        old = s.get(TrainingActivity, res.activity_id).updated_hlc
        tr.update_activity(s, office.hr, res.activity_id, act(jp="20"), expected_hlc=old)
        with pytest.raises(ConcurrentEdit):
            tr.update_activity(s, office.hr, res.activity_id, act(jp="21"), expected_hlc=old)


def test_delete_last_participant_deletes_the_activity(db, office):
    with db.transaction() as s:
        res = tr.create_group(s, office.hr, [office.staf1, office.staf2], act())
        tr.delete_record(s, office.hr, res.record_ids[0])
        assert count(s, TrainingActivity) == 1
        tr.delete_record(s, office.hr, res.record_ids[1])
        assert count(s, TrainingActivity) == 0 and count(s) == 0
        with pytest.raises(NotFound):
            tr.get_record(s, office.hr, res.record_ids[1])


# --- who may do what ---------------------------------------------------------------------------


def test_only_admin_kepegawaian_records_training(db, office):
    admin = Principal("admin", ADMINISTRATOR)
    with db.transaction() as s:
        for actor in (office.kabid_p, admin):
            with pytest.raises(PermissionDenied):
                tr.create_record(s, actor, office.staf1, act())
        rid = tr.create_record(s, office.hr, office.staf1, act()).record_ids[0]
        with pytest.raises(PermissionDenied):
            tr.update_record(s, office.kabid_p, rid, jp="3")
        with pytest.raises(PermissionDenied):
            tr.delete_record(s, admin, rid)


def test_pejabat_penilai_sees_only_the_records_of_people_below(db, office):
    with db.transaction() as s:
        tr.create_group(s, office.hr, [office.staf1, office.outsider, office.kadis], act())
        seen = {r.employee_id for r in tr.list_records(s, office.kabid_p, tr.RecordFilter(year=2026))}
        assert seen == {office.staf1}
        assert tr.count_records(s, office.kabid_p, tr.RecordFilter(year=2026)) == 1
        assert tr.count_records(s, office.hr, tr.RecordFilter(year=2026)) == 3
        assert tr.count_records(s, office.hr, tr.RecordFilter(year=2025)) == 0
        assert tr.count_records(s, office.hr, tr.RecordFilter(text="staf")) == 1
        assert tr.count_records(s, office.hr, tr.RecordFilter(text="sipd")) == 3
        assert tr.count_records(s, office.hr, tr.RecordFilter(unit_id=office.dinas)) == 2  # kadis + staf1 (bidang)


def test_every_write_is_audited(db, office):
    from kinerja_desktop.store.audit import AuditEntry

    with db.transaction() as s:
        tr.create_group(s, office.hr, [office.staf1, office.staf2], act())
        actions = s.execute(select(AuditEntry.action, AuditEntry.table_name).where(AuditEntry.actor == "hr")).all()
        assert ("create", "training_activities") in actions
        assert actions.count(("create", "training_records")) == 2
