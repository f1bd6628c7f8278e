"""argparse's own messages ("usage:", "the following arguments are required", ...) in the
program's language.

argparse translates through :mod:`gettext` under names it imported at its top
(``argparse._`` and ``argparse.ngettext``), which would need compiled ``.mo`` files and
the process's locale. Instead :func:`argparse_language` points those two names at
:func:`translate` while the command line is built and parsed, and puts the originals back
afterwards. The Indonesian texts are ordinary entries of the program's catalogue (their
English in ``en.po`` is argparse's own wording), so English passes through unchanged.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from kinerja_desktop.i18n import N_, _

#: argparse's English message -> the Indonesian source text of the program's catalogue.
#: The ``%(name)s`` / ``%s`` placeholders are argparse's and must stay as they are.
MESSAGES: dict[str, str] = {
    "usage: ": N_("penggunaan: "),
    "positional arguments": N_("argumen"),
    "options": N_("opsi"),
    "optional arguments": N_("opsi"),
    "show this help message and exit": N_("tampilkan bantuan ini lalu keluar"),
    "show program's version number and exit": N_("tampilkan versi program lalu keluar"),
    "%(prog)s: error: %(message)s\n": N_("%(prog)s: kesalahan: %(message)s\n"),
    "argument %(argument_name)s: %(message)s": N_("argumen %(argument_name)s: %(message)s"),
    "the following arguments are required: %s": N_("argumen berikut wajib diisi: %s"),
    "one of the arguments %s is required": N_("salah satu argumen %s wajib diisi"),
    "unrecognized arguments: %s": N_("argumen tidak dikenal: %s"),
    "ambiguous option: %(option)s could match %(matches)s": N_("opsi %(option)s tidak jelas: bisa berarti %(matches)s"),
    "invalid choice: %(value)r (choose from %(choices)s)": N_(
        "pilihan %(value)r tidak dikenal (pilih salah satu dari %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": N_("nilai %(type)s tidak valid: %(value)r"),
    "expected one argument": N_("perlu satu nilai"),
    "expected at most one argument": N_("paling banyak satu nilai"),
    "expected at least one argument": N_("perlu paling sedikit satu nilai"),
    "not allowed with argument %s": N_("tidak boleh dipakai bersama argumen %s"),
    "ignored explicit argument %r": N_("nilai %r diabaikan"),
    "can't open '%(filename)s': %(error)s": N_("berkas '%(filename)s' tidak dapat dibuka: %(error)s"),
    "unknown parser %(parser_name)r (choices: %(choices)s)": N_(
        "perintah %(parser_name)r tidak dikenal (pilihan: %(choices)s)"
    ),
    "unexpected option string: %s": N_("opsi tidak terduga: %s"),
}

#: The plural messages (``ngettext``): Indonesian has one form for both.
PLURALS: dict[tuple[str, str], str] = {
    ("expected %s argument", "expected %s arguments"): N_("perlu %s nilai"),
}


def translate(message: str) -> str:
    """argparse's ``message`` in the program's language (unknown ones unchanged)."""
    source = MESSAGES.get(message)
    return _(source) if source is not None else message


def translate_plural(singular: str, plural: str, n: int) -> str:
    source = PLURALS.get((singular, plural))
    if source is None:
        return singular if n == 1 else plural
    return _(source)


@contextmanager
def argparse_language() -> Iterator[None]:
    """Within the block, argparse speaks the program's language (see the module doc)."""
    saved = argparse.__dict__.get("_"), argparse.__dict__.get("ngettext")
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = translate_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
