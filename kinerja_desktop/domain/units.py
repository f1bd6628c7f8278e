"""Kinds of unit guessed from a unit's name (for units an import creates; HR can correct them)."""

from __future__ import annotations

import re

#: The kinds a unit may have (store.org.UNIT_KINDS holds the same list for the database).
UNIT_KINDS = ("opd", "bidang", "kecamatan", "kelurahan", "puskesmas", "sekolah", "uptd", "rsud")

_RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"^(kecamatan|kantor camat)\b"), "kecamatan"),
    (re.compile(r"^(kelurahan|kantor lurah)\b"), "kelurahan"),
    (re.compile(r"\bpuskesmas\b"), "puskesmas"),
    (re.compile(r"^(rsud|rumah sakit)\b"), "rsud"),
    (re.compile(r"^(sd|smp|sma|smk|tk|paud|slb|sdn|smpn|sman)\b|^sekolah\b"), "sekolah"),
    (re.compile(r"^(uptd|upt|unit pelaksana teknis)\b"), "uptd"),
)


def guess_unit_kind(name: str, *, top: bool) -> str:
    """``"Puskesmas Muara Bulian"`` -> ``"puskesmas"``, ``"SD Negeri 12/I Muara Bulian"`` ->
    ``"sekolah"``; otherwise ``"opd"`` for a perangkat daerah (``top``) and ``"bidang"`` for a
    part of one."""
    text = " ".join(str(name).lower().replace(".", " ").split())
    for pattern, kind in _RULES:
        if pattern.search(text):
            return kind
    return "opd" if top else "bidang"
