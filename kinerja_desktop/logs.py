"""Logging to a rotating file in the log folder (and to stderr when there is a console)."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler

from kinerja_desktop import paths

LOG_NAME = "kinerja.log"


def log_file():
    return paths.locations().logs / LOG_NAME


def setup_logging(console: bool = False, level: int = logging.INFO) -> None:
    root = logging.getLogger("kinerja")
    if getattr(root, "_kinerja_configured", False):
        return
    root.setLevel(level)
    try:
        target = log_file()
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(target, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    except OSError:  # a read-only data folder must not stop the program
        pass
    # Nothing goes to a console: a windowed build has none (sys.stderr is None), and the
    # command line prints its own one-sentence messages instead of tracebacks.
    root._kinerja_configured = True  # type: ignore[attr-defined]
