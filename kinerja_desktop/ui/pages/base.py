"""The base of every page in the main window's navigation."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kinerja_desktop.ui.context import AppContext
from kinerja_desktop.ui.theme import scaled_font


class Page(QWidget):
    """A page: the main window forwards Ctrl+F, Ctrl+N and F5 to the current one."""

    #: Whether the page has a search field (Ctrl+F) or can create something (Ctrl+N).
    has_search = False
    has_new = False

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        #: Data this page shows changed while it was hidden: refreshed when shown next.
        self.stale = False

    def refresh_on(self, *kinds: str) -> None:
        """Refresh when a write changes any of ``kinds`` (see ``ui.operations``): at once
        when the page is visible, else when it is shown next."""
        self.ctx.bus.subscribe(kinds, self.data_changed, self)

    def data_changed(self) -> None:
        if self.isVisible():
            self.stale = False
            self.refresh()
        else:
            self.stale = True

    def show_page(self) -> None:
        """The window shows this page: refresh it first if its data changed meanwhile."""
        if self.stale:
            self.stale = False
            self.refresh()
        self.activated()

    def activated(self) -> None:
        """Called each time the page is shown."""

    def refresh(self) -> None:
        """F5: read everything again."""

    def focus_search(self) -> None:
        """Ctrl+F."""

    def new_item(self) -> None:
        """Ctrl+N."""

    def page_layout(self, title: str, subtitle: str | None = None) -> QVBoxLayout:
        """A vertical layout that starts with the page's heading."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        heading = QLabel(title)
        heading.setObjectName("pageHeading")
        heading.setFont(scaled_font(heading, 1.5, bold=True))
        layout.addWidget(heading)
        if subtitle:
            sub = QLabel(subtitle)
            sub.setWordWrap(True)
            layout.addWidget(sub)
        self.heading = heading
        return layout
