"""Zotero from result lists and the basket's citation styles: the COinS spans and the unAPI
records of a page are parsed back into fields and checked against the documents; the
basket's reference list in Leidraad, APA and Chicago (citeproc-py, shipped CSL styles)."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import rispy
from flask import Flask
from flask.testing import FlaskClient

from indexer.export.fields import citation_fields
from indexer.export.public_url import public_document
from indexer.export.styles import STYLES, cite_all
from indexer.model import Document
from search_ui import create_app

SEED = "kamerstukken:kst-32824-193"
OTHER = "kamerstukken-html:kst-19637-1020"


@pytest.fixture()
def app(demo_data: Path) -> Flask:
    return create_app({"DATA_DIR": str(demo_data), "SECRET_KEY": "test"})


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def zotero_items(page: str) -> list[tuple[str, dict[str, list[str]]]]:
    """(unAPI id, COinS fields) of every listed document, as Zotero's connector reads them."""
    found = re.findall(r'<span class="Z3988" title="([^"]*)"></span><abbr class="unapi-id" title="([^"]*)">', page)
    return [(html.unescape(doc_id), parse_qs(html.unescape(kev))) for kev, doc_id in found]


def expected_fields(doc: Document) -> dict[str, list[str]]:
    fields = citation_fields(public_document(doc))
    expected = {"rft.btitle": [doc.title], "rft.date": [doc.date], "rft_id": [fields.url],
                "rft.pub": [fields.publisher],
                "rft.genre": ["report" if fields.profile.zotero_type == "report" else "document"]}
    if fields.persons:
        expected["rft.au"] = [person.inverted for person in fields.persons]
    else:
        expected["rft.aucorp"] = list(fields.institutions)
    return {key: value for key, value in expected.items() if any(value)}


def add(client: FlaskClient, *ids: str) -> None:
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/?q=motie").get_data(as_text=True)).group(1)
    client.post("/mandje/toevoegen", data={"csrf": token, "id": list(ids)})


def test_coins_on_a_result_page_give_back_the_documents(client: FlaskClient, app: Flask) -> None:
    page = client.get("/?q=mensenhandel").get_data(as_text=True)
    assert '<link rel="unapi-server" type="application/xml" title="unAPI" href="/unapi">' in page
    items = zotero_items(page)
    assert len(items) == 10 and SEED in dict(items)
    assert {kev["rft.genre"][0] for _, kev in items} == {"report", "document"}, "Kamerstukken and regulations"
    backend = app.extensions["bronzoeker.backend"]
    for doc_id, kev in items:
        doc = backend.get(doc_id)
        assert kev["ctx_ver"] == ["Z39.88-2004"] and kev["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:book"]
        assert {key: kev.get(key) for key in expected_fields(doc)} == expected_fields(doc), doc_id
        if doc.identifiers.get("canonical"):
            assert doc.identifiers["canonical"] in kev["rft.identifier"]
    seed = dict(items)[SEED]
    assert seed["rft.au"] == ["Blok, S.A.", "Asscher, L.F."] and seed["rft.date"] == ["2017-04-04"]
    assert seed["rft.identifier"] == ["kst-32824-193", "32824, nr. 193"]
    assert seed["rft_id"] == ["https://zoek.officielebekendmakingen.nl/kst-32824-193.html"]


def test_the_basket_offers_its_documents_to_zotero(client: FlaskClient) -> None:
    add(client, SEED, OTHER)
    assert [doc_id for doc_id, _ in zotero_items(client.get("/mandje").get_data(as_text=True))] == [SEED, OTHER]


def test_unapi_lists_formats_and_serves_ris(client: FlaskClient, app: Flask) -> None:
    formats = ET.fromstring(client.get("/unapi").get_data())
    assert [f.get("name") for f in formats] == ["ris", "bibtex", "csl-json"] and formats.get("id") is None
    one = client.get(f"/unapi?id={SEED}")
    assert one.status_code == 300 and ET.fromstring(one.get_data()).get("id") == SEED
    record = client.get(f"/unapi?id={SEED}&format=ris")
    assert record.mimetype == "application/x-research-info-systems"
    (entry,) = rispy.loads(record.get_data(as_text=True))
    doc = app.extensions["bronzoeker.backend"].get(SEED)
    assert entry["title"] == doc.title and entry["authors"] == ["Blok, S.A.", "Asscher, L.F."]
    assert entry["urls"] == ["https://zoek.officielebekendmakingen.nl/kst-32824-193.html"]
    assert client.get("/unapi?id=kamerstukken:nope&format=ris").status_code == 404
    assert client.get(f"/unapi?id={SEED}&format=leidraad").status_code == 406


def references(client: FlaskClient, url: str) -> list[str]:
    page = client.get(url).get_data(as_text=True)
    listed = re.search(r'<ol class="references"[^>]*>(.*?)</ol>', page, re.S).group(1)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)) for item in re.findall(r"<li>(.*?)</li>", listed, re.S)]


def test_the_basket_lists_references_in_the_chosen_style(client: FlaskClient) -> None:
    add(client, SEED, OTHER)
    leidraad, apa, chicago = (references(client, f"/mandje?stijl={s}") for s in ("leidraad", "apa", "chicago"))
    assert leidraad[0] == "Kamerstukken II 2016/17, 32824, nr. 193" and len(leidraad) == 2
    assert apa[0].startswith("Blok, S. A., & Asscher, L. F. (2017). Afronding programma Aanpak uitbuiting Roma kinderen")
    assert "(Kamerstuk 32824, nr. 193; Integratiebeleid). Tweede Kamer der Staten-Generaal." in apa[0]
    assert chicago[0].startswith("Blok, S. A., en L. F. Asscher. 2017. Afronding programma")
    assert references(client, "/mandje?stijl=chicago&lang=en")[0].startswith("Blok, S. A., and L. F. Asscher. 2017.")
    assert references(client, "/mandje?stijl=evil") == leidraad
    page = client.get("/mandje?stijl=apa").get_data(as_text=True)
    assert '<option value="apa" selected>' in page


def test_styles_escape_what_they_render() -> None:
    hostile = Document(id="x:1", source="x", title="<script>alert(1)</script>", date="2020-01-02",
                       authors=("Jansen, P.",), category="wodc")
    for name in STYLES:
        (entry,) = cite_all([hostile], name)
        assert "<script>" not in entry and "&lt;script&gt;" in entry, name
