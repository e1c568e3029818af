"""The Whoosh search backend: queries, facets over all matches, snippets with pages.

One backend object is shared by all requests of a process. It keeps one searcher and
refreshes it when the writer has committed, or reopens when a rebuild has swapped the
index, so readers always see a complete, committed index without a restart.

Per request: every match is computed once as a numpy mask (:mod:`docsets`), which
gives the total, the facet counts and the date order (:mod:`facets`) without
scoring; only relevance order asks Whoosh to score, and only for the top of the list
up to the requested page. The shown page's documents (metadata and page texts, for the
snippets) are read out of the document store in one query (:mod:`records`; the index
holds only ids, hashes, columns and search terms).
"""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

import numpy as np
from whoosh.query import Every, Or, Query, Term
from whoosh.searching import Searcher

from indexer.citekeys import canonical_keys
from indexer.index import records, store, whoosh_compat
from indexer.index.backend import DATE_UNITS, Hit, SearchRequest, SearchResult
from indexer.index.docsets import Mask, MaskBuilder
from indexer.index.facets import ColumnCache, FacetCounts
from indexer.index.flat_postings import SUFFIX as FLAT_SUFFIX
from indexer.index.flat_postings import FlatPostingsSet
from indexer.index.limits import QueryBudget, QueryLimits, cut_clauses
from indexer.index.page_texts import PageTexts
from indexer.index.partial import PARTIAL_BELOW, PartialMatches, partial_matches, query_words, ranked
from indexer.index.postings import FieldLengths, PostingsCache
from indexer.index.query import build_query
from indexer.index.result_order import by_score
from indexer.index.schema import FACET_FIELDS, text_language
from indexer.index.segment_arrays import SegmentArrays, segment_ids
from indexer.index.snippets import make_snippet, mark_pages
from indexer.index.stopwords import is_marked
from indexer.index.suggest import suggest
from indexer.model import Document

MAX_LINKED = 200
MLT_TERMS = 12  # key terms of a document that make its more-like-this query
DATE_SORTS = {"date-desc": True, "date-asc": False}  # sort -> newest first?
#: facet field -> the Document.extra key that names its values
LABEL_SOURCES = {"dossier": "dossier_title"}
DATE_RANGE = "date"  # key of the date-range mask among the filter masks (not a facet)


@dataclass(frozen=True)
class View:
    """A searcher and what is cached for it (columns, field lengths, decoded postings):
    replaced together when the index changes."""

    searcher: Searcher
    columns: ColumnCache
    lengths: FieldLengths
    postings: PostingsCache
    flat: FlatPostingsSet
    labels: dict[tuple[str, str], str] = field(default_factory=dict)  # (field, value) -> facet label

    def scored(self, query: Query, budget: QueryBudget | None = None) -> tuple[Mask, np.ndarray]:
        builder = MaskBuilder(self.searcher, self.columns.live, self.lengths, self.postings, self.flat, budget)
        return builder.scored(query)

    def mask(self, query: Query, budget: QueryBudget | None = None) -> Mask:
        return self.scored(query, budget)[0]


class _ScoredQuery(NamedTuple):
    """A request's query evaluated once: shared by the list and every widened facet count."""

    query: Query
    mask: Mask
    scores: np.ndarray
    text: str  # the query text searched (within the clause limit)
    budget: QueryBudget


def _all_of(masks: Iterable[Mask]) -> Mask | bool:
    """The documents every mask allows (True: no restriction)."""
    combined: Mask | bool = True
    for mask in masks:
        combined = combined & mask
    return combined


@dataclass(frozen=True)
class Matches:
    """What a request lists: its query, the documents and their scores, how many hold
    every word, and the partial matches when the list goes on past those."""

    query: Query
    docnums: np.ndarray
    scores: np.ndarray
    complete: int
    partial: PartialMatches | None
    text: str  # the query text searched (within the clause limit)
    budget: QueryBudget


