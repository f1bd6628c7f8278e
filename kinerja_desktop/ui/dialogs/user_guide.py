"""Bantuan › Panduan pengguna (F1): the README's user guide inside the program.

The guide is the "User guide" section of ``README.md`` (shipped with the packaged program
under ``resources/docs``), shown as formatted text with its screenshots where they are
installed (a source tree has them; the packaged program leaves them out for size and
shows their captions instead). A search field finds words in it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop import paths
from kinerja_desktop.i18n import _
from kinerja_desktop.ui.theme import MessageLabel

GUIDE_HEADING = "## User guide"
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")


def readme_path() -> Path | None:
    """The README this installation has (packaged: ``resources/docs``; source: the repository)."""
    candidates = [paths.resources_dir() / "docs" / "README.md"]
    if not getattr(sys, "frozen", False):
        candidates.append(Path(__file__).resolve().parents[3] / "README.md")
    return next((p for p in candidates if p.is_file()), None)


def user_guide_markdown(readme: str, folder: Path) -> str:
    """The user-guide section of ``readme``; pictures missing under ``folder`` become their caption."""
    start = readme.find(GUIDE_HEADING)
    if start < 0:
        return readme
    end = readme.find("\n## ", start + len(GUIDE_HEADING))
    section = readme[start : end if end > 0 else len(readme)]

    def picture(match: re.Match[str]) -> str:
        alt, target = match.group(1), match.group(2)
        return match.group(0) if (folder / target).is_file() else f"*[{alt}]*"

    return _IMAGE.sub(picture, section)


class UserGuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Panduan pengguna — Kinerja Desktop"))
        layout = QVBoxLayout(self)
        note = QLabel(
            _("Panduan ini berasal dari README program (berbahasa Inggris). Ketik kata yang dicari lalu tekan Enter.")
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("guideSearch")
        self.search.setPlaceholderText(_("Cari di panduan… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        row.addWidget(self.search, 1)
        layout.addLayout(row)
        self.browser = QTextBrowser()
        self.browser.setObjectName("guideText")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._open_link)
        layout.addWidget(self.browser, 1)
        self.message = MessageLabel(self)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.search.returnPressed.connect(self.find_next)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self._focus_search)
        self.resize(960, 680)
        self.load()

    def load(self) -> None:
        path = readme_path()
        if path is None:
            self.browser.clear()
            self.message.show_message(
                _(
                    "Panduan pengguna (README.md) tidak ikut terpasang. Pasang ulang program "
                    "atau baca README di folder program."
                )
            )
            return
        self.folder = path.parent
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(path.parent) + "/"))
        self.browser.setMarkdown(user_guide_markdown(path.read_text(encoding="utf-8"), path.parent))
        self._fit_images()
        self.message.clear_message()

    def _fit_images(self, width: int = 880) -> None:
        """Screenshots at a readable size: the text's width, or a table cell's share of it."""
        document = self.browser.document()
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.isValid() and fragment.charFormat().isImageFormat():
                    image = fragment.charFormat().toImageFormat()
                    cursor = QTextCursor(document)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                    table = cursor.currentTable()
                    share = width // table.columns() - 24 if table is not None else width
                    size = QImage(str(self.folder / image.name())).size()
                    if size.width() > 0:
                        shown = min(share, size.width())
                        image.setWidth(shown)
                        image.setHeight(size.height() * shown / size.width())
                        cursor.setCharFormat(image)
                it += 1
            block = block.next()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def find_next(self) -> bool:
        """Select the next place where the searched text occurs (from the top again at the end)."""
        text = self.search.text().strip()
        if not text:
            return False
        found = self.browser.find(text)
        if not found:
            cursor = self.browser.textCursor()
            cursor.movePosition(cursor.MoveOperation.Start)
            self.browser.setTextCursor(cursor)
            found = self.browser.find(text)
        if found:
            self.message.clear_message()
        else:
            self.message.show_message(_("“{text}” tidak ada di panduan.").format(text=text))
        return found

    def _open_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        target = Path(url.toLocalFile()) if url.isLocalFile() else None
        if target is not None and target.is_file() and target.suffix.lower() == ".md":
            self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(target.parent) + "/"))
            self.browser.setMarkdown(target.read_text(encoding="utf-8"))
            return
        if target is not None and target.exists():
            QDesktopServices.openUrl(url)
