"""The shape of the code: no function over ~60 lines without its reason written beside it.

Lines are counted as ``ruff format`` lays the code out, without blank lines, comments and
the docstring. A longer function carries ``# long: <reason>`` on the line above its ``def``
or on its signature (or, where ruff's PLR0915/C901 flag it too, ``# noqa: PLR0915 (long:
<reason>)``), or a docstring that says "Long because ...". ruff's PLR0915 (max-statements =
60, pyproject.toml) checks the same limit in statements.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from kinerja_desktop.services.access.principal import (
    ADMIN_KEPEGAWAIAN,
    ADMINISTRATOR,
    ATASAN_PEJABAT_PENILAI,
    PEGAWAI,
    PEJABAT_PENILAI,
)

PACKAGE = Path(__file__).resolve().parents[2] / "kinerja_desktop"
MAX_LINES = 60
REASON = re.compile(r"#.*\blong: \w+")


def code_lines(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> int:
    """The function's body lines that hold code (not blank, not a comment, not the docstring)."""
    start = node.body[0].lineno
    if ast.get_docstring(node) is not None:
        start = (node.body[0].end_lineno or start) + 1
    return sum(1 for line in lines[start - 1 : node.end_lineno] if line.strip() and not line.lstrip().startswith("#"))


def long_functions_without_reason() -> list[str]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if code_lines(node, lines) <= MAX_LINES:
                continue
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            signature = lines[first - 2 : first - 1] + lines[node.lineno - 1 : node.body[0].lineno - 1]
            if any(REASON.search(line) for line in signature) or "Long because" in (ast.get_docstring(node) or ""):
                continue
            out.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}")
    return out


def test_long_functions_say_why():
    assert long_functions_without_reason() == []


def test_the_check_finds_an_unexplained_long_function(tmp_path, monkeypatch):
    package = tmp_path / "kinerja_desktop"
    package.mkdir()
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES + 1))
    (package / "long.py").write_text(f"def too_long():\n{body}\n\n\ndef fine():  # long: a reason\n{body}\n")
    monkeypatch.setitem(long_functions_without_reason.__globals__, "PACKAGE", package)
    assert long_functions_without_reason() == ["kinerja_desktop/long.py:1 too_long"]


def role_literals_compared_in_the_window() -> list[str]:
    """Comparisons of a principal's role with a role's name written out in ``ui/`` (the
    window asks ``allows(principal, action)``; the roles live in ``access.principal``)."""
    roles = {ADMINISTRATOR, ADMIN_KEPEGAWAIAN, PEJABAT_PENILAI, ATASAN_PEJABAT_PENILAI, PEGAWAI}
    out = []
    for path in sorted((PACKAGE / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            for side in (node.left, *node.comparators):
                values = side.elts if isinstance(side, ast.Tuple | ast.List | ast.Set) else [side]
                if any(isinstance(v, ast.Constant) and v.value in roles for v in values):
                    out.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return out


def test_the_window_names_no_role_in_a_comparison():
    assert role_literals_compared_in_the_window() == []
