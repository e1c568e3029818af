"""Source labels in the Bron facet (publisher or collection, with the configured source as
detail, the filter on the source underneath) and the help page's field table, which is
made from the query parser's own table of field names."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from indexer.config import SourceConfig
from indexer.index.query_syntax import FIELD_NAMES
from search_ui import create_app, query_help, source_labels
from search_ui.query_help import FIELD_HELP, help_rows
from search_ui.source_labels import source_label

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def client(demo_data: Path) -> FlaskClient:
    config = {"DATA_DIR": str(demo_data), "SECRET_KEY": "test", "CONFIG_PATH": str(ROOT / "corpus" / "demo.toml")}
    return create_app(config).test_client()


def facet_html(html: str) -> str:
    return re.search(r'<ul class="facet-groups">.*?</ul>\s*</details>', html, re.S).group(0)


def test_labels_come_from_the_config_else_the_host_else_the_kind() -> None:
    assert source_label(SourceConfig("x", "folder", {"label": "Eigen map"})) == "Eigen map"
    assert source_label(SourceConfig("wodc", "oai_pmh", {"endpoint": "https://repository.wodc.nl/server/oai/request"})) == "WODC"
    assert source_label(SourceConfig("ccv", "website", {"seeds": ["https://hetccv.nl/onderwerpen/x/"]})) == "CCV"
    assert source_label(SourceConfig("cahrom", "website", {"seeds": ["https://www.coe.int/cahrom"]})) == "Raad van Europa"
    assert source_label(SourceConfig("tk", "tk_odata", {"endpoint": "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0"})) == "Tweede Kamer"
    assert source_label(SourceConfig("koop", "sru", {"endpoint": "https://repository.overheid.nl/sru"})) == "Officiële bekendmakingen"
    assert source_label(SourceConfig("eigen", "folder", {"path": "/data"})) == "eigen"


def test_the_shipped_sources_file_labels_every_source() -> None:
    labels = source_labels.labels_from_config(str(ROOT / "corpus" / "sources.toml"))
    assert labels == {"kamerstukken": "Officiële bekendmakingen", "tweedekamer": "Tweede Kamer", "wodc": "WODC",
                      "ccv": "CCV", "cahrom": "Raad van Europa"}


def test_the_source_facet_groups_by_label_and_filters_on_the_sources(client: FlaskClient) -> None:
    facet = facet_html(client.get("/?q=motie").get_data(as_text=True))
    group = re.search(r'<a href="([^"]+)">Officiële bekendmakingen</a> <span class="count">(\d+)</span>', facet)
    details = re.findall(r'<a href="/\?q=motie&amp;source=([^"&]+)">\1</a> <span class="count">(\d+)</span>', facet)
    assert {name for name, _ in details} == {"kamerstukken", "kamerstukken-xml", "kamerstukken-html", "aanhangsel"}
    assert int(group.group(2)) == sum(int(count) for _, count in details)
    chosen = client.get(group.group(1).replace("&amp;", "&")).get_data(as_text=True)
    total = int(re.search(r'id="resultaten-kop"[^>]*>\s*(\d+)', chosen).group(1))
    assert total == int(group.group(2))
    assert re.search(r'class="chosen" href="/\?q=motie" aria-current="true"><span aria-hidden="true">✓</span> '
                     r"Officiële bekendmakingen", facet_html(chosen)), "a chosen label is removed as a whole"
    assert "Bron: Officiële bekendmakingen <span class=\"muted\">(" in chosen


def test_without_a_sources_file_the_source_names_stay(demo_data: Path) -> None:
    bare = create_app({"DATA_DIR": str(demo_data), "SECRET_KEY": "test"}).test_client()
    facet = facet_html(bare.get("/?q=motie").get_data(as_text=True))
    assert ">kamerstukken-xml</a>" in facet and "Officiële bekendmakingen" not in facet


def test_the_help_page_lists_every_field_name_the_parser_knows(client: FlaskClient) -> None:
    html = client.get("/hulp").get_data(as_text=True)
    table = re.search(r'<table class="fields">.*?</table>', html, re.S).group(0)
    listed = set(re.findall(r"<code(?: lang=\"en\")?>(\w+):</code>", table))
    assert listed == set(FIELD_NAMES)
    rows = re.findall(r'<tr id="veld-(\w+)"><th scope="row">(.*?)</th>', table, re.S)
    assert [field for field, _ in rows][:3] == ["title", "body", "source"]
    assert dict(rows)["title"].startswith("<code>titel:</code>"), "the Dutch name comes first"
    assert "jaar:2016..2018" in table and "datum:2024-06" in table


def test_every_parser_field_has_help_text() -> None:
    assert set(FIELD_NAMES.values()) == set(FIELD_HELP)
    assert all(row.dutch and row.explanation for row in help_rows()), "a field without a Dutch name or text"


def test_one_name_for_the_help_page(client: FlaskClient) -> None:
    for url in ("/", "/?q=xyzzyqq", "/hulp"):
        html = client.get(url).get_data(as_text=True)
        links = re.findall(r'<a href="/hulp">([^<]+)</a>', html)
        assert links and set(links) == {"Zoekhulp"}, url
    assert "<title>Zoekhulp – bronzoeker</title>" in client.get("/hulp").get_data(as_text=True)
    english = client.get("/hulp?lang=en").get_data(as_text=True)
    assert set(re.findall(r'<a href="/hulp">([^<]+)</a>', english)) == {"Search help"}


def test_document_types_are_translated(client: FlaskClient) -> None:
    html = client.get("/?q=motie&lang=en").get_data(as_text=True)
    assert '<span class="doctype">Motion</span>' in html and '<span class="doctype">motie</span>' not in html


@pytest.mark.parametrize("module", [source_labels, query_help])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.failed == 0
