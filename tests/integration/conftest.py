"""PostgreSQL for the tests that need the central office's database.

``KINERJA_TEST_PG_URL`` names a server (``.ci/start-postgres`` starts one); each test gets
a database of its own on it. Without the variable these tests skip, with a reason; when
``CI=true`` they fail instead, because CI must run them.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def _server_url() -> str | None:
    return os.environ.get("KINERJA_TEST_PG_URL")


@pytest.fixture
def pg_url():
    base = _server_url()
    if not base:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but KINERJA_TEST_PG_URL is not set: .ci/run must start PostgreSQL")
        pytest.skip("PostgreSQL not available: set KINERJA_TEST_PG_URL (see .ci/start-postgres)")
    url = make_url(base).set(drivername="postgresql+psycopg")
    name = f"kinerja_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
