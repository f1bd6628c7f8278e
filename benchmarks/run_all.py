"""Run every benchmark in this folder, one after another, and print their tables.

Each script measures a baseline in the same run and prints ratios, so the numbers are
comparable on a noisy machine. ``make bench`` runs this; pass script names to pick some.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if s.stem in argv or s.name in argv]
    failed = 0
    env = {**os.environ, "KINERJA_DB_KEY": os.environ.get("KINERJA_DB_KEY", "be" * 32)}  # see scratch_key.py
    for script in scripts:
        print(f"\n## {script.stem}\n", flush=True)
        rc = subprocess.call([sys.executable, str(script)], cwd=HERE.parent, env=env)
        if rc:
            print(f"{script.name} exited {rc}", flush=True)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
