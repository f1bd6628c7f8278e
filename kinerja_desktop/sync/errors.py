"""Refusals a person can act on: each carries one Indonesian sentence."""

from __future__ import annotations

from kinerja_desktop.errors import UserError
from kinerja_desktop.i18n import _


class SyncError(UserError):
    """A sync operation could not be done; nothing was changed."""


class BundleRefused(SyncError):
    """A bundle file was refused (damaged, forged, not for this site, too new...)."""


class NotEnrolled(SyncError):
    """This site has no pinned peer to exchange bundles with yet."""


class FingerprintNeeded(BundleRefused):
    """A first enrollment waits for a person to confirm the central key's fingerprint."""

    def __init__(self, fingerprint: str, central: str) -> None:
        self.fingerprint = fingerprint
        self.central = central
        super().__init__(
            _(
                "Ini bundel pendaftaran dari kantor pusat {central}. Sidik jari kuncinya: {fp}. Cocokkan dengan sidik "
                'jari yang dibacakan BKPSDM, lalu impor lagi dengan --fingerprint "{fp}"; belum ada yang '
                "diubah."
            ).format(central=central[:80], fp=fingerprint)
        )
