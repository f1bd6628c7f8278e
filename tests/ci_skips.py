"""A pytest plugin: with ``CI=true`` a test skipped because a tool is missing fails instead.

CI must have every tool (poppler, PostgreSQL, LibreOffice, Chromium): a quiet skip there
would hide that a check never ran. ``tests/conftest.py`` loads this hook; locally a missing
tool still skips with its reason.
"""

from __future__ import annotations

import os
import re

import pytest

# A skip whose reason names a missing tool (poppler, PostgreSQL, LibreOffice, Chromium...).
_MISSING_TOOL = re.compile(r"not installed|not available|KINERJA_TEST_PG_URL|no .* found", re.IGNORECASE)


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    text = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return text.removeprefix("Skipped: ")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (``CI=true``) a test skipped for a missing tool fails: CI must have every tool."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") != "true" or not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = _skip_reason(report)
    if _MISSING_TOOL.search(reason):
        report.outcome = "failed"
        report.longrepr = f"CI=true: a tool this test needs is missing ({reason})"
