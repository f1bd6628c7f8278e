"""Self-test step: Qt's own texts and the command line's messages speak Indonesian.

Catches a build without the compiled Qt catalogue (``qt_id.qm``): the standard buttons
would read Yes/No and the file dialog "Look in:" in the Indonesian window; and one
without Qt's SVG image plugin, which draws the navigation icons.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox

from kinerja_desktop import i18n
from kinerja_desktop.cli import build_parser
from kinerja_desktop.cli.argparse_text import argparse_language
from kinerja_desktop.i18n import _
from kinerja_desktop.selftest import check
from kinerja_desktop.ui import qt_language
from kinerja_desktop.ui.nav_icons import nav_icon, nav_icon_path
from kinerja_desktop.ui.visible_text import foreign_words, visible_texts


def _button_texts(box) -> list[str]:
    return sorted(b.text().replace("&", "") for b in box.buttons())


# long: one check after another, each with its message, read in order
def run_language_selftest(workdir: Path) -> str:

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    app = QApplication.instance() or QApplication([sys.argv[0]])
    previous = i18n.language()
    qt_language.install()
    try:
        i18n.set_language("id")
        check(
            qt_language.catalogue("id") is not None and qt_language.installed_catalogue() is not None,
            _("Terjemahan Qt bahasa Indonesia (qt_id.qm) tidak ikut terpasang."),
        )
        question = QMessageBox(
            QMessageBox.Icon.Question,
            "Kinerja Desktop",
            "…",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        check(
            _button_texts(question) == ["Tidak", "Ya"],
            _("Tombol pertanyaan bertuliskan {texts}, bukan Ya/Tidak.").format(texts="/".join(_button_texts(question))),
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Discard
            | QDialogButtonBox.StandardButton.Cancel
        )
        check(
            _button_texts(buttons) == ["Batal", "Buang", "Simpan"],
            _("Tombol standar bertuliskan {texts}, bukan Simpan/Buang/Batal.").format(
                texts="/".join(_button_texts(buttons))
            ),
        )
        dialog = QFileDialog(None, "Kinerja Desktop", str(workdir))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.show()
        app.processEvents()
        english = foreign_words(visible_texts(dialog), "id")
        dialog.close()
        dialog.deleteLater()
        check(
            not english,
            _("Dialog berkas masih berbahasa Inggris: {words}.").format(
                words=", ".join(sorted({w for w, _t in english}))
            ),
        )
        with argparse_language():
            usage = build_parser().format_usage()
        check(
            usage.startswith("penggunaan:"),
            _("Pesan baris perintah tidak berbahasa Indonesia: {text}").format(text=usage.splitlines()[0]),
        )
        icons = sorted(nav_icon_path("home").parent.glob("*.svg"))
        broken = [p.stem for p in icons if nav_icon(p.stem).isNull()]
        check(
            icons and not broken,
            _("Ikon navigasi tidak dapat digambar: {names}.").format(names=", ".join(broken) or "-"),
        )
        i18n.set_language("en")
        english_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        check(_button_texts(english_box) == ["Cancel"], _("Tombol standar tidak kembali ke bahasa Inggris."))
    finally:
        i18n.set_language(previous)
        app.processEvents()
    return _(
        "Ya/Tidak, Simpan/Buang/Batal, dialog berkas dan baris perintah berbahasa Indonesia; {n} ikon navigasi"
    ).format(n=len(icons))
