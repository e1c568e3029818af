"""Browser fixtures: the system Chromium (Debian ``chromium``, never a downloaded one)
driven by Playwright, and the UI over the demo index served by waitress."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, ROOT
from tests.browser.server import serve_ui

DEMO_CONFIG = ROOT / "corpus" / "demo.toml"


@pytest.fixture(scope="session")
def base_url(demo_data: Path) -> Iterator[str]:
    # with the demo's sources file, as `make demo` serves it (source labels, status per source)
    with serve_ui(demo_data, CONFIG_PATH=str(DEMO_CONFIG)) as url:
        yield url


@pytest.fixture(scope="session")
def browser(demo_data: Path) -> Iterator[Any]:
    # demo_data first: the crawl forks extraction workers, which should not inherit
    # Playwright's threads.
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent: `make system-deps` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    """A fresh page (own cookies) that fails the test on any JavaScript error or console
    error (a CSP violation, a missing file)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not errors, errors
