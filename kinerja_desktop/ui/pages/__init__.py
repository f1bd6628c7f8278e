"""The pages of the main window, registered so later features add theirs.

A feature adds a page with :func:`register_page` (typically from this module's list at
the bottom) once the page exists: the navigation never shows an empty page. Factories
import their module lazily, so start-up does not pay for pages nobody opens.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from kinerja_desktop.i18n import N_
from kinerja_desktop.services.principal import Principal
from kinerja_desktop.ui.context import AppContext, is_administrator, manages_roster


def everyone(_principal: Principal) -> bool:
    return True


@dataclass(frozen=True)
class PageSpec:
    key: str
    #: Indonesian source title marked with N_; translated when shown.
    title: str
    factory: Callable[[AppContext], object]
    allowed: Callable[[Principal], bool] = everyone
    order: int = 100
    #: Name of a QStyle.StandardPixmap for the navigation icon (optional).
    icon: str | None = None


_REGISTRY: dict[str, PageSpec] = {}


def register_page(spec: PageSpec) -> None:
    _REGISTRY[spec.key] = spec


def pages_for(principal: Principal) -> list[PageSpec]:
    """The pages this person may open, in navigation order."""
    return sorted((s for s in _REGISTRY.values() if s.allowed(principal)), key=lambda s: s.order)


def page_spec(key: str) -> PageSpec | None:
    return _REGISTRY.get(key)


def lazy(module: str, name: str) -> Callable[[AppContext], object]:
    """A factory that imports ``module`` only when the page is first opened."""

    def make(ctx: AppContext):
        cls = getattr(importlib.import_module(module), name)
        return cls(ctx)

    return make


register_page(PageSpec("home", N_("Beranda"), lazy("kinerja_desktop.ui.pages.home", "HomePage"),
                       order=10, icon="SP_DirHomeIcon"))
register_page(PageSpec("employees", N_("Pegawai"),
                       lazy("kinerja_desktop.ui.pages.employees", "EmployeesPage"),
                       order=20, icon="SP_FileDialogDetailedView"))
register_page(PageSpec("documents", N_("Dokumen"), lazy("kinerja_desktop.ui.pages.documents", "DocumentsPage"), order=60, icon="SP_FileDialogListView"))
register_page(PageSpec("pelatihan", N_("Pelatihan"), lazy("kinerja_desktop.ui.pages.pelatihan", "PelatihanPage"), order=40, icon="SP_FileDialogListView"))  # noqa: E501
register_page(PageSpec("kompetensi", N_("Kompetensi"), lazy("kinerja_desktop.ui.pages.kompetensi", "KompetensiPage"), order=45, icon="SP_FileDialogInfoView"))  # noqa: E501
register_page(PageSpec("audit", N_("Jejak Audit"), lazy("kinerja_desktop.ui.pages.audit", "AuditPage"),
                       allowed=is_administrator, order=80, icon="SP_FileDialogContentsView"))
register_page(PageSpec("settings", N_("Pengaturan"),
                       lazy("kinerja_desktop.ui.pages.settings", "SettingsPage"),
                       order=90, icon="SP_FileDialogInfoView"))
from kinerja_desktop.ui.pages import penilaian_cards  # noqa: E402,F401  (Penilaian page + Beranda card)
register_page(PageSpec("sync", N_("Sinkronisasi"), lazy("kinerja_desktop.ui.pages.sync_page", "SyncPage"),
                       allowed=manages_roster, order=70, icon="SP_BrowserReload"))
register_page(PageSpec("conflicts", N_("Konflik"), lazy("kinerja_desktop.ui.pages.conflicts_page", "ConflictsPage"),
                       allowed=manages_roster, order=71, icon="SP_MessageBoxWarning"))

from kinerja_desktop.ui.pages import jp_card  # noqa: E402,F401  (the Beranda card of the 20 JP rule)
