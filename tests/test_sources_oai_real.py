"""OAI-PMH on real recorded DSpace answers (DSpace 7 ListRecords, DSpace 6 ListRecords,
an XOAI GetRecord; see tests/fixtures/replay/PROVENANCE.md): the issued date, the kind,
the abstract, ISBN/series, ISO 639-1 languages, ``defaults``; and the DSpace 7 REST walk
to the report PDF through a real crawl (replay server on 127.0.0.1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.model import ROLE_DOCUMENT, Failure, Record, Request, Response
from indexer.sources import build_source, dspace_rest
from tests.crawl_helpers import by_source, crawl, documents, write_config
from tests.replay_server import ReplayServer

DSPACE7 = Path(__file__).parent / "fixtures" / "replay" / "dspace7"
BASE = "http://127.0.0.1:9"


def parse(name: str, **options: object) -> list[object]:
    source = build_source("wodc", "oai_pmh", {"endpoint": f"{BASE}/server/oai/request", **options})
    request = next(iter(source.start(None)))
    body = (DSPACE7 / name).read_bytes().replace(b"{{BASE}}", BASE.encode())
    return list(source.parse(Response(request, request.url, 200, {"content-type": "text/xml"}, body)))


def records(name: str, **options: object) -> dict[str, Record]:
    return {item.native_id: item for item in parse(name, **options) if isinstance(item, Record)}


def test_dspace7_issued_date_not_the_accession_timestamp() -> None:
    got = records("listrecords_bracu.xml")
    assert got["10361/22810"].metadata["date"] == "2023-11"  # dc:date 1 and 2 are 2024-05-14T04:06:06Z
    assert got["10361/21650"].metadata["date"] == "2021-01-04"
    assert records("listrecords_dspace6_demo.xml")["10673/77"].metadata["date"] == "2021-11-19"


def test_summary_is_the_abstract_without_notes_or_author_names() -> None:
    meta = records("listrecords_bracu.xml")["10361/22810"].metadata
    assert meta["summary"].startswith("Bacteriophages, commonly referred to as bacterial viruses")
    assert meta["summary"].endswith("influences the formation of bacterial biofilms.")
    for noise in ("Catalogued from", "partial fulfillment", "Anika Roy", "pages 58-60", "Bachelor of Science"):
        assert noise not in meta["summary"]
    conicet = records("getrecord_conicet.xml")["11336/149241"].metadata
    assert conicet["summary"].startswith("La bioinformática nace") and "Fil:" not in conicet["summary"]


def test_get_record_is_parsed_with_kind_isbn_and_iso_639_1_language() -> None:
    items = parse("getrecord_conicet.xml")
    (record,) = [i for i in items if isinstance(i, Record)]
    meta = record.metadata
    assert meta["title"].startswith("Bioinformática para la creación y fortalecimiento")
    assert meta["doc_type"] == "hoofdstuk"  # bookPart, not the first dc:type publishedVersion
    assert meta["language"] == "es"  # spa
    assert meta["isbn"] == "978-987-558-611-6"
    assert meta["date"] == "2019" and meta["handle"] == "11336/149241"
    assert not [i for i in items if isinstance(i, Failure)]


def test_series_and_number_from_dc_relation_and_dspace_kinds() -> None:
    demo = records("listrecords_dspace6_demo.xml")["10673/77"].metadata
    assert demo["series"] == "Beispiel" and demo["report_number"] == "Beispiel 01"
    assert demo["language"] == "de"
    bracu = records("listrecords_bracu.xml")
    assert bracu["10361/22810"].metadata["doc_type"] == "scriptie"
    assert "isbn" not in bracu["10361/22810"].metadata  # "ID 00000001" is no ISBN


def test_response_without_records_element_is_a_failure() -> None:
    (failure,) = parse_body(b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate/></OAI-PMH>')
    assert isinstance(failure, Failure) and "ListRecords or GetRecord" in failure.reason


def parse_body(body: bytes) -> list[object]:
    source = build_source("wodc", "oai_pmh", {"endpoint": f"{BASE}/server/oai/request"})
    request = next(iter(source.start(None)))
    return list(source.parse(Response(request, request.url, 200, {"content-type": "text/xml"}, body)))


def test_defaults_fill_what_the_record_leaves_out_but_never_override_it() -> None:
    got = records("listrecords_bracu.xml", defaults={"category": "wodc", "creators": ["WODC"], "language": "nl"})
    meta = got["10361/22810"].metadata
    assert meta["category"] == "wodc"
    assert meta["creators"] == ["BRAC University"] and meta["language"] == "en"


def test_dspace7_rest_walk_requests_the_item_by_handle() -> None:
    items = parse("listrecords_bracu.xml", dspace_rest=f"{BASE}/server/api")
    walks = [i for i in items if isinstance(i, Request) and i.role == dspace_rest.ROLE_ITEM]
    assert [w.url for w in walks] == [f"{BASE}/server/api/pid/find?id=10361/22810",
                                      f"{BASE}/server/api/pid/find?id=10361/21650"]
    assert walks[0].native_id == "10361/22810" and walks[0].meta["title"].startswith("Effect of free DNA")


def test_crawl_finds_the_pdf_through_dspace7_rest_and_records_a_failure_without_one(tmp_path: Path) -> None:
    with ReplayServer("dspace7") as server:
        config = write_config(tmp_path / "sources.toml", [{
            "name": "wodc", "kind": "oai_pmh", "endpoint": server.url("/server/oai/request"),
            "dspace_rest": server.url("/server/api"), "defaults": {"category": "wodc"}}])
        summary, _ = crawl(config, tmp_path / "data")
        fetched = [hit.path for hit in server.hits]
    docs = documents(tmp_path / "data")
    thesis = docs["wodc:10361/22810"]
    assert thesis.file_url.endswith("/server/api/core/bitstreams/8d33bdfb-e7ba-43e6-a93a-f445b7e8a1e2/content")
    assert len(thesis.pages) > 1 and "spreidingswet" in " ".join(thesis.pages).lower()  # the PDF's text
    assert thesis.title.startswith("Effect of free DNA") and thesis.date == "2023-11"
    assert thesis.category == "wodc" and thesis.doc_type == "scriptie" and thesis.language == "en"
    assert "/server/api/core/bitstreams/1ce6db0e-662f-4a13-ba87-c371ad664b14/content" not in fetched  # license_rdf
    drawing = docs["wodc:10361/21650"]  # no ORIGINAL bundle: indexed from its metadata, failure recorded
    assert drawing.file_url == "" and drawing.summary.startswith("This record contains architectural")
    result = by_source(summary, "wodc")
    assert result.failed == 1 and "geen ORIGINAL-bundle" in result.failures[0][1]
    assert "10361/21650" in result.failures[0][1]
    assert result.cursor == "2026-07-16T04:21:00Z"  # an item without a file does not hold the cursor back


def test_rest_walk_takes_embedded_bitstreams_and_names_what_is_wrong() -> None:
    bundles = json.loads((DSPACE7 / "bundles_22810.json").read_text(encoding="utf-8"))
    original = bundles["_embedded"]["bundles"][1]
    streams = json.loads((DSPACE7 / "bitstreams_22810.json").read_text(encoding="utf-8"))["_embedded"]
    original["_embedded"] = streams  # a bundle may embed its bitstreams (bundles.md)
    role, url = dspace_rest.next_url(dspace_rest.ROLE_BUNDLES, json.dumps(bundles).encode())
    assert role == ROLE_DOCUMENT and url.endswith("/8d33bdfb-e7ba-43e6-a93a-f445b7e8a1e2/content")  # the .pdf
    with pytest.raises(dspace_rest.NotFound, match="geen JSON"):
        dspace_rest.next_url(dspace_rest.ROLE_ITEM, b"<html>Not Found</html>")
    with pytest.raises(dspace_rest.NotFound, match="zonder bestand"):
        dspace_rest.next_url(dspace_rest.ROLE_BITSTREAMS, b'{"_embedded": {"bitstreams": []}}')
