"""Every source kind honours ``defaults`` (a category, a series): on real recorded responses
for each kind (tests/fixtures/replay, provenance in its PROVENANCE.md), what the protocol
says wins and ``defaults`` fill the rest; and the real Google News sitemap is read."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from indexer.model import ROLE_DOCUMENT, Record, Request, Response
from indexer.sources import REGISTRY, SourceConfigError, build_source
from indexer.sources.website import ROLE_PAGE

REPLAY = Path(__file__).parent / "fixtures" / "replay"
BASE = "http://127.0.0.1:9"
DEFAULTS = {"category": "ccv", "series": "Testreeks"}


def respond(request: Request, path: Path | bytes, ctype: str) -> Response:
    body = path if isinstance(path, bytes) else path.read_bytes().replace(b"{{BASE}}", BASE.encode())
    return Response(request, request.url, 200, {"content-type": ctype}, body)


def metadata_of(items: list[Any]) -> list[dict[str, Any]]:
    return [dict(i.meta) if isinstance(i, Request) else dict(i.metadata)
            for i in items if isinstance(i, Record) or (isinstance(i, Request) and i.role == ROLE_DOCUMENT)]


def oai_pmh() -> list[dict[str, Any]]:
    source = build_source("s", "oai_pmh", {"endpoint": f"{BASE}/oai", "defaults": DEFAULTS})
    first = next(iter(source.start(None)))
    return metadata_of(list(source.parse(respond(first, REPLAY / "dspace7" / "listrecords_bracu.xml", "text/xml"))))


def sru() -> list[dict[str, Any]]:
    source = build_source("s", "sru", {"endpoint": f"{BASE}/sru", "query": "q", "defaults": DEFAULTS})
    first = next(iter(source.start(None)))
    return metadata_of(list(source.parse(respond(first, REPLAY / "sru" / "gmb_namespaced.xml", "text/xml"))))


def tk_odata() -> list[dict[str, Any]]:
    source = build_source("s", "tk_odata", {"endpoint": f"{BASE}/OData/v4/2.0", "defaults": DEFAULTS})
    first = next(iter(source.start(None)))
    return metadata_of(list(source.parse(respond(first, REPLAY / "tk" / "sources_page.json", "application/json"))))


def website() -> list[dict[str, Any]]:
    page = f"{BASE}/onderwerpen/multiprobleemgezinnen-met-een-roma-achtergrond/documenten/de-oogst/"
    source = build_source("s", "website", {"seeds": [page], "documents": r"\.pdf$", "defaults": DEFAULTS,
                                           "document_pages": "/documenten/"})
    seed = next(iter(source.start(None)))
    return metadata_of(list(source.parse(respond(seed, REPLAY / "ccv" / "document-de-oogst.html", "text/html"))))


def sitemap() -> list[dict[str, Any]]:
    source = build_source("s", "sitemap", {"sitemaps": [f"{BASE}/sitemap.xml"], "defaults": DEFAULTS})
    listing = next(iter(source.start(None)))
    pages = list(source.parse(respond(listing, REPLAY / "sitemap" / "rijksoverheid-news-sitemap-trimmed.xml",
                                      "text/xml")))
    html = b"<html><head><title>Nieuws</title></head><body><p>Tekst</p></body></html>"
    return [meta for page in pages if isinstance(page, Request) and page.role == ROLE_PAGE
            for meta in metadata_of(list(source.parse(respond(page, html, "text/html"))))]


def folder(tmp_path: Path) -> list[dict[str, Any]]:
    source = build_source("s", "folder", {"path": str(tmp_path), "defaults": DEFAULTS})
    listing = next(iter(source.start(None)))
    body = json.dumps([{"name": "gmb-2017-100002.xml", "is_dir": False}]).encode()
    return metadata_of(list(source.parse(respond(listing, body, "application/json"))))


KINDS: dict[str, Callable[..., list[dict[str, Any]]]] = {
    "oai_pmh": oai_pmh, "sru": sru, "tk_odata": tk_odata, "website": website, "sitemap": sitemap, "folder": folder}
#: kinds whose protocol gives every record its own category (which must win)
PROTOCOL_CATEGORY = {"sru": "bekendmaking", "tk_odata": "kamerstuk"}


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_every_kind_honours_defaults_without_overriding_the_protocol(kind: str, tmp_path: Path) -> None:
    collect = KINDS[kind]
    found = collect(tmp_path) if kind == "folder" else collect()
    assert found, f"{kind}: no records"
    for meta in found:
        assert meta["series"] == "Testreeks"
        assert meta["category"] == PROTOCOL_CATEGORY.get(kind, "ccv")


def test_defaults_must_be_a_table_before_anything_is_asked() -> None:
    with pytest.raises(SourceConfigError, match="optie 'defaults' van bron 's' \\(oai_pmh\\) moet een tabel zijn"):
        build_source("s", "oai_pmh", {"endpoint": f"{BASE}/oai", "defaults": "wodc"})


def test_real_news_sitemap_gives_title_date_and_language() -> None:
    found = sitemap()
    assert [m["title"] for m in found] == ["Nederlandse Staat neemt aandelen kerncentrale Borssele over",
                                           "Europese toeslag van € 2 voor pakketjes van buiten de EU"]
    assert [m["date"] for m in found] == ["2026-09-23", "2026-09-23"]
    assert {m["language"] for m in found} == {"nl"}
    assert found[0]["modified"] == "2026-09-23T14:47:39.847Z"
