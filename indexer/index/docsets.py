"""Every document matching a query with its BM25F score, as numpy arrays over docnums.

Facet counts, date order and the total need every match; relevance order needs every
match's score. Whoosh would walk its matchers one posting at a time in Python (and its
top-N collector still visits most postings of a common word). Here a term's postings
are read block by block straight into numpy (a block holds up to 128 docnums and term
weights), and the query tree becomes array operations: AND intersects masks and adds
scores, OR unites and adds, NOT removes. A very common word ("van Dijk", "minister")
costs a few array operations per block instead of Python work per document.

Scores follow Whoosh's BM25F (k1 1.2, b 0.75; field boosts are in the indexed
weights, as Whoosh stores them): ``idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))``
per term, times the term's boost; prefixes, ranges and ``Every`` score a constant.
Queries without a fast path (phrases: candidates come from the fast path, positions
are checked by Whoosh) stay exact.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from typing import Any, Callable

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import (
    And,
    AndNot,
    Every,
    Not,
    NullQuery,
    Or,
    Phrase,
    Prefix,
    Query,
    Term,
    TermRange,
    Wildcard,
)
from whoosh.searching import Searcher
from whoosh.util.numeric import _length_byte_cache

Mask = np.ndarray
Scored = tuple[np.ndarray, np.ndarray]  # (bool mask, float32 scores) over all docnums
K1, B = 1.2, 0.75
POSTINGS_CACHE_BYTES = 256 * 1024 * 1024
BYTE_TO_LENGTH = np.asarray(_length_byte_cache, dtype=np.float32)


def live_mask(searcher: Searcher) -> Mask:
    """True for every document that is not deleted."""
    mask = np.zeros(searcher.doc_count_all(), dtype=bool)
    for leaf, offset in searcher.reader().leaf_readers():
        ids = np.fromiter(leaf.all_doc_ids(), dtype=np.int64)
        mask[ids + offset] = True
    return mask


class FieldLengths:
    """Per-field document lengths of one searcher (for BM25 length normalisation), cached."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self._lock = threading.Lock()
        self._lengths: dict[str, np.ndarray] = {}

    def __call__(self, fieldname: str) -> np.ndarray:
        with self._lock:
            if fieldname not in self._lengths:
                self._lengths[fieldname] = _read_lengths(self.searcher, fieldname)
            return self._lengths[fieldname]


