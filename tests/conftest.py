"""Shared pytest configuration: matplotlib's Agg backend, a reproducible
hypothesis profile, and one Chromium for every browser test."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib
import pytest
from hypothesis import settings

# Before any test module imports pyplot: draw off-screen, with no display.
matplotlib.use("Agg")

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True)
settings.load_profile("ci")


CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
"""Debian's Chromium (never a browser a test tool downloads itself)."""
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One Playwright and one Chromium for the whole session: Playwright's
    sync API refuses a second instance while the first one's event loop runs,
    so the book's browser tests and the JupyterLab test share this one.
    Skips without Chromium, or fails when REQUIRE_BROWSER=1."""
    if not CHROMIUM.is_file():
        message = f"no Chromium at {CHROMIUM}: `apt-get install chromium` (Debian) or set CHROMIUM"
        if REQUIRE_BROWSER:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def chromium_for_screen_readers(chromium: Any) -> Iterator[Any]:
    """A second Chromium that builds the accessibility tree a screen reader
    gets (as when one is running): without an assistive technology, Chromium
    builds a lighter tree, which leaves out content it has not laid out."""
    browser = chromium.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=[*CHROMIUM_ARGS, "--force-renderer-accessibility"],
        headless=True,
    )
    yield browser
    browser.close()
