"""``oai_pmh`` sources: OAI-PMH 2.0 ``ListRecords`` / ``GetRecord`` (the WODC DSpace 7 repository).

Options: ``endpoint`` (``…/server/oai/request``), ``metadata_prefix`` (default
``oai_dc``), ``set`` (optional), ``from`` (first-run lower bound), ``granularity``
(``day`` to send ``YYYY-MM-DD`` cursors), ``document_link`` (a regular expression; the
first ``dc:identifier``/``dc:relation`` URL matching it is fetched as the document),
``dspace_rest`` (the DSpace 7 REST base, ``…/server/api``: a record without such a link
has its file found through the REST API, see :mod:`indexer.sources.dspace_rest`),
``defaults`` (metadata for every record, e.g. ``category``).

Without a file the record is indexed from its metadata (title and abstract); when the
REST API finds no file for a record, that record also gets a :class:`Failure` that does not
hold the cursor back (the item is listed again when it changes); a REST request that fails
(HTTP error, timeout) fails the record and keeps the cursor, so the next run tries again.
Paging follows ``resumptionToken`` (an empty token ends the list); ``noRecordsMatch``
is an empty result, any other OAI error a :class:`Failure`; ``status="deleted"``
headers become deleted records. The cursor is the newest ``datestamp`` seen.
Field mapping (DSpace's flattened Dublin Core): :mod:`indexer.sources.oai_dc`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from lxml import etree

from indexer.model import ROLE_DOCUMENT, ROLE_LISTING, Cursor, Failure, Record, Request, Response
from indexer.settings.fields import REGEX, Option
from indexer.sources import dspace_rest
from indexer.sources.base import Item, Source
from indexer.sources.oai_dc import NS, dc_metadata

EMPTY_RESULT_CODES = {"noRecordsMatch"}
#: the verbs whose answers hold records, and where
RECORD_PATHS = ("oai:ListRecords/oai:record", "oai:GetRecord/oai:record")


class OaiPmhSource(Source):
    kind = "oai_pmh"
    OPTIONS = (
        Option("endpoint", str, required=True, help="het OAI-PMH-adres"),
        Option("metadata_prefix", str, "oai_dc", help="metadataformaat"),
        Option("set", str, help="alleen deze set"),
        Option("from", str, help="ondergrens bij de eerste run (datum)"),
        Option("granularity", str, choices=("day", "seconds"), help="datumprecisie van de server"),
        Option("document_link", REGEX, help="links in de metadata die documenten zijn"),
        Option("dspace_rest", str, help="DSpace 7 REST-adres om het document van een handle te vinden"),
    )

    def start(self, cursor: str | None = None) -> Iterable[Request]:
        params = {"verb": "ListRecords", "metadataPrefix": self.options["metadata_prefix"]}
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
        role = response.request.role
        if role == ROLE_DOCUMENT:
            yield self._file_record(response)
            return
        if role in dspace_rest.ROLES:
            yield from self._rest_step(response)
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
        if not any(root.find(path.split("/")[0], NS) is not None for path in RECORD_PATHS):
            yield Failure(response.url, "OAI-PMH response without ListRecords or GetRecord")
            return
        newest = response.request.meta.get("newest", "")
        for record in (r for path in RECORD_PATHS for r in root.iterfind(path, NS)):
            stamp = record.findtext("oai:header/oai:datestamp", "", NS).strip()
            newest = max(newest, stamp)
            yield from self._items(record)
        token = root.find("oai:ListRecords/oai:resumptionToken", NS)
        if token is not None and (token.text or "").strip():
            params = {"verb": "ListRecords", "resumptionToken": token.text.strip()}
            yield self._listing(params, newest)
        elif newest and root.find("oai:ListRecords", NS) is not None:
            yield Cursor(newest)  # a GetRecord answer is no listing: it moves no cursor

    def _items(self, record: etree._Element) -> Iterable[Item]:
        header = record.find("oai:header", NS)
        identifier = header.findtext("oai:identifier", "", NS).strip()
        native_id = native_id_of(identifier)
        if header.get("status") == "deleted":
            yield Record(source=self.name, native_id=native_id, url=identifier, deleted=True)
            return
        metadata = self.with_defaults(dc_metadata(record))
        metadata["oai_identifier"] = identifier
        link = self._document_link(metadata.pop("_links", []))
        if link:
            metadata["file_url"] = link
            yield Request(url=link, source=self.name, role=ROLE_DOCUMENT, meta=metadata, native_id=native_id)
        elif self.options.get("dspace_rest") and metadata.get("handle"):
            url = dspace_rest.item_url(str(self.options["dspace_rest"]), metadata["handle"])
            yield Request(url=url, source=self.name, role=dspace_rest.ROLE_ITEM, meta=metadata,
                          native_id=native_id)
        else:
            yield self._metadata_record(native_id, metadata)

    def _rest_step(self, response: Response) -> Iterable[Item]:
        """One step of the DSpace 7 REST walk to the item's file; when the walk ends without
        a file, the record is indexed from its metadata and the reason recorded."""
        request = response.request
        try:
            role, url = dspace_rest.next_url(request.role, response.body)
        except dspace_rest.NotFound as exc:
            # the item as it is has no file: trying again next run finds none either
            yield Failure(response.url, f"{request.native_id}: geen bestand gevonden: {exc}", retry=False)
            yield self._metadata_record(request.native_id, dict(request.meta))
            return
        meta = dict(request.meta)
        if role == ROLE_DOCUMENT:
            meta["file_url"] = url
        yield Request(url=url, source=self.name, role=role, meta=meta, native_id=request.native_id)

    def _metadata_record(self, native_id: str, metadata: Mapping[str, Any]) -> Record:
        return Record(source=self.name, native_id=native_id, url=metadata.get("url") or metadata["oai_identifier"],
                      body=_metadata_text(metadata).encode("utf-8"), content_type="text/plain",
                      metadata=metadata)

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


def _metadata_text(metadata: Mapping[str, Any]) -> str:
    """The text indexed for a record without a file: its title and abstract."""
    return "\n\n".join(part for part in (metadata.get("title", ""), metadata.get("summary", "")) if part)
