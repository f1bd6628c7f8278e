"""Audit entries in words: "alasan: kata sandi salah", "peran: Pejabat Penilai", not
``reason: wrong_password`` or ``role: pejabat_penilai``.

The services write their before/after images with field names and stored values (codes,
ids, ISO dates, booleans). :func:`describe` turns a page of entries into what a person
reads: each field by its Indonesian name, codes by their label, dates as dd-mm-yyyy,
yes/no for booleans, and the ids of employees, units and positions as their names (looked
up once per page). A field this module does not know is shown by its name with spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinerja_desktop.i18n import N_, _
from kinerja_desktop.services.access.permissions import role_label
from kinerja_desktop.store.employee import Employee
from kinerja_desktop.store.org import Position, Unit

#: Table names as people call the data.
TABLE_LABELS: dict[str, str] = {
    "employees": N_("pegawai"),
    "users": N_("pengguna"),
    "settings": N_("pengaturan"),
    "units": N_("unit kerja"),
    "positions": N_("jabatan"),
    "sites": N_("situs"),
    "skp": N_("SKP"),
    "rhk": N_("RHK"),
    "iki": N_("IKI"),
    "skp_expectations": N_("ekspektasi pimpinan"),
    "evaluations": N_("evaluasi kinerja"),
    "capaian_organisasi": N_("capaian kinerja organisasi"),
    "feedback_notes": N_("umpan balik"),
    "evidence_files": N_("bukti dukung"),
    "dialog_meetings": N_("dialog kinerja"),
    "periods": N_("periode penilaian"),
    "development_plan_items": N_("rencana pengembangan"),
    "training_types": N_("jenis pelatihan"),
    "training_activities": N_("kegiatan pelatihan"),
    "training_records": N_("catatan pelatihan"),
    "technical_competencies": N_("kompetensi teknis"),
    "competency_requirements": N_("standar kompetensi jabatan"),
    "competency_assessments": N_("penilaian kompetensi"),
    "competency_activity_suggestions": N_("saran kegiatan kompetensi"),
}

#: Field names of the before/after images -> their Indonesian names.
FIELD_LABELS: dict[str, str] = {
    "nip": N_("NIP"),
    "name": N_("nama"),
    "front_title": N_("gelar depan"),
    "back_title": N_("gelar belakang"),
    "gender": N_("jenis kelamin"),
    "birth_date": N_("tanggal lahir"),
    "status": N_("status"),
    "golongan": N_("golongan"),
    "position_name": N_("jabatan"),
    "position_id": N_("jabatan"),
    "unit_id": N_("unit kerja"),
    "supervisor_id": N_("atasan langsung"),
    "active": N_("aktif"),
    "username": N_("nama pengguna"),
    "display_name": N_("nama lengkap"),
    "role": N_("peran"),
    "employee_id": N_("pegawai"),
    "is_demo": N_("akun latihan"),
    "must_change_password": N_("wajib ganti kata sandi"),
    "reason": N_("alasan"),
    "failed_attempts": N_("salah kata sandi berturut-turut"),
    "locked_until": N_("terkunci sampai"),
    "minutes": N_("menit"),
    "value": N_("nilai"),
    "code": N_("kode"),
    "unit_code": N_("kode unit"),
    "id": N_("kode situs"),
    "kind": N_("jenis"),
    "year": N_("tahun"),
    "number": N_("nomor"),
    "start": N_("mulai"),
    "end": N_("selesai"),
    "deadline": N_("batas pengisian"),
    "closed": N_("ditutup"),
    "period_id": N_("periode"),
    "skp_id": N_("SKP"),
    "evaluator_id": N_("pejabat penilai"),
    "rating_hasil_kerja": N_("rating hasil kerja"),
    "rating_perilaku_kerja": N_("rating perilaku kerja"),
    "predikat": N_("predikat"),
    "hasil_from_capaian": N_("hasil kerja dari capaian organisasi"),
    "capaian": N_("capaian kinerja organisasi"),
    "realisasi": N_("realisasi"),
    "perilaku_feedback": N_("umpan balik perilaku"),
    "catatan_rekomendasi": N_("catatan dan rekomendasi"),
    "finalized_at": N_("difinalkan pada"),
    "finalized_by": N_("difinalkan oleh"),
    "revision_of_id": N_("revisi dari"),
    "revision_no": N_("revisi ke"),
    "revision_reason": N_("alasan revisi"),
    "approach": N_("pendekatan"),
    "model": N_("model SKP"),
    "agreed_on": N_("disepakati pada"),
    "rhk": N_("RHK"),
    "ekspektasi": N_("ekspektasi pimpinan"),
    "lampiran": N_("lampiran"),
    "source": N_("sumber"),
    "source_id": N_("asal"),
    "description": N_("uraian"),
    "competency_code": N_("kompetensi"),
    "suggested_activity_codes": N_("saran kegiatan"),
    "target_date": N_("target"),
    "fulfilled_by_training_id": N_("dipenuhi oleh pelatihan"),
    "title": N_("nama kegiatan"),
    "activity_code": N_("jenis kegiatan"),
    "category": N_("kategori"),
    "organiser": N_("penyelenggara"),
    "start_date": N_("tanggal mulai"),
    "end_date": N_("tanggal selesai"),
    "jp": N_("JP"),
    "notes": N_("catatan"),
    "activity_id": N_("kegiatan"),
    "certificate_number": N_("nomor sertifikat"),
    "certificate_sha256": N_("sidik sertifikat (SHA-256)"),
    "certificate_name": N_("berkas sertifikat"),
    "certificate_media_type": N_("jenis berkas sertifikat"),
    "certificate_size": N_("ukuran sertifikat"),
    "required_level": N_("level yang dipersyaratkan"),
    "assessed_on": N_("tanggal penilaian"),
    "assessor_id": N_("penilai"),
    "assessor_name": N_("nama penilai"),
    "level": N_("level"),
    "rhk_id": N_("RHK"),
    "value_code": N_("nilai BerAKHLAK"),
    "noted_on": N_("tanggal"),
    "text": N_("isi"),
    "author": N_("penulis"),
    "held_on": N_("tanggal"),
    "stage": N_("tahap"),
    "topic": N_("topik"),
    "recorded_by": N_("dicatat oleh"),
    "file_name": N_("nama berkas"),
    "media_type": N_("jenis berkas"),
    "size": N_("ukuran"),
    "sha256": N_("sidik berkas (SHA-256)"),
    "added_at": N_("ditambahkan pada"),
    "added_by": N_("ditambahkan oleh"),
    "set_by": N_("ditetapkan oleh"),
    "set_on": N_("ditetapkan pada"),
    "signed_file_sha256": N_("sidik berkas bertanda tangan"),
    "rows": N_("baris"),
    "employees": N_("pegawai"),
    "path": N_("berkas"),
    "file": N_("berkas"),
    "units": N_("unit kerja"),
    "positions": N_("jabatan"),
    "seed": N_("angka acak"),
    "activities": N_("kegiatan"),
    "records": N_("catatan"),
    "assessments": N_("penilaian"),
    "plan_items": N_("rencana"),
}

#: Stored codes -> their words, per field (``None`` key: any field).
VALUE_LABELS: dict[str | None, dict[str, str]] = {
    "reason": {
        "wrong_password": N_("kata sandi salah"),
        "unknown_user": N_("nama pengguna tidak dikenal"),
        "locked": N_("akun sedang terkunci"),
        "inactive": N_("akun sudah dinonaktifkan"),
    },
    "gender": {"L": N_("laki-laki"), "P": N_("perempuan")},
    "status": {
        "draft": N_("draf"),
        "final": N_("final"),
        "agreed": N_("disepakati"),
        "terbuka": N_("terbuka"),
        "selesai": N_("selesai"),
    },
    "kind": {
        "periodik": N_("periodik"),
        "tahunan": N_("tahunan"),
        "asesmen": N_("asesmen"),
        "bimbingan_kinerja": N_("bimbingan kinerja"),
    },
    "source": {"evaluasi": N_("evaluasi kinerja"), "kompetensi": N_("kesenjangan kompetensi")},
    "approach": {"kuantitatif": N_("kuantitatif"), "kualitatif": N_("kualitatif")},
    "model": {"jpt": N_("JPT"), "non_jpt": N_("non-JPT")},
}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_ID_FIELDS = {
    "employee_id": "employee",
    "supervisor_id": "employee",
    "evaluator_id": "employee",
    "assessor_id": "employee",
    "unit_id": "unit",
    "position_id": "position",
}
EMPTY = "—"


def actor_label(actor: str) -> str:
    """Who acted: the user name, or "sistem" for the program itself (command line, batch work)."""
    return _("sistem") if actor == "system" else actor


def table_label(table: str) -> str:
    return _(TABLE_LABELS[table]) if table in TABLE_LABELS else table.replace("_", " ")


def field_label(key: str) -> str:
    return _(FIELD_LABELS[key]) if key in FIELD_LABELS else str(key).replace("_", " ")


def value_text(key: str, value: object, names: dict[str, str] | None = None) -> str:
    """``value`` of field ``key`` in words (see the module doc)."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if key == "role" and isinstance(value, str):
        return role_label(value)
    if isinstance(value, str):
        words = VALUE_LABELS.get(key, {})
        if value in words:
            return _(words[value])
        if names and key in _ID_FIELDS and value in names:
            return names[value]
        if _ISO_MOMENT.match(value):
            try:
                return datetime.fromisoformat(value).strftime("%d-%m-%Y %H:%M")
            except ValueError:
                return value
        if _ISO_DATE.match(value):
            try:
                return date.fromisoformat(value).strftime("%d-%m-%Y")
            except ValueError:
                return value
        return value
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(key, v, names) for v in value) or EMPTY
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {value_text(k, v, names)}" for k, v in value.items()) or EMPTY
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str | None  # None: the field was not there (a new row)
    after: str | None  # None: the field is gone (a deleted row)


