"""Whole crawls against replayed protocols: paging to the end, cursors so the next run
asks only for what changed, 304s that cause no re-extraction, changed documents
replaced, and deletions (HTTP 410, OAI ``status="deleted"``, OData ``Verwijderd``)
leaving the index. Assertions are on the index, the crawl state and the server log."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.config import ConfigError
from indexer.fetch import CrawlState
from tests.crawl_helpers import by_source, crawl, documents, write_config
from tests.replay_server import FIXTURES, ReplayServer, Reply


@pytest.fixture
def server():
    with ReplayServer("sru", "oai", "tk", "ccv") as replay:
        yield replay


def sru_source(server: ReplayServer) -> dict[str, object]:
    return {"name": "kamerstukken", "kind": "sru", "endpoint": server.url("/sru"), "maximum_records": 2,
            "query": "(c.product-area==officielepublicaties) and (w.dossiernummer==28638)"}


def test_sru_pages_to_the_end_and_next_run_asks_only_since_the_cursor(server: ReplayServer, tmp_path: Path) -> None:
    config = write_config(tmp_path / "s.toml", [sru_source(server)])
    summary, _ = crawl(config, tmp_path / "data")
    assert summary.exit_code == 0
    assert [h.query["startRecord"] for h in server.hits_for("/sru")] == ["1", "3"]
    docs = documents(tmp_path / "data")
    assert sorted(docs) == ["kamerstukken:kst-28638-238", "kamerstukken:kst-28638-239", "kamerstukken:kst-28638-241"]
    motie = docs["kamerstukken:kst-28638-239"]
    assert motie.identifiers["dossier"] == "28638" and motie.identifiers["ondernummer"] == "239"
    assert motie.title.startswith("Motie van de leden Podt en Van Nispen")
    assert motie.url == server.url("/kst-28638-239.html")
    with CrawlState(tmp_path / "data") as state:
        assert state.cursor("kamerstukken") == "2023-12-22"

    server.hits.clear()
    summary, _ = crawl(config, tmp_path / "data")
    (listing,) = server.hits_for("/sru")
    assert listing.query["query"].endswith(") and dt.modified>=2023-12-22")
    (download,) = server.hits_for("/frbr/")
    assert download.path.endswith("kst-28638-241.xml") and download.status == 304
    assert download.headers.get("if-none-match")
    result = by_source(summary, "kamerstukken")
    assert (result.new, result.changed, result.unchanged, result.deleted) == (0, 0, 1, 0)
    assert documents(tmp_path / "data") == docs
    with CrawlState(tmp_path / "data") as state:
        assert state.cursor("kamerstukken") == "2024-02-24"


def test_sru_diagnostic_is_reported_as_an_error_not_zero_results(server: ReplayServer, tmp_path: Path) -> None:
    source = {**sru_source(server), "query": "dt.type=Kamerstuk AND"}
    summary, lines = crawl(write_config(tmp_path / "s.toml", [source]), tmp_path / "data")
    result = by_source(summary, "kamerstukken")
    assert summary.exit_code == 1 and result.failed == 1
    assert "info:srw/diagnostic/1/10" in result.failures[0][1]
    assert lines[0] == "kamerstukken: begonnen" and "1 mislukt" in lines[-1]
    with CrawlState(tmp_path / "data") as state:
        assert state.cursor("kamerstukken") is None


def test_oai_paging_deleted_record_and_incremental_from(server: ReplayServer, tmp_path: Path) -> None:
    source = {"name": "wodc", "kind": "oai_pmh", "endpoint": server.url("/server/oai/request")}
    config = write_config(tmp_path / "s.toml", [source])
    summary, _ = crawl(config, tmp_path / "data")
    assert summary.exit_code == 0
    assert len(server.hits_for("/server/oai/")) == 3
    docs = documents(tmp_path / "data")
    assert len(docs) == 8 and "wodc:2510668" not in docs, "a deleted header is never indexed"
    assert docs["wodc:2217771"].title == "Some Remarkable Oxidation-Products of Benzidine"

    server.hits.clear()
    summary, _ = crawl(config, tmp_path / "data")
    (listing,) = server.hits_for("/server/oai/")
    assert listing.query == {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2022-03-08T03:45:27Z"}
    assert by_source(summary, "wodc").deleted == 1
    after = documents(tmp_path / "data")
    assert set(docs) - set(after) == {"wodc:2217771"}
    with CrawlState(tmp_path / "data") as state:
        assert state.cursor("wodc") == "2024-01-18T16:26:03Z"


def test_tk_odata_next_link_and_verwijderd_removes_the_document(server: ReplayServer, tmp_path: Path) -> None:
    source = {"name": "tweedekamer", "kind": "tk_odata", "endpoint": server.url("/OData/v4/2.0"),
              "filter": "Kamerstukdossier/any(d: d/Nummer eq 28638)"}
    config = write_config(tmp_path / "s.toml", [source])
    summary, _ = crawl(config, tmp_path / "data")
    assert summary.exit_code == 0
    listings = [h for h in server.hits_for("/OData/v4/2.0/Document") if not h.path.endswith("/resource")]
    assert [h.query.get("$skip") for h in listings] == [None, "250"]
    docs = documents(tmp_path / "data")
    assert len(docs) == 6
    motie = docs["tweedekamer:a57a16ff-b1d5-4580-b3a4-0ca486833713"]
    assert motie.identifiers["canonical"] == "kst-28638-244" and motie.identifiers["tk_id"] == "2023D51183"

    server.hits.clear()
    summary, _ = crawl(config, tmp_path / "data")
    changed, deletions = server.hits_for("/OData/v4/2.0/Document")
    assert "ApiGewijzigdOp ge 2025-06-12T11:27:27.1002685Z" in changed.query["$filter"]
    assert deletions.query["$filter"].startswith("(Verwijderd eq true) and ApiGewijzigdOp ge")
    assert by_source(summary, "tweedekamer").deleted == 1
    assert "tweedekamer:a57a16ff-b1d5-4580-b3a4-0ca486833713" not in documents(tmp_path / "data")
    with CrawlState(tmp_path / "data") as state:
        rows = {row.doc_id: row.status for row in state.url_states("tweedekamer")}
        assert rows["tweedekamer:a57a16ff-b1d5-4580-b3a4-0ca486833713"] == "deleted"


def ccv_website(server: ReplayServer) -> dict[str, object]:
    return {"name": "ccv", "kind": "website",
            "seeds": [server.url("/onderwerpen/multiprobleemgezinnen-met-een-roma-achtergrond/")],
            "scope": [server.url("/themas/")], "documents": r"\.pdf$", "index_pages": True,
            "defaults": {"category": "ccv"}}


REPORT = "/fileadmin/Bestanden/Onderwerpen/Multiprobleem_gezin/Rapport_Roma_totaal__JH13.12.2016_.pdf"
FACTSHEET = "/app/uploads/2021/11/factsheet-jeugd.pdf"


def test_304_is_not_reextracted_changed_is_replaced_and_410_removed(server: ReplayServer, tmp_path: Path) -> None:
    config = write_config(tmp_path / "s.toml", [ccv_website(server)])
    summary, _ = crawl(config, tmp_path / "data")
    first = documents(tmp_path / "data")
    assert summary.exit_code == 0 and len(first) == 4

    server.hits.clear()
    summary, _ = crawl(config, tmp_path / "data")
    assert {h.path: h.status for h in server.hits if h.path.endswith(".pdf")} == {REPORT: 304, FACTSHEET: 304}
    result = by_source(summary, "ccv")
    assert (result.new, result.changed, result.unchanged) == (0, 0, 4)
    assert documents(tmp_path / "data") == first

    new_bytes = (FIXTURES / "tk" / "resource.pdf").read_bytes()
    server.set_body(FACTSHEET, new_bytes)
    server.gone(REPORT)
    summary, _ = crawl(config, tmp_path / "data")
    result = by_source(summary, "ccv")
    assert (result.changed, result.deleted, result.failed) == (1, 1, 0)
    after = documents(tmp_path / "data")
    factsheet_id = "ccv:" + server.base_url.split("//")[1] + FACTSHEET
    assert after[factsheet_id].content_hash != first[factsheet_id].content_hash
    assert len(after) == 3 and not any(doc_id.endswith(REPORT) for doc_id in after)
    with CrawlState(tmp_path / "data") as state:
        assert state.get(server.url(REPORT)).status == "gone"  # type: ignore[union-attr]
        assert state.content_hash(server.url(FACTSHEET)) == after[factsheet_id].content_hash


def test_429_with_retry_after_is_waited_out_during_a_crawl(server: ReplayServer, tmp_path: Path) -> None:
    server.once(FACTSHEET, Reply(status=429, headers={"Retry-After": "1"}))
    summary, _ = crawl(write_config(tmp_path / "s.toml", [ccv_website(server)]), tmp_path / "data")
    assert summary.exit_code == 0 and len(documents(tmp_path / "data")) == 4
    hits = server.hits_for(FACTSHEET)
    assert [h.status for h in hits] == [429, 200] and hits[1].at - hits[0].at >= 1.0


def test_a_document_no_longer_linked_from_a_complete_website_run_is_removed(server: ReplayServer,
                                                                              tmp_path: Path) -> None:
    config = write_config(tmp_path / "s.toml", [ccv_website(server)])
    crawl(config, tmp_path / "data")
    page = "/onderwerpen/multiprobleemgezinnen-met-een-roma-achtergrond/"
    html = (FIXTURES / "ccv" / "onderwerp-roma.html").read_bytes().replace(REPORT.encode(), b"/elders.html")
    server.set_body(page, html, "text/html; charset=UTF-8")
    summary, _ = crawl(config, tmp_path / "data")
    result = by_source(summary, "ccv")
    assert (result.deleted, result.changed, result.failed) == (1, 1, 0)
    assert not any(doc_id.endswith(REPORT) for doc_id in documents(tmp_path / "data"))

    server.gone("/themas/jeugd/", status=503)  # a failing run proves nothing: no sweep
    summary, _ = crawl(config, tmp_path / "data")
    assert by_source(summary, "ccv").deleted == 0 and len(documents(tmp_path / "data")) == 3


def test_a_misconfigured_source_stops_the_run_before_any_request(server: ReplayServer, tmp_path: Path) -> None:
    broken = {"name": "kapot", "kind": "sru", "endpoint": server.url("/sru")}  # no query
    with pytest.raises(ConfigError, match="bron 'kapot' \\(sru\\) in .*s.toml mist de verplichte optie 'query'"):
        crawl(write_config(tmp_path / "s.toml", [broken, sru_source(server)]), tmp_path / "data")
    assert server.hits == [] and not (tmp_path / "data").exists()


def test_a_new_extraction_version_re_extracts_and_refetch_asks_without_validators(
        server: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import indexer.model

    config = write_config(tmp_path / "s.toml", [sru_source(server)])
    crawl(config, tmp_path / "data")
    monkeypatch.setattr(indexer.model, "EXTRACTION_VERSION", indexer.model.EXTRACTION_VERSION + 1)

    server.hits.clear()  # an upgrade: the document that comes back with bytes is extracted anew
    result = by_source(crawl(config, tmp_path / "data")[0], "kamerstukken")
    (download,) = server.hits_for("/frbr/")
    assert download.status == 304 and (result.changed, result.unchanged) == (0, 1)

    server.hits.clear()  # --refetch: every document in full, every listing from the start
    summary, _ = crawl(config, tmp_path / "data", refetch=True)
    assert [h.query["startRecord"] for h in server.hits_for("/sru")] == ["1", "3"]
    assert "dt.modified" not in server.hits_for("/sru")[0].query["query"]
    assert all(not hit.headers.get("if-none-match") for hit in server.hits_for("/frbr/"))
    result = by_source(summary, "kamerstukken")
    assert (result.new, result.changed, result.unchanged) == (0, 3, 0)
