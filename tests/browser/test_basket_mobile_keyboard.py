"""Chromium: the basket keeps your place (scroll position and focus asserted), add-all,
the live count; the filter drawer at 390 px; the keyboard path to the first result;
axe-core on the new parts; screenshots at 1280 and 390 px."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, needs_chromium, screenshot

pytestmark = [pytest.mark.browser, needs_chromium]
QUERY = "/?q=motie"
PHONE = {"width": 390, "height": 844}
MAX_TABS = 5


def status_text(page: Any) -> str:
    # expect() polls from Playwright's side: wait_for_function would need eval, which the CSP forbids
    expect(page.locator("#mandje-status")).not_to_be_empty()
    return str(page.locator("#mandje-status").inner_text())


def test_adding_keeps_scroll_position_and_focus(page: Any, base_url: str) -> None:
    page.goto(base_url + QUERY)
    form = page.locator("ol.hits li.hit form.basket-form").nth(6)
    button = form.locator("button")
    button.scroll_into_view_if_needed()
    before = page.evaluate("() => { window.scrollBy(0, 150); return window.scrollY; }")
    assert before > 800
    button.focus()
    page.keyboard.press("Enter")
    assert status_text(page) == "1 toegevoegd aan het mandje (1 in totaal)."
    assert page.evaluate("window.scrollY") == before, "the page must not jump"
    assert button.evaluate("b => b === document.activeElement"), "focus stays on the button"
    assert re.match(r"✓ In mandje – verwijderen", button.inner_text())
    assert page.locator("header .basket-count").inner_text() == "(1)"
    assert page.url == base_url + QUERY, "no reload, no navigation"
    screenshot(page, "basket-added-1280")

    page.keyboard.press("Enter")  # the same button now removes
    expect(page.locator("header .basket-count")).to_have_text("(0)")
    assert button.inner_text().startswith("+ In mandje") and page.evaluate("window.scrollY") == before
    assert page.locator("#mandje-status").inner_text() == "Verwijderd uit het mandje (0 in totaal)."


def test_add_all_on_this_page(page: Any, base_url: str) -> None:
    page.goto(base_url + QUERY + "&pagina=2")
    titles = page.locator("ol.hits li.hit h3").all_inner_texts()
    page.get_by_role("button", name="+ Alles op deze pagina in het mandje").click()
    assert status_text(page) == f"{len(titles)} toegevoegd aan het mandje ({len(titles)} in totaal)."
    assert page.locator("header .basket-count").inner_text() == f"({len(titles)})"
    labels = page.locator("ol.hits form.basket-form .basket-label").all_inner_texts()
    assert labels == ["✓ In mandje – verwijderen"] * len(titles)
    page.goto(base_url + "/mandje")
    assert page.locator("ol.basket-list h2").all_inner_texts() == titles
    page.get_by_label("Citeerstijl").select_option("apa")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url(re.compile(r"stijl=apa"))
    assert page.locator("ol.references li").count() == len(titles)
    assert page.locator("ol.references i").count() >= 1, "APA sets titles in italics"
    page.locator("#lijst-kop").scroll_into_view_if_needed()
    screenshot(page, "basket-apa-1280")
    page.set_viewport_size(PHONE)
    screenshot(page, "basket-apa-390")


def test_add_all_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + QUERY)
    page.get_by_role("button", name="+ Alles op deze pagina in het mandje").click()
    page.wait_for_url(base_url + QUERY)
    assert page.locator("header .basket-count").inner_text() == "(10)"
    context.close()


def drawer_state(page: Any) -> dict[str, Any]:
    toggle = page.locator("summary.filter-toggle")
    first_hit = page.locator("ol.hits li.hit").first.bounding_box()
    return {"toggle": toggle.is_visible(), "facets": page.locator("#facet-year").is_visible(),
            "toggle_above_results": toggle.is_visible() and toggle.bounding_box()["y"] < first_hit["y"]}


@pytest.mark.parametrize("javascript", [True, False])
def test_filter_drawer_on_a_phone(browser: Any, base_url: str, javascript: bool) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(base_url + QUERY)
    assert drawer_state(page) == {"toggle": True, "facets": False, "toggle_above_results": True}
    first_hit = page.locator("ol.hits li.hit").first.bounding_box()
    assert first_hit["y"] < PHONE["height"], "the first result is on the first screen"
    if javascript:
        screenshot(page, "search-390")
    page.locator("summary.filter-toggle").click()
    assert page.locator("#facet-year").is_visible()
    page.get_by_role("link", name=re.compile("^Officiële bekendmakingen")).click()
    assert "source=kamerstukken" in page.url
    if javascript:
        page.locator("summary.filter-toggle").click()
        screenshot(page, "search-filters-open-390", full_page=True)
    context.close()


def test_filters_always_open_on_a_wide_screen(page: Any, base_url: str) -> None:
    page.goto(base_url + QUERY)
    assert drawer_state(page) == {"toggle": False, "facets": True, "toggle_above_results": False}
    screenshot(page, "search-1280")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE])
def test_keyboard_path_to_the_first_result(browser: Any, base_url: str, viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(base_url + QUERY)
    first = page.locator("ol.hits li.hit h3 a").first
    tabs = 0
    while not first.evaluate("a => a === document.activeElement"):
        assert tabs < MAX_TABS, f"not at the first result after {tabs} Tab presses"
        page.keyboard.press("Tab")
        tabs += 1
        if page.evaluate("document.activeElement.textContent") == "Naar de resultaten":
            page.keyboard.press("Enter")
    assert tabs <= MAX_TABS
    context.close()


@pytest.mark.parametrize("name, path, width", [
    ("search-phone", QUERY, 390),
    ("help-phone", "/hulp", 390),
    ("help-english", "/hulp?lang=en", 1280),
    ("search-labels-chosen", QUERY + "&source=kamerstukken&source=kamerstukken-xml&source=kamerstukken-html"
                             "&source=aanhangsel", 1280),
])
def test_new_parts_are_accessible(browser: Any, base_url: str, name: str, path: str, width: int) -> None:
    violations = axe_violations(browser, base_url + path, name=name, width=width)
    assert not violations, violations
