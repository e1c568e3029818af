"""No local path in anything a user sees or exports: every export format, the JSON API, the
Atom feed and every page of the demo over every document of the bundled corpus; and the
public addresses that follow from the identifiers (indexer.export.public_url)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import rispy
from flask.testing import FlaskClient

from indexer.export import FORMATS, export
from indexer.export.public_url import public_document, public_url
from indexer.index import SearchRequest, open_backend
from indexer.model import Document
from search_ui import create_app
from tests.conftest import CORPUS

#: What must never reach a user: the file scheme and the server's own corpus path.
LOCAL_MARKS = ("file://", "file:", str(CORPUS))


def assert_no_local_path(text: str, where: str) -> None:
    for mark in LOCAL_MARKS:
        assert mark not in text, f"{mark!r} in {where}"


@pytest.fixture(scope="module")
def documents(demo_data: Path) -> list[Document]:
    return list(open_backend(demo_data).iter_documents(SearchRequest()))


@pytest.fixture()
def client(demo_data: Path) -> FlaskClient:
    return create_app({"DATA_DIR": str(demo_data), "SECRET_KEY": "test"}).test_client()


def test_the_stored_records_do_hold_local_paths(documents: list[Document]) -> None:
    # the premise of the tests below: the folder source stores where it read each file
    assert len(documents) == 82
    assert sum(doc.url.startswith("file://") for doc in documents) == 81


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_export_format_holds_a_local_path(fmt: str, documents: list[Document]) -> None:
    for doc in documents:
        out = io.StringIO()
        assert export([doc], fmt, out, accessed="2026-12-01") == 1
        assert_no_local_path(out.getvalue(), f"{fmt} of {doc.id}")


def test_no_page_of_the_demo_holds_a_local_path(client: FlaskClient, documents: list[Document]) -> None:
    local_only = 0
    for doc in documents:
        html = client.get(f"/document/{doc.id}?q=de&lang=nl").get_data(as_text=True)
        assert_no_local_path(html, f"document page of {doc.id}")
        local_only += "alleen lokaal beschikbaar" in html
        english = client.get(f"/document/{doc.id}?lang=en").get_data(as_text=True)
        assert_no_local_path(english, f"English document page of {doc.id}")
        api = client.get(f"/api/v1/documents/{doc.id}").get_data(as_text=True)
        assert_no_local_path(api, f"API document {doc.id}")
    # only the 18 rijksoverheid PDFs, the TK page without number and the besluitenlijsten
    # have no public address
    assert local_only == sum(not public_url(doc) for doc in documents) > 0


def test_no_search_result_feed_or_basket_holds_a_local_path(client: FlaskClient, documents: list[Document]) -> None:
    sources = sorted({doc.source for doc in documents})
    for source in sources:
        for url in (f"/?source={source}", f"/feed.atom?source={source}",
                    f"/api/v1/search?source={source}&page_size=100", f"/export?source={source}&formaat=ris",
                    f"/?q=de&source={source}", "/status", "/federated?q=motie"):
            assert_no_local_path(client.get(url).get_data(as_text=True), url)
    html = client.get("/?q=motie").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    ids = [doc.id for doc in documents][:50]
    client.post("/mandje/toevoegen", data={"csrf": token, "id": ids, "next": "/mandje"})
    assert_no_local_path(client.get("/mandje").get_data(as_text=True), "basket")
    for fmt in FORMATS:
        assert_no_local_path(client.get(f"/mandje/export?formaat={fmt}").get_data(as_text=True), f"basket {fmt}")


PUBLIC_ADDRESSES = {
    "kamerstukken-xml:kst-28638-241": "https://zoek.officielebekendmakingen.nl/kst-28638-241.html",
    "aanhangsel:ah-tk-20232024-1178": "https://zoek.officielebekendmakingen.nl/ah-tk-20232024-1178.html",
    "kamerstukken-html:h-tk-20052006-3563-3563": "https://zoek.officielebekendmakingen.nl/h-tk-20052006-3563-3563.html",
    "kamerstukken:kst-35538-4-advies-raad-van-state": "https://zoek.officielebekendmakingen.nl/kst-35538-4.html",
    "regelgeving:BWBR0033564": "https://wetten.overheid.nl/BWBR0033564",
    "regelgeving:BWBV0004138": "https://wetten.overheid.nl/BWBV0004138",
}


@pytest.mark.parametrize(("doc_id", "url"), PUBLIC_ADDRESSES.items())
def test_public_address_follows_from_the_identifier(doc_id: str, url: str, documents: list[Document]) -> None:
    doc = next(d for d in documents if d.id == doc_id)
    out = io.StringIO()
    export([doc], "ris", out)
    assert rispy.loads(out.getvalue())[0]["urls"] == [url]
    out = io.StringIO()
    export([doc], "csl-json", out)
    assert json.loads(out.getvalue())[0]["URL"] == url


def test_a_local_only_document_says_so_and_cites_no_address(client: FlaskClient, documents: list[Document]) -> None:
    doc = next(d for d in documents if d.id == "rijksoverheid:contourennota-intrekking-spreidingswet-20250414")
    html = client.get(f"/document/{doc.id}?lang=nl").get_data(as_text=True)
    assert "alleen lokaal beschikbaar" in html
    assert "only held locally" in client.get(f"/document/{doc.id}?lang=en").get_data(as_text=True)
    out = io.StringIO()
    export([doc], "leidraad", out)
    assert "te raadplegen via" not in out.getvalue()
    assert not public_document(doc).url and not public_document(doc).file_url


@pytest.mark.parametrize(
    ("identifiers", "url"),
    [
        ({"canonical": "stb-2018-84"}, "https://zoek.officielebekendmakingen.nl/stb-2018-84.html"),
        ({"canonical": "gmb-2017-100002"}, "https://zoek.officielebekendmakingen.nl/gmb-2017-100002.html"),
        ({"canonical": "kst-36600-VI-149"}, "https://zoek.officielebekendmakingen.nl/kst-36600-VI-149.html"),
        ({"canonical": "wodc:2363", "handle": "20.500.12832/2363"}, "https://hdl.handle.net/20.500.12832/2363"),
        ({"tk_id": "2015D04817"}, "https://www.tweedekamer.nl/kamerstukken/detail?id=2015D04817&did=2015D04817"),
        ({"canonical": "url:hetccv.nl/x"}, ""),
    ],
)
def test_url_schemes(identifiers: dict[str, str], url: str) -> None:
    doc = Document(id="t:x", source="t", url="file:///srv/x.pdf", identifiers=identifiers)
    assert public_url(doc) == url


def test_a_web_address_is_kept_when_no_scheme_applies() -> None:
    legacy = "http://rm.coe.int/CoERMPublicCommonSearchServices/DisplayDCTMContent?documentId=09000016800893e7"
    doc = Document(id="t:x", source="t", url=legacy, identifiers={"coe_reference": "CAHROM(2013)13"})
    assert public_url(doc) == legacy
    assert public_url(doc.replace(url="javascript:alert(1)")) == ""


def test_the_cli_search_and_export_hold_no_local_path_but_show_does(demo_data: Path,
                                                                    documents: list[Document]) -> None:
    from click.testing import CliRunner

    from indexer.cli import main

    runner = CliRunner()
    for args in (["search", "mensenhandel", "--json", "--limit", "100"], ["search", "roma"],
                 ["export", "mensenhandel", "--format", "csl-json"]):
        result = runner.invoke(main, [*args, "--data-dir", str(demo_data)])
        assert result.exit_code == 0, result.output
        assert_no_local_path(result.stdout, " ".join(args))
    local = next(doc.id for doc in documents if doc.url.startswith("file://"))
    shown = runner.invoke(main, ["show", local, "--json", "--data-dir", str(demo_data)])
    assert "file://" in shown.stdout  # the operator's view keeps where the file was read
