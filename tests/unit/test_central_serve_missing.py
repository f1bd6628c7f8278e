"""The office build leaves the server's web stack out; `central serve` then says so."""

import subprocess
import sys

SCRIPT = """
import sys
for name in ("fastapi", "starlette", "uvicorn", "pydantic"):
    sys.modules[name] = None
from kinerja_desktop.cli import main
sys.exit(main(["--data-dir", sys.argv[1], "central", "serve", "--db", "postgresql://x@127.0.0.1/y"]))
"""


def test_central_serve_without_the_web_stack_is_a_clear_refusal(tmp_path):
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "tidak termasuk dalam program terpasang" in done.stderr
    assert "Traceback" not in done.stderr
