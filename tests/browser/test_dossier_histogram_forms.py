"""A real headless Chromium against the app on waitress: the dossier timeline, clicking a
histogram bar to filter the period, invalid-input messages and the advanced form;
axe-core on the new pages; screenshots at 1280 and 390 px."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.helpers import axe_violations, needs_chromium, screenshot

pytestmark = [pytest.mark.browser, needs_chromium]

WIDTHS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}


def params(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def total(page: Any) -> int:
    return int(page.locator("#resultaten-kop").inner_text().split()[0])


def test_dossier_timeline_filter_and_vote(page: Any, base_url: str) -> None:
    page.goto(base_url + "/document/kamerstukken:kst-32824-193")
    page.get_by_role("link", name="Dossier 32824: alle stukken").click()
    page.wait_for_url(re.compile(r"/dossier/32824$"))
    assert "Integratiebeleid" in page.locator("h1").inner_text()
    periods = page.locator(".timeline-period h2").all_inner_texts()
    assert periods[0] == "Vergaderjaar 2024-2025" and periods[-1] == "Vergaderjaar 2016-2017"
    dates = page.locator(".timeline-item time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert dates == sorted(dates, reverse=True) and len(dates) >= 6
    motion = page.locator(".timeline-item", has=page.locator("text=kst-32824-405"))
    assert "Stemming: aangenomen" in motion.inner_text()
    motion.locator("summary").click()
    assert "GroenLinks" in motion.locator("dl").inner_text()

    page.locator(".dossier-types").get_by_role("link", name="Moties").click()
    page.wait_for_url(re.compile(r"doc_type=motie"))
    assert set(page.locator(".timeline-item .doctype").all_inner_texts()) == {"motie"}
    assert page.locator(".timeline-item").count() == 5


def test_histogram_bar_click_filters_the_period(page: Any, base_url: str) -> None:
    page.goto(base_url + "/?q=motie")
    before = total(page)
    bar = page.locator('a.histogram-bar[data-period="2024"]')
    label = bar.get_attribute("aria-label") or ""
    count = int(re.search(r": (\d+) ", label)[1])
    assert 0 < count < before
    bar.click()
    page.wait_for_url(re.compile(r"van=2024"))
    assert params(page)["van"] == ["2024"] and params(page)["tot"] == ["2024"] and params(page)["q"] == ["motie"]
    assert total(page) == count
    assert "Resultaten per maand" in page.locator(".histogram figcaption").inner_text()  # one year: months
    months = page.locator("a.histogram-bar")
    shown = sum(int(re.search(r": (\d+) ", months.nth(i).get_attribute("aria-label"))[1])
                for i in range(months.count()))
    assert shown == count
    page.locator(".histogram-table summary").click()  # the same counts as text
    assert page.locator(".histogram-table tbody tr").count() >= months.count()


def test_histogram_bar_by_keyboard(page: Any, base_url: str) -> None:
    page.goto(base_url + "/?q=motie")
    page.locator('a.histogram-bar[data-period="2023"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"van=2023"))
    assert params(page)["tot"] == ["2023"]


def test_invalid_input_messages(page: Any, base_url: str) -> None:
    page.goto(base_url + "/?q=motie")
    page.locator("#van").fill("2016-02-30")
    page.locator("#tot").fill("2015")
    page.get_by_role("button", name="Periode toepassen").click()
    page.wait_for_url(re.compile(r"van=2016-02-30"))
    assert "is geen datum" in page.locator("#van-fout").inner_text()
    assert page.locator("#van").get_attribute("aria-invalid") == "true"
    assert "Gezocht is: motie" in page.locator(".ran-query").inner_text()

    page.get_by_label("Zoeken in alle bronnen").fill("motie jaar:2018..2016")
    page.get_by_label("Zoeken in alle bronnen").press("Enter")
    page.wait_for_url(re.compile(r"jaar"))
    assert "ligt het einde vóór het begin" in page.locator("#q-fout").inner_text()
    screenshot(page, "search-invalid-input", full_page=True)


def test_advanced_form(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    page.get_by_role("link", name="Uitgebreid zoeken").click()
    page.get_by_label("Dossiernummer").fill("32824")
    page.get_by_label("Ondernummer").fill("19x")
    page.get_by_role("button", name="Zoeken").click()
    assert "geen ondernummer" in page.locator("#ondernummer-fout").inner_text()
    assert page.get_by_label("Dossiernummer").input_value() == "32824"  # kept
    page.get_by_label("Ondernummer").fill("193")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url(re.compile(r"dossier=32824"))
    assert total(page) == 1 and "kst-32824-193" in page.locator("ol.hits").inner_text()


@pytest.mark.parametrize("name, path", [
    ("dossier", "/dossier/32824"),
    ("dossier-votes", "/dossier/36333"),
    ("search-histogram", "/?q=motie"),
    ("search-invalid", "/?q=%22roma+kinderen&van=abc&tot=2016-02-30"),
    ("advanced", "/uitgebreid"),
    ("advanced-invalid", "/uitgebreid?zoek=1&dossier=abc&vergaderjaar=2016-2018"),
])
def test_new_pages_are_accessible(browser: Any, base_url: str, name: str, path: str) -> None:
    violations = axe_violations(browser, base_url + path)
    assert not violations, violations


@pytest.mark.parametrize("name, path", [
    ("dossier", "/dossier/32824"),
    ("search-histogram", "/?q=motie"),
    ("search-invalid", "/?q=motie+datum:2024-13&van=abc"),
    ("advanced-invalid", "/uitgebreid?zoek=1&dossier=abc&vergaderjaar=2016-2018&van=2016-02-30"),
])
def test_screenshots_of_the_new_pages(browser: Any, base_url: str, name: str, path: str) -> None:
    for width, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(base_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} at {width} px scrolls sideways by {overflow} px"
        screenshot(page, f"{name}-{width}", full_page=True)
        context.close()