def changes(before: object, after: object, names: dict[str, str] | None = None) -> list[FieldChange]:
    """The fields of an entry in words; unchanged fields of an update are left out."""
    b = before if isinstance(before, dict) else {}
    a = after if isinstance(after, dict) else {}
    if not b and not a:
        text = value_text("value", after if after is not None else before, names)
        return [] if text == EMPTY else [FieldChange(field_label("value"), None, text)]
    out = []
    for key in dict.fromkeys([*b.keys(), *a.keys()]):
        if key in b and key in a and b[key] == a[key] and len(a) > 1:
            continue
        before_text = value_text(key, b[key], names) if key in b else None
        after_text = value_text(key, a[key], names) if key in a else None
        if before_text is None and after_text == EMPTY:
            continue  # a new row's empty fields say nothing
        out.append(FieldChange(field_label(key), before_text, after_text))
    return out


def summary(items: Sequence[FieldChange], limit: int = 200) -> str:
    """``nama: Ani → Ani Lestari; golongan: III/a → III/b`` for a table cell."""
    parts = []
    for c in items:
        if c.before is not None and c.after is not None:
            parts.append(f"{c.label}: {c.before} → {c.after}")
        elif c.after is not None:
            parts.append(f"{c.label}: {c.after}")
        else:
            parts.append(f"{c.label}: {c.before} → {EMPTY}")
    text = "; ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def detail_lines(items: Sequence[FieldChange]) -> list[str]:
    """One line per field for the detail pane: ``golongan: III/a → III/b``."""
    lines = []
    for c in items:
        if c.before is not None and c.after is not None and c.before != c.after:
            lines.append(f"{c.label}: {c.before} → {c.after}")
        else:
            lines.append(f"{c.label}: {c.after if c.after is not None else c.before}")
    return lines


def _ids(images: Iterable[object]) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = {"employee": set(), "unit": set(), "position": set()}
    for image in images:
        if isinstance(image, dict):
            for key, value in image.items():
                if key in _ID_FIELDS and isinstance(value, str) and value:
                    wanted[_ID_FIELDS[key]].add(value)
    return wanted


def names_for(session: Session, images: Iterable[object]) -> dict[str, str]:
    """Names of the employees, units and positions the ``images`` refer to by id."""

    wanted = _ids(images)
    names: dict[str, str] = {}
    for model, kind, column in (
        (Employee, "employee", Employee.name),
        (Unit, "unit", Unit.name),
        (Position, "position", Position.name),
    ):
        ids = sorted(wanted[kind])
        for i in range(0, len(ids), 900):
            query = select(model.id, column).where(model.id.in_(ids[i : i + 900]))
            names.update((row_id, name) for row_id, name in session.execute(query))
    return names
