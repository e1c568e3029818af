"""All documents matching a query, as a numpy boolean mask over the index's docnums.

Facet counts and date sorting need every match, not the top ten, and without
scoring. Whoosh would walk its matchers one posting at a time in Python; here a
term's postings are read block by block straight into numpy (a block holds up to 128
docnums), and AND/OR/NOT become array operations. A very common word ("van Dijk",
"minister") therefore costs a few array operations per block instead of a Python call
per document. Queries without a fast path (phrases, unusual query classes) fall back
to Whoosh's own ``docs()``, still exact.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, AndNot, Every, Not, NullQuery, Or, Prefix, Query, Term, TermRange, Wildcard
from whoosh.searching import Searcher

Mask = np.ndarray


def live_mask(searcher: Searcher) -> Mask:
    """True for every document that is not deleted."""
    mask = np.zeros(searcher.doc_count_all(), dtype=bool)
    for leaf, offset in searcher.reader().leaf_readers():
        ids = np.fromiter(leaf.all_doc_ids(), dtype=np.int64)
        mask[ids + offset] = True
    return mask


class MaskBuilder:
    """Computes match masks for one searcher (``live`` = its non-deleted documents)."""

    def __init__(self, searcher: Searcher, live: Mask) -> None:
        self.searcher = searcher
        self.live = live
        self.handlers: dict[type, Callable[[Any], Mask]] = {
            Term: self._term, And: self._and, Or: self._or, Not: self._not, AndNot: self._andnot,
            Every: lambda q: self.live.copy(), type(NullQuery): lambda q: self._empty(),
            Prefix: self._expand, TermRange: self._expand, Wildcard: self._expand,
        }

    def mask(self, query: Query) -> Mask:
        handler = self.handlers.get(type(query), self._fallback)
        return handler(query) & self.live

    def _empty(self) -> Mask:
        return np.zeros(len(self.live), dtype=bool)

    def _term(self, query: Term) -> Mask:
        mask = self._empty()
        for leaf, offset in self.searcher.reader().leaf_readers():
            if (query.fieldname, query.text) in leaf:
                mask[_posting_ids(leaf.postings(query.fieldname, query.text)) + offset] = True
        return mask

    def _and(self, query: And) -> Mask:
        mask = self.live.copy()
        for child in query.subqueries:
            mask &= self.mask(child)
            if not mask.any():
                break
        return mask

    def _or(self, query: Or) -> Mask:
        mask = self._empty()
        for child in query.subqueries:
            mask |= self.mask(child)
        return mask

    def _not(self, query: Not) -> Mask:
        return self.live & ~self.mask(query.query)

    def _andnot(self, query: AndNot) -> Mask:
        return self.mask(query.a) & ~self.mask(query.b)

    def _expand(self, query: Query) -> Mask:
        """Prefixes and ranges: the OR of the terms they stand for."""
        simple = query.simplify(self.searcher.reader())
        if type(simple) is type(query):
            return self._fallback(query)
        return self.mask(simple)

    def _fallback(self, query: Query) -> Mask:
        mask = self._empty()
        for sub, offset in _subsearchers(self.searcher):
            ids = np.fromiter(query.docs(sub), dtype=np.int64)
            mask[ids + offset] = True
        return mask


def _subsearchers(searcher: Searcher) -> list[tuple[Searcher, int]]:
    return list(searcher.subsearchers) if searcher.subsearchers else [(searcher, 0)]


def _posting_ids(matcher: Any) -> np.ndarray:
    """Every docnum of a term's postings in one segment (deletions are masked later)."""
    while isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):
        return np.fromiter(matcher.all_ids(), dtype=np.int64)
    blocks = []
    while matcher.is_active():
        matcher._read_data()  # the block's pickled (ids, weights, values) tuple
        raw = matcher._data[0]
        ids = np.asarray(raw, dtype=np.int64)
        blocks.append(ids if matcher._byteids else np.cumsum(ids))  # ids are delta-encoded per block
        matcher._next_block()
    return np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.int64)
