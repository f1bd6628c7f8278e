"""Audit entries read in words, not as stored codes."""

from __future__ import annotations

from kinerja_desktop import i18n
from kinerja_desktop.services.audit.words import changes, detail_lines, names_for, summary, table_label, value_text


def test_codes_become_words():
    text = summary(changes(None, {"reason": "wrong_password", "failed_attempts": 2}))
    assert text == "alasan: kata sandi salah; salah kata sandi berturut-turut: 2"
    assert "wrong_password" not in text
    text = summary(changes({"role": "admin_kepegawaian"}, {"role": "pejabat_penilai"}))
    assert text == "peran: Admin Kepegawaian → Pejabat Penilai"


def test_dates_booleans_and_empty_values():
    assert value_text("birth_date", "1986-09-26") == "26-09-1986"
    assert value_text("locked_until", "2026-11-28T09:15:00") == "28-11-2026 09:15"
    assert value_text("active", False) == "tidak" and value_text("active", True) == "ya"
    assert value_text("back_title", "") == "—"
    assert value_text("suggested_activity_codes", ["NKL01", "KL03"]) == "NKL01, KL03"


def test_an_update_shows_only_what_changed():
    before = {"name": "Ani", "golongan": "III/a", "active": True}
    after = {"name": "Ani Lestari", "golongan": "III/a", "active": True}
    assert detail_lines(changes(before, after)) == ["nama: Ani → Ani Lestari"]


def test_a_new_row_leaves_out_its_empty_fields():
    lines = detail_lines(changes(None, {"nip": "198609262015051001", "front_title": "", "gender": "P"}))
    assert lines == ["NIP: 198609262015051001", "jenis kelamin: perempuan"]


def test_ids_are_shown_by_name(db):
    from kinerja_desktop.store.org import Unit

    with db.transaction() as s:
        unit = Unit(code="DINKES", name="Dinas Kesehatan")
        s.add(unit)
        s.flush()
        unit_id = unit.id
    with db.session() as s:
        names = names_for(s, [{"unit_id": unit_id}, None, "x"])
    assert summary(changes({"unit_id": None}, {"unit_id": unit_id}, names)) == "unit kerja: — → Dinas Kesehatan"


def test_english_words_when_english_is_chosen():
    i18n.set_language("en")
    assert table_label("training_records") != "catatan pelatihan"
    assert "wrong password" in summary(changes(None, {"reason": "wrong_password"})).lower()
