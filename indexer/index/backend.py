"""The search-backend interface: what the UI, the CLI, export and federation use.

Query in (:class:`SearchRequest`), hits, facet counts and a total out
(:class:`SearchResult`). Nothing here knows Whoosh, so another engine can be added
behind the same interface without touching the callers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping, Protocol

from indexer.index.limits import QueryCut
from indexer.model import Document

SORTS = ("relevance", "date-desc", "date-asc")
#: date_counts unit -> characters of an ISO date that name the period
DATE_UNITS = {"year": 4, "month": 7}


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # facet field -> values
    date_from: str = ""  # ISO date (or year) inclusive
    date_to: str = ""
    sort: str = "relevance"
    page: int = 1
    page_size: int = 10
    facets: bool = True
    snippets: bool = True
    #: an all-words query with (almost) no complete match may list partial matches
    #: (:mod:`indexer.index.partial`); alerts ask for complete matches only
    partial: bool = True

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass(frozen=True)
class Hit:
    document: Document  # without page texts (``pages`` empty) to keep result lists light
    score: float
    snippet: str = ""  # HTML: escaped text with <mark> around matched terms
    snippet_page: int | None = None  # 1-based page the snippet comes from
    missing: tuple[str, ...] = ()  # query words this document lacks (partial results only)


@dataclass(frozen=True)
class SearchResult:
    request: SearchRequest
    total: int
    hits: tuple[Hit, ...]
    facets: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    suggestion: str = ""  # "Bedoelde u …?"
    #: True when the list goes on past the documents holding every word: ``total``,
    #: ``facets`` and exports then cover the whole list, complete and partial matches
    partial: bool = False
    complete: int | None = None  # documents with every word (None: same as ``total``)

    @property
    def complete_total(self) -> int:
        return self.total if self.complete is None else self.complete
    notices: tuple[QueryCut, ...] = ()  # parts of the query not (fully) searched (indexer.index.limits)

    @property
    def pages(self) -> int:
        size = max(self.request.page_size, 1)
        return max(1, -(-self.total // size))


class SearchBackend(Protocol):
    def search(self, request: SearchRequest) -> SearchResult: ...

    def get(self, doc_id: str) -> Document | None: ...

    def iter_documents(self, request: SearchRequest) -> Iterator[Document]:
        """All matches of a request in its sort order (for exports), streamed."""
        ...

    def cited_by(self, doc: Document) -> list[Document]: ...

    def cites(self, doc: Document) -> list[Document]: ...

    def citing(self, keys: Iterable[str]) -> list[Document]:
        """Documents whose text cites any of ``keys`` (canonical keys), newest first (the
        Handelingen that discuss a dossier's documents)."""
        ...

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[Document]: ...

    def stats(self) -> dict[str, object]: ...

    def marked_pages(self, doc: Document, query_text: str) -> list[str]:
        """The document's pages as escaped HTML with the words that ``query_text`` matches
        marked, by the same analysis the search uses."""
        ...

    def facet_labels(self, field: str, values: Iterable[str]) -> dict[str, str]:
        """Readable names of facet values where the index knows them (a dossier's title);
        values without one are left out."""
        ...

    def date_counts(self, request: SearchRequest, unit: str = "year") -> tuple[tuple[str, int], ...]:
        """Matches of ``request`` per period (``unit`` in :data:`DATE_UNITS`: "2017" or
        "2017-04"), oldest first, over every match; undated documents are not counted."""
        ...
