"""The web UI through Flask's test client: search page state in the URL, facets, sort,
pagination, empty state, document page (citation, Zotero tags, marked text, links),
escaping and security headers."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlparse

import pytest
from flask.testing import FlaskClient

from indexer.export import leidraad, zotero_meta
from indexer.index import open_backend, open_writer
from indexer.model import Document
from search_ui import create_app

SEED = "kamerstukken:kst-32824-193"
CITING = "kamerstukken-html:h-tk-20052006-3563-3563"
CITED = "kamerstukken-html:kst-19637-1020"


@pytest.fixture()
def client(demo_data: Path) -> FlaskClient:
    return create_app({"DATA_DIR": str(demo_data), "TESTING": True}).test_client()


class Page(HTMLParser):
    """The parts of a page the tests look at: links, meta tags, scripts, styles, card dates."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[tuple[str, dict[str, str]]] = []
        self.meta: list[tuple[str, str]] = []
        self.scripts: list[dict[str, str]] = []
        self.style_attrs = 0
        self.times: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.style_attrs += "style" in values or any(k.startswith("on") for k in values)
        if tag == "a":
            self.links.append((values.get("href", ""), values))
        elif tag == "meta" and "name" in values:
            self.meta.append((values["name"], values.get("content", "")))
        elif tag == "script":
            self.scripts.append(values)
        elif tag == "time":
            self.times.append(values.get("datetime", ""))


