"""What a person reads in a window, and the words that give away the wrong language.

:func:`visible_texts` walks a widget tree and collects the texts of its chrome: window
titles, labels, buttons, group and tab titles, table headers, combo box entries, menus,
placeholders and tooltips (not what people typed). :func:`foreign_words` finds, in those
texts, the words of a list that must not appear in the current language: English button
and dialog words in the Indonesian interface (Qt's own "Cancel", "Look in:", ...), and
Indonesian ones in the English interface. The language tests and the self-test use them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
    QWizard,
)

#: English words that must not appear in the Indonesian interface: Qt's standard buttons
#: and dialogs, and plain English function words. Checked as whole words, case-sensitive
#: for the capitalised button words ("No." is Indonesian for "Nomor", so "No" is only
#: checked as a whole text, see :data:`ENGLISH_WHOLE_TEXTS`).
ENGLISH_WORDS = (
    "Cancel",
    "Save",
    "Discard",
    "Close",
    "Open",
    "Apply",
    "Reset",
    "Help",
    "Retry",
    "Ignore",
    "Abort",
    "Back",
    "Next",
    "Finish",
    "Look in",
    "File name",
    "Files of type",
    "Directory",
    "Date Modified",
    "Size",
    "Kind",
    "Detail View",
    "List View",
    "New Folder",
    "Parent Directory",
    "Recent Places",
    "Sidebar",
    "Select All",
    "Copy",
    "Paste",
    "Undo",
    "Redo",
    "Cut",
    "Delete",
    "Show Details",
    "Hide Details",
    "Print",
    "Preview",
    "Properties",
    "Copies",
    "Orientation",
    "Portrait",
    "Landscape",
    "Margins",
    "Options",
    "Restore Defaults",
    "Save All",
    "Yes to All",
    "No to All",
    "What's This",
    "Enter a value",
    "Scroll",
    "Choose",
    "Rename",
    "Remove",
    "Forward",
    "the",
    "and",
    "of",
    "with",
    "please",
    "Please",
    "error",
    "Error",
    "file",
    "File",
    "sign-in",
)
#: Whole texts (of a button, a label) that are English.
ENGLISH_WHOLE_TEXTS = ("Yes", "No", "Done", "Commit", "Continue", "Go Back", "Name", "Type")

#: Indonesian words that must not appear in the English interface (the regulation's own
#: terms, like predikat or the BerAKHLAK values, and people's data are allowed).
INDONESIAN_WORDS = (
    "Batal",
    "Simpan",
    "Buang",
    "Tutup",
    "Kembali",
    "Lanjut",
    "Selesai",
    "Cari",
    "Pilih",
    "Hapus",
    "Ubah",
    "Tambah",
    "Berkas",
    "berkas",
    "Kata sandi",
    "kata sandi",
    "Muat ulang",
    "Keluar",
    "Masuk",
    "belum",
    "sudah",
    "yang",
    "untuk",
    "tidak",
    "Tidak",
    "atau",
    "Lihat",
    "Tampilkan",
    "Semua",
    "Folder data",
    "Nama berkas",
    "Jenis berkas",
    "Ekspor",
    "Impor",
    "Unduh",
    "Pengguna",
    "Pengaturan",
    # Month names that differ from English ("28 Desember 2026" in an English sentence).
    "Januari",
    "Februari",
    "Maret",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "Oktober",
    "Desember",
)
INDONESIAN_WHOLE_TEXTS = ("Ya", "Tidak", "Nama", "Tanggal", "Halaman")

_TAGS = re.compile(r"<[^>]+>")


def _plain(text: str) -> str:
    """Rich text as plain text; accelerators (``&Save``) without their ampersand."""
    if not text:
        return ""
    if "<" in text and ">" in text:
        text = QTextDocumentFragment.fromHtml(text).toPlainText()
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def _own_texts(widget: QWidget) -> list[str]:  # noqa: C901 (long: one branch per kind of widget text)
    out = [widget.toolTip()]
    if widget.isWindow():
        out.append(widget.windowTitle())
    if isinstance(widget, QLabel):
        out.append(widget.text())
    elif isinstance(widget, QAbstractButton):
        out.append(widget.text())
    elif isinstance(widget, QGroupBox):
        out.append(widget.title())
    elif isinstance(widget, QLineEdit):
        out.append(widget.placeholderText())
    elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
        out.append(widget.placeholderText())
    elif isinstance(widget, QComboBox):
        out.extend(widget.itemText(i) for i in range(widget.count()))
    elif isinstance(widget, QTabBar):
        out.extend(widget.tabText(i) for i in range(widget.count()))
    elif (
        isinstance(widget, QHeaderView)
        and widget.orientation() == Qt.Orientation.Horizontal
        and widget.model() is not None
    ):
        model = widget.model()
        for section in range(widget.count()):
            if not widget.isSectionHidden(section):
                out.append(str(model.headerData(section, Qt.Orientation.Horizontal) or ""))
    if isinstance(widget, QMessageBox):
        out.extend((widget.text(), widget.informativeText()))
    if isinstance(widget, QWizard):
        page = widget.currentPage()
        if page is not None:
            out.extend((page.title(), page.subTitle()))
    for action in widget.actions():
        out.append(action.text())
        menu = action.menu()
        if isinstance(menu, QMenu):
            out.extend(a.text() for a in menu.actions())
    return out


def visible_texts(root: QWidget, *, include_hidden: bool = False) -> list[str]:
    """The chrome texts of ``root`` and its descendants (shown ones unless ``include_hidden``)."""
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not include_hidden and widget is not root and not widget.isVisibleTo(root):
            continue
        texts.extend(_plain(t) for t in _own_texts(widget))
    return [t for t in dict.fromkeys(texts) if t]


def _pattern(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])")


def foreign_words(texts: Iterable[str], language: str) -> list[tuple[str, str]]:
    """``(word, text)`` for every word of the other language found in ``texts``."""
    words, whole = (
        (ENGLISH_WORDS, ENGLISH_WHOLE_TEXTS) if language == "id" else (INDONESIAN_WORDS, INDONESIAN_WHOLE_TEXTS)
    )
    pattern = _pattern(words)
    found = []
    for text in texts:
        if text.strip().rstrip(":…") in whole:
            found.append((text.strip(), text))
            continue
        for match in pattern.finditer(text):
            found.append((match.group(1), text))
    return found
