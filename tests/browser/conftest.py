"""Browser fixtures: the system Chromium (Debian ``chromium``, never a downloaded one)
driven by Playwright, the UI served by waitress, screenshots and the axe-core check."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.server import serve_ui

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
#: Axe rule sets checked: WCAG 2.1 A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="/usr/bin/chromium is absent: `make system-deps` installs it")


@pytest.fixture(scope="session")
def base_url(demo_data: Path) -> Iterator[str]:
    with serve_ui(demo_data) as url:
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
    """A fresh page (own cookies) that fails the test on any JavaScript error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not errors, errors


def screenshot(page: Any, name: str, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def axe_violations(browser: Any, url: str, cookies: list[dict[str, Any]] | None = None,
                   name: str = "") -> list[dict[str, Any]]:
    """Serious and critical axe-core violations of the page at ``url``.

    axe is injected as a script tag, which the page's CSP (no inline script) forbids,
    so this one context bypasses CSP; the pages under test stay as they are served.
    """
    if not AXE.is_file():
        pytest.fail(f"axe-core missing at {AXE}: run `make test-deps` "
                    "(npm install --no-save --prefix tests/browser axe-core@4)")
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    if cookies:
        context.add_cookies(cookies)
    page = context.new_page()
    page.goto(url)
    if name:
        screenshot(page, f"page-{name}", full_page=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    context.close()
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"][:3]]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
