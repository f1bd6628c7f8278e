"""Shared test set-up: offscreen Qt, a data folder and database per test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KINERJA_LANG", "id")
# Tests never touch the user's own key store: the database key comes from the master
# secret below (the same way CI and scripts unlock), and the OS keyring is switched off.
# Tests of the key store itself choose a real keyring backend or the key file explicitly.
TEST_DB_KEY = "5eed" * 16
os.environ["KINERJA_DB_KEY"] = TEST_DB_KEY
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.environ.pop("KINERJA_DB_PASSPHRASE", None)

import re  # noqa: E402

import pytest  # noqa: E402

from kinerja_desktop import i18n, paths  # noqa: E402
from kinerja_desktop.store import keystore  # noqa: E402

# A skip whose reason names a missing tool (poppler, PostgreSQL, LibreOffice, Chromium...).
_MISSING_TOOL = re.compile(r"not installed|not available|KINERJA_TEST_PG_URL|no .* found", re.IGNORECASE)


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    return longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)


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


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    """Every test gets its own data folder; nothing touches the user's real one."""
    home = tmp_path / "kinerja-home"
    monkeypatch.setenv("KINERJA_HOME", str(home))
    paths.set_data_dir(None)
    i18n.set_language("id")
    keystore.reset()
    yield home
    paths.set_data_dir(None)
    i18n.set_language("id")
    keystore.reset()


@pytest.fixture
def db(data_home):
    """A freshly created and migrated SQLite database in the test's data folder."""
    from kinerja_desktop.store.database import open_database

    database = open_database(data_home / "kinerja.sqlite3")
    yield database
    database.close()
