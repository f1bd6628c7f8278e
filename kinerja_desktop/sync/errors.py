"""Refusals a person can act on: each carries one Indonesian sentence."""

from __future__ import annotations

from kinerja_desktop.errors import UserError


class SyncError(UserError):
    """A sync operation could not be done; nothing was changed."""


class BundleRefused(SyncError):
    """A bundle file was refused (damaged, forged, not for this site, too new...)."""


class NotEnrolled(SyncError):
    """This site has no pinned peer to exchange bundles with yet."""
