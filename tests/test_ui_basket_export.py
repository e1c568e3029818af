"""The basket (signed cookie, POST with CSRF token) and the downloads: every format of
``indexer.export`` for the basket and for all results of a query, read back by parsers."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
import rispy
from flask.testing import FlaskClient

from indexer.export import FORMATS
from indexer.model import Document
from search_ui import create_app
from search_ui.basket import MAX_BASKET
from search_ui.exports import stream_export

SEED = "kamerstukken:kst-32824-193"
OTHER = "kamerstukken-html:kst-19637-1020"


@pytest.fixture()
def client(demo_data: Path) -> FlaskClient:
    return create_app({"DATA_DIR": str(demo_data), "SECRET_KEY": "test"}).test_client()


def csrf(client: FlaskClient, url: str = "/?q=motie") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def add(client: FlaskClient, *doc_ids: str, next_url: str = "/?q=motie") -> None:
    response = client.post("/mandje/toevoegen", data={"csrf": csrf(client), "id": list(doc_ids), "next": next_url})
    assert response.status_code == 303 and response.headers["Location"] == next_url
    assert "Expires=" in response.headers["Set-Cookie"], "the basket outlives the browser session"


def basket_ids(client: FlaskClient) -> list[str]:
    html = client.get("/mandje").get_data(as_text=True)
    return re.findall(r'name="id" value="([^"]+)"', html)


def test_adding_needs_the_csrf_token(client: FlaskClient) -> None:
    csrf(client)
    assert client.post("/mandje/toevoegen", data={"id": SEED}).status_code == 400
    assert client.post("/mandje/toevoegen", data={"id": SEED, "csrf": "forged"}).status_code == 400
    assert basket_ids(client) == []


def test_basket_keeps_documents_across_searches_and_removes_them(client: FlaskClient) -> None:
    add(client, SEED, next_url="/?q=uitbuiting")
    add(client, OTHER, "geen:document", SEED)  # unknown ids and doubles are ignored
    assert basket_ids(client) == [SEED, OTHER]
    assert "Mandje <span class=\"basket-count\">(2)</span>" in client.get("/?q=iets").get_data(as_text=True)
    client.post("/mandje/verwijderen", data={"csrf": csrf(client), "id": SEED})
    assert basket_ids(client) == [OTHER]
    client.post("/mandje/legen", data={"csrf": csrf(client)})
    assert basket_ids(client) == []


def test_redirect_after_post_stays_on_this_site(client: FlaskClient) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/mandje/toevoegen", data={"csrf": csrf(client), "id": SEED, "next": target})
        assert response.headers["Location"] == "/mandje", target


def test_a_full_basket_fits_in_its_cookie(client: FlaskClient, demo_data: Path) -> None:
    from indexer.index import SearchRequest, open_backend

    ids = [d.id for d in open_backend(demo_data).iter_documents(SearchRequest())][:MAX_BASKET]
    add(client, *ids)
    cookie = client.get_cookie("bronzoeker")
    assert cookie is not None and len(cookie.value) < 4000
    assert basket_ids(client) == ids


def test_basket_export_in_every_format(client: FlaskClient) -> None:
    add(client, SEED, OTHER)
    for name, fmt in FORMATS.items():
        response = client.get(f"/mandje/export?formaat={name}")
        assert response.status_code == 200 and response.is_streamed
        assert response.headers["Content-Type"].startswith(fmt.media_type.split(";")[0])
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and f".{fmt.extension}\"" in disposition
        assert parsed_count(name, response.get_data(as_text=True)) == 2, name


def parsed_count(fmt: str, text: str) -> int:
    """How many records a real parser reads from an export."""
    readers = {
        "ris": lambda t: len(rispy.loads(t)),
        "bibtex": lambda t: len(bibtexparser.parse_string(t).entries),
        "csl-json": lambda t: len(json.loads(t)),
        "csv": lambda t: len(list(csv.DictReader(io.StringIO(t)))),
        "leidraad": lambda t: len([line for line in t.splitlines() if line.strip()]),
    }
    return readers[fmt](text)


def test_export_of_all_results_of_a_query(client: FlaskClient) -> None:
    total = client.get("/api/v1/search?q=motie&source=kamerstukken-xml").get_json()["total"]
    response = client.get("/export?q=motie&source=kamerstukken-xml&formaat=ris&pagina=2")
    entries = rispy.loads(response.get_data(as_text=True))
    assert len(entries) == total > 10  # every match, not one page
    assert 'filename="bronzoeker-motie-' in response.headers["Content-Disposition"]


def test_unknown_format_is_not_found(client: FlaskClient) -> None:
    assert client.get("/export?q=motie&formaat=docx").status_code == 404
    assert client.get("/mandje/export?formaat=../../etc").status_code == 404


def many_documents(count: int, produced: list[int]) -> Iterator[Document]:
    for index in range(count):
        produced.append(index)
        yield Document(id=f"test:{index}", source="test", title=f"Document {index} " + "x" * 200,
                       date="2017-04-04")


def export_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "export"]


def test_download_streams_and_stops_when_the_client_goes_away() -> None:
    produced: list[int] = []
    chunks = stream_export(many_documents(20_000, produced), FORMATS["ris"], "2026-11-28")
    first = next(chunks)
    assert first.startswith(b"TY  - ") and 0 < len(produced) < 20_000  # sent before all were made
    chunks.close()  # the client hangs up
    for _ in range(200):
        if not export_threads():
            break
        threading.Event().wait(0.05)
    assert not export_threads(), "the writer thread ends when nobody reads"
    assert len(produced) < 20_000