class WhooshBackend:
    """The SearchBackend over the Whoosh index of a data directory."""

    def __init__(self, data_dir: Path, limits: QueryLimits | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.limits = limits or QueryLimits()  # bounded work per request (settings may replace it)
        self._lock = threading.Lock()
        self._view: View | None = None
        self._location: Path | None = None
        self._segments = SegmentArrays()  # outlives views: unchanged segments are not read again
        self.texts = PageTexts(self.data_dir)

    # -- searcher lifecycle -------------------------------------------------
    def view(self) -> View:
        """The current searcher with its columns (shared, thread-safe for reading)."""
        with self._lock:
            location = store.current_dir(self.data_dir)
            if (self._view is None or location != self._location
                    or not self._view.searcher.up_to_date()):
                # A fresh searcher, not refresh(): refresh() reuses segment readers and
                # misses deletions committed to an existing segment. The old searcher is
                # not closed here because other threads may still be reading from it.
                searcher = store.open_readable(self.data_dir).searcher()
                current = segment_ids(searcher.reader())
                self._segments.retain(current)
                flat = self._view.flat if self._view is not None and location == self._location else None
                flat = flat or FlatPostingsSet(location)
                flat.retain(current)
                self._view = View(searcher, ColumnCache(searcher, self._segments),
                                  FieldLengths(searcher, self._segments), PostingsCache(), flat)
                # an index without documents is looked at again on every request (it may appear)
                self._location = location if searcher.doc_count_all() else None
            return self._view

    def searcher(self) -> Searcher:
        return self.view().searcher

    # -- search -------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        view = self.view()
        if not view.searcher.doc_count_all():
            return SearchResult(request, 0, ())  # no documents yet: a normal, empty answer
        query = self._query(view, request)
        filters = self._filter_masks(view, request)
        found = self._matches(view, request, query, _all_of(filters.values()))
        limit = request.offset + request.page_size
        page = self._ordered(view, found, request.sort, limit)[request.offset:limit]
        shown = records.listed(self.texts, view.columns, [docnum for docnum, _ in page])
        hits = tuple(self._hit(view.searcher, item, docnum, score, found, request)
                     for item, (docnum, score) in zip(shown, page, strict=True))
        facets = self._facets(view, request, query, filters, found) if request.facets else {}
        cut = bool(found.budget.cuts())
        suggestion = "" if cut else suggest(view.searcher, found.text, found.complete, self._count)
        partial = found.partial is not None
        return SearchResult(request, len(found.docnums), hits, facets, suggestion, partial=partial,
                            complete=found.complete if partial else None, notices=found.budget.cuts())

    def _facets(self, view: View, request: SearchRequest, query: _ScoredQuery, filters: dict[str, Mask],
                found: Matches) -> dict[str, FacetCounts]:
        """Counts per facet over the listed documents; a field with a chosen value is
        counted as if its own filter were not set (values of one field are OR-ed), so its
        other values stay on offer. The query is evaluated once; each filtered field costs
        one mask product and one count, not another search."""
        facets = view.columns.facets(found.docnums, FACET_FIELDS)
        for name in (n for n in filters if n in FACET_FIELDS):
            others = _all_of(mask for other, mask in filters.items() if other != name)
            widened = self._matches(view, request, query, others)
            facets[name] = view.columns.column(name).counts(widened.docnums)
        return facets

    def _budgeted(self, text: str) -> tuple[str, QueryBudget]:
        """The query text within the clause limit, and the budget of this request."""
        kept, cuts = cut_clauses(text, self.limits.max_query_clauses)
        return kept, QueryBudget(self.limits, cuts)

    def _query(self, view: View, request: SearchRequest) -> _ScoredQuery:
        """The request's query within its limits, evaluated once: matches and scores."""
        text, budget = self._budgeted(request.query)
        query = build_query(view.searcher.schema, text)
        mask, scores = view.scored(query, budget)
        return _ScoredQuery(query, mask, scores, text, budget)

    def _matches(self, view: View, request: SearchRequest, scored: _ScoredQuery | None = None,
                 allowed: Mask | bool | None = None) -> Matches:
        """Every document the request lists, with scores: the complete matches, or, for an
        all-words query with fewer than PARTIAL_BELOW of them, the partial matches too.
        ``allowed`` (default: the request's filters) limits the list."""
        query, mask, scores, text, budget = scored or self._query(view, request)
        allowed = _all_of(self._filter_masks(view, request).values()) if allowed is None else allowed
        complete = mask & allowed
        docnums = np.flatnonzero(complete)
        partial = self._partial(view, request, text, budget, complete, allowed)
        if partial is None:
            return Matches(query, docnums, scores, len(docnums), None, text, budget)
        # complete matches keep the query's own scores (identifier and other boosts included)
        scores = np.where(complete, scores, partial.scores)
        return Matches(query, partial.docnums, scores, len(docnums), partial, text, budget)

    def _partial(self, view: View, request: SearchRequest, text: str, budget: QueryBudget, complete: Mask,
                 allowed: Mask | bool) -> PartialMatches | None:
        count = int(complete.sum())
        if not request.partial or count >= PARTIAL_BELOW:
            return None
        words = query_words(view.searcher.schema, text)
        if not words:
            return None
        found = partial_matches(lambda q: view.scored(q, budget), words, allowed, complete)
        return found if len(found.docnums) > count else None

    def _count(self, text: str) -> int:
        view = self.view()
        text, budget = self._budgeted(text)
        return int(view.mask(build_query(view.searcher.schema, text), budget).sum())

    def _ordered(self, view: View, found: Matches, sort: str, limit: int | None) -> list[tuple[int, float]]:
        """(docnum, score) of the first ``limit`` matches in the requested order.

        Date order (and an empty query) needs no scores. Relevance sorts by score, then
        newest first, then id (:mod:`indexer.index.result_order`: the same order on every
        node, whatever the docnums). Partial results group by how many words a document
        holds first.
        """
        docnums, scores = found.docnums, found.scores
        if found.partial is not None:
            ordered = (view.columns.date_order(docnums, DATE_SORTS[sort]) if sort in DATE_SORTS
                       else _by_score(view, docnums, scores, None))
            return [(int(n), float(scores[n])) for n in ranked(found.partial, ordered)[:limit]]
        if sort in DATE_SORTS or isinstance(found.query, Every):
            ordered = view.columns.date_order(docnums, DATE_SORTS.get(sort, True), limit)
            return [(int(n), 0.0) for n in ordered]
        return [(int(n), float(scores[n])) for n in _by_score(view, docnums, scores, limit)]

    def _filter_masks(self, view: View, request: SearchRequest) -> dict[str, Mask]:
        """One mask per restricted facet field (values OR-ed) and one for the date range."""
        masks: dict[str, Mask] = {}
        for name, values in request.filters.items():
            if name in FACET_FIELDS and values:
                masks[name] = view.columns.column(name).where(frozenset(values).__contains__)
        if request.date_from or request.date_to:
            low, high = request.date_from or "", (request.date_to + "~") if request.date_to else "~"
            masks[DATE_RANGE] = view.columns.column("date").where(lambda v: bool(v) and low <= v <= high)
        return masks

    def _hit(self, searcher: Searcher, item: records.Listed, docnum: int, score: float, found: Matches,
             request: SearchRequest) -> Hit:
        doc = item.document
        snippet, page = ("", None)
        missing = found.partial.missing(docnum) if found.partial is not None else ()
        over_budget = found.budget.deadline.passed()
        if request.snippets and request.query.strip() and not over_budget and item.stored:
            query = found.partial.held_query(docnum) if found.partial is not None and missing else found.query
            snippet, page = make_snippet(searcher.schema, doc, query)
        return Hit(doc.replace(pages=()), score, snippet, page, missing)

    # -- documents ----------------------------------------------------------
    def get(self, doc_id: str) -> Document | None:
        if self.searcher().document_number(id=doc_id) is None:
            return None
        return self.texts.document(doc_id)

    def iter_documents(self, request: SearchRequest) -> Iterator[Document]:
        view = self.view()  # errors (a damaged index) surface here, not mid-stream
        if not view.searcher.doc_count_all():
            return iter(())
        ordered = self._ordered(view, self._matches(view, request), request.sort, None)
        return records.stream(self.texts, view.columns, [n for n, _ in ordered])

    def cited_by(self, doc: Document) -> list[Document]:
        # the keys it is indexed under, from the document (schema 12 stores none): the crawl,
        # the rebuild and the repair all index with canonical_keys
        keys = sorted(canonical_keys(doc)) if self.searcher().document_number(id=doc.id) is not None else []
        if not keys:
            return []
        return self._documents(Or([Term("refs", key) for key in keys]), exclude=doc.id)

    def cites(self, doc: Document) -> list[Document]:
        if not doc.references:
            return []
        return self._documents(Or([Term("keys", key) for key in doc.references]), exclude=doc.id)

    def citing(self, keys: Iterable[str]) -> list[Document]:
        terms: list[Query] = [Term("refs", key) for key in dict.fromkeys(keys) if key]
        return self._documents(Or(terms), exclude="") if terms else []

    def more_like_this(self, doc_id: str, limit: int = 5) -> list[Document]:
        """Documents sharing the most distinctive terms (Bo1 key terms) of this one's title
        and text, ranked by the same BM25F scores as a search."""
        view = self.view()
        docnum = view.searcher.document_number(id=doc_id)
        if docnum is None:
            return []
        found = self.texts.documents([doc_id])
        if doc_id not in found:
            return []  # the store lacks it: nothing to take its key terms from
        doc = found[doc_id]
        field = f"body_{text_language(doc)}"
        text = " ".join([doc.title, doc.title, doc.summary, doc.body[:50_000]])
        key_terms = [(word, weight) for word, weight in view.searcher.key_terms_from_text(field, text, numterms=MLT_TERMS)
                     if not is_marked(word)]
        if not key_terms:
            return []
        mask, scores = view.scored(Or([Term(field, word, boost=weight) for word, weight in key_terms]))
        mask[docnum] = False
        docnums = np.flatnonzero(mask)
        ranked = _by_score(view, docnums, scores, limit)
        return records.documents(self.texts, view.columns, [int(n) for n in ranked])

    def _documents(self, query: Query, exclude: str) -> list[Document]:
        view = self.view()
        docnums = view.columns.date_order(np.flatnonzero(view.mask(query)), reverse=True, limit=MAX_LINKED + 1)
        found = records.documents(self.texts, view.columns, [int(n) for n in docnums])
        return [d for d in found if d.id != exclude][:MAX_LINKED]

    def marked_pages(self, doc: Document, query_text: str) -> list[str]:
        """The document's pages as escaped HTML, the query's matching words in ``<mark>``."""
        schema = self.searcher().schema
        if not query_text.strip():
            return [html.escape(page) for page in doc.pages]
        return mark_pages(schema, doc, build_query(schema, self._budgeted(query_text)[0]))

    def facet_labels(self, field: str, values: Iterable[str]) -> dict[str, str]:
        """Dossier numbers get their dossier title (read from one document of the dossier,
        all of a request's values in one store query, kept with the view)."""
        source = LABEL_SOURCES.get(field)
        if source is None:
            return {}
        view = self.view()
        first = view.columns.column(field).first_docnums
        unread = [value for value in dict.fromkeys(values) if value in first and (field, value) not in view.labels]
        ids = view.columns.ids(np.asarray([first[value] for value in unread], dtype=np.int64))
        found = self.texts.documents(ids)
        for value, doc_id in zip(unread, ids, strict=True):
            doc = found.get(doc_id)
            view.labels[(field, value)] = doc.extra.get(source, "") if doc is not None else ""
        return {value: label for value in values if (label := view.labels.get((field, value), ""))}

    def date_counts(self, request: SearchRequest, unit: str = "year") -> tuple[tuple[str, int], ...]:
        """Counts of the date column over every match, summed per period prefix."""
        view = self.view()
        if not view.searcher.doc_count_all():
            return ()
        width = DATE_UNITS[unit]
        totals: dict[str, int] = {}
        for value, count in view.columns.column("date").counts(self._matches(view, request).docnums):
            period = value[:width]
            if len(period) == width:  # a year-only date has no month
                totals[period] = totals.get(period, 0) + count
        return tuple(sorted(totals.items()))

    def stats(self) -> dict[str, object]:
        view = self.view()
        docnums = np.flatnonzero(view.columns.live)
        return {"documents": view.searcher.doc_count(),
                "sources": dict(view.columns.facets(docnums, ("source",))["source"]),
                "index": self._index_figures(view)}

    def _index_figures(self, view: View) -> dict[str, object]:
        """Segments, how many have their flat postings, deleted documents not yet merged away,
        the bytes on disk, and whether segments are read from the memory map."""
        folder = view.flat.folder
        if not folder.is_dir():
            return {}  # nothing on disk yet
        segments = segment_ids(view.searcher.reader())
        return {"segments": len(segments),
                "flat_postings": sum(1 for name in segments if (folder / f"{name}{FLAT_SUFFIX}").is_file()),
                "deleted": view.searcher.doc_count_all() - view.searcher.doc_count(),
                "bytes": sum(_size(path) for path in folder.iterdir()),
                "mapped_files": whoosh_compat.mapped_files_state()}

    def close(self) -> None:
        with self._lock:
            if self._view is not None:
                self._view.searcher.close()
                self._view = None
        self.texts.close()


def _by_score(view: View, docnums: np.ndarray, scores: np.ndarray, limit: int | None) -> np.ndarray:
    return by_score(docnums, scores, view.columns.newest_first, view.columns.ids, limit)


def _size(path: Path) -> int:
    """A file's size; 0 for a directory or a file a concurrent commit merged away meanwhile."""
    try:
        return path.stat().st_size if path.is_file() else 0
    except FileNotFoundError:
        return 0
