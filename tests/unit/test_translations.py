"""Every text a person reads has an English translation with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import kinerja_desktop
from kinerja_desktop import i18n

PACKAGE = Path(kinerja_desktop.__file__).resolve().parent
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}(?!\})")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def source_strings() -> dict[str, str]:
    """msgid -> the file that uses it, for every _() and N_() literal in the package."""
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE),
        method_map=[("**.py", "python")],
        keywords={"_": None, "N_": None},
        comment_tags=(),
    ):
        if isinstance(message, str) and message:
            found.setdefault(message, f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def english() -> dict[str, str]:
    path = i18n.po_path("en")
    assert path.is_file(), f"{path} is missing"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str)}


def test_the_package_has_strings_to_translate(source_strings):
    assert len(source_strings) > 100
    assert "Pegawai" in source_strings


def test_every_string_is_in_en_po(source_strings, english):
    missing = [f"{where}: {msgid!r}" for msgid, where in sorted(source_strings.items()) if msgid not in english]
    assert not missing, "Not in resources/translations/en.po (run tools/update_translations.py):\n" + "\n".join(missing)


def test_no_empty_english_text(source_strings, english):
    empty = [
        f"{where}: {msgid!r}"
        for msgid, where in sorted(source_strings.items())
        if msgid in english and not english[msgid].strip()
    ]
    assert not empty, "No English text yet:\n" + "\n".join(empty)


def test_placeholders_match(english):
    wrong = [
        f"{msgid!r} -> {text!r}"
        for msgid, text in sorted(english.items())
        if text and placeholders(msgid) != placeholders(text)
    ]
    assert not wrong, "Placeholders differ between Indonesian and English:\n" + "\n".join(wrong)


def test_the_switch_really_translates():
    i18n.catalog.cache_clear()
    i18n.set_language("en")
    try:
        assert i18n._("Pegawai") == "Employees"
        assert i18n._("Dibatalkan.") == "Cancelled."
    finally:
        i18n.set_language("id")
    assert i18n._("Pegawai") == "Pegawai"


def test_placeholder_pattern():
    assert placeholders("NIP {nip} milik {name}; {{bukan}} {n:,}") == {"nip", "name", "n"}
