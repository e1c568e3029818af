"""The web UI through Flask's test client: search page, document page, JSON API, escaping."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from indexer.index import open_writer
from indexer.model import Document
from search_ui import create_app

SEED = "kamerstukken:kst-32824-193"


@pytest.fixture()
def client(demo_data: Path) -> FlaskClient:
    return create_app({"DATA_DIR": str(demo_data), "TESTING": True}).test_client()


def test_search_page_shows_the_seed_letter_with_a_highlighted_snippet(client: FlaskClient) -> None:
    page = client.get("/?q=uitbuiting+Roma+kinderen")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'lang="nl"' in html
    assert "Afronding programma Aanpak uitbuiting Roma kinderen" in html
    assert "<mark>" in html and "(p. " in html
    assert "Content-Security-Policy" in page.headers


def test_document_page_shows_metadata_and_text(client: FlaskClient) -> None:
    page = client.get(f"/document/{SEED}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "4 april 2017" in html and "S.A. Blok" in html and "Eind 2016" in html
    assert client.get("/document/geen:document").status_code == 404


def test_api_search_and_document(client: FlaskClient) -> None:
    data = client.get("/api/v1/search?q=uitbuiting&pagina=1").get_json()
    assert data["api_version"] == 1 and data["total"] >= 1
    sources = data["facets"]["source"]
    assert sources and all(set(f) == {"value", "count"} and f["count"] > 0 for f in sources)
    assert sum(f["count"] for f in sources) == data["total"]
    assert client.get(f"/api/v1/document/{SEED}").get_json()["document"]["id"] == SEED


def test_hostile_values_are_escaped(tmp_path: Path) -> None:
    payload = '<script>alert("x")</script>'
    with open_writer(tmp_path, lambda d: set()) as writer:
        writer.upsert(Document(id=f"t:{payload}", source="t", title=payload, pages=(f"tekst {payload} uitbuiting",)))
    client = create_app({"DATA_DIR": str(tmp_path)}).test_client()
    for url in ("/?q=uitbuiting", "/?q=" + payload):
        html = client.get(url).get_data(as_text=True)
        assert payload not in html and "&lt;script&gt;" in html


def test_bad_parameters_never_fail(client: FlaskClient) -> None:
    for query in ('?q="unbalanced', "?q=-", "?pagina=abc", "?pagina=-5&sort=evil", "?q=x&van=2017&tot=20"):
        assert client.get("/" + query).status_code == 200, query
