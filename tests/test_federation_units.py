"""Federation pieces on bytes: CQL quoting, defensive parsing, SRU/JSON answers, fusion, config."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import rispy

from indexer.config import Config, Settings
from indexer.export import export
from indexer.federation import LOCAL, UnknownRemote, choose_remotes, federation_from_config, parse_remote
from indexer.federation.bronzoeker import parse_answer as parse_json_answer
from indexer.federation.cql import EmptyQuery, build_cql
from indexer.federation.fusion import facets, fuse, passes
from indexer.federation.http import RemoteError
from indexer.federation.model import SourceHit
from indexer.federation.safe import UnsafeAnswer, clean_snippet, parse_json, parse_xml, safe_link
from indexer.federation.sru import parse_answer as parse_sru_answer
from indexer.model import Document

FIXTURES = Path(__file__).parent / "fixtures" / "federation"
SRU = parse_remote({"name": "overheid", "kind": "sru", "url": "https://repository.overheid.nl/sru"})
COLLEGA = parse_remote({"name": "collega", "kind": "bronzoeker", "url": "http://127.0.0.1:9/api/v1/search"})


# -- CQL ------------------------------------------------------------------------------

def test_cql_quotes_every_word_and_escapes_quotes_and_masks() -> None:
    assert build_cql("mensenhandel", "cql.textAndIndexes") == 'cql.textAndIndexes = "mensenhandel"'
    injected = build_cql('x" or dt.type="Kamerstuk 50%?')
    assert injected == ('(cql.serverChoice = "x\\"" AND cql.serverChoice = "or" AND '
                        'cql.serverChoice = "dt.type=\\"Kamerstuk" AND cql.serverChoice = "50%\\?")')


def test_cql_phrases_or_exclusions_truncation_and_filter() -> None:
    cql = build_cql('"Samen tegen mensenhandel" uitbuit* OR kinderen -Roma', "i", "c.product-area==officielepublicaties")
    assert cql == ('(c.product-area==officielepublicaties) AND (((i adj "Samen tegen mensenhandel" AND '
                   '(i = "uitbuit*" OR i = "kinderen"))) NOT i = "Roma")')
    assert build_cql("title:roma a\\b", "i") == '(i = "roma" AND i = "a\\\\b")'


@pytest.mark.parametrize("query", ["", "   ", "-alleen -uitsluitingen", "OR AND"])
def test_cql_refuses_queries_without_positive_terms(query: str) -> None:
    with pytest.raises(EmptyQuery):
        build_cql(query)


# -- defensive parsing ----------------------------------------------------------------

def test_snippets_keep_only_mark_and_re_escape_everything() -> None:
    raw = '<b onmouseover="x()">roma</b> <MARK>kinderen</MARK> <script>alert(1)</script> &lt;i&gt; <mark>open'
    assert clean_snippet(raw) == "roma <mark>kinderen</mark> alert(1) &lt;i&gt; <mark>open</mark>"
    assert clean_snippet('<mark onclick="x">a</mark>') == "a"
    assert clean_snippet(["niet", "tekst"]) == ""


def test_links_must_be_absolute_http() -> None:
    assert safe_link("javascript:alert(1)") == "" and safe_link("data:text/html,x") == ""
    assert safe_link("/document/x") == "" and safe_link("https://zoek.officielebekendmakingen.nl/a.html")


def test_json_depth_bomb_is_refused_before_parsing() -> None:
    with pytest.raises(UnsafeAnswer, match="te diep"):
        parse_json(b"[" * 100_000 + b"]" * 100_000)
    assert parse_json(json.dumps({"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}).encode()) == {"a": "[" * 29}
    with pytest.raises(UnsafeAnswer):
        parse_json(b"\x89PNG rommel")


def test_xml_entities_are_never_expanded_or_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM-123")
    xxe = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><r>&x;</r>'.encode()
    assert b"GEHEIM" not in parse_xml_text(xxe)
    laughs = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "lollollollollollollollollol">'
              + b"".join(b'<!ENTITY %s "%s">' % (chr(98 + i).encode(), (b"&" + chr(97 + i).encode() + b";") * 10)
                         for i in range(8))
              + b"]><r>&i;</r>")
    try:
        assert len(parse_xml_text(laughs)) < 100  # not expanded ...
    except UnsafeAnswer as refused:  # ... or refused by libxml2's amplification guard
        assert "amplification" in str(refused)


def parse_xml_text(body: bytes) -> bytes:
    from lxml import etree

    return etree.tostring(parse_xml(body), method="text") or b""


# -- SRU answers ----------------------------------------------------------------------

def test_sru_gzd_records_become_documents_with_canonical_ids() -> None:
    answer = parse_sru_answer(SRU, (FIXTURES / "sru_mensenhandel.xml").read_bytes())
    assert answer.total == 3 and [h.rank for h in answer.hits] == [1, 2, 3]
    doc = answer.hits[1].document
    assert doc.id == "overheid:kst-28638-239" and doc.source == "overheid"
    assert doc.identifiers["canonical"] == "kst-28638-239" and doc.identifiers["dossier"] == "28638"
    assert doc.title.startswith("Motie van de leden Podt en Van Nispen") and doc.date == "2023-12-21"
    assert doc.authors == ("Podt", "Van Nispen") and doc.category == "kamerstuk" and doc.doc_type == "motie"
    assert answer.hits[1].link == "https://zoek.officielebekendmakingen.nl/kst-28638-239.html"
    assert doc.file_url.endswith("/kst-28638-239.pdf")


def test_sru_12_dublin_core_records() -> None:
    legacy = parse_remote({"name": "oep", "kind": "sru", "url": "https://zoek.officielebekendmakingen.nl/sru/Search",
                           "version": "1.2", "params": {"x-connection": "oep", "recordSchema": "dc"}})
    answer = parse_sru_answer(legacy, (FIXTURES / "sru12_dc_mensenhandel.xml").read_bytes())
    docs = [h.document for h in answer.hits]
    assert answer.total == 2 and [d.identifiers["canonical"] for d in docs] == ["kst-28638-239", "kst-28638-241"]
    assert docs[0].url == "https://zoek.officielebekendmakingen.nl/kst-28638-239.html" and docs[0].doc_type == "motie"


def test_sru_diagnostic_with_http_200_is_a_failure_not_zero_results() -> None:
    with pytest.raises(RemoteError, match="SRU-diagnose: info:srw/diagnostic/1/10"):
        parse_sru_answer(SRU, (FIXTURES / "sru_diagnostic.xml").read_bytes())
    with pytest.raises(RemoteError, match="geen SRU-antwoord"):
        parse_sru_answer(SRU, b"<html><body>Onderhoud</body></html>")


# -- bronzoeker answers ---------------------------------------------------------------

def test_bronzoeker_answer_fields_are_coerced_and_cleaned() -> None:
    hostile = {"api_version": 1, "total": "veel", "hits": [
        {"id": "x:1", "title": {"nested": 1}, "url": "javascript:alert(1)", "html_url": "http://andere/document/x:1",
         "snippet": "<img src=x onerror=alert(1)><mark>roma</mark>", "authors": ["A", 5, None], "snippet_page": "2",
         "identifiers": {"canonical": "kst-1-2", "x": ["lijst"]}},
        "geen object", {"title": "zonder id"}]}
    answer = parse_json_answer(COLLEGA, json.dumps(hostile).encode())
    assert answer.total == 1 and len(answer.hits) == 1
    hit = answer.hits[0]
    assert hit.document.title == "" and hit.document.url == "" and hit.link == "http://andere/document/x:1"
    assert hit.snippet == "<mark>roma</mark>" and hit.document.authors == ("A", "5") and hit.snippet_page is None
    assert hit.document.identifiers == {"canonical": "kst-1-2"}


@pytest.mark.parametrize("body", [b'{"api_version": 2, "hits": []}', b'[1, 2]', b'{"api_version": 1}', b"<html>"])
def test_bronzoeker_answers_of_another_shape_are_failures(body: bytes) -> None:
    with pytest.raises((RemoteError, UnsafeAnswer)):
        parse_json_answer(COLLEGA, body)


# -- fusion ---------------------------------------------------------------------------

def _hit(endpoint: str, rank: int, canonical: str = "", url: str = "", title: str = "") -> SourceHit:
    doc = Document(id=f"{endpoint}:{canonical or url or rank}", source=endpoint, url=url, title=title,
                   identifiers={"canonical": canonical} if canonical else {})
    return SourceHit(endpoint=endpoint, rank=rank, document=doc, local=endpoint == LOCAL)


def test_fusion_merges_the_same_document_and_names_every_endpoint() -> None:
    lists = {
        LOCAL: [_hit(LOCAL, 1, "kst-28638-244"), _hit(LOCAL, 2, "kst-28638-239")],
        "overheid": [_hit("overheid", 1, "KST-28638-239", "https://zoek.officielebekendmakingen.nl/kst-28638-239.html",
                          "Motie Podt")],
        "collega": [_hit("collega", 1, url="http://www.example.org/rapport/")],
        "ander": [_hit("ander", 1, url="https://example.org/rapport")],
    }
    hits = fuse(lists, {LOCAL: 1.0, "overheid": 1.0, "collega": 1.0, "ander": 1.0})
    assert [h.endpoints for h in hits] == [("collega", "ander"), (LOCAL, "overheid"), (LOCAL,)]
    assert [h.key for h in hits] == ["url:example.org/rapport", "kst-28638-239", "kst-28638-244"]
    merged = hits[1].to_document()
    assert merged.id == f"{LOCAL}:kst-28638-239" and merged.title == "Motie Podt"
    assert merged.url == "https://zoek.officielebekendmakingen.nl/kst-28638-239.html"


def test_fusion_keys_a_document_without_canonical_id_or_public_address_by_its_content() -> None:
    local = Document(id="rijksoverheid:dpia.pdf", source="rijksoverheid", url="file:///data/dpia.pdf",
                     content_hash="ABC123")
    remote = Document(id="rijksoverheid:dpia.pdf", source="rijksoverheid", content_hash="abc123")
    other = Document(id="rijksoverheid:ander.pdf", source="rijksoverheid", content_hash="def456")
    lists = {LOCAL: [SourceHit(LOCAL, 1, local, local=True)],
             "tweede": [SourceHit("tweede", 1, remote), SourceHit("tweede", 2, other)]}
    hits = fuse(lists, {LOCAL: 1.0, "tweede": 1.0})
    assert [(h.key, h.endpoints) for h in hits] == [("sha256:abc123", (LOCAL, "tweede")),
                                                    ("sha256:def456", ("tweede",))]


def test_merged_facets_count_a_filtered_field_without_its_own_filter() -> None:
    docs = [Document(id=f"d{i}", source=source, date=date) for i, (source, date) in
            enumerate([("a", "2017-01-01"), ("a", "2018-01-01"), ("b", "2017-05-05"), ("c", "2019")])]
    hits = fuse({LOCAL: [SourceHit(LOCAL, i + 1, d, local=True) for i, d in enumerate(docs)]}, {LOCAL: 1.0})
    counted = facets(hits, {"source": ("a",), "year": ("2017",)})
    assert dict(counted["source"]) == {"a": 1, "b": 1}  # the 2017 documents, whatever their source
    assert dict(counted["year"]) == {"2017": 1, "2018": 1}  # the source-a documents, whatever their year
    assert dict(counted["endpoint"]) == {LOCAL: 1}  # the listed documents
    assert [h.document.id for h in hits if passes(h.document, {"source": ("a",), "year": ("2017",)})] == ["d0"]


def test_fusion_weights_decide_between_single_hits() -> None:
    lists = {LOCAL: [_hit(LOCAL, 1, "a")], "overheid": [_hit("overheid", 1, "b")]}
    assert fuse(lists, {LOCAL: 1.0, "overheid": 2.0})[0].key == "b"
    assert fuse(lists, {LOCAL: 2.0, "overheid": 1.0})[0].key == "a"


# -- config ---------------------------------------------------------------------------

def test_bad_remotes_are_reported_and_skipped_and_names_are_checked() -> None:
    remotes = (
        {"name": "collega", "kind": "bronzoeker", "url": "http://127.0.0.1:9/api/v1/search", "weight": 2},
        {"name": "ftp", "kind": "sru", "url": "ftp://example.org/sru"},
        {"name": "x", "kind": "z3950", "url": "http://example.org/"},
        {"name": "traag", "kind": "sru", "url": "http://example.org/sru", "timeout": "lang"},
        {"name": LOCAL, "kind": "sru", "url": "http://example.org/sru"},
        {"name": "collega", "kind": "sru", "url": "http://example.org/sru"},
    )
    config = Config(path=Path("x.toml"), settings=Settings(extra={"federation_deadline": 2.5}), sources=(),
                    remotes=remotes)
    federation = federation_from_config(config)
    assert list(federation.remotes) == ["collega"] and federation.remotes["collega"].weight == 2.0
    assert [p.name for p in federation.problems] == ["ftp", "x", "traag", LOCAL, "collega"]
    assert federation.settings.deadline == 2.5
    assert choose_remotes(federation, []) == [federation.remotes["collega"]]
    with pytest.raises(UnknownRemote):
        choose_remotes(federation, ["collega", "http://127.0.0.1:9/evil"])


def test_sru_only_hits_export_with_the_official_citation() -> None:
    answer = parse_sru_answer(SRU, (FIXTURES / "sru_mensenhandel.xml").read_bytes())
    documents = [hit.to_document() for hit in fuse({"overheid": answer.hits}, {"overheid": 1.0})]
    leidraad, ris = io.StringIO(), io.StringIO()
    export(documents, "leidraad", leidraad)
    export(documents, "ris", ris)
    assert leidraad.getvalue().splitlines()[1] == "Kamerstukken II 2023/24, 28638, nr. 239"
    entry = rispy.loads(ris.getvalue())[1]
    assert entry["authors"] == ["Podt", "Van Nispen"] and entry["accession_number"] == "kst-28638-239"
    assert entry["urls"] == ["https://zoek.officielebekendmakingen.nl/kst-28638-239.html"]


def test_federated_api_is_described_in_the_openapi_document(tmp_path) -> None:
    from openapi_spec_validator import validate

    from search_ui import create_app

    client = create_app({"DATA_DIR": str(tmp_path), "TESTING": True}).test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    operation = document["paths"]["/api/v1/federated"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "remote"}
    assert set(operation["responses"]) == {"200", "400"}
