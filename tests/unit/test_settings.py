"""Settings: audited values, language, export folder, the letterhead and its logo file."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kinerja_desktop import paths
from kinerja_desktop.errors import PermissionDenied, UserError
from kinerja_desktop.services import settings as svc
from kinerja_desktop.services.access.principal import (
    ADMIN_KEPEGAWAIAN,
    ADMINISTRATOR,
    PEJABAT_PENILAI,
    SYSTEM,
    Principal,
)
from kinerja_desktop.store.audit import AuditEntry

ADMIN = Principal("admin", ADMINISTRATOR)
HR = Principal("hr", ADMIN_KEPEGAWAIAN)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def test_settings_are_stored_and_audited(db):
    with db.transaction() as s:
        assert svc.get_setting(s, "x", 5) == 5
        svc.set_setting(s, ADMIN, "x", {"a": 1})
        svc.set_setting(s, ADMIN, "x", {"a": 1})  # unchanged: no entry
        svc.set_setting(s, ADMIN, "x", [2])
    with db.session() as s:
        assert svc.get_setting(s, "x") == [2]
        entries = s.scalars(select(AuditEntry).where(AuditEntry.table_name == "settings")).all()
        assert [(e.action, e.row_id, e.before, e.after) for e in entries] == [
            ("create", "x", None, {"value": {"a": 1}}),
            ("update", "x", {"value": {"a": 1}}, {"value": [2]}),
        ]


def test_only_an_administrator_changes_settings(db):
    with db.transaction() as s:
        for who in (HR, Principal("p", PEJABAT_PENILAI, "e")):
            with pytest.raises(PermissionDenied):
                svc.set_setting(s, who, "x", 1)
            with pytest.raises(PermissionDenied):
                svc.set_letterhead(s, who, svc.Letterhead())
            with pytest.raises(PermissionDenied):
                svc.set_export_folder(s, who, "/tmp")
        svc.set_setting(s, SYSTEM, "x", 1)


def test_language(db):
    with db.transaction() as s:
        assert svc.get_language(s) == "id"
        svc.set_language(s, HR, "en")  # any signed-in user may choose how text is shown
        assert svc.get_language(s) == "en"
        with pytest.raises(UserError, match="tidak tersedia"):
            svc.set_language(s, ADMIN, "fr")


def test_demo_flag(db):
    with db.transaction() as s:
        assert not svc.is_demo(s)
        svc.set_setting(s, SYSTEM, svc.DEMO, True)
        assert svc.is_demo(s)


def test_export_folder_defaults_and_is_created(db, tmp_path):
    with db.transaction() as s:
        assert svc.get_export_folder(s) == paths.locations().exports
        target = tmp_path / "hasil" / "ekspor"
        svc.set_export_folder(s, ADMIN, target)
        assert target.is_dir() and svc.get_export_folder(s) == target
        a_file = tmp_path / "berkas.txt"
        a_file.write_text("x")
        with pytest.raises(UserError, match="bukan folder"):
            svc.set_export_folder(s, ADMIN, a_file)


def test_letterhead_defaults(db):
    with db.session() as s:
        lh = svc.get_letterhead(s)
    assert lh.government == "PEMERINTAH KABUPATEN BATANGHARI"
    assert lh.address_lines == ("Jl. Jenderal Sudirman No. 1, Muara Bulian 36613",)
    assert lh.logo_path is None


def test_letterhead_logo_is_copied_into_the_data_folder(db, tmp_path):
    src = tmp_path / "garuda.png"
    src.write_bytes(PNG)
    lh = svc.Letterhead(
        unit_name="DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
        address_lines=("Jl. Gajah Mada No. 5", "Muara Bulian 36613", ""),
        logo_path=str(src),
    )
    with db.transaction() as s:
        svc.set_letterhead(s, ADMIN, lh)
    src.unlink()  # the copy does not depend on the original
    with db.session() as s:
        saved = svc.get_letterhead(s)
        stored = svc.get_setting(s, svc.LETTERHEAD)
    logo = paths.locations().data / "logo.png"
    assert saved.logo_path == str(logo) and logo.read_bytes() == PNG
    assert stored["logo"] == "logo.png"  # relative: a moved data folder keeps its logo
    assert saved.address_lines == ("Jl. Gajah Mada No. 5", "Muara Bulian 36613")
    assert saved.unit_name == "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
    # Saving the loaded letterhead again keeps the same file.
    with db.transaction() as s:
        svc.set_letterhead(s, ADMIN, saved)
    assert logo.read_bytes() == PNG
    # A JPEG replaces the PNG.
    jpg = tmp_path / "logo-baru.jpeg"
    jpg.write_bytes(JPEG)
    with db.transaction() as s:
        svc.set_letterhead(s, ADMIN, svc.Letterhead(logo_path=str(jpg)))
        assert svc.get_letterhead(s).logo_path == str(paths.locations().data / "logo.jpg")
    assert not logo.exists()


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"GIF89a" + b"\x00" * 20, "logo.png", "bukan gambar PNG atau JPG"),  # a renamed GIF
        (b"hello", "logo.jpg", "bukan gambar PNG atau JPG"),
        (PNG + b"\x00" * (2 * 1024 * 1024), "besar.png", "terlalu besar"),
    ],
)
def test_a_bad_logo_is_refused(db, tmp_path, content, name, words):
    src = tmp_path / name
    src.write_bytes(content)
    with db.transaction() as s, pytest.raises(UserError) as exc:
        svc.set_letterhead(s, ADMIN, svc.Letterhead(logo_path=str(src)))
    assert words in exc.value.message
    assert not (paths.locations().data / "logo.png").exists()


def test_a_missing_logo_or_empty_government_is_refused(db, tmp_path):
    with db.transaction() as s:
        with pytest.raises(UserError, match="tidak ditemukan"):
            svc.set_letterhead(s, ADMIN, svc.Letterhead(logo_path=str(tmp_path / "tidak-ada.png")))
        with pytest.raises(UserError, match="belum diisi"):
            svc.set_letterhead(s, ADMIN, svc.Letterhead(government="  "))
