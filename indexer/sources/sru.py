"""``sru`` sources: SRU 2.0 ``searchRetrieve`` on repository.overheid.nl (officiële
bekendmakingen, ``gzd`` record schema).

Options: ``endpoint``, ``query`` (CQL), ``maximum_records`` (page size, default 100),
``manifestations`` (preferred file kinds, default xml, pdf, html), ``cursor_index``
(the date index used for incremental runs, default ``dt.modified``).

Records are read by local element names, so a response with its namespaces (prefixed or
default) and one whose namespaces were stripped parse alike. Paging follows
``nextRecordPosition``. An SRU diagnostic (HTTP 200, no records) is a
:class:`Failure`, never "zero results". The cursor is the newest modification date
seen; the next run adds ``and <cursor_index> >= <cursor>`` to the query.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from lxml import etree

from indexer.citekeys import doc_type_of, last_segment, normalise_dossier, roman_of
from indexer.citekeys.koop import record_identifiers
from indexer.extract.koop_meta import creator_label
from indexer.model import ROLE_DOCUMENT, ROLE_LISTING, Cursor, Failure, Record, Request, Response
from indexer.sources.base import Item, Source

#: The namespaces of a gzd response (for callers that query it with prefixes).
NS = {
    "sru": "http://docs.oasis-open.org/ns/search-ws/sruResponse",
    "gzd": "http://standaarden.overheid.nl/sru",
    "ow": "http://standaarden.overheid.nl/wetgeving/",
    "dcterms": "http://purl.org/dc/terms/",
    "c": "http://standaarden.overheid.nl/collectie/",
    "diag": "http://docs.oasis-open.org/ns/search-ws/diagnostic",
}
#: Queries use local names: responses come with namespaces (``sru:``, ``gzd:``, ``ow:``,
#: ``dcterms:``, default or prefixed) or, as recorded by some tools, with all of them
#: stripped; :func:`local_names` turns both into the same tree.
DEFAULT_MANIFESTATIONS = ("xml", "pdf", "html")


class SruSource(Source):
    kind = "sru"

    def start(self, cursor: str | None = None) -> Iterable[Request]:
        query = self.require("query")
        index = self.options.get("cursor_index", "dt.modified")
        if cursor:
            query = f"({query}) and {index}>={cursor}"
        yield self._page_request(query, 1, cursor or "")

    def _page_request(self, query: str, start: int, newest: str) -> Request:
        params = {"operation": "searchRetrieve", "version": "2.0", "query": query,
                  "startRecord": str(start),
                  "maximumRecords": str(self.options.get("maximum_records", 100)),
                  "httpAccept": "application/xml"}
        url = self.require("endpoint") + "?" + urlencode(params)
        return Request(url=url, source=self.name, role=ROLE_LISTING,
                       meta={"query": query, "newest": newest, "protocol_errors": True})

    def parse(self, response: Response) -> Iterable[Item]:
        if response.request.role == ROLE_DOCUMENT:
            yield self._record(response)
            return
        try:
            root = local_names(etree.fromstring(response.body))
        except etree.XMLSyntaxError as exc:
            yield Failure(response.url, f"SRU response (HTTP {response.status}) is not XML: {exc}")
            return
        diagnostics = root.findall(".//diagnostic")
        if diagnostics:
            yield Failure(response.url, "SRU diagnostic: " + "; ".join(map(_diagnostic_text, diagnostics)))
            return
        yield from self._parse_page(root, response)

    def _parse_page(self, root: etree._Element, response: Response) -> Iterable[Item]:
        count = root.findtext("numberOfRecords")
        if count is None:
            yield Failure(response.url, "SRU response without numberOfRecords")
            return
        newest = response.request.meta.get("newest", "")
        for gzd in root.iterfind(".//recordData/gzd"):
            metadata = self.with_defaults(record_metadata(gzd))
            newest = max(newest, metadata.pop("_modified", ""))
            request = self._document_request(gzd, metadata)
            if request is None:
                yield Failure(response.url, f"no downloadable manifestation for {metadata.get('canonical')}")
            else:
                yield request
        following = root.findtext("nextRecordPosition")
        if following and following.strip().isdigit():
            yield self._page_request(response.request.meta["query"], int(following), newest)
        elif newest:
            yield Cursor(newest)

    def _document_request(self, gzd: etree._Element, metadata: dict[str, Any]) -> Request | None:
        items = {el.get("manifestation", ""): (el.text or "").strip()
                 for el in gzd.iterfind("enrichedData/itemUrl")}
        wanted = self.options.get("manifestations", DEFAULT_MANIFESTATIONS)
        url = next((items[m] for m in wanted if items.get(m)), "")
        if not url:
            return None
        metadata["file_url"] = url
        return Request(url=url, source=self.name, role=ROLE_DOCUMENT, meta=metadata,
                       native_id=metadata["canonical"])

    def _record(self, response: Response) -> Record:
        request = response.request
        meta = dict(request.meta)
        return Record(source=self.name, native_id=request.native_id, url=meta.get("url") or request.url,
                      body=response.body, content_type=response.content_type,
                      file_url=request.url, metadata=meta)


def record_metadata(gzd: etree._Element) -> dict[str, Any]:
    """Document fields and identifiers from one ``gzd`` record (``_modified`` for the cursor)."""
    gzd = local_names(copy.deepcopy(gzd))  # the caller's tree keeps its namespaces
    meta = gzd.find("originalData/meta")
    if meta is None:
        meta = gzd

    def texts(path: str) -> list[str]:
        return [" ".join((el.text or "").split()) for el in meta.iterfind(path) if (el.text or "").strip()]

    def first(*paths: str) -> str:
        return next((found[0] for p in paths if (found := texts(p))), "")

    identifier = last_segment(first("owmskern/identifier", ".//identifier"))
    values: dict[str, Any] = record_identifiers(identifier)
    creators = [creator_label(" ".join((el.text or "").split()), el.get("scheme", ""))
                for el in meta.iterfind("owmskern/creator") if (el.text or "").strip()]
    values.update({
        "title": first(".//documenttitel", "owmskern/title", ".//title"),
        "date": first("owmsmantel/date", "owmsmantel/issued", "owmsmantel/available", ".//date")[:10],
        "doc_type": doc_type_of(first(".//subrubriek", "owmskern/type", ".//type")),
        "creators": creators,
        "authors": texts(".//indiener"),
        "language": first("owmskern/language"),
        "url": (gzd.findtext("enrichedData/preferredUrl", "") or "").strip(),
        "_modified": first("owmskern/modified", ".//modified", ".//available")[:10],
    })
    _add_tpmeta(values, first, creators)
    return {k: v for k, v in values.items() if v or k == "_modified"}


def _add_tpmeta(values: dict[str, Any], first: Any, creators: list[str]) -> None:
    dossier = first(".//dossiernummer")
    if dossier:
        values["dossier"] = normalise_dossier(dossier)
    for key in ("ondernummer", "vergaderjaar", "aanhangselnummer"):
        found = first(f".//{key}")
        if found:
            values[key] = found
    if creators and roman_of(creators[0]):
        values["kamer"] = roman_of(creators[0])
    dossier_title = first(".//dossiertitel")
    if dossier_title:
        values["dossier_title"] = dossier_title


def _diagnostic_text(diagnostic: etree._Element) -> str:
    uri = (diagnostic.findtext("uri") or "").strip()
    message = (diagnostic.findtext("message") or "").strip()
    details = (diagnostic.findtext("details") or "").strip()
    return " ".join(part for part in (uri, message, details and f"({details})") if part)


def local_names(root: etree._Element) -> etree._Element:
    """The tree with every element named by its local name (namespaces dropped in place)."""
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    return root
