"""``sitemap`` sources: XML sitemaps (and sitemap indexes) drive the crawl (hetccv.nl).

Options: ``sitemaps`` (URLs of sitemaps or sitemap indexes) and/or ``robots`` (a robots.txt
URL whose ``Sitemap:`` lines name them, for sites whose sitemap name is unknown),
``include`` (regex a page
URL must match, optional), ``documents`` (regex: links on the pages that are documents,
e.g. ``/app/uploads/.+\\.pdf$``), ``index_pages`` (index the pages themselves; default
true), ``defaults`` (metadata for every record). Google News entries (``news:title``,
``news:publication_date``, ``news:language``) travel with their page as its metadata.

The cursor is the newest ``lastmod`` seen; the next run skips pages whose ``lastmod`` is
older than it (pages without ``lastmod`` are always visited).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

from indexer.fetch.robots import parse_robots
from indexer.model import ROLE_DOCUMENT, ROLE_LISTING, Cursor, Failure, Request, Response
from indexer.settings.fields import REGEX, Option
from indexer.sources.base import Item, Source, SourceConfigError
from indexer.sources.website import ROLE_PAGE, extract_links, file_record, native_id_of_url, page_record

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
ROLE_ROBOTS = "robots"


class SitemapSource(Source):
    kind = "sitemap"
    OPTIONS = (
        Option("sitemaps", list[str], [], help="sitemap-adressen"),
        Option("robots", str, help="robots.txt waarvan de Sitemap:-regels gelezen worden"),
        Option("include", REGEX, help="een adres moet hieraan voldoen"),
        Option("documents", REGEX, help="links op de pagina's die documenten zijn"),
        Option("index_pages", bool, True, help="de pagina's zelf indexeren"),
    )

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        super().__init__(name, options)
        if not self.options["sitemaps"] and not self.options.get("robots"):
            raise SourceConfigError(f"bron {name!r} (sitemap) heeft de optie 'sitemaps' of 'robots' nodig")

    def start(self, cursor: str | None = None) -> Iterable[Request]:
        for url in self.options["sitemaps"]:
            yield Request(url=url, source=self.name, role=ROLE_LISTING, meta={"since": cursor or ""})
        if self.options.get("robots"):
            yield Request(url=self.options["robots"], source=self.name, role=ROLE_ROBOTS,
                          meta={"since": cursor or ""})

    def parse(self, response: Response) -> Iterable[Item]:
        role = response.request.role
        if role == ROLE_DOCUMENT:
            yield file_record(self.name, response)
        elif role == ROLE_PAGE:
            yield from self._parse_page(response)
        elif role == ROLE_ROBOTS:
            yield from self._parse_robots(response)
        else:
            yield from self._parse_sitemap(response)

    def _parse_robots(self, response: Response) -> Iterable[Item]:
        sitemaps = parse_robots(response.body.decode("utf-8", "replace")).sitemaps
        if not sitemaps:
            yield Failure(response.url, "robots.txt names no sitemap")
        for url in sitemaps:
            yield Request(url=url, source=self.name, role=ROLE_LISTING, meta=dict(response.request.meta))

    def _parse_sitemap(self, response: Response) -> Iterable[Item]:
        try:
            root = etree.fromstring(response.body)
        except etree.XMLSyntaxError as exc:
            yield Failure(response.url, f"sitemap is not XML: {exc}")
            return
        since = response.request.meta.get("since", "")
        if root.tag == f"{SM}sitemapindex":
            for loc in root.iterfind(f"{SM}sitemap/{SM}loc"):
                yield Request(url=(loc.text or "").strip(), source=self.name, role=ROLE_LISTING,
                              meta={"since": since})
            return
        newest = ""
        for entry in root.iterfind(f"{SM}url"):
            loc = entry.findtext(f"{SM}loc", "").strip()
            lastmod = entry.findtext(f"{SM}lastmod", "").strip()
            newest = max(newest, lastmod)
            if self._wanted(loc, lastmod, since):
                yield Request(url=loc, source=self.name, role=ROLE_PAGE, meta={"lastmod": lastmod, **news_of(entry)},
                              native_id=native_id_of_url(loc))
        if newest:
            yield Cursor(newest)

    def _wanted(self, loc: str, lastmod: str, since: str) -> bool:
        include = self.options.get("include")
        if not loc or (include and not re.search(include, loc)):
            return False
        return not (since and lastmod and lastmod < since)

    def _parse_page(self, response: Response) -> Iterable[Item]:
        defaults: dict[str, Any] = self.with_defaults({})
        if self.options["index_pages"]:
            meta = dict(response.request.meta)
            lastmod = meta.pop("lastmod", "")
            yield page_record(self.name, response, self.with_defaults({**meta, "modified": lastmod}))
        pattern = self.options.get("documents")
        if not pattern:
            return
        seen: set[str] = set()
        for link in extract_links(response.body, response.url):
            if re.search(pattern, link.url) and link.url not in seen:
                seen.add(link.url)
                meta = {**defaults, "link_text": link.text, "url": response.url} if link.text else \
                    {**defaults, "url": response.url}
                yield Request(url=link.url, source=self.name, role=ROLE_DOCUMENT, meta=meta,
                              native_id=native_id_of_url(link.url))


def news_of(entry: etree._Element) -> dict[str, str]:
    """Title, publication date and language of a Google News sitemap entry (``news:news``)."""
    news = entry.find(f"{NEWS}news")
    if news is None:
        return {}
    values = {"title": news.findtext(f"{NEWS}title", ""),
              "date": news.findtext(f"{NEWS}publication_date", "")[:10],
              "language": news.findtext(f"{NEWS}publication/{NEWS}language", "")}
    return {key: " ".join(value.split()) for key, value in values.items() if value.strip()}
