"""The pages of the main window, registered so later features add theirs.

The registry holds, for each page, where its class lives (module path and class name), its
title and who may open it; a page's module is imported only when the page is first shown.
That keeps the main window's start light: this module, like ``ui.window`` and ``ui.launch``,
imports neither the store, the services nor SQLAlchemy, and must never import a page module
at its top level. A feature adds its page here with :func:`register_page` once the page
exists (the navigation never shows an empty page), and its Beranda cards in
:data:`CARD_MODULES` (imported when the Beranda is first built).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kinerja_desktop.i18n import N_
from kinerja_desktop.ui.context import allows, handles_complaints, is_administrator, manages_roster

if TYPE_CHECKING:  # pragma: no cover
    from kinerja_desktop.services.access.principal import Principal
    from kinerja_desktop.ui.context import AppContext


def everyone(_principal: Principal) -> bool:
    return True


@dataclass(frozen=True)
class LazyPage:
    """A page class named by module path and class name, imported on first use."""

    module: str
    name: str

    def load(self) -> type:
        return getattr(importlib.import_module(self.module), self.name)

    def __call__(self, ctx: AppContext):
        return self.load()(ctx)


def lazy(module: str, name: str) -> LazyPage:
    """A page factory that imports ``module`` only when the page is first opened."""
    return LazyPage(module, name)


@dataclass(frozen=True)
class PageSpec:
    key: str
    #: Indonesian source title marked with N_; translated when shown.
    title: str
    #: Makes the page from the context: normally :func:`lazy` (module path + class name).
    factory: Callable[[AppContext], object]
    allowed: Callable[[Principal], bool] = everyone
    order: int = 100
    #: The navigation icon: a drawing in ``resources/icons/nav/<icon>.svg``, else the name of a
    #: QStyle.StandardPixmap (see ``ui.nav_icons``). Each page has its own.
    icon: str | None = None

    @property
    def module(self) -> str | None:
        """The module the page lives in (imported when the page is first shown)."""
        return getattr(self.factory, "module", None)


_REGISTRY: dict[str, PageSpec] = {}

#: Modules that add Beranda cards (``ui.pages.home.register_card``); imported by the
#: Beranda when it is first built, never at start-up.
CARD_MODULES: list[str] = []


def register_page(spec: PageSpec) -> None:
    _REGISTRY[spec.key] = spec


def register_cards(module: str) -> None:
    if module not in CARD_MODULES:
        CARD_MODULES.append(module)


def load_cards() -> None:
    """Import the modules that register Beranda cards (once; Python keeps them)."""
    for module in CARD_MODULES:
        importlib.import_module(module)


def pages_for(principal: Principal) -> list[PageSpec]:
    """The pages this person may open, in navigation order."""
    return sorted((s for s in _REGISTRY.values() if s.allowed(principal)), key=lambda s: s.order)


def page_spec(key: str) -> PageSpec | None:
    return _REGISTRY.get(key)


register_page(PageSpec("home", N_("Beranda"), lazy("kinerja_desktop.ui.pages.home", "HomePage"), order=10, icon="home"))
register_page(
    PageSpec(
        "employees",
        N_("Pegawai"),
        lazy("kinerja_desktop.ui.pages.employees", "EmployeesPage"),
        allowed=lambda p: allows(p, "page.roster"),
        order=20,
        icon="employees",
    )
)
register_page(
    PageSpec(
        "documents",
        N_("Dokumen"),
        lazy("kinerja_desktop.ui.pages.documents", "DocumentsPage"),
        order=60,
        icon="documents",
    )
)
register_page(
    PageSpec(
        "pelatihan",
        N_("Pelatihan"),
        lazy("kinerja_desktop.ui.pages.pelatihan.page", "PelatihanPage"),
        order=40,
        icon="pelatihan",
    )
)
register_page(
    PageSpec(
        "kompetensi",
        N_("Kompetensi"),
        lazy("kinerja_desktop.ui.pages.kompetensi", "KompetensiPage"),
        order=45,
        icon="kompetensi",
    )
)
register_page(
    PageSpec(
        "angka_kredit",
        N_("Angka Kredit"),
        lazy("kinerja_desktop.ui.pages.angka_kredit", "AngkaKreditPage"),
        order=47,
        icon="angka_kredit",
    )
)
register_page(
    PageSpec(
        "audit",
        N_("Jejak Audit"),
        lazy("kinerja_desktop.ui.pages.audit", "AuditPage"),
        allowed=is_administrator,
        order=80,
        icon="audit",
    )
)
register_page(
    PageSpec(
        "settings",
        N_("Pengaturan"),
        lazy("kinerja_desktop.ui.pages.settings.page", "SettingsPage"),
        order=90,
        icon="settings",
    )
)
# The Penilaian Kinerja page (registered here only); its Beranda card lives in penilaian.cards.
register_page(
    PageSpec(
        "penilaian",
        N_("Penilaian Kinerja"),
        lazy("kinerja_desktop.ui.pages.penilaian.page", "PenilaianPage"),
        allowed=lambda p: allows(p, "page.penilaian"),
        order=30,
        icon="penilaian",
    )
)
register_cards("kinerja_desktop.ui.pages.penilaian.cards")
register_page(
    PageSpec(
        "sync",
        N_("Sinkronisasi"),
        lazy("kinerja_desktop.ui.pages.sync.page", "SyncPage"),
        allowed=manages_roster,
        order=70,
        icon="sync",
    )
)
register_page(
    PageSpec(
        "conflicts",
        N_("Konflik"),
        lazy("kinerja_desktop.ui.pages.sync.conflicts", "ConflictsPage"),
        allowed=manages_roster,
        order=71,
        icon="conflicts",
    )
)
register_page(
    PageSpec(
        "offices",
        N_("Kantor"),
        lazy("kinerja_desktop.ui.pages.sync.offices", "OfficesPage"),
        allowed=manages_roster,
        order=72,
        icon="offices",
    )
)
register_cards("kinerja_desktop.ui.pages.pelatihan.jp_card")  # the Beranda card of the 20 JP rule
register_page(
    PageSpec(
        "pengaduan",
        N_("Pengaduan"),
        lazy("kinerja_desktop.ui.pages.pengaduan.page", "PengaduanPage"),
        allowed=handles_complaints,
        order=50,
        icon="pengaduan",
    )
)
register_cards("kinerja_desktop.ui.pages.pengaduan.card")  # overdue complaints and the unit's figures
register_cards("kinerja_desktop.ui.pages.pegawai.card")  # what is waiting for the signed-in person
register_page(
    PageSpec(
        "pegawai_saya",
        N_("Kinerja Saya"),
        lazy("kinerja_desktop.ui.pages.pegawai.page", "KinerjaSayaPage"),
        allowed=lambda p: allows(p, "page.pegawai_saya"),
        order=15,
        icon="kinerja_saya",
    )
)
register_page(
    PageSpec(
        "keberatan",
        N_("Keberatan"),
        lazy("kinerja_desktop.ui.pages.pegawai.keberatan_page", "KeberatanPage"),
        allowed=lambda p: allows(p, "page.keberatan"),
        order=35,
        icon="keberatan",
    )
)
register_page(
    PageSpec(
        "pegawai_accounts",
        N_("Akun Pegawai"),
        lazy("kinerja_desktop.ui.pages.pegawai.accounts_page", "AccountsPage"),
        allowed=lambda p: allows(p, "accounts.create_for_unit"),
        order=85,
        icon="akun_pegawai",
    )
)
