"""A real headless Chromium against the app on waitress: search, facets, sort, back
button, documents, cited-by links across the index, keyboard only."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.helpers import needs_chromium, screenshot

pytestmark = [pytest.mark.browser, needs_chromium]

#: A real pair in the demo corpus: the Handelingen item on the vote cites the motion.
CITING = "kamerstukken-html:h-tk-20052006-3563-3563"
CITED = "kamerstukken-html:kst-19637-1020"


def params(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def card_dates(page: Any) -> list[str]:
    return page.locator("ol.hits li.hit .meta time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")


def test_search_facets_sort_back_button_and_document(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    page.get_by_label("Zoeken in alle bronnen").fill("motie")
    page.get_by_label("Zoeken in alle bronnen").press("Enter")
    page.wait_for_url(re.compile(r"q=motie"))
    total = int(page.locator("#resultaten-kop").inner_text().split()[0])
    assert total > 10 and page.locator("ol.hits li.hit").count() == 10
    screenshot(page, "search-results")

    source_facet = page.locator("details.facet", has=page.locator("#facet-source"))
    source_facet.get_by_role("link", name="kamerstukken-xml", exact=True).click()
    page.wait_for_url(re.compile(r"source=kamerstukken-xml"))
    filtered = int(page.locator("#resultaten-kop").inner_text().split()[0])
    assert 0 < filtered < total
    assert set(page.locator("ol.hits .source").all_inner_texts()) == {"Bron: Officiële bekendmakingen (kamerstukken-xml)"}

    page.locator("details.facet", has=page.locator("#facet-year")).get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"year=\d{4}"))
    year = params(page)["year"][0]
    assert all(d.startswith(year) for d in card_dates(page))
    screenshot(page, "search-facets")

    page.locator(".active-filters").get_by_role("link", name=re.compile("kamerstukken-xml")).click()
    page.wait_for_url(lambda url: "source=" not in url)
    assert params(page)["year"] == [year] and params(page)["q"] == ["motie"]

    page.get_by_role("link", name="Nieuwste eerst").click()
    page.wait_for_url(re.compile(r"sort=date-desc"))
    dates = card_dates(page)
    assert dates == sorted(dates, reverse=True) and len(dates) > 1

    page.go_back()
    page.wait_for_url(lambda url: "sort=" not in url)
    assert "source" not in params(page) and params(page)["year"] == [year]
    page.go_forward()
    page.wait_for_url(re.compile(r"sort=date-desc"))

    first = page.locator("ol.hits li.hit h3 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/document/"))
    assert page.locator("h1").inner_text() == title
    assert page.locator("#citaat").inner_text().strip()
    screenshot(page, "document", full_page=False)


def test_follow_cited_by_and_cites_links(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/document/{CITED}")
    section = page.locator("section", has=page.locator("#citedby-kop"))
    section.get_by_role("link").first.click()
    page.wait_for_url(re.compile(re.escape(CITING.split(":")[1])))
    assert page.locator("dd code").first.inner_text() in (CITING,) or CITING in page.content()
    cites = page.locator("section", has=page.locator("#cites-kop")).get_by_role("link")
    assert cites.count() >= 1
    cites.first.click()
    page.wait_for_url(re.compile(re.escape(CITED.split(":")[1])))


def test_seed_letter_page_shows_citation_and_marked_terms(page: Any, base_url: str) -> None:
    page.goto(base_url + "/?q=uitbuiting+Roma+kinderen")
    page.get_by_role("link", name=re.compile("Afronding programma Aanpak uitbuiting Roma")).click()
    page.wait_for_url(re.compile("kst-32824-193"))
    assert page.locator("#citaat").inner_text() == "Kamerstukken II 2016/17, 32824, nr. 193"
    assert page.locator(".pagetext mark").count() > 3
    assert page.locator('meta[name="citation_technical_report_number"]').count() == 1


def test_copy_button_copies_the_citation(browser: Any, base_url: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{base_url}/document/kamerstukken:kst-32824-193")
    page.get_by_role("button", name="Kopiëren").click()
    page.wait_for_function("document.querySelector('.copy-status').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == "Kamerstukken II 2016/17, 32824, nr. 193"
    context.close()


def focused(page: Any) -> dict[str, str]:
    return page.evaluate("""() => { const e = document.activeElement;
        return {tag: e.tagName, text: (e.innerText || '').trim(), href: e.getAttribute('href') || '',
                id: e.id, outline: getComputedStyle(e).outlineStyle}; }""")


def tab_until(page: Any, predicate: Any, limit: int = 80) -> dict[str, str]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if predicate(element):
            return element
    raise AssertionError("focus never reached the element")


def test_keyboard_only(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Naar de inhoud"
    page.keyboard.press("Enter")
    element = tab_until(page, lambda e: e["id"] == "q")
    page.keyboard.type("mensenhandel")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("q=mensenhandel"))
    element = tab_until(page, lambda e: "source=" in e["href"])
    assert element["outline"] != "none", "focus must be visible"
    screenshot(page, "keyboard-focus")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("source="))
    element = tab_until(page, lambda e: e["href"].startswith("/document/"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/document/"))
    assert page.locator("h1").inner_text() == element["text"]
    screenshot(page, "keyboard-document")


def test_small_screen_has_no_horizontal_scroll(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    for name, path in (("mobile-search", "/?q=uitbuiting"), ("mobile-document", "/document/kamerstukken:kst-32824-193")):
        page.goto(base_url + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
        screenshot(page, name)
    context.close()
