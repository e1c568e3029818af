"""The federated page in a real headless Chromium: this instance federating to a second
instance of the same index (both on waitress, 127.0.0.1), paged through the merged list
with the pagination links, and axe-core clean."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import axe_violations, needs_chromium, screenshot
from tests.browser.server import serve_ui

pytestmark = [pytest.mark.browser, needs_chromium]

SOURCES = """
[settings]
federation_deadline = 20.0

[[remote]]
name = "tweede"
kind = "bronzoeker"
url = "{url}"
label = "Tweede instantie"
max_hits = 5
timeout = 20.0
"""


@pytest.fixture(scope="module")
def federating_url(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("federated-browser")
    shutil.copytree(demo_data, work / "tweede")
    with serve_ui(work / "tweede") as second:
        (work / "sources.toml").write_text(SOURCES.format(url=second))
        with serve_ui(demo_data, CONFIG_PATH=str(work / "sources.toml")) as url:
            yield url


def keys(page: Any) -> list[str]:
    return page.locator("ol.hits li.hit").evaluate_all("els => els.map(e => e.dataset.key)")


def test_paging_walks_the_whole_merged_list(page: Any, federating_url: str) -> None:
    page.goto(federating_url + "/federated")
    page.get_by_label("Zoeken in deze index en in andere bronnen").fill("minister")
    page.get_by_label("Zoeken in deze index en in andere bronnen").press("Enter")
    page.wait_for_url(re.compile(r"q=minister"))
    assert page.locator("tr[data-endpoint='tweede']").inner_text().count("antwoordde") == 1
    seen = keys(page)
    assert len(seen) == 10 and page.locator("ol.hits").get_attribute("start") == "1"
    screenshot(page, "federated-page-1")
    for number in (2, 3):
        page.locator("nav.pagination").get_by_role("link", name="Volgende").click()
        page.wait_for_url(re.compile(rf"pagina={number}"))
        assert page.locator("ol.hits").get_attribute("start") == str((number - 1) * 10 + 1)
        shown = keys(page)
        assert shown and not set(shown) & set(seen)  # a new part of the list, never a repeat
        seen += shown
    assert len(seen) == len(set(seen)) > 20
    # every hit is in both instances: one card each, found by both
    assert page.locator("ol.hits li.hit .source .endpoint").count() == 2 * len(keys(page))
    page.locator("nav.pagination").get_by_role("link", name="Vorige").click()
    page.wait_for_url(re.compile(r"pagina=2"))
    assert keys(page) == seen[10:20]


def test_federated_page_is_accessible(browser: Any, federating_url: str) -> None:
    violations = axe_violations(browser, federating_url + "/federated?q=minister&pagina=2", name="federated")
    assert not violations, violations
    violations = axe_violations(browser, federating_url + "/federated", name="federated-empty")
    assert not violations, violations
