"""The services' name for :mod:`kinerja_desktop.progress` (the store reports progress too,
and must not load the services layer to do it)."""

from kinerja_desktop.progress import Cancelled, Job, Progress, run

__all__ = ["Cancelled", "Job", "Progress", "run"]
