"""``oai_pmh`` sources: OAI-PMH 2.0 ``ListRecords`` (the WODC DSpace repository).

Options: ``endpoint`` (``…/server/oai/request``), ``metadata_prefix`` (default
``oai_dc``), ``set`` (optional), ``from`` (first-run lower bound), ``granularity``
(``day`` to send ``YYYY-MM-DD`` cursors), ``document_link`` (a regular expression; the
first ``dc:identifier``/``dc:relation`` URL matching it is fetched as the document;
without a match the record is indexed from its metadata alone).

Paging follows ``resumptionToken`` (an empty token ends the list); ``noRecordsMatch``
is an empty result, any other OAI error a :class:`Failure`; ``status="deleted"``
headers become deleted records. The cursor is the newest ``datestamp`` seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from lxml import etree

from indexer.model import ROLE_DOCUMENT, ROLE_LISTING, Cursor, Failure, Record, Request, Response
from indexer.sources.base import Item, Source

NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
HANDLE = re.compile(r"(?:hdl\.handle\.net/|/handle/)(\d+(?:\.\d+)*/\d+)")
EMPTY_RESULT_CODES = {"noRecordsMatch"}


class OaiPmhSource(Source):
    kind = "oai_pmh"

    def start(self, cursor: str | None = None) -> Iterable[Request]:
        params = {"verb": "ListRecords", "metadataPrefix": self.options.get("metadata_prefix", "oai_dc")}
        if self.options.get("set"):
            params["set"] = self.options["set"]
        since = cursor or self.options.get("from")
        if since:
            params["from"] = since[:10] if self.options.get("granularity") == "day" else since
        yield self._listing(params, cursor or "")

    def _listing(self, params: dict[str, str], newest: str) -> Request:
        url = str(self.require("endpoint")) + "?" + urlencode(params)
        return Request(url=url, source=self.name, role=ROLE_LISTING,
                       meta={"newest": newest, "protocol_errors": True})

    def parse(self, response: Response) -> Iterable[Item]:
        if response.request.role == ROLE_DOCUMENT:
            yield self._file_record(response)
            return
        try:
            root = etree.fromstring(response.body)
        except etree.XMLSyntaxError as exc:
            yield Failure(response.url, f"OAI-PMH response (HTTP {response.status}) is not XML: {exc}")
            return
        errors = root.findall("oai:error", NS)
        if errors:
            yield from self._errors(errors, response)
            return
        if response.status >= 400:
            yield Failure(response.url, f"HTTP {response.status} without an OAI-PMH error code")
            return
        yield from self._parse_records(root, response)

    def _errors(self, errors: list[etree._Element], response: Response) -> Iterable[Item]:
        codes = {e.get("code", "") for e in errors}
        if codes <= EMPTY_RESULT_CODES:
            newest = response.request.meta.get("newest", "")
            if newest:
                yield Cursor(newest)
            return
        text = "; ".join(f"{e.get('code')}: {' '.join((e.text or '').split())}" for e in errors)
        yield Failure(response.url, f"OAI-PMH error {text}")

    def _parse_records(self, root: etree._Element, response: Response) -> Iterable[Item]:
        newest = response.request.meta.get("newest", "")
        for record in root.iterfind("oai:ListRecords/oai:record", NS):
            stamp = record.findtext("oai:header/oai:datestamp", "", NS).strip()
            newest = max(newest, stamp)
            yield self._item(record)
        token = root.find("oai:ListRecords/oai:resumptionToken", NS)
        if token is not None and (token.text or "").strip():
            params = {"verb": "ListRecords", "resumptionToken": token.text.strip()}
            yield self._listing(params, newest)
        elif newest:
            yield Cursor(newest)

    def _item(self, record: etree._Element) -> Request | Record:
        header = record.find("oai:header", NS)
        identifier = header.findtext("oai:identifier", "", NS).strip()
        native_id = native_id_of(identifier)
        if header.get("status") == "deleted":
            return Record(source=self.name, native_id=native_id, url=identifier, deleted=True)
        metadata = dc_metadata(record)
        metadata["oai_identifier"] = identifier
        link = self._document_link(metadata.get("_links", []))
        metadata.pop("_links", None)
        if link:
            metadata["file_url"] = link
            return Request(url=link, source=self.name, role=ROLE_DOCUMENT, meta=metadata,
                           native_id=native_id)
        return Record(source=self.name, native_id=native_id, url=metadata.get("url", identifier),
                      body=_metadata_text(metadata).encode("utf-8"),
                      content_type="text/plain", metadata=metadata)

    def _document_link(self, links: list[str]) -> str:
        pattern = self.options.get("document_link")
        if not pattern:
            return ""
        return next((link for link in links if re.search(pattern, link)), "")

    def _file_record(self, response: Response) -> Record:
        request = response.request
        meta = dict(request.meta)
        return Record(source=self.name, native_id=request.native_id,
                      url=meta.get("url") or request.url, body=response.body,
                      content_type=response.content_type, file_url=request.url, metadata=meta)


def native_id_of(identifier: str) -> str:
    """``oai:repository.wodc.nl:20.500.12832/2871`` -> ``20.500.12832/2871``.

    >>> native_id_of("oai:zenodo.org:2217771")
    '2217771'
    """
    parts = identifier.split(":", 2)
    return parts[2] if len(parts) == 3 and parts[0] == "oai" else identifier


def dc_metadata(record: etree._Element) -> dict[str, Any]:
    """Document fields from an ``oai_dc`` record (``_links`` are candidate file URLs)."""
    dc = record.find("oai:metadata/oai_dc:dc", NS)
    if dc is None:
        return {}

    def texts(name: str) -> list[str]:
        return [" ".join(el.text.split()) for el in dc.iterfind(f"dc:{name}", NS) if (el.text or "").strip()]

    identifiers = texts("identifier")
    links = [v for v in identifiers + texts("relation") if v.startswith(("http://", "https://"))]
    values: dict[str, Any] = {
        "title": next(iter(texts("title")), ""),
        "date": next(iter(texts("date")), "")[:10],
        "authors": texts("creator"),
        "creators": texts("publisher"),
        "summary": "\n\n".join(texts("description")),
        "language": _language(next(iter(texts("language")), "")),
        "doc_type": _doc_type(next(iter(texts("type")), "")),
        "url": next((link for link in links if HANDLE.search(link)), links[0] if links else ""),
        "_links": links,
    }
    handle = next((m.group(1) for link in links if (m := HANDLE.search(link))), "")
    if handle:
        values["handle"] = handle
        values["canonical"] = f"wodc:{handle.rsplit('/', 1)[-1]}" if handle.startswith("20.500.12832/") else ""
    return {k: v for k, v in values.items() if v}


def _language(code: str) -> str:
    """``nl``, ``dut``, ``nld``, ``en_US``, ``eng`` -> two-letter code."""
    code = code.lower().replace("_", "-").split("-")[0]
    return {"dut": "nl", "nld": "nl", "eng": "en", "fre": "fr", "fra": "fr"}.get(code, code)


def _doc_type(value: str) -> str:
    """``info:eu-repo/semantics/article`` -> ``article``; ``Report`` -> ``rapport``."""
    value = value.rsplit("/", 1)[-1].lower()
    return {"report": "rapport", "technicalreport": "rapport"}.get(value, value)


def _metadata_text(metadata: dict[str, Any]) -> str:
    """The text indexed for a record without a file: its title and abstract."""
    return "\n\n".join(part for part in (metadata.get("title", ""), metadata.get("summary", "")) if part)