def html_of(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def total_of(html: str) -> int:
    return int(re.search(r'id="resultaten-kop"[^>]*>\s*(\d+)', html).group(1))


def test_search_page_shows_the_seed_letter_with_a_highlighted_snippet(client: FlaskClient) -> None:
    page = client.get("/?q=uitbuiting+Roma+kinderen")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'lang="nl"' in html
    assert "Afronding programma Aanpak uitbuiting Roma kinderen" in html
    assert "<mark>" in html and "(p. " in html
    assert "4 april 2017" in html and "kst-32824-193" in html  # Dutch date and identifier on the card


def test_facets_combine_within_a_field_and_narrow_across_fields(client: FlaskClient) -> None:
    all_total = total_of(html_of(client, "/?q=motie"))
    xml = total_of(html_of(client, "/?q=motie&source=kamerstukken-xml"))
    html_src = total_of(html_of(client, "/?q=motie&source=kamerstukken-html"))
    both = html_of(client, "/?q=motie&source=kamerstukken-xml&source=kamerstukken-html")
    assert 0 < xml < all_total and total_of(both) == xml + html_src
    narrowed = html_of(client, "/?q=motie&source=kamerstukken-xml&year=2024")
    assert 0 < total_of(narrowed) < xml
    # the chosen field still offers its other values, counted without its own filter
    widened = client.get("/api/v1/search?q=motie&year=2024").get_json()["facets"]["source"]
    facet = narrowed.split('id="facet-source"')[1].split("</details>")[0]
    shown = re.findall(r'>\s*(?:<span aria-hidden="true">✓</span> )?([\w-]+)(?:<span class="visually-hidden">[^<]*</span>)?</a> <span class="count">(\d+)</span>', facet)
    assert shown == [(f["value"], str(f["count"])) for f in widened]


def test_every_link_keeps_the_search_state(client: FlaskClient) -> None:
    page = Page(html_of(client, "/?q=motie&source=kamerstukken-xml&van=2020&sort=date-desc"))
    facet_links = [dict(parse_qsl(urlparse(h).query)) for h, _ in page.links if "year=" in h]
    assert facet_links and all(p["q"] == "motie" and p["van"] == "2020" and p["sort"] == "date-desc"
                               for p in facet_links)
    remove = [h for h, a in page.links if "chip" in a.get("class", "") and "van=" in h]
    assert len(remove) == 1 and "source=" not in remove[0]  # the source chip drops only the source


def test_sort_by_date_orders_the_whole_result_set(client: FlaskClient) -> None:
    newest = Page(html_of(client, "/?q=motie&sort=date-desc")).times
    oldest = Page(html_of(client, "/?q=motie&sort=date-asc")).times
    assert newest == sorted(newest, reverse=True) and oldest == sorted(oldest)
    assert newest[0] > oldest[0]


def test_date_range_is_inclusive_and_shown_as_a_removable_filter(client: FlaskClient) -> None:
    html = html_of(client, "/?q=motie&van=2023&tot=2023")
    dates = Page(html).times
    assert dates and all(d.startswith("2023") for d in dates)
    assert "Periode: 2023 – 2023" in html


def test_pagination_links(client: FlaskClient) -> None:
    html = html_of(client, "/?pagina=2")
    assert 'aria-current="page"' in html and 'rel="prev"' in html and 'start="11"' in html
    assert total_of(html) == total_of(html_of(client, "/"))


def test_empty_state_offers_the_suggestion(client: FlaskClient) -> None:
    html = html_of(client, "/?q=uitbuting")
    assert "Geen documenten gevonden." in html
    assert re.search(r'Bedoelde u <a href="/\?q=uitbuiting">uitbuiting</a>\?', html)


def test_document_page_shows_metadata_citation_and_text(client: FlaskClient, demo_data: Path) -> None:
    html = html_of(client, f"/document/{SEED}")
    doc = open_backend(demo_data).get(SEED)
    assert "4 april 2017" in html and "S.A. Blok" in html and "Eind 2016" in html
    assert f'<output id="citaat" class="cite-text">{leidraad.cite(doc)}</output>' in html
    assert client.get("/document/geen:document").status_code == 404


def test_document_page_has_the_zotero_meta_tags(client: FlaskClient, demo_data: Path) -> None:
    page = Page(html_of(client, f"/document/{SEED}"))
    expected = zotero_meta(open_backend(demo_data).get(SEED))
    assert [m for m in page.meta if m[0] not in ("viewport",)] == expected
    names = {name for name, _ in expected}
    assert {"citation_title", "citation_date", "citation_author", "citation_technical_report_number"} <= names


def test_document_text_marks_the_query_terms(client: FlaskClient) -> None:
    html = html_of(client, f"/document/{SEED}?q=kind+uitbuit*")
    text = html.split('id="tekst-kop"')[1]
    marked = {m.lower() for m in re.findall(r"<mark>(.*?)</mark>", text)}
    # marked as the search matches: "kinderen" is the plural of "kind" (one lemma since schema 5)
    assert {"kind", "kinderen", "uitbuiting"} <= marked
    assert "<mark>" not in html_of(client, f"/document/{SEED}").split('id="tekst-kop"')[1]


def test_cites_and_cited_by_link_documents(client: FlaskClient) -> None:
    cited = html_of(client, f"/document/{CITED}").split('id="citedby-kop"')[1]
    assert f'href="/document/{CITING}"' in cited
    citing = html_of(client, f"/document/{CITING}").split('id="cites-kop"')[1].split('id="citedby-kop"')[0]
    assert f'href="/document/{CITED}"' in citing


def test_hostile_values_are_escaped(tmp_path: Path) -> None:
    payload = '<script>alert("x")</script>'
    doc = Document(id=f"t:{payload}", source="t", title=payload, pages=(f"tekst {payload} uitbuiting",),
                   authors=(payload,), identifiers={"canonical": payload}, extra={"theme": payload})
    with open_writer(tmp_path, lambda d: set()) as writer:
        writer.upsert(doc)
    client = create_app({"DATA_DIR": str(tmp_path)}).test_client()
    urls = ("/?q=uitbuiting", "/?q=" + payload, "/document/t:" + payload + "?q=" + payload,
            "/feed.atom?q=uitbuiting", "/?q=uitbuiting&source=" + payload)
    for url in urls:
        html = client.get(url).get_data(as_text=True)
        assert payload not in html and "&lt;script&gt;" in html, url


def test_only_web_addresses_become_links(tmp_path: Path) -> None:
    doc = Document(id="t:1", source="t", title="Links", url="javascript:alert(document.cookie)",
                   file_url="https://www.tweedekamer.nl/downloads/document?id=2017D09811")
    with open_writer(tmp_path, lambda d: set()) as writer:
        writer.upsert(doc)
    html = create_app({"DATA_DIR": str(tmp_path)}).test_client().get("/document/t:1").get_data(as_text=True)
    hrefs = [href for href, _ in Page(html).links]
    assert not [h for h in hrefs if "javascript" in h.lower()]
    assert "https://www.tweedekamer.nl/downloads/document?id=2017D09811" in hrefs
    assert "javascript:" not in html  # no public address: not shown at all, not even as text
    assert "alleen lokaal beschikbaar" in html


def test_security_headers_and_no_inline_script_or_style(client: FlaskClient) -> None:
    for url in ("/?q=uitbuiting", f"/document/{SEED}", "/mandje", "/status", "/hulp", "/nope"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        page = Page(response.get_data(as_text=True))
        assert page.scripts and all(s.get("src", "").startswith("/static/") for s in page.scripts), url
        assert page.style_attrs == 0, url


def test_everything_is_served_locally(client: FlaskClient) -> None:
    html = html_of(client, "/?q=uitbuiting")
    assets = re.findall(r'<(?:link|script)[^>]+(?:href|src)="([^"]+)"', html)
    assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets)
    css = client.get("/static/style.css").get_data(as_text=True)
    assert "@import" not in css and "url(" not in css


def test_bad_parameters_never_fail(client: FlaskClient) -> None:
    for query in ('?q="unbalanced', "?q=-", "?pagina=abc", "?pagina=-5&sort=evil", "?q=x&van=2017&tot=20",
                  "?pagina=99999", "?year=%00", "?q=" + "x" * 5000, "?q=dossier:", "?q=*"):
        assert client.get("/" + query).status_code == 200, query


@pytest.mark.parametrize("module_name", ["formatting", "search_pages", "exports"])
def test_doctests_of_the_ui_modules(module_name: str) -> None:
    # search_ui is not in pytest's testpaths, so its examples are run from here
    import doctest
    import importlib

    module = importlib.import_module(f"search_ui.{module_name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_dossier_facet_values_carry_the_dossier_title(client: FlaskClient) -> None:
    html = client.get("/?q=mensenhandel").get_data(as_text=True)
    assert '28638 <span class="facet-title">Mensenhandel</span>' in html
    chosen = client.get("/?q=mensenhandel&dossier=32824").get_data(as_text=True)
    assert 'Dossier: 32824 <span class="facet-title">Integratiebeleid</span>' in chosen


def test_document_page_marks_words_as_the_index_analyses_them(client: FlaskClient) -> None:
    html = client.get(f"/document/{SEED}?q=gezin+uitbuiting").get_data(as_text=True)
    # compound parts, inflections and stems count, as in the search itself
    assert "<mark>multiprobleemgezinnen</mark>" in html
    assert "<mark>kinderuitbuiting</mark>" in html and "<mark>uitbuiting</mark>" in html
    assert "<mark>Roma</mark>" not in html
    assert "<mark>" not in html_of(client, f"/document/{SEED}").split('id="tekst-kop"')[1]
