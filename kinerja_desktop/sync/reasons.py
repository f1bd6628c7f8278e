"""Why an incoming change was not applied, in the words people read (one place for the
Konflik page, ``sync conflicts`` and ``sync status``)."""

from __future__ import annotations

from kinerja_desktop.i18n import N_, _

#: Why a change was not applied, as people read it (Konflik page, ``sync conflicts``).
REASON_LABELS = {
    "concurrent": N_("diubah di dua situs"),
    "protected": N_("evaluasi final atau dokumen bertanda tangan tidak dapat diubah"),
    "unique": N_("NIP/kode sudah dipakai data lain"),
    "missing_parent": N_("rujukannya ditolak"),
    "file_refused": N_("berkas lampirannya ditolak"),
    "unauthorized": N_("di luar wewenang"),
    "forged": N_("pengirim atau stempel waktu dipalsukan"),
    "invalid": N_("nilai tidak sah"),
}
#: Reasons that mean the sender tried what it may not do (counted apart in ``sync status``).
REFUSALS = ("unauthorized", "forged", "invalid")


def reason_label(reason: str) -> str:
    return _(REASON_LABELS[reason]) if reason in REASON_LABELS else reason
