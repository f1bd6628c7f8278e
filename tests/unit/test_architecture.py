"""The layer contracts of pyproject.toml ([tool.importlinter]) are part of the test suite.

The core (domain, store, services, reports, sync) must not import PySide6 or the UI, and the
domain must stay pure; ``lint-imports`` checks every import of the package.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold():
    exe = Path(sys.executable).parent / ("lint-imports.exe" if sys.platform == "win32" else "lint-imports")
    assert exe.exists(), f"import-linter is not installed next to {sys.executable} (pip install -e '.[test]')"
    result = subprocess.run([str(exe), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
