"""Chromium: the basket across two searches, downloads parsed by real parsers, pages
without JavaScript, a hostile title that must not run, and axe-core on the main pages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import rispy

from indexer.index import open_writer
from indexer.model import Document
from tests.browser.helpers import axe_violations, needs_chromium, screenshot
from tests.browser.server import serve_ui

pytestmark = [pytest.mark.browser, needs_chromium]


def add_first_result(page: Any, base_url: str, query: str) -> str:
    page.goto(f"{base_url}/?q={query}")
    card = page.locator("ol.hits li.hit").first
    title = card.locator("h3").inner_text()
    card.get_by_role("button", name=re.compile("In mandje")).click()
    # with JavaScript the form is sent in the background, without it the page comes back:
    # either way the card's button then offers removal
    card.get_by_role("button", name=re.compile("verwijderen")).wait_for()
    return title


def download(page: Any, form: Any, fmt: str) -> tuple[str, str]:
    form.get_by_role("combobox").select_option(fmt)
    with page.expect_download() as info:
        form.get_by_role("button", name="Downloaden").click()
    path = info.value.path()
    return info.value.suggested_filename, Path(path).read_text(encoding="utf-8")


def test_basket_across_two_searches_and_its_exports(page: Any, base_url: str) -> None:
    first = add_first_result(page, base_url, "motie")
    assert "q=motie" in page.url, "after adding, the search page comes back"
    second = add_first_result(page, base_url, "uitbuiting+Roma+kinderen")
    page.get_by_role("link", name=re.compile(r"Mandje \(2\)")).click()
    titles = page.locator("ol.basket-list h2").all_inner_texts()
    assert titles == [first, second]
    screenshot(page, "basket")

    form = page.locator("form.export")
    name, text = download(page, form, "ris")
    assert name.startswith("bronzoeker-mandje-") and name.endswith(".ris")
    assert [entry["title"] for entry in rispy.loads(text)] == [first, second]
    name, text = download(page, form, "bibtex")
    assert name.endswith(".bib")
    assert [e.fields_dict["title"].value.strip("{}") for e in bibtexparser.parse_string(text).entries] == [first, second]


def test_export_of_all_results_of_a_query(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/?q=motie&source=kamerstukken-xml")
    total = int(page.locator("#resultaten-kop").inner_text().split()[0])
    name, text = download(page, page.locator("form.export"), "csl-json")
    items = json.loads(text)
    assert name.startswith("bronzoeker-motie-") and name.endswith(".json") and len(items) == total > 10


def test_basket_and_search_work_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    title = add_first_result(page, base_url, "uitbuiting")
    page.goto(base_url + "/mandje")
    assert page.locator("ol.basket-list h2").all_inner_texts() == [title]
    page.get_by_role("button", name="Mandje legen").click()
    assert "Uw mandje is leeg" in page.locator("main").inner_text()
    page.goto(base_url + "/document/kamerstukken:kst-32824-193")
    assert page.locator("#citaat").is_visible()
    assert not page.locator("button.copy").is_visible(), "the copy button needs JavaScript: hidden without"
    context.close()


HOSTILE_TITLE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def test_a_script_in_a_title_never_runs(browser: Any, tmp_path: Path) -> None:
    doc = Document(id="test:hostile", source="test", title=HOSTILE_TITLE, date="2017-04-04",
                   pages=(f"uitbuiting {HOSTILE_TITLE}",), summary=HOSTILE_TITLE,
                   identifiers={"canonical": HOSTILE_TITLE})
    with open_writer(tmp_path, lambda d: set()) as writer:
        writer.upsert(doc)
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with serve_ui(tmp_path) as url:
        for path in ("/?q=uitbuiting", "/document/test:hostile?q=uitbuiting", "/feed.atom?q=uitbuiting"):
            page.goto(url + path)
            assert page.evaluate("window.__pwned") is None, path
        page.goto(url + "/document/test:hostile")
        assert page.locator("h1").inner_text() == HOSTILE_TITLE
        screenshot(page, "hostile-title")
    assert not dialogs
    context.close()


@pytest.mark.parametrize("name, path", [
    ("search", "/?q=uitbuiting+Roma+kinderen"),
    ("search-filtered", "/?q=motie&source=kamerstukken-xml&year=2024&sort=date-desc"),
    ("search-empty", "/?q=uitbuting"),
    ("document", "/document/kamerstukken:kst-32824-193?q=uitbuiting"),
    ("document-cited", "/document/kamerstukken-html:kst-19637-1020"),
    ("status", "/status"),
    ("help", "/hulp"),
    ("search-english", "/?q=motie&lang=en"),
])
def test_no_serious_accessibility_violations(browser: Any, base_url: str, name: str, path: str) -> None:
    violations = axe_violations(browser, base_url + path, name=name)
    assert not violations, violations


def test_basket_page_with_documents_is_accessible(browser: Any, base_url: str, page: Any) -> None:
    add_first_result(page, base_url, "motie")
    add_first_result(page, base_url, "mensenhandel")
    violations = axe_violations(browser, base_url + "/mandje", cookies=page.context.cookies(), name="basket")
    assert not violations, violations
    page.goto(base_url + "/status")
    screenshot(page, "status", full_page=True)
