"""Shared test set-up: offscreen Qt, a data folder and database per test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KINERJA_LANG", "id")
# Tests never touch the user's own key store: the database key comes from the master
# secret below (the same way CI and scripts unlock), and the OS keyring is switched off.
# Tests of the key store itself choose a real keyring backend or the key file explicitly.
TEST_DB_KEY = "5eed" * 16
os.environ["KINERJA_DB_KEY"] = TEST_DB_KEY
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.environ.pop("KINERJA_DB_PASSPHRASE", None)

import pytest  # noqa: E402

from kinerja_desktop import i18n, paths  # noqa: E402
from kinerja_desktop.store import keystore  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the helper modules beside this file
from ci_skips import pytest_runtest_makereport  # noqa: E402, F401 (CI=true: a skip for a missing tool fails)


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
