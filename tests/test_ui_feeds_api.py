"""The Atom feed per query, the OpenSearch description, and the versioned JSON API with
its OpenAPI document (every documented path answers; the answers have the documented keys)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from indexer.index import FACET_FIELDS
from search_ui import create_app

SEED = "kamerstukken:kst-32824-193"
ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


@pytest.fixture()
def client(demo_data: Path) -> FlaskClient:
    return create_app({"DATA_DIR": str(demo_data)}).test_client()


def test_atom_feed_lists_the_newest_matches(client: FlaskClient) -> None:
    response = client.get("/feed.atom?q=motie&source=kamerstukken-xml")
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    total = client.get("/api/v1/search?q=motie&source=kamerstukken-xml").get_json()["total"]
    assert len(entries) == min(total, 25) and feed.findtext(f"{ATOM}title") == "bronzoeker: motie"
    published = [e.findtext(f"{ATOM}published") for e in entries if e.findtext(f"{ATOM}published")]
    assert len(published) > 10 and published == sorted(published, reverse=True)
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert all(link.startswith("/document/") for link in links), "no public_url: links relative to the feed"
    assert all(e.findtext(f"{ATOM}updated") for e in entries)


def test_search_page_advertises_its_feed_and_the_opensearch_description(client: FlaskClient) -> None:
    html = client.get("/?q=uitbuiting").get_data(as_text=True)
    assert 'type="application/atom+xml"' in html and 'href="/feed.atom?q=uitbuiting"' in html
    assert 'type="application/opensearchdescription+xml"' in html
    description = ET.fromstring(client.get("/opensearch.xml").data)
    templates = {u.get("type"): u.get("template") for u in description.findall(f"{OPENSEARCH}Url")}
    assert templates["text/html"].startswith("/?q={searchTerms}")
    assert "{searchTerms}" in templates["application/atom+xml"]
    assert description.findtext(f"{OPENSEARCH}ShortName") == "bronzoeker"


def test_api_search_and_document(client: FlaskClient) -> None:
    data = client.get("/api/v1/search?q=uitbuiting&pagina=1").get_json()
    assert data["api_version"] == 1 and data["total"] >= 1
    sources = data["facets"]["source"]
    assert sources and all(set(f) == {"value", "count"} and f["count"] > 0 for f in sources)
    assert sum(f["count"] for f in sources) == data["total"]
    document = client.get(f"/api/v1/documents/{SEED}").get_json()
    assert document["document"]["id"] == SEED and document["citation"] == "Kamerstukken II 2016/17, 32824, nr. 193"
    assert client.get(f"/api/v1/document/{SEED}").get_json()["document"]["id"] == SEED
    missing = client.get("/api/v1/documents/geen:document")
    assert missing.status_code == 404 and missing.get_json()["error"] == "not found"


def test_api_page_size_is_bounded(client: FlaskClient) -> None:
    assert len(client.get("/api/v1/search?page_size=3").get_json()["hits"]) == 3
    assert client.get("/api/v1/search?page_size=100000").get_json()["page_size"] == 100
    assert client.get("/api/v1/search?page_size=x").get_json()["page_size"] == 10


def test_openapi_document_describes_what_the_api_answers(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and spec["info"]["version"] == "1"
    params = {p["name"] for p in spec["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert set(FACET_FIELDS) | {"q", "van", "tot", "sort", "pagina", "page_size"} <= params
    for path in spec["paths"]:
        url = path.replace("{doc_id}", SEED) + "?q=motie"  # the federated search needs a query
        assert client.get(url).status_code == 200, path
    result_keys = set(spec["components"]["schemas"]["SearchResult"]["properties"])
    assert set(client.get("/api/v1/search?q=motie").get_json()) == result_keys
    doc_keys = set(spec["components"]["schemas"]["DocumentResponse"]["properties"])
    assert set(client.get(f"/api/v1/documents/{SEED}").get_json()) == doc_keys


def test_api_without_an_index_says_so(tmp_path: Path) -> None:
    client = create_app({"DATA_DIR": str(tmp_path)}).test_client()
    response = client.get("/api/v1/search?q=x")
    assert response.status_code == 200 and response.get_json()["notice"] == "nog geen documenten"
    page = client.get("/?q=x")
    assert page.status_code == 200 and "Nog geen documenten in de index." in page.get_data(as_text=True)


def response_validator(spec: dict[str, Any], schema_name: str) -> Any:
    """A validator for one component schema of the served OpenAPI document."""
    registry = Registry().with_resource("urn:bronzoeker-api",
                                        Resource.from_contents(spec, default_specification=DRAFT202012))
    return OAS31Validator({"$ref": f"urn:bronzoeker-api#/components/schemas/{schema_name}"}, registry=registry)


def test_openapi_document_is_valid_and_the_answers_match_it(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)
    answers = {"SearchResult": "/api/v1/search?q=motie&source=kamerstukken-xml",
               "DocumentResponse": f"/api/v1/documents/{SEED}", "StatusResponse": "/api/v1/status"}
    for schema_name, url in answers.items():
        errors = [e.message for e in response_validator(spec, schema_name).iter_errors(client.get(url).get_json())]
        assert not errors, (url, errors[:3])
    broken = {**client.get("/api/v1/search?q=motie").get_json(), "total": "veel"}
    assert list(response_validator(spec, "SearchResult").iter_errors(broken)), "the validator must see errors"
