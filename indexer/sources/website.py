"""``website`` sources: seed pages, links followed inside a scope, documents collected
(the Council of Europe CAHROM pages linking rm.coe.int files, CCV theme pages).

Options: ``seeds`` (URLs), ``scope`` (URL prefixes whose pages are followed; default
the seeds' directories), ``follow`` (regex a followed link must match, optional),
``documents`` (regex: links that are documents, on any host), ``max_depth``
(default 2), ``index_pages`` (also index the followed pages; default false),
``document_pages`` (regex: followed pages that are documents themselves and are indexed,
e.g. hetccv.nl's ``/documenten/<slug>/`` pages, whose description is the report's
abstract and whose "Download" links are still collected), ``defaults`` (metadata for
every document, e.g. category).

Link text and ``hreflang`` travel with a document request as title/language hints.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

from indexer.model import ROLE_DOCUMENT, Failure, Record, Request, Response
from indexer.settings.fields import REGEX, Option
from indexer.sources.base import Item, Source

ROLE_PAGE = "page"  # an HTML page read for links (and indexed when index_pages is set)


class WebsiteSource(Source):
    kind = "website"
    OPTIONS = (
        Option("seeds", list[str], required=True, help="beginpagina's"),
        Option("scope", list[str], help="adresvoorvoegsels die gevolgd mogen worden (standaard: de mappen van de seeds)"),
        Option("follow", REGEX, help="een gevolgde link moet hieraan voldoen"),
        Option("documents", REGEX, help="links die documenten zijn"),
        Option("document_pages", REGEX, help="pagina's die zelf documenten zijn"),
        Option("index_pages", bool, False, help="ook de gelezen pagina's indexeren"),
        Option("max_depth", int, 2, minimum=0, help="hoe diep links gevolgd worden"),
    )

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        super().__init__(name, options)
        self._seen: set[str] = set()

    def start(self, cursor: str | None = None) -> Iterable[Request]:
        for seed in self.require("seeds"):
            self._seen.add(seed)
            yield Request(url=seed, source=self.name, role=ROLE_PAGE, meta={"depth": 0},
                          native_id=native_id_of_url(seed))

    def parse(self, response: Response) -> Iterable[Item]:
        if response.request.role == ROLE_DOCUMENT:
            yield file_record(self.name, response)
            return
        yield from self._parse_page(response, int(response.request.meta.get("depth", 0)))

    def _parse_page(self, response: Response, depth: int) -> Iterable[Item]:
        if "html" not in response.content_type and not response.body.lstrip()[:1] == b"<":
            yield Failure(response.url, f"not an HTML page ({response.content_type or 'no content type'})")
            return
        if self.options.get("index_pages") or self._is_document_page(response.request.url):
            yield page_record(self.name, response, self.with_defaults({}))
        documents = self.options.get("documents")
        follow = self.options.get("follow")
        for link in extract_links(response.body, response.url):
            if link.url in self._seen:
                continue
            if documents and re.search(documents, link.url):
                self._seen.add(link.url)
                yield self._document_request(link)
            elif self._in_scope(link.url) and (self._is_document_page(link.url) or (
                    depth < int(self.options["max_depth"]) and (not follow or re.search(follow, link.url)))):
                self._seen.add(link.url)
                yield Request(url=link.url, source=self.name, role=ROLE_PAGE, meta={"depth": depth + 1},
                              native_id=native_id_of_url(link.url))

    def _is_document_page(self, url: str) -> bool:
        pattern = self.options.get("document_pages")
        return bool(pattern and re.search(pattern, url))

    def _document_request(self, link: Link) -> Request:
        meta: dict[str, Any] = self.with_defaults({})
        if link.text:
            meta["link_text"] = link.text
        if link.hreflang:
            meta["language"] = link.hreflang
        return Request(url=link.url, source=self.name, role=ROLE_DOCUMENT, meta=meta,
                       native_id=native_id_of_url(link.url))

    def _in_scope(self, url: str) -> bool:
        scope = self.options.get("scope") or [posixpath.dirname(s) + "/" for s in self.require("seeds")]
        return any(url.startswith(prefix) for prefix in scope)


class Link:
    """One ``<a href>``: absolute URL without fragment, its text and ``hreflang``."""

    __slots__ = ("url", "text", "hreflang")

    def __init__(self, url: str, text: str, hreflang: str) -> None:
        self.url, self.text, self.hreflang = url, text, hreflang


def extract_links(body: bytes, base_url: str) -> Iterator[Link]:
    """Absolute http(s) links of an HTML page, in document order, honouring ``<base>``."""
    try:
        tree = lxml.html.fromstring(body)
    except (etree.ParserError, ValueError):
        return
    base = next(iter(tree.xpath("//base/@href")), base_url)
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("mailto:", "javascript:", "tel:")):
            continue
        url = urldefrag(urljoin(urljoin(base_url, base), href))[0]
        if urlsplit(url).scheme in ("http", "https"):
            text = " ".join(anchor.text_content().split())
            yield Link(url, text, (anchor.get("hreflang") or "").lower()[:2])


def native_id_of_url(url: str) -> str:
    """A stable id from a URL: host plus path (query kept, scheme dropped)."""
    parts = urlsplit(url)
    return parts.netloc.lower() + parts.path + (f"?{parts.query}" if parts.query else "")


def file_record(source: str, response: Response) -> Record:
    request = response.request
    meta = dict(request.meta)
    return Record(source=source, native_id=request.native_id, url=meta.get("url") or request.url,
                  body=response.body, content_type=response.content_type, file_url=request.url,
                  metadata=meta)


def page_record(source: str, response: Response, metadata: dict[str, Any]) -> Record:
    return Record(source=source, native_id=native_id_of_url(response.request.url),
                  url=response.request.url, body=response.body, content_type=response.content_type,
                  metadata=metadata)