class PostingsCache:
    """Decoded postings (docnums, weights) of the terms queried lately, per searcher, and
    the documents of recent phrases.

    Reading a term's postings means unpickling every block, positions included, and a
    phrase means decoding positions; the terms and phrases people search for repeat, so
    their arrays are kept, least recently used first out, within a memory budget (a
    searcher is replaced when the index changes, and its cache with it).
    """

    def __init__(self, max_bytes: int = POSTINGS_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._bytes = 0

    def get(self, key: tuple[str, str], load: Callable[[], tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = load()
        with self._lock:
            self._entries[key] = value
            self._bytes += value[0].nbytes + value[1].nbytes
            while self._bytes > self.max_bytes and len(self._entries) > 1:
                ids, weights = self._entries.popitem(last=False)[1]
                self._bytes -= ids.nbytes + weights.nbytes
        return value


class MaskBuilder:
    """Computes (match mask, scores) for queries over one searcher."""

    def __init__(self, searcher: Searcher, live: Mask, lengths: FieldLengths | None = None,
                 postings: PostingsCache | None = None) -> None:
        self.searcher = searcher
        self.live = live
        self.lengths = lengths or FieldLengths(searcher)
        self.postings = postings or PostingsCache()
        self.size = len(live)
        self.handlers: dict[type, Callable[[Any], Scored]] = {
            Term: self._term, And: self._and, Or: self._or, Not: self._not, AndNot: self._andnot,
            Every: lambda q: (self.live.copy(), self._constant(q.boost)), type(NullQuery): lambda q: self._empty(),
            Prefix: self._expand, TermRange: self._expand, Wildcard: self._expand, Phrase: self._phrase,
        }

    def mask(self, query: Query) -> Mask:
        return self.scored(query)[0]

    def scored(self, query: Query) -> Scored:
        mask, scores = self.handlers.get(type(query), self._fallback)(query)
        return mask & self.live, scores

    def _empty(self) -> Scored:
        return np.zeros(self.size, dtype=bool), np.zeros(self.size, dtype=np.float32)

    def _constant(self, boost: float) -> np.ndarray:
        return np.full(self.size, boost, dtype=np.float32)

    def _term(self, query: Term) -> Scored:
        mask, scores = self._empty()
        scorable = self.searcher.schema[query.fieldname].scorable
        bm25 = _bm25_parts(self.searcher, query.fieldname, query.text) if scorable else None
        lengths = self.lengths(query.fieldname) if scorable else None
        ids, weights = self.postings.get((query.fieldname, query.text), lambda: self._read_postings(query))
        mask[ids] = True
        scores[ids] = _bm25(weights, lengths[ids], *bm25) if bm25 and lengths is not None else weights
        return mask, scores * query.boost

    def _read_postings(self, query: Term) -> tuple[np.ndarray, np.ndarray]:
        """A term's docnums (in the top reader's numbering) and weights, over all segments."""
        id_parts, weight_parts = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.float32)]
        for leaf, offset in self.searcher.reader().leaf_readers():
            if (query.fieldname, query.text) in leaf:
                ids, weights = _postings(leaf.postings(query.fieldname, query.text))
                id_parts.append(ids + offset)
                weight_parts.append(weights)
        return np.concatenate(id_parts), np.concatenate(weight_parts)

    def _and(self, query: And) -> Scored:
        mask, scores = self.live.copy(), np.zeros(self.size, dtype=np.float32)
        for child in query.subqueries:
            child_mask, child_scores = self.scored(child)
            mask &= child_mask
            scores += child_scores
            if not mask.any():
                break
        return mask, np.where(mask, scores, 0) * query.boost

    def _or(self, query: Or) -> Scored:
        mask, scores = self._empty()
        for child in query.subqueries:
            child_mask, child_scores = self.scored(child)
            mask |= child_mask
            scores += np.where(child_mask, child_scores, 0)
        return mask, scores * query.boost

    def _not(self, query: Not) -> Scored:
        return self.live & ~self.mask(query.query), np.zeros(self.size, dtype=np.float32)

    def _andnot(self, query: AndNot) -> Scored:
        mask, scores = self.scored(query.a)
        return mask & ~self.mask(query.b), scores

    def _expand(self, query: Query) -> Scored:
        """Prefixes and ranges: the documents of the terms they stand for, constant score."""
        simple = query.simplify(self.searcher.reader())
        mask = self._fallback(query)[0] if type(simple) is type(query) else self.mask(simple)
        return mask, self._constant(query.boost)

    def _phrase(self, query: Phrase) -> Scored:
        """Words' scores on the candidates that hold all words, kept where the words stand
        in order (within the phrase's slop)."""
        words = And([Term(query.fieldname, word) for word in query.words])
        candidates, scores = self.scored(words)
        key = (query.fieldname, "\x00phrase:" + " ".join(query.words) + f"~{query.slop}")
        docnums, _ = self.postings.get(key, lambda: self._phrase_docnums(query, candidates))
        exact = np.zeros(self.size, dtype=bool)
        exact[docnums] = True
        return exact, np.where(exact, scores, 0) * query.boost

    def _phrase_docnums(self, query: Phrase, candidates: Mask) -> tuple[np.ndarray, np.ndarray]:
        found = [np.zeros(0, dtype=np.int64)]
        for leaf, offset in self.searcher.reader().leaf_readers():
            local = np.flatnonzero(candidates[offset:offset + leaf.doc_count_all()])
            if len(local):
                found.append(_phrase_docs(leaf, query, local) + offset)
        return np.concatenate(found), np.zeros(0, dtype=np.float32)

    def _fallback(self, query: Query) -> Scored:
        mask = np.zeros(self.size, dtype=bool)
        for sub, offset in _subsearchers(self.searcher):
            ids = np.fromiter(query.docs(sub), dtype=np.int64)
            mask[ids + offset] = True
        return mask, self._constant(query.boost)


def _phrase_docs(leaf: Any, query: Phrase, candidates: np.ndarray) -> np.ndarray:
    """The candidate docnums (of one segment) where the phrase's words follow each other.

    Word by word, so later words' positions are decoded only for the documents still in
    the running (decoding positions is the expensive part).
    """
    fmt = leaf.schema[query.fieldname].format
    ends = _positions(leaf.postings(query.fieldname, query.words[0]), candidates, fmt)
    for word in query.words[1:]:
        following = _positions(leaf.postings(query.fieldname, word), candidates, fmt)
        ends = {doc: kept for doc, starts in ends.items()
                if (kept := [p for p in following.get(doc, ()) if any(0 < p - s <= query.slop for s in starts)])}
        candidates = np.asarray(sorted(ends), dtype=np.int64)
        if not len(candidates):
            break
    return np.asarray(sorted(ends), dtype=np.int64)


def _positions(matcher: Any, candidates: np.ndarray, fmt: Any) -> dict[int, list[int]]:
    """docnum -> word positions, decoded only for the candidate documents' postings."""
    while isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    found: dict[int, list[int]] = {}
    if not isinstance(matcher, W3LeafMatcher):
        for _ in _drain(matcher):
            found[matcher.id()] = list(matcher.value_as("positions"))
        return found
    while matcher.is_active():
        matcher._read_data()
        ids = np.cumsum(np.asarray(matcher._data[0], dtype=np.int64))
        wanted = np.flatnonzero(np.isin(ids, candidates, assume_unique=True))
        values = matcher._data[2]
        for i in wanted.tolist():
            found[int(ids[i])] = fmt.decode_positions(values[i])
        matcher._next_block()
    return found


def _subsearchers(searcher: Searcher) -> list[tuple[Searcher, int]]:
    return list(searcher.subsearchers) if searcher.subsearchers else [(searcher, 0)]


def _bm25_parts(searcher: Searcher, fieldname: str, text: str) -> tuple[float, float]:
    """(idf, average field length), as Whoosh's BM25F takes them from the top searcher."""
    count = searcher.doc_count_all()
    idf = math.log(count / (searcher.doc_frequency(fieldname, text) + 1)) + 1
    return idf, (searcher.avg_field_length(fieldname) or 1.0)


def _bm25(tf: np.ndarray, length: np.ndarray, idf: float, avg_length: float) -> np.ndarray:
    return idf * (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * length / avg_length))


