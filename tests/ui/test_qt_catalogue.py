"""The program's catalogue of Qt's own texts (resources/translations/qt_id.ts)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from kinerja_desktop import i18n
from kinerja_desktop.ui import qt_language

ROOT = Path(__file__).resolve().parents[2]
QT_PLACEHOLDER = re.compile(r"%(?:\d+|n|p)")


def _tool():
    spec = importlib.util.spec_from_file_location(
        "update_qt_translations", ROOT / "tools" / "update_qt_translations.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_text_is_translated_with_its_placeholders():
    messages = _tool().ts_messages(qt_language.ts_path("id"))
    assert len(messages) > 400
    empty = [key for key, text in messages.items() if not text.strip()]
    assert not empty
    wrong = [
        (key, text)
        for key, text in messages.items()
        if sorted(QT_PLACEHOLDER.findall(key[1])) != sorted(QT_PLACEHOLDER.findall(text))
    ]
    assert not wrong
    accelerators = [(key, text) for key, text in messages.items() if ("&" in key[1]) != ("&" in text)]
    assert not accelerators


def test_the_installed_qt_has_no_text_the_catalogue_lacks():
    """After a PySide6 upgrade: tools/update_qt_translations.py --add, then translate."""
    assert _tool().missing() == []


def test_lrelease_from_pyside6_compiles_the_catalogue(tmp_path, qapp):
    assert qt_language.lrelease_command() is not None
    qm = qt_language.compile_catalogue("id", tmp_path / "qt_id.qm")
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("QPlatformTheme", "Cancel") == "Batal"
    assert translator.translate("QFileDialog", "Look in:") == "Lihat di:"
    assert translator.translate("QLineEdit", "&Paste") == "T&empel"


def test_the_language_switch_swaps_catalogue_and_locale(qapp):
    qt_language.install()
    i18n.set_language("id")
    assert qt_language.installed_catalogue() is not None
    assert QCoreApplication.translate("QWizard", "< &Back") == "< &Kembali"
    assert QLocale().language() == QLocale.Language.Indonesian
    assert QLocale().monthName(3) == "Maret"
    i18n.set_language("en")
    assert qt_language.installed_catalogue() is None
    assert QCoreApplication.translate("QWizard", "< &Back") == "< &Back"
    assert QLocale().language() == QLocale.Language.English
    i18n.set_language("id")
