"""Search behaviour lives in the backend, so every front end agrees: disjunctive facets
(the HTML page and /api/v1/search show the same counts for the same request), one
request parser (URL and CLI options), one JSON shape (CLI ``--json`` and the API), and
routes and OpenAPI paths registered from explicit tables."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlparse

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from indexer.cli import main
from indexer.index import FACET_FIELDS, SearchRequest, open_backend
from indexer.index.request import BadRequest, cli_params, parse_request
from search_ui import ROUTE_MODULES, create_app
from search_ui.openapi import PATHS

Facets = dict[str, dict[str, int]]

#: (query, filters) over the demo corpus: source, year, doc type, dossier, combined; with and without a query
COMBINATIONS: list[tuple[str, list[tuple[str, str]]]] = [
    ("", [("source", "kamerstukken")]),
    ("minister", [("source", "kamerstukken")]),
    ("", [("year", "2024")]),
    ("minister", [("year", "2024"), ("year", "2020")]),
    ("", [("doc_type", "motie")]),
    ("minister", [("doc_type", "antwoord")]),
    ("", [("dossier", "32824")]),
    ("uitbuiting", [("dossier", "32824")]),
    ("", [("source", "aanhangsel"), ("year", "2024"), ("doc_type", "antwoord")]),
    ("minister", [("source", "rijksoverheid"), ("source", "aanhangsel"), ("year", "2020"), ("category", "overig")]),
    ("roma", [("dossier", "32824"), ("doc_type", "brief"), ("language", "nl")]),
]


@pytest.fixture(scope="module")
def client(demo_data: Path) -> FlaskClient:
    return create_app({"DATA_DIR": str(demo_data), "TESTING": True}).test_client()


class FacetList(HTMLParser):
    """The facet values and counts a search page shows, per field (chosen values included)."""

    def __init__(self, chosen: list[tuple[str, str]]) -> None:
        super().__init__()
        self.chosen = chosen
        self.facets: Facets = {}
        self.field = ""
        self.depth = 0  # <details> open inside the current facet (its "Meer" fold is one)
        self.value: str | None = None
        self.in_count = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "details" and (self.field or "facet" in (attr.get("class") or "").split()):
            self.depth += 1
        elif tag == "h3" and self.depth and (attr.get("id") or "").startswith("facet-"):
            self.field = (attr.get("id") or "").removeprefix("facet-")
        elif tag == "a" and self.field and urlparse(attr.get("href") or "").path in ("", "/"):
            # a filter link of the search page (a dossier value also links to its dossier page)
            self.value = self._value(attr["href"] or "", attr.get("aria-current") == "true")
        elif tag == "span" and attr.get("class") == "count" and self.value is not None:
            self.in_count = True

    def handle_data(self, data: str) -> None:
        if self.in_count and self.value is not None:
            self.facets.setdefault(self.field, {})[self.value] = int(data)
            self.in_count, self.value = False, None

    def handle_endtag(self, tag: str) -> None:
        if tag == "details" and self.depth:
            self.depth -= 1
            self.field = self.field if self.depth else ""

    def _value(self, href: str, chosen: bool) -> str:
        """An offered value is the last pair of its add link; a chosen one is the value
        its remove link leaves out."""
        pairs = parse_qsl(urlparse(href).query)
        if not chosen:
            return pairs[-1][1]
        missing = [v for f, v in self.chosen if f == self.field and (f, v) not in pairs]
        return missing[0]


def page_facets(client: FlaskClient, query: str, filters: list[tuple[str, str]]) -> Facets:
    html = client.get("/?" + urlencode([("q", query), *filters])).get_data(as_text=True)
    parser = FacetList(filters)
    parser.feed(html)
    return parser.facets


def api_facets(client: FlaskClient, query: str, filters: list[tuple[str, str]]) -> Facets:
    data = client.get("/api/v1/search?" + urlencode([("q", query), *filters])).get_json()
    return {field: {v["value"]: v["count"] for v in values} for field, values in data["facets"].items() if values}


@pytest.mark.parametrize(("query", "filters"), COMBINATIONS)
def test_page_and_api_give_the_same_facets(client: FlaskClient, query: str, filters: list[tuple[str, str]]) -> None:
    page, api = page_facets(client, query, filters), api_facets(client, query, filters)
    assert page == api
    if not query and len(filters) == 1:  # one filter over everything: its field offers the other values too
        assert len(api[filters[0][0]]) > 1


@pytest.mark.parametrize(("query", "filters"), COMBINATIONS)
def test_a_filtered_field_counts_as_if_its_own_filter_were_off(demo_data: Path, query: str,
                                                                filters: list[tuple[str, str]]) -> None:
    backend = open_backend(demo_data)
    request = parse_request({"q": [query], **_grouped(filters)}, page_size=1)
    result = backend.search(request)
    for field in request.filters:
        others = {k: v for k, v in request.filters.items() if k != field}
        widened = backend.search(replace(request, filters=others, page_size=1000, snippets=False))
        expected = Counter(_value(hit.document, field) for hit in widened.hits)
        expected.pop("", None)
        assert dict(result.facets[field]) == dict(expected), field
    for field in set(FACET_FIELDS) - set(request.filters):  # unfiltered fields: over the listed documents
        listed = backend.search(replace(request, page_size=1000, snippets=False))
        expected = Counter(_value(hit.document, field) for hit in listed.hits)
        expected.pop("", None)
        assert dict(result.facets[field]) == dict(expected), field


def _grouped(filters: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for field, value in filters:
        grouped.setdefault(field, []).append(value)
    return grouped


def _value(document: object, field: str) -> str:
    if field == "dossier":
        return document.identifiers.get("dossier", "")  # type: ignore[attr-defined]
    return str(getattr(document, field))


@pytest.mark.parametrize(("query", "filters"), [COMBINATIONS[1], COMBINATIONS[9], ("", [])])
def test_cli_json_and_the_api_give_the_same_document(client: FlaskClient, demo_data: Path, query: str,
                                                     filters: list[tuple[str, str]]) -> None:
    options = [item for field, value in filters for item in ("--filter", f"{field}={value}")]
    result = CliRunner().invoke(main, ["search", query, "--json", "--limit", "2", "--page", "2",
                                       "--sort", "date-desc", "--data-dir", str(demo_data), *options])
    assert result.exit_code == 0, result.stderr
    cli = json.loads(result.stdout)
    api = client.get("/api/v1/search?" + urlencode([("q", query), *filters, ("page_size", "2"), ("pagina", "2"),
                                                     ("sort", "date-desc")])).get_json()
    for hit in api["hits"]:  # the only difference: links to pages of the running server
        assert hit.pop("html_url").startswith("/document/") and hit.pop("api_url").startswith("/api/v1/")
    assert cli == api
    assert cli["page"] == 2 and len(cli["hits"]) == 2 and cli["facets"]["source"]


def test_url_and_cli_options_make_the_same_request() -> None:
    url = parse_request({"q": [" roma "], "year": ["2017", "2017", " "], "source": ["a"], "van": ["2016"],
                         "sort": ["date-asc"], "pagina": ["3"]}, page_size=10)
    cli = parse_request(cli_params(" roma ", ["year=2017", "year=2017", "source=a"], "date-asc", 3, "2016"),
                        page_size=10, strict=True)
    assert url == cli == SearchRequest(query="roma", filters={"year": ("2017",), "source": ("a",)},
                                       date_from="2016", sort="date-asc", page=3, page_size=10)


@pytest.mark.parametrize("params", [{"sort": ["newest"]}, {"pagina": ["nul"]}, {"van": ["4 april 2017"]},
                                    {"pagina": ["1001"]}])
def test_strict_reading_refuses_what_the_web_replaces_by_defaults(params: dict[str, list[str]]) -> None:
    with pytest.raises(BadRequest) as refused:
        parse_request(params, 10, strict=True)
    assert refused.value.name in params
    lenient = parse_request(params, 10)
    assert lenient.sort == "relevance" and 1 <= lenient.page <= 1000


def test_cli_stops_with_exit_2_on_a_bad_option(demo_data: Path) -> None:
    for args in (["--from", "april"], ["--filter", "jaar=2017"]):
        result = CliRunner().invoke(main, ["search", "roma", "--data-dir", str(demo_data), *args])
        assert result.exit_code == 2 and result.stderr.startswith("fout: bad "), result.stderr


def test_every_route_module_registers_and_every_api_rule_is_described(demo_data: Path) -> None:
    app = create_app({"DATA_DIR": str(demo_data), "TESTING": True})
    endpoints = {rule.endpoint.removeprefix("ui.") for rule in app.url_map.iter_rules()}
    for module in ROUTE_MODULES:
        assert callable(module.register)
    assert {"search", "document", "basket", "export_results", "feed", "api_search", "status_page",
            "federated"} <= endpoints
    api_rules = {rule.rule.replace("<path:doc_id>", "{doc_id}") for rule in app.url_map.iter_rules()
                 if rule.rule.startswith("/api/v1/") and not rule.rule.endswith("openapi.json")}
    described = set(PATHS)
    assert described <= api_rules
    assert api_rules - described == {"/api/v1/document/{doc_id}"}  # the old singular alias, kept undocumented
    second = create_app({"DATA_DIR": str(demo_data), "TESTING": True})  # a second app gets its own blueprint
    assert len(list(second.url_map.iter_rules())) == len(list(app.url_map.iter_rules()))
