"""Qt's own texts in the program's language: standard buttons, file and print dialogs,
the text fields' context menu, wizard buttons, calendar month names.

Qt ships no Indonesian catalogue (PySide6 has no ``qtbase_id.qm``), so the program carries
one: ``resources/translations/qt_id.ts`` (the Qt contexts the program shows, translated by
hand), compiled to ``qt_id.qm`` with ``pyside6-lrelease`` when the program is built
(``make run``, ``make test``, ``packaging/kinerja.spec``). Running from a source tree where
the ``.qm`` is missing or older than the ``.ts``, :func:`catalogue` compiles it first.

The catalogue follows :func:`kinerja_desktop.i18n.set_language`: :func:`install` registers
:func:`apply_language`, which swaps the installed ``QTranslator`` and sets the default
``QLocale`` (month and day names in the calendar popups). English needs no catalogue, as
Qt's source texts are English. Native dialogs on Windows are the system's and speak the
system's language.

``python -m kinerja_desktop.ui.qt_language`` compiles the catalogue (the build calls it).
"""

from __future__ import annotations

import importlib.util
import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from kinerja_desktop import files, i18n
from kinerja_desktop.paths import resources_dir

log = logging.getLogger("kinerja.ui")

#: Languages with a Qt catalogue of the program's own (the others use Qt's source texts).
CATALOGUES = ("id",)
#: The locale whose month and day names, and number format, the widgets use per language.
LOCALES = {
    "id": (QLocale.Language.Indonesian, QLocale.Country.Indonesia),
    "en": (QLocale.Language.English, QLocale.Country.UnitedKingdom),
}

_installed: QTranslator | None = None


def ts_path(language: str) -> Path:
    return resources_dir() / "translations" / f"qt_{language}.ts"


def qm_path(language: str) -> Path:
    return resources_dir() / "translations" / f"qt_{language}.qm"


def lrelease_command() -> list[str] | None:
    """How to run Qt's ``lrelease``: the one inside the PySide6 package, else on PATH."""
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.origin:
        folder = Path(spec.origin).parent
        for name in ("lrelease.exe", "lrelease"):
            if (folder / name).is_file():
                return [str(folder / name)]
    for name in ("pyside6-lrelease", "lrelease"):
        found = shutil.which(name)
        if found:
            return [found]
    return None


def compile_catalogue(language: str = "id", target: Path | None = None) -> Path:
    """Compile ``qt_<language>.ts`` into a ``.qm`` (next to it unless ``target``)."""
    source = ts_path(language)
    target = target or qm_path(language)
    command = lrelease_command()
    if command is None:
        raise RuntimeError("pyside6-lrelease was not found; install PySide6 (it ships lrelease)")
    with files.atomic_path(target, suffix=".qm") as partial:  # the one file writer: whole or not at all
        subprocess.run(
            [*command, "-silent", str(source), "-qm", str(partial)], check=True, capture_output=True, timeout=120
        )
    return target


def _stale(qm: Path, ts: Path) -> bool:
    return not qm.is_file() or (ts.is_file() and ts.stat().st_mtime > qm.stat().st_mtime)


def catalogue(language: str) -> Path | None:
    """The compiled catalogue for ``language``, or None when the language needs none."""
    if language not in CATALOGUES:
        return None
    qm, ts = qm_path(language), ts_path(language)
    if getattr(sys, "frozen", False) or not _stale(qm, ts):
        return qm if qm.is_file() else None
    # A source tree without a build step: compile now, next to the .ts if possible.
    for target in (qm, Path(tempfile.gettempdir()) / "kinerja-desktop" / qm.name):
        try:
            if target != qm and not _stale(target, ts):
                return target
            return compile_catalogue(language, target)
        except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
            log.warning("could not compile %s into %s: %s", ts.name, target, exc)
    return None


def apply_language(language: str) -> None:
    """Install Qt's catalogue and default locale for ``language`` (replacing the previous)."""
    global _installed
    language_code, country = LOCALES.get(language, LOCALES["en"])
    QLocale.setDefault(QLocale(language_code, country))
    app = QCoreApplication.instance()
    if app is None:
        return
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed.deleteLater()
        _installed = None
    path = catalogue(language)
    if path is None:
        return
    translator = QTranslator(app)
    if translator.load(str(path)):
        app.installTranslator(translator)
        _installed = translator
    else:
        log.warning("Qt catalogue %s could not be loaded", path)


def installed_catalogue() -> QTranslator | None:
    """The Qt catalogue in force now (None for English); for the self-test."""
    return _installed


def install() -> None:
    """Follow the program's language from now on, starting with the current one."""
    i18n.on_language_change(apply_language)
    apply_language(i18n.language())


if __name__ == "__main__":  # the build step: compile every catalogue
    for code in CATALOGUES:
        print(compile_catalogue(code))
