"""Helpers of the browser tests: where Chromium is, screenshots, and the axe-core check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

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


def screenshot(page: Any, name: str, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def axe_violations(browser: Any, url: str, cookies: list[dict[str, Any]] | None = None,
                   name: str = "", width: int = 1280) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations of the page at ``url``.

    axe is injected as a script tag, which the page's CSP (no inline script) forbids,
    so this one context bypasses CSP; the pages under test stay as they are served.
    """
    if not AXE.is_file():
        pytest.fail(f"axe-core missing at {AXE}: run `make test-deps` "
                    "(npm install --no-save --prefix tests/browser axe-core@4)")
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
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
