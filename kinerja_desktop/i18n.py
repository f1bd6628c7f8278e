"""Translation of the text a user reads.

Source strings are Bahasa Indonesia (the default language); ``resources/translations/en.po``
holds the English translation. The catalogue is read with Babel, so there is no compile step
and the same function serves the core, the command line and the Qt interface.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache

from kinerja_desktop.paths import resources_dir

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LANGUAGE = "id"

_language = os.environ.get("KINERJA_LANG", DEFAULT_LANGUAGE)
if _language not in LANGUAGES:
    _language = DEFAULT_LANGUAGE


def po_path(language: str):
    return resources_dir() / "translations" / f"{language}.po"


@cache
def catalog(language: str) -> dict[str, str]:
    """msgid -> msgstr for ``language`` (empty for the source language)."""
    if language == DEFAULT_LANGUAGE:
        return {}
    path = po_path(language)
    if not path.exists():
        return {}

    from babel.messages.pofile import read_po  # noqa: PLC0415 (start-up: babel loads only for another language)

    with path.open("rb") as fh:
        cat = read_po(fh, locale=language)
    return {m.id: m.string for m in cat if m.id and isinstance(m.id, str) and m.string}


#: Called with the new language after every :func:`set_language` (the window uses this to
#: switch Qt's own texts; the core itself knows nothing of Qt).
_listeners: list[Callable[[str], None]] = []


def on_language_change(callback: Callable[[str], None]) -> None:
    """Call ``callback(language)`` whenever the language is set (once per callback)."""
    if callback not in _listeners:
        _listeners.append(callback)


def set_language(language: str) -> None:
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"Unknown language {language!r}")
    _language = language
    for callback in list(_listeners):
        callback(language)


def language() -> str:
    return _language


def _(text: str) -> str:
    """Translate ``text`` (an Indonesian source string) into the current language."""
    if _language == DEFAULT_LANGUAGE:
        return text
    return catalog(_language).get(text, text)


def N_(text: str) -> str:  # noqa: N802 (gettext's name for a marker, found by the string tools)
    """Mark ``text`` for translation without translating it now (module-level tables)."""
    return text
