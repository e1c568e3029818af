"""The Whoosh search backend: queries, facets over all matches, snippets with pages.

One backend object is shared by all requests of a process. It keeps one searcher and
refreshes it when the writer has committed, or reopens when a rebuild has swapped the
index, so readers always see a complete, committed index without a restart.
"""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

from whoosh import sorting
from whoosh.query import And, Every, Or, Query, Term, TermRange
from whoosh.searching import Searcher

from indexer.index import store
from indexer.index.backend import Hit, SearchRequest, SearchResult
from indexer.index.query import make_parser, parse_query
from indexer.index.schema import FACET_FIELDS, stored_document
from indexer.index.snippets import make_snippet
from indexer.model import Document

MAX_LINKED = 200


class WhooshBackend:
    """The SearchBackend over the Whoosh index of a data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._lock = threading.Lock()
        self._searcher: Searcher | None = None
        self._location: Path | None = None
        self._columns: dict[str, list[Any]] = {}

    # -- searcher lifecycle -------------------------------------------------
    def searcher(self) -> Searcher:
        """A current searcher (shared, thread-safe for reading)."""
        with self._lock:
            location = store.current_dir(self.data_dir)
            if (self._searcher is None or location != self._location
                    or not self._searcher.up_to_date()):
                # A fresh searcher, not refresh(): refresh() reuses segment readers and
                # misses deletions committed to an existing segment. The old searcher is
                # not closed here because other threads may still be reading from it.
                self._open(location)
            assert self._searcher is not None
            return self._searcher

    def _open(self, location: Path) -> None:
        ix = store.open_index(self.data_dir)
        self._searcher = ix.searcher()
        self._location = location
        self._columns = {}

    # -- search -------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        searcher = self.searcher()
        query = self._query(searcher, request.query)
        filter_q = self._filter(request)
        limit = request.offset + request.page_size
        results = searcher.search(query, filter=filter_q, limit=limit, terms=True,
                                  **_sort_args(request.sort))
        hits = tuple(self._hit(searcher, hit, query, request) for hit in results[request.offset:limit])
        facets = self._facets(searcher, query, filter_q) if request.facets else {}
        suggestion = self._suggest(searcher, request.query) if not len(results) else ""
        return SearchResult(request, len(results), hits, facets, suggestion)

    def _query(self, searcher: Searcher, text: str) -> Query:
        if not text.strip():
            return Every()
        return parse_query(make_parser(searcher.schema), text)

    def _filter(self, request: SearchRequest) -> Query | None:
        parts: list[Query] = []
        for name, values in request.filters.items():
            if name in FACET_FIELDS and values:
                parts.append(Or([Term(name, v) for v in values]))
        if request.date_from or request.date_to:
            parts.append(TermRange("date", request.date_from or None,
                                   _end_of(request.date_to) if request.date_to else None))
        return And(parts) if parts else None

    def _hit(self, searcher: Searcher, hit: Any, query: Query, request: SearchRequest) -> Hit:
        doc = stored_document(hit.fields())
        snippet, page = ("", None)
        if request.snippets and request.query.strip():
            snippet, page = make_snippet(searcher.schema, doc, query)
        return Hit(doc.replace(pages=()), hit.score or 0.0, snippet, page)

    # -- facets -------------------------------------------------------------
    def _facets(self, searcher: Searcher, query: Query, filter_q: Query | None) -> dict[str, tuple[tuple[str, int], ...]]:
        matched = self._matching_docnums(searcher, query, filter_q)
        facets = {}
        for name in FACET_FIELDS:
            column = self._column(searcher, name)
            counts = Counter(column[n] for n in matched)
            counts.pop("", None)
            facets[name] = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        return facets

    def _matching_docnums(self, searcher: Searcher, query: Query, filter_q: Query | None) -> list[int]:
        docs = set(searcher.docs_for_query(query))
        if filter_q is not None:
            docs &= set(searcher.docs_for_query(filter_q))
        return list(docs)

    def _column(self, searcher: Searcher, name: str) -> list[Any]:
        column = self._columns.get(name)
        if column is None:
            # Segment by segment: a leaf's docnums follow its offset in the top reader.
            column = []
            for leaf, _offset in searcher.reader().leaf_readers():
                if leaf.has_column(name):
                    column.extend(_text(v) for v in leaf.column_reader(name))
                else:
                    column.extend([""] * leaf.doc_count_all())
            self._columns[name] = column
        return column

    def _suggest(self, searcher: Searcher, text: str) -> str:
        words = text.split()
        if not words:
            return ""
        corrected = []
        for word in words:
            options = searcher.suggest("body_nl", word.lower(), limit=1) if word.isalpha() else []
            corrected.append(options[0] if options else word)
        suggestion = " ".join(corrected)
        return suggestion if suggestion.lower() != text.lower() else ""

    # -- documents ----------------------------------------------------------
    def get(self, doc_id: str) -> Document | None:
        fields = self.searcher().document(id=doc_id)
        return stored_document(fields) if fields else None

    def iter_documents(self, request: SearchRequest) -> Iterator[Document]:
        searcher = self.searcher()  # errors (no index) surface here, not mid-stream
        query = self._query(searcher, request.query)
        results = searcher.search(query, filter=self._filter(request), limit=None,
                                  **_sort_args(request.sort))
        return (stored_document(searcher.stored_fields(n)) for n in results.docs())

    def cited_by(self, doc: Document) -> list[Document]:
        keys = _stored_keys(self.searcher(), doc.id)
        if not keys:
            return []
        return self._documents(Or([Term("refs", key) for key in keys]), exclude=doc.id)

    def cites(self, doc: Document) -> list[Document]:
        if not doc.references:
            return []
        return self._documents(Or([Term("keys", key) for key in doc.references]), exclude=doc.id)

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[Document]:
        searcher = self.searcher()
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            return []
        doc = stored_document(searcher.stored_fields(docnum))
        field = f"body_{doc.language if doc.language in ('nl', 'en', 'fr') else 'nl'}"
        hits = searcher.more_like(docnum, field, text=doc.body[:20000], top=limit)
        return [stored_document(h.fields()).replace(pages=()) for h in hits]

    def _documents(self, query: Query, exclude: str) -> list[Document]:
        searcher = self.searcher()
        results = searcher.search(query, limit=MAX_LINKED, sortedby="date", reverse=True)
        return [stored_document(h.fields()).replace(pages=()) for h in results if h["id"] != exclude]

    def stats(self) -> dict[str, object]:
        searcher = self.searcher()
        return {"documents": searcher.doc_count(),
                "sources": dict(Counter(self._column(searcher, "source")[n]
                                        for n in searcher.reader().all_doc_ids()))}

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None


def _stored_keys(searcher: Searcher, doc_id: str) -> list[str]:
    fields = searcher.document(id=doc_id) or {}
    return [key for key in (fields.get("keys") or "").split(",") if key]


def _sort_args(sort: str) -> dict[str, Any]:
    if sort == "date-desc":
        return {"sortedby": sorting.MultiFacet(["date", sorting.ScoreFacet()]), "reverse": True}
    if sort == "date-asc":
        return {"sortedby": "date"}
    return {}


def _end_of(date: str) -> str:
    """Make an upper bound inclusive of everything that starts with it (2017 -> 2017~)."""
    return date + "~"


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value or ""
