"""Invalid search input gets a message next to its field and the page says what was
searched; the advanced form builds the normal query and filters (Flask test client over
the demo index)."""

from __future__ import annotations

import doctest
import re
from html import unescape
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask.testing import FlaskClient

from search_ui import create_app, dossiers, histogram, validation
from search_ui.validation import check_search_input


@pytest.fixture()
def client(demo_data: Path) -> FlaskClient:
    return create_app({"DATA_DIR": str(demo_data), "TESTING": True}).test_client()


def problems(html: str) -> dict[str, str]:
    """field -> the message shown next to it."""
    return {name: unescape(text) for name, text in re.findall(r'<div id="(\w+)-fout"[^>]*><p>(.*?)</p>', html)}


def ran(html: str) -> str:
    found = re.search(r'<p class="ran-query" role="status">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", unescape(found[1])) if found else ""


def total(html: str) -> int:
    return int(re.search(r'<h2 id="resultaten-kop"[^>]*>\s*(\d+)', html)[1])


@pytest.mark.parametrize(("url", "field", "words"), [
    ("/?q=motie&van=abc", "van", "„abc” is geen datum"),
    ("/?q=motie&van=2016-02-30", "van", "„2016-02-30” is geen datum"),
    ("/?q=motie&tot=2024-13", "tot", "„2024-13” is geen datum"),
    ("/?q=motie&van=2018&tot=2016", "tot", "De einddatum 2016 ligt vóór de begindatum 2018"),
])
def test_a_period_that_cannot_be_searched_is_explained(client: FlaskClient, url: str, field: str,
                                                       words: str) -> None:
    html = client.get(url).get_data(as_text=True)
    assert words in problems(html)[field]
    assert re.search(rf'<input id="{field}"[^>]* aria-invalid="true"[^>]*aria-describedby="{field}-fout ', html)
    assert ran(html).startswith("Gezocht is: motie, zonder periode.")
    assert total(html) == total(client.get("/?q=motie").get_data(as_text=True))  # the period was left out


def test_the_invalid_value_stays_in_its_field(client: FlaskClient) -> None:
    html = client.get("/?van=2016-02-30").get_data(as_text=True)
    assert 'value="2016-02-30"' in html.split('<input id="van"')[1].split(">")[0]


@pytest.mark.parametrize(("query", "searched", "words"), [
    ("motie jaar:2018..2016", "motie", "In „jaar:2018..2016” ligt het einde vóór het begin"),
    ("motie datum:2024-13", "motie", "„datum:2024-13” is geen geldig jaar of datum"),
    ('"roma kinderen', '"roma kinderen"', "Het aanhalingsteken voor „roma kinderen” is niet gesloten"),
])
def test_a_query_clause_that_cannot_be_searched_is_explained(client: FlaskClient, query: str, searched: str,
                                                             words: str) -> None:
    html = client.get("/", query_string={"q": query}).get_data(as_text=True)
    assert words in problems(html)["q"]
    assert ran(html).startswith(f"Gezocht is: {searched},")
    assert total(html) == total(client.get("/", query_string={"q": searched}).get_data(as_text=True)) > 0


def test_valid_input_has_no_messages(client: FlaskClient) -> None:
    html = client.get("/?q=motie+jaar:2016..2024+datum:..2024-06&van=2016-02-29&tot=2024").get_data(as_text=True)
    assert problems(html) == {} and ran(html) == "" and "aria-invalid" not in html


def test_messages_are_translated(client: FlaskClient) -> None:
    html = client.get("/?van=abc&lang=en").get_data(as_text=True)
    assert "is not a date" in problems(html)["van"] and "Searched:" in ran(html)


def test_checks_in_isolation() -> None:
    checked = check_search_input("a datum:2016-02-29..2016-03 b", "2016", "2016-12")
    assert (checked.query, checked.date_from, checked.date_to, checked.problems) == (
        "a datum:2016-02-29..2016-03 b", "2016", "2016-12", ())
    assert check_search_input("jaar:16", "", "").query == ""


# -- the advanced form --------------------------------------------------------------------------

def test_advanced_form_builds_the_search(client: FlaskClient) -> None:
    response = client.get("/uitgebreid", query_string={"zoek": "1", "dossier": "32 824", "ondernummer": "193"})
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert parse_qsl(target.query) == [("q", "nummer:kst-32824-193"), ("dossier", "32824")]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert total(html) == 1 and "/document/kamerstukken:kst-32824-193" in html


def test_advanced_form_people_year_type_and_period(client: FlaskClient) -> None:
    response = client.get("/uitgebreid", query_string={
        "zoek": "1", "vergaderjaar": "2016/17", "indiener": "Asscher", "organisatie": "Justitie", "type": "brief",
        "van": "2015", "tot": "2018"})
    query = dict(parse_qsl(urlsplit(response.headers["Location"]).query))
    assert query == {"q": 'nummer:2016-2017 auteur:"Asscher" door:"Justitie"', "doc_type": "brief",
                     "van": "2015", "tot": "2018"}
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert total(html) == 1 and "kst-32824-193" in html


def test_advanced_form_explains_each_bad_field(client: FlaskClient) -> None:
    response = client.get("/uitgebreid", query_string={
        "zoek": "1", "dossier": "abc", "ondernummer": "x", "vergaderjaar": "2016-2018", "van": "2016-02-30",
        "tot": "2015"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    found = problems(html)
    assert set(found) == {"dossier", "ondernummer", "vergaderjaar", "van"}
    assert "geen vergaderjaar" in found["vergaderjaar"] and "geen datum" in found["van"]
    assert 'value="2016-2018"' in html  # what was typed stays in the form
    alone = client.get("/uitgebreid?zoek=1&ondernummer=193").get_data(as_text=True)
    assert "vul ook het dossiernummer in" in problems(alone)["ondernummer"]


def test_search_page_links_the_advanced_form(client: FlaskClient) -> None:
    assert 'href="/uitgebreid"' in client.get("/").get_data(as_text=True)
    assert client.get("/uitgebreid").status_code == 200


@pytest.mark.parametrize("module", [validation, histogram, dossiers])
def test_examples_in_the_ui_modules(module: ModuleType) -> None:
    # pytest collects doctests from indexer/ only; these UI modules' examples run here
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0
