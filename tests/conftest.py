"""Shared test set-up: offscreen Qt, a data folder and database per test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KINERJA_LANG", "id")

import pytest  # noqa: E402

from kinerja_desktop import i18n, paths  # noqa: E402


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    """Every test gets its own data folder; nothing touches the user's real one."""
    home = tmp_path / "kinerja-home"
    monkeypatch.setenv("KINERJA_HOME", str(home))
    paths.set_data_dir(None)
    i18n.set_language("id")
    yield home
    paths.set_data_dir(None)
    i18n.set_language("id")


@pytest.fixture
def db(data_home):
    """A freshly created and migrated SQLite database in the test's data folder."""
    from kinerja_desktop.store.database import open_database

    database = open_database(data_home / "kinerja.sqlite3")
    yield database
    database.close()
