"""Kinerja Desktop: performance management for the civil servants (ASN) of Kabupaten Batanghari."""

__version__ = "0.1.0"
#: The date this version was released; a system clock earlier than this is surely wrong.
RELEASE_DATE = "2026-11-28"
