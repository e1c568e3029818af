"""Frozen records passed between the crawl stages.

The data flow runs one way: a source yields :class:`Request` objects, the fetcher
turns each into a :class:`Response`, the source parses that into more requests or
:class:`Record` objects (bytes plus the metadata the protocol already gave), the
extractor turns a record into a :class:`Document`, and the index stores documents.
Nothing here does I/O.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from indexer.citekeys import Category

#: Keys of ``Document.identifiers`` (values are strings):
IDENTIFIER_KEYS = {
    "canonical": "the source-independent citation key: KOOP ids such as kst-32824-193, "
    "kst-36600-VI-149, ah-tk-20232024-1481, h-tk-20172018-50-1, blg-123456; "
    "wodc:<handle suffix>, coe:CAHROM(2013)13-en, bwb:BWBR0034176, url:<normalised URL> otherwise",
    "dossier": "Kamerstuk dossier number with its suffix: 32824, 36600 VI, 21501-02",
    "ondernummer": "number within the dossier: 193",
    "vergaderjaar": "parliamentary year, 2016-2017",
    "kamer": "II (Tweede Kamer) or I (Eerste Kamer)",
    "aanhangselnummer": "number of an Aanhangsel Handelingen item: 1481",
    "vergadering": "Handelingen meeting number: 50",
    "item": "Handelingen item number: 1",
    "report_number": "a report's number, e.g. WODC 2871 or Cahier 2016-12",
    "series": "the report series, e.g. Onderzoek en beleid, Cahier",
    "handle": "a DSpace handle: 20.500.12832/2871",
    "coe_reference": "Council of Europe reference: CAHROM(2013)13",
    "isbn": "ISBN",
    "bwb": "BWB id of a regulation: BWBR0034176",
    "tk_id": "Tweede Kamer document number: 2015D04817",
}
#: Keys of ``Document.extra`` that have a fixed meaning (others may occur):
EXTRA_KEYS = {
    "dossier_title": "title of the Kamerstuk dossier",
    "ministry": "the ministry responsible",
    "question_date": "date questions were asked (Aanhangsel), ISO",
    "answer_date": "date they were answered (Aanhangsel), ISO",
    "meeting": "meeting a document belongs to (CAHROM plenary, committee)",
    "theme": "theme or subject (CCV)",
    "publisher": "publishing organisation when not the creator",
    "pages_total": "number of pages of the original file",
}

#: Raised whenever extraction changes what a document says (titles, dates, metadata): it is
#: part of every record's digest, so the next crawl re-extracts what it reads again instead
#: of keeping what an older version made of the same bytes.
EXTRACTION_VERSION = 3  # 3: document types, dossiers and KOOP ids read with indexer.citekeys

#: Roles a request can play; the source dispatches on it in ``parse``.
ROLE_LISTING = "listing"  # a page of a protocol listing: parse for more requests/records
ROLE_DOCUMENT = "document"  # the document itself: becomes a Record


@dataclass(frozen=True)
class Request:
    """Something a source wants fetched. ``meta`` travels to the response."""

    url: str
    source: str
    role: str = ROLE_LISTING
    meta: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    #: native id of the document this request is for (document requests only)
    native_id: str = ""
    #: ``file://`` requests: the directory the path must resolve inside (links out are refused)
    within: str = ""


@dataclass(frozen=True)
class Response:
    """What the fetcher got for a request (``status`` 304 means not modified)."""

    request: Request
    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes = b""

    @property
    def content_type(self) -> str:
        value = self.headers.get("content-type", "") or self.headers.get("Content-Type", "")
        return value.split(";")[0].strip().lower()


@dataclass(frozen=True)
class Record:
    """One document as a source delivers it: raw bytes plus protocol metadata.

    ``deleted`` records carry no body: the protocol said the document is gone.
    """

    source: str
    native_id: str
    url: str
    body: bytes = b""
    content_type: str = ""
    file_url: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict)
    deleted: bool = False

    @property
    def doc_id(self) -> str:
        return make_doc_id(self.source, self.native_id)

    @property
    def digest(self) -> str:
        """Hash of the bytes, the protocol metadata and the extraction version: a change in
        any (a corrected title in a listing, an edited sidecar, a better extractor) makes the
        document changed."""
        meta = json.dumps(dict(self.metadata), sort_keys=True, ensure_ascii=False, default=str)
        return content_hash(self.body + b"\0" + meta.encode("utf-8") + b"\0%d" % EXTRACTION_VERSION)


@dataclass(frozen=True)
class Document:
    """The extracted, indexable form of a record. Every field is stored in the index.

    ``pages`` holds the body text per page (one element for unpaginated formats).
    ``references`` holds the canonical keys (see :data:`IDENTIFIER_KEYS`, key
    ``canonical``, and normalised URLs ``url:…``) of what this document cites.
    ``identifiers`` and ``extra`` use the vocabularies below.
    """

    id: str
    source: str
    url: str = ""
    file_url: str = ""
    title: str = ""
    category: str = Category.OVERIG.value  # an indexer.citekeys.Category value
    doc_type: str = ""  # brief, motie, verslag, antwoord, advies, rapport, ...
    date: str = ""  # ISO 8601 date, YYYY-MM-DD (or YYYY-MM / YYYY when that is all we know)
    language: str = "nl"
    creators: tuple[str, ...] = ()  # organisations
    authors: tuple[str, ...] = ()  # persons: signatories, indieners, report authors
    identifiers: Mapping[str, str] = field(default_factory=dict)
    summary: str = ""
    pages: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()  # e.g. "no-text-layer", "mojibake-repaired"
    extra: Mapping[str, str] = field(default_factory=dict)  # other metadata worth showing
    content_hash: str = ""  # Record.digest: the bytes and the protocol metadata
    fetched_at: str = ""
    modified: str = ""

    @property
    def body(self) -> str:
        """All pages joined by form feeds, so offsets can be mapped back to pages."""
        return "\f".join(self.pages)

    @property
    def year(self) -> str:
        return self.date[:4]

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        for name in ("creators", "authors", "pages", "references", "flags"):
            data[name] = list(data[name])
        data["identifiers"] = dict(self.identifiers)
        data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Document:
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for name in ("creators", "authors", "pages", "references", "flags"):
            values[name] = tuple(values.get(name) or ())
        values["identifiers"] = dict(values.get("identifiers") or {})
        values["extra"] = dict(values.get("extra") or {})
        return cls(**values)

    def replace(self, **changes: Any) -> Document:
        return dataclasses.replace(self, **changes)


def make_doc_id(source: str, native_id: str) -> str:
    """``source:native_id``, the one id a document keeps across re-crawls."""
    return f"{source}:{native_id}"


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True)
class Cursor:
    """A protocol cursor a source wants remembered once its run completes
    (an OAI datestamp, an OData ``ApiGewijzigdOp``, an SRU date)."""

    value: str


@dataclass(frozen=True)
class Failure:
    """A problem a source found in a response (an SRU diagnostic, a malformed page).

    ``retry`` false: the problem belongs to one record as it is now (a repository item
    without a file), so the protocol cursor moves on; a changed record is listed again.
    """

    url: str
    reason: str
    retry: bool = True
