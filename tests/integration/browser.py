"""Headless Chromium (Debian's ``chromium`` and ``chromium-driver``) driven by Selenium.

Without the packages the browser tests skip with a reason; with ``CI=true`` they fail,
because CI installs them (``.ci/run``).
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)


def _find(*names: str) -> str | None:
    for name in names:
        path = shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else None)
        if path:
            return path
    return None


@pytest.fixture
def browser():
    """A fresh headless Chromium (its own empty profile), 412x915 like a small phone."""
    chromium = _find("chromium", "chromium-browser")
    driver_path = _find("chromedriver", "chromium-driver")
    if not chromium or not driver_path:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but chromium/chromium-driver are missing: .ci/run must install them")
        pytest.skip("headless Chromium not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kinerja-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=412,915")
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
