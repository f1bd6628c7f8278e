"""What a page's first show costs in imports: cold, and after the background import that
starts shortly after sign-in (``launch.LATER_MODULES``), in one run.

    python benchmarks/bench_page_show.py [--runs 5] [--before PATH]

Each measurement is a fresh process that imports the window (as a started program has),
then times the import of one page's module: the work the UI thread does the first time the
page is opened. "cold" opens the page before anything else loaded the document stacks;
"warmed" first runs the background import the launcher starts 1.5 s after sign-in (not
timed) and then opens the page. ``--before PATH`` adds the same cold measurement on another
checkout of the project (for example the revision before imports were moved to the top),
run with this interpreter. Prints a Markdown table of medians with ratios to "cold".
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "Penilaian": "kinerja_desktop.ui.pages.penilaian.page",
    "Dokumen": "kinerja_desktop.ui.pages.documents",
    "Pengaduan": "kinerja_desktop.ui.pages.pengaduan.page",
}

PROBE = """
import importlib, sys, time
import kinerja_desktop.ui.window
if {warm}:
    from kinerja_desktop.ui.launch import LATER_MODULES, import_modules
    import_modules(LATER_MODULES)
start = time.perf_counter()
importlib.import_module({module!r})
print((time.perf_counter() - start) * 1000)
"""


def measure(root: Path, module: str, *, warm: bool, runs: int) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", PROBE.format(warm=warm, module=module)],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--before", type=Path, help="another checkout to measure cold, for comparison")
    args = ap.parse_args(argv)
    head = "| page | cold | warmed | warmed / cold |"
    line = "|---|---:|---:|---:|"
    if args.before:
        head += " before (cold) | warmed / before |"
        line += "---:|---:|"
    print(head)
    print(line)
    for label, module in PAGES.items():
        cold = measure(ROOT, module, warm=False, runs=args.runs)
        warmed = measure(ROOT, module, warm=True, runs=args.runs)
        row = f"| {label} | {cold:.0f} ms | {warmed:.0f} ms | {warmed / cold:.2f}× |"
        if args.before:
            before = measure(args.before.resolve(), module, warm=False, runs=args.runs)
            row += f" {before:.0f} ms | {warmed / before:.2f}× |"
        print(row, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
