"""Beranda: the numbers that matter at a glance, this site's identity, quick actions.

Later features add cards with :func:`register_card` (a factory taking the context and
returning a widget, and a role predicate).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kinerja_desktop.errors import UserError
from kinerja_desktop.formatting import number_text
from kinerja_desktop.i18n import _
from kinerja_desktop.services.access.permissions import ROSTER_WIDE_ROLES
from kinerja_desktop.services.access.principal import SUPERVISOR_ROLES, Principal
from kinerja_desktop.services.access.role_rules import allows
from kinerja_desktop.services.access.users import person_name
from kinerja_desktop.services.roster.query import RosterFilter, count_employees, unit_tree
from kinerja_desktop.sync.peers import local_site
from kinerja_desktop.ui.context import AppContext, manages_roster, role_label
from kinerja_desktop.ui.dialogs.export import export_roster_dialog
from kinerja_desktop.ui.pages import load_cards
from kinerja_desktop.ui.pages.base import Page
from kinerja_desktop.ui.theme import scaled_font


@dataclass(frozen=True)
class CardSpec:
    key: str
    factory: Callable[[AppContext], QWidget]
    allowed: Callable[[Principal], bool] = lambda _p: True
    order: int = 100


_CARDS: dict[str, CardSpec] = {}


def register_card(spec: CardSpec) -> None:
    _CARDS[spec.key] = spec


class Card(QFrame):
    """A framed box with a title, a big number and a line of explanation."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        self.title = QLabel(title)
        self.title.setWordWrap(True)
        self.value = QLabel("…")
        self.value.setFont(scaled_font(self.value, 2.2, bold=True))
        self.note = QLabel("")
        self.note.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.note)
        layout.addStretch(1)

    def set_value(self, value: str, note: str = "") -> None:
        self.value.setText(value)
        self.note.setText(note)
        self.note.setVisible(bool(note))


def _count_text(n: int) -> str:
    return number_text(n)


class HomePage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:  # noqa: PLR0915 (long: builds the widgets top to bottom, one field or button a line)
        super().__init__(ctx, parent)
        p = ctx.principal
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        scroll.setWidget(body)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(12)

        heading = QLabel(_("Beranda"))
        heading.setFont(scaled_font(heading, 1.5, bold=True))
        layout.addWidget(heading)
        self.greeting = QLabel(_("Selamat datang. Anda masuk sebagai {role}.").format(role=role_label(p.role)))
        self.greeting.setObjectName("greeting")
        self.greeting.setWordWrap(True)
        layout.addWidget(self.greeting)

        grid = QGridLayout()
        grid.setSpacing(12)
        chain = p.role in SUPERVISOR_ROLES
        self.card_active = Card(_("Pegawai aktif di bawah Anda") if chain else _("Pegawai aktif"))
        self.card_pns = Card(_("PNS"))
        self.card_pppk = Card(_("PPPK"))
        self.card_units = Card(_("Unit kerja"))
        for col, card in enumerate((self.card_active, self.card_pns, self.card_pppk, self.card_units)):
            grid.addWidget(card, 0, col)
            grid.setColumnStretch(col, 1)
        layout.addLayout(grid)

        #: A pegawai has no roster: the counts and the roster actions are not theirs.
        self.shows_roster = allows(p, "page.roster")
        for card in (self.card_active, self.card_pns, self.card_pppk, self.card_units):
            card.setVisible(self.shows_roster)

        # This site.
        site_box = QFrame()
        site_box.setFrameShape(QFrame.Shape.StyledPanel)
        site_layout = QVBoxLayout(site_box)
        site_layout.setContentsMargins(14, 10, 14, 12)
        site_title = QLabel(_("Kantor ini"))
        site_title.setFont(scaled_font(site_title, 1.1, bold=True))
        site_layout.addWidget(site_title)
        self.site_name = QLabel("")
        self.site_name.setWordWrap(True)
        self.site_name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        site_layout.addWidget(self.site_name)
        layout.addWidget(site_box)

        # Quick actions.
        actions = QHBoxLayout()
        self.import_button = QPushButton(_("Impor pegawai…"))
        self.export_button = QPushButton(_("Ekspor daftar pegawai…"))
        self.roster_button = QPushButton(_("Buka daftar pegawai"))
        self.import_button.setVisible(manages_roster(p))
        self.export_button.setVisible(p.is_system or p.role in ROSTER_WIDE_ROLES)
        for button in (self.roster_button, self.import_button, self.export_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.import_button.clicked.connect(self.import_roster)
        self.export_button.clicked.connect(self.export_roster)
        self.roster_button.clicked.connect(lambda: self._go("employees"))
        self.roster_button.setVisible(self.shows_roster)

        # Cards added by later features (their modules register them when first imported).

        load_cards()
        self.extra_cards: list[QWidget] = []
        for spec in sorted(_CARDS.values(), key=lambda s: s.order):
            if spec.allowed(p):
                card = spec.factory(ctx)
                self.extra_cards.append(card)
                layout.addWidget(card)
        layout.addStretch(1)
        self._loaded = False
        self.refresh_on("employees", "units", "skp", "evaluations", "training", "competency", "complaints")

    def activated(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:

        principal = self.ctx.principal
        db = self.ctx.db

        shows_roster = self.shows_roster

        def work(session):
            def count_units(nodes) -> int:
                return sum(1 + count_units(n.children) for n in nodes)

            if not shows_roster:  # a pegawai: their name and this site only
                return {
                    "active": 0,
                    "pns": 0,
                    "pppk": 0,
                    "units": 0,
                    "site": _site_identity(session, db),
                    "name": person_name(session, principal),
                }
            return {
                "active": count_employees(session, principal, RosterFilter(active=True)),
                "pns": count_employees(session, principal, RosterFilter(active=True, status="PNS")),
                "pppk": count_employees(session, principal, RosterFilter(active=True, status="PPPK")),
                "units": count_units(unit_tree(session)),
                "site": _site_identity(session, db),
                "name": person_name(session, principal),
            }

        self.ctx.runner.submit(work, self._show, owner=self)
        for card in self.extra_cards:
            refresh = getattr(card, "refresh", None)
            if refresh:
                refresh()

    def _show(self, data: dict) -> None:
        self._loaded = True
        self.greeting.setText(
            _("Selamat datang, {name}. Anda masuk sebagai {role}.").format(
                name=data["name"], role=role_label(self.ctx.principal.role)
            )
        )
        self.card_active.set_value(_count_text(data["active"]))
        self.card_pns.set_value(_count_text(data["pns"]))
        self.card_pppk.set_value(_count_text(data["pppk"]))
        self.card_units.set_value(_count_text(data["units"]))
        name, site_id, path = data["site"]
        lines = [
            name or _("(nama kantor belum diisi)"),
            _("Kode situs: {site}").format(site=site_id),
            _("Basis data: {path}").format(path=path),
        ]
        self.site_name.setText("\n".join(lines))

    def _go(self, key: str) -> None:
        window = self.ctx.window
        if window is not None:
            window.show_page(key)

    def import_roster(self) -> None:
        page = self._go_page("employees")
        if page is not None:
            page.import_file()

    def export_roster(self) -> None:

        export_roster_dialog(self.ctx, self)

    def _go_page(self, key: str):
        window = self.ctx.window
        return window.show_page(key) if window is not None else None


def _site_identity(session, db) -> tuple[str, str, str]:
    """(office name, site id, database) of this installation."""

    try:
        name = local_site(session).name
    except UserError:  # a database without its site row still shows the rest
        name = ""
    return name, db.site_id, str(db.path) if db.path else db.url
