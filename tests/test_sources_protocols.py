"""Protocol connectors parse recorded (or faithfully built) responses, as bytes: SRU
paging, diagnostics and metadata; OAI-PMH records, deletions, resumption and errors;
Tweede Kamer OData pages, tombstones and next links; sitemaps and website links."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from indexer.model import ROLE_DOCUMENT, ROLE_LISTING, Cursor, Failure, Record, Request, Response
from indexer.sources import REGISTRY, SourceConfigError, build_source

REPLAY = Path(__file__).parent / "fixtures" / "replay"
BASE = "http://127.0.0.1:9"


def fixture(path: str) -> bytes:
    return (REPLAY / path).read_bytes().replace(b"{{BASE}}", BASE.encode())


def respond(request: Request, body: bytes, status: int = 200, ctype: str = "text/xml") -> Response:
    return Response(request, request.url, status, {"content-type": ctype}, body)


def split(items: list[object]) -> dict[str, list]:
    kinds: dict[str, list] = {"request": [], "record": [], "cursor": [], "failure": []}
    for item in items:
        key = {Request: "request", Record: "record", Cursor: "cursor", Failure: "failure"}[type(item)]
        kinds[key].append(item)
    return kinds


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_registry_knows_every_kind_and_rejects_unknown() -> None:
    assert set(REGISTRY) == {"folder", "website", "sitemap", "oai_pmh", "sru", "tk_odata"}
    with pytest.raises(SourceConfigError, match="known: folder"):
        build_source("x", "ftp", {})


# -- SRU ---------------------------------------------------------------------------

def sru(**options: object):
    return build_source("kamerstukken", "sru", {"endpoint": f"{BASE}/sru",
                                                "query": "(c.product-area==officielepublicaties) and "
                                                         "(w.dossiernummer==28638)",
                                                "maximum_records": 2, **options})


def test_sru_pages_to_the_end_and_yields_the_cursor_last() -> None:
    source = sru()
    first = next(iter(source.start(None)))
    assert query_of(first.url)["startRecord"] == "1"
    assert query_of(first.url)["version"] == "2.0"
    page1 = split(list(source.parse(respond(first, fixture("sru/kst_page1.xml")))))
    docs = page1["request"][:2]
    assert [d.native_id for d in docs] == ["kst-28638-238", "kst-28638-239"]
    nxt = page1["request"][2]
    assert query_of(nxt.url)["startRecord"] == "3" and page1["cursor"] == []
    page2 = split(list(source.parse(respond(nxt, fixture("sru/kst_page2.xml")))))
    assert [d.native_id for d in page2["request"]] == ["kst-28638-241"]
    assert page2["cursor"] == [Cursor("2023-12-22")]


def test_sru_record_metadata_uses_document_and_identifier_names() -> None:
    source = sru()
    first = next(iter(source.start(None)))
    doc = split(list(source.parse(respond(first, fixture("sru/kst_page1.xml")))))["request"][0]
    meta = doc.meta
    assert doc.role == ROLE_DOCUMENT
    assert doc.url.endswith("/kst-28638-238/1/xml/kst-28638-238.xml"), "xml preferred over pdf"
    assert meta["title"].startswith("Motie van het lid Bikker c.s. over in goed overleg")
    assert meta["date"] == "2023-12-21" and meta["doc_type"] == "motie"
    assert meta["dossier"] == "28638" and meta["ondernummer"] == "238"
    assert meta["vergaderjaar"] == "2023-2024" and meta["kamer"] == "II"
    assert meta["canonical"] == "kst-28638-238" and meta["category"] == "kamerstuk"
    assert meta["authors"][:2] == ["Bikker", "Helder"]
    assert meta["creators"] == ["Tweede Kamer der Staten-Generaal"]
    record = next(iter(source.parse(respond(doc, b"<officiele-publicatie/>", ctype="application/xml"))))
    assert record.doc_id == "kamerstukken:kst-28638-238"
    assert record.url == f"{BASE}/kst-28638-238.html" and record.file_url == doc.url


def test_sru_default_namespace_and_identifier_kinds() -> None:
    source = sru(manifestations=["pdf", "xml", "html"])
    first = next(iter(source.start(None)))
    items = split(list(source.parse(respond(first, fixture("sru/kinds_default_ns.xml")))))
    by_id = {r.native_id: r for r in items["request"]}
    assert set(by_id) == {"kst-37020-IX-40", "blg-1126350", "ah-tk-20192020-4046", "h-tk-20172018-50-1"}
    assert by_id["kst-37020-IX-40"].meta["dossier"] == "37020 IX"
    assert by_id["kst-37020-IX-40"].meta["authors"] == ["L.A.J.M. Dassen", "P.A. Grinwis"]
    assert by_id["kst-37020-IX-40"].url.endswith(".pdf")
    assert by_id["ah-tk-20192020-4046"].meta["category"] == "aanhangsel"
    assert by_id["ah-tk-20192020-4046"].meta["aanhangselnummer"] == "4046"
    assert by_id["h-tk-20172018-50-1"].meta["canonical"] == "h-tk-20172018-50-1"
    assert by_id["h-tk-20172018-50-1"].url.endswith(".xml"), "no pdf: the next preference"
    assert items["cursor"] == [Cursor("2026-10-02")]


def test_sru_diagnostic_is_a_failure_not_zero_results() -> None:
    source = sru()
    first = next(iter(source.start(None)))
    items = list(source.parse(respond(first, fixture("sru/diagnostic.xml"))))
    assert len(items) == 1 and isinstance(items[0], Failure)
    assert "info:srw/diagnostic/1/10" in items[0].reason and "Query syntax error" in items[0].reason


def test_sru_next_run_asks_only_for_what_changed_since_the_cursor() -> None:
    request = next(iter(sru().start("2023-12-22")))
    assert query_of(request.url)["query"].endswith(") and dt.modified>=2023-12-22")


# -- OAI-PMH -----------------------------------------------------------------------

def oai(**options: object):
    return build_source("wodc", "oai_pmh", {"endpoint": f"{BASE}/server/oai/request", **options})


def test_oai_list_records_with_deleted_header_and_resumption_token() -> None:
    source = oai()
    first = next(iter(source.start(None)))
    assert query_of(first.url) == {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    items = split(list(source.parse(respond(first, fixture("oai/listrecords_1.xml")))))
    records = items["record"]
    assert [r.native_id for r in records] == ["2217771", "2510668", "1964765"]
    assert [r.deleted for r in records] == [False, True, False]
    assert records[0].metadata["title"] == "Some Remarkable Oxidation-Products of Benzidine"
    assert records[0].metadata["authors"] == ["Moir, James"] and records[0].metadata["date"] == "1910-01-01"
    assert records[0].content_type == "text/plain" and records[0].body.startswith(b"Some Remarkable")
    (nxt,) = items["request"]
    assert query_of(nxt.url) == {"verb": "ListRecords", "resumptionToken": "eJyNzE1vgjAcgPHv8j"}
    assert items["cursor"] == []


def test_oai_last_page_yields_the_newest_datestamp_as_cursor() -> None:
    source = oai()
    first = next(iter(source.start(None)))
    page1 = split(list(source.parse(respond(first, fixture("oai/listrecords_1.xml")))))
    page2 = split(list(source.parse(respond(page1["request"][0], fixture("oai/listrecords_2.xml")))))
    page3 = split(list(source.parse(respond(page2["request"][0], fixture("oai/listrecords_3.xml")))))
    assert page3["request"] == []
    assert page3["cursor"] == [Cursor("2022-03-08T03:45:27Z")]
    assert query_of(next(iter(source.start("2022-03-08T03:45:27Z"))).url)["from"] == "2022-03-08T03:45:27Z"
    assert query_of(next(iter(oai(granularity="day").start("2022-03-08T03:45:27Z"))).url)["from"] == "2022-03-08"


def test_oai_no_records_match_is_empty_but_other_errors_fail() -> None:
    source = oai()
    request = next(iter(source.start("2025-01-15")))
    assert split(list(source.parse(respond(request, fixture("oai/no_records_match.xml"), 422)))) == \
        {"request": [], "record": [], "cursor": [Cursor("2025-01-15")], "failure": []}
    (failure,) = source.parse(respond(request, fixture("oai/bad_resumption_token.xml"), 422))
    assert isinstance(failure, Failure) and "badResumptionToken" in failure.reason


def test_oai_document_link_makes_a_file_request() -> None:
    source = oai(document_link=r"doi\.org/10\.1080/")
    first = next(iter(source.start(None)))
    items = split(list(source.parse(respond(first, fixture("oai/listrecords_1.xml")))))
    docs = [r for r in items["request"] if r.role == ROLE_DOCUMENT]
    assert [d.url for d in docs] == ["https://doi.org/10.1080/00359191009519377"]


# -- Tweede Kamer OData ------------------------------------------------------------

def tk(**options: object):
    return build_source("tweedekamer", "tk_odata", {"endpoint": f"{BASE}/OData/v4/2.0",
                                                    "filter": "Kamerstukdossier/any(d: d/Nummer eq 28638)",
                                                    **options})


def test_tk_odata_page_document_metadata_and_next_link() -> None:
    source = tk()
    first = next(iter(source.start(None)))
    q = query_of(first.url)
    assert q["$orderby"] == "ApiGewijzigdOp" and "Nummer eq 28638" in q["$filter"]
    assert "Verwijderd" not in q["$filter"], "deletions must be asked for too"
    items = split(list(source.parse(respond(first, fixture("tk/odata_document_page1.json"), ctype="application/json"))))
    docs = [r for r in items["request"] if r.role == ROLE_DOCUMENT]
    assert len(docs) == 3 and items["cursor"] == []
    first_doc = docs[0]
    assert first_doc.url == f"{BASE}/OData/v4/2.0/Document(2856cc67-62c7-483f-aa81-80e7915fc33e)/resource"
    meta = first_doc.meta
    assert meta["canonical"] == "kst-28638-238" and meta["dossier"] == "28638" and meta["ondernummer"] == "238"
    assert meta["tk_id"] == "2023D51173" and meta["doc_type"] == "motie" and meta["date"] == "2023-12-21"
    assert meta["title"].startswith("Motie van het lid Bikker c.s.")
    assert meta["url"] == "https://zoek.officielebekendmakingen.nl/kst-28638-238.html"
    (nxt,) = [r for r in items["request"] if r.role == ROLE_LISTING]
    assert "$skip=250" in nxt.url and nxt.meta["newest"] == "2024-02-24T00:03:09.0916897Z"


def test_tk_odata_last_page_gives_the_cursor_and_letters_have_no_ondernummer() -> None:
    source = tk()
    listing = Request(url=f"{BASE}/OData/v4/2.0/Document?$skip=250", source="tweedekamer",
                      meta={"newest": "2024-02-24T00:03:09.0916897Z"})
    items = split(list(source.parse(respond(listing, fixture("tk/odata_document_page2.json"), ctype="application/json"))))
    letter = [r for r in items["request"] if r.native_id.startswith("518131d2")][0]
    assert "ondernummer" not in letter.meta and letter.meta["doc_type"] == "sprekerslijst"
    assert items["cursor"] == [Cursor("2025-06-12T11:27:27.1002685Z")]


def test_tk_odata_incremental_run_also_lists_deletions_and_tombstones_become_deleted_records() -> None:
    source = tk()
    assert len(list(source.start(None))) == 1, "a first run needs no deletions"
    changed, deletions = source.start("2025-06-12T11:27:27.1002685Z")
    assert "ApiGewijzigdOp ge 2025-06-12T11:27:27.1002685Z" in query_of(changed.url)["$filter"]
    assert "Nummer eq 28638" in query_of(changed.url)["$filter"]
    assert query_of(deletions.url)["$filter"] == "(Verwijderd eq true) and ApiGewijzigdOp ge 2025-06-12T11:27:27.1002685Z"
    items = split(list(source.parse(respond(deletions, fixture("tk/odata_document_since.json"), ctype="application/json"))))
    (tombstone,) = items["record"]
    assert tombstone.deleted and tombstone.doc_id == "tweedekamer:a57a16ff-b1d5-4580-b3a4-0ca486833713"
    assert items["cursor"] == [Cursor("2025-06-13T09:12:44.1234567Z")]


# -- sitemap and website -------------------------------------------------------------

def test_sitemap_index_pages_documents_and_lastmod_cursor() -> None:
    source = build_source("ccv", "sitemap", {"sitemaps": [f"{BASE}/sitemap_index.xml"],
                                             "documents": r"\.pdf$"})
    first = next(iter(source.start(None)))
    (child,) = split(list(source.parse(respond(first, fixture("ccv/sitemap_index.xml")))))["request"]
    assert child.url == f"{BASE}/page-sitemap.xml"
    items = split(list(source.parse(respond(child, fixture("ccv/page-sitemap.xml")))))
    assert len(items["request"]) == 3
    assert items["cursor"] == [Cursor("2024-03-12T09:14:02+00:00")]
    page = items["request"][0]
    page_items = split(list(source.parse(respond(page, fixture("ccv/onderwerp-roma.html"), ctype="text/html"))))
    (page_record,) = page_items["record"]
    assert page_record.native_id == "127.0.0.1:9/onderwerpen/multi-probleemgezinnen-met-een-roma-achtergrond/"
    (pdf,) = page_items["request"]
    assert pdf.url.endswith("/Rapport_Roma_totaal__JH13.12.2016_.pdf") and pdf.meta["url"] == page.url
    assert pdf.meta["link_text"].startswith("Evaluatie proeftuinen")


def test_sitemap_next_run_skips_pages_older_than_the_cursor() -> None:
    source = build_source("ccv", "sitemap", {"sitemaps": [f"{BASE}/page-sitemap.xml"]})
    first = next(iter(source.start("2024-01-01")))
    items = split(list(source.parse(respond(first, fixture("ccv/page-sitemap.xml")))))
    assert [r.url for r in items["request"]] == [
        f"{BASE}/onderwerpen/multi-probleemgezinnen-met-een-roma-achtergrond/"]


def test_website_follows_scope_and_collects_documents_once() -> None:
    source = build_source("coe", "website", {"seeds": [f"{BASE}/onderwerpen/x/"], "scope": [f"{BASE}/themas/"],
                                             "documents": r"\.pdf$", "max_depth": 1})
    seed = next(iter(source.start(None)))
    items = split(list(source.parse(respond(seed, fixture("ccv/onderwerp-roma.html"), ctype="text/html"))))
    urls = [r.url for r in items["request"]]
    assert urls == [f"{BASE}/themas/jeugd/",
                    f"{BASE}/fileadmin/Bestanden/Onderwerpen/Multiprobleem_gezin/Rapport_Roma_totaal__JH13.12.2016_.pdf"]
    assert items["record"] == [], "pages are not indexed unless index_pages is set"
    again = split(list(source.parse(respond(seed, fixture("ccv/onderwerp-roma.html"), ctype="text/html"))))
    assert again["request"] == [], "a link is requested once per run"


def test_sitemap_found_through_robots_txt() -> None:
    source = build_source("ccv", "sitemap", {"robots": f"{BASE}/robots.txt"})
    (robots,) = source.start("2024-01-01")
    (sitemap,) = source.parse(respond(robots, fixture("ccv/robots.txt"), ctype="text/plain"))
    assert sitemap.url == f"{BASE}/sitemap_index.xml" and sitemap.meta["since"] == "2024-01-01"
    (failure,) = source.parse(respond(robots, b"User-agent: *\nDisallow:\n", ctype="text/plain"))
    assert isinstance(failure, Failure)
    with pytest.raises(SourceConfigError, match="sitemaps"):
        list(build_source("ccv", "sitemap", {}).start(None))
