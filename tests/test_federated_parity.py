"""The federated page at parity with the local one, against two real instances of the same
index on 127.0.0.1 (this app federating to a second one served by waitress): de-duplication
of documents without a canonical key, paging through the whole merged list, honest totals,
clickable facets passed on to the endpoints, basket buttons and snippet page links."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlparse

import pytest
from flask.testing import FlaskClient

from indexer.index import SearchRequest, open_backend
from search_ui import create_app
from tests.browser.server import serve_ui

QUERY = "minister"
#: The remote gives 5 hits per request unless asked for more, this index 5 as well: paging to
#: page 3 (hits 21-30) must make both go further down their lists.
SOURCES = """
[settings]
federation_deadline = 20.0
federation_local_hits = 5

[[remote]]
name = "tweede"
kind = "bronzoeker"
url = "{url}"
max_hits = 5
timeout = 20.0
"""


@pytest.fixture(scope="module")
def second(demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second instance over a copy of the same index (another server, another data directory)."""
    copy = tmp_path_factory.mktemp("tweede") / "data"
    shutil.copytree(demo_data, copy)
    with serve_ui(copy) as url:
        yield url


@pytest.fixture(scope="module")
def client(demo_data: Path, second: str, tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    config = tmp_path_factory.mktemp("federeren") / "sources.toml"
    config.write_text(SOURCES.format(url=second))
    app = create_app({"DATA_DIR": str(demo_data), "CONFIG_PATH": str(config), "TESTING": True,
                      "SECRET_KEY": "test"})
    return app.test_client()


def api(client: FlaskClient, **params: Any) -> dict[str, Any]:
    return client.get("/api/v1/federated?" + urlencode({"q": QUERY, **params}, doseq=True)).get_json()


class Cards(HTMLParser):
    """Per result card on a federated page: its key, links and whether it has a basket button."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict[str, Any]] = []
        self.start = 0
        self.links: list[tuple[str, str]] = []  # (class, href) of every link on the page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "ol" and "hits" in attr.get("class", ""):
            self.start = int(attr.get("start", "1"))
        if tag == "li" and "hit" in attr.get("class", "").split():
            self.cards.append({"key": attr["data-key"], "page_links": [], "basket": False})
        if tag == "a":
            self.links.append((attr.get("class", ""), attr.get("href", "")))
            if self.cards and attr.get("class") == "page":
                self.cards[-1]["page_links"].append(attr["href"])
        if tag == "form" and self.cards and attr.get("action", "").startswith("/mandje/"):
            self.cards[-1]["basket"] = True


def page(client: FlaskClient, **params: Any) -> tuple[Cards, str]:
    html = client.get("/federated?" + urlencode({"q": QUERY, **params}, doseq=True)).get_data(as_text=True)
    cards = Cards()
    cards.feed(html)
    return cards, html


def test_two_instances_of_one_index_merge_into_one_hit_per_document(client: FlaskClient, demo_data: Path) -> None:
    local = open_backend(demo_data).search(SearchRequest(query=QUERY, page_size=100, partial=False))
    data = api(client, page_size=100)
    assert data["complete"] is True and data["total"] == local.total
    assert [e["total"] for e in data["endpoints"]] == [local.total, local.total]
    assert all(hit["endpoints"] == ["lokaal", "tweede"] for hit in data["hits"])
    keys = [hit["key"] for hit in data["hits"]]
    assert len(set(keys)) == len(keys)
    # the case that appeared twice before: no canonical key, no public address, the same file
    without = [h for h in local.hits if not h.document.identifiers.get("canonical") and not h.document.url.startswith("http")]
    assert without and sum(key.startswith("sha256:") for key in keys) >= len(without)


def test_pages_go_through_the_whole_merged_list(client: FlaskClient) -> None:
    whole = [hit["key"] for hit in api(client, page_size=100)["hits"]]
    assert len(whole) > 20  # three pages of 10
    seen: list[str] = []
    for number in (1, 2, 3):
        cards, _ = page(client, pagina=number)
        assert cards.start == (number - 1) * 10 + 1
        seen += [card["key"] for card in cards.cards]
    assert seen == whole[:len(seen)] and len(seen) == min(30, len(whole))
    paged = [h["key"] for n in (1, 2, 3) for h in api(client, page_size=10, pagina=n)["hits"]]
    assert paged == seen


def test_totals_are_said_honestly(client: FlaskClient, demo_data: Path) -> None:
    local_total = open_backend(demo_data).search(SearchRequest(query=QUERY, partial=False)).total
    first = api(client, page_size=10)
    assert first["complete"] is False  # 10 asked of each, more behind
    _, html = page(client)
    assert "Ten minste" in html
    assert f"deze index: {local_total} gevonden" in html and f"tweede: {local_total} gevonden" in html
    last = (local_total + 9) // 10
    _, html = page(client, pagina=last)
    assert f"{local_total} samengevoegde resultaten" in html and "Ten minste" not in html
    assert 'rel="next"' not in html


def test_facets_of_the_merged_list_filter_every_endpoint(client: FlaskClient) -> None:
    cards, html = page(client)
    year_links = [href for cls, href in cards.links if "year=" in href and "pagina=" not in href]
    assert year_links, "the merged list's years are clickable"
    href = year_links[0]
    year = dict(parse_qsl(urlparse(href).query))["year"]
    filtered = client.get(href).get_data(as_text=True)
    shown = Cards()
    shown.feed(filtered)
    data = api(client, year=year, page_size=100)
    assert data["total"] == len(data["hits"]) > 0
    assert all(hit["document"]["date"].startswith(year) for hit in data["hits"])
    assert all(hit["endpoints"] == ["lokaal", "tweede"] for hit in data["hits"])  # the remote filtered too
    assert [c["key"] for c in shown.cards] == [h["key"] for h in data["hits"]][:10]
    assert 'class="chip"' in filtered and 'aria-current="true"' in filtered


def test_cards_have_basket_buttons_and_linked_snippet_pages(client: FlaskClient) -> None:
    cards, _ = page(client, q="uitbuiting Roma kinderen")
    assert cards.cards and all(card["basket"] for card in cards.cards)  # every hit is in this index too
    page_links = [link for card in cards.cards for link in card["page_links"]]
    assert page_links and all(re.fullmatch(r"/document/[^#]+#p\d+", link) for link in page_links)
