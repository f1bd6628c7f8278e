"""Where the data folder is, when the person chose one in the first-run wizard.

The choice is a small JSON file in the per-user configuration folder (it cannot live in
the data folder it points to). ``--data-dir`` and ``KINERJA_HOME`` still win over it.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import platformdirs

from kinerja_desktop import files, paths

log = logging.getLogger("kinerja.ui")

FILENAME = "data-location.json"


def location_file() -> Path:
    return platformdirs.user_config_path(paths.APP_NAME, paths.APP_AUTHOR) / FILENAME


def chosen_data_dir() -> Path | None:
    """The folder recorded by :func:`remember_data_dir`, if any and readable."""
    try:
        data = json.loads(location_file().read_text(encoding="utf-8"))
        folder = data.get("data_dir")
        return Path(folder) if folder else None
    except (OSError, ValueError, AttributeError):
        return None


def remember_data_dir(folder: Path) -> None:
    target = location_file()
    files.write_atomic(target, json.dumps({"data_dir": str(folder)}, ensure_ascii=False, indent=2))
    log.info("data folder set to %s", folder)


def apply_chosen_data_dir(explicit: str | None = None) -> None:
    """Use the remembered folder unless ``--data-dir`` or ``KINERJA_HOME`` says otherwise."""
    if explicit or os.environ.get("KINERJA_HOME"):
        return
    folder = chosen_data_dir()
    if folder is not None:
        paths.set_data_dir(folder)