def _postings(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """Every docnum of a term's postings in one segment and its weight (deletions are masked later)."""
    while isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):
        items = np.asarray([(matcher.id(), matcher.weight()) for _ in _drain(matcher)], dtype=np.float64)
        items = items.reshape(-1, 2)
        return items[:, 0].astype(np.int64), items[:, 1].astype(np.float32)
    id_blocks, weight_blocks = [], []
    while matcher.is_active():
        matcher._read_data()  # the block's pickled (ids, weights, values) tuple
        raw_ids, raw_weights = matcher._data[0], matcher._data[1]
        ids = np.asarray(raw_ids, dtype=np.int64)
        id_blocks.append(ids if matcher._byteids else np.cumsum(ids))  # ids are delta-encoded per block
        weight_blocks.append(_block_weights(raw_weights, len(ids)))
        matcher._next_block()
    if not id_blocks:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)


def _block_weights(raw: Any, count: int) -> np.ndarray:
    if raw is None:
        return np.ones(count, dtype=np.float32)  # every weight 1.0: stored as None
    if isinstance(raw, float):
        return np.full(count, raw, dtype=np.float32)  # one weight for the whole block
    return np.asarray(raw, dtype=np.float32)


def _drain(matcher: Any) -> Any:
    while matcher.is_active():
        yield matcher
        matcher.next()


def _read_lengths(searcher: Searcher, fieldname: str) -> np.ndarray:
    """Document lengths of a field (Whoosh's one-byte approximation, as its scorer uses)."""
    lengths = np.ones(searcher.doc_count_all(), dtype=np.float32)
    for leaf, offset in searcher.reader().leaf_readers():
        perdoc = getattr(leaf, "_perdoc", None)
        reader = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN) if perdoc else None
        if reader is None:
            continue
        codes = np.fromiter(iter(reader), dtype=np.uint8, count=leaf.doc_count_all())
        lengths[offset:offset + len(codes)] = np.where(codes > 0, BYTE_TO_LENGTH[codes], 1.0)
    return lengths
