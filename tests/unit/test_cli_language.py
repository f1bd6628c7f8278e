"""argparse's own messages speak the program's language (and argparse is left as it was)."""

from __future__ import annotations

import argparse
import gettext
import re

import pytest

from kinerja_desktop import i18n
from kinerja_desktop.cli import main
from kinerja_desktop.cli.argparse_text import MESSAGES, PLURALS

PERCENT = re.compile(r"%(?:\(\w+\))?[sr]")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # --help and usage errors leave through argparse
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_missing_argument_is_told_in_indonesian(capsys):
    code, _out, err = run(capsys, "report", "appraisal")
    assert code == 2
    assert err.startswith("penggunaan: kinerja report appraisal")
    assert "argumen berikut wajib diisi: --nip, --year, -o/--output" in err
    assert "usage:" not in err and "required" not in err


def test_help_and_errors_in_english_when_chosen(capsys):
    code, _out, err = run(capsys, "--lang", "en", "report", "appraisal")
    assert code == 2
    assert err.startswith("usage: kinerja report appraisal")
    assert "the following arguments are required: --nip, --year, -o/--output" in err
    code, out, _err = run(capsys, "--lang", "en", "--help")
    assert code == 0 and "options:" in out and "show program's version number and exit" in out


def test_help_in_indonesian(capsys):
    code, out, _err = run(capsys, "--help")
    assert code == 0
    assert out.startswith("penggunaan: kinerja")
    assert "opsi:" in out and "tampilkan bantuan ini lalu keluar" in out
    assert "tampilkan versi program lalu keluar" in out
    assert "show this help" not in out and "options:" not in out


def test_wrong_choice_and_unknown_option(capsys):
    _code, _out, err = run(capsys, "--lang", "xx")
    assert "pilihan 'xx' tidak dikenal (pilih salah satu dari 'en', 'id')" in err
    _code, _out, err = run(capsys, "--tidak-ada")
    assert "argumen tidak dikenal: --tidak-ada" in err


def test_argparse_is_put_back_afterwards(capsys):
    run(capsys, "report", "appraisal")
    assert argparse._ is gettext.gettext
    assert argparse.ngettext is gettext.ngettext


@pytest.mark.parametrize("english, source", sorted(MESSAGES.items()))
def test_placeholders_survive_translation(english, source):
    assert sorted(PERCENT.findall(source)) == sorted(PERCENT.findall(english))
    i18n.set_language("en")
    assert sorted(PERCENT.findall(i18n._(source))) == sorted(PERCENT.findall(english))


def test_plural_messages_keep_their_placeholder():
    for (singular, _plural), source in PLURALS.items():
        assert PERCENT.findall(source) == PERCENT.findall(singular)
